"""The table of field extractors: one function per child of ``<iati-activity>``.

`build_activity` walks an activity's children once and hands each to its
extractor in `_FIELDS`; an element not in the table is ignored. Extractors fill
the `Activity` and warn through the context (src/iati/values.py), never raise.
"""

from __future__ import annotations

import contextlib
import math
import re
from collections.abc import Callable, Iterable
from typing import Any

from src.iati import details
from src.iati.model import (
    Activity,
    Budget,
    Location,
    OrgRef,
    ParseReport,
    PlannedDisbursement,
    Share,
    Transaction,
)
from src.iati.values import (
    XML_LANG,
    Ctx,
    add_sdg,
    coded_share,
    iso_date,
    money,
    narrative,
    number,
)

_DAC5_RE = re.compile(r"^\d{5}$")
_DAC3_RE = re.compile(r"^\d{3}$")
_TRUE = frozenset({"1", "true"})

# sector vocabularies: 1 DAC 5-digit, 2 DAC 3-digit, 7/8/9 SDG goal/target/indicator
_SDG_SECTOR_VOCABS = frozenset({"7", "8", "9"})
# tag vocabularies: 2 SDG goal, 3 SDG target
_SDG_TAG_VOCABS = frozenset({"2", "3"})
# activity-date types -> Activity attribute
_DATE_FIELDS = {
    "1": "start_planned",
    "2": "start_actual",
    "3": "end_planned",
    "4": "end_actual",
}


def build_activity(
    elem: Any, name: str, identifier: str, report: ParseReport
) -> Activity:
    """Extract every field of one activity.

    Args:
        elem: the ``<iati-activity>`` element.
        name: file name.
        identifier: the stripped identifier.
        report: the report for warnings.

    Returns:
        The `Activity`.
    """
    currency = (elem.get("default-currency") or "").strip().upper()
    lang = (elem.get(XML_LANG) or "").strip().lower()
    ctx = Ctx(name, identifier, report, lang, currency)
    act = Activity(
        identifier=identifier,
        title="",
        reporting_org="",
        reporting_org_ref="",
        default_currency=currency,
        last_updated=(elem.get("last-updated-datetime") or "").strip(),
        humanitarian=(elem.get("humanitarian") or "").strip().lower() in _TRUE,
        source_file=name,
    )
    for child in elem:
        extract = _FIELDS.get(child.tag) if isinstance(child.tag, str) else None
        if extract is not None:
            extract(child, act, ctx)
    if not act.title:
        ctx.warn("title", "iati.no_title")
    return act


def _title(elem: Any, act: Activity, ctx: Ctx) -> None:
    act.title = narrative(elem, ctx.lang)


def _reporting_org(elem: Any, act: Activity, ctx: Ctx) -> None:
    act.reporting_org_ref = (elem.get("ref") or "").strip()
    act.reporting_org_type = (elem.get("type") or "").strip()
    act.reporting_org = narrative(elem, ctx.lang) or act.reporting_org_ref


def _status(elem: Any, act: Activity, ctx: Ctx) -> None:
    act.status_code = (elem.get("code") or "").strip()


def _activity_date(elem: Any, act: Activity, ctx: Ctx) -> None:
    attr = _DATE_FIELDS.get((elem.get("type") or "").strip())
    if attr is not None:
        setattr(act, attr, iso_date(elem.get("iso-date"), ctx, "activity-date"))


def _country(elem: Any, act: Activity, ctx: Ctx) -> None:
    share = coded_share(elem, ctx, "recipient-country", ctx.lang, upper=True)
    if share is not None:
        act.countries.append(share)


def _region(elem: Any, act: Activity, ctx: Ctx) -> None:
    share = coded_share(elem, ctx, "recipient-region", ctx.lang, default_vocab="1")
    if share is not None:
        act.regions.append(share)


def _tag(elem: Any, act: Activity, ctx: Ctx) -> None:
    if (elem.get("vocabulary") or "").strip() in _SDG_TAG_VOCABS:
        add_sdg(elem.get("code"), act.sdg_tags, ctx, "tag")


def _appending(
    read: Callable[[Any, Ctx], Any | None], attr: str
) -> Callable[[Any, Activity, Ctx], None]:
    """An extractor appending `read(elem, ctx)` to ``act.<attr>`` unless None."""

    def extract(elem: Any, act: Activity, ctx: Ctx) -> None:
        value = read(elem, ctx)
        if value is not None:
            getattr(act, attr).append(value)

    return extract


