"""Real-browser fixtures: a Streamlit server on a free port and Debian's Chromium."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, seed_data_dir

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's chromium binary, if installed."""
    return shutil.which("chromium") or shutil.which("chromium-browser")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_for_health(url: str, proc: subprocess.Popen, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            break
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.read().decode().strip() == "ok":
                    return
        except OSError:
            time.sleep(0.3)
    proc.terminate()
    out, err = proc.communicate(timeout=10)
    pytest.fail(
        f"Streamlit did not become healthy at {url} in {timeout}s\n"
        f"stdout:\n{out}\nstderr:\n{err}"
    )


# How the app is started: the documented launcher (installs the pages/ shim
# before the first session), and plain `streamlit run` (the shim's fallback).
LAUNCHERS = {
    "python dashboard.py": [sys.executable, str(ROOT / "dashboard.py")],
    "streamlit run": [sys.executable, "-m", "streamlit", "run", "dashboard.py"],
}
SERVER_OPTIONS = [
    "--server.headless",
    "true",
    "--server.address",
    "127.0.0.1",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
]


@contextlib.contextmanager
def running_app(
    launcher: str,
    data_dir: Path,
    env: dict[str, str] | None = None,
    *,
    port: int | None = None,
    options: tuple[str, ...] = (),
) -> Iterator[str]:
    """A fresh app server on a free localhost port; yields its URL.

    Args:
        launcher: a key of `LAUNCHERS`.
        data_dir: its APP_DATA_DIR (seeded with the bundled cache).
        env: more environment variables (e.g. APP_DATABASE_URL of a shared
            database).
        port: the port (default: a free one).
        options: more Streamlit options (e.g. ``--secrets.files``).
    """
    seed_data_dir(data_dir)  # no rebuild of the bundled portfolio on first request
    port = port or free_port()
    proc = subprocess.Popen(
        [*LAUNCHERS[launcher], *SERVER_OPTIONS, *options, "--server.port", str(port)],
        cwd=ROOT,
        env={**os.environ, "APP_DATA_DIR": str(data_dir), **(env or {})},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    _wait_for_health(url, proc, timeout=90)
    try:
        yield url
    finally:
        stop(proc)


def stop(proc: subprocess.Popen) -> None:
    """End a server process: terminate, then kill if it has not ended in 10 s."""
    proc.terminate()
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        proc.kill()


READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def page_state(page) -> str:
    """What the page shows, for a failure message: URL, run state, main text."""
    try:
        run = page.locator("[data-testid='stApp']").get_attribute(
            "data-test-script-state", timeout=2_000
        )
        main = page.locator("[data-testid='stMain']").inner_text(timeout=2_000)
    except Exception as exc:  # noqa: BLE001 - only for the report
        return f"url={page.url} (page state unreadable: {exc})"
    return f"url={page.url}\nscript state={run}\nmain text:\n{main[:3000]}"


def wait_until(page, js: str, arg=None, *, timeout: float = 60_000, what: str = ""):
    """Wait until the JS predicate `js` holds; on timeout fail with the page state."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(js, arg=arg, timeout=timeout)
    except PlaywrightTimeout:
        waited = f"waited {timeout / 1000:.0f} s for {what or js}"
        pytest.fail(f"{waited}\n{page_state(page)}")


def wait_ready(page, *, timeout: float = 60_000) -> None:
    """Wait until the app's script run is over; on timeout fail with the page state."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_selector(READY, timeout=timeout)
    except PlaywrightTimeout:
        ended = f"the run did not end in {timeout / 1000:.0f} s"
        pytest.fail(f"{ended}\n{page_state(page)}")


@pytest.fixture(scope="session")
def app_url(tmp_path_factory) -> Iterator[str]:
    """The app started as `make run` does (`python dashboard.py`)."""
    with running_app("python dashboard.py", tmp_path_factory.mktemp("appdata")) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """A headless Debian Chromium driven by Playwright (no browser download)."""
    path = chromium_path()
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but chromium is not installed: .ci/run installs it")
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright gives each launch a fresh temporary profile (user data dir).
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def shots_dir(request) -> Path:
    """Folder for screenshots: test-output/<test name>/."""
    path = ROOT / "test-output" / request.node.name
    path.mkdir(parents=True, exist_ok=True)
    return path
