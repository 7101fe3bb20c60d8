"""``check_local_derivatives``: every node's local derivatives held against a central difference.

For each node ``out = op(x, y…)`` and each input, the local derivative the op's rule gives
(what ``backward()`` multiplies by) is compared with ``(op(x + ε) − op(x − ε)) / 2ε``, the op's own
forward pass nudged at that input alone. A custom op (:func:`microgradfr.define_op`) whose
derivative is wrong is found at the very node that uses it. Points where the op has a kink (ReLU
or |x| at 0) are skipped: there the two one-sided slopes disagree and no derivative exists.
Nothing of the graph changes: only the op's forward function is called, on copies of the numbers.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .. import i18n
from ..autograd import is_node, is_scalar, topological_order
from ..engine import scalar_local
from ..naming import node_names
from ..ops import SCALAR

__all__ = ["check_local_derivatives", "LocalMismatch"]

_TEXTS = {lang: texts["text"] for lang, texts in i18n.table("testing.local").items()}  # the catalogue's


@dataclass(frozen=True)
class LocalMismatch:
    """A node whose recorded local derivative for one input disagrees with a central difference."""

    node: object
    input_index: int
    recorded: float
    numerical: float
    name: str = ""
    input_name: str = ""

    def text(self, lang: str | None = None) -> str:
        """The mismatch in a sentence, in ``lang`` (None: the language switch)."""
        return _TEXTS[i18n.resolve(lang)].format(name=self.name, op=self.node.fn.name, input=self.input_name,
                                   recorded=self.recorded, numerical=self.numerical, index=self.input_index)

    def __str__(self) -> str:
        return self.text()


def check_local_derivatives(root, eps: float = 1e-6, rtol: float = 1e-4, atol: float = 1e-6) -> list:
    """The :class:`LocalMismatch` of every node of ``root``'s graph whose local derivative is off.

    A derivative passes when |recorded − numerical| ≤ atol + rtol·|numerical|.

    >>> import microgradfr
    >>> from microgradfr import Value
    >>> square = microgradfr.define_op("square_wrong", lambda x: x * x, lambda x, out: x)  # should be 2x
    >>> found = check_local_derivatives(square(Value(3.0, label="x")) + 1)
    >>> [(m.name, m.input_index, m.recorded, round(m.numerical, 4)) for m in found]
    [('a', 0, 3.0, 6.0)]
    """
    if not is_node(root):
        raise TypeError(f"check_local_derivatives(root): root must be a graph node (a Value), "
                        f"not {type(root).__name__}")
    order = topological_order(root)
    if not all(is_scalar(n) for n in order):
        raise TypeError("check_local_derivatives: written for graphs of Values; for a Tensor op, "
                        "use microgradfr.testing.gradcheck")
    names = node_names(order)
    found = []
    for node in order:
        if not node.parents or node.fn is None:  # a leaf, or a node with no op-table rule to check
            continue
        xs = [p.data for p in node.parents]
        recorded = scalar_local(node.fn, xs, node.data, node.k)
        for i, parent in enumerate(node.parents):
            numerical = _central(node, xs, i, eps)
            if numerical is None or _close(float(recorded[i]), numerical, rtol, atol):
                continue
            found.append(LocalMismatch(node, i, float(recorded[i]), numerical, names[id(node)],
                                       names[id(parent)]))
    return found


def _forward(node, xs):
    return float(node.fn.forward(SCALAR, *xs, node.k))


def _central(node, xs, i, eps):
    """(f(xᵢ + ε) − f(xᵢ − ε)) / 2ε, or None where it does not exist (a kink, an edge of the domain)."""
    def at(shift):
        moved = list(xs)
        moved[i] = xs[i] + shift
        return _forward(node, moved)
    try:
        up, here, down = at(eps), _forward(node, xs), at(-eps)
    except (ArithmeticError, ValueError):
        return None
    if not all(map(math.isfinite, (up, here, down))):
        return None
    right, left = (up - here) / eps, (here - down) / eps
    if not _close(right, left, 1e-3, 1e-4 + 10 * eps * max(abs(up), abs(down), 1.0)):
        return None  # the slopes on each side differ: no derivative here
    return (up - down) / (2 * eps)


def _close(a, b, rtol, atol) -> bool:
    return abs(a - b) <= atol + rtol * abs(b) or (math.isnan(a) and math.isnan(b))
