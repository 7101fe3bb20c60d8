"""The forward and backward passes as Beamer slides: one picture that fills in, step by step.

The graph is laid out once (:func:`viz.player.animation`, the player's "one layout, many frames");
each box and edge is drawn in TikZ at its place (:mod:`viz.tikz`) with one ``\\only<a-b>`` per
look it takes during the pass, so that page ``n`` of a frame is step ``n``. Under the picture, the
chain-rule line of the step is typeset from the op table's formula trees:

    ∂L/∂w1 += ∂L/∂a · ∂a/∂w1 = (−3) · x = (−3) · (−1.5) = 4.5

The file compiles as is (``pdflatex cours.tex``: a ``beamer`` document), or goes into a teacher's
own deck: ``\\usepackage{tikz}`` in its preamble, then ``\\input{cours.tex}`` where the frames go;
the file's own preamble is then skipped.
"""
from __future__ import annotations

from pathlib import Path

from microgradfr.formula import Chain, D, Eq, Num, Sym, substitute

from .backend import atomic_write
from .dot import Drawing, Frame, checked_order, make_options
from .latex import latex_of, math_name, message, number_latex
from .player import animation
from .steps import backward_steps, forward_steps
from .text import check_lang, number, show
from .text import text as sentence
from .tikz import (
    GUARD_BEGIN,
    GUARD_END,
    MACROS,
    Labels,
    box_look,
    draw_box,
    draw_constant,
    draw_edge,
    draw_generic,
    draw_oval,
    edge_look,
    geometry,
    picture,
)

__all__ = ["to_beamer", "beamer_frames", "STEPS", "step_lines"]

STEPS = ("backward", "forward", "both")
PRECISION = 4

DECK_PREAMBLE = r"""\documentclass[aspectratio=169]{beamer}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{tikz}
\setbeamertemplate{navigation symbols}{}"""


def to_beamer(root, path, lang: str | None = None, steps: str = "backward", renderer: str | None = None,
              **draw_opts) -> Path:
    """Write Beamer frames of ``root``'s graph filling in step by step; returns the path.

    ``steps``: ``"backward"`` (the default: one page per backward step), ``"forward"``, or
    ``"both"`` (a frame for each pass). ``draw_opts`` are :func:`viz.draw_dot`'s (``rankdir``,
    ``color=None`` for print, ``legend=True``: slides leave the colour legend out unless asked);
    edges carry their contributions unless ``edge_grads=False``.
    The file compiles with ``pdflatex``, or is ``\\input`` into a deck that loads ``tikz``.

    >>> import tempfile, pathlib
    >>> from microgradfr.demo import course_graph
    >>> L, _ = course_graph()
    >>> path = to_beamer(L, pathlib.Path(tempfile.mkdtemp()) / "cours.tex")
    >>> path.read_text().count(r"\\begin{frame}")
    1
    """
    lang = check_lang(lang)
    if steps not in STEPS:
        raise ValueError(sentence(lang, "slides_steps", where="to_beamer", value=steps,
                              choices=", ".join(map(repr, STEPS))))
    path = Path(path)
    if path.suffix.lower() != ".tex":
        raise ValueError(sentence(lang, "slides_tex", name=path.name))
    if not path.parent.is_dir():
        raise FileNotFoundError(sentence(lang, "slides_no_folder", where="to_beamer",
                                         folder=str(path.parent)))
    frames = beamer_frames(root, lang, steps, renderer, **draw_opts)
    text = "\n".join([
        "% Slides drawn by microgradfr (viz.to_beamer): pdflatex this file, or, in a deck of your own,",
        "% \\usepackage{tikz} in its preamble and \\input{this file} where the frames go.",
        GUARD_BEGIN + DECK_PREAMBLE, r"\begin{document}", r"\fi", MACROS, frames, GUARD_END, ""])
    return atomic_write(path, text)


def beamer_frames(root, lang: str | None = None, steps: str = "backward", renderer: str | None = None,
                  **draw_opts) -> str:
    """The ``frame`` environments alone (one per pass asked for), for a deck of your own."""
    draw_opts = {"legend": False, **draw_opts}  # a slide has no room for it; pass legend=True to keep it
    anim = animation(root, lang, **draw_opts)
    geo = geometry(anim.layout(renderer).svg)
    options = make_options(**{"edge_grads": True, "size": None, **draw_opts, "lang": lang})
    labels = Labels(Drawing(root, checked_order(root, 10 ** 9), options, Frame()))
    states = list(anim.states())
    passes = {"forward": list(forward_steps(root)), "backward": list(backward_steps(root))}
    phases = ("forward", "backward") if steps == "both" else (steps,)
    out = []
    for phase in phases:
        indices = [i for i, f in enumerate(anim.frames) if f["phase"] == phase]
        looks = [states[i] for i in indices]
        lines = [step_lines(s, lang, labels.names) for s in passes[phase]]
        out.append(_frame(phase, looks, lines, anim, geo, labels, lang))
    return "\n\n".join(out)


def _frame(phase, looks, lines, anim, geo, labels, lang) -> str:
    n = len(looks)
    phase_name = message(f"slides.{phase}", lang)
    titles = "".join(rf"\only<{k}>{{{message('slides.title', lang, phase=phase_name, step=k, total=n)}}}"
                     for k in range(1, n + 1))
    body = _overlays(looks, anim, geo, labels)
    fitted = [r"\par ".join(rf"\mgffit{{\linewidth}}{{2.4em}}{{{line}}}" for line in ls) for ls in lines]
    text = "\n".join(rf"\only<{k}>{{{one}}}" for k, one in enumerate(fitted, start=1))
    return "\n".join([
        r"\begin{frame}[t]", rf"\frametitle{{{titles}}}", r"\centering",
        r"\mgffit{\linewidth}{0.64\textheight}{%", picture(geo, body), "}", r"\par\vspace{0.6em}",
        r"\begin{minipage}[t][0.22\textheight]{\linewidth}\small\raggedright", text, r"\end{minipage}",
        r"\end{frame}"])


