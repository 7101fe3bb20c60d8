"""``explain``: a gradient written out as the chain rule, path by path.

∂root/∂wrt is the sum, over every path from ``root`` down to ``wrt``, of the product of the local
derivatives along the path. Each factor comes from the op table (``Op.deriv``) with the nodes'
names, then its number; the sum is checked against ``wrt.grad``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from microgradfr.autograd import is_node, reaching
from microgradfr.formula import Chain, D, Expr, Num, Sym, to_text

from .protocol import backward_done, is_constant, is_scalar, local_derivatives, node_names, topological_order
from .steps import chain_line, local_factor
from .text import check_lang, number, text

__all__ = ["explain", "paths", "Factor", "count_paths"]


@dataclass(frozen=True)
class Factor:
    """One edge of a path: ∂node/∂parent as formula trees (``symbol`` ∂c/∂a, ``deriv`` 1) and as a
    number (``local``). ``symbol_text``/``deriv_text`` print them in a language."""

    node: object
    index: int
    parent: object
    symbol: Expr
    deriv: Expr
    local: float

    def symbol_text(self, lang: str | None = None) -> str:
        return to_text(self.symbol, lang)

    def deriv_text(self, lang: str | None = None) -> str:
        return to_text(self.deriv, lang)


def count_paths(root, wrt) -> int:
    """How many paths lead from ``root`` down to ``wrt`` (an edge used twice counts twice).

    >>> from microgradfr import Value
    >>> x = Value(2.0, label="x"); y = x * x + x
    >>> count_paths(y, x)
    3
    """
    counts = {id(wrt): 1}
    for node in topological_order(root):
        if node is not wrt:
            counts[id(node)] = sum(counts.get(id(p), 0) for p in node.parents)
    return counts.get(id(root), 0)


def paths(root, wrt, limit: int | None = None) -> list:
    """Every path from ``root`` to ``wrt`` as a list of :class:`Factor` (the first ``limit`` ones).

    Depth-first with an explicit stack, so deep graphs cannot exhaust Python's recursion.
    """
    order = topological_order(root)
    names = node_names(order)
    reaches = reaching(order, wrt)
    found = []
    if id(root) not in reaches:
        return found
    stack = [(root, [])]
    while stack and (limit is None or len(found) < limit):
        node, path = stack.pop()
        if node is wrt:
            found.append(path)
            continue
        local = local_derivatives(node)
        steps = []
        for i, parent in enumerate(node.parents):
            if id(parent) not in reaches:
                continue
            symbol, _, deriv = local_factor(node, i, names)
            factor = Factor(node, i, parent, symbol, deriv, local[i] if local else math.nan)
            steps.append((parent, path + [factor]))
        stack.extend(reversed(steps))  # keep input order: the first input's paths come first
    return found


def explain(root, wrt, lang: str | None = None, precision: int = 4, max_paths: int = 20) -> str:
    """∂root/∂wrt written out by the chain rule, symbolically and numerically, path by path.

    Computes on its own pass: every ``.data`` and ``.grad`` stays as it was. After a backward pass
    the sum is compared with ``wrt.grad``; if they differ (a leaf accumulates over two
    ``backward()`` calls) a last sentence says why.

    >>> from microgradfr.demo import course_graph
    >>> L, v = course_graph(); L.backward()
    >>> print(explain(L, v["w1"], lang="en"))
    ∂L/∂w1 = ∂L/∂c · ∂c/∂a · ∂a/∂w1 = 2c · 1 · x = (−3) · 1 · (−1.5) = 4.5
    = w1.grad ✓ (the value backward() computed)
    """
    lang = check_lang(lang)
    if not all(is_node(n) for n in (root, wrt)):
        raise TypeError(text(lang, "explain_nodes"))
    if not is_scalar(root):
        raise TypeError(text(lang, "explain_scalar"))
    names = node_names(topological_order(root))
    for node in topological_order(root):
        if node.parents and node.fn is None:  # no table entry: nothing to write the chain rule with
            raise ValueError(text(lang, "hand_made", node=names[id(node)]))
    r, w = names[id(root)], names.get(id(wrt), wrt.label or "?")
    if is_constant(wrt):
        raise ValueError(text(lang, "constant_target", wrt=w, root=r))
    total_count = count_paths(root, wrt)
    if total_count == 0:
        return text(lang, "no_path", root=r, wrt=w)
    shown = paths(root, wrt, limit=max_paths)
    values = [_product(p) for p in shown]
    total = _sum_all(root, wrt) if total_count > len(shown) else _fsum(values)
    lines = _path_lines(shown, values, r, w, lang, precision)
    if total_count > len(shown):
        lines.append(text(lang, "more_paths", more=total_count - len(shown), count=total_count))
    if len(shown) > 1:
        terms = to_text(Chain(tuple(Num(v, precision) for v in values)), lang).replace(" · ", " + ")
        if total_count > len(shown):
            terms += " + …"
        lines.append(text(lang, "sum", root=r, wrt=w, terms=terms, total=number(total, precision, "−")))
    lines.append(_verdict(root, wrt, total, values, r, w, lang, precision))
    return "\n".join(lines)


def _path_lines(shown, values, r, w, lang, precision):
    lines = []
    for i, (path, value) in enumerate(zip(shown, values), start=1):
        lhs = D(Sym(r), Sym(w))
        sides = [lhs, Num(1)] if not path else [
            lhs, Chain(tuple(f.symbol for f in path)), Chain(tuple(f.deriv for f in path)),
            Chain(tuple(Num(f.local, precision) for f in path)), Num(value, precision)]
        chain = chain_line(sides, lang)
        lines.append(chain if len(shown) == 1 else text(lang, "path", i=i, chain=chain))
    return lines


def _product(path) -> float:
    """The product of the local derivatives along a path, multiplied from the root down."""
    value = 1.0
    for factor in path:
        value *= factor.local
    return value


def _sum_all(root, wrt) -> float:
    """The sum over all paths without listing them: the chain rule accumulated node by node."""
    grads = {id(root): 1.0}
    for node in reversed(topological_order(root)):
        g = grads.get(id(node), 0.0)
        local = local_derivatives(node) or ()
        for parent, d in zip(node.parents, local):
            grads[id(parent)] = grads.get(id(parent), 0.0) + g * d
    return grads.get(id(wrt), 0.0)


def _fsum(values) -> float:
    """math.fsum, but ±inf where a partial sum overflows (fsum raises OverflowError there)."""
    try:
        return math.fsum(values)
    except OverflowError:
        return sum(values)


def _verdict(root, wrt, total, values, r, w, lang, precision) -> str:
    """The last line: ``= w1.grad ✓``, or one sentence on why ``wrt.grad`` holds something else."""
    if not backward_done(root):
        return text(lang, "not_run", wrt=w)
    grad = wrt.grad
    scale = _fsum([abs(v) for v in values]) or abs(total)
    ok = total == grad or (math.isnan(total) and math.isnan(grad)) or \
        math.isclose(total, grad, rel_tol=1e-9, abs_tol=1e-9 * max(scale, 1e-300))
    if ok:
        return text(lang, "matches", wrt=w)
    key = "accumulated" if not wrt.parents else "stale"
    return text(lang, key, wrt=w, root=r, grad=number(grad, precision, "−"),
                total=number(total, precision, "−"))
