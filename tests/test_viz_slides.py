"""TikZ pictures, Beamer slides and images per step (issue 19), compiled by a real pdflatex.

The LaTeX tests skip where ``pdflatex`` (or poppler's ``pdfinfo``/``pdftoppm``/``pdftotext``) is
missing; ``.ci/run`` installs them. Expected positions come from the SVG that ``viz.render``
writes, expected page counts from the passes' steps, never from the TikZ code under test.
"""
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import viz
from microgradfr import Value
from microgradfr.autograd import topological_order
from microgradfr.cli import main
from microgradfr.demo import course_graph
from microgradfr.i18n import LANGUAGES
from viz.backend import RENDERERS as RENDERERS_ALL
from viz.backend import find_renderer
from viz.latex import escape, math_name
from viz.player import animation
from viz.steps_images import attribute_lists
from viz.tikz import geometry, to_tikz

sys.path.insert(0, str(Path(__file__).parent))
from test_architecture import edges  # noqa: E402

HAS_LATEX = shutil.which("pdflatex") is not None
HAS_POPPLER = all(shutil.which(p) for p in ("pdfinfo", "pdftoppm", "pdftotext"))
needs_latex = pytest.mark.skipif(not (HAS_LATEX and HAS_POPPLER),
                                 reason="needs pdflatex and poppler-utils (installed by .ci/run)")
COURSE = ["(w1*x + w2*y)**2", "--set", "w1=2", "x=-1.5", "w2=0.5", "y=3"]
SPECIALS = "_^%#&{}\\$~"
ORANGE = (255, 127, 14)  # viz.dot.HIGHLIGHT


def compile_tex(path: Path) -> Path:
    """pdflatex ``path`` in its folder; the PDF. The log must show no error and no missing glyph."""
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", path.name],
                          cwd=path.parent, capture_output=True, text=True, timeout=180)
    log = path.with_suffix(".log").read_text(encoding="latin-1")
    assert done.returncode == 0, log[-3000:]
    assert "Missing character" not in log
    assert "was incomplete" not in log  # the file's guard closes every \if it opens
    return path.with_suffix(".pdf")


def pages(pdf: Path) -> int:
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(re.search(r"Pages:\s+(\d+)", info).group(1))


def page_text(pdf: Path, page: int) -> str:
    return subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), "-layout", str(pdf), "-"],
                          capture_output=True, text=True, check=True).stdout


def svg_boxes(svg: str) -> dict:
    """``DOT node name -> (x0, y0, x1, y1)`` read from a plain ``viz.render`` SVG by its <title>s."""
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg[svg.find("<svg"):])
    transform = root.find(f"{ns}g").get("transform")
    scale = float(re.search(r"scale\(([\d.]+)", transform).group(1)) if "scale" in transform else 1.0
    tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", transform).groups())
    out = {}
    for g in root.iter(f"{ns}g"):
        if g.get("class") != "node":
            continue
        shape = g.find(f"{ns}polygon")
        if shape is None:
            continue
        pts = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
        xs = [scale * (x + tx) for x, _ in pts]
        ys = [scale * (y + ty) for _, y in pts]
        out[g.find(f"{ns}title").text] = (min(xs), min(ys), max(xs), max(ys))
    return out


def tikz_boxes(tex: str) -> dict:
    """``element id -> (x0, y0, x1, y1)`` of each box the TikZ picture draws (``% n3`` then a rectangle)."""
    number = r"([-\d.]+)"
    rectangle = rf"\\path\[[^\]]*\] \({number},{number}\) rectangle \({number},{number}\);"
    found = re.findall(r"% (n\d+)\n" + rectangle, tex)
    return {name: tuple(map(float, xy)) for name, *xy in found}


def course(backward=True):
    L, _ = course_graph()
    if backward:
        L.backward()
    return L


