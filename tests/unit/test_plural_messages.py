"""Messages counting one thing are plural entries now.

They once faked their plural with "(s)" or wrote the noun after their single
number in the plural only ("{months} months", "{trials} trials").

Each expected text is written out here, independently of the catalogs: a count
of 1 reads singular, 2 plural; French also reads 0 singular.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from src.engine.scenario import Lever, Scenario
from src.i18n import LANGUAGES, PLURAL_SETTINGS, catalog, translate
from src.portfolio.imports import import_files
from src.portfolio.imports.report import named_bytes
from src.problems import Problem, problem_text, reason_text
from src.widgets.country_brief import brief_table
from src.widgets.model_quality import class_counts_table
from src.widgets.results import _ascending_captions
from src.widgets.scenario_results import lever_phrase, summary_sentence
from tests.unit.test_plural_sentences import CASES as SENTENCES
from tests.unit.test_plural_sentences import summary_of

KENYA = {"country": "Kenya"}
ROW = {"row": 3, "column": "title"}
HEALTH = {"target": "Health"}
NAME = {"name": "Plan B"}
PUBLISHER = {"publisher": "ADB"}

CASES = [
    # (key, count keyword, other keywords, lang, count, expected)
    ("build.outside_bbox", "count", KENYA, "en", 1,
     "1 point outside Kenya's bounding box"),
    ("build.outside_bbox", "count", KENYA, "en", 2,
     "2 points outside Kenya's bounding box"),
    ("build.outside_bbox", "count", KENYA, "fr", 0,
     "0 point hors du rectangle englobant de Kenya"),
    ("build.outside_bbox", "count", KENYA, "fr", 1,
     "1 point hors du rectangle englobant de Kenya"),
    ("build.outside_bbox", "count", KENYA, "fr", 2,
     "2 points hors du rectangle englobant de Kenya"),
    ("build.outside_bbox", "count", KENYA, "es", 1,
     "1 punto fuera del rectángulo envolvente de Kenya"),
    ("build.outside_bbox", "count", KENYA, "es", 2,
     "2 puntos fuera del rectángulo envolvente de Kenya"),
    ("build.outside_bbox_region", "count", {}, "en", 1,
     "1 point outside the region's bounding box"),
    ("build.outside_bbox_region", "count", {}, "en", 2,
     "2 points outside the region's bounding box"),
    ("build.outside_bbox_region", "count", {}, "fr", 0,
     "0 point hors du rectangle englobant de la région"),
    ("build.outside_bbox_region", "count", {}, "fr", 1,
     "1 point hors du rectangle englobant de la région"),
    ("build.outside_bbox_region", "count", {}, "fr", 2,
     "2 points hors du rectangle englobant de la région"),
    ("build.outside_bbox_region", "count", {}, "es", 1,
     "1 punto fuera del rectángulo envolvente de la región"),
    ("build.outside_bbox_region", "count", {}, "es", 2,
     "2 puntos fuera del rectángulo envolvente de la región"),
    ("import.control_chars", "count", ROW, "en", 1,
     "row 3: title held 1 control character such as NUL; removed"),
    ("import.control_chars", "count", ROW, "en", 2,
     "row 3: title held 2 control characters such as NUL; removed"),
    ("import.control_chars", "count", ROW, "fr", 0,
     "ligne 3 : title contenait 0 caractère de contrôle (NUL par ex.) ; supprimé"),
    ("import.control_chars", "count", ROW, "fr", 1,
     "ligne 3 : title contenait 1 caractère de contrôle (NUL par ex.) ; supprimé"),
    ("import.control_chars", "count", ROW, "fr", 2,
     "ligne 3 : title contenait 2 caractères de contrôle (NUL par ex.) ; supprimés"),
    ("import.control_chars", "count", ROW, "es", 1,
     "fila 3: title tenía 1 carácter de control como NUL; eliminado"),
    ("import.control_chars", "count", ROW, "es", 2,
     "fila 3: title tenía 2 caracteres de control como NUL; eliminados"),
    ("import.file.missing_columns", "n", {"columns": "a"}, "en", 1,
     "missing 1 required column: a; use the template"),
    ("import.file.missing_columns", "n", {"columns": "a, b"}, "en", 2,
     "missing 2 required columns: a, b; use the template"),
    ("import.file.missing_columns", "n", {"columns": ""}, "fr", 0,
     "0 colonne obligatoire manquante :  ; utilisez le modèle"),
    ("import.file.missing_columns", "n", {"columns": "a"}, "fr", 1,
     "1 colonne obligatoire manquante : a ; utilisez le modèle"),
    ("import.file.missing_columns", "n", {"columns": "a, b"}, "fr", 2,
     "2 colonnes obligatoires manquantes : a, b ; utilisez le modèle"),
    ("import.file.missing_columns", "n", {"columns": "a"}, "es", 1,
     "falta 1 columna obligatoria: a; use la plantilla"),
    ("import.file.missing_columns", "n", {"columns": "a, b"}, "es", 2,
     "faltan 2 columnas obligatorias: a, b; use la plantilla"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x"}, "en", 1,
     "row 1: 1 column not in the template (x); ignored"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x, y"}, "en", 2,
     "row 1: 2 columns not in the template (x, y); ignored"),
    ("import.unknown_columns", "n", {"row": 1, "columns": ""}, "fr", 0,
     "ligne 1 : 0 colonne absente du modèle () ; ignorée"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x"}, "fr", 1,
     "ligne 1 : 1 colonne absente du modèle (x) ; ignorée"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x, y"}, "fr", 2,
     "ligne 1 : 2 colonnes absentes du modèle (x, y) ; ignorées"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x"}, "es", 1,
     "fila 1: 1 columna no figura en la plantilla (x); se ignora"),
    ("import.unknown_columns", "n", {"row": 1, "columns": "x, y"}, "es", 2,
     "fila 1: 2 columnas no figuran en la plantilla (x, y); se ignoran"),
    ("cont.months", "months", {}, "en", 1,
     "1 month"),
    ("cont.months", "months", {}, "en", 2,
     "2 months"),
    ("cont.months", "months", {}, "fr", 0,
     "0 mois"),
    ("cont.months", "months", {}, "fr", 1,
     "1 mois"),
    ("cont.months", "months", {}, "fr", 2,
     "2 mois"),
    ("cont.months", "months", {}, "es", 1,
     "1 mes"),
    ("cont.months", "months", {}, "es", 2,
     "2 meses"),
    ("cont.cliff", "months", {}, "en", 1,
     "Funding cliff, 1 month"),
    ("cont.cliff", "months", {}, "en", 2,
     "Funding cliff, 2 months"),
    ("cont.cliff", "months", {}, "fr", 0,
     "Falaise de financement, 0 mois"),
    ("cont.cliff", "months", {}, "fr", 1,
     "Falaise de financement, 1 mois"),
    ("cont.cliff", "months", {}, "fr", 2,
     "Falaise de financement, 2 mois"),
    ("cont.cliff", "months", {}, "es", 1,
     "Precipicio de financiación, 1 mes"),
    ("cont.cliff", "months", {}, "es", 2,
     "Precipicio de financiación, 2 meses"),
    ("cont.cliff_empty", "months", {}, "en", 1,
     "No running project of this selection ends within 1 month without a later "
     "budget."),
    ("cont.cliff_empty", "months", {}, "en", 2,
     "No running project of this selection ends within 2 months without a later "
     "budget."),
    ("cont.cliff_empty", "months", {}, "fr", 0,
     "Aucun projet en cours de cette sélection ne se termine sous 0 mois sans budget "
     "ultérieur."),
    ("cont.cliff_empty", "months", {}, "fr", 1,
     "Aucun projet en cours de cette sélection ne se termine sous 1 mois sans budget "
     "ultérieur."),
    ("cont.cliff_empty", "months", {}, "fr", 2,
     "Aucun projet en cours de cette sélection ne se termine dans les 2 mois sans "
     "budget ultérieur."),
    ("cont.cliff_empty", "months", {}, "es", 1,
     "Ningún proyecto en curso de esta selección termina en 1 mes sin presupuesto "
     "posterior."),
    ("cont.cliff_empty", "months", {}, "es", 2,
     "Ningún proyecto en curso de esta selección termina en 2 meses sin presupuesto "
     "posterior."),
    ("cbrief.cliff_projects", "months", {}, "en", 1,
     "Projects ending within 1 month without successor"),
    ("cbrief.cliff_projects", "months", {}, "en", 2,
     "Projects ending within 2 months without successor"),
    ("cbrief.cliff_projects", "months", {}, "fr", 0,
     "Projets se terminant sous 0 mois sans suite"),
    ("cbrief.cliff_projects", "months", {}, "fr", 1,
     "Projets se terminant sous 1 mois sans suite"),
    ("cbrief.cliff_projects", "months", {}, "fr", 2,
     "Projets se terminant dans les 2 mois sans suite"),
    ("cbrief.cliff_projects", "months", {}, "es", 1,
     "Proyectos que terminan en 1 mes sin sucesor"),
    ("cbrief.cliff_projects", "months", {}, "es", 2,
     "Proyectos que terminan en 2 meses sin sucesor"),
    ("cbrief.cliff_usd", "months", {}, "en", 1,
     "Budget ending within 1 month without successor (USD)"),
    ("cbrief.cliff_usd", "months", {}, "en", 2,
     "Budget ending within 2 months without successor (USD)"),
    ("cbrief.cliff_usd", "months", {}, "fr", 0,
     "Budget se terminant sous 0 mois sans suite (USD)"),
    ("cbrief.cliff_usd", "months", {}, "fr", 1,
     "Budget se terminant sous 1 mois sans suite (USD)"),
    ("cbrief.cliff_usd", "months", {}, "fr", 2,
     "Budget se terminant dans les 2 mois sans suite (USD)"),
    ("cbrief.cliff_usd", "months", {}, "es", 1,
     "Presupuesto que termina en 1 mes sin sucesor (USD)"),
    ("cbrief.cliff_usd", "months", {}, "es", 2,
     "Presupuesto que termina en 2 meses sin sucesor (USD)"),
    ("cont.scen_name_end", "months", {}, "en", 1,
     "Cliff 1 month: no successor"),
    ("cont.scen_name_end", "months", {}, "en", 2,
     "Cliff 2 months: no successor"),
    ("cont.scen_name_end", "months", {}, "fr", 0,
     "Falaise 0 mois : sans suite"),
    ("cont.scen_name_end", "months", {}, "fr", 1,
     "Falaise 1 mois : sans suite"),
    ("cont.scen_name_end", "months", {}, "fr", 2,
     "Falaise 2 mois : sans suite"),
    ("cont.scen_name_end", "months", {}, "es", 1,
     "Precipicio 1 mes: sin sucesor"),
    ("cont.scen_name_end", "months", {}, "es", 2,
     "Precipicio 2 meses: sin sucesor"),
    ("cont.scen_name_extend", "months", {}, "en", 1,
     "Cliff 1 month: funded extension"),
    ("cont.scen_name_extend", "months", {}, "en", 2,
     "Cliff 2 months: funded extension"),
    ("cont.scen_name_extend", "months", {}, "fr", 0,
     "Falaise 0 mois : prolongation financée"),
    ("cont.scen_name_extend", "months", {}, "fr", 1,
     "Falaise 1 mois : prolongation financée"),
    ("cont.scen_name_extend", "months", {}, "fr", 2,
     "Falaise 2 mois : prolongation financée"),
    ("cont.scen_name_extend", "months", {}, "es", 1,
     "Precipicio 1 mes: prórroga financiada"),
    ("cont.scen_name_extend", "months", {}, "es", 2,
     "Precipicio 2 meses: prórroga financiada"),
    ("scen.running", "trials", {}, "en", 1,
     "Simulating 1 trial…"),
    ("scen.running", "trials", {}, "en", 2,
     "Simulating 2 trials…"),
    ("scen.running", "trials", {}, "fr", 0,
     "Simulation de 0 tirage…"),
    ("scen.running", "trials", {}, "fr", 1,
     "Simulation de 1 tirage…"),
    ("scen.running", "trials", {}, "fr", 2,
     "Simulation de 2 tirages…"),
    ("scen.running", "trials", {}, "es", 1,
     "Simulando 1 iteración…"),
    ("scen.running", "trials", {}, "es", 2,
     "Simulando 2 iteraciones…"),
    ("scen.summary_no_delay", "targeted", {}, "en", 1,
     "does not delay its 1 targeted project"),
    ("scen.summary_no_delay", "targeted", {}, "en", 2,
     "delays none of the 2 targeted projects"),
    ("scen.summary_no_delay", "targeted", {}, "fr", 0,
     "ne retarde aucun projet visé (0)"),
    ("scen.summary_no_delay", "targeted", {}, "fr", 1,
     "ne retarde aucun projet visé (1)"),
    ("scen.summary_no_delay", "targeted", {}, "fr", 2,
     "ne retarde aucun des 2 projets visés"),
    ("scen.summary_no_delay", "targeted", {}, "es", 1,
     "no retrasa ningún proyecto afectado (1)"),
    ("scen.summary_no_delay", "targeted", {}, "es", 2,
     "no retrasa ninguno de los 2 proyectos afectados"),
    ("scen.lever_phrase.end", "change", HEALTH, "en", 1,
     "the projects end 1 month after their planned end, without successor, in Health"),
    ("scen.lever_phrase.end", "change", HEALTH, "en", 2,
     "the projects end 2 months after their planned end, without successor, in Health"),
    ("scen.lever_phrase.end", "change", HEALTH, "fr", 0,
     "les projets se terminent 0 mois après leur fin prévue, sans suite, dans Health"),
    ("scen.lever_phrase.end", "change", HEALTH, "fr", 1,
     "les projets se terminent 1 mois après leur fin prévue, sans suite, dans Health"),
    ("scen.lever_phrase.end", "change", HEALTH, "fr", 2,
     "les projets se terminent 2 mois après leur fin prévue, sans suite, dans Health"),
    ("scen.lever_phrase.end", "change", HEALTH, "es", 1,
     "los proyectos terminan 1 mes después de su fin previsto, sin sucesor, en Health"),
    ("scen.lever_phrase.end", "change", HEALTH, "es", 2,
     "los proyectos terminan 2 meses después de su fin previsto, sin sucesor, en "
     "Health"),
    ("scen.lever_phrase.extend", "change", HEALTH, "en", 1,
     "a funded extension of 1 month in Health"),
    ("scen.lever_phrase.extend", "change", HEALTH, "en", 2,
     "a funded extension of 2 months in Health"),
    ("scen.lever_phrase.extend", "change", HEALTH, "fr", 0,
     "une prolongation financée de 0 mois dans Health"),
    ("scen.lever_phrase.extend", "change", HEALTH, "fr", 1,
     "une prolongation financée de 1 mois dans Health"),
    ("scen.lever_phrase.extend", "change", HEALTH, "fr", 2,
     "une prolongation financée de 2 mois dans Health"),
    ("scen.lever_phrase.extend", "change", HEALTH, "es", 1,
     "una prórroga financiada de 1 mes en Health"),
    ("scen.lever_phrase.extend", "change", HEALTH, "es", 2,
     "una prórroga financiada de 2 meses en Health"),
    ("model.applies.short", "lo", {}, "en", 1,
     "planned up to 1 month"),
    ("model.applies.short", "lo", {}, "en", 2,
     "planned up to 2 months"),
    ("model.applies.short", "lo", {}, "fr", 0,
     "jusqu'à 0 mois prévu"),
    ("model.applies.short", "lo", {}, "fr", 1,
     "jusqu'à 1 mois prévu"),
    ("model.applies.short", "lo", {}, "fr", 2,
     "jusqu'à 2 mois prévus"),
    ("model.applies.short", "lo", {}, "es", 1,
     "hasta 1 mes previsto"),
    ("model.applies.short", "lo", {}, "es", 2,
     "hasta 2 meses previstos"),
    ("model.applies.long", "hi", {}, "en", 1,
     "planned 1 month or more"),
    ("model.applies.long", "hi", {}, "en", 2,
     "planned 2 months or more"),
    ("model.applies.long", "hi", {}, "fr", 0,
     "0 mois prévu ou plus"),
    ("model.applies.long", "hi", {}, "fr", 1,
     "1 mois prévu ou plus"),
    ("model.applies.long", "hi", {}, "fr", 2,
     "2 mois prévus ou plus"),
    ("model.applies.long", "hi", {}, "es", 1,
     "1 mes previsto o más"),
    ("model.applies.long", "hi", {}, "es", 2,
     "2 meses previstos o más"),
    ("confirm.delete", "days", NAME, "en", 1,
     "Delete “Plan B”? An admin of your organisation can restore it for 1 day."),
    ("confirm.delete", "days", NAME, "en", 2,
     "Delete “Plan B”? An admin of your organisation can restore it for 2 days."),
    ("confirm.delete", "days", NAME, "fr", 0,
     "Supprimer « Plan B » ? Un administrateur de votre organisation peut le "
     "restaurer pendant 0 jour."),
    ("confirm.delete", "days", NAME, "fr", 1,
     "Supprimer « Plan B » ? Un administrateur de votre organisation peut le "
     "restaurer pendant 1 jour."),
    ("confirm.delete", "days", NAME, "fr", 2,
     "Supprimer « Plan B » ? Un administrateur de votre organisation peut le "
     "restaurer pendant 2 jours."),
    ("confirm.delete", "days", NAME, "es", 1,
     "¿Eliminar «Plan B»? Un administrador de su organización puede restaurarlo "
     "durante 1 día."),
    ("confirm.delete", "days", NAME, "es", 2,
     "¿Eliminar «Plan B»? Un administrador de su organización puede restaurarlo "
     "durante 2 días."),
    ("store.dataset.name_too_long", "limit", {}, "en", 1,
     "a dataset name has at most 1 character"),
    ("store.dataset.name_too_long", "limit", {}, "en", 2,
     "a dataset name has at most 2 characters"),
    ("store.dataset.name_too_long", "limit", {}, "fr", 0,
     "un nom de jeu de données a au plus 0 caractère"),
    ("store.dataset.name_too_long", "limit", {}, "fr", 1,
     "un nom de jeu de données a au plus 1 caractère"),
    ("store.dataset.name_too_long", "limit", {}, "fr", 2,
     "un nom de jeu de données a au plus 2 caractères"),
    ("store.dataset.name_too_long", "limit", {}, "es", 1,
     "un nombre de conjunto de datos tiene como máximo 1 carácter"),
    ("store.dataset.name_too_long", "limit", {}, "es", 2,
     "un nombre de conjunto de datos tiene como máximo 2 caracteres"),
    ("store.scenario.name_too_long", "limit", {}, "en", 1,
     "a scenario name has at most 1 character"),
    ("store.scenario.name_too_long", "limit", {}, "en", 2,
     "a scenario name has at most 2 characters"),
    ("store.scenario.name_too_long", "limit", {}, "fr", 0,
     "un nom de scénario a au plus 0 caractère"),
    ("store.scenario.name_too_long", "limit", {}, "fr", 1,
     "un nom de scénario a au plus 1 caractère"),
    ("store.scenario.name_too_long", "limit", {}, "fr", 2,
     "un nom de scénario a au plus 2 caractères"),
    ("store.scenario.name_too_long", "limit", {}, "es", 1,
     "un nombre de escenario tiene como máximo 1 carácter"),
    ("store.scenario.name_too_long", "limit", {}, "es", 2,
     "un nombre de escenario tiene como máximo 2 caracteres"),
    ("results.ascending_default_unchecked", "indicators", PUBLISHER, "en", 1,
     'ADB: ascending="0" (lower is better) on its 1 indicator; no numeric target to '
     "check it against. It looks like a default and is not used."),
    ("results.ascending_default_unchecked", "indicators", PUBLISHER, "en", 2,
     'ADB: ascending="0" (lower is better) on all 2 indicators; no numeric target to '
     "check it against. It looks like a default and is not used."),
    ("results.ascending_default_unchecked", "indicators", PUBLISHER, "fr", 0,
     'ADB : ascending="0" (plus bas = mieux) sur son 0 indicateur ; aucune cible '
     "chiffrée pour le vérifier. Cela ressemble à une valeur par défaut, non "
     "utilisée."),
    ("results.ascending_default_unchecked", "indicators", PUBLISHER, "fr", 1,
     'ADB : ascending="0" (plus bas = mieux) sur son 1 indicateur ; aucune cible '
     "chiffrée pour le vérifier. Cela ressemble à une valeur par défaut, non "
     "utilisée."),
    ("results.ascending_default_unchecked", "indicators", PUBLISHER, "fr", 2,
     'ADB : ascending="0" (plus bas = mieux) sur les 2 indicateurs ; aucune cible '
     "chiffrée pour le vérifier. Cela ressemble à une valeur par défaut, non "
     "utilisée."),
    ("results.ascending_default_unchecked", "indicators", PUBLISHER, "es", 1,
     'ADB: ascending="0" (menor es mejor) en su 1 indicador; ninguna meta numérica '
     "para verificarlo. Parece un valor por defecto y no se usa."),
    ("results.ascending_default_unchecked", "indicators", PUBLISHER, "es", 2,
     'ADB: ascending="0" (menor es mejor) en los 2 indicadores; ninguna meta '
     "numérica para verificarlo. Parece un valor por defecto y no se usa."),
]  # fmt: skip

ALL_CASES = [*CASES, *SENTENCES]
"""These and the messages counting two or more things (test_plural_sentences)."""
CONVERTED = sorted({case[0] for case in ALL_CASES})

FAKE_PLURAL = re.compile(r"\w\((?:s|x|es|e|n)\)")
"""A word with its plural in brackets: point(s), caractère(s), carácter(es)."""

LEFT_AS_IS: frozenset[str] = frozenset()
"""Keys deliberately keeping a bracketed plural (none)."""


@pytest.mark.parametrize(
    ("key", "name", "other", "lang", "count", "expected"), ALL_CASES
)
def test_a_converted_message_reads_singular_or_plural(
    key, name, other, lang, count, expected
):
    assert translate(key, lang, **other, **{name: count}) == expected


@pytest.mark.parametrize("key", CONVERTED)
def test_every_converted_message_is_tested_in_each_language(key):
    tested = {(lang, count) for k, _, _, lang, count, _ in ALL_CASES if k == key}
    wanted = {("en", 1), ("en", 2), ("fr", 0), ("fr", 1), ("fr", 2)}
    assert tested == wanted | {("es", 1), ("es", 2)}
    for lang in LANGUAGES:
        assert isinstance(catalog(lang)[key], dict), (lang, key)


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_no_catalog_text_fakes_a_plural_with_brackets(lang):
    faked = []
    for key, entry in catalog(lang).items():
        texts = (
            [entry]
            if isinstance(entry, str)
            else [text for name, text in entry.items() if name not in PLURAL_SETTINGS]
        )
        if key not in LEFT_AS_IS and any(FAKE_PLURAL.search(t) for t in texts):
            faked.append(key)
    assert not faked, f"{lang}.json: {faked}"


def _csv(header: str, row: str) -> bytes:
    return f"{header}\n{row}\n".encode()


BASE = (
    "project_id,title,country_iso3,sector_group,start_date,end_date,"
    "budget_usd,spent_usd"
)


def test_the_import_counts_missing_columns_as_a_raw_number():
    report = import_files([named_bytes("x.csv", b"project_id,title\nA,b\n")])
    (problem,) = report.errors
    assert problem.key == "import.file.missing_columns"
    assert isinstance(problem.params["n"], int)
    columns = problem.params["columns"]
    assert problem.params["n"] == len(columns.split(", ")) > 1
    assert f"required columns: {columns};" in problem.message


def test_the_import_counts_unknown_columns_as_a_raw_number():
    data = _csv(
        f"{BASE},extra_a,extra_b",
        "P-1,Clinics,SEN,Health,2021-01-15,2023-12-31,1000,0,1,2",
    )
    report = import_files([named_bytes("x.csv", data)])
    (problem,) = [p for p in report.problems if p.key == "import.unknown_columns"]
    assert problem.params == {"row": 1, "columns": "extra_a, extra_b", "n": 2}
    assert problem_text(problem, "fr") == (
        "ligne 1 : 2 colonnes absentes du modèle (extra_a, extra_b) ; ignorées"
    )


@pytest.mark.parametrize(
    ("key", "params", "expected"),
    [
        (
            "import.unknown_columns",
            {"row": 1, "columns": "zz"},
            "row 1: 1 column not in the template (zz); ignored",
        ),
        (
            "import.file.missing_columns",
            {"columns": "title, country_iso3"},
            "missing 2 required columns: title, country_iso3; use the template",
        ),
    ],
)
def test_a_problem_stored_without_its_count_still_reads(key, params, expected):
    stored = {"key": key, "params": params, "file": "", "severity": "warning"}
    problem = Problem.from_json(stored)
    assert problem.params["n"] == len(params["columns"].split(", "))
    assert reason_text(problem, "en") == expected


def test_the_country_brief_counts_its_cliff_months_as_a_number():
    brief = pd.DataFrame(
        {
            "section": ["cliff", "cliff"],
            "indicator": ["cliff_12_projects", "cliff_24_usd"],
            "sector": ["", ""],
            "actor": ["", ""],
            "value": [3.0, 1000.0],
        }
    )
    table = brief_table(brief, "es")
    assert list(table["Indicador"]) == [
        "Proyectos que terminan en 12 meses sin sucesor",
        "Presupuesto que termina en 24 meses sin sucesor (USD)",
    ]


def test_the_month_levers_pass_their_months_as_a_number():
    levers = (Lever("extend", 6.0, sectors=("Health",)), Lever("end", 3.0))
    assert lever_phrase(Scenario(levers=levers), "en") == (
        "a funded extension of 6 months in Health; the projects end 3 months after "
        "their planned end, without successor, in the whole selection"
    )


def test_no_delay_counts_the_targeted_projects_as_a_number():
    scenario = Scenario(levers=(Lever("extend", 6.0, projects=("P-1",)),))
    sentence = summary_sentence(scenario, summary_of(targeted=1))
    assert sentence.startswith(
        "A funded extension of 6 months in 1 project: "
        "does not delay its 1 targeted project and "
    )


def test_the_reference_classes_count_their_bounds_as_numbers():
    table = class_counts_table({"short": 3, "blend": 2, "long": 1}, "fr")
    assert list(table["S'applique à"]) == [
        "jusqu'à 24 mois prévus",
        "24 à 48 mois prévus",
        "48 mois prévus ou plus",
    ]


def test_an_unchecked_ascending_default_counts_its_indicators_as_a_number():
    findings = pd.DataFrame(
        {
            "all_zero": [True],
            "publisher": ["ADB"],
            "indicators": [1],
            "directed": [0],
            "conflicts": [0],
        }
    )
    assert _ascending_captions(findings, "en") == [
        'ADB: ascending="0" (lower is better) on its 1 indicator; no numeric target '
        "to check it against. It looks like a default and is not used."
    ]
