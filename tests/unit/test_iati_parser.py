"""Tests for the hardened streaming IATI parser (src/iati/parser.py).

Expected values for the bundled files are computed here with separate, simple
methods (a regex count and the standard library's xml.etree on the trusted
files), not copied from the parser's own output.
"""

from __future__ import annotations

import io
import random
import re
import xml.etree.ElementTree as ET
from datetime import date
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from src.iati.model import Activity, ParseReport
from src.iati.parser import (
    MAX_DEPTH,
    count_activities_fast,
    iter_activities,
    parse_file,
    parse_files,
)

ROOT = Path(__file__).resolve().parents[2]
RAW = ROOT / "data" / "raw" / "iati"
FIX = ROOT / "tests" / "fixtures" / "iati"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

BUNDLED = {
    "unops_41AAA_covid19_2021.xml": 85,
    "undp_XM-DAC-41114_covid19_2021_geocoded.xml": 287,
    "iom_XM-DAC-47066_covid19_2021.xml": 257,
    "who_XM-DAC-928_covid19_2021.xml": 183,
    "fao_XM-DAC-41301_covid19_2021.xml": 155,
    "unicef_XM-DAC-41122_covid19_2021.xml": 62,
}


@pytest.fixture(scope="module")
def parsed() -> dict[str, tuple[list[Activity], ParseReport]]:
    """Parse every bundled file once for the module."""
    return {name: parse_file(RAW / name) for name in BUNDLED}


@cache  # three tests read each file; the XML does not change during a run
def _stdlib_activities(name: str) -> list[ET.Element]:
    """The activities of a trusted bundled file, read with the standard library."""
    return ET.parse(RAW / name).getroot().findall("iati-activity")


def _stdlib_title(activity: ET.Element) -> str:
    """English narrative if any, else the first narrative (bundled files' rule)."""
    narratives = activity.findall("title/narrative")
    for narrative in narratives:
        if (narrative.get(XML_LANG) or "").lower() == "en":
            return (narrative.text or "").strip()
    return (narratives[0].text or "").strip() if narratives else ""


# --------------------------------------------------------------------------- #
# bundled real files
# --------------------------------------------------------------------------- #


@pytest.mark.parametrize(("name", "expected"), BUNDLED.items())
def test_bundled_activity_counts(parsed, name: str, expected: int) -> None:
    regex_count = len(re.findall(rb"<iati-activity[\s>]", (RAW / name).read_bytes()))
    assert regex_count == expected
    activities, report = parsed[name]
    assert len(activities) == expected
    assert report.activities_read == expected
    assert report.activities_kept == expected
    assert report.fatal == []
    assert report.skipped == []
    assert report.files == [name]
    assert count_activities_fast(RAW / name) == expected
    assert {a.source_file for a in activities} == {name}


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_budget_totals_and_transaction_counts(parsed, name: str) -> None:
    acts = _stdlib_activities(name)
    budget_total = sum(float(v.text) for a in acts for v in a.findall("budget/value"))
    n_budgets = sum(len(a.findall("budget")) for a in acts)
    n_transactions = sum(len(a.findall("transaction")) for a in acts)
    tx_total = sum(float(v.text) for a in acts for v in a.findall("transaction/value"))

    activities, _ = parsed[name]
    assert sum(len(a.budgets) for a in activities) == n_budgets
    assert sum(b.value.amount for a in activities for b in a.budgets) == (
        pytest.approx(budget_total, rel=1e-12)
    )
    assert sum(len(a.transactions) for a in activities) == n_transactions
    assert sum(t.value.amount for a in activities for t in a.transactions) == (
        pytest.approx(tx_total, rel=1e-9, abs=1e-3)
    )


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_identifiers_titles_and_countries(parsed, name: str) -> None:
    acts = _stdlib_activities(name)
    expected = {
        a.findtext("iati-identifier").strip(): (
            _stdlib_title(a),
            [
                c.get("code").upper()
                for c in a.findall("recipient-country")
                if c.get("code")
            ],
        )
        for a in acts
    }
    activities, _ = parsed[name]
    got = {a.identifier: (a.title, [c.code for c in a.countries]) for a in activities}
    assert got == expected


