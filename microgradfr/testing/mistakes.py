"""The classic wrong rules of a hand backward pass, each recomputed on a graph: what ``check_grads`` reads.

A wrong ∂L/∂v is explained by *recomputing* it under each classic wrong rule and keeping the rules
that give the student's number (never by reading the ratio alone):

- ``missing_path``: the sum over a strict subset of the contributions (or of the paths from the
  root): a path forgotten where a variable is used twice;
- ``last_contribution_only``: only the last contribution ``backward()`` adds (``=`` instead of ``+=``);
- ``local_only``: the local derivatives alone, not multiplied by the upstream gradient;
- ``upstream_only``: the upstream gradient alone, the local factor forgotten;
- ``sign``: the opposite sign (of the whole, or of one contribution);
- ``factor``: twice or half the value (of the whole, or of one contribution);
- ``input_for_output``: tanh', σ' or exp' with input and output confused: the input where the
  output belongs (``1 − b²`` instead of ``1 − c²`` for c = tanh b), or the derivative taken at the
  output (``1 − tanh²(c)`` instead of ``1 − tanh²(b)``);
- ``stale_accumulation``: a leaf holding n times its gradient after n ``backward()`` calls;
- ``unknown``: none of these gives the student's number.

Each rule is applied to the student's own upstream values where they gave them (a hand
derivation goes from the root down, reusing its own numbers), and to the right ones. A node
whose own step is right but which starts from a wrong upstream value *inherits* the mistake: it
gets the code of the first node where the values diverge, and its text says to fix that one first.

The checks never change the graph: the right gradients come from the op table's local
derivatives, accumulated in a dictionary.
"""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

from ..autograd import reaching, topological_order
from ..engine import scalar_local
from ..formula import evaluate
from ..formula import out as OUT
from ..naming import is_constant, node_names

__all__ = ["CODES", "OUTPUT_FORMS", "MAX_SUBSETS", "Diagnosis", "diagnose_values", "close", "local_factors"]

CODES = ("sign", "factor", "missing_path", "last_contribution_only", "local_only", "upstream_only",
         "input_for_output", "stale_accumulation", "unknown")
"""Every diagnosis code, as ``GradReport.diagnoses`` gives them."""

# Which code wins when several rules give the student's number (the others are named as ties).
# The specific rules come before the plain ratios; a stale leaf comes first when the values are
# read from .grad (a second backward() is then the likely cause), last when the student typed them.
_PRIORITY = ("last_contribution_only", "missing_path", "input_for_output", "local_only", "upstream_only",
             "sign", "factor", "stale_accumulation")
_PRIORITY_READ = ("stale_accumulation",) + _PRIORITY[:-1]

# d(op)/d(input) written with the output, for the ops whose derivative students write from it.
OUTPUT_FORMS = {"tanh": 1 - OUT ** 2, "sigmoid": OUT * (1 - OUT), "exp": OUT}
"""op name -> its local derivative as a tree in ``out``; the mistake puts the input ``x`` there."""

MAX_SUBSETS = 10
"""Paths or contributions beyond which the subsets are not enumerated (2¹⁰ sums at most)."""


def close(a: float, b: float, rtol: float, atol: float) -> bool:
    """|a − b| ≤ atol + rtol·|b| (both NaN or both the same infinity count as equal)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= atol + rtol * abs(b)


# --------------------------------------------------------------------------- the graph
@dataclass(frozen=True)
class _Edge:
    """One contribution to ∂root/∂parent: from ``child`` (its input ``index``), local factor ``local``."""

    child: object
    index: int
    local: float


def local_factors(node) -> tuple:
    """∂node/∂input for each input, as the engine reads them from the op table (inf for √x at 0)."""
    return tuple(float(v) for v in scalar_local(node.fn, [p.data for p in node.parents], node.data, node.k))


class _Graph:
    """The graph of ``root`` read once: names, edges into each node in backward() order, right grads."""

    def __init__(self, root):
        self.root = root
        self.order = topological_order(root)
        self.names = node_names(self.order)
        self.position = {id(n): i for i, n in enumerate(self.order)}
        self.by_name = {}
        for node in self.order:
            self.by_name.setdefault(self.names[id(node)], node)
        self.into = {id(n): [] for n in self.order}
        self.grad = {id(n): 0.0 for n in self.order}
        self.grad[id(root)] = 1.0
        for node in reversed(self.order):
            if not node.parents:
                continue
            if node.fn is None:
                raise TypeError(f"check_grads: the node {self.names[id(node)]} has inputs but no op-table "
                                "entry (fn), so its local derivatives are unknown")
            for i, (parent, local) in enumerate(zip(node.parents, local_factors(node))):
                self.into[id(parent)].append(_Edge(node, i, local))
                self.grad[id(parent)] += self.grad[id(node)] * local

    def name(self, node) -> str:
        return self.names[id(node)]

    def checked(self) -> list:
        """The nodes that have a gradient to check: every one but the constants, in backward() order."""
        return [n for n in reversed(self.order) if not is_constant(n)]

    def paths(self, target, limit: int = 64) -> list:
        """The paths from the root down to ``target`` as lists of (node, local factor to the next node)."""
        reach = reaching(self.order, target)
        found, stack = [], [(self.root, [])]
        while stack and len(found) < limit:
            node, path = stack.pop()
            if node is target:
                found.append(path + [(node, 1.0)])
                continue
            steps = [(p, path + [(node, loc)]) for p, loc in zip(node.parents, local_factors(node))
                     if id(p) in reach] if node.parents else []
            stack.extend(reversed(steps))
        return found

    def below(self, node) -> list:
        """The nodes whose gradient is computed from ``node``'s (its inputs, theirs…), backward() order."""
        seen = {id(n) for n in topological_order(node)}
        return [n for n in self.checked() if id(n) in seen and n is not node]

    def path_text(self, path) -> str:
        return " → ".join(self.name(n) for n, _ in path)


