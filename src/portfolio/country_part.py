"""A country's part of a multi-country project: its transactions and its sites.

A user restricted to one country (a partner government) sees only that
country's part of a project that spans several (`frame.restricted` keeps the
project's row for the country; these functions cut its side tables):

* a transaction that names a recipient country (IATI
  ``transaction/recipient-country``, `schema.TX_COUNTRY`) counts in full for
  that country and not at all for another (and is never shown to another);
* a transaction that names none is the whole project's: it counts at the
  country's percentage (``recipient-country/@percentage``, the row's
  `schema.COL_COUNTRY_SHARE`), a derived figure, and is not listed one by one;
* a site (``location/point``) is the country's when it lies inside the
  country's boundary (Natural Earth 1:50m), or offshore of it: inside no
  country and within its bounding box (half a degree around it, as the map's
  own check in `rows`).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from src.portfolio import paths
from src.portfolio import schema as S
from src.portfolio.canonical import derive_indicators
from src.portfolio.filters import FilterSpec
from src.portfolio.reference import feature_parts
from src.portfolio.rows import TOTAL_OF_TYPE

Rings = list[np.ndarray]  # each (n, 2): lon, lat
MARGIN = 0.5  # degrees around a country's box for offshore sites


def transaction_weights(
    rows: pd.DataFrame, transactions: pd.DataFrame, *, by_country: bool = False
) -> pd.Series:
    """The weight of each transaction of the rows' projects in the rows' money.

    Args:
        rows: portfolio rows; a project's country shares of its rows add.
        transactions: the transactions table.
        by_country: a restricted view: a transaction naming a recipient
            country weighs 1 when a row of its project is that country's, else
            0; one naming none weighs the share.

    Returns:
        Indexed as `transactions`, only the rows' projects' transactions.

    >>> rows = pd.DataFrame({"project_id": ["M"], "country_iso2": ["KE"],
    ...                      "country_share": [0.25]})
    >>> tx = pd.DataFrame({"project_id": ["M", "M", "M", "X"],
    ...                    "recipient_country": ["", "KE", "UG", ""]})
    >>> transaction_weights(rows, tx).tolist()
    [0.25, 0.25, 0.25]
    >>> transaction_weights(rows, tx, by_country=True).tolist()
    [0.25, 1.0, 0.0]
    """
    pid = S.COL_PROJECT_ID
    shares = rows.groupby(pid)[S.COL_COUNTRY_SHARE].sum()
    tx = transactions.loc[transactions[pid].isin(shares.index)]
    weight = tx[pid].map(shares).astype(float)
    if not by_country or S.TX_COUNTRY not in tx:
        return weight
    named = tx[S.TX_COUNTRY].astype(object).fillna("").astype(str)
    pairs = set(rows[pid].astype(str) + "|" + rows[S.COL_COUNTRY_ISO2].astype(str))
    mine = (tx[pid].astype(str) + "|" + named).isin(pairs)
    return weight.where(named == "", mine.astype(float))


TX_MONEY: tuple[str, ...] = (S.COL_SPENT, S.COL_COMMITTED, S.COL_INCOMING)
"""The row money columns that add up transactions (`rows.TOTAL_OF_TYPE`)."""


def country_rows(
    df: pd.DataFrame,
    transactions: pd.DataFrame | None,
    iso3: str,
    *,
    as_of: date | None,
) -> pd.DataFrame:
    """`iso3`'s rows of `df`, a project's money from transactions the country's.

    A partner government's view (`frame.restricted`). A project of which a
    counted transaction names a recipient country (`split_projects`) gets its
    `TX_MONEY` from the transactions table as money over time adds them
    (`transaction_weights(by_country=True)`, USD at the value date's rate, a
    value with no rate counting 0): one naming the country in full, one naming
    another not at all, one naming none at the row's share (derived). Every
    other row keeps its share of the project's totals, the same figure. Budget
    stays the share (IATI budgets name no country); the derived indicators
    are recomputed for the rows that changed, which get new index labels
    (-1 - their position in `df`): they are not `df`'s rows, so nothing made
    per row of `df` is taken for them. No `transactions`: the rows as they are;
    `as_of` None: the derived indicators are not recomputed.

    >>> df = pd.DataFrame({"project_id": ["M", "M"], "country_iso3": ["KEN", "UGA"],
    ...     "country_iso2": ["KE", "UG"], "country_share": [0.5, 0.5],
    ...     "budget_usd": [1000.0, 1000.0], "spent_usd": [250.0, 250.0],
    ...     "committed_usd": [0.0, 0.0], "incoming_usd": [0.0, 0.0]})
    >>> tx = pd.DataFrame({"project_id": ["M", "M"], "transaction_type": ["3", "3"],
    ...     "usd": [500.0, 0.0], "counted": [True, True],
    ...     "recipient_country": ["KE", "UG"]})
    >>> ke = country_rows(df, tx, "KEN", as_of=None)
    >>> ke[["budget_usd", "spent_usd"]].to_dict("records"), ke.index.tolist()
    ([{'budget_usd': 1000.0, 'spent_usd': 500.0}], [-1])
    """
    rows = FilterSpec(countries=(iso3,)).apply(df)
    split = split_projects(rows, transactions)
    if not split:
        return rows
    pid = S.COL_PROJECT_ID
    tx = transactions[transactions[pid].isin(split) & transactions[S.TX_COUNTED]]
    part = rows[rows[pid].isin(split)].copy()
    usd = tx[S.TX_USD].fillna(0.0) * transaction_weights(part, tx, by_country=True)
    column = tx[S.TX_TYPE].map(TOTAL_OF_TYPE)
    sums = usd.groupby([tx[pid], column]).sum().unstack(fill_value=0.0)
    # a project's rows here (one, but for a repeated country) split it by share
    by = part.groupby(pid)[S.COL_COUNTRY_SHARE]
    total, n = by.transform("sum"), by.transform("size")
    factor = (part[S.COL_COUNTRY_SHARE] / total).where(total > 0, 1 / n)
    for col in TX_MONEY:
        got = part[pid].map(sums[col]) if col in sums else 0.0
        part[col] = (got * factor).fillna(0.0).astype(float)
    if as_of is not None:
        part = derive_indicators(part, as_of)
    out = pd.concat([rows[~rows[pid].isin(split)], part]).loc[rows.index]
    changed = out[pid].isin(split).to_numpy()
    labels = np.where(changed, -1 - df.index.get_indexer(out.index), out.index)
    return out.set_axis(pd.Index(labels), axis=0)


def recomputed_projects(rows: pd.DataFrame) -> int:
    """How many projects of `country_rows`' rows have their money recomputed.

    >>> recomputed_projects(pd.DataFrame({"project_id": ["M", "N"]}, index=[-4, 2]))
    1
    """
    labels = rows.index.to_numpy()
    if not np.issubdtype(labels.dtype, np.integer):
        return 0
    return int(rows.loc[labels < 0, S.COL_PROJECT_ID].nunique())


def split_projects(rows: pd.DataFrame, transactions: pd.DataFrame | None) -> set[str]:
    """The projects of `rows` of which a counted transaction names a country."""
    if transactions is None or S.TX_COUNTRY not in transactions:
        return set()
    tx = transactions[transactions[S.COL_PROJECT_ID].isin(rows[S.COL_PROJECT_ID])]
    named = tx[S.TX_COUNTRY].astype(object).fillna("").astype(str) != ""
    return set(tx.loc[named & tx[S.TX_COUNTED].astype(bool), S.COL_PROJECT_ID])


@dataclass(frozen=True)
class CountryPart:
    """How a restricted view's multi-country projects' transactions are cut.

    Attributes:
        projects: projects of the rows that span several countries (share < 1).
        named: their transactions naming the country (counted in full).
        elsewhere: naming another country (left out).
        unnamed: naming none (counted at the country's share: derived).
    """

    projects: int
    named: int
    elsewhere: int
    unnamed: int


def country_part(rows: pd.DataFrame, transactions: pd.DataFrame) -> CountryPart:
    """The `CountryPart` of the rows' (one country's) multi-country projects."""
    shares = rows.groupby(S.COL_PROJECT_ID)[S.COL_COUNTRY_SHARE].sum()
    split = shares[shares < 1.0 - 1e-9].index
    tx = transactions[transactions[S.COL_PROJECT_ID].isin(split)]
    weight = transaction_weights(rows, tx, by_country=True)
    named = (
        tx[S.TX_COUNTRY].astype(object).fillna("").astype(str)
        if S.TX_COUNTRY in tx
        else pd.Series("", tx.index)
    )
    return CountryPart(
        projects=len(split),
        named=int(((named != "") & (weight > 0)).sum()),
        elsewhere=int(((named != "") & (weight == 0)).sum()),
        unnamed=int((named == "").sum()),
    )


def project_transactions(
    tx: pd.DataFrame, *, iso2: str, share: float
) -> tuple[pd.DataFrame, int]:
    """A project's transactions one may list to a user restricted to `iso2`.

    Those naming the country; also those naming none when the project is the
    country's alone (`share` 1). Returns (listed, unnamed ones not listed).
    """
    named = (
        tx[S.TX_COUNTRY].astype(object).fillna("").astype(str)
        if S.TX_COUNTRY in tx
        else pd.Series("", tx.index)
    )
    whole = share >= 1.0 - 1e-9
    listed = tx[(named == iso2) | ((named == "") & whole)]
    hidden = 0 if whole else int((named == "").sum())
    return listed, hidden


def country_rings(path: Path = paths.COUNTRIES_GEOJSON) -> dict[str, Rings]:
    """Every country's boundary rings (outer and holes), by ISO3."""
    with path.open(encoding="utf-8") as fh:
        source = json.load(fh)
    out: dict[str, Rings] = {}
    for feature in source["features"]:
        for iso3, _, polys in feature_parts(feature):
            rings = out.setdefault(iso3, [])
            rings += [
                np.asarray(ring, dtype=float)[:, :2] for poly in polys for ring in poly
            ]
    return out


