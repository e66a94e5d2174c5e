"""The rules table of imports: one fixture row per rule, its key and its params."""

from __future__ import annotations

from datetime import date

import pytest

from src.portfolio import schema as S
from src.portfolio.imports import import_files, named_bytes
from src.portfolio.imports.cells import References, TemplateRow
from src.portfolio.imports.rules import RULES, check_row
from src.problems import ERROR, WARNING, Problem, problem_text

BASE = {
    "project_id": "P-1",
    "title": "Rural clinics",
    "country_iso3": "SEN",
    "sector_group": "Health",
    "start_date": "2021-01-15",
    "end_date": "2023-12-31",
    "budget_usd": "1000000",
    "spent_usd": "250000",
}
GROUPS = (
    "Health, Education, Water & sanitation, Infrastructure & transport, Energy, "
    "Agriculture & food systems, Governance & peace, Humanitarian response, "
    "Environment & climate, Other"
)
E, W = ERROR, WARNING

# (rule name, cells changed from BASE, problem field, severity, expected params)
CASES = [
    ("import.extra_values[]", {"__extra__": "22"}, "", E, {"count": 22}),
    (
        "import.formula",
        {"__formula__:budget_usd": "=A1*2"},
        "budget_usd",
        E,
        {"column": "budget_usd", "formula": "=A1*2"},
    ),
    (
        "import.cell_too_long",
        {"title": "x" * 10_001},
        "title",
        E,
        {"column": "title", "length": 10_001, "limit": 10_000},
    ),
    (
        "import.control_chars",
        {"title": "Rural\x00 clinics\x07"},
        "title",
        W,
        {"column": "title", "count": 2},
    ),
    ("import.id_missing[project_id]", {"project_id": " "}, "project_id", E, {}),
    (
        "import.country_missing[country_iso3]",
        {"country_iso3": ""},
        "country_iso3",
        W,
        {},
    ),
    (
        "import.country_iso2[country_iso3]",
        {"country_iso3": "sn"},
        "country_iso3",
        W,
        {"code": "SN", "iso3": "SEN"},
    ),
    (
        "import.country_unknown[country_iso3]",
        {"country_iso3": "XXX"},
        "country_iso3",
        E,
        {"code": "XXX"},
    ),
    (
        "import.sector_unknown[sector_group]",
        {"sector_group": "Space"},
        "sector_group",
        E,
        {"value": "Space", "groups": GROUPS},
    ),
    (
        "import.date_missing.start_date[start_date]",
        {"start_date": ""},
        "start_date",
        E,
        {},
    ),
    (
        "import.date_invalid.start_date[start_date]",
        {"start_date": "2021-02-30"},
        "start_date",
        E,
        {"value": "2021-02-30"},
    ),
    (
        "import.date_range.start_date[start_date]",
        {"start_date": "0001-01-01"},
        "start_date",
        E,
        {"value": "0001-01-01", "first": 1950, "last": 2100},
    ),
    ("import.date_missing.end_date[end_date]", {"end_date": ""}, "end_date", E, {}),
    (
        "import.date_invalid.end_date[end_date]",
        {"end_date": "31/12/2023"},
        "end_date",
        E,
        {"value": "31/12/2023"},
    ),
    (
        "import.date_range.end_date[end_date]",
        {"end_date": "9999-12-31"},
        "end_date",
        E,
        {"value": "9999-12-31", "first": 1950, "last": 2100},
    ),
    (
        "import.date_invalid.start_planned[start_planned]",
        {"start_planned": "soon"},
        "start_planned",
        E,
        {"value": "soon"},
    ),
    (
        "import.date_range.start_planned[start_planned]",
        {"start_planned": "1949-12-31"},
        "start_planned",
        E,
        {"value": "1949-12-31", "first": 1950, "last": 2100},
    ),
    (
        "import.date_invalid.end_planned[end_planned]",
        {"end_planned": "2023-13-01"},
        "end_planned",
        E,
        {"value": "2023-13-01"},
    ),
    (
        "import.date_range.end_planned[end_planned]",
        {"end_planned": "2101-01-01"},
        "end_planned",
        E,
        {"value": "2101-01-01", "first": 1950, "last": 2100},
    ),
    (
        "import.date_invalid.end_actual[end_actual]",
        {"end_actual": "later"},
        "end_actual",
        E,
        {"value": "later"},
    ),
    (
        "import.date_range.end_actual[end_actual]",
        {"end_actual": "2200-06-30"},
        "end_actual",
        E,
        {"value": "2200-06-30", "first": 1950, "last": 2100},
    ),
    (
        "import.end_before_start[end_date]",
        {"end_date": "2020-06-01"},
        "end_date",
        E,
        {"end": "2020-06-01", "start": "2021-01-15"},
    ),
    (
        "import.planned_end_before_start[end_planned]",
        {"start_planned": "2022-01-01", "end_planned": "2021-06-30"},
        "end_planned",
        E,
        {"end": "2021-06-30", "start": "2022-01-01"},
    ),
    (
        "import.amount_missing.budget_usd[budget_usd]",
        {"budget_usd": ""},
        "budget_usd",
        E,
        {},
    ),
    (
        "import.amount_not_number.budget_usd[budget_usd]",
        {"budget_usd": "12k"},
        "budget_usd",
        E,
        {"value": "12k"},
    ),
    (
        "import.amount_negative.budget_usd[budget_usd]",
        {"budget_usd": "-500"},
        "budget_usd",
        E,
        {"value": -500},
    ),
    (
        "import.amount_too_large.budget_usd[budget_usd]",
        {"budget_usd": "150000000000"},
        "budget_usd",
        E,
        {"value": 150e9, "limit": 100e9},
    ),
    (
        "import.amount_not_number.spent_usd[spent_usd]",
        {"spent_usd": "inf"},
        "spent_usd",
        E,
        {"value": "inf"},
    ),
    (
        "import.amount_negative.spent_usd[spent_usd]",
        {"spent_usd": "-1"},
        "spent_usd",
        E,
        {"value": -1},
    ),
    (
        "import.amount_too_large.spent_usd[spent_usd]",
        {"spent_usd": "1e12"},
        "spent_usd",
        E,
        {"value": 1e12, "limit": 100e9},
    ),
    (
        "import.budget_large[budget_usd]",
        {"budget_usd": "20000000000"},
        "budget_usd",
        W,
        {"value": 20e9, "limit": 10e9},
    ),
    (
        "import.spent_above_budget[spent_usd]",
        {"spent_usd": "1500000"},
        "spent_usd",
        W,
        {"spent": 1_500_000, "budget": 1_000_000, "share": 1.5},
    ),
    (
        "import.spent_above_zero_budget[spent_usd]",
        {"budget_usd": "0", "spent_usd": "10"},
        "spent_usd",
        W,
        {"spent": 10, "budget": 0},
    ),
    (
        "import.no_rate[currency]",
        {"currency": "zzz"},
        "currency",
        E,
        {"currency": "ZZZ"},
    ),
    (
        "import.rate_nearest[currency]",
        {"currency": "EUR", "start_date": "1960-01-01"},
        "currency",
        W,
        {"currency": "EUR", "used": 2000, "year": 1960},
    ),
    (
        "import.rate_nearest_no_year[currency]",
        {"currency": "EUR", "start_date": ""},
        "currency",
        W,
        {"currency": "EUR", "used": 2024},
    ),
    (
        "import.coordinate_not_number[lat]",
        {"lat": "north"},
        "lat",
        E,
        {"column": "lat", "value": "north"},
    ),
    (
        "import.coordinate_range[lat]",
        {"lat": "91"},
        "lat",
        E,
        {"column": "lat", "value": "91.0", "bound": "90"},
    ),
    (
        "import.coordinate_not_number[lon]",
        {"lon": "14,5"},
        "lon",
        E,
        {"column": "lon", "value": "14,5"},
    ),
    (
        "import.coordinate_range[lon]",
        {"lon": "-180.5"},
        "lon",
        E,
        {"column": "lon", "value": "-180.5", "bound": "180"},
    ),
    (
        "import.humanitarian[humanitarian]",
        {"humanitarian": "Maybe"},
        "humanitarian",
        E,
        {"value": "maybe"},
    ),
]
RULE_BY_NAME = {rule.name: rule for rule in RULES}


