"""Imports: IATI XML, CSV and .xlsx validated before use, hostile files refused."""

from __future__ import annotations

import io
import json
import math
import re
from datetime import date

import openpyxl
import pandas as pd
import pytest

from src.portfolio import paths
from src.portfolio import schema as S
from src.portfolio.dedupe import DUPLICATE_KEY
from src.portfolio.imports import import_files, max_upload_bytes, named_bytes
from src.portfolio.imports.template import (
    TEMPLATE_NAMES,
    template_csv_bytes,
    template_xlsx_bytes,
)
from tests.conftest import ROOT

FIX = ROOT / "tests" / "fixtures" / "imports"
IATI_FIX = ROOT / "tests" / "fixtures" / "iati"
AS_OF = date(2021, 6, 1)
KNOWN_COUNTS = {
    "unops_41AAA_covid19_2021.xml": 85,
    "undp_XM-DAC-41114_covid19_2021_geocoded.xml": 287,
    "iom_XM-DAC-47066_covid19_2021.xml": 257,
    "who_XM-DAC-928_covid19_2021.xml": 183,
    "fao_XM-DAC-41301_covid19_2021.xml": 155,
    "unicef_XM-DAC-41122_covid19_2021.xml": 62,
}
EXPECTED_REASONS = {
    "B-01": "row 12: end date 2021-02-30 is not a date (use yyyy-mm-dd)",
    "B-02": "row 13: budget -500.00 is negative",
    "B-03": "row 14: country code XXX is not a known ISO 3166 code",
    "": "row 15: project id is missing",
    "P-001": "row 16: duplicate id P-001 in SEN (already in portfolio_20.csv row 2)",
    "B-06": "row 17: end date 2020-06-01 is before start date 2021-06-01",
    "B-07": "row 18: currency ZZZ has no exchange rate",
    "B-08": "row 19: budget '12k' is not a number",
}


@pytest.fixture(scope="module")
def twenty():
    return import_files([FIX / "portfolio_20.csv", FIX / "latin1_row.csv"], as_of=AS_OF)


def test_template_csv_yields_exactly_the_expected_accepted_rows(twenty):
    accepted = set(
        zip(twenty.table[S.COL_PROJECT_ID], twenty.table[S.COL_COUNTRY], strict=False)
    )
    good = {
        (f"P-00{i}", c)
        for i, c in enumerate(
            ["SEN", "KEN", "ETH", "NPL", "MMR", "HTI", "COD", "YEM", "SEN"], start=1
        )
    }
    assert accepted == good | {("P-009", "GMB"), ("B-09", "SEN"), ("B-10", "CIV")}
    assert (twenty.read, twenty.accepted, twenty.rejected_count) == (20, 12, 8)


def test_template_csv_rejects_each_broken_row_with_its_reason(twenty):
    rejected = twenty.rejected_frame()
    reasons = dict(zip(rejected[S.COL_PROJECT_ID], rejected["reason"], strict=False))
    assert reasons == EXPECTED_REASONS
    assert set(rejected["file"]) == {"portfolio_20.csv"}
    rows = twenty.problems_frame()
    bad_date = rows[rows["item"] == "B-01"].iloc[0]
    assert (bad_date["file"], bad_date["row"], bad_date["column"]) == (
        "portfolio_20.csv",
        12,
        S.COL_END,
    )


def test_spend_above_budget_is_accepted_with_a_warning(twenty):
    [warning] = [p for p in twenty.warnings if p.item == "B-09"]
    assert warning.field == S.COL_SPENT
    assert "above the budget" in warning.message
    assert "B-09" in set(twenty.table[S.COL_PROJECT_ID])


def test_latin1_file_is_detected_and_decoded(twenty):
    latin = twenty.files[1]
    assert latin.encoding == "Windows-1252 (Latin-1)"
    row = twenty.table[twenty.table[S.COL_PROJECT_ID] == "B-10"].iloc[0]
    assert row[S.COL_TITLE] == "Réhabilitation des écoles à Abidjan"
    assert row[S.COL_AGENCY] == "Ministère de l'Éducation"
    assert any("not UTF-8" in p.message for p in twenty.warnings)


