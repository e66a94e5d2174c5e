"""Two app servers sharing one PostgreSQL behave as one application.

Two Streamlit processes on two localhost ports, each with its own data folder,
use one database (a fresh schema of the tests' PostgreSQL server): a scenario
saved in a browser on one is listed on the other; a rename on one, a delete on
the other (from a page drawn before the rename), a stale page's next action and
a restore each leave one state that both servers show. (A rename racing a delete
is tested at the store, on both databases: test_store.py.)
"""

from __future__ import annotations

import contextlib

import pytest

from src.engine.scenario import Lever, Scenario
from src.store import db
from src.store import scenarios as store
from tests import postgres as pg
from tests.browser.conftest import READY, running_app, wait_ready, wait_until

pytestmark = pytest.mark.browser

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
    wait_until(
        page,
        """([ts, picked]) => {
            const m = document.querySelector('[data-testid="stMain"]');
            const pick = document.querySelector('input[aria-label="Saved scenario"]');
            return m && (ts.some((t) => m.innerText.includes(t))
                || (picked && pick && pick.value === picked)); }""",
        [list(texts), picked],
        what=f"one of {texts} or {picked!r} picked",
    )
    wait_ready(page)


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

    # Server A renames it; B's page, drawn before, still shows the old name.
    _goto_library(page_a, f"{a}/scenarios")
    _fill(page_a, "New name", "Renamed plan")
    page_a.get_by_role("button", name="Rename", exact=True).click()
    _wait_text(page_a, picked="Renamed plan")
    assert [r.name for r in store.list_scenarios()] == ["Renamed plan"]
    assert _saved_names_shown(page_b) == ["Shared plan"]

    # B's Delete reruns its page from the database: the confirmation names the
    # scenario as A renamed it (every deletion asks first).
    page_b.get_by_role("button", name="Delete", exact=True).click()
    _wait_text(page_b, "Delete “Renamed plan”?")
    page_b.get_by_role("button", name="Yes, delete", exact=True).click()
    _wait_text(page_b, "No saved scenario yet.")
    assert store.list_scenarios() == []

    # A's page still shows what B deleted: its next action (a click on Rename
    # with no new name) reruns from the database and finds nothing to act on.
    page_a.get_by_role("button", name="Rename", exact=True).click()
    _wait_text(page_a, "No saved scenario yet.")
    assert store.list_scenarios() == []

    # An admin on A restores it; B lists it again under its new name.
    page_a.get_by_text("Deleted items (1), restorable").click()
    page_a.get_by_role("button", name="Restore", exact=True).click()
    _wait_text(page_a, picked="Renamed plan")
    assert [r.name for r in store.list_scenarios()] == ["Renamed plan"]
    _goto_library(page_b, f"{b}/scenarios")
    _wait_text(page_b, picked="Renamed plan")
    assert _saved_names_shown(page_b) == ["Renamed plan"]
    for page in (page_a, page_b):
        assert page.locator("[data-testid='stException']").count() == 0
        page.close()
