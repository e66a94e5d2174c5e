"""What is reported and what is derived, with the sources (shown on every page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.i18n import format_number
from src.portfolio.export import source_line
from src.portfolio.quality import derived_counts
from src.portfolio.schema import PortfolioMeta
from src.widgets import row_cache
from src.widgets.i18n import current_lang, md_escape, t


def render_provenance(
    df: pd.DataFrame, meta: PortfolioMeta, dataset: str | None = None
) -> None:
    """An expander explaining derived values and listing the sources.

    An imported dataset's sources are its own files, not the bundled agencies'.
    With `dataset` (`df` is a selection of its rows, unchanged), the counts
    are made once per selection (`row_cache`).
    """
    lang = current_lang()
    found = (
        derived_counts(df)
        if dataset is None
        else row_cache.of_rows(derived_counts, df, dataset)
    )
    counts = {k: format_number(v, lang) for k, v in found.items()}
    counts["rows"] = found["rows"]  # the count of a plural entry
    with st.expander(t("prov.title"), icon=":material/info:"):
        st.markdown(t("prov.derived", **counts))
        st.markdown(t("prov.risk_formula"))
        st.markdown(source_line(meta, lang, long=True, escape=md_escape))
