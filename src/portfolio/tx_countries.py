"""Recipient countries of an activity that names them only on its transactions.

IATI's rule (standard 2.01 and later): an activity names its recipient
countries either at activity level (``recipient-country/@percentage``) or on
each of its transactions (``transaction/recipient-country``), not both. For the
second kind the activity has no country split of its own, so one is derived
(and the build says so, `rows`): a country's share is the USD value of the
activity's transactions that name it, over that of all its transactions that
name one. Counted are the transactions of the types the money totals count
(commitments, disbursements, expenditure, incoming funds, commitments and
pledges, after `corrections.counted_types`), at the same rate as the totals
(the value date's year, `fx.to_usd`); one without a rate is left out. A country whose
transactions sum to zero or less gets no share; when none has a positive sum
(only zero values, or no rates) the countries named share equally.
Transactions naming no country (against the rule) take no part in the split.
"""

from __future__ import annotations

from collections.abc import Collection

from src.iati.model import Activity
from src.portfolio.corrections import counted_types
from src.portfolio.fx import to_usd


def transaction_country_shares(
    act: Activity, *, types: Collection[str]
) -> tuple[list[tuple[str, float]], bool]:
    """(alpha-2 code, share) pairs from the transactions, and whether split equally.

    Args:
        act: the activity (its activity-level countries are not read).
        types: the transaction types (as counted) that a money total counts.

    Returns:
        The shares, summing to 1 in the order the countries are first named
        (empty when no counted transaction names a country); True when they
        are an equal split (no country's transactions have a positive value).

    >>> from datetime import date
    >>> from src.iati.model import Money, Transaction
    >>> def tx(kind, usd, country):
    ...     return Transaction(kind, date(2021, 1, 1), Money(usd, "USD", None),
    ...                        country=country)
    >>> act = Activity("A", "", "Me", "ME", "USD", transactions=[
    ...     tx("2", 600, "KE"), tx("3", 200, "UG"), tx("3", 200, "KE"),
    ...     tx("5", 9000, "TZ"), tx("3", 50, "")])
    >>> transaction_country_shares(act, types={"2", "3", "4"})
    ([('KE', 0.8), ('UG', 0.2)], False)
    >>> act = Activity("Z", "", "Me", "ME", "USD", transactions=[
    ...     tx("3", 0, "KE"), tx("3", 0, "UG")])
    >>> transaction_country_shares(act, types={"3"})
    ([('KE', 0.5), ('UG', 0.5)], True)
    """
    sums: dict[str, float] = {}
    for t, (kind, _) in zip(act.transactions, counted_types(act), strict=True):
        if not t.country or kind not in types:
            continue
        when = t.value.value_date or t.date
        usd = to_usd(t.value.amount, t.value.currency, when.year if when else None)
        sums[t.country] = sums.get(t.country, 0.0) + (usd.usd or 0.0)
    positive = {code: v for code, v in sums.items() if v > 0}
    if positive:
        total = sum(positive.values())
        return [(code, v / total) for code, v in positive.items()], False
    return [(code, 1.0 / len(sums)) for code in sums], bool(sums)
