"""``check_grads``: a student's gradients checked node by node, each wrong one with the mistake named.

The mistakes are found in :mod:`microgradfr.testing.mistakes`, by recomputing each wrong gradient
under every classic wrong rule; this module writes what was found (a :class:`GradReport`: codes,
a paragraph per wrong node in French or English, a diagram through ``viz``) and checks the answers.
"""
from __future__ import annotations

import html

from .. import i18n
from ..autograd import is_node, is_scalar, topological_order
from ..formula import Chain, D, Eq, Expr, Num, Sym, substitute, to_text
from ..naming import is_constant, local_names, node_names
from .mistakes import CODES, OUTPUT_FORMS, Diagnosis, diagnose_values

__all__ = ["check_grads", "GradReport", "Diagnosis", "CODES", "DRAWERS", "diagnose_values", "mistake_lines"]


MAX_PARAGRAPHS = 12
"""Wrong nodes written out in ``str(report)``; the others are one ``report.paragraph(name)`` away."""

DRAWERS: dict = {}
"""Who draws a report (``viz`` registers ``"viz"`` when imported; the core never imports viz)."""


# --------------------------------------------------------------------------- texts
_TEXTS = i18n.table("testing.diag")  # a view of the catalogue's testing.diag.* entries


def _t(lang: str, key: str, **fields):
    entry = _TEXTS[lang][key]
    return entry.format(**fields) if isinstance(entry, str) else entry


def check_lang(lang: str | None) -> str:
    """``lang``, checked, or with None the language switch's (French unless set)."""
    return i18n.resolve(lang)


def _num(v: float) -> str:
    """A number as the texts write it (``−1.5``, ``0.4199``), through the formula printer."""
    return to_text(Num(float(v), digits=4))


# --------------------------------------------------------------------------- the report
class GradReport:
    """What :func:`check_grads` found: ``ok``, ``wrong`` (names), ``diagnoses`` (name → code), a text.

    ``str(report)`` is a short paragraph per wrong node, in the report's language;
    ``report.text("en")`` in another; ``report.draw()`` a diagram (needs ``viz``), also shown
    when the report is the last line of a notebook cell.
    """

    def __init__(self, root, graph, answers, found, lang, reading):
        self.root, self.lang, self.reading = root, lang, reading
        self._graph, self._found = graph, found
        self.answers = {graph.name(n): answers[id(n)] for n in graph.checked() if id(n) in answers}
        self.correct = {graph.name(n): graph.grad[id(n)] for n in graph.checked()}
        self.details = {d.name: d for d in found.values()}
        self.wrong = [d.name for d in found.values()]
        self.diagnoses = {d.name: d.code for d in found.values()}
        self.first = self.wrong[0] if self.wrong else None

    @property
    def ok(self) -> bool:
        return not self.wrong

    @property
    def first_node(self):
        """The first node (in backward() order) whose answer is off, or None."""
        return self.details[self.first].node if self.first else None

    def name(self, node) -> str:
        """The name the report gives ``node`` (its label, or ``a, b, c…``, as in viz's diagrams)."""
        return self._graph.name(node)

    @property
    def wrong_nodes(self) -> list:
        return [d.node for d in self.details.values()]

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        return f"GradReport(ok={self.ok}, diagnoses={self.diagnoses!r})"

    def __str__(self) -> str:
        return self.text(self.lang)

    def text(self, lang: str | None = None) -> str:
        """The report in ``lang`` (its own by default): a summary, then one paragraph per wrong node."""
        lang = check_lang(lang or self.lang)
        if self.ok:
            return _t(lang, "ok", count=len(self.answers))
        shown = self.wrong[:MAX_PARAGRAPHS]
        names = ", ".join(shown) + (", …" if len(self.wrong) > len(shown) else "")
        summary = _t(lang, "summary", wrong=len(self.wrong), count=len(self.answers), names=names,
                     first=self.first)
        parts = [summary] + [self.paragraph(name, lang) for name in shown]
        if len(self.wrong) > len(shown):
            parts.append(_t(lang, "more", more=len(self.wrong) - len(shown)))
        return "\n\n".join(parts)

    def paragraph(self, name: str, lang: str | None = None) -> str:
        """The lines about one wrong node: the numbers, the mistake, the right chain rule, what to redo."""
        lang = check_lang(lang or self.lang)
        return "\n".join(_Writer(self._graph, self._found, lang).paragraph(self.details[name]))

    def draw(self, **options):
        """The graph with the right gradients, wrong nodes outlined, the first wrong one marked (viz)."""
        drawer = DRAWERS.get("viz")
        if drawer is None:
            raise RuntimeError(_t(self.lang, "no_viz"))
        return drawer(self, **options)

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        """In a notebook: the text, then the diagram under it (HTML), or the text alone without viz."""
        text = str(self)
        bundle = {"text/plain": text}
        svg = None
        if "viz" in DRAWERS:
            try:
                svg = self.draw()._repr_mimebundle_().get("image/svg+xml")
            except Exception:  # noqa: BLE001 - a display must never raise; the text stays
                svg = None
        if svg:
            bundle["text/html"] = f"<pre>{html.escape(text)}</pre>\n{svg[svg.find('<svg'):]}"
        return bundle


