"""The `summary` subcommand: KPIs for a filtered selection."""

from __future__ import annotations

import argparse
from dataclasses import asdict

from src.cli.options import (
    add_dataset_arg,
    add_filter_args,
    check_values,
    emit,
    filters_from_args,
    load_portfolio,
)
from src.portfolio import schema as S

ORDER = 20


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `summary`."""
    p = subparsers.add_parser("summary", help="KPIs of a filtered selection")
    add_dataset_arg(p)
    add_filter_args(p)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)


def cmd_summary(args: argparse.Namespace) -> int:
    """KPIs for a filtered selection."""
    from src.portfolio.summary import breakdown, kpis

    spec = filters_from_args(args)
    df, meta = load_portfolio(args.dataset)
    check_values(spec, df)
    sel = spec.apply(df)
    data: dict[str, object] = {
        "filters": spec.describe(),
        **asdict(kpis(sel, meta.as_of)),
    }
    data["rows"] = len(sel)
    if args.json:
        data["by_sector"] = breakdown(sel, S.COL_SECTOR_GROUP).to_dict("records")
        data["by_risk"] = breakdown(sel, S.COL_RISK, S.RISK_LEVELS).to_dict("records")
        data["by_region"] = breakdown(sel, S.COL_REGION).to_dict("records")
    emit(data, args.json)
    return 0
