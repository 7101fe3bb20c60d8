"""A diagram as a TikZ picture: the Graphviz layout of the SVG, the texts typeset by LaTeX.

The graph is laid out by the same renderer call as :func:`viz.render`'s SVG; every box, field
separator, oval, edge (its Bézier curve and arrowhead) and cluster is read back from that SVG and
drawn at the same place, in points (``x=1bp``, y downwards). The texts are not copied: names are
typeset in math (``w_{1}``), values and contributions as numbers, a gradient as
``\\partial L/\\partial w_{1} = 4.5``; a label with LaTeX's specials is escaped (:mod:`viz.latex`).

The file :func:`write_tikz` writes compiles on its own with ``pdflatex`` (a page the size of the
picture), and can also be ``\\input`` into a document that loads ``tikz``: its preamble is skipped
when a document is already started. :mod:`viz.beamer` draws its overlays with the same functions.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

from .backend import atomic_write, to_svg
from .dot import MAX_NODES, Drawing, Frame, checked_order, make_options
from .format import BLANK_GRAD
from .latex import colour, escape, is_number, latex_of, math_name, math_number, number_latex
from .protocol import local_names, node_names

__all__ = ["Shape", "Geometry", "geometry", "Look", "to_tikz", "write_tikz", "tikz_picture", "MACROS",
           "box_look", "edge_look"]

_SVG = "{http://www.w3.org/2000/svg}"
FONT_PT = 12.0   # Graphviz's node font size in viz.dot
EDGE_FONT_PT = 11.0


# ------------------------------------------------------------------ reading the layout
@dataclass
class Shape:
    """What the SVG draws for one element (``<g id=...>``), in points, y downwards."""

    id: str
    kind: str                                   # "node", "edge" or "cluster"
    polygons: list = field(default_factory=list)  # [(points, attrs)]
    lines: list = field(default_factory=list)     # [(points, attrs)] record separators
    ellipses: list = field(default_factory=list)  # [((cx, cy, rx, ry), attrs)]
    paths: list = field(default_factory=list)     # [(segments, attrs)]: [start, (c1, c2, end), ...]
    texts: list = field(default_factory=list)     # [((x, y), anchor, size, text, attrs)]

    def bbox(self) -> tuple:
        """(x0, y0, x1, y1) of the element's outline (its first polygon, ellipse or path)."""
        pts = [p for pts, _ in self.polygons for p in pts]
        pts += [(cx + sx * rx, cy + sy * ry) for (cx, cy, rx, ry), _ in self.ellipses for sx in (-1, 1)
                for sy in (-1, 1)]
        for segments, _ in self.paths:
            pts.append(segments[0])
            pts.extend(p for seg in segments[1:] for p in seg)
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        return min(xs), min(ys), max(xs), max(ys)

    @property
    def centre(self) -> tuple:
        x0, y0, x1, y1 = self.bbox()
        return (x0 + x1) / 2, (y0 + y1) / 2


@dataclass
class Geometry:
    """Every element's :class:`Shape` by id, the picture's size and Graphviz's scale factor."""

    shapes: dict
    width: float
    height: float
    scale: float
    order: list     # ids in the SVG's drawing order (clusters first)


def geometry(svg: str) -> Geometry:
    """Read a Graphviz SVG: each node, edge and cluster's shapes in final points (scale applied).

    >>> svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="62pt" height="44pt">'
    ...        '<g id="graph0" transform="scale(0.5 0.5) translate(4 40)"><g id="n0" class="node">'
    ...        '<polygon fill="none" stroke="black" points="0,0 0,-36 54,-36 54,0 0,0"/></g></g></svg>')
    >>> geometry(svg).shapes["n0"].bbox()
    (2.0, 2.0, 29.0, 20.0)
    """
    root = ET.fromstring(svg[svg.find("<svg"):])
    graph = root.find(f"{_SVG}g")
    transform = graph.get("transform", "") if graph is not None else ""
    s = _number_after(r"scale\(([-\d.]+)", transform, 1.0)
    m = re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", transform)
    tx, ty = (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)
    at = lambda x, y: (round(s * (x + tx), 2), round(s * (y + ty), 2))  # noqa: E731
    shapes, order = {}, []
    for g in root.iter(f"{_SVG}g"):
        kind = g.get("class")
        if kind not in ("node", "edge", "cluster"):
            continue
        shape = Shape(g.get("id"), kind)
        for child in g.iter():
            _read(child, shape, at, s)
        shapes[shape.id] = shape
        order.append(shape.id)
    width = _number_after(r"([\d.]+)", root.get("width", "0"), 0.0)
    height = _number_after(r"([\d.]+)", root.get("height", "0"), 0.0)
    return Geometry(shapes, width, height, s, order)


