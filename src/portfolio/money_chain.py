"""The chain of the money: hops, routes to local actors, and the flow table.

An activity's incoming transactions name the provider's own activity in
``provider-activity-id`` (IATI traceability). Where that activity is in the
loaded data the chain is walked further up; where it is not, or no id is
published, the walk stops and says why ("link not published", "not in the
loaded data"). For a user restricted to one country the walk also stops at a
link into an activity outside that country ("an activity outside your
country", `OUTSIDE`): that activity's own links, hops and money are not read,
only the amount the country's own activity records from it. Pure functions on
`money.selected_transactions` tables; definitions in docs/INDICATORS.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from src.portfolio import money as M
from src.portfolio import schema as S

ORIGIN = "no_incoming"  # no incoming money published (a donor: the origin)
WALKED = "walked"  # every link up to the origins is in the loaded data
NOT_PUBLISHED = "link_not_published"  # an incoming row has no provider-activity-id
NOT_LOADED = "not_loaded"  # an id is published but that activity is not loaded
OUTSIDE = "outside_country"  # a restricted view: that activity is another country's
CHAIN_STATUSES: tuple[str, ...] = (ORIGIN, WALKED, NOT_PUBLISHED, NOT_LOADED, OUTSIDE)
_WORST = {ORIGIN: 0, WALKED: 1, OUTSIDE: 2, NOT_LOADED: 2, NOT_PUBLISHED: 3}

OUTSIDE_FUNDER = "\x00outside-country"
"""The funder of money from an activity outside a restricted user's country
(never a published name: XML text holds no NUL); the UI names it "an activity
outside your country"."""

DIRECT = "direct"
POOLED = "pooled"
ONE_INTERMEDIARY = "one_intermediary"
SEVERAL = "several_intermediaries"
UNKNOWN_ROUTE = "not_determinable"
ROUTES: tuple[str, ...] = (DIRECT, POOLED, ONE_INTERMEDIARY, SEVERAL, UNKNOWN_ROUTE)

# Publishers that originate money (a donor government, a foundation, a firm):
# with no incoming published, their outgoing money is direct funding.
FUNDER_TYPES = frozenset({"10", "11", "15", "60", "70", "71", "72", "73"})
POOLED_REF_PREFIXES = ("XM-OCHA-CBPF", "XM-OCHA-CERF")
_POOLED_NAME = re.compile(r"pooled fund|\bCBPF\b|\bCERF\b", re.IGNORECASE)
POOLED_AID_TYPES = frozenset({"B03", "B04"})
"""DAC aid types (vocabulary 1): B03 contributions to specific-purpose
programmes and funds managed by implementing partners (multi-donor
single-entity funds, such as the UN country-based pooled funds), B04 basket
funds / pooled funding."""


def is_pooled_fund(ref: str, name: str) -> bool:
    """True for an OCHA pooled fund (CBPF, CERF) or a name saying "pooled fund".

    >>> is_pooled_fund("XM-OCHA-CBPF", ""), is_pooled_fund("", "UNICEF")
    (True, False)
    """
    return str(ref).startswith(POOLED_REF_PREFIXES) or bool(
        _POOLED_NAME.search(str(name))
    )


def pooled_incoming(inc: pd.DataFrame) -> pd.Series:
    """True for incoming rows from a pooled fund or programme.

    By the provider (`is_pooled_fund`: OCHA fund refs, "pooled fund" names) or
    by the row's DAC aid type (its own, else the activity's default) in
    `POOLED_AID_TYPES`.
    """
    by_org = [
        is_pooled_fund(r, n)
        for r, n in zip(inc[S.TX_PROVIDER_REF], inc[S.TX_PROVIDER_NAME], strict=True)
    ]
    by_type = inc[S.TX_AID_TYPE].isin(POOLED_AID_TYPES).to_numpy()
    return pd.Series(np.asarray(by_org, dtype=bool) | by_type, index=inc.index)


