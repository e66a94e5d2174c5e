"""Plain records produced by the IATI parser (no pandas, no UI).

The parser (src/iati/parser.py) turns each <iati-activity> into one `Activity`;
problems (`src.problems.Problem`) go into a `ParseReport` instead of being raised,
so one bad activity never hides the rest of a file. Money values stay in their
reported currency here; conversion to USD happens in the portfolio layer with
the declared FX table.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from src.problems import Problem


@dataclass(frozen=True)
class Money:
    """One reported value.

    Attributes:
        amount: the number as reported.
        currency: ISO 4217 code (the value's own, else the activity default);
            "" when neither is given.
        value_date: the value-date attribute, used to pick the exchange rate year.
    """

    amount: float
    currency: str
    value_date: date | None


@dataclass(frozen=True)
class Budget:
    """An <budget> element; type "1" original, "2" revised."""

    type: str
    status: str
    period_start: date | None
    period_end: date | None
    value: Money


@dataclass(frozen=True)
class OrgRef:
    """A transaction's <provider-org> or <receiver-org>, as published.

    Attributes:
        ref: the organisation identifier ("" when absent).
        name: the narrative ("" when absent).
        type: IATI OrganisationType code ("" when absent).
        activity_id: the provider-activity-id / receiver-activity-id: the
            identifier of the other party's own IATI activity (traceability).
    """

    ref: str = ""
    name: str = ""
    type: str = ""
    activity_id: str = ""


@dataclass(frozen=True)
class PlannedDisbursement:
    """A <planned-disbursement>; type "1" original, "2" revised ("" not given)."""

    type: str
    period_start: date | None
    period_end: date | None
    value: Money


@dataclass(frozen=True)
class Transaction:
    """A <transaction>.

    The type code follows IATI TransactionType (2 commitment, 3 disbursement,
    4 expenditure, 1/11/13 incoming funds / commitments).
    """

    type: str
    date: date | None
    value: Money
    sector_code: str = ""  # DAC 5-digit code when a transaction-level sector exists
    provider: str = ""  # provider-org name (else its ref)
    receiver: str = ""  # receiver-org name (else its ref)
    provider_org: OrgRef | None = None  # None when no <provider-org>
    receiver_org: OrgRef | None = None  # None when no <receiver-org>
    channel: str = ""  # IATI DisbursementChannel code ("" when not given)
    aid_type: str = ""  # <aid-type> code of vocabulary 1 (DAC), "" when none
    country: str = ""  # <recipient-country> code (ISO alpha-2, upper), "" when none


@dataclass(frozen=True)
class Participant:
    """A <participating-org> with its IATI OrganisationRole.

    Roles: 1 funding, 2 accountable, 3 extending, 4 implementing.
    """

    role: str
    name: str
    ref: str = ""
    type: str = ""  # IATI OrganisationType code


@dataclass(frozen=True)
class Document:
    """A <document-link>: a web page or file about the activity."""

    url: str
    title: str
    format: str = ""  # IANA media type as reported
    category: str = ""  # IATI DocumentCategory code (A01…)


@dataclass(frozen=True)
class Indicator:
    """One indicator of a <result> (type 1 output, 2 outcome, 3 impact).

    Baseline, target and actual are the reported value, else the comment text
    (IATI allows either). Target and actual come from one period: the last
    that reports an actual, else the last that reports a target, so an actual
    is never set against another period's target.
    """

    result_type: str
    result_title: str
    title: str
    baseline: str = ""
    target: str = ""
    actual: str = ""
    measure: str = ""  # IATI IndicatorMeasure: 1 unit, 2 percentage, 3-5 qualitative
    ascending: str = ""  # the @ascending attribute as published ("" not stated)
    baseline_year: str = ""  # baseline/@year as published
    period_end: str = ""  # period-end/@iso-date of the period used ("" none)
    from_comment: str = ""  # "+"-joined values given as <comment> text, not @value


@dataclass(frozen=True)
class Share:
    """A coded share such as a recipient country (ISO alpha-2) or a sector."""

    code: str
    percentage: float | None  # None when not reported
    vocabulary: str = ""
    name: str = ""


@dataclass(frozen=True)
class Location:
    """A <location> with a point; coordinates in WGS84 degrees."""

    lat: float
    lon: float
    exactness: str = ""  # IATI GeographicExactness: 1 exact, 2 approximate
    location_class: str = ""  # IATI GeographicLocationClass
    name: str = ""


@dataclass
class Activity:
    """One IATI activity, as reported (values in their own currencies)."""

    identifier: str
    title: str
    reporting_org: str
    reporting_org_ref: str
    default_currency: str
    reporting_org_type: str = ""  # IATI OrganisationType code (10 government…)
    last_updated: str = ""  # ISO datetime string as reported
    funding_orgs: list[str] = field(default_factory=list)
    implementing_orgs: list[str] = field(default_factory=list)
    status_code: str = ""
    start_planned: date | None = None
    start_actual: date | None = None
    end_planned: date | None = None
    end_actual: date | None = None
    countries: list[Share] = field(default_factory=list)  # ISO alpha-2 codes
    regions: list[Share] = field(default_factory=list)
    sectors: list[Share] = field(default_factory=list)  # DAC 5-digit, vocabulary 1
    sdg_tags: list[str] = field(default_factory=list)  # SDG goal/target codes
    budgets: list[Budget] = field(default_factory=list)
    planned_disbursements: list[PlannedDisbursement] = field(default_factory=list)
    transactions: list[Transaction] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    humanitarian: bool = False
    source_file: str = ""
    # DAC 3-digit categories (sector vocabulary 2), kept apart from `sectors`
    sector_categories: list[Share] = field(default_factory=list)
    participants: list[Participant] = field(default_factory=list)  # every role
    documents: list[Document] = field(default_factory=list)
    indicators: list[Indicator] = field(default_factory=list)  # of the results
    # <default-aid-type> code of vocabulary 1 (DAC): the type of every transaction
    # that states none ("" when not given)
    default_aid_type: str = ""
    # (type, text) of each <description>: 1 general, 2 objectives, 3 targets, 4 other
    descriptions: list[tuple[str, str]] = field(default_factory=list)

    @property
    def description(self) -> str:
        """The general descriptions (type 1) joined, else the first one reported."""
        general = [text for kind, text in self.descriptions if kind == "1"]
        if general:
            return "\n\n".join(general)
        return self.descriptions[0][1] if self.descriptions else ""


@dataclass
class ParseReport:
    """What a parse read, kept and skipped.

    Every skipped activity appears in `skipped` with its reason, so nothing is
    silently dropped.
    """

    files: list[str] = field(default_factory=list)
    activities_read: int = 0
    activities_kept: int = 0
    skipped: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    fatal: list[Problem] = field(default_factory=list)  # whole file unreadable

    @property
    def problems(self) -> list[Problem]:
        """All problems, fatal first."""
        return [*self.fatal, *self.skipped, *self.warnings]
