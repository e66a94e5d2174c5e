"""The `synth` subcommand: write a synthetic portfolio (benchmarks only)."""

from __future__ import annotations

import argparse
from pathlib import Path

from src.cli.options import add_dataset_arg, load_portfolio

ORDER = 40


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `synth`."""
    p = subparsers.add_parser(
        "synth", help="write a SYNTHETIC portfolio for benchmarks"
    )
    p.add_argument("--projects", type=int, required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--seed", type=int, default=0)
    add_dataset_arg(p)
    p.set_defaults(func=cmd_synth)


def cmd_synth(args: argparse.Namespace) -> int:
    """Write a synthetic portfolio (benchmarks only)."""
    from src.portfolio.synth import synthesize

    df, _ = load_portfolio(args.dataset)
    out = synthesize(df, projects=args.projects, seed=args.seed)
    path = Path(args.out)
    if path.suffix not in (".parquet", ".csv"):
        msg = f"--out: {path.name} must end in .csv or .parquet"
        raise ValueError(msg)
    if path.suffix == ".parquet":
        out.to_parquet(path, index=False)
    else:
        out.to_csv(path, index=False)
    print(f"wrote {len(out):,} SYNTHETIC rows to {path}")
    return 0
