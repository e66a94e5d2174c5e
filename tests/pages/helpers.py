"""Shared AppTest helpers for page tests."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from src.widgets import state
from tests.conftest import ROOT

# Where a money-over-time chart is drawn (its key: item_key(FLOW_CHART, where)).
MONEY_CHARTS = ("overview", "country", "project")


def open_page(page: str | None, params: dict[str, object] | None = None) -> AppTest:
    """Run the app with URL parameters on `page` (None: the landing page).

    The first run opens `page` directly, as a link to it does: st.navigation
    registers our pages under their file names, so AppTest's pre-run page hash
    (from the file name) is the one the app registers; no landing run first.
    """
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def chart_specs(at: AppTest) -> list[dict]:
    """The Vega-Lite specs of the app's charts (AppTest's element name for
    `st.altair_chart` has changed between Streamlit versions; 1.67: this one)."""
    return [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Open the tab `label` of lazy tabs `key` (only the open tab is drawn),
    as a click on it does, and rerun."""
    at.session_state[key] = label
    at.run()
    assert not at.exception, at.exception
    return at


def open_chart_table(at: AppTest, *charts: str) -> AppTest:
    """Open the tables of the charts keyed `charts` (made only when opened),
    as a click on "Show the data as a table" does, and rerun."""
    for chart in charts:
        at.session_state[state.item_key(chart, state.TABLE_EXPANDER)] = True
    at.run()
    assert not at.exception, at.exception
    return at


def open_money_table(at: AppTest) -> AppTest:
    """Open the money-over-time table of the page (overview, country or project)."""
    flows = [state.item_key(state.FLOW_CHART, w) for w in MONEY_CHARTS]
    return open_chart_table(at, *flows)
