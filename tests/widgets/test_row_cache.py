"""Builds of a selection made once per selection (row_cache) and decks' JSON once."""

from __future__ import annotations

import json

import pandas as pd
from pydeck.bindings.json_tools import default_serialize

from src.portfolio import schema as S
from src.widgets import cache, row_cache
from src.widgets.map_deck import build_portfolio_deck

CALLS: list[list[object]] = []


def budget_total(rows: pd.DataFrame, scale: float) -> float:
    """A builder that notes every call (the rows it was given)."""
    CALLS.append(list(rows.index))
    return float(rows[S.COL_BUDGET].sum()) * scale


def test_a_selection_is_built_once_and_another_selection_again(app_data_dir):
    row_cache._of_rows.clear()
    CALLS.clear()
    df, _ = cache.portfolio(cache.BUNDLED)
    first, second = df.iloc[:3], df.iloc[3:5]
    expected = float(df[S.COL_BUDGET].iloc[0:3].sum())

    assert row_cache.of_rows(budget_total, first, cache.BUNDLED, 1.0) == expected
    # the same rows again (another frame holding them, as a rerun's filter makes)
    again = df.loc[list(first.index)]
    assert row_cache.of_rows(budget_total, again, cache.BUNDLED, 1.0) == expected
    assert [list(first.index)] == CALLS
    # other rows, or other arguments: built again
    assert row_cache.of_rows(budget_total, second, cache.BUNDLED, 1.0) == float(
        df[S.COL_BUDGET].iloc[3:5].sum()
    )
    assert row_cache.of_rows(budget_total, first, cache.BUNDLED, 2.0) == 2 * expected
    assert len(CALLS) == 3


def test_rows_not_of_the_dataset_are_built_directly(app_data_dir, tiny_portfolio):
    CALLS.clear()
    df, _ = cache.portfolio(cache.BUNDLED)
    foreign = tiny_portfolio.set_axis(range(len(df) + 10, len(df) + 10 + 4))
    foreign = foreign.iloc[:4]
    assert row_cache.selection_key(foreign, cache.BUNDLED) is None
    expected = float(foreign[S.COL_BUDGET].sum())
    assert row_cache.of_rows(budget_total, foreign, cache.BUNDLED, 1.0) == expected
    assert row_cache.of_rows(budget_total, foreign, cache.BUNDLED, 1.0) == expected
    assert len(CALLS) == 2


def test_a_decks_json_is_made_once_and_is_the_compact_json(tiny_portfolio):
    from src.portfolio.summary import by_country

    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio), tiny_portfolio, metric="budget", lang="en"
    )
    text = deck.to_json()
    assert deck.to_json() is text
    assert json.loads(text) == json.loads(
        json.dumps(deck, default=default_serialize, sort_keys=True)
    )


def test_a_restricted_views_recomputed_rows_have_a_key_of_their_own(app_data_dir):
    CALLS.clear()
    df, _ = cache.portfolio(cache.BUNDLED)
    plain = df.iloc[:3]
    # row 1 recomputed for a restricted view (`country_part.country_rows`)
    changed = plain.set_axis([0, -2, 2]).assign(
        **{
            S.COL_BUDGET: [
                plain[S.COL_BUDGET].iloc[0],
                7.0,
                plain[S.COL_BUDGET].iloc[2],
            ]
        }
    )
    keys = {row_cache.selection_key(f, cache.BUNDLED) for f in (plain, changed)}
    assert None not in keys
    assert len(keys) == 2
    expected = float(plain[S.COL_BUDGET].iloc[[0, 2]].sum()) + 7.0
    assert row_cache.of_rows(budget_total, changed, cache.BUNDLED, 1.0) == expected
    assert row_cache.of_rows(budget_total, changed, cache.BUNDLED, 1.0) == expected
    assert CALLS == [[0, -2, 2]]
    # a label below every position is no row of the view: built directly
    beyond = plain.set_axis([0, -len(df) - 1, 2])
    assert row_cache.selection_key(beyond, cache.BUNDLED) is None
