"""``viz.render``: one function for every file a diagram can become, its extension picking the format.

``.svg .png .pdf .dot .html`` go to :func:`viz.rendering.render` (Graphviz, the HTML player);
``.tex`` is a TikZ picture laid out by the same Graphviz call as the SVG (:mod:`viz.tikz`). This
module sits above both, so that neither has to import the other.
"""
from __future__ import annotations

from pathlib import Path

from .rendering import FORMATS as GRAPHVIZ_FORMATS
from .rendering import render as render_graphviz
from .tikz import write_tikz

__all__ = ["render", "FORMATS"]

FORMATS = (*GRAPHVIZ_FORMATS, ".tex")


def render(root_or_graph, path, *, renderer: str | None = None, dpi: int | None = None, **opts) -> Path:
    """Draw ``root``'s graph to ``path``; the extension picks the format (returns the path written).

    ``.svg .png .dot .html`` always, ``.pdf`` with system Graphviz, ``.tex`` a standalone TikZ
    picture (compile it with ``pdflatex``, or ``\\input`` it into a document that loads ``tikz``).
    ``renderer`` and ``dpi`` as for :func:`viz.rendering.render`; ``opts`` go to :func:`viz.draw_dot`
    (``edge_grads=True``, ``show_grad="blank"``, ``color=None``…).
    """
    path = Path(path)
    if path.suffix.lower() != ".tex":
        return render_graphviz(root_or_graph, path, renderer=renderer, dpi=dpi, **opts)
    if dpi is not None:
        raise ValueError(f"render: dpi={dpi} sets the resolution of a .png; {path.name} is a TikZ picture, "
                         "sharp at any size")
    if not hasattr(root_or_graph, "parents"):
        raise TypeError("render: a .tex picture is drawn from a node (render(L, 'graphe.tex')), "
                        "not from a diagram that draw_dot already made")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"render: the folder {str(path.parent)!r} does not exist; create it first")
    return write_tikz(root_or_graph, path, renderer=renderer, **opts)
