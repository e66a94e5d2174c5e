"""Shared AppTest helpers for page tests."""

from __future__ import annotations

import json

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


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
