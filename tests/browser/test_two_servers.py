"""Two app servers sharing one PostgreSQL behave as one application.

Two Streamlit processes on two localhost ports, each with its own data folder,
use one database (a fresh schema of the tests' PostgreSQL server): a scenario
saved in a browser on one is listed on the other, and a rename on one racing a
delete on the other leaves one state that both servers show.
"""

from __future__ import annotations

import contextlib

import pytest

from src.engine.scenario import Lever, Scenario
from src.store import db
from src.store import scenarios as store
from tests import postgres as pg
from tests.browser.conftest import running_app

pytestmark = pytest.mark.browser

READY = "[data-testid='stApp'][data-test-script-state='notRunning']"
SAVE_TAB = "Save and share"


@pytest.fixture
def two_servers(postgres_server, tmp_path, monkeypatch):
    """(url of server A, url of server B), both on one fresh schema."""
    with pg.fresh_schema(postgres_server) as database, contextlib.ExitStack() as st:
        monkeypatch.setenv("APP_DATABASE_URL", database)  # this test's own reads
        db.dispose_engines()
        urls = [
            st.enter_context(
                running_app(
                    "python dashboard.py",
                    tmp_path / name,
                    {"APP_DATABASE_URL": database},
                )
            )
            for name in ("a", "b")
        ]
        yield urls
        db.dispose_engines()


def _open(browser, url: str):
    page = browser.new_page(viewport={"width": 1500, "height": 1600})
    _goto_library(page, url)
    return page


def _goto_library(page, url: str) -> None:
    """The Scenarios page at `url`, on its save tab (save and saved scenarios)."""
    page.goto(url)
    page.wait_for_selector(READY, timeout=60_000)
    page.get_by_role("tab", name=SAVE_TAB).click()
    # The tabs are lazy: the click reruns the page to draw the Save tab.
    page.wait_for_function(
        """() => {
            const m = document.querySelector('[data-testid="stMain"]');
            return m && (m.innerText.includes("No saved scenario yet.")
                || document.querySelector('input[aria-label="Saved scenario"]')); }""",
        timeout=60_000,
    )
    page.wait_for_selector(READY, timeout=60_000)


def _wait_text(page, *texts: str, picked: str = "") -> None:
    """Wait until the page shows one of `texts` (or has `picked` as its saved
    scenario) and has finished its run."""
    page.wait_for_function(
        """([ts, picked]) => {
            const m = document.querySelector('[data-testid="stMain"]');
            const pick = document.querySelector('input[aria-label="Saved scenario"]');
            return m && (ts.some((t) => m.innerText.includes(t))
                || (picked && pick && pick.value === picked)); }""",
        arg=[list(texts), picked],
        timeout=60_000,
    )
    page.wait_for_selector(READY, timeout=60_000)


def _saved_names_shown(page) -> list[str]:
    """The library's picked scenario (none when it says nothing is saved)."""
    main = page.locator("[data-testid='stMain']")
    if "No saved scenario yet." in main.inner_text():
        return []
    return [page.get_by_role("combobox", name="Saved scenario").input_value()]


def _fill(page, label: str, value: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.fill(value)
    box.press("Enter")
    page.wait_for_selector(READY, timeout=60_000)


def test_a_scenario_saved_on_one_server_is_listed_on_the_other(two_servers, browser):
    a, b = two_servers
    scenario = Scenario(levers=(Lever("capacity", 25),), trials=200)
    page_a = _open(browser, f"{a}/scenarios?scenario={scenario.to_token()}")
    _fill(page_a, "Scenario name", "Shared plan")
    page_a.get_by_role("button", name="Save", exact=True).click()
    _wait_text(page_a, "Saved as “Shared plan”")
    stored = Scenario.from_json(store.get_scenario("Shared plan").scenario_json)
    assert stored.levers == scenario.levers

    page_b = _open(browser, f"{b}/scenarios")
    assert _saved_names_shown(page_b) == ["Shared plan"]

    # Server A renames it while server B deletes it.
    _goto_library(page_a, f"{a}/scenarios")
    _fill(page_a, "New name", "Renamed plan")
    page_b.get_by_role("button", name="Delete", exact=True).click()
    confirm = page_b.get_by_role("button", name="Yes, delete", exact=True)
    confirm.wait_for(timeout=60_000)  # every deletion asks first
    page_a.get_by_role("button", name="Rename", exact=True).click()
    confirm.click()
    _wait_text(page_a, "Not saved", "No saved scenario yet.", picked="Renamed plan")
    _wait_text(page_b, "No saved scenario yet.", picked="Renamed plan")

    names = [r.name for r in store.list_scenarios()]
    assert names in ([], ["Renamed plan"])
    for page, url in ((page_a, a), (page_b, b)):
        _goto_library(page, f"{url}/scenarios")
        _wait_text(page, "No saved scenario yet.", picked=names[0] if names else "")
        assert _saved_names_shown(page) == names
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()
