"""Portfolio filters as one frozen value, shared by the UI and the command line.

Like Datasette's filters, a `FilterSpec` both applies itself (`apply`) and says
what it does in words (`describe`), so the app's caption, exports, briefings and
the command line name the selection the same way.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace

import pandas as pd

from src.i18n import country_name, format_money, translate
from src.portfolio import schema as S
from src.portfolio.search import search_mask, terms
from src.records import known_fields

# Budget upper bounds at or above this mean "no limit" (the sidebar's last step).
NO_LIMIT = 1e12
# Fields that are one value, not a list: (type, what it must be, in words)
_SCALARS = {"query": (str, "text"), "humanitarian": (bool, "true or false")}
# (field, caption label key, translation prefix of the values or None)
_CHOICES = (
    ("sectors", "filters.sector", "sector."),
    ("risks", "filters.risk", "risk."),
    ("regions", "filters.region", "region."),
    ("countries", "filters.country", None),
    ("agencies", "filters.agency", None),
    ("statuses", "filters.status", "status."),
    ("funders", "filters.funder", None),
    ("implementers", "filters.implementer", None),
    ("sdgs", "filters.sdg", None),
    ("dac_sectors", "filters.dac", None),
)
# Multi-valued columns: (field, column, separator of the values in a cell)
_LISTS = (
    ("funders", S.COL_FUNDERS, "; "),
    ("implementers", S.COL_IMPLEMENTERS, "; "),
)
NO_DAC = "none"
"""The `dac_sectors` value for rows without a reported DAC code."""


def sdg_goals(tags: pd.Series) -> pd.Series:
    """Each row's SDG goals ("3.d;17" -> ["3", "17"]), as lists.

    >>> sdg_goals(pd.Series(["3.d;17;3.3", ""])).tolist()
    [['3', '17'], []]
    """
    return tags.fillna("").map(
        lambda text: list(dict.fromkeys(t.split(".")[0] for t in text.split(";") if t))
    )


def dac_options(df: pd.DataFrame) -> dict[str, str]:
    """Main DAC code -> its sector group, in sector-group then code order.

    The `dac_sectors` filter's choices. Rows without a reported code give
    `NO_DAC` (last).
    """
    pairs = df[[S.COL_SECTOR_CODE, S.COL_SECTOR_GROUP]].drop_duplicates()
    pairs = pairs[pairs[S.COL_SECTOR_CODE] != ""]
    rank = {g: i for i, g in enumerate(S.ALL_SECTOR_GROUPS)}
    ordered = sorted(
        zip(pairs[S.COL_SECTOR_CODE], pairs[S.COL_SECTOR_GROUP], strict=True),
        key=lambda cg: (rank.get(cg[1], len(rank)), cg[0]),
    )
    out = dict(ordered)
    if (df[S.COL_SECTOR_CODE] == "").any():
        out[NO_DAC] = ""
    return out


def dac_names(df: pd.DataFrame) -> dict[str, str]:
    """Main DAC code -> the data's name of it (the fallback of `sector_name`)."""
    return dict(zip(df[S.COL_SECTOR_CODE], df[S.COL_SECTOR_NAME], strict=False))


def _any_of(lists: pd.Series, values: tuple[str, ...]) -> pd.Series:
    """True where a row's list holds one of `values`."""
    parts = lists.explode()
    hit = parts.isin(values).groupby(level=0, sort=False).any()
    return hit.reindex(lists.index, fill_value=False).astype(bool)


