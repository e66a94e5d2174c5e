"""One country's coordination and continuity in brief, with the brief as CSV."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from src.i18n import format_money, format_number, format_percent, translate
from src.portfolio import continuity as C
from src.portfolio import coordination as coord
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.country_brief import country_brief
from src.portfolio.export import to_csv_bytes
from src.widgets import state
from src.widgets.continuity import budgets_of
from src.widgets.i18n import current_lang, t
from src.widgets.layout import card_row
from src.widgets.url_state import current_params


def brief_table(brief: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The tidy brief with translated headers, sections and indicators."""

    def indicator(code: str) -> str:
        if code.startswith("cliff_"):
            _, months, what = code.split("_")
            return translate(f"cbrief.cliff_{what}", lang, months=int(months))
        if code.startswith("share_") and code[6:].isdigit():
            return translate("cbrief.visible", lang, year=code[6:])
        return translate(f"cbrief.ind.{code}", lang)

    sectors = [
        translate("sector." + s, lang) if s in S.ALL_SECTOR_GROUPS else s
        for s in brief["sector"]
    ]
    return pd.DataFrame(
        {
            translate("cbrief.col.section", lang): [
                translate("cbrief.section." + s, lang) for s in brief["section"]
            ],
            translate("cbrief.col.indicator", lang): brief["indicator"].map(indicator),
            translate("col.sector", lang): sectors,
            translate("coord.col.actor", lang): brief["actor"],
            translate("cbrief.col.value", lang): brief["value"],
        }
    )


def render_brief_download(
    rows: pd.DataFrame,
    reference: pd.DataFrame,
    side: SideTables | None,
    *,
    as_of: str,
    title: str,
    key: str,
) -> None:
    """A CSV of the country brief (3W, concentration, significance, cliff)."""
    lang = current_lang()
    brief = country_brief(rows, reference, budgets_of(side), date.fromisoformat(as_of))
    table = brief_table(brief, lang)
    st.download_button(
        t("cbrief.csv"),
        data=lambda: to_csv_bytes(table, [title, t("cbrief.csv_note", as_of=as_of)]),
        file_name="country_brief.csv",
        mime="text/csv",
        key=key,
        icon=":material/download:",
    )


def render_country_summary(
    rows: pd.DataFrame,
    reference: pd.DataFrame,
    side: SideTables | None,
    *,
    as_of: str,
    title: str,
) -> None:
    """Coordination and continuity of one country, in four figures."""
    lang = current_lang()
    st.subheader(t("country.coord_title"))
    conc = coord.country_table(reference)
    conc = conc[conc[S.COL_COUNTRY].isin(set(rows[S.COL_COUNTRY]))]
    cliff = C.cliff(rows, budgets_of(side), date.fromisoformat(as_of))
    c12 = cliff.iloc[0]
    cols = card_row(5)
    if len(conc) == 1:
        r = conc.iloc[0]
        cols[0].metric(t("coord.col.actors"), format_number(r["actors"], lang))
        cols[1].metric(
            t("coord.col.effective"), format_number(r["effective_actors"], lang, 2)
        )
        cols[2].metric(
            t("coord.col.ns_share_relations"),
            format_percent(r["share_relations"], lang),
        )
        cols[3].metric(
            t("coord.col.ns_share_money"), format_percent(r["share_budget"], lang)
        )
    cols[4].metric(
        t("cont.cliff", months=int(c12["months"])),
        format_money(c12["budget_usd"], lang).replace("$", r"\$"),
        help=t("cont.cliff_help"),
    )
    st.caption(
        t(
            "country.coord_note",
            projects=int(c12["projects"]),
        )
    )
    st.page_link(
        state.COORDINATION_PAGE,
        label=t("country.coord_link"),
        icon=":material/hub:",
        query_params=current_params(),  # same country, language, filters
    )
    render_brief_download(
        rows, reference, side, as_of=as_of, title=title, key=state.COUNTRY_COORD
    )
