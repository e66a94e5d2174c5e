"""Messages with two or more numbers read singular or plural with their counts.

They once wrote every noun in the plural whatever the numbers ("on the 1 of 1
projects that report spending", "delays 1 of 3 targeted projects by a median
1 months"). Each is a plural entry counted by the number its noun follows; a
second counted noun comes from its own plural entry, composed by the caller
(``months=translate("unit.months", lang, value=1.5)``).

Each expected text is written out here, independently of the catalogs: a count
of 1 reads singular, 2 plural; French also reads 0 singular. The words given
for the other placeholders are fixed per language. `CASES` is checked, with the
one-number messages', by tests/unit/test_plural_messages.py; the tests here are
of the call sites.
"""

from __future__ import annotations

import pandas as pd

from src.engine.narrative import ChangeSummary
from src.engine.scenario import Lever, Scenario
from src.portfolio.money import Share
from src.portfolio.results import Coverage
from src.portfolio.summary import Kpis
from src.widgets.kpis import kpi_notes
from src.widgets.money import coverage_text
from src.widgets.results import _ascending_captions, _coverage_caption
from src.widgets.scenario_results import lever_phrase, summary_sentence

LANGS = ("en", "fr", "es")


def _cases(key, name, texts, other=None, **by_lang):
    """(key, count keyword, other keywords, lang, count, expected) rows.

    `texts` maps each language to {count: expected}; `other` holds the
    keywords shared by every language, `by_lang` those written per language.
    """
    return [
        (key, name, {**(other or {}), **by_lang.get(lang, {})}, lang, count, text)
        for lang in LANGS
        for count, text in texts[lang].items()
    ]


def _words(name: str, en: str, fr: str, es: str) -> dict[str, dict[str, str]]:
    """One keyword's words per language (a composed plural, as its caller makes it)."""
    return {"en": {name: en}, "fr": {name: fr}, "es": {name: es}}


MONTHS = {
    "en": {"months": "1.5 months", "saved": "2.0 months"},
    "fr": {"months": "1,5 mois", "saved": "2,0 mois"},
    "es": {"months": "1,5 meses", "saved": "2,0 meses"},
}
INDICATORS = {
    "en": {"indicators": "3 indicators", "repaired": "1 value repaired from text"},
    "fr": {"indicators": "3 indicateurs",
           "repaired": "1 valeur réparée depuis du texte"},
    "es": {"indicators": "3 indicadores",
           "repaired": "1 valor reparado a partir de texto"},
}  # fmt: skip
TARGETS = _words(
    "targets",
    "1 of 2 numeric targets point the other way",
    "le sens est inverse pour 1 des 2 cibles chiffrées",
    "el sentido es el contrario en 1 de las 2 metas numéricas",
)
CLIFF = _words("months", "12 months", "12 mois", "12 meses")
EACH_COUNTRY = _words(
    "countries",
    "not all aid in each of 3 countries",
    "pas toute l'aide de chacun des 3 pays",
    "no toda la ayuda de cada uno de los 3 países",
)
ONE_COUNTRY = _words(
    "countries",
    "not all aid in 1 country",
    "pas toute l'aide de 1 pays",
    "no toda la ayuda de 1 país",
)
BUDGETS = _words(
    "budgets",
    "1 of 2 projects publish budget periods or planned disbursements",
    "des périodes budgétaires ou des décaissements prévus sont publiés pour 1 des "
    "2 projets",
    "se publican periodos presupuestarios o desembolsos previstos para 1 de los 2 "
    "proyectos",
)
TWO_COUNTRIES = _words("countries", "2 countries", "2 pays", "2 países")
CROWDED = _words(
    "crowded",
    "1 has three or more actors (crowded)",
    "1 a trois acteurs ou plus (encombré)",
    "1 tiene tres o más actores (saturado)",
)
SITES = _words("sites", "3 sites", "3 sites", "3 sitios")
DERIVED = {"sector_inferred": "1", "sector_missing": "2", "country_location": "1",
           "end_derived": "3"}  # fmt: skip
WHERE = {"line": 3, "column": 7}

