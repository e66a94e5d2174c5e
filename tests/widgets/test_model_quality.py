"""The model-quality panel's builders (no browser)."""

from __future__ import annotations

import json

from src.engine.calibration.validation import VALIDATION_FILE
from src.widgets.model_quality import build_pit_chart, coverage_table


def _checks() -> list[dict]:
    return json.loads(VALIDATION_FILE.read_text(encoding="utf-8"))["checks"]


def test_the_pit_chart_has_one_panel_per_check_with_its_own_ten_deciles():
    checks = _checks()
    spec = build_pit_chart(checks, "en").to_dict()
    assert spec["facet"]["field"] == "check"
    layers = spec["spec"]["layer"]
    assert all("data" not in layer for layer in layers)  # the facet splits one set
    rows = next(iter(spec["datasets"].values()))
    assert len(rows) == 10 * len(checks)
    for check in checks:
        label = {r["check"] for r in rows if r["share"] == check["pit"][0]}
        assert label  # every check's first decile is in the data
    per_panel = {}
    for r in rows:
        per_panel.setdefault(r["check"], []).append(r["share"])
    assert sorted(map(len, per_panel.values())) == [10] * len(checks)


def test_the_coverage_table_shows_the_stored_figures_in_french():
    checks = _checks()
    table = coverage_table(checks, "fr")
    assert len(table) == len(checks)
    first = checks[0]
    shown = table["Dans P10–P90"].iloc[0]
    assert (
        shown == f"{first['inside_80'] * 100:.1f}".replace(".", ",") + "\xa0%"
    )  # CLDR French: no-break space
