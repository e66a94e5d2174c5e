"""Text helpers for slides: safe, single-spaced, truncated with an ellipsis."""

from __future__ import annotations

import re

import pandas as pd

from src.i18n import country_name, format_money, translate
from src.portfolio import schema as S
from src.portfolio.filters import FilterSpec

ELLIPSIS = "…"
# Characters XML 1.0 (pptx) cannot hold, and other invisible controls.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
# Breaking whitespace only: no-break spaces (Babel's French "1 234") are kept.
_SPACE = re.compile(r"[ \t\r\n\f\v\u1680\u2000-\u200a\u2028\u2029\u205f\u3000]+")


def clean(text: object) -> str:
    r"""Plain one-line text: control characters dropped, whitespace collapsed.

    Markup such as ``<script>`` is kept as literal characters: both writers put
    text into text runs, never into markup.

    >>> clean("a\x00 <b>\n b")
    'a <b> b'
    """
    return _SPACE.sub(" ", _CONTROL.sub("", str(text))).strip()


def truncate(text: object, limit: int) -> str:
    """`clean(text)` cut to at most `limit` characters, ending with "…" if cut.

    Cuts at the last space in the final fifth when there is one, so words stay
    whole.

    >>> truncate("Water and sanitation in schools", 24)
    'Water and sanitation…'
    >>> truncate("short", 20)
    'short'
    """
    if limit < 2:
        msg = f"limit must be at least 2, got {limit}"
        raise ValueError(msg)
    text = clean(text)
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    space = cut.rfind(" ")
    if space >= int(0.8 * (limit - 1)):
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + ELLIPSIS


def country_label(iso3: str, df: pd.DataFrame, lang: str) -> str:
    """A country's name in `lang` (from its ISO2 code in the table), else ISO3."""
    rows = df.loc[df[S.COL_COUNTRY] == iso3]
    if rows.empty:
        return iso3
    first = rows.iloc[0]
    return country_name(str(first[S.COL_COUNTRY_ISO2] or ""), iso3, lang) or iso3


def describe_filters(spec: FilterSpec, df: pd.DataFrame, lang: str) -> str:
    """The selection in words in `lang` ("whole portfolio" when unrestricted).

    Same wording as the app's caption (src.widgets.filters.describe), without
    the UI session.
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
        low, high = (format_money(v, lang) for v in spec.budget)
        parts.append(f"{translate('filters.budget', lang)}: {low}–{high}")
    return "; ".join(parts) or translate("brief.whole_portfolio", lang)
