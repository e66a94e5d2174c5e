"""Issue 12 item 7: Streamlit's own English widget texts ("Select all",
"Drag and drop … Limit 200MB per file") are removed or explained in the UI
language, and the uploader's limit is the app's own."""

from __future__ import annotations

import pytest

from src.i18n import translate
from src.widgets import state
from tests.pages import helpers


@pytest.mark.parametrize(
    "page", ["pages/overview.py", "pages/scenarios.py", "pages/briefing.py"]
)
def test_no_multiselect_offers_streamlits_english_select_all(app_data_dir, page):
    at = helpers.open_page(page)
    boxes = at.get("multiselect")
    assert boxes  # the sidebar filters at least
    assert [b.proto.select_all for b in boxes] == [0] * len(boxes)


def test_the_uploaders_state_the_apps_limit_and_explain_themselves_in_french(
    app_data_dir, monkeypatch
):
    monkeypatch.setenv("APP_MAX_UPLOAD_MB", "50")
    at = helpers.open_page("pages/data.py", {state.URL_LANG: "fr"})
    [upload] = at.get("file_uploader")
    assert upload.proto.max_upload_size_mb == 50  # not Streamlit's 200
    assert "jusqu'à 50 Mo" in upload.proto.help
    assert "« Browse files » : parcourir" in upload.proto.help
    at = helpers.open_page("pages/scenarios.py", {state.URL_LANG: "es"})
    at = helpers.open_tab(at, state.SCEN_TABS, translate("scen.tab.save", "es"))
    [scenario] = at.get("file_uploader")
    assert scenario.proto.max_upload_size_mb == 1
    assert "hasta 1 MB" in scenario.proto.help
