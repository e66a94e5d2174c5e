"""A server started with `python dashboard.py` imports the layers below the UI first.

`routing.preload()` runs before the server listens; it must import every module
of the data, engine and store layers (so a fresh server's first page does not
wait for them), and nothing that binds to Streamlit's runtime before the runtime
exists (a cached function defined then would use a stand-in cache and warn "No
runtime found"), nor Alembic, psycopg or the briefing writers.
"""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import json, sys
from src.widgets import routing
names = routing.preload()
print(json.dumps({"names": names, "loaded": sorted(sys.modules)}))
"""

LAYERS = ("i18n", "iati", "portfolio", "engine", "store")


def _modules_on_disk() -> set[str]:
    """Every importable module of the preloaded layers, from the files."""
    found = set()
    for layer in LAYERS:
        for path in (ROOT / "src" / layer).rglob("*.py"):
            parts = path.relative_to(ROOT).with_suffix("").parts
            if "migrations" in parts or parts[-1] == "__main__":
                continue
            if parts[-1] == "__init__":
                parts = parts[:-1]
            found.add(".".join(parts))
    return found


def test_preload_imports_every_module_below_the_ui_and_nothing_bound_to_a_runtime():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    out = json.loads(done.stdout.splitlines()[-1])
    loaded = set(out["loaded"])
    expected = _modules_on_disk()
    assert len(expected) > 80
    assert expected <= loaded, sorted(expected - loaded)
    assert {"altair", "pydeck", "scipy"} <= loaded
    for heavy in ("alembic", "psycopg", "pptx", "fpdf", "vl_convert", "lifelines"):
        assert heavy not in loaded, heavy
    widgets = {name for name in loaded if name.startswith("src.widgets.")}
    assert widgets == {"src.widgets.routing"}, sorted(widgets)
    assert "No runtime found" not in done.stderr, done.stderr
