"""The one duplicate-identifier policy, as the bundled build and imports apply it."""

from __future__ import annotations

from pathlib import Path

import pytest

from src.portfolio import schema as S
from src.portfolio.imports import import_files, named_bytes
from src.portfolio.load import build_from_files


def _file(*activities: tuple[str, str, str]) -> bytes:
    body = "".join(
        f'<iati-activity last-updated-datetime="{stamp}">'
        f"<iati-identifier>{ident}</iati-identifier>"
        f"<title><narrative>{title}</narrative></title>"
        '<recipient-country code="SN"/></iati-activity>'
        for ident, stamp, title in activities
    )
    return f'<iati-activities version="2.03">{body}</iati-activities>'.encode()


FILES = {
    "a.xml": _file(
        ("XM-1", "2020-01-01T00:00:00Z", "one old"),
        ("XM-2", "2021-01-01T00:00:00Z", "two old"),
        ("XM-1", "2021-03-01T00:00:00Z", "one new"),  # newer, same file: wins
    ),
    "b.xml": _file(
        ("XM-1", "2021-03-01T00:00:00Z", "one tie"),  # same date: first copy kept
        ("XM-2", "2022-01-01T00:00:00Z", "two new"),  # newer, other file: wins
    ),
}
# independently: the newest copy of each identifier, in the first copy's position
WANT_TITLES = ["one new", "two new"]
WANT_FILES = ["a.xml", "b.xml"]
WANT_DROPPED = [("a.xml", "XM-1"), ("b.xml", "XM-1"), ("a.xml", "XM-2")]


def _bundled(tmp_path: Path):
    paths = []
    for name, data in FILES.items():
        (tmp_path / name).write_bytes(data)
        paths.append(tmp_path / name)
    df, meta, parse_report, _ = build_from_files(paths)
    dropped = [(p.file, p.item) for p in parse_report.skipped]
    return df, dropped, parse_report.activities_kept, meta.as_of


def _imported(tmp_path: Path):
    del tmp_path  # imports read bytes, not files
    report = import_files([named_bytes(n, d) for n, d in FILES.items()])
    dropped = [
        (p.file, p.item) for p in report.problems if p.key == "import.iati_duplicate"
    ]
    return report.table, dropped, report.accepted, report.as_of.isoformat()


@pytest.mark.parametrize("run", [_bundled, _imported], ids=["bundled", "import"])
def test_the_newest_copy_wins_in_the_first_copys_position(run, tmp_path):
    df, dropped, kept, as_of = run(tmp_path)
    assert df[S.COL_TITLE].tolist() == WANT_TITLES
    assert df[S.COL_SOURCE_FILE].tolist() == WANT_FILES
    assert sorted(dropped) == sorted(WANT_DROPPED)
    assert kept == 2
    assert as_of == "2022-01-01"  # the data date comes from the copies kept