def _number_after(pattern, text, default) -> float:
    m = re.search(pattern, text)
    return float(m.group(1)) if m else default


def _points(text: str, at) -> list:
    return [at(float(x), float(y)) for x, y in (pair.split(",") for pair in text.split())]


def _read(element, shape: Shape, at, s):
    tag = element.tag.replace(_SVG, "")
    attrs = {k: element.get(k) for k in ("fill", "stroke", "stroke-width", "stroke-dasharray")
             if element.get(k) is not None}
    if tag == "polygon":
        shape.polygons.append((_points(element.get("points", ""), at), attrs))
    elif tag == "polyline":
        shape.lines.append((_points(element.get("points", ""), at), attrs))
    elif tag == "ellipse":
        cx, cy = at(float(element.get("cx")), float(element.get("cy")))
        shape.ellipses.append(((cx, cy, s * float(element.get("rx")), s * float(element.get("ry"))), attrs))
    elif tag == "path":
        shape.paths.append((_bezier(element.get("d", ""), at), attrs))
    elif tag == "text":
        size = float(element.get("font-size", FONT_PT)) * s
        content = "".join(element.itertext())
        shape.texts.append((at(float(element.get("x")), float(element.get("y"))),
                            element.get("text-anchor", "middle"), size, content, attrs))


def _bezier(d: str, at) -> list:
    """Graphviz paths are ``M p C c1 c2 p c1 c2 p ...``: the start, then (c1, c2, end) triples."""
    numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", d)]
    pts = [at(numbers[i], numbers[i + 1]) for i in range(0, len(numbers) - 1, 2)]
    return [pts[0]] + [tuple(pts[i:i + 3]) for i in range(1, len(pts) - 2, 3)]


# ------------------------------------------------------------------ what each element looks like
@dataclass
class Look:
    """How one box or edge is drawn in one frame (the player's look, with its texts as LaTeX)."""

    fields: tuple = ()        # boxes: the LaTeX of each field
    fill: str | None = None
    stroke: str = "black"
    width: float = 1.0
    dashed: bool = False
    text: str = "black"
    label: str = ""           # edges: the LaTeX of the label


def box_look(lines_per_field, attrs_or_look, name_of, root_name) -> Look:
    """A value box's :class:`Look` from its fields' lines and its style (DOT attrs or a player look)."""
    a = attrs_or_look
    if "t" in a:  # a look of viz.player
        fill, stroke, width, dashed, text = a["f"], a["s"], a["w"], bool(a["d"]), a["c"]
    else:
        style = a.get("style", "")
        fill = a.get("fillcolor", "none") if "filled" in style else "none"
        stroke, width, dashed, text = a.get("color", "black"), float(a.get("penwidth", 1)), \
            "dashed" in style, a.get("fontcolor", "black")
    name = "".join(lines_per_field[0]) if lines_per_field else ""
    fields = tuple(field_latex(i, lines, name_of(name), root_name) for i, lines in enumerate(lines_per_field))
    return Look(fields, colour(fill), colour(stroke) or "black", width, dashed, colour(text) or "black")


def edge_look(label, attrs) -> Look:
    """An edge's :class:`Look`: its contribution as a number, its colour and width."""
    text = "" if not label else (f"${number_latex(label)}$" if is_number(label) else escape(label))
    return Look(stroke=colour(attrs.get("color", attrs.get("s", "black"))) or "black",
                width=float(attrs.get("penwidth", attrs.get("w", 1))), label=text,
                text=colour(attrs.get("fontcolor", attrs.get("c", "black"))) or "black")


_GRAD = re.compile(r"grad (\S+)(?: = (.+))?")


