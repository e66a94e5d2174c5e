"""Number-format locale for Vega-Lite charts, the same in the app and the deck."""

from __future__ import annotations

from babel import Locale

from src.i18n import babel_locale


def d3_number_locale(lang: str) -> dict[str, object]:
    """A d3-format locale (decimal and group marks of `lang`, from Babel/CLDR).

    The marks are the ones `src.i18n.format_number` writes in text, so a chart's
    axis and the sentence beside it agree.

    >>> d3_number_locale("es")["decimal"], d3_number_locale("es")["thousands"]
    (',', '.')
    """
    symbols = Locale.parse(babel_locale(lang)).number_symbols["latn"]
    return {
        "decimal": symbols["decimal"],
        "thousands": symbols["group"],
        "grouping": [3],
        "currency": ["", ""],
    }


def vega_locale(lang: str) -> dict[str, object]:
    """The Vega-Lite `config.locale` for `lang` (numbers only).

    >>> vega_locale("fr")["number"]["decimal"]
    ','
    """
    return {"number": d3_number_locale(lang)}
