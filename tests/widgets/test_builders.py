"""Pure chart builders inspected without a browser (the map: test_map_builder)."""

from __future__ import annotations

import struct

from src.portfolio import schema as S
from src.portfolio.summary import breakdown
from src.widgets.charts import build_bar_chart, chart_png


def test_bar_chart_encodes_the_breakdown_and_renders_a_png(tiny_portfolio):
    table = breakdown(tiny_portfolio, S.COL_SECTOR_GROUP)
    chart = build_bar_chart(
        table, category=S.COL_SECTOR_GROUP, label="Sector", value_label="US$ M"
    )
    spec = chart.to_dict()
    assert spec["encoding"]["y"]["field"] == S.COL_SECTOR_GROUP
    assert spec["encoding"]["x"]["field"] == "value_m"
    png = chart_png(chart)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    width = struct.unpack(">I", png[16:20])[0]
    assert width > 300


def test_the_coordination_heatmap_colours_budget_in_millions_like_the_bars():
    # Its legend read "20,000,000 / 60,000,000" in US$; the bars say millions.
    import pandas as pd

    from src.widgets.coordination import build_heatmap

    www = pd.DataFrame(
        {
            "actor": ["WHO", "UNICEF"],
            "sector": ["Health", "Education"],
            "budget_usd": [25_000_000.0, 4_000_000.0],
            "projects": [3, 1],
        }
    )
    layers = build_heatmap(www, "en").to_dict()["layer"]
    color = next(
        la["encoding"]["color"] for la in layers if la["mark"]["type"] == "rect"
    )
    assert color["field"] == "budget_musd"
    assert color["title"] == "US$ millions"
    values = build_heatmap(www, "en").to_dict()["datasets"]
    rows = next(iter(values.values()))
    assert [r["budget_musd"] for r in rows] == [25.0, 4.0]
