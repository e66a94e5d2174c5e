"""Messages that once faked their plural with "(s)" are plural entries now.

Each expected text is written out here, independently of the catalogs: a count
of 1 reads singular, 2 plural; French also reads 0 singular.
"""

from __future__ import annotations

import re

import pytest

from src.i18n import LANGUAGES, catalog, translate
from src.portfolio.imports import import_files
from src.portfolio.imports.report import named_bytes
from src.problems import Problem, problem_text, reason_text

KENYA = {"country": "Kenya"}
ROW = {"row": 3, "column": "title"}

CASES = [
    # (key, count keyword, other keywords, lang, count, expected)
    ("build.outside_bbox", "count", KENYA, "en", 1,
     "1 point outside Kenya's bounding box"),
    ("build.outside_bbox", "count", KENYA, "en", 2,
     "2 points outside Kenya's bounding box"),
    ("build.outside_bbox", "count", KENYA, "fr", 0,
     "0 point hors du rectangle englobant de Kenya"),
    ("build.outside_bbox", "count", KENYA, "fr", 1,
     "1 point hors du rectangle englobant de Kenya"),
    ("build.outside_bbox", "count", KENYA, "fr", 2,
     "2 points hors du rectangle englobant de Kenya"),
    ("build.outside_bbox", "count", KENYA, "es", 1,
     "1 punto fuera del rectángulo envolvente de Kenya"),
    ("build.outside_bbox", "count", KENYA, "es", 2,
     "2 puntos fuera del rectángulo envolvente de Kenya"),
    ("build.outside_bbox_region", "count", {}, "en", 1,
     "1 point outside the region's bounding box"),
    ("build.outside_bbox_region", "count", {}, "en", 2,
     "2 points outside the region's bounding box"),
    ("build.outside_bbox_region", "count", {}, "fr", 0,
     "0 point hors du rectangle englobant de la région"),
    ("build.outside_bbox_region", "count", {}, "fr", 1,
     "1 point hors du rectangle englobant de la région"),
    ("build.outside_bbox_region", "count", {}, "fr", 2,
     "2 points hors du rectangle englobant de la région"),
    ("build.outside_bbox_region", "count", {}, "es", 1,
     "1 punto fuera del rectángulo envolvente de la región"),
    ("build.outside_bbox_region", "count", {}, "es", 2,
     "2 puntos fuera del rectángulo envolvente de la región"),
    ("import.control_chars", "count", ROW, "en", 1,
     "row 3: title held 1 control character such as NUL; removed"),
    ("import.control_chars", "count", ROW, "en", 2,
     "row 3: title held 2 control characters such as NUL; removed"),
    ("import.control_chars", "count", ROW, "fr", 0,
     "ligne 3 : title contenait 0 caractère de contrôle (NUL par ex.) ; supprimé"),
    ("import.control_chars", "count", ROW, "fr", 1,
     "ligne 3 : title contenait 1 caractère de contrôle (NUL par ex.) ; supprimé"),
    ("import.control_chars", "count", ROW, "fr", 2,
     "ligne 3 : title contenait 2 caractères de contrôle (NUL par ex.) ; supprimés"),
    ("import.control_chars", "count", ROW, "es", 1,
     "fila 3: title tenía 1 carácter de control como NUL; eliminado"),
    ("import.control_chars", "count", ROW, "es", 2,
     "fila 3: title tenía 2 caracteres de control como NUL; eliminados"),
    ("import.file.missing_columns", "n", {"columns": "a"}, "en", 1,
     "missing 1 required column: a; use the template"),
    ("import.file.missing_columns", "n", {"columns": "a, b"}, "en", 2,
     "missing 2 required columns: a, b; use the template"),
    ("import.file.missing_columns", "n", {"columns": ""}, "fr", 0,
     "0 colonne obligatoire manquante :  ; utilisez le modèle"),
    ("import.file.missing_columns", "n", {"columns": "a"}, "fr", 1,
     "1 colonne obligatoire manquante : a ; utilisez le modèle"),
    ("import.file.missing_columns", "n", {"columns": "a, b"}, "fr", 2,
     "2 colonnes obligatoires manquantes : a, b ; utilisez le modèle"),
    ("import.file.missing_columns", "n", {"columns": "a"}, "es", 1,
     "falta 1 columna obligatoria: a; use la plantilla"),
    ("import.file.missing_columns", "n", {"columns": "a, b"}, "es", 2,
     "faltan 2 columnas obligatorias: a, b; use la plantilla"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x"}, "en", 1,
     "row 1: 1 column not in the template (x); ignored"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x, y"}, "en", 2,
     "row 1: 2 columns not in the template (x, y); ignored"),
    ("import.unknown_columns", "n", {"row": 1, "columns": ""}, "fr", 0,
     "ligne 1 : 0 colonne absente du modèle () ; ignorée"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x"}, "fr", 1,
     "ligne 1 : 1 colonne absente du modèle (x) ; ignorée"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x, y"}, "fr", 2,
     "ligne 1 : 2 colonnes absentes du modèle (x, y) ; ignorées"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x"}, "es", 1,
     "fila 1: 1 columna no figura en la plantilla (x); se ignora"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x, y"}, "es", 2,
     "fila 1: 2 columnas no figuran en la plantilla (x, y); se ignoran"),
]  # fmt: skip

