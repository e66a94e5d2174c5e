"""Page-test setup.

AppTest (Streamlit 1.67) resets `PagesManager.uses_pages_directory` before every
run, so from the second run on an app that has a `pages/` folder is treated as a
v1 multipage app and only the page file runs, without `dashboard.py` (no sidebar,
no filters). The real server keeps the flag False once `st.navigation` has been
called. This fixture makes AppTest do the same: run the entry script, which calls
`st.navigation`, on every run.
"""

from __future__ import annotations

import runpy

import pytest
from streamlit.runtime.scriptrunner import script_runner


@pytest.fixture(autouse=True)
def _run_entry_script_like_the_server(monkeypatch):
    monkeypatch.setattr(
        script_runner,
        "_mpa_v1",
        lambda path: runpy.run_path(str(path), run_name="__main__"),
    )
