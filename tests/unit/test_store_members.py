"""Members, roles and claims in the store (SQLite and PostgreSQL): admins only,
which of the organisations file and the page wins, audit rows."""

from __future__ import annotations

import pytest
from sqlalchemy import event

from src.store import access, db, members, orgs
from src.store import scenarios as SC
from src.store.errors import (
    AccessDenied,
    StoreNotFoundError,
    StoreRefusal,
    store_message,
)
from tests.unit.test_store_access import ORGS


@pytest.fixture(autouse=True)
def _orgs(store_backend):
    assert orgs.load_orgs(ORGS) == 2


@pytest.fixture
def admin():
    return orgs.principal_for("sub-1", "boss@a.example", [])


@pytest.fixture
def analyst():
    return orgs.principal_for("sub-2", "ana@a.example", [])


def test_only_admins_see_or_change_members_and_claims_with_a_translated_refusal(
    analyst,
):
    viewer_b = orgs.principal_for("sub-5", "clerk@mail.example", ["partner-b"])
    for actor in (analyst, viewer_b):
        for act in (
            lambda a=actor: members.list_members(a),
            lambda a=actor: members.list_claims(a),
            lambda a=actor: members.add_claim(a, "domain", "c.example", "viewer"),
            lambda a=actor: members.remove_claim(a, "a.example"),
            lambda a=actor: members.set_role(a, "sub-1", "viewer"),
        ):
            with pytest.raises(AccessDenied) as refused:
                act()
            assert str(refused.value).startswith("Only an admin of your organisation")
            assert store_message(refused.value, "fr").startswith(
                "Seul un administrateur de votre organisation"
            )


def test_an_admin_lists_the_members_and_changes_a_role_but_not_their_own(
    admin, analyst
):
    orgs.principal_for("sub-3", "max@a.example", [])
    orgs.principal_for("sub-4", "ps@b.example", [])  # Ministry B: not listed
    listed = [(m.user, m.email, m.role) for m in members.list_members(admin)]
    assert listed == [
        ("sub-2", "ana@a.example", "analyst"),
        ("sub-1", "boss@a.example", "admin"),
        ("sub-3", "max@a.example", "analyst"),
    ]
    members.set_role(admin, "sub-3", "admin")
    assert orgs.principal_for("sub-3", "max@a.example", []).role == "admin"
    with pytest.raises(ValueError, match="your own role"):
        members.set_role(admin, "sub-1", "viewer")
    with pytest.raises(ValueError, match="“boss” is not one of viewer"):
        members.set_role(admin, "sub-2", "boss")
    with pytest.raises(LookupError, match="no member"):
        members.set_role(admin, "sub-4", "viewer")  # another organisation's
    [row] = [r for r in access.audit_trail(admin) if r.action == "role"]
    assert (row.user, row.name, row.detail) == ("sub-1", "sub-3", "admin")


def test_claims_from_the_file_are_listed_read_only(admin):
    claims = members.list_claims(admin)
    assert [(c.claim, c.kind, c.value, c.role, c.from_file) for c in claims] == [
        ("a.example", "domain", "a.example", "analyst", True),
        ("admin:boss@a.example", "email", "boss@a.example", "admin", True),
    ]
    with pytest.raises(ValueError, match="organisations file"):
        members.remove_claim(admin, "a.example")


def test_an_added_claim_places_new_users_and_is_audited(admin):
    assert members.add_claim(admin, "group", " Field-Team ", "viewer") == (
        "group:field-team"
    )
    assert members.add_claim(admin, "email", "Guest@Mail.example", "analyst") == (
        "admin:guest@mail.example"
    )
    newcomer = orgs.principal_for("sub-7", "x@elsewhere.example", ["Field-Team"])
    assert (newcomer.org, newcomer.role) == ("ngo-a", "viewer")
    guest = orgs.principal_for("sub-8", "guest@mail.example", [])
    assert (guest.org, guest.role) == ("ngo-a", "analyst")
    members.remove_claim(admin, "group:field-team")
    assert orgs.principal_for("sub-9", "y@x.example", ["field-team"]).org is None
    # the member made while it held stays a member
    assert orgs.principal_for("sub-7", "x@elsewhere.example", []).org == "ngo-a"
    trail = [(r.action, r.kind, r.name, r.detail) for r in access.audit_trail(admin)]
    assert trail[:3] == [
        ("claim-", "claim", "group:field-team", ""),
        ("claim+", "claim", "admin:guest@mail.example", "analyst"),
        ("claim+", "claim", "group:field-team", "viewer"),
    ]


