"""Fix your data: what each publisher would need to publish, per indicator.

One function per family of indicators returns rows of the same shape
(`FIX_COLUMNS`); `fix_list` concatenates any number of them, so another family
(the results ladder) adds its own function. Each row says how many items lack
what an indicator needs, out of how many, and what to publish. The texts are
English here (CSV, CLI); the view translates the keys in `FIX_TEXT` and shows
other families' texts as given.
"""

from __future__ import annotations

import pandas as pd

from src.portfolio import money as M
from src.portfolio import schema as S
from src.portfolio.corrections import DUPLICATE, SELF_RECEIVER

FIX_COLUMNS: tuple[str, ...] = (
    "publisher",
    "indicator",
    "missing",
    "total",
    "unit",
    "what",
)

FIX_TEXT: dict[str, tuple[str, str, str]] = {
    "receiver_org": (
        "receiver organisation",
        "outgoing transactions",
        "name a receiver organisation (ref and type) on each disbursement and "
        "expenditure",
    ),
    "receiver_type": (
        "receiver organisation type",
        "outgoing transactions naming a receiver",
        "give the receiver organisation's type (IATI OrganisationType)",
    ),
    "receiver_activity": (
        "receiver activity id",
        "disbursements",
        "give the receiver's own IATI activity identifier (receiver-activity-id)",
    ),
    "provider_org": (
        "provider organisation",
        "incoming transactions",
        "name the provider organisation (ref and type) on each incoming transaction",
    ),
    "provider_activity": (
        "provider activity id",
        "incoming transactions",
        "give the funder's IATI activity identifier (provider-activity-id) on each "
        "incoming transaction",
    ),
    "commitment_received": (
        "money received published as outgoing",
        "outgoing commitments as published",
        "publish money received as incoming commitment (type 11), not outgoing "
        "commitment (type 2) with yourself as receiver",
    ),
    "commitment_duplicate": (
        "commitments repeating incoming funds",
        "outgoing commitments as published",
        "do not repeat each incoming-funds row as an outgoing commitment",
    ),
    "implementer": (
        "implementing organisation",
        "activities",
        "name the implementing organisation with its type (participating-org role 4)",
    ),
}
"""Key -> (indicator, unit, what to publish), in English."""


def _row(publisher: str, key: str, missing: int, total: int) -> dict[str, object]:
    indicator, unit, what = FIX_TEXT[key]
    return {
        "publisher": publisher,
        "indicator": indicator,
        "missing": int(missing),
        "total": int(total),
        "unit": unit,
        "what": what,
    }


def money_fixes(tx: pd.DataFrame) -> pd.DataFrame:
    """The money family: receivers, providers, activity ids, the two traps.

    Args:
        tx: `money.selected_transactions` of the selection.

    Returns:
        Columns `FIX_COLUMNS`, one row per publisher and indicator with
        something missing (missing > 0).
    """
    rows: list[dict[str, object]] = []
    for publisher, part in tx.groupby(M.PUBLISHER, sort=True):
        out, inc = M.outgoing(part), M.incoming(part)
        named = out[out[M.HAS_RECEIVER]]
        disb = out[out[S.TX_TYPE] == S.TX_DISBURSEMENT]
        has_provider = (inc[S.TX_PROVIDER_REF] != "") | (inc[S.TX_PROVIDER_NAME] != "")
        commitments = part[part[S.TX_REPORTED_TYPE] == "2"]
        fix = part[S.TX_CORRECTION]
        counts = {
            "receiver_org": (len(out) - len(named), len(out)),
            "receiver_type": ((named[S.TX_RECEIVER_TYPE] == "").sum(), len(named)),
            "receiver_activity": (
                (disb[S.TX_RECEIVER_ACTIVITY] == "").sum(),
                len(disb),
            ),
            "provider_org": ((~has_provider).sum(), len(inc)),
            "provider_activity": ((inc[S.TX_PROVIDER_ACTIVITY] == "").sum(), len(inc)),
            "commitment_received": ((fix == SELF_RECEIVER).sum(), len(commitments)),
            "commitment_duplicate": ((fix == DUPLICATE).sum(), len(commitments)),
        }
        rows += [
            _row(str(publisher), key, missing, total)
            for key, (missing, total) in counts.items()
            if missing > 0
        ]
    return pd.DataFrame(rows, columns=list(FIX_COLUMNS))


def implementer_fixes(rows: pd.DataFrame, details: pd.DataFrame) -> pd.DataFrame:
    """Activities naming no implementing organisation with a type, per publisher.

    Args:
        rows: portfolio rows of the selection.
        details: the details table.
    """
    acts = rows.drop_duplicates(S.COL_PROJECT_ID)
    orgs = details[
        (details[S.DT_KIND] == "org")
        & (details[S.DT_ROLE] == M.IMPLEMENTING_ROLE)
        & (details[S.DT_CODE] != "")
    ]
    typed = acts[S.COL_PROJECT_ID].isin(set(orgs[S.COL_PROJECT_ID]))
    out = [
        _row(str(publisher), "implementer", (~part).sum(), len(part))
        for publisher, part in typed.groupby(acts[S.COL_AGENCY], sort=True)
        if (~part).sum() > 0
    ]
    return pd.DataFrame(out, columns=list(FIX_COLUMNS))


def fix_list(*families: pd.DataFrame) -> pd.DataFrame:
    """Every family's rows together, by publisher then most missing first."""
    parts = [f for f in families if not f.empty]
    if not parts:
        return pd.DataFrame({c: [] for c in FIX_COLUMNS})
    table = pd.concat(parts, ignore_index=True)[list(FIX_COLUMNS)]
    return table.sort_values(
        ["publisher", "missing"], ascending=[True, False], ignore_index=True
    )


def fix_key(indicator: str) -> str | None:
    """The `FIX_TEXT` key of an English indicator text (None for other families)."""
    for key, (text, _, _) in FIX_TEXT.items():
        if text == indicator:
            return key
    return None
