"""The canonical table: schema dtypes, derived indicators, country context.

Every source (the bundled IATI build, a user's CSV or Parquet, an import's
accepted rows, a test's hand-written rows) goes through the same steps, so the
derived values never depend on where a row came from. `read_canonical` is the
one reader of a canonical-columns table.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

from src.portfolio import schema as S
from src.portfolio.reference import country_reference
from src.portfolio.risk import risk_level, risk_score, slippage

DERIVED_COLUMNS = frozenset(
    {S.COL_DELIVERY, S.COL_ELAPSED, S.COL_SLIPPAGE, S.COL_RISK_SCORE, S.COL_RISK}
)
INPUT_COLUMNS = [c for c in S.COLUMNS if c not in DERIVED_COLUMNS]
"""The schema's columns before `derive_indicators`, in schema order."""


def derive_indicators(df: pd.DataFrame, as_of: date) -> pd.DataFrame:
    """Add delivery ratio, time elapsed, slippage and the risk score and level.

    Works on any table with the canonical input columns, so a user's CSV gets
    exactly the same derived values as the bundled IATI data.
    """
    out = df.copy()
    budget = out[S.COL_BUDGET].astype(float)
    spent = out[S.COL_SPENT].astype(float)
    out[S.COL_DELIVERY] = (spent / budget).where(budget > 0)
    out.loc[~out[S.COL_SPEND_REPORTED].astype(bool), S.COL_DELIVERY] = np.nan
    start = pd.to_datetime(out[S.COL_START])
    end = pd.to_datetime(out[S.COL_END])
    now = pd.Timestamp(as_of)
    span = (end - start).dt.days.astype(float)
    elapsed = ((now - start).dt.days / span).where(span > 0)
    out[S.COL_ELAPSED] = elapsed.clip(0, 1)
    out[S.COL_SLIPPAGE] = slippage(out[S.COL_ELAPSED], out[S.COL_DELIVERY])
    out[S.COL_RISK_SCORE] = risk_score(out)
    out[S.COL_RISK] = risk_level(out[S.COL_RISK_SCORE])
    return out


def coerce_types(df: pd.DataFrame) -> pd.DataFrame:
    """Cast columns present in `df` to the schema's dtypes."""
    out = df.copy()
    for col in S.STRING_COLUMNS:
        if col in out:
            out[col] = out[col].fillna("").astype(str)
    for col in S.FLOAT_COLUMNS:
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype(float)
    for col in S.INT_COLUMNS:
        if col in out:
            out[col] = pd.to_numeric(out[col], errors="coerce").astype("Int64")
    for col in S.BOOL_COLUMNS:
        if col in out:
            out[col] = out[col].fillna(False).astype(bool)
    for col in S.DATE_COLUMNS:
        if col in out:
            out[col] = pd.to_datetime(out[col], errors="coerce")
    return out


def enrich_countries(df: pd.DataFrame) -> pd.DataFrame:
    """Fill country context (names, region, risk, capacity, label point) from ISO3.

    Used for user-supplied tables, which carry only the country code; values the
    user did give are kept.
    """
    ref = country_reference()
    out = df.copy()
    iso3 = out[S.COL_COUNTRY].fillna("").astype(str).str.upper().str.strip()
    out[S.COL_COUNTRY] = iso3
    pairs = (
        (S.COL_COUNTRY_ISO2, "iso2"),
        (S.COL_COUNTRY_NAME, "name"),
        (S.COL_REGION, "region"),
        (S.COL_INCOME, "income_group"),
        (S.COL_INFORM, "inform_risk"),
        (S.COL_INFORM_CLASS, "inform_class"),
        (S.COL_GE, "wgi_ge"),
        (S.COL_GE_PCT, "wgi_ge_pct"),
        (S.COL_GE_YEAR, "wgi_year"),
    )
    for col, ref_col in pairs:
        mapped = iso3.map(ref[ref_col])
        current = out[col] if col in out else pd.Series(pd.NA, index=out.index)
        blank = current.isna() | (current.astype(str) == "")
        out[col] = current.where(~blank, mapped)
    out[S.COL_REGION] = out[S.COL_REGION].fillna("").replace("", S.REGIONAL)
    no_point = out[S.COL_LAT].isna() | out[S.COL_LON].isna()
    if no_point.any():
        out.loc[no_point, S.COL_LAT] = (
            iso3[no_point].map(ref["label_lat"]).astype(float)
        )
        out.loc[no_point, S.COL_LON] = (
            iso3[no_point].map(ref["label_lon"]).astype(float)
        )
    precision = out[S.COL_PRECISION].fillna("").astype(str)
    precision = precision.where(precision != "", "site")
    precision = precision.where(~no_point, "country")
    out[S.COL_PRECISION] = precision.where(out[S.COL_LAT].notna(), "none")
    return out