def test_bundled_known_values(parsed) -> None:
    unops, _ = parsed["unops_41AAA_covid19_2021.xml"]
    first = unops[0]
    assert first.identifier == "41AAA-11934-013"
    assert first.title == "COVID-19 Response Programme by Cities Alliance"
    assert first.reporting_org == "United Nations Office for Project Services"
    assert first.reporting_org_ref == "41AAA"
    assert first.start_actual == date(2020, 7, 1)
    assert [c.code for c in first.countries] == ["LR"]
    assert first.countries[0].percentage == 100.0
    assert first.locations[0].lat == pytest.approx(6.428055)
    assert first.locations[0].lon == pytest.approx(-9.429499)
    assert first.default_currency == "USD"
    assert first.budgets[0].value.currency == "USD"

    # FAO reports titles in French and Spanish although the activity language is EN
    fao, _ = parsed["fao_XM-DAC-41301_covid19_2021.xml"]
    assert fao[0].title.startswith("Apoyo a la Iniciativa")
    # IOM has no default-currency: currencies come from each value
    iom, _ = parsed["iom_XM-DAC-47066_covid19_2021.xml"]
    assert all(a.default_currency == "" for a in iom)
    assert all(b.value.currency == "USD" for a in iom for b in a.budgets)
    # UNDP SDG targets "1.A" are normalised to UN notation
    undp, _ = parsed["undp_XM-DAC-41114_covid19_2021_geocoded.xml"]
    tags = {t for a in undp for t in a.sdg_tags}
    assert "1.a" in tags
    assert "1.A" not in tags
    assert all(re.fullmatch(r"\d{5}", s.code) for a in undp for s in a.sectors)


def test_bundled_humanitarian_and_sectors(parsed) -> None:
    for name in BUNDLED:
        acts = _stdlib_activities(name)
        expected_hum = sum(1 for a in acts if a.get("humanitarian") in ("1", "true"))
        expected_dac = sum(
            1
            for a in acts
            for s in a.findall("sector")
            if s.get("vocabulary", "1") == "1" and len(s.get("code", "")) == 5
        )
        activities, _ = parsed[name]
        assert sum(a.humanitarian for a in activities) == expected_hum
        assert sum(len(a.sectors) for a in activities) == expected_dac


def test_unicef_country_without_code_is_warned(parsed) -> None:
    activities, report = parsed["unicef_XM-DAC-41122_covid19_2021.xml"]
    assert len(activities) == 62
    messages = [w.message for w in report.warnings if w.field == "recipient-country"]
    assert messages
    assert any("'HQ'" in m for m in messages)


def test_parse_files_one_report_and_every_copy_returned() -> None:
    # which copy of a repeated identifier counts is the portfolio's duplicate
    # policy (src/portfolio/dedupe.py), not the parser's
    paths = [RAW / "unops_41AAA_covid19_2021.xml", RAW / "unops_41AAA_covid19_2021.xml"]
    activities, report = parse_files(paths)
    assert len(activities) == 170
    assert report.activities_read == 170
    assert report.activities_kept == 170
    assert report.skipped == []
    assert len({a.identifier for a in activities}) == 85


def test_fileobj_and_progress() -> None:
    data = (RAW / "fao_XM-DAC-41301_covid19_2021.xml").read_bytes()
    calls: list[tuple[int, int]] = []
    report = ParseReport()
    n = sum(
        1
        for _ in iter_activities(
            io.BytesIO(data),
            file_name="fao.xml",
            report=report,
            on_progress=lambda a, b: calls.append((a, b)),
        )
    )
    assert n == 155
    assert report.files == ["fao.xml"]
    assert calls[-1] == (155, len(data))


# --------------------------------------------------------------------------- #
# hand-written fixtures
# --------------------------------------------------------------------------- #