# ------------------------------------------------------------------ escaping
def _bare(latex: str) -> str:
    """What is left of LaTeX once our own commands are taken out: escapes (\\%), control words
    with their empty group (\\textbackslash{}), and the \\mbox{...} around a name."""
    latex = re.sub(r"^\\mbox\{(.*)\}$", r"\1", latex)
    return re.sub(r"\\[A-Za-z]+(\{\})?|\\[^A-Za-z]", "", latex)


@pytest.mark.parametrize("char", SPECIALS)
def test_every_special_is_escaped(char):
    assert _bare(escape(f"a{char}b")) == "ab"
    assert _bare(math_name(f"a{char}b")) == "ab"


def test_names_are_typeset_in_math():
    assert (math_name("w1"), math_name("x"), math_name("σ")) == ("w_{1}", "x", r"\sigma")


@needs_latex
def test_hostile_labels_compile_and_read_back(tmp_path):
    labels = [f"w{c}x{i}" for i, c in enumerate(SPECIALS)] + ["poids é", "flocon ☃"]
    leaves = [Value(float(i + 1), label=name) for i, name in enumerate(labels)]
    total = leaves[0]
    for leaf in leaves[1:]:
        total = total + leaf
    total.label = "tot{al}%"
    total.backward()
    path = viz.render(total, tmp_path / "graphe.tex", edge_grads=True)
    text = page_text(compile_tex(path), 1)
    for name in labels[:-1]:
        assert name in text.replace("\u2009", " "), (name, text)
    assert "[U+2603]" in text  # a character with no glyph is named, not dropped


@needs_latex
def test_hostile_labels_in_the_slides_chain_rule(tmp_path):
    a, b = Value(2.0, label="a_b^c"), Value(-1.0, label="{d}&$e\\")
    out = (a * b).tanh() + a
    out.label = "50%#~"
    pdf = compile_tex(viz.to_beamer(out, tmp_path / "cours.tex", steps="both"))
    assert pages(pdf) == len(list(viz.forward_steps(out))) + len(list(viz.backward_steps(out)))
    last = page_text(pdf, pages(pdf))
    assert "a_b^c" in last and "50%#~" in last


@needs_latex
def test_a_tensor_graph_makes_slides_and_a_picture(tmp_path):
    """Arrays show their shape and values (a line may start with [), steps their vector-Jacobian rule."""
    np = pytest.importorskip("numpy")
    from microgradfr import Tensor
    a = Tensor(np.array([[1.0, 2.0], [3.0, -1.0]]), requires_grad=True)
    a.label = "A"
    b = Tensor(np.array([0.5, -0.5]), requires_grad=True)
    b.label = "b"
    z = (a @ b).tanh().sum()
    z.label = "L"
    z.backward()
    pdf = compile_tex(viz.to_beamer(z, tmp_path / "cours.tex", steps="both"))
    assert pages(pdf) == len(list(viz.forward_steps(z))) + len(list(viz.backward_steps(z)))
    assert pages(compile_tex(viz.render(z, tmp_path / "graphe.tex", edge_grads=True))) == 1


# ------------------------------------------------------------------ the picture
RENDERERS = [r for r in RENDERERS_ALL if find_renderer("svg", r) and find_renderer("svg", r).name == r]


def tikz_ovals(tex: str) -> dict:
    """``op id -> (cx, cy)`` of each op oval of the picture."""
    number = r"([-\d.]+)"
    found = re.findall(rf"% (n\d+_op)\n\\path\[[^\]]*\] \({number},{number}\) ellipse", tex)
    return {name: (float(x), float(y)) for name, x, y in found}


def svg_ovals(svg: str) -> dict:
    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg[svg.find("<svg"):])
    transform = root.find(f"{ns}g").get("transform")
    scale = float(re.search(r"scale\(([\d.]+)", transform).group(1)) if "scale" in transform else 1.0
    tx, ty = map(float, re.search(r"translate\(([-\d.]+) ([-\d.]+)\)", transform).groups())
    return {g.find(f"{ns}title").text: (scale * (float(e.get("cx")) + tx), scale * (float(e.get("cy")) + ty))
            for g in root.iter(f"{ns}g") if (e := g.find(f"{ns}ellipse")) is not None}


