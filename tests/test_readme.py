"""The README's examples run as written (in a temporary folder, no display), and every output it shows
(a ```text block right after a code block) is what that code prints."""
import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
FENCES = re.findall(r"```(\w+)\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
BLOCKS = [code for lang, code in FENCES if lang == "python"]


def shown_after(index):
    """The ```text block that follows fence ``index``, if there is one."""
    if index + 1 < len(FENCES) and FENCES[index + 1][0] == "text":
        return FENCES[index + 1][1]
    return None


def test_readme_has_python_examples_and_shown_outputs():
    assert len(BLOCKS) >= 3
    assert sum(lang == "text" for lang, _ in FENCES) >= 3


def test_readme_examples_run_in_order_and_print_what_it_shows(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {}
    for i, (lang, block) in enumerate(FENCES):
        if lang != "python":
            continue
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                exec(compile(block, f"README.md python block {i}", "exec"), namespace)  # noqa: S102
        except Exception as error:  # noqa: BLE001 — report which block broke
            pytest.fail(f"README python block {i} failed: {error!r}\n{block}")
        shown = shown_after(i)
        if printed.getvalue() or shown is not None:
            assert shown is not None, \
                f"README block {i} prints output the README does not show:\n{printed.getvalue()}"
            assert printed.getvalue() == shown, f"README block {i}:\n{block}"
    assert os.path.exists("graphe.svg") and os.path.exists("pas_a_pas.html")


COMMANDS = [line for lang, block in FENCES if lang == "bash"
            for line in block.splitlines() if line.startswith("microgradfr ")]
SHOWN = [(block.strip(), shown_after(i)) for i, (lang, block) in enumerate(FENCES)
         if lang == "bash" and shown_after(i) is not None]


def run(command, cwd):
    args = shlex.split(command)[1:]
    return subprocess.run([sys.executable, "-m", "microgradfr", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=120, encoding="utf-8")


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_lines_run(command, tmp_path):
    result = run(command, tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("command, shown", SHOWN)
def test_readme_command_prints_what_it_shows(command, shown, tmp_path):
    assert command.startswith("microgradfr ") and "\n" not in command, "one command per block with output"
    assert run(command, tmp_path).stdout == shown
