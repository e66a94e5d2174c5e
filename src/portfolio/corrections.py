"""Two publication traps in transactions, corrected before anything is added up.

1. *Money received, published as an outgoing commitment.* Some publishers
   (UNOPS, WHO in the bundled data) report the funds they receive as type 2
   "outgoing commitment" with themselves as the receiver organisation. Money
   whose receiver is the reporting organisation is not outgoing: it is counted
   as type 11, incoming commitment.
2. *A commitment that repeats an incoming-funds row.* UNICEF publishes every
   type 1 "incoming funds" row a second time as type 2 (same date, value,
   currency and named provider). The copy is counted in no total.

Both rules are generic (no publisher is named in code); each corrected
transaction is counted in the build report (`rows._money_totals`) and so in the
Data quality report. The transactions table keeps the type as published beside
the type counted (`schema.TX_REPORTED_TYPE`, `schema.TX_CORRECTION`).

Then, when adding up incoming money, the same money published two ways (an
incoming commitment and the incoming funds received on it, or a pledge) is
counted once: `counted_incoming`.
"""

from __future__ import annotations

from collections import Counter

from src.iati.model import Activity, Transaction

SELF_RECEIVER = "self_receiver"
DUPLICATE = "duplicate"
CORRECTIONS: tuple[str, ...] = (SELF_RECEIVER, DUPLICATE)
CORRECTION_KEYS = {
    SELF_RECEIVER: "build.commitment_received",
    DUPLICATE: "build.commitment_duplicate",
}
"""Build-report message key of each correction (one problem per activity)."""

OUTGOING_COMMITMENT = "2"
INCOMING_FUNDS = "1"
INCOMING_COMMITMENT = "11"
INCOMING_PLEDGE = "13"
INCOMING_TYPES: tuple[str, ...] = (INCOMING_FUNDS, INCOMING_COMMITMENT, INCOMING_PLEDGE)
"""Incoming money, in the order preferred on a tie in `counted_incoming`."""
NOT_COUNTED = ""
"""Type counted for a duplicate: none (like a transaction with no type code)."""


def _fingerprint(t: Transaction) -> tuple[object, ...]:
    """What makes two rows the same money: date, value, currency, provider."""
    provider = t.provider_org
    who = (provider.ref, provider.name) if provider else ("", "")
    return (t.date, t.value.amount, t.value.currency, t.value.value_date, *who)


def _named_provider(t: Transaction) -> bool:
    """True when the row names a provider (ref or name).

    An outgoing commitment naming the funder as provider reads as money
    received; two unnamed quarterly totals that happen to be equal are left
    alone.
    """
    org = t.provider_org
    return org is not None and bool(org.ref or org.name)


def _is_self(t: Transaction, act: Activity) -> bool:
    """True when the receiver is the reporting organisation (by ref, else name)."""
    receiver = t.receiver_org
    if receiver is None:
        return False
    if receiver.ref:
        return receiver.ref == act.reporting_org_ref
    name = receiver.name.strip().casefold()
    return bool(name) and name == act.reporting_org.strip().casefold()


def counted_types(act: Activity) -> list[tuple[str, str]]:
    """(type counted, correction) for each transaction of `act`, in order.

    The correction is "" when the transaction is counted as published. A type 2
    row naming a provider is a duplicate when an incoming-funds row of the same
    activity has the same date, value, currency, value date and provider; each
    incoming row
    absorbs at most one copy. Otherwise a type 2 row whose receiver is the
    reporting organisation counts as type 11.

    >>> from datetime import date
    >>> from src.iati.model import Money, OrgRef
    >>> m = Money(5.0, "USD", None)
    >>> me = OrgRef(ref="ME")
    >>> act = Activity("A", "", "Me", "ME", "USD", transactions=[
    ...     Transaction("1", date(2020, 1, 1), m, provider_org=OrgRef(ref="D")),
    ...     Transaction("2", date(2020, 1, 1), m, provider_org=OrgRef(ref="D")),
    ...     Transaction("2", date(2020, 2, 1), m, receiver_org=me),
    ...     Transaction("2", date(2020, 3, 1), m, receiver_org=OrgRef(ref="X"))])
    >>> counted_types(act)
    [('1', ''), ('', 'duplicate'), ('11', 'self_receiver'), ('2', '')]
    """
    incoming = Counter(
        _fingerprint(t) for t in act.transactions if t.type == INCOMING_FUNDS
    )
    out: list[tuple[str, str]] = []
    for t in act.transactions:
        if t.type != OUTGOING_COMMITMENT:
            out.append((t.type, ""))
            continue
        key = _fingerprint(t)
        if _named_provider(t) and incoming[key] > 0:
            incoming[key] -= 1
            out.append((NOT_COUNTED, DUPLICATE))
        elif _is_self(t, act):
            out.append((INCOMING_COMMITMENT, SELF_RECEIVER))
        else:
            out.append((t.type, ""))
    return out


def _provider_key(t: Transaction) -> str:
    """Who the money came from: the provider's ref, else its name ("" unnamed)."""
    org = t.provider_org
    if org is None:
        return ""
    return org.ref.strip() or org.name.strip().casefold()


def counted_incoming(
    act: Activity, kinds: list[str], usd: list[float | None]
) -> list[bool]:
    """Whether each transaction's money counts, once, in the incoming total.

    A publisher may report the money of one provider both as incoming
    commitments (11) and as the incoming funds received on them (1), or as a
    pledge (13): adding the types counts that money twice. Per provider (ref,
    else name; every unnamed row is one provider), only the rows of the type
    with the larger USD total count (on a tie: funds, then commitments, then
    pledges). Transactions of any other type are True (this rule leaves them).

    Args:
        act: the activity.
        kinds: the type counted of each transaction (`counted_types`).
        usd: each transaction's USD (None or NaN count as 0 here).

    >>> from datetime import date
    >>> from src.iati.model import Money, OrgRef
    >>> d = OrgRef(ref="D")
    >>> tx = [Transaction(k, date(2020, 1, 1), Money(v, "USD", None),
    ...       provider_org=d) for k, v in (("11", 15.0), ("1", 10.0), ("3", 4.0))]
    >>> act = Activity("A", "", "Me", "ME", "USD", transactions=tx)
    >>> counted_incoming(act, ["11", "1", "3"], [15.0, 10.0, 4.0])
    [True, False, True]
    """
    totals: dict[tuple[str, str], float] = {}
    for t, kind, value in zip(act.transactions, kinds, usd, strict=True):
        if kind in INCOMING_TYPES:
            key = (_provider_key(t), kind)
            amount = value if value is not None and value == value else 0.0
            totals[key] = totals.get(key, 0.0) + amount
    chosen: dict[str, str] = {}
    for kind in INCOMING_TYPES:  # the tie order: the first seen keeps its place
        for (provider, k), amount in totals.items():
            if k == kind and (
                provider not in chosen or amount > totals[(provider, chosen[provider])]
            ):
                chosen[provider] = kind
    return [
        kind not in INCOMING_TYPES or chosen[_provider_key(t)] == kind
        for t, kind in zip(act.transactions, kinds, strict=True)
    ]
