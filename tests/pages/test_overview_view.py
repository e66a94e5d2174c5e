"""The overview's open section is in the URL (?view=), so a shared link opens it."""

from __future__ import annotations

import pytest

from src.widgets import state
from tests.pages.helpers import open_page, open_tab

BREAKDOWN_TITLES = ["Budget by sector", "Budget by risk level", "Budget by region"]


def subheaders(at) -> list[str]:
    return [s.value for s in at.subheader]


@pytest.mark.parametrize(
    ("view", "label", "drawn"),
    [
        ("money", "Money over time", "Money over time"),
        ("projects", "Projects", "Projects"),
    ],
)
def test_a_view_link_opens_its_tab_and_only_that_one_is_drawn(view, label, drawn):
    at = open_page(None, {"view": view})
    assert at.session_state[state.OVERVIEW_TABS] == label
    assert drawn in subheaders(at)
    assert not set(BREAKDOWN_TITLES) & set(subheaders(at))
    assert at.query_params["view"] == view
    assert not at.warning


def test_without_view_the_breakdowns_open_and_the_url_stays_clean():
    at = open_page(None)
    assert at.session_state[state.OVERVIEW_TABS] == "Breakdowns"
    assert set(BREAKDOWN_TITLES) <= set(subheaders(at))
    assert "view" not in at.query_params


def test_switching_the_tab_writes_its_slug_and_the_default_removes_it():
    at = open_tab(open_page(None), state.OVERVIEW_TABS, "Money over time")
    assert at.query_params["view"] == "money"
    at = open_tab(at, state.OVERVIEW_TABS, "Projects")
    assert at.query_params["view"] == "projects"
    at = open_tab(at, state.OVERVIEW_TABS, "Breakdowns")
    assert "view" not in at.query_params


def test_a_bad_view_is_named_in_a_notice_and_the_breakdowns_open():
    at = open_page(None, {"view": "charts<b>"})
    notices = " ".join(w.value for w in at.warning)
    assert "charts\\<b\\>" in notices
    assert "“view”" in notices
    assert at.session_state[state.OVERVIEW_TABS] == "Breakdowns"
    assert "view" not in at.query_params


def test_the_slug_is_the_same_in_french_and_survives_a_language_switch():
    at = open_page(None, {"view": "projects", "lang": "fr"})
    assert at.session_state[state.OVERVIEW_TABS] == "Projets"
    at.sidebar.selectbox(key=state.LANG).set_value("es").run()
    assert not at.exception
    assert at.session_state[state.OVERVIEW_TABS] == "Proyectos"
    assert at.query_params["view"] == "projects"
