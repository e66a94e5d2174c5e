"""What is reported and what is derived, with the sources (shown on every page)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.i18n import format_number
from src.portfolio import schema as S
from src.widgets.i18n import current_lang, t


def derived_counts(df: pd.DataFrame) -> dict[str, int]:
    """Rows whose sector, location or end date is derived rather than reported."""
    return {
        "sector_inferred": int((df[S.COL_SECTOR_SOURCE] == "inferred").sum()),
        "sector_missing": int((df[S.COL_SECTOR_SOURCE] == "not reported").sum()),
        "country_location": int((df[S.COL_PRECISION] == "country").sum()),
        "end_derived": int((df[S.COL_END_SOURCE] != "reported").sum()),
        "rows": len(df),
    }


def render_provenance(df: pd.DataFrame) -> None:
    """An expander explaining derived values and listing the sources."""
    lang = current_lang()
    counts = {k: format_number(v, lang) for k, v in derived_counts(df).items()}
    with st.expander(t("prov.title"), icon=":material/info:"):
        st.markdown(t("prov.derived", **counts))
        st.markdown(t("prov.risk_formula"))
        st.markdown(t("prov.sources"))
