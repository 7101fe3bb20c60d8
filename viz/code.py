"""The backward pass as code: a straight-line Python program (or a LaTeX ``align*``) for one graph.

``backward_code(L)`` writes the leaves' values, one forward line per node, then one backward line
per chain-rule step, in the order ``backward()`` takes them, each with a comment stating the rule::

    dL_da = dL_dc * 1  # ∂(a + b)/∂a = 1

Run as is, the program defines every ``dL_d…`` equal to the engine's ``.grad``. Every expression,
comment and LaTeX line is printed from the op table's formula trees (:mod:`microgradfr.formula`),
never from format strings; a node whose op has no Python form (a custom op given as text) gets its
number, with the rule in the comment.
"""
from __future__ import annotations

import keyword
import math
import re

from microgradfr import i18n
from microgradfr.formula import Chain, D, Sym, evaluate, to_latex, to_python, to_text
from microgradfr.naming import is_constant, local_names, node_names

from .protocol import is_scalar, local_derivatives, topological_order
from .text import check_lang

__all__ = ["backward_code", "backward_latex", "BLANK"]

BLANK = "___"
"""What an exercise sheet shows instead of a backward right-hand side."""

_TEXTS = i18n.table("viz.code")  # a view of the catalogue's viz.code.* entries


class _Program:
    """The graph read once: Python names, and each backward step with its trees."""

    def __init__(self, root):
        self.order = topological_order(root)
        if not all(is_scalar(n) for n in self.order):
            raise TypeError("backward_code: written for graphs of Values (scalars); a Tensor's backward "
                            "pass is a vector-Jacobian product per op, not a line of arithmetic")
        self.root = root
        self.names = node_names(self.order)
        self.py = _python_names(self.order, self.names)
        self.r = self.names[id(root)]
        self.numbers = {}  # id -> why a node was written with a number instead of its formula

    def grad_name(self, node) -> str:
        return f"d{self.py[id(self.root)]}_d{self.py[id(node)]}"

    def values(self, node) -> dict:
        """The op's placeholders with Python names (constants as their numbers)."""
        return local_names(node, self.py)

    def text_values(self, node) -> dict:
        """The op's placeholders with the nodes' names, for comments and LaTeX."""
        return local_names(node, self.names)

    def steps(self):
        """(node, parent index, parent, first contribution?) in backward() order, constants skipped."""
        seen = {id(self.root)}
        for node in reversed(self.order):
            for i, parent in enumerate(node.parents):
                if is_constant(parent):
                    continue
                first = id(parent) not in seen
                seen.add(id(parent))
                yield node, i, parent, first

    def deriv_python(self, node, i) -> str:
        """The local derivative as Python; its number where the formula fails or differs here.

        At a few points the textbook formula and the engine part ways (x^y·ln x at x = 0, where the
        engine takes 0 as PyTorch does); the number keeps the program equal to the engine.
        """
        local = local_derivatives(node)[i]
        return self._python_or_number(lambda names: node.fn.deriv_tree(i, names), local, node)

    def forward_python(self, node) -> str:
        return self._python_or_number(lambda names: node.fn.expression_tree(names), node.data, node)

    def _python_or_number(self, tree_of, value, node) -> str:
        env = {self.py[id(p)]: p.data for p in node.parents}
        env[self.py[id(node)]] = node.data
        try:
            tree = tree_of(self.values(node))
            python = to_python(tree)
        except (ValueError, TypeError, KeyError, IndexError):  # a formula given as text: no Python form
            self.numbers[id(node)] = "no_python"
            return _literal(value)
        try:
            same = _same(evaluate(tree, env), value)
        except (ArithmeticError, ValueError):
            same = False
        if not same:
            self.numbers[id(node)] = "number"
        return python if same else _literal(value)

    def rule_text(self, node, i, lang) -> str:
        return to_text(node.fn.formula_tree(i, self.text_values(node)), lang)


def _python_names(order, names) -> dict:
    """``id(node) -> a Python identifier`` from each node's name (``w'1`` → ``w_1``), all distinct."""
    taken, out = {"math"}, {}
    for node in order:
        base = re.sub(r"\W", "_", names[id(node)]) or "v"
        if not base.isidentifier() or keyword.iskeyword(base):
            base = "v_" + base
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        out[id(node)] = name
    return out


