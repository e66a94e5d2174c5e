"""KPI row: the headline figures of the current selection."""

from __future__ import annotations

import streamlit as st

from src.i18n import format_date, format_money, format_number, format_percent
from src.portfolio.summary import Kpis
from src.widgets.i18n import current_lang, t


def kpi_values(k: Kpis, lang: str) -> list[tuple[str, str, str]]:
    """(label key, formatted value, help key) for each KPI, in display order."""
    return [
        ("kpi.projects", format_number(k.projects, lang), "kpi.projects_help"),
        ("kpi.countries", format_number(k.countries, lang), "kpi.countries_help"),
        ("kpi.budget", format_money(k.budget, lang), "kpi.budget_help"),
        ("kpi.spent", format_money(k.spent, lang), "kpi.spent_help"),
        ("kpi.delivery", format_percent(k.delivery_ratio, lang), "kpi.delivery_help"),
        (
            "kpi.high_risk",
            format_percent(k.high_risk_share, lang),
            "kpi.high_risk_help",
        ),
        ("kpi.as_of", format_date(k.as_of, lang), "kpi.as_of_help"),
    ]


def kpi_notes(k: Kpis, lang: str) -> dict[str, str]:
    """A grey line under a card, by label key: the delivery ratio's coverage."""
    return {
        "kpi.delivery": t(
            "kpi.delivery_coverage",
            reporting=format_number(k.spend_reporting, lang),
            projects=k.projects,
        )
    }


def render_kpi_row(k: Kpis, *, omit: tuple[str, ...] = ()) -> None:
    """Draw the KPIs as st.metric cards in a row that wraps.

    Each card is as wide as its figure, so no figure is cut ("US$3,893…") at
    any window width or language; cards that do not fit go to the next line.
    `omit`: label keys of cards that say nothing on the page (one country's
    page has no use for "Countries: 1").
    """
    lang = current_lang()
    notes = kpi_notes(k, lang)
    with st.container(horizontal=True, gap="small"):
        for label, value, help_key in kpi_values(k, lang):
            if label in omit:
                continue
            # st.metric renders Markdown: escape "$" so it never starts LaTeX.
            st.metric(
                t(label),
                value.replace("$", r"\$"),
                delta=notes.get(label),
                delta_color="off",
                delta_arrow="off",
                help=t(help_key),
                border=True,
                width="content",
            )
