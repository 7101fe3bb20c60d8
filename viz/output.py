"""``viz.render``: one function for every file a diagram can become, its extension picking the format.

``.svg .png .pdf .dot .html`` go to :func:`viz.rendering.render` (Graphviz, the HTML player);
``.tex`` is a TikZ picture laid out by the same Graphviz call as the SVG (:mod:`viz.tikz`). This
module sits above both, so that neither has to import the other.
"""
from __future__ import annotations

from pathlib import Path

from .rendering import FORMATS as GRAPHVIZ_FORMATS
from .rendering import render as render_graphviz
from .text import text
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
        raise ValueError(text(opts.get("lang"), "tikz_dpi", dpi=dpi, name=path.name))
    if not hasattr(root_or_graph, "parents"):
        raise TypeError(text(opts.get("lang"), "tikz_from_node"))
    if not path.parent.is_dir():
        raise FileNotFoundError(text(opts.get("lang"), "render_no_folder", folder=str(path.parent)))
    return write_tikz(root_or_graph, path, renderer=renderer, **opts)
