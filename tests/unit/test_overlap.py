"""Sub-national overlap (issue 13 item 1): hand-made sites and the bundled XML."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from lxml import etree

from src.portfolio import overlap as O
from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio, load_bundled_side_tables
from src.portfolio.paths import IATI_DIR

# 0.05 degree of latitude on the sphere of radius EARTH_KM
FIVE_POINT_56_KM = O.EARTH_KM * math.radians(0.05)


def _rows() -> pd.DataFrame:
    return pd.DataFrame(
        {
            S.COL_PROJECT_ID: ["P1", "P2", "P3", "P4", "P5", "P6"],
            S.COL_COUNTRY: ["KEN", "KEN", "KEN", "KEN", "", "UGA"],
            S.COL_SECTOR_GROUP: ["Health", "Health", "Health", "Education"] * 1
            + ["Health", "Health"],
            S.COL_AGENCY: ["UNDP", "WHO", "WHO", "UNDP", "WHO", "UNDP"],
        }
    )


def _details() -> pd.DataFrame:
    sites = [  # project, lat, lon
        ("P1", 0.0, 37.0),
        ("P2", 0.05, 37.0),  # 5.56 km north of P1, another actor, same sector
        ("P3", 1.0, 38.0),  # far from everything
        ("P4", 0.0, 37.0),  # same point as P1 but another sector
        ("P5", 0.0, 37.0),  # a region-only project: not placed
        ("P6", 0.0, 37.0),  # another country
    ]
    return pd.DataFrame(
        {
            S.COL_PROJECT_ID: [p for p, _, _ in sites] + ["P1"],
            S.DT_KIND: ["location"] * len(sites) + ["location"],
            S.DT_LAT: [lat for _, lat, _ in sites] + [float("nan")],
            S.DT_LON: [lon for _, _, lon in sites] + [float("nan")],
        }
    )


def test_sites_are_placed_by_project_and_what_is_not_placed_is_counted():
    table, cover = O.sites(_rows(), _details())
    assert sorted(table[S.COL_PROJECT_ID]) == ["P1", "P2", "P3", "P4", "P6"]
    assert cover == O.SiteCoverage(
        projects=6, with_sites=5, sites=5, multi_country_sites=0, regional_sites=1
    )


def test_a_split_projects_sites_are_not_placed_in_one_countrys_rows_alone():
    # P1 is 60% Kenya, 40% Uganda; a view of Kenya's rows only still knows it
    rows = _rows().assign(**{S.COL_COUNTRY_SHARE: [0.6, 1, 1, 1, 1, 1]})
    table, cover = O.sites(rows[rows[S.COL_COUNTRY] == "KEN"], _details())
    assert sorted(table[S.COL_PROJECT_ID]) == ["P2", "P3", "P4"]
    assert cover.multi_country_sites == 1


def test_two_actors_within_the_distance_overlap_and_not_beyond():
    table, _ = O.sites(_rows(), _details())
    assert 5.5 < FIVE_POINT_56_KM < 5.6
    near = O.overlap(table, 10).set_index([S.COL_COUNTRY, S.COL_SECTOR_GROUP])
    health = near.loc[("KEN", "Health")]
    assert (health["sites"], health["actors"]) == (3, 2)
    assert health["overlapping_sites"] == 2  # P1 and P2; P3 is 150 km away
    assert health["actor_pairs"] == "UNDP – WHO"
    assert near.loc[("KEN", "Education"), "overlapping_sites"] == 0
    assert near.loc[("UGA", "Health"), "overlapping_sites"] == 0  # other country
    far = O.overlap(table, 5).set_index([S.COL_COUNTRY, S.COL_SECTOR_GROUP])
    assert far.loc[("KEN", "Health"), "overlapping_sites"] == 0
    assert far.loc[("KEN", "Health"), "actor_pairs"] == ""


def test_sites_of_one_actor_never_overlap_each_other():
    rows = pd.DataFrame(
        {
            S.COL_PROJECT_ID: ["A", "B"],
            S.COL_COUNTRY: ["KEN", "KEN"],
            S.COL_SECTOR_GROUP: ["Health", "Health"],
            S.COL_AGENCY: ["WHO", "WHO"],
        }
    )
    details = pd.DataFrame(
        {
            S.COL_PROJECT_ID: ["A", "B"],
            S.DT_KIND: ["location", "location"],
            S.DT_LAT: [0.0, 0.0],
            S.DT_LON: [37.0, 37.0],
        }
    )
    table, _ = O.sites(rows, details)
    assert O.overlap(table, 50)["overlapping_sites"].tolist() == [0]


def test_a_distance_must_be_positive():
    table, _ = O.sites(_rows(), _details())
    with pytest.raises(ValueError, match="positive"):
        O.overlap(table, 0)


def _haversine_km(lat1, lon1, lat2, lon2) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * O.EARTH_KM * math.asin(math.sqrt(a))


def test_bundled_overlap_equals_a_brute_force_count_from_the_xml():
    """Sites read from the raw XML with lxml, every pair compared (no k-d tree)."""
    df, _ = load_bundled_portfolio()
    project = df.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)
    sites = []
    for path in sorted(IATI_DIR.glob("*.xml")):
        for act in etree.parse(str(path)).iter("iati-activity"):
            ident = (act.findtext("iati-identifier") or "").strip()
            if ident not in project.index or not project.at[ident, S.COL_COUNTRY]:
                continue
            for pos in act.iterfind("location/point/pos"):
                lat, lon = (float(v) for v in pos.text.split())
                sites.append(
                    (
                        project.at[ident, S.COL_COUNTRY],
                        project.at[ident, S.COL_SECTOR_GROUP],
                        project.at[ident, S.COL_AGENCY],
                        lat,
                        lon,
                    )
                )
    table, cover = O.sites(df, load_bundled_side_tables().details)
    assert cover.sites == len(sites)
    hit = set()
    for i, a in enumerate(sites):
        for j in range(i + 1, len(sites)):
            b = sites[j]
            same_sector, other_actor = a[:2] == b[:2], a[2] != b[2]
            if same_sector and other_actor and _haversine_km(*a[3:], *b[3:]) <= 10:
                hit.update((i, j))
    got = O.overlap(table, 10)
    assert got["overlapping_sites"].sum() == len(hit)
    assert got["overlapping_sites"].sum() > 0


def test_the_cli_prints_the_overlap_of_one_country(capsys):
    import json

    from src.cli.main import main

    assert main(["coordination", "--country", "BGD", "--km", "5", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)["overlap"]
    df, _ = load_bundled_portfolio()
    rows = df[df[S.COL_COUNTRY] == "BGD"]
    table, cover = O.sites(rows, load_bundled_side_tables().details)
    assert out["km"] == 5
    assert out["coverage"]["sites"] == cover.sites == len(table)
    assert [r["overlapping_sites"] for r in out["sectors"]] == O.overlap(table, 5)[
        "overlapping_sites"
    ].tolist()
    assert main(["coordination", "--country", "BGD", "--km", "0"]) == 2
    assert "--km must be a positive distance" in capsys.readouterr().err
