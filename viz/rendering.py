"""Writing diagrams to files: :func:`render`, the format coming from the extension.

Graphviz's formats and the player: :func:`render` takes a node (or a diagram) and hands it to the
module that writes that format: :func:`viz.draw_dot` and the renderer backend (:mod:`viz.backend`)
for ``.svg .png .pdf .dot``, the player (:func:`viz.to_html`) for ``.html``. ``viz.render`` itself
is :func:`viz.output.render`, one level up, which sends ``.tex`` to the TikZ writer and every other
format here; a new output format is a module below it, added to its formats and dispatch.

Without any renderer, ``render`` writes the DOT text and says how to get a picture. Every file
is written atomically (:func:`viz.backend.atomic_write`).
"""
from __future__ import annotations

import warnings
from pathlib import Path

from microgradfr.autograd import is_node

from .backend import RENDERERS, NoRendererError, atomic_write, find_renderer, no_renderer_message, pipe
from .dot import draw_dot
from .player import to_html
from .text import check_lang, text

__all__ = ["render", "RenderWarning", "FORMATS"]

FORMATS = (".svg", ".png", ".dot", ".html", ".pdf")


class RenderWarning(UserWarning):
    """No renderer: the DOT text was written instead of a picture."""


def render(root_or_graph, path, *, renderer: str | None = None, dpi: int | None = None, **opts) -> Path:
    """Draw a graph (a root node, or a diagram from ``draw_dot``) to ``path``; returns the path written.

    The extension picks the format: ``.svg .png .dot .html`` always, ``.pdf`` with system Graphviz.
    ``renderer``: ``"graphviz-pure"`` or ``"dot"`` (default: see :func:`find_renderer`);
    ``dpi``: the resolution of a ``.png`` (Graphviz's default is 96). ``opts`` go to
    :func:`viz.draw_dot` (or :func:`viz.to_html` for ``.html``). Without any renderer, the DOT
    text goes to ``path`` with ``.dot`` and a :class:`RenderWarning` says so.
    """
    lang = check_lang(opts.get("lang"))  # the drawing's language is its errors' too
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ValueError(text(lang, "render_format", name=path.name, formats=" ".join(FORMATS)))
    if not path.parent.is_dir():
        raise FileNotFoundError(text(lang, "render_no_folder", folder=str(path.parent)))
    if dpi is not None:
        if ext != ".png":
            raise ValueError(text(lang, "render_dpi_not_png", dpi=dpi, name=path.name))
        if not isinstance(dpi, int) or isinstance(dpi, bool) or not 10 <= dpi <= 1200:
            raise ValueError(text(lang, "render_dpi_range", dpi=dpi))
    if renderer is not None and renderer not in RENDERERS:
        raise ValueError(text(lang, "renderer_choice", value=renderer,
                              choices=", ".join(map(repr, RENDERERS))))
    if ext == ".html":
        return to_html(root_or_graph, path, renderer=renderer, **opts)
    graph = _as_graph(root_or_graph, opts)
    if ext == ".dot":
        return atomic_write(path, graph.source)
    fmt = ext[1:]
    if fmt == "pdf" and find_renderer("pdf") is None:
        raise NoRendererError(no_renderer_message("pdf", lang))
    if find_renderer(fmt) is None:
        fallback = path.with_suffix(".dot")
        atomic_write(fallback, graph.source)
        warnings.warn(text(lang, "dot_instead", reason=no_renderer_message(fmt, lang), path=fallback),
                      RenderWarning, stacklevel=2)
        return fallback
    source = graph.source
    if dpi is not None:
        source = source.replace("{", f"{{\n\tdpi={dpi}", 1)  # a graph attribute, before any statement
    return atomic_write(path, pipe(source, fmt, renderer))


def _as_graph(root_or_graph, opts):
    if hasattr(root_or_graph, "source") and not is_node(root_or_graph):
        if opts:
            raise TypeError(text(opts.get("lang"), "render_options", options=sorted(opts)))
        return root_or_graph
    return draw_dot(root_or_graph, **opts)
