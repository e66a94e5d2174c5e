"""A read-only or damaged store: every page runs on the bundled data, says why."""

from __future__ import annotations

import pytest

import dashboard
from src.i18n import translate
from src.widgets import state
from tests.pages import helpers

PAGES = [path for path, _title, _icon in dashboard.PAGES]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_read_only_with_the_notice(unwritable_dir, page):
    at = helpers.open_page(page)
    assert not at.exception, at.exception
    shown = [w.value.replace("\\", "") for w in at.warning]
    [notice] = [w for w in shown if "read-only" in w]
    assert "the bundled data works" in notice
    assert at.session_state[state.DATASET] == "bundled"


@pytest.mark.parametrize("page", ["pages/overview.py", "pages/data.py"])
def test_a_damaged_database_leaves_the_pages_usable_in_spanish(corrupt_db, page):
    at = helpers.open_page(page, {state.URL_LANG: "es"})
    assert not at.exception, at.exception
    shown = [w.value.replace("\\", "") for w in at.warning]
    assert any("está dañada (file is not a database)" in w for w in shown)


def test_a_scenario_save_on_a_read_only_store_is_said_in_the_ui_language(
    unwritable_dir,
):
    from src.engine.scenario import Lever, Scenario

    token = Scenario(levers=(Lever("capacity", 25),), trials=200).to_token()
    at = helpers.open_page(
        "pages/scenarios.py", {state.URL_LANG: "fr", "scenario": token}
    )
    at = helpers.open_tab(at, state.SCEN_TABS, translate("scen.tab.save", "fr"))
    at.text_input(key="scen.name").set_value("Plus de capacité").run()
    at.button(key="scen.save").click().run()
    assert not at.exception, at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("n'est pas accessible en écriture" in e for e in errors), errors
    assert not any("cannot be written" in e for e in errors)
