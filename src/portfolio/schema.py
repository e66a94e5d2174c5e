"""The canonical portfolio table: one row per project and recipient country.

Every module that reads or writes portfolio columns imports the names from here.
Money columns are US dollars; a multi-country project's budget and spend are split
by the reported country percentages, so column sums equal the IATI totals.
"""

from __future__ import annotations

from dataclasses import dataclass

# Identity
COL_PROJECT_ID = "project_id"
COL_TITLE = "title"
COL_DESCRIPTION = "description"  # general description ("" when none)
COL_AGENCY = "agency"  # reporting organisation name
COL_AGENCY_REF = "agency_ref"
COL_AGENCY_TYPE = "agency_type"  # IATI OrganisationType code of the reporting org
COL_FUNDERS = "funding_orgs"  # "; "-joined names
COL_IMPLEMENTERS = "implementing_orgs"
COL_SOURCE_FILE = "source_file"

# Geography
COL_COUNTRY = "country_iso3"  # "" for a project that names only a region
COL_COUNTRY_ISO2 = "country_iso2"
COL_COUNTRY_NAME = "country_name"
COL_REGION = "region"  # World Bank region (CLASS); "Regional / multi-country" if none
COL_INCOME = "income_group"
COL_RECIPIENT_REGION = "recipient_region"  # IATI/DAC region name when reported
COL_COUNTRY_SHARE = "country_share"  # fraction of the project in this country
COL_LAT = "lat"
COL_LON = "lon"
COL_PRECISION = "location_precision"  # site / country / none
COL_N_SITES = "n_sites"

# Sector
COL_SECTOR_CODE = "sector_code"  # main DAC 5-digit code ("" when none)
COL_SECTOR_NAME = "sector_name"
COL_SECTOR_GROUP = "sector_group"
COL_SECTOR_SOURCE = "sector_source"  # reported / inferred / not reported
COL_SDG_TAGS = "sdg_tags"

# Status and dates
COL_STATUS = "status"  # IATI ActivityStatus name
COL_HUMANITARIAN = "humanitarian"
COL_START_PLANNED = "start_planned"
COL_END_PLANNED = "end_planned"
COL_START_ACTUAL = "start_actual"
COL_END_ACTUAL = "end_actual"
COL_START = "start_date"  # actual start, else planned start
COL_END = "end_date"  # planned end, else the last budget period end (derived)
COL_END_SOURCE = "end_source"  # reported / derived from budget period / missing

# Money (USD, this country's share)
COL_BUDGET = "budget_usd"
COL_SPENT = "spent_usd"  # disbursements + expenditure
COL_COMMITTED = "committed_usd"
COL_INCOMING = "incoming_usd"
COL_SPEND_REPORTED = "spend_reported"  # False when no disbursement/expenditure exists

# Derived indicators
COL_DELIVERY = "delivery_ratio"  # spent / budget
COL_ELAPSED = "time_elapsed_share"  # share of planned duration elapsed at data date
COL_SLIPPAGE = "schedule_slippage"  # max(0, elapsed - delivery)

# Country context
COL_INFORM = "inform_risk"  # 0-10, INFORM 2020
COL_INFORM_CLASS = "inform_class"
COL_GE = "wgi_ge"  # Government Effectiveness estimate, about -2.5..2.5
COL_GE_PCT = "wgi_ge_pct"  # percentile rank 0-100
COL_GE_YEAR = "wgi_year"

# Project risk
COL_RISK_SCORE = "risk_score"  # 0-1, documented formula (src/portfolio/risk.py)
COL_RISK = "risk_level"  # Low / Medium / High / Very high

RISK_LEVELS: tuple[str, ...] = ("Low", "Medium", "High", "Very high")
# Sector groups an executive understands; DAC codes map to them via
# data/sector_groups.csv. Stored in the table as these English labels.
SECTOR_GROUPS: tuple[str, ...] = (
    "Health",
    "Education",
    "Water & sanitation",
    "Infrastructure & transport",
    "Energy",
    "Agriculture & food systems",
    "Governance & peace",
    "Humanitarian response",
    "Environment & climate",
    "Other",
)
# Shown when an activity reports no sector and none can be inferred from its title.
SECTOR_NOT_REPORTED = "Not reported"
ALL_SECTOR_GROUPS: tuple[str, ...] = (*SECTOR_GROUPS, SECTOR_NOT_REPORTED)
PRECISIONS: tuple[str, ...] = ("site", "country", "none")
SECTOR_SOURCES: tuple[str, ...] = ("reported", "inferred", "not reported")
REGIONAL = "Regional / multi-country"

