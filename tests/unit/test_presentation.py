"""One presentation layer: metric formats, palettes, map classes, chart locale."""

from __future__ import annotations

import math

import pandas as pd
import pytest
import vl_convert as vlc

from src.briefing import charts as briefing_charts
from src.briefing import scenarios as briefing_scenarios
from src.portfolio import schema as S
from src.presentation import metrics as presentation_metrics
from src.presentation.bins import (
    CHANGE,
    class_labels,
    class_of,
    legend,
    map_bins,
)
from src.presentation.chart_locale import d3_number_locale, vega_locale
from src.presentation.metrics import METRIC_KINDS, format_metric
from src.presentation.palettes import DIVERGING, ORDERED, SEQUENTIAL

NNBSP, NBSP = "\u202f", "\xa0"


@pytest.mark.parametrize(
    ("metric", "value", "lang", "delta", "expected"),
    [
        ("on_time_rate", 0.0806, "en", False, "8.1%"),
        ("on_time_rate", 0.0194, "en", True, "+1.9 pp"),
        ("on_time_rate", 0.0, "en", True, "0.0 pp"),
        ("delivered_scope_share", 0.5, "fr", False, f"50,0{NBSP}%"),
        ("delivered_scope_share", -0.031, "fr", True, "-3,1 pts"),
        # A cost overrun is a percentage: its change is in points, not per cent.
        ("cost_overrun_pct", 12.5, "en", False, "12.5%"),
        ("cost_overrun_pct", 2.0, "en", True, "+2.0 pp"),
        ("cost_overrun_pct", 2.0, "fr", True, "+2,0 pts"),
        ("cost_overrun_pct", 2.0, "es", True, "+2,0 pp"),
        ("cost_overrun_pct", -0.5, "en", True, "-0.5 pp"),
        ("median_delay_months", 3.26, "en", False, "3.3 months"),
        ("mean_delay_months", -1.5, "en", True, "-1.5 months"),
        ("mean_delay_months", 1.5, "es", True, "+1,5 meses"),
        ("funding_gap_usd", 1.5e8, "en", True, "+US$150.0M"),
        ("funding_gap_usd", -4.6e7, "en", True, "-US$46.0M"),
        ("funding_gap_usd", 2.3e8, "es", False, "230,0 M US$"),
        ("delivered_value_usd", 12_300.0, "en", False, "US$12.3K"),
        ("delivered_value_usd", 1_234.5e6, "fr", False, f"1{NNBSP}234,5 M$US"),
        ("on_time_rate", math.nan, "en", False, "–"),
    ],
)
def test_format_metric_table(metric, value, lang, delta, expected):
    assert format_metric(metric, value, lang, delta=delta) == expected


def test_format_metric_refuses_unknown_metrics_and_swapped_arguments():
    with pytest.raises(ValueError, match="unknown metric 'speed'"):
        format_metric("speed", 1.0, "en")
    with pytest.raises(ValueError, match="unknown metric 0.5"):
        format_metric(0.5, "on_time_rate", "en")  # type: ignore[arg-type]


def test_app_and_deck_format_metrics_with_the_same_function():
    from src.widgets import scenario_results

    assert scenario_results.format_metric is presentation_metrics.format_metric
    assert briefing_scenarios.format_metric is presentation_metrics.format_metric
    assert set(METRIC_KINDS) == {
        "on_time_rate",
        "mean_delay_months",
        "median_delay_months",
        "cost_overrun_pct",
        "delivered_scope_share",
        "delivered_value_usd",
        "funding_gap_usd",
    }


@pytest.mark.parametrize(
    ("values", "metric", "bounds", "colors"),
    [
        (
            [1.0, 2.0, 3.0, 4.0, 5.0, 6.0],
            "budget",
            [2.0, 3.0, 4.0, 5.0],
            list(SEQUENTIAL),
        ),
        ([7.0, 7.0, math.nan], "projects", [7.0], list(SEQUENTIAL[3:])),
        ([math.nan], "budget", [], [SEQUENTIAL[4]]),
        ([1.0], "risk", [2.0, 3.5, 5.0, 6.5], list(ORDERED)),
        ([1.0], "capacity", [20.0, 40.0, 60.0, 80.0], list(ORDERED[::-1])),
        ([3.0, -2.0], CHANGE, [-1.5, -0.25, 0.25, 1.5], list(DIVERGING)),
        ([0.1], CHANGE, [-0.25, -0.25, 0.25, 0.25], list(DIVERGING)),
    ],
)
def test_map_bins_table(values, metric, bounds, colors):
    assert map_bins(pd.Series(values), metric) == (bounds, colors)


def test_map_bins_refuse_unknown_metrics():
    with pytest.raises(ValueError, match="unknown map metric"):
        map_bins(pd.Series([1.0]), "colour")


