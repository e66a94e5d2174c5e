"""The pack's coordination slide: who works where, and what ends without successor.

Figures come from `src.portfolio.coordination` and `src.portfolio.continuity`
(the functions the Coordination page and the CLI call), formatted with
src.i18n. Returned as plain text so `pack` wraps them in its Slide and Table.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pandas as pd

from src.briefing.text import truncate
from src.i18n import format_money, format_number, format_percent, translate
from src.portfolio import continuity
from src.portfolio import coordination as C
from src.portfolio import schema as S
from src.portfolio.activity_tables import budget_table
from src.portfolio.filters import FilterSpec, country_label

TOP_COUNTRIES = 12


def cliff_content(
    sel: pd.DataFrame,
    budgets: pd.DataFrame,
    *,
    as_of: str,
    lang: str,
    bundled: bool = True,
) -> tuple[tuple[tuple[str, str], ...], tuple[str, ...]]:
    """(KPI cards, notes) of the funding-cliff slide.

    Cards: the cliff at 12, 24 and 36 months, the projects on the 12-month
    cliff, the multi-year share and the forward visibility of this year's
    budget in each of the next three years. Notes: each horizon in words, and
    what the extract cannot show.
    """

    def t(key: str, **kw: object) -> str:
        return translate(key, lang, **kw)

    when = date.fromisoformat(as_of)
    cliff = continuity.cliff(sel, budgets, when)
    cards = [
        (t("cont.cliff", months=r.months), format_money(r.budget_usd, lang))
        for r in cliff.itertuples(index=False)
    ]
    cards.append(
        (t("brief.coord_projects"), format_number(int(cliff["projects"].iloc[0]), lang))
    )
    cards.append(
        (
            t("cont.multi_year"),
            format_percent(continuity.multi_year(sel)["share_budget"], lang),
        )
    )
    cards += [
        (t("cont.visible", year=r.year, base=when.year), format_percent(r.share, lang))
        for r in continuity.forward_visibility(sel, budgets, when).itertuples()
    ]
    notes = [
        t(
            "brief.coord_cliff",
            months=t("cont.months", months=r.months),
            budget=format_money(r.budget_usd, lang),
            projects=r.projects,
            share=format_percent(r.share_of_active_budget, lang),
        )
        for r in cliff.itertuples(index=False)
    ]
    if budgets.empty:
        notes.append(t("cont.no_budget_periods"))
    notes.append(t("brief.coord_limits" if bundled else "brief.coord_limits_import"))
    return tuple(cards), tuple(notes)


def coordination_content(
    sel: pd.DataFrame,
    reference: pd.DataFrame,
    budgets: pd.DataFrame,
    *,
    as_of: str,
    lang: str,
    bundled: bool = True,
) -> tuple[tuple[str, ...], tuple[str, ...], tuple[tuple[str, ...], ...]]:
    """(lines, table columns, table rows) of the per-country slide.

    Args:
        sel: the pack's selection.
        reference: every country under the same filters (the OECD rule).
        budgets: the budgets table (empty: budget periods not published).
        as_of: the data date (ISO).
        lang: the pack's language.
        bundled: the shipped sample (its coverage names its COVID-19 tag).
    """

    def t(key: str, **kw: object) -> str:
        return translate(key, lang, **kw)

    when = date.fromisoformat(as_of)
    cov = C.coverage(sel)
    lines = [
        t(
            "brief.coord_coverage" if bundled else "brief.coord_coverage_import",
            actors=cov.actors,
            countries=t("brief.coverage_countries", n=cov.countries),
        )
    ]
    table = C.country_table(reference)
    table = table[table[S.COL_COUNTRY].isin(set(sel[S.COL_COUNTRY]))]
    table = table.merge(
        continuity.cliff_by_country(sel, budgets, when), on=S.COL_COUNTRY
    )
    table = table.sort_values("budget_usd", ascending=False).head(TOP_COUNTRIES)
    columns = (
        t("col.country"),
        t("coord.col.actors"),
        t("coord.col.effective"),
        t("coord.col.ns_share_budget"),
        *(t("cont.cliff", months=h) for h in continuity.HORIZONS),
    )
    rows = tuple(
        (
            truncate(country_label(r[S.COL_COUNTRY], sel, lang), 30),
            format_number(r["actors"], lang),
            format_number(r["effective_actors"], lang, 2),
            format_percent(r["share_budget"], lang, 1),
            *(format_money(r[f"cliff_{h}_usd"], lang) for h in continuity.HORIZONS),
        )
        for _, r in table.iterrows()
    )
    return tuple(lines), columns, rows


def coordination_slides(
    df: pd.DataFrame,
    spec: FilterSpec,
    as_of: str,
    budgets: pd.DataFrame | None,
    lang: str,
    *,
    bundled: bool = True,
) -> list[dict[str, Any]]:
    """The section's two slides as `pack.Slide` fields ("table": (columns, rows)).

    First the funding cliff as cards, then actors and cliff per country.
    `budgets` None: budget periods not published.
    """
    sel = spec.apply(df)
    bg = budget_table([]) if budgets is None else budgets
    cards, notes = cliff_content(sel, bg, as_of=as_of, lang=lang, bundled=bundled)
    reference = spec.with_changes(countries=()).apply(df)
    lines, columns, rows = coordination_content(
        sel, reference, bg, as_of=as_of, lang=lang, bundled=bundled
    )
    return [
        {
            "kind": "kpis",
            "title": translate("brief.cliff_title", lang),
            "lines": notes,
            "kpis": cards,
        },
        {
            "kind": "table",
            "title": translate("brief.coord_title", lang),
            "lines": lines,
            "table": (columns, rows),
        },
    ]
