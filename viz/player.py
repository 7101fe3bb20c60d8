"""The step-by-step player: one layout, many frames, in one self-contained HTML page.

The graph is laid out once (one renderer call), at the size it has when every value and every
gradient is shown, with room for the longest text each box will ever hold. A frame is data, not
a picture: the few boxes and edges a step changes (their texts, fill, border, the highlighted
node) and the step's chain-rule sentence. The page applies frames to the one SVG, so the picture
and the buttons never move. No network, no CDN: the SVG, the frames, the styles and the script
are all inside the file, and every text reaches the page as data (``textContent``), never as markup.

The same data serves other outputs (slides, issue 19): :func:`animation` returns an
:class:`Animation` (the DOT of the one layout and the frames as plain dicts), and
:meth:`Animation.layout` runs the renderer once and returns :class:`viz.layout.Layout`
(the SVG and each element's position).
"""
from __future__ import annotations

import html
import json
import uuid
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace

from microgradfr.autograd import is_node

from .backend import atomic_write, to_svg
from .dot import Drawing, Frame, make_options
from .layout import Layout, layout_of
from .protocol import topological_order
from .steps import backward_steps, forward_steps
from .text import check_lang, text

__all__ = ["to_html", "player_html", "frames", "stepper", "animation", "Animation", "MAX_PLAYER_NODES"]

MAX_PLAYER_NODES = 2000


@dataclass
class Animation:
    """One layout and its frames, as plain data.

    - ``source``: the DOT text of the one layout; every box, op and edge has an ``id``
      (``n3`` a value, ``n3_op`` its op, ``n3_e0`` the op's first input edge);
    - ``elements``: ``id -> {"kind": "value", "fields": [[widest line, …] per field]}`` for every
      box (values and an expanded Σwx+b's products) and ``{"kind": "edge", "tail", "head",
      "label"}`` for every edge: what the layout was made for (ops and constants never change);
    - ``base``: ``id -> look`` before the first step (no value known);
    - ``frames``: one dict per step, ``{"phase", "title", "text", "focus", "changes"}`` where
      ``changes`` maps ids to their new look and ``focus`` is the step's node.

    A look is ``{"t": [lines], "f": fill, "s": stroke, "w": pen width, "d": dashed, "c": text
    colour}`` for a box, ``{"l": label, "s", "w", "c"}`` for an edge. :meth:`states` gives the
    full look of every element at each frame.
    """

    source: str
    elements: dict
    base: dict
    frames: list

    def states(self):
        """The full ``id -> look`` at each frame, in order (a new dict each time)."""
        state = dict(self.base)
        for frame in self.frames:
            state.update(frame["changes"])
            yield dict(state)

    def layout(self, renderer: str | None = None) -> Layout:
        """The one picture: the renderer runs once; the SVG and every element's position."""
        return layout_of(to_svg(SimpleNamespace(source=self.source), renderer))


def _too_big(n, cap, lang) -> str:
    return text(lang, "too_big_player", count=n, most=cap)


def animation(root, lang: str | None = None, max_nodes: int = MAX_PLAYER_NODES, **draw_opts) -> Animation:
    """The forward then backward pass of ``root``'s graph as one layout and its frames.

    ``draw_opts`` are :func:`viz.draw_dot`'s (``rankdir``, ``precision``, ``color``, ``legend``,
    ``expand``…); edges carry their gradient contributions unless ``edge_grads=False``.

    >>> from microgradfr.demo import course_graph
    >>> anim = animation(course_graph()[0])
    >>> len(anim.frames), anim.frames[0]["text"]
    (16, 'w1 = 2 : une feuille, sa valeur est donnée')
    """
    lang = check_lang(lang)
    order = topological_order(root)
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(text(lang, "max_nodes", where="to_html", value=max_nodes))
    if len(order) > max_nodes:
        raise ValueError(_too_big(len(order), max_nodes, lang))
    options = make_options(**{"edge_grads": True, "size": None, **draw_opts, "lang": lang})
    forward, backward = list(forward_steps(root)), list(backward_steps(root))
    finished = Drawing(root, order, options, _finished_frame(order, backward))
    scale = finished.fixed_scale()
    stepping = Drawing(root, order, options, Frame(known=set(), grads={}, done=set()), scale=scale)
    recorder = _Recorder(stepping)
    total = len(forward) + len(backward)
    out = []
    for step in forward:
        recorder.frame.known.add(id(step.node))
        out.append(recorder.step(step, [step.node], "forward", len(out), total, lang))
    for step in backward:
        frame = recorder.frame
        if step.upstream is not None:
            frame.grads[id(step.node)] = step.upstream
        for p in step.parents:
            if p.after is not None:
                frame.grads[id(p.parent)] = p.after
        frame.done.add(id(step.node))
        stepping.note_done(step.node)
        touched = [step.node, *(p.parent for p in step.parents)]
        out.append(recorder.step(step, touched, "backward", len(out), total, lang))
    source = finished.diagram(widest=recorder.widest(), ids=True).source
    anim = Animation(source, recorder.described(), recorder.base, out)
    _flatten_lines(anim)
    return anim


