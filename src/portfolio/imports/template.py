"""The canonical spreadsheet template for imports: columns, descriptions, files.

Every column is described in English and French; the CSV and .xlsx templates
carry one example row. `src.portfolio.imports` reads files in this layout.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pandas as pd

from src.portfolio import schema as S
from src.portfolio.export import neutralise_formulas, to_csv_bytes


@dataclass(frozen=True)
class TemplateColumn:
    """One template column.

    Attributes:
        name: the header, exactly as it must appear.
        required: whether an import fails without it.
        en: description in English.
        fr: description in French.
        example: the example row's value.
    """

    name: str
    required: bool
    en: str
    fr: str
    example: str


COL_CURRENCY = "currency"

TEMPLATE_COLUMNS: tuple[TemplateColumn, ...] = (
    TemplateColumn(
        S.COL_PROJECT_ID,
        True,
        "Unique project identifier (IATI identifier if it has one).",
        "Identifiant unique du projet (identifiant IATI s'il en a un).",
        "41AAA-EX-0001",
    ),
    TemplateColumn(
        S.COL_TITLE,
        True,
        "Project title.",
        "Titre du projet.",
        "Rehabilitation of rural health centres",
    ),
    TemplateColumn(
        S.COL_COUNTRY,
        True,
        "Recipient country, ISO 3166 alpha-3 code (e.g. SEN); empty for a "
        "regional project. One row per project and country.",
        "Pays bénéficiaire, code ISO 3166 alpha-3 (ex. SEN) ; vide pour un projet "
        "régional. Une ligne par projet et par pays.",
        "SEN",
    ),
    TemplateColumn(
        S.COL_SECTOR_GROUP,
        True,
        "Sector group, one of: " + ", ".join(S.SECTOR_GROUPS) + "; empty if none.",
        "Groupe de secteurs, parmi : " + ", ".join(S.SECTOR_GROUPS) + " ; vide sinon.",
        "Health",
    ),
    TemplateColumn(
        S.COL_START,
        True,
        "Start date, yyyy-mm-dd (actual start, else planned).",
        "Date de début, aaaa-mm-jj (réelle, sinon prévue).",
        "2021-01-15",
    ),
    TemplateColumn(
        S.COL_END,
        True,
        "Planned end date, yyyy-mm-dd; not before the start date.",
        "Date de fin prévue, aaaa-mm-jj ; pas avant la date de début.",
        "2023-06-30",
    ),
    TemplateColumn(
        S.COL_BUDGET,
        True,
        "Total budget for this country, a number >= 0 without currency sign; in "
        "US dollars unless the currency column names another currency.",
        "Budget total pour ce pays, nombre >= 0 sans symbole monétaire ; en dollars "
        "US sauf si la colonne currency indique une autre devise.",
        "1250000",
    ),
    TemplateColumn(
        S.COL_SPENT,
        True,
        "Amount spent so far (disbursements + expenditure), same currency as the "
        "budget; empty when not reported. Above the budget is accepted with a "
        "warning.",
        "Montant dépensé à ce jour (décaissements + dépenses), même devise que le "
        "budget ; vide si non communiqué. Au-dessus du budget : accepté avec un "
        "avertissement.",
        "430000",
    ),
    TemplateColumn(
        COL_CURRENCY,
        False,
        "ISO 4217 currency of budget and spent (default USD); converted to US "
        "dollars at the IMF annual average rate of the start year.",
        "Devise ISO 4217 du budget et des dépenses (USD par défaut) ; convertie en "
        "dollars US au taux annuel moyen du FMI de l'année de début.",
        "USD",
    ),
    TemplateColumn(
        S.COL_AGENCY,
        False,
        "Implementing or reporting agency.",
        "Agence de mise en œuvre ou déclarante.",
        "UNOPS",
    ),
    TemplateColumn(
        S.COL_STATUS,
        False,
        "Status (IATI activity status name, e.g. Implementation).",
        "Statut (nom du statut d'activité IATI, ex. Implementation).",
        "Implementation",
    ),
    TemplateColumn(
        S.COL_SECTOR_CODE,
        False,
        "OECD DAC 5-digit sector code.",
        "Code secteur CAD de l'OCDE à 5 chiffres.",
        "12220",
    ),
    TemplateColumn(
        S.COL_START_PLANNED,
        False,
        "Planned start date, yyyy-mm-dd.",
        "Date de début prévue, aaaa-mm-jj.",
        "2021-01-01",
    ),
    TemplateColumn(
        S.COL_END_PLANNED,
        False,
        "Planned end date as originally reported, yyyy-mm-dd.",
        "Date de fin prévue à l'origine, aaaa-mm-jj.",
        "2023-06-30",
    ),
    TemplateColumn(
        S.COL_END_ACTUAL,
        False,
        "Actual end date of a finished project, yyyy-mm-dd (finished projects keep "
        "their real delay in the simulation; 30 or more let you fit your own "
        "reference class).",
        "Date de fin réelle d'un projet terminé, aaaa-mm-jj (les projets terminés "
        "gardent leur retard réel dans la simulation ; à partir de 30, vous pouvez "
        "ajuster votre propre classe de référence).",
        "",
    ),
    TemplateColumn(
        S.COL_FUNDERS,
        False,
        "Funding organisations, separated by '; '.",
        "Organismes de financement, séparés par « ; ».",
        "Government of Norway",
    ),
    TemplateColumn(
        S.COL_IMPLEMENTERS,
        False,
        "Implementing organisations, separated by '; '.",
        "Organismes de mise en œuvre, séparés par « ; ».",
        "Ministry of Health",
    ),
    TemplateColumn(
        S.COL_LAT,
        False,
        "Latitude of the main site (WGS84 degrees); empty: the country's centre.",
        "Latitude du site principal (degrés WGS84) ; vide : centre du pays.",
        "14.69",
    ),
    TemplateColumn(
        S.COL_LON,
        False,
        "Longitude of the main site (WGS84 degrees).",
        "Longitude du site principal (degrés WGS84).",
        "-17.44",
    ),
    TemplateColumn(
        S.COL_HUMANITARIAN,
        False,
        "true if the project is humanitarian, else false or empty.",
        "true si le projet est humanitaire, sinon false ou vide.",
        "false",
    ),
)
TEMPLATE_NAMES: tuple[str, ...] = tuple(c.name for c in TEMPLATE_COLUMNS)
OPTIONAL_COLUMNS: tuple[str, ...] = tuple(
    c.name for c in TEMPLATE_COLUMNS if not c.required
)


def template_frame() -> pd.DataFrame:
    """The template's header and example row (numbers as numbers)."""
    df = pd.DataFrame([[c.example for c in TEMPLATE_COLUMNS]], columns=TEMPLATE_NAMES)
    for col in (S.COL_BUDGET, S.COL_SPENT, S.COL_LAT, S.COL_LON):
        df[col] = df[col].astype(float)
    return df