def field_latex(index: int, lines, name_tex: str, root_name: str) -> str:
    """One field of a value box as LaTeX: the name in math, ``data 2``, ``∂L/∂w1 = 4.5 = 3 + 1.5``.

    A field that is not one of these (a Tensor's shape and values, "not computed") is escaped text.
    """
    lines = list(lines)
    one = " ".join(lines).strip()
    if index == 0:
        return f"${name_tex}$"
    partial = rf"\partial {math_name(root_name)}/\partial {name_tex}"
    if index == 2 and one.replace("\u00a0", " ").strip() == BLANK_GRAD.replace("\u00a0", " ").strip():
        return rf"${partial} = {{}}$\rule[-0.3ex]{{2.2em}}{{0.4pt}}"
    if index == 1 and one.startswith("data ") and is_number(one[5:]):
        return r"\textsf{data} $" + number_latex(one[5:]) + "$"
    found = _GRAD.fullmatch(one)
    if index == 2 and found and is_number(found.group(1)):
        parts = found.group(2).split(" + ") if found.group(2) else []
        if all(is_number(p) for p in parts):
            sides = [number_latex(found.group(1))]
            if parts:
                sides.append(" + ".join([number_latex(parts[0])] + [math_number(p) for p in parts[1:]]))
            return f"${partial} = " + " = ".join(sides) + "$"
    if len(lines) > 1:
        # \relax: a line starting with [ must not read as the optional argument of \\
        rows = r"\\\relax ".join(escape(line) for line in lines)
        return r"\begin{tabular}{@{}c@{}}" + rows + r"\end{tabular}"
    return escape(one)


# ------------------------------------------------------------------ writing TikZ
MACROS = r"""\ifdefined\mgffit\else
\newsavebox\mgfbox
% \mgffit{width}{height}{content}: the content, shrunk (never enlarged) to fit the width and height
\newcommand\mgffit[3]{\sbox\mgfbox{#3}%
  \ifdim\wd\mgfbox>#1\relax\sbox\mgfbox{\resizebox{#1}{!}{\usebox\mgfbox}}\fi
  \ifdim\dimexpr\ht\mgfbox+\dp\mgfbox\relax>#2\relax\sbox\mgfbox{\resizebox*{!}{#2}{\usebox\mgfbox}}\fi
  \usebox\mgfbox}
\fi"""


def _p(point) -> str:
    return f"({point[0]:.2f},{point[1]:.2f})"


def _style(stroke=None, fill=None, width=None, dashed=False, extra=()) -> str:
    parts = []
    if stroke:
        parts.append(f"draw={stroke}")
    if fill:
        parts.append(f"fill={fill}")
    if width is not None:
        parts.append(f"line width={width:.2f}bp")
    if dashed:
        parts.append("dashed")
    parts.extend(extra)
    return "[" + ",".join(parts) + "]"


def _svg_style(attrs, scale) -> dict:
    return {"stroke": colour(attrs.get("stroke")), "fill": colour(attrs.get("fill")),
            "width": float(attrs.get("stroke-width", 1)) * scale,
            "dashed": attrs.get("stroke-dasharray") is not None}


def _path(segments) -> str:
    out = _p(segments[0])
    for c1, c2, end in segments[1:]:
        out += f" .. controls {_p(c1)} and {_p(c2)} .. {_p(end)}"
    return out


def _font(size: float) -> str:
    return rf"\fontsize{{{size:.1f}}}{{{size * 1.2:.1f}}}\selectfont"


def draw_generic(shape: Shape, scale: float) -> list:
    """Any element as the SVG draws it (clusters, the legend), its texts escaped."""
    out = []
    for pts, attrs in shape.polygons:
        style = _svg_style(attrs, scale)
        if style["fill"] == colour("white") and shape.kind == "cluster" and not style["stroke"]:
            continue
        out.append(r"\path" + _style(**style) + " " + " -- ".join(map(_p, pts)) + " -- cycle;")
    for segments, attrs in shape.paths:
        out.append(r"\path" + _style(**_svg_style(attrs, scale)) + " " + _path(segments) + ";")
    for pts, attrs in shape.lines:
        out.append(r"\path" + _style(**_svg_style(attrs, scale)) + " " + " -- ".join(map(_p, pts)) + ";")
    for (cx, cy, rx, ry), attrs in shape.ellipses:
        out.append(r"\path" + _style(**_svg_style(attrs, scale))
                   + f" ({cx:.2f},{cy:.2f}) ellipse [x radius={rx:.2f}, y radius={ry:.2f}];")
    for point, anchor, size, content, attrs in shape.texts:
        # Helvetica's widths, which Graphviz measured, are closest to a sans font a little smaller
        out.append(_text(point, anchor, size * 0.92, r"\sffamily " + escape(content),
                         colour(attrs.get("fill")) or "black"))
    return out