def test_utf8_with_bom_reads_the_same_rows():
    report = import_files([FIX / "portfolio_bom.csv"], as_of=AS_OF)
    assert report.files[0].encoding == "UTF-8 with BOM"
    assert (report.read, report.accepted) == (19, 11)


def test_non_usd_is_converted_and_multi_country_split_by_budget(twenty):
    from src.portfolio.fx import to_usd

    table = twenty.table.set_index([S.COL_PROJECT_ID, S.COL_COUNTRY])
    assert table.loc[("P-005", "MMR"), S.COL_BUDGET] == pytest.approx(
        to_usd(920000, "EUR", 2021).usd
    )
    assert table.loc[("P-009", "SEN"), S.COL_COUNTRY_SHARE] == pytest.approx(0.6)
    assert not table.loc[("P-006", "HTI"), S.COL_SPEND_REPORTED]


def test_accepted_rows_get_the_same_derived_values_as_the_bundled_data():
    from src.portfolio.load import load_bundled_portfolio

    df, meta = load_bundled_portfolio()
    picked = df[
        df[S.COL_SPEND_REPORTED]
        & (df[S.COL_COUNTRY] != "")
        & (df[S.COL_COUNTRY_SHARE] == 1.0)
        & df[S.COL_START].notna()
        & df[S.COL_END].notna()
        & (df[S.COL_SECTOR_GROUP] != S.SECTOR_NOT_REPORTED)
        & (df[S.COL_END] >= df[S.COL_START])
        & (df[S.COL_SPENT] >= 0)
    ].head(40)
    csv = picked[list(S.REQUIRED_INPUT_COLUMNS)].copy()
    for col in (S.COL_START, S.COL_END):
        csv[col] = csv[col].dt.strftime("%Y-%m-%d")
    csv[S.COL_BUDGET] = csv[S.COL_BUDGET].map(repr)
    csv[S.COL_SPENT] = csv[S.COL_SPENT].map(repr)
    data = csv.to_csv(index=False).encode()
    report = import_files(
        [named_bytes("bundled.csv", data)], as_of=date.fromisoformat(meta.as_of)
    )
    assert report.accepted == len(picked), report.errors[:3]
    derived = [S.COL_DELIVERY, S.COL_ELAPSED, S.COL_SLIPPAGE, S.COL_RISK_SCORE]
    got = report.table[derived + [S.COL_RISK, S.COL_REGION, S.COL_INFORM]]
    want = picked[derived + [S.COL_RISK, S.COL_REGION, S.COL_INFORM]]
    pd.testing.assert_frame_equal(
        got.reset_index(drop=True), want.reset_index(drop=True), check_dtype=False
    )


@pytest.mark.parametrize(("name", "count"), sorted(KNOWN_COUNTS.items()))
def test_each_bundled_iati_file_imports_with_the_known_count(name, count):
    report = import_files([paths.IATI_DIR / name])
    assert (report.read, report.accepted, report.rejected_count) == (count, count, 0)
    assert report.table[S.COL_PROJECT_ID].nunique() == count
    assert list(report.table.columns) == list(S.COLUMNS)


def test_a_duplicate_keeps_the_newest_version_by_last_updated():
    def activity(stamp: str, title: str) -> bytes:
        return (
            '<iati-activities version="2.03"><iati-activity '
            f'last-updated-datetime="{stamp}"><iati-identifier>XM-1</iati-identifier>'
            f"<title><narrative>{title}</narrative></title>"
            '<recipient-country code="SN"/></iati-activity></iati-activities>'
        ).encode()

    report = import_files(
        [
            named_bytes("new.xml", activity("2021-05-01T00:00:00Z", "newer")),
            named_bytes("old.xml", activity("2020-01-01T00:00:00Z", "older")),
        ]
    )
    assert report.table[S.COL_TITLE].tolist() == ["newer"]
    [dup] = [p for p in report.errors if "duplicate" in p.message]
    assert dup.file == "old.xml"
    assert [f.accepted for f in report.files] == [1, 0]


def _stamped(path, stamp: str) -> bytes:
    """The file with every activity's last-updated-datetime set to `stamp`."""

    data = path.read_bytes()
    return re.sub(rb'last-updated-datetime="[^"]*"', stamp.encode(), data)


