"""Numbers in problems are kept raw and written per locale when the text is made.

French groups thousands with a narrow no-break space (U+202F), Spanish with a
dot, and both write a decimal comma and a no-break space before "%" (U+00A0).
Stored reports written before kept the number as English text ("100,000");
they still read, in each language's own way.
"""

from __future__ import annotations

import pytest

from src.portfolio.imports import import_files, named_bytes
from src.problems import ERROR, WARNING, Problem, problem_text

N = "\u202f"  # French thousands separator
HEADER = (
    "project_id,title,country_iso3,sector_group,start_date,end_date,"
    "budget_usd,spent_usd"
)
ROWS_FR = (
    f"big.csv : compte plus de 100{N}000 lignes, la limite d'import "
    "(APP_MAX_IMPORT_ROWS) ; divisez-le ou relevez la limite"
)
ROWS_ES = (
    "big.csv: tiene más de 100.000 filas, el límite de importación "
    "(APP_MAX_IMPORT_ROWS); divídalo o aumente el límite"
)
ROWS_EN = (
    "big.csv: has more than 100,000 rows, the import limit "
    "(APP_MAX_IMPORT_ROWS); split it or raise the limit"
)


def _reads(problem: Problem, **texts: str) -> None:
    """The problem's text in each language given (fr=..., es=...)."""
    assert {lang: problem_text(problem, lang) for lang in texts} == texts


def _too_many_rows(limit: object) -> Problem:
    return Problem(
        "import.file.too_many_rows", {"limit": limit}, "big.csv", "", "file", ERROR
    )


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", ROWS_EN), ("fr", ROWS_FR), ("es", ROWS_ES)]
)
def test_the_row_limit_is_written_for_the_language(lang, expected):
    assert problem_text(_too_many_rows(100_000), lang) == expected


def test_an_import_past_the_row_limit_keeps_the_limit_as_a_number(monkeypatch):
    monkeypatch.setenv("APP_MAX_IMPORT_ROWS", "12000")
    row = "P-{},Clinics,SEN,Health,2021-01-15,2023-12-31,1000,0"
    lines = [HEADER, *(row.format(i) for i in range(12_001))]
    data = "\n".join(lines).encode()
    report = import_files([named_bytes("big.csv", data)])
    [error] = report.errors
    assert error.params == {"limit": 12_000}
    assert "compte plus de 12\u202f000 lignes" in problem_text(error, "fr")
    assert "tiene más de 12.000 filas" in problem_text(error, "es")
    assert "has more than 12,000 rows" in error.message


@pytest.mark.parametrize(
    ("lang", "expected"), [("en", ROWS_EN), ("fr", ROWS_FR), ("es", ROWS_ES)]
)
def test_a_limit_stored_as_english_text_still_reads_in_each_language(lang, expected):
    stored = _too_many_rows("100,000").to_json()
    assert stored["params"] == {"limit": "100,000"}  # as reports were written
    assert problem_text(Problem.from_json(stored), lang) == expected


def test_a_stored_text_that_is_no_number_is_shown_as_it_was():
    stored = _too_many_rows("a lot").to_json()
    text = problem_text(Problem.from_json(stored), "fr")
    assert "compte plus de a lot lignes" in text


def test_the_file_size_and_its_limit_are_written_for_the_language():
    problem = Problem(
        "import.file.too_large",
        {"size": 1536.3, "limit": 1024.0},
        "big.csv",
        "",
        "file",
        ERROR,
    )
    _reads(
        problem,
        fr=f"big.csv : le fichier fait 1{N}536,3 Mo, au-delà de la limite d'import "
        f"de 1{N}024 Mo (APP_MAX_UPLOAD_MB) ; divisez-le ou relevez la limite",
        es="big.csv: el archivo ocupa 1.536,3 MB, por encima del límite de "
        "importación de 1.024 MB (APP_MAX_UPLOAD_MB); divídalo o aumente el límite",
    )


SPENT = {"row": 7, "spent": 1_500_000, "budget": 1_000_000, "share": 1.5}
SPENT_STORED = {
    "row": 7,
    "spent": "1,500,000.00",
    "budget": "1,000,000.00",
    "share": "150%",
}


@pytest.mark.parametrize("params", [SPENT, SPENT_STORED], ids=["raw", "stored"])
def test_amounts_and_shares_are_written_for_the_language(params):
    data = {"key": "import.spent_above_budget", "params": params, "item": "P-1"}
    problem = Problem.from_json(data | {"file": "t.csv", "severity": WARNING})
    _reads(
        problem,
        fr=f"ligne 7 : dépenses de 1{N}500{N}000,00 supérieures au budget de "
        f"1{N}000{N}000,00 (150\u00a0% du budget) ; acceptée, à vérifier",
        es="fila 7: el gasto de 1.500.000,00 supera el presupuesto de "
        "1.000.000,00 (150\u00a0% del presupuesto); aceptada, compruébelo",
        en="row 7: spent 1,500,000.00 is above the budget 1,000,000.00 "
        "(150% of it); accepted, please check",
    )


@pytest.mark.parametrize(
    ("total", "shown"), [(110.0, "110"), (99.5, "99,5"), (100.25, "100,25")]
)
def test_a_percentage_total_shows_the_decimals_it_has(total, shown):
    problem = Problem("build.normalised", {"total": total})
    assert problem_text(problem, "fr") == (
        f"les pourcentages font {shown} % au total, ramenés à 100 %"
    )


def test_an_absurd_amount_is_written_out_in_full():
    # 1e40 has 41 digits: beyond the 28 of Python's default decimal context
    problem = Problem("import.amount_negative.budget_usd", {"row": 2, "value": -1e40})
    digits = "-10" + ".000" * 13 + ",00"
    assert problem_text(problem, "es") == f"fila 2: el presupuesto {digits} es negativo"


def test_every_number_param_is_a_placeholder_of_its_message():
    from string import Formatter

    from src.i18n import catalog
    from src.problems import NUMBER_PARAMS

    for key, params in NUMBER_PARAMS.items():
        for lang in ("en", "fr", "es"):
            entry = catalog(lang)[key]
            # a plural entry: each of its forms names the number
            forms = (
                [v for k, v in entry.items() if k not in ("count", "digits")]
                if isinstance(entry, dict)
                else [entry]
            )
            for text in forms:
                names = {name for _, name, _, _ in Formatter().parse(text) if name}
                assert set(params) <= names, (key, lang, text)
