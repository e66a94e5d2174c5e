"""Scenarios page on SQLite and PostgreSQL: save, list, load, delete, compare."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from src.engine.scenario import Lever, Scenario
from src.i18n import translate
from src.portfolio.load import load_bundled_portfolio
from src.store import scenarios as store
from src.widgets.state import SCEN_TABS
from tests.pages import helpers


@pytest.fixture(autouse=True)
def _own_store(store_backend):
    return store_backend


def open_page(params: dict[str, object] | None = None) -> AppTest:
    """The Scenarios page on its Save tab (the save form and the library)."""
    at = helpers.open_page("pages/scenarios.py", params)
    if "compare" in (params or {}):
        return at  # a comparison link opens the Compare tab
    lang = str((params or {}).get("lang", "en"))  # the tab's label is translated
    return helpers.open_tab(at, SCEN_TABS, translate("scen.tab.save", lang))


def fingerprint() -> str:
    return load_bundled_portfolio()[1].fingerprint


def saved(name: str, change: float, sector: str = "Health") -> Scenario:
    scenario = Scenario(
        levers=(Lever("budget", change, sectors=(sector,)),), trials=200, name=name
    )
    store.save_scenario(name, scenario.to_json(), fingerprint())
    return scenario


def test_save_list_load_and_delete_a_scenario():
    scenario = Scenario(levers=(Lever("capacity", 25),), trials=200)
    at = open_page({"scenario": scenario.to_token()})
    at.text_input(key="scen.name").set_value("More capacity").run()
    at.button(key="scen.save").click().run()
    assert not at.exception
    record = store.get_scenario("More capacity")
    assert Scenario.from_json(record.scenario_json).levers == scenario.levers
    assert record.fingerprint == fingerprint()

    # A fresh session lists it and loads it into the editor.
    at = open_page()
    assert at.selectbox(key="scen.pick").options == ["More capacity"]
    at.button(key="scen.load").click().run()
    assert not at.exception
    assert at.slider(key="scen.lever.0.change").value == 25
    assert at.selectbox(key="scen.lever.0.kind").value == "capacity"

    at.button(key="scen.delete").click().run()
    assert not at.exception
    assert len(store.list_scenarios()) == 1  # deletion asks first
    at.button(key="ui.confirm.yes").click().run()
    assert not at.exception
    assert store.list_scenarios() == []

    # The last scenario deleted is still restorable (the library is empty).
    assert any("No saved scenario yet." in c.value for c in at.caption)
    [restore] = [b for b in at.button if b.label == "Restore"]
    restore.click().run()
    assert not at.exception
    assert [r.name for r in store.list_scenarios()] == ["More capacity"]
    assert at.selectbox(key="scen.pick").options == ["More capacity"]


def test_loading_a_scenario_saved_on_other_data_warns():
    store.save_scenario(
        "Old", Scenario(levers=(Lever("budget", -10),), trials=200).to_json(), "0ld"
    )
    at = open_page()
    at.button(key="scen.load").click().run()
    assert any("saved on different data" in w.value for w in at.warning)


def test_comparison_of_three_saved_scenarios_renders_and_lives_in_the_url():
    for name, change in (("Cut 10", -10), ("Cut 30", -30), ("Add 20", 20)):
        saved(name, change)
    ids = [store.get_scenario(n).id for n in ("Cut 10", "Cut 30", "Add 20")]
    at = open_page({"compare": ids})
    assert at.multiselect(key="scen.compare").value == ids
    tables = [df.value for df in at.dataframe]
    compared = [t for t in tables if "Cut 30" in t.columns]
    assert compared, "comparison table not found"
    assert list(compared[0].columns) == [
        "Indicator (median)",
        "Baseline",
        "Cut 10",
        "Cut 30",
        "Add 20",
    ]
    assert at.query_params["compare"] == ids


def test_an_older_compare_link_by_names_still_opens_and_gets_the_ids():
    saved("Cut 10", -10)
    saved("Add 20", 20)
    ids = [store.get_scenario(n).id for n in ("Add 20", "Cut 10")]
    at = open_page({"compare": ["Add 20", ids[1], "Cut 10"]})  # one twice
    assert at.multiselect(key="scen.compare").value == ids
    assert at.query_params["compare"] == ids
    assert not at.warning


def test_unknown_scenario_in_a_compare_link_shows_a_notice():
    saved("Cut 10", -10)
    at = open_page({"compare": ["Cut 10", "Nope"]})
    assert any("Nope" in w.value for w in at.warning)
    assert at.multiselect(key="scen.compare").value == [store.get_scenario("Cut 10").id]


def test_a_saved_scenario_keeps_its_filters_and_says_when_run_on_others():
    scenario = Scenario(levers=(Lever("capacity", 25),), trials=200)
    at = open_page({"scenario": scenario.to_token(), "sector": "Health"})
    at.text_input(key="scen.name").set_value("Health capacity").run()
    at.button(key="scen.save").click().run()
    assert not at.exception
    stored = Scenario.from_json(store.get_scenario("Health capacity").scenario_json)
    assert stored.filters == {"sectors": ["Health"]}

    # Loaded on the same filters: no notice; on all projects: it says so.
    same = open_page({"sector": "Health"})
    same.button(key="scen.load").click().run()
    assert not [w.value for w in same.warning if "other filters" in w.value]
    other = open_page()
    other.button(key="scen.load").click().run()
    assert not other.exception
    notes = [w.value for w in other.warning if "other filters" in w.value]
    assert len(notes) == 1
    assert "Sector: Health" in notes[0]


def test_store_refusals_on_the_scenarios_page_are_in_the_ui_language():
    scenario = Scenario(levers=(Lever("capacity", 25),), trials=200)
    at = open_page({"lang": "fr", "scenario": scenario.to_token()})
    at.text_input(key="scen.name").set_value("   ").run()
    at.button(key="scen.save").click().run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("un scénario doit avoir un nom" in e for e in errors), errors

    saved("A", 10)
    saved("B", 20)
    at = open_page({"lang": "es"})
    at.selectbox(key="scen.pick").set_value("A").run()
    at.text_input(key="scen.rename_to").set_value("B").run()
    at.button(key="scen.rename").click().run()
    assert not at.exception
    errors = [e.value.replace("\\", "") for e in at.error]
    assert any("ya existe un escenario llamado «B»" in e for e in errors), errors
