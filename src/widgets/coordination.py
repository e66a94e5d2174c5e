"""Coordination page pieces: who does what where, concentration, significance."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from src.i18n import country_name, format_money, format_number, format_percent
from src.portfolio import coordination as C
from src.portfolio import overlap as O
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.export import to_csv_bytes
from src.portfolio.sectors import dac3_names
from src.widgets import state
from src.widgets.charts import localised
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.layout import whole_table
from src.widgets.table import MONEY_COLUMN
from src.widgets.url_state import mirror_choice, seed_choice


def _names(df: pd.DataFrame, lang: str) -> dict[str, str]:
    keys = df.drop_duplicates(S.COL_COUNTRY)
    return {
        r[S.COL_COUNTRY]: country_name(
            r[S.COL_COUNTRY_ISO2], r[S.COL_COUNTRY_NAME], lang
        )
        for _, r in keys.iterrows()
        if r[S.COL_COUNTRY]
    }


def render_coverage(df: pd.DataFrame) -> None:
    """What the indicators rest on, in words."""
    lang = current_lang()
    cov = C.coverage(df)
    st.caption(
        t(
            "coord.coverage",
            actors=cov.actors,
            countries=t("coord.n_countries", n=cov.countries),
            regional=t(
                "coord.regional_rows",
                regional=cov.regional_rows,
                regional_budget=format_money(cov.regional_budget_usd, lang),
            ),
        )
    )


def build_country_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Per country: actors, HHI, effective number, non-significant shares."""
    table = C.country_table(df)
    names = _names(df, lang)
    return pd.DataFrame(
        {
            t("col.country"): table[S.COL_COUNTRY].map(names),
            t("coord.col.actors"): table["actors"],
            t("coord.col.projects"): table["projects"],
            t("col.budget_usd"): table["budget_usd"].round(0),
            t("coord.col.hhi"): table["hhi"].round(3),
            t("coord.col.effective"): table["effective_actors"].round(2),
            t("coord.col.ns_relations"): table["non_significant"],
            t("coord.col.ns_share_budget"): (table["share_budget"] * 100).round(1),
        }
    ).sort_values(t("col.country"), ignore_index=True)


def render_country_table(df: pd.DataFrame) -> None:
    """The table of every country in the selection, with a CSV."""
    lang = current_lang()
    st.subheader(t("coord.countries"))
    st.caption(t("coord.countries_note"))
    table = build_country_table(df, lang)
    # fixed decimals: a concentration of 1 reads "1.000" beside "0.532", not "1"
    whole_table(
        table,
        column_config={
            t("col.budget_usd"): MONEY_COLUMN,
            t("coord.col.hhi"): st.column_config.NumberColumn(format="%.3f"),
            t("coord.col.effective"): st.column_config.NumberColumn(format="%.2f"),
            t("coord.col.ns_share_budget"): st.column_config.NumberColumn(
                format="%.1f"
            ),
        },
    )
    st.download_button(
        t("table.download"),
        data=lambda: to_csv_bytes(table),
        file_name="coordination_by_country.csv",
        mime="text/csv",
        key=state.COORD_DOWNLOAD,
    )


HEATMAP_ROW_PX = 36  # one actor's row: the axes take their own room beside it


def sector_label(sector: str) -> str:
    """A sector group's translated name, or a DAC 3-digit code with its name.

    The name is the SectorCategory codelist's in the UI language (English where
    it has none: every code in Spanish).
    """
    if sector in S.ALL_SECTOR_GROUPS:
        return t("sector." + sector)
    name = dac3_names(current_lang()).get(sector)
    return f"{sector} {name}" if name else sector


def build_heatmap(www: pd.DataFrame, lang: str) -> alt.Chart:
    """Actors × sectors: colour is budget, the number is projects.

    The height is a step per actor (not a total): with a total, the rotated
    sector labels took the plot's room and the rows collapsed to a few pixels.
    """
    data = www.assign(
        budget_musd=www["budget_usd"] / 1e6,  # the legend in millions, as the bars
        budget_text=[format_money(v, lang) for v in www["budget_usd"]],
        sector_label=[sector_label(s) for s in www["sector"]],
    )
    base = alt.Chart(data).encode(
        x=alt.X(
            "sector_label:N",
            title=t("col.sector"),
            axis=alt.Axis(labelAngle=-35, labelLimit=220, labelOverlap=False),
        ),
        # names cut at 180 px (whole in the tooltip): a phone keeps room for cells
        y=alt.Y("actor:N", title=None, axis=alt.Axis(labelLimit=180)),
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "budget_musd:Q",
            title=t("chart.budget_musd"),
            scale=alt.Scale(scheme="blues", type="sqrt"),
            legend=alt.Legend(orient="bottom"),
        ),
        tooltip=[
            alt.Tooltip("actor:N", title=t("coord.col.actor")),
            alt.Tooltip("sector_label:N", title=t("col.sector")),
            alt.Tooltip("budget_text:N", title=t("col.budget_usd")),
            alt.Tooltip("projects:Q", title=t("coord.col.projects")),
        ],
    )
    # white numbers on the darkest cells (the colour scale is a square root)
    dark = float(www["budget_usd"].max()) * 0.4
    labels = base.mark_text().encode(
        text="projects:Q",
        color=alt.condition(
            alt.datum.budget_usd > dark, alt.value("white"), alt.value("black")
        ),
    )
    return (cells + labels).properties(height=alt.Step(HEATMAP_ROW_PX))


