"""Every page in every language runs without an exception (from dashboard.PAGES).

The page list lives in the entry script only; these cases are generated from it,
as streamlit-app-action's smoke test is, and go through the real routing:
`dashboard.py` runs with `switch_page` asking `st.navigation` for the page.
Each case also checks that the page it asked for is the one drawn.
"""

from __future__ import annotations

import pytest

import dashboard
from src.i18n import LANGUAGES, translate
from src.widgets import state
from tests.pages import helpers

LANDING_TITLE = "overview.title"  # the title pages/overview.py draws
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
    # A page hash st.navigation did not know would silently show the landing
    # page: every other page opened by its link shows a title of its own.
    landing = translate(LANDING_TITLE, lang)
    assert (at.title[0].value == landing) == (page == dashboard.PAGES[0][0])


def test_the_landing_page_is_the_first_page_of_the_list():
    assert dashboard.PAGES[0][0] == "pages/overview.py"
    landing = helpers.open_page(None)
    assert [t.value for t in landing.title] == [translate(LANDING_TITLE, "en")]
