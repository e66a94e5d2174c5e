"""Translation catalogs and locale formatting."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from src.i18n import (
    LANGUAGES,
    PLURAL_OPTIONAL,
    PLURAL_SETTINGS,
    catalog,
    format_date,
    format_money,
    format_number,
    format_percent,
    plural_categories,
    translate,
)
from src.portfolio import schema as S
from tests.conftest import ROOT

KEY_CALL = re.compile(r"\b(?:t|translate)\(\s*[\"']([a-z_]+\.[^\"']+)[\"']")


def used_keys() -> set[str]:
    """Every literal key passed to t()/translate() in the code."""
    keys: set[str] = set()
    files = [ROOT / "dashboard.py", *ROOT.glob("pages/*.py"), *ROOT.glob("src/**/*.py")]
    for path in files:
        keys |= set(KEY_CALL.findall(path.read_text(encoding="utf-8")))
    return {k for k in keys if not k.endswith(".")}


def dynamic_keys() -> set[str]:
    """Keys built from data values (prefix + value)."""
    regions = pd.read_csv(
        ROOT / "data/raw/indicators/wb_class_income_lending_fy2024.csv",
        encoding="utf-8-sig",
        keep_default_na=False,
    )
    regions = regions[(regions.Code != "") & (regions.Region != "")]
    statuses = pd.read_csv(ROOT / "data/raw/iati/codelists/ActivityStatus.csv")
    keys = {f"sector.{g}" for g in S.ALL_SECTOR_GROUPS}
    keys |= {f"risk.{r}" for r in S.RISK_LEVELS}
    keys |= {f"region.{r}" for r in set(regions.Region) | {S.REGIONAL}}
    keys |= {f"income.{i}" for i in set(regions["Income group"]) - {""}}
    keys |= {f"status.{s}" for s in statuses.name}
    keys |= {f"sector_source.{s}" for s in S.SECTOR_SOURCES}
    keys |= {f"precision.{p}" for p in S.PRECISIONS}
    return keys


def test_code_uses_some_keys():
    assert len(used_keys()) > 50


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_catalog_has_every_key_used_in_code(lang):
    missing = (used_keys() | dynamic_keys()) - set(catalog(lang))
    assert not missing, f"{lang}.json lacks {sorted(missing)}"


def forms(entry: str | dict[str, str]) -> dict[str, str]:
    """The texts of a catalog entry by plural category (a plain text is ``other``)."""
    if isinstance(entry, str):
        return {"other": entry}
    return {k: v for k, v in entry.items() if k not in PLURAL_SETTINGS}


def placeholders(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)", text))


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) - {"en"}))
def test_catalogs_have_the_same_keys_and_placeholders(lang):
    en, other = catalog("en"), catalog(lang)
    assert set(en) == set(other)
    for key in en:
        assert type(en[key]) is type(other[key]), key
        wanted = placeholders(forms(en[key])["other"])
        for text in [*forms(en[key]).values(), *forms(other[key]).values()]:
            assert placeholders(text) == wanted, (lang, key, text)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_plural_entries_have_the_forms_the_language_needs(lang):
    # Babel 2.18's CLDR: en {one, other}; fr and es {one, many, other}, "many"
    # being exact millions, which fall back to "other" (PLURAL_OPTIONAL).
    needed = {"en": {"one", "other"}, "fr": {"one", "other"}, "es": {"one", "other"}}
    assert plural_categories(lang) - PLURAL_OPTIONAL == needed[lang]
    plural = {k: v for k, v in catalog(lang).items() if isinstance(v, dict)}
    assert len(plural) >= 15
    for key, entry in plural.items():
        assert needed[lang] <= set(forms(entry)) <= plural_categories(lang), key
        count = entry.get("count", "n")
        assert count in placeholders(entry["other"]), (key, count)


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) - {"en"}))
def test_a_plural_entry_counts_the_same_keyword_in_every_language(lang):
    # the caller passes the count raw and formats the other numbers itself:
    # every language must count (and round) the same one
    en, other = catalog("en"), catalog(lang)
    for key, entry in en.items():
        if isinstance(entry, dict):
            settings = {k: v for k, v in entry.items() if k in PLURAL_SETTINGS}
            assert settings == {
                k: v for k, v in other[key].items() if k in PLURAL_SETTINGS
            }, (lang, key)


@pytest.mark.parametrize(
    ("key", "lang", "kwargs", "expected"),
    [
        # one decimal shown: CLDR reads "1.0" as plural in English, every
        # number below 2 as singular in French, exactly 1 as singular in Spanish
        ("unit.months", "en", {"value": 1}, "1.0 months"),
        ("unit.months", "en", {"value": 1.5}, "1.5 months"),
        ("unit.months", "es", {"value": 0.96}, "1,0 mes"),  # as shown, not 0.96
        ("unit.months", "es", {"value": 1.5}, "1,5 meses"),
        ("unit.months", "fr", {"value": 1.96}, "2,0 mois"),
        ("scen.lever_phrase.risk", "fr", {"change": 1.5, "target": "X"},
         "risque +1,5 point INFORM dans X"),
        ("scen.lever_phrase.risk", "fr", {"change": 2.0, "target": "X"},
         "risque +2,0 points INFORM dans X"),
        ("scen.lever_phrase.risk", "es", {"change": 1.04, "target": "X"},
         "riesgo +1,0 punto INFORM en X"),
        # a whole count: 0.96 is shown as 1, singular; a float 1.0 is 1
        ("scen.n_projects", "en", {"n": 0.96}, "1 project"),
        ("scen.n_projects", "en", {"n": 1.0}, "1 project"),
        ("scen.n_projects", "en", {"n": float("nan")}, "– projects"),
    ],
)  # fmt: skip
def test_a_plural_count_takes_the_form_of_the_number_as_shown(
    key, lang, kwargs, expected
):
    assert translate(key, lang, **kwargs) == expected


def test_plural_forms_follow_each_language_rule():
    assert translate("scen.n_projects", "en", n=1) == "1 project"
    assert translate("scen.n_projects", "en", n=2) == "2 projects"
    assert translate("scen.n_projects", "en", n=0) == "0 projects"
    assert translate("scen.n_projects", "fr", n=0) == "0 projet"
    assert translate("scen.n_projects", "fr", n=1) == "1 projet"
    assert translate("scen.n_projects", "fr", n=2) == "2 projets"
    assert translate("scen.n_projects", "es", n=1) == "1 proyecto"
    assert translate("scen.n_projects", "es", n=0) == "0 proyectos"


def test_a_plural_count_is_a_number_formatted_for_the_locale():
    assert translate("scen.n_projects", "en", n=1234) == "1,234 projects"
    fr = translate("scen.n_projects", "fr", n=1_000_000).replace("\u202f", " ")
    assert fr == "1 000 000 projets"  # "many" falls back to "other"
    assert translate("scen.n_projects", "en", n=np.int64(1)) == "1 project"
    with pytest.raises(TypeError, match="number"):
        translate("scen.n_projects", "en", n="1")


def test_an_entry_may_count_another_keyword():
    assert (
        translate("quality.counts", "en", read=1, kept=1) == "1 activity read, 1 kept."
    )
    assert translate("quality.counts", "es", read=3, kept=2) == (
        "3 actividades leídas, 2 conservadas."
    )
    assert translate("search.title", "fr", count=1, query="eau") == (
        "1 projet trouvé pour « eau »"
    )


def test_catalog_files_are_valid_json():
    for path in (ROOT / "src/i18n/locales").glob("*.json"):
        assert isinstance(json.loads(path.read_text(encoding="utf-8")), dict)


def test_money_formats_per_locale():
    assert format_money(1_234_500_000, "en") == "US$1,234.5M"
    fr = format_money(1_234_500_000, "fr")
    assert fr.replace("\u202f", " ").replace("\xa0", " ") == "1 234,5 M$US"
    assert format_money(12_300, "en") == "US$12.3K"


def test_numbers_percent_and_dates_per_locale():
    assert format_number(1234567, "en") == "1,234,567"
    assert format_number(1234567, "fr").replace("\u202f", " ") == "1 234 567"
    assert format_percent(0.256, "en") == "26%"
    assert (
        format_percent(0.256, "fr").replace("\u202f", " ").replace("\xa0", " ")
        == "26 %"
    )
    assert format_date("2021-06-30", "en") == "Jun 30, 2021"
    assert format_date("2021-06-30", "fr") == "30 juin 2021"
    assert format_money(float("nan"), "en") == "–"


@pytest.mark.parametrize("lang", sorted(set(LANGUAGES) - {"en"}))
def test_no_catalog_is_a_copy_of_english(lang):
    en, other = catalog("en"), catalog(lang)
    same = [k for k in en if en[k] == other[k] and len(en[k]) > 12]
    assert len(same) < 5, same
    assert Path(ROOT / f"src/i18n/locales/{lang}.json").exists()


PROBLEM_KEY = re.compile(
    r"[\"']((?:iati|build|import|problem)\.[a-z0-9_.]*[a-z0-9_])[\"']"
)


def problem_keys() -> set[str]:
    """Every literal problem key (iati.*, build.*, import.*) in src/."""
    keys: set[str] = set()
    for path in ROOT.glob("src/**/*.py"):
        keys |= set(PROBLEM_KEY.findall(path.read_text(encoding="utf-8")))
    return keys


@pytest.mark.parametrize("prefix", ["iati.", "build."])
def test_every_parser_and_builder_key_in_the_catalog_is_used(prefix):
    used = {k for k in problem_keys() if k.startswith(prefix)}
    listed = {k for k in catalog("en") if k.startswith(prefix)}
    assert used == listed
    assert {"iati.file.doctype", "iati.no_title", "build.no_rate"} & listed


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_catalog_has_every_problem_key_used_in_code(lang):
    missing = problem_keys() - set(catalog(lang))
    assert not missing, f"{lang}.json lacks {sorted(missing)}"
