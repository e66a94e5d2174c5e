"""Cells and groups: the row order the kernel sums in, and the per-group index.

Rows are summed in cells of the default grouping (sector group, region,
country) whatever `group_by` asks for, and a row's own noise is taken by its
rank in a canonical order (project id, country), so a result depends only on
the rows, the scenario, the seed and the trials.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.engine.inputs import Rows
from src.portfolio import schema as S

DEFAULT_GROUP_BY = (S.COL_SECTOR_GROUP, S.COL_REGION, S.COL_COUNTRY)


def cell_order(
    portfolio: pd.DataFrame, group_by: tuple[str, ...]
) -> tuple[np.ndarray, np.ndarray]:
    """Sort order putting rows of one cell together, and cell starts.

    Cells are the combinations of the default grouping columns present in the
    table (sector group, region, country) and any other `group_by` column, so a
    run grouped by any subset of the defaults (or not at all) sums the same
    cells in the same order and gives identical portfolio figures. Within a
    cell, rows are in canonical order (project id, country, input position).
    """
    missing = [c for c in group_by if c not in portfolio.columns]
    if missing:
        msg = f"group_by column(s) {missing} are not in the portfolio"
        raise ValueError(msg)
    key = [c for c in DEFAULT_GROUP_BY if c in portfolio.columns]
    key += [c for c in group_by if c not in key]
    codes = [
        pd.factorize(portfolio[c].astype(str).fillna(""), sort=True)[0] for c in key
    ]
    tie = [
        pd.factorize(portfolio[c].astype(str).fillna(""), sort=True)[0]
        for c in (S.COL_PROJECT_ID, S.COL_COUNTRY)
        if c in portfolio.columns
    ]
    order = np.lexsort([np.arange(len(portfolio)), *tie[::-1], *codes[::-1]])
    if not codes:
        return order, np.array([0])
    k = np.stack([c[order] for c in codes], axis=1)
    change = np.any(k[1:] != k[:-1], axis=1)
    return order, np.concatenate([[0], np.flatnonzero(change) + 1])


@dataclass(frozen=True)
class GroupMeta:
    """The groups of one group_by column.

    Attributes:
        column: the column. labels: group labels (object array, sorted).
        rows: rows per group. active: rows not cancelled per group (float).
        budget: budget per group (USD).
    """

    column: str
    labels: np.ndarray
    rows: np.ndarray
    active: np.ndarray
    budget: np.ndarray


def group_index(
    frame: pd.DataFrame,
    rows: Rows,
    group_by: tuple[str, ...],
    starts: np.ndarray,
) -> tuple[list[GroupMeta], np.ndarray, np.ndarray]:
    """Groups of every group_by column, as segments of a permutation of cells.

    Returns:
        (meta, perm, gstarts): meta is one `GroupMeta` per column;
        `np.add.reduceat(cell_sums[:, perm], gstarts, axis=1)` gives the sums
        of every group of every column, in meta order.
    """
    cell_of_row = np.repeat(np.arange(len(starts)), np.diff([*starts, rows.n]))
    active = (~rows.cancelled).astype(float)
    meta, perms, gstarts = [], [], []
    offset = 0
    for col in group_by:
        labels = frame[col].astype(str).fillna("").to_numpy()
        codes, uniq = pd.factorize(labels[starts], sort=True)
        perm = np.argsort(codes, kind="stable")
        gstarts.append(offset + np.searchsorted(codes[perm], np.arange(len(uniq))))
        perms.append(perm)
        offset += len(perm)
        rcode = codes[cell_of_row]
        meta.append(
            GroupMeta(
                column=col,
                labels=np.asarray(uniq, dtype=object),
                rows=np.bincount(rcode, minlength=len(uniq)),
                active=np.bincount(rcode, active, len(uniq)),
                budget=np.bincount(rcode, rows.budget, len(uniq)),
            )
        )
    if not meta:
        return meta, np.zeros(0, np.intp), np.zeros(0, np.intp)
    return meta, np.concatenate(perms), np.concatenate(gstarts)


def canonical_position(frame: pd.DataFrame) -> np.ndarray:
    """Rank of each row in the canonical order (project id, country, position).

    >>> f = pd.DataFrame({S.COL_PROJECT_ID: ["b", "a"], S.COL_COUNTRY: ["X", "Y"]})
    >>> canonical_position(f).tolist()
    [1, 0]
    """
    keys = [
        frame[c].astype(str).fillna("").to_numpy()
        for c in (S.COL_PROJECT_ID, S.COL_COUNTRY)
        if c in frame.columns
    ]
    order = np.lexsort([np.arange(len(frame)), *keys[::-1]])
    pos = np.empty(len(frame), dtype=np.intp)
    pos[order] = np.arange(len(frame))
    return pos
