"""The `brief` subcommand (its logic lives with the briefing pack)."""

from __future__ import annotations

from src.briefing.command import register

ORDER = 60
__all__ = ["ORDER", "register"]
