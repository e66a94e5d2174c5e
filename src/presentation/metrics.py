"""Scenario metrics in the units people read, for the app's cards and the deck."""

from __future__ import annotations

import math

from src.i18n import format_money, format_number, format_percent, translate

# metric -> kind of number: a share (0–1), months, a percentage (0–100), US$.
METRIC_KINDS: dict[str, str] = {
    "on_time_rate": "share",
    "mean_delay_months": "months",
    "median_delay_months": "months",
    "cost_overrun_pct": "pct",
    "delivered_scope_share": "share",
    "delivered_value_usd": "usd",
    "funding_gap_usd": "usd",
}


def format_metric(metric: str, value: float, lang: str, *, delta: bool = False) -> str:
    """A metric value in `lang`; with `delta`, a signed change.

    Shares and percentages are shown as percentages; a change of either is in
    percentage points ("pp"), never in per cent. Negative money reads -US$9.2M
    with an ASCII "-" (st.metric reads the sign to colour the delta). NaN is "–".

    >>> format_metric("on_time_rate", 0.0806, "en")
    '8.1%'
    >>> format_metric("cost_overrun_pct", 2.0, "en", delta=True)
    '+2.0 pp'
    >>> format_metric("funding_gap_usd", -9.2e6, "en", delta=True)
    '-US$9.2M'

    Raises:
        ValueError: for a metric not in METRIC_KINDS (also catches the metric
            and the value passed the wrong way round).
    """
    if metric not in METRIC_KINDS:
        msg = f"unknown metric {metric!r}; choose from {list(METRIC_KINDS)}"
        raise ValueError(msg)
    if math.isnan(value):
        return "–"
    kind = METRIC_KINDS[metric]
    sign = "+" if delta and value > 0 else ""
    if kind == "months":
        return sign + translate("unit.months", lang, value=value)
    if kind in ("share", "pct"):
        share = value if kind == "share" else value / 100
        if not delta:
            return format_percent(share, lang, 1)
        points = 100 * value if kind == "share" else value
        return f"{sign}{format_number(points, lang, 1)} {translate('unit.pp', lang)}"
    if value < 0:
        return "-" + format_money(-value, lang)
    return sign + format_money(value, lang)
