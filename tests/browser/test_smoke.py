"""Real-browser tests: the app renders, filters change the KPIs, links work.

Each case is its own test (one failure does not hide the others). Tests wait on
state, never on a sleep: the app's not-running marker, a URL or text change.
"""

from __future__ import annotations

import contextlib
import math
import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from src.i18n import format_money
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import kpis
from tests.browser.conftest import READY, page_state, wait_ready, wait_until

pytestmark = pytest.mark.browser

MAP = "[data-testid='stDeckGlJsonChart']"
# The deck's initial view (src/widgets/map.py: build_portfolio_deck).
VIEW = {"latitude": 12.0, "longitude": 15.0, "zoom": 1.1}


@pytest.fixture(scope="module")
def bundled():
    return load_bundled_portfolio()


@pytest.fixture
def new_page(browser):
    pages = []

    def open_(url: str, height: int = 1200):
        page = browser.new_page(viewport={"width": 1600, "height": height})
        pages.append(page)
        page.goto(url)
        page.wait_for_selector(READY, timeout=60_000)
        return page

    yield open_
    for page in pages:
        page.close()


def _kpi(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def _wait_kpi(page, label: str, value: str) -> None:
    page.wait_for_function(
        """([label, value]) =>
            [...document.querySelectorAll('[data-testid="stMetric"]')].some(
                m => m.innerText.includes(label) && m.innerText.includes(value))""",
        arg=[label, value],
        timeout=30_000,
    )


def _norm(text: str) -> str:
    return re.sub(r"[\u202f\xa0 ]", " ", text)


def click_until(page, x: float, y: float, done: str, tries: int = 30) -> None:
    """Click (x, y) until the JS condition `done` holds.

    deck.gl takes clicks once its first frame is drawn: click until a click is
    taken (the app starts a run, or `done` holds at once), never again after
    that (a second click on the same shape would deselect it), then wait for
    `done` and fail with what the page shows.
    """
    taken = f"""() => ({done})() || document.querySelector(
        '[data-testid="stApp"]').dataset.testScriptState !== 'notRunning'"""
    for _ in range(tries):
        page.mouse.click(x, y)
        try:
            page.wait_for_function(taken, timeout=1_000)
            break
        except PlaywrightTimeout:
            continue
    wait_until(page, done, what="the state the map click sets")


def _map_point(box: dict[str, float], lat: float, lon: float) -> tuple[float, float]:
    """Where (lat, lon) is drawn on the map at its initial view (Web Mercator)."""
    scale = 512 * 2 ** VIEW["zoom"] / (2 * math.pi)

    def project(la: float, lo: float) -> tuple[float, float]:
        y = math.log(math.tan(math.pi / 4 + math.radians(la) / 2))
        return scale * math.radians(lo), -scale * y

    x, y = project(lat, lon)
    cx, cy = project(VIEW["latitude"], VIEW["longitude"])
    return box["x"] + box["width"] / 2 + x - cx, box["y"] + box["height"] / 2 + y - cy


def test_overview_renders_kpis_and_the_map(app_url, new_page, bundled, shots_dir):
    df, meta = bundled
    page = new_page(app_url)
    page.wait_for_selector(f"{MAP} canvas", timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    assert _kpi(page, "Total budget") == format_money(kpis(df, meta.as_of).budget, "en")
    page.screenshot(path=str(shots_dir / "overview.png"), full_page=True)


def test_a_sidebar_filter_changes_the_kpis_and_the_url(
    app_url, new_page, bundled, shots_dir
):
    df, meta = bundled
    page = new_page(app_url)
    sidebar = page.locator("[data-testid='stSidebar']")
    box = sidebar.locator("[data-testid='stMultiSelect']").first
    health = page.get_by_role("option", name="Health", exact=True)
    # Under load a rerun can redraw the box and swallow the opening click: click
    # until the option list shows (state), not once and wait 30 s.
    for _ in range(10):
        box.click()
        try:
            health.wait_for(timeout=3_000)
            break
        except PlaywrightTimeout:
            continue
    health.click()
    page.keyboard.press("Escape")
    health = kpis(FilterSpec(sectors=("Health",)).apply(df), meta.as_of)
    expected = format_money(health.budget, "en")
    _wait_kpi(page, "Total budget", expected)
    page.wait_for_url(re.compile(r"sector=Health"), timeout=30_000)
    assert expected != format_money(kpis(df, meta.as_of).budget, "en")
    page.screenshot(path=str(shots_dir / "health.png"), full_page=True)


def test_clicking_a_country_on_the_map_filters_to_it(app_url, new_page):
    page = new_page(app_url + "/?metric=risk")
    page.wait_for_selector(f"{MAP} canvas", timeout=30_000)
    # Central Siberia: inside Russia, no project points there.
    x, y = _map_point(page.locator(MAP).bounding_box(), lat=62.0, lon=100.0)
    has_country = "() => new URL(location.href).searchParams.get('country') !== null"
    click_until(page, x, y, has_country)
    assert "country=RUS" in page.url
    wait_until(
        page,
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')].some(
            m => m.innerText.includes('Countries') && m.querySelector(
                '[data-testid="stMetricValue"]').innerText.trim() === '1')""",
        what="the Countries card to read 1",
    )
    wait_ready(page)
    # still so once the runs are over (a later run must not undo the click)
    shown = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetric"]')]
            .filter(m => m.innerText.includes('Countries'))
            .map(m => m.querySelector('[data-testid="stMetricValue"]').innerText)"""
    )
    assert shown == ["1"], page_state(page)
    assert "country=RUS" in page.url


def test_a_shared_french_link_opens_the_same_view(
    app_url, new_page, bundled, shots_dir
):
    df, meta = bundled
    page = new_page(app_url + "/?lang=fr&sector=Health&risk=High")
    page.wait_for_selector("[data-testid='stMetric']", timeout=30_000)
    sel = kpis(FilterSpec(sectors=("Health",), risks=("High",)).apply(df), meta.as_of)
    assert _norm(_kpi(page, "Budget total")) == _norm(format_money(sel.budget, "fr"))
    assert page.locator("h1").first.inner_text() == "Vue d'ensemble du portefeuille"
    page.screenshot(path=str(shots_dir / "shared_link_fr.png"), full_page=True)


def test_presentation_mode_hides_the_sidebar_and_keeps_the_filters(
    app_url, new_page, bundled, shots_dir
):
    df, meta = bundled
    page = new_page(app_url + "/?present=1&sector=Health", height=900)
    page.wait_for_selector("[data-testid='stMetric']", timeout=30_000)
    assert not page.locator("[data-testid='stSidebar']").is_visible()
    health = kpis(FilterSpec(sectors=("Health",)).apply(df), meta.as_of)
    assert _kpi(page, "Total budget") == format_money(health.budget, "en")
    page.screenshot(path=str(shots_dir / "presentation.png"))


def test_moving_a_budget_slider_changes_the_scenario_results(
    app_url, new_page, shots_dir
):
    from src.engine.scenario import Lever, Scenario

    scenario = Scenario(
        levers=(Lever("budget", -20, sectors=("Health",)),), trials=200, name="S"
    )
    page = new_page(f"{app_url}/scenarios?scenario={scenario.to_token()}", 1400)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    # The first run must be over: a key press during it is lost to that run.
    page.wait_for_selector(READY, timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    before = _kpi(page, "Delivered scope")
    summary = page.locator("[data-testid='stAlertContentInfo']").first
    assert "Health" in summary.inner_text()
    # Move the lever's slider from -20% to -40% with the keyboard, one step
    # (5 points) at a time. Each press reruns the results fragment, and a press
    # made while a run draws can be overwritten by it; so each round reads the
    # state (the slider's value, the summary, the run) and presses only once
    # the summary names the slider's value.
    main = page.locator("[data-testid='stMain']")
    slider = main.locator("[data-testid='stSlider'] input[type='range']").first
    names = """(value) => {
        const s = document.querySelector('[data-testid="stAlertContentInfo"]');
        return s && s.innerText.includes(value + '%'); }"""
    for _ in range(24):
        wait_ready(page)
        if "-40%" in summary.inner_text():
            break
        now = int(float(slider.input_value()))
        with contextlib.suppress(PlaywrightTimeout):  # the next round reads again
            if now > -40 and page.evaluate(names, str(now)):
                slider.focus()
                page.keyboard.press("ArrowLeft")
                page.wait_for_function(names, arg=str(now - 5), timeout=30_000)
            else:
                page.wait_for_function(names, arg=str(now), timeout=30_000)
    else:
        pytest.fail(f"the slider never reached -40%\n{page_state(page)}")
    page.wait_for_function(
        """(before) => {
            const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
                .find(e => e.innerText.includes('Delivered scope'));
            return m && !m.innerText.includes(before); }""",
        arg=before,
        timeout=60_000,
    )
    page.wait_for_selector(READY, timeout=60_000)
    assert _kpi(page, "Delivered scope") != before
    assert "-40" in summary.inner_text()
    page.screenshot(path=str(shots_dir / "scenario.png"), full_page=True)


def test_switching_the_language_relabels_the_chosen_options(app_url, new_page):
    from src.engine.scenario import Lever, Scenario
    from src.i18n import translate

    scenario = Scenario(levers=(Lever("capacity", 25),), trials=200, name="L")
    page = new_page(f"{app_url}/scenarios?scenario={scenario.to_token()}", 1400)
    lever = page.get_by_role("combobox", name=translate("scen.kind", "en"))
    expect(lever).to_have_value(translate("scen.kind.capacity", "en"), timeout=60_000)
    wait_ready(page)
    switch = page.get_by_role("combobox", name="Language / Langue")
    switch.click()
    page.get_by_role("option", name="Français").click()
    lever = page.get_by_role("combobox", name=translate("scen.kind", "fr"))
    policy = page.get_by_role("combobox", name=translate("scen.policy", "fr"))
    # the values stay, shown with the new language's labels
    expect(lever).to_have_value(translate("scen.kind.capacity", "fr"), timeout=60_000)
    expect(policy).to_have_value(translate("scen.policy.descope", "fr"), timeout=60_000)
    wait_ready(page)
    assert page.locator("[data-testid='stException']").count() == 0


def test_the_overview_tab_is_in_the_link_and_a_click_on_a_tab_writes_it(
    app_url, new_page
):
    page = new_page(app_url + "/?view=money")
    money = page.get_by_role("tab", name="Money over time")
    expect(money).to_have_attribute("aria-selected", "true", timeout=30_000)
    page.get_by_role("tab", name="Projects").click()
    page.wait_for_url(re.compile(r"view=projects"), timeout=30_000)
    page.get_by_role("tab", name="Breakdowns").click()
    wait_until(
        page,
        "() => new URL(location.href).searchParams.get('view') === null",
        what="the default tab to leave ?view= out of the URL",
    )
