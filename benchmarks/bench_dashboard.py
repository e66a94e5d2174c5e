"""Benchmark: the dashboard's speed in a real headless browser, against a bare page.

Run: .venv/bin/python benchmarks/bench_dashboard.py [--synthetic 100000] [--rounds 3]

Starts servers on free ports: a bare Streamlit page (one st.write, `streamlit
run`), the dashboard as deployed (`python dashboard.py`, which preloads the
layers below the UI before it listens) on the bundled data and on a
synthetic portfolio of N projects (PORTFOLIO_FILE). It opens them in Debian's Chromium
with Playwright and prints, each the median of `--rounds` measurements:

- first render: navigation start -> the run finished, KPIs shown and the map
  canvas drawn (server warm; a fresh browser context each time). The bare page and the
  dashboard are opened alternately, so both see the same machine load: on a
  shared machine the ratio is the robust figure. A third reference page is
  the bare page plus a deck.gl map of two dots (`st.pydeck_chart`, no
  basemap): what any deck.gl map costs the browser before it holds data; a
  fourth has the overview's kinds of elements in its layout (sidebar filters,
  seven cards, the two-dot map, three small charts in tabs) with next to no
  data: what Streamlit's own frontend costs for such a page;
- settled: the same pages until the work their first render set off is
  done (the end of the main thread's last long task after the page showed
  what it must, once it has had none for a second): the map's canvas is on
  the page before deck.gl has drawn into it, and without a GPU that first
  draw is a long task of its own;
- returning: a first render in a browser profile that opened the page
  before (Streamlit's scripts in its HTTP cache), the bare page and the
  dashboard;
- filter change: the press on sector "Health" (once the map is drawn) -> the
  KPI shows the new total and the run has finished;
- lever move: on /scenarios with a budget lever (-20 %, then -30 %, ... so
  that no run is cached), the key press moving its slider one step -> the
  "Funding gap" card shows the new run and the run has finished;

All times are taken in the page (`performance.now()`: from the navigation
start or the input event, to the first DOM change at which the condition
holds, seen by a MutationObserver), so they do not include the driver's
polling or its checks before a click.
- with --baseline DIR: the same figures of another checkout (e.g. the commit
  before a change; its servers get the same data and environment), in the
  same rounds, and its fresh-server link alternating with this checkout's;
- shared link: a new server process (caches on disk as a restarted deployment
  has them), then opening /scenarios?scenario=... -> the result cards shown.

It ends with each figure against its target (issue #12).
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
T = TypeVar("T")
sys.path.insert(0, str(ROOT))

from src.engine.scenario import Lever, Scenario  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM_ARGS,
    READY,
    chromium_path,
    free_port,
    stop,
)

METRIC = "[data-testid='stMetric']"
MAP = "[data-testid='stDeckGlJsonChart'] canvas"
TIMEOUT = 180_000
DECK_REFERENCE = "render: bare page + two-dot deck.gl map"
SETTLED_BARE = "settled: bare Streamlit page"
SETTLED_DECK = "settled: bare page + two-dot deck.gl map"
RETURNING_BARE = "returning: bare Streamlit page"
FLOOR_REFERENCE = "render: the overview's elements, no data"
SETTLED_FLOOR = "settled: the overview's elements, no data"
FILTER_FLOOR = "filter change: the overview's elements, no data"
BARE_DECK = """import pydeck as pdk
import streamlit as st

st.write("hello")
dots = pdk.Layer("ScatterplotLayer", data=[{"p": [0, 0]}, {"p": [10, 10]}],
                 get_position="p", get_radius=100000, get_fill_color=[200, 30, 0])
st.pydeck_chart(pdk.Deck(layers=[dots], map_style=None,
                         initial_view_state=pdk.ViewState(latitude=0, longitude=0)))
"""
# The overview's kinds of elements, in its layout, with next to no data: what
# Streamlit's own frontend costs for such a page (its code loaded, parsed and
# rendered) before our data. The dashboard against it is what our content adds.
FLOOR = """import altair as alt
import pandas as pd
import pydeck as pdk
import streamlit as st

