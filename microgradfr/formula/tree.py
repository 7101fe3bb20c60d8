"""The formula tree: nodes, how to build them, substitution, the one precedence table, evaluation.

The printers (``text``, ``latex``, ``python``) read the precedence helpers at the end of this module, so
that parentheses are decided in one place.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

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
    fr: str          # prose with {x}-style placeholders
    en: str
    latex: str = ""  # its LaTeX, if it has one (else the prose in \\text{…})
    fill: tuple = ()  # (placeholder, tree) pairs put in by substitute


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

_CMP = {">": (">", ">", "≤"), "<": ("<", "<", "≥"), ">=": ("≥", r"\geq", "<"), "<=": ("≤", r"\leq", ">"),
        "==": ("=", "=", "≠"), "!=": ("≠", r"\neq", "=")}

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

    >>> substitute(k * x ** (k - 1), {"x": "c", "k": 2}) == 2 * Sym("c")
    True
    """
    if not names:
        return tree
    table = {key: lift(v) for key, v in names.items() if isinstance(v, (Expr, str, int, float))}

    def sub(node):
        if isinstance(node, Sym):
            return table.get(node.name, node)
        if isinstance(node, Raw):
            texts = node.fr + node.en + node.latex
            used = tuple((key, v) for key, v in table.items() if "{" + key + "}" in texts)
            return Raw(node.fr, node.en, node.latex, node.fill + used)
        return _map(node, sub)
    return simplify(sub(tree)) if fold else sub(tree)


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


# --------------------------------------------------------------------------- shared by the printers
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


def _raw(template: str, fill: tuple, show) -> str:
    """Prose with each filled placeholder printed by ``show``, the others as themselves (``{x}`` → ``x``)."""
    for key, tree in fill:
        template = template.replace("{" + key + "}", show(tree))
    return re.sub(r"\{(x|y|z|out|k|g)\}", r"\1", template)


_ATOMIC_NAME = re.compile(r"^([\w.′'⁰¹²³⁴⁵⁶⁷⁸⁹₀₁₂₃₄₅₆₇₈₉ᵢⱼₖ]*|\[[^\[\]]*\])$")
"""A name that reads as one symbol (w1, x₁, layers.0.w.1, a2, an array's [3, 4]); other labels get
parentheses."""


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
    if isinstance(node, Sym) and not _ATOMIC_NAME.match(node.name):
        return PRECEDENCE["+"]   # a label written as an expression ('x1*w1 + x2*w2') reads as one: ∂(…)/∂x1
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
        raise ValueError(f"evaluate: a {type(n).__name__} node (prose, ∂ or an unknown function) "
                         "has no value")
    return value(tree)
