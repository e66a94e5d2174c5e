"""A lever move or a map control reruns only its fragment, not the whole page.

How it is seen from outside: every run of the whole page sends the sidebar's
widgets again, and their messages carry the widget keys (here the search box's,
`filters.query`); a fragment's run sends only the fragment's elements. The
test records the websocket messages the browser receives after an action,
waits on the page's state (the new result shown, the run finished), then looks
for the sidebar's key. A filter change, which must rerun the page, is the
control that the check sees a full run when there is one.
"""

from __future__ import annotations

import pytest

from src.engine.scenario import Lever, Scenario
from src.widgets.state import FILTER_QUERY
from tests.browser.conftest import READY

pytestmark = pytest.mark.browser

METRIC = "[data-testid='stMetric']"
SIDEBAR_KEY = FILTER_QUERY.encode()
CARD_CHANGED = """([label, before]) => {
    const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
        .find(e => e.innerText.includes(label));
    return m && m.innerText !== before; }"""


class Frames:
    """The binary websocket messages the page receives, from `mark()` on."""

    def __init__(self, page) -> None:
        self.received: list[bytes] = []
        page.on("websocket", self._watch)

    def _watch(self, ws) -> None:
        ws.on("framereceived", self._add)

    def _add(self, payload) -> None:
        if isinstance(payload, bytes):
            self.received.append(payload)

    def mark(self) -> None:
        self.received.clear()

    def sent_sidebar(self) -> bool:
        return any(SIDEBAR_KEY in frame for frame in self.received)


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1600, "height": 1400})
    yield page
    page.close()


def _card(page, label: str) -> str:
    return page.locator(METRIC).filter(has_text=label).first.inner_text()


def test_a_lever_move_reruns_the_results_not_the_page(app_url, page):
    frames = Frames(page)
    scenario = Scenario(levers=(Lever("budget", -10),), trials=200, name="F")
    page.goto(f"{app_url}/scenarios?scenario={scenario.to_token()}")
    page.wait_for_selector(READY, timeout=60_000)
    page.locator(METRIC).filter(has_text="Funding gap").first.wait_for(timeout=60_000)
    assert frames.sent_sidebar()  # the first run drew the whole page

    before = _card(page, "Funding gap")
    frames.mark()
    slider = page.locator("[data-testid='stMain'] [data-testid='stSlider'] input")
    slider.first.focus()
    page.keyboard.press("ArrowLeft")  # -10 % -> -15 %
    page.wait_for_function(CARD_CHANGED, arg=["Funding gap", before], timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    summary = page.locator("[data-testid='stAlertContentInfo']").first
    assert "-15" in summary.inner_text()
    assert frames.received, "no message recorded after the lever move"
    assert not frames.sent_sidebar(), "the lever move reran the whole page"

    # Control: a sidebar filter reruns the whole page, and the check sees it.
    before = _card(page, "Funding gap")
    frames.mark()
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="Health", exact=True).click()
    page.wait_for_function(CARD_CHANGED, arg=["Funding gap", before], timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    assert frames.sent_sidebar()


def _legend_title(page, title: str):
    """The map legend's title (bold, under the map) reading `title`."""
    return page.locator("[data-testid='stMarkdown'] b").filter(has_text=title).first


def test_a_map_control_reruns_the_map_not_the_page(app_url, page):
    frames = Frames(page)
    page.goto(app_url)
    page.wait_for_selector(READY, timeout=60_000)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart']", timeout=60_000)
    _legend_title(page, "Budget").wait_for(timeout=60_000)
    assert frames.sent_sidebar()  # the first run drew the whole page

    for label, metric in (
        ("Number of projects", "projects"),
        ("Country risk (INFORM)", "risk"),
    ):
        frames.mark()
        page.get_by_role("radio", name=label, exact=True).check(force=True)
        _legend_title(page, label).wait_for(timeout=60_000)  # the map redrawn
        page.wait_for_selector(READY, timeout=60_000)
        assert frames.received, f"no message recorded after choosing {label}"
        assert not frames.sent_sidebar(), f"choosing {label} reran the whole page"
        assert f"metric={metric}" in page.url  # mirrored in the URL

    # Control: a sidebar filter reruns the whole page, and the check sees it.
    before = _card(page, "Total budget")
    frames.mark()
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="Health", exact=True).click()
    page.wait_for_function(CARD_CHANGED, arg=["Total budget", before], timeout=60_000)
    page.wait_for_selector(READY, timeout=60_000)
    assert frames.sent_sidebar()
