"""Project table with a CSV download that matches exactly what is shown."""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
import pyarrow as pa
import streamlit as st

from src.engine.classes import reference_classes
from src.i18n import country_name, format_number
from src.portfolio import schema as S
from src.portfolio.country_part import recomputed_projects
from src.portfolio.export import source_line, to_csv_bytes, to_notes_bytes
from src.portfolio.schema import PortfolioMeta
from src.widgets import cache, row_cache, state
from src.widgets.i18n import current_lang, t
from src.widgets.layout import card_row


def build_project_table(
    df: pd.DataFrame, lang: str, as_of: str | None = None
) -> pd.DataFrame:
    """The rows as people read them: translated headers, names instead of codes.

    Money stays numeric (USD) so the table sorts and the CSV adds up; spend a
    project does not report is empty, not 0. Columns say which values are
    derived (end date source, sector source, location). With the data date
    `as_of`, a column gives each row's reference class in the simulation
    (short, blend, long, or reported when finished).
    """

    def tr(prefix: str, col: str) -> pd.Series:
        # Translate each distinct value once (tables can have 100k rows).
        labels = {v: t(prefix + str(v)) for v in df[col].unique()}
        return df[col].map(labels)

    keys = df[[S.COL_COUNTRY, S.COL_COUNTRY_ISO2, S.COL_COUNTRY_NAME]].astype(str)
    keys[S.COL_RECIPIENT_REGION] = df[S.COL_RECIPIENT_REGION].astype(str)
    distinct = keys.drop_duplicates()
    names = {
        tuple(row): country_name(row[1], row[2], lang)
        if row[0]
        else t("table.regional", region=row[3])
        for row in distinct.itertuples(index=False)
    }
    countries = [names[tuple(row)] for row in keys.itertuples(index=False)]
    out = pd.DataFrame(
        {
            t("col.title"): df[S.COL_TITLE],
            t("col.agency"): df[S.COL_AGENCY],
            t("col.country"): countries,
            t("col.sector"): tr("sector.", S.COL_SECTOR_GROUP),
            t("col.sector_source"): tr("sector_source.", S.COL_SECTOR_SOURCE),
            t("col.status"): tr("status.", S.COL_STATUS),
            t("col.start"): pd.to_datetime(df[S.COL_START]).dt.date,
            t("col.end"): pd.to_datetime(df[S.COL_END]).dt.date,
            t("col.end_source"): tr("end_source.", S.COL_END_SOURCE),
            t("col.budget_usd"): df[S.COL_BUDGET].round(0),
            t("col.spent_usd"): df[S.COL_SPENT]
            .where(df[S.COL_SPEND_REPORTED].astype(bool))
            .round(0),
            t("col.delivery"): (df[S.COL_DELIVERY] * 100).round(1),
            t("col.risk"): tr("risk.", S.COL_RISK),
            t("col.inform"): df[S.COL_INFORM],
            t("col.capacity"): df[S.COL_GE_PCT],
            t("col.location"): tr("precision.", S.COL_PRECISION),
            t("col.project_id"): df[S.COL_PROJECT_ID],
        }
    ).reset_index(drop=True)
    if as_of and len(df):
        classes = reference_classes(df, date.fromisoformat(as_of[:10]))
        labels = {c: t("model.class." + c) for c in set(classes)}
        out.insert(
            len(out.columns) - 1, t("col.reference_class"), [labels[c] for c in classes]
        )
    return out


MAX_SHOWN = 5_000
# Money columns of the tables: thousands separators, whole US dollars.
MONEY_COLUMN = st.column_config.NumberColumn(format="%,.0f")


def csv_file_name(as_of: str, caption: str, suffix: str = ".csv") -> str:
    """A file name carrying the data date and a slug of the filters.

    Letters keep their accents (Streamlit sends such a name in the RFC 5987
    form); anything but letters and digits becomes "-".
    """
    slug = re.sub(r"[\W_]+", "-", caption).strip("-")[:60] or "all"
    return f"portfolio_{as_of}_{slug}{suffix}"


