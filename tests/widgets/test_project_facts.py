"""The project page's facts name the DAC sector in the UI language."""

from __future__ import annotations

import pytest

from src.portfolio import schema as S
from src.portfolio.load import load_bundled_portfolio
from src.widgets.project import build_facts

PROJECT = "XM-DAC-41122-Papua New Guinea-6490/A0/05/005/004"  # DAC 74020


@pytest.mark.parametrize(
    ("lang", "label", "shown"),
    [
        # Sector.xml, code 74020: its xml:lang="fr" narrative, copied by hand
        (
            "fr",
            "Secteur CAD principal",
            "74020 Préparation aux interventions multi-risques",
        ),
        ("es", "Sector CAD principal", "74020 Multi-hazard response preparedness"),
        ("en", "Main DAC sector", "74020 Multi-hazard response preparedness"),
    ],
)
def test_the_main_dac_sector_is_named_in_the_ui_language(lang, label, shown):
    df, _ = load_bundled_portfolio()
    facts = build_facts(df[df[S.COL_PROJECT_ID] == PROJECT], lang)
    assert dict(zip(*(facts[c] for c in facts.columns), strict=True))[label] == shown
