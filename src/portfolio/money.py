"""Follow the money: who receives it, how far it can be traced, who implements.

Pure functions on the transactions table (`activity_tables`, types as counted
after `corrections`) and the portfolio rows of a selection. Every figure is a
`Share`: a USD ratio with its counts and USD on both sides, and ``value`` None
("not published") when nothing is published to measure it on, never 0.
Definitions, sources and coverage notes are in docs/INDICATORS.md.

USD of a multi-country project is taken at the selection's share of it (the
sum of its rows' country shares, as `flows` does); counts are transactions.
The chain (hops, routes) is in `money_chain`, the to-do list in `money_fixes`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from src.portfolio import schema as S
from src.portfolio.country_part import transaction_weights

OUTGOING_TYPES: tuple[str, ...] = (S.TX_DISBURSEMENT, S.TX_EXPENDITURE)
INCOMING_TYPES: tuple[str, ...] = ("1", "11", "13")  # funds, commitment, pledge
IMPLEMENTING_ROLE = "4"  # IATI OrganisationRole

# Receiver categories from IATI OrganisationType codes (docs/INDICATORS.md).
NATIONAL_GOVERNMENT = "national_government"
LOCAL_NGO = "local_ngo"
LOCAL_PRIVATE = "local_private"
INTERNATIONAL_NGO = "international_ngo"
MULTILATERAL = "multilateral"
PRIVATE = "private"
OTHER = "other"
NOT_STATED = "not_stated"
CATEGORIES: tuple[str, ...] = (
    NATIONAL_GOVERNMENT,
    LOCAL_NGO,
    LOCAL_PRIVATE,
    INTERNATIONAL_NGO,
    MULTILATERAL,
    PRIVATE,
    OTHER,
    NOT_STATED,
)
ORG_TYPE_CATEGORY: dict[str, str] = {
    "10": NATIONAL_GOVERNMENT,  # Government
    "11": NATIONAL_GOVERNMENT,  # Local Government
    "15": NATIONAL_GOVERNMENT,  # Other Public Sector
    "22": LOCAL_NGO,  # National NGO
    "24": LOCAL_NGO,  # Partner Country based NGO
    "72": LOCAL_PRIVATE,  # Private Sector in Aid Recipient Country
    "21": INTERNATIONAL_NGO,  # International NGO
    "23": INTERNATIONAL_NGO,  # Regional NGO (works across countries)
    "40": MULTILATERAL,  # Multilateral (the UN agencies publish this type)
    "30": PRIVATE,  # Public Private Partnership
    "31": PRIVATE,  # Public Private Partnership (2.03 code)
    "60": PRIVATE,  # Foundation
    "70": PRIVATE,  # Private Sector
    "71": PRIVATE,  # Private Sector in Provider Country
    "73": PRIVATE,  # Private Sector in Third Country
    "80": OTHER,  # Academic, Training and Research
    "90": OTHER,  # Other
}
LOCAL_CATEGORIES: frozenset[str] = frozenset(
    {NATIONAL_GOVERNMENT, LOCAL_NGO, LOCAL_PRIVATE}
)
"""Grand Bargain "local and national actors": state and non-state, in country."""
GRAND_BARGAIN_TARGET = 0.25  # of humanitarian funding, "as directly as possible"

# Columns added by `selected_transactions`.
PUBLISHER = "publisher"
PUBLISHER_REF = "publisher_ref"
PUBLISHER_TYPE = "publisher_type"
WEIGHT = "weight"  # the selection's share of the project
USD_SHARE = "usd_in_selection"  # usd × weight (NaN when no rate)
CATEGORY = "receiver_category"
HAS_RECEIVER = "has_receiver"


def receiver_category(org_type: str) -> str:
    """The receiver category of an IATI OrganisationType code.

    >>> receiver_category("22"), receiver_category("40"), receiver_category("")
    ('local_ngo', 'multilateral', 'not_stated')
    """
    return ORG_TYPE_CATEGORY.get(str(org_type).strip(), NOT_STATED)


@dataclass(frozen=True)
class Share:
    """A ratio of USD with what it is measured on.

    Attributes:
        value: usd / of_usd; None when of_usd is 0 ("not published").
        usd: the numerator's USD; of_usd: the denominator's USD.
        count: transactions (or activities) in the numerator; of_count: in the
            denominator.
    """

    value: float | None
    usd: float
    of_usd: float
    count: int
    of_count: int


def share_of(part: pd.DataFrame, whole: pd.DataFrame, usd: str = USD_SHARE) -> Share:
    """`part` over `whole` (part a subset of whole's rows), by USD and count."""
    num = float(part[usd].sum())
    den = float(whole[usd].sum())
    value = num / den if den > 0 else None
    return Share(value, num, den, len(part), len(whole))


_TEXT = (
    S.COL_PROJECT_ID,
    S.TX_TYPE,
    S.TX_REPORTED_TYPE,
    S.TX_CORRECTION,
    S.TX_PROVIDER_REF,
    S.TX_PROVIDER_NAME,
    S.TX_PROVIDER_TYPE,
    S.TX_PROVIDER_ACTIVITY,
    S.TX_RECEIVER_REF,
    S.TX_RECEIVER_NAME,
    S.TX_RECEIVER_TYPE,
    S.TX_RECEIVER_ACTIVITY,
    S.TX_AID_TYPE,
    S.TX_AID_TYPE_FROM,
)
_USED = (*_TEXT, S.TX_USD, S.TX_COUNTED)


def selected_transactions(
    rows: pd.DataFrame, transactions: pd.DataFrame, *, by_country: bool = False
) -> pd.DataFrame:
    """The transactions of the projects in `rows`, with publisher and weights.

    Each weighs its project's country share in `rows`; `by_country` (a view
    restricted to one country): one naming another recipient country is left
    out, one naming the country weighs 1 (`country_part.transaction_weights`).

    Returns:
        The transactions columns the indicators use (no dates, values as
        reported, currencies) plus publisher, publisher_ref, publisher_type,
        humanitarian (the activity's flag), weight, usd_in_selection,
        receiver_category and has_receiver (a receiver name or ref published).
    """
    first = rows.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)
    mine = transactions[transactions[S.COL_PROJECT_ID].isin(first.index)]
    weight = transaction_weights(rows, mine, by_country=by_country).to_numpy()
    keep = weight > 0 if by_country else np.ones(len(weight), dtype=bool)
    # only the columns used, as plain objects: every indicator filters this
    # frame many times, and row selection on Arrow strings is slow
    tx = mine.loc[keep, list(_USED)].astype(dict.fromkeys(_TEXT, object))
    weight = weight[keep]
    pid = tx[S.COL_PROJECT_ID]
    for col, source in (
        (PUBLISHER, S.COL_AGENCY),
        (PUBLISHER_REF, S.COL_AGENCY_REF),
        (PUBLISHER_TYPE, S.COL_AGENCY_TYPE),
    ):
        tx[col] = pid.map(first[source].astype(object)).fillna("").astype(object)
    tx[S.COL_HUMANITARIAN] = pid.map(first[S.COL_HUMANITARIAN]).astype(bool)
    tx[WEIGHT] = weight
    tx[USD_SHARE] = tx[S.TX_USD] * tx[WEIGHT]
    tx[CATEGORY] = tx[S.TX_RECEIVER_TYPE].map(receiver_category).astype(object)
    tx[HAS_RECEIVER] = (tx[S.TX_RECEIVER_REF] != "") | (tx[S.TX_RECEIVER_NAME] != "")
    return tx


