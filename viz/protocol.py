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

__all__ = ["Node", "is_node", "is_scalar", "topological_order", "is_constant", "node_names",
           "local_derivatives", "backward_done", "local_names"]


def is_constant(node) -> bool:
    """A plain number the engine wrapped as a leaf: no parents, no label (``2`` in ``2 * x``)."""
    return not node.parents and not node.label and is_scalar(node)


def node_names(order) -> dict:
    """``id(node) -> name`` for every node: its label, a constant's value, else ``v1``, ``v2``, …

    Generated names follow the topological order and skip names already taken by labels, so
    that an explanation and its diagram name the same node the same way.

    >>> from microgradfr import Value
    >>> x = Value(3.0, label="x"); y = (x * 2).tanh()
    >>> sorted(node_names(topological_order(y)).values())
    ['2', 'v1', 'v2', 'x']
    """
    from .text import number

    taken = {node.label for node in order if node.label}
    names, counter = {}, 0
    for node in order:
        if node.label:
            names[id(node)] = node.label
        elif is_constant(node):
            names[id(node)] = number(node.data)
        else:
            counter += 1
            while f"v{counter}" in taken:
                counter += 1
            names[id(node)] = f"v{counter}"
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

    >>> from microgradfr import Value
    >>> a = Value(1.0, label="a"); b = Value(2.0, label="b"); c = a + b; c.label = "c"
    >>> order = topological_order(c)
    >>> local_names(c, node_names(order))["y"]
    'b'
    """
    parents = [names[id(p)] for p in node.parents]
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