st.set_page_config(layout="wide")
with st.sidebar:
    st.selectbox("Language", ["English", "Français"])
    st.subheader("Filters")
    st.text_input("Search", help="help")
    chosen = st.multiselect("Sector", ["Health", "Education"])
    for name in ("Risk", "Region", "Country", "Agency", "Status"):
        st.multiselect(name, ["a", "b"])
    with st.expander("More filters"):
        for name in ("Funder", "Implementer", "SDG", "DAC"):
            st.multiselect(name, ["a", "b"])
        st.radio("Humanitarian", ["any", "yes", "no"], horizontal=True)
    st.slider("Years", 2000, 2030, (2000, 2030))
    st.select_slider("Budget", [0, 1, 2], value=(0, 2))
    st.button("Reset")
st.title("Overview")
st.caption("Selection")
cols = st.columns(7)
for i, col in enumerate(cols):  # the first card follows the first filter
    label = "Total budget" if i == 0 else f"Card {i}"
    col.metric(label, f"US${len(chosen)}.0M", "+1" if i == 0 else None, help="help")
st.radio("Colour", ["a", "b", "c", "d", "e"], horizontal=True)
st.checkbox("Basemap")
st.checkbox("Borders")
dots = pdk.Layer("ScatterplotLayer", data=[{"p": [0, 0]}, {"p": [10, 10]}],
                 get_position="p", get_radius=100000, get_fill_color=[200, 30, 0])
st.pydeck_chart(pdk.Deck(layers=[dots], map_style=None,
                         initial_view_state=pdk.ViewState(latitude=0, longitude=0)))
st.markdown("<span>legend</span>", unsafe_allow_html=True)
st.caption("notes")
tabs = st.tabs(["Breakdowns", "Money", "Projects"])
with tabs[0]:
    bars = pd.DataFrame({"k": ["a", "b"], "v": [1, 2]})
    for col in st.columns(3):
        with col:
            st.altair_chart(alt.Chart(bars).mark_bar().encode(x="v", y="k"))
            st.expander("Table")
            st.download_button("PNG", b"x")
with st.expander("Sources"):
    st.markdown("sources")
