"""The map's colour scales stay readable under colour-vision deficiency.

Each colour is passed through colorspacious' simulation of deuteranomaly,
protanomaly and tritanomaly at full severity (Machado, Oliveira & Fernandes
2009) and compared in CAM02-UCS, a perceptually uniform space where a
difference (ΔE) of about 1 is just noticeable. The thresholds are ours: 10 for
adjacent classes of a scale (clearly different swatches), 7 once the scale is
muted under project dots, 5 between any class and the "no project" grey.
Ordered scales must also get darker class by class (CAM02-UCS lightness J'),
so the order is read from lightness alone when hues cannot be told apart.

`python -m tests.unit.test_palettes` prints the measured minima.
"""

from __future__ import annotations

import itertools

import colorspacious as cs
import numpy as np
import pytest

from src.presentation.palettes import (
    DIVERGING,
    NO_DATA,
    ORDERED,
    OUTLINE,
    RISK_COLORS,
    SEQUENTIAL,
    muted,
)

VISIONS = (None, "deuteranomaly", "protanomaly", "tritanomaly")
ADJACENT = 10.0
ADJACENT_MUTED = 7.0
FROM_GREY = 5.0
LIGHTER_STEP = 10.0
DOT_OVER_COUNTRY = 12.0
RISK = tuple(RISK_COLORS.values())
# Light to dark, as the map uses them (capacity reads ORDERED reversed).
ORDERED_SCALES = {"risk dots": RISK, "amounts": SEQUENTIAL, "scores": ORDERED}
COUNTRY_SCALES = {"amounts": SEQUENTIAL, "scores": ORDERED, "change": DIVERGING}


def seen(color, vision: str | None) -> np.ndarray:
    """The sRGB colour (0–1) a reader with `vision` sees."""
    rgb = np.asarray(color, dtype=float) / 255
    if vision is None:
        return rgb
    space = {"name": "sRGB1+CVD", "cvd_type": vision, "severity": 100}
    return np.clip(cs.cspace_convert(rgb, space, "sRGB1"), 0, 1)


def delta_e(a, b, vision: str | None) -> float:
    return float(cs.deltaE(seen(a, vision), seen(b, vision), input_space="sRGB1"))


def lightness(color, vision: str | None) -> float:
    return float(cs.cspace_convert(seen(color, vision), "sRGB1", "CAM02-UCS")[0])


def min_adjacent(scale, vision) -> float:
    return min(delta_e(a, b, vision) for a, b in itertools.pairwise(scale))


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", ORDERED_SCALES)
def test_ordered_scales_get_darker_class_by_class(name, vision):
    scale = ORDERED_SCALES[name]
    j = [lightness(c, vision) for c in scale]
    steps = [b - a for a, b in itertools.pairwise(j)]
    assert min(-s for s in steps) >= LIGHTER_STEP, (name, vision, steps)


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", [*ORDERED_SCALES, "change"])
def test_adjacent_classes_stay_distinguishable(name, vision):
    scale = {**ORDERED_SCALES, **COUNTRY_SCALES}[name]
    assert min_adjacent(scale, vision) >= ADJACENT


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", COUNTRY_SCALES)
def test_country_classes_under_dots_stay_distinguishable_and_apart_from_grey(
    name, vision
):
    scale = [muted(c) for c in COUNTRY_SCALES[name]]
    assert min_adjacent(scale, vision) >= ADJACENT_MUTED
    for drawn in (scale, COUNTRY_SCALES[name]):
        assert min(delta_e(c, NO_DATA, vision) for c in drawn) >= FROM_GREY


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", ["amounts", "scores"])
def test_risk_dots_stand_out_from_every_muted_country_colour(name, vision):
    under = [*(muted(c) for c in COUNTRY_SCALES[name]), NO_DATA]
    worst = min(delta_e(dot, c, vision) for dot in RISK for c in under)
    assert worst >= DOT_OVER_COUNTRY


@pytest.mark.parametrize("vision", VISIONS)
@pytest.mark.parametrize("name", COUNTRY_SCALES)
def test_the_dark_outline_of_a_dot_contrasts_with_every_country_colour(name, vision):
    # On the change map a red dot can match a red country (tritanomaly): there
    # the outline (and the ring's halo) is what keeps the dot visible.
    under = [*(muted(c) for c in COUNTRY_SCALES[name]), NO_DATA]
    assert min(delta_e(OUTLINE, c, vision) for c in under) >= 2 * DOT_OVER_COUNTRY


def test_the_simulation_sees_red_and_green_alike_for_a_deuteranope():
    # Sanity check of the tool: pure red and a green of the same lightness
    # are far apart for normal vision and close for full deuteranomaly.
    red, green = (200, 60, 60), (90, 140, 40)
    assert delta_e(red, green, None) > 3 * delta_e(red, green, "deuteranomaly")


def test_muting_moves_a_colour_part_of_the_way_to_white():
    assert muted((0, 100, 255), 0.5) == (128, 178, 255)
    assert muted((10, 20, 30), 0.0) == (10, 20, 30)


def _report() -> None:
    for name, scale in {**ORDERED_SCALES, **COUNTRY_SCALES}.items():
        row = [f"{min_adjacent(scale, v):5.1f}" for v in VISIONS]
        mrow = [f"{min_adjacent([muted(c) for c in scale], v):5.1f}" for v in VISIONS]
        print(f"{name:10} adjacent ΔE {' '.join(row)}   muted {' '.join(mrow)}")
    for name, scale in COUNTRY_SCALES.items():
        under = [*(muted(c) for c in scale), NO_DATA]
        dots = [
            f"{min(delta_e(d, c, v) for d in RISK for c in under):5.1f}"
            for v in VISIONS
        ]
        line = [f"{min(delta_e(OUTLINE, c, v) for c in under):5.1f}" for v in VISIONS]
        print(f"dots on {name:8} fill ΔE {' '.join(dots)}   outline {' '.join(line)}")
    print("(columns: normal, deuteranomaly, protanomaly, tritanomaly)")


if __name__ == "__main__":
    _report()
