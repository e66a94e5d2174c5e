"""Briefing packs: the current selection (and scenarios) as a PowerPoint deck or PDF.

No streamlit here: the Briefing page and the `brief` command both call
`build_pack(...)`, then `to_pptx(pack)` or `to_pdf(pack)`. Names are imported
lazily so that `python -m src.cli` does not load Altair for other commands.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

_EXPORTS = {
    "SECTIONS": "src.briefing.sections",
    "Pack": "src.briefing.pack",
    "Slide": "src.briefing.pack",
    "Table": "src.briefing.pack",
    "build_pack": "src.briefing.pack",
    "to_pdf": "src.briefing.pdf_writer",
    "to_pptx": "src.briefing.pptx_writer",
    "ScenarioResult": "src.briefing.scenarios",
    "run_scenario": "src.briefing.scenarios",
}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        msg = f"module {__name__!r} has no attribute {name!r}"
        raise AttributeError(msg)
    return getattr(import_module(_EXPORTS[name]), name)