def _text(point, anchor, size, latex, text_colour="black", fit=None) -> str:
    where = {"start": "base west", "end": "base east"}.get(anchor, "base")
    body = latex if fit is None else rf"\mgffit{{{fit[0]:.2f}bp}}{{{fit[1]:.2f}bp}}{{{latex}}}"
    return (rf"\node[anchor={where},inner sep=0pt,text={text_colour},font={_font(size)}] at {_p(point)} "
            f"{{{body}}};")


def _cells(shape: Shape) -> list:
    """The record's fields as rectangles (x0, y0, x1, y1), split at its separator lines."""
    x0, y0, x1, y1 = shape.bbox()
    horizontal = [pts[0][1] for pts, _ in shape.lines if abs(pts[0][1] - pts[-1][1]) < 0.5]
    vertical = [pts[0][0] for pts, _ in shape.lines if abs(pts[0][0] - pts[-1][0]) < 0.5]
    if horizontal and not vertical:
        cuts = [y0, *sorted(horizontal), y1]
        return [(x0, a, x1, b) for a, b in zip(cuts, cuts[1:])]
    cuts = [x0, *sorted(vertical), x1]
    return [(a, y0, b, y1) for a, b in zip(cuts, cuts[1:])]


def draw_box(shape: Shape, look: Look, scale: float) -> list:
    """A value box: its outline in the look's style, its separators, each field's LaTeX fitted in."""
    x0, y0, x1, y1 = shape.bbox()
    out = [r"\path" + _style(look.stroke, look.fill, look.width * scale, look.dashed)
           + f" {_p((x0, y0))} rectangle {_p((x1, y1))};"]
    for pts, _ in shape.lines:
        out.append(r"\path" + _style(look.stroke, None, look.width * scale * 0.7, look.dashed) + " "
                   + " -- ".join(map(_p, pts)) + ";")
    pad = 2.5 * scale
    for (a, b, c, d), latex in zip(_cells(shape), look.fields):
        fit = (max(c - a - 2 * pad, 1.0), max(d - b - pad, 1.0))
        centre = _p(((a + c) / 2, (b + d) / 2))
        out.append(rf"\node[inner sep=0pt,text={look.text},font={_font(FONT_PT * scale * 0.92)}] at "
                   rf"{centre} {{\mgffit{{{fit[0]:.2f}bp}}{{{fit[1]:.2f}bp}}{{{latex}}}}};")
    return out


def draw_oval(shape: Shape, latex: str, scale: float) -> list:
    out = []
    for (cx, cy, rx, ry), attrs in shape.ellipses:
        out.append(r"\path" + _style(**_svg_style(attrs, scale))
                   + f" ({cx:.2f},{cy:.2f}) ellipse [x radius={rx:.2f}, y radius={ry:.2f}];")
        out.append(rf"\node[inner sep=0pt,font={_font(FONT_PT * scale)}] at ({cx:.2f},{cy:.2f}) "
                   rf"{{\mgffit{{{1.7 * rx:.2f}bp}}{{{1.6 * ry:.2f}bp}}{{{latex}}}}};")
    return out


def draw_constant(shape: Shape, latex: str, scale: float) -> list:
    out = [r"\path" + _style(**_svg_style(attrs, scale)) + " " + _path(seg) + ";"
           for seg, attrs in shape.paths]
    out += [r"\path" + _style(**_svg_style(attrs, scale)) + " " + " -- ".join(map(_p, pts)) + " -- cycle;"
            for pts, attrs in shape.polygons]
    x0, y0, x1, y1 = shape.bbox()
    out.append(rf"\node[inner sep=0pt,font={_font(FONT_PT * scale * 0.92)}] at {_p(shape.centre)} "
               rf"{{\mgffit{{{x1 - x0 - 4:.2f}bp}}{{{y1 - y0:.2f}bp}}{{{latex}}}}};")
    return out


