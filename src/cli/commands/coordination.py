"""The `coordination` subcommand: who does what where, and what ends when.

Per country (and sector, with --country): actors, HHI, 1/HHI, OECD
significance, and the funding cliff at 12/24/36 months with its coverage.
"""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from src.cli.options import (
    add_dataset_arg,
    add_filter_args,
    check_values,
    filters_from_args,
    load_portfolio,
    load_side_tables,
    records,
)

ORDER = 35


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `coordination`."""
    p = subparsers.add_parser(
        "coordination",
        help="actors, concentration, OECD significance and funding cliff by country",
    )
    add_dataset_arg(p)
    add_filter_args(p)
    p.add_argument(
        "--km",
        type=float,
        default=None,
        help="with --country: sub-national overlap within this distance (km, > 0;"
        " default 10)",
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_coordination)


def _num(value: float | None, digits: int) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def cmd_coordination(args: argparse.Namespace) -> int:
    """Per country (and, with --country, per sector): actors, HHI, 1/HHI, OECD."""
    from datetime import date

    from src.portfolio import continuity
    from src.portfolio import coordination as C
    from src.portfolio import overlap as O
    from src.portfolio import schema as S
    from src.portfolio.activity_tables import budget_table

    spec = filters_from_args(args)
    km = O.DEFAULT_KM if args.km is None else args.km
    if not km > 0:
        raise ValueError(f"--km must be a positive distance in km, got {args.km}")
    df, meta = load_portfolio(args.dataset)
    check_values(spec, df)
    # Shares of all aid are taken over every country under the other filters.
    reference = spec.with_changes(countries=()).apply(df)
    sel = spec.apply(df)
    as_of = date.fromisoformat(meta.as_of)
    # None: a CSV/.xlsx import keeps no budget periods and no sites
    side = load_side_tables(args.dataset)
    budgets = side.budgets if side is not None else budget_table([])
    table = C.country_table(reference).merge(
        continuity.cliff_by_country(reference, budgets, as_of),
        on=S.COL_COUNTRY,
        how="left",
    )
    rel = C.significance(reference)
    if spec.countries:
        table = table[table[S.COL_COUNTRY].isin(spec.countries)]
        rel = rel[rel[S.COL_COUNTRY].isin(spec.countries)]
    data = {
        "dataset": args.dataset,
        "filters": spec.describe(),
        "coverage": asdict(C.coverage(sel)),
        "cliff": {
            "as_of": meta.as_of,
            "coverage": asdict(continuity.coverage(sel, budgets, as_of)),
            "budget_periods_published": side is not None,
            "horizons": records(continuity.cliff(sel, budgets, as_of)),
        },
        "countries": records(table),
    }
    if spec.countries:
        data["sectors"] = records(C.concentration(sel, by=(S.COL_COUNTRY, "sector")))
        data["relations"] = records(rel)
        if side is None:
            data["overlap"] = {"km": km, "coverage": None, "sectors": None}
        else:
            site_table, site_cover = O.sites(sel, side.details)
            data["overlap"] = {
                "km": km,
                "coverage": asdict(site_cover),
                "sectors": records(O.overlap(site_table, km)),
            }
    if args.json:
        print(json.dumps(data, indent=1, default=str, allow_nan=False))
        return 0
    cov = data["coverage"]
    print(
        f"{cov['actors']} reporting organisations, {cov['countries']} countries "
        f"({cov['regional_rows']} regional rows left out); {data['filters']}"
    )
    for h in data["cliff"]["horizons"]:
        print(
            f"funding cliff within {h['months']} months of {meta.as_of}: "
            f"{h['projects']} projects, {h['budget_usd']:,.0f} USD"
        )
    for rec in data["countries"]:
        print(
            f"  {rec[S.COL_COUNTRY]}: {rec['actors']} actors, HHI "
            f"{_num(rec['hhi'], 3)}, effective {_num(rec['effective_actors'], 2)}, "
            f"non-significant {rec['non_significant']} of {rec['actors']}, "
            f"cliff 12 months {rec['cliff_12_usd']:,.0f} USD"
        )
    return 0
