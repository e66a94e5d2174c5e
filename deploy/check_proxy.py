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
import gzip
import http.cookiejar
import re
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


def _get(url: str, gzip: bool) -> tuple[bytes, dict[str, str]]:
    headers = {"Accept-Encoding": "gzip"} if gzip else {}
    request = urllib.request.Request(url, headers=headers)
    with urllib.request.urlopen(request, timeout=30) as response:
        return response.read(), {k.lower(): v for k, v in response.headers.items()}


def check_gzip(proxy: str, app: str) -> bool:
    """The app's main script through the proxy: gzipped, the same bytes, cached."""
    page, _ = _get(proxy + "/", gzip=False)
    script = re.search(rb'src="\.?/?(static/js/index[^"]+\.js)"', page)
    if script is None:
        return check("the page names its main script", False)
    path = "/" + script.group(1).decode()
    packed, headers = _get(proxy + path, gzip=True)
    plain, app_headers = _get(app + path, gzip=True)  # the app alone
    same = gzip.decompress(packed) == plain if packed[:2] == b"\x1f\x8b" else False
    return check(
        f"scripts gzipped by the proxy: {path} {len(plain):,} B from the app"
        f" ({app_headers.get('content-encoding', 'not compressed')}), {len(packed):,}"
        f" B through the proxy ({headers.get('content-encoding')}),"
        f" cache-control {headers.get('cache-control')!r}",
        headers.get("content-encoding") == "gzip"
        and same
        and "immutable" in headers.get("cache-control", ""),
    )


# A laptop on a modest link (Chromium's network emulation, per connection).
SLOW_LINK = {
    "label": "20 Mbit/s, 40 ms",
    "offline": False,
    "latency": 40,
    "downloadThroughput": 20e6 / 8,
    "uploadThroughput": 5e6 / 8,
}


def first_visit(browser, url: str) -> tuple[float, float]:
    """A new browser profile opening the overview over SLOW_LINK.

    Returns the bytes it downloaded over HTTP (MB, as sent: the websocket's
    messages are not counted) and the seconds until KPIs and map are shown.
    """
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send(
        "Network.emulateNetworkConditions",
        {k: v for k, v in SLOW_LINK.items() if k != "label"},
    )
    page.goto(url + "/", timeout=120_000)
    for sel in (
        READY,
        "[data-testid='stMetric']",
        "[data-testid='stDeckGlJsonChart'] canvas",
    ):
        page.wait_for_selector(sel, timeout=120_000)
    seconds = page.evaluate("performance.now() / 1000")
    sent = page.evaluate(
        "performance.getEntriesByType('resource').concat("
        "performance.getEntriesByType('navigation'))"
        ".reduce((n, e) => n + e.transferSize, 0)"
    )
    context.close()
    return sent / 1e6, seconds


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

            results.append(check_gzip(base, urls[0]))

            from playwright.sync_api import sync_playwright

            from src.engine.scenario import Lever, Scenario

            token = Scenario(levers=(Lever("budget", -20),), trials=200).to_token()
            with sync_playwright() as play:
                browser = play.chromium.launch(
                    executable_path=chromium_path(), args=CHROMIUM_ARGS
                )
                for label, url in (
                    ("through the proxy", base),
                    ("from the app", urls[0]),
                ):
                    mb, seconds = first_visit(browser, url)
                    print(
                        f"     overview's first visit {label}: {mb:.1f} MB,"
                        f" {seconds:.1f} s to the map at {SLOW_LINK['label']}"
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
