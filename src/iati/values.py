"""Reading one IATI value: narratives, numbers, dates, coded shares, money.

Each reader takes the per-activity `Ctx` and records what it could not use as a
warning `Problem` (a message key with its values), never raising.
"""

from __future__ import annotations

import math
import re
from datetime import date
from typing import Any

from src.iati.model import Money, ParseReport, Share
from src.problems import WARNING, Problem

XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})(?:$|[T ]|Z$|[+-]\d{2}:?\d{2}$)")
_SDG_RE = re.compile(r"^(\d{1,2})(?:\.([0-9a-z]{1,2})(?:\.(\d{1,2}))?)?$")


class Ctx:
    """Per-activity context: where warnings go and what defaults apply.

    Args:
        name: file name.
        identifier: the activity identifier.
        report: the report to fill.
        lang: the activity's default language (lower-case, "" when none).
        currency: the activity's default currency ("" when none).
    """

    __slots__ = ("name", "identifier", "report", "lang", "currency")

    def __init__(
        self, name: str, identifier: str, report: ParseReport, lang: str, currency: str
    ) -> None:
        self.name = name
        self.identifier = identifier
        self.report = report
        self.lang = lang
        self.currency = currency

    def warn(self, field_name: str, key: str, /, **params: object) -> None:
        """Record a warning for this activity.

        Args:
            field_name: element or attribute concerned.
            key: catalog key of what was wrong and what was done.
            **params: the values filling the message.
        """
        self.report.warnings.append(
            Problem(key, params, self.name, self.identifier, field_name, WARNING)
        )


def narrative(elem: Any, default_lang: str) -> str:
    """Pick the best narrative of an element.

    English first (explicit ``xml:lang`` en/EN, or no ``xml:lang`` in an English
    activity), then the activity's default language, then the first non-empty one.

    Args:
        elem: an element holding ``<narrative>`` children.
        default_lang: the activity's default language, lower-case.

    Returns:
        The narrative text, stripped ("" when there is none).
    """
    default_text = ""
    first_text = ""
    for narrative in elem.iterchildren("narrative"):
        text = (narrative.text or "").strip()
        if not text:
            continue
        lang = (narrative.get(XML_LANG) or default_lang).strip().lower()
        if lang == "en":
            return text
        if not default_text and lang == default_lang:
            default_text = text
        if not first_text:
            first_text = text
    return default_text or first_text


def number(text: str | None, ctx: Ctx, field_name: str) -> float | None:
    """Parse a decimal number; warn and return None when it is not one.

    Args:
        text: the reported text.
        ctx: the activity context.
        field_name: the element or attribute, for the warning.

    Returns:
        The finite float, or None.
    """
    raw = (text or "").strip()
    if not raw:
        ctx.warn(field_name, "iati.empty_value")
        return None
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        ctx.warn(field_name, "iati.not_a_number", value=raw[:40])
        return None
    return number


def iso_date(text: str | None, ctx: Ctx, field_name: str) -> date | None:
    """Parse an ISO date (a time or time zone suffix is tolerated).

    Args:
        text: the reported iso-date / value-date.
        ctx: the activity context.
        field_name: the element concerned, for the warning.

    Returns:
        The date, or None (with a warning unless the attribute is absent/empty).
    """
    raw = (text or "").strip()
    if not raw:
        return None
    match = _DATE_RE.match(raw)
    if match is not None:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            pass
    ctx.warn(field_name, "iati.bad_date", value=raw[:40])
    return None


def coded_share(
    elem: Any,
    ctx: Ctx,
    field_name: str,
    lang: str,
    *,
    upper: bool = False,
    default_vocab: str = "",
) -> Share | None:
    """Read a coded share (recipient country or region).

    Args:
        elem: the element.
        ctx: the activity context.
        field_name: element name for warnings.
        lang: the activity's default language.
        upper: upper-case the code (country codes).
        default_vocab: vocabulary assumed when the attribute is absent.

    Returns:
        The share, or None when it has no code (warned).
    """
    code = (elem.get("code") or "").strip()
    name = narrative(elem, lang)
    if not code:
        if name:
            ctx.warn(field_name, "iati.no_code_named", name=name[:40])
        else:
            ctx.warn(field_name, "iati.no_code")
        return None
    pct_text = elem.get("percentage")
    percentage = None
    if pct_text is not None and pct_text.strip():
        percentage = number(pct_text, ctx, f"{field_name}/@percentage")
    return Share(
        code=code.upper() if upper else code,
        percentage=percentage,
        vocabulary=(elem.get("vocabulary") or default_vocab).strip(),
        name=name,
    )


def add_sdg(code: str | None, sdg: list[str], ctx: Ctx, field_name: str) -> None:
    """Normalise an SDG goal/target/indicator code and add it once.

    Codes are normalised to the UN notation: ``"03"`` -> ``"3"``, ``"3.D"`` ->
    ``"3.d"``; ``"3.3.1"`` stays an indicator.

    Args:
        code: the reported code.
        sdg: the list to extend.
        ctx: the activity context.
        field_name: element for the warning.
    """
    raw = (code or "").strip().lower()
    match = _SDG_RE.match(raw)
    if match is None or not 1 <= int(match[1]) <= 17:
        ctx.warn(field_name, "iati.not_sdg", code=raw[:20])
        return
    parts = [str(int(match[1]))]
    if match[2]:
        parts.append(str(int(match[2])) if match[2].isdigit() else match[2])
    if match[3]:
        parts.append(str(int(match[3])))
    normalised = ".".join(parts)
    if normalised not in sdg:
        sdg.append(normalised)


def money(elem: Any | None, ctx: Ctx, field_name: str) -> Money | None:
    """Read a ``<value>``: amount, currency (own else default) and value-date.

    Args:
        elem: the ``<value>`` element, or None when missing.
        ctx: the activity context.
        field_name: the parent element, for warnings.

    Returns:
        The money, or None when missing or not numeric (warned).
    """
    if elem is None:
        ctx.warn(field_name, "iati.no_value")
        return None
    amount = number(elem.text, ctx, f"{field_name}/value")
    if amount is None:
        return None
    currency = (elem.get("currency") or "").strip().upper() or ctx.currency
    if not currency:
        ctx.warn(
            f"{field_name}/value/@currency", "iati.no_currency", element=field_name
        )
    return Money(amount, currency, iso_date(elem.get("value-date"), ctx, "value-date"))
