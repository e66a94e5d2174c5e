"""AppTest of the continuity section (Coordination page) and the Country summary."""

from __future__ import annotations

import re
from datetime import date

import pytest

from src.engine.scenario import Scenario
from src.i18n import format_money, format_percent, translate
from src.portfolio import continuity as C
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from tests.pages import helpers


def _bgd():
    df, meta = load_bundled_portfolio()
    rows = df[df["country_iso3"] == "BGD"]
    return rows, load_bundled_side_tables().budgets, date.fromisoformat(meta.as_of)


def test_the_continuity_section_shows_the_cliff_in_three_languages(coordination_bgd):
    lang, at = coordination_bgd
    rows, budgets, as_of = _bgd()
    cliff = C.cliff(rows, budgets, as_of).set_index("months")
    metrics = {m.label: m.value for m in at.metric}
    for months in (12, 24, 36):
        label = translate("cont.cliff", lang, months=months)
        shown = format_money(cliff.loc[months, "budget_usd"], lang)
        assert metrics[label] == shown.replace("$", r"\$")
    assert translate("cont.title", lang) in [h.value for h in at.header]
    # the runway Gantt lists the running projects ending soonest (at most 40)
    runway = C.runway(rows, budgets, as_of)
    gantt = [
        s
        for s in helpers.chart_specs(at)
        if any("x2" in layer.get("encoding", {}) for layer in s.get("layer", []))
    ]
    (spec,) = gantt
    bars = next(layer for layer in spec["layer"] if "x2" in layer["encoding"])
    shown = bars["encoding"]["y"]["sort"]  # the bars' order: by planned end
    titles = runway["title"].head(40).tolist()
    # rows are named by the project's title (cut, repeats numbered), in order
    assert len(shown) == len(titles) == len(set(shown))
    for label, title in zip(shown, titles, strict=True):
        assert title.startswith(re.sub(r" \(\d+\)$", "", label).rstrip("…"))
    assert bars["encoding"]["y"]["field"] == "row"
    assert spec["height"] == {"step": 20}  # every title shown, none hidden
    assert bars["encoding"]["y"]["axis"]["labelOverlap"] is False
    buttons = [b.label for b in at.button]
    n = len(C.cliff_rows(rows, budgets, as_of, 12))
    assert translate("cont.scenario_end", lang, n=n) in buttons


def test_the_cliff_button_opens_the_scenario_with_the_cliffs_projects():
    at = helpers.open_page("pages/coordination.py", {"c": "BGD"})
    at.button(key="cont.scenario.end").click().run()
    assert not at.exception, at.exception
    rows, budgets, as_of = _bgd()
    ids = sorted(set(C.cliff_rows(rows, budgets, as_of, 12)["project_id"]))
    scenario = Scenario.from_token(at.query_params["scenario"])
    (lever,) = scenario.levers
    assert (lever.kind, lever.change) == ("end", 0.0)
    assert sorted(lever.projects) == ids
    assert at.session_state["scen.lever.0.kind"] == "end"
    assert at.session_state["scen.lever.0.projects"] == ids
    assert translate("scen.projects_target", "en", n=len(ids)) in [
        c.value for c in at.caption
    ]


def test_the_country_page_shows_coordination_and_the_cliff():
    at = helpers.open_page("pages/country.py", {"c": "BGD"})
    rows, budgets, as_of = _bgd()
    cliff = C.cliff(rows, budgets, as_of).set_index("months")
    metrics = {m.label: m.value for m in at.metric}
    label = translate("cont.cliff", "en", months=12)
    assert metrics[label] == format_money(cliff.loc[12, "budget_usd"], "en").replace(
        "$", r"\$"
    )
    assert metrics["Actors"] == str(rows["agency"].nunique())
    # By the OECD rule, worked by hand from the Bangladesh shares: IOM (77 %)
    # and WHO (19 %) give 90 % of its aid; FAO's share there (3.7 %) is above
    # its share of all aid (2.1 %); UNDP and UNICEF are neither: 2 of 5.
    assert metrics["Non-significant relations (share)"] == "40%"
    by_actor = rows.groupby("agency")["budget_usd"].sum()
    ns = by_actor[by_actor.index.str.contains("Development Programme|UNICEF")]
    assert len(ns) == 2
    share = format_percent(ns.sum() / by_actor.sum(), "en")
    assert metrics["Non-significant money (share)"] == share
    assert [b.label for b in at.get("download_button")]


