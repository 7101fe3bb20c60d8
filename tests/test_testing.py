"""microgradfr.testing catches wrong gradients, and says where."""
import math

import numpy as np
import pytest

from microgradfr import Tensor, Value
from microgradfr.autograd import topological_order
from microgradfr.engine import apply
from microgradfr.ops import OPS, Op
from microgradfr.testing import assert_grad, gradcheck, numerical_grad


def test_gradcheck_passes_on_a_correct_graph():
    assert gradcheck(lambda a, b: (a * b + a.exp()).tanh(), [Value(0.2), Value(-0.7)])


def test_gradcheck_catches_a_wrong_rule_and_lists_it():
    good = OPS["sin"]
    wrong = Op(name="bad_sin", symbol="sin", arity=1, forward=good.forward,
               local=lambda xp, x, out, k: (-xp.cos(x),),  # sign error on purpose
               expr=good.expr, derivs=good.derivs)
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda a: apply(wrong, a), [Value(0.3, label="a")])
    assert "  a :" in str(info.value) and "différences centrées" in str(info.value)


def test_numerical_grad_on_arrays():
    class Node:  # a minimal node holding an array, as a Tensor does
        def __init__(self, data):
            self.data = data
    x = Node(np.array([1.0, 2.0, 3.0]))
    (g,) = numerical_grad(lambda n: float((n.data ** 2).sum()), [x])
    assert np.allclose(g, [2.0, 4.0, 6.0])


# ---------------------------------------------------------------- the checks are pure
def _snapshot(*roots):
    """(id, data, grad) of every node the roots reach, leaves included; arrays copied."""
    def copy(v):
        return v.copy() if isinstance(v, np.ndarray) else v
    seen = {}
    for root in roots:
        for node in topological_order(root):
            seen[id(node)] = (node, copy(node.data), copy(node.grad))
    return seen


def _assert_unchanged(before):
    for node, data, grad in before.values():
        now_data, now_grad = node.data, node.grad
        assert np.array_equal(now_data, data, equal_nan=True), f"{node!r}: data changed from {data!r}"
        if grad is None or now_grad is None:
            assert grad is None and now_grad is None, f"{node!r}: grad changed from {grad!r}"
        else:
            assert np.array_equal(now_grad, grad, equal_nan=True), f"{node!r}: grad changed from {grad!r}"


def _course(backward_calls):
    """The course's L = (w1·x + w2·y)², after 0, 1 or 2 backward() calls (leaves accumulate)."""
    w1, x, w2, y = Value(2.0, "w1"), Value(-1.5, "x"), Value(0.5, "w2"), Value(3.0, "y")
    L = (w1 * x + w2 * y) ** 2
    for _ in range(backward_calls):
        L.backward()
    # ∂L/∂w1 = 2c·x, ∂L/∂x = 2c·w1, ∂L/∂w2 = 2c·y, ∂L/∂y = 2c·w2 with c = −1.5
    f = lambda: (w1 * x + w2 * y) ** 2
    return L, [w1, x, w2, y], f, f, [4.5, -6.0, -9.0, -1.5]


def _shared_subgraph(backward_calls):
    """f reuses the user's intermediate node c: its grad (this pass's only) must survive too.

    Central differences cannot see through c (its data is fixed), so they get f rebuilt."""
    a, b = Value(0.7, "a"), Value(-0.4, "b")
    c = a * b
    root = (c + a).tanh()
    for _ in range(backward_calls):
        root.backward()
    # ∂(c·a)/∂a = c + a·b = 2ab, ∂(c·a)/∂b = a²
    return root, [a, b], lambda: c * a, lambda: (a * b) * a, [2 * 0.7 * -0.4, 0.7 ** 2]


def _tensor_graph(backward_calls):
    w = Tensor([[0.5, -1.0], [2.0, 0.3]], requires_grad=True, label="w")
    v = Tensor([1.5, -0.5], requires_grad=True, label="v")
    root = (w @ v).tanh().sum()
    for _ in range(backward_calls):
        root.backward()
    # ∂/∂v Σ (w @ v)² = 2·wᵀ(w @ v)
    f = lambda: ((w @ v) ** 2).sum()
    return root, [w, v], f, f, [2 * np.outer(w.data @ v.data, v.data), 2 * w.data.T @ (w.data @ v.data)]


GRAPHS = {"course": _course, "shared subgraph": _shared_subgraph, "tensor": _tensor_graph}


