"""Spanish: every page runs and shows Spanish labels (format_funcs bound to lang)."""

from __future__ import annotations

import pytest

from tests.pages import helpers


@pytest.mark.parametrize(
    "page",
    [
        None,
        "pages/country.py",
        "pages/scenarios.py",
        "pages/data_quality.py",
        "pages/data.py",
        "pages/briefing.py",
    ],
)
def test_every_page_runs_in_spanish(page):
    at = helpers.open_page(page, {"lang": "es", "country": "KEN"})
    assert not at.exception
    assert at.sidebar.selectbox[0].value == "es"


def test_overview_in_spanish_uses_spanish_labels_and_numbers():
    at = helpers.open_page(None, {"lang": "es"})
    labels = [m.label for m in at.metric]
    assert "Presupuesto total" in labels
    assert at.radio(key="map.metric").options[0] != "Budget"