CanonicalSource = str | os.PathLike[str] | pd.DataFrame | Iterable[Mapping[str, object]]
"""A .csv or .parquet path, a DataFrame, or row dicts keyed by column name."""

_TRUE_TEXT = frozenset({"true", "1", "yes"})


def read_canonical(source: CanonicalSource, *, as_of: date) -> pd.DataFrame:
    """Read any table with the canonical input columns into the canonical table.

    The one reader for user files (app and CLI), import rows and test rows:

    * a path must be .csv (UTF-8, BOM allowed) or .parquet; CSV cells are read
      as text, so identifiers such as ``"007"`` or ``"NA"`` stay as written;
    * every `schema.REQUIRED_INPUT_COLUMNS` column must be present, and a start
      or end date that is given must be a valid date (else ValueError naming
      the file and the columns);
    * the other columns are optional; blanks get the country context from the
      ISO3 code (`enrich_countries`, the user's own values and points kept),
      a country share from the project's budget split over its rows (1 for a
      one-row project), and "spend reported" where spent is given;
    * the derived indicators are computed for `as_of`.

    Returns:
        The table with exactly `schema.COLUMNS`.
    """
    name, df = _frame(source)
    missing = [c for c in S.REQUIRED_INPUT_COLUMNS if c not in df.columns]
    if missing:
        msg = f"{name}: lacks required column(s): {', '.join(missing)}"
        raise ValueError(msg)
    _check_dates(df, name)
    for col in S.COLUMNS:
        if col not in df.columns:
            df[col] = pd.NA
    spend_unknown = df[S.COL_SPEND_REPORTED].isna()
    df = coerce_types(df)
    df[S.COL_SPEND_REPORTED] = df[S.COL_SPEND_REPORTED].where(
        ~spend_unknown, df[S.COL_SPENT].notna()
    )
    df[S.COL_COUNTRY_SHARE] = df[S.COL_COUNTRY_SHARE].fillna(_budget_shares(df))
    df = coerce_types(enrich_countries(df))
    return derive_indicators(df, as_of)[list(S.COLUMNS)]


def _frame(source: CanonicalSource) -> tuple[str, pd.DataFrame]:
    """(name for messages, a fresh DataFrame with blanks as missing values)."""
    if isinstance(source, pd.DataFrame):
        return "table", source.copy()
    if not isinstance(source, str | os.PathLike):
        return "rows", pd.DataFrame(list(source))
    path = Path(source)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".parquet"):
        msg = f"{path.name}: expected a .csv or .parquet file"
        raise ValueError(msg)
    if not path.exists():
        msg = f"{path}: file not found"
        raise ValueError(msg)
    try:
        if suffix == ".parquet":
            return path.name, pd.read_parquet(path)
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (OSError, ValueError, pd.errors.ParserError) as exc:
        msg = f"{path.name}: cannot be read ({exc})"
        raise ValueError(msg) from None
    df = df.replace("", pd.NA)
    for col in S.BOOL_COLUMNS:
        if col in df:
            text = df[col].str.strip().str.lower()
            df[col] = text.isin(_TRUE_TEXT).where(text.notna(), pd.NA)
    return path.name, df


def _check_dates(df: pd.DataFrame, name: str) -> None:
    for col in (S.COL_START, S.COL_END):
        raw = df[col]
        parsed = pd.to_datetime(raw, errors="coerce")
        bad = int((parsed.isna() & raw.notna() & (raw.astype(str) != "")).sum())
        if bad:
            msg = f"{name}: column {col!r} has {bad} invalid date(s)"
            raise ValueError(msg)


def _budget_shares(df: pd.DataFrame) -> pd.Series:
    """Each row's share of its project's budget (equal shares when it is 0)."""
    by_project = df.groupby(S.COL_PROJECT_ID, dropna=False)[S.COL_BUDGET]
    totals = by_project.transform("sum")
    counts = by_project.transform("size")
    return (df[S.COL_BUDGET] / totals).where(totals > 0, 1 / counts)
