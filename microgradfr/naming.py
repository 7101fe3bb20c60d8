"""The one naming scheme for a graph's nodes, shared by the checks (``microgradfr.testing``) and ``viz``.

A node's label if it has one; a constant's value; ``L`` for an unlabelled root (``f`` or ``out``
if a label took ``L``); every other unlabelled node a letter, ``a, b, c…`` in topological order,
skipping the letters labels already use. It lives in the core so that a check's message
(``microgradfr.testing``) and the diagram drawn next to it name each node the same way;
``viz.protocol`` re-exports it.
"""
from __future__ import annotations

from .autograd import is_scalar

__all__ = ["node_names", "local_names", "is_constant", "constant_name", "ROOT_NAMES"]

ROOT_NAMES = ("L", "f", "out")
"""An unlabelled root is called the first of these that no label uses."""


def is_constant(node) -> bool:
    """A plain number the engine wrapped as a leaf (``3`` in ``3 * t``): no gradient of its own."""
    return bool(getattr(node, "constant", False)) and not node.parents


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


def node_names(order, array_name=None) -> dict:
    """``id(node) -> name`` for every node of ``order`` (the topological order, root last).

    ``array_name(data)`` writes an array constant (a Tensor's plain array): ``viz`` passes its number
    format (``[3, 4]``); without it, an array constant gets a letter like any other node.

    >>> from microgradfr import Value
    >>> from microgradfr.autograd import topological_order
    >>> w1, x = Value(2.0, label="w1"), Value(-1.5, label="x")
    >>> L = (w1 * x + 1) ** 2
    >>> [node_names(topological_order(L))[id(n)] for n in topological_order(L)]
    ['w1', 'x', 'a', '1', 'b', 'L']
    """
    taken = {node.label for node in order if node.label}
    # a module's parameters are drawn by their short names (w1, b) inside its cluster: keep those free
    taken |= {part for node in order if node.label and "." in node.label for part in node.label.split(".")}
    names = {}
    if order and not order[-1].label:
        root = order[-1]
        names[id(root)] = next((n for n in ROOT_NAMES if n not in taken), None) or ""
        taken.add(names[id(root)])
    letters = (c for c in _letters() if c not in taken)
    for node in order:
        if node.label:
            names[id(node)] = node.label
        elif is_constant(node) and _size(node.data) == 1:
            names[id(node)] = constant_name(node.data if is_scalar(node) else node.data.item())
        elif is_constant(node) and array_name is not None:   # an array constant: its values, [3, 4]
            names[id(node)] = array_name(node.data)
        elif not names.get(id(node)):
            names[id(node)] = next(letters)
    return names


def _size(data) -> int:
    """How many entries ``data`` holds (1 for a number)."""
    return getattr(data, "size", 1)


def local_names(node, names: dict) -> dict:
    """The names to put in the op table's formulas for ``node``: x, y, out, k and all inputs.

    A constant input is put in as its number, so that ``3 * t`` reads ``3t``.

    >>> from microgradfr import Value
    >>> from microgradfr.autograd import topological_order
    >>> a = Value(1.0, label="a"); b = Value(2.0, label="b"); c = a + b; c.label = "c"
    >>> local_names(c, node_names(topological_order(c)))["y"]
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
