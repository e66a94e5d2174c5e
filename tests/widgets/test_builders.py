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
