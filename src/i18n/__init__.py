"""Translation and locale formatting (no UI imports).

Every user-visible string goes through `translate(key, lang, **kwargs)` with message
catalogs in src/i18n/locales/<lang>.json. Numbers, money, percentages and dates are
formatted for the locale with Babel.
"""

from __future__ import annotations

import json
import math
from datetime import date
from functools import cache
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANG = "en"
_BABEL = {"en": "en_US", "fr": "fr_FR", "es": "es_ES"}


@cache
def catalog(lang: str) -> dict[str, str]:
    """The message catalog of one language (key -> text)."""
    path = LOCALES_DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def translate(key: str, lang: str = DEFAULT_LANG, /, **kwargs: object) -> str:
    """Translate `key` into `lang` and fill `{placeholders}` from kwargs.

    Unknown languages fall back to English; an unknown key returns the key itself
    (the catalog test makes that a test failure, not a user-facing surprise).

    >>> translate("app.title", "fr")
    'Portefeuille de projets'
    """
    lang = lang if lang in LANGUAGES else DEFAULT_LANG
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    return text.format(**kwargs) if kwargs else text


def babel_locale(lang: str) -> str:
    """Babel locale identifier for a UI language."""
    return _BABEL.get(lang, _BABEL[DEFAULT_LANG])


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def format_number(value: float | None, lang: str, digits: int = 0) -> str:
    """A grouped number: 1,234 (en) / 1 234 (fr).

    >>> format_number(1234.5, "en", 1)
    '1,234.5'
    """
    if _missing(value):
        return "–"
    pattern = "#,##0" + ("." + "0" * digits if digits else "")
    return format_decimal(value, format=pattern, locale=babel_locale(lang))


def format_money(value: float | None, lang: str) -> str:
    r"""US dollars, compact: US$1,234.5M (en) / 1 234,5 M$US (fr).

    Values under a million are shown in thousands (US$12.3K / 12,3 k$US).

    >>> format_money(1_234_500_000, "en")
    'US$1,234.5M'
    >>> format_money(1_234_500_000, "fr").replace("\u202f", " ")
    '1 234,5 M$US'
    """
    if _missing(value):
        return "–"
    amount = float(value)
    if amount == 0:
        return translate("fmt.money_full", lang, value="0")
    key, scaled = "fmt.money_millions", amount / 1e6
    if abs(amount) < 1e6:
        key, scaled = "fmt.money_thousands", amount / 1e3
    return translate(key, lang, value=format_number(scaled, lang, 1))


def format_money_full(value: float | None, lang: str) -> str:
    """US dollars without scaling: US$1,234,567 (en) / 1 234 567 $US (fr)."""
    if _missing(value):
        return "–"
    return translate("fmt.money_full", lang, value=format_number(value, lang, 0))


def format_percent(value: float | None, lang: str, digits: int = 0) -> str:
    """A share as a percentage: 12% (en) / 12 % (fr).

    >>> format_percent(0.125, "en", 1)
    '12.5%'
    """
    if _missing(value):
        return "–"
    loc = babel_locale(lang)
    pattern = Locale.parse(loc).percent_formats[None].pattern
    if digits:
        head, _, tail = pattern.rpartition("0")
        pattern = f"{head}0.{'0' * digits}{tail}"
    return _babel_percent(value, format=pattern, locale=loc)


def format_date(value: date | str | None, lang: str) -> str:
    """A date in the locale's medium form: Jun 30, 2021 / 30 juin 2021."""
    if value is None or value == "":
        return "–"
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return _babel_date(day, format="medium", locale=babel_locale(lang))


def country_name(iso2: str, fallback: str, lang: str) -> str:
    """Country name in the UI language from CLDR (via Babel), else the fallback."""
    if not iso2:
        return fallback
    return Locale.parse(babel_locale(lang)).territories.get(iso2.upper(), fallback)