def _finished_frame(order, backward) -> Frame:
    """Every value known, every gradient as the backward steps leave it, every step done."""
    grads = {}
    for step in backward:
        if step.upstream is not None:
            grads[id(step.node)] = step.upstream
        for p in step.parents:
            if p.after is not None:
                grads[id(p.parent)] = p.after
    return Frame(known=None, grads=grads, done={id(n) for n in order})


class _Recorder:
    """Steps a :class:`Drawing` through a pass and writes down what each step changes."""

    def __init__(self, drawing: Drawing):
        self.drawing = drawing
        self.frame = drawing.frame
        self.looks = {}      # id -> current look
        self.fields = {}     # id -> [[widest line of each line] of each field]
        self.edges = {}      # id -> (tail, head, widest label)
        self.previous = []   # the nodes highlighted by the last step
        elements, edges = drawing.elements()
        for e in elements:
            self.see(e)
        for e in edges:
            self.see_edge(e)
        self.base = dict(self.looks)

    def step(self, step, touched, phase, index, total, lang) -> dict:
        self.frame.highlight = step.node
        changes = {}
        seen = set()
        for node in [*self.previous, *touched]:
            if id(node) in seen:
                continue
            seen.add(id(node))
            elements, edges = self.drawing.node_elements(node)
            for e in elements:
                self.see(e, changes)
            for e in edges:
                self.see_edge(e, changes)
        self.previous = [step.node]
        title = f"{text(lang, phase)} — {text(lang, 'step')} {index + 1} / {total}"
        return {"phase": phase, "title": title, "text": step.text(lang),
                "focus": self.drawing.ids[id(step.node)], "changes": changes}

    def see(self, element, changes=None):
        if element.kind not in ("value", "product"):
            return
        lines = [str(f).split("\n") for f in element.fields]
        widest = self.fields.setdefault(element.id, [[] for _ in lines])
        for field, new in zip(widest, lines):
            for i, line in enumerate(new):
                if i == len(field):
                    field.append(line)
                elif len(line) > len(field[i]):
                    field[i] = line
        look = _box_look(lines, element.attrs)
        self._record(element.id, look, changes)

    def see_edge(self, edge, changes=None):
        if edge.label is not None or edge.id not in self.edges:
            old = self.edges.get(edge.id, (edge.tail, edge.head, None))[2]
            label = edge.label if old is None or (edge.label and len(edge.label) > len(old)) else old
            self.edges[edge.id] = (edge.tail, edge.head, label)
        self._record(edge.id, _edge_look(edge), changes)

    def _record(self, eid, look, changes):
        if changes is not None and self.looks.get(eid) != look:
            changes[eid] = look
        self.looks[eid] = look

    def widest(self) -> dict:
        out = {eid: tuple("\n".join(lines) for lines in fields) for eid, fields in self.fields.items()}
        out.update({eid: label for eid, (_, _, label) in self.edges.items()})
        return out

    def described(self) -> dict:
        out = {eid: {"kind": "value", "fields": fields} for eid, fields in self.fields.items()}
        out.update({eid: {"kind": "edge", "tail": t, "head": h, "label": label}
                    for eid, (t, h, label) in self.edges.items()})
        return out