STRING_COLUMNS: tuple[str, ...] = (
    COL_PROJECT_ID,
    COL_TITLE,
    COL_DESCRIPTION,
    COL_AGENCY,
    COL_AGENCY_REF,
    COL_AGENCY_TYPE,
    COL_FUNDERS,
    COL_IMPLEMENTERS,
    COL_SOURCE_FILE,
    COL_COUNTRY,
    COL_COUNTRY_ISO2,
    COL_COUNTRY_NAME,
    COL_REGION,
    COL_INCOME,
    COL_RECIPIENT_REGION,
    COL_PRECISION,
    COL_SECTOR_CODE,
    COL_SECTOR_NAME,
    COL_SECTOR_GROUP,
    COL_SECTOR_SOURCE,
    COL_SDG_TAGS,
    COL_STATUS,
    COL_END_SOURCE,
    COL_INFORM_CLASS,
    COL_RISK,
)
FLOAT_COLUMNS: tuple[str, ...] = (
    COL_COUNTRY_SHARE,
    COL_LAT,
    COL_LON,
    COL_BUDGET,
    COL_SPENT,
    COL_COMMITTED,
    COL_INCOMING,
    COL_DELIVERY,
    COL_ELAPSED,
    COL_SLIPPAGE,
    COL_INFORM,
    COL_GE,
    COL_GE_PCT,
    COL_RISK_SCORE,
)
INT_COLUMNS: tuple[str, ...] = (COL_N_SITES, COL_GE_YEAR)
BOOL_COLUMNS: tuple[str, ...] = (COL_HUMANITARIAN, COL_SPEND_REPORTED)
DATE_COLUMNS: tuple[str, ...] = (
    COL_START_PLANNED,
    COL_END_PLANNED,
    COL_START_ACTUAL,
    COL_END_ACTUAL,
    COL_START,
    COL_END,
)
COLUMNS: tuple[str, ...] = (
    STRING_COLUMNS + FLOAT_COLUMNS + INT_COLUMNS + BOOL_COLUMNS + DATE_COLUMNS
)

# The columns a user-supplied portfolio (CSV/Excel) must have; the rest is derived.
REQUIRED_INPUT_COLUMNS: tuple[str, ...] = (
    COL_PROJECT_ID,
    COL_TITLE,
    COL_COUNTRY,
    COL_SECTOR_GROUP,
    COL_START,
    COL_END,
    COL_BUDGET,
    COL_SPENT,
)


@dataclass(frozen=True)
class PortfolioMeta:
    """Metadata that travels with a portfolio table.

    Attributes:
        as_of: the data date (ISO yyyy-mm-dd): the latest last-updated date of
            the source activities; time elapsed is measured at this date.
        fingerprint: a hash of the source files, so saved scenarios can tell
            whether the data changed since they were run.
        name: dataset name ("bundled" for the shipped sample).
        files: an imported dataset's own source files (their names), which
            the source lines name; empty for the bundled agencies' files.
    """

    as_of: str
    fingerprint: str
    name: str = "bundled"
    files: tuple[str, ...] = ()

    @property
    def bundled(self) -> bool:
        """The shipped sample (its limits: COVID-19-tagged, WHO bienniums)."""
        return self.name == "bundled"


# Second table: one row per IATI transaction, keyed by project (the same numbers
# as the money columns above: a row's spent is its country share of the sum of
# its project's disbursements and expenditure).
# TX_TYPE is the type the totals count, after `corrections` (money a publisher
# received but published as an outgoing commitment counts as 11; a commitment
# repeating an incoming-funds row counts as "", in no total); TX_REPORTED_TYPE
# is the type as published and TX_CORRECTION names the correction ("" if none).
TX_TYPE = "transaction_type"  # IATI TransactionType code, as counted
TX_REPORTED_TYPE = "reported_type"  # IATI TransactionType code, as published
TX_CORRECTION = "correction"  # "", "self_receiver" or "duplicate"
TX_DATE = "transaction_date"
TX_VALUE = "value"  # as reported, in TX_CURRENCY
TX_CURRENCY = "currency"
TX_USD = "usd"  # at the value date's year rate (src/portfolio/fx.py); NaN: no rate
TX_PROVIDER = "provider_org"  # name, else ref ("" when no provider-org)
TX_RECEIVER = "receiver_org"
TX_PROVIDER_REF = "provider_ref"  # organisation identifier as published
TX_PROVIDER_NAME = "provider_name"  # narrative only ("" when none)
TX_PROVIDER_TYPE = "provider_type"  # IATI OrganisationType code
TX_PROVIDER_ACTIVITY = "provider_activity_id"  # the provider's own activity
TX_RECEIVER_REF = "receiver_ref"
TX_RECEIVER_NAME = "receiver_name"
TX_RECEIVER_TYPE = "receiver_type"
TX_RECEIVER_ACTIVITY = "receiver_activity_id"  # the receiver's own activity
TX_CHANNEL = "disbursement_channel"  # IATI DisbursementChannel code
# In a portfolio total (spent, committed, incoming)? False for the types no total
# counts and for incoming money already counted another way (`corrections`).
TX_COUNTED = "counted"
TX_AID_TYPE = "aid_type"  # DAC aid type (vocabulary 1): the row's, else the default
TX_AID_TYPE_FROM = "aid_type_from"  # "transaction", "activity" (default) or ""
# the transaction's own <recipient-country> (ISO alpha-2), "" when it names none
# (then it is the whole activity's, split by the activity's percentages)
TX_COUNTRY = "recipient_country"
TRANSACTION_COLUMNS: tuple[str, ...] = (
    COL_PROJECT_ID,
    TX_TYPE,
    TX_DATE,
    TX_VALUE,
    TX_CURRENCY,
    TX_USD,
    TX_PROVIDER,
    TX_RECEIVER,
    TX_REPORTED_TYPE,
    TX_CORRECTION,
    TX_PROVIDER_REF,
    TX_PROVIDER_NAME,
    TX_PROVIDER_TYPE,
    TX_PROVIDER_ACTIVITY,
    TX_RECEIVER_REF,
    TX_RECEIVER_NAME,
    TX_RECEIVER_TYPE,
    TX_RECEIVER_ACTIVITY,
    TX_CHANNEL,
    TX_COUNTED,
    TX_AID_TYPE,
    TX_AID_TYPE_FROM,
    TX_COUNTRY,
)
TX_TEXT_COLUMNS: tuple[str, ...] = tuple(
    c for c in TRANSACTION_COLUMNS if c not in (TX_DATE, TX_VALUE, TX_USD, TX_COUNTED)
)
TX_COMMITMENT = "2"
TX_DISBURSEMENT = "3"
TX_EXPENDITURE = "4"
FLOW_TYPES: tuple[str, ...] = (TX_COMMITMENT, TX_DISBURSEMENT, TX_EXPENDITURE)
"""The flows charted over time: commitments, disbursements, expenditure."""

