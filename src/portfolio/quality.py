"""Data-quality report: what is missing, derived or suspicious, with counts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.corrections import CORRECTION_KEYS, DUPLICATE, SELF_RECEIVER
from src.portfolio.results import REPAIRED, VALUE_COLUMNS
from src.portfolio.rows import OUTSIDE_KEYS, UNCONVERTED_KEY
from src.problems import Problem


@dataclass(frozen=True)
class QualityCheck:
    """One line of the report.

    Attributes:
        key: stable identifier (also the translation key suffix).
        label: English description.
        rows: number of portfolio rows concerned.
        projects: number of distinct projects concerned.
        ids: the project identifiers concerned (for drill-down).
    """

    key: str
    label: str
    rows: int
    projects: int
    ids: tuple[str, ...]


def _check(df: pd.DataFrame, mask: pd.Series, key: str, label: str) -> QualityCheck:
    ids = tuple(dict.fromkeys(df.loc[mask, S.COL_PROJECT_ID]))
    return QualityCheck(key, label, int(mask.sum()), len(ids), ids)


def quality_report(
    df: pd.DataFrame,
    build_problems: Iterable[Problem] = (),
    indicators: pd.DataFrame | None = None,
) -> list[QualityCheck]:
    """Counts of missing or derived fields in a portfolio table.

    Args:
        df: the portfolio table.
        build_problems: the build report's problems, for the checks that only
            the build can see (matched by message key).
        indicators: `results.indicators` of the dataset, for the check of
            result values repaired from text; None when it publishes no
            result indicators (the check is then left out, not counted 0).
    """
    problems = list(build_problems)
    extra = [] if indicators is None else [_repaired_check(df, indicators)]

    def from_build(key: str, label: str, keys: tuple[str, ...]) -> QualityCheck:
        ids = {p.item for p in problems if p.key in keys}
        return _check(df, df[S.COL_PROJECT_ID].isin(ids), key, label)

    return [
        _check(
            df,
            df[S.COL_SECTOR_SOURCE] == "not reported",
            "no_sector",
            "No sector reported or inferable",
        ),
        _check(
            df,
            df[S.COL_SECTOR_SOURCE] == "inferred",
            "sector_inferred",
            "Sector inferred from the title",
        ),
        _check(
            df,
            df[S.COL_PRECISION] == "country",
            "country_location",
            "Placed at the country's label point (no site coordinates)",
        ),
        _check(df, df[S.COL_PRECISION] == "none", "no_location", "No location at all"),
        _check(
            df,
            df[S.COL_END_SOURCE] != "reported",
            "no_planned_end",
            "No planned end date (end derived or missing)",
        ),
        _check(
            df,
            df[S.COL_SPENT] > df[S.COL_BUDGET] * 1.0001,
            "spend_above_budget",
            "Spend above budget",
        ),
        _check(
            df,
            ~df[S.COL_SPEND_REPORTED],
            "no_spend",
            "No disbursement or expenditure reported",
        ),
        _check(df, df[S.COL_BUDGET] <= 0, "no_budget", "No budget (or zero)"),
        from_build(
            "unknown_currency",
            "Value in a currency without a rate",
            (UNCONVERTED_KEY,),
        ),
        from_build(
            "outside_bbox",
            "Coordinates outside the country's bounding box",
            OUTSIDE_KEYS,
        ),
        from_build(
            "commitment_received",
            "Money received published as outgoing commitments (counted as incoming)",
            (CORRECTION_KEYS[SELF_RECEIVER],),
        ),
        from_build(
            "commitment_duplicate",
            "Commitments repeating incoming funds (left out of totals)",
            (CORRECTION_KEYS[DUPLICATE],),
        ),
        *extra,
    ]


def _repaired_values(indicators: pd.DataFrame) -> pd.DataFrame:
    """One row per result value repaired from text.

    Returns:
        project_id, row (the indicator's position in `indicators`), repairs.
    """
    ind = indicators.reset_index(drop=True)
    parts = [
        pd.DataFrame(
            {
                S.COL_PROJECT_ID: ind.loc[mask, S.COL_PROJECT_ID],
                "row": ind.index[mask],
                "repairs": ind.loc[mask, f"{col}_repairs"],
            }
        )
        for col in VALUE_COLUMNS
        for mask in [ind[f"{col}_state"] == REPAIRED]
    ]
    return pd.concat(parts, ignore_index=True)


def _repaired_check(df: pd.DataFrame, indicators: pd.DataFrame) -> QualityCheck:
    ids = set(_repaired_values(indicators)[S.COL_PROJECT_ID])
    return _check(
        df,
        df[S.COL_PROJECT_ID].isin(ids),
        "result_repaired",
        "Result values repaired from text (read as numbers)",
    )


REPAIR_COLUMNS: tuple[str, ...] = ("publisher", "repairs", "values", "indicators")


def result_repairs(df: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Result values read as numbers only after a repair, per publisher and rule.

    A value such as ``2020:2,160`` is read as 2160 by the rules of
    `results.read_value` (year prefix, separators, percent sign); the results
    ladder and achievement use the repaired number, flagged as such.

    Args:
        df: the portfolio rows (the selection; names each project's publisher).
        indicators: `results.indicators` of the dataset.

    Returns:
        Columns `REPAIR_COLUMNS`: publisher, repairs (the rules applied,
        "+"-joined, as `results.Value.repairs`), values (baseline, target and
        actual values repaired), indicators (with at least one); sorted by
        publisher and rule. Empty when nothing was repaired.
    """
    publisher = df.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)[
        S.COL_AGENCY
    ]
    rep = _repaired_values(indicators)
    rep = rep[rep[S.COL_PROJECT_ID].isin(publisher.index)]
    rep["publisher"] = rep[S.COL_PROJECT_ID].map(publisher).astype(str)
    out = rep.groupby(["publisher", "repairs"], as_index=False).agg(
        values=(S.COL_PROJECT_ID, "size"), indicators=("row", "nunique")
    )
    out = out.astype({"values": int, "indicators": int})
    return out.sort_values(["publisher", "repairs"], ignore_index=True)[
        list(REPAIR_COLUMNS)
    ]


