"""What every graph node shares: the one traversal, and the switch that stops recording.

A node is anything with ``parents`` (an ordered tuple of nodes, possibly repeated): Value,
Tensor, and the renderer in ``viz`` all walk the graph through :func:`topological_order`.
"""
from __future__ import annotations

from contextlib import contextmanager

__all__ = ["topological_order", "no_grad", "is_grad_enabled"]

_grad_enabled = True


def topological_order(root) -> list:
    """Every node ``root`` depends on, each after all of its parents; ``root`` comes last.

    Iterative depth-first search (no recursion, so a chain of a million nodes is fine), parents
    in order: the same order as the recursive one. Nodes are told apart by identity so that equal
    values stay distinct (see ``_ById``); a node is marked when it is expanded, not when it is
    pushed, so that a node reached again later is still placed after all of its parents.

    >>> from microgradfr import Value
    >>> x = Value(2.0, label="x"); y = x * x + x
    >>> [n.label or n.op for n in topological_order(y)]
    ['x', '×', '+']
    """
    # Value and Tensor hash by identity, so a set of the nodes themselves tells them apart, at
    # half the cost of a set of their ids on a million nodes; other node classes go by id.
    order = []
    visited = set() if type(root).__hash__ is _IDENTITY_HASH else _ById()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _PLACE:  # every parent of the node below is placed: place it
            order.append(stack.pop())
            continue
        if node in visited:
            continue
        visited.add(node)
        parents = node.parents
        if not parents:
            order.append(node)
            continue
        stack.append(node)
        stack.append(_PLACE)
        if len(parents) == 2:  # most nodes: pushed without a reversed copy of their parents
            stack.append(parents[1])
            stack.append(parents[0])
        else:
            stack.extend(parents[::-1])  # reversed, so that the first parent comes out first
    return order


# A marker on the stack: "place the node under me". The stack then holds only nodes, no
# per-node (node, iterator) pairs: on a chain of a million nodes those pairs all live at once
# and the garbage collector spent more time on them than the traversal itself.
_PLACE = object()
_IDENTITY_HASH = object.__hash__


class _ById:
    """A set of nodes told apart by ``id``, for node classes that compare (or hash) by value."""

    def __init__(self):
        self._ids = set()

    def __contains__(self, node) -> bool:
        return id(node) in self._ids

    def add(self, node) -> None:
        self._ids.add(id(node))


def is_grad_enabled() -> bool:
    """True unless inside a :func:`no_grad` block."""
    return _grad_enabled


@contextmanager
def no_grad():
    """Within this block, operations record no parents: their results are leaves.

    Use it to evaluate a model without building a graph (validation, parameter updates).

    >>> from microgradfr import Value
    >>> with no_grad():
    ...     y = Value(3.0) * 2
    >>> y.parents
    ()
    """
    global _grad_enabled
    previous, _grad_enabled = _grad_enabled, False
    try:
        yield
    finally:
        _grad_enabled = previous