def country_label(iso3: str, df: pd.DataFrame | None, lang: str) -> str:
    """A country's name in `lang` (from its ISO2 code in the table), else ISO3.

    >>> country_label("KEN", None, "fr")
    'KEN'
    """
    if df is None or df.empty:
        return iso3
    rows = df.loc[df[S.COL_COUNTRY] == iso3]
    if rows.empty:
        return iso3
    first = rows.iloc[0]
    return country_name(str(first[S.COL_COUNTRY_ISO2] or ""), iso3, lang) or iso3


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
        funders: funding organisation names (any of the project's funders).
        implementers: implementing organisation names (any of them).
        sdgs: SDG goal numbers ("3"); a tag "3.d" counts for goal 3.
        dac_sectors: main DAC 5-digit codes; `NO_DAC` keeps rows without one.
        humanitarian: True / False keeps humanitarian / other projects only.
        query: keyword search over titles, descriptions, identifiers and
            organisation names, accent- and case-insensitive; every word must
            occur (src/portfolio/search.py). "" searches nothing.
    """

    sectors: tuple[str, ...] = ()
    risks: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    statuses: tuple[str, ...] = ()
    years: tuple[int, int] | None = None
    budget: tuple[float, float] | None = None
    funders: tuple[str, ...] = ()
    implementers: tuple[str, ...] = ()
    sdgs: tuple[str, ...] = ()
    dac_sectors: tuple[str, ...] = ()
    humanitarian: bool | None = None
    query: str = ""

    def is_empty(self) -> bool:
        """True when nothing is restricted."""
        return self == FilterSpec()

    def to_dict(self) -> dict[str, object]:
        """The restricted fields only, JSON-ready (lists).

        >>> FilterSpec(sectors=("Health",), years=(2020, 2021)).to_dict()
        {'sectors': ['Health'], 'years': [2020, 2021]}
        >>> FilterSpec(query="école").to_dict()
        {'query': 'école'}
        """
        out: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, str | bool):
                if value != f.default:
                    out[f.name] = value
            elif value:
                out[f.name] = list(value)
        return out

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> FilterSpec:
        """Inverse of `to_dict`; unknown fields or bad shapes raise ValueError."""
        known_fields(data, (f.name for f in fields(cls)), "filters")
        kwargs: dict[str, object] = {}
        for name, value in data.items():
            if name in _SCALARS:
                kind, words = _SCALARS[name]
                if not isinstance(value, kind):
                    msg = f"filter {name!r} must be {words}, got {value!r}"
                    raise ValueError(msg)
                kwargs[name] = value
                continue
            if not isinstance(value, list | tuple):
                msg = f"filter {name!r} must be a list, got {value!r}"
                raise ValueError(msg)
            if name in ("years", "budget"):
                if len(value) != 2:
                    msg = f"filter {name!r} needs two numbers, got {value!r}"
                    raise ValueError(msg)
                cast = int if name == "years" else float
                try:
                    kwargs[name] = (cast(value[0]), cast(value[1]))
                except (TypeError, ValueError):
                    msg = f"filter {name!r} needs two numbers, got {value!r}"
                    raise ValueError(msg) from None
            else:
                kwargs[name] = tuple(str(v) for v in value)
        return cls(**kwargs)

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
        for name, col, sep in _LISTS:
            values = getattr(self, name)
            if values:
                keep &= _any_of(df[col].fillna("").str.split(sep), values)
        if self.sdgs:
            keep &= _any_of(sdg_goals(df[S.COL_SDG_TAGS]), self.sdgs)
        if self.dac_sectors:
            code = df[S.COL_SECTOR_CODE].fillna("").replace("", NO_DAC)
            keep &= code.isin(self.dac_sectors)
        if self.humanitarian is not None:
            keep &= df[S.COL_HUMANITARIAN].astype(bool) == self.humanitarian
        if self.years:
            first, last = self.years
            start = pd.to_datetime(df[S.COL_START])
            end = pd.to_datetime(df[S.COL_END])
            keep &= start.isna() | (start <= pd.Timestamp(last, 12, 31))
            keep &= end.isna() | (end >= pd.Timestamp(first, 1, 1))
        if self.budget:
            low, high = self.budget
            keep &= df[S.COL_BUDGET].between(low, high)
        if terms(self.query):
            keep &= search_mask(df, self.query)
        return keep

    def apply(self, df: pd.DataFrame) -> pd.DataFrame:
        """The selected rows (a new frame; the input is never mutated)."""
        if self.is_empty():
            return df
        return df.loc[self.mask(df)]

    def describe(self, lang: str = "en", df: pd.DataFrame | None = None) -> str:
        """The selection in words in `lang`, one clause per restricted field.

        Args:
            lang: caption language.
            df: the table, to name countries in `lang` (without it: ISO3 codes).

        >>> FilterSpec(sectors=("Health",), risks=("High",)).describe("fr")
        'Secteur: Santé; Niveau de risque: Élevé'
        >>> FilterSpec().describe()
        'whole portfolio'
        """
        parts = []
        if terms(self.query):
            words = " ".join(self.query.split())
            quoted = translate("filters.quoted", lang, text=words)
            parts.append(f"{translate('filters.search', lang)}: {quoted}")
        for name, label, prefix in _CHOICES:
            values = getattr(self, name)
            if not values:
                continue
            if name == "countries":
                shown = [country_label(v, df, lang) for v in values]
            elif name == "dac_sectors":
                shown = [
                    translate("filters.no_dac", lang) if v == NO_DAC else v
                    for v in values
                ]
            elif prefix:
                shown = [translate(prefix + v, lang) for v in values]
            else:
                shown = list(values)
            parts.append(f"{translate(label, lang)}: {', '.join(shown)}")
        if self.humanitarian is not None:
            answer = "filters.yes" if self.humanitarian else "filters.no"
            label = translate("filters.humanitarian", lang)
            parts.append(f"{label}: {translate(answer, lang)}")
        if self.years:
            years = f"{self.years[0]}–{self.years[1]}"
            parts.append(f"{translate('filters.years', lang)}: {years}")
        if self.budget:
            low, high = self.budget
            top = (
                translate("filters.no_limit", lang)
                if high >= NO_LIMIT
                else format_money(high, lang)
            )
            budget = f"{format_money(low, lang)}–{top}"
            parts.append(f"{translate('filters.budget', lang)}: {budget}")
        return "; ".join(parts) or translate("filters.none", lang)
