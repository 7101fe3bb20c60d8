"""viz: computation graphs drawn with their values and gradients, step by step, and explained.

>>> from microgradfr.demo import course_graph
>>> import viz
>>> L, v = course_graph(); L.backward()
>>> "grad 4.5" in viz.draw_dot(L).source
True
>>> [s.name for s in viz.backward_steps(L)][:3]
['L', 'c', 'b']

- :func:`draw_dot` → a graphviz diagram (inline SVG in Jupyter), :func:`render` → a file;
- :func:`forward_steps`, :func:`backward_steps` → the passes node by node;
- :func:`to_html` → a self-contained step-by-step player, :func:`stepper` → the same in a notebook;
  :func:`animation` → its one layout and frames as plain data (for other outputs, such as slides);
- :func:`render` to ``.tex`` → a TikZ picture, :func:`to_beamer` → Beamer slides of a pass step by
  step, :func:`render_steps` → one image per step and an animated GIF;
- :func:`explain` → ∂root/∂wrt written out by the chain rule, path by path;
- :func:`backward_code` → the backward pass as a Python program (:func:`backward_latex`: an ``align*``);
- :func:`draw_report` → a :func:`microgradfr.testing.check_grads` report drawn (importing ``viz``
  is what lets ``report.draw()`` work); ``draw_dot(root, check=True)`` outlines wrong local derivatives.

``viz`` reads only the public node protocol (``data grad label parents op fn k``) and the op
table; the engine never imports it. Its layers, bottom to top, each importing only from its own or
lower ones (``VIZ_LAYERS`` in tests/test_architecture.py): text, protocol, format → steps,
chain_rule → backend (the Graphviz program, file writes) → diagram, dot → player → rendering
(:func:`render`, by file extension).
"""
from .backend import find_renderer, to_svg
from .beamer import to_beamer
from .chain_rule import explain
from .code import backward_code, backward_latex
from .dot import draw_dot
from .format import format_node
from .output import render
from .player import animation, stepper, to_html
from .report import draw_report
from .steps import backward_steps, forward_steps
from .steps_images import render_steps

__all__ = ["draw_dot", "render", "explain", "backward_steps", "forward_steps", "to_html", "stepper",
           "format_node", "find_renderer", "to_svg", "animation", "to_beamer", "render_steps",
           "backward_code", "backward_latex", "draw_report"]
