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

    Iterative depth-first search (no recursion, so a chain of a million nodes is fine);
    nodes are told apart by ``id`` so that equal values stay distinct.

    >>> from microgradfr import Value
    >>> x = Value(2.0, label="x"); y = x * x + x
    >>> [n.label or n.op for n in topological_order(y)]
    ['x', '×', '+']
    """
    order = []
    visited = {id(root)}
    stack = [(root, iter(root.parents))]
    while stack:
        node, parents = stack[-1]
        for parent in parents:
            if id(parent) not in visited:
                visited.add(id(parent))
                stack.append((parent, iter(parent.parents)))
                break
        else:  # every parent is placed: the node can follow them
            stack.pop()
            order.append(node)
    return order


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