@pytest.mark.parametrize("renderer", RENDERERS)
def test_the_picture_has_the_svg_layout(tmp_path, renderer):
    """Every box and op of graphe.tex sits where the SVG written by viz.render puts it (to 0.05 pt)."""
    L = course()
    for opts in ({}, {"edge_grads": True}, {"rankdir": "TB", "color": None}):
        svg = viz.render(L, tmp_path / "g.svg", renderer=renderer, **opts).read_text()
        tex = viz.render(L, tmp_path / "g.tex", renderer=renderer, **opts).read_text()
        boxes, expected = tikz_boxes(tex), svg_boxes(svg)
        assert set(boxes) == {name for name in expected if re.fullmatch(r"n\d+", name)}
        for name, box in boxes.items():
            assert box == pytest.approx(expected[name], abs=0.05), (opts, name)
        ovals, expected = tikz_ovals(tex), svg_ovals(svg)
        assert ovals and set(ovals) <= set(expected)
        for name, centre in ovals.items():
            assert centre == pytest.approx(expected[name], abs=0.05), (opts, name)


def test_the_picture_typesets_values_gradients_and_contributions():
    tex = to_tikz(course(), edge_grads=True)
    assert r"\partial L/\partial w_{1} = 4.5" in tex
    assert r"\textsf{data} $-1.5$" in tex
    assert "$c^{2}$" in tex  # the op oval: the op table's notation
    assert re.search(r"\{\$-6\$\};", tex)  # an edge's contribution, as a number


def test_blank_and_print_modes():
    blank = to_tikz(course(), show_grad="blank")
    assert r"\partial L/\partial w_{1} = {}$\rule" in blank and not re.search(r"= 4\.5\b", blank)
    printed = to_tikz(course(), color=None)
    assert "fill=" not in "\n".join(line for line in printed.splitlines() if "rectangle" in line)
    coloured = to_tikz(course())
    assert "fill={rgb" in coloured
    L = course()  # highlight=: the root's box alone is drawn in the highlight colour
    red, green, blue = ORANGE
    orange_pen = f"draw={{rgb,255:red,{red};green,{green};blue,{blue}}}"
    marked = to_tikz(L, highlight=L, color=None).replace(orange_pen, "ORANGE")
    orange = re.findall(r"% (n\d+)\n\\path\[ORANGE", marked)
    assert orange == [f"n{len(list(topological_order(L))) - 1}"]


@needs_latex
@pytest.mark.parametrize("lang", LANGUAGES)
def test_the_picture_compiles_alone_and_inside_a_document(tmp_path, lang):
    path = viz.render(course(), tmp_path / "graphe.tex", edge_grads=True, lang=lang)
    assert pages(compile_tex(path)) == 1
    host = tmp_path / "notes.tex"
    host.write_text("\\documentclass{article}\\usepackage[T1]{fontenc}\\usepackage{amsmath,graphicx,tikz}\n"
                    "\\begin{document}\nAvant le dessin.\n\n\\input{graphe.tex}\n\nAprès.\n\\end{document}\n")
    pdf = compile_tex(host)
    assert pages(pdf) == 1 and "Avant le dessin" in page_text(pdf, 1) and "Après" in page_text(pdf, 1)


# ------------------------------------------------------------------ the slides
def _steps(mode):
    L = course(backward=False)
    forward, backward = len(list(viz.forward_steps(L))), len(list(viz.backward_steps(L)))
    return {"forward": forward, "backward": backward, "both": forward + backward}[mode]


@needs_latex
@pytest.mark.parametrize("mode", ["backward", "forward", "both"])
def test_one_page_per_step(tmp_path, mode):
    path = viz.to_beamer(course(backward=False), tmp_path / "cours.tex", steps=mode)
    pdf = compile_tex(path)
    n = _steps(mode)
    assert pages(pdf) == n
    last = page_text(pdf, n)
    assert re.search(rf"étape {_steps('backward') if mode != 'forward' else n} / \d+", last)


