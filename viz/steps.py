"""The forward and backward passes one node at a time, as ``backward()`` runs them.

``backward_steps`` replays the engine's loop from the public protocol and the op table: in
reverse topological order, each node passes ``g · ∂node/∂parent`` to each parent (the chain
rule), ``g`` being the node's own gradient, complete by the time its turn comes.

>>> from microgradfr.demo import course_graph
>>> L, v = course_graph()
>>> [s.name for s in backward_steps(L)]
['L', 'c', 'b', 'y', 'w2', 'a', 'x', 'w1']
"""
from __future__ import annotations

from dataclasses import dataclass

from microgradfr.formula import Chain, D, Eq, Expr, Num, Raw, Sym, lift, to_text

from .protocol import is_constant, is_scalar, local_derivatives, local_names, node_names, topological_order
from .text import check_lang, show, text

__all__ = ["Step", "ParentStep", "backward_steps", "forward_steps", "local_factor", "chain_line"]


@dataclass(frozen=True)
class ParentStep:
    """What one input receives during a backward step.

    ``local`` = ∂node/∂parent (a number); ``symbol``, ``formula_tree`` and ``deriv_tree`` the
    factor as formula trees (:mod:`microgradfr.formula`) with the nodes' names: ``∂a/∂w1``,
    ``∂(w1·x)/∂w1 = x`` and ``x``; ``contribution`` = upstream · local, and ``before``/``after``
    the parent's gradient so far, around this addition. ``formula``/``deriv`` are the French texts,
    :meth:`formula_text`/:meth:`deriv_text` take ``lang``.
    """

    parent: object
    name: str
    index: int
    local: float | None
    symbol: Expr
    formula_tree: Expr
    deriv_tree: Expr
    contribution: float | None
    before: float | None
    after: float | None

    def formula_text(self, lang: str | None = None) -> str:
        return to_text(self.formula_tree, lang)

    def deriv_text(self, lang: str | None = None) -> str:
        return to_text(self.deriv_tree, lang)

    formula = property(formula_text, doc="``∂(w1·x)/∂w1 = x``, in French.")
    deriv = property(deriv_text, doc="The derivative alone (``x``), in French.")


@dataclass(frozen=True)
class Step:
    """One node of a pass: ``node``, its ``name``, the ``phase`` ("forward"/"backward"), its
    position ``index``, ``upstream`` = ∂root/∂node (backward), and ``parents`` (one
    :class:`ParentStep` each, in input order; constants have none)."""

    phase: str
    index: int
    node: object
    name: str
    root_name: str
    upstream: float | None
    parents: tuple
    expression: Expr | None = None

    def lines(self, lang: str | None = None, precision: int = 4) -> list:
        """The chain-rule sentences of this step, one per input (or one for a leaf), in ``lang``
        (None: the language switch)."""
        lang = check_lang(lang)
        if self.phase == "forward":
            data = show(self.node.data, precision)
            if not self.node.parents:
                return [text(lang, "leaf_forward", name=self.name, data=data)]
            expr = to_text(self.expression, lang)
            return [text(lang, "node_forward", name=self.name, expr=expr, data=data)]
        out = []
        if self.index == 0:
            out.append(text(lang, "seed", name=self.name, root=self.root_name))
        if not self.node.parents and self.index != 0:
            grad = show(self.upstream, precision) if self.upstream is not None else "?"
            out.append(text(lang, "leaf_backward", name=self.name, root=self.root_name, grad=grad))
        for p in self.parents:
            if p.local is None:  # a Tensor: g times the local derivative, or the op's vector-Jacobian rule
                rule = p.deriv_tree if self.node.fn.vjp is not None else Chain((Sym("g"), p.deriv_tree))
                out.append(text(lang, "vjp_backward", root=self.root_name, parent=p.name, name=self.name,
                                deriv=to_text(rule, lang)))
                continue
            first = Chain((D(Sym(self.root_name), Sym(self.name)), p.symbol))
            chain = chain_line([first, Chain((_num(self.upstream, precision), p.deriv_tree)),
                                Chain((_num(self.upstream, precision), _num(p.local, precision))),
                                _num(p.contribution, precision)], lang)
            out.append(text(lang, "node_backward", root=self.root_name, parent=p.name, chain=chain))
            if p.before:
                out.append(text(lang, "accumulate", parent=p.name, before=show(p.before, precision),
                                after=show(p.after, precision)))
        return out

    def text(self, lang: str | None = None, precision: int = 4) -> str:
        """The step as one paragraph."""
        return "\n".join(self.lines(lang, precision))


