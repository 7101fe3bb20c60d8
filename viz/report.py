"""A :class:`~microgradfr.testing.GradReport` drawn: the right gradients, the student's next to the wrong
ones, wrong nodes outlined in red and the first one to go wrong (in backward() order) in orange.

Importing ``viz`` registers :func:`draw_report` as the report's drawer, so that ``report.draw()``
and a report shown in Jupyter draw through ``viz`` while the core never imports it.
"""
from __future__ import annotations

from dataclasses import replace

from microgradfr import i18n
from microgradfr.formula import Num, to_text
from microgradfr.testing.diagnosis import DRAWERS

from .dot import BAD_COLOR, Frame, draw_dot
from .format import format_node
from .protocol import topological_order
from .text import check_lang

__all__ = ["draw_report"]

_TEXTS = i18n.table("viz.report")  # a view of the catalogue's viz.report.* entries


def draw_report(report, lang: str | None = None, **options):
    """The report's graph as a diagram (``options`` go to :func:`viz.draw_dot`).

    >>> from microgradfr.demo import course_graph
    >>> from microgradfr.testing import check_grads
    >>> L, v = course_graph()
    >>> source = draw_report(check_grads(L, {"w1": 4.5, "x": 6.0})).source
    >>> "vous : 6" in source and "grad -6" in source
    True
    """
    lang = check_lang(lang or report.lang)
    texts = _TEXTS[lang]
    first = report.first_node
    wrong = {id(n): report.details[name] for name, n in zip(report.wrong, report.wrong_nodes)}
    right = {id(n): report.correct.get(report.name(n), 0.0) for n in topological_order(report.root)}

    def formatter(node, name, grad, **kw):
        view = format_node(node, name, grad, **kw)
        diag = wrong.get(id(node))
        if diag is None or view.state == "blank":
            return view
        extra = texts["yours"].format(value=to_text(Num(diag.answer, digits=4)).replace("−", "-"))
        if node is first:
            extra += f" · {texts['first']}"
        return replace(view, grad=f"{view.grad}\n{extra}")

    outline = {n: BAD_COLOR for n in report.wrong_nodes if n is not first}
    graph = draw_dot(report.root, lang=lang, formatter=formatter, frame=Frame(grads=right),
                     outline=outline, highlight=first, **options)
    if not report.ok:
        graph.attr(label=texts["legend"], labelloc="b", fontsize="11")
    return graph


DRAWERS["viz"] = draw_report
