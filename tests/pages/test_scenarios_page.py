"""AppTest tests of the Scenarios page."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from src.engine.calibration import load_calibration
from src.engine.montecarlo import run
from src.engine.scenario import BASELINE, Lever, Scenario
from src.i18n import format_money, format_percent, translate
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.widgets.state import SCEN_TABS
from tests.pages import helpers


def open_page(params: dict[str, object] | None = None) -> AppTest:
    return helpers.open_page("pages/scenarios.py", params)


def cards(at: AppTest) -> dict[str, str]:
    return {m.label: m.value.replace("\\$", "$") for m in at.metric}


def engine_stats(scenario: Scenario, spec: FilterSpec, metric: str) -> pd.Series:
    """The engine's P10/P50/P90 of a portfolio metric over the trials."""
    df, meta = load_bundled_portfolio()
    result = run(
        spec.apply(df).reset_index(drop=True),
        scenario,
        as_of=date.fromisoformat(meta.as_of),
    )
    return result.portfolio.set_index("metric").loc[metric]


def engine_p50(scenario: Scenario, spec: FilterSpec, metric: str) -> float:
    return float(engine_stats(scenario, spec, metric)["p50"])


def test_moving_a_lever_shows_what_the_engine_returns_for_that_scenario():
    at = open_page()
    before = cards(at)["Delivered scope"]
    at.button(key="scen.add").click().run()
    at.slider(key="scen.lever.0.change").set_value(-30)
    at.multiselect(key="scen.lever.0.sectors").set_value(["Health"])
    at.run()
    assert not at.exception
    scenario = Scenario(
        levers=(Lever("budget", -30, sectors=("Health",)),),
        trials=200,
        name="Unsaved scenario",
    )
    gap = engine_p50(scenario, FilterSpec(), "funding_gap_usd")
    scope = engine_p50(scenario, FilterSpec(), "delivered_scope_share")
    shown = cards(at)
    assert shown["Funding gap"].endswith("→ " + format_money(gap, "en"))
    assert shown["Delivered scope"].endswith("→ " + format_percent(scope, "en", 1))
    assert shown["Delivered scope"] != before
    summary = at.info[0].value.replace("\\", "")  # Markdown-escaped on the page
    assert summary.startswith("Budget -30% in Health")
    assert "undelivered" in summary


def test_filters_define_the_simulated_portfolio():
    at = open_page({"sector": "Health"})
    assert "Simulating the 98 projects" in at.caption[0].value
    baseline = BASELINE.with_changes(trials=200)
    gap = engine_stats(baseline, FilterSpec(sectors=("Health",)), "funding_gap_usd")
    # No lever: the baseline alone, with its own P10-P90 over the trials (not
    # "x -> x" and a zero difference).
    card = next(m for m in at.metric if m.label == "Funding gap")
    assert card.value.replace("\\$", "$") == format_money(gap["p50"], "en")
    low, high = format_money(gap["p10"], "en"), format_money(gap["p90"], "en")
    assert card.delta.replace("\\$", "$") == f"P10–P90 {low} to {high}"
    assert gap["p10"] < gap["p90"]  # a real range, not a point
    assert any(
        c.value.startswith("Baseline: the median of 200 trials") for c in at.caption
    )


def test_url_round_trips_a_scenario_with_stacked_levers():
    scenario = Scenario(
        levers=(
            Lever("budget", -20, sectors=("Health",)),
            Lever("capacity", 15, regions=("Sub-Saharan Africa",)),
            Lever("risk", 2.0, countries=("KEN",)),
        ),
        horizon_months=60,
        trials=200,
        budget_policy="stretch",
        name="Stacked",
    )
    at = open_page({"scenario": scenario.to_token()})
    assert at.slider(key="scen.lever.1.change").value == 15
    assert at.multiselect(key="scen.lever.1.regions").value == ["Sub-Saharan Africa"]
    assert at.slider(key="scen.lever.2.change").value == 2.0
    assert at.selectbox(key="scen.policy").value == "stretch"
    assert Scenario.from_token(at.query_params["scenario"]) == scenario
    gap = engine_p50(scenario, FilterSpec(), "funding_gap_usd")
    assert cards(at)["Funding gap"].endswith("→ " + format_money(gap, "en"))


def test_an_invalid_scenario_link_shows_a_notice_and_the_baseline():
    at = open_page({"scenario": "v9.garbage<b>"})
    notices = " ".join(w.value for w in at.warning)
    assert "could not be read" in notices
    assert at.info[0].value.startswith("No lever is set")


