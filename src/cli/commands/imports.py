"""The `import` and `datasets` subcommands (their logic lives with the imports)."""

from __future__ import annotations

from src.portfolio.import_command import register

ORDER = 70
__all__ = ["ORDER", "register"]
