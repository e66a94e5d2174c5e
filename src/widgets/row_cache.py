"""What is built from a selection of a dataset's rows, made once per selection.

A rerun that keeps the selection (a map control, coming back to a page, a new
session opening the default view) reads the KPIs, breakdowns, quarterly flows
and the map's deck from here instead of building them again. The key is what
really changes: the dataset's content (`cache.data_version`) and which of its
rows are selected (their positions in the whole table), plus the builder's
own arguments.

Only for rows of `cache.portfolio(dataset)` as they are, or of its restricted
view (`cache.portfolio(within=)`, whose recomputed rows carry labels of their
own): a frame with other rows is built directly; a frame with the same row
labels but changed values must not be passed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Hashable
from typing import TypeVar

import pandas as pd
import streamlit as st

from src.widgets import cache

T = TypeVar("T")


def _labels(df: pd.DataFrame) -> pd.Index:
    return df.index


def selection_key(rows: pd.DataFrame, dataset: str) -> str | None:
    """A digest of which rows of the dataset `rows` are; None if not all are."""
    labels = cache.of_dataset(_labels, dataset)
    if not labels.is_unique:
        return None
    positions = labels.get_indexer(rows.index)
    if rows.index.dtype.kind == "i":
        # a restricted view's recomputed row (`country_part.country_rows`,
        # labelled -1 - its position): one value per row and dataset content
        # (only its country's view has it), keyed after the table's rows
        own = rows.index.to_numpy()
        mine = (positions < 0) & (own < 0) & (own >= -len(labels))
        positions[mine] = len(labels) - 1 - own[mine]
    if (positions < 0).any():
        return None
    return hashlib.blake2b(positions.tobytes(), digest_size=16).hexdigest()


def of_rows(
    build: Callable[..., T], rows: pd.DataFrame, dataset: str, *args: Hashable
) -> T:
    """`build(rows, *args)`, made once per dataset content, selection and args.

    The result is shared between reruns and sessions: callers never change it.
    """
    key = selection_key(rows, dataset)
    if key is None:
        return build(rows, *args)
    name = f"{build.__module__}.{build.__qualname__}"
    version = cache.data_version(dataset)
    return _of_rows(name, dataset, version, key, args, rows, build)


@st.cache_resource(show_spinner=False, max_entries=64)
def _of_rows(
    name: str,
    dataset: str,
    version: str,
    key: str,
    args: tuple,
    _rows: pd.DataFrame,
    _build: Callable[..., T],
) -> T:
    del name, dataset, version, key  # the cache key only
    return _build(_rows, *args)
