"""The object ``draw_dot`` returns: a graphviz.Digraph that shows itself in Jupyter without failing.

graphviz's own notebook display runs a system ``dot`` and raises when there is none. Ours goes
through :func:`viz.backend.to_svg` (system ``dot``, else the ``graphviz-pure`` wheel) and, if no
renderer works, shows the DOT text with a message instead of raising.
"""
from __future__ import annotations

import graphviz

from .backend import to_svg

__all__ = ["Diagram"]


class Diagram(graphviz.Digraph):
    """A :class:`graphviz.Digraph` whose notebook display (SVG) never raises."""

    def _repr_mimebundle_(self, include=None, exclude=None, **_):
        """``{'image/svg+xml': svg}``, or a plain-text explanation if no renderer works."""
        try:
            svg = to_svg(self)
        except Exception as error:  # noqa: BLE001 - a display must never raise
            return {"text/plain": f"(diagram not rendered: {error})\n{self.source}"}
        bundle = {"image/svg+xml": svg, "text/plain": f"<Diagram: {self.source.count('->')} edges>"}
        wanted = set(include) if include is not None else set(bundle)
        wanted -= set(exclude or ())
        return {k: v for k, v in bundle.items() if k in wanted}

    def _repr_svg_(self):
        """The SVG text, or ``None`` (IPython then falls back to text) if it cannot be rendered."""
        return self._repr_mimebundle_().get("image/svg+xml")

    def _repr_image_svg_xml(self):
        return self._repr_svg_()
