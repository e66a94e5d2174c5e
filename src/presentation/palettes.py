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


# Project points by risk level (ColorBrewer RdYlGn, reversed).
RISK_COLORS: dict[str, Rgb] = dict(
    zip(
        ("Low", "Medium", "High", "Very high"),
        _scale("#1a9850 #e6be3c #f46d43 #a50026"),
        strict=True,
    )
)
# Sequential scales, light to dark (ColorBrewer Blues / Reds, 5 classes).
BLUES = _scale("#deebf7 #9ecae1 #6baed6 #3182bd #084594")
REDS = _scale("#fee5d9 #fcae91 #fb6a4a #de2d26 #a50f15")
# Diverging around zero: blue = less, red = more (ColorBrewer RdBu, reversed).
DIVERGING = _scale("#2166ac #92c5de #f7f7f7 #f4a582 #b2182b")
NO_DATA = rgb("#e1e1e1")
OCEAN = rgb("#ecf4fa")
OUTLINE = rgb("#282828")  # ring of filled points and grid cells
BORDER = rgb("#ffffff")  # country outlines
# Bars and series: one bar colour; baseline grey, scenario blue, a third orange.
BAR = rgb("#0069a8")
BASELINE = rgb("#7f7f7f")
THIRD = rgb("#d95f02")
