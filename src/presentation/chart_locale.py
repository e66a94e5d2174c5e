"""Number and date locale for Vega-Lite charts, the same in the app and the deck."""

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


def d3_time_locale(lang: str) -> dict[str, object]:
    """A d3-time-format locale: month and day names of `lang` (Babel/CLDR).

    Without it a chart's time axis says "October" and "April" in every
    language. d3 lists days from Sunday; CLDR's stand-alone forms are used
    because an axis label stands alone ("octobre", "oct.").

    >>> d3_time_locale("fr")["months"][9], d3_time_locale("es")["shortDays"][0]
    ('octobre', 'dom')
    """
    loc = Locale.parse(babel_locale(lang))

    def names(kind: str, width: str, keys: list[int]) -> list[str]:
        table = getattr(loc, kind)["stand-alone"][width]
        return [str(table[k]) for k in keys]

    periods = loc.day_periods["stand-alone"]["abbreviated"]
    return {
        "dateTime": "%x, %X",
        "date": "%d/%m/%Y" if lang != "en" else "%-m/%-d/%Y",
        "time": "%H:%M:%S" if lang != "en" else "%-I:%M:%S %p",
        "periods": [str(periods.get("am", "AM")), str(periods.get("pm", "PM"))],
        "days": names("days", "wide", [6, 0, 1, 2, 3, 4, 5]),
        "shortDays": names("days", "abbreviated", [6, 0, 1, 2, 3, 4, 5]),
        "months": names("months", "wide", list(range(1, 13))),
        "shortMonths": names("months", "abbreviated", list(range(1, 13))),
    }


def vega_locale(lang: str) -> dict[str, object]:
    """The Vega-Lite `config.locale` for `lang`: numbers, month and day names.

    >>> vega_locale("fr")["number"]["decimal"]
    ','
    """
    return {"number": d3_number_locale(lang), "time": d3_time_locale(lang)}
