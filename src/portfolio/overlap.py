"""Sub-national overlap: two or more actors in the same sector within a distance.

Sites are the published `<location>` points (the details table, kind
"location", with coordinates). Each site is placed in its project's country,
sector group and reporting organisation (the actor). A site *overlaps* when a
site of another actor in the same country and sector group lies within the
chosen distance (great-circle, on a sphere of radius `EARTH_KM`). Formula and
coverage: docs/INDICATORS.md.

Pairs are found with a k-d tree on unit vectors (scipy's `cKDTree`), so a
country and sector with many sites costs n log n, not n².
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.spatial import cKDTree

from src.portfolio import schema as S

EARTH_KM = 6371.0088
"""Mean Earth radius (IUGG), km."""

DISTANCES_KM: tuple[int, ...] = (1, 5, 10, 25, 50)
"""The distances offered in the app; 10 km is the default."""

DEFAULT_KM = 10

SITE_COLUMNS = (
    S.COL_PROJECT_ID,
    S.COL_COUNTRY,
    S.COL_SECTOR_GROUP,
    "actor",
    "lat",
    "lon",
)
OVERLAP_COLUMNS = (
    S.COL_COUNTRY,
    S.COL_SECTOR_GROUP,
    "sites",
    "actors",
    "overlapping_sites",
    "actor_pairs",
)


@dataclass(frozen=True)
class SiteCoverage:
    """What the overlap rests on.

    Attributes:
        projects: projects in the selection.
        with_sites: of them, projects with at least one site with coordinates.
        sites: the sites placed.
        multi_country_sites: sites of projects with rows in several countries:
            not placed (a point cannot be given to one of the countries).
        regional_sites: sites of projects naming no recipient country (a
            region only): not placed either.
    """

    projects: int
    with_sites: int
    sites: int
    multi_country_sites: int
    regional_sites: int


def sites(
    rows: pd.DataFrame, details: pd.DataFrame
) -> tuple[pd.DataFrame, SiteCoverage]:
    """The selection's sites with country, sector group and actor.

    Args:
        rows: portfolio rows (a selection).
        details: the details table (`activity_tables`).

    Returns:
        (sites with `SITE_COLUMNS`, coverage).
    """
    loc = details[
        (details[S.DT_KIND] == "location")
        & details[S.DT_LAT].notna()
        & details[S.DT_LON].notna()
    ]
    loc = loc[loc[S.COL_PROJECT_ID].isin(rows[S.COL_PROJECT_ID])]
    countries = rows.groupby(S.COL_PROJECT_ID)[S.COL_COUNTRY].nunique()
    multi = set(countries.index[countries > 1])
    if S.COL_COUNTRY_SHARE in rows:
        # a row holding part of its project has the project's other countries'
        # sites too, also when `rows` are one country's (a restricted view)
        multi |= set(rows.loc[rows[S.COL_COUNTRY_SHARE] < 1, S.COL_PROJECT_ID])
    placed = loc[~loc[S.COL_PROJECT_ID].isin(multi)]
    first = rows.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)
    ids = placed[S.COL_PROJECT_ID]
    table = pd.DataFrame(
        {
            S.COL_PROJECT_ID: ids.to_numpy(),
            S.COL_COUNTRY: ids.map(first[S.COL_COUNTRY]).to_numpy(),
            S.COL_SECTOR_GROUP: ids.map(first[S.COL_SECTOR_GROUP]).to_numpy(),
            "actor": ids.map(first[S.COL_AGENCY]).to_numpy(),
            "lat": placed[S.DT_LAT].astype(float).to_numpy(),
            "lon": placed[S.DT_LON].astype(float).to_numpy(),
        }
    )
    regional = table[S.COL_COUNTRY] == ""
    table = table[~regional].reset_index(drop=True)
    cover = SiteCoverage(
        projects=int(rows[S.COL_PROJECT_ID].nunique()),
        with_sites=int(table[S.COL_PROJECT_ID].nunique()),
        sites=len(table),
        multi_country_sites=int(len(loc) - len(placed)),
        regional_sites=int(regional.sum()),
    )
    return table, cover


def _unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    phi, lam = np.radians(lat), np.radians(lon)
    return np.column_stack(
        (np.cos(phi) * np.cos(lam), np.cos(phi) * np.sin(lam), np.sin(phi))
    )


def chord(km: float) -> float:
    """The straight-line distance on the unit sphere of a great-circle `km`.

    >>> round(chord(math.pi * EARTH_KM), 6)  # half way round: the diameter
    2.0
    """
    return 2.0 * math.sin(min(km / EARTH_KM, math.pi) / 2.0)


def overlap(site_table: pd.DataFrame, km: float) -> pd.DataFrame:
    """Per country and sector group: sites, actors and overlaps within `km`.

    Args:
        site_table: `sites(...)[0]`.
        km: the distance (> 0).

    Returns:
        `OVERLAP_COLUMNS`, one row per country and sector group with a site:
        `overlapping_sites` counts sites with another actor's site of the same
        sector within `km`; `actor_pairs` lists those actor pairs ("A – B",
        sorted), "" when none. Sorted by overlapping sites, then country.
    """
    if km <= 0:
        raise ValueError(f"the distance must be positive, got {km} km")
    out = []
    for (iso3, group), part in site_table.groupby(
        [S.COL_COUNTRY, S.COL_SECTOR_GROUP], sort=True
    ):
        actors = part["actor"].to_numpy()
        hit = np.zeros(len(part), dtype=bool)
        pairs: set[tuple[str, str]] = set()
        if len(set(actors)) > 1:
            tree = cKDTree(
                _unit_vectors(part["lat"].to_numpy(), part["lon"].to_numpy())
            )
            found = tree.query_pairs(chord(km), output_type="ndarray")
            if len(found):
                other = actors[found[:, 0]] != actors[found[:, 1]]
                found = found[other]
                hit[found[:, 0]] = True
                hit[found[:, 1]] = True
                pairs = {tuple(sorted((actors[i], actors[j]))) for i, j in found}
        out.append(
            {
                S.COL_COUNTRY: iso3,
                S.COL_SECTOR_GROUP: group,
                "sites": len(part),
                "actors": int(len(set(actors))),
                "overlapping_sites": int(hit.sum()),
                "actor_pairs": "; ".join(f"{a} – {b}" for a, b in sorted(pairs)),
            }
        )
    table = pd.DataFrame(out, columns=list(OVERLAP_COLUMNS))
    return table.sort_values(
        ["overlapping_sites", S.COL_COUNTRY], ascending=[False, True], ignore_index=True
    )
