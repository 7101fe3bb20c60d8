"""What ``viz`` reads from a graph: the public node protocol and the op table, nothing else.

A node follows :class:`microgradfr.autograd.Node`: ``data``, ``grad``, ``label``, ``parents`` (ordered,
may repeat), ``op`` (display name), ``fn`` (its op table entry, ``None`` for a leaf) and ``k`` (the op's
setting). Value and Tensor both qualify; :func:`~microgradfr.autograd.is_scalar` tells them apart.
The one traversal is :func:`microgradfr.autograd.topological_order`.
"""
from __future__ import annotations

import math

from microgradfr.autograd import Node, is_node, is_scalar, topological_order
from microgradfr.engine import scalar_local

from .text import show

__all__ = ["Node", "is_node", "is_scalar", "topological_order", "is_constant", "node_names",
           "local_derivatives", "backward_done", "local_names", "ROOT_NAMES", "constant_name"]


def is_constant(node) -> bool:
    """A plain number the engine wrapped as a leaf (``3`` in ``3 * t``): drawn with its value only.

    The engine marks them (``Constant.constant = True``); any other leaf, labelled or not, is a
    variable with a gradient.
    """
    return getattr(node, "constant", False) and not node.parents


ROOT_NAMES = ("L", "f", "out")
"""An unlabelled root is called the first of these that no label uses."""


def constant_name(value) -> str:
    """A constant's name: its exact value (``3``, ``0.1``, ``-2.5``), so two different ones never share it.

    >>> constant_name(3.0), constant_name(0.1), constant_name(-1e-7)
    ('3', '0.1', '-1e-07')
    """
    v = float(value)
    return str(int(v)) if v.is_integer() and abs(v) < 1e15 else repr(v)


def _letters():
    """a, b, …, z, then a2, b2, …, z2, a3, …"""
    round_ = 1
    while True:
        for c in "abcdefghijklmnopqrstuvwxyz":
            yield c if round_ == 1 else f"{c}{round_}"
        round_ += 1


def _size(data) -> int:
    """How many entries ``data`` holds (1 for a number)."""
    return getattr(data, "size", 1)


def node_names(order) -> dict:
    """``id(node) -> name`` for every node: the one naming scheme of the API, CLI, diagrams and player.

    A node's label if it has one; a constant's value; ``L`` for an unlabelled root (``f`` or ``out``
    if a label took ``L``); every other unlabelled node a letter, ``a, b, c…`` in topological order,
    skipping the letters labels already use. ``order`` is the topological order, root last.

    >>> from microgradfr import Value
    >>> w1, x = Value(2.0, label="w1"), Value(-1.5, label="x")
    >>> L = (w1 * x + 1) ** 2
    >>> [node_names(topological_order(L))[id(n)] for n in topological_order(L)]
    ['w1', 'x', 'a', '1', 'b', 'L']
    """
    taken = {node.label for node in order if node.label}
    names = {}
    if order and not order[-1].label:
        root = order[-1]
        names[id(root)] = next((n for n in ROOT_NAMES if n not in taken), None) or ""
        taken.add(names[id(root)])
    letters = (c for c in _letters() if c not in taken)
    for node in order:
        if node.label:
            names[id(node)] = node.label
        elif is_constant(node):   # an array constant is written as its values: [3, 4]
            scalar = _size(node.data) == 1
            names[id(node)] = constant_name(node.data if is_scalar(node) else node.data.item()) if scalar \
                else show(node.data)
        elif not names.get(id(node)):
            names[id(node)] = next(letters)
    return names


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


def local_names(node, names: dict) -> dict:
    """The names to put in the op table's formulas for ``node``: x, y, out, k and all inputs.

    A constant input is put in as its number, so that ``3 * t`` reads ``3t``.

    >>> from microgradfr import Value
    >>> a = Value(1.0, label="a"); b = Value(2.0, label="b"); c = a + b; c.label = "c"
    >>> order = topological_order(c)
    >>> local_names(c, node_names(order))["y"]
    'b'
    """
    parents = [p.data if is_constant(p) and is_scalar(p) else names[id(p)] for p in node.parents]
    out = {"out": names[id(node)], "inputs": tuple(parents)}
    if parents:
        out["x"] = parents[0]
    if len(parents) > 1:
        out["y"] = parents[1]
    if isinstance(node.k, (int, float)) and not isinstance(node.k, bool) and not node.fn.fused:
        out["k"] = node.k
    return out


def is_bad(v) -> bool:
    """NaN or ±inf (a float, or an array holding one)."""
    try:
        return not math.isfinite(v)
    except TypeError:
        import numpy as np
        return bool(np.any(~np.isfinite(np.asarray(v, dtype=float))))
