"""Session-state keys, URL parameter names and defaults, declared in one place."""

from __future__ import annotations

import re

LANG = "ui.lang"
DATASET = "ui.dataset"
CONTEXT = "ui.context"  # the frame's Context for this run (see widgets.frame)
FILTERS_READY = "filters.ready"
NOTICES = "ui.notices"
FILTER_SECTORS = "filters.sector"
FILTER_RISKS = "filters.risk"
FILTER_REGIONS = "filters.region"
FILTER_COUNTRIES = "filters.country"
FILTER_AGENCIES = "filters.agency"
FILTER_STATUSES = "filters.status"
FILTER_YEARS = "filters.years"
FILTER_BUDGET = "filters.budget"
FILTER_QUERY = "filters.query"
FILTER_FUNDERS = "filters.funder"
FILTER_IMPLEMENTERS = "filters.implementer"
FILTER_SDGS = "filters.sdg"
FILTER_DAC = "filters.dac"
FILTER_HUMANITARIAN = "filters.humanitarian"
FILTER_RESET = "filters.reset"
FILTERS_MORE = "filters.more"  # the "More filters" expander (open or not)
MAP_METRIC = "map.metric"
MAP_SELECTION = "map.selection"  # item_key(MAP_SELECTION, generation)
# A new map widget after each click it acted on: the browser re-picks the old
# click's position in the redrawn deck, and would open the dot now there.
MAP_GENERATION = "map.generation"
MAP_BORDERS = "map.borders"  # toggle: country outlines
MAP_WEB = "map.web"  # toggle: the web basemap (external requests)
COUNTRY_SELECT = "country.select"
DOWNLOAD_CSV = "table.download"
COUNTRY_DOWNLOAD = "country.download"
CHART_BREAKDOWN = "chart"  # item_key(CHART_BREAKDOWN, kind): one per breakdown
CHART_YEARS = "chart.years"
COUNTRY_CHART = "country.chart"  # item_key(COUNTRY_CHART, kind)
DATA_TEMPLATE_CSV = "data.template_csv"
DATA_TEMPLATE_XLSX = "data.template_xlsx"
DATA_REJECTED_CSV = "data.rejected_csv"
DATA_SWITCH = "data.switch"  # item_key(DATA_SWITCH, i): one button per dataset
DATA_DELETE = "data.delete"  # item_key(DATA_DELETE, i)
PNG_DOWNLOAD = "png"  # item_key(chart_key, PNG_DOWNLOAD): a chart's PNG button
TABLE_EXPANDER = "table"  # item_key(chart_key, TABLE_EXPANDER): its table, opened


def item_key(family: str, item: object) -> str:
    """The key of one widget of a family.

    >>> item_key(DATA_SWITCH, 2)
    'data.switch.2'
    """
    return f"{family}.{item}"


# URL query parameter for each multi-value filter (comma-separated in the URL).
URL_MULTI = {
    FILTER_SECTORS: "sector",
    FILTER_RISKS: "risk",
    FILTER_REGIONS: "region",
    FILTER_COUNTRIES: "country",
    FILTER_AGENCIES: "agency",
    FILTER_STATUSES: "status",
    FILTER_FUNDERS: "funder",
    FILTER_IMPLEMENTERS: "implementer",
    FILTER_SDGS: "sdg",
    FILTER_DAC: "dac",
}
URL_HUMANITARIAN = "humanitarian"  # "yes" / "no"; absent: any
URL_QUERY = "q"  # keyword search (FilterSpec.query)
URL_YEARS = "years"
URL_BUDGET = "budget"
URL_LANG = "lang"
URL_METRIC = "metric"
URL_PRESENT = "present"
PRESENT_BAR = "present.bar"  # presentation mode's exit and page links
URL_DATASET = "dataset"
URL_COUNTRY = "c"  # the country page's country (ISO3)
URL_PROJECT = "id"  # the project page's IATI identifier
PROJECT_PAGE = "pages/project.py"
SCENARIOS_PAGE = "pages/scenarios.py"
COORDINATION_PAGE = "pages/coordination.py"
PROJECT_PATH = "project"  # its URL path (st.Page's default: the file name)
MAP_OPEN_PROJECT = "map.open_project"  # a clicked dot's project, for switch_page
MAP_PICKED_COUNTRY = "map.picked_country"  # a country click set the filter: rerun
FLOW_CHART = "flows.chart"  # item_key(FLOW_CHART, where): one per page
RESULTS_CHART = "results.chart"  # the results ladder (Country page)
RESULTS_HDI = "results.hdi"  # the national context trend beside it

