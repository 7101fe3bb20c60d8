"""Value semantics: the node protocol, reuse, repeated backward, no_grad, deep graphs, bad input."""
import gc
import math
import sys

import pytest
from hypothesis import given, settings

from microgradfr import Value, i18n, no_grad
from microgradfr.autograd import topological_order
from microgradfr.engine import Value as EngineValue
from microgradfr.testing.strategies import graphs


def test_both_import_paths_give_the_same_class():
    assert Value is EngineValue


def test_leaf_protocol():
    v = Value(3, label="w")
    assert (v.data, v.grad, v.label, v.op, v.parents) == (3.0, 0.0, "w", "", ())
    assert isinstance(v.data, float)
    v.grad, v.label = 2.5, "w2"
    assert (v.grad, v.label) == (2.5, "w2")


def test_parents_are_ordered_and_repeat():
    x, y = Value(2.0), Value(5.0)
    assert (x * x).parents == (x, x)
    assert (y - x).parents == (y, x)
    assert (x ** 2).parents == (x,)          # a number exponent is a setting, not a parent
    assert (x ** 2).k == 2
    assert (x ** y).parents == (x, y)


def test_numbers_on_either_side_become_constant_leaves():
    x = Value(4.0)
    for expr, expected in [(x + 1, 5.0), (1 + x, 5.0), (x - 1, 3.0), (1 - x, -3.0),
                           (x * 2, 8.0), (2 * x, 8.0), (x / 2, 2.0), (2 / x, 0.5), (-x, -4.0),
                           (2 ** x, 16.0), (x ** 0.5, 2.0)]:
        assert expr.data == expected
        constants = [p for p in expr.parents if p is not x]
        assert all(p.parents == () for p in constants)


def test_op_display_names():
    x, y = Value(2.0), Value(3.0)
    assert [(x + y).op, (x - y).op, (x * y).op, (x / y).op, (x ** 2).op, x.tanh().op] == \
        ["+", "−", "×", "/", "**", "tanh"]


def test_micrograd_aliases():
    x, y = Value(2.0), Value(3.0)
    z = x * y
    assert z._prev == {x, y} and (x * x)._prev == {x}
    assert (x ** 2)._op == "**2" and z._op == "*" and x._op == ""
    with pytest.raises(AttributeError):
        z._prev = set()


def test_x_times_x():
    x = Value(3.0)
    y = x * x
    y.backward()
    assert x.grad == 6.0  # d(x²)/dx = 2x; micrograd's set of parents would give 3


def test_reused_node_sums_its_contributions():
    a = Value(2.0)
    b = a * 3          # used twice below
    c = b + b * a      # c = 3a + 3a² ; dc/da = 3 + 6a = 15
    c.backward()
    assert a.grad == 15.0
    assert b.grad == 1 + a.data  # dc/db = 1 + a


def test_second_backward_doubles_leaves_and_keeps_intermediates():
    w1, x, w2, y = Value(2.0), Value(-1.5), Value(0.5), Value(3.0)
    c = w1 * x + w2 * y
    L = c ** 2
    L.backward()
    first = (w1.grad, c.grad)
    L.backward()
    assert w1.grad == 2 * first[0]   # leaves accumulate, like PyTorch
    assert c.grad == first[1]        # intermediates hold this pass's gradient
    assert L.grad == 1.0


