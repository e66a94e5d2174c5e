"""The project page's header and facts, and the links that lead to it.

Every link to a project (table, map, search results) is `project_href`, so the
page opens in the same language and dataset; the page reads `?id=`.
"""

from __future__ import annotations

from urllib.parse import quote, urlencode

import pandas as pd
import streamlit as st

from src.i18n import (
    country_name,
    format_date,
    format_money,
    format_number,
    format_percent,
    translate,
)
from src.portfolio import schema as S
from src.portfolio.search import matching_ids
from src.portfolio.sectors import sector_name
from src.widgets import cache, state
from src.widgets.i18n import current_lang, md_escape, t
from src.widgets.layout import whole_table

DPORTAL = "https://d-portal.org/ctrack.html#view=act&aid="
MAX_RESULTS = 10


def project_href(project_id: str, lang: str, dataset: str = cache.BUNDLED) -> str:
    """The relative link to a project's page, in `lang` and `dataset`.

    >>> project_href("XM-DAC-1 2", "fr")
    'project?id=XM-DAC-1+2&lang=fr'
    """
    params = {state.URL_PROJECT: project_id, state.URL_LANG: lang}
    if dataset != cache.BUNDLED:
        params[state.URL_DATASET] = dataset
    return f"{state.PROJECT_PATH}?{urlencode(params)}"


def dportal_url(project_id: str) -> str:
    """The public IATI record of an activity on d-portal.org.

    >>> dportal_url("41AAA-1/2")
    'https://d-portal.org/ctrack.html#view=act&aid=41AAA-1%2F2'
    """
    return DPORTAL + quote(project_id, safe="")


def requested_id() -> str:
    """The identifier in the URL (``?id=``), "" when none."""
    return (st.query_params.get(state.URL_PROJECT) or "").strip()


def _date(value: object, lang: str) -> str:
    return "–" if pd.isna(value) else format_date(pd.Timestamp(value).date(), lang)


def build_facts(rows: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The project's fields as (field, value) text, derived values labelled.

    Args:
        rows: the project's portfolio rows (one per recipient country).
        lang: language of labels, dates and numbers.
    """
    tr = lambda key, **kw: translate(key, lang, **kw)  # noqa: E731
    first = rows.iloc[0]
    countries = [
        f"{country_name(r[S.COL_COUNTRY_ISO2], r[S.COL_COUNTRY_NAME], lang)}"
        f" ({format_percent(r[S.COL_COUNTRY_SHARE], lang)})"
        if r[S.COL_COUNTRY]
        else tr("table.regional", region=r[S.COL_RECIPIENT_REGION] or "–")
        for _, r in rows.iterrows()
    ]
    budget, spent = rows[S.COL_BUDGET].sum(), rows[S.COL_SPENT].sum()
    reported = bool(first[S.COL_SPEND_REPORTED])
    sdgs = [g for g in str(first[S.COL_SDG_TAGS]).split(";") if g]
    derived = tr("project.derived")
    dac_name = sector_name(first[S.COL_SECTOR_CODE], lang, first[S.COL_SECTOR_NAME])
    facts = [
        (tr("col.status"), tr("status." + first[S.COL_STATUS])),
        (tr("project.start_planned"), _date(first[S.COL_START_PLANNED], lang)),
        (tr("project.start_actual"), _date(first[S.COL_START_ACTUAL], lang)),
        (tr("project.end_planned"), _date(first[S.COL_END_PLANNED], lang)),
        (tr("project.end_actual"), _date(first[S.COL_END_ACTUAL], lang)),
        (
            tr("project.end_used"),
            f"{_date(first[S.COL_END], lang)} "
            f"({tr('end_source.' + first[S.COL_END_SOURCE])})",
        ),
        (tr("col.budget"), format_money(budget, lang)),
        (
            tr("col.spent"),
            format_money(spent, lang) if reported else tr("project.no_spend"),
        ),
        (
            f"{tr('kpi.delivery')} ({derived})",
            format_percent(spent / budget, lang) if reported and budget > 0 else "–",
        ),
        (tr("project.committed"), format_money(rows[S.COL_COMMITTED].sum(), lang)),
        (tr("col.country"), "; ".join(countries)),
        (
            tr("col.sector"),
            f"{tr('sector.' + first[S.COL_SECTOR_GROUP])} "
            f"({tr('sector_source.' + first[S.COL_SECTOR_SOURCE])})",
        ),
        (
            tr("project.dac_main"),
            f"{first[S.COL_SECTOR_CODE]} {dac_name}".strip() or "–",
        ),
        (tr("filters.sdg"), ", ".join(sdgs) or "–"),
        (
            tr("filters.humanitarian"),
            tr("filters.yes") if first[S.COL_HUMANITARIAN] else tr("filters.no"),
        ),
        (
            f"{tr('col.risk')} ({derived})",
            tr("risk." + first[S.COL_RISK]) if first[S.COL_RISK] else "–",
        ),
        (tr("col.location"), tr("precision." + first[S.COL_PRECISION])),
        (tr("col.agency"), first[S.COL_AGENCY]),
        (tr("project.source_file"), first[S.COL_SOURCE_FILE] or "–"),
    ]
    return pd.DataFrame(facts, columns=[tr("project.field"), tr("project.value")])


def render_header(rows: pd.DataFrame) -> None:
    """Title, identifier, reporting organisation and the public IATI record."""
    first = rows.iloc[0]
    pid = str(first[S.COL_PROJECT_ID])
    st.title(md_escape(first[S.COL_TITLE] or pid))
    st.caption(f"{md_escape(pid)} · {md_escape(first[S.COL_AGENCY])}")
    st.link_button(
        t("project.dportal"), dportal_url(pid), icon=":material/open_in_new:"
    )


def render_facts(rows: pd.DataFrame) -> None:
    """The facts table and the description."""
    st.subheader(t("project.facts"))
    whole_table(build_facts(rows, current_lang()))
    text = str(rows.iloc[0][S.COL_DESCRIPTION] or "")
    st.subheader(t("project.description"))
    st.markdown(md_escape(text) if text else t("project.no_description"))


def render_search_results(selection: pd.DataFrame, query: str, dataset: str) -> None:
    """The projects found by the search, largest first, each linking to its page."""
    if not query.strip():
        return
    lang = current_lang()
    ids = matching_ids(selection, query)
    projects = (
        selection[selection[S.COL_PROJECT_ID].isin(ids)]
        .groupby(S.COL_PROJECT_ID, sort=False)
        .agg(title=(S.COL_TITLE, "first"), budget=(S.COL_BUDGET, "sum"))
        .sort_values("budget", ascending=False)
    )
    st.subheader(t("search.title", count=len(projects), query=md_escape(query)))
    lines = [
        f"- [{md_escape(row.title or pid)}]({project_href(pid, lang, dataset)})"
        f" · {format_money(row.budget, lang)}"
        for pid, row in projects.head(MAX_RESULTS).iterrows()
    ]
    st.markdown("\n".join(lines))
    if len(projects) > MAX_RESULTS:
        total = format_number(len(projects), lang)
        st.caption(t("search.more", shown=MAX_RESULTS, total=total))