@dataclass(frozen=True)
class AidTypeCoverage:
    """How many incoming and outgoing transactions carry a DAC aid type.

    Attributes:
        stated: with an aid type, the row's own or the activity's default ÷
            all incoming and outgoing transactions (USD and count).
        own: with their own ``<aid-type>`` ÷ the same.
        pooled: with a pooled aid type (`POOLED_AID_TYPES`) ÷ the same.
    """

    stated: M.Share
    own: M.Share
    pooled: M.Share


def aid_type_coverage(tx: pd.DataFrame) -> AidTypeCoverage:
    """The aid-type coverage of `money.selected_transactions` rows."""
    moved = pd.concat([M.incoming(tx), M.outgoing(tx)])
    return AidTypeCoverage(
        stated=M.share_of(moved[moved[S.TX_AID_TYPE] != ""], moved),
        own=M.share_of(moved[moved[S.TX_AID_TYPE_FROM] == "transaction"], moved),
        pooled=M.share_of(moved[moved[S.TX_AID_TYPE].isin(POOLED_AID_TYPES)], moved),
    )


def chains(
    all_tx: pd.DataFrame,
    loaded: set[str] | None = None,
    outside: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """Hops and chain status of every activity with transactions.

    Args:
        all_tx: `money.selected_transactions` over the whole loaded portfolio
            (the restricted country's activities, for a restricted view).
        loaded: every loaded activity identifier (those without transactions
            too: a link to one resolves, and it has no incoming money);
            default: the activities of `all_tx`.
        outside: loaded activities of other countries (a restricted view): a
            link to one stops the walk there (`OUTSIDE`, one hop).

    Returns:
        Indexed by project_id: hops (transfers from the first organisation
        seen to this activity; 0 when no incoming money is published), status
        (`CHAIN_STATUSES`),
        incoming_usd (incoming money counted once: `schema.TX_COUNTED`),
        pooled_usd (of it, from a pooled fund or programme: `pooled_incoming`),
        relayed_usd (from a loaded activity that itself received money),
        pooled_publisher (bool).
    """
    pubs = all_tx.drop_duplicates(S.COL_PROJECT_ID).set_index(S.COL_PROJECT_ID)
    inc = M.incoming(all_tx)
    parents: dict[str, list[str]] = {}
    for pid, link in zip(
        inc[S.COL_PROJECT_ID], inc[S.TX_PROVIDER_ACTIVITY], strict=True
    ):
        parents.setdefault(pid, []).append(link)
    ids = list(pubs.index)
    memo = _walk(parents, ids, (set(ids) | (loaded or set())) - outside, outside)
    result = [memo[pid] for pid in ids]
    out = pd.DataFrame(result, index=pd.Index(ids, name=S.COL_PROJECT_ID))
    out.columns = ["hops", "status"]
    usd = inc[S.TX_USD].fillna(0.0).where(inc[S.TX_COUNTED], 0.0)
    pooled = pooled_incoming(inc)
    relayed = inc[S.TX_PROVIDER_ACTIVITY].map(
        lambda link: bool(link) and out["status"].get(link, ORIGIN) != ORIGIN
    )
    by = inc[S.COL_PROJECT_ID]
    out["incoming_usd"] = usd.groupby(by).sum().reindex(ids, fill_value=0.0)
    out["pooled_usd"] = usd.where(pooled, 0.0).groupby(by).sum().reindex(ids).fillna(0)
    out["relayed_usd"] = (
        usd.where(relayed & ~pooled, 0.0).groupby(by).sum().reindex(ids).fillna(0.0)
    )
    out["pooled_publisher"] = [
        is_pooled_fund(r, n)
        for r, n in zip(pubs[M.PUBLISHER_REF], pubs[M.PUBLISHER], strict=True)
    ]
    out["funder_publisher"] = pubs[M.PUBLISHER_TYPE].isin(FUNDER_TYPES)
    return out


def _worst(a: str, b: str) -> str:
    return a if _WORST[a] >= _WORST[b] else b


def _walk(
    parents: dict[str, list[str]],
    ids: list[str],
    loaded: set[str],
    outside: frozenset[str] = frozenset(),
) -> dict[str, tuple[int, str]]:
    """(hops, status) of every loaded activity, walking the links upward.

    Iterative (no recursion limit on a long chain), in the order of `ids` (so
    the result is the same on every run); a link back to an activity still
    being walked (a cycle in the ids) ends the walk there.
    """
    memo: dict[str, tuple[int, str]] = {}
    for start in ids:
        stack, open_ = [start], set()
        while stack:
            pid = stack[-1]
            if pid in memo:
                stack.pop()
                continue
            links = parents.get(pid, [])
            todo = [
                link
                for link in links
                if link in loaded
                and link != pid
                and link not in memo
                and link not in open_
            ]
            if todo and pid not in open_:
                open_.add(pid)
                stack.extend(todo)
                continue
            memo[pid] = _resolve(pid, links, loaded, memo, outside)
            open_.discard(pid)
            stack.pop()
    return memo


def _resolve(
    pid: str,
    links: list[str],
    loaded: set[str],
    memo: dict[str, tuple[int, str]],
    outside: frozenset[str] = frozenset(),
) -> tuple[int, str]:
    """An activity's (hops, status) once its loaded parents are resolved."""
    if not links:
        return 0, ORIGIN
    hops, status = 1, WALKED
    for link in links:
        if not link or link == pid:
            status = _worst(status, NOT_PUBLISHED)
        elif link in outside:  # not read: another country's activity
            status = _worst(status, OUTSIDE)
        elif link not in loaded:
            status = _worst(status, NOT_LOADED)
        elif link in memo:  # else: still open, a cycle: the walk stops there
            up_hops, up_status = memo[link]
            hops = max(hops, up_hops + 1)
            if up_status != ORIGIN:
                status = _worst(status, up_status)
    return hops, status


def routes(tx: pd.DataFrame, chain: pd.DataFrame) -> dict[str, float]:
    """USD to local actors by route: direct, pooled, one or several intermediaries.

    Money an activity passes to a local actor is split in proportion to where
    the activity's incoming money came from (pooled fund; a loaded activity
    that itself received it, i.e. several intermediaries; any other provider,
    one intermediary: the publisher). With no incoming money published it is
    direct when the publisher originates money (`FUNDER_TYPES`), else not
    determinable. A pooled fund's own outgoing money is "pooled", and so is
    money whose DAC aid type (the row's, else the activity's default) is a
    contribution to pooled programmes and funds (`POOLED_AID_TYPES`).

    Args:
        tx: `money.selected_transactions` of the selection.
        chain: `chains` of the loaded data.

    Returns:
        {route: USD} for every route in `ROUTES` (0.0 when none).
    """
    out = M.outgoing(tx)
    local = out[out[M.CATEGORY].isin(M.LOCAL_CATEGORIES)]
    totals = dict.fromkeys(ROUTES, 0.0)
    by_type = local[S.TX_AID_TYPE].isin(POOLED_AID_TYPES)
    totals[POOLED] += float(local.loc[by_type, M.USD_SHARE].sum())
    local = local[~by_type]
    per_activity = local.groupby(S.COL_PROJECT_ID)[M.USD_SHARE].sum()
    for pid, usd in per_activity.items():
        c = chain.loc[pid]
        if c["pooled_publisher"]:
            totals[POOLED] += usd
        elif c["incoming_usd"] <= 0:
            totals[DIRECT if c["funder_publisher"] else UNKNOWN_ROUTE] += usd
        else:
            pooled = c["pooled_usd"] / c["incoming_usd"]
            several = c["relayed_usd"] / c["incoming_usd"]
            totals[POOLED] += usd * pooled
            totals[SEVERAL] += usd * several
            totals[ONE_INTERMEDIARY] += usd * (1.0 - pooled - several)
    return {k: float(v) for k, v in totals.items()}


def hop_counts(tx: pd.DataFrame, chain: pd.DataFrame) -> pd.DataFrame:
    """Outgoing money by the length of its chain and how far it is walked.

    An outgoing transaction's hops are its activity's hops plus one (the
    transfer to the receiver).

    Returns:
        hops, status, transactions, usd; sorted by hops then status.
    """
    out = M.outgoing(tx)
    c = chain.reindex(out[S.COL_PROJECT_ID])
    table = pd.DataFrame(
        {
            "hops": c["hops"].to_numpy() + 1,
            "status": c["status"].to_numpy(),
            "usd": out[M.USD_SHARE].to_numpy(),
        }
    )
    g = table.groupby(["hops", "status"], sort=True)["usd"]
    return g.agg(transactions="size", usd="sum").reset_index()


def hide_outside(tx: pd.DataFrame, outside: frozenset[str]) -> pd.DataFrame:
    """`tx` with the provider of money from an `outside` activity made anonymous.

    The amount stays (it is the selection's own transaction); the provider's
    name and identifier become `OUTSIDE_FUNDER` and "".
    """
    if not outside:
        return tx
    hide = tx[S.TX_PROVIDER_ACTIVITY].isin(outside)
    if not hide.any():
        return tx
    out = tx.copy()
    out.loc[hide, S.TX_PROVIDER_NAME] = OUTSIDE_FUNDER
    out.loc[hide, S.TX_PROVIDER_REF] = ""
    out.loc[hide, S.TX_PROVIDER] = OUTSIDE_FUNDER
    return out


FLOW_COLUMNS: tuple[str, ...] = (
    "funder",
    "intermediary",
    "implementer",
    M.CATEGORY,
    "usd",
)


def flow_table(tx: pd.DataFrame) -> pd.DataFrame:
    """Funder → intermediary → implementer → receiver category, in USD.

    Each outgoing transaction's money is split over its activity's funders in
    proportion to the incoming money from each (provider name, else ref); with
    no incoming published the funder is "" (not published). The intermediary
    is the publisher, the implementer the receiver ("" when not named).

    Returns:
        Columns `FLOW_COLUMNS`, summed per path, largest first.
    """
    out = M.outgoing(tx)
    inc = M.incoming(tx)
    funder = inc[S.TX_PROVIDER_NAME].where(
        inc[S.TX_PROVIDER_NAME] != "", inc[S.TX_PROVIDER_REF]
    )
    money = inc[S.TX_USD].fillna(0.0).where(inc[S.TX_COUNTED], 0.0)
    by_funder = money.groupby([inc[S.COL_PROJECT_ID], funder]).sum()
    shares = by_funder / by_funder.groupby(level=0).transform("sum")
    shares = shares[shares.notna() & (shares > 0)]
    receiver = out[S.TX_RECEIVER_NAME].where(
        out[S.TX_RECEIVER_NAME] != "", out[S.TX_RECEIVER_REF]
    )
    base = pd.DataFrame(
        {
            S.COL_PROJECT_ID: out[S.COL_PROJECT_ID],
            "intermediary": out[M.PUBLISHER],
            "implementer": receiver,
            M.CATEGORY: out[M.CATEGORY],
            "usd": out[M.USD_SHARE].fillna(0.0),
        }
    )
    split = shares.rename("share").reset_index()
    split.columns = [S.COL_PROJECT_ID, "funder", "share"]
    merged = base.merge(split, on=S.COL_PROJECT_ID, how="left")
    merged["funder"] = merged["funder"].fillna("")
    merged["usd"] = merged["usd"] * merged["share"].fillna(1.0)
    cols = list(FLOW_COLUMNS[:-1])
    table = merged.groupby(cols, sort=False)["usd"].sum().reset_index()
    return table.sort_values("usd", ascending=False, ignore_index=True)
