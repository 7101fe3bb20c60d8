"""The distribution: one wheel holding both import packages, and the command line."""
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.slow
def test_wheel_contains_both_packages(tmp_path):
    pytest.importorskip("build")
    pytest.importorskip("hatchling")  # both come with the test extra: the build needs no network
    result = subprocess.run([sys.executable, "-m", "build", "--wheel", "--no-isolation", "--outdir",
                             str(tmp_path), str(ROOT)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-2000:]
    (wheel,) = tmp_path.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "microgradfr/engine.py" in names and "microgradfr/ops.py" in names
    assert "viz/__init__.py" in names
    assert "microgradfr/datasets/digits.csv.gz" in names
    assert not any(n.startswith(("tests/", "notebooks/")) for n in names)


def test_demo_runs_and_the_loss_goes_down():
    from microgradfr.demo import train_moons
    lines = []
    losses = train_moons(epochs=15, out=lines.append)
    assert losses[-1] < 0.6 * losses[0]
    assert lines
