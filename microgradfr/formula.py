"""Formulas as data: a small expression tree and its printers (text fr/en, LaTeX, Python) and evaluator.

The op table (``ops.py``) writes each op and each local derivative as a tree; ``viz``, the CLI, the
slides and the generated backward code all print from the same trees, and parentheses come only from
the one precedence table :data:`PRECEDENCE`, never from string tricks.

Public API (stable; other modules build on it):

- nodes (frozen dataclasses, compared by value): ``Num(value, digits=None)`` (``digits``: shown
  rounded to that many decimals, as viz shows gradients; ``None``: exactly), ``Sym(name)`` (a
  placeholder ``x y z out k g`` or a node's name), ``Neg(arg)``, ``Bin(op, left, right)`` with ``op``
  one of ``+ - * / ^ @``, ``Call(fn, args)`` (``fn`` a key of :data:`FUNCTIONS`: ``exp ln sin cos tanh
  sigmoid sqrt abs sign relu leaky_relu elu sum T``; another name prints as itself and is not
  evaluable), ``Cmp(op, left, right)`` with ``op`` one of ``> < >= <= == !=``, ``Cond(then, cond,
  otherwise)``, ``D(of, wrt)`` (∂of/∂wrt), ``Chain(factors)`` (a product written ``a · b · c``),
  ``Eq(sides)`` (``a = b = c``), ``Raw(fr, en, latex="")`` (prose with ``{x}`` placeholders, for the
  Tensor ops' vector-Jacobian products: printable, not evaluable);
- building: Python operators on nodes (``1 - tanh(x) ** 2``, ``x @ y``), ``call(fn, *args)``,
  ``gt(a, b)``, ``where(cond, then, otherwise)``, ``lift(v)`` (number → Num, str → Sym), the
  placeholders ``x, y, out, k, g`` and the shortcuts ``exp, ln, sqrt, tanh, sigmoid``;
- ``substitute(tree, names, fold=True)``: placeholders → names (str), numbers or trees, all at once,
  then ``simplify(tree)`` (2 − 1 → 1, c¹ → c, 1·a → a) unless ``fold=False``;
- printers ``to_text(tree, lang="fr", names=None)``, ``to_latex(tree, names=None, lang="fr")``,
  ``to_python(tree, names=None)`` (uses ``math.``; names must be identifiers) and the evaluator
  ``evaluate(tree, env)`` (``env``: name → number); each substitutes ``names`` first;
- :data:`PRECEDENCE`, the one table that decides every parenthesis.

The op table's entries hold these trees (``Op.expr``, ``Op.derivs``) and give them with the nodes'
names put in (``Op.expression_tree``, ``Op.deriv_tree``, ``Op.formula_tree``); see ``ops.py``.

>>> from microgradfr.formula import x, y, tanh, to_text, to_latex, to_python, evaluate
>>> d = 1 - tanh(x) ** 2
>>> to_text(Chain((Num(1), d)), names={"x": "v1"})
'1 · (1 − tanh²(v1))'
>>> to_latex(d, names={"x": "w1"}), to_python(-x / y ** 2)
('1 - \\\\tanh^{2}(w_{1})', '-x / y ** 2')
>>> evaluate(x * y + 1, {"x": 2.0, "y": 3.0})
7.0
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Expr", "Num", "Sym", "Neg", "Bin", "Call", "Cmp", "Cond", "D", "Chain", "Eq", "Raw",
           "PRECEDENCE", "FUNCTIONS", "call", "gt", "where", "lift", "substitute", "simplify",
           "to_text", "to_latex", "to_python", "evaluate", "x", "y", "out", "k", "g",
           "exp", "ln", "sqrt", "tanh", "sigmoid"]

PRECEDENCE = {"eq": 0, "cond": 1, "cmp": 2, "+": 3, "-": 3, "neg": 4, "*": 5, "/": 5, "@": 5,
              "chain": 5, "^": 7, "call": 8, "atom": 9}
"""How tightly each kind of node binds. A unary minus sits between + and ·: ``−a·b`` needs no
parentheses, ``1·(−a)`` does."""


class Expr:
    """Base of the tree nodes: Python operators build trees (``x * y``, ``1 - tanh(x) ** 2``)."""

    __slots__ = ()

    def __add__(self, o): return Bin("+", self, lift(o))
    def __radd__(self, o): return Bin("+", lift(o), self)
    def __sub__(self, o): return Bin("-", self, lift(o))
    def __rsub__(self, o): return Bin("-", lift(o), self)
    def __mul__(self, o): return Bin("*", self, lift(o))
    def __rmul__(self, o): return Bin("*", lift(o), self)
    def __truediv__(self, o): return Bin("/", self, lift(o))
    def __rtruediv__(self, o): return Bin("/", lift(o), self)
    def __pow__(self, o): return Bin("^", self, lift(o))
    def __rpow__(self, o): return Bin("^", lift(o), self)
    def __matmul__(self, o): return Bin("@", self, lift(o))
    def __neg__(self): return Neg(self)

    def __str__(self):
        return to_text(self)


def _node(cls):
    return dataclass(frozen=True)(cls)


@_node
class Num(Expr):
    value: float
    digits: int | None = None   # shown rounded to this many decimals (None: exactly)


@_node
class Sym(Expr):
    name: str


@_node
class Neg(Expr):
    arg: Expr


@_node
class Bin(Expr):
    op: str        # one of + - * / ^ @
    left: Expr
    right: Expr


@_node
class Call(Expr):
    fn: str        # a key of FUNCTIONS (another name prints as itself and cannot be evaluated)
    args: tuple


@_node
class Cmp(Expr):
    op: str        # one of > < >= <= == !=
    left: Expr
    right: Expr


@_node
class Cond(Expr):
    then: Expr
    cond: Expr
    otherwise: Expr


@_node
class D(Expr):
    of: Expr
    wrt: Expr


@_node
class Chain(Expr):
    factors: tuple


@_node
class Eq(Expr):
    sides: tuple


@_node
class Raw(Expr):
    fr: str        # text with {x}-style placeholders
    en: str
    latex: str = ""  # its LaTeX, if it has one (else the English text in \\text{…})


def lift(v) -> Expr:
    """A tree as is, a number as :class:`Num`, a string as :class:`Sym`."""
    if isinstance(v, Expr):
        return v
    if isinstance(v, str):
        return Sym(v)
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return Num(v)
    raise TypeError(f"formula: cannot use {type(v).__name__} {v!r:.40} in a formula")


def call(fn: str, *args) -> Call:
    return Call(fn, tuple(map(lift, args)))


def gt(a, b) -> Cmp:
    return Cmp(">", lift(a), lift(b))


def where(cond, then, otherwise) -> Cond:
    return Cond(lift(then), cond, lift(otherwise))


x, y, out, k, g = (Sym(s) for s in ("x", "y", "out", "k", "g"))
exp, ln, sqrt, tanh, sigmoid = (lambda a, f=f: call(f, a) for f in ("exp", "ln", "sqrt", "tanh", "sigmoid"))


def _sigmoid(v):
    return 1 / (1 + math.exp(-v)) if v >= 0 else math.exp(v) / (1 + math.exp(v))


# name: (text, LaTeX, Python template on atom-level arguments, evaluator, text style)
# style "prefix": ``tanh a`` for a plain argument, ``tanh(a + b)`` otherwise; "paren": always f(…).
FUNCTIONS = {
    "exp": ("exp", r"\exp", "math.exp({0})", math.exp, "paren"),
    "ln": ("ln", r"\ln", "math.log({0})", math.log, "prefix"),
    "sin": ("sin", r"\sin", "math.sin({0})", math.sin, "prefix"),
    "cos": ("cos", r"\cos", "math.cos({0})", math.cos, "prefix"),
    "tanh": ("tanh", r"\tanh", "math.tanh({0})", math.tanh, "prefix"),
    "sigmoid": ("σ", r"\sigma", "(1 / (1 + math.exp(-{0})))", _sigmoid, "paren"),
    "sqrt": ("√", r"\sqrt", "math.sqrt({0})", math.sqrt, "sqrt"),
    "abs": ("|", r"\left|", "abs({0})", abs, "abs"),
    "sign": ("sign", r"\operatorname{sign}", "(({0} > 0) - ({0} < 0))", lambda v: (v > 0) - (v < 0), "paren"),
    "relu": ("ReLU", r"\operatorname{ReLU}", "max({0}, 0.0)", lambda v: max(v, 0.0), "paren"),
    "leaky_relu": ("LeakyReLU", r"\operatorname{LeakyReLU}", "({0} if {0} > 0 else {1} * {0})",
                   lambda v, s: v if v > 0 else s * v, "paren"),
    "elu": ("ELU", r"\operatorname{ELU}", "({0} if {0} > 0 else {1} * math.expm1({0}))",
            lambda v, s: v if v > 0 else s * math.expm1(v), "paren"),
    "sum": ("Σ", r"\sum", "sum({0})", None, "prefix"),
    "T": ("ᵀ", r"^{\top}", "{0}.T", None, "postfix"),
}

_TEXT_OPS = {"+": " + ", "-": " − ", "*": "·", "/": "/", "@": " @ "}
_LATEX_OPS = {"+": " + ", "-": " - ", "*": r" \cdot ", "@": " "}
_CMP = {">": (">", ">", "≤"), "<": ("<", "<", "≥"), ">=": ("≥", r"\geq", "<"), "<=": ("≤", r"\leq", ">"),
        "==": ("=", "=", "≠"), "!=": ("≠", r"\neq", "=")}
_WORDS = {"fr": ("si", "sinon"), "en": ("if", "else")}
_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


# --------------------------------------------------------------------------- substitution
def _map(node, f):
    """The node with ``f`` applied to each child."""
    if isinstance(node, Neg):
        return Neg(f(node.arg))
    if isinstance(node, (Bin, Cmp)):
        return type(node)(node.op, f(node.left), f(node.right))
    if isinstance(node, Call):
        return Call(node.fn, tuple(map(f, node.args)))
    if isinstance(node, Cond):
        return Cond(f(node.then), f(node.cond), f(node.otherwise))
    if isinstance(node, D):
        return D(f(node.of), f(node.wrt))
    if isinstance(node, (Chain, Eq)):
        return type(node)(tuple(map(f, node.factors if isinstance(node, Chain) else node.sides)))
    return node


def substitute(tree: Expr, names: dict | None, fold: bool = True) -> Expr:
    """Put names, numbers or trees in place of the placeholders, all at once, then :func:`simplify`
    (unless ``fold=False``: an op's own notation keeps ``b·1`` as written).

    >>> to_text(substitute(k * x ** (k - 1), {"x": "c", "k": 2}))
    '2c'
    """
    if not names:
        return tree
    table = {key: lift(v) for key, v in names.items() if isinstance(v, (Expr, str, int, float))}

    def sub(node):
        if isinstance(node, Sym):
            return table.get(node.name, node)
        if isinstance(node, Raw):
            fill, latex = _Keep((key, to_text(v)) for key, v in table.items()), _Keep(
                (key, to_latex(v)) for key, v in table.items())
            return Raw(node.fr.format_map(fill), node.en.format_map(fill), node.latex.format_map(latex))
        return _map(node, sub)
    return simplify(sub(tree)) if fold else sub(tree)


class _Keep(dict):
    def __missing__(self, key):
        return "{" + key + "}"


def simplify(tree: Expr) -> Expr:
    """Fold what a substitution leaves behind: 2 − 1 → 1, c¹ → c, c⁰ → 1, 1·a → a, (−1)·a → −a, 0·a → 0."""
    node = _map(tree, simplify)
    if isinstance(node, Neg) and isinstance(node.arg, Num):
        return Num(-node.arg.value)
    if not isinstance(node, Bin):
        return node
    a, b, op = node.left, node.right, node.op
    if isinstance(a, Num) and isinstance(b, Num) and op in "+-*":
        return Num({"+": a.value + b.value, "-": a.value - b.value, "*": a.value * b.value}[op])
    if op == "^" and b == Num(1) or op == "*" and b == Num(1) or op == "/" and b == Num(1):
        return a
    if op == "^" and b == Num(0):
        return Num(1)
    if op == "*" and isinstance(a, Num):
        return b if a.value == 1 else Neg(b) if a.value == -1 else Num(0) if a.value == 0 else node
    return node


# --------------------------------------------------------------------------- text
def _num_text(n: Num, minus: str) -> str:
    v = n.value
    if math.isnan(v):
        return "NaN"
    if n.digits is not None and math.isfinite(v):
        if v != 0 and not 10 ** -n.digits <= abs(v) < 1e7:   # tiny or huge: never shown as 0
            mantissa, power = f"{v:.{max(n.digits - 1, 1)}e}".split("e")
            text = mantissa.rstrip("0").rstrip(".") + "e" + power
        else:
            text = f"{v:.{n.digits}f}".rstrip("0").rstrip(".")
            text = "0" if text in ("-0", "") else text
    elif float(v).is_integer() and abs(v) < 1e15:
        text = str(int(v))
    else:
        text = repr(float(v))
    return text.replace("-", minus)


def _raw(text: str) -> str:
    """A prose text with its unfilled placeholders shown as themselves: ``{x}`` → ``x``."""
    return re.sub(r"\{(x|y|z|out|k|g)\}", r"\1", text)


def _prec(node) -> int:
    if isinstance(node, Chain) and len(node.factors) == 1:
        return _prec(node.factors[0])
    if isinstance(node, Num):
        return PRECEDENCE["neg"] if node.value < 0 else PRECEDENCE["atom"]
    if isinstance(node, Neg):
        return PRECEDENCE["neg"]
    if isinstance(node, Bin):
        return PRECEDENCE[node.op]
    if isinstance(node, Call):
        postfix = FUNCTIONS.get(node.fn, "paren")[-1] in ("sqrt", "postfix")   # √a², aᵀ² would misread
        return PRECEDENCE["^"] if postfix else PRECEDENCE["call"]
    kind = {Cmp: "cmp", Cond: "cond", Chain: "chain", Eq: "eq", Raw: "cond"}.get(type(node), "atom")
    return PRECEDENCE[kind]


def _negative(node) -> bool:
    """A node whose text starts with a minus sign (it needs parentheses after another operator)."""
    if isinstance(node, Chain) and len(node.factors) == 1:
        return _negative(node.factors[0])
    return isinstance(node, Neg) or isinstance(node, Num) and node.value < 0 or \
        isinstance(node, Bin) and node.op in "*/^@" and _negative(node.left)


def _wrap(s: str, node, at_least: int, paren=("(", ")"), after_op=False) -> str:
    if _prec(node) < at_least or (after_op and _negative(node)):
        return f"{paren[0]}{s}{paren[1]}"
    return s


def _operands(node, show, paren=("(", ")")):
    """Left and right operands of a binary node, parenthesised as its precedence requires."""
    p = PRECEDENCE[node.op]
    left_at = p + 1 if node.op == "^" else PRECEDENCE["neg"] if node.op in "*/@" else p  # −a·b = (−a)·b
    left = _wrap(show(node.left), node.left, left_at, paren)
    strict = node.op in "-/^"
    right = _wrap(show(node.right), node.right, p + 1 if strict else p, paren, after_op=True)
    return left, right


def _juxtapose(node) -> bool:
    """``2c``, ``3x²``, ``2√a``: a plain number times a name, call or power reads without a dot."""
    a, b = node.left, node.right
    head = b.left if isinstance(b, Bin) and b.op == "^" else b
    name = head.name if isinstance(head, Sym) else ""
    return (node.op == "*" and isinstance(a, Num) and a.value >= 0 and a.digits is None
            and (isinstance(head, Call) and head.fn in ("sqrt", "sigmoid")
                 or name[:1].isalpha() and not re.match(r"[eE]\d", name)))   # 2e1 would read as 20


def _bare(node) -> bool:
    """A call written without parentheses (``tanh a``): followed by ``·b`` or ``²`` it would misread."""
    return isinstance(node, Call) and FUNCTIONS.get(node.fn, "-")[-1] == "prefix" and len(node.args) == 1 \
        and (isinstance(node.args[0], Sym) or isinstance(node.args[0], Num) and node.args[0].value >= 0)


def to_text(tree: Expr, lang: str = "fr", names: dict | None = None) -> str:
    """The tree as a student writes it; only a piecewise part has words (``si … sinon …``).

    >>> to_text(where(gt(x, 0), 1, k), "en", {"x": "a", "k": 0.01})
    '1 if a > 0 else 0.01'
    >>> to_text(Chain((Num(1), -x / y ** 2)), names={"x": "p", "y": "a"})
    '1 · (−p/a²)'
    """
    words = _WORDS.get(lang)
    if words is None:
        raise ValueError(f"lang={lang!r} is not available; choose 'fr' or 'en'")
    tree = substitute(tree, names)

    def show(n):
        if isinstance(n, Num):
            return _num_text(n, "−")
        if isinstance(n, Sym):
            return n.name
        if isinstance(n, Raw):
            return _raw(n.fr if lang == "fr" else n.en)
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
            return " = ".join(_wrap(show(s), s, PRECEDENCE["cond"]) for s in n.sides)
        raise TypeError(f"to_text: not a formula node: {n!r:.60}")
    return show(tree)


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


# --------------------------------------------------------------------------- LaTeX
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


def to_latex(tree: Expr, names: dict | None = None, lang: str = "fr") -> str:
    r"""The tree in LaTeX (math mode): fractions, ``\tanh^{2}(a)``, ``\frac{\partial L}{\partial w_{1}}``.

    Only the Tensor ops' prose (:class:`Raw`) has words, in ``lang``, inside ``\text{…}``.

    >>> to_latex(D(Sym("L"), Sym("w1")))
    '\\frac{\\partial L}{\\partial w_{1}}'
    >>> to_latex(where(gt(x, 0), 1, 0))
    '\\begin{cases} 1 & x > 0 \\\\ 0 & x \\leq 0 \\end{cases}'
    """
    tree = substitute(tree, names)
    brace = (r"\left(", r"\right)")

    def show(n):
        if isinstance(n, Num):
            return _num_text(n, "-")
        if isinstance(n, Sym):
            return _latex_name(n.name)
        if isinstance(n, Raw):
            if n.latex:
                return _raw(n.latex)
            prose = n.fr if lang == "fr" else n.en
            return r"\text{" + "".join(_TEXT_IN_LATEX.get(c, c) for c in _raw(prose)) + "}"
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


# --------------------------------------------------------------------------- Python and evaluation
_PY_OPS = {"+": " + ", "-": " - ", "*": " * ", "/": " / ", "^": " ** ", "@": " @ "}


def to_python(tree: Expr, names: dict | None = None) -> str:
    """The tree as a Python expression using ``math`` (names must be identifiers).

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


def evaluate(tree: Expr, env: dict | None = None):
    """The tree's value with each :class:`Sym` read from ``env`` (its own evaluator, no ``eval``).

    >>> evaluate(1 - tanh(x) ** 2, {"x": 0.0})
    1.0
    """
    env = env or {}

    def value(n):
        if isinstance(n, Num):
            return n.value
        if isinstance(n, Sym):
            if n.name not in env:
                raise KeyError(f"evaluate: no value for {n.name!r}")
            return env[n.name]
        if isinstance(n, Neg):
            return -value(n.arg)
        if isinstance(n, Bin):
            a, b = value(n.left), value(n.right)
            return {"+": lambda: a + b, "-": lambda: a - b, "*": lambda: a * b, "/": lambda: a / b,
                    "^": lambda: a ** b, "@": lambda: a @ b}[n.op]()
        if isinstance(n, Call) and FUNCTIONS.get(n.fn, (None,) * 4)[3] is not None:
            return FUNCTIONS[n.fn][3](*map(value, n.args))
        if isinstance(n, Cmp):
            a, b = value(n.left), value(n.right)
            return {">": a > b, "<": a < b, ">=": a >= b, "<=": a <= b, "==": a == b, "!=": a != b}[n.op]
        if isinstance(n, Cond):
            return value(n.then) if value(n.cond) else value(n.otherwise)
        raise ValueError(f"evaluate: {type(n).__name__} {to_text(n, 'en')!r} has no value")
    return value(tree)