@pytest.mark.parametrize(
    ("kind", "value", "says"),
    [
        ("domain", "gmail.com", "public e-mail service"),
        ("domain", "not a domain", "is not an e-mail domain"),
        ("domain", "a.example", "already places users in your organisation"),
        ("domain", "b.example", "another organisation"),  # not yet held: see below
        ("group", "partner-b", "another organisation"),
        ("email", "two@@x.org", "is not an e-mail address"),
        ("group", "", "1 to 194 characters"),
        ("phone", "123", "is not a kind of claim"),
    ],
)
def test_a_claim_that_cannot_be_added_says_why(admin, kind, value, says):
    admin_b = orgs.principal_for("sub-4", "ps@b.example", [])
    members.add_claim(admin_b, "domain", "b.example", "viewer")
    with pytest.raises(ValueError, match=says):
        members.add_claim(admin, kind, value, "viewer")


def test_the_file_wins_for_what_it_names_and_page_claims_survive_a_reload(admin):
    members.add_claim(admin, "domain", "c.example", "viewer")
    members.add_claim(admin, "domain", "d.example", "viewer")
    # the file is loaded again (a new process, an edit) naming d.example for B
    ministry = dict(ORGS[1], domains=["d.example"])
    orgs.load_orgs([ORGS[0], ministry])
    claims = {c.claim: (c.role, c.from_file) for c in members.list_claims(admin)}
    assert claims == {
        "a.example": ("analyst", True),
        "admin:boss@a.example": ("admin", True),
        "c.example": ("viewer", False),  # kept: added on the page
    }
    assert orgs.principal_for("sub-9", "z@d.example", []).org == "gov-b"
    # a domain the file stops naming goes at the next load; page ones stay
    orgs.load_orgs([dict(ORGS[0], domains=[]), ministry])
    assert [c.claim for c in members.list_claims(admin)] == [
        "admin:boss@a.example",
        "c.example",
    ]


def test_a_page_claim_the_file_comes_to_name_becomes_the_files(admin):
    members.add_claim(admin, "domain", "c.example", "viewer")
    orgs.load_orgs([dict(ORGS[0], domains=["a.example", "c.example"]), ORGS[1]])
    claims = {c.claim: (c.role, c.from_file) for c in members.list_claims(admin)}
    assert claims["c.example"] == ("analyst", True)  # the file's role for NGO A
    with pytest.raises(ValueError, match="organisations file"):
        members.remove_claim(admin, "c.example")
    latest = access.audit_trail(admin)[0]
    assert (latest.action, latest.user, latest.name) == (
        "claim=file",
        "system",
        "c.example",
    )
    orgs.load_orgs(ORGS)  # and the file dropping it removes it
    assert "c.example" not in {c.claim for c in members.list_claims(admin)}


def test_a_demoted_members_older_principal_is_refused_and_a_fresh_read_has_the_role(
    admin, analyst
):
    members.set_role(admin, analyst.user, "viewer")
    with pytest.raises(AccessDenied) as refused:
        SC.save_scenario("plan", "{}", "fp", actor=analyst)  # held from before
    assert refused.value.reason == "role_changed"
    assert "changed your role to viewer" in store_message(refused.value, "en")
    assert SC.list_scenarios(actor=admin) == []  # rolled back, nothing saved
    fresh = orgs.principal_for(analyst.user, "ana@a.example", [])
    assert (fresh.org, fresh.role, fresh.member) == ("ngo-a", "viewer", True)
    with pytest.raises(AccessDenied) as refused:
        SC.save_scenario("plan", "{}", "fp", actor=fresh)
    assert refused.value.reason == "create"


def test_a_removed_member_is_out_at_once_and_no_claim_places_them_again(admin, analyst):
    members.remove_member(admin, analyst.user)
    with pytest.raises(AccessDenied) as refused:
        SC.save_scenario("plan", "{}", "fp", actor=analyst)
    assert refused.value.reason == "removed"
    again = orgs.principal_for(analyst.user, "ana@a.example", [])  # domain matches
    assert (again.org, again.removed, again.member) == (None, True, False)
    assert [m.user for m in members.list_members(admin)] == ["sub-1"]
    [row] = [r for r in access.audit_trail(admin) if r.action == "remove"]
    assert (row.user, row.name) == ("sub-1", "sub-2")
    with pytest.raises(StoreNotFoundError):  # not a member any more
        members.remove_member(admin, analyst.user)
    with pytest.raises(StoreNotFoundError):
        members.set_role(admin, analyst.user, "admin")
    # another user of the same domain is still placed by the claim
    assert orgs.principal_for("sub-9", "new@a.example", []).org == "ngo-a"