CONVERTED = sorted({case[0] for case in CASES})

FAKE_PLURAL = re.compile(r"\w\((?:s|x|es|e|n)\)")
"""A word with its plural in brackets: point(s), caractère(s), carácter(es)."""

LEFT_AS_IS: frozenset[str] = frozenset()
"""Keys deliberately keeping a bracketed plural (none)."""


@pytest.mark.parametrize(("key", "name", "other", "lang", "count", "expected"), CASES)
def test_a_converted_message_reads_singular_or_plural(
    key, name, other, lang, count, expected
):
    assert translate(key, lang, **other, **{name: count}) == expected


@pytest.mark.parametrize("key", CONVERTED)
def test_every_converted_message_is_tested_in_each_language(key):
    tested = {(lang, count) for k, _, _, lang, count, _ in CASES if k == key}
    wanted = {("en", 1), ("en", 2), ("fr", 0), ("fr", 1), ("fr", 2)}
    assert tested == wanted | {("es", 1), ("es", 2)}
    for lang in LANGUAGES:
        assert isinstance(catalog(lang)[key], dict), (lang, key)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_catalog_text_fakes_a_plural_with_brackets(lang):
    faked = []
    for key, entry in catalog(lang).items():
        texts = entry.values() if isinstance(entry, dict) else [entry]
        if key not in LEFT_AS_IS and any(FAKE_PLURAL.search(t) for t in texts):
            faked.append(key)
    assert not faked, f"{lang}.json: {faked}"


def _csv(header: str, row: str) -> bytes:
    return f"{header}\n{row}\n".encode()


BASE = (
    "project_id,title,country_iso3,sector_group,start_date,end_date,"
    "budget_usd,spent_usd"
)


def test_the_import_counts_missing_columns_as_a_raw_number():
    report = import_files([named_bytes("x.csv", b"project_id,title\nA,b\n")])
    (problem,) = report.errors
    assert problem.key == "import.file.missing_columns"
    assert isinstance(problem.params["n"], int)
    columns = problem.params["columns"]
    assert problem.params["n"] == len(columns.split(", ")) > 1
    assert f"required columns: {columns};" in problem.message


def test_the_import_counts_unknown_columns_as_a_raw_number():
    data = _csv(
        f"{BASE},extra_a,extra_b",
        "P-1,Clinics,SEN,Health,2021-01-15,2023-12-31,1000,0,1,2",
    )
    report = import_files([named_bytes("x.csv", data)])
    (problem,) = [p for p in report.problems if p.key == "import.unknown_columns"]
    assert problem.params == {"row": 1, "columns": "extra_a, extra_b", "n": 2}
    assert problem_text(problem, "fr") == (
        "ligne 1 : 2 colonnes absentes du modèle (extra_a, extra_b) ; ignorées"
    )


@pytest.mark.parametrize(
    ("key", "params", "expected"),
    [
        (
            "import.unknown_columns",
            {"row": 1, "columns": "zz"},
            "row 1: 1 column not in the template (zz); ignored",
        ),
        (
            "import.file.missing_columns",
            {"columns": "title, country_iso3"},
            "missing 2 required columns: title, country_iso3; use the template",
        ),
    ],
)
def test_a_problem_stored_without_its_count_still_reads(key, params, expected):
    stored = {"key": key, "params": params, "file": "", "severity": "warning"}
    problem = Problem.from_json(stored)
    assert problem.params["n"] == len(params["columns"].split(", "))
    assert reason_text(problem, "en") == expected
