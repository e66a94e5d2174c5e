"""The Assumptions table: readable, translated, one row per calibration parameter."""

from __future__ import annotations

import json

import pytest

from src.i18n import LANGUAGES, catalog
from src.widgets.assumptions import build_assumptions_table
from tests.conftest import ROOT

PARAMS = json.loads(
    (ROOT / "data/calibration/calibration.json").read_text(encoding="utf-8")
)["parameters"]
# Prefixes of catalog keys: a cell starting with one is an untranslated key.
KEY_PREFIXES = ("param.", "param_desc.", "param_unit.", "param_range_source.")
KEY_PREFIXES += ("source.", "scen.", "sector.")
# Fixed English phrases of the calibration file's sources.
ENGLISH_PHRASES = (
    "assumption",
    "no published value",
    "literature",
    "ADB fit",
    "research note",
    "informed by",
    "model convention",
    "reporting convention",
    " months",
)


def table(lang):
    return build_assumptions_table(PARAMS, lang).set_axis(list(PARAMS), axis=0)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_the_table_has_one_readable_row_per_parameter_and_no_internal_name(lang):
    df = build_assumptions_table(PARAMS, lang)
    assert len(df) == len(PARAMS)
    labels = df.iloc[:, 0].tolist()
    assert len(set(labels)) == len(PARAMS)  # one distinct label per parameter
    cells = [str(c) for c in df.to_numpy().ravel()] + list(df.columns)
    for name in PARAMS:
        assert not [c for c in cells if name in c], name
    assert not [c for c in cells if c.startswith(KEY_PREFIXES)]


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_sources_and_units_keep_no_fixed_english_phrase(lang):
    df = table(lang)
    source, unit = df.columns[6], df.columns[2]
    for text in df[source].tolist() + df[unit].tolist():
        assert not [p for p in ENGLISH_PHRASES if p in text], text


def test_sources_are_translated_and_citations_kept_as_written():
    fr = table("fr")["Source"]
    assert fr["capacity.floor"] == (
        "hypothèse (aucune valeur publiée trouvée ; réglable, présentée comme "
        "telle dans l'application)"
    )
    country = fr["shocks.country_share"]
    assert country.startswith("Ajustement BAsD : ")
    assert "(data/raw/reference/adb_ied_aer2024_approved_1991_2008.csv)" in country
    assert "Denizer, Kaufmann & Kraay [14]; Bulman, Kolkma & Kraay [15]" in country
    es = table("es")["Fuente"]
    assert es["cost.delay_pp_per_year"] == (
        "literatura: Cantarelli et al. [2][3] (+5 pp de costo por año adicional)"
    )


def test_values_and_ranges_are_formatted_for_the_locale():
    fr, en = table("fr"), table("en")
    # 0.8 with range 0.7-0.9; 0.616494 and 68.501027 to three significant digits.
    assert fr.loc["capacity.rho0", "Valeur"] == "0,8"
    assert fr.loc["capacity.rho0", "Plage plausible"] == "0,7 à 0,9"
    assert en.loc["capacity.rho0", "Plausible range"] == "0.7 – 0.9"
    assert fr.loc["schedule.b", "Valeur"] == "0,616"
    assert en.loc["defaults.planned_months_fallback", "Value"] == "68.5"
    assert fr.loc["cost.cap_ratio", "Valeur"] == "10"
    assert fr.loc["cost.tail_xi", "Valeur"] == (
        "Énergie : 0,2; Infrastructures et transports : 0,2; "
        "tous groupes (ensemble) : 0"
    )
    with_range = {n for n, s in PARAMS.items() if "low" in s and "high" in s}
    empty = set(fr.index[fr["Plage plausible"] == ""])
    assert empty == set(PARAMS) - with_range
    assert set(fr.index[fr["Fondement de la plage"] != ""]) == with_range


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_parameter_and_unit_has_its_keys_in_every_catalog(lang):
    keys = set(catalog(lang))
    for name, spec in PARAMS.items():
        wanted = {f"param.{name}", f"param_desc.{name}", f"param_unit.{spec['unit']}"}
        if "range_source" in spec:
            wanted.add(f"param_range_source.{name}")
        assert wanted <= keys, sorted(wanted - keys)


def test_english_descriptions_and_range_bases_are_the_calibration_files():
    en = catalog("en")
    for name, spec in PARAMS.items():
        assert en[f"param_desc.{name}"] == spec["description"], name
        if "range_source" in spec:
            assert en[f"param_range_source.{name}"] == spec["range_source"], name
