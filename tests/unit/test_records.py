"""Saved records (scenario, lever, filters) refuse bad JSON with what is wrong."""

from __future__ import annotations

import re

import pytest

from src.engine.scenario import Scenario
from src.portfolio.filters import FilterSpec

CASES = [
    (Scenario.from_dict, [1], "scenario must be a JSON object, got list"),
    (Scenario.from_dict, {"colour": "red"}, "unknown field(s) in scenario: ['colour']"),
    (Scenario.from_dict, {"levers": [5]}, "lever must be a JSON object, got int"),
    (
        Scenario.from_dict,
        {"levers": [{"kind": "budget", "change": 1, "x": 1, "a": 2}]},
        "unknown field(s) in lever: ['a', 'x']",
    ),
    (FilterSpec.from_dict, "Health", "filters must be a JSON object, got str"),
    (FilterSpec.from_dict, {"sector": []}, "unknown field(s) in filters: ['sector']"),
    (FilterSpec.from_dict, {"query": ["x"]}, "filter 'query' must be text, got ['x']"),
    (
        FilterSpec.from_dict,
        {"humanitarian": "yes"},
        "filter 'humanitarian' must be true or false, got 'yes'",
    ),
]


@pytest.mark.parametrize(("reader", "data", "message"), CASES)
def test_a_bad_record_is_refused_with_what_is_wrong(reader, data, message):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$"):
        reader(data)


def test_the_one_value_filters_keep_their_values():
    spec = FilterSpec.from_dict({"query": "école", "humanitarian": False})
    assert (spec.query, spec.humanitarian) == ("école", False)