def test_multi_country_fixture() -> None:
    activities, report = parse_file(FIX / "multi_country.xml")
    assert report.fatal == []
    assert [a.identifier for a in activities] == ["XM-TEST-MULTI-1", "XM-TEST-MULTI-2"]
    act = activities[0]
    assert act.title == "Multi-country project"
    assert act.reporting_org == "Organisation de test"
    assert act.funding_orgs == ["Donor A", "XM-DONOR-B"]
    assert act.implementing_orgs == ["Partenaire"]
    assert act.status_code == "2"
    assert act.start_planned == date(2020, 1, 15)
    assert act.start_actual == date(2020, 2, 1)
    assert act.end_planned == date(2022, 12, 31)
    assert act.end_actual is None
    assert act.humanitarian is True
    assert act.last_updated == "2021-03-01T10:00:00Z"
    assert [(c.code, c.percentage) for c in act.countries] == [
        ("KE", 50.0),
        ("UG", 30.5),
        ("TZ", 19.5),
    ]
    assert sum(c.percentage for c in act.countries) == pytest.approx(100.0)
    assert act.countries[0].name == "Kenya"
    assert [(r.code, r.vocabulary) for r in act.regions] == [("298", "1")]
    assert [(s.code, s.percentage) for s in act.sectors] == [
        ("12220", 60.0),
        ("12191", 40.0),
    ]
    assert [s.code for s in act.sector_categories] == ["122"]
    assert act.sdg_tags == ["3", "3.d", "3.3.1", "5"]
    # currency: the value's own attribute wins, else the activity default
    b1, b2 = act.budgets
    assert (b1.type, b1.status, b1.value.currency) == ("2", "2", "USD")
    assert b1.value.amount == 1_000_000
    assert (b2.type, b2.status, b2.value.currency) == ("1", "1", "EUR")
    assert b2.value.amount == 250000.5
    assert b2.period_end == date(2021, 12, 31)
    assert b2.value.value_date == date(2021, 1, 1)
    t1, t2 = act.transactions
    assert (t1.type, t1.value.currency, t1.sector_code) == ("3", "GBP", "12220")
    assert t1.date == date(2020, 6, 30)
    assert (t2.type, t2.value.amount, t2.value.currency) == ("4", -200.0, "EUR")
    assert len(act.locations) == 1
    loc = act.locations[0]
    assert (loc.lat, loc.lon) == (-1.2921, 36.8219)
    assert (loc.exactness, loc.location_class, loc.name) == ("1", "2", "Nairobi")

    second = activities[1]
    assert second.title == "Título"  # the activity's default language (es)
    assert second.countries[0].percentage is None
    assert second.budgets[0].value.currency == ""
    assert any(
        w.item == "XM-TEST-MULTI-2" and "currency" in w.message for w in report.warnings
    )


def test_edge_cases_fixture() -> None:
    activities, report = parse_file(FIX / "edge_cases.xml")
    assert report.fatal == []
    assert [a.identifier for a in activities] == [
        "XM-EDGE-OK",
        "XM-EDGE-BAD-VALUES",
        "XM-EDGE-LAST",
    ]
    assert report.activities_read == 5
    assert report.activities_kept == 3
    assert len(report.skipped) == 2
    assert "activity #3 (no iati-identifier)" in report.skipped[0].item
    assert "activity #4 (no iati-identifier)" in report.skipped[1].item
    assert all(p.severity == "error" for p in report.skipped)

    bad = activities[1]
    warnings = [w for w in report.warnings if w.item == "XM-EDGE-BAD-VALUES"]
    text = " | ".join(w.message for w in warnings)
    # bad dates become None with a warning; a trailing time is tolerated
    assert bad.start_planned is None
    assert bad.end_planned is None
    assert bad.start_actual == date(2020, 3, 1)
    assert "'2020-13-45'" in text
    assert "'31/12/2022'" in text
    # non-numeric values are ignored with a warning
    assert [b.value.amount for b in bad.budgets] == [500.0]
    assert "'1,000,000'" in text
    assert "'NaN'" in text
    assert bad.transactions == []
    assert "'twelve'" in text
    assert bad.countries[0].code == "ML"
    assert bad.countries[0].percentage is None
    assert "'about half'" in text
    assert bad.sectors == []
    # coordinates: only the valid one is kept, each bad one warned
    assert [(loc.name, loc.lat, loc.lon) for loc in bad.locations] == [
        ("Bamako", 12.6392, -8.0029)
    ]
    assert sum("location coordinates" in w.message for w in warnings) == 4


def test_version_1_05_rejected() -> None:
    activities, report = parse_file(FIX / "version_1_05.xml")
    assert activities == []
    assert len(report.fatal) == 1
    message = report.fatal[0].message
    assert "version_1_05.xml" in message
    assert "1.05" in message
    assert "IATI 1.x is not supported; convert to 2.0x" in message
    assert report.activities_read == 0


