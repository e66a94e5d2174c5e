"""IATI codelist names: from the bundled CSV copies, or per language from the XML.

The CSV copies carry English only; the XML codelists beside them carry the
``xml:lang`` narratives (French for most Sector and SectorCategory codes).
"""

from __future__ import annotations

from functools import cache

import pandas as pd
from lxml import etree

from src.iati.reader import SAFE_PARSER_OPTIONS
from src.portfolio import paths

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"


@cache
def codelist(name: str) -> dict[str, str]:
    """Code -> English name for one bundled IATI codelist (e.g. "ActivityStatus")."""
    df = pd.read_csv(paths.CODELIST_DIR / f"{name}.csv", dtype=str)
    return dict(zip(df["code"], df["name"], strict=True))


@cache
def codelist_names(name: str, lang: str) -> dict[str, str]:
    """Code -> name in `lang` from the bundled XML codelist `name` (e.g. "Sector").

    The name is the ``<name>`` narrative with ``xml:lang`` = `lang`; a code
    without one keeps its English narrative (the one with no ``xml:lang``, the
    codelist's own language, or ``xml:lang="en"``). The IATI codelists carry
    English and, for most codes, French; no Spanish, so "es" gives English.
    Parsed once per (codelist, language), with entities, DTD and network off.

    >>> codelist_names("SectorCategory", "fr")["122"]
    'Santé de Base'
    >>> codelist_names("SectorCategory", "es")["122"]
    'Basic Health'
    """
    path = paths.CODELIST_DIR / f"{name}.xml"
    root = etree.parse(str(path), etree.XMLParser(**SAFE_PARSER_OPTIONS)).getroot()
    default = root.get(XML_LANG, "en")
    names: dict[str, str] = {}
    for item in root.iter("codelist-item"):
        code = (item.findtext("code") or "").strip()
        by_lang = {
            n.get(XML_LANG, default): (n.text or "").strip()
            for n in item.findall("name/narrative")
        }
        text = by_lang.get(lang) or by_lang.get("en")
        if code and text:
            names[code] = text
    return names


def activity_status_names() -> dict[str, str]:
    """ActivityStatus code -> name ("2" -> "Implementation")."""
    return codelist("ActivityStatus")
