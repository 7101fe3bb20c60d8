"""What ``viz`` reads from a graph: the public node protocol and the op table, nothing else.

A node follows :class:`microgradfr.autograd.Node`: ``data``, ``grad``, ``label``, ``parents`` (ordered,
may repeat), ``op`` (display name), ``fn`` (its op table entry, ``None`` for a leaf) and ``k`` (the op's
setting). Value and Tensor both qualify; :func:`~microgradfr.autograd.is_scalar` tells them apart.
The one traversal is :func:`microgradfr.autograd.topological_order`.
"""
from __future__ import annotations

import math

import numpy as np

from microgradfr import naming
from microgradfr.autograd import Node, is_node, is_scalar, topological_order
from microgradfr.engine import scalar_local
from microgradfr.naming import ROOT_NAMES, constant_name, is_constant, local_names

from .text import show

__all__ = ["Node", "is_node", "is_scalar", "topological_order", "is_constant", "node_names",
           "local_derivatives", "backward_done", "step_done", "local_names", "ROOT_NAMES", "constant_name"]


def node_names(order) -> dict:
    """``id(node) -> name`` for every node: the one naming scheme of the API, CLI, diagrams and player.

    A node's label if it has one; a constant's value; ``L`` for an unlabelled root (``f`` or ``out``
    if a label took ``L``); every other unlabelled node a letter, ``a, b, c…`` in topological order,
    skipping the letters labels already use. ``order`` is the topological order, root last. The
    scheme itself is :func:`microgradfr.naming.node_names` (the checks of ``microgradfr.testing``
    name nodes with it too); an array constant is written here as its values (``[3, 4]``).

    >>> from microgradfr import Value
    >>> w1, x = Value(2.0, label="w1"), Value(-1.5, label="x")
    >>> L = (w1 * x + 1) ** 2
    >>> [node_names(topological_order(L))[id(n)] for n in topological_order(L)]
    ['w1', 'x', 'a', '1', 'b', 'L']
    """
    return naming.node_names(order, array_name=show)


def local_derivatives(node):
    """∂node/∂parent for each parent, from the op table (``fn.local``); ``None`` for arrays.

    >>> from microgradfr import Value
    >>> x, y = Value(3.0), Value(-2.0)
    >>> local_derivatives(x * y)
    (-2.0, 3.0)
    """
    if node.fn is None or not is_scalar(node) or not all(is_scalar(p) for p in node.parents):
        return None
    xs = [p.data for p in node.parents]
    # the engine's reading: inf, not a ZeroDivisionError, for √x at 0
    return tuple(float(v) for v in scalar_local(node.fn, xs, node.data, node.k))


def backward_done(root) -> bool:
    """Has a backward pass reached ``root``? Before one, Value.grad is 0.0 and Tensor.grad None.

    The root's gradient is seeded with 1 by ``backward()``, so a root gradient of 0 (or None)
    means no backward pass has run on this graph yet.
    """
    g = root.grad
    if g is None:
        return False
    try:
        return bool(g != 0) if is_scalar(root) else True
    except (TypeError, ValueError):
        return True


def step_done(node, root) -> bool:
    """Has ``node``'s backward step run, so that its edges carry what they added to its parents?

    A Value records it (``backward()`` marks every node it steps, ``node._backward()`` by hand
    marks that node): between hand steps a diagram shows only the edges stepped so far. Other
    nodes (Tensor) are done once a backward pass has reached the root.

    >>> from microgradfr import Value
    >>> a, b = Value(2.0), Value(3.0); c = a * b; d = c + 1.0
    >>> d.grad = 1.0; d._backward()  # by hand: d's step, not yet c's
    >>> step_done(d, d), step_done(c, d)
    (True, False)
    """
    if hasattr(type(node), "_stepped"):
        return getattr(node, "_stepped", False)
    return backward_done(root)


def is_bad(v) -> bool:
    """NaN or ±inf (a float, or an array holding one)."""
    try:
        return not math.isfinite(v)
    except TypeError:
        return bool(np.any(~np.isfinite(np.asarray(v, dtype=float))))
