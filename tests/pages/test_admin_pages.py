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


def test_the_members_page_refuses_a_non_admin_with_the_stores_message():
    at = open_as(CAROL, "pages/admin.py")
    assert [t.value for t in at.title] == ["Members and access"]
    refusal = "Only an admin of your organisation"
    assert any(i.value.startswith(refusal) for i in at.info)
    assert not at.dataframe
    assert not [b for b in at.button if b.key == state.ADMIN_SET_ROLE]


def test_an_admin_sees_the_members_and_changes_a_role():
    orgs.principal_for("ana", "ana@a.example", [])  # a member since her sign-in
    orgs.principal_for("bob", BOB["email"], [])  # Ministry B's: not listed
    at = open_as(ALICE, "pages/admin.py")
    table = at.dataframe[0].value
    assert list(table["E-mail"]) == ["alice@a.example", "ana@a.example"]
    assert list(table["Role"]) == ["admin", "analyst"]
    assert at.selectbox(key=state.ADMIN_MEMBER).options == ["ana@a.example (analyst)"]
    at.selectbox(key=state.ADMIN_ROLE).set_value("viewer")
    at.button(key=state.ADMIN_SET_ROLE).click().run()
    assert not at.exception
    assert any("ana@a\\.example is now viewer" in s.value for s in at.success)
    assert orgs.principal_for("ana", "ana@a.example", []).role == "viewer"
    assert list(at.dataframe[0].value["Role"]) == ["admin", "viewer"]


def test_an_admin_adds_and_removes_a_claim_and_file_claims_stay_read_only():
    at = open_as(ALICE, "pages/admin.py")
    claims = at.dataframe[1].value
    assert list(claims["Value"]) == ["a.example", "alice@a.example"]
    assert set(claims["Set by"]) == {"organisations file (read-only)"}
    assert not [s for s in at.selectbox if s.key == state.ADMIN_CLAIM_PICK]
    # a refused claim says why, in the UI language
    at.text_input(key=state.ADMIN_CLAIM_VALUE).set_value("gmail.com")
    at.button(key=state.ADMIN_CLAIM_ADD).click().run()
    assert any("public e\\-mail service" in e.value for e in at.error)
    at.selectbox(key=state.ADMIN_CLAIM_KIND).set_value("group")
    at.text_input(key=state.ADMIN_CLAIM_VALUE).set_value("field-team")
    at.selectbox(key=state.ADMIN_CLAIM_ROLE).set_value("analyst")
    at.button(key=state.ADMIN_CLAIM_ADD).click().run()
    assert not at.exception
    assert at.text_input(key=state.ADMIN_CLAIM_VALUE).value == ""
    newcomer = orgs.principal_for("eve", "eve@elsewhere.example", ["field-team"])
    assert (newcomer.org, newcomer.role) == ("ngo-a", "analyst")
    claims = at.dataframe[1].value
    assert list(claims["Set by"]) == [
        "organisations file (read-only)",
        "organisations file (read-only)",
        "an admin, on this page",
    ]
    assert at.selectbox(key=state.ADMIN_CLAIM_PICK).options == ["group: field-team"]
    at.button(key=state.ADMIN_CLAIM_REMOVE).click().run()
    # asked first, like every deletion: nothing removed, nothing audited yet
    [ask] = [w.value for w in at.warning if "Remove the claim" in w.value]
    assert r"group: field\-team" in ask
    assert "field-team" in list(at.dataframe[1].value["Value"])
    assert list(at.dataframe[-1].value["Action"])[0] == "claim+"
    at.button(key=state.CONFIRM_NO).click().run()  # cancelled: still there
    assert not [w for w in at.warning if "Remove the claim" in w.value]
    assert at.selectbox(key=state.ADMIN_CLAIM_PICK).options == ["group: field-team"]
    at.button(key=state.ADMIN_CLAIM_REMOVE).click().run()
    at.button(key=state.CONFIRM_YES).click().run()
    assert not at.exception
    assert any("no longer places new users" in s.value for s in at.success)
    assert orgs.principal_for("fay", "fay@x.example", ["field-team"]).org is None
    trail = at.dataframe[-1].value
    assert list(trail["Action"])[:2] == ["claim-", "claim+"]


def test_the_members_page_is_in_french_and_spanish():
    at = open_as(ALICE, "pages/admin.py", {"lang": "fr"})
    assert [t.value for t in at.title] == ["Membres et accès"]
    assert "Rôle" in at.dataframe[0].value.columns
    at = open_as(ALICE, "pages/admin.py", {"lang": "es"})
    assert at.button(key=state.ADMIN_CLAIM_ADD).label == "Añadir"


def _bar(user: dict) -> list[str]:
    """The presentation bar's page links (it lists the menu's visible pages)."""
    at = open_as(user, "pages/data.py", {"present": "1"})
    return [b.proto.label for b in at.get("page_link")]


def test_the_members_page_is_listed_for_admins_only():
    assert "Members and access" in _bar(ALICE)
    assert "Members and access" not in _bar(CAROL)
