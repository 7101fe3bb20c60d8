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
import viz.backend as vr
from microgradfr import Value
from viz.rendering import RenderWarning


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
    with pytest.raises(TypeError, match="déjà un diagramme"):   # French by default
        viz.render(graph, tmp_path / "h.dot", edge_grads=True)
    with pytest.raises(TypeError, match="already a diagram"):
        viz.render(graph, tmp_path / "h.dot", edge_grads=True, lang="en")


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
    monkeypatch.setattr("viz.rendering.find_renderer", lambda fmt="svg", prefer=None: None)  # render() asks
    with pytest.warns(RenderWarning, match="graphviz-pure"):
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


@pytest.mark.parametrize("lang, words", [("fr", ("deviner le format", "n'existe pas")),
                                         ("en", ("cannot tell the format", "does not exist"))])
def test_unknown_extension_and_missing_folder(tmp_path, lang, words):
    with pytest.raises(ValueError, match=words[0] + r".*\.svg"):
        viz.render(course(), tmp_path / "g.jpeg", lang=lang)
    with pytest.raises(FileNotFoundError, match=words[1]):
        viz.render(course(), tmp_path / "nope" / "g.svg", lang=lang)


def test_a_failing_renderer_leaves_no_file(tmp_path, monkeypatch):
    def broken(source, fmt, renderer=None):
        raise RuntimeError("renderer crashed")

    monkeypatch.setattr("viz.rendering.pipe", broken)  # the pipe render() calls
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


# ---------------------------------------------------------------- teacher options
def _png_size(path) -> tuple:
    data = Path(path).read_bytes()
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


@needs_renderer
def test_dpi_scales_the_png(tmp_path):
    default = _png_size(viz.render(course(), tmp_path / "a.png"))
    sharp = _png_size(viz.render(course(), tmp_path / "b.png", dpi=192))
    assert sharp[0] == pytest.approx(2 * default[0], rel=0.05)     # 192 dpi is twice the 96 default
    assert sharp[1] == pytest.approx(2 * default[1], rel=0.05)


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("path, dpi, message", [
    ("g.svg", 200, {"en": r"resolution of a \.png", "fr": r"résolution d'un \.png"}),
    ("g.png", 5, {"en": "between 10 and 1200", "fr": "entre 10 et 1200"}),
    ("g.png", 2.5, {"en": "whole number", "fr": "un entier"})])
def test_bad_dpi_is_named(tmp_path, path, dpi, message, lang):
    with pytest.raises(ValueError, match=message[lang]):
        viz.render(course(), tmp_path / path, dpi=dpi, lang=lang)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("name", vr.RENDERERS)
def test_the_renderer_can_be_chosen(tmp_path, monkeypatch, name):
    if vr.find_renderer("svg", name) is None or vr.find_renderer("svg", name).name != name:
        pytest.skip(f"{name} is not installed")
    out = viz.render(course(), tmp_path / "g.svg", renderer=name)
    assert f"({name})" in out.read_text(encoding="utf-8") or name == "dot"   # graphviz-pure signs its SVG
    monkeypatch.setenv(vr.ENV, name)
    assert vr.find_renderer("svg").name == name


def test_an_unknown_renderer_is_named(tmp_path):
    with pytest.raises(ValueError, match="renderer='neato'"):
        viz.render(course(), tmp_path / "g.svg", renderer="neato")


# ---------------------------------------------------------------- one layout, many frames (API)
@needs_renderer
def test_the_layout_gives_every_box_a_position_in_reading_order():
    anim = viz.player.animation(course())
    layout = anim.layout()
    values = [eid for eid, d in anim.elements.items() if d["kind"] == "value"]
    assert set(values) <= set(layout.boxes) and len(values) == 8
    assert all(0 <= b.x <= layout.width and 0 <= b.y <= layout.height for b in layout.boxes.values())
    # w1 · x: the first input is above the second (LR), and the root L is rightmost
    w1, x = (layout.boxes[eid] for eid in ("n0", "n1"))
    assert w1.y < x.y
    assert max(b.x for eid, b in layout.boxes.items() if eid in values) == layout.boxes["n7"].x


