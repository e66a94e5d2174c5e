"""Real browser, real sign-in: a local OpenID Connect provider, two organisations.

The test starts `oidc-provider-mock` on a free localhost port (a thread of the
test process) and the app with an ``[auth]`` section pointing at it. User A
(NGO A) signs in, imports a dataset and saves a scenario; user B (Ministry B)
sees neither, cannot open them by URL and has no delete for them; after A
shares the scenario with B's organisation, B sees it read-only. Every wait is
on page state, bounded.
"""

from __future__ import annotations

import re

import pytest

from src.store import db
from src.store import scenarios as SC
from src.store.orgs import principal_for
from tests.browser.conftest import READY, free_port, running_app
from tests.conftest import ROOT

# The mock provider (test-only, third party) uses Authlib APIs Authlib deprecates.
pytestmark = [
    pytest.mark.browser,
    pytest.mark.filterwarnings("ignore::DeprecationWarning"),
]

WAIT_MS = 120_000
ORGS_FILE = ROOT / "tests/fixtures/auth/orgs.toml"  # B: a viewer of Ministry B


@pytest.fixture(scope="module")
def provider():
    from oidc_provider_mock import User, run_server_in_thread

    users = [
        User(sub="alice", claims={"email": "alice@a.example"}),
        User(sub="carol", claims={"email": "carol@b.example"}),
    ]
    with run_server_in_thread(port=free_port(), user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def app(provider, tmp_path_factory):
    folder = tmp_path_factory.mktemp("auth")
    port = free_port()
    secrets = folder / "secrets.toml"
    secrets.write_text(
        "[auth]\n"
        f'redirect_uri = "http://127.0.0.1:{port}/oauth2callback"\n'
        'cookie_secret = "a-test-cookie-secret"\n'
        'client_id = "dashboard"\n'
        'client_secret = "dashboard-secret"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    data = folder / "data"
    data.mkdir()
    with running_app(
        "python dashboard.py",
        data,
        port=port,
        options=("--secrets.files", str(secrets)),
        env={"APP_ORGS_FILE": str(ORGS_FILE)},
    ) as url:
        yield url, data


def _ready(page) -> None:
    page.wait_for_selector(READY, timeout=WAIT_MS)


def _sign_in(browser, url: str, sub: str):
    context = browser.new_context(viewport={"width": 1500, "height": 1400})
    page = context.new_page()
    page.goto(url)
    _ready(page)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("button", name=sub, exact=True).click()  # the provider's form
    page.wait_for_url(re.compile(r"^http://127\.0\.0\.1:\d+/"), timeout=WAIT_MS)
    page.get_by_text(f"Signed in as {sub}@").wait_for(timeout=WAIT_MS)
    _ready(page)
    return page


def _open(page, url: str) -> None:
    page.goto(url)
    _ready(page)
    page.get_by_text("Signed in as").wait_for(timeout=WAIT_MS)


def _save_tab(page, marker: str = "Scenario name") -> None:
    """Open the "Save and share" tab; wait for `marker` in it."""
    page.get_by_role("tab", name="Save and share").click()
    page.get_by_text(marker).first.wait_for(timeout=WAIT_MS)


def _shows(page, text: str) -> bool:
    """Whether `text` is on the page: in its text or as a select's value."""
    return page.evaluate(
        """(text) => document.body.innerText.includes(text) ||
            [...document.querySelectorAll('input')].some(i => i.value === text)""",
        text,
    )


def test_two_organisations_in_a_real_browser(browser, app, monkeypatch):
    url, data = app
    # The test reads the app's store directly to check what the app wrote.
    monkeypatch.setenv("APP_DATA_DIR", str(data))
    monkeypatch.delenv("APP_DATABASE_URL", raising=False)
    db.dispose_engines()

    # A signs in, imports a dataset and saves a scenario.
    a = _sign_in(browser, url, "alice")
    a.get_by_text("NGO A · admin").wait_for(timeout=WAIT_MS)
    _open(a, f"{url}/data")
    csv = ROOT / "tests/fixtures/imports/portfolio_20.csv"
    a.locator("input[type='file']").first.set_input_files(str(csv))
    a.get_by_text("Name of the new dataset").wait_for(timeout=WAIT_MS)
    a.get_by_label("Name of the new dataset").fill("partnerA-confidential")
    a.get_by_label("Name of the new dataset").press("Enter")
    _ready(a)
    a.get_by_role("button", name="Use the accepted rows").click()
    a.wait_for_url(re.compile(r"[?&]dataset="), timeout=WAIT_MS)
    _ready(a)
    dataset_id = re.search(r"[?&]dataset=([^&]+)", a.url).group(1)
    assert "partnerA" not in dataset_id  # links carry the random id
    _open(a, f"{url}/scenarios?dataset={dataset_id}")
    _save_tab(a)
    a.get_by_label("Scenario name").fill("A plan")
    a.get_by_label("Scenario name").press("Enter")
    _ready(a)
    a.get_by_role("button", name="Save", exact=True).click()
    a.get_by_text("Saved as “A plan”").wait_for(timeout=WAIT_MS)
    alice = principal_for("alice", "alice@a.example", [])
    [record] = SC.list_scenarios(actor=alice)
    assert record.name == "A plan"

    # B (another organisation) sees neither, cannot open them by URL.
    b = _sign_in(browser, url, "carol")
    b.get_by_text("sees Kenya only").wait_for(timeout=WAIT_MS)  # restricted org
    _open(b, f"{url}/data")
    assert "partnerA" not in b.inner_text("body")
    assert b.get_by_role("button", name="Delete").count() == 0
    _open(b, f"{url}/?dataset={dataset_id}")
    b.get_by_text("is not valid here").first.wait_for(timeout=WAIT_MS)
    assert "partnerA" not in b.inner_text("body")
    _open(b, f"{url}/scenarios?compare={record.id}&compare=A%20plan")
    _save_tab(b, "Your role cannot save scenarios")  # B is a viewer
    b.get_by_text("No saved scenario yet.").first.wait_for(timeout=WAIT_MS)
    assert not _shows(b, "A plan")
    assert b.get_by_role("button", name="Delete").count() == 0

    # A (admin of NGO A) shares the scenario with Ministry B.
    _open(a, f"{url}/scenarios")
    _save_tab(a)
    a.get_by_role("button", name="Share", exact=True).click()
    a.get_by_text("Shared read-only with: Ministry B").wait_for(timeout=WAIT_MS)

    # B now sees it, read-only: no rename, no delete.
    _open(b, f"{url}/scenarios")
    _save_tab(b, "Your role cannot save scenarios")
    b.get_by_text("This scenario is read-only for you").wait_for(timeout=WAIT_MS)
    assert _shows(b, "A plan")
    assert b.get_by_role("button", name="Delete").count() == 0
    assert b.get_by_role("button", name="Rename").count() == 0