# Third table: the project page's lists, one row per item, keyed by project.
# `kind` says which columns are used:
#   org       role (IATI OrganisationRole), name, ref, code (OrganisationType)
#   sector    code (DAC 5-digit), name, share (percentage, NaN when not given)
#   location  name, code (GeographicExactness), lat, lon
#   document  name (title), url, code (DocumentCategory), role (format)
#   result    role (result type), name (result title), text (indicator title),
#             baseline, target, actual (as published: src/portfolio/results.py
#             repairs them), measure, ascending, baseline_year, period_end,
#             from_comment
DT_KIND = "kind"
DT_ROLE = "role"
DT_NAME = "name"
DT_REF = "ref"
DT_CODE = "code"
DT_URL = "url"
DT_TEXT = "text"
DT_SHARE = "share"
DT_LAT = "lat"
DT_LON = "lon"
DT_BASELINE = "baseline"
DT_TARGET = "target"
DT_ACTUAL = "actual"
DT_MEASURE = "measure"  # IATI IndicatorMeasure code
DT_ASCENDING = "ascending"  # "1", "0" or "" (not stated) as published
DT_BASELINE_YEAR = "baseline_year"
DT_PERIOD_END = "period_end"  # ISO date of the period target and actual are from
DT_FROM_COMMENT = "from_comment"  # "baseline+target+actual": text from <comment>
DETAIL_KINDS: tuple[str, ...] = ("org", "sector", "location", "document", "result")
DETAIL_COLUMNS: tuple[str, ...] = (
    COL_PROJECT_ID,
    DT_KIND,
    DT_ROLE,
    DT_NAME,
    DT_REF,
    DT_CODE,
    DT_URL,
    DT_TEXT,
    DT_SHARE,
    DT_LAT,
    DT_LON,
    DT_BASELINE,
    DT_TARGET,
    DT_ACTUAL,
    DT_MEASURE,
    DT_ASCENDING,
    DT_BASELINE_YEAR,
    DT_PERIOD_END,
    DT_FROM_COMMENT,
)

# Fourth table: one row per reported <budget> and <planned-disbursement>, keyed by
# project (the whole project's value, not split by country). `counted` marks the
# budgets the portfolio's budget_usd adds up (a revised budget replaces the
# original of the same period); planned disbursements are never counted there.
BG_KIND = "kind"  # "budget" or "planned_disbursement"
BG_TYPE = "value_type"  # IATI BudgetType: "1" original, "2" revised ("" not given)
BG_STATUS = "budget_status"  # IATI BudgetStatus: "1" indicative, "2" committed
BG_START = "period_start"
BG_END = "period_end"
BG_VALUE = "value"  # as reported, in BG_CURRENCY
BG_CURRENCY = "currency"
BG_USD = "usd"  # at the value date's (else period start's) year rate; NaN: no rate
BG_COUNTED = "counted"
BG_KINDS: tuple[str, ...] = ("budget", "planned_disbursement")
BUDGET_COLUMNS: tuple[str, ...] = (
    COL_PROJECT_ID,
    BG_KIND,
    BG_TYPE,
    BG_STATUS,
    BG_START,
    BG_END,
    BG_VALUE,
    BG_CURRENCY,
    BG_USD,
    BG_COUNTED,
)