# --------------------------------------------------------------------------- the rules
@dataclass(frozen=True)
class _Candidate:
    code: str
    value: float
    detail: dict = field(default_factory=dict)


def _candidates(graph: _Graph, node, upstream: dict) -> list:
    """Every classic wrong rule applied at ``node`` with the upstream gradients ``upstream``."""
    edges = graph.into[id(node)]
    if node is graph.root:  # the seed ∂L/∂L = 1: only a sign or a factor can be off
        return [_Candidate("sign", -1.0, {"edge": None})] + \
            [_Candidate("factor", ratio, {"edge": None, "ratio": ratio}) for ratio in (2, 0.5)]
    if not edges:
        return []
    ups = [upstream[id(e.child)] for e in edges]
    parts = [u * e.local for u, e in zip(ups, edges)]
    total = math.fsum(parts)
    out = []
    if len(edges) > 1:
        out.append(_Candidate("last_contribution_only", parts[-1], {"kept": len(edges) - 1, "parts": parts}))
    out += _missing_edges(edges, parts, total)
    out += _missing_paths(graph, node)
    out += _input_for_output(edges, ups, total, parts)
    out.append(_Candidate("local_only", math.fsum(e.local for e in edges), {"edges": edges}))
    out.append(_Candidate("upstream_only", math.fsum(ups), {"edges": edges, "ups": ups}))
    out.append(_Candidate("sign", -total, {"edge": None}))
    for ratio in (2, 0.5):
        out.append(_Candidate("factor", ratio * total, {"edge": None, "ratio": ratio}))
    if len(edges) > 1:
        for i, part in enumerate(parts):
            out.append(_Candidate("sign", total - 2 * part, {"edge": i}))
            for ratio in (2, 0.5):
                out.append(_Candidate("factor", total + (ratio - 1) * part, {"edge": i, "ratio": ratio}))
    if not node.parents:
        right = graph.grad[id(node)]
        out += [_Candidate("stale_accumulation", n * right, {"n": n}) for n in (2, 3, 4)]
    return out


def _missing_edges(edges, parts, total) -> list:
    """The sum without some of the contributions (a strict, non-empty part of them kept)."""
    n = len(edges)
    if n < 2 or n > MAX_SUBSETS:
        return []
    out = []
    for size in range(1, n):
        for missing in itertools.combinations(range(n), size):
            gone = math.fsum(parts[i] for i in missing)
            out.append(_Candidate("missing_path", total - gone,
                                  {"edges": [edges[i] for i in missing], "contribution": gone}))
    return out


def _missing_paths(graph, node) -> list:
    """The sum over a strict, non-empty subset of the paths from the root (right values along them)."""
    paths = graph.paths(node, limit=MAX_SUBSETS + 1)
    if len(paths) < 2 or len(paths) > MAX_SUBSETS:
        return []
    values = [math.prod(loc for _, loc in p) for p in paths]
    total = math.fsum(values)
    out = []
    for size in range(1, len(paths)):
        for missing in itertools.combinations(range(len(paths)), size):
            gone = math.fsum(values[i] for i in missing)
            out.append(_Candidate("missing_path", total - gone,
                                  {"paths": [paths[i] for i in missing], "contribution": gone}))
    return out


