"""The Python printer: a formula as an expression using ``math`` (for generated backward code)."""
from __future__ import annotations

import math

from .text import to_text
from .tree import (
    FUNCTIONS,
    PRECEDENCE,
    Bin,
    Call,
    Cmp,
    Cond,
    Expr,
    Neg,
    Num,
    Sym,
    _operands,
    _prec,
    _wrap,
    substitute,
)

_PY_OPS = {"+": " + ", "-": " - ", "*": " * ", "/": " / ", "^": " ** ", "@": " @ "}


def to_python(tree: Expr, names: dict | None = None) -> str:
    """The tree as a Python expression using ``math`` (names must be identifiers).

    >>> from microgradfr.formula import gt, k, sigmoid, where, x
    >>> to_python(where(gt(x, 0), 1, k) * sigmoid(x))
    '(1 if x > 0 else k) * (1 / (1 + math.exp(-x)))'
    """
    tree = substitute(tree, names)

    def show(n):
        if isinstance(n, Num):
            v = n.value
            if math.isfinite(v):
                return repr(v)
            return "math.nan" if math.isnan(v) else ("-" if v < 0 else "") + "math.inf"
        if isinstance(n, Sym):
            if not n.name.isidentifier():
                raise ValueError(f"to_python: {n.name!r} is not a Python name; "
                                 "pass names={...} to rename it")
            return n.name
        if isinstance(n, Neg):
            return "-" + _wrap(show(n.arg), n.arg, PRECEDENCE["*"])
        if isinstance(n, Bin):
            left, right = _operands(n, show)
            if n.op == "^" and _prec(n.left) <= PRECEDENCE["^"]:
                left = f"({show(n.left)})"
            return left + _PY_OPS[n.op] + right
        if isinstance(n, Call) and n.fn in FUNCTIONS:
            args = [_wrap(show(a), a, PRECEDENCE["atom"]) for a in n.args]
            return FUNCTIONS[n.fn][2].format(*args)
        if isinstance(n, Cmp):
            return f"{show(n.left)} {n.op} {show(n.right)}"
        if isinstance(n, Cond):
            then = _wrap(show(n.then), n.then, PRECEDENCE["cond"] + 1)
            return f"{then} if {show(n.cond)} else {show(n.otherwise)}"
        raise ValueError(f"to_python: {type(n).__name__} {to_text(n, 'en')!r} has no Python form")
    return show(tree)


