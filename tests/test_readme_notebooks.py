"""The README's notebook table has a row for every notebook shipped, with the course exercise it follows."""
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
ROWS = dict(re.findall(r"^\| (\d\d) — [^|]+\|[^|]+\|([^|]+)\|$", README, flags=re.M))


@pytest.mark.parametrize("path", sorted((ROOT / "notebooks").glob("*.ipynb")), ids=lambda p: p.name)
def test_every_notebook_has_a_row(path):
    number = path.name[:2]
    assert number in ROWS, f"README.md, section « Les notebooks »: no row « | {number} — … | … | … | »"
    assert ROWS[number].strip(), f"README.md: the row of notebook {number} names no course exercise"
