"""An admin's change to a member applies at once, in a session the member opened
before (two AppTest sessions sharing one database; SQLite and PostgreSQL):
a demoted analyst can no longer import or save, a removed member sees the
"no access" message and no longer the organisation's items."""

from __future__ import annotations

import pytest

from src.store import members, orgs
from src.store import scenarios as SC
from src.store.errors import AccessDenied
from src.widgets import state
from tests.conftest import ROOT
from tests.pages.test_auth_pages import (
    ALICE,
    ORGS_FILE,
    _alice_data,
    open_as,
    saved_tab,
    texts,
)

ANA = {"is_logged_in": True, "sub": "ana", "email": "ana@a.example"}  # an analyst
CSV = (ROOT / "tests/fixtures/imports/portfolio_20.csv").read_bytes()


@pytest.fixture(autouse=True)
def _orgs(store_backend, monkeypatch):
    monkeypatch.setenv("APP_ORGS_FILE", str(ORGS_FILE))
    orgs.load_orgs_file(ORGS_FILE)


def _admin_page_on(user: str):
    """Alice's Members page with `user` picked (her own session)."""
    at = open_as(ALICE, "pages/admin.py")
    at.selectbox(key=state.ADMIN_MEMBER).set_value(user)
    return at


def _uploaded(at):
    at.file_uploader(key="data.upload").set_value(("p.csv", CSV, "text/csv"))
    return at.run()


def test_an_analyst_demoted_meanwhile_cannot_import_or_save_on_the_next_rerun():
    ana_data = _uploaded(open_as(ANA, "pages/data.py"))
    assert [b for b in ana_data.button if b.key == "data.accept"]  # may import
    ana_scen = saved_tab(open_as(ANA, "pages/scenarios.py"))
    assert [b for b in ana_scen.button if b.key == state.SCEN_SAVE]  # may save
    admin = _admin_page_on("ana")
    admin.selectbox(key=state.ADMIN_ROLE).set_value("viewer")
    admin.button(key=state.ADMIN_SET_ROLE).click().run()
    assert any("ana@a\\.example is now viewer" in s.value for s in admin.success)
    # Ana's sessions, opened before, on their next rerun
    ana_data.run()
    assert not ana_data.exception
    assert not [b for b in ana_data.button if b.key == "data.accept"]
    assert any("cannot import" in i.value for i in ana_data.info)
    assert "Signed in as ana@a\\.example · NGO A · viewer" in [
        c.value for c in ana_data.sidebar.caption
    ]
    ana_scen.run()
    assert not [b for b in ana_scen.button if b.key == state.SCEN_SAVE]
    assert any("cannot save" in i.value for i in ana_scen.info)


def test_a_click_drawn_before_the_demotion_is_refused_by_the_store():
    ana = saved_tab(open_as(ANA, "pages/scenarios.py"))
    ana.text_input(key=state.SCEN_NAME).set_value("late plan")
    admin = _admin_page_on("ana")
    admin.selectbox(key=state.ADMIN_ROLE).set_value("viewer")
    admin.button(key=state.ADMIN_SET_ROLE).click().run()
    # the principal Ana's session held when it drew the button is stale now
    stale = orgs.principal_for("ana", ANA["email"], []).role
    assert stale == "viewer"
    held = ana.session_state[state.PRINCIPAL][1]
    assert held.role == "analyst"
    with pytest.raises(AccessDenied) as refused:
        SC.save_scenario("late plan", "{}", "fp", actor=held)
    assert refused.value.reason == "role_changed"
    alice = orgs.principal_for("alice", ALICE["email"], [])
    assert [s.name for s in SC.list_scenarios(actor=alice)] == []


def test_a_removed_member_sees_the_no_access_message_in_an_open_session():
    _alice_data()  # NGO A's private dataset
    ana = open_as(ANA, "pages/data.py")
    assert "partnerA\\-confidential" in texts(ana)
    admin = _admin_page_on("ana")
    admin.button(key=state.ADMIN_REMOVE_MEMBER).click().run()
    # asked first: nothing removed yet
    [ask] = [w.value for w in admin.warning if "Remove ana@a\\.example" in w.value]
    assert "audit trail" in ask
    assert orgs.principal_for("ana", ANA["email"], []).org == "ngo-a"
    admin.button(key=state.CONFIRM_YES).click().run()
    assert not admin.exception
    assert any("no longer a member" in s.value for s in admin.success)
    assert list(admin.dataframe[0].value["E-mail"]) == ["alice@a.example"]
    assert list(admin.dataframe[-1].value["Action"])[0] == "remove"
    ana.run()
    assert not ana.exception
    assert any("removed your access" in w.value for w in ana.warning)
    assert "Signed in as ana@a\\.example · no organisation" in "\n".join(
        c.value for c in ana.sidebar.caption
    )
    assert "partnerA" not in texts(ana)
    # and a new session of hers: the domain claim does not place her again
    assert any("removed your access" in w.value for w in open_as(ANA).warning)
    assert members.list_members(orgs.principal_for("alice", ALICE["email"], []))


def test_removing_a_member_can_be_cancelled():
    orgs.principal_for("ana", ANA["email"], [])
    admin = _admin_page_on("ana")
    admin.button(key=state.ADMIN_REMOVE_MEMBER).click().run()
    admin.button(key=state.CONFIRM_NO).click().run()
    assert not [w for w in admin.warning if "Remove ana" in w.value]
    assert list(admin.dataframe[0].value["E-mail"]) == [
        "alice@a.example",
        "ana@a.example",
    ]
    assert orgs.principal_for("ana", ANA["email"], []).role == "analyst"


def test_an_admin_readmits_a_removed_member_after_confirming():
    _alice_data()  # NGO A's private dataset
    alice = orgs.principal_for("alice", ALICE["email"], [])
    orgs.principal_for("ana", ANA["email"], [])
    members.remove_member(alice, "ana")
    admin = open_as(ALICE, "pages/admin.py")
    assert list(admin.dataframe[0].value["E-mail"]) == ["alice@a.example"]
    removed = admin.dataframe[1].value
    assert list(removed["E-mail"]) == ["ana@a.example"]
    assert list(removed["Role"]) == ["analyst"]
    assert admin.selectbox(key=state.ADMIN_REMOVED_PICK).value == "ana"
    admin.button(key=state.ADMIN_READMIT).click().run()
    [ask] = [w.value for w in admin.warning if "Re-admit ana@a\\.example" in w.value]
    assert "as analyst" in ask
    assert "audit trail" in ask
    admin.button(key=state.CONFIRM_NO).click().run()  # cancelled: still out
    assert not [w for w in admin.warning if "Re-admit" in w.value]
    assert orgs.principal_for("ana", ANA["email"], []).removed
    admin.button(key=state.ADMIN_READMIT).click().run()
    admin.button(key=state.CONFIRM_YES).click().run()
    assert not admin.exception
    assert any(
        "ana@a\\.example is a member of your organisation again, as analyst" in s.value
        for s in admin.success
    )
    assert list(admin.dataframe[0].value["E-mail"]) == [
        "alice@a.example",
        "ana@a.example",
    ]
    assert not [s for s in admin.subheader if s.value == "Removed members"]
    assert list(admin.dataframe[-1].value["Action"])[:2] == ["readmit", "remove"]
    # Ana's next session is a member's again, with her organisation's items
    ana = open_as(ANA, "pages/data.py")
    assert not any("removed your access" in w.value for w in ana.warning)
    assert "Signed in as ana@a\\.example · NGO A · analyst" in [
        c.value for c in ana.sidebar.caption
    ]
    assert "partnerA\\-confidential" in texts(ana)
