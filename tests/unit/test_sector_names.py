"""Sector names in the UI language, from the IATI codelists' xml:lang narratives."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from src.portfolio import paths
from src.portfolio.sectors import dac3_names, sector_name, sector_names

LANG_ATTR = "{http://www.w3.org/XML/1998/namespace}lang"


def names_read_by_hand(codelist: str, lang: str) -> dict[str, str]:
    """Code -> the <name> narrative in `lang`, else the one without xml:lang."""
    root = ET.parse(paths.CODELIST_DIR / f"{codelist}.xml").getroot()
    out = {}
    for item in root.iter("codelist-item"):
        narratives = item.find("name").findall("narrative")
        english = next(n.text for n in narratives if n.get(LANG_ATTR) is None)
        wanted = [n.text for n in narratives if n.get(LANG_ATTR) == lang]
        out[item.find("code").text] = (wanted or [english])[0].strip()
    return out


def english_csv(codelist: str) -> dict[str, str]:
    df = pd.read_csv(paths.CODELIST_DIR / f"{codelist}.csv", dtype=str)
    return dict(zip(df["code"], df["name"], strict=True))


def test_french_names_copied_from_the_xml_by_hand():
    # Sector.xml, code 12220; SectorCategory.xml, code 122 (capital B as published)
    assert sector_names("fr")["12220"] == "Soins et services de santé de base"
    assert dac3_names("fr")["122"] == "Santé de Base"
    assert sector_names("en")["12220"] == "Basic health care"


@pytest.mark.parametrize(
    ("read", "codelist"), [(sector_names, "Sector"), (dac3_names, "SectorCategory")]
)
def test_every_french_name_is_the_xml_narrative_else_english(read, codelist):
    expected = names_read_by_hand(codelist, "fr")
    assert read("fr") == expected
    english = english_csv(codelist)
    translated = sum(expected[c] != english[c] for c in english)
    assert translated > 0.8 * len(english)  # most codes have a French name


def test_a_code_without_a_french_name_keeps_its_english_one():
    # Sector.xml publishes no French narrative for 15162
    assert sector_names("fr")["15162"] == "Human rights"


@pytest.mark.parametrize(
    ("read", "codelist"), [(sector_names, "Sector"), (dac3_names, "SectorCategory")]
)
def test_spanish_and_english_are_the_english_codelist(read, codelist):
    english = english_csv(codelist)
    assert read("en") == english
    assert read("es") == english  # the IATI codelists carry no Spanish


def test_an_unknown_code_keeps_the_callers_fallback():
    assert sector_name("99999", "fr", "From the file") == "From the file"
    assert sector_name("", "fr") == ""
    assert "999" not in dac3_names("fr")
