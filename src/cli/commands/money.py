"""The `money` subcommand: localisation, traceability, pass-through of a dataset."""

from __future__ import annotations

import argparse
import json

from src.cli.options import (
    add_dataset_arg,
    add_filter_args,
    check_values,
    filters_from_args,
    load_portfolio,
    load_side_tables,
)

ORDER = 36


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `money`."""
    p = subparsers.add_parser(
        "money",
        help="follow the money: localisation share, traceability, pass-through",
    )
    add_dataset_arg(p)
    add_filter_args(p)
    p.add_argument("--json", action="store_true", help="print JSON")
    p.set_defaults(func=cmd_money)


def _pct(share: dict) -> str:
    """A share with its coverage; "not published" when it has no denominator."""
    if share["value"] is None:
        return "not published"
    return (
        f"{share['value']:.1%} (US${share['usd'] / 1e6:,.1f}M of "
        f"US${share['of_usd'] / 1e6:,.1f}M; {share['count']:,} of "
        f"{share['of_count']:,})"
    )


def cmd_money(args: argparse.Namespace) -> int:
    """Every Follow-the-money figure of the filtered dataset (default: bundled).

    A dataset that keeps no transactions (a CSV/.xlsx import) prints
    "published": false and no figure, never zeros.
    """
    from src.portfolio.money_summary import money_summary

    spec = filters_from_args(args)
    df, _ = load_portfolio(args.dataset)
    check_values(spec, df)
    side = load_side_tables(args.dataset)
    if side is None:
        if args.json:
            data = {"filters": spec.describe(), "published": False}
            print(json.dumps(data, indent=1))
        else:
            print(f"{args.dataset}: no transactions published (IATI files only)")
        return 0
    summary = money_summary(spec.apply(df), df, side)
    data = {"filters": spec.describe(), "published": True, **summary.to_json()}
    if args.json:
        print(json.dumps(data, indent=1, default=str, allow_nan=False))
        return 0
    loc, tr = data["localisation"], data["traceability"]
    print(data["filters"])
    print(f"localisation, verified (lower bound): {_pct(loc['verified'])}")
    print(f"localisation, among typed receivers: {_pct(loc['among_typed'])}")
    print(f"  typed receivers (coverage): {_pct(loc['typed'])}")
    hum = data["localisation_humanitarian"]
    print(f"humanitarian, verified: {_pct(hum['verified'])} (Grand Bargain 25%)")
    aid = data["aid_type_coverage"]
    print(f"aid type stated (pooled funds by B03/B04): {_pct(aid['stated'])}")
    print(f"  own aid-type on the transaction: {_pct(aid['own'])}")
    print(f"traceability up (provider-activity-id): {_pct(tr['up'])}")
    print(f"traceability down (receiver-activity-id): {_pct(tr['down'])}")
    print(f"pass-through (disbursed / outgoing): {_pct(data['pass_through'])}")
    for rec in data["publishers"]:
        verified = rec["localisation_verified"]
        text = "not published" if verified is None else f"{verified:.1%}"
        print(f"  {rec['publisher']}: localisation verified {text}")
    return 0
