"""The parser: every module of `src.cli.commands` registers its subcommands."""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys
from collections.abc import Sequence

import src.cli
from src.cli import commands


def make_parser() -> argparse.ArgumentParser:
    """The argument parser with every subcommand, in the modules' ORDER."""
    parser = argparse.ArgumentParser(
        prog="python -m src.cli", description=src.cli.__doc__
    )
    sub = parser.add_subparsers(dest="command", required=True)
    modules = [
        importlib.import_module(f"{commands.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands.__path__)
    ]
    for module in sorted(modules, key=lambda m: m.ORDER):
        module.register(sub)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the CLI; returns the exit code."""
    args = make_parser().parse_args(argv)
    try:
        return int(args.func(args))
    except (ValueError, LookupError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