# Model quality, own reference class, assumptions check (Scenarios and Data pages)
MODEL_PIT = "model.pit"
OWN_CLASS_FIT = "data.own_class.fit"
SCEN_ROBUSTNESS = "scen.robustness"

# Scenarios page: the editor (src.widgets.scenario_editor)
URL_SCENARIO = "scenario"  # the scenario's versioned token (?scenario=v1.…)
SCEN_READY = "scen.ready"  # the editor has read the URL this session
SCEN_NOTICE = "scen.notice"  # a bad link's or a load's message, shown above
SCEN_DROPPED = "scen.dropped"  # notices about link values the editor could not show
SCEN_LEVERS = "scen.levers"  # how many lever rows the editor has
SCEN_LEVER = "scen.lever"  # lever_key(i, part): one widget per lever and part
# A lever's parts kept in state: fields of src.engine.scenario.Lever ("projects"
# has no widget, a caption says how many).
LEVER_PARTS = (
    "kind",
    "change",
    "sectors",
    "regions",
    "countries",
    "agencies",
    "projects",
)
LEVER_REMOVE = "remove"  # lever_key(i, LEVER_REMOVE): the lever's remove button
SCEN_ADD = "scen.add"
SCEN_HORIZON = "scen.horizon"
SCEN_POLICY = "scen.policy"
SCEN_PRECISE = "scen.precise"
SCEN_NAME = "scen.name"  # the scenario's name (the save form's text box)
SCEN_REFERENCE = "scen.reference"
# Scenarios page: results (src.widgets.scenario_panels)
SCEN_FAN = "scen.fan"
SCEN_HIST = "scen.hist"
SCEN_MAP = "scen.map"
SCEN_DRIVERS = "scen.drivers"  # toggle: compute the tornado chart
SCEN_TORNADO = "scen.tornado"
# Scenarios page: saved scenarios (src.widgets.scenario_store)
URL_COMPARE = "compare"  # names of the compared saved scenarios (repeated)
SCEN_COMPARE = "scen.compare"
SCEN_COMPARE_CHART = "scen.compare_chart"
SCEN_EXPORT = "scen.export"
SCEN_IMPORT = "scen.import"
SCEN_SAVE = "scen.save"
SCEN_LOAD = "scen.load"
SCEN_DELETE = "scen.delete"


def lever_key(i: int, part: str) -> str:
    """The key of one part of the editor's lever `i`.

    >>> lever_key(0, "kind")
    'scen.lever.0.kind'
    """
    return item_key(SCEN_LEVER, f"{i}.{part}")


# Coordination page
COORD_HEATMAP = "coord.heatmap"
COORD_LEVEL = "coord.level"
COORD_DOWNLOAD = "coord.download"
COORD_OVERLAP_KM = "coord.overlap_km"  # distance of the sub-national overlap
URL_COORD_LEVEL = "sectors"  # the 3W drill: "dac3" (absent: sector groups)
URL_COORD_KM = "km"  # the overlap distance (absent: the default)

