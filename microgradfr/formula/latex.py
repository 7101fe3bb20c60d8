"""The LaTeX printer (math mode): fractions, ``\\tanh^{2}(a)``, ``\\frac{\\partial L}{\\partial w_{1}}``."""
from __future__ import annotations

import re

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
    _juxtapose,
    _num_text,
    _operands,
    _raw,
    _wrap,
    substitute,
)

_LATEX_OPS = {"+": " + ", "-": " - ", "*": r" \cdot ", "@": " "}


def _latex_name(name: str) -> str:
    """``w1`` → ``w_{1}``, ``σ`` → ``\\sigma``, a long name in ``\\mathrm``."""
    found = re.fullmatch(r"([A-Za-z]+)_?(\d+|ᵢ)", name)
    base, index = (found.group(1), found.group(2)) if found else (name, "")
    greek = {"σ": r"\sigma", "μ": r"\mu", "ε": r"\varepsilon", "α": r"\alpha"}
    base = greek.get(base, base)
    if len(base) > 1 and not base.startswith("\\"):
        base = r"\mathrm{" + re.sub(r"([_#$%&{}])", r"\\\1", base) + "}"
    return f"{base}_{{{index.replace('ᵢ', 'i')}}}" if index else base


_TEXT_IN_LATEX = {"·": r"$\cdot$", "−": "-", "Σ": r"$\Sigma$", "⋆": r"$\star$", "ᵢ": r"$_i$", "ᵀ": r"$^\top$",
                  "²": r"$^2$", "√": r"$\surd$", "_": r"\_", "&": r"\&", "%": r"\%", "#": r"\#"}


def to_latex(tree: Expr, names: dict | None = None, lang: str | None = None) -> str:
    r"""The tree in LaTeX (math mode): fractions, ``\tanh^{2}(a)``, ``\frac{\partial L}{\partial w_{1}}``.

    Only the Tensor ops' prose (:class:`Raw`) has words, in ``lang``, inside ``\text{…}``.

    >>> from microgradfr.formula import D, Sym, gt, where, x
    >>> to_latex(D(Sym("L"), Sym("w1")))
    '\\frac{\\partial L}{\\partial w_{1}}'
    >>> to_latex(where(gt(x, 0), 1, 0))
    '\\begin{cases} 1 & x > 0 \\\\ 0 & x \\leq 0 \\end{cases}'
    """
    lang = i18n.resolve(lang)  # None: the language switch (French unless set)
    tree = substitute(tree, names)
    brace = (r"\left(", r"\right)")

    def show(n):
        if isinstance(n, Num):
            return _num_text(n, "-")
        if isinstance(n, Sym):
            return _latex_name(n.name)
        if isinstance(n, Raw):
            if n.latex:
                return _raw(n.latex, n.fill, show)
            prose = n.fr if lang == "fr" else n.en
            prose = "".join(_TEXT_IN_LATEX.get(c, c) for c in prose)
            return r"\text{" + _raw(prose, n.fill, lambda t: "$" + show(t) + "$") + "}"
        if isinstance(n, Neg):
            return "-" + _wrap(show(n.arg), n.arg, PRECEDENCE["*"], brace)
        if isinstance(n, Bin) and n.op == "/":
            return r"\frac{" + show(n.left) + "}{" + show(n.right) + "}"
        if isinstance(n, Bin) and n.op == "^":
            if isinstance(n.left, Call) and FUNCTIONS.get(n.left.fn, "-")[-1] in ("prefix", "paren"):
                return f"{FUNCTIONS[n.left.fn][1]}^{{{show(n.right)}}}({', '.join(map(show, n.left.args))})"
            return _wrap(show(n.left), n.left, PRECEDENCE["^"] + 1, brace) + "^{" + show(n.right) + "}"
        if isinstance(n, Bin):
            left, right = _operands(n, show, brace)
            return left + right if _juxtapose(n) else left + _LATEX_OPS[n.op] + right
        if isinstance(n, Call):
            own = r"\operatorname{" + n.fn.replace("_", r"\_") + "}"
            latex = FUNCTIONS[n.fn][1] if n.fn in FUNCTIONS else own
            args = ", ".join(map(show, n.args))
            style = FUNCTIONS.get(n.fn, "paren")[-1]
            return {"sqrt": r"\sqrt{" + args + "}", "abs": r"\left|" + args + r"\right|",
                    "postfix": "{" + args + "}" + latex}.get(style, latex + "(" + args + ")")
        if isinstance(n, Cmp):
            return f"{show(n.left)} {_CMP[n.op][1]} {show(n.right)}"
        if isinstance(n, Cond):
            c = n.cond
            other = Cmp({v[0]: key for key, v in _CMP.items()}[_CMP[c.op][2]], c.left, c.right) \
                if isinstance(c, Cmp) else None
            no = show(other) if other is not None else r"\lnot(" + show(c) + ")"
            return (r"\begin{cases} " + show(n.then) + " & " + show(c) + r" \\ " + show(n.otherwise)
                    + " & " + no + r" \end{cases}")
        if isinstance(n, D):
            of = _wrap(show(n.of), n.of, PRECEDENCE["atom"])
            return r"\frac{\partial " + of + r"}{\partial " + show(n.wrt) + "}"
        if isinstance(n, Chain):
            if len(n.factors) == 1:
                return show(n.factors[0])
            return r" \cdot ".join(_wrap(show(f), f, PRECEDENCE["*"], brace, after_op=True)
                                    for f in n.factors)
        if isinstance(n, Eq):
            return " = ".join(map(show, n.sides))
        raise TypeError(f"to_latex: not a formula node: {n!r:.60}")
    return show(tree)


