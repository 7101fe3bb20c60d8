"""An op's inputs are drawn in argument order (w1 before x in w1·x), by both renderers.

Along the rank direction: with ``rankdir="LR"`` the first input is on top, with ``"TB"`` on the
left. Positions come from each renderer's ``-Tplain`` output (``node name x y ...``, y upwards).
"""
import re
import shutil
import subprocess

import numpy as np
import pytest

import viz
from microgradfr import Tensor, Value, manual_seed, nn
from microgradfr import functional as F
from microgradfr.demo import course_graph
from viz.backend import _find_pure

RENDERERS = {"graphviz-pure": _find_pure(), "dot": shutil.which("dot")}


def course():
    """L = (w1·x + w2·y)², the course's figure."""
    L, _ = course_graph()
    L.backward()
    return L


def neuron():
    """o = tanh(x1·w1 + x2·w2 + b), micrograd's neuron."""
    x1, x2 = Value(2.0, "x1"), Value(0.0, "x2")
    w1, w2, b = Value(-3.0, "w1"), Value(1.0, "w2"), Value(6.8813735870195432, "b")
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.label = "o"
    o.backward()
    return o


def tensor_mlp():
    """A Linear-Tanh-Linear model and its MSE loss: ops inside module clusters."""
    manual_seed(0)
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))
    x = Tensor(np.ones((2, 3)))
    x.label = "x"
    loss = F.mse_loss(model(x), Tensor(np.zeros((2, 1))))
    loss.label = "loss"
    loss.backward()
    return loss


CASES = [(course, False), (course, True), (neuron, False), (neuron, True), (tensor_mlp, True)]


def op_inputs(source: str) -> dict:
    """``op node -> [input node, ...]`` in argument order (the order the edges are written)."""
    inputs = {}
    for tail, head in re.findall(r"^\s*(\w+) -> (\w+_op)\b", source, flags=re.M):
        inputs.setdefault(head, []).append(tail)
    return inputs


def positions(source: str, program: str) -> dict:
    """``node -> (x, y)`` as laid out by ``program``."""
    done = subprocess.run([program, "-Tplain"], input=source.encode("utf-8"), capture_output=True,
                          timeout=60, check=True)
    out = {}
    for line in done.stdout.decode("utf-8").splitlines():
        parts = line.split()
        if parts[:1] == ["node"]:
            out[parts[1].strip('"')] = (float(parts[2]), float(parts[3]))
    return out


def across(position, rankdir) -> float:
    """Where a node sits across the ranks, growing from the first input towards the last."""
    x, y = position
    return -y if rankdir == "LR" else x


@pytest.mark.parametrize("renderer", RENDERERS)
@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize("build, edge_grads", CASES,
                         ids=[f"{b.__name__}-{'edge_grads' if e else 'plain'}" for b, e in CASES])
def test_inputs_are_drawn_in_argument_order(renderer, rankdir, build, edge_grads):
    program = RENDERERS[renderer]
    if program is None:
        pytest.skip(f"{renderer} is not installed")
    source = viz.draw_dot(build(), rankdir=rankdir, edge_grads=edge_grads).source
    where = positions(source, program)
    inputs = op_inputs(source)
    assert inputs, "no op with inputs in this graph"
    for op, tails in inputs.items():
        distinct = list(dict.fromkeys(tails))  # x * x: one node, nothing to order
        coords = [across(where[t], rankdir) for t in distinct]
        assert coords == sorted(coords) and len(set(coords)) == len(coords), (
            f"{renderer} {rankdir}: inputs of {op} drawn out of order: "
            f"{sorted(distinct, key=lambda t: across(where[t], rankdir))} instead of {distinct}")