def test_backward_from_a_leaf_accumulates_one():
    x = Value(1.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def test_no_grad_records_nothing():
    x = Value(2.0)
    with no_grad():
        y = x * 3 + 1
    assert y.data == 7.0 and y.parents == () and y.op == ""
    z = x * 3
    assert z.parents != ()  # recording resumes after the block


def test_no_grad_restores_state_after_an_error():
    with pytest.raises(ZeroDivisionError):
        with no_grad():
            Value(1.0) / 0
    assert (Value(1.0) * 2).parents != ()


@pytest.mark.slow
def test_million_node_chain_backpropagates_without_recursion():
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + x
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(200)  # any recursion would fail loudly
    try:
        y.backward()
    finally:
        sys.setrecursionlimit(limit)
    assert x.grad == 1_000_001.0  # y = x + x + … (1,000,001 times)


def test_topological_order_puts_parents_first():
    a, b = Value(1.0), Value(2.0)
    c = a * b
    d = c + a
    order = topological_order(d)
    assert order[-1] is d
    pos = {id(n): i for i, n in enumerate(order)}
    for node in order:
        assert all(pos[id(p)] < pos[id(node)] for p in node.parents)
    assert len(order) == 4


def test_nodes_make_no_reference_cycles():
    gc.collect()
    gc.disable()
    try:
        x = Value(0.3)
        y = (x * x + x).tanh()
        y.backward()
        del x, y
        assert gc.collect() == 0, "a node kept itself alive through a cycle"
    finally:
        gc.enable()


# ------------------------------------------------------------------ bad input
@pytest.mark.parametrize("bad", ["3", [1.0], None, 1 + 2j, object()])
def test_value_rejects_non_numbers_naming_the_type(bad):
    with pytest.raises(TypeError, match=type(bad).__name__):
        Value(bad)


def test_value_of_a_value_is_refused():
    with i18n.language("en"):  # the English text; test_error_messages checks both
        with pytest.raises(TypeError, match="already a Value"):
            Value(Value(1.0))


@pytest.mark.parametrize("make, error, words", [
    (lambda: Value(0.0).log(), ValueError, ["log", "0.0"]),
    (lambda: Value(-2.0).log(), ValueError, ["log", "-2.0"]),
    (lambda: Value(-1.0).sqrt(), ValueError, ["sqrt", "-1.0"]),
    (lambda: Value(1.0) / 0, ZeroDivisionError, ["div", "1.0"]),
    (lambda: 1 / Value(0.0), ZeroDivisionError, ["div", "0"]),
    (lambda: Value(-8.0) ** 0.5, ValueError, ["pow", "-8.0", "0.5"]),
    (lambda: Value(-8.0) ** Value(1.5), ValueError, ["pow", "-8.0", "1.5"]),
    (lambda: Value(0.0) ** -1, ZeroDivisionError, ["pow", "0.0"]),
])
def test_domain_errors_name_the_op_and_value(make, error, words):
    with pytest.raises(error) as info:
        make()
    for word in words:
        assert word in str(info.value)


def test_overflow_names_the_op():
    with pytest.raises(OverflowError, match="pow"):
        Value(10.0) ** 400  # 10^400 > the largest float, about 1.8·10^308


def test_unsupported_operand_is_a_type_error():
    with pytest.raises(TypeError):
        Value(1.0) + "a"
    with pytest.raises(TypeError):
        Value(1.0) ** "a"


def test_negative_base_with_integer_exponent_is_fine():
    x = Value(-2.0)
    y = x ** 3
    y.backward()
    assert y.data == -8.0 and x.grad == 12.0  # 3x² = 12


def test_repr_mentions_data_and_grad():
    assert repr(Value(2.0, label="w")) == "Value(data=2.0, grad=0.0, label='w')"
    assert repr(Value(0.1) + 0.2) == "Value(data=0.30000000000000004, grad=0.0)"  # every digit, as micrograd
    assert math.isclose(Value(1.5).data, 1.5)


# ---------------------------------------------------------------- parents packed in two slots
class _Mirror:
    """A node following only the public protocol (``parents`` a tuple), as viz's tests draw."""

    def __init__(self, parents):
        self.parents = parents


def _mirror(root):
    """The same (small) graph as protocol-only nodes, and the map back to the Values."""
    made, back = {}, {}

    def copy(node):
        if id(node) not in made:
            made[id(node)] = _Mirror(tuple(copy(p) for p in node.parents))
            back[id(made[id(node)])] = node
        return made[id(node)]
    return copy(root), back


def _hand_and_fused_graph():
    from microgradfr.engine import linear
    a, b, c = Value(1.0), Value(2.0), Value(3.0)
    fused = linear([a, b], [c, a], b)  # 5 parents
    by_hand = Value(7.0, (fused, a.tanh(), c), "f")  # micrograd's node made by hand, 3 children
    return (by_hand * fused - a) ** 2 + (-by_hand)


@settings(deadline=None, max_examples=60)
@given(graphs(max_ops=12))
def test_the_packed_traversal_is_the_generic_one(root):
    mirror, back = _mirror(root)
    assert [back[id(n)] for n in topological_order(mirror)] == topological_order(root)


def test_the_packed_traversal_is_the_generic_one_with_many_parents():
    root = _hand_and_fused_graph()
    mirror, back = _mirror(root)
    assert [back[id(n)] for n in topological_order(mirror)] == topological_order(root)


@pytest.mark.parametrize("n", range(6))
def test_parents_read_back_as_set_whatever_their_number(n):
    node, parents = Value(0.0), tuple(Value(float(i)) for i in range(n))
    node.parents = parents
    assert node.parents == parents and all(p is q for p, q in zip(node.parents, parents))
    node.parents = [p for p in parents]  # any sequence, kept as a tuple
    assert node.parents == parents and isinstance(node.parents, tuple)
