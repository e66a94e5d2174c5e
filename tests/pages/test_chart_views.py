"""The overview's charts are drawn from specs made once per selection.

What the page sends must be what the data says (budgets summed here with
plain pandas from the bundled table), in the UI language's number format,
without Altair's default view size (Streamlit draws charts without it), and
schema-valid Vega-Lite even though the page no longer validates each rerun.
"""

from __future__ import annotations

import json

import altair as alt
import pyarrow as pa
import pytest

from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from src.widgets import row_cache, state
from tests.conftest import ROOT
from tests.pages.helpers import open_page


def _charts(at):
    """(spec, first dataset as a DataFrame) of each chart the page drew."""
    out = []
    for chart in at.get("vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        buffers = [d.data.data for d in chart.proto.datasets] or [chart.proto.data.data]
        data = pa.ipc.open_stream(buffers[0]).read_all().to_pandas()
        out.append((spec, data))
    return out


def _region_chart(at, label: str):
    for spec, data in _charts(at):
        tooltips = spec["encoding"].get("tooltip", [])
        if any(t.get("title") == label for t in tooltips) and "value_m" in data:
            return spec, data
    raise AssertionError(f"no breakdown chart titled {label!r}")


@pytest.mark.parametrize(
    ("lang", "label", "decimal"), [("en", "Region", "."), ("fr", "Région", ",")]
)
def test_the_region_breakdown_is_the_data_in_the_language(lang, label, decimal):
    df, _ = load_bundled_portfolio()
    health = df[df[S.COL_SECTOR_GROUP] == "Health"]
    expected = health.groupby(S.COL_REGION)[S.COL_BUDGET].sum() / 1e6

    at = open_page(None, {"sector": "Health", "lang": lang})
    spec, data = _region_chart(at, label)

    assert sorted(data["value_m"].round(6)) == sorted(expected.round(6))
    assert spec["config"]["locale"]["number"]["decimal"] == decimal
    assert "view" not in spec.get("config", {})  # no theme default size
    # valid Vega-Lite (the page skips Altair's validation on each rerun)
    alt.Chart.from_dict({k: v for k, v in spec.items() if k != "datasets"})


def test_a_rerun_with_the_same_selection_builds_no_chart_again(monkeypatch):
    from src.widgets import charts

    row_cache._of_rows.clear()
    at = open_page(None, {"sector": "Health"})
    first = [spec for spec, _ in _charts(at)]
    built: list[str] = []
    original = charts.build_bar_chart

    def counting(*args, **kwargs):
        built.append(kwargs.get("label", ""))
        return original(*args, **kwargs)

    monkeypatch.setattr(charts, "build_bar_chart", counting)
    at.run()
    assert not at.exception
    assert built == []
    assert [spec for spec, _ in _charts(at)] == first


def test_only_the_open_section_below_the_map_is_made_and_sent():
    from src.widgets import state
    from tests.pages.helpers import open_tab

    at = open_page(None, {"sector": "Health"})
    tables = [d.value for d in at.dataframe]
    assert not any("IATI identifier" in t.columns for t in tables)  # Projects
    assert not any("Quarter" in t.columns for t in tables)  # Money over time
    assert len(_charts(at)) == 3  # the three breakdowns

    open_tab(at, state.OVERVIEW_TABS, "Projects")
    df, _ = load_bundled_portfolio()
    health = df[df[S.COL_SECTOR_GROUP] == "Health"]
    [projects] = [d.value for d in at.dataframe if "IATI identifier" in d.value.columns]
    assert sorted(projects["IATI identifier"]) == sorted(health[S.COL_PROJECT_ID])
    assert _charts(at) == []  # the breakdowns are no longer made


def test_a_chart_table_is_made_only_when_opened_and_holds_the_data():
    # A closed table is neither made nor sent (the browser would load its
    # data-grid code on the first render); opening it shows the chart's data.
    df, _ = load_bundled_portfolio()
    health = df[df[S.COL_SECTOR_GROUP] == "Health"]
    expected = health.groupby(S.COL_REGION).size()
    english = json.loads((ROOT / "src/i18n/locales/en.json").read_text("utf-8"))

    at = open_page(None, {"sector": "Health"})
    labels = [e.label for e in at.expander]
    assert labels.count("Show the data as a table") == 3
    assert len(at.dataframe) == 0

    chart = state.item_key(state.CHART_BREAKDOWN, "region")
    key = state.item_key(chart, state.TABLE_EXPANDER)
    at.session_state[key] = True
    at.run()
    assert not at.exception, at.exception
    (table,) = [d.value for d in at.dataframe]
    assert dict(zip(table["Region"], table["Projects"], strict=True)) == {
        english[f"region.{r}"]: n for r, n in expected.items()
    }
