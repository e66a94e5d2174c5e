"""The cached portfolio table is shared, never copied per call, never changed.

`cache.portfolio` keeps one table per dataset content for every session
(`st.cache_resource`) and hands each caller a shallow copy-on-write copy. These
tests check that no page changes the shared table, and that a caller assigning
into what it got changes only its own copy.
"""

from __future__ import annotations

import pandas as pd
import pytest

import dashboard
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from src.widgets import cache
from tests.pages import helpers


def _digest(df: pd.DataFrame) -> tuple:
    """Values, labels, columns and dtypes of a table, in a comparable form."""
    values = pd.util.hash_pandas_object(df, index=True).to_numpy().tobytes()
    return values, tuple(df.columns), tuple(map(str, df.dtypes))


def _shared() -> pd.DataFrame:
    """The one cached bundled table itself (not a caller's copy)."""
    return cache._portfolio(cache.BUNDLED, cache.BUNDLED)[0]


@pytest.fixture
def fresh_table() -> tuple:
    """The bundled table as the data layer reads it from its file, digested."""
    return _digest(load_bundled_portfolio()[0])


def test_no_page_changes_the_shared_table(fresh_table):
    helpers.open_page(None)  # the shared table is made by the first run
    shared = _shared()
    assert _digest(shared) == fresh_table
    for path, _title, _icon in dashboard.PAGES:
        at = helpers.open_page(path, {"country": "KEN", "c": "KEN"})
        at.sidebar.multiselect[0].select("Health")  # a filtered selection too
        at.run()
        assert not at.exception, (path, at.exception)
        assert _shared() is shared, f"{path}: the table was loaded again"
        assert _digest(shared) == fresh_table, f"{path} changed the shared table"


def test_a_caller_assigning_into_its_table_leaves_the_shared_one_alone(
    fresh_table,
):
    helpers.open_page(None)
    df, _ = cache.portfolio()
    assert df is not _shared()
    df[S.COL_BUDGET] = 0.0
    df.loc[df.index[0], S.COL_COUNTRY] = "XXX"
    df.iloc[1, 0] = "changed"
    df["new_column"] = 1
    assert _digest(_shared()) == fresh_table
    again, _ = cache.portfolio()
    assert _digest(again) == fresh_table
    assert again[S.COL_BUDGET].sum() == pytest.approx(
        load_bundled_portfolio()[0][S.COL_BUDGET].sum()
    )
