"""Tables for people: names not codes, safe to open in a spreadsheet."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence

import pandas as pd

from src.i18n import translate
from src.portfolio.schema import PortfolioMeta

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


def to_csv_bytes(df: pd.DataFrame, comment_lines: Sequence[str] = ()) -> bytes:
    """A plain CSV: one header row, missing values empty.

    UTF-8 with a BOM, so spreadsheet programs read the accents, and
    `pandas.read_csv` opens it with no option. What a table is (filters,
    date, source, derived columns) goes in a separate notes file
    (`to_notes_bytes`). Only the import template has `comment_lines`
    (``# `` lines, which the import skips).
    """
    buf = io.StringIO()
    for line in comment_lines:
        buf.write("# " + line.replace("\n", " ") + "\n")
    neutralise_formulas(df).to_csv(buf, index=False)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def to_notes_bytes(lines: list[str]) -> bytes:
    """The notes that go with a CSV, one paragraph a line (UTF-8 text)."""
    return ("\ufeff" + "\n".join(s.replace("\n", " ") for s in lines) + "\n").encode(
        "utf-8"
    )


def source_line(
    meta: PortfolioMeta,
    lang: str,
    *,
    long: bool = False,
    escape: Callable[[str], str] = str,
) -> str:
    """The "Source:" line of a table, briefing or panel for this dataset.

    An imported dataset names its own files; the bundled sample names the
    agencies' IATI files. `long` gives the full line (licences, dates);
    `escape` is applied to the names (Markdown, where rendered).

    >>> source_line(PortfolioMeta("2021-06-01", "f", "mine", ("a.csv",)), "en")[:40]
    'Source: the files of the imported datase'
    """
    if not meta.files:
        return translate("brief.sources" if long else "export.source", lang)
    key = "brief.sources_own" if long else "export.source_own"
    files = ", ".join(meta.files)
    return translate(key, lang, name=escape(meta.name), files=escape(files))
