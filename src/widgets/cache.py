"""Cached wrappers around the data layer (the only place that caches)."""

from __future__ import annotations

import os
from pathlib import Path

import pandas as pd
import streamlit as st

from src.portfolio.load import (
    load_bundled_portfolio,
    load_bundled_report,
    read_portfolio_file,
)
from src.portfolio.schema import PortfolioMeta

BUNDLED = "bundled"


@st.cache_data(show_spinner=False, max_entries=8)
def portfolio(dataset: str = BUNDLED) -> tuple[pd.DataFrame, PortfolioMeta]:
    """The table and metadata of a dataset ("bundled" or an imported one).

    The PORTFOLIO_FILE environment variable (a canonical CSV/Parquet) replaces
    the bundled dataset; benchmarks use it for synthetic portfolios.
    """
    if dataset == BUNDLED:
        override = os.environ.get("PORTFOLIO_FILE")
        if override:
            return read_portfolio_file(Path(override))
        return load_bundled_portfolio()
    from src.store.datasets import load_dataset

    return load_dataset(dataset)


@st.cache_data(show_spinner=False, max_entries=8)
def build_report(dataset: str = BUNDLED) -> dict[str, object]:
    """The parse and build problems recorded with a dataset."""
    if dataset == BUNDLED:
        return load_bundled_report()
    from src.store.datasets import load_dataset_report

    return load_dataset_report(dataset)


def dataset_names() -> list[str]:
    """Bundled first, then the imported datasets in the store."""
    try:
        from src.store.datasets import list_datasets
    except ImportError:  # the store arrives with the import feature
        return [BUNDLED]
    return [BUNDLED, *(d.name for d in list_datasets())]