CORRECTION_COLUMNS: tuple[str, ...] = ("publisher", "check", "transactions", "usd")


def correction_counts(
    df: pd.DataFrame, build_problems: Iterable[Problem]
) -> pd.DataFrame:
    """Transactions corrected before adding up, per publisher and correction.

    Args:
        df: the portfolio table (names the publisher of each activity).
        build_problems: the build report's problems (`corrections` keys carry
            the count and USD of each activity's corrected transactions).

    Returns:
        Columns `CORRECTION_COLUMNS`: publisher (reporting organisation), check
        (the `quality_report` key), transactions, usd; one row per pair found,
        sorted by publisher and check. Empty when nothing was corrected.
    """
    check = {CORRECTION_KEYS[k]: name for k, name in _CORRECTION_CHECKS.items()}
    publisher = df.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)[
        S.COL_AGENCY
    ]
    rows = [
        (
            str(publisher.get(p.item, p.file)),
            check[p.key],
            int(p.params.get("count") or 0),
            float(p.params.get("usd") or 0.0),
        )
        for p in build_problems
        if p.key in check
    ]
    out = pd.DataFrame(rows, columns=list(CORRECTION_COLUMNS))
    out = out.groupby(["publisher", "check"], as_index=False)[
        ["transactions", "usd"]
    ].sum()
    return out.sort_values(["publisher", "check"], ignore_index=True)


_CORRECTION_CHECKS = {
    SELF_RECEIVER: "commitment_received",
    DUPLICATE: "commitment_duplicate",
}


def derived_counts(df: pd.DataFrame) -> dict[str, int]:
    """Rows whose sector, location or end date is derived rather than reported."""
    return {
        "sector_inferred": int((df[S.COL_SECTOR_SOURCE] == "inferred").sum()),
        "sector_missing": int((df[S.COL_SECTOR_SOURCE] == "not reported").sum()),
        "country_location": int((df[S.COL_PRECISION] == "country").sum()),
        "end_derived": int((df[S.COL_END_SOURCE] != "reported").sum()),
        "rows": len(df),
    }