def descriptions_frame() -> pd.DataFrame:
    """One row per column: name, required, English and French descriptions."""
    return pd.DataFrame(
        {
            "column": TEMPLATE_NAMES,
            "required": ["yes / oui" if c.required else "" for c in TEMPLATE_COLUMNS],
            "description (en)": [c.en for c in TEMPLATE_COLUMNS],
            "description (fr)": [c.fr for c in TEMPLATE_COLUMNS],
        }
    )


def template_csv_bytes() -> bytes:
    """The CSV template: ``# `` lines describing each column, header, example row.

    The import skips leading ``#`` lines, so the template imports as is.
    """
    lines = [
        "Portfolio import template / Modèle d'import de portefeuille",
        "Lines starting with # are ignored / Les lignes commençant par # sont ignorées",
    ]
    for c in TEMPLATE_COLUMNS:
        need = "required / obligatoire" if c.required else "optional / facultatif"
        lines.append(f"{c.name} ({need}): {c.en} | {c.fr}")
    return to_csv_bytes(template_frame(), lines)


def template_xlsx_bytes() -> bytes:
    """The .xlsx template: sheet "portfolio" (example row) and sheet "columns"."""
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        neutralise_formulas(template_frame()).to_excel(
            writer, sheet_name="portfolio", index=False
        )
        neutralise_formulas(descriptions_frame()).to_excel(
            writer, sheet_name="columns", index=False
        )
    return buf.getvalue()
