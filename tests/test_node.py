"""The one node protocol (microgradfr.autograd.Node): Value and Tensor follow it, nothing else does,
and is_scalar tells the two engines apart the same way for optim, training and viz."""
import typing

import numpy as np
import pytest

import viz.protocol
from microgradfr import Tensor, Value, functional, i18n, nn, optim, training
from microgradfr.autograd import Node, is_node, is_scalar, topological_order
from microgradfr.demo import course_graph

MEMBERS = {"data", "grad", "parents", "op", "label", "fn", "k"}


def scalar_nodes():
    """Every node of the course's graph, and every parameter of a small scalar MLP."""
    L, _ = course_graph()
    return topological_order(L) + list(nn.MLP(2, [3, 1]).parameters())


def tensor_nodes():
    """Leaves, 0-d results, op results and a layer's parameters."""
    x = Tensor([[1.0, -2.0]], requires_grad=True)
    out = functional.mse_loss(nn.Linear(2, 1)(x), Tensor([[0.5]]))
    return topological_order(out) + [Tensor(3.0), Tensor([1.0]).sum()] + list(nn.Linear(2, 3).parameters())


NOT_NODES = [2.0, 3, None, "x", np.array([1.0]), np.float64(2.0), [Value(1.0)], (Value(1.0),),
             {"data": 1.0}, nn.MLP(2, [1]), nn.Linear(2, 1)]


def test_the_protocol_names_what_the_docs_and_viz_promise():
    assert set(typing.get_type_hints(Node)) | {"op"} == MEMBERS
    assert viz.protocol.Node is Node and viz.protocol.is_scalar is is_scalar


@pytest.mark.parametrize("node", scalar_nodes() + tensor_nodes(), ids=repr)
def test_every_value_and_tensor_is_a_node(node):
    assert isinstance(node, Node) and is_node(node)
    assert all(hasattr(node, name) for name in MEMBERS)
    assert all(is_node(p) for p in node.parents)


@pytest.mark.parametrize("obj", NOT_NODES, ids=repr)
def test_other_objects_are_not_nodes(obj):
    assert not isinstance(obj, Node) and not is_node(obj)


@pytest.mark.parametrize("cls", [Value, Tensor, int])
def test_a_class_is_not_a_node(cls):
    assert not is_node(cls)
    assert is_node(cls(1.0)) == (cls is not int)  # and asking about the class did not spoil its instances


def test_a_class_with_the_members_is_a_node_without_inheriting():
    class Leaf:
        def __init__(self):
            self.data, self.grad, self.parents, self.label, self.fn, self.k = 1.0, 0.0, (), "", None, None

        op = ""

    assert is_node(Leaf()) and is_scalar(Leaf())


@pytest.mark.parametrize("node", scalar_nodes(), ids=repr)
def test_values_are_scalar(node):
    assert is_scalar(node)


@pytest.mark.parametrize("node", tensor_nodes(), ids=repr)
def test_tensors_are_not_scalar_even_with_one_entry(node):
    assert not is_scalar(node)


def test_optim_and_training_read_the_one_protocol():
    with i18n.language("en"):  # the English text; test_error_messages checks both
        assert optim.is_node is is_node
        model = nn.MLP(2, [1])
        assert training._model_dtype(model) is None and training._model_dtype(nn.Linear(2, 1)) is not None
        with pytest.raises(TypeError, match=r"params\[1\] is a float"):
            optim.SGD([Value(1.0), 2.0], lr=0.1)
