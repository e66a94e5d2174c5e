"""Cached wrappers around the data layer (the only place that caches)."""

from __future__ import annotations

import functools
from collections.abc import Callable, Hashable
from datetime import date
from typing import TYPE_CHECKING, TypeVar

import pandas as pd
import streamlit as st

from src.engine.calibration import Calibration, load_calibration
from src.engine.calibration.own import with_own_class
from src.engine.metrics import SimulationResult
from src.engine.montecarlo import run
from src.engine.scenario import Scenario
from src.engine.work_limits import Check
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables
from src.portfolio.country_part import country_rings as _country_rings
from src.portfolio.country_part import country_rows
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.filters import FilterSpec
from src.portfolio.load import (
    load_bundled_portfolio,
    load_bundled_report,
    load_bundled_side_tables,
    read_portfolio_file,
)
from src.portfolio.money_summary import MoneySummary, money_summary
from src.portfolio.schema import PortfolioMeta
from src.settings import Settings
from src.widgets import map_points
from src.widgets.auth import principal

if TYPE_CHECKING:
    from src.widgets.map_deck import RecordSource

BUNDLED = "bundled"
T = TypeVar("T")
Table = tuple[pd.DataFrame, PortfolioMeta]  # a dataset's rows and metadata

# An imported dataset is named by its random public id in every cache key, the
# session and the URL (names are unique only within an organisation). Each
# rerun asks the store whether the acting user may see it (`data_version`):
# a cached table is reached only with the version that check returns.


def data_version(dataset: str) -> str:
    """What identifies a dataset's current content, for cache keys.

    An imported dataset replaced under the same name (`import --replace`, in
    another process too) gets a new fingerprint and creation time, so every
    cached table and run keyed on it is recomputed at once. A dataset the
    acting user cannot see is "missing".
    """
    if dataset == BUNDLED:
        return BUNDLED
    from src.store.datasets import DatasetNotFoundError, dataset_info

    try:
        info = dataset_info(dataset, actor=principal())
    except (DatasetNotFoundError, ValueError):
        return "missing"  # loading it then says what is wrong
    return f"{info.id}:{info.fingerprint}:{info.created.isoformat()}"


def portfolio(dataset: str = BUNDLED, within: str | None = None) -> Table:
    """The table and metadata of a dataset ("bundled" or an imported one).

    The PORTFOLIO_FILE environment variable (a canonical CSV/Parquet) replaces
    the bundled dataset; benchmarks use it for synthetic portfolios. Cached per
    dataset content (`data_version`), one table shared by every session and
    rerun: `st.cache_data` would unpickle a copy on every call (0.1 s for 100k
    rows, several calls a rerun). Each call gets a shallow copy, which pandas'
    copy-on-write makes safe: a caller that assigns into it changes its copy,
    never the shared table. `within` (ISO3): a partner government's view, the
    country's rows with their money its own (`country_part.country_rows`).
    """
    key = (dataset, data_version(dataset), *([within] if within else []))
    df, meta = _country_portfolio(*key) if within else _portfolio(*key)
    return df.copy(deep=False), meta


@st.cache_resource(show_spinner=False, max_entries=16)
def _country_portfolio(dataset: str, version: str, iso3: str) -> Table:
    del version  # part of the cache key only
    (df, meta), side = portfolio(dataset), side_tables(dataset)
    tx = None if side is None else side.transactions
    return country_rows(df, tx, iso3, as_of=date.fromisoformat(meta.as_of)), meta


@st.cache_resource(show_spinner=False, max_entries=8)
def _portfolio(dataset: str, version: str) -> Table:
    del version  # part of the cache key only
    if dataset == BUNDLED:
        override = Settings.from_env().portfolio_file
        if override:
            return read_portfolio_file(override)
        return load_bundled_portfolio()
    from src.store.datasets import load_dataset

    return load_dataset(dataset, actor=principal())


def side_tables(dataset: str = BUNDLED) -> SideTables | None:
    """Transactions, details and budgets (None: a CSV import, PORTFOLIO_FILE).

    Shared as the portfolio table is (one set per dataset content, shallow
    copies for the caller): `st.cache_data` unpickled a copy on every call,
    8 % of an overview run.
    """
    side = _side_tables(dataset, data_version(dataset))
    if side is None:
        return None
    return SideTables(
        side.transactions.copy(deep=False),
        side.details.copy(deep=False),
        side.budgets.copy(deep=False),
    )


@st.cache_resource(show_spinner=False, max_entries=8)
def _side_tables(dataset: str, version: str) -> SideTables | None:
    if version != BUNDLED:  # imported: its IATI files' tables (store r0003), or None
        from src.store.datasets import load_dataset_side_tables as load

        return load(dataset, actor=principal())
    return None if Settings.from_env().portfolio_file else load_bundled_side_tables()