def test_french_scenarios_page():
    at = open_page({"lang": "fr"})
    assert at.title[0].value.startswith("Et si ?")
    assert "Achèvement à temps" in cards(at)
    # The Assumptions tab: the French table, one row per calibration parameter.
    helpers.open_tab(at, SCEN_TABS, translate("scen.tab.assumptions", "fr"))
    params = next(d.value for d in at.dataframe if "Paramètre" in d.value.columns)
    assert len(params) == len(load_calibration().params)
    assert "Taux d'utilisation de la capacité (référence)" in set(params["Paramètre"])


def test_the_assumptions_tab_shows_the_out_of_sample_checks_of_each_class():
    import json

    from src.engine.calibration.validation import VALIDATION_FILE

    tab = translate("scen.tab.assumptions", "en")
    at = helpers.open_tab(open_page(), SCEN_TABS, tab)
    checks = json.loads(VALIDATION_FILE.read_text(encoding="utf-8"))["checks"]
    tables = [df.value for df in at.dataframe]
    coverage = next(t for t in tables if "Inside P10–P90" in t.columns)
    assert len(coverage) == len(checks)
    expected = [format_percent(c["inside_80"], "en", digits=1) for c in checks]
    assert coverage["Inside P10–P90"].tolist() == expected
    app = [c for c in checks if c["reading"] in ("observed", "status")]
    worst = min(c["inside_80"] for c in app)
    caveat = f"the P10–P90 bands held {format_percent(worst, 'en')} of real outcomes"
    assert any(caveat in c.value for c in at.caption)
    classes = next(t for t in tables if "Rows in this run" in t.columns)
    assert "Reported outcome (finished)" in classes["Reference class"].tolist()
    # The PIT chart: one panel per check (faceted by check).
    pit = [s for s in helpers.chart_specs(at) if "facet" in s]
    assert [s["facet"]["field"] for s in pit] == ["check"]


def test_checking_a_cut_against_the_assumptions_says_whether_it_holds():
    from src.engine.sensitivity import assumption_ranges, robustness

    scenario = Scenario(levers=(Lever("budget", -40),), trials=64, name="Cut")
    at = open_page({"scenario": scenario.to_token()})
    at.toggle(key="scen.robustness").set_value(True)
    at.run()
    assert not at.exception, at.exception
    table = next(d.value for d in at.dataframe if "Conclusion" in d.value.columns)
    df, meta = load_bundled_portfolio()
    expected = {
        r.metric: r
        for r in robustness(
            assumption_ranges(df, scenario, as_of=date.fromisoformat(meta.as_of))
        )
    }
    shown = dict(zip(table["Metric"], table["Conclusion"], strict=True))
    scope = expected["delivered_scope_share"]
    assert scope.holds
    assert shown["Delivered scope"] == "holds under every plausible assumption"
    held = {m for m, r in expected.items() if r.holds}
    assert len(table) == 5
    holds = "holds under every plausible assumption"
    shown_held = sum(v == holds for v in shown.values())
    five = {"on_time_rate", "mean_delay_months", "cost_overrun_pct"}
    five |= {"delivered_scope_share", "funding_gap_usd"}
    assert shown_held == len(held & five)


def test_improvements_are_named_and_a_lever_on_finished_projects_says_so():
    df, _ = load_bundled_portfolio()
    finished_statuses = {"Closed", "Finalisation"}
    by_country = df.groupby("country_iso3")["status"].agg(
        lambda s: set(s) <= finished_statuses
    )
    done = sorted(c for c, all_done in by_country.items() if all_done and c)
    assert done  # the bundled data has countries whose projects all ended
    country = done[0]
    n_done = int((df["country_iso3"] == country).sum())
    scenario = Scenario(
        levers=(
            Lever("capacity", 60, sectors=("Health",)),
            Lever("budget", -50, countries=(country,)),
        ),
        trials=200,
        name="Mixed",
    )
    at = open_page({"scenario": scenario.to_token()})
    assert not at.exception, at.exception
    sentence = at.info[0].value
    assert "brings forward" in sentence
    assert any(
        f"Lever 2 targets only finished projects ({n_done})" in w.value
        for w in at.warning
    )


