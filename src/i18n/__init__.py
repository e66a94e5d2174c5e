"""Translation and locale formatting (no UI imports).

Every user-visible string goes through `translate(key, lang, **kwargs)` with message
catalogs in src/i18n/locales/<lang>.json. Numbers, money, percentages and dates are
formatted for the locale with Babel.
"""

from __future__ import annotations

import json
import math
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from functools import cache
from numbers import Real
from pathlib import Path

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.numbers import format_decimal
from babel.numbers import format_percent as _babel_percent

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES: dict[str, str] = {"en": "English", "fr": "Français", "es": "Español"}
DEFAULT_LANG = "en"
_BABEL = {"en": "en_US", "fr": "fr_FR", "es": "es_ES"}


PLURAL_FALLBACK = "other"
"""The plural form used when an entry lacks the category the language's rule picks."""
PLURAL_OPTIONAL = frozenset({"many"})
"""Categories an entry may leave out: French and Spanish "many" (exact millions,
"1 000 000 de projets") reads "other" ("1 000 000 projets") unless written."""
PLURAL_SETTINGS = frozenset({"count", "digits"})
"""Keys of a plural entry that are settings, not texts (see `catalog`)."""


@cache
def catalog(lang: str) -> dict[str, str | dict[str, str]]:
    """The message catalog of one language (key -> text, or plural forms).

    A plural entry is an object of CLDR plural categories (``one``, ``other``,
    ``many``…) with two optional settings: ``count``, the keyword holding the
    number (default ``n``), and ``digits``, the decimals it is shown with
    (default 0); see `translate`.
    """
    path = LOCALES_DIR / f"{lang}.json"
    return json.loads(path.read_text(encoding="utf-8"))


def plural_categories(lang: str) -> frozenset[str]:
    """The CLDR plural categories Babel's rule for `lang` can return (with ``other``).

    >>> sorted(plural_categories("fr"))
    ['many', 'one', 'other']
    """
    tags = Locale.parse(babel_locale(lang)).plural_form.tags
    return frozenset(tags) | {PLURAL_FALLBACK}


def shown_count(count: object, digits: int = 0) -> Decimal | None:
    """`count` rounded as it is shown with `digits` decimals (None: no number).

    The plural form is chosen on this value, so that it matches the figure
    read: 0.96 shown as "1" is singular in English, 1.0 shown as "1.0" is not.

    >>> shown_count(0.96), shown_count(2.25, 1), shown_count(float("nan"))
    (Decimal('1'), Decimal('2.2'), None)
    """
    if isinstance(count, bool) or not isinstance(count, Real):
        msg = f"a plural count must be a number, not {count!r}"
        raise TypeError(msg)
    if _missing(count) or math.isinf(count):
        return None
    step = Decimal(1).scaleb(-digits)
    return Decimal(str(count)).quantize(step, rounding=ROUND_HALF_EVEN)


def plural_form(entry: dict[str, str], count: object, lang: str) -> str:
    """The text of a plural entry for `count` in `lang` (``other`` if it lacks one).

    The form follows the count as shown, with the entry's ``digits`` (CLDR:
    English "1.5 months", French "1,5 mois" is singular).

    >>> plural_form({"one": "{n} projet", "other": "{n} projets"}, 0, "fr")
    '{n} projet'
    >>> plural_form({"digits": 1, "one": "{n} month", "other": "{n} months"}, 1, "en")
    '{n} months'
    """
    return _form_of(entry, shown_count(count, int(entry.get("digits", 0))), lang)


def _form_of(entry: dict[str, str], shown: Decimal | None, lang: str) -> str:
    """The entry's text for a count already rounded as shown (`shown_count`)."""
    if shown is None:
        return entry[PLURAL_FALLBACK]
    category = Locale.parse(babel_locale(lang)).plural_form(shown)
    return entry.get(category) or entry[PLURAL_FALLBACK]


def translate(key: str, lang: str = DEFAULT_LANG, /, **kwargs: object) -> str:
    """Translate `key` into `lang` and fill `{placeholders}` from kwargs.

    Unknown languages fall back to English; an unknown key returns the key itself
    (the catalog test makes that a test failure, not a user-facing surprise).

    Plurals: a catalog entry may be an object of CLDR plural categories,
    ``{"one": "{n} project", "other": "{n} projects"}``, optionally naming the
    keyword that holds the count (``"count": "closed"``; default ``n``) and
    the decimals it is shown with (``"digits": 1``; default 0). The caller
    passes that count as a raw number, never pre-formatted: Babel's plural
    rule for the language picks the form from the number as shown (French: 0
    and 1 are ``one``; English 1.0 is ``other``), a form the entry lacks
    (e.g. ``many``, French and Spanish exact millions) falls back to
    ``other``, and the count is then written with the locale's grouping
    (`format_number`) before the text is filled. Other keywords are filled as
    given: a sentence counting two things gets the second one's words from
    another plural entry, translated by the caller (``months=translate(
    "unit.months", lang, value=1.5)``).

    >>> translate("app.title", "fr")
    'Portefeuille de projets'
    >>> translate("scen.n_projects", "en", n=1)
    '1 project'
    >>> translate("scen.n_projects", "fr", n=0)
    '0 projet'
    >>> translate("scen.n_projects", "en", n=1234)
    '1,234 projects'
    >>> translate("unit.months", "fr", value=1.46)
    '1,5 mois'
    """
    lang = lang if lang in LANGUAGES else DEFAULT_LANG
    text = catalog(lang).get(key) or catalog(DEFAULT_LANG).get(key) or key
    if isinstance(text, dict):
        name = text.get("count", "n")
        digits = int(text.get("digits", 0))
        shown = shown_count(kwargs.get(name), digits)
        text = _form_of(text, shown, lang)
        kwargs = {**kwargs, name: format_number(shown, lang, digits)}
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
    # Babel rounds in the current decimal context, whose 28 digits refuse
    # numbers from 1e28 on; a float's up to 309 integer digits must fit.
    with localcontext() as context:
        context.prec = 320 + digits
        return format_decimal(value, format=pattern, locale=babel_locale(lang))


def format_number_as_needed(value: float | None, lang: str, most: int = 2) -> str:
    """A grouped number with as few decimals as it needs, at most `most`.

    >>> format_number_as_needed(12.5, "fr"), format_number_as_needed(110.0, "en")
    ('12,5', '110')
    >>> format_number_as_needed(33.3333, "en")
    '33.33'
    """
    if _missing(value):
        return "–"
    digits = next(d for d in range(most + 1) if round(value, d) == round(value, most))
    return format_number(value, lang, digits)


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