def test_only_another_admin_removes_a_member(admin, analyst):
    with pytest.raises(StoreRefusal) as refused:
        members.remove_member(admin, admin.user)
    assert refused.value.key == "store.member.own_removal"
    with pytest.raises(AccessDenied):
        members.remove_member(analyst, admin.user)
    bob = orgs.principal_for("sub-4", "ps@b.example", [])
    with pytest.raises(StoreNotFoundError):  # another organisation's member
        members.remove_member(bob, analyst.user)
    assert orgs.principal_for(analyst.user, "ana@a.example", []).org == "ngo-a"


def test_a_members_principal_is_read_in_one_query(analyst):
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # noqa: ANN001
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    engine = db.get_engine()
    event.listen(engine, "before_cursor_execute", count)
    try:
        again = orgs.principal_for(analyst.user, "ana@a.example", [])
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert again == analyst
    assert len(seen) == 1
    assert "memberships.user_key =" in seen[0]  # the primary key


def test_an_admin_readmits_a_removed_member_with_their_role_and_it_is_audited(
    admin, analyst
):
    members.remove_member(admin, analyst.user)
    [gone] = members.list_removed(admin)
    assert (gone.user, gone.email, gone.role) == ("sub-2", "ana@a.example", "analyst")
    assert gone.removed is not None
    assert gone.removed >= gone.since
    members.readmit_member(admin, analyst.user)
    assert members.list_removed(admin) == []
    assert [m.user for m in members.list_members(admin)] == ["sub-2", "sub-1"]
    assert [m.removed for m in members.list_members(admin)] == [None, None]
    back = orgs.principal_for(analyst.user, "ana@a.example", [])
    assert (back.org, back.role, back.member, back.removed) == (
        "ngo-a",
        "analyst",
        True,
        False,
    )
    SC.save_scenario("plan", "{}", "fp", actor=back)  # may save again
    assert [s.name for s in SC.list_scenarios(actor=admin)] == ["plan"]
    trail = [(r.action, r.kind, r.user, r.name) for r in access.audit_trail(admin)]
    assert trail[1:3] == [
        ("readmit", "member", "sub-1", "sub-2"),
        ("remove", "member", "sub-1", "sub-2"),
    ]
    # a current member is not "removed": nothing to re-admit
    with pytest.raises(StoreNotFoundError) as missing:
        members.readmit_member(admin, analyst.user)
    assert missing.value.key == "store.member.not_removed"


def test_only_an_admin_of_the_organisation_that_removed_them_readmits(admin, analyst):
    colleague = orgs.principal_for("sub-3", "max@a.example", [])  # an analyst
    members.remove_member(admin, analyst.user)
    for act in (
        lambda: members.list_removed(colleague),
        lambda: members.readmit_member(colleague, analyst.user),
    ):
        with pytest.raises(AccessDenied) as refused:
            act()
        assert str(refused.value).startswith("Only an admin of your organisation")
        assert store_message(refused.value, "es").startswith(
            "Solo un administrador de su organización"
        )
    admin_b = orgs.principal_for("sub-4", "ps@b.example", [])
    assert admin_b.is_admin
    assert members.list_removed(admin_b) == []  # NGO A's removed member not listed
    with pytest.raises(StoreNotFoundError) as elsewhere:
        members.readmit_member(admin_b, analyst.user)
    assert str(elsewhere.value) == (
        "no removed member “sub-2” in your organisation: only a member your "
        "organisation removed can be re-admitted"
    )
    assert store_message(elsewhere.value, "fr").startswith(
        "aucun membre retiré « sub-2 » dans votre organisation"
    )
    with pytest.raises(StoreNotFoundError):  # nobody of that key at all
        members.readmit_member(admin, "sub-nobody")
    # still out, and no audit row for the refusals
    assert orgs.principal_for(analyst.user, "ana@a.example", []).removed
    assert "readmit" not in {r.action for r in access.audit_trail(admin)}
    assert "readmit" not in {r.action for r in access.audit_trail(admin_b)}
