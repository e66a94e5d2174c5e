"""Spanish labels and numbers (every page runs: see test_pages_smoke.py)."""

from __future__ import annotations

from tests.pages import helpers


def test_overview_in_spanish_uses_spanish_labels_and_numbers():
    at = helpers.open_page(None, {"lang": "es"})
    labels = [m.label for m in at.metric]
    assert "Presupuesto total" in labels
    assert at.radio(key="map.metric").options[0] != "Budget"
