"""Pages with sign-in configured (SQLite and PostgreSQL): the sign-in screen, who is
signed in, organisations' privacy, read-only sharing and the country restriction.

AppTest simulates Streamlit's sign-in: ``at.secrets["auth"]`` configures it and
``at.user`` is what the app reads as ``st.user``.
"""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from src.i18n import translate
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.load import load_bundled_portfolio
from src.store import datasets as D
from src.store import orgs, shares
from src.store import scenarios as SC
from src.widgets import state
from src.widgets.i18n import md_escape
from tests.conftest import ROOT
from tests.pages import helpers

AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "test-secret",
    "client_id": "dashboard",
    "client_secret": "s3cret",
    "server_metadata_url": "http://localhost:1/.well-known/openid-configuration",
}
ORGS_FILE = ROOT / "tests/fixtures/auth/orgs.toml"
ALICE = {"is_logged_in": True, "sub": "alice", "email": "alice@a.example"}
BOB = {"is_logged_in": True, "sub": "bob", "email": "bob@b.example"}
CAROL = {"is_logged_in": True, "sub": "carol", "email": "carol@b.example"}


@pytest.fixture(autouse=True)
def _orgs(store_backend, monkeypatch):
    monkeypatch.setenv("APP_ORGS_FILE", str(ORGS_FILE))
    orgs.load_orgs_file(ORGS_FILE)


def open_as(user: dict | None, page: str | None = None, params=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.secrets["auth"] = AUTH
    at.user = user or {"is_logged_in": False}
    for key, value in (params or {}).items():
        at.query_params[key] = value
    if page:
        at.switch_page(page)
    at.run()
    assert not at.exception, at.exception
    return at


def saved_tab(at: AppTest) -> AppTest:
    """The Scenarios page on its Save tab (the library; tabs are drawn lazily)."""
    return helpers.open_tab(at, state.SCEN_TABS, translate("scen.tab.save", "en"))


def texts(at: AppTest) -> str:
    parts = [e.value for kind in ("markdown", "caption", "warning", "info", "error",
             "success", "title") for e in at.get(kind)]  # fmt: skip
    parts += [str(df.value.to_dict()) for df in at.dataframe]
    parts += [str(s.options) for s in at.selectbox]
    return "\n".join(str(p) for p in parts)


def _alice_data():
    df, meta = load_bundled_portfolio()
    alice = orgs.principal_for("alice", "alice@a.example", [])
    info = D.save_dataset(
        "partnerA-confidential",
        df.head(30),
        meta,
        provenance={},
        report=DatasetReport(),
        actor=alice,
    )
    rec = SC.save_scenario("A plan", '{"v": 1}', meta.fingerprint, actor=alice)
    return alice, info, rec


def test_signed_out_every_page_shows_only_the_sign_in_screen():
    for page in (None, "pages/data.py", "pages/scenarios.py"):
        at = open_as(None, page)
        assert [t.value for t in at.title] == ["Sign in"]
        assert at.button(key=state.SIGN_IN).label == "Sign in"
        assert not at.metric  # no page content
        assert state.CONTEXT not in at.session_state


def test_the_sign_in_screen_is_translated():
    at = open_as(None, params={"lang": "fr"})
    assert [t.value for t in at.title] == ["Connexion"]
    assert at.button(key=state.SIGN_IN).label == "Se connecter"


def test_a_signed_in_user_sees_who_and_can_sign_out():
    at = open_as(ALICE)
    captions = [c.value for c in at.sidebar.caption]
    assert "Signed in as alice@a\\.example · NGO A · admin" in captions
    assert at.button(key=state.SIGN_OUT).label == "Sign out"
    assert at.metric  # the overview is shown


def test_another_organisation_sees_neither_dataset_nor_scenario():
    _, info, rec = _alice_data()
    at = open_as(BOB, "pages/data.py")
    assert "partnerA" not in texts(at)
    assert any(i.value.startswith("No imported datasets yet") for i in at.info)
    # by URL: the id is "not known", as one that does not exist, no name shown
    at = open_as(BOB, None, {"dataset": info.id})
    assert at.session_state[state.DATASET] == "bundled"
    assert any(md_escape(info.id) in w.value for w in at.warning)
    assert "partnerA" not in texts(at)
    at = saved_tab(open_as(BOB, "pages/scenarios.py"))
    assert "A plan" not in texts(at)
    assert any(c.value == "No saved scenario yet." for c in at.caption)
    # and the owner does see both
    at = open_as(ALICE, None, {"dataset": info.id})
    assert at.session_state[state.DATASET] == info.id
    assert len(at.session_state[state.CONTEXT].portfolio) == 30


def test_a_shared_scenario_is_listed_read_only_without_delete():
    alice, _, rec = _alice_data()
    shares.share("scenario", rec.id, alice, "gov-b")
    at = saved_tab(open_as(CAROL, "pages/scenarios.py"))
    assert at.selectbox(key="scen.pick").options == ["A plan"]
    assert "read-only" in texts(at)
    assert not [b for b in at.button if b.key == "scen.delete"]
    assert not [b for b in at.button if b.key == "scen.save"]  # a viewer


def test_a_country_restricted_organisation_sees_its_country_on_every_page():
    for page in (None, "pages/country.py", "pages/scenarios.py", "pages/data.py"):
        at = open_as(CAROL, page)
        ctx = at.session_state[state.CONTEXT]
        assert set(ctx.portfolio["country_iso3"]) == {"KEN"}
        assert ctx.spec.countries == ("KEN",)
        assert set(ctx.selection["country_iso3"]) == {"KEN"}
        assert any("sees Kenya only" in i.value for i in at.sidebar.info)


def test_a_viewer_cannot_import_and_an_analyst_can():
    at = open_as(CAROL, "pages/data.py")
    csv = (ROOT / "tests/fixtures/imports/portfolio_20.csv").read_bytes()
    at.file_uploader(key="data.upload").set_value(("p.csv", csv, "text/csv"))
    at.run()
    assert any("cannot import" in i.value for i in at.info)
    assert not [b for b in at.button if b.key == "data.accept"]


def test_an_admin_sees_deleted_items_and_the_audit_trail_others_do_not():
    alice, info, rec = _alice_data()
    D.delete_dataset(info.id, actor=alice)
    at = open_as(ALICE, "pages/data.py")
    labels = [e.label for e in at.expander]
    assert "Deleted items (1), restorable" in labels
    assert "Audit trail of your organisation (last 3)" in labels
    trail = at.dataframe[-1].value
    assert list(trail["Action"]) == ["delete", "create", "create"]
    assert set(trail["Who"]) == {"alice"}
    at.button(key=state.item_key(state.RESTORE_BUTTON, "dataset.0")).click().run()
    assert [d.name for d in D.list_datasets(actor=alice)] == ["partnerA-confidential"]
    at = open_as(CAROL, "pages/data.py")
    assert not [e for e in at.expander if "Audit" in e.label or "Deleted" in e.label]
