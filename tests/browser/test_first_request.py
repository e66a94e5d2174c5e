"""A fresh server whose first request is a page URL draws that page in full.

This is what the `pages/` shim (src/widgets/routing.py) is for: Streamlit would
otherwise run pages/scenarios.py alone, without the frame and the navigation.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

import dashboard
from src.i18n import translate
from tests.browser.conftest import LAUNCHERS, running_app

pytestmark = pytest.mark.browser

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
def test_a_page_url_as_the_first_request_opens_that_page_in_the_app_frame(
    launcher, browser, tmp_path
):
    with running_app(launcher, tmp_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/scenarios")
        page.wait_for_selector(READY, timeout=90_000)
        title = page.locator("[data-testid='stMain'] h1").first
        title.wait_for(timeout=60_000)
        assert title.inner_text() == "What if? Budget and capacity scenarios"
        assert page.locator("[data-testid='stException']").count() == 0
        nav = page.locator("[data-testid='stSidebarNav'] a")
        listed = [
            translate(key, "en")
            for path, key, _icon in dashboard.PAGES
            if path not in dashboard.HIDDEN
        ]
        assert [n.split("\n")[-1] for n in nav.all_inner_texts()] == listed
        sidebar = page.locator("[data-testid='stSidebar']")
        # six filters, and four more in the "More filters" expander
        assert sidebar.locator("[data-testid='stMultiSelect']").count() == 10
        assert urlparse(page.url).path == "/scenarios"
        page.close()