def _num(v, precision) -> Num:
    return Num(float(v), digits=precision)


def chain_line(sides, lang: str | None = None) -> str:
    """``a = b = c`` from formula trees, dropping a side that reads exactly as the one before it.

    >>> chain_line([Chain((Num(2), Num(1))), Chain((Num(2), Num(1))), Num(2)])
    '2 · 1 = 2'
    """
    kept = []
    for side in sides:
        if not kept or to_text(side, lang) != to_text(kept[-1], lang):
            kept.append(side)
    return to_text(Eq(tuple(kept)), lang)


def local_factor(node, i: int, names: dict, clash: bool = False) -> tuple:
    """(symbol, formula, derivative) of ∂node/∂parent_i as formula trees, from the op table.

    The symbol is ``∂a/∂w1``; where that could be misread (``clash``: the node is the root the
    sentence starts from, or the parent is used twice) it is written with the op's own notation,
    ``∂(c²)/∂c``.
    """
    op, values = node.fn, local_names(node, names)
    wrt = lift(values["inputs"][i])
    if op is None:  # a node made by hand (micrograd's Value(data, children, op)): no formula of ours
        symbol = D(Sym(names[id(node)]), wrt)
        unknown = Raw("?", "?")
        return symbol, Eq((symbol, unknown)), unknown
    try:
        formula = op.formula_tree(i, values)
        deriv = formula.sides[-1]
    except (IndexError, KeyError, ValueError, TypeError):  # an op with no written formula
        deriv = Raw(f"∂{values['out']}/∂{to_text(wrt)}", f"∂{values['out']}/∂{to_text(wrt)}")
        formula = Eq((D(Sym(values["out"]), wrt), deriv))
    repeated = sum(p is node.parents[i] for p in node.parents) > 1
    symbol = formula.sides[0] if (clash or repeated) and isinstance(formula.sides[0], D) \
        else D(Sym(names[id(node)]), wrt)
    return symbol, formula, deriv


def expression_for(node, names: dict) -> Expr:
    """The op as a student writes it, with the inputs' names: ``w1·x``, ``c²``, ``w·x + b``."""
    values = local_names(node, names)
    if node.fn is None:  # a node made by hand: its op's name, as given
        return f"{node.op}({', '.join(values['inputs'])})"
    try:
        return node.fn.expression_tree(values)
    except (IndexError, KeyError, ValueError):  # an op whose written form needs more than names
        shown = f"{node.fn.symbol}({', '.join(map(str, values['inputs']))})"
        return Raw(shown, shown)


def forward_steps(root):
    """One :class:`Step` per node in topological order: leaves first, ``root`` last (constants,
    plain numbers of the expression, have no step of their own)."""
    order = [n for n in topological_order(root) if not is_constant(n)]
    names = node_names(topological_order(root))
    for index, node in enumerate(order):
        expr = expression_for(node, names) if node.fn is not None else None
        yield Step("forward", index, node, names[id(node)], names[id(root)], None, (), expr)


def backward_steps(root):
    """One :class:`Step` per node in reverse topological order (the order ``backward()`` uses).

    The gradients are accumulated here from the op table's local derivatives, seeded with
    ∂root/∂root = 1, so the steps need no earlier ``backward()`` and change no ``.grad``; for a
    Value graph each step's ``upstream`` equals the ``grad`` that ``backward()`` leaves on the node.
    (Tensor graphs: ``upstream`` is the node's ``grad`` and the local derivatives are not numbers.)
    Constants have no step and receive nothing.
    """
    order = topological_order(root)
    names = node_names(order)
    scalar = all(is_scalar(n) for n in order)
    grads = {id(root): 1.0} if scalar else {}
    index = 0
    for node in reversed(order):
        if is_constant(node):
            continue
        g = grads.get(id(node), 0.0) if scalar else node.grad
        local = local_derivatives(node) if (scalar and node.parents) else None
        parents = []
        for i, parent in enumerate(node.parents):
            if is_constant(parent):
                continue
            symbol, formula, deriv = local_factor(node, i, names, clash=node is root)
            if local is None:
                parents.append(ParentStep(parent, names[id(parent)], i, None, symbol, formula, deriv,
                                          None, None, None))
                continue
            before = grads.get(id(parent), 0.0)
            contribution = g * local[i]
            grads[id(parent)] = before + contribution
            parents.append(ParentStep(parent, names[id(parent)], i, local[i], symbol, formula, deriv,
                                      contribution, before, before + contribution))
        yield Step("backward", index, node, names[id(node)], names[id(root)], g, tuple(parents))
        index += 1