_UNOPS = paths.IATI_DIR / "unops_41AAA_covid19_2021.xml"
_WHO = paths.IATI_DIR / "who_XM-DAC-928_covid19_2021.xml"
NEWER_COPIES = [
    (_UNOPS.name, _UNOPS.read_bytes()),
    (_WHO.name, _WHO.read_bytes()),
    ("unops_new.xml", _stamped(_UNOPS, 'last-updated-datetime="2022-01-01"')),
    ("unops_old.xml", _stamped(_UNOPS, 'last-updated-datetime="2001-01-01"')),
    ("who_new.xml", _stamped(_WHO, 'last-updated-datetime="2023-02-01T10:00Z"')),
    ("who_newer.xml", _stamped(_WHO, 'last-updated-datetime="2023-02-01T11:00Z"')),
]


def _duplicates_by_file(report) -> dict[str, int]:
    files = [p.file for p in report.errors if p.key == DUPLICATE_KEY]
    return {name: files.count(name) for name in dict.fromkeys(files)}


def test_bundled_files_with_copies_keep_each_activity_once_from_its_first_file():
    # The six bundled files share no identifier (85 + 62 + ... = 1,029 distinct
    # in the XML); a copy of three of them, read after, adds nothing: the
    # stamps tie and the copy read first is kept.
    bundled = sorted(paths.bundled_iati_files())
    copies = [f"copy_{p.name}" for p in bundled[::2]]
    sources = [
        *bundled,
        *(
            named_bytes(c, p.read_bytes())
            for c, p in zip(copies, bundled[::2], strict=True)
        ),
    ]
    report = import_files(sources)
    read = [KNOWN_COUNTS[p.name] for p in [*bundled, *bundled[::2]]]
    kept = read[: len(bundled)] + [0] * len(copies)
    assert [(f.read, f.accepted) for f in report.files] == list(
        zip(read, kept, strict=True)
    )
    assert (report.read, report.accepted) == (sum(read), sum(kept))
    assert report.table[S.COL_PROJECT_ID].nunique() == sum(KNOWN_COUNTS.values())
    assert set(report.table[S.COL_SOURCE_FILE]) == {p.name for p in bundled}
    dropped = {
        c: KNOWN_COUNTS[p.name] for c, p in zip(copies, bundled[::2], strict=True)
    }
    assert _duplicates_by_file(report) == dropped
    assert (
        report.rejected_count == len(report.rejected_frame()) == sum(dropped.values())
    )
    first = next(p for p in report.errors if p.key == DUPLICATE_KEY)
    assert f"kept the version from {bundled[0].name}" in first.message


def test_newest_copies_replace_rows_in_the_first_position():
    report = import_files([named_bytes(n, d) for n, d in NEWER_COPIES])
    assert [f.accepted for f in report.files] == [0, 0, 85, 0, 0, 183]
    assert report.as_of == date(2023, 2, 1)
    first = report.table.drop_duplicates(S.COL_PROJECT_ID)[S.COL_SOURCE_FILE]
    assert list(dict.fromkeys(first)) == ["unops_new.xml", "who_newer.xml"]
    # each dropped copy is listed under its own file: the two originals, the
    # older UNOPS copy, and the WHO copy a newer one replaced
    assert _duplicates_by_file(report) == {
        _UNOPS.name: 85,
        "unops_old.xml": 85,
        _WHO.name: 183,
        "who_new.xml": 183,
    }


def _deep(n: int) -> bytes:
    return (
        b'<iati-activities version="2.03"><iati-activity>'
        + b"<a>" * n
        + b"</a>" * n
        + b"</iati-activity></iati-activities>"
    )


def _xlsx_with_formula() -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(list(TEMPLATE_NAMES[:8]))
    sheet.append(["X-1", "ok", "SEN", "Health", "2020-01-01", "2021-01-01", 10, 5])
    sheet.append(["X-2", "f", "SEN", "Health", "2020-01-01", "2021-01-01", "=G2*2", 5])
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


