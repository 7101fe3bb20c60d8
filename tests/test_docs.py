"""ARCHITECTURE.md stays true: every path and name it gives exists, every module is on it, viz's layers match.

A path in backticks (``microgradfr/kernels/conv.py``) must exist; ``path::name`` must also define
``name`` at the top of that file (``Class.method`` for a method); ``OPS["name"]`` must be an op of the
table. Every top-level module and package of ``microgradfr`` and ``viz`` must be named, and each
``- layer N:`` line must list exactly the viz modules that ``VIZ_LAYERS`` puts in layer N.
"""
import ast
import re
from pathlib import Path

import pytest
from test_architecture import PACKAGES, VIZ_LAYERS, module_names

from microgradfr.ops import OPS

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "ARCHITECTURE.md"
TEXT = DOC.read_text(encoding="utf-8")
PROSE = re.sub(r"```.*?```", "", TEXT, flags=re.S)  # the picture names modules by their short names
SPANS = re.findall(r"`([^`\n]+)`", PROSE)
PATH = re.compile(r"^(?P<path>(?:[\w.-]+/)+(?:[\w.-]+\.\w+)?)(?:::(?P<name>[\w.]+))?$")
PATHS = sorted({span for span in SPANS if PATH.match(span)})


def test_the_document_names_paths_and_reads_in_one_sitting():
    assert len(PATHS) > 30, "ARCHITECTURE.md names too few files: did the backticks change?"
    assert len(TEXT.splitlines()) <= 200, "ARCHITECTURE.md should stay a one-sitting read (≤ 200 lines)"


def defined_names(path: Path) -> set:
    """The names defined at the top of ``path``, and ``Class.method`` for each class's methods."""
    names = set()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
            if isinstance(node, ast.ClassDef):
                names.update(f"{node.name}.{item.name}" for item in node.body
                             if isinstance(item, (ast.FunctionDef, ast.AsyncFunctionDef)))
        elif isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            names.update(t.id for t in targets if isinstance(t, ast.Name))
    return names


@pytest.mark.parametrize("span", PATHS)
def test_every_path_it_names_exists(span):
    match = PATH.match(span)
    path = ROOT / match["path"]
    assert path.exists(), f"ARCHITECTURE.md names `{span}`, but {match['path']} does not exist"
    if match["name"]:
        assert match["name"] in defined_names(path), \
            f"ARCHITECTURE.md names `{span}`, but {match['path']} defines no {match['name']}"


BARE = sorted({span for span in SPANS if re.fullmatch(r"[\w.-]+\.py", span)})


@pytest.mark.parametrize("name", BARE)
def test_every_file_it_names_by_its_short_name_exists(name):
    """``tree.py`` in the row of ``microgradfr/formula/``: some module of either package has that name."""
    assert any(path.name == name for package in PACKAGES.values() for path in package.rglob("*.py")), \
        f"ARCHITECTURE.md names `{name}`, but no module of microgradfr or viz has that name"


@pytest.mark.parametrize("name", sorted(set(re.findall(r'`OPS\["(\w+)"\]`', PROSE))))
def test_every_op_it_names_is_in_the_table(name):
    assert name in OPS, f'ARCHITECTURE.md names OPS["{name}"], which the op table lacks'


def top_level(package: str) -> list:
    """``microgradfr/engine.py``, ``microgradfr/nn/``, …: the modules and packages right in ``package``."""
    root = PACKAGES[package]
    modules = [f"{package}/{p.name}" for p in sorted(root.glob("*.py"))]
    packages = [f"{package}/{p.name}/" for p in sorted(root.iterdir()) if (p / "__init__.py").exists()]
    return modules + packages


@pytest.mark.parametrize("path", top_level("microgradfr") + top_level("viz"))
def test_every_top_level_module_is_on_the_page(path):
    named = {span.split("::")[0] for span in PATHS}
    assert path in named, f"ARCHITECTURE.md does not name `{path}`: say what it owns (in backticks)"


def test_the_layer_lines_are_viz_layers():
    layers = re.findall(r"^- layer (\d+): (.*(?:\n  .*)*)", PROSE, flags=re.M)
    assert layers, "ARCHITECTURE.md has no '- layer N: `viz/…`' lines"
    listed = {}
    for number, line in layers:
        for path in re.findall(r"`(viz/[\w/]+\.py)`", line):
            listed[path] = int(number)
    expected = {}
    for module, path in module_names("viz").items():
        expected[path.relative_to(ROOT).as_posix()] = VIZ_LAYERS[module]
    wrong = sorted(f"{path}: layer {expected.get(path, 'none')} in VIZ_LAYERS, "
                   f"{'not listed' if path not in listed else f'layer {listed[path]}'} on the page"
                   for path in set(listed) | set(expected) if listed.get(path) != expected.get(path))
    assert not wrong, "ARCHITECTURE.md's '- layer N:' lines and VIZ_LAYERS (tests/test_architecture.py) " \
                      "disagree: " + "; ".join(wrong)


@pytest.mark.parametrize("part", ["fr", "en"])
def test_the_readme_links_it_in_both_parts(part):
    french, english = (ROOT / "README.md").read_text(encoding="utf-8").split("\n---\n", 1)
    assert "(ARCHITECTURE.md)" in (french if part == "fr" else english)
