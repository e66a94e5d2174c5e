"""Extractors for the fields only the project page shows.

Description, every participating organisation, document links and result
indicators. They follow the contract of src/iati/fields.py (``(element,
activity, context) -> None``, never raise) and are listed in its `_FIELDS` table.
"""

from __future__ import annotations

from typing import Any

from src.iati.model import Activity, Document, Indicator, Participant
from src.iati.values import Ctx, narrative

# description types: 1 general, 2 objectives, 3 target groups, 4 other
_GENERAL = "1"
VALUES = ("baseline", "target", "actual")  # of an indicator, in this order


def description(elem: Any, act: Activity, ctx: Ctx) -> None:
    """Record a description with its type (1, general, when not given)."""
    text = narrative(elem, ctx.lang)
    if text:
        kind = (elem.get("type") or "").strip() or _GENERAL
        act.descriptions.append((kind, text))


def participant(elem: Any, act: Activity, ctx: Ctx) -> None:
    """Record a participating organisation with its role (any role)."""
    role = (elem.get("role") or "").strip()
    ref = (elem.get("ref") or "").strip()
    name = narrative(elem, ctx.lang) or ref
    if not name:
        return
    entry = Participant(role, name, ref, (elem.get("type") or "").strip())
    if entry not in act.participants:
        act.participants.append(entry)


def document(elem: Any, act: Activity, ctx: Ctx) -> None:
    """Record a document link that has a URL."""
    url = (elem.get("url") or "").strip()
    if not url:
        return
    title_elem = elem.find("title")
    title = "" if title_elem is None else narrative(title_elem, ctx.lang)
    category = elem.find("category")
    act.documents.append(
        Document(
            url=url,
            title=title or url,
            format=(elem.get("format") or "").strip(),
            category="" if category is None else (category.get("code") or "").strip(),
        )
    )


def _read(elem: Any | None, lang: str) -> tuple[str, bool]:
    """(text, from comment): the ``value`` attribute, else the comment's narrative.

    ("", False) when neither is given.
    """
    if elem is None:
        return "", False
    value = (elem.get("value") or "").strip()
    if value:
        return value, False
    comment = elem.find("comment")
    text = "" if comment is None else narrative(comment, lang)
    return text, bool(text)


def _period_end(period: Any) -> str:
    end = period.find("period-end")
    return "" if end is None else (end.get("iso-date") or "").strip()[:10]


def result(elem: Any, act: Activity, ctx: Ctx) -> None:
    """Record each indicator of a result, with baseline, target and actual.

    Target and actual come from the same period: the last that reports an
    actual, else the last that reports a target. Values given only as
    ``<comment>`` text are noted in `Indicator.from_comment`.
    """
    title_elem = elem.find("title")
    result_title = "" if title_elem is None else narrative(title_elem, ctx.lang)
    result_type = (elem.get("type") or "").strip()
    for ind in elem.iterchildren("indicator"):
        ind_title = ind.find("title")
        chosen = ("", "", "", False, False)
        for period in ind.iterchildren("period"):
            target, t_note = _read(period.find("target"), ctx.lang)
            actual, a_note = _read(period.find("actual"), ctx.lang)
            if actual or (target and not chosen[1]):
                chosen = (target, actual, _period_end(period), t_note, a_note)
        baseline = ind.find("baseline")
        base_text, b_note = _read(baseline, ctx.lang)
        notes = zip(VALUES, (b_note, *chosen[3:]), strict=True)
        act.indicators.append(
            Indicator(
                result_type=result_type,
                result_title=result_title,
                title="" if ind_title is None else narrative(ind_title, ctx.lang),
                baseline=base_text,
                target=chosen[0],
                actual=chosen[1],
                measure=(ind.get("measure") or "").strip(),
                ascending=(ind.get("ascending") or "").strip(),
                baseline_year=""
                if baseline is None
                else (baseline.get("year") or "").strip(),
                period_end=chosen[2],
                from_comment="+".join(name for name, note in notes if note),
            )
        )
