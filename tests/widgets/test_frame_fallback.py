"""A page opened before dashboard.py ran (v1 pages-folder fallback) still works.

AppTest, like a fresh server whose first request is a page URL, runs only the page
file when it treats `pages/` as a v1 folder. The frame must recover (switch to
st.navigation mode and rerun) instead of raising a KeyError traceback.
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_page_run_without_the_frame_recovers_instead_of_crashing():
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    at.switch_page("pages/scenarios.py")
    # A new browser session has no frame context yet; AppTest resets the v1 flag
    # before each run, so this run starts as a page-only (v1) run.
    del at.session_state["ui.context"]
    at.run()
    assert not at.exception, at.exception
    assert at.title[0].value.startswith("What if?")
    assert len(at.sidebar.multiselect) >= 6  # the shared filters are drawn
