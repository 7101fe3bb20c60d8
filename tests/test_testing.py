"""microgradfr.testing catches wrong gradients, and says where."""
import numpy as np
import pytest

from microgradfr import Value
from microgradfr.engine import apply
from microgradfr.ops import OPS, Op
from microgradfr.testing import gradcheck, numerical_grad


def test_gradcheck_passes_on_a_correct_graph():
    assert gradcheck(lambda a, b: (a * b + a.exp()).tanh(), [Value(0.2), Value(-0.7)])


def test_gradcheck_catches_a_wrong_rule_and_lists_it():
    good = OPS["sin"]
    wrong = Op(name="bad_sin", symbol="sin", arity=1, forward=good.forward,
               local=lambda xp, x, out, k: (-xp.cos(x),),  # sign error on purpose
               expr=good.expr, derivs=good.derivs)
    with pytest.raises(AssertionError) as info:
        gradcheck(lambda a: apply(wrong, a), [Value(0.3, label="a")])
    assert "a" in str(info.value) and "numerical" in str(info.value)


def test_numerical_grad_on_arrays():
    class Node:  # a minimal node holding an array, as a Tensor does
        def __init__(self, data):
            self.data = data
    x = Node(np.array([1.0, 2.0, 3.0]))
    (g,) = numerical_grad(lambda n: float((n.data ** 2).sum()), [x])
    assert np.allclose(g, [2.0, 4.0, 6.0])