@pytest.fixture(scope="module")
def refs():
    return References.load()


def _row(refs, changes):
    return TemplateRow(7, {**BASE, **changes}, "t.csv", refs)


def test_the_base_row_breaks_no_rule(refs):
    assert check_row(_row(refs, {}), RULES) == []


def test_the_table_has_one_case_per_rule_and_no_rule_twice():
    assert [c[0] for c in CASES] == [r.name for r in RULES]


@pytest.mark.parametrize(
    ("name", "changes", "field", "severity", "params"), CASES, ids=[c[0] for c in CASES]
)
def test_each_rule_finds_its_breach_with_its_key_and_params(
    refs, name, changes, field, severity, params
):
    rule = RULE_BY_NAME[name]
    row = _row(refs, changes)
    pid = changes.get("project_id", BASE["project_id"]).strip()
    expected = Problem(rule.key, {"row": 7, **params}, "t.csv", pid, field, severity)
    assert rule.check(row) == [expected]
    assert expected in check_row(row, RULES)


def test_a_rule_explains_itself_in_each_language():
    rule = RULE_BY_NAME["import.date_range.end_date[end_date]"]
    params = {"row": 4, "value": "9999-12-31", "first": 1950, "last": 2100}
    assert rule.explain(params) == (
        "row 4: end date 9999-12-31 is outside the years 1950–2100; check the date"
    )
    assert rule.explain(params, "fr") == (
        "ligne 4 : la date de fin 9999-12-31 est hors des années 1950–2100 ; "
        "vérifiez la date"
    )