def backward_code(root, lang: str | None = None, blanks: bool = False) -> str:
    """A straight-line Python program computing ``root`` and every ∂root/∂node, one chain-rule step a line.

    ``blanks=True`` replaces the right-hand side of each backward line by ``___`` (an exercise
    sheet; the comment then names what to compute); ``lang`` sets the comments' language.

    >>> from microgradfr.demo import course_graph
    >>> L, v = course_graph()
    >>> code = backward_code(L, lang="en")
    >>> print(code.splitlines()[-2])
    dL_dw1 = dL_da * x  # ∂(w1·x)/∂w1 = x
    >>> namespace = {}; exec(code, namespace); L.backward()
    >>> namespace["dL_dw1"] == v["w1"].grad == 4.5
    True
    """
    texts = _TEXTS[check_lang(lang)]
    p = _Program(root)
    lines = [f"# {texts['title'].format(root=p.r)}", "import math", "", f"# {texts['leaves']}"]
    for node in p.order:
        if not node.parents and not is_constant(node):
            lines.append(f"{p.py[id(node)]} = {_literal(node.data)}")
    lines += ["", f"# {texts['forward']}"]
    for node in p.order:
        if node.parents:
            expr = to_text(node.fn.expression_tree(p.text_values(node)), lang)
            lines.append(f"{p.py[id(node)]} = {p.forward_python(node)}  # {p.names[id(node)]} = {expr}")
    lines += ["", f"# {texts['backward']}", f"{p.grad_name(root)} = 1.0  # {texts['seed'].format(root=p.r)}"]
    for node, i, parent, first in p.steps():
        target = p.grad_name(parent)
        if blanks:
            rule = texts["blank"].format(rule=to_text(D(Sym(p.r), Sym(p.names[id(parent)])), lang))
            lines.append(f"{target} {'=' if first else '+='} {BLANK}  # {rule}")
            continue
        p.numbers.pop(id(node), None)
        product = f"{p.grad_name(node)} * {_atom(p.deriv_python(node, i))}"
        comment = p.rule_text(node, i, lang)
        if id(node) in p.numbers:
            comment += f" ({texts[p.numbers[id(node)]]})"
        if not first:
            comment += "  (" + texts["again"].format(name=p.names[id(parent)]) + ")"
        lines.append(f"{target} {'=' if first else '+='} {product}  # {comment}")
    return "\n".join(lines) + "\n"


def _same(a, b) -> bool:
    return a == b or math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-300) or (math.isnan(a) and math.isnan(b))


def _literal(v: float) -> str:
    """A float as Python source: ``-1.5``, ``math.inf``, ``math.nan``."""
    if math.isnan(v):
        return "math.nan"
    if math.isinf(v):
        return "math.inf" if v > 0 else "-math.inf"
    return repr(float(v))


def _atom(python: str) -> str:
    """A factor that is a sum, a comparison or a negative number gets parentheses after ``*``."""
    simple = re.fullmatch(r"[\w.]+|[\w.]+\([^()]*\)|\([^()]*\)", python)
    return python if simple and not python.startswith("-") else f"({python})"


def backward_latex(root, lang: str | None = None, blanks: bool = False) -> str:
    r"""The same backward steps as a LaTeX ``align*``: a line per chain-rule step, ``+=`` for a reused node.

    >>> from microgradfr.demo import course_graph
    >>> L, v = course_graph()
    >>> print(backward_latex(L).splitlines()[2])
    \frac{\partial L}{\partial c} &= \frac{\partial L}{\partial L} \cdot 2c \\
    """
    lang = check_lang(lang)
    p = _Program(root)
    r = Sym(p.r)
    lines = [r"\begin{align*}", to_latex(D(r, r)) + r" &= 1 \\"]
    for node, i, parent, first in p.steps():
        left = to_latex(D(r, Sym(p.names[id(parent)])))
        sign = "&=" if first else r"&\mathrel{+}="
        if blanks:
            right = r"\underline{\hspace{4em}}"
        else:
            deriv = node.fn.deriv_tree(i, p.text_values(node))
            right = to_latex(Chain((D(r, Sym(p.names[id(node)])), deriv)), lang=lang)
        lines.append(f"{left} {sign} {right} " + r"\\")
    lines[-1] = lines[-1][:-3].rstrip()
    lines.append(r"\end{align*}")
    return "\n".join(lines)