@needs_latex
def test_the_done_when_command_compiles_with_the_chain_rule(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["draw", *COURSE, "-o", "cours.tex", "--beamer"], out=lambda s: None) == 0
    pdf = compile_tex(tmp_path / "cours.tex")
    backward = list(viz.backward_steps(course(backward=False)))
    assert pages(pdf) == len(backward)
    for k, step in enumerate(backward, start=1):
        text = page_text(pdf, k)
        assert f"étape {k} / {len(backward)}" in text
        for p in step.parents:  # each step's chain rule ends with the contribution it computes
            assert viz.text.number(p.contribution).replace("-", "−") in text.replace("-", "−")


@needs_latex
def test_each_page_highlights_its_steps_node(tmp_path):
    """The orange box of page k is step k's node: its right edge, over all pages, is an affine
    image of the layout's right edges (one scale, one shift), to two pixels."""
    image = pytest.importorskip("PIL.Image")
    L = course(backward=False)
    pdf = compile_tex(viz.to_beamer(L, tmp_path / "cours.tex"))
    anim = animation(L, legend=False)
    geo = geometry(anim.layout().svg)
    steps = list(viz.backward_steps(L))
    expected, found = [], []
    subprocess.run(["pdftoppm", "-png", "-r", "80", str(pdf), str(tmp_path / "p")], check=True)
    for k, frame in enumerate(anim.frames[-len(steps):], start=1):
        png = image.open(sorted(tmp_path.glob("p-*.png"))[k - 1]).convert("RGB")
        xs = [x for x in range(png.width) for y in range(0, png.height, 2)
              if all(abs(a - b) < 40 for a, b in zip(png.getpixel((x, y)), ORANGE))]
        assert xs, f"page {k}: no highlighted node"
        expected.append(geo.shapes[frame["focus"]].bbox()[2])
        found.append(max(xs))
    n = len(expected)
    mx, my = sum(expected) / n, sum(found) / n
    slope = sum((a - mx) * (b - my) for a, b in zip(expected, found)) / sum((a - mx) ** 2 for a in expected)
    assert slope > 0
    assert all(abs(my + slope * (a - mx) - b) <= 2 for a, b in zip(expected, found)), (expected, found)


@needs_latex
def test_the_slides_go_into_a_teachers_deck(tmp_path):
    viz.to_beamer(course(backward=False), tmp_path / "cours.tex", lang="en")
    deck = tmp_path / "deck.tex"
    deck.write_text("\\documentclass{beamer}\\usepackage[T1]{fontenc}\\usepackage{tikz}\n\\begin{document}\n"
                    "\\begin{frame}{Introduction}My own slide\\end{frame}\n\\input{cours.tex}\n"
                    "\\begin{frame}{Exercise}Now by hand\\end{frame}\n\\end{document}\n")
    pdf = compile_tex(deck)
    assert pages(pdf) == 2 + _steps("backward")
    assert "My own slide" in page_text(pdf, 1) and "Now by hand" in page_text(pdf, pages(pdf))
    assert "step 1 /" in page_text(pdf, 2)


def test_to_beamer_refuses_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="steps="):
        viz.to_beamer(course(), tmp_path / "c.tex", steps="sideways")
    with pytest.raises(ValueError, match=".tex"):
        viz.to_beamer(course(), tmp_path / "c.pdf")
    with pytest.raises(FileNotFoundError):
        viz.to_beamer(course(), tmp_path / "nowhere" / "c.tex")


