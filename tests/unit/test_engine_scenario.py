"""Scenario object: validation, JSON and token round-trips, immutability."""

from __future__ import annotations

import dataclasses

import pytest

from src.engine.scenario import BASELINE, Lever, Scenario


def _scenario() -> Scenario:
    return BASELINE.with_changes(
        name="Cut health, add Sahel capacity",
        budget_policy="stretch",
        levers=(
            Lever("budget", -20, sectors=("Health",), regions=("Sub-Saharan Africa",)),
            Lever("capacity", 15, countries=("mli", "NER")),
            Lever("risk", 1.5, countries=("BFA",)),
        ),
    )


def test_json_round_trip_gives_an_equal_scenario():
    s = _scenario()
    assert Scenario.from_json(s.to_json()) == s
    assert Scenario.from_dict(s.to_dict()) == s


def test_token_round_trip_and_prefix():
    s = _scenario()
    token = s.to_token()
    assert token.startswith("v1.")
    assert not set("=+/") & set(token)
    assert Scenario.from_token(token) == s


def test_countries_are_upper_cased():
    assert _scenario().levers[1].countries == ("MLI", "NER")


def test_with_changes_never_mutates_the_baseline():
    s = BASELINE.with_changes(trials=10)
    assert (s.trials, BASELINE.trials) == (10, 1000)
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASELINE.trials = 5  # type: ignore[misc]


@pytest.mark.parametrize(
    ("lever", "message"),
    [
        (
            Lever("budget", -150, sectors=("Health",)),
            r"lever 1 \(budget, Health\): change -150% is below -100%",
        ),
        (
            Lever("capacity", 250),
            r"lever 1 \(capacity, whole portfolio\): change 250% is above 200%",
        ),
        (
            Lever("risk", -1, countries=("MLI",)),
            r"lever 1 \(risk, MLI\).*below 0 INFORM points",
        ),
        (Lever("risk", 6), r"above 5 INFORM points"),
        (Lever("staff", 5), r"kind 'staff' is not one of"),
        (Lever("budget", float("nan")), r"finite number"),
    ],
)
def test_invalid_lever_is_rejected_with_a_message_naming_it(lever, message):
    with pytest.raises(ValueError, match=message):
        Scenario(levers=(lever,))


def test_second_lever_is_named_by_its_position():
    with pytest.raises(ValueError, match=r"lever 2 \(budget, Health\)"):
        Scenario(levers=(Lever("budget", 10), Lever("budget", -101, sectors="Health")))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"budget_policy": "freeze"}, "budget_policy"),
        ({"horizon_months": 6}, "horizon_months"),
        ({"trials": 0}, "trials"),
        ({"seed": -1}, "seed"),
        ({"version": 0}, "schema version"),
    ],
)
def test_invalid_settings_are_rejected(changes, message):
    with pytest.raises(ValueError, match=message):
        BASELINE.with_changes(**changes)


@pytest.mark.parametrize(
    ("token", "message"),
    [
        ("v0.eyJ9", "unsupported scenario token version 'v0'"),
        ("v1.!!!!", "not base64url JSON"),
        ("garbage", "invalid scenario token"),
        ("v1.eyJ0cmlhbHMiOjB9", "trials 0"),  # {"trials":0}
    ],
)
def test_bad_tokens_raise_a_clear_value_error(token, message):
    with pytest.raises(ValueError, match=message):
        Scenario.from_token(token)


def test_unknown_fields_are_rejected():
    with pytest.raises(ValueError, match="unknown field"):
        Scenario.from_dict({"levers": [], "colour": "red"})
    with pytest.raises(ValueError, match="unknown field"):
        Scenario.from_dict({"levers": [{"kind": "budget", "change": 1, "x": 1}]})
    with pytest.raises(ValueError, match="not valid JSON"):
        Scenario.from_json("{")


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"sector": ["Health"]}, "unknown field"),
        ({"sectors": "Health"}, "must be a list"),
        ({"years": [2020]}, "needs two numbers"),
        ({"budget": ["a", "b"]}, "needs two numbers"),
    ],
)
def test_bad_saved_filters_are_refused_with_the_field_named(filters, message):
    with pytest.raises(ValueError, match=message):
        BASELINE.with_changes(filters=filters)


def test_saved_filters_round_trip_and_do_not_change_the_run():
    from src.portfolio.filters import FilterSpec

    spec = FilterSpec(sectors=("Health",), years=(2020, 2021), budget=(0.0, 5e6))
    s = BASELINE.with_changes(filters=spec.to_dict())
    back = Scenario.from_json(s.to_json())
    assert FilterSpec.from_dict(back.filters) == spec
    assert back == BASELINE  # the selection is metadata, not a model setting


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Scenario.from_json("[" * 9 + "]" * 9), "nested 9 levels deep"),
        (lambda: Scenario.from_json("[" * 15000), "nested 15000 levels deep"),
        (lambda: Scenario.from_json(" " * 20_001), "20,001 characters long"),
        (
            lambda: Scenario(levers=tuple(Lever("budget", -1) for _ in range(21))),
            "21 levers; at most 20",
        ),
        (
            lambda: Lever("budget", -10, sectors=("Roads",)).validate(1),
            "unknown sector",
        ),
        (lambda: Lever("risk", 1, countries=("Kenya",)).validate(1), "alpha-3"),
        (
            lambda: Lever(
                "budget", -10, countries=[f"C{i:02d}" for i in range(301)]
            ).validate(1),
            "301 targets; at most 300",
        ),
    ],
)
def test_oversized_or_unknown_scenarios_are_refused_before_any_work(make, message):
    with pytest.raises(ValueError, match=message):
        make()


def test_a_15000_deep_link_is_refused_without_recursion():
    import base64

    body = base64.urlsafe_b64encode(("[" * 15000).encode()).decode().rstrip("=")
    with pytest.raises(ValueError, match="too deep|characters long|nested"):
        Scenario.from_token("v1." + body)


def test_a_lever_on_a_target_no_row_has_is_refused_naming_it(tiny_portfolio):
    from datetime import date

    from src.engine.levers import TargetMissingError
    from src.engine.montecarlo import run
    from src.engine.scenario import Lever, Scenario

    scenario = Scenario(
        levers=(
            Lever("capacity", 10, sectors=("Health",)),
            Lever("budget", -10, sectors=("Health", "Energy"), countries=("ATA",)),
        ),
        trials=20,
    )
    with pytest.raises(TargetMissingError) as caught:
        run(tiny_portfolio, scenario, as_of=date(2021, 6, 1))
    assert caught.value.lever == 2
    assert caught.value.missing == {"sectors": ["Energy"], "countries": ["ATA"]}
    assert "lever 2 targets" in str(caught.value)
