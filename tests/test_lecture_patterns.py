"""The code patterns of micrograd's lecture, run on micrograd 0.1.0 and on microgradfr: same numbers.

Each pattern is written once, against micrograd's API only, and run on both engines
(``on_both``). micrograd 0.1.0 has no tanh or exp: the tests give
it the ones a learner writes in the lecture's way, a node made by hand, ``Value(t, (x,), 'tanh')``,
with a ``_backward`` closure. The same hand-written ops run on microgradfr too, and are checked
against its own ``tanh()``/``exp()``.
"""
import math
import random

import pytest

import microgradfr.engine
import viz
from microgradfr import i18n

mg_engine = pytest.importorskip("micrograd.engine", reason="micrograd (test extra) not installed")
mg_nn = pytest.importorskip("micrograd.nn")
import microgradfr.nn as fr_nn  # noqa: E402

CLOSE = {"rel": 1e-12, "abs": 1e-15}


# ------------------------------------------------------------------ ops written by hand
def tanh_by_hand(Value, x):
    """tanh as a learner adds it: a node made with its children and op, and its own _backward."""
    t = (math.exp(2 * x.data) - 1) / (math.exp(2 * x.data) + 1)
    out = Value(t, (x,), "tanh")

    def _backward():
        x.grad += (1 - t * t) * out.grad
    out._backward = _backward
    return out


def exp_by_hand(Value, x):
    out = Value(math.exp(x.data), (x,), "exp")

    def _backward():
        x.grad += out.data * out.grad
    out._backward = _backward
    return out


def labelled(Value, data, label):
    """A leaf with a label (micrograd's Value takes no label argument: set it after)."""
    v = Value(data)
    v.label = label
    return v


def on_both(pattern):
    """Run ``pattern(Value)`` on each engine; both results, micrograd's first."""
    Value = mg_engine.Value
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(Value, "tanh", lambda self: tanh_by_hand(Value, self), raising=False)
        mp.setattr(Value, "exp", lambda self: exp_by_hand(Value, self), raising=False)
        theirs = pattern(Value)
    return theirs, pattern(microgradfr.engine.Value)


# ------------------------------------------------------------------ a neuron stepped by hand
def neuron(Value):
    """o = tanh(x1·w1 + x2·w2 + b), every node named."""
    x1, x2 = labelled(Value, 1.5, "x1"), labelled(Value, -0.5, "x2")
    w1, w2 = labelled(Value, -2.0, "w1"), labelled(Value, 0.75, "w2")
    b = labelled(Value, 2.25, "b")
    x1w1 = x1 * w1
    x2w2 = x2 * w2
    s = x1w1 + x2w2
    n = s + b
    o = n.tanh()
    for node, name in [(x1w1, "x1w1"), (x2w2, "x2w2"), (s, "s"), (n, "n"), (o, "o")]:
        node.label = name
    return {"x1": x1, "x2": x2, "w1": w1, "w2": w2, "b": b,
            "x1w1": x1w1, "x2w2": x2w2, "s": s, "n": n, "o": o}


HAND_ORDER = ["o", "n", "s", "b", "x1w1", "x2w2", "x1", "w1", "x2", "w2"]


def grads(nodes):
    return {name: v.grad for name, v in nodes.items()}


def test_hand_stepping_cell_by_cell_gives_micrograds_numbers():
    def pattern(Value):
        nodes = neuron(Value)
        nodes["o"].grad = 1.0
        snapshots = [grads(nodes)]
        for name in HAND_ORDER:  # a leaf's _backward does nothing, in both
            nodes[name]._backward()
            snapshots.append(grads(nodes))
        return snapshots
    theirs, ours = on_both(pattern)
    assert len(theirs) == len(ours) == len(HAND_ORDER) + 1
    for step, (a, b) in enumerate(zip(theirs, ours)):
        assert b == pytest.approx(a, **CLOSE), f"after step {step} ({(['seed'] + HAND_ORDER)[step]})"
    # the hand steps reach what backward() computes, and what the chain rule says
    nodes = neuron(microgradfr.engine.Value)
    nodes["o"].backward()
    assert grads(nodes) == pytest.approx(ours[-1], **CLOSE)
    o = nodes["o"].data
    assert ours[-1]["w1"] == pytest.approx((1 - o * o) * 1.5, **CLOSE)  # ∂o/∂w1 = (1 − o²)·x1