def outgoing(tx: pd.DataFrame) -> pd.DataFrame:
    """Disbursements and expenditure (money that left the publisher)."""
    return tx[tx[S.TX_TYPE].isin(OUTGOING_TYPES)]


def incoming(tx: pd.DataFrame) -> pd.DataFrame:
    """Incoming funds, commitments and pledges (types as counted)."""
    return tx[tx[S.TX_TYPE].isin(INCOMING_TYPES)]


@dataclass(frozen=True)
class Localisation:
    """Money to national and local actors, always as a pair.

    Attributes:
        verified: to local actors ÷ all outgoing money (a lower bound: money
            to a receiver of unstated type counts in the denominator only);
            None when no outgoing transaction states its receiver's type.
        among_typed: to local actors ÷ outgoing money with a typed receiver.
        typed: the coverage of `among_typed`: typed ÷ all outgoing.
    """

    verified: Share
    among_typed: Share
    typed: Share


def localisation(tx: pd.DataFrame) -> Localisation:
    """The localisation pair of `selected_transactions` rows."""
    out = outgoing(tx)
    typed = out[out[CATEGORY] != NOT_STATED]
    local = out[out[CATEGORY].isin(LOCAL_CATEGORIES)]
    verified = share_of(local, out)
    if typed.empty:  # no receiver type published: 0 would be a false measure
        verified = replace(verified, value=None)
    return Localisation(
        verified=verified,
        among_typed=share_of(local, typed),
        typed=share_of(typed, out),
    )


def by_category(tx: pd.DataFrame) -> pd.DataFrame:
    """Outgoing USD and transactions per receiver category (`CATEGORIES` order).

    Returns:
        receiver_category, usd, transactions, local (bool); categories with no
        transaction are left out.
    """
    out = outgoing(tx)
    g = out.groupby(CATEGORY)[USD_SHARE].agg(["sum", "size"])
    table = pd.DataFrame(
        {
            CATEGORY: [c for c in CATEGORIES if c in g.index],
        }
    )
    table["usd"] = table[CATEGORY].map(g["sum"]).astype(float)
    table["transactions"] = table[CATEGORY].map(g["size"]).astype(int)
    table["local"] = table[CATEGORY].isin(LOCAL_CATEGORIES)
    return table


@dataclass(frozen=True)
class Traceability:
    """How far the money can be followed through published activity ids.

    Attributes:
        up: incoming with a provider-activity-id ÷ all incoming.
        up_linked: incoming whose provider-activity-id is an activity in the
            loaded data ÷ all incoming.
        down: outgoing with a receiver-activity-id ÷ all outgoing.
        down_linked: outgoing whose receiver-activity-id is loaded ÷ outgoing.
    """

    up: Share
    up_linked: Share
    down: Share
    down_linked: Share


