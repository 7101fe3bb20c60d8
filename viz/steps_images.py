"""One numbered image per step of the passes, for slides that are not LaTeX, and an animated GIF.

The graph is laid out once (:func:`viz.player.animation`, then one renderer call that writes the
layout as DOT with every position). Each image is that laid-out DOT with the step's texts and
colours put in, drawn by the renderer in its "no layout" mode (``-Kneato -n2``), so nothing moves
from one image to the next: they are the frames of the HTML player, as files.

The GIF is assembled by Pillow, the standard imaging library for Python: wheels for every platform,
no system library to install, and GIF (read by every slide program, PowerPoint and Google Slides
included, which APNG is not) among its built-in writers. It is optional: without Pillow the images
are written and the GIF is left out with a warning.
"""
from __future__ import annotations

import subprocess
import warnings
from pathlib import Path

try:  # optional (the slides extra): only the animated GIF needs it
    from PIL import Image
except ImportError:  # pragma: no cover - Pillow comes with matplotlib in the test extra
    Image = None

from microgradfr.i18n import message

from .backend import TIMEOUT, NoRendererError, atomic_write, find_renderer, no_renderer_message
from .format import escape_plain, escape_record
from .player import animation
from .text import check_lang, text

__all__ = ["render_steps", "FORMATS", "laid_out", "frame_dot", "attribute_lists"]

FORMATS = ("png", "svg", "pdf")
GIF_NAME = "animation.gif"
FRAME_MS = 1500


def render_steps(root, folder, fmt: str = "png", lang: str | None = None, steps: str = "both",
                 gif: bool = True, renderer: str | None = None, **draw_opts) -> list:
    """Write one image per step into ``folder`` (``etape_01.png``…; ``step_01.png`` in English),
    created if it does not exist (its parent must).

    ``steps``: ``"both"`` (the forward then the backward pass, as the player), ``"forward"`` or
    ``"backward"``. With ``fmt="png"`` and ``gif=True``, ``animation.gif`` plays the same images
    (needs Pillow: ``pip install microgradfr[slides]``). ``draw_opts`` are :func:`viz.draw_dot`'s.
    Returns the paths written, images first; ``etapes.txt`` (``steps.txt``) holds each step's
    chain-rule sentence, to paste under the image.
    """
    lang = check_lang(lang)
    if fmt not in FORMATS:
        raise ValueError(text(lang, "slides_format", value=fmt, choices=", ".join(map(repr, FORMATS))))
    if steps not in ("both", "forward", "backward"):
        raise ValueError(text(lang, "slides_steps", where="render_steps", value=steps,
                              choices="'both', 'forward', 'backward'"))
    folder = Path(folder)
    if not folder.parent.is_dir():
        raise FileNotFoundError(text(lang, "slides_no_folder", where="render_steps",
                                     folder=str(folder.parent)))
    if folder.exists() and not folder.is_dir():
        raise FileExistsError(text(lang, "slides_is_file", folder=str(folder)))
    drawer = find_renderer(fmt, renderer)
    if drawer is None:
        raise NoRendererError(no_renderer_message(fmt, lang))
    anim = animation(root, lang, **draw_opts)
    layout = laid_out(anim.source, renderer)
    folder.mkdir(exist_ok=True)
    chosen = [(frame, state) for frame, state in zip(anim.frames, anim.states())
              if steps == "both" or frame["phase"] == steps]
    stem = message("slides.file_step", lang)
    width = max(2, len(str(len(chosen))))
    written, sentences = [], []
    for k, (frame, state) in enumerate(chosen, start=1):
        path = folder / f"{stem}_{k:0{width}d}.{fmt}"
        atomic_write(path, _draw(drawer, frame_dot(layout, state, anim.elements), fmt))
        written.append(path)
        title = message("slides.title", lang, phase=message(f"slides.{frame['phase']}", lang), step=k,
                        total=len(chosen))
        sentences.append(f"{path.name} — {title}\n{frame['text']}\n")
    texts = folder / message("slides.file_texts", lang)
    written.append(atomic_write(texts, "\n".join(sentences)))
    if fmt == "png" and gif:
        made = _gif(written[:-1], folder / GIF_NAME)
        if made is not None:
            written.append(made)
    return written


def laid_out(source: str, renderer: str | None = None) -> str:
    """The DOT text of ``source`` once laid out: every node's ``pos``, ``width``, ``height`` and
    every edge's spline ``pos`` and label position ``lp``, so that a redraw moves nothing."""
    program = find_renderer("svg", renderer)
    if program is None:
        raise NoRendererError(no_renderer_message("svg"))
    return _run(program, ["-Tdot"], source).decode("utf-8")


def _draw(program, dot: str, fmt: str) -> bytes:
    return _run(program, ["-Kneato", "-n2", f"-T{fmt}"], dot)