def _box_look(lines, attrs) -> dict:
    style = attrs.get("style", "")
    return {"t": [list(field) for field in lines],
            "f": attrs.get("fillcolor", "none") if "filled" in style else "none",
            "s": attrs.get("color", "black"), "w": float(attrs.get("penwidth", 1)),
            "d": int("dashed" in style), "c": attrs.get("fontcolor", "black")}


def _edge_look(edge) -> dict:
    a = edge.attrs
    return {"l": edge.label or "", "s": a.get("color", "black"), "w": float(a.get("penwidth", 1)),
            "c": a.get("fontcolor", "black")}


def frames(root, lang: str | None = None, **draw_opts) -> list:
    """The player's frames as plain dicts (see :class:`Animation`), one per step of both passes."""
    return animation(root, lang, **draw_opts).frames


def _flatten_lines(anim: Animation) -> None:
    """Each box look's lines, field after field, padded to the layout's count of lines per field,
    so that line i of a look is text element i of the box in the SVG."""
    counts = {eid: [len(f) for f in d["fields"]] for eid, d in anim.elements.items() if d["kind"] == "value"}
    for looks in (anim.base, *(f["changes"] for f in anim.frames)):
        for eid, look in looks.items():
            t = look.get("t")
            if t and isinstance(t[0], list):
                flat = []
                for field, n in zip(t, counts[eid]):
                    flat.extend(field + [""] * (n - len(field)))
                looks[eid] = {**look, "t": flat}


def player_html(anim: Animation | None, svg: str, lang: str | None = None, player_id: str = "mgf-player",
                title: str = "") -> str:
    """A complete HTML document playing ``anim`` over ``svg``; element classes start with ``mgf-``."""
    lang = check_lang(lang)
    still = [{"phase": "", "title": title or text(lang, "title"), "text": "", "focus": None, "changes": {}}]
    data = {"svg": _strip_prolog(svg), "base": anim.base if anim else {},
            "frames": anim.frames if anim else still}
    payload = json.dumps(data, ensure_ascii=True, separators=(",", ":")).replace("<", "\\u003c")
    count = len(data["frames"])
    return _TEMPLATE.format(
        lang=lang, title=html.escape(title or text(lang, "title")), pid=html.escape(player_id),
        prev=html.escape(text(lang, "prev")), next=html.escape(text(lang, "next")),
        last=max(count - 1, 0), data=payload, pid_js=json.dumps(player_id))


def _strip_prolog(svg: str) -> str:
    """The ``<svg>`` element alone (no XML declaration or DOCTYPE)."""
    start = svg.find("<svg")
    return svg[start:] if start >= 0 else svg


def to_html(root, path, lang: str | None = None, renderer: str | None = None, **draw_opts) -> Path:
    """Write the step-by-step player of ``root``'s graph to ``path`` (one self-contained file).

    ``draw_opts`` go to :func:`viz.draw_dot` (``rankdir``, ``precision``, ``color``, ``legend``,
    ``expand``…) and ``max_nodes`` (default 2000). Given a diagram instead of a node, the page
    shows that one picture.
    """
    page = _page(root, lang, renderer, draw_opts)
    return atomic_write(Path(path), page)


def _page(root, lang, renderer, draw_opts) -> str:
    lang = check_lang(lang)
    if hasattr(root, "source") and not is_node(root):  # already a diagram
        return player_html(None, to_svg(root, renderer), lang)
    anim = animation(root, lang, **draw_opts)
    return player_html(anim, anim.layout(renderer).svg, lang)


def stepper(root, lang: str | None = None, height: int = 620, renderer: str | None = None, **draw_opts):
    """The player inline in a notebook (an ``IPython.display.HTML`` holding an iframe).

    The iframe keeps each player's script and keys to itself, so several can share a notebook.
    """
    from IPython.display import HTML

    lang = check_lang(lang)
    page = _page(root, lang, renderer, draw_opts)
    frame_id = f"mgf-{uuid.uuid4().hex[:8]}"
    return HTML(f'<div class="mgf-stepper"><iframe id="{frame_id}" srcdoc="{html.escape(page, quote=True)}" '
                f'style="width:100%;height:{int(height)}px;border:1px solid #ddd" '
                f'title="{html.escape(text(lang, "title"), quote=True)}"></iframe></div>')


