"""Portfolio filters as one frozen value, shared by the UI and the command line.

Like Datasette's filters, a `FilterSpec` both applies itself (`apply`) and says
what it does (`describe`), so exports and briefings can name the selection.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from src.portfolio import schema as S


@dataclass(frozen=True)
class FilterSpec:
    """A selection of the portfolio. Empty tuples / None mean "no restriction".

    Attributes:
        sectors: sector groups.
        risks: project risk levels.
        regions: World Bank regions.
        countries: ISO3 codes.
        agencies: reporting organisation names.
        statuses: IATI activity status names.
        years: (first, last) calendar years; keeps projects active in the range
            (start <= 31 Dec of last and end >= 1 Jan of first; unknown dates kept).
        budget: (min, max) USD of the row's budget, inclusive.
    """

    sectors: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    budget: tuple[float, float] | None = None

    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return self == FilterSpec()

    def with_changes(self, **changes: object) -> FilterSpec:
        """A copy with some fields replaced."""
        return replace(self, **changes)

    def mask(self, df: pd.DataFrame) -> pd.Series:
        """Boolean row mask of the selection."""
        keep = pd.Series(True, index=df.index)
        for values, col in (
            (self.sectors, S.COL_SECTOR_GROUP),
            (self.risks, S.COL_RISK),
            (self.regions, S.COL_REGION),
            (self.countries, S.COL_COUNTRY),
            (self.agencies, S.COL_AGENCY),
            (self.statuses, S.COL_STATUS),
        ):
            if values:
                keep &= df[col].isin(values)
        if self.years:
            first, last = self.years
            start = pd.to_datetime(df[S.COL_START])
            end = pd.to_datetime(df[S.COL_END])
            keep &= start.isna() | (start <= pd.Timestamp(last, 12, 31))
            keep &= end.isna() | (end >= pd.Timestamp(first, 1, 1))
        if self.budget:
            low, high = self.budget
            keep &= df[S.COL_BUDGET].between(low, high)
        return keep

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        """The selected rows (a new frame; the input is never mutated)."""
        if self.is_empty():
            return df
        return df.loc[self.mask(df)]

    def describe(self) -> str:
        """A one-line English caption, e.g. "sector: Health; risk: High".

        >>> FilterSpec(sectors=("Health",), risks=("High",)).describe()
        'sector: Health; risk: High'
        >>> FilterSpec().describe()
        'whole portfolio'
        """
        labels = {
            "sectors": "sector",
            "risks": "risk",
            "regions": "region",
            "countries": "country",
            "agencies": "agency",
            "statuses": "status",
            "years": "years",
            "budget": "budget USD",
        }
        parts = []
        for f in fields(self):
            value = getattr(self, f.name)
            if not value:
                continue
            if f.name in ("years", "budget"):
                text = f"{value[0]:,.0f}–{value[1]:,.0f}"
            else:
                text = ", ".join(value)
            parts.append(f"{labels[f.name]}: {text}")
        return "; ".join(parts) or "whole portfolio"
