"""The text printer: formulas as a student writes them, in French or English (only ``si … sinon …`` /
``if … else …`` differ)."""
from __future__ import annotations

from .. import i18n
from .tree import (
    _CMP,
    FUNCTIONS,
    PRECEDENCE,
    Bin,
    Call,
    Chain,
    Cmp,
    Cond,
    D,
    Eq,
    Expr,
    Neg,
    Num,
    Raw,
    Sym,
    _bare,
    _juxtapose,
    _num_text,
    _operands,
    _raw,
    _wrap,
    substitute,
)

_TEXT_OPS = {"+": " + ", "-": " − ", "*": "·", "/": "/", "@": " @ "}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def to_text(tree: Expr, lang: str | None = None, names: dict | None = None) -> str:
    """The tree as a student writes it; only a piecewise part has words (``si … sinon …``).

    >>> from microgradfr.formula import Chain, Num, gt, k, where, x, y
    >>> to_text(where(gt(x, 0), 1, k), "en", {"x": "a", "k": 0.01})
    '1 if a > 0 else 0.01'
    >>> to_text(Chain((Num(1), -x / y ** 2)), names={"x": "p", "y": "a"})
    '1 · (−p/a²)'
    """
    lang = i18n.resolve(lang)  # None: the language switch (French unless set)
    words = (i18n.message("formula.if", lang), i18n.message("formula.else", lang))
    tree = substitute(tree, names)

    def show(n):
        if isinstance(n, Num):
            return _num_text(n, "−")
        if isinstance(n, Sym):
            return n.name
        if isinstance(n, Raw):
            return _raw(n.fr if lang == "fr" else n.en, n.fill, show)
        if isinstance(n, Neg):
            return "−" + _wrap(show(n.arg), n.arg, PRECEDENCE["*"])
        if isinstance(n, Bin) and n.op == "^":
            return _power_text(n, show)
        if isinstance(n, Bin):
            left, right = _operands(n, show)
            if n.op in "*/@" and _bare(n.left):                 # tanh(a)·b, not tanh a·b
                left = _call_text(n.left, show, bare=False)
            return left + right if _juxtapose(n) else left + _TEXT_OPS[n.op] + right
        if isinstance(n, Call):
            return _call_text(n, show)
        if isinstance(n, Cmp):
            return f"{show(n.left)} {_CMP[n.op][0]} {show(n.right)}"
        if isinstance(n, Cond):
            then = _wrap(show(n.then), n.then, PRECEDENCE["cond"] + 1)
            return f"{then} {words[0]} {show(n.cond)} {words[1]} {show(n.otherwise)}"
        if isinstance(n, D):
            of = _wrap(show(n.of), n.of, PRECEDENCE["atom"])
            return f"∂{of}/∂{_wrap(show(n.wrt), n.wrt, PRECEDENCE['atom'])}"
        if isinstance(n, Chain) and len(n.factors) == 1:   # a chain of one factor is that factor
            return show(n.factors[0])
        if isinstance(n, Chain):
            return " · ".join(_wrap(show(f), f, PRECEDENCE["*"], after_op=True) for f in n.factors)
        if isinstance(n, Eq):
            # a side "1 if a > 0 else 0.1" between two = signs is put in parentheses: it reads as one value
            last = len(n.sides) - 1
            return " = ".join(_wrap(show(s), s, PRECEDENCE["cond"] + (_is_cond(s) and i < last))
                              for i, s in enumerate(n.sides))
        raise TypeError(f"to_text: not a formula node: {n!r:.60}")
    return show(tree)


def _is_cond(n) -> bool:
    """A conditional, alone or as a chain of one factor."""
    single = isinstance(n, Chain) and len(n.factors) == 1
    return isinstance(n, Cond) or single and isinstance(n.factors[0], Cond)


def _power_text(n, show):
    base, e = n.left, n.right
    sup = isinstance(e, Num) and float(e.value).is_integer() and abs(e.value) < 1e6
    exponent = str(int(e.value)).translate(_SUPERSCRIPT) if sup else None
    if sup and isinstance(base, Call) and FUNCTIONS.get(base.fn, "paren")[-1] in ("prefix", "paren") \
            and e.value > 0:
        name = FUNCTIONS[base.fn][0] if base.fn in FUNCTIONS else base.fn
        return f"{name}{exponent}({', '.join(map(show, base.args))})"
    b = _call_text(base, show, bare=False) if _bare(base) else _wrap(show(base), base, PRECEDENCE["^"] + 1)
    if sup:
        return b + exponent
    return f"{b}^{_wrap(show(e), e, PRECEDENCE['atom'], after_op=True)}"


def _call_text(n, show, bare=True):
    name, _, _, _, style = FUNCTIONS.get(n.fn, (n.fn, None, None, None, "paren"))
    args = [show(a) for a in n.args]
    first = n.args[0] if n.args else None
    plain = len(args) == 1 and (isinstance(first, Sym) or isinstance(first, Num) and first.value >= 0)
    if style == "abs":
        return f"|{args[0]}|"
    if style == "sqrt" or style == "postfix":
        a = args[0] if plain else f"({args[0]})"
        return f"√{a}" if style == "sqrt" else f"{a}{name}"
    if style == "prefix" and plain and bare:
        return f"{name} {args[0]}"
    return f"{name}({', '.join(args)})"


