"""Keyword search over the portfolio: titles, descriptions, identifiers, names.

Matching ignores case and accents ("sante" finds "Santé", "SANTÉ" finds
"sante"): both sides are folded the same way (Unicode NFKD, combining accents
dropped, case-folded). A query of several words keeps the projects whose text
holds every word (in any order, as parts of words: "vaccin" finds
"vaccination"). A project matches as a whole: all its country rows are kept.
"""

from __future__ import annotations

import re
import unicodedata

import pandas as pd

from src.portfolio import schema as S

SEARCH_COLUMNS: tuple[str, ...] = (
    S.COL_TITLE,
    S.COL_DESCRIPTION,
    S.COL_PROJECT_ID,
    S.COL_AGENCY,
    S.COL_FUNDERS,
    S.COL_IMPLEMENTERS,
)
"""The columns searched; tables from before descriptions existed lack one."""

# The combining diacritical marks block: what NFKD splits off Latin letters.
_ACCENTS = re.compile("[\u0300-\u036f]")


def fold(text: str) -> str:
    """Text as the search compares it: no accents, case-folded.

    >>> fold("Santé ÉDUCATION Straße")
    'sante education strasse'
    """
    return _ACCENTS.sub("", unicodedata.normalize("NFKD", text)).casefold()


def terms(query: str) -> list[str]:
    """The folded words of a query (empty for a blank query).

    >>> terms("  Vaccin  Côte ")
    ['vaccin', 'cote']
    """
    return fold(query).split()


def _folded_text(projects: pd.DataFrame) -> pd.Series:
    cols = [c for c in SEARCH_COLUMNS if c in projects]
    text = projects[cols[0]].astype(str)
    for col in cols[1:]:
        text = text + "\n" + projects[col].astype(str)
    folded = text.str.normalize("NFKD").str.replace(_ACCENTS, "", regex=True)
    return folded.str.casefold()


def matching_ids(df: pd.DataFrame, query: str) -> set[str]:
    """Identifiers of the projects whose searched text holds every query word."""
    words = terms(query)
    projects = df.drop_duplicates(S.COL_PROJECT_ID)
    if not words:
        return set(projects[S.COL_PROJECT_ID])
    text = _folded_text(projects)
    keep = pd.Series(True, index=projects.index)
    for word in words:
        keep &= text.str.contains(word, regex=False)
    return set(projects.loc[keep, S.COL_PROJECT_ID])


def search_mask(df: pd.DataFrame, query: str) -> pd.Series:
    """Boolean row mask: the rows of the projects matching `query`."""
    if not terms(query):
        return pd.Series(True, index=df.index)
    return df[S.COL_PROJECT_ID].isin(matching_ids(df, query))
