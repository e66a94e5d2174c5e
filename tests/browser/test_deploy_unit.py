"""The systemd unit of docs/DEPLOY.md, checked without systemd.

The build and CI machines have no systemd running (a container's PID 1 is not
systemd), so the unit cannot be started as a service here. What can be checked
is checked for real: `systemd-analyze verify` accepts the unit as instantiated
for a port (no unknown key, no bad value), and the unit's own ExecStart command,
run in its WorkingDirectory with its Environment= lines and the example
EnvironmentFile (the database pointed at the tests' real PostgreSQL), serves the
app: healthy, and the overview drawn in Chromium with no exception.
"""

from __future__ import annotations

import os
import re
import secrets
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.browser.conftest import (
    _wait_for_health,
    free_port,
    page_state,
    stop,
    wait_ready,
    wait_until,
)
from tests.conftest import ROOT, seed_data_dir

pytestmark = pytest.mark.browser

UNIT = ROOT / "deploy" / "systemd" / "portfolio-app@.service"
ENV_EXAMPLE = ROOT / "deploy" / "systemd" / "app.env.example"
INSTALL_DIR = "/opt/portfolio"  # where docs/DEPLOY.md checks the code out


def _service_lines(text: str) -> list[tuple[str, str]]:
    """(key, value) of the [Service] section, continuation lines joined."""
    joined = re.sub(r"\\\n\s*", " ", text)
    section, pairs = None, []
    for line in joined.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("["):
            section = line
        elif section == "[Service]":
            key, _, value = line.partition("=")
            pairs.append((key.strip(), value.strip()))
    return pairs


def _instantiated(port: int) -> str:
    """The unit's text as systemd would run it from this checkout on `port`."""
    return UNIT.read_text().replace(INSTALL_DIR, str(ROOT)).replace("%i", str(port))


def test_systemd_accepts_the_unit(tmp_path):
    analyze = shutil.which("systemd-analyze")
    assert analyze, "systemd-analyze is missing: apt-get install systemd (.ci/run does)"
    # The checkout's interpreter stands in for /opt/portfolio/.venv/bin/python.
    unit = tmp_path / "portfolio-app@8501.service"
    unit.write_text(UNIT.read_text().replace(INSTALL_DIR, str(ROOT)))
    venv_python = ROOT / ".venv" / "bin" / "python"
    if not venv_python.exists():  # a checkout whose venv lives elsewhere
        unit.write_text(unit.read_text().replace(str(venv_python), sys.executable))
    done = subprocess.run(
        [analyze, "verify", str(unit)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    # verify exits 0 on unknown keys and bad values too, warning on stderr.
    assert done.stderr.strip() == "", done.stderr
    keys = dict(_service_lines(unit.read_text()))
    assert keys["MemoryMax"] == "2G"
    assert keys["Restart"] == "on-failure"


def test_the_units_command_serves_the_app(tmp_path, postgres_server, browser):
    port = free_port()
    service = _service_lines(_instantiated(port))
    keys = dict(service)
    argv = shlex.split(keys["ExecStart"])
    if not Path(argv[0]).exists():  # the venv of this checkout lives elsewhere
        argv[0] = sys.executable
    env = {**os.environ}
    for line in ENV_EXAMPLE.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            env[name] = value
    for key, value in service:
        if key == "Environment":
            name, _, value = value.partition("=")
            env[name] = value
    assert env["APP_DATA_DIR"] == f"/var/lib/portfolio/{port}"
    # Stand-ins for what the deployment provides: its state folder (systemd's
    # StateDirectory=), its database and cookie secret (the EnvironmentFile).
    env["APP_DATA_DIR"] = str(seed_data_dir(tmp_path / "state"))
    env["APP_DATABASE_URL"] = postgres_server
    env["STREAMLIT_SERVER_COOKIE_SECRET"] = secrets.token_hex(32)
    proc = subprocess.Popen(
        argv,
        cwd=keys["WorkingDirectory"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_for_health(url, proc, timeout=90)
        page = browser.new_page(viewport={"width": 1440, "height": 900})
        try:
            page.goto(url)
            wait_until(
                page,
                "() => document.querySelectorAll(\"[data-testid='stMetric']\")"
                ".length >= 4",
                timeout=120_000,
                what="the overview's KPI cards",
            )
            wait_ready(page)
            assert page.locator("[data-testid='stException']").count() == 0, page_state(
                page
            )
        finally:
            page.close()
    finally:
        stop(proc)
