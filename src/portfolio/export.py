"""Tables for people: names not codes, safe to open in a spreadsheet."""

from __future__ import annotations

import io

import pandas as pd

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """Prefix text cells that a spreadsheet would run as a formula with a quote.

    Numbers are left alone (a negative number is data, not a formula).

    >>> neutralise_formulas(pd.DataFrame({"a": ["=1+1", "ok", "-x"]}))["a"].tolist()
    ["'=1+1", 'ok', "'-x"]
    """
    out = df.copy()
    for col in out.columns:
        if out[col].dtype == object or pd.api.types.is_string_dtype(out[col]):
            out[col] = out[col].map(
                lambda v: (
                    "'" + v
                    if isinstance(v, str) and v.startswith(FORMULA_PREFIXES)
                    else v
                )
            )
    return out


def to_csv_bytes(df: pd.DataFrame, header_lines: list[str]) -> bytes:
    """CSV (UTF-8 with BOM for spreadsheet programs) with `# ` comment header lines."""
    buf = io.StringIO()
    for line in header_lines:
        buf.write("# " + line.replace("\n", " ") + "\n")
    neutralise_formulas(df).to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")