@st.cache_resource(show_spinner=False)
def country_rings() -> dict:
    """Every country's boundary rings (`country_part.country_rings`), read once."""
    return _country_rings()


def money_figures(
    dataset: str, spec: FilterSpec, within: str | None = None
) -> MoneySummary | None:
    """Follow-the-money figures of a selection; None when no transactions exist.

    Chains are walked over every loaded activity, the figures taken on the
    rows `spec` selects. For a user restricted to the country `within` (ISO3)
    the walk stops at a link into another country's activity. Cached per
    (dataset content, filters, restriction).
    """
    return _money_figures(dataset, data_version(dataset), spec, within)


@st.cache_data(show_spinner=False, max_entries=16)
def _money_figures(
    dataset: str, version: str, spec: FilterSpec, within: str | None
) -> MoneySummary | None:
    del version  # part of the cache key only
    side = side_tables(dataset)
    if side is None:
        return None
    df, _ = portfolio(dataset)
    if within is None:
        return money_summary(spec.apply(df), df, side)
    mine, _ = portfolio(dataset, within)
    others = frozenset(df[S.COL_PROJECT_ID]) - frozenset(mine[S.COL_PROJECT_ID])
    return money_summary(spec.apply(mine), mine, side, outside=others, restricted=True)


def result_indicators(dataset: str) -> pd.DataFrame | None:
    """The dataset's result indicators, values read (`results.indicators`).

    None when the dataset keeps no details (a canonical CSV). Made once per
    dataset content: the Country page and the fix-your-data list share it.
    """
    return _result_indicators(dataset, data_version(dataset))


@st.cache_data(show_spinner=False, max_entries=8)
def _result_indicators(dataset: str, version: str) -> pd.DataFrame | None:
    del version  # part of the cache key only
    from src.portfolio import results

    side = side_tables(dataset)
    return None if side is None else results.indicators(side.details)


def fix_your_data(dataset: str, spec: FilterSpec, lang: str) -> pd.DataFrame:
    """The fix-your-data list of a selection: the money and the results families.

    Empty when the dataset keeps no transactions or details (a canonical CSV).
    The results rows are in `lang`; the money rows in English, translated by
    the widget (`widgets.money_fixes`).
    """
    return _fix_your_data(dataset, data_version(dataset), spec, lang)


@st.cache_data(show_spinner=False, max_entries=16)
def _fix_your_data(
    dataset: str, version: str, spec: FilterSpec, lang: str
) -> pd.DataFrame:
    del version  # part of the cache key only
    from src.portfolio import results
    from src.portfolio.money_fixes import fix_list

    money = money_figures(dataset, spec)
    side = side_tables(dataset)
    if money is None or side is None:
        return fix_list()
    df, _ = portfolio(dataset)
    rows = spec.apply(df)
    return fix_list(
        money.fixes, results.fix_rows(rows, result_indicators(dataset), lang)
    )


def build_report(dataset: str = BUNDLED) -> DatasetReport:
    """The parse and build problems recorded with a dataset."""
    return _build_report(dataset, data_version(dataset))


@st.cache_data(show_spinner=False, max_entries=8)
def _build_report(dataset: str, version: str) -> DatasetReport:
    del version  # part of the cache key only
    if dataset == BUNDLED:
        return load_bundled_report()
    from src.store.datasets import load_dataset_report

    return load_dataset_report(dataset, actor=principal())


def point_records(
    rows: pd.DataFrame, *, dataset: str, lang: str, **options: object
) -> dict[object, dict[str, object]]:
    """The map's point record (position, colour, tooltip) of each row, by label.

    Formatting a tooltip per row was most of a map rerun; each row's record is
    made once per dataset content and language and kept (records of rows seen
    before are reused, only new rows are formatted, so a 100k-row dataset only
    formats the selections small enough to draw as points). `rows` are rows of
    `portfolio(dataset)` (a filter keeps their labels); the returned mapping
    holds at least them. Read-only: the deck builder copies what it changes.
    `options` go to `map_points.point_records` (and into the cache key);
    `point_source` gives the function `build_portfolio_deck(records=...)` takes.
    """
    memo = _point_record_memo(
        dataset, data_version(dataset), lang, tuple(sorted(options.items()))
    )
    missing = rows.loc[[label not in memo for label in rows.index]]
    if len(missing):
        fresh = map_points.point_records(missing.assign(radius=0.0), lang, **options)
        memo.update(zip(missing.index, fresh, strict=True))
    return memo


