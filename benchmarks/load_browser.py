"""A simulated user in a real browser: a Playwright context of Debian's Chromium.

The load test's first client (`bench_load.py --client browser`): the figures of
2026-12-01 in the README were measured with it. Each user is a context of one
headless Chromium; reruns are timed in the page from Streamlit's script-state
attribute (a MutationObserver's timestamps, not polling). On the machine that
runs the servers, 20 such browsers take most of the CPU themselves.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Awaitable, Callable

from tests.browser.conftest import READY

# Timestamps of every script-state change, from the first byte of each page.
OBSERVER = """
window.__runs = [];
new MutationObserver((changes) => {
  for (const c of changes) {
    window.__runs.push([performance.now(),
                        c.target.getAttribute('data-test-script-state')]);
  }
}).observe(document, {attributes: true, subtree: true,
                      attributeFilter: ['data-test-script-state']});
"""
# Milliseconds from t0 to the end of the first run that started after t0.
RUN_DONE = """(t0) => {
  const ev = (window.__runs || []).filter((e) => e[0] >= t0);
  const i = ev.findIndex((e) => e[1] === 'running');
  if (i < 0) return false;
  const j = ev.findIndex((e, k) => k > i && e[1] === 'notRunning');
  return j < 0 ? false : Math.max(ev[j][0] - t0, 0.001);
}"""
NO_WEBGL = ["--disable-webgl", "--disable-3d-apis"]
"""The map is drawn by each user's own machine; here 20 software-GL map draws
would compete with the servers for the same two cores."""


async def timed_run(page, action, timeout_ms: float) -> float:  # noqa: ANN001
    """Seconds from `action` to the end of the script run it caused."""
    t0 = await page.evaluate("performance.now()")
    await action()
    done = await page.wait_for_function(RUN_DONE, arg=t0, timeout=timeout_ms)
    return (await done.json_value()) / 1000


async def timed_goto(page, url: str, timeout_ms: float) -> float:  # noqa: ANN001
    start = time.perf_counter()
    await page.goto(url, timeout=timeout_ms, wait_until="commit")
    await page.wait_for_selector(READY, timeout=timeout_ms)
    await page.wait_for_selector("[data-testid='stMetric']", timeout=timeout_ms)
    return time.perf_counter() - start


async def pick_sector(page, n: int) -> None:  # noqa: ANN001
    """Open the sidebar's first multiselect (sectors) and choose option `n`."""
    box = page.locator("[data-testid='stSidebar'] [data-testid='stMultiSelect']")
    options = page.get_by_role("option")
    for _ in range(10):  # a rerun may redraw the box and swallow the click
        await box.first.click()
        with contextlib.suppress(Exception):
            await options.first.wait_for(timeout=3_000)
            break
    count = await options.count()
    await options.nth(n % max(count, 1)).click()


class BrowserUser:
    """One user's browser context and page; `steps(n)` gives round `n`'s steps."""

    ERRORS: tuple[type[Exception], ...] = (RuntimeError,)

    def __init__(self, browser, base: str, uid: int, token: str, timeout: float):  # noqa: ANN001
        from playwright.async_api import Error as PlaywrightError

        self.ERRORS = (PlaywrightError, RuntimeError)
        self.browser, self.base, self.uid, self.token = browser, base, uid, token
        self.timeout_ms = timeout * 1000
        self.saved: list[str] = []
        self.page = None

    async def __aenter__(self) -> BrowserUser:
        ctx = await self.browser.new_context(viewport={"width": 1400, "height": 1400})
        await ctx.add_init_script(OBSERVER)
        self.page = await ctx.new_page()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.page.context.close()

    def steps(self, n: int) -> dict[str, Callable[[], Awaitable[float]]]:
        """The five steps of round `n`, each returning its time in seconds."""
        page, base, uid, timeout_ms = self.page, self.base, self.uid, self.timeout_ms
        slider = page.locator(
            "[data-testid='stMain'] [data-testid='stSlider'] input[type='range']"
        ).first
        name = f"load-{uid:02d}-{n:03d}"
        name_box = page.get_by_label("Scenario name", exact=True)
        save = page.get_by_role("button", name="Save", exact=True)

        async def nudge() -> None:
            await slider.focus()
            await page.keyboard.press("ArrowLeft" if n % 2 else "ArrowRight")

        async def save_it() -> float:
            await page.get_by_role("tab", name="Save and share").click()
            await name_box.fill(name)
            await timed_run(page, lambda: name_box.press("Enter"), timeout_ms)
            took = await timed_run(page, save.click, timeout_ms)
            main = await page.locator("[data-testid='stMain']").inner_text()
            if f"Saved as “{name}”" not in main:
                raise RuntimeError(f"save of {name} not confirmed")
            self.saved.append(name)
            return took

        async def change_filter() -> float:
            took = await timed_run(page, lambda: pick_sector(page, uid + n), timeout_ms)
            await page.keyboard.press("Escape")
            return took

        steps = {
            "open overview": lambda: timed_goto(page, base + "/", timeout_ms),
            "filter change": change_filter,
            "open scenarios": lambda: timed_goto(
                page, f"{base}/scenarios?scenario={self.token}", timeout_ms
            ),
            "lever move": lambda: timed_run(page, nudge, timeout_ms),
            "save": save_it,
        }
        return {step: self._checked(run) for step, run in steps.items()}

    def _checked(self, run_step):  # noqa: ANN001, ANN202
        async def checked() -> float:
            took = await run_step()
            if await self.page.locator("[data-testid='stException']").count():
                raise RuntimeError("an exception is shown")
            return took

        return checked