# ------------------------------------------------------------------ images per step
@pytest.mark.parametrize("mode", ["backward", "both"])
def test_render_steps_writes_one_still_image_per_step(tmp_path, mode):
    L = course(backward=False)
    written = viz.render_steps(L, tmp_path, fmt="svg", steps=mode, lang="en")
    images = [p for p in written if p.suffix == ".svg"]
    assert len(images) == _steps(mode)
    assert [p.name for p in images][:2] == ["step_01.svg", "step_02.svg"]
    shapes = [geometry(p.read_text()).shapes for p in images]
    anim = animation(L, lang="en")
    frames = anim.frames[-len(images):]
    for k, (frame, shape) in enumerate(zip(frames, shapes)):
        assert shape["n0"].bbox() == pytest.approx(shapes[0]["n0"].bbox(), abs=0.01)  # nothing moves
        strokes = {attrs.get("stroke") for _, attrs in shape[frame["focus"]].polygons}
        assert "#ff7f0e" in strokes, f"image {k + 1}: the step's node is not highlighted"
    sentences = (tmp_path / "steps.txt").read_text()
    assert frames[-1]["text"] in sentences


def test_render_steps_png_and_the_animated_gif(tmp_path):
    image = pytest.importorskip("PIL.Image")
    written = viz.render_steps(course(backward=False), tmp_path, steps="backward")
    pngs = [p for p in written if p.suffix == ".png"]
    assert pngs[0].name == "etape_01.png" and len(pngs) == _steps("backward")
    sizes = set()
    for p in pngs:
        with image.open(p) as png:
            sizes.add(png.size)
    assert len(sizes) == 1
    with image.open(tmp_path / "animation.gif") as gif:
        assert gif.n_frames == len(pngs)


def test_render_steps_refuses_bad_arguments(tmp_path):
    with pytest.raises(ValueError, match="fmt="):
        viz.render_steps(course(), tmp_path, fmt="jpg")
    with pytest.raises(FileNotFoundError):
        viz.render_steps(course(), tmp_path / "nowhere" / "deeper")
    (tmp_path / "a_file").write_text("")
    with pytest.raises(FileExistsError):
        viz.render_steps(course(), tmp_path / "a_file")


def test_attribute_lists_read_quoted_and_html_values():
    dot = 'a [label="x]y\\"z", id=a]; b [label=<<b>]</b>>, id=b];'
    assert [attrs["id"] for _, _, attrs in attribute_lists(dot)] == ["a", "b"]


# ------------------------------------------------------------------ command line and layers
def test_cli_steps_and_errors(tmp_path, capsys):
    (tmp_path / "img").mkdir()
    assert main(["draw", *COURSE, "--steps", str(tmp_path / "img"), "--steps-format", "svg"]) == 0
    assert len(list((tmp_path / "img").glob("etape_*.svg"))) == _steps("both")
    assert main(["draw", *COURSE]) == 2
    assert main(["draw", *COURSE, "-o", str(tmp_path / "a.svg"), "--beamer"]) == 2
    assert main(["draw", *COURSE, "--steps", str(tmp_path / "absent" / "deeper")]) == 2
    assert main(["draw", *COURSE, "-o", str(tmp_path / "g.svg"), "--pass", "forward"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and err.count("erreur") + err.count("error") >= 4


@pytest.mark.parametrize("module", ["viz.latex", "viz.tikz", "viz.beamer", "viz.output", "viz.steps_images"])
def test_the_slide_modules_are_in_no_import_cycle(module):
    graph = edges("viz")
    seen, stack = set(), list(graph[module])
    while stack:
        node = stack.pop()
        if node not in seen:
            seen.add(node)
            stack.extend(graph.get(node, ()))
    assert module not in seen, f"{module} imports something that imports it back"


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("target", ["beamer", "steps"])
def test_slides_of_a_non_finite_graph_are_refused_and_nothing_is_written(tmp_path, capsys, lang, target):
    # exp(1000) overflows: L = inf · 0 = NaN, which the command line refuses for every output
    out = tmp_path / ("cours.tex" if target == "beamer" else "etapes")
    where = ["-o", str(out), "--beamer"] if target == "beamer" else ["--steps", str(out)]
    code = main(["draw", "exp(x)*0", "--set", "x=1000", *where, "--lang", lang])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and len(err) == 1 and "exp(1000)" in err[0]
    assert not out.exists()