def test_frames_are_plain_data_and_states_rebuild_every_frame():
    import json

    anim = viz.player.animation(course())
    json.dumps({"base": anim.base, "frames": anim.frames, "elements": anim.elements})   # no objects
    states = list(anim.states())
    assert len(states) == len(anim.frames) == 16
    assert states[0]["n7"]["t"] == ["L", "data ?", "grad : non calculé"]
    assert states[7]["n7"]["t"] == ["L", "data 2.25", "grad : non calculé"]      # forward done
    assert states[-1]["n0"]["t"] == ["w1", "data 2", "grad 4.5"]                 # ∂L/∂w1 = 2c·x
    assert states[-1]["n2_e0"]["l"] == "4.5"                                     # (−3)·x on w1's edge
    assert all(set(s) == set(anim.base) for s in states)


@pytest.mark.parametrize("lang, pattern", [("en", r"41 values.*one sample.*max_nodes=41"),
                                           ("fr", r"41 valeurs.*un exemple.*max_nodes=41")])
def test_the_player_refuses_above_its_cap_and_says_how_to_draw_less(tmp_path, lang, pattern):
    x = Value(1.0, "x")
    y = x
    for _ in range(20):
        y = y * 1.0
    with pytest.raises(ValueError, match=pattern):
        viz.to_html(y, tmp_path / "p.html", max_nodes=40, lang=lang)
    assert viz.player.MAX_PLAYER_NODES >= 2000
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- command line
def _draw(capsys, *args):
    from microgradfr.cli import main

    code = main(["draw", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize("lang, words", [("en", "draw less"), ("fr", "dessinez moins")])
def test_draw_refuses_a_tangled_expression_at_once_in_one_line(tmp_path, capsys, lang, words):
    import time

    start = time.perf_counter()
    tangled = " + ".join(["x*y"] * 90)
    code, _, err = _draw(capsys, tangled, "--set", "x=2", "y=3", "-o", str(tmp_path / "g.svg"),
                         "--lang", lang)
    assert time.perf_counter() - start < 1.0
    assert code == 2 and len(err.strip().splitlines()) == 1 and words in err
    assert list(tmp_path.iterdir()) == []
    code, _, _ = _draw(capsys, " + ".join(["x*y"] * 90), "--set", "x=2", "y=3", "-o", str(tmp_path / "g.dot"))
    assert code == 0                                   # DOT text needs no layout: written


@needs_renderer
def test_draw_no_legend_and_dpi_reach_the_picture(tmp_path, capsys):
    course_args = ["(w1*x + w2*y)**2", "--set", "w1=2", "x=-1.5", "w2=0.5", "y=3"]
    assert _draw(capsys, *course_args, "-o", str(tmp_path / "a.dot"), "--no-legend")[0] == 0
    src = (tmp_path / "a.dot").read_text(encoding="utf-8")
    assert "legend" not in src and "fillcolor" in src
    assert _draw(capsys, *course_args, "-o", str(tmp_path / "a.png"), "--dpi", "192")[0] == 0
    assert _draw(capsys, *course_args, "-o", str(tmp_path / "b.png"))[0] == 0
    assert _png_size(tmp_path / "a.png")[0] == pytest.approx(2 * _png_size(tmp_path / "b.png")[0], rel=0.05)
    code, _, err = _draw(capsys, *course_args, "-o", str(tmp_path / "c.svg"), "--dpi", "192")
    assert code == 2 and ".png" in err


# ---------------------------------------------------------------- network diagrams, laid out
def _course_network():
    """The course's 2-3-1 sigmoid network (notebook 03) on x = (0.8, −0.4), y = 1."""
    from microgradfr.nn import MLP

    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid")
    out = model([Value(0.8, "x1"), Value(-0.4, "x2")])
    loss = 0.5 * (out - Value(1.0, "y")) ** 2
    loss.label = "L"
    loss.backward()
    return loss


def _positions(source, renderer):
    done = vr.pipe(source, "plain", renderer).decode("utf-8")
    return {line.split()[1]: (float(line.split()[2]), float(line.split()[3]))
            for line in done.splitlines() if line.startswith("node ")}


@pytest.mark.parametrize("rankdir", ["LR", "TB"])
@pytest.mark.parametrize("renderer", vr.RENDERERS)
def test_neurons_are_drawn_in_index_order(renderer, rankdir):
    """LR: neuron 1 on top, w1 … wn then b downwards; TB: the same from left to right."""
    if vr.find_renderer("svg", renderer) is None or vr.find_renderer("svg", renderer).name != renderer:
        pytest.skip(f"{renderer} is not installed")
    source = viz.draw_dot(_course_network(), edge_grads=True, rankdir=rankdir).source
    at = _positions(source, renderer)                   # -Tplain: x rightwards, y upwards
    first = (lambda n: -at[n][1]) if rankdir == "LR" else (lambda n: at[n][0])  # smaller comes first
    cluster_of, current = {}, []
    for line in source.splitlines():
        m = re.match(r"\s*subgraph (cluster_\w+) \{", line)
        if m:
            current.append(m.group(1))
        elif line.strip() == "}" and current:
            current.pop()
        elif current and (m := re.match(r"\s*(n\d+) \[.*shape=record", line)):
            cluster_of[m.group(1)] = current[-1]
    computed = set(re.findall(r"-> (n\d+)\b", source))
    for layer in ("cluster_layers_0", "cluster_layers_1"):
        neurons = sorted({c for c in cluster_of.values() if c.startswith(layer + "_neurons_")},
                         key=lambda c: int(c.rsplit("_", 1)[1]))
        starts = [min(first(n) for n, c in cluster_of.items() if c == cluster) for cluster in neurons]
        assert starts == sorted(starts), layer                      # neuron 1 first
        for cluster in neurons:
            names = {re.search(r'label="([^ |]+)', line).group(1): n for line in source.splitlines()
                     if (m := re.match(r"\s*(n\d+) \[", line)) and cluster_of.get(n := m.group(1)) == cluster
                     and n not in computed}
            ordered = sorted(names, key=lambda p: (not p.startswith("w"), p))   # w1, w2, …, then b
            places = [first(names[p]) for p in ordered]
            assert places == sorted(places), (cluster, ordered)


@needs_renderer
def test_the_course_network_fits_a_notebook_cell():
    svg = viz.to_svg(viz.draw_dot(_course_network(), edge_grads=True))
    width = float(re.search(r'<svg width="([\d.]+)pt"', svg).group(1))
    assert width <= 10 * 72 + 1                                      # size="cell": 10 in at most


@pytest.mark.parametrize("renderer", vr.RENDERERS)
def test_no_two_edge_labels_of_the_course_network_overlap(renderer):
    import xml.etree.ElementTree as ET

    if vr.find_renderer("svg", renderer) is None or vr.find_renderer("svg", renderer).name != renderer:
        pytest.skip(f"{renderer} is not installed")
    svg = vr.pipe(viz.draw_dot(_course_network(), edge_grads=True).source, "svg", renderer).decode("utf-8")
    ns = "{http://www.w3.org/2000/svg}"
    boxes = []
    for g in ET.fromstring(svg[svg.find("<svg"):]).iter(ns + "g"):
        if g.get("class") == "edge":
            for t in g.iter(ns + "text"):      # centred text: a box of ≈ 0.55 em per character
                x, y, size = float(t.get("x")), float(t.get("y")), float(t.get("font-size"))
                half = 0.55 * size * len(t.text) / 2
                boxes.append((t.text, x - half, x + half, y - 0.8 * size, y + 0.2 * size))
    # one contribution per input edge: 3 hidden neurons × (w1 w2 x1 x2 b + σ) = 18, output 7 + σ = 8,
    # ŷ − y 2, e² 1, 0.5·e2 1 (the constant 0.5 gets none): 30
    assert len(boxes) == 30
    overlaps = [(a[0], b[0]) for i, a in enumerate(boxes) for b in boxes[i + 1:]
                if a[1] < b[2] and b[1] < a[2] and a[3] < b[4] and b[3] < a[4]]
    assert overlaps == []