class _Writer:
    """Builds the sentences of one report in one language from formula trees and numbers."""

    def __init__(self, graph, found, lang):
        self.g, self.found, self.lang = graph, found, lang
        self.root = graph.name(graph.root)

    def d(self, node) -> str:
        return to_text(D(Sym(self.root), Sym(self.g.name(node))), self.lang)

    def paragraph(self, diag: Diagnosis) -> list:
        node = diag.node
        lines = [_t(self.lang, "head", d=self.d(node), answer=_num(diag.answer), correct=_num(diag.correct))]
        if node is self.g.root:
            lines.append(_t(self.lang, "seed", d=self.d(node), name=diag.name))
            return lines
        lines.append(self.mistake(diag))
        if diag.ties:
            short = _t(self.lang, "short")
            lines.append(_t(self.lang, "tie", others=_t(self.lang, "or").join(short[c] for c in diag.ties)))
        lines.append(_t(self.lang, "chain", line=to_text(self.chain_line(node), self.lang)))
        lines.append(self.redo(node, diag))
        return lines

    # ---------------------------------------------------------------- the mistake
    def mistake(self, diag: Diagnosis) -> str:
        if diag.origin is not None:
            up = diag.inherited_from
            return _t(self.lang, "inherited", name=diag.name, up=self.d(up),
                      up_answer=_num(diag.upstream[id(up)]), up_correct=_num(self.g.grad[id(up)]),
                      origin=diag.origin)
        if diag.code == "unknown":
            return _t(self.lang, "unfilled") if diag.answer == 0 else _t(self.lang, "unknown")
        return getattr(self, "_" + diag.code)(diag, diag.candidate.detail)

    def via_edge(self, edge, node) -> str:
        """The paths an edge child → node stands for: one path written out, or how many go through it."""
        paths = self.g.paths(edge.child, limit=4)
        if len(paths) == 1:
            return _t(self.lang, "path_one", path=self.g.path_text(paths[0]) + " → " + self.g.name(node))
        edge_text = f"{self.g.name(edge.child)} → {self.g.name(node)}"
        return _t(self.lang, "through", count=_count_paths(self.g, edge.child), edge=edge_text)

    def _missing_path(self, diag, detail):
        if "paths" in detail:
            texts = [self.g.path_text(p) for p in detail["paths"]]
            via = (_t(self.lang, "path_one", path=texts[0]) if len(texts) == 1
                   else _t(self.lang, "path_many", paths=_t(self.lang, "and").join(texts)))
            many = len(texts) > 1
        else:
            vias = [self.via_edge(e, diag.node) for e in detail["edges"]]
            via = _t(self.lang, "and").join(vias)
            many = len(vias) > 1 or any(_count_paths(self.g, e.child) > 1 for e in detail["edges"])
        # one sentence for one path, one for several: the verb agrees (« il apporte », « ils apportent »)
        text = _t(self.lang, "missing_path")[many].format(via=via, contribution=_num(detail["contribution"]))
        return text[0].upper() + text[1:]

    def _last_contribution_only(self, diag, detail):
        edges = self.g.into[id(diag.node)]
        rest = _t(self.lang, "and").join(f"{self.via_edge(e, diag.node)} ({_num(p)})"
                                         for e, p in zip(edges[:-1], detail["parts"][:-1]))
        return _t(self.lang, "last_contribution_only", contribution=_num(detail["parts"][-1]),
                  via=self.via_edge(edges[-1], diag.node), name=diag.name, rest=rest)

    def local_line(self, edge, node) -> str:
        """``∂c/∂b = 1 − c² = 0.58``: one local factor, symbol, formula and number."""
        symbol = D(Sym(self.g.name(edge.child)), Sym(self.g.name(node)))
        if edge.child is self.g.root:
            symbol = self.term(edge, symbol)
        parts = [symbol, self.deriv_tree(edge), Num(edge.local, digits=4)]
        return _eq_text(parts, self.lang)

    def _local_only(self, diag, detail):
        locals_ = "; ".join(self.local_line(e, diag.node) for e in detail["edges"])
        ups = " + ".join(f"{self.d(e.child)} = {_num(diag.upstream[id(e.child)])}" for e in detail["edges"])
        return _t(self.lang, "local_only", local=locals_, up=ups)

    def _upstream_only(self, diag, detail):
        ups = " + ".join(f"{self.d(e.child)} = {_num(u)}" for e, u in zip(detail["edges"], detail["ups"]))
        locals_ = "; ".join(self.local_line(e, diag.node) for e in detail["edges"])
        return _t(self.lang, "upstream_only", up=ups, local=locals_)

    def _sign(self, diag, detail):
        edges = self.g.into[id(diag.node)]
        if detail["edge"] is None:
            return _t(self.lang, "sign", local="; ".join(self.local_line(e, diag.node) for e in edges))
        e = edges[detail["edge"]]
        return _t(self.lang, "sign_one", via=self.via_edge(e, diag.node), local=self.local_line(e, diag.node))

    def _factor(self, diag, detail):
        edges = self.g.into[id(diag.node)]
        ratio = detail["ratio"]
        if detail["edge"] is None:
            return _t(self.lang, "factor", ratio=_t(self.lang, "ratio")[ratio],
                      local="; ".join(self.local_line(e, diag.node) for e in edges))
        e = edges[detail["edge"]]
        return _t(self.lang, "factor_one", via=self.via_edge(e, diag.node),
                  ratio_one=_t(self.lang, "ratio_one")[ratio], local=self.local_line(e, diag.node))

    def _input_for_output(self, diag, detail):
        sentences = []
        for edge, _ in detail["swapped"]:
            child = edge.child
            inp, outp = self.g.name(child.parents[0]), self.g.name(child)
            if detail["direction"] == "input":
                form = OUTPUT_FORMS[child.fn.name]
                wrong, right = substitute(form, {"out": inp}), substitute(form, {"out": outp})
            else:
                form = child.fn.derivs[0]
                wrong, right = substitute(form, {"x": outp}), substitute(form, {"x": inp})
            key = "input_for_output" if detail["direction"] == "input" else "output_for_input"
            sentences.append(_t(self.lang, key, op=_op_text(child, self.lang),
                                input=inp, output=f"{outp} = {_op_text(child, self.lang, inp)}",
                                wrong=to_text(wrong, self.lang), right=to_text(right, self.lang)))
        return " ".join(sentences)

    def _stale_accumulation(self, diag, detail):
        return _t(self.lang, "stale_accumulation", n=detail["n"], name=diag.name)

    # ---------------------------------------------------------------- the right chain rule
    def deriv_tree(self, edge) -> Expr:
        child = edge.child
        try:
            return child.fn.deriv_tree(edge.index, local_names(child, self.g.names))
        except (IndexError, KeyError, ValueError, TypeError):
            return Num(edge.local, digits=4)

    def chain_line(self, node) -> Expr:
        """∂L/∂v = Σ ∂L/∂c · ∂c/∂v = Σ ∂L/∂c · (formula) = Σ numbers = total, from formula trees.

        The terms come in the graph's order (the first use of v first), as a student writes them.
        """
        edges = sorted(self.g.into[id(node)], key=lambda e: (self.g.position[id(e.child)], e.index))
        r = Sym(self.root)
        symbols = [self.term(e, D(Sym(self.g.name(e.child)), Sym(self.g.name(node)))) for e in edges]
        formulas = [self.term(e, self.deriv_tree(e)) for e in edges]
        numbers = [self.term(e, Num(e.local, digits=4), Num(self.g.grad[id(e.child)], digits=4))
                   for e in edges]
        sides = [D(r, Sym(self.g.name(node))), _plus(symbols), _plus(formulas), _plus(numbers),
                 Num(self.g.grad[id(node)], digits=4)]
        return _dedupe(sides, self.lang)

    def term(self, edge, local, upstream=None) -> Expr:
        """upstream · local; from the root itself the local factor alone (∂L/∂L = 1 goes unsaid)."""
        if edge.child is self.g.root:
            if isinstance(local, D):
                return D(self.g.root.fn.expression_tree(local_names(self.g.root, self.g.names)), local.wrt)
            return local
        if upstream is None:
            upstream = D(Sym(self.root), Sym(self.g.name(edge.child)))
        return Chain((upstream, local))

    def redo(self, node, diag) -> str:
        if diag.origin is not None:
            origin = self.g.by_name[diag.origin]
            first = self.d(origin)
            more = [n for n in self.g.below(origin) if id(n) in self.found]
        else:
            first = self.d(node)
            more = [n for n in self.g.below(node) if id(n) in self.found]
        if not more:
            return _t(self.lang, "redo", first=first)
        return _t(self.lang, "redo_more", first=first, more=", ".join(self.d(n) for n in more))