def test_backward_gives_micrograds_numbers_on_the_neuron():
    def pattern(Value):
        nodes = neuron(Value)
        nodes["o"].backward()
        return [(name, v.data, v.grad) for name, v in nodes.items()]
    theirs, ours = on_both(pattern)
    assert [name for name, *_ in ours] == [name for name, *_ in theirs]
    ours, theirs = [x for _, *xs in ours for x in xs], [x for _, *xs in theirs for x in xs]
    assert ours == pytest.approx(theirs, **CLOSE)


def test_hand_written_ops_match_the_engines_own():
    Value = microgradfr.engine.Value
    for make_ours, make_hand in [(lambda v: v.tanh(), lambda v: tanh_by_hand(Value, v)),
                                 (lambda v: v.exp(), lambda v: exp_by_hand(Value, v))]:
        x, y = Value(0.6), Value(0.6)
        a, b = make_ours(x * 2), make_hand(y * 2)
        a.backward()
        b.backward()
        assert (a.data, x.grad) == pytest.approx((b.data, y.grad), **CLOSE)


# ------------------------------------------------------------------ Values made with children
def test_value_built_with_children_and_op_as_micrograd():
    def pattern(Value):
        a, b = Value(2.0), Value(-4.0)
        c = Value(a.data + b.data, (a, b), "+")  # made by hand: no _backward of its own
        c.grad = 1.0
        c._backward()
        c.backward()
        return (c.data, c._op, {p.data for p in c._prev}, a.grad, b.grad, c.grad)
    theirs, ours = on_both(pattern)
    assert ours == theirs == (-2.0, "+", {2.0, -4.0}, 0, 0, 1)


def test_op_spellings_are_micrographs():
    def pattern(Value):
        a, b = Value(3.0), Value(0.5)
        return [(a + b)._op, (a * b)._op, (a ** 2)._op, (a ** -1)._op, a.relu()._op,
                a.tanh()._op, a.exp()._op, a._op]
    theirs, ours = on_both(pattern)
    assert ours == theirs == ["+", "*", "**2", "**-1", "ReLU", "tanh", "exp", ""]


def test_the_lectures_expressions_give_micrograds_numbers():
    """Sums, products, powers, a number on either side, a − b, a / b, tanh through exp."""
    def pattern(Value):
        a, b, c = Value(1.5), Value(-2.5), Value(4.0)
        d = a * b + c
        e = 2 * d - a / b + (1 - c) ** 2
        n = e * 0.1
        twice = (2 * n).exp()
        o = (twice - 1) / (twice + 1)  # tanh(n), spelled with exp
        o.backward()
        return [v.data for v in (d, e, n, o)] + [v.grad for v in (a, b, c)]
    theirs, ours = on_both(pattern)
    assert ours == pytest.approx(theirs, **CLOSE)


def test_a_value_used_twice_collects_both_gradients():
    def pattern(Value):
        a = Value(-3.0)
        b = a + a
        c = a * a
        d = b * c
        d.backward()
        return a.grad, b.grad, c.grad
    theirs, ours = on_both(pattern)
    assert ours == theirs == (54.0, 9.0, -6.0)  # d = 2a³: 6a² = 54; ∂d/∂b = c = 9; ∂d/∂c = b = −6