def draw_edge(shape: Shape, look: Look, scale: float) -> list:
    """An edge: its Bézier curve and arrowhead in the look's colour, its label where Graphviz put it."""
    out = []
    for segments, _ in shape.paths:
        out.append(r"\path" + _style(look.stroke, None, look.width * scale) + " " + _path(segments) + ";")
    for pts, _ in shape.polygons:
        out.append(r"\path" + _style(look.stroke, look.stroke, look.width * scale) + " "
                   + " -- ".join(map(_p, pts)) + " -- cycle;")
    if look.label and shape.texts:
        point, anchor, size, _, _ = shape.texts[0]
        out.append(_text(point, anchor, EDGE_FONT_PT * scale, look.label, look.text))
    return out


def picture(geo: Geometry, body: list, extra_options: str = "") -> str:
    """The ``tikzpicture``: a fixed bounding box (overlays never move it) and the drawing."""
    options = "x=1bp,y=-1bp,line join=round,line cap=round" + (f",{extra_options}" if extra_options else "")
    lines = [rf"\begin{{tikzpicture}}[{options}]",
             rf"\useasboundingbox (0,0) rectangle ({geo.width:.2f},{geo.height:.2f});",
             *body, r"\end{tikzpicture}"]
    return "\n".join(lines)


# ------------------------------------------------------------------ the static picture
class Labels:
    """LaTeX for the parts of a drawing that are not numbers: op ovals, constants, names."""

    def __init__(self, drawing: Drawing):
        self.drawing = drawing
        self.names = node_names(drawing.order)
        self.root_name = self.names[id(drawing.root)]

    def node(self, eid: str):
        return self.drawing.order[int(eid.split("_")[0][1:])]

    def op(self, eid: str) -> str:
        """The op oval's text in math: the op table's notation (``c^{2}``), else its symbol."""
        if "_m" in eid:
            return r"$\times$"
        node = self.node(eid)
        if node.fn is not None and node.fn.fused and self.drawing.options.expand:
            return "$+$"
        text = self.drawing.op_label(node, False)
        if text != node.op and node.fn is not None:
            try:
                return "$" + latex_of(node.fn.expression_tree(local_names(node, self.names))) + "$"
            except (IndexError, KeyError, ValueError, TypeError):
                pass
        return op_symbol(node.op)

    def constant(self, eid: str) -> str:
        text = self.names[id(self.node(eid))]
        return f"${number_latex(text)}$" if is_number(text) else escape(text)

    def name(self, shown: str) -> str:
        """A box's name in math; a product box ``w1·x1`` as ``w_{1} \\cdot x_{1}``."""
        if "·" in shown:
            return r" \cdot ".join(math_name(part) for part in shown.split("·"))
        return math_name(shown)


_OP_SYMBOLS = {"+": "$+$", "−": "$-$", "×": r"$\times$", "/": "$/$", "**": r"$\ast\ast$", "√": r"$\sqrt{\ }$",
               "σ": r"$\sigma$", "exp": r"$\exp$", "log": r"$\log$", "tanh": r"$\tanh$", "sin": r"$\sin$",
               "cos": r"$\cos$", "Σwx+b": r"$\Sigma wx{+}b$", "xWᵀ+b": r"$xW^{\top}{+}b$", "Σ": r"$\Sigma$",
               "ᵀ": r"$\cdot^{\top}$", "@": r"$@$", "abs": r"$|\cdot|$"}


def op_symbol(symbol: str) -> str:
    r"""An op table symbol as LaTeX: ``×`` → ``$\times$``, ``tanh`` → ``$\tanh$``, ``log_softmax`` as text.

    >>> op_symbol("×"), op_symbol("log_softmax")
    ('$\\times$', 'log\\_softmax')
    """
    return _OP_SYMBOLS.get(symbol, escape(symbol))


