"""Admin pieces with sign-in (SQLite and PostgreSQL): making items public or
private, the members and claims page, compare links by id."""

from __future__ import annotations

import pytest

from src.engine.scenario import Lever, Scenario
from src.store import datasets as D
from src.store import orgs, shares
from src.store import scenarios as SC
from src.widgets import state
from src.widgets.i18n import md_escape
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


BOB = {"is_logged_in": True, "sub": "bob", "email": "bob@b.example"}


def test_compare_links_carry_ids_so_a_shared_namesake_is_not_confused():
    alice = orgs.principal_for("alice", ALICE["email"], [])
    bob = orgs.principal_for("bob", BOB["email"], [])
    body = Scenario(levers=(Lever("budget", -20),), trials=200, name="A plan")
    rec = SC.save_scenario("A plan", body.to_json(), "fp", actor=alice)
    shares.share("scenario", rec.id, alice, "gov-b")
    own = SC.save_scenario("A plan", body.to_json(), "fp", actor=bob)
    # by id: Alice's, labelled with her organisation
    at = open_as(BOB, "pages/scenarios.py", {"compare": [rec.id]})
    picker = at.multiselect(key="scen.compare")
    assert picker.value == [rec.id]
    assert sorted(picker.options) == ["A plan", "A plan (NGO A)"]
    # by name (an older link): Bob's own organisation's comes first
    at = open_as(BOB, "pages/scenarios.py", {"compare": ["A plan"]})
    assert at.multiselect(key="scen.compare").value == [own.id]
    assert at.query_params["compare"] == own.id  # AppTest gives a single value bare
    # an id of another organisation's scenario not shared with Alice's: "not saved here"
    at = open_as(ALICE, "pages/scenarios.py", {"compare": [own.id]})
    assert at.multiselect(key="scen.compare").value == []
    assert any(md_escape(own.id) in w.value for w in at.warning)
    assert "Ministry B" not in page_texts(at)


def test_a_compared_scenario_that_cannot_be_read_says_so_without_a_traceback():
    _, _, rec = _alice_data()  # saved as '{"v": 1}': not a scenario
    at = open_as(ALICE, "pages/scenarios.py", {"compare": [rec.id]})
    assert any("unknown field" in e.value for e in at.error)