def render_country_detail(
    rows: pd.DataFrame, iso3: str, reference: pd.DataFrame
) -> None:
    """One country: the 3W heat map, sector concentration, significance.

    Args:
        rows: the country's rows under the current filters.
        iso3: the country.
        reference: every country under the same filters: an actor's share of
            all aid (the significance rule) is measured on it.
    """
    lang = current_lang()
    levels = list(C.SECTOR_LEVELS)
    seed_choice(state.COORD_LEVEL, state.URL_COORD_LEVEL, levels, levels[0])
    level = st.segmented_control(
        t("coord.level"),
        levels,
        format_func=lambda v: t("coord.level." + v),
        key=state.COORD_LEVEL,
    )
    mirror_choice(state.URL_COORD_LEVEL, level, levels[0])
    www = C.who_does_what_where(rows, level=level or "group")
    if www.empty:
        st.info(t("country.no_projects"))
        return
    st.altair_chart(
        localised(build_heatmap(www, lang)),
        key=state.COORD_HEATMAP,
        alt=t("coord.heatmap_alt", country=md_escape(iso3)),
    )
    # The table follows the drill: sector groups, or DAC 3-digit categories.
    column = "sector" if level != "dac3" else "dac3"
    conc = C.concentration(rows, by=(S.COL_COUNTRY, column))
    crowded, single, total = C.crowding(conc)
    note = t(
        "coord.sector_note",
        crowded=t("coord.crowded_sectors", n=crowded),
        single=format_number(single, lang),
        total=total,
    )
    unmeasured = conc["hhi"].isna().any()
    st.caption(f"{note} {t('coord.hhi_none')}" if unmeasured else note)
    whole_table(
        pd.DataFrame(
            {
                t("col.sector"): [sector_label(s) for s in conc[column]],
                t("coord.col.actors"): conc["actors"],
                t("coord.col.projects"): conc["projects"],
                # a few rows: text in the UI's number format, like the HHI
                t("col.budget_usd"): [
                    format_number(v, lang) for v in conc["budget_usd"]
                ],
                # text in the UI's decimals; "–" where the sector has no budget
                t("coord.col.hhi"): [format_number(v, lang, 3) for v in conc["hhi"]],
                t("coord.col.effective"): [
                    format_number(v, lang, 2) for v in conc["effective_actors"]
                ],
            }
        ),
    )
    rel = C.significance(reference)
    rel = rel[rel[S.COL_COUNTRY] == iso3]
    st.subheader(t("coord.significance"))
    st.caption(t("coord.significance_note"))
    whole_table(
        pd.DataFrame(
            {
                t("coord.col.actor"): rel["actor"],
                t("col.budget_usd"): [
                    format_number(v, lang) for v in rel["budget_usd"]
                ],
                t("coord.col.share_country"): [
                    format_percent(v, lang, 1) for v in rel["share_in_country"]
                ],
                t("coord.col.share_total"): [
                    format_percent(v, lang, 1) for v in rel["share_of_total"]
                ],
                t("coord.col.significant"): [
                    t("coord.yes") if v else t("coord.no") for v in rel["significant"]
                ],
            }
        ),
    )


def render_overlap(rows: pd.DataFrame, side: SideTables | None) -> None:
    """Sub-national overlap in one country: actors in the same sector nearby.

    Args:
        rows: the country's rows under the current filters.
        side: the dataset's side tables (None: no details, no sites).
    """
    lang = current_lang()
    st.subheader(t("coord.overlap"))
    if side is None:  # a table import: no details, so no sites at all
        st.info(t("coord.overlap_no_table"), icon=":material/location_off:")
        return
    site_table, cover = O.sites(rows, side.details)
    st.caption(
        t(
            "coord.overlap_note",
            with_sites=format_number(cover.with_sites, lang),
            projects=cover.projects,
            sites=t("coord.n_sites", n=cover.sites),
            multi=t("coord.multi_sites", n=cover.multi_country_sites),
            regional=t("coord.regional_sites", n=cover.regional_sites),
        )
    )
    if site_table.empty:
        st.info(t("coord.overlap_none"), icon=":material/location_off:")
        return
    seed_choice(
        state.COORD_OVERLAP_KM, state.URL_COORD_KM, O.DISTANCES_KM, O.DEFAULT_KM
    )
    km = st.select_slider(
        t("coord.overlap_km"),
        options=list(O.DISTANCES_KM),
        format_func=lambda v: t("coord.km", km=format_number(v, lang)),
        key=state.COORD_OVERLAP_KM,
    )
    mirror_choice(state.URL_COORD_KM, km, O.DEFAULT_KM)
    table = O.overlap(site_table, float(km))
    whole_table(
        pd.DataFrame(
            {
                t("col.sector"): [t("sector." + s) for s in table[S.COL_SECTOR_GROUP]],
                t("coord.col.sites"): table["sites"],
                t("coord.col.actors"): table["actors"],
                t("coord.col.overlapping"): table["overlapping_sites"],
                t("coord.col.pairs"): table["actor_pairs"],
            }
        ),
    )