_TEMPLATE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
  body {{ font-family: system-ui, sans-serif; margin: 1em; color: #222; }}
  .mgf-title {{ font-weight: 600; margin-bottom: .4em; }}
  .mgf-controls {{ display: flex; gap: .6em; align-items: center; margin-bottom: .4em; }}
  .mgf-slider {{ flex: 1; }}
  .mgf-text {{ font-family: ui-monospace, monospace; white-space: pre-wrap; margin: 0 0 .4em 0;
               height: 5.4em; overflow: auto; background: #f7f7f7; padding: .4em; }}
  .mgf-frame {{ overflow: auto; border: 1px solid #ddd; padding: .5em; max-height: 75vh; }}
  .mgf-frame svg {{ display: block; }}
</style>
</head>
<body>
<div id="{pid}" class="mgf-player" tabindex="0">
  <div class="mgf-title"></div>
  <div class="mgf-controls">
    <button type="button" class="mgf-prev">{prev}</button>
    <input type="range" class="mgf-slider" min="0" max="{last}" value="0" step="1">
    <button type="button" class="mgf-next">{next}</button>
  </div>
  <div class="mgf-text"></div>
  <div class="mgf-frame"></div>
</div>
<script>
(function () {{
  var data = {data};
  var root = document.getElementById({pid_js});
  var q = function (c) {{ return root.querySelector(c); }};
  var box = q(".mgf-frame");
  var parsed = new DOMParser().parseFromString(data.svg, "image/svg+xml").documentElement;
  if (parsed && parsed.nodeName === "svg") {{ box.appendChild(document.importNode(parsed, true)); }}
  var svg = box.querySelector("svg");
  if (svg && svg.width.baseVal.value <= 2 * box.clientWidth) {{  // fits once: one scale for all frames
    svg.style.width = "100%"; svg.style.height = "auto";
  }}
  var byId = {{}};
  if (svg) {{ svg.querySelectorAll("g[id]").forEach(function (g) {{ byId[g.id] = g; }}); }}
  function look(id, k) {{
    var g = byId[id];
    if (!g) return;
    var texts = g.getElementsByTagName("text");
    if (k.t) {{
      for (var i = 0; i < texts.length; i++) {{
        texts[i].textContent = i < k.t.length ? k.t[i] : "";
        texts[i].setAttribute("fill", k.c);
      }}
      var shape = g.querySelector("polygon");
      if (shape) {{
        shape.setAttribute("fill", k.f);
        shape.setAttribute("stroke", k.s);
        shape.setAttribute("stroke-width", k.w);
        if (k.d) shape.setAttribute("stroke-dasharray", "5,2");
        else shape.removeAttribute("stroke-dasharray");
      }}
    }} else {{
      var path = g.querySelector("path"), head = g.querySelector("polygon");
      if (path) {{ path.setAttribute("stroke", k.s); path.setAttribute("stroke-width", k.w); }}
      if (head) {{ head.setAttribute("stroke", k.s); head.setAttribute("fill", k.s); }}
      if (texts.length) {{ texts[0].textContent = k.l; texts[0].setAttribute("fill", k.c); }}
    }}
  }}
  function applyAll(changes) {{ for (var id in changes) look(id, changes[id]); }}
  var frames = data.frames, current = -1;
  function focus(id) {{
    var g = id && byId[id];
    if (!g) return;
    var r = g.getBoundingClientRect(), c = box.getBoundingClientRect();
    if (r.left < c.left || r.right > c.right) box.scrollLeft += (r.left + r.right - c.left - c.right) / 2;
    if (r.top < c.top || r.bottom > c.bottom) box.scrollTop += (r.top + r.bottom - c.top - c.bottom) / 2;
  }}
  function show(i) {{
    i = Math.max(0, Math.min(frames.length - 1, i));
    if (i < current || current < 0) {{ applyAll(data.base); current = -1; }}
    for (var j = current + 1; j <= i; j++) applyAll(frames[j].changes);
    current = i;
    var f = frames[i];
    q(".mgf-title").textContent = f.title;
    q(".mgf-text").textContent = f.text;
    q(".mgf-slider").value = i;
    root.setAttribute("data-frame", i);
    focus(f.focus);
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
