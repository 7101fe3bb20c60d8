"""Code written for micrograd runs unchanged, and gives micrograd's numbers where micrograd is right."""
import pytest

from microgradfr import manual_seed
from microgradfr.engine import Value
from microgradfr.nn import MLP

micrograd = pytest.importorskip("micrograd.nn", reason="micrograd (test extra) not installed")
from micrograd.engine import Value as MValue  # noqa: E402


def micrograd_style_step(Value, model, X, y):
    """A step written against micrograd's API only (its demo's max-margin loss)."""
    inputs = [list(map(Value, row)) for row in X]
    scores = list(map(model, inputs))
    losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
    total = sum(losses) * (1.0 / len(losses)) + 1e-4 * sum(p * p for p in model.parameters())
    model.zero_grad()
    total.backward()
    return total.data, [p.grad for p in model.parameters()]


def test_same_loss_and_gradients_as_micrograd():
    manual_seed(0)
    ours = MLP(2, [8, 8, 1])
    theirs = micrograd.MLP(2, [8, 8, 1])
    for p, q in zip(ours.parameters(), theirs.parameters(), strict=True):
        q.data = p.data
    X = [[0.5, -1.0], [1.5, 0.2], [-0.3, 0.8], [0.0, 0.0]]
    y = [1.0, -1.0, 1.0, -1.0]
    loss, grads = micrograd_style_step(Value, ours, X, y)
    mloss, mgrads = micrograd_style_step(MValue, theirs, X, y)
    assert loss == pytest.approx(mloss, rel=1e-12)
    assert grads == pytest.approx(mgrads, rel=1e-9, abs=1e-12)


def test_micrograd_graph_walk_through_prev_and_op():
    # micrograd's drawing code walks _prev and prints _op, data and grad
    a, b = Value(2.0, label="a"), Value(-3.0, label="b")
    out = (a * b + a).tanh()
    nodes, edges, stack = set(), set(), [out]
    while stack:
        v = stack.pop()
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                stack.append(child)
    assert {n._op for n in nodes} == {"", "*", "+", "tanh"}
    # a → ×, b → ×, × → +, a → +, + → tanh
    assert len(nodes) == 5 and len(edges) == 5