HOSTILE = {
    "billion_laughs.xml": ((IATI_FIX / "billion_laughs.xml").read_bytes(), "DOCTYPE"),
    "external_entity.xml": ((IATI_FIX / "external_entity.xml").read_bytes(), "DOCTYPE"),
    "deep.xml": (_deep(10_000), "nest"),
    "empty.csv": (b"", "empty (0 bytes)"),
    "empty.xml": (b"", "empty (0 bytes)"),
    "binary.xml": (bytes(range(256)) * 400, "not an XML file"),
    "binary.csv": (bytes(range(256)) * 400, "binary file"),
    "garbage.xlsx": (b"PK\x03\x04" + b"\x00" * 500, "not a valid .xlsx"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_inputs_give_a_clear_error_and_no_rows(name):
    data, words = HOSTILE[name]
    report = import_files([named_bytes(name, data)])
    assert report.accepted == 0
    assert report.table.empty
    messages = " ".join(p.message for p in report.errors)
    assert words.lower() in messages.lower(), messages
    # /etc/passwd starts "root:x:0:0"; an expanded entity would show it here.
    assert "root:" not in repr(report.problems)


def test_xlsx_formula_rows_are_rejected_and_values_kept():
    report = import_files([named_bytes("f.xlsx", _xlsx_with_formula())], as_of=AS_OF)
    assert report.table[S.COL_PROJECT_ID].tolist() == ["X-1"]
    [reason] = report.rejected_frame()["reason"]
    assert reason.startswith("row 3: cell budget_usd contains a formula (=G2*2)")


def test_size_limit_is_configurable_with_a_clear_message(monkeypatch):
    monkeypatch.setenv("APP_MAX_UPLOAD_MB", "0.001")
    assert max_upload_bytes() == 1048
    report = import_files([FIX / "portfolio_20.csv"])
    assert report.accepted == 0
    assert (
        "above the import limit of 0 MB (APP_MAX_UPLOAD_MB)" in report.errors[0].message
    )
    monkeypatch.delenv("APP_MAX_UPLOAD_MB")
    assert max_upload_bytes() == 200 * 2**20


def test_missing_required_columns_refuse_the_file():
    report = import_files([named_bytes("x.csv", b"project_id,title\nA,b\n")])
    assert report.accepted == 0
    assert "missing 6 required columns: country_iso3" in report.errors[0].message


def test_rejected_rows_csv_has_a_reason_column_and_neutralised_formulas():
    data = (
        ",".join(TEMPLATE_NAMES[:8]) + "\n"
        "=HYPERLINK(1),@evil,SEN,Health,2020-01-01,2019-01-01,10,1\n"
    ).encode()
    report = import_files([named_bytes("evil.csv", data)])
    text = report.rejected_csv().decode("utf-8-sig")
    body = pd.read_csv(io.StringIO(text), comment="#", dtype=str)
    assert "reason" in body.columns
    assert body[S.COL_PROJECT_ID][0] == "'=HYPERLINK(1)"
    assert body[S.COL_TITLE][0] == "'@evil"


def test_templates_import_as_they_are_and_describe_every_column():
    csv_report = import_files([named_bytes("template.csv", template_csv_bytes())])
    xlsx_report = import_files([named_bytes("template.xlsx", template_xlsx_bytes())])
    for report in (csv_report, xlsx_report):
        assert report.accepted == 1, report.errors
        assert report.table[S.COL_LON].iloc[0] == pytest.approx(-17.44)
    book = openpyxl.load_workbook(io.BytesIO(template_xlsx_bytes()))
    described = [row[0].value for row in book["columns"].iter_rows(min_row=2)]
    assert described == list(TEMPLATE_NAMES)
    text = template_csv_bytes().decode("utf-8-sig")
    assert "Identifiant unique du projet" in text
    assert "Unique project identifier" in text


def test_dataset_report_splits_errors_and_warnings_and_round_trips(twenty):
    from src.portfolio.dataset_report import DatasetReport

    rep = twenty.to_dataset_report()
    assert rep.files == ["portfolio_20.csv", "latin1_row.csv"]
    assert (rep.activities_read, rep.activities_kept, rep.skipped) == (20, 12, 8)
    rejected_ids = ["B-01", "B-02", "B-03", "", "P-001", "B-06", "B-07", "B-08"]
    assert [p.item for p in rep.parse_problems] == rejected_ids
    assert {p.severity for p in rep.build_problems} == {"warning"}
    assert DatasetReport.from_json(json.loads(json.dumps(rep.to_json()))) == rep
    prov = twenty.provenance()
    assert prov["files"][0]["sha256"]
    assert prov["files"][0]["size"] > 0
    assert len(twenty.fingerprint()) == 16


@pytest.fixture
def store_dir(app_data_dir):
    return app_data_dir


def test_cli_import_stores_the_dataset_and_exits_0(store_dir, capsys):
    from src.cli.main import main
    from src.store.datasets import load_dataset, load_dataset_report

    code = main(["import", str(FIX / "portfolio_20.csv"), "--name", "demo", "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["accepted"], out["rejected"], out["dataset"]) == (11, 8, "demo")
    df, meta = load_dataset("demo")
    assert len(df) == 11
    assert meta.name == "demo"
    assert load_dataset_report("demo").activities_kept == 11
    assert main(["datasets"]) == 0
    assert "demo" in capsys.readouterr().out


def test_cli_import_exits_1_when_nothing_is_accepted(store_dir, capsys):
    from src.cli.main import main
    from src.store.datasets import list_datasets

    assert main(["import", str(IATI_FIX / "billion_laughs.xml")]) == 1
    assert "DOCTYPE" in capsys.readouterr().out
    assert list_datasets() == []


def test_cli_import_exits_2_on_a_missing_file_or_taken_name(store_dir, capsys):
    from src.cli.main import main

    assert main(["import", "no-such-file.csv"]) == 2
    assert "not found" in capsys.readouterr().err
    args = ["import", str(FIX / "latin1_row.csv"), "--name", "x"]
    assert main(args) == 0
    assert main(args) == 2
    assert "already exists" in capsys.readouterr().err
    assert main([*args, "--replace"]) == 0


# --------------------------------------------------------------------------- #
# translatable problems: key + params, English message rendered from the catalog
# --------------------------------------------------------------------------- #

_EVERY_RULE = (
    ",".join([*TEMPLATE_NAMES[:8], "currency", "lat", "lon", "humanitarian", "extra"])
    + "\n"
    + "\n".join(
        [
            "R-1,a,SN,Health,2020-01-01,2021-01-01,10,1,,,,maybe,x",
            "R-2,b,,Nope,2020-13-01,,,x,,91,abc,,",
            "R-3,c,SEN,Health,,2021-01-01,0,5,EUR,,,,",
            "R-4,d,SEN,Health,1990-01-01,2021-01-01,10,-1,EUR,,,,",
            "R-1,e,SN,Health,2020-01-01,2021-01-01,10,1,,,,,",
            "R-5,f,,Health,2020-01-01,2021-01-01,10,1,,,,,",
            "R-5,g,,Health,2020-01-01,2021-01-01,10,1,,,,,,,,",
            "R-5,h,,Health,2020-01-01,2021-01-01,10,1,,,,,",
            "41AAA-11934-013,i,LBR,Health,2020-01-01,2021-01-01,10,1,,,,,",
        ]
    )
).encode()
_PLANNED = (
    b"project_id,title,country_iso3,sector_group,start_date,end_date,budget_usd,"
    b"spent_usd,start_planned,end_planned\n"
    b"Q-1,a,SEN,Health,2020-01-01,2021-01-01,10,1,soon,2021-1-1\n"
)
_NO_STAMP = (
    b'<iati-activities version="2.03"><iati-activity>'
    b"<iati-identifier>XM-9</iati-identifier>"
    b'<recipient-country code="SN"/></iati-activity></iati-activities>'
)


def _empty_sheet() -> bytes:
    buf = io.BytesIO()
    openpyxl.Workbook().save(buf)
    return buf.getvalue()


def _problem_sources() -> list:
    """Fixture files plus inputs that trigger every other import rule."""
    return [
        *sorted(FIX.glob("*")),
        named_bytes("rules.csv", _EVERY_RULE),
        named_bytes("f.xlsx", _xlsx_with_formula()),
        named_bytes("x.csv", b"project_id,title\nA,b\n"),
        named_bytes("old.xls", b"anything"),
        named_bytes("planned.csv", _PLANNED),
        named_bytes("bad_utf8.csv", b"\xef\xbb\xbfproject_id\n\xff\n"),
        named_bytes("comments.csv", b"# only a comment\n"),
        named_bytes("blank.xlsx", _empty_sheet()),
        named_bytes("a.xml", _NO_STAMP),
        named_bytes("b.xml", _NO_STAMP),
        *(named_bytes(n, d) for n, (d, _) in sorted(HOSTILE.items())),
        named_bytes(
            "new.xml", (paths.IATI_DIR / "unops_41AAA_covid19_2021.xml").read_bytes()
        ),
        named_bytes(
            "copy.xml", (paths.IATI_DIR / "unops_41AAA_covid19_2021.xml").read_bytes()
        ),
    ]


@pytest.fixture(scope="module")
def every_problem():
    return import_files(_problem_sources(), as_of=AS_OF)


def test_every_import_problem_is_a_catalog_key_with_plain_values(every_problem):
    from src.i18n import catalog

    keys = {p.key for p in every_problem.problems}
    assert len(keys) >= 30
    assert keys <= set(catalog("en")), keys - set(catalog("en"))
    for p in every_problem.problems:
        for value in p.params.values():
            number = isinstance(value, float) and math.isfinite(value)
            plain = value is None or isinstance(value, str | int) or number
            assert plain, (p.key, value)


@pytest.mark.parametrize("lang", ["fr", "es"])
def test_every_import_problem_reads_in_french_and_spanish(every_problem, lang):
    from src.i18n import catalog
    from src.problems import problem_text

    for p in every_problem.problems:
        assert p.key in catalog(lang), p.key
        assert problem_text(p, lang) != problem_text(p, "en"), p.key


def test_import_message_keys_have_the_same_placeholders_in_every_language():
    import string

    from src.i18n import LANGUAGES, PLURAL_SETTINGS, catalog

    def fields(text: str) -> set[tuple[str, str | None, str]]:
        return {
            (name, conv, spec)
            for _, name, spec, conv in string.Formatter().parse(text)
            if name is not None
        }

    def forms(entry: str | dict[str, str]) -> list[str]:
        """The texts of an entry: itself, or each plural form."""
        if isinstance(entry, str):
            return [entry]
        return [text for name, text in entry.items() if name not in PLURAL_SETTINGS]

    en = {k: v for k, v in catalog("en").items() if k.startswith("import.")}
    assert len(en) >= 40
    for lang in LANGUAGES:
        for key, entry in en.items():
            wanted = fields(entry if isinstance(entry, str) else entry["other"])
            for text in forms(catalog(lang)[key]):
                assert fields(text) == wanted, (lang, key, text)


def test_problem_messages_in_french_keep_the_values(twenty):
    from src.problems import problem_text

    [bad] = [p for p in twenty.problems if p.item == "B-01"]
    assert (bad.key, bad.params) == (
        "import.date_invalid.end_date",
        {"row": 12, "value": "2021-02-30"},
    )
    assert problem_text(bad, "fr") == (
        "ligne 12 : la date de fin 2021-02-30 n'est pas une date (format aaaa-mm-jj)"
    )
    frame = twenty.problems_frame("es")
    assert "fila 12: la fecha de fin 2021-02-30 no es una fecha (use aaaa-mm-dd)" in (
        set(frame["message"])
    )
    assert set(twenty.problems_frame()["message"]) == {
        p.message for p in twenty.problems
    }


def test_refused_files_say_why_in_the_ui_language():
    report = import_files([named_bytes("e.csv", b""), FIX / "latin1_row.csv"])
    empty, latin = report.files
    assert report.file_error(empty) == (
        "the file is empty (0 bytes); nothing to import"
    )
    assert report.file_error(empty, "fr") == (
        "le fichier est vide (0 octet) ; rien à importer"
    )
    assert report.file_error(latin, "fr") == ""
    assert report.errors[0].message == (
        "e.csv: the file is empty (0 bytes); nothing to import"
    )
    assert report.problems_frame("fr")["message"][0] == (
        "e.csv : le fichier est vide (0 octet) ; rien à importer"
    )