# ------------------------------------------------------------------ a draw_dot of one's own
def trace(root):
    """The nodes and edges reachable from root, walking _prev (as one writes before drawing)."""
    nodes, edges = set(), set()

    def build(v):
        if v not in nodes:
            nodes.add(v)
            for child in v._prev:
                edges.add((child, v))
                build(child)
    build(root)
    return nodes, edges


def my_draw_dot(root):
    """A learner's draw_dot: one record per value, an op oval per computed value, read as text."""
    from graphviz import Digraph
    dot = Digraph(graph_attr={"rankdir": "LR"})
    nodes, edges = trace(root)
    for n in nodes:
        uid = str(id(n))
        dot.node(uid, label="{ %s | data %.4f | grad %.4f }" % (n.label, n.data, n.grad), shape="record")  # noqa: UP031 (as the lecture writes it)
        if n._op:
            dot.node(uid + n._op, label=n._op)
            dot.edge(uid + n._op, uid)
    for n1, n2 in edges:
        dot.edge(str(id(n1)), str(id(n2)) + n2._op)
    return dot


def drawing(root):
    """What the drawing says, without the ids: its records, op ovals and edges by label."""
    nodes, edges = trace(root)
    dot = my_draw_dot(root)
    records = sorted(line.split('label="', 1)[1].split('"')[0] for line in dot.body if "record" in line)
    return (records, sorted((n.label, n._op) for n in nodes),
            sorted((a.label, b.label, b._op) for a, b in edges))


def test_a_hand_written_draw_dot_draws_the_same_picture():
    def pattern(Value):
        nodes = neuron(Value)
        before = drawing(nodes["o"])
        nodes["o"].backward()
        return before, drawing(nodes["o"])
    theirs, ours = on_both(pattern)
    assert ours == theirs
    records = ours[1][0]
    assert len(records) == 10 and any(r.startswith("{ o | data ") for r in records)


# ------------------------------------------------------------------ viz between hand steps
def edge_labels(root):
    """The edges of viz's diagram that carry a contribution (upstream gradient × local)."""
    src = viz.draw_dot(root, edge_grads=True).source
    return [line for line in src.splitlines() if "->" in line and "label=" in line]


def test_viz_between_hand_steps_shows_only_the_steps_done():
    nodes = neuron(microgradfr.engine.Value)
    o, n = nodes["o"], nodes["n"]
    o.grad = 1.0
    assert edge_labels(o) == []  # seeded, nothing propagated yet
    o._backward()
    assert len(edge_labels(o)) == 1  # o's step: the edge n → tanh
    n._backward()
    assert len(edge_labels(o)) == 3  # then n's: s → +, b → +
    src = viz.draw_dot(o).source
    assert "grad 0" in src  # x1, w1, … not reached yet show the 0 they hold
    o.backward()
    assert len(edge_labels(o)) == 9  # the whole pass: every input of the two ×, the two + and tanh