CASES = [
    *_cases("unit.months", "value", {
        "en": {1: "1.0 months", 2: "2.0 months"},
        "fr": {0: "0,0 mois", 1: "1,0 mois", 2: "2,0 mois"},
        "es": {1: "1,0 mes", 2: "2,0 meses"},
    }),
    *_cases("scen.n_trials", "n", {
        "en": {1: "1 trial", 2: "2 trials"},
        "fr": {0: "0 tirage", 1: "1 tirage", 2: "2 tirages"},
        "es": {1: "1 iteración", 2: "2 iteraciones"},
    }),
    *_cases("scen.lever_phrase.risk", "change", {
        "en": {1: "risk +1.0 INFORM points in Health",
               2: "risk +2.0 INFORM points in Health"},
        "fr": {0: "risque +0,0 point INFORM dans Health",
               1: "risque +1,0 point INFORM dans Health",
               2: "risque +2,0 points INFORM dans Health"},
        "es": {1: "riesgo +1,0 punto INFORM en Health",
               2: "riesgo +2,0 puntos INFORM en Health"},
    }, {"target": "Health"}),
    *_cases("scen.summary_delays", "targeted", {
        "en": {1: "delays 1 of 1 targeted project by a median 1.5 months",
               2: "delays 1 of 2 targeted projects by a median 1.5 months"},
        "fr": {0: "retarde 1 projet visé sur 0 d'une médiane de 1,5 mois",
               1: "retarde 1 projet visé sur 1 d'une médiane de 1,5 mois",
               2: "retarde 1 des 2 projets visés d'une médiane de 1,5 mois"},
        "es": {1: "retrasa 1 de 1 proyecto afectado una mediana de 1,5 meses",
               2: "retrasa 1 de los 2 proyectos afectados una mediana de 1,5 meses"},
    }, {"delayed": "1"}, **MONTHS),
    *_cases("scen.summary_faster", "targeted", {
        "en": {1: "brings forward 1 of 1 targeted project by a median 2.0 months",
               2: "brings forward 1 of 2 targeted projects by a median 2.0 months"},
        "fr": {0: "avance 1 projet visé sur 0 de 2,0 mois en médiane",
               1: "avance 1 projet visé sur 1 de 2,0 mois en médiane",
               2: "avance 1 des 2 projets visés de 2,0 mois en médiane"},
        "es": {1: "adelanta 1 de 1 proyecto afectado una mediana de 2,0 meses",
               2: "adelanta 1 de los 2 proyectos afectados una mediana de 2,0 meses"},
    }, {"advanced": "1"}, **MONTHS),
    *_cases("scen.summary_mixed", "targeted", {
        "en": {1: "delays 1 and brings forward 1 of 1 targeted project (median "
                  "1.5 months later, 2.0 months sooner)",
               2: "delays 1 and brings forward 1 of 2 targeted projects (median "
                  "1.5 months later, 2.0 months sooner)"},
        "fr": {0: "retarde 1 et avance 1 projet visé sur 0 (médiane 1,5 mois plus "
                  "tard, 2,0 mois plus tôt)",
               1: "retarde 1 et avance 1 projet visé sur 1 (médiane 1,5 mois plus "
                  "tard, 2,0 mois plus tôt)",
               2: "retarde 1 et avance 1 des 2 projets visés (médiane 1,5 mois plus "
                  "tard, 2,0 mois plus tôt)"},
        "es": {1: "retrasa 1 y adelanta 1 de 1 proyecto afectado (mediana 1,5 meses "
                  "más tarde, 2,0 meses antes)",
               2: "retrasa 1 y adelanta 1 de los 2 proyectos afectados (mediana 1,5 "
                  "meses más tarde, 2,0 meses antes)"},
    }, {"delayed": "1", "advanced": "1"}, **MONTHS),
    *_cases("table.truncated", "total", {
        "en": {1: "Showing the 5 largest of 1 row by budget; the CSV download "
                  "contains the 1 row with the same columns.",
               2: "Showing the 5 largest of 2 rows by budget; the CSV download "
                  "contains all 2 rows with the same columns."},
        "fr": {0: "Affichage des 5 plus grandes lignes sur 0 par budget ; le CSV "
                  "téléchargé contient 0 ligne avec les mêmes colonnes.",
               1: "Affichage des 5 plus grandes lignes sur 1 par budget ; le CSV "
                  "téléchargé contient 1 ligne avec les mêmes colonnes.",
               2: "Affichage des 5 plus grandes lignes sur 2 par budget ; le CSV "
                  "téléchargé contient les 2 lignes avec les mêmes colonnes."},
        "es": {1: "Se muestran las 5 filas de mayor presupuesto de un total de 1; la "
                  "descarga CSV contiene 1 fila con las mismas columnas.",
               2: "Se muestran las 5 filas de mayor presupuesto de un total de 2; la "
                  "descarga CSV contiene las 2 filas con las mismas columnas."},
    }, {"shown": "5"}),
    *_cases("own.label", "closed", {
        "en": {1: "your 1 closed project (of 3 with a known or overdue end)",
               2: "your 2 closed projects (of 3 with a known or overdue end)"},
        "fr": {0: "votre 0 projet clôturé (sur 3 à fin connue ou dépassée)",
               1: "votre 1 projet clôturé (sur 3 à fin connue ou dépassée)",
               2: "vos 2 projets clôturés (sur 3 à fin connue ou dépassée)"},
        "es": {1: "su 1 proyecto cerrado (de 3 con fin conocida o vencida)",
               2: "sus 2 proyectos cerrados (de 3 con fin conocida o vencida)"},
    }, {"n": "3"}),
    *_cases("kpi.delivery_coverage", "projects", {
        "en": {1: "on the 1 of 1 project that reports spending",
               2: "on the 1 of 2 projects that report spending"},
        "fr": {0: "sur les projets qui déclarent des dépenses : 1 sur 0",
               1: "sur les projets qui déclarent des dépenses : 1 sur 1",
               2: "sur les projets qui déclarent des dépenses : 1 sur 2"},
        "es": {1: "sobre los proyectos que declaran gastos: 1 de 1",
               2: "sobre los proyectos que declaran gastos: 1 de 2"},
    }, {"reporting": "1"}),
    *_cases("search.more", "shown", {
        "en": {1: "The 1 largest by budget is listed; the table below holds all 12.",
               2: "The 2 largest by budget are listed; the table below holds all 12."},
        "fr": {0: "Le 0 plus gros budget est listé ; le tableau ci-dessous contient "
                  "les 12.",
               1: "Le 1 plus gros budget est listé ; le tableau ci-dessous contient "
                  "les 12.",
               2: "Les 2 plus gros budgets sont listés ; le tableau ci-dessous "
                  "contient les 12."},
        "es": {1: "Se lista el 1 de mayor presupuesto; la tabla de abajo contiene "
                  "los 12.",
               2: "Se listan los 2 de mayor presupuesto; la tabla de abajo contiene "
                  "los 12."},
    }, {"total": "12"}),
    *_cases("results.coverage", "projects", {
        "en": {1: "1 of 1 project publishes result indicators: 3 indicators, 2 with "
                  "numeric baseline, target and actual, achievement computable on 1; "
                  "1 value repaired from text.",
               2: "1 of 2 projects publish result indicators: 3 indicators, 2 with "
                  "numeric baseline, target and actual, achievement computable on 1; "
                  "1 value repaired from text."},
        "fr": {0: "Des indicateurs de résultat sont publiés pour 1 projet sur 0 : 3 "
                  "indicateurs, dont 2 avec base, cible et réalisé chiffrés, "
                  "réalisation calculable sur 1 ; 1 valeur réparée depuis du texte.",
               1: "Des indicateurs de résultat sont publiés pour 1 projet sur 1 : 3 "
                  "indicateurs, dont 2 avec base, cible et réalisé chiffrés, "
                  "réalisation calculable sur 1 ; 1 valeur réparée depuis du texte.",
               2: "Des indicateurs de résultat sont publiés pour 1 des 2 projets : 3 "
                  "indicateurs, dont 2 avec base, cible et réalisé chiffrés, "
                  "réalisation calculable sur 1 ; 1 valeur réparée depuis du texte."},
        "es": {1: "Se publican indicadores de resultado para 1 de 1 proyecto: 3 "
                  "indicadores, 2 con línea de base, meta y logro numéricos, logro "
                  "calculable en 1; 1 valor reparado a partir de texto.",
               2: "Se publican indicadores de resultado para 1 de los 2 proyectos: 3 "
                  "indicadores, 2 con línea de base, meta y logro numéricos, logro "
                  "calculable en 1; 1 valor reparado a partir de texto."},
    }, {"with_indicators": "1", "numeric": "2", "achievement": "1"}, **INDICATORS),
    *_cases("results.n_indicators", "n", {
        "en": {1: "1 indicator", 2: "2 indicators"},
        "fr": {0: "0 indicateur", 1: "1 indicateur", 2: "2 indicateurs"},
        "es": {1: "1 indicador", 2: "2 indicadores"},
    }),
    *_cases("results.n_repaired", "n", {
        "en": {1: "1 value repaired from text", 2: "2 values repaired from text"},
        "fr": {0: "0 valeur réparée depuis du texte",
               1: "1 valeur réparée depuis du texte",
               2: "2 valeurs réparées depuis du texte"},
        "es": {1: "1 valor reparado a partir de texto",
               2: "2 valores reparados a partir de texto"},
    }),
    *_cases("results.ascending_default", "indicators", {
        "en": {1: 'ADB: ascending="0" (lower is better) on its 1 indicator, yet 1 of '
                  "2 numeric targets point the other way: this looks like a default. "
                  "Achievement follows the direction of the target, not this flag.",
               2: 'ADB: ascending="0" (lower is better) on all 2 indicators, yet 1 '
                  "of 2 numeric targets point the other way: this looks like a "
                  "default. Achievement follows the direction of the target, not "
                  "this flag."},
        "fr": {0: 'ADB : ascending="0" (plus bas = mieux) sur son 0 indicateur, alors '
                  "que le sens est inverse pour 1 des 2 cibles chiffrées : cela "
                  "ressemble à une valeur par défaut. La réalisation suit le sens de "
                  "la cible, pas cet attribut.",
               1: 'ADB : ascending="0" (plus bas = mieux) sur son 1 indicateur, alors '
                  "que le sens est inverse pour 1 des 2 cibles chiffrées : cela "
                  "ressemble à une valeur par défaut. La réalisation suit le sens de "
                  "la cible, pas cet attribut.",
               2: 'ADB : ascending="0" (plus bas = mieux) sur les 2 indicateurs, '
                  "alors que le sens est inverse pour 1 des 2 cibles chiffrées : cela "
                  "ressemble à une valeur par défaut. La réalisation suit le sens de "
                  "la cible, pas cet attribut."},
        "es": {1: 'ADB: ascending="0" (menor es mejor) en su 1 indicador, pero el '
                  "sentido es el contrario en 1 de las 2 metas numéricas: parece un "
                  "valor por defecto. El logro sigue la dirección de la meta, no este "
                  "atributo.",
               2: 'ADB: ascending="0" (menor es mejor) en los 2 indicadores, pero el '
                  "sentido es el contrario en 1 de las 2 metas numéricas: parece un "
                  "valor por defecto. El logro sigue la dirección de la meta, no este "
                  "atributo."},
    }, {"publisher": "ADB"}, **TARGETS),
    *_cases("results.conflicting_targets", "directed", {
        "en": {1: "1 of 1 numeric target points the other way",
               2: "1 of 2 numeric targets point the other way"},
        "fr": {0: "le sens est inverse pour 1 cible chiffrée sur 0",
               1: "le sens est inverse pour 1 cible chiffrée sur 1",
               2: "le sens est inverse pour 1 des 2 cibles chiffrées"},
        "es": {1: "el sentido es el contrario en 1 de 1 meta numérica",
               2: "el sentido es el contrario en 1 de las 2 metas numéricas"},
    }, {"conflicts": "1"}),
    *_cases("money.coverage.act", "of_count", {
        "en": {1: "budget $1 of $2; 1 of 1 activity naming an implementer",
               2: "budget $1 of $2; 1 of 2 activities naming an implementer"},
        "fr": {0: "budget $1 sur $2 ; 1 sur 0 activité nommant un exécutant",
               1: "budget $1 sur $2 ; 1 sur 1 activité nommant un exécutant",
               2: "budget $1 sur $2 ; 1 sur 2 activités nommant un exécutant"},
        "es": {1: "presupuesto $1 de $2; 1 de 1 actividad que nombra un ejecutor",
               2: "presupuesto $1 de $2; 1 de 2 actividades que nombran un ejecutor"},
    }, {"usd": "$1", "of_usd": "$2", "count": "1"}),
    *_cases("money.coverage.tx", "of_count", {
        "en": {1: "$1 of $2; 1 of 1 transaction", 2: "$1 of $2; 1 of 2 transactions"},
        "fr": {0: "$1 sur $2 ; 1 sur 0 transaction",
               1: "$1 sur $2 ; 1 sur 1 transaction",
               2: "$1 sur $2 ; 1 sur 2 transactions"},
        "es": {1: "$1 de $2; 1 de 1 transacción", 2: "$1 de $2; 1 de 2 transacciones"},
    }, {"usd": "$1", "of_usd": "$2", "count": "1"}),
    *_cases("brief.coord_cliff", "projects", {
        "en": {1: "Funding cliff within 12 months: $5 (1 running project, 10% of the "
                  "running budget) ends with no later budget or planned disbursement.",
               2: "Funding cliff within 12 months: $5 (2 running projects, 10% of the "
                  "running budget) end with no later budget or planned disbursement."},
        "fr": {0: "Falaise de financement à 12 mois : $5 (0 projet en cours, 10% du "
                  "budget en cours) se termine sans budget ni décaissement prévu "
                  "ultérieur.",
               1: "Falaise de financement à 12 mois : $5 (1 projet en cours, 10% du "
                  "budget en cours) se termine sans budget ni décaissement prévu "
                  "ultérieur.",
               2: "Falaise de financement à 12 mois : $5 (2 projets en cours, 10% du "
                  "budget en cours) se terminent sans budget ni décaissement prévu "
                  "ultérieur."},
        "es": {1: "Precipicio de financiación a 12 meses: $5 (1 proyecto en curso, "
                  "10% del presupuesto en curso) termina sin presupuesto ni "
                  "desembolso previsto posterior.",
               2: "Precipicio de financiación a 12 meses: $5 (2 proyectos en curso, "
                  "10% del presupuesto en curso) terminan sin presupuesto ni "
                  "desembolso previsto posterior."},
    }, {"budget": "$5", "share": "10%"}, **CLIFF),
    *_cases("brief.coord_coverage", "actors", {
        "en": {1: "From the 1 reporting organisation loaded (COVID-19-tagged "
                  "activities), not all aid in each of 3 countries. Cliff: running "
                  "projects ending with no later budget.",
               2: "Among the 2 reporting organisations loaded (COVID-19-tagged "
                  "activities), not all aid in each of 3 countries. Cliff: running "
                  "projects ending with no later budget."},
        "fr": {0: "Avec 0 organisation présente dans les données (activités marquées "
                  "COVID-19), pas toute l'aide de chacun des 3 pays. Falaise : "
                  "projets en cours finissant sans budget ultérieur.",
               1: "Avec 1 organisation présente dans les données (activités marquées "
                  "COVID-19), pas toute l'aide de chacun des 3 pays. Falaise : "
                  "projets en cours finissant sans budget ultérieur.",
               2: "Parmi les 2 organisations présentes dans les données (activités "
                  "marquées COVID-19), pas toute l'aide de chacun des 3 pays. "
                  "Falaise : projets en cours finissant sans budget ultérieur."},
        "es": {1: "Con 1 organización cargada (actividades COVID-19), no toda la "
                  "ayuda de cada uno de los 3 países. Precipicio: proyectos en curso "
                  "sin presupuesto posterior.",
               2: "Entre las 2 organizaciones cargadas (actividades COVID-19), no "
                  "toda la ayuda de cada uno de los 3 países. Precipicio: proyectos "
                  "en curso sin presupuesto posterior."},
    }, **EACH_COUNTRY),
    *_cases("brief.coord_coverage_import", "actors", {
        "en": {1: "From the 1 reporting organisation of this dataset, not all aid in "
                  "1 country. Cliff: running projects ending with no later budget.",
               2: "Among the 2 reporting organisations of this dataset, not all aid "
                  "in 1 country. Cliff: running projects ending with no later "
                  "budget."},
        "fr": {0: "Avec 0 organisation déclarante dans ce jeu de données, pas toute "
                  "l'aide de 1 pays. Falaise : projets en cours qui se terminent sans "
                  "budget ultérieur.",
               1: "Avec 1 organisation déclarante dans ce jeu de données, pas toute "
                  "l'aide de 1 pays. Falaise : projets en cours qui se terminent sans "
                  "budget ultérieur.",
               2: "Parmi les 2 organisations déclarantes de ce jeu de données, pas "
                  "toute l'aide de 1 pays. Falaise : projets en cours qui se "
                  "terminent sans budget ultérieur."},
        "es": {1: "Con 1 organización informante en este conjunto de datos, no toda "
                  "la ayuda de 1 país. Precipicio: proyectos en curso que terminan "
                  "sin presupuesto posterior.",
               2: "Entre las 2 organizaciones informantes de este conjunto de datos, "
                  "no toda la ayuda de 1 país. Precipicio: proyectos en curso que "
                  "terminan sin presupuesto posterior."},
    }, **ONE_COUNTRY),
    *_cases("brief.coverage_countries", "n", {
        "en": {1: "not all aid in 1 country", 2: "not all aid in each of 2 countries"},
        "fr": {0: "pas toute l'aide de 0 pays", 1: "pas toute l'aide de 1 pays",
               2: "pas toute l'aide de chacun des 2 pays"},
        "es": {1: "no toda la ayuda de 1 país",
               2: "no toda la ayuda de cada uno de los 2 países"},
    }),
    *_cases("brief.derived", "rows", {
        "en": {1: "Derived values. Of 1 row in this selection: 1 with a sector "
                  "inferred from the title and 2 with none; 1 placed at the "
                  "country's label point (no site reported); 3 with no reported "
                  "planned end (taken from the last budget period).",
               2: "Derived values. Of 2 rows in this selection: 1 with a sector "
                  "inferred from the title and 2 with none; 1 placed at the "
                  "country's label point (no site reported); 3 with no reported "
                  "planned end (taken from the last budget period)."},
        "fr": {0: "Valeurs dérivées. Sur 0 ligne de cette sélection : 1 avec un "
                  "secteur déduit du titre et 2 sans secteur ; 1 au point de libellé "
                  "du pays (aucun site déclaré) ; 3 sans fin prévue déclarée (prise "
                  "à la fin de la dernière période budgétaire).",
               1: "Valeurs dérivées. Sur 1 ligne de cette sélection : 1 avec un "
                  "secteur déduit du titre et 2 sans secteur ; 1 au point de libellé "
                  "du pays (aucun site déclaré) ; 3 sans fin prévue déclarée (prise "
                  "à la fin de la dernière période budgétaire).",
               2: "Valeurs dérivées. Sur 2 lignes de cette sélection : 1 avec un "
                  "secteur déduit du titre et 2 sans secteur ; 1 au point de libellé "
                  "du pays (aucun site déclaré) ; 3 sans fin prévue déclarée (prise "
                  "à la fin de la dernière période budgétaire)."},
        "es": {1: "Valores derivados. De 1 fila de esta selección: 1 con un sector "
                  "deducido del título y 2 sin ninguno; 1 en el punto de referencia "
                  "del país (no se notificó ningún emplazamiento); 3 sin fecha de "
                  "finalización prevista notificada (se toma la del último período "
                  "presupuestario).",
               2: "Valores derivados. De las 2 filas de esta selección: 1 con un "
                  "sector deducido del título y 2 sin ninguno; 1 en el punto de "
                  "referencia del país (no se notificó ningún emplazamiento); 3 sin "
                  "fecha de finalización prevista notificada (se toma la del último "
                  "período presupuestario)."},
    }, DERIVED),
    *_cases("prov.derived", "rows", {
        "en": {1: "Of 1 row in this selection: **1** with a sector inferred from the "
                  "title and **2** with none; **1** placed at the country's label "
                  "point (no site reported); **3** with no reported planned end "
                  "(taken from the last budget period).",
               2: "Of 2 rows in this selection: **1** with a sector inferred from the "
                  "title and **2** with none; **1** placed at the country's label "
                  "point (no site reported); **3** with no reported planned end "
                  "(taken from the last budget period)."},
        "fr": {0: "Sur 0 ligne de cette sélection : **1** avec un secteur déduit du "
                  "titre et **2** sans secteur ; **1** au point d'étiquette du pays "
                  "(aucun site déclaré) ; **3** sans fin prévue déclarée (fin de la "
                  "dernière période budgétaire).",
               1: "Sur 1 ligne de cette sélection : **1** avec un secteur déduit du "
                  "titre et **2** sans secteur ; **1** au point d'étiquette du pays "
                  "(aucun site déclaré) ; **3** sans fin prévue déclarée (fin de la "
                  "dernière période budgétaire).",
               2: "Sur 2 lignes de cette sélection : **1** avec un secteur déduit du "
                  "titre et **2** sans secteur ; **1** au point d'étiquette du pays "
                  "(aucun site déclaré) ; **3** sans fin prévue déclarée (fin de la "
                  "dernière période budgétaire)."},
        "es": {1: "De 1 fila de esta selección: **1** con un sector deducido del "
                  "título y **2** sin ninguno; **1** en el punto de referencia del "
                  "país (no se notificó ningún emplazamiento); **3** sin fecha de "
                  "finalización prevista notificada (se toma la del último período "
                  "presupuestario).",
               2: "De las 2 filas de esta selección: **1** con un sector deducido del "
                  "título y **2** sin ninguno; **1** en el punto de referencia del "
                  "país (no se notificó ningún emplazamiento); **3** sin fecha de "
                  "finalización prevista notificada (se toma la del último período "
                  "presupuestario)."},
    }, DERIVED),
    *_cases("cont.coverage", "rows", {
        "en": {1: "1 of 1 row is running at the data date (D); 1 of 2 projects "
                  "publish budget periods or planned disbursements. Among the "
                  "organisations loaded, not all aid in the country.",
               2: "1 of 2 rows are running at the data date (D); 1 of 2 projects "
                  "publish budget periods or planned disbursements. Among the "
                  "organisations loaded, not all aid in the country."},
        "fr": {0: "Lignes en cours à la date des données (D) : 1 sur 0 ; des périodes "
                  "budgétaires ou des décaissements prévus sont publiés pour 1 des 2 "
                  "projets. Parmi les organisations présentes dans les données, pas "
                  "toute l'aide du pays.",
               1: "Lignes en cours à la date des données (D) : 1 sur 1 ; des périodes "
                  "budgétaires ou des décaissements prévus sont publiés pour 1 des 2 "
                  "projets. Parmi les organisations présentes dans les données, pas "
                  "toute l'aide du pays.",
               2: "Lignes en cours à la date des données (D) : 1 sur 2 ; des périodes "
                  "budgétaires ou des décaissements prévus sont publiés pour 1 des 2 "
                  "projets. Parmi les organisations présentes dans les données, pas "
                  "toute l'aide du pays."},
        "es": {1: "Filas en curso en la fecha de los datos (D): 1 de 1; se publican "
                  "periodos presupuestarios o desembolsos previstos para 1 de los 2 "
                  "proyectos. Entre las organizaciones cargadas, no toda la ayuda "
                  "del país.",
               2: "Filas en curso en la fecha de los datos (D): 1 de 2; se publican "
                  "periodos presupuestarios o desembolsos previstos para 1 de los 2 "
                  "proyectos. Entre las organizaciones cargadas, no toda la ayuda "
                  "del país."},
    }, {"active": "1", "as_of": "D"}, **BUDGETS),
    *_cases("cont.coverage_budgets", "projects", {
        "en": {1: "1 of 1 project publishes budget periods or planned disbursements",
               2: "1 of 2 projects publish budget periods or planned disbursements"},
        "fr": {0: "des périodes budgétaires ou des décaissements prévus sont publiés "
                  "pour 1 projet sur 0",
               1: "des périodes budgétaires ou des décaissements prévus sont publiés "
                  "pour 1 projet sur 1",
               2: "des périodes budgétaires ou des décaissements prévus sont publiés "
                  "pour 1 des 2 projets"},
        "es": {1: "se publican periodos presupuestarios o desembolsos previstos para "
                  "1 de 1 proyecto",
               2: "se publican periodos presupuestarios o desembolsos previstos para "
                  "1 de los 2 proyectos"},
    }, {"with_budgets": "1"}),
    *_cases("cont.multi_year_note", "rows", {
        "en": {1: "1 of 1 row with both dates", 2: "1 of 2 rows with both dates"},
        "fr": {0: "1 sur 0 ligne ayant les deux dates",
               1: "1 sur 1 ligne ayant les deux dates",
               2: "1 des 2 lignes ayant les deux dates"},
        "es": {1: "1 de 1 fila con ambas fechas", 2: "1 de 2 filas con ambas fechas"},
    }, {"n": "1"}),
    *_cases("coord.coverage", "actors", {
        "en": {1: "From the 1 reporting organisation loaded, not all aid in each "
                  "country: 2 countries. X",
               2: "Among the 2 reporting organisations loaded, not all aid in each "
                  "country: 2 countries. X"},
        "fr": {0: "Avec 0 organisation déclarante présente dans les données, pas "
                  "toute l'aide de chaque pays : 2 pays. X",
               1: "Avec 1 organisation déclarante présente dans les données, pas "
                  "toute l'aide de chaque pays : 2 pays. X",
               2: "Parmi les 2 organisations déclarantes présentes dans les données, "
                  "pas toute l'aide de chaque pays : 2 pays. X"},
        "es": {1: "Con 1 organización informante cargada, no toda la ayuda de cada "
                  "país: 2 países. X",
               2: "Entre las 2 organizaciones informantes cargadas, no toda la ayuda "
                  "de cada país: 2 países. X"},
    }, {"regional": "X"}, **TWO_COUNTRIES),
    *_cases("coord.n_countries", "n", {
        "en": {1: "1 country", 2: "2 countries"},
        "fr": {0: "0 pays", 1: "1 pays", 2: "2 pays"},
        "es": {1: "1 país", 2: "2 países"},
    }),
    *_cases("coord.regional_rows", "regional", {
        "en": {1: "1 regional row (US$5) names no country and is left out of these "
                  "figures.",
               2: "2 regional rows (US$5) name no country and are left out of these "
                  "figures."},
        "fr": {0: "0 ligne régionale (US$5) ne nomme aucun pays et est exclue de ces "
                  "chiffres.",
               1: "1 ligne régionale (US$5) ne nomme aucun pays et est exclue de ces "
                  "chiffres.",
               2: "2 lignes régionales (US$5) ne nomment aucun pays et sont exclues "
                  "de ces chiffres."},
        "es": {1: "1 fila regional (US$5) no nombra ningún país y queda fuera de "
                  "estas cifras.",
               2: "2 filas regionales (US$5) no nombran ningún país y quedan fuera de "
                  "estas cifras."},
    }, {"regional_budget": "US$5"}),
    *_cases("coord.sector_note", "total", {
        "en": {1: "Of 1 sector here, 1 has three or more actors (crowded) and 0 a "
                  "single one.",
               2: "Of 2 sectors here, 1 has three or more actors (crowded) and 0 a "
                  "single one."},
        "fr": {0: "Sur 0 secteur ici, 1 a trois acteurs ou plus (encombré) et 0 un "
                  "seul.",
               1: "Sur 1 secteur ici, 1 a trois acteurs ou plus (encombré) et 0 un "
                  "seul.",
               2: "Sur 2 secteurs ici, 1 a trois acteurs ou plus (encombré) et 0 un "
                  "seul."},
        "es": {1: "De 1 sector aquí, 1 tiene tres o más actores (saturado) y 0 uno "
                  "solo.",
               2: "De 2 sectores aquí, 1 tiene tres o más actores (saturado) y 0 uno "
                  "solo."},
    }, {"single": "0"}, **CROWDED),
    *_cases("coord.crowded_sectors", "n", {
        "en": {1: "1 has three or more actors (crowded)",
               2: "2 have three or more actors (crowded)"},
        "fr": {0: "0 a trois acteurs ou plus (encombré)",
               1: "1 a trois acteurs ou plus (encombré)",
               2: "2 ont trois acteurs ou plus (encombrés)"},
        "es": {1: "1 tiene tres o más actores (saturado)",
               2: "2 tienen tres o más actores (saturados)"},
    }),
    *_cases("coord.overlap_note", "projects", {
        "en": {1: "Where sites are published: 1 of 1 project publishes coordinates "
                  "(3 sites); a site overlaps when another organisation's site of the "
                  "same sector lies within the distance. M. R. Published sites only: "
                  "an actor without published sites cannot overlap.",
               2: "Where sites are published: 1 of 2 projects publish coordinates "
                  "(3 sites); a site overlaps when another organisation's site of the "
                  "same sector lies within the distance. M. R. Published sites only: "
                  "an actor without published sites cannot overlap."},
        "fr": {0: "Là où les sites sont publiés : des coordonnées sont publiées pour "
                  "1 projet sur 0 (3 sites) ; un site se chevauche quand un site "
                  "d'une autre organisation du même secteur se trouve à moins de la "
                  "distance choisie. M. R. Sites publiés seulement : un acteur sans "
                  "site publié ne peut pas se chevaucher.",
               1: "Là où les sites sont publiés : des coordonnées sont publiées pour "
                  "1 projet sur 1 (3 sites) ; un site se chevauche quand un site "
                  "d'une autre organisation du même secteur se trouve à moins de la "
                  "distance choisie. M. R. Sites publiés seulement : un acteur sans "
                  "site publié ne peut pas se chevaucher.",
               2: "Là où les sites sont publiés : des coordonnées sont publiées pour "
                  "1 des 2 projets (3 sites) ; un site se chevauche quand un site "
                  "d'une autre organisation du même secteur se trouve à moins de la "
                  "distance choisie. M. R. Sites publiés seulement : un acteur sans "
                  "site publié ne peut pas se chevaucher."},
        "es": {1: "Donde se publican sitios: hay coordenadas publicadas para 1 de 1 "
                  "proyecto (3 sitios); un sitio se superpone cuando un sitio de otra "
                  "organización del mismo sector está dentro de la distancia. M. R. "
                  "Solo sitios publicados: un actor sin sitios publicados no puede "
                  "superponerse.",
               2: "Donde se publican sitios: hay coordenadas publicadas para 1 de los "
                  "2 proyectos (3 sitios); un sitio se superpone cuando un sitio de "
                  "otra organización del mismo sector está dentro de la distancia. M. "
                  "R. Solo sitios publicados: un actor sin sitios publicados no puede "
                  "superponerse."},
    }, {"with_sites": "1", "multi": "M.", "regional": "R."}, **SITES),
    *_cases("coord.n_sites", "n", {
        "en": {1: "1 site", 2: "2 sites"},
        "fr": {0: "0 site", 1: "1 site", 2: "2 sites"},
        "es": {1: "1 sitio", 2: "2 sitios"},
    }),
    *_cases("coord.multi_sites", "n", {
        "en": {1: "1 site of multi-country projects is not placed.",
               2: "2 sites of multi-country projects are not placed."},
        "fr": {0: "0 site de projets multi-pays n'est pas placé.",
               1: "1 site de projets multi-pays n'est pas placé.",
               2: "2 sites de projets multi-pays ne sont pas placés."},
        "es": {1: "1 sitio de proyectos multipaís no se ubica.",
               2: "2 sitios de proyectos multipaís no se ubican."},
    }),
    *_cases("coord.regional_sites", "n", {
        "en": {1: "1 site of projects that name only a region is not placed.",
               2: "2 sites of projects that name only a region are not placed."},
        "fr": {0: "0 site de projets qui ne nomment qu'une région n'est pas placé.",
               1: "1 site de projets qui ne nomment qu'une région n'est pas placé.",
               2: "2 sites de projets qui ne nomment qu'une région ne sont pas "
                  "placés."},
        "es": {1: "1 sitio de proyectos que solo nombran una región no se ubica.",
               2: "2 sitios de proyectos que solo nombran una región no se ubican."},
    }),
    *_cases("flows.country_part", "projects", {
        "en": {1: "Your country's part of 1 project that spans several countries: of "
                  "its transactions, A, B, C.",
               2: "Your country's part of 2 projects that span several countries: of "
                  "their transactions, A, B, C."},
        "fr": {0: "La part de votre pays dans 0 projet couvrant plusieurs pays : parmi "
                  "ses transactions, A, B, C.",
               1: "La part de votre pays dans 1 projet couvrant plusieurs pays : parmi "
                  "ses transactions, A, B, C.",
               2: "La part de votre pays dans 2 projets couvrant plusieurs pays : "
                  "parmi leurs transactions, A, B, C."},
        "es": {1: "La parte de su país en 1 proyecto que abarca varios países: de sus "
                  "transacciones, A, B, C.",
               2: "La parte de su país en 2 proyectos que abarcan varios países: de "
                  "sus transacciones, A, B, C."},
    }, {"named": "A", "elsewhere": "B", "unnamed": "C"}),
    *_cases("flows.tx_named", "n", {
        "en": {1: "1 names your country (counted in full)",
               2: "2 name your country (counted in full)"},
        "fr": {0: "0 nomme votre pays (comptée en entier)",
               1: "1 nomme votre pays (comptée en entier)",
               2: "2 nomment votre pays (comptées en entier)"},
        "es": {1: "1 nombra a su país (contada entera)",
               2: "2 nombran a su país (contadas enteras)"},
    }),
    *_cases("flows.tx_elsewhere", "n", {
        "en": {1: "1 names another (left out)", 2: "2 name another (left out)"},
        "fr": {0: "0 en nomme un autre (écartée)", 1: "1 en nomme un autre (écartée)",
               2: "2 en nomment un autre (écartées)"},
        "es": {1: "1 nombra a otro (excluida)", 2: "2 nombran a otro (excluidas)"},
    }),
    *_cases("flows.tx_unnamed", "n", {
        "en": {1: "1 names none: counted at the project's percentage for your country "
                  "(derived)",
               2: "2 name none: counted at the project's percentage for your country "
                  "(derived)"},
        "fr": {0: "0 n'en nomme aucun : comptée au pourcentage du projet pour votre "
                  "pays (valeur dérivée)",
               1: "1 n'en nomme aucun : comptée au pourcentage du projet pour votre "
                  "pays (valeur dérivée)",
               2: "2 n'en nomment aucun : comptées au pourcentage du projet pour votre "
                  "pays (valeur dérivée)"},
        "es": {1: "1 no nombra ninguno: contada al porcentaje del proyecto para su "
                  "país (valor derivado)",
               2: "2 no nombran ninguno: contadas al porcentaje del proyecto para su "
                  "país (valor derivado)"},
    }),
    *_cases("money.aid_types", "total", {
        "en": {1: "Pooled funds are recognised by the provider's identifier or name "
                  "and by the DAC aid type (B03, B04): 1 of 1 incoming or outgoing "
                  "transaction carries an aid type (1 its own, otherwise its "
                  "activity's default), 0 a pooled one.",
               2: "Pooled funds are recognised by the provider's identifier or name "
                  "and by the DAC aid type (B03, B04): 1 of 2 incoming and outgoing "
                  "transactions carry an aid type (1 their own, the others their "
                  "activity's default), 0 of them a pooled one."},
        "fr": {0: "Les fonds communs sont reconnus à l'identifiant ou au nom du "
                  "fournisseur et au type d'aide du CAD (B03, B04) : un type d'aide "
                  "est indiqué pour 1 transaction entrante ou sortante sur 0 (1 le "
                  "sien, sinon celui par défaut de son activité), dont 0 un type de "
                  "fonds commun.",
               1: "Les fonds communs sont reconnus à l'identifiant ou au nom du "
                  "fournisseur et au type d'aide du CAD (B03, B04) : un type d'aide "
                  "est indiqué pour 1 transaction entrante ou sortante sur 1 (1 le "
                  "sien, sinon celui par défaut de son activité), dont 0 un type de "
                  "fonds commun.",
               2: "Les fonds communs sont reconnus à l'identifiant ou au nom du "
                  "fournisseur et au type d'aide du CAD (B03, B04) : un type d'aide "
                  "est indiqué pour 1 des 2 transactions entrantes et sortantes (1 le "
                  "leur, les autres celui par défaut de leur activité), dont 0 un "
                  "type de fonds commun."},
        "es": {1: "Los fondos mancomunados se reconocen por el identificador o el "
                  "nombre del proveedor y por el tipo de ayuda del CAD (B03, B04): se "
                  "indica un tipo de ayuda para 1 de 1 transacción entrante o saliente "
                  "(1 el suyo propio, si no el predeterminado de su actividad), 0 uno "
                  "mancomunado.",
               2: "Los fondos mancomunados se reconocen por el identificador o el "
                  "nombre del proveedor y por el tipo de ayuda del CAD (B03, B04): se "
                  "indica un tipo de ayuda para 1 de las 2 transacciones entrantes y "
                  "salientes (1 el suyo propio, las demás el predeterminado de su "
                  "actividad), 0 de ellas uno mancomunado."},
    }, {"stated": "1", "own": "1", "pooled": "0"}),
    *_cases("scen.lever_some_finished", "finished", {
        "en": {1: "Lever 2: 1 of its 3 targeted projects is finished and keeps its "
                  "reported outcome.",
               2: "Lever 2: 2 of its 3 targeted projects are finished and keep their "
                  "reported outcome."},
        "fr": {0: "Levier 2 : 0 de ses 3 projets visés est terminé et garde son "
                  "résultat déclaré.",
               1: "Levier 2 : 1 de ses 3 projets visés est terminé et garde son "
                  "résultat déclaré.",
               2: "Levier 2 : 2 de ses 3 projets visés sont terminés et gardent leur "
                  "résultat déclaré."},
        "es": {1: "Palanca 2: 1 de sus 3 proyectos afectados está terminado y "
                  "conserva su resultado declarado.",
               2: "Palanca 2: 2 de sus 3 proyectos afectados están terminados y "
                  "conservan su resultado declarado."},
    }, {"lever": "2", "targeted": "3"}),
    *_cases("project.tx_country_part", "n", {
        "en": {1: "This project spans several countries. Listed: its transactions "
                  "that name your country. 1 of its transactions names no country: "
                  "it is the whole project's, so it is not listed; the chart above "
                  "counts it at your country's share, 25.0% (derived).",
               2: "This project spans several countries. Listed: its transactions "
                  "that name your country. 2 of its transactions name no country: "
                  "they are the whole project's, so they are not listed; the chart "
                  "above counts them at your country's share, 25.0% (derived)."},
        "fr": {0: "Ce projet couvre plusieurs pays. Listées : ses transactions qui "
                  "nomment votre pays. 0 de ses transactions ne nomme aucun pays : "
                  "elle est celle du projet entier, donc non listée ; le graphique "
                  "ci-dessus la compte à la part de votre pays, 25.0% (valeur "
                  "dérivée).",
               1: "Ce projet couvre plusieurs pays. Listées : ses transactions qui "
                  "nomment votre pays. 1 de ses transactions ne nomme aucun pays : "
                  "elle est celle du projet entier, donc non listée ; le graphique "
                  "ci-dessus la compte à la part de votre pays, 25.0% (valeur "
                  "dérivée).",
               2: "Ce projet couvre plusieurs pays. Listées : ses transactions qui "
                  "nomment votre pays. 2 de ses transactions ne nomment aucun pays : "
                  "elles sont celles du projet entier, donc non listées ; le "
                  "graphique ci-dessus les compte à la part de votre pays, 25.0% "
                  "(valeur dérivée)."},
        "es": {1: "Este proyecto abarca varios países. Se listan sus transacciones "
                  "que nombran a su país. 1 de sus transacciones no nombra ningún "
                  "país: es del proyecto entero, por eso no se lista; el gráfico de "
                  "arriba la cuenta a la parte de su país, 25.0% (valor derivado).",
               2: "Este proyecto abarca varios países. Se listan sus transacciones "
                  "que nombran a su país. 2 de sus transacciones no nombran ningún "
                  "país: son del proyecto entero, por eso no se listan; el gráfico "
                  "de arriba las cuenta a la parte de su país, 25.0% (valor "
                  "derivado)."},
    }, {"share": "25.0%"}),
    *_cases("iati.file.malformed", "read", {
        "en": {1: "the XML is malformed or truncated at line 3, column 7 (x); the 1 "
                  "complete activity before that point was read (kept unless listed "
                  "as skipped), the rest of the file was not read",
               2: "the XML is malformed or truncated at line 3, column 7 (x); the 2 "
                  "complete activities before that point were read (kept unless "
                  "listed as skipped), the rest of the file was not read"},
        "fr": {0: "le XML est malformé ou tronqué ligne 3, colonne 7 (x) ; 0 activité "
                  "complète avant ce point a été lue (conservée sauf si elle est "
                  "listée comme écartée), le reste du fichier n'a pas été lu",
               1: "le XML est malformé ou tronqué ligne 3, colonne 7 (x) ; 1 activité "
                  "complète avant ce point a été lue (conservée sauf si elle est "
                  "listée comme écartée), le reste du fichier n'a pas été lu",
               2: "le XML est malformé ou tronqué ligne 3, colonne 7 (x) ; les 2 "
                  "activités complètes avant ce point ont été lues (conservées sauf "
                  "si elles sont listées comme écartées), le reste du fichier n'a pas "
                  "été lu"},
        "es": {1: "el XML está mal formado o truncado en la línea 3, columna 7 (x); "
                  "se leyó 1 actividad completa anterior (conservada salvo si figura "
                  "como descartada), el resto del archivo no se leyó",
               2: "el XML está mal formado o truncado en la línea 3, columna 7 (x); "
                  "se leyeron las 2 actividades completas anteriores (conservadas "
                  "salvo si figuran como descartadas), el resto del archivo no se "
                  "leyó"},
    }, {**WHERE, "detail": "x"}),
    *_cases("iati.file.too_long_value", "read", {
        "en": {1: "a text or attribute value is longer than the parser accepts "
                  "(10,000,000 characters) at line 3, column 7; no IATI field needs "
                  "that much, so the file was not read past this point (1 complete "
                  "activity before it was read)",
               2: "a text or attribute value is longer than the parser accepts "
                  "(10,000,000 characters) at line 3, column 7; no IATI field needs "
                  "that much, so the file was not read past this point (2 complete "
                  "activities before it were read)"},
        "fr": {0: "un texte ou une valeur d'attribut dépasse la longueur acceptée par "
                  "le lecteur (10 000 000 caractères) ligne 3, colonne 7 ; aucun "
                  "champ IATI n'en demande autant, le fichier n'a donc pas été lu "
                  "au-delà (0 activité complète avant ce point a été lue)",
               1: "un texte ou une valeur d'attribut dépasse la longueur acceptée par "
                  "le lecteur (10 000 000 caractères) ligne 3, colonne 7 ; aucun "
                  "champ IATI n'en demande autant, le fichier n'a donc pas été lu "
                  "au-delà (1 activité complète avant ce point a été lue)",
               2: "un texte ou une valeur d'attribut dépasse la longueur acceptée par "
                  "le lecteur (10 000 000 caractères) ligne 3, colonne 7 ; aucun "
                  "champ IATI n'en demande autant, le fichier n'a donc pas été lu "
                  "au-delà (2 activités complètes avant ce point ont été lues)"},
        "es": {1: "un texto o un valor de atributo supera la longitud que acepta el "
                  "lector (10 000 000 caracteres) en la línea 3, columna 7; ningún "
                  "campo IATI necesita tanto, así que el archivo no se leyó más allá "
                  "de ese punto (se leyó 1 actividad completa anterior)",
               2: "un texto o un valor de atributo supera la longitud que acepta el "
                  "lector (10 000 000 caracteres) en la línea 3, columna 7; ningún "
                  "campo IATI necesita tanto, así que el archivo no se leyó más allá "
                  "de ese punto (se leyeron las 2 actividades completas anteriores)"},
    }, WHERE),
    *_cases("build.commitment_duplicate", "count", {
        "en": {1: "1 outgoing commitment (type 2) repeats an incoming-funds row "
                  "exactly (date, value, provider): left out of every total, "
                  "US$1,000",
               2: "2 outgoing commitments (type 2) repeat an incoming-funds row "
                  "exactly (date, value, provider): left out of every total, "
                  "US$1,000"},
        "fr": {0: "0 engagement sortant (type 2) répète exactement une ligne de fonds "
                  "reçus (date, valeur, fournisseur) : exclu de tous les totaux, "
                  "1,000 $US",
               1: "1 engagement sortant (type 2) répète exactement une ligne de fonds "
                  "reçus (date, valeur, fournisseur) : exclu de tous les totaux, "
                  "1,000 $US",
               2: "2 engagements sortants (type 2) répètent exactement une ligne de "
                  "fonds reçus (date, valeur, fournisseur) : exclus de tous les "
                  "totaux, 1,000 $US"},
        "es": {1: "1 compromiso saliente (tipo 2) repite exactamente una fila de "
                  "fondos recibidos (fecha, valor, proveedor): excluido de todos los "
                  "totales, 1,000 US$",
               2: "2 compromisos salientes (tipo 2) repiten exactamente una fila de "
                  "fondos recibidos (fecha, valor, proveedor): excluidos de todos los "
                  "totales, 1,000 US$"},
    }, {"amount": "1,000"}),
    *_cases("build.commitment_received", "count", {
        "en": {1: "1 outgoing commitment (type 2) names the publisher itself as "
                  "receiver: counted as an incoming commitment (type 11), US$1,000",
               2: "2 outgoing commitments (type 2) name the publisher itself as "
                  "receiver: counted as incoming commitments (type 11), US$1,000"},
        "fr": {0: "0 engagement sortant (type 2) désigne l'éditeur lui-même comme "
                  "bénéficiaire : compté comme engagement entrant (type 11), "
                  "1,000 $US",
               1: "1 engagement sortant (type 2) désigne l'éditeur lui-même comme "
                  "bénéficiaire : compté comme engagement entrant (type 11), "
                  "1,000 $US",
               2: "2 engagements sortants (type 2) désignent l'éditeur lui-même comme "
                  "bénéficiaire : comptés comme engagements entrants (type 11), "
                  "1,000 $US"},
        "es": {1: "1 compromiso saliente (tipo 2) indica al propio publicador como "
                  "receptor: contado como compromiso entrante (tipo 11), 1,000 US$",
               2: "2 compromisos salientes (tipo 2) indican al propio publicador como "
                  "receptor: contados como compromisos entrantes (tipo 11), "
                  "1,000 US$"},
    }, {"amount": "1,000"}),
]  # fmt: skip

