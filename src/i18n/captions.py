"""A filter selection in words, in one language (app caption, CSV, briefing)."""

from __future__ import annotations

import pandas as pd

from src.i18n import country_name, format_money, translate
from src.portfolio import schema as S
from src.portfolio.filters import FilterSpec

# Budget upper bounds at or above this mean "no limit" (the sidebar's last step).
NO_LIMIT = 1e12


def country_label(iso3: str, df: pd.DataFrame, lang: str) -> str:
    """A country's name in `lang` (from its ISO2 code in the table), else ISO3."""
    rows = df.loc[df[S.COL_COUNTRY] == iso3]
    if rows.empty:
        return iso3
    first = rows.iloc[0]
    return country_name(str(first[S.COL_COUNTRY_ISO2] or ""), iso3, lang) or iso3


def describe_filters(spec: FilterSpec, df: pd.DataFrame, lang: str) -> str:
    """The selection in words in `lang` ("whole portfolio" when unrestricted).

    >>> describe_filters(FilterSpec(sectors=("Health",)), pd.DataFrame(), "fr")
    'Secteur: Santé'
    """
    parts = []
    for label, values, prefix in (
        ("filters.sector", spec.sectors, "sector."),
        ("filters.risk", spec.risks, "risk."),
        ("filters.region", spec.regions, "region."),
        ("filters.country", spec.countries, ""),
        ("filters.agency", spec.agencies, ""),
        ("filters.status", spec.statuses, "status."),
    ):
        if not values:
            continue
        if label == "filters.country":
            shown = [country_label(v, df, lang) for v in values]
        else:
            shown = [translate(prefix + v, lang) if prefix else v for v in values]
        parts.append(f"{translate(label, lang)}: {', '.join(shown)}")
    if spec.years:
        years = f"{spec.years[0]}–{spec.years[1]}"
        parts.append(f"{translate('filters.years', lang)}: {years}")
    if spec.budget:
        low = format_money(spec.budget[0], lang)
        high = (
            translate("filters.no_limit", lang)
            if spec.budget[1] >= NO_LIMIT
            else format_money(spec.budget[1], lang)
        )
        parts.append(f"{translate('filters.budget', lang)}: {low}–{high}")
    return "; ".join(parts) or translate("filters.none", lang)
