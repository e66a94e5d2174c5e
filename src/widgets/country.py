"""Country page pieces: picker, national context card."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.i18n import country_name, format_number, format_percent
from src.portfolio import schema as S
from src.portfolio.filters import FilterSpec
from src.widgets import state
from src.widgets.frame import Context
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.layout import card_row


def display_name(df: pd.DataFrame, iso3: str) -> str:
    """The country's name in the UI language."""
    row = df.loc[df[S.COL_COUNTRY] == iso3].iloc[0]
    return country_name(
        row[S.COL_COUNTRY_ISO2], row[S.COL_COUNTRY_NAME], current_lang()
    )


def country_picker(ctx: Context) -> str:
    """Select a country; defaults to the first country of the current filter."""
    df = ctx.portfolio
    # Names computed now: Streamlit may call format_func outside the run.
    names = {c: display_name(df, c) for c in set(df[S.COL_COUNTRY]) - {""}}
    options = sorted(names, key=names.__getitem__)
    if not options:
        return ""
    chosen = st.session_state.get(state.COUNTRY_SELECT)
    if chosen not in options:
        first = [c for c in ctx.spec.countries if c in options]
        url = st.query_params.get(state.URL_COUNTRY)
        if url and url not in options and not first:
            # A link naming a country this dataset does not have: say so,
            # rather than silently showing the first country of the list.
            st.warning(
                t("country.unknown", value=md_escape(str(url)[:20])),
                icon=":material/link_off:",
            )
        chosen = first[0] if first else (url if url in options else options[0])
    # Set on every run: the Country and Coordination pages each draw this
    # picker; Streamlit ties a drawn widget's value to its page, so without
    # this the other page opened on the first country of the list.
    st.session_state[state.COUNTRY_SELECT] = chosen
    iso3 = st.selectbox(
        t("country.pick"),
        options,
        format_func=names.__getitem__,
        key=state.COUNTRY_SELECT,
    )
    st.query_params[state.URL_COUNTRY] = iso3
    return iso3


def country_rows(ctx: Context, iso3: str) -> pd.DataFrame:
    """The country's rows under every current filter except the country filter."""
    spec: FilterSpec = ctx.spec.with_changes(countries=(iso3,))
    return spec.apply(ctx.portfolio)


def render_context(df: pd.DataFrame, iso3: str) -> None:
    """National context: INFORM risk, WGI capacity, region, income group."""
    lang = current_lang()
    row = df.loc[df[S.COL_COUNTRY] == iso3].iloc[0]
    # Blocks as wide as their content, wrapping to the next line when the
    # window is narrow: no label is cut, in any language.
    cols = card_row(4)
    inform = row[S.COL_INFORM]
    inform_class = row[S.COL_INFORM_CLASS]
    cols[0].metric(
        t("country.inform"),
        format_number(inform, lang, 1),
        help=t("country.inform_help"),
    )
    if inform_class:
        cols[0].caption(t("inform_class." + inform_class))
    cols[1].metric(
        t("country.capacity"),
        format_number(row[S.COL_GE], lang, 2),
        help=t("country.capacity_help"),
    )
    pct = row[S.COL_GE_PCT]
    cols[1].caption(
        t("country.capacity_pct", pct=format_percent(pct / 100, lang))
        if pd.notna(pct)
        else t("map.not_published")
    )
    # Long names: a label and a line of text rather than a (truncating) metric.
    for col, label, value in (
        (cols[2], t("filters.region"), t("region." + row[S.COL_REGION])),
        (cols[3], t("country.income"), t("income." + (row[S.COL_INCOME] or "none"))),
    ):
        col.caption(label)
        col.markdown(f"#### {value}")
