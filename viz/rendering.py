"""Writing diagrams to files: the format comes from the extension, the renderer is found once.

Renderers (:func:`find_renderer`): the system Graphviz ``dot`` on ``PATH`` (every format, PDF
included), then the ``graphviz-pure`` executable of the wheel of the same name (SVG and PNG),
looked up on ``PATH`` and next to the running Python (a venv's ``bin`` need not be on ``PATH``).
The order is measured (benchmarks/bench_viz.py): with ``newrank`` in the DOT, system ``dot`` is as
fast as graphviz-pure on a 2,000-value chain and faster on a clustered MLP, and it measures
accented letters right (graphviz-pure counts ``é`` as a space). graphviz-pure copes better with
long edges, which ``microgradfr draw`` refuses beyond :data:`viz.dot.MAX_LONG_EDGES`. Choose with
``renderer="graphviz-pure"`` or the environment variable ``MICROGRADFR_RENDERER``. Without any
renderer, ``render`` writes the DOT text and says how to get a picture.

Every file is written atomically: to a temporary file in the same folder, then renamed, so a
failure never leaves half a file behind.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import warnings
from dataclasses import dataclass
from pathlib import Path

__all__ = ["render", "to_svg", "find_renderer", "Renderer", "atomic_write", "RenderWarning",
           "FORMATS", "NoRendererError", "no_renderer_message"]

FORMATS = (".svg", ".png", ".dot", ".html", ".pdf")
PURE_FORMATS = ("svg", "png")
RENDERERS = ("dot", "graphviz-pure")
TIMEOUT = 60
ENV = "MICROGRADFR_RENDERER"


class RenderWarning(UserWarning):
    """No renderer: the DOT text was written instead of a picture."""


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
        raise ValueError(f"renderer={prefer!r} must be one of {', '.join(map(repr, RENDERERS))}")
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
        raise RuntimeError(f"render: {renderer.name} ({renderer.path}) failed: {error}") from None
    if done.returncode != 0 or not done.stdout:
        detail = done.stderr.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no output"]
        raise RuntimeError(f"render: {renderer.name} could not draw this graph as {fmt}: {detail[0]}")
    return done.stdout


def no_renderer_message(fmt: str) -> str:
    if fmt == "pdf":
        return ("render: .pdf needs the system Graphviz program `dot` (apt-get install graphviz, "
                "brew install graphviz, or https://graphviz.org/download/); the bundled graphviz-pure "
                "writes .svg and .png only: write graph.svg (or .png) instead, or convert the SVG")
    return (f"render: no Graphviz renderer found for .{fmt}: neither `dot` (system Graphviz) nor "
            "`graphviz-pure` (pip install graphviz-pure) is installed")


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


def render(root_or_graph, path, *, renderer: str | None = None, dpi: int | None = None, **opts) -> Path:
    """Draw a graph (a root node, or a diagram from ``draw_dot``) to ``path``; returns the path written.

    The extension picks the format: ``.svg .png .dot .html`` always, ``.pdf`` with system Graphviz.
    ``renderer``: ``"graphviz-pure"`` or ``"dot"`` (default: see :func:`find_renderer`);
    ``dpi``: the resolution of a ``.png`` (Graphviz's default is 96). ``opts`` go to
    :func:`viz.draw_dot` (or :func:`viz.to_html` for ``.html``). Without any renderer, the DOT
    text goes to ``path`` with ``.dot`` and a :class:`RenderWarning` says so.
    """
    path = Path(path)
    ext = path.suffix.lower()
    if ext not in FORMATS:
        raise ValueError(f"render: cannot tell the format from {path.name!r}; end the file name "
                         f"with one of {' '.join(FORMATS)}")
    if not path.parent.is_dir():
        raise FileNotFoundError(f"render: the folder {str(path.parent)!r} does not exist; create it first")
    if dpi is not None:
        if ext != ".png":
            raise ValueError(f"render: dpi={dpi} sets the resolution of a .png; {path.name} is not one "
                             "(an SVG or PDF is sharp at any size)")
        if not isinstance(dpi, int) or isinstance(dpi, bool) or not 10 <= dpi <= 1200:
            raise ValueError(f"render: dpi={dpi!r} must be a whole number between 10 and 1200 (96 is "
                             "the screen default, 300 for print)")
    if renderer is not None and renderer not in RENDERERS:
        raise ValueError(f"render: renderer={renderer!r} must be one of {', '.join(map(repr, RENDERERS))}")
    if ext == ".html":
        from .player import to_html
        return to_html(root_or_graph, path, renderer=renderer, **opts)
    graph = _as_graph(root_or_graph, opts)
    if ext == ".dot":
        return atomic_write(path, graph.source)
    fmt = ext[1:]
    if fmt == "pdf" and find_renderer("pdf") is None:
        raise NoRendererError(no_renderer_message("pdf"))
    if find_renderer(fmt) is None:
        fallback = path.with_suffix(".dot")
        atomic_write(fallback, graph.source)
        warnings.warn(f"{no_renderer_message(fmt)}; wrote the DOT text to {fallback} instead "
                      "(paste it into any Graphviz viewer)", RenderWarning, stacklevel=2)
        return fallback
    source = graph.source
    if dpi is not None:
        source = source.replace("{", f"{{\n\tdpi={dpi}", 1)  # a graph attribute, before any statement
    return atomic_write(path, pipe(source, fmt, renderer))


def _as_graph(root_or_graph, opts):
    if hasattr(root_or_graph, "source") and not hasattr(root_or_graph, "parents"):
        if opts:
            raise TypeError(f"render: options {sorted(opts)} apply when drawing a node; "
                            "this is already a diagram (pass them to draw_dot instead)")
        return root_or_graph
    from .dot import draw_dot
    return draw_dot(root_or_graph, **opts)
