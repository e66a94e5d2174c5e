"""Admin pieces with sign-in (SQLite and PostgreSQL): making items public or
private, the members and claims page, compare links by id."""

from __future__ import annotations

import pytest

from src.store import datasets as D
from src.store import orgs, shares
from src.widgets import state
from tests.pages.test_auth_pages import ALICE, CAROL, ORGS_FILE, _alice_data, open_as
from tests.pages.test_auth_pages import texts as page_texts

DAVE = {"is_logged_in": True, "sub": "dave", "email": "dave@elsewhere.example"}


@pytest.fixture(autouse=True)
def _orgs(store_backend, monkeypatch):
    monkeypatch.setenv("APP_ORGS_FILE", str(ORGS_FILE))
    orgs.load_orgs_file(ORGS_FILE)


def test_an_admin_makes_a_dataset_public_and_private_again():
    alice, info, _ = _alice_data()
    key = state.item_key(state.PUBLIC_TOGGLE, f"dataset.{info.id}")
    at = open_as(ALICE, "pages/data.py")
    assert at.toggle(key=key).value is False
    at.toggle(key=key).set_value(True).run()
    assert not at.exception
    assert at.toggle(key=key).value is True
    assert shares.is_public("dataset", info.id, alice)
    # a user no organisation claims now lists it, read-only (no delete, no toggle)
    dave = open_as(DAVE, "pages/data.py")
    assert "partnerA\\-confidential" in page_texts(dave)
    assert not [b for b in dave.button if b.key and b.key.startswith("data.delete")]
    assert not dave.toggle
    at = open_as(ALICE, "pages/data.py")
    at.toggle(key=key).set_value(False).run()
    assert not at.exception
    assert D.list_datasets(actor=orgs.principal_for("dave", DAVE["email"], [])) == []
    trail = at.dataframe[-1].value
    assert list(trail["Action"])[:2] == ["unpublish", "publish"]


def test_a_viewer_gets_no_public_toggle():
    _alice_data()
    carol = open_as(CAROL, "pages/data.py")
    assert not carol.toggle
