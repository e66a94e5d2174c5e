"""FilterSpec: each rule selects rows and names itself, in one table (Datasette)."""

from __future__ import annotations

import pytest

from src.portfolio import schema as S
from src.portfolio.filters import NO_DAC, NO_LIMIT, FilterSpec, dac_names, dac_options

NNBSP = "\u202f"

# spec, selected project ids, caption in English, French and Spanish.
CASES = [
    (
        FilterSpec(),
        ["P1", "P2", "P3", "P4"],
        "whole portfolio",
        "tout le portefeuille",
        "todo el portafolio",
    ),
    (
        FilterSpec(sectors=("Health",)),
        ["P1"],
        "Sector: Health",
        "Secteur: Santé",
        "Sector: Salud",
    ),
    (
        FilterSpec(countries=("KEN",)),
        ["P1", "P2"],
        "Country: Kenya",
        "Pays: Kenya",
        "País: Kenia",
    ),
    (
        FilterSpec(agencies=("Agency A",)),
        ["P1", "P3"],
        "Agency: Agency A",
        "Agence: Agency A",
        "Organismo: Agency A",
    ),
    (
        FilterSpec(statuses=("Closed",)),
        ["P3"],
        "Status: Closed",
        "Statut: Clôturé",
        "Estado: Cerrado",
    ),
    (
        FilterSpec(regions=("Sub-Saharan Africa",)),
        ["P1", "P2"],
        "Region: Sub-Saharan Africa",
        "Région: Afrique subsaharienne",
        "Región: África subsahariana",
    ),
    (
        FilterSpec(risks=("Low",)),
        ["P3"],
        "Risk level: Low",
        "Niveau de risque: Faible",
        "Nivel de riesgo: Bajo",
    ),
    (
        FilterSpec(years=(2021, 2021)),
        ["P1", "P2", "P4"],
        "Years active: 2021–2021",
        "Années d'activité: 2021–2021",
        "Años de actividad: 2021–2021",
    ),
    (
        FilterSpec(years=(2018, 2018)),
        ["P3"],
        "Years active: 2018–2018",
        "Années d'activité: 2018–2018",
        "Años de actividad: 2018–2018",
    ),
    (
        FilterSpec(budget=(600_000, 2_000_000)),
        ["P1", "P4"],
        "Budget per project and country: US$600.0K–US$2.0M",
        "Budget par projet et pays: 600,0 k$US–2,0 M$US",
        "Presupuesto por proyecto y país: 600,0 mil US$–2,0 M US$",
    ),
    (
        FilterSpec(budget=(1_000_000, NO_LIMIT)),
        ["P1", "P2", "P4"],
        "Budget per project and country: US$1.0M–no limit",
        "Budget par projet et pays: 1,0 M$US–sans limite",
        "Presupuesto por proyecto y país: 1,0 M US$–sin límite",
    ),
    (
        FilterSpec(sectors=("Health", "Education"), countries=("KEN", "NOR")),
        ["P1", "P2"],
        "Sector: Health, Education; Country: Kenya, Norway",
        "Secteur: Santé, Éducation; Pays: Kenya, Norvège",
        "Sector: Salud, Educación; País: Kenia, Noruega",
    ),
    (
        FilterSpec(sectors=("Health",), countries=("NOR",)),
        [],
        "Sector: Health; Country: Norway",
        "Secteur: Santé; Pays: Norvège",
        "Sector: Salud; País: Noruega",
    ),
]


@pytest.mark.parametrize(("spec", "ids", "en", "fr", "es"), CASES)
def test_filter_selects_rows_and_describes_itself(
    tiny_portfolio, spec, ids, en, fr, es
):
    assert spec.apply(tiny_portfolio)[S.COL_PROJECT_ID].tolist() == ids
    for lang, caption in (("en", en), ("fr", fr), ("es", es)):
        text = spec.describe(lang, tiny_portfolio).replace(NNBSP, " ")
        assert text.replace("\xa0", " ") == caption


def test_without_the_table_countries_are_named_by_iso3():
    spec = FilterSpec(countries=("KEN",), risks=("High",))
    assert spec.describe() == "Risk level: High; Country: KEN"


