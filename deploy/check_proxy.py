"""Check deploy/nginx.conf for real: two app servers, one PostgreSQL, nginx.

Run (needs nginx, e.g. Debian's nginx-light, Chromium and PostgreSQL as for the
tests): .venv/bin/python deploy/check_proxy.py

Starts a PostgreSQL (APP_TEST_POSTGRES_URL, else a throwaway cluster), two app
servers on free localhost ports and nginx in the foreground with the example
config (only its listen port and upstream ports changed), then checks and prints:
nginx -t accepts it; the first response sets the affinity cookie; 20 requests
with that cookie reach one server, requests without it reach both; a browser
through the proxy renders the overview and the Scenarios page (websocket) and
saves a scenario that the other server lists. Everything stops at the end.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_load import postgres_server, start_server  # noqa: E402
from tests import postgres as pg  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    READY,
    chromium_path,
    free_port,
)

WRAPPER = """daemon off;
worker_processes 1;
pid {tmp}/nginx.pid;
error_log {tmp}/error.log;
events {{ worker_connections 256; }}
http {{
    log_format up '$upstream_addr $cookie_portfolio_affinity';
    access_log {tmp}/access.log up;
    client_body_temp_path {tmp}/body;
    proxy_temp_path {tmp}/proxy;
    include {tmp}/portfolio.conf;
}}
"""


def site_config(port: int, upstreams: list[int]) -> str:
    """deploy/nginx.conf listening on `port`, proxying to `upstreams`."""
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    text = text.replace("listen 80;", f"listen 127.0.0.1:{port};")
    text = text.replace("127.0.0.1:8501", f"127.0.0.1:{upstreams[0]}")
    return text.replace("127.0.0.1:8502", f"127.0.0.1:{upstreams[1]}")


def served_by(log: Path) -> list[tuple[str, str]]:
    """(upstream address, affinity cookie) of each logged request."""
    return [tuple((line.split() + ["-"])[:2]) for line in log.read_text().splitlines()]


def check(label: str, ok: bool) -> bool:
    """Print one check's outcome; return it."""
    print(f"{'ok  ' if ok else 'FAIL'} {label}")
    return ok


def main() -> int:  # noqa: PLR0915 - one scripted check, read top to bottom
    """Run the checks; 0 when all pass."""
    argparse.ArgumentParser(description=__doc__.split("\n\n")[0]).parse_args()
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists() or not chromium_path():
        raise SystemExit("needs nginx (apt-get install nginx-light) and chromium")
    tmp = Path(tempfile.mkdtemp(prefix="check-proxy-"))
    results = []
    with postgres_server() as server, pg.fresh_schema(server) as database:
        procs, urls = zip(
            *(start_server(tmp / f"app{i}", database) for i in range(2)), strict=True
        )
        ports = [int(u.rsplit(":", 1)[1]) for u in urls]
        proxy_port = free_port()
        (tmp / "portfolio.conf").write_text(site_config(proxy_port, ports))
        (tmp / "nginx.conf").write_text(WRAPPER.format(tmp=tmp))
        test = subprocess.run(
            [nginx, "-t", "-c", str(tmp / "nginx.conf")], capture_output=True, text=True
        )
        results.append(check("nginx -t accepts the config", test.returncode == 0))
        proxy = subprocess.Popen([nginx, "-c", str(tmp / "nginx.conf")])
        try:
            time.sleep(0.5)  # nginx binds before it logs; health below waits
            base = f"http://127.0.0.1:{proxy_port}"
            jar = http.cookiejar.CookieJar()
            opener = urllib.request.build_opener(
                urllib.request.HTTPCookieProcessor(jar)
            )
            for _ in range(20):
                opener.open(base + "/", timeout=10).read()
            cookies = {c.name: c.value for c in jar}
            results.append(
                check("affinity cookie set", "portfolio_affinity" in cookies)
            )
            for _ in range(20):
                urllib.request.urlopen(base + "/", timeout=10).read()
            log = served_by(tmp / "access.log")
            mine = {a for a, c in log if c == cookies.get("portfolio_affinity")}
            fresh = Counter(a for a, c in log[20:40] if c == "-")
            results.append(
                check(f"one browser, one server: {sorted(mine)}", len(mine) == 1)
            )
            results.append(
                check(f"new browsers reach both: {dict(fresh)}", len(fresh) == 2)
            )

            from playwright.sync_api import sync_playwright

            from src.engine.scenario import Lever, Scenario

            token = Scenario(levers=(Lever("budget", -20),), trials=200).to_token()
            with sync_playwright() as play:
                browser = play.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                page = browser.new_page(viewport={"width": 1400, "height": 1400})
                page.goto(base + "/", timeout=120_000)
                page.wait_for_selector("[data-testid='stMetric']", timeout=120_000)
                results.append(check("overview renders through the proxy", True))
                page.goto(f"{base}/scenarios?scenario={token}", timeout=120_000)
                page.wait_for_selector(READY, timeout=120_000)
                page.get_by_role("tab", name="Save and share").click()
                box = page.get_by_label("Scenario name", exact=True)
                box.fill("Through the proxy")
                box.press("Enter")
                page.wait_for_selector(READY, timeout=120_000)
                page.get_by_role("button", name="Save", exact=True).click()
                page.wait_for_function(
                    "() => document.body.innerText.includes('Saved as “Through')",
                    timeout=120_000,
                )
                results.append(check("scenario saved through the proxy", True))
                affinity = next(
                    c["value"]
                    for c in page.context.cookies()
                    if c["name"] == "portfolio_affinity"
                )
                used = {a for a, c in served_by(tmp / "access.log") if c == affinity}
                other = next(u for u in urls if u.removeprefix("http://") not in used)
                page.goto(f"{other}/scenarios", timeout=120_000)
                page.wait_for_selector(READY, timeout=120_000)
                page.get_by_role("tab", name="Save and share").click()
                listed = page.get_by_role(
                    "combobox", name="Saved scenario"
                ).input_value()
                results.append(
                    check(
                        f"the other server ({other}) lists it: {listed!r}",
                        listed == "Through the proxy",
                    )
                )
                browser.close()
        finally:
            proxy.terminate()
            proxy.wait(timeout=10)
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=20)
    shutil.rmtree(tmp, ignore_errors=True)
    print("all checks passed" if all(results) else "SOME CHECKS FAILED")
    return 0 if all(results) else 1


if __name__ == "__main__":
    raise SystemExit(main())
