"""Colours shared by the interactive map, the app's charts and the briefing deck.

Colours are RGB triples (pydeck wants numbers); `hex_color` gives the CSS form
that Vega-Lite specs use. Scales are written as ColorBrewer publishes them.
"""

from __future__ import annotations

Rgb = tuple[int, int, int]


def rgb(hex_string: str) -> Rgb:
    """RGB triple of a CSS hex colour.

    >>> rgb("#0069a8")
    (0, 105, 168)
    """
    digits = hex_string.lstrip("#")
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def hex_color(color: Rgb) -> str:
    """CSS hex form of an RGB triple.

    >>> hex_color((0, 105, 168))
    '#0069a8'
    """
    return "#{:02x}{:02x}{:02x}".format(*color)


def css_rgb(color: Rgb) -> str:
    """CSS rgb() form of an RGB triple.

    >>> css_rgb((1, 2, 3))
    'rgb(1,2,3)'
    """
    return "rgb({},{},{})".format(*color)


def _scale(hex_strings: str) -> tuple[Rgb, ...]:
    return tuple(rgb(h) for h in hex_strings.split())


# Every scale is ordered by lightness and stays so under simulated colour-vision
# deficiency (tests/unit/test_palettes.py checks it with colorspacious' Machado
# 2009 simulation): a reader who cannot tell hues apart still reads the order.
# Project points by risk level: ColorBrewer YlOrRd (4 classes, colour-blind safe);
# warm, so the dots stand apart from the cool country scales below.
RISK_COLORS: dict[str, Rgb] = dict(
    zip(
        ("Low", "Medium", "High", "Very high"),
        _scale("#fed976 #fd8d3c #e31a1c #800026"),
        strict=True,
    )
)
# Amounts (budget, projects, actors), light to dark: ColorBrewer BuPu, 5 classes.
SEQUENTIAL = _scale("#edf8fb #b3cde3 #8c96c6 #8856a7 #810f7c")
# Ordered country scores (INFORM risk, WGI capacity), light to dark: YlGnBu.
ORDERED = _scale("#ffffcc #a1dab4 #41b6c4 #2c7fb8 #253494")
# Diverging around zero: blue = less, red = more (ColorBrewer RdBu, reversed).
DIVERGING = _scale("#2166ac #92c5de #f7f7f7 #f4a582 #b2182b")
NO_DATA = rgb("#d9d9d9")
# Countries under project dots are blended this far toward white, so the dots
# (each with a dark outline) stay readable over any class.
MUTED = 0.4
OCEAN = rgb("#ecf4fa")
OUTLINE = rgb("#282828")  # ring of filled points and grid cells
BORDER = rgb("#ffffff")  # country outlines
# Bars and series: one bar colour; baseline grey, scenario blue, a third orange.
BAR = rgb("#0069a8")
BASELINE = rgb("#7f7f7f")
THIRD = rgb("#d95f02")


def muted(color: Rgb, amount: float = MUTED) -> Rgb:
    """`color` blended `amount` of the way toward white.

    >>> muted((0, 100, 255), 0.5)
    (128, 178, 255)
    """
    return tuple(round(c + (255 - c) * amount) for c in color)  # type: ignore[return-value]
