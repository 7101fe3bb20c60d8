"""The step-by-step player: one self-contained HTML page, the forward pass then the backward pass.

Each frame is a complete SVG diagram of the graph at that moment (the current node highlighted,
gradients filled in as far as the pass has got) with the chain-rule sentence of the step under
it. Previous/next buttons, a slider and the arrow keys move between frames. No network, no CDN:
the SVGs, the styles and the script are all inside the file.
"""
from __future__ import annotations

import html
import json
import uuid
from pathlib import Path

from .dot import Frame, draw_dot
from .protocol import topological_order
from .rendering import atomic_write, to_svg
from .steps import backward_steps, forward_steps
from .text import check_lang, text

__all__ = ["to_html", "player_html", "frames", "stepper"]

MAX_PLAYER_NODES = 200


def frames(root, lang: str = "fr", **draw_opts) -> list:
    """The player's frames: ``{"phase", "title", "text", "svg"}`` for each step of both passes."""
    check_lang(lang)
    order = topological_order(root)
    if len(order) > MAX_PLAYER_NODES:
        raise ValueError(f"to_html: the graph has {len(order)} values; the step-by-step player draws "
                         f"one picture per step and stops at {MAX_PLAYER_NODES}. Step through a "
                         "smaller graph: one sample, one neuron, or the subgraph up to a node")
    opts = {"edge_grads": True, "lang": lang, **draw_opts}
    forward = list(forward_steps(root))
    backward = list(backward_steps(root))
    total = len(forward) + len(backward)
    out, known = [], set()
    for step in forward:
        known.add(id(step.node))
        frame = Frame(known=set(known), grads={}, done=set(), highlight=step.node)
        out.append(_frame(root, frame, step, "forward", len(out), total, lang, opts))
    grads, done = {}, set()
    for step in backward:
        grads[id(step.node)] = step.upstream
        for p in step.parents:
            if p.after is not None:
                grads[id(p.parent)] = p.after
        done.add(id(step.node))
        frame = Frame(known=None, grads=dict(grads), done=set(done), highlight=step.node)
        out.append(_frame(root, frame, step, "backward", len(out), total, lang, opts))
    return out


def _frame(root, frame, step, phase, index, total, lang, opts) -> dict:
    graph = draw_dot(root, frame=frame, **opts)
    title = f"{text(lang, phase)} — {text(lang, 'step')} {index + 1} / {total}"
    return {"phase": phase, "title": title, "text": step.text(lang), "svg": _strip_prolog(to_svg(graph))}


def _strip_prolog(svg: str) -> str:
    """The ``<svg>`` element alone (no XML declaration or DOCTYPE), to inline it in HTML."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def player_html(frame_list, lang: str = "fr", player_id: str = "mgf-player", title: str = "") -> str:
    """A complete HTML document playing ``frame_list``; element classes start with ``mgf-``."""
    data = json.dumps(frame_list, ensure_ascii=True).replace("</", "<\\/")
    return _TEMPLATE.format(
        lang=lang, title=html.escape(title or text(lang, "title")), pid=html.escape(player_id),
        prev=html.escape(text(lang, "prev")), next=html.escape(text(lang, "next")),
        last=max(len(frame_list) - 1, 0), data=data, pid_js=json.dumps(player_id))


def to_html(root, path, lang: str = "fr", **draw_opts) -> Path:
    """Write the step-by-step player of ``root``'s graph to ``path`` (one self-contained file).

    ``draw_opts`` go to :func:`viz.draw_dot` for every frame (``rankdir``, ``precision``,
    ``color``, ``expand``…). Given a diagram instead of a node, the page shows that one picture.
    """
    page = _page(root, lang, draw_opts)
    return atomic_write(Path(path), page)


def _page(root, lang, draw_opts) -> str:
    if hasattr(root, "source") and not hasattr(root, "parents"):  # already a diagram
        one = [{"phase": "", "title": text(lang, "title"), "text": "", "svg": _strip_prolog(to_svg(root))}]
        return player_html(one, lang)
    return player_html(frames(root, lang, **draw_opts), lang)


def stepper(root, lang: str = "fr", height: int = 560, **draw_opts):
    """The player inline in a notebook (an ``IPython.display.HTML`` holding an iframe).

    The iframe keeps each player's script and keys to itself, so several can share a notebook.
    """
    from IPython.display import HTML

    page = _page(root, lang, draw_opts)
    frame_id = f"mgf-{uuid.uuid4().hex[:8]}"
    return HTML(f'<div class="mgf-stepper"><iframe id="{frame_id}" srcdoc="{html.escape(page, quote=True)}" '
                f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
                'title="microgradfr stepper"></iframe></div>')


_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 1em; color: #222; }}
  .mgf-title {{ font-weight: 600; margin-bottom: .4em; }}
  .mgf-frame {{ overflow: auto; border: 1px solid #ddd; padding: .5em; min-height: 120px; }}
  .mgf-frame svg {{ max-width: 100%; height: auto; }}
  .mgf-text {{ font-family: ui-monospace, monospace; white-space: pre-wrap; margin: .6em 0;
               min-height: 2.6em; background: #f7f7f7; padding: .4em; }}
  .mgf-controls {{ display: flex; gap: .6em; align-items: center; }}
  .mgf-slider {{ flex: 1; }}
</style>
</head>
<body>
<div id="{pid}" class="mgf-player" tabindex="0">
  <div class="mgf-title"></div>
  <div class="mgf-frame"></div>
  <div class="mgf-text"></div>
  <div class="mgf-controls">
    <button type="button" class="mgf-prev">{prev}</button>
    <input type="range" class="mgf-slider" min="0" max="{last}" value="0" step="1">
    <button type="button" class="mgf-next">{next}</button>
  </div>
</div>
<script>
(function () {{
  var frames = {data};
  var root = document.getElementById({pid_js});
  var q = function (c) {{ return root.querySelector(c); }};
  var current = 0;
  function show(i) {{
    current = Math.max(0, Math.min(frames.length - 1, i));
    var f = frames[current];
    q(".mgf-frame").innerHTML = f.svg;
    q(".mgf-title").textContent = f.title;
    q(".mgf-text").textContent = f.text;
    q(".mgf-slider").value = current;
    root.setAttribute("data-frame", current);
  }}
  q(".mgf-prev").addEventListener("click", function () {{ show(current - 1); }});
  q(".mgf-next").addEventListener("click", function () {{ show(current + 1); }});
  q(".mgf-slider").addEventListener("input", function (e) {{ show(parseInt(e.target.value, 10)); }});
  document.addEventListener("keydown", function (e) {{
    if (e.key === "ArrowRight") {{ show(current + 1); e.preventDefault(); }}
    if (e.key === "ArrowLeft") {{ show(current - 1); e.preventDefault(); }}
  }});
  show(0);
}})();
</script>
</body>
</html>
"""