def static_body(drawing: Drawing, geo: Geometry) -> list:
    """The TikZ commands of one frame of ``drawing`` laid out as ``geo``."""
    labels = Labels(drawing)
    elements, edges = drawing.elements()
    by_id = {e.id: e for e in elements}
    edge_by_id = {e.id: e for e in edges}
    body = []
    for sid in geo.order:
        shape = geo.shapes[sid]
        element = by_id.get(sid)
        body.append(f"% {sid}")
        if sid in edge_by_id:
            e = edge_by_id[sid]
            body += draw_edge(shape, edge_look(e.label, e.attrs), geo.scale)
        elif element is not None and element.kind in ("value", "product"):
            lines = [str(f).split("\n") for f in element.fields]
            look = box_look(lines, element.attrs, labels.name, labels.root_name)
            body += draw_box(shape, look, geo.scale)
        elif element is not None and element.kind == "op":
            body += draw_oval(shape, labels.op(sid), geo.scale)
        elif element is not None and element.kind == "constant":
            body += draw_constant(shape, labels.constant(sid), geo.scale)
        else:
            body += draw_generic(shape, geo.scale)
    return body


def tikz_picture(root, renderer: str | None = None, max_nodes: int = MAX_NODES, *, highlight=None,
                 frame: Frame | None = None, **draw_opts) -> str:
    """The ``tikzpicture`` of ``root``'s graph, laid out as :func:`viz.render` lays out its SVG.

    ``draw_opts`` are :func:`viz.draw_dot`'s (``edge_grads``, ``show_grad="blank"``, ``color=None``,
    ``highlight=node``…).
    """
    options = make_options(**draw_opts)
    order = checked_order(root, max_nodes)

    def drawing():  # one per pass over the elements, each of which records the contributions once
        return Drawing(root, order, options, frame or Frame(), highlight=highlight)

    geo = geometry(to_svg(drawing().diagram(ids=True), renderer))
    return picture(geo, static_body(drawing(), geo))


PICTURE_PREAMBLE = r"""\documentclass{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{lmodern}
\usepackage{amsmath}
\usepackage{graphicx}
\usepackage{tikz}
\pagestyle{empty}
% the page is cut to the picture (no extra package needed)
\newsavebox\mgfpage
\newenvironment{mgfpicture}{\begin{lrbox}{\mgfpage}}{\end{lrbox}%
  \pdfpagewidth=\dimexpr\wd\mgfpage+8bp\relax \pdfpageheight=\dimexpr\ht\mgfpage+\dp\mgfpage+8bp\relax
  \hoffset=-1in \voffset=-1in
  \shipout\vbox{\kern4bp\hbox{\kern4bp\usebox\mgfpage}}}"""

GUARD_BEGIN = r"""% Compiled on its own (pdflatex FILE), this file is a document; \input into a document
% that is already started, its preamble is skipped and only what follows is kept.
\expandafter\ifx\csname @twoclasseserror\endcsname\documentclass\else
\def\mgfalone{\end{document}}
"""
GUARD_END = r"""\ifdefined\mgfalone\expandafter\mgfalone\fi"""
"""Ends the document only if this file started it; the \\expandafter closes the \\if first."""


def to_tikz(root, renderer: str | None = None, **draw_opts) -> str:
    """The text of a ``.tex`` file holding the picture: compilable as is, or ``\\input``-able.

    >>> from microgradfr.demo import course_graph
    >>> L, _ = course_graph(); L.backward()
    >>> tex = to_tikz(L)
    >>> r"\\partial L/\\partial w_{1} = 4.5" in tex and tex.count(r"\\begin{tikzpicture}") == 1
    True
    """
    body = tikz_picture(root, renderer, **draw_opts)
    return "\n".join([
        "% A computation graph drawn by microgradfr (viz.render). In a document of your own:",
        "% \\usepackage{tikz} (and amsmath, graphicx) in its preamble, then \\input{this file}.",
        GUARD_BEGIN + PICTURE_PREAMBLE, r"\begin{document}", r"\fi",
        MACROS,
        r"\ifdefined\mgfalone\begin{mgfpicture}\fi",
        body,
        r"\ifdefined\mgfalone\end{mgfpicture}\fi",
        GUARD_END, ""])


def write_tikz(root, path, renderer: str | None = None, **draw_opts):
    """Write :func:`to_tikz` to ``path`` (atomically); returns the path."""
    return atomic_write(path, to_tikz(root, renderer, **draw_opts))