def _run(program, args, source: str) -> bytes:
    try:
        done = subprocess.run([program.path, *args], input=source.encode("utf-8"), capture_output=True,
                              timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RuntimeError(text(None, "render_failed", name=program.name, path=program.path,
                                error=error)) from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or [text(None, "no_output")]
        raise RuntimeError(text(None, "slides_could_not", name=program.name, detail=detail[0]))
    return done.stdout


# ------------------------------------------------------------------ putting a frame into the layout
def attribute_lists(dot: str) -> list:
    """``[(start, end, {attr: raw value})]``: every ``[...]`` attribute list of a DOT text.

    Quoted strings (with their escapes) and HTML labels (``<...>``, nested) are read whole, so a
    ``]`` inside a label does not end the list.

    >>> [a for _, _, a in attribute_lists('n0 [label="a]b", id=n0];')]
    [{'label': '"a]b"', 'id': 'n0'}]
    """
    out, i, n = [], 0, len(dot)
    while i < n:
        c = dot[i]
        if c == '"':
            i = _skip_quoted(dot, i)
            continue
        if c == "[":
            attrs, end = _read_attrs(dot, i + 1)
            out.append((i, end, attrs))
            i = end
            continue
        i += 1
    return out


def _skip_quoted(text, i) -> int:
    i += 1
    while i < len(text) and text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def _skip_html(text, i) -> int:
    depth = 0
    while i < len(text):
        depth += {"<": 1, ">": -1}.get(text[i], 0)
        i += 1
        if depth == 0:
            break
    return i


def _token(text, i) -> tuple:
    start = i
    if text[i] == '"':
        i = _skip_quoted(text, i)
    elif text[i] == "<":
        i = _skip_html(text, i)
    else:
        while i < len(text) and text[i] not in ' \t\n\r,;=]"':
            i += 1
    return text[start:i], i


def _read_attrs(text, i) -> tuple:
    """The ``key=value`` pairs from ``i`` up to the closing ``]``; (attrs, index after ``]``)."""
    attrs = {}
    while i < len(text):
        while i < len(text) and text[i] in " \t\n\r,;":
            i += 1
        if text[i] == "]":
            return attrs, i + 1
        key, i = _token(text, i)
        while text[i] in " \t\n\r":
            i += 1
        value = "true"
        if text[i] == "=":
            i += 1
            while text[i] in " \t\n\r":
                i += 1
            value, i = _token(text, i)
        attrs[key] = value
    raise ValueError("render_steps: unterminated attribute list in the laid-out DOT")


def _quote(s: str) -> str:
    return '"' + s + '"'


def _box_attrs(look, counts) -> dict:
    fields, flat, start = [], look["t"], 0
    for n in counts:
        fields.append("\n".join(line for line in flat[start:start + n] if line))
        start += n
    styles = (["filled"] if look["f"] != "none" else []) + (["dashed"] if look["d"] else [])
    attrs = {"label": _quote(" | ".join(escape_record(f) for f in fields)), "color": _quote(look["s"]),
             "penwidth": str(look["w"]), "fontcolor": _quote(look["c"]), "style": _quote(",".join(styles))}
    if look["f"] != "none":
        attrs["fillcolor"] = _quote(look["f"])
    return attrs


def _edge_attrs(look) -> dict:
    return {"label": _quote(escape_plain(look["l"])), "color": _quote(look["s"]), "penwidth": str(look["w"]),
            "fontcolor": _quote(look["c"])}


def frame_dot(layout: str, state: dict, elements: dict) -> str:
    """The laid-out DOT with each element's look of one frame (texts, fill, border) put in."""
    pieces, last = [], 0
    for start, end, attrs in attribute_lists(layout):
        eid = attrs.get("id", "").strip('"')
        look, info = state.get(eid), elements.get(eid)
        if look is None or info is None:
            continue
        if info["kind"] == "edge":
            new = _edge_attrs(look)
        else:
            new = _box_attrs(look, [len(f) for f in info["fields"]])
        merged = {k: v for k, v in attrs.items() if k not in ("fillcolor", "style") or info["kind"] == "edge"}
        merged.update(new)
        pieces += [layout[last:start], "[" + ", ".join(f"{k}={v}" for k, v in merged.items()) + "]"]
        last = end
    pieces.append(layout[last:])
    return "".join(pieces)


def _gif(paths, target: Path):
    """``target``: the PNGs as an animated GIF (Pillow), or ``None`` with a warning without Pillow."""
    if Image is None:
        warnings.warn(text(None, "slides_no_pillow"), stacklevel=3)
        return None
    frames = [_rgb(p) for p in paths]
    size = (max(f.width for f in frames), max(f.height for f in frames))
    canvas = []
    for f in frames:
        page = Image.new("RGB", size, "white")
        page.paste(f, (0, 0))
        canvas.append(page.quantize(colors=255))
    tmp = target.with_name(f".{target.name}.tmp")
    try:
        canvas[0].save(tmp, format="GIF", save_all=True, append_images=canvas[1:], duration=FRAME_MS, loop=0)
        tmp.replace(target)
    finally:
        tmp.unlink(missing_ok=True)
    return target


def _rgb(path):
    """The PNG at ``path`` as an RGB image in memory, the file closed at once."""
    with Image.open(path) as image:
        return image.convert("RGB")
