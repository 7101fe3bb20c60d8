"""How one node reads in a diagram: the single replaceable node formatter, and record escaping.

:func:`format_node` turns a node into the three fields of its record box (name | data | grad) and
says which state its gradient is in. ``draw_dot(formatter=...)`` accepts any function with the same
signature, which is how a Tensor graph can show shapes instead of numbers; the default already
does so for any array node (a Tensor).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .protocol import is_bad, is_scalar
from .text import number, text

__all__ = ["NodeView", "format_node", "escape_record", "escape_plain", "GRAD_STATES"]

GRAD_STATES = ("blank", "none", "zero", "bad", "value")
"""``blank``: exercise box; ``none``: not computed yet; ``zero``; ``bad``: NaN/inf; ``value``."""

BLANK_GRAD = "grad " + "\u00a0" * 12
"""An exercise box: the word grad and room to write the answer."""

SMALL = 6
"""Arrays with at most this many entries show every value; larger ones a summary."""


@dataclass(frozen=True)
class NodeView:
    """What a record box shows: its fields (unescaped text) and the state of its gradient."""

    name: str
    data: str
    grad: str
    state: str            # one of GRAD_STATES
    magnitude: float | None = None   # |grad| (or its norm) for shading; None when there is none
    data_bad: bool = False           # data is NaN/inf


def format_node(node, name: str, grad, *, precision: int = 4, lang: str | None = None,
                blank: bool = False, hide_data: bool = False) -> NodeView:
    """The record fields of ``node``: ``name | data … | grad …``.

    ``grad`` is the gradient to show (``None``: not computed yet), passed in so that the
    step-by-step player can show a pass half done. Nodes with a ``.shape`` (Tensors) show their
    shape and values when small, else min/mean/max, and the gradient's norm.

    >>> from microgradfr import Value
    >>> view = format_node(Value(2.0), "w1", 4.5)
    >>> view.name, view.data, view.grad, view.state
    ('w1', 'data 2', 'grad 4.5', 'value')
    >>> format_node(Value(2.0), "w1", None, lang="en").grad
    'grad: not computed'
    """
    shaped = not is_scalar(node)
    if hide_data:
        data = "data ?"
    else:
        data = _array_text(node.data, precision) if shaped else f"data {number(node.data, precision)}"
        if shaped:
            data = f"shape {tuple(node.shape)}\n{data}"
    data_bad = _any_bad(node.data)
    if blank:
        return NodeView(name, data, BLANK_GRAD, "blank", data_bad=data_bad)
    if grad is None:
        return NodeView(name, data, text(lang, "grad_not_computed"), "none", data_bad=data_bad)
    magnitude = _magnitude(grad)
    if _any_bad(grad):
        state = "bad"
    elif magnitude == 0:
        state = "zero"
    else:
        state = "value"
    if shaped:
        shown = _array_text(grad, precision, norm=True)
    else:
        shown = number(grad, precision)
    return NodeView(name, data, f"grad {shown}", state, magnitude, data_bad)


def _magnitude(grad) -> float:
    """|grad| for a number, the Euclidean norm ‖grad‖ for an array."""
    try:
        return abs(float(grad))
    except TypeError:
        return float(np.linalg.norm(np.asarray(grad, dtype=float)))


def _any_bad(v) -> bool:
    try:
        return is_bad(v)
    except (TypeError, ValueError):
        return False


GRID = 4
"""2-D arrays up to GRID × GRID are drawn as a grid, one row per line."""


def _array_text(values, precision: int, norm: bool = False) -> str:
    """The values of a small array: ``[1, 2.5]``, or a 2-D one row by row (``[1, 2]`` over
    ``[3, 4]``); for a larger one its norm ‖·‖ (gradients) or min/mean/max and norm (data)."""
    a = np.asarray(values, dtype=float)
    if a.ndim == 2 and a.shape[0] <= GRID and a.shape[1] <= GRID and a.size > 1:
        return "\n".join("[" + ", ".join(number(v, precision) for v in row) + "]" for row in a)
    if a.size <= SMALL:
        return "[" + ", ".join(number(v, precision) for v in a.ravel()) + "]"
    size = f"‖·‖ {number(float(np.linalg.norm(a)), precision)}"
    if norm:
        return size
    return (f"{size}\nmin {number(a.min(), precision)} mean {number(a.mean(), precision)} "
            f"max {number(a.max(), precision)}")


_RECORD_SPECIAL = {"\\": "\\\\", "{": "\\{", "}": "\\}", "|": "\\|", "<": "\\<", ">": "\\>",
                   '"': '\\"', "\n": "\\n", "\r": "", "\t": " "}


def escape_record(s: str) -> str:
    """Escape ``s`` for one field of a Graphviz record label.

    Braces, bars and angle brackets structure a record; quotes end the DOT string; backslashes
    start escapes; a newline becomes a line break. Accents need nothing (DOT is UTF-8).

    >>> print(escape_record('a|b {c} <d> "e" \\\\ é'))
    a\\|b \\{c\\} \\<d\\> \\"e\\" \\\\ é
    """
    escaped = "".join(_RECORD_SPECIAL.get(ch, ch) for ch in str(s))
    # Leading/trailing spaces vanish in records; a non-breaking space keeps an exercise box wide.
    return escaped if escaped.strip() else "\u00a0" * max(len(escaped), 1)


def escape_plain(s: str) -> str:
    r"""Escape ``s`` for an ordinary (non-record) DOT label: backslashes, quotes, newlines.

    >>> print(escape_plain('say "hi" \\ now'))
    say \"hi\" \\ now
    """
    return str(s).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
