"""Real-browser checks of issue 12 items 2 and 3: readable sizes, an offline map.

No KPI figure (or other label) is cut at laptop widths in EN/FR/ES, a phone
width has no sideways scroll, a click on a project dot opens its page, and with
the web basemap off the browser asks nothing of any host but the app's own.
Tests wait on state (the app's not-running marker, a URL), never on a sleep.
"""

from __future__ import annotations

from urllib.parse import urlparse

import pytest

from src.i18n import translate
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from tests.browser.conftest import READY
from tests.browser.test_smoke import MAP, _map_point, click_until

pytestmark = pytest.mark.browser

PAGES = ("/", "/country?c=KEN")
PLACED = "XM-DAC-47066-CC.0036"  # a bundled project with a reported site
# Elements drawn with an ellipsis whose text is wider than their box: cut text.
CUT = """() => [...document.querySelectorAll('[data-testid="stMain"] *')]
    .filter(e => getComputedStyle(e).textOverflow === 'ellipsis'
                 && e.scrollWidth > e.clientWidth)
    .map(e => e.innerText.slice(0, 80))
    .filter(text => text.trim())"""
# Every KPI value and everything inside it fits its box.
KPI_CUT = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
    .flatMap(el => [el, ...el.querySelectorAll('*')])
    .filter(e => e.scrollWidth > e.clientWidth)
    .map(e => e.innerText)"""
LOCAL = ("127.0.0.1", "localhost")


def _open(
    browser,
    url: str,
    width: int,
    requests: list[str] | None = None,
    height: int = 800,
    shown: str = "[data-testid='stMetricValue']",
):
    """The page at `url` once it shows `shown` and its run has finished."""
    page = browser.new_page(viewport={"width": width, "height": height})
    if requests is not None:
        page.on("request", lambda r: requests.append(r.url))
    page.goto(url)
    page.wait_for_selector(shown, timeout=90_000)
    page.wait_for_selector(READY, timeout=90_000)
    return page


def _external(urls: list[str]) -> list[str]:
    out = []
    for url in urls:
        parsed = urlparse(url)
        if parsed.scheme in ("data", "blob"):
            continue
        if parsed.hostname not in LOCAL:
            out.append(url)
    return out


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
@pytest.mark.parametrize("width", [1280, 1366])
def test_no_kpi_figure_or_label_is_cut_at_laptop_widths(app_url, browser, width, lang):
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        page = _open(browser, f"{app_url}{path}{sep}lang={lang}", width)
        # The cards arrive one by one: wait for the row of seven, not the first.
        page.wait_for_function(
            """() => document.querySelectorAll(
                '[data-testid="stMetricValue"]').length >= 7""",
            timeout=90_000,
        )
        values = page.locator("[data-testid='stMetricValue']").all_inner_texts()
        assert len(values) >= 7, values  # the seven KPIs are drawn
        assert page.evaluate(KPI_CUT) == [], (width, lang, path)
        assert page.evaluate(CUT) == [], (width, lang, path)
        page.close()


@pytest.mark.parametrize("lang", ["en", "fr", "es"])
def test_no_card_or_toggle_is_cut_on_the_other_pages_at_1280(app_url, browser, lang):
    from src.engine.scenario import Lever, Scenario

    token = Scenario(
        levers=(Lever("budget", -20, sectors=("Health",)),), trials=200
    ).to_token()
    for path, cards in (
        (f"/scenarios?scenario={token}", 6),  # the six result cards
        ("/briefing", 7),  # the cover slide's seven figures
        ("/coordination", 0),
        ("/money", 0),
    ):
        sep = "&" if "?" in path else "?"
        page = _open(browser, f"{app_url}{path}{sep}lang={lang}", 1280)
        page.wait_for_function(
            """(n) => document.querySelectorAll(
                '[data-testid="stMetricValue"]').length >= n""",
            arg=cards,
            timeout=90_000,
        )
        page.wait_for_selector(READY, timeout=90_000)
        assert page.evaluate(KPI_CUT) == [], (lang, path)
        assert page.evaluate(CUT) == [], (lang, path)
        page.close()


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_a_phone_width_has_no_sideways_scroll(app_url, browser, lang):
    for path in PAGES:
        sep = "&" if "?" in path else "?"
        page = _open(browser, f"{app_url}{path}{sep}lang={lang}", 390)
        wide = page.evaluate(
            "() => [document.documentElement.scrollWidth,"
            " document.documentElement.clientWidth]"
        )
        assert wide[0] <= wide[1], (lang, path, wide)
        assert page.evaluate(KPI_CUT) == [], (lang, path)
        page.close()


def test_without_the_web_basemap_no_request_leaves_the_app(app_url, browser):
    requests: list[str] = []
    for path in (*PAGES, "/scenarios"):
        page = _open(browser, app_url + path, 1366, requests)
        if path == "/":
            page.wait_for_selector(f"{MAP} canvas", timeout=60_000)
        page.close()
    # the project page draws a small map of the project's reported places
    page = _open(
        browser, f"{app_url}/project?id={PLACED}", 1366, requests, shown=f"{MAP} canvas"
    )
    page.close()
    assert any(urlparse(u).hostname in LOCAL for u in requests)
    assert _external(requests) == []


def test_turning_the_web_basemap_on_is_what_calls_the_basemap_host(app_url, browser):
    # The recorder sees external requests: turning the basemap on makes one.
    requests: list[str] = []
    page = _open(browser, app_url, 1366, requests)
    page.wait_for_selector(f"{MAP} canvas", timeout=60_000)
    assert _external(requests) == []
    page.get_by_text(translate("map.web_basemap", "en"), exact=True).click()
    page.wait_for_function(
        "() => performance.getEntriesByType('resource')"
        ".some(r => r.name.includes('cartocdn'))",
        timeout=60_000,
    )
    assert any("cartocdn" in u for u in _external(requests))
    page.close()


def test_clicking_a_project_dot_opens_its_project_page(app_url, browser):
    df, _ = load_bundled_portfolio()
    site = df[df[S.COL_PRECISION] == "site"].iloc[0]
    pid = site[S.COL_PROJECT_ID]
    # Search for its identifier: the selection is that one project, its dot
    # the largest (22 px) and alone on the map.
    page = _open(browser, f"{app_url}/?q={pid}", 1600, height=1400)
    page.wait_for_selector(f"{MAP} canvas", timeout=60_000)
    page.locator(MAP).scroll_into_view_if_needed()
    box = page.locator(MAP).bounding_box()
    x, y = _map_point(box, lat=site[S.COL_LAT], lon=site[S.COL_LON])
    opened = "() => location.pathname.endsWith('/project')"
    click_until(page, x, y, opened)
    page.wait_for_url(lambda u: "id=" in u, timeout=30_000)
    assert f"id={pid}" in page.url.replace("%2E", ".")
    page.wait_for_selector(READY, timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.close()


# Each data grid on the page: [content height, visible height] of its scroller.
GRID_HEIGHTS = """() => [...document.querySelectorAll('[data-testid="stDataFrame"]')]
    .map(el => el.querySelector('.dvn-scroller'))
    .filter(s => s).map(s => [s.scrollHeight, s.clientHeight])"""


def test_short_tables_are_shown_whole(app_url, browser):
    # The key facts (20 rows) scrolled inside a ten-row box: the last rows
    # (committed, spend reporting, ...) were out of sight. This project's
    # tables are all short (8 transactions, 3 organisations, 1 sector).
    page = _open(
        browser,
        f"{app_url}/project?id=XM-DAC-41301-650255",
        1366,
        shown="[data-testid='stDataFrame'] .dvn-scroller",
    )
    page.wait_for_function(f"() => ({GRID_HEIGHTS})().length >= 3", timeout=60_000)
    heights = page.evaluate(GRID_HEIGHTS)
    facts = heights[0]
    assert facts[1] >= 20 * 34, heights  # about 35 px a row: all twenty rows
    assert all(content <= visible + 1 for content, visible in heights), heights
    page.close()
    # The data-quality checks (13 rows) too; the problem list below them is
    # long and keeps its scrolling box.
    page = _open(
        browser,
        f"{app_url}/data_quality",
        1366,
        shown="[data-testid='stDataFrame'] .dvn-scroller",
    )
    checks = page.evaluate(GRID_HEIGHTS)[0]
    assert checks[0] <= checks[1] + 1, checks
    assert checks[1] >= 13 * 34, checks
    page.close()
