"""The sections a pack can hold, in slide order (the title slide is always first)."""

from __future__ import annotations

SECTIONS: tuple[str, ...] = (
    "kpis",
    "map",
    "sector",
    "risk",
    "region",
    "at_risk",
    "coordination",
    "scenarios",
    "methods",
)
