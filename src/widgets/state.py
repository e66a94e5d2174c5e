"""Session-state keys, URL parameter names and defaults, declared in one place."""

from __future__ import annotations

LANG = "ui.lang"
DATASET = "ui.dataset"
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
FILTER_RESET = "filters.reset"
MAP_METRIC = "map.metric"
MAP_SELECTION = "map.selection"
COUNTRY_SELECT = "country.select"
DOWNLOAD_CSV = "table.download"

# URL query parameter for each multi-value filter (comma-separated in the URL).
URL_MULTI = {
    FILTER_SECTORS: "sector",
    FILTER_RISKS: "risk",
    FILTER_REGIONS: "region",
    FILTER_COUNTRIES: "country",
    FILTER_AGENCIES: "agency",
    FILTER_STATUSES: "status",
}
URL_YEARS = "years"
URL_BUDGET = "budget"
URL_LANG = "lang"
URL_METRIC = "metric"
URL_PRESENT = "present"
URL_DATASET = "dataset"
