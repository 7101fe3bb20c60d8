"""render() through the renderer chain: system dot, then graphviz-pure, else DOT text + message."""
import html
import os
import re
import shutil
import sys
import warnings
from pathlib import Path

import pytest

import viz
import viz.rendering as vr
from microgradfr import Value


def course():
    w1, x, w2, y = Value(2.0, "w1"), Value(-1.5, "x"), Value(0.5, "w2"), Value(3.0, "y")
    c = w1 * x + w2 * y
    c.label = "c"
    L = c ** 2
    L.label = "L"
    L.backward()  # ∂L/∂w1 = 2c·x = 2(−1.5)(−1.5) = 4.5
    return L


needs_renderer = pytest.mark.skipif(vr.find_renderer("svg") is None, reason="no dot nor graphviz-pure")


def _svg_texts(svg: str) -> list:
    return [html.unescape(t) for t in re.findall(r"<text[^>]*>(.*?)</text>", svg)]


def _leftovers(folder: Path) -> list:
    return [p.name for p in folder.iterdir() if p.name.startswith(".") or p.suffix == ".tmp"]


@needs_renderer
def test_svg_shows_values_and_gradients(tmp_path):
    out = viz.render(course(), tmp_path / "g.svg", edge_grads=True)
    svg = out.read_text(encoding="utf-8")
    assert out == tmp_path / "g.svg" and "<svg" in svg
    texts = _svg_texts(svg)
    assert "grad 4.5" in texts and "data 2.25" in texts and "4.5" in texts  # box and edge label
    assert _leftovers(tmp_path) == []


@needs_renderer
def test_png_is_a_png(tmp_path):
    out = viz.render(course(), tmp_path / "g.png")
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_dot_is_the_draw_dot_source(tmp_path):
    L = course()
    out = viz.render(L, tmp_path / "g.dot", rankdir="TB")
    assert out.read_text(encoding="utf-8") == viz.draw_dot(L, rankdir="TB").source


def test_a_diagram_can_be_rendered_too(tmp_path):
    graph = viz.draw_dot(course(), color=None)
    out = viz.render(graph, tmp_path / "g.dot")
    assert out.read_text(encoding="utf-8") == graph.source
    with pytest.raises(TypeError, match="already a diagram"):
        viz.render(graph, tmp_path / "h.dot", edge_grads=True)


@needs_renderer
def test_html_is_self_contained(tmp_path):
    out = viz.render(course(), tmp_path / "g.html")
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "\\u003csvg" in page   # the picture, as data
    assert not re.search(r"<(script|link|img)[^>]+(src|href)=", page)   # nothing fetched
    assert "cdn" not in page.lower()


def test_pdf_without_system_graphviz_says_what_to_do(tmp_path, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(vr.shutil, "which", lambda name: None if name == "dot" else real_which(name))
    with pytest.raises(vr.NoRendererError) as info:
        viz.render(course(), tmp_path / "g.pdf")
    message = str(info.value)
    assert "dot" in message and "apt-get install graphviz" in message and ".svg" in message
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(shutil.which("dot") is None, reason="system Graphviz not installed")
def test_pdf_with_system_graphviz(tmp_path):
    out = viz.render(course(), tmp_path / "g.pdf")
    assert out.read_bytes()[:5] == b"%PDF-"


def test_no_renderer_writes_dot_text_and_says_so(tmp_path, monkeypatch):
    monkeypatch.setattr(vr, "find_renderer", lambda fmt="svg", prefer=None: None)
    with pytest.warns(vr.RenderWarning, match="graphviz-pure"):
        out = viz.render(course(), tmp_path / "g.svg")
    assert out == tmp_path / "g.dot"
    assert out.read_text(encoding="utf-8").startswith("digraph")
    assert not (tmp_path / "g.svg").exists()


def test_graphviz_pure_is_found_next_to_the_interpreter(monkeypatch):
    beside = Path(sys.executable).parent / "graphviz-pure"
    if not beside.exists():
        pytest.skip("graphviz-pure is not installed beside this interpreter")
    monkeypatch.setenv("PATH", "/nonexistent")
    found = vr.find_renderer("svg")
    assert found is not None and found.name == "graphviz-pure" and Path(found.path) == beside
    assert vr.find_renderer("pdf") is None   # graphviz-pure writes no PDF


@pytest.mark.parametrize("suffix, magic", [(".svg", b"<svg"), (".png", b"\x89PNG")])
def test_graphviz_pure_renders_when_there_is_no_system_dot(tmp_path, monkeypatch, suffix, magic):
    if not (Path(sys.executable).parent / "graphviz-pure").exists():
        pytest.skip("graphviz-pure is not installed beside this interpreter")
    monkeypatch.setenv("PATH", "/nonexistent")  # hide any system dot: the wheel's renderer must do
    out = viz.render(course(), tmp_path / f"g{suffix}")
    assert magic in Path(out).read_bytes()[:400]
    if suffix == ".svg":
        assert "grad 4.5" in " ".join(_svg_texts(Path(out).read_text(encoding="utf-8")))


def test_unknown_extension_and_missing_folder(tmp_path):
    with pytest.raises(ValueError, match=r"\.svg"):
        viz.render(course(), tmp_path / "g.jpeg")
    with pytest.raises(FileNotFoundError, match="does not exist"):
        viz.render(course(), tmp_path / "nope" / "g.svg")


def test_a_failing_renderer_leaves_no_file(tmp_path, monkeypatch):
    def broken(source, fmt, renderer=None):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr(vr, "pipe", broken)
    with pytest.raises(RuntimeError, match="crashed"):
        viz.render(course(), tmp_path / "g.svg")
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_replaces_whole_files(tmp_path):
    target = tmp_path / "f.txt"
    target.write_text("old")
    vr.atomic_write(target, "new content")
    assert target.read_text() == "new content" and _leftovers(tmp_path) == []
    mask = os.umask(0)
    os.umask(mask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~mask   # the permissions of any new file


@needs_renderer
def test_renderer_warnings_do_not_reach_stderr(capfd):
    x = Value(1.0, "ϑ∂Σ-éà")   # non-ASCII: graphviz-pure warns about glyph widths
    y = x.tanh()
    y.backward()
    svg = viz.to_svg(viz.draw_dot(y))
    assert "ϑ∂Σ-éà" in _svg_texts(svg)
    assert capfd.readouterr().err == ""


@needs_renderer
def test_hostile_label_survives_rendering():
    label = 'a{b}|c<d>"e" \\ f\ng é <script>'
    x = Value(1.0, label)
    svg = viz.to_svg(viz.draw_dot(x))
    texts = _svg_texts(svg)
    assert 'a{b}|c<d>"e" \\ f' in texts and "g é <script>" in texts
    assert "<script>" not in svg   # escaped as &lt;script&gt; in the SVG


@needs_renderer
def test_jupyter_display_is_svg():
    bundle = viz.draw_dot(course())._repr_mimebundle_()
    assert bundle["image/svg+xml"].lstrip().startswith(("<?xml", "<svg"))
    assert viz.draw_dot(course())._repr_svg_().count("<svg") == 1


def test_jupyter_display_never_raises(monkeypatch):
    monkeypatch.setattr(vr, "find_renderer", lambda fmt="svg", prefer=None: None)
    graph = viz.draw_dot(course())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        bundle = graph._repr_mimebundle_()
    assert "image/svg+xml" not in bundle and "not rendered" in bundle["text/plain"]
    assert graph._repr_svg_() is None