def test_missing_version_is_a_warning() -> None:
    activities, report = parse_file(FIX / "no_version.xml")
    assert [a.identifier for a in activities] == ["XM-NOVERSION-1"]
    assert report.fatal == []
    assert any("no IATI version" in w.message for w in report.warnings)


def test_truncated_file_keeps_activities_before_break() -> None:
    activities, report = parse_file(FIX / "truncated.xml")
    assert [a.identifier for a in activities] == [
        "XM-TRUNC-1",
        "XM-TRUNC-2",
        "XM-TRUNC-3",
    ]
    assert report.activities_kept == 3
    assert report.activities_read == 4  # the cut-off 4th is counted and skipped
    assert len(report.skipped) == 1
    assert "incomplete" in report.skipped[0].item
    assert len(report.fatal) == 1
    message = report.fatal[0].message
    assert "truncated.xml" in message
    assert re.search(r"line \d+, column \d+", message)


def test_truncated_real_file(tmp_path: Path) -> None:
    data = (RAW / "who_XM-DAC-928_covid19_2021.xml").read_bytes()
    cut = data[: len(data) // 2]
    expected = len(re.findall(rb"</iati-activity>", cut))
    path = tmp_path / "who_cut.xml"
    path.write_bytes(cut)
    activities, report = parse_file(path)
    assert len(activities) == expected
    assert report.activities_kept == expected
    assert report.activities_read == expected + 1
    assert len(report.fatal) == 1
    assert "who_cut.xml" in report.fatal[0].message


def test_empty_file() -> None:
    activities, report = parse_file(FIX / "empty.xml")
    assert activities == []
    assert len(report.fatal) == 1
    assert "empty (0 bytes)" in report.fatal[0].message
    assert "empty.xml" in report.fatal[0].message


def test_binary_garbage(tmp_path: Path) -> None:
    path = tmp_path / "garbage.xml"
    path.write_bytes(random.Random(42).randbytes(50_000))
    activities, report = parse_file(path)
    assert activities == []
    assert len(report.fatal) == 1
    assert "not an XML file" in report.fatal[0].message


def test_gzip_renamed(tmp_path: Path) -> None:
    path = tmp_path / "packed.xml"
    path.write_bytes(b"\x1f\x8b\x08\x00" + bytes(100))
    _, report = parse_file(path)
    assert "compressed" in report.fatal[0].message


def test_whitespace_and_non_iati_root(tmp_path: Path) -> None:
    blank = tmp_path / "blank.xml"
    blank.write_bytes(b"  \n\n  ")
    _, report = parse_file(blank)
    assert "only whitespace" in report.fatal[0].message

    org = tmp_path / "org.xml"
    org.write_bytes(b'<iati-organisations version="2.03"><x/></iati-organisations>')
    _, report = parse_file(org)
    assert "organisation file" in report.fatal[0].message

    html = tmp_path / "page.xml"
    html.write_bytes(b"<html><body>Not found</body></html>")
    _, report = parse_file(html)
    assert "<html>" in report.fatal[0].message


# --------------------------------------------------------------------------- #
# hostile XML
# --------------------------------------------------------------------------- #


def test_billion_laughs_rejected() -> None:
    activities, report = parse_file(FIX / "billion_laughs.xml")
    assert activities == []
    assert len(report.fatal) == 1
    assert "DOCTYPE" in report.fatal[0].message
    assert "lollol" not in repr(report)


def test_billion_laughs_after_long_prolog_rejected_by_parser(tmp_path: Path) -> None:
    """A DOCTYPE hidden behind >1 MB of comments still never expands."""
    laughs = (FIX / "billion_laughs.xml").read_bytes()
    decl, _, rest = laughs.partition(b"\n")
    padding = b"<!--" + b"x" * 1_200_000 + b"-->\n"
    path = tmp_path / "padded.xml"
    path.write_bytes(decl + b"\n" + padding + rest)
    activities, report = parse_file(path)
    assert activities == []
    assert len(report.fatal) == 1
    assert "DOCTYPE" in report.fatal[0].message


def test_external_entity_never_read(tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    token = "TOP-SECRET-7f3a9c"
    secret.write_text(token)
    xml = (
        '<?xml version="1.0"?>\n'
        f'<!DOCTYPE iati-activities [<!ENTITY xxe SYSTEM "{secret.as_uri()}">]>\n'
        '<iati-activities version="2.03"><iati-activity>'
        "<iati-identifier>XM-XXE-&xxe;</iati-identifier>"
        "<title><narrative>&xxe;</narrative></title>"
        "</iati-activity></iati-activities>"
    )
    path = tmp_path / "xxe.xml"
    path.write_text(xml)
    activities, report = parse_file(path)
    assert activities == []
    assert len(report.fatal) == 1
    assert "DOCTYPE" in report.fatal[0].message
    assert token not in repr(activities) + repr(report) + repr(report.problems)

    activities, report = parse_file(FIX / "external_entity.xml")
    assert activities == []
    assert "root:" not in repr(report)
    assert "DOCTYPE" in report.fatal[0].message


def test_deep_nesting_rejected(tmp_path: Path) -> None:
    depth = 10_000
    path = tmp_path / "deep.xml"
    path.write_bytes(
        b'<iati-activities version="2.03">'
        + b"<a>" * depth
        + b"</a>" * depth
        + b"</iati-activities>"
    )
    activities, report = parse_file(path)
    assert activities == []
    assert len(report.fatal) == 1
    assert "nesting" in report.fatal[0].message
    assert str(MAX_DEPTH) in report.fatal[0].message


def test_nesting_just_over_limit_inside_activity(tmp_path: Path) -> None:
    inner = MAX_DEPTH  # root + activity + this many levels > MAX_DEPTH
    path = tmp_path / "deep2.xml"
    path.write_bytes(
        b'<iati-activities version="2.03">'
        b"<iati-activity><iati-identifier>XM-OK</iati-identifier></iati-activity>"
        b"<iati-activity><iati-identifier>XM-DEEP</iati-identifier>"
        + b"<a>" * inner
        + b"</a>" * inner
        + b"</iati-activity></iati-activities>"
    )
    activities, report = parse_file(path)
    assert [a.identifier for a in activities] == ["XM-OK"]
    assert "nesting" in report.fatal[0].message
    assert (report.activities_read, report.activities_kept) == (2, 1)
    assert "incomplete" in report.skipped[0].item


@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    st.one_of(
        st.binary(max_size=400),
        st.binary(max_size=300).map(
            lambda b: b'<iati-activities version="2.03"><iati-activity>' + b
        ),
    )
)
def test_arbitrary_bytes_never_raise(data: bytes) -> None:
    activities, report = parse_file(io.BytesIO(data), file_name="fuzz.xml")
    assert report.activities_read >= report.activities_kept == len(activities)
    assert report.activities_read == report.activities_kept + len(report.skipped)


def test_utf16_doctype_rejected() -> None:
    text = (FIX / "billion_laughs.xml").read_text()
    text = text.replace(
        '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-16"?>'
    )
    activities, report = parse_file(io.BytesIO(text.encode("utf-16")), file_name="u16")
    assert activities == []
    assert "DOCTYPE" in report.fatal[0].message


def test_undefined_entity_reports_position() -> None:
    data = (
        b'<iati-activities version="2.03">\n<iati-activity>'
        b"<iati-identifier>&foo;</iati-identifier></iati-activity></iati-activities>"
    )
    activities, report = parse_file(io.BytesIO(data), file_name="ent.xml")
    assert activities == []
    assert "line 2, column" in report.fatal[0].message
    assert "foo" in report.fatal[0].message


@pytest.mark.parametrize(
    "activity",
    [
        b'<iati-activity note="' + b"x" * 10_500_000 + b'"/>',
        b"<iati-activity><title><narrative>"
        + b"x" * 10_500_000
        + b"</narrative></title></iati-activity>",
    ],
    ids=["attribute", "text"],
)
def test_a_huge_value_in_a_well_formed_file_gets_our_own_message(
    tmp_path: Path, activity: bytes
) -> None:
    path = tmp_path / "huge.xml"
    first = b"<iati-activity><iati-identifier>XM-OK-1</iati-identifier></iati-activity>"
    path.write_bytes(
        b'<iati-activities version="2.03">' + first + activity + b"</iati-activities>"
    )
    activities, report = parse_file(path)
    assert [a.identifier for a in activities] == ["XM-OK-1"]
    assert len(report.fatal) == 1
    message = report.fatal[0].message
    assert "XML_PARSE_HUGE" not in message
    assert "malformed" not in message
    assert "10,000,000 characters" in message
    assert "huge.xml" in message
