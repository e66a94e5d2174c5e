"""Authorisation in the store (SQLite and PostgreSQL): organisations, roles, sharing,
soft delete, audit."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from src.portfolio.dataset_report import DatasetReport
from src.portfolio.schema import PortfolioMeta
from src.store import access, members, orgs, shares
from src.store import datasets as D
from src.store import scenarios as SC
from src.store.errors import AccessDenied
from src.store.principal import Principal

URL_SAFE = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
ORGS = [
    {
        "id": "ngo-a",
        "name": "NGO A",
        "domains": ["a.example"],
        "role": "analyst",
        "admins": ["boss@a.example"],
    },
    {
        "id": "gov-b",
        "name": "Ministry B",
        "country": "ken",
        "groups": ["partner-b"],
        "role": "viewer",
        "admins": ["ps@b.example"],
    },
]


@pytest.fixture(autouse=True)
def _orgs(store_backend):
    assert orgs.load_orgs(ORGS) == 2


@pytest.fixture
def people():
    return {
        "admin_a": orgs.principal_for("sub-1", "boss@a.example", []),
        "analyst_a": orgs.principal_for("sub-2", "ana@a.example", []),
        "other_a": orgs.principal_for("sub-3", "max@a.example", []),
        "admin_b": orgs.principal_for("sub-4", "ps@b.example", []),
        "viewer_b": orgs.principal_for("sub-5", "clerk@mail.example", ["partner-b"]),
        "nobody": orgs.principal_for("sub-6", "x@elsewhere.example", ["other"]),
    }


def _save(actor: Principal, name: str = "plan", body: str = '{"v": 1}'):
    return SC.save_scenario(name, body, "fp", actor=actor)


def _dataset(actor: Principal, name: str, tiny_portfolio):
    meta = PortfolioMeta("2024-06-30", "fp1", name)
    return D.save_dataset(
        name, tiny_portfolio, meta, provenance={}, report=DatasetReport(), actor=actor
    )


def test_claims_place_users_in_organisations_with_their_roles(people):
    p = people
    assert (p["admin_a"].org, p["admin_a"].role) == ("ngo-a", "admin")
    assert (p["analyst_a"].org, p["analyst_a"].role) == ("ngo-a", "analyst")
    assert (p["viewer_b"].org, p["viewer_b"].role) == ("gov-b", "viewer")
    assert p["viewer_b"].country == "KEN"  # stored upper-case
    assert p["admin_a"].country is None
    assert p["nobody"].org is None
    # the membership is kept: a later sign-in gets the same organisation and role
    members.set_role(p["admin_a"], "sub-2", "viewer")
    assert orgs.principal_for("sub-2", "ana@a.example", []).role == "viewer"


def test_only_an_admin_of_the_same_organisation_sets_roles(people):
    with pytest.raises(AccessDenied, match="Only an admin"):
        members.set_role(people["analyst_a"], "sub-3", "admin")
    with pytest.raises(LookupError, match="no member"):
        members.set_role(people["admin_b"], "sub-3", "admin")


def test_a_bad_organisations_entry_is_named():
    with pytest.raises(ValueError, match=r"x\.toml \(o\): role 'boss'"):
        orgs.load_orgs([{"id": "o", "role": "boss"}], where="x.toml")
    with pytest.raises(ValueError, match="not an ISO3 code"):
        orgs.load_orgs([{"id": "o", "country": "Kenya"}])


def test_viewers_and_unaffiliated_users_cannot_create(people, tiny_portfolio):
    with pytest.raises(AccessDenied, match=r"Your role \(viewer\) cannot"):
        _save(people["viewer_b"])
    with pytest.raises(AccessDenied, match="no organisation is registered"):
        _save(people["nobody"])
    with pytest.raises(AccessDenied, match="cannot import"):
        _dataset(people["viewer_b"], "mine", tiny_portfolio)
    assert SC.list_scenarios(actor=people["admin_b"]) == []


def test_another_organisation_sees_nothing_and_gets_not_found(people, tiny_portfolio):
    a, b = people["analyst_a"], people["admin_b"]
    rec = _save(a, "partnerA-confidential")
    info = _dataset(a, "partnerA-data", tiny_portfolio)
    assert SC.list_scenarios(actor=b) == []
    assert D.list_datasets(actor=b) == []
    with pytest.raises(SC.ScenarioNotFoundError) as err:
        SC.get_scenario(rec.id, actor=b)
    assert "partnerA" not in str(err.value)  # never the name
    with pytest.raises(SC.ScenarioNotFoundError):
        SC.get_scenario("partnerA-confidential", actor=b)
    with pytest.raises(D.DatasetNotFoundError) as err:
        D.load_dataset(info.id, actor=b)
    assert str(err.value) == f"no dataset named {info.id!r}"  # the id only
    with pytest.raises(D.DatasetNotFoundError):
        D.dataset_info("partnerA-data", actor=b)
    # B's delete and rename of A's items find nothing; A still has them
    assert SC.delete_scenario(rec.id, actor=b) is False
    assert D.delete_dataset(info.id, actor=b) is False
    with pytest.raises(SC.ScenarioNotFoundError):
        SC.rename_scenario(rec.id, "mine now", actor=b)
    assert [r.name for r in SC.list_scenarios(actor=a)] == ["partnerA-confidential"]
    assert [d.name for d in D.list_datasets(actor=a)] == ["partnerA-data"]


def test_the_same_name_in_two_organisations_is_two_items(people):
    a, b = people["analyst_a"], people["admin_b"]
    ra = _save(a, "plan", '{"org": "a"}')
    rb = _save(b, "plan", '{"org": "b"}')
    assert ra.id != rb.id
    assert SC.load_scenario("plan", actor=a) == '{"org": "a"}'
    assert SC.load_scenario("plan", actor=b) == '{"org": "b"}'


def test_another_members_name_is_never_silently_overwritten(people):
    a, other = people["analyst_a"], people["other_a"]
    first = _save(a, "plan", '{"by": "ana"}')
    with pytest.raises(AccessDenied, match="nothing was overwritten"):
        _save(other, "plan", '{"by": "max"}')
    assert SC.load_scenario("plan", actor=a) == '{"by": "ana"}'
    # the author replaces their own; the admin may replace anyone's in the org
    assert _save(a, "plan", '{"by": "ana", "v": 2}').id == first.id
    _save(people["admin_a"], "plan", '{"by": "boss"}')
    assert SC.load_scenario(first.id, actor=other) == '{"by": "boss"}'


def test_an_analyst_changes_only_their_own_items(people, tiny_portfolio):
    a, other, admin = people["analyst_a"], people["other_a"], people["admin_a"]
    rec = _save(a)
    info = _dataset(a, "d", tiny_portfolio)
    assert [r.writable for r in SC.list_scenarios(actor=other)] == [False]
    assert [r.writable for r in SC.list_scenarios(actor=a)] == [True]
    with pytest.raises(AccessDenied, match="another member"):
        SC.delete_scenario(rec.id, actor=other)
    with pytest.raises(AccessDenied, match="another member"):
        SC.rename_scenario(rec.id, "x", actor=other)
    with pytest.raises(AccessDenied, match="another member"):
        D.delete_dataset(info.id, actor=other)
    meta = PortfolioMeta("2024-06-30", "fp2", "d")
    with pytest.raises(AccessDenied, match="nothing was overwritten"):
        D.save_dataset("d", tiny_portfolio, meta, provenance={},
                       report=DatasetReport(), replace=True, actor=other)  # fmt: skip
    assert D.dataset_info(info.id, actor=a).fingerprint == "fp1"
    assert D.delete_dataset(info.id, actor=admin) is True


def test_a_shared_scenario_is_read_only_for_the_other_organisation(people):
    a, admin_a, b = people["analyst_a"], people["admin_a"], people["viewer_b"]
    rec = _save(a, "shared plan", '{"v": 7}')
    with pytest.raises(AccessDenied, match="Only an admin"):
        shares.share("scenario", rec.id, a, "gov-b")
    shares.share("scenario", rec.id, admin_a, "gov-b")
    assert shares.shared_with("scenario", rec.id, admin_a) == ["gov-b"]
    seen = SC.list_scenarios(actor=b)
    assert [(r.name, r.writable, r.org) for r in seen] == [
        ("shared plan", False, "ngo-a")
    ]
    assert SC.load_scenario(rec.id, actor=b) == '{"v": 7}'
    for change in (
        lambda: SC.delete_scenario(rec.id, actor=b),
        lambda: SC.rename_scenario(rec.id, "ours", actor=b),
        lambda: shares.share("scenario", rec.id, people["admin_b"], "gov-b"),
    ):
        with pytest.raises(AccessDenied, match="read-only|Only an admin"):
            change()
    # B's admin saving the same name makes B's own scenario, A's is unchanged
    _save(people["admin_b"], "shared plan", '{"v": "b"}')
    assert SC.load_scenario(rec.id, actor=a) == '{"v": 7}'
    assert SC.load_scenario("shared plan", actor=people["admin_b"]) == '{"v": "b"}'
    shares.unshare("scenario", rec.id, admin_a, "gov-b")
    assert [r.org for r in SC.list_scenarios(actor=b)] == ["gov-b"]
    with pytest.raises(LookupError, match="no organisation 'nope'"):
        shares.share("scenario", rec.id, admin_a, "nope")


def test_a_public_dataset_is_visible_to_everyone_signed_in(people, tiny_portfolio):
    info = _dataset(people["analyst_a"], "open data", tiny_portfolio)
    assert D.list_datasets(actor=people["nobody"]) == []
    shares.set_public("dataset", info.id, people["admin_a"], True)
    seen = D.list_datasets(actor=people["nobody"])
    assert [(d.name, d.writable) for d in seen] == [("open data", False)]
    df, meta = D.load_dataset(info.id, actor=people["viewer_b"])
    assert len(df) == len(tiny_portfolio)
    assert meta.name == "open data"


def test_soft_delete_restore_and_purge_after_30_days(people):
    a, admin = people["analyst_a"], people["admin_a"]
    rec = _save(a, "plan", '{"v": 1}')
    assert SC.delete_scenario(rec.id, actor=a) is True
    assert SC.list_scenarios(actor=a) == []
    with pytest.raises(SC.ScenarioNotFoundError):
        SC.get_scenario(rec.id, actor=admin)
    assert access.list_deleted("scenario", a) == []  # admins only
    [gone] = access.list_deleted("scenario", admin)
    assert (gone.id, gone.name, gone.deleted_by) == (rec.id, "plan", "sub-2")
    assert gone.purge_after - gone.deleted_at == timedelta(days=30)
    with pytest.raises(AccessDenied, match="restore"):
        access.restore("scenario", rec.id, a)
    access.restore("scenario", rec.id, admin)
    assert SC.load_scenario(rec.id, actor=a) == '{"v": 1}'
    # a deleted name may be reused; restoring the old one then says so
    SC.delete_scenario(rec.id, actor=a)
    _save(a, "plan", '{"v": 2}')
    with pytest.raises(ValueError, match="exists again"):
        access.restore("scenario", rec.id, admin)
    # purged 30 days after deletion, not before
    deleted = access.list_deleted("scenario", admin)[0].deleted_at
    assert access.purge_expired(deleted + timedelta(days=29)) == 0
    assert access.purge_expired(deleted + timedelta(days=30, seconds=1)) == 1
    assert access.list_deleted("scenario", admin) == []
    with pytest.raises(LookupError):
        access.restore("scenario", rec.id, admin)


def test_create_share_delete_and_restore_are_audited(people):
    a, admin = people["analyst_a"], people["admin_a"]
    before = datetime.now(UTC)
    rec = _save(a, "plan")
    _save(a, "plan", '{"v": 2}')
    shares.share("scenario", rec.id, admin, "gov-b")
    SC.rename_scenario(rec.id, "plan 2", actor=a)
    SC.delete_scenario(rec.id, actor=a)
    access.restore("scenario", rec.id, admin)
    rows = list(reversed(access.audit_trail(admin)))
    assert [(r.action, r.user, r.item, r.name, r.detail) for r in rows] == [
        ("create", "sub-2", rec.id, "plan", ""),
        ("replace", "sub-2", rec.id, "plan", ""),
        ("share", "sub-1", rec.id, "plan", "gov-b"),
        ("rename", "sub-2", rec.id, "plan 2", "plan"),
        ("delete", "sub-2", rec.id, "plan 2", ""),
        ("restore", "sub-1", rec.id, "plan 2", ""),
    ]
    assert all(r.at >= before and r.org == "ngo-a" for r in rows)
    assert access.audit_trail(a) == []  # admins only
    assert access.audit_trail(people["admin_b"]) == []  # other organisation's


def test_public_ids_are_random_tokens(people):
    ids = [_save(people["analyst_a"], f"s{i}").id for i in range(20)]
    assert len(set(ids)) == 20
    # 16 random bytes, URL-safe: nothing to count up from
    assert all(len(i) == 22 and set(i) <= set(URL_SAFE) for i in ids)


def test_loading_the_organisations_again_updates_them_and_moves_claims():
    assert orgs.load_orgs(ORGS) == 2  # the app reloads an edited file
    orgs.load_orgs([dict(ORGS[1], domains=["a.example"], country=None)])
    newcomer = orgs.principal_for("sub-9", "new@a.example", [])
    assert (newcomer.org, newcomer.role, newcomer.country) == ("gov-b", "viewer", None)
    assert orgs.list_orgs() == [("gov-b", "Ministry B"), ("ngo-a", "NGO A")]


def test_making_public_and_private_again_is_for_admins_and_audited(people):
    a, admin, b = people["analyst_a"], people["admin_a"], people["viewer_b"]
    rec = _save(a, "open plan")
    with pytest.raises(AccessDenied, match="Only an admin"):
        shares.set_public("scenario", rec.id, a, True)
    with pytest.raises(LookupError, match="no saved scenario"):  # B sees none
        shares.set_public("scenario", rec.id, people["admin_b"], True)
    assert shares.is_public("scenario", rec.id, admin) is False
    shares.set_public("scenario", rec.id, admin, True)
    shares.set_public("scenario", rec.id, admin, True)  # already: nothing recorded
    assert shares.is_public("scenario", rec.id, b) is True
    assert [(r.name, r.writable) for r in SC.list_scenarios(actor=b)] == [
        ("open plan", False)
    ]
    with pytest.raises(AccessDenied, match="read-only"):
        shares.set_public("scenario", rec.id, people["admin_b"], False)
    shares.set_public("scenario", rec.id, admin, False)
    assert SC.list_scenarios(actor=b) == []
    assert shares.is_public("scenario", rec.id, b) is False  # not visible: not public
    trail = [(r.action, r.user, r.item) for r in reversed(access.audit_trail(admin))]
    assert trail == [
        ("create", "sub-2", rec.id),
        ("publish", "sub-1", rec.id),
        ("unpublish", "sub-1", rec.id),
    ]
