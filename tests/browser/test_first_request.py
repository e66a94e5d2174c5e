"""A fresh server whose first request is a page URL draws that page in full.

This is what the `pages/` shim (src/widgets/routing.py) is for: Streamlit would
otherwise run pages/scenarios.py alone, without the frame and the navigation.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect

import dashboard
from src.i18n import translate
from tests.browser.conftest import LAUNCHERS, running_app, wait_ready

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("launcher", list(LAUNCHERS))
def test_a_page_url_as_the_first_request_opens_that_page_in_the_app_frame(
    launcher, browser, tmp_path
):
    with running_app(launcher, tmp_path) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(url + "/scenarios")
        wait_ready(page, timeout=90_000)
        # The first run can be followed by another (the frame's own rerun):
        # each check waits for what it expects, the last run's drawing.
        title = page.locator("[data-testid='stMain'] h1").first
        expect(title).to_have_text(
            "What if? Budget and capacity scenarios", timeout=60_000
        )
        nav = page.locator("[data-testid='stSidebarNav'] a")
        listed = [
            translate(key, "en")
            for path, key, _icon in dashboard.PAGES
            # without sign-in no one is an admin: the admin page is not listed
            if path not in dashboard.HIDDEN | dashboard.ADMIN_ONLY
        ]
        expect(nav).to_have_count(len(listed), timeout=60_000)
        expect(nav).to_contain_text(listed, timeout=60_000)
        assert [n.split("\n")[-1] for n in nav.all_inner_texts()] == listed
        sidebar = page.locator("[data-testid='stSidebar']")
        # six filters; four more in the "More filters" expander, drawn when opened
        filters = sidebar.locator("[data-testid='stMultiSelect']")
        expect(filters).to_have_count(6, timeout=60_000)
        wait_ready(page)
        assert page.locator("[data-testid='stException']").count() == 0
        assert urlparse(page.url).path == "/scenarios"
        page.close()