def table_notes(caption: str, as_of: str, source: str) -> list[str]:
    """The notes file of the project table: what it is, what is derived."""
    columns = {
        name: t("col." + name)
        for name in (
            "delivery",
            "risk",
            "reference_class",
            "end",
            "end_source",
            "sector",
            "sector_source",
            "location",
            "spent_usd",
        )
    }
    return [
        t("export.filters", filters=caption),
        t("export.as_of", date=as_of),
        source,
        t("export.derived", **columns),
        t("export.empty", **columns),
        t("export.plain"),
    ]


def shown_table(
    df: pd.DataFrame, dataset: str, lang: str, as_of: str | None
) -> tuple[pa.Table, pd.DataFrame]:
    """The rows as the page shows them and as the CSV has them.

    Shown: Arrow, with links to the project pages, at most `MAX_SHOWN` rows
    (the largest budgets). The CSV's: every row, no links.
    """
    # Built once per dataset and language; a selection only picks rows.
    shown = cache.row_view(linked_project_table, df, dataset, lang, as_of, dataset)
    table = shown.drop(columns=t("col.page"))
    if len(table) > MAX_SHOWN:
        # The browser cannot draw 100k rows quickly; the CSV keeps them all.
        shown = shown.loc[
            df[S.COL_BUDGET].reset_index(drop=True).nlargest(MAX_SHOWN).index
        ]
    return pa.Table.from_pandas(shown, preserve_index=False), table


def linked_project_table(
    df: pd.DataFrame, lang: str, as_of: str | None, dataset: str
) -> pd.DataFrame:
    """`build_project_table` with a first column linking each row to its page."""
    from src.widgets.project import project_href

    table = build_project_table(df, lang, as_of)
    hrefs = {p: project_href(p, lang, dataset) for p in df[S.COL_PROJECT_ID].unique()}
    links = df[S.COL_PROJECT_ID].map(hrefs).to_numpy()
    return table.assign(**{t("col.page"): links})[[t("col.page"), *table.columns]]


def render_project_table(
    df: pd.DataFrame,
    *,
    meta: PortfolioMeta,
    caption: str,
    key: str = state.DOWNLOAD_CSV,
) -> None:
    """Show the table and offer the identical CSV (the CSV has no page links).

    Its notes (filters, date, the dataset's own source, derived columns) are
    a second file, so the CSV itself is plain.
    """
    lang = current_lang()
    as_of = meta.as_of
    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
    # Made once per selection and language (its Arrow form too): a rerun
    # that keeps the selection converts nothing.
    shown, table = row_cache.of_rows(shown_table, df, dataset, dataset, lang, as_of)
    if len(table) > MAX_SHOWN:
        shown_n = format_number(MAX_SHOWN, lang)
        st.caption(t("table.truncated", shown=shown_n, total=len(table)))
    st.dataframe(
        shown,
        hide_index=True,
        column_config={
            t("col.budget_usd"): MONEY_COLUMN,
            t("col.spent_usd"): MONEY_COLUMN,
            t("col.page"): st.column_config.LinkColumn(
                display_text=t("project.open"), width="small"
            ),
        },
    )
    notes = table_notes(caption, as_of, source_line(meta, lang))
    if split := recomputed_projects(df):  # a partner government's view
        notes.append(t("export.country_money", n=format_number(split, lang)))
    left, right = card_row(2)
    left.download_button(
        t("table.download"),
        data=lambda: to_csv_bytes(table),  # built only when clicked
        file_name=csv_file_name(as_of, caption),
        mime="text/csv",
        key=key,
    )
    right.download_button(
        t("table.download_notes"),
        data=to_notes_bytes(notes),
        file_name=csv_file_name(as_of, caption, "_notes.txt"),
        mime="text/plain",
        key=state.item_key(key, "notes"),
    )
