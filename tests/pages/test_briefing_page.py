"""AppTest of the Briefing page: runs, previews the slides, offers both downloads."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from src.i18n import format_money
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import kpis
from src.widgets.briefing import SECTIONS_KEY
from tests.pages import helpers

PAGE = "pages/briefing.py"


def run_page(params: dict[str, str] | None = None) -> AppTest:
    return helpers.open_page(PAGE, params)


def download_labels(at: AppTest) -> list[str]:
    return [b.proto.label for b in at.get("download_button")]


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_briefing_page_runs_and_offers_pptx_and_pdf_downloads():
    at = run_page()
    assert not at.exception, at.exception
    assert at.title[0].value == "Briefing pack"
    assert download_labels(at) == ["Download PowerPoint (.pptx)", "Download PDF"]
    text = markdown_text(at)
    assert "Slide 1: Portfolio briefing" in text
    assert "Methods and caveats" in text
    assert len(at.get("image")) >= 1  # chart previews


def test_briefing_page_kpis_equal_the_data_layer_for_the_url_filters():
    at = run_page({"country": "KEN"})
    assert not at.exception, at.exception
    df, meta = load_bundled_portfolio()
    k = kpis(FilterSpec(countries=("KEN",)).apply(df), meta.as_of)
    values = {m.label: m.value.replace("\\$", "$") for m in at.metric}
    assert values["Total budget"] == format_money(k.budget, "en")


def test_choosing_sections_limits_the_preview():
    at = run_page()
    at.multiselect(key=SECTIONS_KEY).set_value(["kpis"]).run()
    assert not at.exception, at.exception
    text = markdown_text(at)
    assert "Slide 2: Key figures" in text
    assert "Slide 3" not in text
    assert len(download_labels(at)) == 2


def test_briefing_page_in_french():
    at = run_page({"lang": "fr"})
    assert not at.exception, at.exception
    assert at.title[0].value == "Dossier de présentation"
    assert download_labels(at) == [
        "Télécharger PowerPoint (.pptx)",
        "Télécharger le PDF",
    ]
    assert "Note de synthèse du portefeuille" in markdown_text(at)