"""
# A shared scenario link: a budget cut of 20 % everywhere, 200 trials.
LINK = Scenario(levers=(Lever("budget", -20),), trials=200).to_token()
# In the page: the time of the user's input (`event`: the press of the option,
# the key of the slider), and the first moment after it at which the card
# shows a new value and the run has finished (a MutationObserver sees every
# change of the page; nothing polls). `window.__done` is then their distance
# in seconds, without the driver's own checks before it clicks (about 0.1 s).
WATCH = """([label, before, event]) => {
    window.__done = null;
    const stamp = () => performance.now();
    let t0 = null;
    document.addEventListener(event, () => { if (t0 === null) t0 = stamp(); },
        {capture: true});
    const ready = () => document.querySelector(
        "[data-testid='stApp'][data-test-script-state='notRunning']");
    const check = () => {
        if (t0 === null || window.__done !== null) return;
        const m = [...document.querySelectorAll('[data-testid="stMetric"]')]
            .find(e => e.innerText.includes(label));
        if (m && m.innerText !== before && ready()) {
            window.__done = (stamp() - t0) / 1000;
            observer.disconnect();
        }
    };
    const observer = new MutationObserver(check);
    observer.observe(document.body,
        {subtree: true, childList: true, attributes: true, characterData: true});
}"""
DONE = "() => window.__done !== null"


def start(
    script: Path, env: dict[str, str], cwd: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    port = free_port()
    # The app as it is deployed (`python dashboard.py`: make run, the systemd
    # unit), the bare page with `streamlit run`.
    launch = (
        [sys.executable, str(script)]
        if script.name == "dashboard.py"
        else [sys.executable, "-m", "streamlit", "run", str(script)]
    )
    proc = subprocess.Popen(
        [*launch,
         "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=cwd, env={**os.environ, **env},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    import urllib.request

    for _ in range(600):
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start")


VIEWPORT = {"width": 1600, "height": 1200}


def _page(browser):
    return browser.new_page(viewport=VIEWPORT)


# Before the page's own scripts: the first moment the run has finished and
# the page shows what it must (`window.__need`: CSS selectors), in seconds
# since the navigation started (a MutationObserver; nothing polls).
RENDERED = """(need) => {
    window.__done = null;
    const check = () => {
        if (window.__done !== null || !document.body) return;
        if (need.every(sel => document.querySelector(sel))) {
            window.__done = performance.now() / 1000;
        }
    };
    new MutationObserver(check).observe(document,
        {subtree: true, childList: true, attributes: true});
}"""


def first_render(
    browser, url: str, need: tuple[str, ...] = (READY, METRIC, MAP)
) -> float:
    """Navigation start -> the run finished and the page shows `need`."""
    page = _page(browser)
    elapsed = _render_time(page, url, need)
    page.close()
    return elapsed


def _render_time(page, url: str, need: tuple[str, ...]) -> float:
    """Open `url` in `page`: seconds from the navigation start to `need` shown."""
    page.add_init_script(f"({RENDERED})({json.dumps(list(need))})")
    page.goto(url)
    page.wait_for_function(DONE, timeout=TIMEOUT)
    return page.evaluate("window.__done")


# Before the page's own scripts: the main thread's long tasks (over 50 ms),
# as [start, end] in seconds since the navigation started.
LONG_TASKS = """() => {
    window.__long = [];
    new PerformanceObserver(list => list.getEntries().forEach(e =>
        window.__long.push([e.startTime / 1000, (e.startTime + e.duration) / 1000])
    )).observe({type: 'longtask', buffered: true});
}"""
QUIET_S = 1.0  # settled: no long task for this long after the page showed `need`
QUIET = f"""() => window.__done !== null && performance.now() / 1000 - Math.max(
    window.__done, ...window.__long.map(t => t[1])) > {QUIET_S}"""


def settled(browser, url: str, need: tuple[str, ...] = (READY, METRIC, MAP)) -> float:
    """Navigation start -> the page shows `need` and the work it set off is done.

    The end of the last long task of the main thread that started after the
    page showed `need` (or that moment, if none did), once the page has had
    no long task for QUIET_S. A map's canvas is on the page before deck.gl
    has drawn into it: without a GPU its first draw is such a task.
    """
    page = _page(browser)
    page.add_init_script(f"({RENDERED})({json.dumps(list(need))})")
    page.add_init_script(f"({LONG_TASKS})()")
    page.goto(url)
    page.wait_for_function(QUIET, timeout=TIMEOUT, polling=100)
    elapsed = page.evaluate(
        "() => Math.max(window.__done, ...window.__long"
        ".filter(t => t[0] >= window.__done - 0.05).map(t => t[1]))"
    )
    page.close()
    return elapsed


def returning(browser, url: str, need: tuple[str, ...] = (READY, METRIC, MAP)) -> float:
    """`first_render` for a returning visitor: the same browser profile opened
    the page once before (its HTTP cache holds Streamlit's scripts)."""
    context = browser.new_context(viewport=VIEWPORT)
    first = context.new_page()
    first.goto(url)
    for sel in need:
        first.wait_for_selector(sel, timeout=TIMEOUT)
    first.close()
    elapsed = _render_time(context.new_page(), url, need)
    context.close()
    return elapsed


def _card(page, label: str) -> str:
    return page.locator(METRIC).filter(has_text=label).first.inner_text()


def filter_change(browser, url: str) -> float:
    page = _page(browser)
    page.goto(url)
    page.wait_for_selector(READY, timeout=TIMEOUT)
    page.wait_for_selector(METRIC, timeout=TIMEOUT)
    # Let the first map draw finish (a user looks at the page before filtering);
    # otherwise the click waits for deck.gl's initial tessellation.
    page.wait_for_selector(MAP, timeout=TIMEOUT)
    page.wait_for_timeout(1500)
    before = _card(page, "Total budget")
    page.locator(
        "[data-testid='stSidebar'] [data-testid='stMultiSelect']"
    ).first.click()
    page.evaluate(WATCH, ["Total budget", before, "pointerdown"])
    page.get_by_role("option", name="Health", exact=True).click()
    page.wait_for_function(DONE, timeout=TIMEOUT)
    elapsed = page.evaluate("window.__done")
    page.close()
    return elapsed


LEVER_STARTS = itertools.count(-20, -10)  # a new lever value on every call


def lever_move(browser, url: str) -> float:
    page = _page(browser)
    change = next(LEVER_STARTS)
    link = Scenario(levers=(Lever("budget", change),), trials=200).to_token()
    page.goto(f"{url}/scenarios?scenario={link}")
    page.wait_for_selector(READY, timeout=TIMEOUT)
    page.wait_for_selector(METRIC, timeout=TIMEOUT)
    page.wait_for_timeout(1000)
    before = _card(page, "Funding gap")
    thumb = (
        page.locator("[data-testid='stSlider']")
        .filter(has_text="Change of the remaining budget")
        .get_by_role("slider")
    )
    thumb.focus()
    page.evaluate(WATCH, ["Funding gap", before, "keydown"])
    thumb.press("ArrowLeft")  # one step (5 %): a scenario not run before
    page.wait_for_function(DONE, timeout=TIMEOUT)
    elapsed = page.evaluate("window.__done")
    page.close()
    return elapsed


def shared_link(browser, env: dict[str, str], root: Path = ROOT) -> float:
    """A fresh server process, then the time from opening the link to results."""
    proc, url = start(root / "dashboard.py", env, cwd=root)
    try:
        page = _page(browser)
        start_t = time.perf_counter()
        page.goto(f"{url}/scenarios?scenario={LINK}")
        page.locator(METRIC).filter(has_text="Funding gap").first.wait_for(
            timeout=TIMEOUT
        )
        page.wait_for_selector(READY, timeout=TIMEOUT)
        elapsed = time.perf_counter() - start_t
        page.close()
    finally:
        stop(proc)
    return elapsed


def wanted(only: list[str] | None, name: str) -> bool:
    """Whether `--only` prefixes (none: every step) name the step `name`."""
    return not only or name.startswith(tuple(only))


def chosen_steps(only: list[str] | None, steps: dict[str, T]) -> dict[str, T]:
    """The steps named by `--only` prefixes (all of them without any)."""
    return {name: s for name, s in steps.items() if wanted(only, name)}


def median(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


def measure(
    rounds: int, steps: dict[str, Callable[[], float]]
) -> dict[str, list[float]]:
    """Each step once per round, in turn (so they share the machine's load)."""
    for step in steps.values():
        step()  # warm the server caches and the browser
    found: dict[str, list[float]] = {name: [] for name in steps}
    for r in range(rounds):
        for name, step in steps.items():
            found[name].append(step())
            print(f"  round {r + 1}: {name} {found[name][-1]:.2f} s", flush=True)
    return found


def report(found: dict[str, list[float]]) -> None:
    for name, xs in found.items():
        runs = " ".join(f"{x:.2f}" for x in xs)
        print(f"{name:<40} {median(xs):6.2f} s   (runs: {runs})")
    floor_filter = found.get(FILTER_FLOOR)
    if floor_filter:
        print("\nfilter change against the floor page's (its card follows a filter):")
        for label, xs in found.items():
            if label.startswith("filter change: ") and xs is not floor_filter:
                extra = median([x - f for x, f in zip(xs, floor_filter, strict=True)])
                print(f"  {label[15:]:<34} {extra:+.2f} s per round")
    bare_runs = found.get("render: bare Streamlit page", [])
    bare = median(bare_runs)
    ratios = {
        label: [x / b for x, b in zip(xs, bare_runs, strict=True)]
        for label, xs in found.items()
        if bare_runs and label.startswith("render: ") and xs is not bare_runs
    }
    print()
    for label, rs in ratios.items():
        print(
            f"ratio {label[8:]:<34} {median(rs):4.1f}x per round "
            f"({median(found[label]) / bare:.1f}x of the medians)"
        )
    settled_bare = found.get(SETTLED_BARE)
    if settled_bare:
        print("settled (the map drawn, the page's work done), against the bare page:")
        for label, xs in found.items():
            if label.startswith("settled: ") and label != SETTLED_BARE:
                ratios[label] = [x / b for x, b in zip(xs, settled_bare, strict=True)]
                print(f"ratio {label[9:]:<34} {median(ratios[label]):4.1f}x per round")
    deck_runs = found.get(DECK_REFERENCE)
    if deck_runs:
        print("against the bare page with a two-dot deck.gl map:")
        for label, xs in found.items():
            if label.startswith("render: dashboard") or label.startswith(
                "render: baseline"
            ):
                rs = [x / d for x, d in zip(xs, deck_runs, strict=True)]
                print(f"ratio {label[8:]:<34} {median(rs):4.1f}x per round")
    returning_bare = found.get(RETURNING_BARE)
    if returning_bare:
        xs = found["returning: dashboard, bundled"]
        rs = [x / b for x, b in zip(xs, returning_bare, strict=True)]
        print("returning visitor (browser cache warm), against the bare page:")
        print(f"ratio {'dashboard, bundled':<34} {median(rs):4.1f}x per round")
    for ref, prefix in ((FLOOR_REFERENCE, "render: "), (SETTLED_FLOOR, "settled: ")):
        ref_runs = found.get(ref)
        if not ref_runs:
            continue
        print(f"against the overview's elements without data ({prefix[:-2]}):")
        for label, xs in found.items():
            if label.startswith(prefix + "dashboard") or label.startswith(
                prefix + "baseline"
            ):
                rs = [x / d for x, d in zip(xs, ref_runs, strict=True)]
                print(f"ratio {label[len(prefix) :]:<34} {median(rs):4.1f}x per round")
    targets = [
        ("render: dashboard, bundled", "render: baseline dashboard", None, 2.0),
        ("settled: dashboard, bundled", "settled: baseline dashboard", None, 2.0),
        ("filter change: bundled", "filter change: baseline, bundled", 0.4, None),
        ("filter change: synthetic", "filter change: baseline, synth", 1.5, None),
        ("lever move: bundled", "lever move: baseline", 1.0, None),
        ("shared /scenarios link, fresh server", "shared /scenarios link, base",
         5.0, None),
    ]  # fmt: skip
    print("\ntarget check (issue #12)")
    for prefix, base_prefix, seconds, ratio in targets:
        label = next((k for k in found if k.startswith(prefix)), None)
        if label is None:
            continue
        base = next((k for k in found if k.startswith(base_prefix)), None)
        if ratio is not None:
            if label not in ratios:
                continue  # its reference (the bare page) was not measured
            value, limit, unit = median(ratios[label]), ratio, "x"
            was = median(ratios[base]) if base else None
        else:
            value, limit, unit = median(found[label]), seconds, " s"
            was = median(found[base]) if base else None
        verdict = "met" if value <= limit else "NOT met"
        before = f" (baseline {was:.2f}{unit})" if was is not None else ""
        print(f"  {prefix:<38} {value:5.2f}{unit} <= {limit}{unit}: {verdict}{before}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--synthetic", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--baseline",
        type=Path,
        help="another checkout of the app (e.g. the commit before a change): "
        "its first render and filter change are measured in the same rounds",
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="PREFIX",
        help="measure only the steps whose names start with PREFIX (repeatable), "
        "e.g. --only 'filter change' for a longer A/B of that step alone",
    )
    args = parser.parse_args()
    path = chromium_path()
    if not path:
        raise SystemExit("needs Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    from tests.conftest import seed_data_dir

    tmp = Path(tempfile.mkdtemp(prefix="bench-dash-"))
    seed_data_dir(tmp)  # the bundled build, as a deployed server has it
    bare = tmp / "bare.py"
    bare.write_text("import streamlit as st\nst.write('hello')\n")
    bare_deck = tmp / "bare_deck.py"
    bare_deck.write_text(BARE_DECK)
    floor = tmp / "floor.py"
    floor.write_text(FLOOR)
    synth = tmp / "synthetic.parquet"
    subprocess.run(
        [sys.executable, "-m", "src.cli", "synth", "--projects",
         str(args.synthetic), "--out", str(synth)],
        cwd=ROOT, check=True, env={**os.environ, "APP_DATA_DIR": str(tmp)},
    )  # fmt: skip
    env = {"APP_DATA_DIR": str(tmp)}
    print(f"load average at the start {os.getloadavg()[0]:.1f}", flush=True)
    servers = [
        start(bare, {}),
        start(bare_deck, {}),
        start(floor, {}),
        start(ROOT / "dashboard.py", env),
        start(ROOT / "dashboard.py", {**env, "PORTFOLIO_FILE": str(synth)}),
    ]
    (_, bare_url), (_, deck_url), (_, floor_url), (_, app_url), (_, syn_url) = servers
    n = f"{args.synthetic:,}"
    baseline: dict[str, Callable[[], float]] = {}
    root = args.baseline.resolve() if args.baseline else None
    if root:
        servers.append(start(root / "dashboard.py", env, cwd=root))
        base_url = servers[-1][1]
        syn_env = {**env, "PORTFOLIO_FILE": str(synth)}
        servers.append(start(root / "dashboard.py", syn_env, cwd=root))
        base_syn_url = servers[-1][1]
        baseline = {
            "render: baseline dashboard, bundled": lambda: first_render(
                browser, base_url
            ),
            "filter change: baseline, bundled": lambda: filter_change(
                browser, base_url
            ),
            f"filter change: baseline, synthetic {n}": lambda: filter_change(
                browser, base_syn_url
            ),
            "lever move: baseline, bundled": lambda: lever_move(browser, base_url),
            "settled: baseline dashboard, bundled": lambda: settled(browser, base_url),
        }
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
            found = measure(
                args.rounds,
                chosen_steps(
                    args.only,
                    {
                        "render: bare Streamlit page": lambda: first_render(
                            browser, bare_url, need=(READY,)
                        ),
                        DECK_REFERENCE: lambda: first_render(
                            browser, deck_url, need=(READY, MAP)
                        ),
                        FLOOR_REFERENCE: lambda: first_render(browser, floor_url),
                        "render: dashboard, bundled": lambda: first_render(
                            browser, app_url
                        ),
                        SETTLED_BARE: lambda: settled(browser, bare_url, need=(READY,)),
                        SETTLED_DECK: lambda: settled(
                            browser, deck_url, need=(READY, MAP)
                        ),
                        SETTLED_FLOOR: lambda: settled(browser, floor_url),
                        RETURNING_BARE: lambda: returning(browser, bare_url, (READY,)),
                        "returning: dashboard, bundled": lambda: returning(
                            browser, app_url
                        ),
                        "settled: dashboard, bundled": lambda: settled(
                            browser, app_url
                        ),
                        f"render: dashboard, synthetic {n}": lambda: first_render(
                            browser, syn_url
                        ),
                        FILTER_FLOOR: lambda: filter_change(browser, floor_url),
                        "filter change: bundled": lambda: filter_change(
                            browser, app_url
                        ),
                        f"filter change: synthetic {n}": lambda: filter_change(
                            browser, syn_url
                        ),
                        "lever move: bundled": lambda: lever_move(browser, app_url),
                        **baseline,
                    },
                ),
            )
            link, base_link = "shared /scenarios link, fresh server", []
            if wanted(args.only, link):
                found[link] = []
                for _ in range(args.rounds):  # alternately, as the other steps
                    found[link].append(shared_link(browser, env))
                    if root:
                        base_link.append(shared_link(browser, env, root))
                if root:
                    found["shared /scenarios link, baseline, fresh server"] = base_link
            browser.close()
    finally:
        for proc, _ in servers:
            stop(proc)
    load = os.getloadavg()
    print(f"\nmachine: {os.cpu_count()} CPUs, load average at the end {load[0]:.1f}")
    report(found)


if __name__ == "__main__":
    main()