@st.cache_resource(show_spinner=False, max_entries=8)
def _point_record_memo(
    dataset: str, version: str, lang: str, options: tuple
) -> dict[object, dict[str, object]]:
    del dataset, version, lang, options  # the cache key only
    return {}


def point_source(dataset: str, lang: str, **options: object) -> RecordSource:
    """`point_records` of `dataset` in `lang`, as the deck builder calls it."""
    return functools.partial(point_records, dataset=dataset, lang=lang, **options)


def of_dataset(build: Callable[..., T], dataset: str, *args: Hashable) -> T:
    """`build(table, *args)` of the dataset's whole table, made once per content.

    For what depends on the dataset alone (filter choices, year bounds, tables
    of every row); the result is shared, so callers never change it.
    """
    name = f"{build.__module__}.{build.__qualname__}"
    return _of_dataset(name, dataset, data_version(dataset), args, build)


@st.cache_resource(show_spinner=False, max_entries=64)
def _of_dataset(
    name: str, dataset: str, version: str, args: tuple, _build: Callable[..., T]
) -> T:
    del name, version  # the cache key only
    df, _ = portfolio(dataset)
    return _build(df, *args)


def row_view(
    build: Callable[..., pd.DataFrame],
    rows: pd.DataFrame,
    dataset: str,
    *args: Hashable,
) -> pd.DataFrame:
    """`build(rows, *args)`, cut from `build` of the whole dataset made once.

    For row-wise builders (each output row depends on its input row alone, the
    output has one row per input row, in order): a filter change only picks
    rows of the cached whole (`of_dataset`). `rows` that are not rows of
    `portfolio(dataset)` are built directly.
    """
    df, _ = portfolio(dataset)
    positions = df.index.get_indexer(rows.index)
    if len(rows) and (positions < 0).any():
        return build(rows, *args)
    whole = of_dataset(build, dataset, *args)
    return whole.iloc[positions].reset_index(drop=True)


def resolve_dataset(ref: str) -> str | None:
    """The id of the dataset `ref` (id, or name in an old link), or None.

    None when the acting user can see no such dataset: the same answer for
    one that exists elsewhere as for one that does not.
    """
    if ref == BUNDLED:
        return BUNDLED
    from src.store.datasets import DatasetNotFoundError, dataset_info

    try:
        return dataset_info(ref, actor=principal()).id
    except (DatasetNotFoundError, ValueError):
        return None


def datasets() -> dict[str, str]:
    """Id -> name of the datasets the acting user can see, bundled first."""
    from src.store.datasets import list_datasets

    return {BUNDLED: BUNDLED} | {d.id: d.name for d in list_datasets(actor=principal())}


def scenario_run(
    dataset: str, spec: FilterSpec, token: str, check: Check | None = None
) -> SimulationResult:
    """One engine run of a scenario (URL token) on the filtered portfolio.

    Cached per (dataset content, filters, scenario): moving a lever back to a
    value seen before, or the baseline of any scenario with the same settings,
    is instant; a replaced dataset is simulated afresh. `check` (not part of
    the key) runs between chunks: `bounded.session_check`. A partner
    government's runs are on its country's rows (`portfolio(within=)`).
    """
    within = principal().country
    return _scenario_run(dataset, data_version(dataset), spec, token, check, within)


@st.cache_data(show_spinner=False, max_entries=64)
def _scenario_run(
    dataset: str,
    version: str,
    spec: FilterSpec,
    token: str,
    _check: Check | None,
    within: str | None = None,
) -> SimulationResult:
    del version  # part of the cache key only
    df, meta = portfolio(dataset, within)
    scenario = Scenario.from_token(token)
    return run(
        spec.apply(df).reset_index(drop=True),
        scenario,
        as_of=date.fromisoformat(meta.as_of),
        calibration=calibration(dataset, scenario.reference),
        check=_check,
    )


def calibration(dataset: str, reference: str) -> Calibration:
    """The bundled calibration, with the dataset's own class when asked for.

    Raises:
        ValueError: "own" is asked for but the dataset has no (current) class.
    """
    stored = own_class(dataset) if reference == "own" else None
    entry = stored.entry if stored else None
    return with_own_class(load_calibration(), reference, entry, dataset)


def own_class(dataset: str):  # noqa: ANN201 - StoredClass | None
    """The dataset's own reference class, if fitted on its current data."""
    if dataset == BUNDLED:
        return None
    from src.store.reference_classes import load_own_class

    _, meta = portfolio(dataset)
    return load_own_class(dataset, meta.fingerprint, actor=principal())


# Clearing the public names clears their caches (the callers clear after an
# import, a deletion or a new own reference class).
portfolio.clear = _portfolio.clear  # type: ignore[attr-defined]
scenario_run.clear = _scenario_run.clear  # type: ignore[attr-defined]
