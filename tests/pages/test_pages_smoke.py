"""Every page in every language runs without an exception (from dashboard.PAGES).

The page list lives in the entry script only; these cases are generated from it,
as streamlit-app-action's smoke test is, and go through the real routing:
`dashboard.py` runs with `switch_page` asking `st.navigation` for the page.
"""

from __future__ import annotations

import pytest

import dashboard
from src.i18n import LANGUAGES
from src.widgets import state
from tests.pages import helpers

CASES = [
    pytest.param(path, lang, id=f"{path.removeprefix('pages/')}-{lang}")
    for path, _title, _icon in dashboard.PAGES
    for lang in LANGUAGES
]


@pytest.mark.parametrize(("page", "lang"), CASES)
def test_every_page_runs_in_every_language(page, lang):
    at = helpers.open_page(page, {state.URL_LANG: lang, "country": "KEN"})
    assert not at.exception, at.exception
    assert at.sidebar.selectbox(key=state.LANG).value == lang
    assert at.title, f"{page} drew no title"


def test_the_landing_page_is_the_first_page_of_the_list():
    landing = helpers.open_page(None)
    first = helpers.open_page(dashboard.PAGES[0][0])
    assert [t.value for t in landing.title] == [t.value for t in first.title]


def test_each_page_opened_by_its_link_shows_its_own_title():
    # A page hash st.navigation did not know would silently show the landing page.
    titles = [helpers.open_page(path).title[0].value for path, _, _ in dashboard.PAGES]
    assert len(set(titles)) == len(dashboard.PAGES), titles
