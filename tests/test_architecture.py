"""The layers: no import cycle in either package, and the core never reaches the renderer.

The import graph is read from the source with ``ast``: every ``import`` and ``from ... import``,
at module level or inside a function (a lazy import hides a cycle, it does not remove it), with
relative imports resolved. An edge goes to the module named (``from .a import b`` reaches ``a.b``
when ``b`` is a module, else ``a``).
"""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

import microgradfr
import viz

PACKAGES = {"microgradfr": Path(microgradfr.__file__).parent, "viz": Path(viz.__file__).parent}

# The entry points sit above viz: `python -m microgradfr draw ...` and the demo draw diagrams.
# Everything else in microgradfr is the core, which viz reads and which never reads viz.
ENTRY_POINTS = {"microgradfr.__main__", "microgradfr.cli", "microgradfr.demo"}


def module_names(package: str, root: Path | None = None) -> dict:
    """``dotted module name -> source path`` for every module of ``package`` (found in ``root``)."""
    root = root or PACKAGES[package]
    names = {}
    for path in sorted(root.rglob("*.py")):
        parts = (package, *path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names[".".join(parts)] = path
    return names


def imported_names(module: str, path: Path) -> set:
    """Every dotted name ``module`` imports, wherever the import is, relative ones resolved.

    ``import a.b`` gives ``a.b``; ``from a import b, c`` gives ``a.b`` and ``a.c`` (each a submodule
    or an attribute of ``a``: :func:`edges` tells which).
    """
    parts = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                assert node.level <= len(parts), f"{path}: a relative import climbs above the package"
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            else:
                base = node.module
            found.update(f"{base}.{alias.name}" for alias in node.names)
    return found


def resolve(name: str, modules: dict):
    """The module of ``modules`` that ``name`` reaches: itself, else its longest prefix that is one."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        if ".".join(parts[:end]) in modules:
            return ".".join(parts[:end])
    return None


def edges(package: str, root: Path | None = None) -> dict:
    """The import graph of ``package``: ``module -> the modules of the same package it imports``."""
    modules = module_names(package, root)
    graph = {}
    for module, path in modules.items():
        targets = {resolve(name, modules) for name in imported_names(module, path)}
        graph[module] = targets - {None, module}
    return graph


def find_cycle(graph: dict):
    """One cycle of ``graph`` as a list ``[a, b, ..., a]``, or None (iterative depth-first search)."""
    state = {}  # absent: not seen; 1: on the current path; 2: finished
    for start in sorted(graph):
        if start in state:
            continue
        path, stack = [start], [iter(sorted(graph[start]))]
        state[start] = 1
        while stack:
            for target in stack[-1]:
                if state.get(target) == 1:
                    return path[path.index(target):] + [target]
                if target not in state:
                    state[target] = 1
                    path.append(target)
                    stack.append(iter(sorted(graph.get(target, ()))))
                    break
            else:
                state[path.pop()] = 2
                stack.pop()
    return None


# ---------------------------------------------------------------- the checker checks


def test_find_cycle_finds_a_cycle_and_only_a_cycle():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    assert find_cycle({"a": {"b", "c"}, "b": {"c"}, "c": set()}) is None  # a diamond is no cycle
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"a"}}) == ["a", "a"]


def test_the_graph_sees_function_level_and_relative_imports():
    graph = edges("microgradfr")
    assert "microgradfr.autograd" in graph["microgradfr.engine"]  # `from .autograd import ...`
    assert "microgradfr.autograd" in graph["microgradfr.nn.module"]  # `from ..autograd import` in a method
    assert "microgradfr.nn.module" in graph["microgradfr.nn"]  # a package's __init__
    viz_graph = edges("viz")
    assert "viz.protocol" in viz_graph["viz.steps"] and "viz.backend" in viz_graph["viz.diagram"]


def test_a_cycle_hidden_in_a_function_is_found(tmp_path):
    package = tmp_path / "pkg"
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("from .low import f\n")
    (package / "low.py").write_text("def f():\n    from .sub.high import g\n    return g()\n")
    (package / "sub" / "__init__.py").write_text("")
    (package / "sub" / "high.py").write_text("from .. import low\n\ndef g():\n    return 1\n")
    cycle = find_cycle(edges("pkg", package))
    assert cycle == ["pkg.low", "pkg.sub.high", "pkg.low"]


# ---------------------------------------------------------------- the layers


def test_microgradfr_has_no_import_cycle():
    cycle = find_cycle(edges("microgradfr"))
    assert cycle is None, "import cycle in microgradfr: " + " → ".join(cycle)


def test_viz_has_no_import_cycle():
    cycle = find_cycle(edges("viz"))
    assert cycle is None, "import cycle in viz: " + " → ".join(cycle)


# The layers of viz, bottom to top (STYLE.md rule 13): a module imports only modules of its own
# layer or of lower ones. A new module is placed here, in the lowest layer its imports allow.
VIZ_LAYERS = {
    # 0 - words, numbers and what a node is: no drawing
    "viz.text": 0, "viz.protocol": 0, "viz.format": 0, "viz.clusters": 0, "viz.layout": 0, "viz.latex": 0,
    # 1 - the passes and the chain rule, as data and sentences
    "viz.steps": 1, "viz.chain_rule": 1, "viz.code": 1,
    # 2 - the renderer backend: DOT text to pictures, atomic file writes; knows no nodes
    "viz.backend": 2,
    # 3 - one diagram of a graph
    "viz.diagram": 3, "viz.dot": 3, "viz.tikz": 3, "viz.report": 3,
    # 4 - many frames of one layout: the step player, Beamer slides, one image per step
    "viz.player": 4, "viz.beamer": 4, "viz.steps_images": 4,
    # 5 - render(): a node or a diagram to a file, the format picked by the extension
    "viz.rendering": 5, "viz.output": 5,
    # 6 - the package's public names
    "viz": 6,
}

# Imports that may sit inside a function: optional third-party packages that may be missing.
OPTIONAL_IMPORTS = {"IPython"}


def test_every_viz_module_has_a_layer():
    modules = set(module_names("viz"))
    assert not modules - set(VIZ_LAYERS), "place these viz modules in VIZ_LAYERS: " + \
        ", ".join(sorted(modules - set(VIZ_LAYERS)))
    assert not set(VIZ_LAYERS) - modules, "VIZ_LAYERS names modules that no longer exist"


@pytest.mark.parametrize("module", sorted(VIZ_LAYERS))
def test_viz_imports_only_downwards(module):
    graph = edges("viz")
    upward = sorted(t for t in graph.get(module, ()) if VIZ_LAYERS.get(t, -1) > VIZ_LAYERS[module])
    assert not upward, f"{module} (layer {VIZ_LAYERS[module]}) imports higher layers: " + \
        ", ".join(f"{t} (layer {VIZ_LAYERS[t]})" for t in upward)


def function_level_imports(path: Path) -> list:
    """``(line, top-level package)`` of every import inside a function or class body of ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
    found = []
    for scope in ast.walk(tree):
        if not isinstance(scope, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            continue
        for node in ast.walk(scope):
            if isinstance(node, ast.Import):
                found += [(node.lineno, alias.name.split(".")[0]) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                found.append((node.lineno, "." if node.level else node.module.split(".")[0]))
    return sorted(set(found))


def test_function_level_imports_are_seen(tmp_path):
    path = tmp_path / "m.py"
    path.write_text("import os\n\nclass A:\n    def f(self):\n        from . import b\n"
                    "        import numpy.linalg\n")
    assert function_level_imports(path) == [(5, "."), (6, "numpy")]


@pytest.mark.parametrize("module", sorted(module_names("viz")))
def test_viz_imports_sit_at_module_top(module):
    hidden = [(line, name) for line, name in function_level_imports(module_names("viz")[module])
              if name not in OPTIONAL_IMPORTS]
    assert not hidden, f"{module}: imports inside functions (move them to the top): {hidden}"


def outside_imports(module: str) -> set:
    """The top-level names of the packages ``module`` imports (``viz``, ``numpy``, ...)."""
    path = module_names("microgradfr")[module]
    return {name.split(".")[0] for name in imported_names(module, path)}


@pytest.mark.parametrize("module", sorted(set(module_names("microgradfr")) - ENTRY_POINTS))
def test_the_core_never_imports_viz_or_graphviz(module):
    assert not outside_imports(module) & {"viz", "graphviz"}, f"{module} imports the renderer"


@pytest.mark.parametrize("module", sorted(ENTRY_POINTS))
def test_the_entry_points_draw_through_viz_never_graphviz(module):
    assert "graphviz" not in outside_imports(module)


def test_importing_the_core_loads_neither_viz_nor_graphviz():
    core = sorted(set(module_names("microgradfr")) - ENTRY_POINTS)
    script = ("import importlib, sys\n"
              f"for name in {core!r}:\n"
              "    importlib.import_module(name)\n"
              "print(sorted(m for m in sys.modules if m.split('.')[0] in ('viz', 'graphviz')))\n")
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
