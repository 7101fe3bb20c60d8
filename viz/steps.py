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

from .protocol import is_scalar, local_derivatives, local_names, node_names, topological_order
from .text import number, show, text

__all__ = ["Step", "ParentStep", "backward_steps", "forward_steps"]


@dataclass(frozen=True)
class ParentStep:
    """What one input receives during a backward step.

    ``local`` = ∂node/∂parent (a number), ``formula`` the op table's formula for it with the
    nodes' names, ``deriv`` its right-hand side alone, ``contribution`` = upstream · local, and
    ``before``/``after`` the parent's gradient so far, around this addition.
    """

    parent: object
    name: str
    index: int
    local: float | None
    formula: str
    deriv: str
    contribution: float | None
    before: float | None
    after: float | None


@dataclass(frozen=True)
class Step:
    """One node of a pass: ``node``, its ``name``, the ``phase`` ("forward"/"backward"), its
    position ``index``, ``upstream`` = ∂root/∂node (backward), and ``parents`` (one
    :class:`ParentStep` each, in input order)."""

    phase: str
    index: int
    node: object
    name: str
    root_name: str
    upstream: float | None
    parents: tuple
    expression: str = ""

    def lines(self, lang: str = "fr", precision: int = 4) -> list:
        """The chain-rule sentences of this step, one per input (or one for a leaf)."""
        num = lambda v: _paren(number(v, precision, minus="−"))  # noqa: E731
        if self.phase == "forward":
            data = show(self.node.data, precision)
            if not self.parents:
                return [text(lang, "leaf_forward", name=self.name, data=data)]
            return [text(lang, "node_forward", name=self.name, expr=self.expression, data=data)]
        out = []
        if self.index == 0:
            out.append(text(lang, "seed", name=self.name, root=self.root_name))
        if not self.parents and self.index != 0:
            grad = show(self.upstream, precision) if self.upstream is not None else "?"
            out.append(text(lang, "leaf_backward", name=self.name, root=self.root_name, grad=grad))
        for p in self.parents:
            if p.local is None:  # a Tensor op: its rule is a vector-Jacobian product, not a number
                out.append(f"∂{self.root_name}/∂{p.name} += ∂{self.root_name}/∂{self.name} · {p.formula}")
                continue
            up, local = num(self.upstream), num(p.local)
            product = f"{up} · {local}"
            if p.deriv != number(p.local, precision, minus="−"):
                product = f"{up} · {_paren(p.deriv) if ' ' in p.deriv else p.deriv} = {product}"
            out.append(text(lang, "node_backward", root=self.root_name, name=self.name, parent=p.name,
                            product=product, contrib=number(p.contribution, precision, minus="−")))
            if p.before:
                out.append(text(lang, "accumulate", parent=p.name, before=number(p.before, precision, "−"),
                                after=number(p.after, precision, "−")))
        return out

    def text(self, lang: str = "fr", precision: int = 4) -> str:
        """The step as one paragraph."""
        return "\n".join(self.lines(lang, precision))


def _paren(s: str) -> str:
    """Negative numbers in parentheses inside a product: 2 · (−1.5)."""
    return f"({s})" if s.startswith("−") else s


def formula_for(node, i: int, names: dict) -> tuple:
    """(full formula, right-hand side) of ∂node/∂parent_i from the op table, with the names."""
    op = node.fn
    values = local_names(node, names)
    if op is None:  # a node made by hand (micrograd's Value(data, children, op)): no formula of ours
        deriv = f"∂{values['out']}/∂{values['inputs'][i]}"
        return f"{deriv} (?)", deriv
    try:
        deriv = op.deriv(i, values)
    except (IndexError, KeyError, ValueError, TypeError):  # an op with no written formula
        deriv = f"∂{values['out']}/∂{values['inputs'][i]}"
    if op.fused or op.arity < 0 or deriv.startswith("∂"):
        wrt = values["inputs"][i]
        return f"∂{values['out']}/∂{wrt} = {deriv}", deriv
    return op.formula(i, values), deriv


def expression_for(node, names: dict) -> str:
    """The op as a student writes it, with the inputs' names: ``w1·x``, ``c²``, ``w·x + b``."""
    values = local_names(node, names)
    if node.fn is None:  # a node made by hand: its op's name, as given
        return f"{node.op}({', '.join(values['inputs'])})"
    try:
        return node.fn.expression(values)
    except (IndexError, KeyError, ValueError):  # an op whose written form needs more than names
        return f"{node.fn.symbol}({', '.join(values['inputs'])})"


def forward_steps(root):
    """One :class:`Step` per node in topological order: leaves first, ``root`` last."""
    order = topological_order(root)
    names = node_names(order)
    for index, node in enumerate(order):
        expr = expression_for(node, names) if node.fn is not None else ""
        parents = tuple(_forward_parent(i, p, names) for i, p in enumerate(node.parents))
        yield Step("forward", index, node, names[id(node)], names[id(root)], None, parents, expr)


def _forward_parent(i, parent, names):
    return ParentStep(parent, names[id(parent)], i, None, "", "", None, None, None)


def backward_steps(root):
    """One :class:`Step` per node in reverse topological order (the order ``backward()`` uses).

    The gradients are accumulated here from the op table's local derivatives, seeded with
    ∂root/∂root = 1, so the steps need no earlier ``backward()``; for a Value graph each step's
    ``upstream`` equals the ``grad`` that ``backward()`` leaves on the node. (Tensor graphs:
    ``upstream`` is the node's ``grad`` and the local derivatives are not numbers.)
    """
    order = topological_order(root)
    names = node_names(order)
    scalar = all(is_scalar(n) for n in order)
    grads = {id(root): 1.0} if scalar else {}
    for index, node in enumerate(reversed(order)):
        g = grads.get(id(node), 0.0) if scalar else node.grad
        local = local_derivatives(node) if (scalar and node.parents) else None
        parents = []
        for i, parent in enumerate(node.parents):
            formula, deriv = formula_for(node, i, names)
            if local is None:
                parents.append(ParentStep(parent, names[id(parent)], i, None, formula, deriv,
                                          None, None, None))
                continue
            before = grads.get(id(parent), 0.0)
            contribution = g * local[i]
            grads[id(parent)] = before + contribution
            parents.append(ParentStep(parent, names[id(parent)], i, local[i], formula, deriv,
                                      contribution, before, before + contribution))
        yield Step("backward", index, node, names[id(node)], names[id(root)], g, tuple(parents))