def _plus(terms) -> Expr:
    total = terms[0]
    for t in terms[1:]:
        total = total + t
    return total


def _dedupe(sides, lang) -> Eq:
    """An equality without a side that reads exactly as the one before it."""
    kept = [sides[0]]
    for side in sides[1:]:
        if to_text(side, lang) != to_text(kept[-1], lang):
            kept.append(side)
    return Eq(tuple(kept))


def _eq_text(sides, lang) -> str:
    return to_text(_dedupe(sides, lang), lang)


def _op_text(node, lang, inp: str | None = None) -> str:
    """``tanh``, or ``tanh b`` with its input's name."""
    return node.fn.symbol if inp is None else to_text(substitute(node.fn.expr, {"x": inp}), lang)


def _count_paths(graph, target) -> int:
    counts = {id(target): 1}
    for node in graph.order:
        if node is not target:
            counts[id(node)] = sum(counts.get(id(p), 0) for p in node.parents)
    return counts.get(id(graph.root), 0)


def mistake_lines(root, answers: dict, lang: str | None = None, rtol: float = 1e-6,
                  atol: float = 1e-9) -> list:
    """For each wrong answer (``id(node) -> number``): the mistake named, then the right chain rule.

    What :func:`~microgradfr.testing.assert_grad` adds to its failure message.
    """
    lang = check_lang(lang)
    graph, found = diagnose_values(root, answers, rtol, atol)
    writer = _Writer(graph, found, lang)
    lines = []
    for diag in found.values():
        paragraph = writer.paragraph(diag)
        colon = _t(lang, "colon")
        lines += [f"  {graph.name(diag.node)}{colon}{line}" for line in paragraph[1:-1]]
    return lines


