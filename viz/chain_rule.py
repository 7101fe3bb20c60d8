"""``explain``: a gradient written out as the chain rule, path by path.

∂root/∂wrt is the sum, over every path from ``root`` down to ``wrt``, of the product of the local
derivatives along the path. Each factor comes from the op table (``Op.deriv``) with the nodes'
names, then its number; the sum is checked against ``wrt.grad``.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from .protocol import backward_done, is_scalar, local_derivatives, node_names, topological_order
from .steps import formula_for
from .text import check_lang, number, text

__all__ = ["explain", "paths", "Factor", "count_paths"]


@dataclass(frozen=True)
class Factor:
    """One edge of a path: ∂node/∂parent, written (``deriv``) and as a number (``local``)."""

    node: object
    index: int
    parent: object
    symbol: str   # ∂c/∂a
    deriv: str    # 1
    local: float


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
    reaches = _reaching(order, wrt)
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
            symbol = f"∂{names[id(node)]}/∂{names[id(parent)]}"
            _, deriv = formula_for(node, i, names)
            factor = Factor(node, i, parent, symbol, deriv, local[i] if local else math.nan)
            steps.append((parent, path + [factor]))
        stack.extend(reversed(steps))  # keep input order: the first input's paths come first
    return found


def _reaching(order, wrt) -> set:
    """ids of the nodes from which ``wrt`` can be reached (``wrt`` included)."""
    reaches = {id(wrt)}
    for node in order:
        if any(id(p) in reaches for p in node.parents):
            reaches.add(id(node))
    return reaches


def explain(root, wrt, lang: str = "fr", precision: int = 4, max_paths: int = 20) -> str:
    """∂root/∂wrt written out by the chain rule, symbolically and numerically, path by path.

    If no backward pass has reached ``root``, runs one first (from zero gradients), and checks that the
    sum over paths equals ``wrt.grad`` (AssertionError with an explanation otherwise).

    >>> from microgradfr.demo import course_graph
    >>> L, v = course_graph(); L.backward()
    >>> print(explain(L, v["w1"], lang="en"))
    ∂L/∂w1 = ∂L/∂c · ∂c/∂a · ∂a/∂w1 = 2c · 1 · x = (−3) · 1 · (−1.5) = 4.5
    = w1.grad ✓ (the value backward() computed)
    """
    check_lang(lang)
    if not all(hasattr(n, "parents") for n in (root, wrt)):
        raise TypeError("explain(root, wrt): both must be graph nodes (Value), e.g. explain(L, w1)")
    if not is_scalar(root):
        raise TypeError("explain: written for scalar graphs (Value); for a Tensor, explain one entry")
    if not backward_done(root):
        _fresh_backward(root)
    names = node_names(topological_order(root))
    r, w = names[id(root)], names.get(id(wrt), wrt.label or "?")
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
        terms = " + ".join(_paren(number(v, precision, "−")) for v in values)
        if total_count > len(shown):
            terms += " + …"
        lines.append(text(lang, "sum", root=r, wrt=w, terms=terms, total=number(total, precision, "−")))
    _check_sum(total, values, wrt, w, lang)
    lines.append(text(lang, "matches", wrt=w))
    return "\n".join(lines)


def _fresh_backward(root):
    """``root.backward()`` from zero gradients (leaves would otherwise add to stale values)."""
    for node in topological_order(root):
        if not node.parents:
            node.grad = 0.0
    root.backward()


def _path_lines(shown, values, r, w, lang, precision):
    lines = []
    for i, (path, value) in enumerate(zip(shown, values), start=1):
        symbols = " · ".join(f.symbol for f in path) or f"∂{r}/∂{w}"
        derivs = " · ".join(_paren(f.deriv) for f in path) or "1"
        nums = " · ".join(_paren(number(f.local, precision, "−")) for f in path) or "1"
        segments = [f"∂{r}/∂{w}", symbols, derivs, nums, number(value, precision, "−")]
        chain = " = ".join(s for k, s in enumerate(segments) if k == 0 or s != segments[k - 1])
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


def _check_sum(total, values, wrt, name, lang):
    """The paths must add up to what ``backward()`` computed (up to rounding)."""
    grad = wrt.grad
    scale = _fsum([abs(v) for v in values]) or abs(total)
    ok = math.isclose(total, grad, rel_tol=1e-9, abs_tol=1e-9 * max(scale, 1e-300)) or \
        (math.isnan(total) and math.isnan(grad)) or total == grad
    assert ok, text(lang, "mismatch", total=total, grad=grad, wrt=name)


def _paren(s: str) -> str:
    """Parentheses around a factor that is negative or has an operator: (−1.5), (1 − tanh²(v))."""
    s = str(s)
    if s.startswith("−") or s.startswith("-") or " " in s.strip():
        return f"({s})"
    return s