# ------------------------------------------------------------------ a network of one's own
class MyNeuron:
    def __init__(self, Value, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        act = sum((wi * xi for wi, xi in zip(self.w, x)), self.b)
        return act.tanh()

    def parameters(self):
        return self.w + [self.b]


class MyLayer:
    def __init__(self, Value, nin, nout):
        self.neurons = [MyNeuron(Value, nin) for _ in range(nout)]

    def __call__(self, x):
        outs = [n(x) for n in self.neurons]
        return outs[0] if len(outs) == 1 else outs

    def parameters(self):
        return [p for n in self.neurons for p in n.parameters()]


class MyMLP:
    def __init__(self, Value, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [MyLayer(Value, sizes[i], sizes[i + 1]) for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def parameters(self):
        return [p for layer in self.layers for p in layer.parameters()]


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def train_my_mlp(Value, steps=20):
    random.seed(7)  # the same starting weights on both engines
    model = MyMLP(Value, 3, [4, 4, 1])
    history = []
    for _ in range(steps):
        predictions = [model(x) for x in XS]
        loss = sum((out - target) ** 2 for target, out in zip(YS, predictions))
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data += -0.05 * p.grad
        history.append(loss.data)
    return history, [p.data for p in model.parameters()], [p.grad for p in model.parameters()]


def test_a_hand_written_mlp_trains_as_on_micrograd():
    theirs, ours = on_both(train_my_mlp)
    losses, weights, last_grads = ours
    assert losses == pytest.approx(theirs[0], rel=1e-10)
    assert weights == pytest.approx(theirs[1], rel=1e-10, abs=1e-12)
    assert last_grads == pytest.approx(theirs[2], rel=1e-9, abs=1e-12)
    assert len(weights) == 41 and losses[-1] < losses[0] / 2  # (3·4 + 4) + (4·4 + 4) + (4 + 1); it learns


# ------------------------------------------------------------------ micrograd's nn
@pytest.mark.parametrize("make", [
    lambda nn: nn.Neuron(3), lambda nn: nn.Neuron(3, nonlin=False), lambda nn: nn.Neuron(3, False),
    lambda nn: nn.Layer(2, 3), lambda nn: nn.Layer(2, 2, nonlin=False),
    lambda nn: nn.MLP(3, [4, 4, 1]), lambda nn: nn.MLP(2, [1]),
])
def test_nn_signatures_and_reprs_are_micrograds(make):
    theirs, ours = make(mg_nn), make(fr_nn)
    assert repr(ours) == repr(theirs)
    assert len(ours.parameters()) == len(theirs.parameters())
    for p in ours.parameters():
        p.grad = 5.0
    ours.zero_grad()
    assert all(p.grad == 0 for p in ours.parameters())


def test_nonlin_can_be_read_and_set_as_in_micrograd():
    n = fr_nn.Neuron(2)
    assert n.nonlin is True
    n.nonlin = False
    assert repr(n) == "LinearNeuron(2)" and n([1.0, 2.0]).op == "Σwx+b"


# ------------------------------------------------------------------ nodes made by hand, wrongly
@pytest.mark.parametrize("make, words", [
    (lambda V: V(1.0, (2.0,), "+"), ["each child must be a Value", "2.0"]),
    (lambda V: V(1.0, 5, "+"), ["_children is a tuple of Values", "5"]),
    (lambda V: V(1.0, (V(2.0),), 3), ["_op is the op's name", "3"]),
])
def test_a_node_made_by_hand_wrongly_is_a_clear_error(make, words):
    with i18n.language("en"):  # the English text; test_error_messages checks both
        with pytest.raises(TypeError) as info:
            make(microgradfr.engine.Value)
        for word in words:
            assert word in str(info.value)


def test_backward_must_be_given_a_function():
    with i18n.language("en"):  # the English text; test_error_messages checks both
        node = microgradfr.engine.Value(1.0) * 2
        with pytest.raises(TypeError, match="_backward must be a function"):
            node._backward = 3


def test_a_label_given_second_is_still_a_label():
    Value = microgradfr.engine.Value
    v = Value(2.0, "x")  # this project's older spelling: a string is never micrograd's children
    assert (v.label, v.parents, v._op) == ("x", (), "")


@pytest.mark.parametrize("lang, word", [("fr", "à la main"), ("en", "by hand")])
def test_viz_draws_a_node_made_by_hand_and_explain_says_what_it_cannot_read(lang, word):
    Value = microgradfr.engine.Value
    a = labelled(Value, 0.5, "a")
    t = tanh_by_hand(Value, a)
    t.label = "t"
    out = t * 2
    out.backward()
    assert a.grad == pytest.approx(2 * (1 - math.tanh(0.5) ** 2), **CLOSE)
    src = viz.draw_dot(out, edge_grads=True).source
    assert "tanh" in src and len(list(viz.backward_steps(out))) == 3  # out, t, a: the constant 2 has no step
    with pytest.raises(ValueError, match=word) as info:
        viz.explain(out, a, lang=lang)
    assert "t" in str(info.value)