@pytest.mark.parametrize(
    ("value", "bounds", "expected"),
    [
        (1.0, [2.0, 3.5], 0),
        (2.0, [2.0, 3.5], 1),  # a limit belongs to the class above it
        (9.0, [2.0, 3.5], 2),
        (5.0, [], 0),
        (math.nan, [2.0], None),
        (None, [2.0], None),
    ],
)
def test_class_of_table(value, bounds, expected):
    assert class_of(value, bounds) == expected


@pytest.mark.parametrize(
    ("metric", "bounds", "lang", "expected"),
    [
        (
            "budget",
            [1e6, 2.5e6],
            "en",
            ["< US$1.0M", "US$1.0M – US$2.5M", "≥ US$2.5M"],
        ),
        (
            "capacity",
            [20.0, 40.0],
            "en",
            ["< 20%", "20% – 40%", "≥ 40%"],
        ),
        ("risk", [2.0, 3.5], "es", ["< 2,0", "2,0 – 3,5", "≥ 3,5"]),
        ("budget", [], "fr", ["pas de données"]),
    ],
)
def test_class_labels_table(metric, bounds, lang, expected):
    assert class_labels(metric, bounds, lang) == expected


def test_legend_ends_with_the_grey_entry_worded_for_the_metric():
    items = legend("risk", [2.0], [(1, 1, 1), (2, 2, 2)], "en")
    assert items == [
        ((1, 1, 1), "< 2.0"),
        ((2, 2, 2), "≥ 2.0"),
        ((217, 217, 217), "No project in the selection, or score not published"),
    ]
    assert legend("actors", [2.0], [(1, 1, 1), (2, 2, 2)], "fr")[-1] == (
        (217, 217, 217),
        "Aucun projet dans la sélection",
    )


def test_briefing_colours_are_the_map_colours_as_hex():
    assert briefing_charts.RISK_HEX == {
        "Low": "#fed976",
        "Medium": "#fd8d3c",
        "High": "#e31a1c",
        "Very high": "#800026",
    }


def test_briefing_map_uses_the_app_map_classes_and_labels(tiny_portfolio):
    from src.portfolio.summary import by_country
    from src.widgets.map_deck import build_portfolio_deck

    table = by_country(tiny_portfolio)
    spec = briefing_charts.map_spec(table, lang="fr", title="Budget")
    # The slide has no project dots: compare with the app's map without them
    # (with dots on top the app mutes the country colours).
    no_dots = tiny_portfolio.assign(**{S.COL_LAT: math.nan, S.COL_LON: math.nan})
    _, app_legend = build_portfolio_deck(table, no_dots, metric="budget", lang="fr")
    scale = spec["layer"][1]["encoding"]["color"]["scale"]
    assert scale["domain"] == [label for _, label in app_legend]
    assert scale["range"] == [
        "#{:02x}{:02x}{:02x}".format(*rgb) for rgb, _ in app_legend
    ]
    bins = [f["properties"]["bin"] for f in spec["datasets"]["countries"]]
    assert bins.count(app_legend[-1][1]) == 242 - 3  # three countries with projects


@pytest.mark.parametrize(
    ("lang", "decimal", "thousands"),
    [("en", ".", ","), ("fr", ",", NNBSP), ("es", ",", ".")],
)
def test_chart_number_locale_per_language(lang, decimal, thousands):
    expected = {
        "decimal": decimal,
        "thousands": thousands,
        "grouping": [3],
        "currency": ["", ""],
    }
    assert d3_number_locale(lang) == expected
    assert vega_locale(lang)["number"] == expected


@pytest.mark.parametrize(
    ("lang", "october", "oct", "sunday"),
    [
        ("en", "October", "Oct", "Sunday"),
        ("fr", "octobre", "oct.", "dimanche"),
        ("es", "octubre", "oct", "domingo"),
    ],
)
def test_chart_time_locale_names_months_and_days_in_the_language(
    lang, october, oct, sunday
):
    # a time axis said "October" and "April" on the French page
    time = vega_locale(lang)["time"]
    assert len(time["months"]) == len(time["shortMonths"]) == 12
    assert time["months"][9] == october
    assert time["shortMonths"][9] == oct
    assert time["days"][0] == sunday  # d3 weeks start on Sunday


TEXT_SPEC = {
    "data": {"values": [{"v": 1234567.5}]},
    "mark": {"type": "text", "fontSize": 30},
    "encoding": {"text": {"field": "v", "type": "quantitative", "format": ",.1f"}},
    "width": 300,
    "height": 60,
}


@pytest.mark.parametrize(("lang", "d3_name"), [("en", "en-US"), ("es", "es-ES")])
def test_briefing_charts_use_the_language_number_format(lang, d3_name):
    # Compared with d3's own locale of that name, which vl-convert ships.
    spec = {**TEXT_SPEC, "config": briefing_charts._CONFIG}
    reference = vlc.vegalite_to_png(spec, scale=2, format_locale=d3_name)
    assert briefing_charts.render_png(TEXT_SPEC, lang) == reference


def test_spanish_briefing_charts_no_longer_use_english_numbers():
    english = briefing_charts.render_png(TEXT_SPEC, "en")
    assert briefing_charts.render_png(TEXT_SPEC, "es") != english
