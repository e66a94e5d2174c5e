"""The column-wise row step: the same problems as the rules table, row by row.

`check_table` flags rows with vectorised masks (flags.py) and runs a rule's own
`find` only on the rows it flagged; these tests hold it to the hand-written
cases of the rules table (tests/unit/test_import_rules.py) and to hand-made
sheets whose problems and canonical values are worked out by hand.
"""

from __future__ import annotations

from datetime import date

import pytest

from src.portfolio import schema as S
from src.portfolio.imports import import_files, named_bytes
from src.portfolio.imports.cells import References
from src.portfolio.imports.merge import SeenIds
from src.portfolio.imports.rows import check_table
from src.portfolio.imports.rules import RULES
from src.portfolio.imports.tabular import Sheet, read_csv
from src.problems import ERROR, WARNING, Problem
from tests.unit.test_import_rules import BASE, CASES


@pytest.fixture(scope="module")
def refs():
    return References.load()


def _sheet(*records: dict[str, str], first: int = 2) -> Sheet:
    """A sheet of `records`; "__extra__" and "__formula__:*" say what a reader
    found (more values than the header; a formula cell)."""
    plain = [{k: v for k, v in r.items() if not k.startswith("__")} for r in records]
    header = list(dict.fromkeys(k for rec in plain for k in rec))
    values = [tuple(rec.get(h, "") for rec in plain) for h in header]
    sheet = Sheet(header, list(range(first, first + len(records))), values)
    for i, rec in enumerate(records):
        if "__extra__" in rec:
            sheet.widths[i] = int(rec["__extra__"])
        found = {k: v for k, v in rec.items() if k.startswith("__formula__:")}
        if found:
            sheet.formulas[i] = found
    return sheet


def test_every_rule_has_a_vectorised_mask():
    assert [r.name for r in RULES if r.flags is None] == []


@pytest.mark.parametrize(
    ("name", "changes", "field", "severity", "params"), CASES, ids=[c[0] for c in CASES]
)
def test_the_sheet_check_finds_each_rule_breach_with_its_key_row_and_params(
    refs, name, changes, field, severity, params
):
    rule = next(r for r in RULES if r.name == name)
    pid = changes.get("project_id", BASE["project_id"]).strip()
    expected = Problem(rule.key, {"row": 7, **params}, "t.csv", pid, field, severity)
    result = check_table("t.csv", _sheet({**BASE, **changes}, first=7), SeenIds(), refs)
    assert expected in result.problems
    assert result.read == 1
    # rejected with its errors (a warning case may also lack, say, a start date)
    errors = tuple(p for p in result.problems if p.severity == ERROR)
    assert (severity != ERROR) or expected in errors
    rejected = [(r.row, r.problems) for r in result.rejected]
    assert rejected == ([(7, errors)] if errors else [])
    assert len(result.accepted) == (0 if errors else 1)


def test_a_mixed_sheet_gives_each_row_its_own_problems_in_row_order(refs):
    rows = [
        BASE,  # row 2: clean
        {**BASE, "project_id": "P-2", "budget_usd": "abc"},  # 3: not a number
        {**BASE, "project_id": "P-3", "country_iso3": "SN", "end_date": "9999-01-01"},
        {k: "" for k in BASE},  # 5: blank, not counted
        {**BASE, "project_id": "P-1"},  # 6: duplicate of row 2
        {**BASE, "project_id": "P-7", "spent_usd": "2000000"},  # 7: spent > budget
        {**BASE, "project_id": "P-8", "sector_group": "health", "lat": "14.5"},
    ]
    result = check_table("m.csv", _sheet(*rows), SeenIds(), refs)
    got = [(p.params["row"], p.key, p.severity) for p in result.problems]
    assert got == [
        (3, "import.amount_not_number.budget_usd", ERROR),
        (4, "import.country_iso2", WARNING),
        (4, "import.date_range.end_date", ERROR),
        (6, "import.duplicate_id_row", ERROR),
        (7, "import.spent_above_budget", WARNING),
    ]
    assert result.read == 6
    assert [r.row for r in result.rejected] == [3, 4, 6]
    dup = result.rejected[2].problems[0]
    assert dup.params == {
        "row": 6,
        "id": "P-1",
        "file": "m.csv",
        "first_row": 2,
        "country": "SEN",
    }
    spent = result.problems[4].params
    assert spent == {
        "row": 7,
        "spent": 2_000_000,
        "budget": 1_000_000,
        "share": 2.0,
    }
    table = result.accepted
    assert list(table[S.COL_PROJECT_ID]) == ["P-1", "P-7", "P-8"]
    assert list(table[S.COL_BUDGET]) == [1_000_000.0] * 3
    assert list(table[S.COL_SPENT]) == [250_000.0, 2_000_000.0, 250_000.0]
    assert list(table[S.COL_SECTOR_GROUP]) == ["Health"] * 3
    assert list(table[S.COL_START]) == [date(2021, 1, 15)] * 3
    assert list(table[S.COL_N_SITES]) == [0, 0, 1]
    assert table[S.COL_LAT].iloc[2] == 14.5


