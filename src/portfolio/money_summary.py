"""Every "follow the money" figure of a selection, computed once for all surfaces.

The Follow-the-money view, its CLI (`python -m src.cli money`) and the tests
read the same `MoneySummary`, so each shows the same number for the same
selection.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass

import pandas as pd

from src.portfolio import money as M
from src.portfolio import money_chain as C
from src.portfolio import money_fixes as F
from src.portfolio import schema as S
from src.portfolio.activity_tables import SideTables


@dataclass(frozen=True)
class MoneySummary:
    """The figures of one selection (see `money`, `money_chain`).

    Attributes:
        localisation: all outgoing money; humanitarian: humanitarian
            activities only (the Grand Bargain target applies to them).
        routes: USD to local actors per route (`money_chain.ROUTES`).
        aid_types: how many transactions carry a DAC aid type (pooled
            funds are recognised by it, and by the provider).
        categories: `money.by_category`; hops: `money_chain.hop_counts`;
        flows: `money_chain.flow_table`; publishers: `money.per_publisher`;
        fixes: `money_fixes.fix_list` of the money family.
    """

    localisation: M.Localisation
    humanitarian: M.Localisation
    routes: dict[str, float]
    aid_types: C.AidTypeCoverage
    traceability: M.Traceability
    pass_through: M.Share
    implementation: M.Implementation
    categories: pd.DataFrame
    hops: pd.DataFrame
    flows: pd.DataFrame
    publishers: pd.DataFrame
    fixes: pd.DataFrame

    def to_json(self) -> dict[str, object]:
        """JSON-able data: figures as dicts (None: not published), tables as rows."""

        def records(df: pd.DataFrame) -> list[dict[str, object]]:
            return df.astype(object).where(df.notna(), None).to_dict("records")

        return {
            "localisation": asdict(self.localisation),
            "localisation_humanitarian": asdict(self.humanitarian),
            "grand_bargain_target": M.GRAND_BARGAIN_TARGET,
            "local_routes_usd": self.routes,
            "aid_type_coverage": asdict(self.aid_types),
            "traceability": asdict(self.traceability),
            "pass_through": asdict(self.pass_through),
            "implementation": asdict(self.implementation),
            "receiver_categories": records(self.categories),
            "chain_hops": records(self.hops),
            "publishers": records(self.publishers),
            "fix_your_data": records(self.fixes),
        }


def money_summary(
    rows: pd.DataFrame,
    portfolio: pd.DataFrame,
    side: SideTables,
    *,
    outside: frozenset[str] = frozenset(),
    restricted: bool = False,
) -> MoneySummary:
    """The figures of the selection `rows` of `portfolio`.

    Args:
        rows: the selected portfolio rows.
        portfolio: every loaded row the user may see (chains are walked over
            all of it): a restricted user's country's rows only.
        side: the dataset's transactions and details.
        outside: the other loaded activities (a restricted view): a chain
            stops at a link into one (`money_chain.OUTSIDE`); a link to one
            still counts as linked to a loaded activity.
        restricted: `rows` and `portfolio` are one country's (a restricted
            view): transactions naming another country are left out
            (`country_part`).
    """
    seen = set(portfolio[S.COL_PROJECT_ID])
    loaded = seen | outside
    every = M.selected_transactions(portfolio, side.transactions, by_country=restricted)
    chain = C.chains(every, seen, outside - seen)
    whole = len(rows) == len(portfolio) and rows.index.equals(portfolio.index)
    tx = (
        every
        if whole
        else M.selected_transactions(rows, side.transactions, by_country=restricted)
    )
    humanitarian = tx[tx[S.COL_HUMANITARIAN]]
    return MoneySummary(
        localisation=M.localisation(tx),
        humanitarian=M.localisation(humanitarian),
        routes=C.routes(tx, chain),
        aid_types=C.aid_type_coverage(tx),
        traceability=M.traceability(tx, loaded),
        pass_through=M.pass_through(tx),
        implementation=M.implementation(rows, side.details),
        categories=M.by_category(tx),
        hops=C.hop_counts(tx, chain),
        flows=C.flow_table(C.hide_outside(tx, outside - seen)),
        publishers=M.per_publisher(tx, loaded),
        fixes=F.fix_list(F.money_fixes(tx), F.implementer_fixes(rows, side.details)),
    )
