"""Who does what where: actors, concentration and the OECD significance rule.

Pure functions on the canonical portfolio table (one row per project and
recipient country, budgets split by country). An *actor* is the reporting
organisation (`agency`): the one whose budget the row is. Formulas, sources and
what the figures rest on are in docs/INDICATORS.md.

Rows without a recipient country (regional projects) and negative budgets (net
revisions) cannot be placed in a country's aid: they are counted in
`Coverage`, never silently dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.portfolio import schema as S

SIGNIFICANT_TOP_SHARE = 0.9  # OECD: the largest actors giving 90% of a country's aid
SECTOR_LEVELS = {"group": S.COL_SECTOR_GROUP, "dac3": "dac3"}


@dataclass(frozen=True)
class Coverage:
    """What the indicators rest on.

    Attributes:
        actors: distinct reporting organisations in the selection.
        countries: distinct recipient countries.
        rows: rows used; regional_rows: rows without a country (left out);
        regional_budget_usd: their budget; negative_rows: rows whose negative
        budget is read as 0.
    """

    actors: int
    countries: int
    rows: int
    regional_rows: int
    regional_budget_usd: float
    negative_rows: int


def _placed(df: pd.DataFrame) -> pd.DataFrame:
    """Rows with a country; budgets below 0 read as 0; a DAC 3-digit column."""
    out = df[df[S.COL_COUNTRY].astype(str) != ""].copy()
    out[S.COL_BUDGET] = out[S.COL_BUDGET].fillna(0.0).clip(lower=0.0)
    code = out[S.COL_SECTOR_CODE].fillna("").astype(str)
    out["dac3"] = code.str[:3].where(code != "", S.SECTOR_NOT_REPORTED)
    return out


def coverage(df: pd.DataFrame) -> Coverage:
    """The coverage statement of the indicators for a selection."""
    regional = df[S.COL_COUNTRY].astype(str) == ""
    return Coverage(
        actors=int(df[S.COL_AGENCY].nunique()),
        countries=int(df.loc[~regional, S.COL_COUNTRY].nunique()),
        rows=int((~regional).sum()),
        regional_rows=int(regional.sum()),
        regional_budget_usd=float(df.loc[regional, S.COL_BUDGET].clip(lower=0).sum()),
        negative_rows=int((df.loc[~regional, S.COL_BUDGET] < 0).sum()),
    )


def who_does_what_where(df: pd.DataFrame, level: str = "group") -> pd.DataFrame:
    """Budget and project count per country, sector and actor (the 3W table).

    Returns:
        country_iso3, sector, actor, budget_usd, projects, implementers (the
        implementing organisations named, "; "-joined), sorted by country,
        sector, budget (largest first).
    """
    col = SECTOR_LEVELS[level]
    p = _placed(df)
    g = p.groupby([S.COL_COUNTRY, col, S.COL_AGENCY], sort=False)
    out = g.agg(
        budget_usd=(S.COL_BUDGET, "sum"),
        projects=(S.COL_PROJECT_ID, "nunique"),
        implementers=(S.COL_IMPLEMENTERS, _join_names),
    ).reset_index()
    out = out.rename(columns={col: "sector", S.COL_AGENCY: "actor"})
    return out.sort_values(
        [S.COL_COUNTRY, "sector", "budget_usd"],
        ascending=[True, True, False],
        ignore_index=True,
    )


def _join_names(values: pd.Series) -> str:
    names = {n.strip() for v in values.dropna() for n in str(v).split(";")}
    return "; ".join(sorted(n for n in names if n))


def hhi(shares: np.ndarray) -> float:
    """Herfindahl–Hirschman index of shares that sum to 1 (0 < HHI ≤ 1).

    >>> hhi(np.array([0.5, 0.5]))
    0.5
    >>> hhi(np.array([1.0]))
    1.0
    """
    return float(np.sum(np.square(shares)))


def concentration(
    df: pd.DataFrame, by: tuple[str, ...] = (S.COL_COUNTRY,)
) -> pd.DataFrame:
    """Actors, HHI of budget shares and effective number of actors per group.

    Groups are `by` columns of the placed rows ("sector" for the sector group
    with `by=(country, "sector")`). A group whose budget is 0 has no budget
    shares: its HHI and effective number are NaN (the actor count stands).

    Returns:
        the `by` columns, actors, projects, budget_usd, hhi, effective_actors.
    """
    p = _placed(df).rename(columns={S.COL_SECTOR_GROUP: "sector"})
    per_actor = (
        p.groupby([*by, S.COL_AGENCY], sort=True)[S.COL_BUDGET].sum().reset_index()
    )
    rows = []
    for key, part in per_actor.groupby(list(by), sort=True):
        key = key if isinstance(key, tuple) else (key,)
        total = float(part[S.COL_BUDGET].sum())
        h = hhi(part[S.COL_BUDGET].to_numpy() / total) if total > 0 else float("nan")
        rows.append((*key, len(part), total, h))
    out = pd.DataFrame(rows, columns=[*by, "actors", "budget_usd", "hhi"])
    projects = p.groupby(list(by))[S.COL_PROJECT_ID].nunique().rename("projects")
    out = out.merge(projects.reset_index(), on=list(by), how="left")
    out["effective_actors"] = 1.0 / out["hhi"]
    cols = [*by, "actors", "projects", "budget_usd", "hhi", "effective_actors"]
    return out[cols]


CROWDED_ACTORS = 3  # a sector with this many actors or more is "crowded"


def crowding(concentration_table: pd.DataFrame) -> tuple[int, int, int]:
    """(crowded, single-actor, all) groups of a `concentration` table."""
    actors = concentration_table["actors"]
    return (
        int((actors >= CROWDED_ACTORS).sum()),
        int((actors == 1).sum()),
        len(concentration_table),
    )


def significance(df: pd.DataFrame) -> pd.DataFrame:
    """The OECD significance of each actor–country relation.

    A relation is significant if the actor's share of the country's aid is at
    least its share of all aid in the selection, or if the actor is among the
    largest actors that together provide 90% of the country's aid (taken in
    order of budget until 90% is reached; the actor crossing 90% is included).

    Returns:
        country_iso3, actor, budget_usd, share_in_country, share_of_total,
        in_top_90, significant.
    """
    p = _placed(df)
    rel = p.groupby([S.COL_COUNTRY, S.COL_AGENCY])[S.COL_BUDGET].sum().reset_index()
    rel = rel.rename(columns={S.COL_AGENCY: "actor", S.COL_BUDGET: "budget_usd"})
    total = rel["budget_usd"].sum()
    actor_total = rel.groupby("actor")["budget_usd"].transform("sum")
    country_total = rel.groupby(S.COL_COUNTRY)["budget_usd"].transform("sum")
    with np.errstate(divide="ignore", invalid="ignore"):
        rel["share_in_country"] = np.where(
            country_total > 0, rel["budget_usd"] / country_total, np.nan
        )
        rel["share_of_total"] = actor_total / total if total > 0 else np.nan
    rel = rel.sort_values(
        [S.COL_COUNTRY, "budget_usd", "actor"],
        ascending=[True, False, True],
        ignore_index=True,
    )
    before = rel.groupby(S.COL_COUNTRY)["share_in_country"].cumsum()
    before = before - rel["share_in_country"]
    rel["in_top_90"] = (before < SIGNIFICANT_TOP_SHARE - 1e-12) & (
        rel["budget_usd"] > 0
    )
    rel["significant"] = (
        rel["share_in_country"] >= rel["share_of_total"] - 1e-12
    ) | rel["in_top_90"]
    return rel


def non_significant_by_country(df: pd.DataFrame) -> pd.DataFrame:
    """Per country: relations, non-significant relations, and their money share.

    Returns:
        country_iso3, relations, non_significant, share_relations, share_budget.
    """
    rel = significance(df)
    rel["ns_budget"] = np.where(rel["significant"], 0.0, rel["budget_usd"])
    g = rel.groupby(S.COL_COUNTRY)
    out = pd.DataFrame(
        {
            "relations": g.size(),
            "non_significant": g["significant"].apply(lambda s: int((~s).sum())),
            "budget_usd": g["budget_usd"].sum(),
            "ns_budget": g["ns_budget"].sum(),
        }
    ).reset_index()
    out["share_relations"] = out["non_significant"] / out["relations"]
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_budget"] = np.where(
            out["budget_usd"] > 0, out["ns_budget"] / out["budget_usd"], np.nan
        )
    return out.drop(columns=["ns_budget"])


def country_table(df: pd.DataFrame) -> pd.DataFrame:
    """One row per country: concentration and non-significant shares together."""
    conc = concentration(df, by=(S.COL_COUNTRY,))
    ns = non_significant_by_country(df)[
        [S.COL_COUNTRY, "non_significant", "share_relations", "share_budget"]
    ]
    return conc.merge(ns, on=S.COL_COUNTRY, how="left")


def actors_by_country(df: pd.DataFrame) -> pd.DataFrame:
    """Actors per country for the world map.

    Returns:
        country_iso3, actors (reporting organisations, as `concentration`),
        effective_actors (1/HHI of their budget shares) and implementers
        (distinct implementing organisations named by the country's rows).
    """
    conc = concentration(df, by=(S.COL_COUNTRY,))
    named = _placed(df)[[S.COL_COUNTRY, S.COL_IMPLEMENTERS]].reset_index(drop=True)
    named["name"] = named[S.COL_IMPLEMENTERS].fillna("").astype(str).str.split(";")
    named = named.explode("name")
    named["name"] = named["name"].str.strip()
    implementers = named[named["name"] != ""].groupby(S.COL_COUNTRY)["name"].nunique()
    out = conc[[S.COL_COUNTRY, "actors", "effective_actors"]].copy()
    out["implementers"] = (
        out[S.COL_COUNTRY].map(implementers).fillna(0).astype(int).to_numpy()
    )
    return out
