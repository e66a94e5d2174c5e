"""The scenario library past `LISTED` saved scenarios (SQLite and PostgreSQL).

A page lists only the most recent `LISTED` (every run lists them and each
session keeps its widgets' options): older ones are found by name, and a
comparison link still opens any of them by id.
"""

from __future__ import annotations

import pytest

from src.engine.scenario import Lever, Scenario
from src.store import scenarios as store
from src.widgets.scenario_refs import LISTED
from tests.pages.test_scenario_store_page import fingerprint, open_page

SAVED = LISTED + 2


@pytest.fixture(autouse=True)
def _own_store(store_backend):
    return store_backend


@pytest.fixture
def many() -> list[str]:
    """SAVED scenarios S000 (oldest) ... S101 (newest); their names."""
    names = [f"S{i:03d}" for i in range(SAVED)]
    for i, name in enumerate(names):
        scenario = Scenario(levers=(Lever("budget", -1 - i % 50),), trials=200)
        store.save_scenario(name, scenario.to_json(), fingerprint())
    return names


def test_the_library_lists_the_most_recent_and_says_how_many_there_are(many):
    at = open_page()
    assert not at.exception
    options = at.selectbox(key="scen.pick").options
    assert options == many[::-1][:LISTED]  # newest first; S000, S001 left out
    captions = " ".join(c.value for c in at.caption)
    assert f"Showing the most recent {LISTED} of {SAVED} saved scenarios" in captions


def test_an_older_scenario_is_found_by_a_part_of_its_name_in_any_case(many):
    at = open_page()
    at.text_input(key="scen.find").set_value("s00").run()
    assert not at.exception
    # S000 ... S009: all ten match, fewer than LISTED, so no "showing" caption
    assert at.selectbox(key="scen.pick").options == [
        f"S{i:03d}" for i in range(9, -1, -1)
    ]
    at.text_input(key="scen.find").set_value("zz*").run()
    assert not at.exception
    assert any(
        "No saved scenario's name contains “zz\\*”." in c.value for c in at.caption
    )


def test_a_compare_link_opens_a_scenario_older_than_the_listed_ones(many):
    oldest = store.get_scenario(many[0]).id
    newest = store.get_scenario(many[-1]).id
    at = open_page({"compare": [oldest, newest]})
    assert not at.exception
    picker = at.multiselect(key="scen.compare")
    assert picker.value == [oldest, newest]
    assert "S000" in picker.options
    assert len(picker.options) == LISTED + 1
    assert not at.warning
    tables = [df.value for df in at.dataframe]
    assert any({"S000", "S101"} <= set(t.columns) for t in tables)
