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
- :func:`explain` → ∂root/∂wrt written out by the chain rule, path by path;
- :func:`backward_code` → the backward pass as a Python program (:func:`backward_latex`: an ``align*``);
- :func:`draw_report` → a :func:`microgradfr.testing.check_grads` report drawn (importing ``viz``
  is what lets ``report.draw()`` work); ``draw_dot(root, check=True)`` outlines wrong local derivatives.

``viz`` reads only the public node protocol (``data grad label parents op fn k``) and the op
table; the engine never imports it.
"""
from .chain_rule import explain
from .code import backward_code, backward_latex
from .dot import draw_dot
from .format import format_node
from .player import stepper, to_html
from .rendering import find_renderer, render, to_svg
from .report import draw_report
from .steps import backward_steps, forward_steps

__all__ = ["draw_dot", "render", "explain", "backward_steps", "forward_steps", "to_html", "stepper",
           "format_node", "find_renderer", "to_svg", "backward_code", "backward_latex",
           "draw_report"]