def _overlays(looks, anim, geo, labels) -> list:
    """Every element of the layout; one that changes during the pass once per run of equal looks."""
    counts = {eid: [len(f) for f in d["fields"]] for eid, d in anim.elements.items() if d["kind"] == "value"}
    body = []
    for sid in geo.order:
        shape, info = geo.shapes[sid], anim.elements.get(sid)
        body.append(f"% {sid}")
        if info is None:
            body += _fixed(sid, shape, geo, labels)
            continue
        runs = _runs([_look(sid, state[sid], info, counts, labels) for state in looks])
        for (first, last), look in runs:
            draw = draw_edge(shape, look, geo.scale) if info["kind"] == "edge" else \
                draw_box(shape, look, geo.scale)
            if len(runs) == 1:
                body += draw
            else:
                body.append(rf"\only<{first}-{last}>{{" + "\n".join(draw) + "}")
    return body


def _fixed(sid, shape, geo, labels) -> list:
    """An element no step changes: an op oval, a constant, a cluster, the legend."""
    if shape.kind == "node" and shape.ellipses and sid.startswith("n") and "_" in sid:
        return draw_oval(shape, labels.op(sid), geo.scale)
    if shape.kind == "node" and sid.startswith("n") and sid[1:].isdigit():
        return draw_constant(shape, labels.constant(sid), geo.scale)
    return draw_generic(shape, geo.scale)


def _look(sid, state, info, counts, labels):
    if info["kind"] == "edge":
        return edge_look(state.get("l"), state)
    flat, fields, start = state["t"], [], 0
    for n in counts[sid]:
        fields.append(flat[start:start + n])
        start += n
    fields = [[line for line in f if line] or [""] for f in fields]
    return box_look(fields, state, labels.name, labels.root_name)


def _runs(items) -> list:
    """``[((first, last), item)]``: consecutive equal items, overlay numbers from 1."""
    runs = []
    for k, item in enumerate(items, start=1):
        if runs and runs[-1][1] == item:
            runs[-1] = ((runs[-1][0][0], k), item)
        else:
            runs.append(((k, k), item))
    return runs


def _num(v):
    """A value in a formula: a number, or an array as its values (``[1, 2]``) or norm, written as text."""
    try:
        return Num(float(v), digits=PRECISION)
    except (TypeError, ValueError):
        return Sym(show(v, PRECISION))


def _dollars(tree) -> str:
    return "$" + latex_of(tree) + "$"


def step_lines(step, lang: str | None = None, names: dict | None = None) -> list:
    r"""The chain-rule lines of one step, in LaTeX, from the formula trees.

    >>> from microgradfr.demo import course_graph
    >>> step = [s for s in backward_steps(course_graph()[0]) if s.name == "a"][0]
    >>> line = step_lines(step, "en")[0]
    >>> line.startswith(r"$\frac{\partial L}{\partial w_{1}} \mathrel{+}= \frac{\partial L}{\partial a}")
    True
    >>> print(line.split(" = ", 1)[1])
    \left(-3\right) \cdot x = \left(-3\right) \cdot \left(-1.5\right) = 4.5$
    """
    name, root = Sym(step.name), Sym(step.root_name)
    if step.phase == "forward":
        data = _num(step.node.data)
        if not step.node.parents:
            return [message("slides.leaf_forward", lang, name=f"${math_name(step.name)}$",
                            value=_dollars(data))]
        named = names or {id(p): p.label for p in step.node.parents if p.label}
        values = {named[id(p)]: _num(p.data) for p in step.node.parents if id(p) in named}
        sides = [name, step.expression, substitute(step.expression, values, fold=False), data]
        return ["$" + _chain(sides) + "$"]
    out = []
    if step.index == 0:
        out.append(message("slides.seed", lang, name=f"${math_name(step.name)}$",
                           seed=_dollars(Eq((D(root, root), Num(1))))))
    elif not step.node.parents:
        grad = Eq((D(root, name), _num(step.upstream))) if step.upstream is not None else D(root, name)
        out.append(message("slides.leaf_backward", lang, name=f"${math_name(step.name)}$",
                           grad=_dollars(grad)))
    for p in step.parents:
        lhs = latex_of(D(root, Sym(p.name)))
        if p.local is None:  # a Tensor op: a vector-Jacobian product, not a number
            out.append(message("slides.vjp_backward", lang, lhs=f"${lhs}$", deriv=_dollars(p.deriv_tree),
                               g=_dollars(Eq((Sym("g"), D(root, name))))))
            continue
        sides = [Chain((D(root, name), p.symbol)), Chain((_num(step.upstream), p.deriv_tree)),
                 Chain((_num(step.upstream), _num(p.local))), _num(p.contribution)]
        out.append(f"${lhs} \\mathrel{{+}}= " + _chain(sides) + "$")
        if p.before:
            out.append(message("slides.accumulate", lang, parent=f"${math_name(p.name)}$",
                               before=f"${number_latex(number(p.before, PRECISION))}$",
                               after=f"${number_latex(number(p.after, PRECISION))}$"))
    return out


def _chain(sides) -> str:
    """``a = b = c`` in LaTeX, a side dropped where it reads exactly as the one before it."""
    kept = []
    for side in sides:
        latex = latex_of(side)
        if not kept or latex != kept[-1]:
            kept.append(latex)
    return " = ".join(kept)