# The call sites: each passes its count raw and composes the second counted noun.


def summary_of(**counts: float) -> ChangeSummary:
    """A scenario's summary: `counts` of projects and months, no value change."""
    zero = dict.fromkeys(ChangeSummary.__dataclass_fields__, 0.0)
    return ChangeSummary(
        **{**zero, "targeted": 1, "delayed": 0, "advanced": 0, **counts}
    )


def test_the_summary_counts_targeted_projects_and_its_months_apart():
    scenario = Scenario(levers=(Lever("extend", 6.0, projects=("P-1",)),))
    summary = summary_of(targeted=1, delayed=1, median_extra_delay=1.46)
    assert summary_sentence(scenario, summary).startswith(
        "A funded extension of 6 months in 1 project: delays 1 of 1 targeted "
        "project by a median 1.5 months and "
    )
    mixed = summary_of(
        targeted=2, delayed=1, median_extra_delay=2.0, advanced=1, median_time_saved=0.5
    )
    assert summary_sentence(scenario, mixed).startswith(
        "A funded extension of 6 months in 1 project: delays 1 and brings forward "
        "1 of 2 targeted projects (median 2.0 months later, 0.5 months sooner) and "
    )


def test_the_risk_lever_passes_its_points_as_a_number():
    levers = (Lever("risk", 1.5, sectors=("Health",)),)
    assert lever_phrase(Scenario(levers=levers), "en") == (
        "risk +1.5 INFORM points in Health"
    )


