"""A read-only or damaged store: every page runs on the bundled data, says why."""

from __future__ import annotations

import pytest

import dashboard
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
