"""Project table with a CSV download that matches exactly what is shown."""

from __future__ import annotations

import re

import pandas as pd
import streamlit as st

from src.i18n import country_name
from src.portfolio import schema as S
from src.portfolio.export import to_csv_bytes
from src.widgets import state
from src.widgets.i18n import current_lang, t


def build_project_table(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows as people read them: translated headers, names instead of codes.

    Money stays numeric (USD) so the table sorts and the CSV adds up.
    """

    def tr(prefix: str, col: str) -> pd.Series:
        return df[col].map(lambda v: t(prefix + str(v)))

    countries = [
        country_name(iso2, name, lang) if iso3 else t("table.regional", region=reg)
        for iso3, iso2, name, reg in zip(
            df[S.COL_COUNTRY],
            df[S.COL_COUNTRY_ISO2],
            df[S.COL_COUNTRY_NAME],
            df[S.COL_RECIPIENT_REGION],
            strict=True,
        )
    ]
    return pd.DataFrame(
        {
            t("col.title"): df[S.COL_TITLE],
            t("col.agency"): df[S.COL_AGENCY],
            t("col.country"): countries,
            t("col.sector"): tr("sector.", S.COL_SECTOR_GROUP),
            t("col.sector_source"): tr("sector_source.", S.COL_SECTOR_SOURCE),
            t("col.status"): tr("status.", S.COL_STATUS),
            t("col.start"): pd.to_datetime(df[S.COL_START]).dt.date,
            t("col.end"): pd.to_datetime(df[S.COL_END]).dt.date,
            t("col.budget_usd"): df[S.COL_BUDGET].round(0),
            t("col.spent_usd"): df[S.COL_SPENT].round(0),
            t("col.delivery"): (df[S.COL_DELIVERY] * 100).round(1),
            t("col.risk"): tr("risk.", S.COL_RISK),
            t("col.inform"): df[S.COL_INFORM],
            t("col.capacity"): df[S.COL_GE_PCT],
            t("col.location"): tr("precision.", S.COL_PRECISION),
            t("col.project_id"): df[S.COL_PROJECT_ID],
        }
    ).reset_index(drop=True)


def csv_file_name(as_of: str, caption: str) -> str:
    """A file name carrying the data date and a slug of the filters."""
    slug = re.sub(r"[^A-Za-z0-9]+", "-", caption).strip("-")[:60] or "all"
    return f"portfolio_{as_of}_{slug}.csv"


def render_project_table(
    df: pd.DataFrame, *, as_of: str, caption: str, key: str = state.DOWNLOAD_CSV
) -> None:
    """Show the table and offer the identical CSV."""
    lang = current_lang()
    table = build_project_table(df, lang)
    st.dataframe(
        table,
        hide_index=True,
        column_config={
            t("col.budget_usd"): st.column_config.NumberColumn(format="%,.0f"),
            t("col.spent_usd"): st.column_config.NumberColumn(format="%,.0f"),
        },
    )
    header = [
        t("export.filters", filters=caption),
        t("export.as_of", date=as_of),
        t("export.source"),
    ]
    st.download_button(
        t("table.download"),
        data=lambda: to_csv_bytes(table, header),  # built only when clicked
        file_name=csv_file_name(as_of, caption),
        mime="text/csv",
        key=key,
    )