def test_the_delivery_note_counts_all_projects_as_a_number():
    k = Kpis(
        projects=1234,
        countries=3,
        budget=1.0,
        spent=1.0,
        delivery_ratio=1.0,
        high_risk_share=0.0,
        as_of="2023-05-01",
        spend_reporting=1,
    )
    assert kpi_notes(k, "en") == {
        "kpi.delivery": "on the 1 of 1,234 projects that report spending"
    }
    one = Kpis(**{**k.__dict__, "projects": 1})
    assert kpi_notes(one, "en") == {
        "kpi.delivery": "on the 1 of 1 project that reports spending"
    }


def test_a_money_coverage_counts_its_denominator_as_a_number():
    share = Share(value=1.0, usd=1000.0, of_usd=1000.0, count=1, of_count=1)
    assert coverage_text(share, "en") == "US$1.0K of US$1.0K; 1 of 1 transaction"
    assert coverage_text(share, "es", "act") == (
        "presupuesto 1,0 mil US$ de 1,0 mil US$; 1 de 1 actividad que nombra un "
        "ejecutor"
    )


def test_the_results_coverage_counts_projects_indicators_and_repairs_apart():
    cov = Coverage(
        projects=1, with_indicators=1, indicators=1, numeric=0, achievement=0,
        repaired=2,
    )  # fmt: skip
    assert _coverage_caption(cov, "en") == (
        "1 of 1 project publishes result indicators: 1 indicator, 0 with numeric "
        "baseline, target and actual, achievement computable on 0; 2 values "
        "repaired from text."
    )


