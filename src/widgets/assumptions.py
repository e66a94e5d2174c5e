"""The Assumptions table: every model parameter in words, in the UI language.

A pure builder (no Streamlit): `build_assumptions_table(params, lang)` turns the
calibration file's parameters into one row per parameter with a readable label,
the value (per sector group where it varies), unit, plausible range, description
and source, all translated. Citations and author names are kept as written;
only the recurring fixed phrases of the sources are translated.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any

import pandas as pd

from src.i18n import format_number, translate

POOLED = "pooled"  # the per-group parameters' value for groups without records

# Fixed phrases of the calibration file's sources and their catalog keys. They are
# replaced longest first in one pass, so "bounded by literature:" is not read as
# "literature:", and a translated phrase is never translated again.
SOURCE_PHRASES: dict[str, str] = {
    "assumption (no published value found; tunable, shown as such in the UI)": (
        "source.assumption_tunable"
    ),
    "assumption, evidence weak": "source.assumption_weak",
    "assumption informed by": "source.assumption_informed_by",
    "IED AER 2024 success-rates database, sovereign projects approved 1991-2008": (
        "source.adb_database"
    ),
    "ADB fit:": "source.adb_fit",
    "bounded by literature:": "source.bounded_by_literature",
    "literature:": "source.literature",
    "research note": "source.research_note",
    "suggests a third to a half": "source.third_to_half",
    "model convention": "source.model_convention",
    "reporting convention": "source.reporting_convention",
    "WGI definition (standardised, mean 0)": "source.wgi_definition",
    "INFORM 2020 median": "source.inform_median",
    "Kingman G/G/1 approximation": "source.kingman",
    "Brooks's law": "source.brooks_law",
    "(utilisation knee 0.7-0.8)": "source.utilisation_knee",
    "(+5 pp cost per extra year)": "source.cost_per_year",
    "(3-6 months)": "source.three_to_six_months",
    "(country characteristics explain 10-25% of outcomes)": "source.country_share",
    "(fat cost tails in large transport, dams and power)": "source.fat_tails",
    " and ": "source.and",
}
_PHRASE = re.compile(
    "|".join(re.escape(p) for p in sorted(SOURCE_PHRASES, key=len, reverse=True))
)

COLUMNS = (
    "scen.param",
    "scen.value",
    "scen.unit",
    "scen.plausible_range",
    "scen.range_source",
    "scen.description",
    "scen.source",
)


def translate_source(text: str, lang: str) -> str:
    """A source with its fixed phrases in `lang`; citations are kept as written.

    >>> translate_source("ADB fit: IED (x.csv)", "fr")
    'Ajustement BAsD : IED (x.csv)'
    """
    return _PHRASE.sub(lambda m: translate(SOURCE_PHRASES[m.group(0)], lang), text)


def format_value(value: float, lang: str) -> str:
    """A parameter value to three significant digits, without trailing zeros.

    >>> format_value(0.333333, "fr"), format_value(10.0, "en")
    ('0,333', '10')
    """
    if value == 0:
        return format_number(0, lang)
    most = min(4, max(0, 2 - math.floor(math.log10(abs(value)))))
    rounded = round(value, most)
    digits = next(d for d in range(most + 1) if round(value, d) == rounded)
    return format_number(rounded, lang, digits)


def _value_cell(value: float | Mapping[str, float], lang: str) -> str:
    if not isinstance(value, Mapping):
        return format_value(value, lang)
    # Sector groups first, in the file's order, then the pooled value.
    order = [g for g in value if g != POOLED] + [g for g in value if g == POOLED]
    return "; ".join(
        translate(
            "scen.group_value",
            lang,
            group=translate("scen.pooled" if g == POOLED else "sector." + g, lang),
            value=format_value(value[g], lang),
        )
        for g in order
    )


def _range_cell(spec: Mapping[str, Any], lang: str) -> str:
    if "low" not in spec or "high" not in spec:
        return ""
    return translate(
        "scen.range_low_high",
        lang,
        low=format_value(spec["low"], lang),
        high=format_value(spec["high"], lang),
    )


def build_assumptions_table(
    params: Mapping[str, Mapping[str, Any]], lang: str
) -> pd.DataFrame:
    """One row per parameter, columns headed in `lang`.

    Returns:
        DataFrame with the translated headings of `COLUMNS`: readable label,
        value (``"Health: 0.1; …"`` for per-group values), unit, plausible range
        (``"0.7 – 0.9"``, empty where the file gives none) and the range's basis,
        description and source.
    """
    headings = [translate(c, lang) for c in COLUMNS]
    rows = []
    for name, spec in params.items():
        range_basis = ""
        if "range_source" in spec:
            range_basis = translate("param_range_source." + name, lang)
        cells = (
            translate("param." + name, lang),
            _value_cell(spec["value"], lang),
            translate("param_unit." + spec["unit"], lang),
            _range_cell(spec, lang),
            range_basis,
            translate("param_desc." + name, lang),
            translate_source(spec["source"], lang),
        )
        rows.append(cells)
    return pd.DataFrame(rows, columns=headings)
