"""The operators Value and Tensor build from node_methods' one table: each applies its entry, in its order."""
import operator

import numpy as np
import pytest

from microgradfr import Tensor, Value, no_grad
from microgradfr.node_methods import MATRIX_OPERATORS, OPERATORS, record
from microgradfr.ops import ARRAY, OPS, SCALAR

ENGINES = {
    "value": (Value, SCALAR, lambda: (Value(1.5, label="x"), Value(0.5, label="y"))),
    "tensor": (Tensor, ARRAY, lambda: (Tensor([[1.5, 0.5], [2.0, 1.0]], requires_grad=True),
                                       Tensor([[0.5, 2.0], [1.0, 3.0]], requires_grad=True))),
}
CASES = [(engine, row) for engine in ENGINES
         for row in OPERATORS + (MATRIX_OPERATORS if engine == "tensor" else ())]


@pytest.mark.parametrize("engine, row", CASES, ids=[f"{e}-{row[0]}" for e, row in CASES])
def test_each_operator_applies_its_entry_to_its_inputs_in_order(engine, row):
    name, op_name, reflected = row
    cls, xp, make = ENGINES[engine]
    x, y = make()
    out = getattr(x, name)(y)
    first, second = (y, x) if reflected else (x, y)
    assert type(out) is cls and out.fn is OPS[op_name] and out.k is None
    assert out.parents[0] is first and out.parents[1] is second
    np.testing.assert_allclose(out.data, OPS[op_name].forward(xp, first.data, second.data, None))
    assert out.op == OPS[op_name].symbol


@pytest.mark.parametrize("engine, row", CASES, ids=[f"{e}-{row[0]}" for e, row in CASES])
def test_each_operator_computes_what_python_means_by_it(engine, row):
    """Held to Python's own operators on the raw numbers, not to the table: a wrong row fails here."""
    name, _, reflected = row
    x, y = ENGINES[engine][2]()
    python_name = "pow" if name == "_pow_xy" else name.strip("_").removeprefix("r" if reflected else "")
    function = getattr(operator, python_name)
    if reflected:  # 0.5 - x (or array - x) calls x.__rsub__
        out, expected = function(y.data, x), function(y.data, x.data)
    else:
        out, expected = (x ** y if name == "_pow_xy" else function(x, y)), function(x.data, y.data)
    np.testing.assert_allclose(out.data, expected)


@pytest.mark.parametrize("row", OPERATORS, ids=[row[0] for row in OPERATORS])
@pytest.mark.parametrize("engine", ENGINES)
def test_a_number_operand_becomes_a_constant_leaf_on_its_side(engine, row):
    name, op_name, reflected = row
    x, _ = ENGINES[engine][2]()
    out = getattr(x, name)(2.0)
    constant = out.parents[0 if reflected else 1]
    assert out.parents[1 if reflected else 0] is x
    assert getattr(constant, "constant", False) and not constant.parents and np.all(constant.data == 2.0)


@pytest.mark.parametrize("engine", ENGINES)
def test_neg_and_power_read_their_entries(engine):
    x, y = ENGINES[engine][2]()
    assert (-x).fn is OPS["neg"] and (-x).parents == (x,)
    for k in (2, 0.5, np.float64(3.0)):
        power = x ** k
        assert power.fn is OPS["pow"] and power.k == k and power.parents == (x,)
    assert (x ** y).fn is OPS["pow_xy"] and (x ** y).parents == (x, y)


@pytest.mark.parametrize("engine", ENGINES)
def test_every_operator_makes_a_leaf_inside_no_grad(engine):
    x, y = ENGINES[engine][2]()
    names = [row[0] for row in OPERATORS + (MATRIX_OPERATORS if engine == "tensor" else ())]
    with no_grad():
        results = [getattr(x, name)(y) for name in names] + [-x, x ** 2, x.tanh()]
    for out in results:
        assert out.parents == () and out.fn is None and out.k is None and out.op == ""
        with pytest.raises(RuntimeError, match="no_grad"):
            out.backward()


def test_op_is_a_leafs_empty_name_and_micrograds_name_for_a_node_made_by_hand():
    a, b = Value(2.0), Value(3.0)
    assert a.op == "" and Tensor([1.0]).op == ""
    assert Value(5.0, (a, b), "+").op == "+"


class _Out:
    parents, fn, k = "unset", "unset", "unset"


@pytest.mark.parametrize("mode, needed, records", [(True, True, True), (True, False, False),
                                                   (False, True, False), (False, False, False)])
def test_record_records_only_when_grad_mode_is_on_and_the_caller_needs_it(mode, needed, records):
    out, parents = _Out(), (Value(1.0),)
    if mode:
        recorded = record(out, OPS["neg"], parents, 7, needed=needed)
    else:
        with no_grad():
            recorded = record(out, OPS["neg"], parents, 7, needed=needed)
    assert recorded is records
    expected = (parents, OPS["neg"], 7) if records else ((), None, None)
    assert (out.parents, out.fn, out.k) == expected
