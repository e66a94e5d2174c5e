"""What is reported and what is derived, with the sources (shown on every page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.i18n import format_number
from src.portfolio.export import source_line
from src.portfolio.quality import derived_counts
from src.portfolio.schema import PortfolioMeta
from src.widgets.i18n import current_lang, md_escape, t


def render_provenance(df: pd.DataFrame, meta: PortfolioMeta) -> None:
    """An expander explaining derived values and listing the sources.

    An imported dataset's sources are its own files, not the bundled agencies'.
    """
    lang = current_lang()
    counts = {k: format_number(v, lang) for k, v in derived_counts(df).items()}
    with st.expander(t("prov.title"), icon=":material/info:"):
        st.markdown(t("prov.derived", **counts))
        st.markdown(t("prov.risk_formula"))
        st.markdown(source_line(meta, lang, long=True, escape=md_escape))
