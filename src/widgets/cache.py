"""Cached wrappers around the data layer (the only place that caches)."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from src.portfolio.load import load_bundled_portfolio, load_bundled_report
from src.portfolio.schema import PortfolioMeta


@st.cache_data(show_spinner=False)
def portfolio() -> tuple[pd.DataFrame, PortfolioMeta]:
    """The active portfolio table and its metadata."""
    return load_bundled_portfolio()


@st.cache_data(show_spinner=False)
def build_report() -> dict[str, object]:
    """The parse and build problems of the bundled portfolio."""
    return load_bundled_report()