def test_the_budget_warning_threshold_is_configurable(refs, monkeypatch):
    monkeypatch.setenv("APP_WARN_BUDGET_USD", "500000")
    [warning] = RULE_BY_NAME["import.budget_large[budget_usd]"].check(_row(refs, {}))
    assert warning.params == {"row": 7, "value": 1_000_000, "limit": 500_000}


HEADER = ",".join(BASE)


def _csv(*lines: str) -> bytes:
    return "\n".join([HEADER, *lines]).encode()


@pytest.mark.parametrize(
    ("budget", "key"),
    [
        ("1e40", "import.amount_too_large.budget_usd"),
        ("1e308", "import.amount_too_large.budget_usd"),
        ("1e309", "import.amount_not_number.budget_usd"),
    ],
)
def test_absurd_budgets_are_refused_at_import_with_a_translated_reason(budget, key):
    data = _csv(f"P-1,Clinics,SEN,Health,2021-01-15,2023-12-31,{budget},0")
    report = import_files([named_bytes("big.csv", data)], as_of=date(2022, 1, 1))
    assert (report.read, report.accepted, len(report.table)) == (1, 0, 0)
    [error] = report.errors
    assert error.key == key
    [reason] = report.rejected_frame("es")["reason"]
    assert reason == problem_text(error, "es")
    assert reason.startswith("fila 2: el presupuesto")


@pytest.mark.parametrize(
    ("start", "end", "column", "words"),
    [
        ("2021-01-15", "9999-12-31", "end_date", "la date de fin 9999-12-31"),
        ("0001-01-01", "2023-12-31", "start_date", "la date de début 0001-01-01"),
    ],
)
def test_dates_out_of_range_are_refused_at_import(start, end, column, words):
    data = _csv(f"P-1,Clinics,SEN,Health,{start},{end},1000,0")
    report = import_files([named_bytes("d.csv", data)], as_of=date(2022, 1, 1))
    assert report.accepted == 0
    assert [p.key for p in report.errors] == [f"import.date_range.{column}"]
    assert report.problems_frame("fr")["message"][0] == (
        f"ligne 2 : {words} est hors des années 1950–2100 ; vérifiez la date"
    )


