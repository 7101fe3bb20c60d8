"""Where the renderer put each element: positions read from the one SVG of a layout.

Graphviz writes every node and edge as ``<g id="...">``; with the ids of :mod:`viz.dot`
(``n3`` a value box, ``n3_op`` its op, ``n3_e0`` an edge) this gives each element's box in
points, the origin at the top left and y downwards, as a slide (TikZ, Beamer) or a page wants it.
"""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

__all__ = ["Box", "Layout", "layout_of"]

_SVG = "{http://www.w3.org/2000/svg}"


@dataclass(frozen=True)
class Box:
    """An element's bounding box in points: centre ``(x, y)``, ``width``, ``height``."""

    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Layout:
    """The SVG of one layout, its size in points and ``id -> Box`` for every node and edge."""

    svg: str
    width: float
    height: float
    boxes: dict


def layout_of(svg: str) -> Layout:
    """Read the positions out of a Graphviz SVG.

    >>> svg = ('<svg xmlns="http://www.w3.org/2000/svg" width="62pt" height="44pt" viewBox="0 0 62 44">'
    ...        '<g id="graph0" transform="translate(4 40)"><g id="n0" class="node">'
    ...        '<polygon points="0,0 0,-36 54,-36 54,0 0,0"/></g></g></svg>')
    >>> layout_of(svg).boxes["n0"]
    Box(x=31.0, y=22.0, width=54.0, height=36.0)
    """
    root = ET.fromstring(svg[svg.find("<svg"):])
    width, height = (_points(root.get(k, "0")) for k in ("width", "height"))
    graph = root.find(f"{_SVG}g")
    dx, dy = _translate(graph.get("transform", "") if graph is not None else "")
    boxes = {}
    for g in root.iter(f"{_SVG}g"):
        if g.get("class") not in ("node", "edge"):
            continue
        xs, ys = [], []
        for shape in g:
            _collect(shape, xs, ys)
        if xs:
            x0, x1, y0, y1 = min(xs) + dx, max(xs) + dx, min(ys) + dy, max(ys) + dy
            boxes[g.get("id")] = Box(round((x0 + x1) / 2, 2), round((y0 + y1) / 2, 2), round(x1 - x0, 2),
                                     round(y1 - y0, 2))
    return Layout(svg, width, height, boxes)


def _points(value: str) -> float:
    return float(re.sub(r"[a-z]+$", "", value) or 0)


def _translate(transform: str) -> tuple:
    m = re.search(r"translate\(([-\d.]+)[ ,]+([-\d.]+)\)", transform)
    return (float(m.group(1)), float(m.group(2))) if m else (0.0, 0.0)


def _collect(shape, xs, ys):
    tag = shape.tag.replace(_SVG, "")
    if tag in ("polygon", "polyline"):
        for pair in shape.get("points", "").split():
            x, y = pair.split(",")
            xs.append(float(x))
            ys.append(float(y))
    elif tag == "ellipse":
        cx, cy, rx, ry = (float(shape.get(k)) for k in ("cx", "cy", "rx", "ry"))
        xs.extend((cx - rx, cx + rx))
        ys.extend((cy - ry, cy + ry))
    elif tag == "path":
        numbers = [float(v) for v in re.findall(r"-?\d+(?:\.\d+)?", shape.get("d", ""))]
        xs.extend(numbers[0::2])
        ys.extend(numbers[1::2])
