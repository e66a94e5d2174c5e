"""Page-test setup: the app's own `pages/` shim, installed before the first run.

AppTest resets Streamlit's v1 pages-folder flag before every run;
`src.widgets.routing` (the one documented shim) keeps `pages/` an st.navigation
folder, as `python dashboard.py` does for the real server. Importing
`dashboard` installs it and gives the tests the app's page list.
"""

from __future__ import annotations

import pytest

import dashboard  # noqa: F401  (installs src.widgets.routing.ignore_pages_folder)


@pytest.fixture(scope="session", params=["en", "fr", "es"])
def coordination_bgd(request):
    """(lang, AppTest) of the Coordination page of Bangladesh in each language,
    run once: its overlap and continuity tests only read what it drew."""
    from tests.pages import helpers

    lang = request.param
    return lang, helpers.open_page("pages/coordination.py", {"lang": lang, "c": "BGD"})
