"""One real-browser test: the app renders, a filter changes the KPIs, links work."""

from __future__ import annotations

import re

import pytest

from src.i18n import format_money
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import kpis

pytestmark = pytest.mark.browser

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def _wait_ready(page, timeout: float = 60_000) -> None:
    page.wait_for_selector(READY, timeout=timeout)


def _kpi(page, label: str) -> str:
    metric = page.locator("[data-testid='stMetric']").filter(has_text=label).first
    return metric.locator("[data-testid='stMetricValue']").inner_text().strip()


def _norm(text: str) -> str:
    return re.sub(r"[\u202f\xa0 ]", " ", text)


def test_overview_renders_filters_and_shares_views(app_url, browser, shots_dir):
    df, meta = load_bundled_portfolio()
    page = browser.new_page(viewport={"width": 1600, "height": 1200})

    # First render: KPIs and the map canvas, no exception.
    page.goto(app_url)
    _wait_ready(page)
    page.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    whole = format_money(kpis(df, meta.as_of).budget, "en")
    assert _kpi(page, "Total budget") == whole
    page.screenshot(path=str(shots_dir / "overview.png"), full_page=True)

    # Change a filter in the sidebar: the KPI follows the data layer.
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").first.click()
    page.get_by_role("option", name="Health", exact=True).click()
    page.keyboard.press("Escape")
    health = kpis(FilterSpec(sectors=("Health",)).apply(df), meta.as_of)
    expected = format_money(health.budget, "en")
    page.wait_for_function(
        """([label, value]) =>
            [...document.querySelectorAll('[data-testid="stMetric"]')].some(
                m => m.innerText.includes(label) && m.innerText.includes(value))""",
        arg=["Total budget", expected],
        timeout=30_000,
    )
    assert _kpi(page, "Total budget") == expected != whole
    assert "sector=Health" in page.url
    page.screenshot(path=str(shots_dir / "health.png"), full_page=True)

    # Clicking a country on the map narrows the view to it (pydeck selection).
    click = browser.new_page(viewport={"width": 1600, "height": 1200})
    click.goto(app_url + "/?metric=risk")
    _wait_ready(click)
    click.wait_for_selector("[data-testid='stDeckGlJsonChart'] canvas", timeout=30_000)
    click.wait_for_timeout(1500)  # let deck.gl finish its first draw
    box = click.locator("[data-testid='stDeckGlJsonChart']").bounding_box()
    # Northern Russia at the default view (no project points there).
    click.mouse.click(box["x"] + box["width"] * 0.80, box["y"] + box["height"] * 0.12)
    click.wait_for_function(
        "() => new URL(location.href).searchParams.get('country') !== null",
        timeout=30_000,
    )
    _wait_ready(click)
    assert "country=RUS" in click.url
    assert _kpi(click, "Countries") == "1"
    click.close()

    # A copied link (French, Health + High) opens the same view in a new tab.
    other = browser.new_page(viewport={"width": 1600, "height": 1200})
    other.goto(app_url + "/?lang=fr&sector=Health&risk=High")
    _wait_ready(other)
    other.wait_for_selector("[data-testid='stMetric']", timeout=30_000)
    sel = kpis(FilterSpec(sectors=("Health",), risks=("High",)).apply(df), meta.as_of)
    assert _norm(_kpi(other, "Budget total")) == _norm(format_money(sel.budget, "fr"))
    assert other.locator("h1").first.inner_text() == "Vue d'ensemble du portefeuille"
    other.screenshot(path=str(shots_dir / "shared_link_fr.png"), full_page=True)

    # Presentation mode hides the sidebar and keeps the filters of the link.
    present = browser.new_page(viewport={"width": 1600, "height": 900})
    present.goto(app_url + "/?present=1&sector=Health")
    _wait_ready(present)
    present.wait_for_selector("[data-testid='stMetric']", timeout=30_000)
    assert not present.locator("[data-testid='stSidebar']").is_visible()
    assert _kpi(present, "Total budget") == expected
    present.screenshot(path=str(shots_dir / "presentation.png"))


def test_moving_a_budget_slider_changes_the_scenario_results(
    app_url, browser, shots_dir
):
    from src.engine.scenario import Lever, Scenario

    scenario = Scenario(
        levers=(Lever("budget", -20, sectors=("Health",)),), trials=200, name="S"
    )
    page = browser.new_page(viewport={"width": 1600, "height": 1400})
    page.goto(f"{app_url}/scenarios?scenario={scenario.to_token()}")
    _wait_ready(page)
    page.wait_for_selector("[data-testid='stMetric']", timeout=60_000)
    assert page.locator("[data-testid='stException']").count() == 0
    before = _kpi(page, "Delivered scope")
    summary = page.locator("[data-testid='stAlertContentInfo']").first.inner_text()
    assert "Health" in summary
    # Move the lever's slider from -20% to -40% with the keyboard.
    main = page.locator("[data-testid='stMain']")
    slider = main.locator("[data-testid='stSlider'] input[type='range']").first
    slider.focus()
    for _ in range(4):
        page.keyboard.press("ArrowLeft")
    page.wait_for_function(
        """(before) => {
            const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
                .find(e => e.innerText.includes('Delivered scope'));
            return m && !m.innerText.includes(before); }""",
        arg=before,
        timeout=60_000,
    )
    _wait_ready(page)
    assert _kpi(page, "Delivered scope") != before
    assert (
        "-40" in page.locator("[data-testid='stAlertContentInfo']").first.inner_text()
    )
    page.screenshot(path=str(shots_dir / "scenario.png"), full_page=True)
