"""The drivers tab and the assumption check stop at the page's time limit.

The main runs are computed first under the default limit (and cached), then
APP_RUN_TIMEOUT_S is set tiny: the analysis, many runs, stops between chunks
with the translated message of the main runs, and the page stays usable.
"""

from __future__ import annotations

from src.engine.calibration import load_calibration
from src.engine.scenario import Lever, Scenario
from src.widgets.state import SCEN_TABS
from tests.pages import helpers

# The bundled 1,029 rows run 15 blocks of 8 trials per chunk (131,072 //
# (1,029 × 8)): the first check of the first run comes after 120 trials.
FIRST_CHUNK = 120


def _open(scenario: Scenario, monkeypatch, lang: str = "en"):
    at = helpers.open_page(
        "pages/scenarios.py", {"scenario": scenario.to_token(), "lang": lang}
    )
    assert not at.error, [e.value for e in at.error]
    monkeypatch.setenv("APP_RUN_TIMEOUT_S", "0.001")
    return at


def test_the_assumption_check_past_the_time_limit_says_how_many_trials_fit(
    monkeypatch,
):
    scenario = Scenario(levers=(Lever("budget", -33),), trials=200, name="Limits")
    at = _open(scenario, monkeypatch, "fr")
    at.toggle(key="scen.robustness").set_value(True)
    at.run()
    assert not at.exception, at.exception
    runs = 2 * (1 + 2 * len(load_calibration().ranges(key_only=True)))
    fits = max(FIRST_CHUNK // runs, 1)
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert fits == 5
    assert error == (
        "La simulation a été arrêtée : elle a dépassé les 0,001 s permises par "
        "page (APP_RUN_TIMEOUT_S) pour 200 tirages sur cette sélection. Choisissez "
        "au plus environ 5 tirages, ou une sélection plus petite (moins de pays, de "
        "secteurs ou d'agences)."
    )
    assert at.metric  # the main results are still shown


def test_the_drivers_tab_past_the_time_limit_says_so_and_draws_no_chart(monkeypatch):
    scenario = Scenario(levers=(Lever("capacity", 27),), trials=200, name="Limits")
    at = _open(scenario, monkeypatch)
    helpers.open_tab(at, SCEN_TABS, "What drives it")
    at.toggle(key="scen.drivers").set_value(True)
    at.run()
    assert not at.exception, at.exception
    runs = 1 + 2 * 1 + 2 * len(load_calibration().ranges())
    fits = max(FIRST_CHUNK // runs, 1)
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert fits == 6
    assert error == (
        "The simulation was stopped: it took longer than the 0.001 s allowed per "
        "page (APP_RUN_TIMEOUT_S) for 200 trials on this selection. Choose at most "
        "about 6 trials, or a smaller selection (fewer countries, sectors or "
        "agencies)."
    )
    specs = helpers.chart_specs(at)
    assert not any("swing" in str(s) for s in specs)
