"""The canonical table's columns: schema dtypes, derived indicators, country context.

Every source (the bundled IATI build, a user's CSV, an import) goes through the
same three steps, so the derived values never depend on where a row came from.
"""

from __future__ import annotations

from datetime import date

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
