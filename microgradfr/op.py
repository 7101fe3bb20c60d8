"""The record of one op-table entry, :class:`Op`, and how its formulas print with the nodes' names.

The table itself, one :class:`Op` per primitive, is :mod:`microgradfr.ops`.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from .domains import DOMAINS, REAL, Domain
from .formula import D, Eq, Expr, Raw, lift, substitute, to_text

__all__ = ["Op", "register"]


@dataclass(frozen=True, eq=False)
class Op:
    """One primitive operation: forward, local derivatives, display name, formulas and domain together."""

    name: str                 # identifier: "mul", "tanh"
    symbol: str               # drawn in a diagram: "*", "tanh"
    arity: int                # number of inputs (-1: any number, for n-ary ops)
    forward: Callable         # forward(xp, *inputs, k) -> out
    local: Callable           # local(xp, *inputs, out, k) -> (∂out/∂input for each input)
    expr: Expr                # the op as written, a formula tree in x, y, (z), k: x·y, c², tanh a
    derivs: tuple             # each local derivative ∂out/∂input as a tree in x, y, out, k, g
    domain: Domain = REAL     # the inputs it accepts and where tests sample (a Domain or its name)
    # check(*inputs, k) raises the domain's error naming this op; set from the domain when None
    check: Callable | None = field(default=None, repr=False)
    k_default: object = None  # the setting used when the tests enumerate the table
    fused: bool = False       # an n-ary shortcut (a neuron's w·x + b) that the renderer may expand
    # n-ary ops: (i, input names) -> the tree of ∂out/∂input_i (without it, inputs past the derivs
    # take the first one, written in x); (input names) -> the op's tree
    deriv_of: Callable | None = field(default=None, repr=False)
    expr_of: Callable | None = field(default=None, repr=False)
    placeholders: tuple = ("x", "y", "z")  # how the inputs read when no names are given
    # Tensor ops only (see the "Tensor ops" section of ops.py): one rule per input,
    # rule(g, *inputs, out, k) -> ∂L/∂input given g = ∂L/∂out. None for elementwise ops, whose
    # gradient the Tensor forms as g · local.
    vjp: tuple | None = field(default=None, repr=False)

    def __post_init__(self):
        # A text instead of a tree (an op defined outside this table) prints as written.
        if isinstance(self.expr, str):
            object.__setattr__(self, "expr", Raw(self.expr, self.expr))
        object.__setattr__(self, "derivs", tuple(Raw(d, d) if isinstance(d, str) else d for d in self.derivs))
        if isinstance(self.domain, str):
            if self.domain not in DOMAINS:
                raise ValueError(f"op {self.name!r}: unknown domain {self.domain!r}; "
                                 f"use one of {sorted(DOMAINS)} or a microgradfr.domains.Domain")
            object.__setattr__(self, "domain", DOMAINS[self.domain])
        if self.check is None and self.domain.rules:
            object.__setattr__(self, "check", self.domain.checker(self.name, self.arity))

    def expression_tree(self, names: dict | None = None) -> Expr:
        """The op's tree with its inputs' names (``names``: x, y, out, k, or ``inputs``)."""
        names = self._names(names)
        if self.expr_of is not None and names.get("inputs"):
            return self.expr_of(names["inputs"])
        return substitute(self.expr, names, fold=False)

    def deriv_tree(self, i: int = 0, names: dict | None = None) -> Expr:
        """The tree of ∂out/∂input_i with the inputs' names."""
        names = self._names(names)
        if self.deriv_of is not None:
            return self.deriv_of(i, names.get("inputs", ()))
        if i >= len(self.derivs):  # an n-ary op whose inputs all play one part (cat): its rule in x
            inputs = names.get("inputs")
            name = inputs[i] if inputs else ("x", "y", "z", "…")[min(i, 3)]
            return substitute(self.derivs[0], {**names, "x": name})
        return substitute(self.derivs[i], names)

    def formula_tree(self, i: int = 0, names: dict | None = None) -> Expr:
        """∂(op)/∂input_i = derivative, as one :class:`~microgradfr.formula.Eq` tree."""
        names = self._names(names)
        if names.get("inputs"):
            wrt = names["inputs"][i]
        else:
            wrt = names.get("xyz"[i], self.placeholders[i]) if i < 3 else self.placeholders[-1]
        return Eq((D(self.expression_tree(names), lift(wrt)), self.deriv_tree(i, names)))

    def expression(self, names: dict | None = None, lang: str | None = None) -> str:
        """The op as written with its inputs' names.

        >>> from microgradfr.ops import OPS
        >>> OPS["pow"].expression({"x": "c", "k": 2})
        'c²'
        >>> OPS["weighted_sum"].expression({"inputs": ("w1", "w2", "x1", "x2", "b")})
        'w1·x1 + w2·x2 + b'
        """
        return to_text(self.expression_tree(names), lang)

    def formula(self, i: int = 0, names: dict | None = None, lang: str | None = None) -> str:
        """The chain-rule factor for input ``i`` as a student writes it.

        >>> from microgradfr.ops import OPS
        >>> OPS["mul"].formula(0)
        '∂(x·y)/∂x = y'
        >>> OPS["mul"].formula(1, {"x": "w1", "y": "x"})
        '∂(w1·x)/∂x = w1'
        >>> OPS["weighted_sum"].formula(1, {"inputs": ("w1", "w2", "x1", "x2", "b")})
        '∂(w1·x1 + w2·x2 + b)/∂w2 = x2'
        >>> OPS["leaky_relu"].formula(0, {"x": "a", "k": 0.1}, lang="en")
        '∂(LeakyReLU(a, 0.1))/∂a = 1 if a > 0 else 0.1'
        """
        return to_text(self.formula_tree(i, names), lang)

    def deriv(self, i: int = 0, names: dict | None = None, lang: str | None = None) -> str:
        """The local derivative ∂out/∂input_i alone, e.g. ``'2c'`` for ``c**2``."""
        return to_text(self.deriv_tree(i, names), lang)

    def _names(self, names):
        """The placeholders' values: x, y, out, k as given, x, y, z from ``inputs`` (the nodes'
        names), else the op's own ``placeholders``."""
        full = dict(names or {})
        inputs = full.get("inputs") or self.placeholders
        for placeholder, name in zip("xyz", inputs):
            full.setdefault(placeholder, name)
        k = full.get("k")
        if k is not None and not (isinstance(k, (int, float, Expr)) and not isinstance(k, bool)):
            full.pop("k")  # a setting that is not a number (a shape, an axis) stays the letter k
        return full


def register(table: dict, **fields) -> Op:
    """Make ``Op(**fields)`` and add it to ``table`` under its name (each name once)."""
    op = Op(**fields)
    assert op.name not in table, f"op {op.name!r} defined twice in the op table"
    table[op.name] = op
    return op