@pytest.mark.parametrize("backward_calls", [0, 1, 2])
@pytest.mark.parametrize("make", GRAPHS.values(), ids=GRAPHS.keys())
def test_checks_leave_the_users_graph_untouched_and_are_right(make, backward_calls):
    root, leaves, f, rebuilt, expected = make(backward_calls)
    before = _snapshot(root, f())
    assert_grad(f, leaves, expected)
    _assert_unchanged(before)
    assert_grad(root, leaves[0], _own_gradient(root, leaves[0]))   # the user's root itself
    _assert_unchanged(before)
    assert gradcheck(lambda *ls: rebuilt(), leaves, atol=1e-5, rtol=1e-4)
    _assert_unchanged(before)
    numeric = numerical_grad(lambda *ls: rebuilt(), leaves)
    _assert_unchanged(before)
    for got, want in zip(numeric, expected):
        assert np.allclose(got, want, atol=1e-5)


def _own_gradient(root, leaf):
    """∂root/∂leaf on a rebuilt copy of the graph (plain numbers in, nothing shared)."""
    copies = {}
    for node in topological_order(root):
        if not node.parents:
            data = node.data.copy() if isinstance(node.data, np.ndarray) else node.data
            copies[id(node)] = Tensor(data, requires_grad=True) if isinstance(node, Tensor) else Value(data)
        else:
            copies[id(node)] = (Tensor._apply if isinstance(node, Tensor) else apply)(
                node.fn, *(copies[id(p)] for p in node.parents), k=node.k)
    copies[id(root)].backward()
    return copies[id(leaf)].grad


def test_a_failing_check_leaves_the_graph_untouched_too():
    L, leaves, f, _, expected = _course(1)
    before = _snapshot(L)
    with pytest.raises(AssertionError):
        assert_grad(f, leaves, [0.0] * 4)
    _assert_unchanged(before)

    def broken(*ls):
        raise RuntimeError("f fails halfway")
    with pytest.raises(RuntimeError):
        numerical_grad(broken, leaves)
    _assert_unchanged(before)


def test_readme_order_assert_grad_then_the_diagram_shows_the_real_gradients():
    # The README's snippets in order: backward, then a check, then the numbers a diagram shows.
    L, (w1, x, w2, y), f, _, _ = _course(1)
    assert_grad(f, w1, 4.5)
    assert (w1.grad, x.grad, w2.grad, y.grad) == (4.5, -6.0, -9.0, -1.5)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_failure_names_the_node_both_values_and_explain(lang):
    w1, x = Value(2.0, "w1"), Value(-1.5, "x")
    with pytest.raises(AssertionError) as info:
        assert_grad(lambda: (w1 * x) ** 2, [x, w1], [2 * 2.0 * -3.0, 2 * -3.0], lang=lang)  # ∂/∂w1 forgot x
    message = str(info.value)
    # ∂L/∂w1 = 2·(w1·x)·x = 2·(−3)·(−1.5) = 9 ; the wrong hand value is −6
    assert "w1" in message and "9.0" in message and "-6.0" in message and "viz.explain(L, w1)" in message
    assert message.count("\n") == 3                      # x is right: only w1, its diagnosis and the hint
    named = {"fr": "gradient venu d'en haut seul", "en": "gradient from above alone"}[lang]
    assert named in message and "∂L/∂a · x = (−6) · (−1.5) = 9" in message   # the mistake and the chain rule
    other = {"fr": ["the engine", "hand derivation"], "en": ["le moteur", "à la main"]}[lang]
    assert not any(word in message for word in other)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_gradcheck_message_in_each_language(lang):
    good = OPS["sin"]
    wrong = Op(name="bad_sin", symbol="sin", arity=1, forward=good.forward,
               local=lambda xp, x, out, k: (-xp.cos(x),), expr=good.expr, derivs=good.derivs)
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda a: apply(wrong, a), [Value(0.3, label="a")], lang=lang)
    message = str(info.value)
    assert "  a" in message and repr(-math.cos(0.3)) in message
    assert ("différences centrées" in message) == (lang == "fr")
    assert ("numerical" in message) == (lang == "en")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_checks_messages_follow_the_language_switch(monkeypatch, lang):
    """No lang=: MICROGRADFR_LANG decides (French when unset), word for word what lang= gives."""
    def failure(**lang_arg):
        w1, x = Value(2.0, "w1"), Value(-1.5, "x")
        with pytest.raises(AssertionError) as info:
            assert_grad(lambda: (w1 * x) ** 2, w1, -6.0, **lang_arg)
        return str(info.value)
    asked = failure(lang=lang)
    monkeypatch.setenv("MICROGRADFR_LANG", lang)
    assert failure() == asked
    monkeypatch.delenv("MICROGRADFR_LANG")
    assert failure() == failure(lang="fr")
