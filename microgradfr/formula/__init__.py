"""Formulas as data: a small expression tree and its printers (text fr/en, LaTeX, Python) and evaluator.

``tree`` holds the nodes, substitution, evaluation and the precedence rules; ``text``, ``latex`` and
``python`` are one printer each. Import everything from here: ``from microgradfr.formula import x, to_text``.

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
- printers ``to_text(tree, lang=None, names=None)``, ``to_latex(tree, names=None, lang=None)``,
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
from .latex import to_latex
from .python import to_python
from .text import to_text
from .tree import (
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
                   call,
                   evaluate,
                   exp,
                   g,
                   gt,
                   k,
                   lift,
                   ln,
                   out,
                   sigmoid,
                   simplify,
                   sqrt,
                   substitute,
                   tanh,
                   where,
                   x,
                   y,
)

__all__ = ["Expr", "Num", "Sym", "Neg", "Bin", "Call", "Cmp", "Cond", "D", "Chain", "Eq", "Raw",
           "PRECEDENCE", "FUNCTIONS", "call", "gt", "where", "lift", "substitute", "simplify",
           "to_text", "to_latex", "to_python", "evaluate", "x", "y", "out", "k", "g",
           "exp", "ln", "sqrt", "tanh", "sigmoid"]