def traceability(tx: pd.DataFrame, loaded_ids: set[str]) -> Traceability:
    """Traceability up and down of `selected_transactions` rows.

    Args:
        tx: `selected_transactions` output.
        loaded_ids: identifiers of every activity in the loaded data.
    """
    inc, out = incoming(tx), outgoing(tx)
    up = inc[inc[S.TX_PROVIDER_ACTIVITY] != ""]
    down = out[out[S.TX_RECEIVER_ACTIVITY] != ""]
    return Traceability(
        up=share_of(up, inc),
        up_linked=share_of(up[up[S.TX_PROVIDER_ACTIVITY].isin(loaded_ids)], inc),
        down=share_of(down, out),
        down_linked=share_of(down[down[S.TX_RECEIVER_ACTIVITY].isin(loaded_ids)], out),
    )


def pass_through(tx: pd.DataFrame) -> Share:
    """Disbursements ÷ disbursements and expenditure (money passed on).

    IATI: a disbursement places funds at the disposal of another organisation
    or activity; an expenditure is spent by the publisher on goods and services.
    """
    out = outgoing(tx)
    return share_of(out[out[S.TX_TYPE] == S.TX_DISBURSEMENT], out)


@dataclass(frozen=True)
class Implementation:
    """Who implements, from the activities' implementing organisations.

    Attributes:
        named: activities naming an implementing organisation ÷ all (by budget).
        self_share: the publisher is among the implementers, ÷ named.
        national_share: an implementer is a national or local actor
            (`LOCAL_CATEGORIES` by its type), ÷ named.
    """

    named: Share
    self_share: Share
    national_share: Share


def implementation(rows: pd.DataFrame, details: pd.DataFrame) -> Implementation:
    """Self- and national implementation of the projects in `rows` (by budget).

    Args:
        rows: portfolio rows (budget at the selection's country share).
        details: the details table (`kind` "org", role 4 = implementing).
    """
    budget = rows.groupby(S.COL_PROJECT_ID)[S.COL_BUDGET].sum().clip(lower=0.0)
    ref = rows.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)
    orgs = details[
        (details[S.DT_KIND] == "org")
        & (details[S.DT_ROLE] == IMPLEMENTING_ROLE)
        & details[S.COL_PROJECT_ID].isin(budget.index)
    ]
    pid = orgs[S.COL_PROJECT_ID]
    own_ref = pid.map(ref[S.COL_AGENCY_REF]).astype(str)
    own_name = pid.map(ref[S.COL_AGENCY]).astype(str).str.casefold()
    is_self = np.where(
        orgs[S.DT_REF] != "",
        orgs[S.DT_REF] == own_ref,
        orgs[S.DT_NAME].str.casefold() == own_name,
    )
    local = orgs[S.DT_CODE].map(receiver_category).isin(LOCAL_CATEGORIES)
    acts = pd.DataFrame({S.COL_PROJECT_ID: budget.index, USD_SHARE: budget.values})
    named = acts[acts[S.COL_PROJECT_ID].isin(set(pid))]
    selfs = acts[acts[S.COL_PROJECT_ID].isin(set(pid[is_self]))]
    national = acts[acts[S.COL_PROJECT_ID].isin(set(pid[local.to_numpy()]))]
    return Implementation(
        named=share_of(named, acts),
        self_share=share_of(selfs, named),
        national_share=share_of(national, named),
    )


def per_publisher(tx: pd.DataFrame, loaded_ids: set[str]) -> pd.DataFrame:
    """The headline shares per publisher (one row each, sorted by name).

    Returns:
        publisher, outgoing_usd, outgoing, localisation_verified,
        localisation_typed, typed_usd, humanitarian_verified (humanitarian
        activities only), traceability_up, incoming,
        traceability_down, pass_through; shares None when not published.
    """
    out = []
    for name, part in tx.groupby(PUBLISHER, sort=True):
        loc = localisation(part)
        hum = localisation(part[part[S.COL_HUMANITARIAN]])
        tr = traceability(part, loaded_ids)
        out.append(
            {
                PUBLISHER: name,
                "outgoing_usd": loc.verified.of_usd,
                "outgoing": loc.verified.of_count,
                "localisation_verified": loc.verified.value,
                "localisation_typed": loc.among_typed.value,
                "typed_usd": loc.typed.usd,
                "humanitarian_verified": hum.verified.value,
                "traceability_up": tr.up.value,
                "incoming": tr.up.of_count,
                "traceability_down": tr.down.value,
                "pass_through": pass_through(part).value,
            }
        )
    return pd.DataFrame(out, columns=_PUBLISHER_COLUMNS)


_PUBLISHER_COLUMNS = [
    PUBLISHER,
    "outgoing_usd",
    "outgoing",
    "localisation_verified",
    "localisation_typed",
    "typed_usd",
    "humanitarian_verified",
    "traceability_up",
    "incoming",
    "traceability_down",
    "pass_through",
]
