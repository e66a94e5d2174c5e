"""Data-quality view: counts with the affected rows, and the parser's problems.

Problems are rendered in the UI language here, at the edge (`problem_text`).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.i18n import format_money, format_number
from src.portfolio import schema as S
from src.portfolio.quality import correction_counts, quality_report, result_repairs
from src.problems import Problem, problem_text
from src.widgets import cache, state
from src.widgets.i18n import current_lang, t
from src.widgets.layout import whole_table


def render_quality_report(df: pd.DataFrame) -> None:
    """One line per check on the rows `df` (the selection), each expandable."""
    dataset = st.session_state.get(state.DATASET, cache.BUNDLED)
    report = cache.build_report(dataset)
    checks = quality_report(df, report.build_problems, cache.result_indicators(dataset))
    whole_table(
        pd.DataFrame(
            {
                t("quality.check"): [t("quality." + c.key) for c in checks],
                t("quality.rows"): [c.rows for c in checks],
                t("quality.projects"): [c.projects for c in checks],
            }
        ),
    )
    for c in checks:
        if not c.ids:
            continue
        with st.expander(f"{t('quality.' + c.key)} ({c.projects})"):
            rows = df[df[S.COL_PROJECT_ID].isin(c.ids)]
            whole_table(
                rows[[S.COL_PROJECT_ID, S.COL_TITLE, S.COL_AGENCY, S.COL_COUNTRY_NAME]],
            )


def render_corrections(df: pd.DataFrame) -> None:
    """The transactions corrected before adding up (`corrections`), if any."""
    report = cache.build_report(st.session_state.get(state.DATASET, cache.BUNDLED))
    table = correction_counts(df, report.build_problems)
    if table.empty:
        return
    lang = current_lang()
    st.subheader(t("quality.corrections"))
    st.caption(t("quality.corrections_note"))
    whole_table(
        pd.DataFrame(
            {
                t("quality.col.publisher"): table["publisher"],
                t("quality.col.correction"): [
                    t("quality." + c) for c in table["check"]
                ],
                t("quality.col.transactions"): [
                    format_number(v, lang) for v in table["transactions"]
                ],
                t("quality.col.usd"): [format_money(v, lang) for v in table["usd"]],
            }
        ),
    )


def render_result_repairs(df: pd.DataFrame) -> None:
    """Result values read as numbers only after a repair (`quality.result_repairs`).

    Nothing is drawn when none was repaired or no result indicators are
    published.
    """
    indicators = cache.result_indicators(
        st.session_state.get(state.DATASET, cache.BUNDLED)
    )
    table = None if indicators is None else result_repairs(df, indicators)
    if table is None or table.empty:
        return
    lang = current_lang()
    st.subheader(t("quality.result_repairs"))
    st.caption(t("quality.result_repairs_note"))
    whole_table(
        pd.DataFrame(
            {
                t("quality.col.publisher"): table["publisher"],
                t("quality.col.repair"): [
                    " + ".join(t("quality.repair." + r) for r in rules.split("+"))
                    for rules in table["repairs"]
                ],
                t("quality.col.values"): [
                    format_number(v, lang) for v in table["values"]
                ],
                t("quality.col.indicators"): [
                    format_number(v, lang) for v in table["indicators"]
                ],
            }
        ),
    )


def render_problems(portfolio: pd.DataFrame) -> None:
    """The parser's and builder's messages, file by file.

    They are of the whole dataset; an organisation restricted to one country
    sees only those about its activities (`portfolio`: the page context's
    table, already that country's rows), not the files' counts.
    """
    from src.widgets.auth import principal

    report = cache.build_report(st.session_state.get(state.DATASET, cache.BUNDLED))
    st.subheader(t("quality.problems"))
    problems = report.problems
    country = principal().country
    if country:
        mine = set(portfolio[S.COL_PROJECT_ID])
        problems = [p for p in problems if p.item and p.item in mine]
        st.caption(t("quality.problems_restricted"))
    else:
        st.caption(t("quality.problems_scope"))
        st.caption(
            t(
                "quality.counts",
                read=report.activities_read,
                kept=format_number(report.activities_kept, current_lang()),
            )
        )
    if not problems:
        st.success(t("quality.no_problems"))
        return
    frame = problems_frame(problems, current_lang())
    whole_table(translated_columns(frame))


def problems_frame(problems: list[Problem], lang: str) -> pd.DataFrame:
    """Columns file, activity, field, message, severity; one row per problem.

    A spreadsheet problem with no identifier names its row in the activity column.
    """
    row = t("problem.row")
    return pd.DataFrame(
        [
            {
                "file": p.file,
                "activity": p.item or (f"{row} {p.row}" if p.row else ""),
                "field": p.field,
                "message": problem_text(p, lang),
                "severity": p.severity,
            }
            for p in problems
        ],
        columns=["file", "activity", "field", "message", "severity"],
    )


def translated_columns(df: pd.DataFrame) -> pd.DataFrame:
    """Problem tables with translated headers and severities (messages as given)."""
    out = df.rename(columns={c: t("problem." + c) for c in df.columns})
    severity = t("problem.severity")
    if severity in out:
        out[severity] = out[severity].map(lambda v: t("problem.severity." + str(v)))
    return out