def _participating_org(elem: Any, act: Activity, lang: str) -> None:
    """Add a funding (role 1) or implementing (role 4) organisation name.

    Args:
        elem: the ``<participating-org>`` element.
        act: the activity to update.
        lang: the activity's default language.
    """
    role = (elem.get("role") or "").strip()
    if role == "1":
        target = act.funding_orgs
    elif role == "4":
        target = act.implementing_orgs
    else:
        return
    org = narrative(elem, lang) or (elem.get("ref") or "").strip()
    if org and org not in target:
        target.append(org)


def _sector(elem: Any, act: Activity, sdg: list[str], ctx: Ctx) -> None:
    """Route an activity-level sector to DAC codes, DAC categories or SDG tags.

    Args:
        elem: the ``<sector>`` element.
        act: the activity to update.
        sdg: the SDG tag list being built.
        ctx: the activity context.
    """
    vocab = (elem.get("vocabulary") or "1").strip() or "1"
    code = (elem.get("code") or "").strip()
    if vocab in _SDG_SECTOR_VOCABS:
        add_sdg(code, sdg, ctx, "sector")
        return
    if vocab not in ("1", "2"):
        return  # agency-specific vocabularies (98/99, clusters...) are not used
    pattern = _DAC5_RE if vocab == "1" else _DAC3_RE
    if not pattern.match(code):
        digits = "5" if vocab == "1" else "3"
        ctx.warn("sector", "iati.not_dac", code=code[:20], digits=digits)
        return
    pct_text = elem.get("percentage")
    percentage = None
    if pct_text is not None and pct_text.strip():
        percentage = number(pct_text, ctx, "sector/@percentage")
    share = Share(code, percentage, vocab, narrative(elem, ctx.lang))
    (act.sectors if vocab == "1" else act.sector_categories).append(share)


def _budget(elem: Any, ctx: Ctx) -> Budget | None:
    """Read a ``<budget>``; type and status default to 1 as IATI specifies.

    Args:
        elem: the ``<budget>`` element.
        ctx: the activity context.

    Returns:
        The budget, or None when its value is unusable (warned).
    """
    value = money(elem.find("value"), ctx, "budget")
    if value is None:
        return None
    start = elem.find("period-start")
    end = elem.find("period-end")
    return Budget(
        type=(elem.get("type") or "").strip() or "1",
        status=(elem.get("status") or "").strip() or "1",
        period_start=None
        if start is None
        else iso_date(start.get("iso-date"), ctx, "budget/period-start"),
        period_end=None
        if end is None
        else iso_date(end.get("iso-date"), ctx, "budget/period-end"),
        value=value,
    )


def _planned_disbursement(elem: Any, ctx: Ctx) -> PlannedDisbursement | None:
    """Read a ``<planned-disbursement>`` (None when its value is unusable, warned)."""
    value = money(elem.find("value"), ctx, "planned-disbursement")
    if value is None:
        return None
    start = elem.find("period-start")
    end = elem.find("period-end")
    what = "planned-disbursement/period-"
    return PlannedDisbursement(
        type=(elem.get("type") or "").strip(),
        period_start=None
        if start is None
        else iso_date(start.get("iso-date"), ctx, what + "start"),
        period_end=None
        if end is None
        else iso_date(end.get("iso-date"), ctx, what + "end"),
        value=value,
    )


def _transaction(elem: Any, ctx: Ctx) -> Transaction | None:
    """Read a ``<transaction>``: type, date, value and its first DAC 5-digit sector.

    Returns None when the value is unusable (warned through `ctx`).
    """
    type_elem = elem.find("transaction-type")
    type_code = "" if type_elem is None else (type_elem.get("code") or "").strip()
    value = money(elem.find("value"), ctx, "transaction")
    if value is None:
        return None
    date_elem = elem.find("transaction-date")
    when = (
        None
        if date_elem is None
        else iso_date(date_elem.get("iso-date"), ctx, "transaction-date")
    )
    sector_code = ""
    for sector in elem.iterchildren("sector"):
        vocab = (sector.get("vocabulary") or "1").strip() or "1"
        code = (sector.get("code") or "").strip()
        if vocab == "1" and _DAC5_RE.match(code):
            sector_code = code
            break
    provider = _org(elem.find("provider-org"), "provider-activity-id", ctx.lang)
    receiver = _org(elem.find("receiver-org"), "receiver-activity-id", ctx.lang)
    channel = elem.find("disbursement-channel")
    country = elem.find("recipient-country")
    return Transaction(
        type_code,
        when,
        value,
        sector_code,
        provider=_org_name(provider),
        receiver=_org_name(receiver),
        provider_org=provider,
        receiver_org=receiver,
        channel="" if channel is None else (channel.get("code") or "").strip(),
        aid_type=_dac_aid_type(elem.iterchildren("aid-type")),
        country="" if country is None else (country.get("code") or "").strip().upper(),
    )