# Follow the money (its page and the Country page): item_key(KEY, where)
MONEY_CATEGORY_CHART = "money.category_chart"
MONEY_LOCAL_CHART = "money.local_chart"
MONEY_FLOW_DOWNLOAD = "money.flow_download"
MONEY_FIX_DOWNLOAD = "money.fix_download"
CONT_HORIZON = "cont.horizon"
URL_CONT_HORIZON = "cliff"  # the cliff scenario's horizon in months
CONT_SCEN_END = "cont.scenario.end"
CONT_SCEN_EXTEND = "cont.scenario.extend"
CONT_RUNWAY = "cont.runway"
CONT_NEW = "cont.new_vs_continuing"
CONT_BRIEF = "cont.brief"  # the country brief CSV (coordination + continuity)
COUNTRY_COORD = "country.coord"  # the Country page's coordination summary
SCEN_TABS = "scen.tabs"  # the open tab of the Scenarios page (its label)
OVERVIEW_TABS = "overview.tabs"  # the open section below the overview map
URL_OVERVIEW_VIEW = "view"  # that section as a slug (absent: the first)
OVERVIEW_VIEWS = ("breakdowns", "money", "projects")  # the slugs, in tab order
COMPARE_LINKED = "scen.compare_linked"  # opened by a ?compare= link (first look)
PRINCIPAL = "auth.principal"  # (user key, Principal) of the signed-in user
SIGN_IN = "auth.sign_in"
SIGN_OUT = "auth.sign_out"
CONFIRM = "ui.confirm"  # (kind, id) of the item whose deletion awaits confirmation
CONFIRM_YES = "ui.confirm.yes"
CONFIRM_NO = "ui.confirm.no"
SHARE_ORG = "share.org"  # item_key(SHARE_ORG, f"{kind}.{id}"): one per item
SHARE_BUTTON = "share.button"  # item_key(SHARE_BUTTON, f"{kind}.{id}")
UNSHARE_BUTTON = "share.unshare"  # item_key(UNSHARE_BUTTON, f"{kind}.{id}")
PUBLIC_TOGGLE = "share.public"  # item_key(PUBLIC_TOGGLE, f"{kind}.{id}")
SHARE_ERROR = "share.error"  # a refused (un)publish's message, shown once
RESTORE_BUTTON = "restore"  # item_key(RESTORE_BUTTON, kind, i)
CONFIRM_ERROR = "ui.confirm.error"  # a refused deletion's message, shown once
# Select boxes whose option labels are in the UI language: the language switch
# sends their values again, since a select box keeps showing the label it was
# last sent with its value (here "Levier = Implementation capacity").
RELABELLED = (
    rf"{re.escape(SCEN_LEVER)}\.\d+\.kind",  # lever_key(i, "kind")
    re.escape(SCEN_POLICY),
    re.escape(COUNTRY_SELECT),
)
SCEN_FIND = "scen.find"  # the library's name search (past scenario_refs.LISTED)
SCEN_PICK = "scen.pick"  # the saved scenario picked in the library (its id)
SCEN_RENAME_TO = "scen.rename_to"
SCEN_RENAME = "scen.rename"
SCEN_RENAME_ERROR = "scen.rename.error"  # a refused rename's message, shown once

# Members page (admins): members' roles and the claims that place users
ADMIN_MEMBER = "admin.member"
ADMIN_ROLE = "admin.role"
ADMIN_SET_ROLE = "admin.set_role"
ADMIN_REMOVE_MEMBER = "admin.remove_member"
ADMIN_REMOVED_PICK = "admin.removed_pick"  # a removed member to re-admit
ADMIN_READMIT = "admin.readmit"
ADMIN_CLAIM_KIND = "admin.claim_kind"
ADMIN_CLAIM_VALUE = "admin.claim_value"
ADMIN_CLAIM_ROLE = "admin.claim_role"
ADMIN_CLAIM_ADD = "admin.claim_add"
ADMIN_CLAIM_PICK = "admin.claim_pick"
ADMIN_CLAIM_REMOVE = "admin.claim_remove"
ADMIN_NOTICE = "admin.notice"  # (section, ok, text) of the last change, shown once
RELABELLED += tuple(
    re.escape(k)
    for k in (
        ADMIN_MEMBER,
        ADMIN_ROLE,
        ADMIN_REMOVED_PICK,
        ADMIN_CLAIM_KIND,
        ADMIN_CLAIM_ROLE,
        ADMIN_CLAIM_PICK,
    )
)