@pytest.fixture
def searchable():
    """Three projects whose text has accents, capitals and organisation names."""
    from tests.conftest import make_rows

    base = {
        S.COL_COUNTRY: "KEN",
        S.COL_SECTOR_GROUP: "Health",
        S.COL_START: "2020-01-01",
        S.COL_END: "2022-01-01",
        S.COL_BUDGET: 100.0,
        S.COL_SPENT: 10.0,
    }
    return make_rows(
        [
            base
            | {
                S.COL_PROJECT_ID: "XM-1",
                S.COL_TITLE: "Appui au système de SANTÉ",
                S.COL_DESCRIPTION: "Vaccination des enfants en Côte d'Ivoire",
                S.COL_AGENCY: "Agence A",
            },
            base
            | {
                S.COL_PROJECT_ID: "XM-2",
                S.COL_TITLE: "School meals",
                S.COL_DESCRIPTION: "",
                S.COL_AGENCY: "Agency B",
                S.COL_FUNDERS: "Fondation Éducation; World Bank",
            },
            base
            | {
                S.COL_PROJECT_ID: "41AAA-3",
                S.COL_TITLE: "Roads",
                S.COL_DESCRIPTION: "Rural roads and a health post",
                S.COL_AGENCY: "UNOPS",
                S.COL_IMPLEMENTERS: "Ministère des Travaux",
            },
        ]
    )


# query, selected ids: title, description, identifier and organisation names,
# accents and case ignored, every word required, words as parts of words.
SEARCHES = [
    ("sante", ["XM-1"]),
    ("SANTÉ", ["XM-1"]),
    ("cote divoire", []),  # the apostrophe is part of the text
    ("côte vaccin", ["XM-1"]),
    ("education", ["XM-2"]),  # a funder's name
    ("ministere", ["41AAA-3"]),  # an implementer's name
    ("41aaa", ["41AAA-3"]),  # the identifier
    ("unops", ["41AAA-3"]),  # the reporting organisation
    ("health", ["41AAA-3"]),  # the description only ("Health" sector is not text)
    ("roads health", ["41AAA-3"]),
    ("roads vaccination", []),
    ("   ", ["XM-1", "XM-2", "41AAA-3"]),
]


@pytest.mark.parametrize(("query", "ids"), SEARCHES)
def test_search_matches_text_without_accents_or_case(searchable, query, ids):
    got = FilterSpec(query=query).apply(searchable)[S.COL_PROJECT_ID].tolist()
    assert got == ids


def test_search_combines_with_the_other_filters(searchable):
    spec = FilterSpec(query="a", agencies=("Agency B", "UNOPS"))
    assert spec.apply(searchable)[S.COL_PROJECT_ID].tolist() == ["XM-2", "41AAA-3"]


@pytest.mark.parametrize(
    ("lang", "caption"),
    [
        ("en", "Search: “côte vaccin”; Agency: UNOPS"),
        ("fr", "Recherche: « côte vaccin »; Agence: UNOPS"),
        ("es", "Búsqueda: «côte vaccin»; Organismo: UNOPS"),
    ],
)
def test_search_names_itself_in_the_caption(lang, caption):
    spec = FilterSpec(query="  côte   vaccin ", agencies=("UNOPS",))
    assert spec.describe(lang) == caption


def test_search_round_trips_through_to_dict():
    spec = FilterSpec(query="école", risks=("High",))
    assert FilterSpec.from_dict(spec.to_dict()) == spec
    with pytest.raises(ValueError, match="query"):
        FilterSpec.from_dict({"query": ["x"]})