def _input_for_output(edges, ups, total, parts) -> list:
    """tanh', σ', exp' with input and output confused, on every such edge, both ways round.

    ``"input"``: the input put where the output belongs in the output form (``1 − b²`` for
    c = tanh b, instead of ``1 − c²``); ``"output"``: the output put where the input belongs in the
    op table's form (``1 − tanh²(c)`` instead of ``1 − tanh²(b)``).
    """
    out = []
    for direction in ("input", "output"):
        wrong_total, swapped = total, []
        for i, e in enumerate(edges):
            form = OUTPUT_FORMS.get(getattr(e.child.fn, "name", None))
            if form is None:
                continue
            inp, result = e.child.parents[0].data, e.child.data
            try:
                wrong = evaluate(form, {"out": inp}) if direction == "input" else \
                    evaluate(e.child.fn.derivs[0], {"x": result})
            except (ArithmeticError, ValueError):
                continue
            wrong_total += ups[i] * wrong - parts[i]
            swapped.append((e, wrong))
        if swapped:
            detail = {"swapped": swapped, "direction": direction}
            out.append(_Candidate("input_for_output", wrong_total, detail))
    return out


# --------------------------------------------------------------------------- one node's diagnosis
@dataclass(frozen=True)
class Diagnosis:
    """Why ∂root/∂node is off: ``code`` (one of :data:`CODES`), the numbers, and the text's pieces.

    ``origin`` is the name of the node whose mistake this one inherits (``None``: the mistake is
    made here); ``ties`` the other codes whose rules give the same number.
    """

    name: str
    node: object
    answer: float
    correct: float
    code: str
    origin: str | None = None
    ties: tuple = ()
    candidate: object = None
    upstream: dict = field(default_factory=dict, repr=False)
    inherited_from: object = field(default=None, repr=False)  # the input whose wrong value this one carries


def _diagnose(graph, node, answer, implied, origins, rtol, atol, reading) -> Diagnosis:
    """Why ``answer`` is off at ``node``: inherited from above, else the classic rules that give it."""
    name, right = graph.name(node), graph.grad[id(node)]
    student_up = {id(e.child): implied[id(e.child)] for e in graph.into[id(node)]}
    wrong_up = [e.child for e in graph.into[id(node)] if id(e.child) in origins]
    if wrong_up and close(answer, _sum(graph, node, student_up), rtol, atol):
        origin = origins[id(wrong_up[0])]
        return Diagnosis(name, node, answer, right, origin.code, origin.origin or origin.name,
                         upstream=student_up, inherited_from=wrong_up[0])
    found = []
    for upstream in _upstreams(graph, node, student_up):
        for cand in _candidates(graph, node, upstream):
            if close(answer, cand.value, rtol, atol) and cand.code not in {c.code for c, _ in found}:
                found.append((cand, upstream))
    if not found:
        return Diagnosis(name, node, answer, right, "unknown", upstream=student_up)
    priority = _PRIORITY_READ if reading else _PRIORITY
    found.sort(key=lambda item: priority.index(item[0].code))
    best, upstream = found[0]
    return Diagnosis(name, node, answer, right, best.code, ties=tuple(c.code for c, _ in found[1:]),
                     candidate=best, upstream=upstream)


def _sum(graph, node, upstream) -> float:
    return math.fsum(upstream[id(e.child)] * e.local for e in graph.into[id(node)])


def _upstreams(graph, node, student_up):
    """The student's upstream values, then the right ones if they differ."""
    yield student_up
    right = {id(e.child): graph.grad[id(e.child)] for e in graph.into[id(node)]}
    if right != student_up:
        yield right


def diagnose_values(root, answers: dict, rtol: float = 1e-6, atol: float = 1e-9, reading: bool = False):
    """``(graph, {id(node): Diagnosis} for the wrong ones)`` from ``answers`` (``id(node) -> number``).

    Going down from the root, each node's *implied* value is the student's answer where there is one,
    else what the right rule gives from the implied values above it: a node the student skipped
    passes the student's numbers on, so a mistake made above it is still seen as inherited below.
    """
    graph = _Graph(root)
    diagnoses, implied, origins = {}, {}, {}   # origins: id -> the Diagnosis a wrong implied value comes from
    for node in reversed(graph.order):
        given = id(node) in answers and not is_constant(node)
        propagated = 1.0 if node is root else _sum(graph, node, implied)
        implied[id(node)] = answers[id(node)] if given else propagated
        if close(implied[id(node)], graph.grad[id(node)], rtol, atol):
            continue
        if given:
            found = _diagnose(graph, node, answers[id(node)], implied, origins, rtol, atol, reading)
            diagnoses[id(node)] = origins[id(node)] = found
        else:
            wrong = next((e.child for e in graph.into[id(node)] if id(e.child) in origins), None)
            if wrong is not None:
                origins[id(node)] = origins[id(wrong)]
    return graph, diagnoses
