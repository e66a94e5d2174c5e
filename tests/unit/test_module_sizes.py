"""No module in src/ is over 400 lines (issue 11: one job per module)."""

from __future__ import annotations

from tests.conftest import ROOT

LIMIT = 400


def test_no_module_in_src_is_over_400_lines():
    sizes = {
        str(path.relative_to(ROOT)): len(path.read_text(encoding="utf-8").splitlines())
        for path in (ROOT / "src").rglob("*.py")
    }
    assert len(sizes) > 100  # the walk found the package
    assert {p: n for p, n in sizes.items() if n > LIMIT} == {}