def test_the_country_pages_link_opens_coordination_on_the_same_country_and_language():
    # a new tab opened from the link showed the first country, in English
    at = helpers.open_page("pages/country.py", {"c": "BGD", "lang": "fr"})
    (link,) = [p.proto for p in at.get("page_link") if p.proto.page == "coordination"]
    assert link.label == translate("country.coord_link", "fr")
    assert sorted(link.query_string.split("&")) == ["c=BGD", "lang=fr"]


def test_a_link_whose_projects_are_not_in_the_selection_drops_the_lever():
    from src.engine.scenario import Lever

    token = Scenario(levers=(Lever("end", 0, projects=("no-such-id",)),)).to_token()
    at = helpers.open_page("pages/scenarios.py", {"scenario": token})
    warnings = " ".join(w.value for w in at.warning)
    assert "no\\-such\\-id" in warnings  # escaped, named, and left out
    # the lever would otherwise close every project: it is removed instead
    assert Scenario.from_token(at.query_params["scenario"]).levers == ()


def test_the_cliff_horizon_comes_from_the_link_and_goes_into_it():
    at = helpers.open_page("pages/coordination.py", {"c": "BGD", "cliff": "24"})
    rows, budgets, as_of = _bgd()
    ids = sorted(set(C.cliff_rows(rows, budgets, as_of, 24)["project_id"]))
    n12 = len(set(C.cliff_rows(rows, budgets, as_of, 12)["project_id"]))
    assert len(ids) != n12  # Bangladesh: 28 projects within 24 months, 26 in 12
    labels = [b.label for b in at.button]
    assert translate("cont.scenario_end", "en", n=len(ids)) in labels
    assert at.query_params["cliff"] == "24"
    at.button(key="cont.scenario.end").click().run()
    (lever,) = Scenario.from_token(at.query_params["scenario"]).levers
    assert sorted(lever.projects) == ids


def test_a_cliff_horizon_the_page_does_not_offer_is_named_and_ignored():
    at = helpers.open_page("pages/coordination.py", {"c": "BGD", "cliff": "7"})
    warnings = " ".join(w.value for w in at.warning)
    assert "**7**" in warnings
    assert "cliff" in warnings
    rows, budgets, as_of = _bgd()
    n = len(set(C.cliff_rows(rows, budgets, as_of, 12)["project_id"]))
    assert translate("cont.scenario_end", "en", n=n) in [b.label for b in at.button]
    assert "cliff" not in at.query_params  # the default is not written


def _engine_p50(scenario: Scenario, rows, metric: str) -> float:
    from src.engine.montecarlo import run

    df, meta = load_bundled_portfolio()
    result = run(
        rows.reset_index(drop=True), scenario, as_of=date.fromisoformat(meta.as_of)
    )
    return result.headline(metric)


@pytest.mark.parametrize(
    ("button", "kind", "change"),
    [("cont.scenario.end", "end", 0.0), ("cont.scenario.extend", "extend", 12.0)],
)
def test_the_cliff_levers_result_is_the_engines_on_the_countrys_projects(
    button, kind, change
):
    from src.engine.scenario import Lever

    at = helpers.open_page("pages/coordination.py", {"c": "BGD"})
    at.button(key=button).click().run()
    assert not at.exception, at.exception
    rows, budgets, as_of = _bgd()
    # the Scenarios page simulates Bangladesh, not the whole portfolio
    assert at.query_params["country"] == "BGD"
    assert f"Simulating the {rows['project_id'].nunique()} projects" in (
        at.caption[0].value
    )
    ids = tuple(sorted(set(C.cliff_rows(rows, budgets, as_of, 12)["project_id"])))
    by_hand = Scenario(levers=(Lever(kind, change, projects=ids),), trials=200)
    scope = _engine_p50(by_hand, rows, "delivered_scope_share")
    gap = _engine_p50(by_hand, rows, "funding_gap_usd")
    shown = {m.label: m.value.replace("\\$", "$") for m in at.metric}
    assert shown["Delivered scope"].endswith("→ " + format_percent(scope, "en", 1))
    assert shown["Funding gap"].endswith("→ " + format_money(gap, "en"))
    # an end without successor reads as "on time": the page says how to read it
    warned = translate("scen.end_reading", "en") in [w.value for w in at.warning]
    assert warned == (kind == "end")
