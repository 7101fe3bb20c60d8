"""The README's Python examples run as written (in a temporary folder, no display)."""
import os
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"
BLOCKS = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)


def test_readme_has_python_examples():
    assert len(BLOCKS) >= 3


def test_readme_examples_run_in_order(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {}
    for i, block in enumerate(BLOCKS):
        try:
            exec(compile(block, f"README.md python block {i}", "exec"), namespace)  # noqa: S102
        except Exception as error:  # noqa: BLE001 — report which block broke
            pytest.fail(f"README python block {i} failed: {error!r}\n{block}")
    assert os.path.exists("graphe.svg") and os.path.exists("pas_a_pas.html")
    out = capsys.readouterr().out
    assert "149" in out and "953" in out  # the discriminator's parameter total, printed by summary()


COMMANDS = [line for block in re.findall(r"```bash\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
            for line in block.splitlines() if line.startswith("microgradfr ")]


@pytest.mark.parametrize("command", COMMANDS)
def test_readme_command_lines_run(command, tmp_path):
    import shlex
    import subprocess
    import sys
    args = shlex.split(command)[1:]
    result = subprocess.run([sys.executable, "-m", "microgradfr", *args], cwd=tmp_path,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