def _inside(lon: np.ndarray, lat: np.ndarray, rings: Rings) -> np.ndarray:
    """Even-odd rule over every ring (holes and islands come out right)."""
    inside = np.zeros(len(lon), dtype=bool)
    for ring in rings:
        x1, y1 = ring[:, 0], ring[:, 1]
        x2, y2 = np.roll(x1, -1), np.roll(y1, -1)
        for i in range(len(lon)):
            crosses = (y1 > lat[i]) != (y2 > lat[i])
            with np.errstate(divide="ignore", invalid="ignore"):
                at = x1 + (lat[i] - y1) * (x2 - x1) / (y2 - y1)
            inside[i] ^= bool((crosses & (lon[i] < at)).sum() % 2)
    return inside


def sites_in(points: pd.DataFrame, iso3: str, rings: dict[str, Rings]) -> pd.Series:
    """Which of `points` (lat, lon) are `iso3`'s sites (see the module docstring).

    >>> square = {"AAA": [np.array([[0, 0], [2, 0], [2, 2], [0, 2]])],
    ...           "BBB": [np.array([[2, 0], [4, 0], [4, 2], [2, 2]])]}
    >>> pts = pd.DataFrame({"lat": [1, 1, 2.3, 1], "lon": [1, 3, 1, -0.3]})
    >>> sites_in(pts, "AAA", square).tolist()
    [True, False, True, True]
    """
    lon = points[S.DT_LON].to_numpy(dtype=float)
    lat = points[S.DT_LAT].to_numpy(dtype=float)
    own = rings.get(iso3, [])
    if not own:
        return pd.Series(False, points.index)
    mine = _inside(lon, lat, own)
    every = np.concatenate(own)
    lo, hi = every.min(axis=0) - MARGIN, every.max(axis=0) + MARGIN
    near = (lon >= lo[0]) & (lon <= hi[0]) & (lat >= lo[1]) & (lat <= hi[1])
    offshore = near & ~mine
    for other, their in rings.items():
        if other == iso3 or not offshore.any():
            continue
        box = np.concatenate(their)
        (x0, y0), (x1, y1) = box.min(axis=0), box.max(axis=0)
        maybe = offshore & (lon >= x0) & (lon <= x1) & (lat >= y0) & (lat <= y1)
        if maybe.any():
            idx = np.flatnonzero(maybe)
            offshore[idx[_inside(lon[idx], lat[idx], their)]] = False
    return pd.Series(mine | offshore, points.index)
