"""The `simulate` subcommand (its logic lives with the engine)."""

from __future__ import annotations

import argparse

ORDER = 50


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add `simulate`, if the engine is installed (optional for data commands)."""
    try:
        from src.engine.command import register as register_simulate
    except ImportError:
        return
    register_simulate(subparsers)