def _dac_aid_type(elems: Iterable[Any]) -> str:
    """The code of the first aid type in vocabulary 1 (DAC; the default), or ""."""
    for elem in elems:
        vocab = (elem.get("vocabulary") or "1").strip() or "1"
        code = (elem.get("code") or "").strip().upper()
        if vocab == "1" and code:
            return code
    return ""


def _default_aid_type(elem: Any, act: Activity, _ctx: Ctx) -> None:
    """The activity's DAC default aid type (the first given in vocabulary 1)."""
    act.default_aid_type = act.default_aid_type or _dac_aid_type([elem])


def _org(elem: Any | None, activity_attr: str, lang: str) -> OrgRef | None:
    """A provider/receiver organisation as published (None when absent)."""
    if elem is None:
        return None
    return OrgRef(
        ref=(elem.get("ref") or "").strip(),
        name=narrative(elem, lang),
        type=(elem.get("type") or "").strip(),
        activity_id=(elem.get(activity_attr) or "").strip(),
    )


def _org_name(org: OrgRef | None) -> str:
    """A provider/receiver organisation's name, else its ref ("" when absent)."""
    if org is None:
        return ""
    return org.name or org.ref


def _location(elem: Any, ctx: Ctx) -> Location | None:
    """Read a ``<location>`` with a point; locations without one are skipped.

    Args:
        elem: the ``<location>`` element.
        ctx: the activity context.

    Returns:
        The location, or None (warned when the coordinates are unusable).
    """
    pos = elem.find("point/pos")
    if pos is None:
        return None  # an administrative-area location without coordinates
    raw = " ".join((pos.text or "").split())
    parts = raw.split(" ")
    lat = lon = math.nan
    if len(parts) == 2:
        with contextlib.suppress(ValueError):
            lat, lon = float(parts[0]), float(parts[1])
    if not (-90.0 <= lat <= 90.0 and -180.0 <= lon <= 180.0):  # NaN fails too
        ctx.warn("location/point/pos", "iati.bad_coordinates", value=raw[:60])
        return None
    exactness = elem.find("exactness")
    location_class = elem.find("location-class")
    name_elem = elem.find("name")
    return Location(
        lat=lat,
        lon=lon,
        exactness="" if exactness is None else (exactness.get("code") or "").strip(),
        location_class=""
        if location_class is None
        else (location_class.get("code") or "").strip(),
        name="" if name_elem is None else narrative(name_elem, ctx.lang),
    )


def _participating(elem: Any, act: Activity, ctx: Ctx) -> None:
    _participating_org(elem, act, ctx.lang)
    details.participant(elem, act, ctx)


def _activity_sector(elem: Any, act: Activity, ctx: Ctx) -> None:
    _sector(elem, act, act.sdg_tags, ctx)


_FIELDS: dict[str, Callable[[Any, Activity, Ctx], None]] = {
    "title": _title,
    "reporting-org": _reporting_org,
    "participating-org": _participating,
    "activity-status": _status,
    "activity-date": _activity_date,
    "recipient-country": _country,
    "recipient-region": _region,
    "sector": _activity_sector,
    "tag": _tag,
    "default-aid-type": _default_aid_type,
    "budget": _appending(_budget, "budgets"),
    "planned-disbursement": _appending(_planned_disbursement, "planned_disbursements"),
    "transaction": _appending(_transaction, "transactions"),
    "location": _appending(_location, "locations"),
    "description": details.description,
    "document-link": details.document,
    "result": details.result,
}
"""Child element of <iati-activity> -> the extractor filling the `Activity`.

Elements not listed (and other namespaces) are ignored. Each extractor is
``(element, activity, context) -> None`` and warns through the context.
"""