def test_a_conflicting_ascending_default_counts_indicators_and_targets_apart():
    findings = pd.DataFrame(
        {
            "all_zero": [True],
            "publisher": ["ADB"],
            "indicators": [1],
            "directed": [1],
            "conflicts": [1],
        }
    )
    assert _ascending_captions(findings, "fr") == [
        'ADB : ascending="0" (plus bas = mieux) sur son 1 indicateur, alors que le '
        "sens est inverse pour 1 cible chiffrée sur 1 : cela ressemble à une valeur "
        "par défaut. La réalisation suit le sens de la cible, pas cet attribut."
    ]


def test_the_methods_slide_counts_rows_trials_and_months_apart():
    from src.briefing.methods import method_lines
    from src.briefing.scenarios import ScenarioResult
    from src.portfolio.load import load_bundled_portfolio

    df, meta = load_bundled_portfolio()
    info = {"trials": 1, "seed": 7, "horizon_months": 12, "budget_policy": "descope"}
    result = ScenarioResult(
        "S", pd.DataFrame(), pd.DataFrame(), info | {"levers": ["L"]}
    )
    lines = method_lines(df.head(1), "es", [result], meta=meta)
    assert lines[0].startswith("Valores derivados. De 1 fila de esta selección: ")
    assert (
        "Escenario “S”: simulación de Montecarlo, 1 iteración, semilla 7, horizonte "
        "de 12 meses, política presupuestaria descope; palancas: L."
    ) in lines
    unknown = ScenarioResult("T", pd.DataFrame(), pd.DataFrame(), {"trials": 2})
    assert (
        "Scenario “T”: Monte Carlo simulation, 2 trials, seed –, horizon –, budget "
        "policy –; levers: –."
    ) in method_lines(df.head(2), "en", [unknown], meta=meta)