def test_links_the_sliders_cannot_show_give_notices_not_tracebacks():
    full_cut = Scenario(levers=(Lever("budget", -100),), trials=200)
    at = open_page({"scenario": full_cut.to_token()})
    assert not at.exception, at.exception
    assert at.slider(key="scen.lever.0.change").value == -100

    odd = Scenario(levers=(Lever("capacity", -37),), trials=200)
    at = open_page({"scenario": odd.to_token()})
    assert not at.exception, at.exception
    assert at.slider(key="scen.lever.0.change").value == -35
    assert any("shown as -35" in w.value for w in at.warning)

    elsewhere = Scenario(
        levers=(Lever("budget", -20, regions=("South Asia", "Sub-Saharan Africa")),),
        trials=200,
    )
    at = open_page({"scenario": elsewhere.to_token(), "country": "KEN"})
    assert not at.exception, at.exception
    assert at.multiselect(key="scen.lever.0.regions").value == ["Sub-Saharan Africa"]
    assert any(
        "South Asia is not in the current selection" in w.value for w in at.warning
    )


def test_a_lever_on_an_agency_from_a_link_keeps_its_target():
    df, _ = load_bundled_portfolio()
    agency = sorted(df["agency"].unique())[0]
    scenario = Scenario(
        levers=(Lever("capacity", 50, agencies=(agency,)),),
        trials=200,
        name="Unsaved scenario",
    )
    at = open_page({"scenario": scenario.to_token()})
    assert not at.exception, at.exception
    assert at.multiselect(key="scen.lever.0.agencies").value == [agency]
    from src.presentation.metrics import format_metric

    metric = "median_delay_months"
    delay = engine_p50(scenario, FilterSpec(), metric)
    whole = engine_p50(
        scenario.with_changes(levers=(Lever("capacity", 50),)), FilterSpec(), metric
    )
    shown = format_metric(metric, delay, "en")
    assert shown != format_metric(metric, whole, "en")  # the target matters
    assert cards(at)["Median delay"].endswith("→ " + shown)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "en",
            "This scenario cannot be simulated: 98 rows × 200 trials is above the "
            "limit of 1,000 row-trials per run: use at most 10 trials for this "
            "selection, or a smaller selection.",
        ),
        (
            "fr",
            "Ce scénario ne peut pas être simulé : 98 lignes × 200 tirages "
            "dépassent la limite de 1 000 lignes-tirages par simulation : utilisez "
            "au plus 10 tirages pour cette sélection, ou une sélection plus petite.",
        ),
    ],
)
def test_a_run_over_the_size_limit_is_refused_with_a_message(
    monkeypatch, lang, expected
):
    from src.engine import montecarlo
    from src.widgets import cache

    monkeypatch.setattr(montecarlo, "MAX_ROW_TRIALS", 1_000)
    cache.scenario_run.clear()  # a cached run would not reach the limit
    at = helpers.open_page("pages/scenarios.py", {"sector": "Health", "lang": lang})
    assert not at.exception, at.exception
    errors = [
        e.value.replace("\\", "").replace("\u202f", " ").replace("\xa0", " ")
        for e in at.error
    ]  # Markdown-escaped; French numbers and colons use no-break spaces
    assert errors == [expected]


def test_a_run_past_the_time_limit_stops_with_a_translated_message(monkeypatch):
    monkeypatch.setenv("APP_RUN_TIMEOUT_S", "0.001")
    # A lever no other test uses (no cached result), 2,000 trials. The bundled
    # 1,029 rows take 15 blocks of 8 trials per chunk (131,072 // (1,029 × 8)),
    # so the limit is seen after the first 120 trials: about 100 fit.
    scenario = Scenario(levers=(Lever("budget", -35),), trials=2_000)
    at = open_page({"scenario": scenario.to_token(), "lang": "fr"})
    assert not at.exception, at.exception
    [error] = [e.value.replace("\\", "") for e in at.error]
    assert "La simulation a été arrêtée" in error
    assert "pour 2\u202f000 tirages" in error
    assert "au plus environ 100 tirages" in error


def test_a_rounded_link_value_is_written_in_the_pages_language():
    # "la variation 1.3 ... affichée comme 1.5": the numbers were Python's
    odd = Scenario(levers=(Lever("risk", 1.3),), trials=200)
    at = open_page({"scenario": odd.to_token(), "lang": "fr"})
    assert not at.exception, at.exception
    assert at.slider(key="scen.lever.0.change").value == 1.5
    assert any(
        "Levier 1 : la variation 1,3 du lien est affichée comme 1,5" in w.value
        for w in at.warning
    )