def test_csv_row_numbers_follow_the_lines_a_spreadsheet_shows():
    data = (
        b"# exported\n\n"  # lines 1-2
        b"project_id,title,budget_usd\n"  # header: line 3
        b'P-1,"two\nlines",10\n'  # lines 4-5
        b"P-2,short\n"  # line 6: one value missing
        b"P-3,long,3,extra,values\n"  # line 7: two values too many
    )
    sheet = read_csv("r.csv", data)
    assert sheet.header == ["project_id", "title", "budget_usd"]
    assert sheet.numbers == [4, 6, 7]
    assert sheet.record(0) == {
        "project_id": "P-1",
        "title": "two\nlines",
        "budget_usd": "10",
    }
    assert sheet.record(1) == {"project_id": "P-2", "title": "short"}
    assert sheet.record(2)["__extra__"] == "5"
    assert sheet.column("budget_usd") == ["10", "", "3"]


def test_a_large_clean_file_is_accepted_whole_with_its_values():
    header = ",".join(BASE)
    line = "P-{i},Clinics,SEN,Health,2021-01-15,2023-12-31,{b},0"
    body = "\n".join(line.format(i=i, b=1000 + i) for i in range(5_000))
    data = f"{header}\n{body}\n".encode()
    report = import_files([named_bytes("big.csv", data)], as_of=date(2022, 1, 1))
    assert (report.read, report.accepted, report.problems) == (5_000, 5_000, [])
    assert report.table[S.COL_BUDGET].sum() == sum(1000 + i for i in range(5_000))


class _Stop(Exception):
    pass


def test_a_single_large_csv_can_be_stopped_while_it_is_read():
    # The app's progress callback is where a closed session or the time limit
    # stops an import: it is called every 10,000 rows of one file, not only
    # after it, so a stop comes in the middle of the read.
    header = ",".join(BASE)
    line = "P-{i},Clinics,SEN,Health,2021-01-15,2023-12-31,1000,0"
    body = "\n".join(line.format(i=i) for i in range(35_000))
    data = f"{header}\n{body}\n".encode()
    calls = []

    def progress(done: int, total: int) -> None:
        calls.append((done, total))
        if len(calls) == 2:
            raise _Stop

    with pytest.raises(_Stop):
        import_files([named_bytes("big.csv", data)], on_progress=progress)
    assert calls == [(0, len(data)), (0, len(data))]  # rows 10,000 and 20,000


def test_the_row_check_of_a_file_has_yield_points_too():
    data = f"{','.join(BASE)}\nP-1,Clinics,SEN,Health,2021-01-15,2023-12-31,1000,0\n"
    calls = []
    report = import_files(
        [named_bytes("one.csv", data.encode())],
        on_progress=lambda done, total: calls.append((done, total)),
    )
    assert report.accepted == 1
    # one call after the file is read, then one per rule of the row check
    assert len(calls) >= 1 + len(RULES)
    assert set(calls) == {(len(data), len(data))}


def test_a_column_named_like_a_readers_marker_is_only_an_unknown_column():
    # "__extra__" is how a reader marks a row with too many values; a column
    # of that name crashed the import (int("x")) before
    data = f"{','.join(BASE)},__extra__\n"
    data += "P-1,Clinics,SEN,Health,2021-01-15,2023-12-31,1000,0,x\n"
    report = import_files([named_bytes("x.csv", data.encode())])
    assert report.accepted == 1
    assert [(p.key, p.params) for p in report.problems] == [
        ("import.unknown_columns", {"row": 1, "columns": "__extra__", "n": 1})
    ]
