"""Follow the money on the bundled data, against counts read from the raw XML."""

from __future__ import annotations

import json
from functools import cache

import pandas as pd
import pytest
from lxml import etree

from src.cli.main import main
from src.portfolio import money as M
from src.portfolio import paths
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from src.portfolio.money_summary import money_summary


@cache
def _raw(prefix: str) -> list[tuple[str, str, float, dict, dict]]:
    """(reporting ref, type, value, provider attrs, receiver attrs) per transaction."""
    (path,) = [p for p in paths.bundled_iati_files() if p.name.startswith(prefix)]
    out = []
    for act in etree.parse(str(path)).iter("iati-activity"):
        rep = act.find("reporting-org").get("ref")
        for t in act.iter("transaction"):
            value = t.find("value")
            currency = value.get("currency") or act.get("default-currency")
            assert currency == "USD"
            prov, recv = t.find("provider-org"), t.find("receiver-org")
            out.append(
                (
                    rep,
                    t.find("transaction-type").get("code"),
                    float(value.text),
                    {} if prov is None else dict(prov.attrib),
                    {} if recv is None else dict(recv.attrib),
                )
            )
    return out


@cache
def _summary():
    df, _ = load_bundled_portfolio()
    return money_summary(df, df, load_bundled_side_tables())


def _publisher(name: str) -> dict:
    table = _summary().publishers
    return table[table[M.PUBLISHER] == name].iloc[0].to_dict()


def test_undp_disbursements_to_governments_match_the_xml():
    raw = _raw("undp")
    out = [r for r in raw if r[1] in ("3", "4")]
    gov = [r for r in out if r[1] == "3" and r[4].get("type") == "10"]
    assert len(gov) == 76
    gov_usd, out_usd = sum(r[2] for r in gov), sum(r[2] for r in out)
    assert round(gov_usd / 1e6, 1) == 16.5
    assert round(out_usd / 1e6, 1) == 223.5
    undp = _publisher("United Nations Development Programme")
    assert undp["outgoing"] == len(out)
    assert undp["outgoing_usd"] == pytest.approx(out_usd)
    assert undp["localisation_verified"] == pytest.approx(gov_usd / out_usd)
    typed = [r for r in out if r[4].get("type")]
    assert undp["typed_usd"] == pytest.approx(sum(r[2] for r in typed))


def test_iom_incoming_names_the_providers_activity_every_time():
    raw = _raw("iom")
    inc = [r for r in raw if r[1] in ("1", "11", "13")]
    with_id = [r for r in inc if r[3].get("provider-activity-id")]
    assert len(with_id) == len(inc) == 257
    iom = _publisher("International Organization for Migration (IOM)")
    assert (iom["incoming"], iom["traceability_up"]) == (257, 1.0)
    # IOM publishes no outgoing money: not published (NaN in the table), not 0
    assert pd.isna(iom["localisation_verified"])


@pytest.mark.parametrize(
    ("prefix", "publisher"),
    [
        ("unops", "United Nations Office for Project Services"),
        ("who", "World Health Organization"),
    ],
)
def test_commitments_to_oneself_are_counted_as_received(prefix, publisher):
    raw = _raw(prefix)
    selfs = [r for r in raw if r[1] == "2" and r[4].get("ref") == r[0]]
    fixes = _summary().fixes
    row = fixes[(fixes["publisher"] == publisher)]
    row = row[row["indicator"] == "money received published as outgoing"].iloc[0]
    assert row["missing"] == len(selfs)
    assert row["total"] == len([r for r in raw if r[1] == "2"])


def test_unicef_commitments_repeat_its_incoming_funds_and_are_dropped():
    raw = _raw("unicef")
    funds = sorted(r[2] for r in raw if r[1] == "1")
    commits = sorted(r[2] for r in raw if r[1] == "2")
    assert funds == commits  # the trap itself, seen in the XML
    df, _ = load_bundled_portfolio()
    unicef = df[df[S.COL_AGENCY_REF] == "XM-DAC-41122"]
    assert unicef[S.COL_COMMITTED].sum() == 0.0
    assert unicef[S.COL_INCOMING].sum() == pytest.approx(sum(funds))


def test_the_money_command_prints_the_same_figures_as_json(capsys):
    assert main(["money", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    loc = data["localisation"]
    summary = _summary()
    assert loc["verified"]["count"] == 76
    assert loc["verified"]["usd"] == pytest.approx(summary.localisation.verified.usd)
    assert loc["typed"]["of_count"] == summary.localisation.typed.of_count
    assert set(data) >= {"traceability", "pass_through", "fix_your_data"}
    assert main(["money", "--country", "KEN"]) == 0
    assert "localisation, verified" in capsys.readouterr().out


def test_the_money_command_refuses_an_unknown_country(capsys):
    assert main(["money", "--country", "XXX"]) == 2
    assert "--country" in capsys.readouterr().err


def test_undp_national_implementation_counts_the_governments_named_in_the_xml():
    path = next(p for p in paths.bundled_iati_files() if p.name.startswith("undp"))
    national = {
        act.findtext("iati-identifier")
        for act in etree.parse(str(path)).iter("iati-activity")
        for org in act.iter("participating-org")
        if org.get("role") == "4" and org.get("type") in ("10", "11", "15", "22", "24")
    }
    df, _ = load_bundled_portfolio()
    undp = df[df[S.COL_AGENCY_REF] == "XM-DAC-41114"]
    imp = M.implementation(undp, load_bundled_side_tables().details)
    assert imp.national_share.count == len(national) == 19


def test_unops_expenditure_names_no_receiver_in_the_fix_list():
    raw = _raw("unops")
    spent = [r for r in raw if r[1] == "4"]
    nameless = [r for r in spent if not r[4]]
    fixes = _summary().fixes
    row = fixes[
        (fixes["publisher"] == "United Nations Office for Project Services")
        & (fixes["indicator"] == "receiver organisation")
    ].iloc[0]
    assert (row["missing"], row["total"]) == (len(nameless), len(spent)) == (420, 420)
    assert round(sum(r[2] for r in nameless) / 1e6, 1) == 183.1