@pytest.fixture
def tagged():
    """Three projects with funders, implementers, SDG tags, DAC codes, flags."""
    from tests.conftest import make_rows

    base = {
        S.COL_COUNTRY: "KEN",
        S.COL_SECTOR_GROUP: "Health",
        S.COL_START: "2020-01-01",
        S.COL_END: "2022-01-01",
        S.COL_BUDGET: 100.0,
        S.COL_SPENT: 10.0,
    }
    return make_rows(
        [
            base
            | {
                S.COL_PROJECT_ID: "A",
                S.COL_TITLE: "a",
                S.COL_FUNDERS: "Germany; Japan",
                S.COL_SDG_TAGS: "3.d;17",
                S.COL_SECTOR_CODE: "12220",
                S.COL_HUMANITARIAN: True,
            },
            base
            | {
                S.COL_PROJECT_ID: "B",
                S.COL_TITLE: "b",
                S.COL_FUNDERS: "Japan",
                S.COL_IMPLEMENTERS: "NGO One",
                S.COL_SDG_TAGS: "13",
                S.COL_SECTOR_CODE: "",
            },
            base
            | {
                S.COL_PROJECT_ID: "C",
                S.COL_TITLE: "c",
                S.COL_IMPLEMENTERS: "NGO One; NGO Two",
                S.COL_SDG_TAGS: "1.3",
                S.COL_SECTOR_CODE: "12220",
            },
        ]
    )


# spec, selected ids, English caption
TAG_CASES = [
    (FilterSpec(funders=("Japan",)), ["A", "B"], "Funder: Japan"),
    (FilterSpec(funders=("Germany",)), ["A"], "Funder: Germany"),
    (
        FilterSpec(implementers=("NGO Two",)),
        ["C"],
        "Implementing organisation: NGO Two",
    ),
    (FilterSpec(sdgs=("3",)), ["A"], "SDG goal: 3"),
    (FilterSpec(sdgs=("1", "13")), ["B", "C"], "SDG goal: 1, 13"),
    (FilterSpec(sdgs=("17",)), ["A"], "SDG goal: 17"),
    (
        FilterSpec(dac_sectors=("12220",)),
        ["A", "C"],
        "Main DAC sector (5-digit): 12220",
    ),
    (
        FilterSpec(dac_sectors=("none",)),
        ["B"],
        "Main DAC sector (5-digit): No DAC sector reported",
    ),
    (FilterSpec(humanitarian=True), ["A"], "Humanitarian: yes"),
    (FilterSpec(humanitarian=False), ["B", "C"], "Humanitarian: no"),
]


@pytest.mark.parametrize(("spec", "ids", "caption"), TAG_CASES)
def test_new_filters_select_rows_and_describe_themselves(tagged, spec, ids, caption):
    assert spec.apply(tagged)[S.COL_PROJECT_ID].tolist() == ids
    assert spec.describe("en") == caption
    assert FilterSpec.from_dict(spec.to_dict()) == spec


def test_dac_options_group_the_codes_by_sector_group_then_code():
    from tests.conftest import make_rows

    def row(pid, group, code, name):
        return {
            S.COL_PROJECT_ID: pid,
            S.COL_TITLE: pid,
            S.COL_COUNTRY: "KEN",
            S.COL_SECTOR_GROUP: group,
            S.COL_SECTOR_CODE: code,
            S.COL_SECTOR_NAME: name,
            S.COL_START: "2020-01-01",
            S.COL_END: "2022-01-01",
            S.COL_BUDGET: 100.0,
            S.COL_SPENT: 10.0,
        }

    df = make_rows(
        [
            row("A", "Education", "11220", "Primary education"),
            row("B", "Health", "12240", "Basic nutrition"),
            row("C", "Health", "12220", "Basic health care"),
            row("D", "Education", "11220", "Primary education"),
            row("E", "Not reported", "", ""),
            row("F", "Other", "99810", "Sectors not specified"),
        ]
    )
    # Health comes before Education, then Other, in the sidebar's group order;
    # within a group by code; the row without a code last, as NO_DAC.
    options = dac_options(df)
    assert list(options.items()) == [
        ("12220", "Health"),
        ("12240", "Health"),
        ("11220", "Education"),
        ("99810", "Other"),
        (NO_DAC, ""),
    ]
    assert dac_names(df)["12240"] == "Basic nutrition"
    # every code a row has is offered, and each choice keeps a row
    for code in options:
        assert not FilterSpec(dac_sectors=(code,)).apply(df).empty


def test_dac_options_without_uncoded_rows_offer_no_none(tagged):
    coded = tagged.loc[tagged[S.COL_SECTOR_CODE] != ""]
    assert list(dac_options(coded)) == ["12220"]
