"""The renderer backend: the Graphviz program that turns DOT text into a picture, and safe file writes.

Renderers (:func:`find_renderer`): the system Graphviz ``dot`` on ``PATH`` (every format, PDF
included), then the ``graphviz-pure`` executable of the wheel of the same name (SVG and PNG),
looked up on ``PATH`` and next to the running Python (a venv's ``bin`` need not be on ``PATH``).
The order is measured (benchmarks/bench_viz.py): with ``newrank`` in the DOT, system ``dot`` is as
fast as graphviz-pure on a 2,000-value chain and faster on a clustered MLP, and it measures
accented letters right (graphviz-pure counts ``é`` as a space). graphviz-pure copes better with
long edges, which ``microgradfr draw`` refuses beyond :data:`viz.dot.MAX_LONG_EDGES`. Choose with
``renderer="graphviz-pure"`` or the environment variable ``MICROGRADFR_RENDERER``.

Every file is written atomically (:func:`atomic_write`): to a temporary file in the same folder,
then renamed, so a failure never leaves half a file behind.

This module knows DOT text and bytes, never nodes: it imports nothing from ``viz``, and every
drawing module (diagram, dot, player, rendering) builds on it.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from .text import text

__all__ = ["to_svg", "pipe", "find_renderer", "Renderer", "atomic_write", "NoRendererError",
           "no_renderer_message", "RENDERERS"]

PURE_FORMATS = ("svg", "png")
RENDERERS = ("dot", "graphviz-pure")
TIMEOUT = 60
ENV = "MICROGRADFR_RENDERER"


class NoRendererError(RuntimeError):
    """No installed renderer can produce the requested format."""


@dataclass(frozen=True)
class Renderer:
    """A ``dot``-compatible program and the formats it writes."""

    name: str          # "dot" (system Graphviz) or "graphviz-pure"
    path: str
    formats: tuple | None  # None: every Graphviz format

    def can(self, fmt: str) -> bool:
        return self.formats is None or fmt in self.formats


def find_renderer(fmt: str = "svg", prefer: str | None = None) -> Renderer | None:
    """The installed program that will write ``fmt``: ``prefer`` (or $MICROGRADFR_RENDERER) if it
    can, else system ``dot``, else graphviz-pure.

    >>> find_renderer("svg").name in ("dot", "graphviz-pure")
    True
    """
    prefer = prefer or os.environ.get(ENV) or None
    if prefer is not None and prefer not in RENDERERS:
        raise ValueError(text(None, "renderer_choice", value=prefer,
                              choices=", ".join(map(repr, RENDERERS))))
    candidates = {}
    system = shutil.which("dot")
    if system:
        candidates["dot"] = Renderer("dot", system, None)
    pure = _find_pure()
    if pure:
        candidates["graphviz-pure"] = Renderer("graphviz-pure", pure, PURE_FORMATS)
    order = sorted(candidates, key=lambda name: name != prefer)
    for name in order:
        if candidates[name].can(fmt):
            return candidates[name]
    return None


def _find_pure() -> str | None:
    """``graphviz-pure`` on PATH, else in the folder of the running interpreter (a venv's bin)."""
    found = shutil.which("graphviz-pure")
    if found:
        return found
    folder = Path(sys.executable).parent
    for name in ("graphviz-pure", "graphviz-pure.exe"):
        candidate = folder / name
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return str(candidate)
    return None


def pipe(source: str, fmt: str, renderer: str | None = None) -> bytes:
    """Run the renderer on DOT ``source``; the picture's bytes. Its stderr warnings are dropped."""
    renderer = find_renderer(fmt) if renderer is None else find_renderer(fmt, renderer)
    if renderer is None:
        raise NoRendererError(no_renderer_message(fmt))
    try:
        done = subprocess.run([renderer.path, f"-T{fmt}"], input=source.encode("utf-8"),
                              capture_output=True, timeout=TIMEOUT, check=False)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise RuntimeError(text(None, "render_failed", name=renderer.name, path=renderer.path,
                                error=error)) from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] \
            or [text(None, "no_output")]
        raise RuntimeError(text(None, "render_could_not", name=renderer.name, fmt=fmt, detail=detail[0]))
    return done.stdout


def no_renderer_message(fmt: str, lang: str | None = None) -> str:
    """What to install when nothing can write ``fmt``, in ``lang`` (None: the language switch)."""
    if fmt == "pdf":
        return text(lang, "no_pdf")
    return text(lang, "no_renderer", fmt=fmt)


def to_svg(graph, renderer: str | None = None) -> str:
    """The SVG text of a diagram (anything with a DOT ``.source``)."""
    return pipe(graph.source, "svg", renderer).decode("utf-8")


def atomic_write(path, data) -> Path:
    """Write ``data`` (bytes or str) to ``path`` via a temporary file and ``os.replace``."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent or ".", prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o666 & ~_umask())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def _umask() -> int:
    """The process umask (read by setting it and putting it back), so files get usual permissions."""
    mask = os.umask(0)
    os.umask(mask)
    return mask