class UnknownNodeError(KeyError):
    """An answer for a name the graph does not have (a KeyError whose message reads as written)."""

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


# --------------------------------------------------------------------------- the entry point
def check_grads(root, answers: dict | None = None, lang: str | None = None, rtol: float = 1e-6,
                atol: float = 1e-9) -> GradReport:
    """Check a student's gradients of ``root`` and name each mistake.

    ``answers`` maps nodes or their names (labels, or the generated ``a, b, c…``) to the
    student's values of ∂root/∂node; omitted, the ``.grad`` of every node is read (a backward
    pass done by hand, node by node, as in the lecture). A value is right when
    |answer − right| ≤ atol + rtol·|right|. The graph is never changed.

    >>> from microgradfr.demo import course_graph
    >>> L, v = course_graph()                  # L = (w1·x + w2·y)², w1 = 2, x = −1.5, w2 = 0.5, y = 3
    >>> report = check_grads(L, {"w1": 4.5, "x": 6.0})
    >>> report.ok, report.wrong, report.diagnoses
    (False, ['x'], {'x': 'sign'})
    """
    lang = check_lang(lang)
    if not is_node(root):
        raise TypeError(_t(lang, "not_a_node", kind=type(root).__name__))
    graph_order = topological_order(root)
    if not all(is_scalar(n) for n in graph_order):
        raise TypeError(_t(lang, "scalar_only"))
    reading = answers is None
    names = node_names(graph_order)
    by_id = {id(n): n for n in graph_order}
    if reading:
        values = {id(n): n.grad for n in graph_order if not is_constant(n)}
    else:
        values = _resolve(answers, names, by_id, graph_order, lang)
    graph, found = diagnose_values(root, values, rtol, atol, reading)
    return GradReport(root, graph, values, found, lang, reading)


def _resolve(answers, names, by_id, order, lang) -> dict:
    """``id(node) -> float`` from answers keyed by nodes or names, with clear errors."""
    by_name = {}
    for node in order:
        by_name.setdefault(names[id(node)], node)
    out = {}
    for key, value in dict(answers).items():
        if is_node(key):
            node = by_id.get(id(key))
            name = getattr(key, "label", "") or "?"
        else:
            node, name = by_name.get(str(key)), str(key)
        if node is None:
            known = ", ".join(names[id(n)] for n in order if not is_constant(n))
            raise UnknownNodeError(_t(lang, "unknown_name", name=name, names=known))
        if is_constant(node):
            raise ValueError(_t(lang, "constant", name=names[id(node)]))
        if isinstance(value, bool) or not isinstance(value, (int, float)) and not hasattr(value, "__float__"):
            raise TypeError(_t(lang, "not_a_number", name=name, value=value))
        out[id(node)] = float(value)
    return out