def test_a_nul_after_the_first_8_kb_is_stripped_from_the_title_with_a_warning():
    comment = b"# " + b"x" * 9000 + b"\n"  # the binary check reads 8 KB
    data = comment + _csv(
        "P-1,Rural\x00 clinics,SEN,Health,2021-01-15,2023-12-31,1000,0"
    )
    report = import_files([named_bytes("nul.csv", data)], as_of=date(2022, 1, 1))
    assert list(report.table[S.COL_TITLE]) == ["Rural clinics"]
    assert [p.key for p in report.warnings] == ["import.control_chars"]


def _activity(ident: str, *, budget: str = "1000", start: str = "2021-01-01") -> str:
    return (
        '<iati-activity default-currency="USD">'
        f"<iati-identifier>{ident}</iati-identifier>"
        f"<title><narrative>Clinic {ident}</narrative></title>"
        '<recipient-country code="SN"/>'
        f'<activity-date type="2" iso-date="{start}"/>'
        '<activity-date type="3" iso-date="2023-12-31"/>'
        '<budget><period-start iso-date="2021-01-01"/>'
        '<period-end iso-date="2021-12-31"/>'
        f'<value currency="USD" value-date="2021-01-01">{budget}</value></budget>'
        "</iati-activity>"
    )


def _iati(*activities: str) -> bytes:
    body = "".join(activities)
    return f'<iati-activities version="2.03">{body}</iati-activities>'.encode()


def test_iati_activities_are_screened_by_the_same_canonical_rules():
    data = _iati(
        _activity("XM-OK"),
        _activity("XM-BIG", budget="1e308"),
        _activity("XM-OLD", start="0001-01-01"),
    )
    report = import_files([named_bytes("a.xml", data)], as_of=date(2022, 1, 1))
    assert list(report.table[S.COL_PROJECT_ID]) == ["XM-OK"]
    assert list(report.table[S.COL_TITLE]) == ["Clinic XM-OK"]
    [summary] = report.files
    assert (summary.read, summary.accepted, summary.rejected) == (3, 1, 2)
    errors = {(p.item, p.key, p.field) for p in report.errors}
    assert errors == {
        ("XM-BIG", "iati.amount_too_large", S.COL_BUDGET),
        ("XM-OLD", "iati.date_range", S.COL_START),
    }
    rejected = report.rejected_frame("fr")
    assert list(rejected[S.COL_PROJECT_ID]) == ["XM-BIG", "XM-OLD"]
    assert rejected["reason"][1] == (
        "a.xml : activité XM-OLD : start_date 0001-01-01 hors des années 1950–2100 ; "
        "activité rejetée"
    )


def test_an_activity_with_too_many_children_of_one_kind_is_skipped_with_a_reason():
    sectors = '<sector vocabulary="1" code="12220"/>' * 10_001
    big = _activity("XM-MANY").replace("</iati-activity>", sectors + "</iati-activity>")
    report = import_files(
        [named_bytes("many.xml", _iati(big, _activity("XM-OK")))],
        as_of=date(2022, 1, 1),
    )
    assert list(report.table[S.COL_PROJECT_ID]) == ["XM-OK"]
    [error] = report.errors
    assert (error.key, error.item, error.field) == (
        "iati.too_many_children",
        "XM-MANY",
        "sector",
    )
    assert error.params["count"] == 10_001
    assert problem_text(error, "en") == (
        "many.xml: activity XM-MANY (#1, line 1) has 10001 <sector> elements, "
        "more than the 10000 allowed; skipped"
    )


def test_a_file_with_more_rows_than_the_limit_is_refused_not_cut(monkeypatch):
    monkeypatch.setenv("APP_MAX_IMPORT_ROWS", "2")
    line = "P-{},Clinics,SEN,Health,2021-01-15,2023-12-31,1000,0"
    data = _csv(*(line.format(i) for i in range(3)))
    report = import_files([named_bytes("rows.csv", data)], as_of=date(2022, 1, 1))
    assert (report.read, report.accepted, len(report.table)) == (0, 0, 0)
    assert report.file_error(report.files[0]) == (
        "has more than 2 rows, the import limit (APP_MAX_IMPORT_ROWS); "
        "split it or raise the limit"
    )
