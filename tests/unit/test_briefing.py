"""Briefing pack: slides, numbers equal to the data layer, PPTX/PDF, layout safety."""

from __future__ import annotations

import doctest
import io
import re

import pandas as pd
import pytest
from pptx import Presentation
from pypdf import PdfReader

import src.briefing.scenarios as scenario_module
import src.briefing.text as text_module
from src.briefing import ScenarioResult, build_pack, to_pdf, to_pptx
from src.briefing.charts import png_size
from src.briefing.scenarios import METRIC_COLUMNS, run_scenario
from src.briefing.sections import SECTIONS
from src.briefing.text import truncate
from src.cli.main import main
from src.i18n import format_date, format_money, format_number, format_percent
from src.portfolio import schema as S
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.portfolio.summary import breakdown, kpis

AFRICA = FilterSpec(regions=("Sub-Saharan Africa",))
NASTY = "<script>alert('x')</script> & \"quoted\" 'single' " + "very long " * 40


def norm(text: str) -> str:
    """Collapse every kind of space (Babel's French narrow no-break spaces)."""
    return re.sub(r"[\s\u202f\xa0]+", " ", text).strip()


@pytest.fixture(scope="module")
def bundled():
    return load_bundled_portfolio()


def fake_result(name: str = "Budget cut 20%") -> ScenarioResult:
    """Plain scenario data, as the engine adapter produces it."""
    metrics = pd.DataFrame(
        [
            ("on_time_rate", 0.06, 0.08, 0.10, 0.08, 0.10, 0.12, 0.02),
            ("mean_delay_months", 17.0, 18.0, 19.0, 16.0, 16.5, 17.0, -1.5),
            ("funding_gap_usd", 1.8e8, 2.3e8, 3.2e8, 1.5e8, 1.9e8, 2.5e8, -4.6e7),
        ],
        columns=list(METRIC_COLUMNS),
    )
    delivery = pd.DataFrame(
        {
            "series": ["baseline"] * 3 + ["scenario"] * 3,
            "year": [1, 2, 3] * 2,
            "p10": [1.0e9, 5.7e8, 2.7e8, 0.9e9, 5.0e8, 2.5e8],
            "p50": [1.1e9, 6.2e8, 2.9e8, 1.0e9, 5.5e8, 2.7e8],
            "p90": [1.2e9, 6.7e8, 3.2e8, 1.1e9, 6.0e8, 3.0e8],
        }
    )
    info = {"trials": 500, "seed": 7, "horizon_months": 36, "budget_policy": "descope"}
    return ScenarioResult(name, metrics, delivery, {**info, "levers": ["budget -20%"]})


@pytest.fixture(scope="module")
def africa_en(bundled):
    df, meta = bundled
    return build_pack(df, meta, AFRICA, lang="en", scenarios=[fake_result()])


@pytest.fixture(scope="module")
def africa_pptx(africa_en):
    return Presentation(io.BytesIO(to_pptx(africa_en)))


def slide_texts(prs) -> list[str]:
    out = []
    for slide in prs.slides:
        parts = []
        for shape in slide.shapes:
            if shape.has_text_frame:
                parts.append(shape.text_frame.text)
            if shape.has_table:
                parts.extend(c.text for row in shape.table.rows for c in row.cells)
        out.append("\n".join(parts))
    return out


def test_doctests_of_text_and_scenario_helpers_pass():
    for module in (text_module, scenario_module):
        assert doctest.testmod(module).failed == 0


def test_pack_has_a_title_slide_then_every_section_in_order(africa_en):
    kinds = [s.kind for s in africa_en.slides]
    assert kinds == [
        "title",
        "kpis",
        "chart",
        "chart",
        "chart",
        "chart",
        "table",
        "kpis",
        "table",
        "scenario",
        "methods",
    ]
    titles = [s.title for s in africa_en.slides]
    assert titles[1:7] == [
        "Key figures",
        "Budget by country",
        "Budget by sector",
        "Budget by risk level",
        "Budget by region",
        "Top at-risk projects",
    ]
    assert titles[7] == "Funding cliff: what ends without successor"
    assert titles[8] == "Who does what where, and what ends without successor"
    assert titles[9] == "Scenario: Budget cut 20%"
    assert titles[10] == "Methods and caveats"


def test_sections_can_be_chosen_and_unknown_ones_are_refused(bundled):
    df, meta = bundled
    pack = build_pack(df, meta, FilterSpec(), lang="en", sections=("kpis",))
    assert [s.kind for s in pack.slides] == ["title", "kpis"]
    with pytest.raises(ValueError, match="unknown section"):
        build_pack(df, meta, FilterSpec(), lang="en", sections=("nope",))
    with pytest.raises(ValueError, match="unknown language"):
        build_pack(df, meta, FilterSpec(), lang="de")


def test_title_slide_names_filters_language_source_and_data_date(africa_pptx, bundled):
    _, meta = bundled
    cover = slide_texts(africa_pptx)[0]
    assert "Portfolio briefing" in cover
    assert "Language: English" in cover
    assert "Filters: Region: Sub-Saharan Africa" in cover
    assert f"Data as of: {format_date(meta.as_of, 'en')}" in cover
    assert "Source: IATI activity files" in cover
    assert meta.fingerprint in cover


def test_kpi_numbers_equal_the_data_layer_for_the_same_filters(africa_pptx, bundled):
    df, meta = bundled
    sel = df[df[S.COL_REGION] == "Sub-Saharan Africa"]
    budget = sel[S.COL_BUDGET].sum()
    rep = sel[sel[S.COL_SPEND_REPORTED]]
    delivery = rep[S.COL_SPENT].sum() / rep[S.COL_BUDGET].sum()
    high = sel.loc[sel[S.COL_RISK].isin(["High", "Very high"]), S.COL_BUDGET].sum()
    expected = {
        "Projects": format_number(sel[S.COL_PROJECT_ID].nunique(), "en"),
        "Countries": format_number(
            sel[S.COL_COUNTRY].replace("", None).nunique(), "en"
        ),
        "Total budget": format_money(budget, "en"),
        "Total spent": format_money(sel[S.COL_SPENT].sum(), "en"),
        "Delivery ratio": format_percent(delivery, "en"),
        "Budget at high risk": format_percent(high / budget, "en"),
    }
    text = slide_texts(africa_pptx)[1]
    for label, value in expected.items():
        assert f"{label}\n{value}" in text, label  # the value shape follows its label
    # and the same as the app's data layer
    k = kpis(sel, meta.as_of)
    assert format_money(k.budget, "en") == expected["Total budget"]


def test_breakdown_slides_show_the_data_layer_budgets(africa_en, bundled):
    df, _ = bundled
    sel = AFRICA.apply(df)
    sector = breakdown(sel, S.COL_SECTOR_GROUP, S.ALL_SECTOR_GROUPS)
    lines = africa_en.slides[3].lines
    for group, budget in zip(
        sector[S.COL_SECTOR_GROUP], sector["budget_usd"], strict=True
    ):
        assert any(
            line.startswith(group) and format_money(budget, "en") in line
            for line in lines
        ), group


def test_charts_are_pngs_at_least_1600_px_wide(africa_en):
    images = [s.image for s in africa_en.slides if s.image is not None]
    assert len(images) == 5  # map, 3 breakdowns, fan chart
    for png in images:
        assert png[:8] == b"\x89PNG\r\n\x1a\n"
        assert png_size(png)[0] >= 1600


def test_pptx_has_one_slide_per_pack_slide_with_pictures(africa_pptx, africa_en):
    assert len(africa_pptx.slides) == len(africa_en.slides)
    pictures = [
        sh for slide in africa_pptx.slides for sh in slide.shapes if sh.shape_type == 13
    ]
    assert len(pictures) == 5


def test_top_at_risk_table_lists_the_highest_risk_scores(africa_pptx, bundled):
    df, _ = bundled
    sel = AFRICA.apply(df)
    top = sel.sort_values([S.COL_RISK_SCORE, S.COL_BUDGET], ascending=False).iloc[0]
    tables = [sh for sh in africa_pptx.slides[6].shapes if sh.has_table]
    assert len(tables) == 1
    grid = tables[0].table
    assert len(grid.rows) == 11
    assert grid.cell(0, 0).text == "Title"
    assert grid.cell(1, 0).text == truncate(top[S.COL_TITLE], 60)
    assert grid.cell(1, 5).text == format_number(top[S.COL_RISK_SCORE], "en", 2)


def test_scenario_slide_shows_ranges_fan_chart_and_summary(africa_pptx):
    text = slide_texts(africa_pptx)[9]
    assert "Baseline P50 (P10 – P90)" in text
    assert "8.0% (6.0% – 10.0%)" in text  # baseline on-time rate
    assert "10.0% (8.0% – 12.0%)" in text  # scenario on-time rate
    # A change of a share is in percentage points, as on the app's cards.
    assert "+2.0 pp" in text
    assert "-US$46.0M" in text  # funding-gap change: the sign before the currency
    assert "US$230.0M (US$180.0M – US$320.0M)" in text
    assert "Under “Budget cut 20%”, on-time completion would be 10.0%" in text


def test_methods_slide_lists_derived_values_risk_formula_model_and_sources(
    africa_pptx,
):
    text = slide_texts(africa_pptx)[10]
    assert "Derived values" in text
    assert "40% × country risk (INFORM 2020)" in text
    assert "data/risk_formula.json" in text
    assert "500 trials, seed 7, horizon 36 months" in text
    assert "Sources:" in text


def test_pdf_has_the_same_pages_and_searchable_text(africa_en):
    reader = PdfReader(io.BytesIO(to_pdf(africa_en)))
    assert len(reader.pages) == len(africa_en.slides)
    pages = [norm(p.extract_text()) for p in reader.pages]
    assert "Portfolio briefing" in pages[0]
    assert "Key figures" in pages[1]
    assert norm(format_money(africa_en.kpis.budget, "en")) in pages[1]
    assert "Top at-risk projects" in pages[6]
    assert "Scenario: Budget cut 20%" in pages[9]
    assert "Methods and caveats" in pages[10]
    images = sum(len(p.images) for p in reader.pages)
    assert images == 5


def test_french_pack_has_french_labels_and_number_formatting(bundled):
    df, meta = bundled
    pack = build_pack(df, meta, AFRICA, lang="fr", sections=("kpis", "methods"))
    k = kpis(AFRICA.apply(df), meta.as_of)
    budget = format_money(k.budget, "fr")
    assert "M$US" in budget
    assert "," in budget
    prs = Presentation(io.BytesIO(to_pptx(pack)))
    texts = slide_texts(prs)
    assert "Note de synthèse du portefeuille" in texts[0]
    assert "Langue : Français" in texts[0]
    assert "Afrique subsaharienne" in texts[0]
    assert "Chiffres clés" in texts[1]
    assert "Budget total" in texts[1]
    assert budget in texts[1]
    assert "Méthodes et limites" in texts[2]
    pdf_pages = [
        norm(p.extract_text()) for p in PdfReader(io.BytesIO(to_pdf(pack))).pages
    ]
    assert "Chiffres clés" in pdf_pages[1]
    assert norm(budget) in pdf_pages[1]


def shapes_inside_slide(prs) -> None:
    width, height = prs.slide_width, prs.slide_height
    for number, slide in enumerate(prs.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0, (number, shape.name)
            assert shape.top >= 0, (number, shape.name)
            assert shape.left + shape.width <= width, (number, shape.name)
            assert shape.top + shape.height <= height, (number, shape.name)


def test_markup_and_very_long_titles_are_truncated_and_stay_on_the_slide(bundled):
    df, meta = bundled
    assert len(NASTY) > 400
    pack = build_pack(
        df,
        meta,
        FilterSpec(countries=("KEN",)),
        lang="en",
        title=NASTY,
        scenarios=[fake_result(name=NASTY)],
    )
    prs = Presentation(io.BytesIO(to_pptx(pack)))
    shapes_inside_slide(prs)
    cover_title = next(
        sh.text_frame.text
        for sh in prs.slides[0].shapes
        if sh.has_text_frame and sh.text_frame.text.startswith("<script>")
    )
    assert cover_title.startswith("<script>alert('x')</script> & \"quoted\"")
    assert cover_title.endswith("…")
    assert len(cover_title) <= 90
    scenario = next(s for s in prs.slides if "Scenario: <script>" in slide_texts_one(s))
    title = next(
        sh.text_frame.text
        for sh in scenario.shapes
        if sh.has_text_frame and sh.text_frame.text.startswith("Scenario: <script>")
    )
    assert title.endswith("…")
    assert len(title) <= 60
    reader = PdfReader(io.BytesIO(to_pdf(pack)))
    assert len(reader.pages) == len(pack.slides)
    assert "<script>alert('x')</script>" in reader.pages[0].extract_text()


def slide_texts_one(slide) -> str:
    return "\n".join(sh.text_frame.text for sh in slide.shapes if sh.has_text_frame)


def test_every_shape_of_the_full_pack_lies_within_the_slide(africa_pptx):
    shapes_inside_slide(africa_pptx)


def test_control_characters_in_titles_do_not_break_the_files(bundled):
    df, meta = bundled
    pack = build_pack(
        df, meta, FilterSpec(), lang="en", sections=(), title="A\x00B\x0b"
    )
    assert pack.title == "AB"
    Presentation(io.BytesIO(to_pptx(pack)))
    PdfReader(io.BytesIO(to_pdf(pack)))


def test_an_empty_selection_still_gives_a_deck(bundled):
    df, meta = bundled
    pack = build_pack(df, meta, FilterSpec(countries=("XXX",)), lang="en")
    assert [s.kind for s in pack.slides] == ["title", "methods", "kpis", "methods"]
    assert pack.slides[1].title == "No projects match these filters"
    Presentation(io.BytesIO(to_pptx(pack)))


def test_run_scenario_reports_the_engine_comparison(bundled):
    from datetime import date

    from src.engine.montecarlo import compare
    from src.engine.scenario import BASELINE, Lever

    df, meta = bundled
    sel = FilterSpec(countries=("KEN",)).apply(df)
    scenario = BASELINE.with_changes(
        name="Cut", levers=(Lever("budget", -30),), trials=64, horizon_months=36
    )
    result = run_scenario(sel, scenario, as_of=meta.as_of)
    comp = compare(
        sel,
        BASELINE.with_changes(trials=64, horizon_months=36),
        scenario,
        as_of=date.fromisoformat(meta.as_of),
        row_quantiles=False,
        group_by=(),
    )
    m = result.metrics.set_index("metric")
    base = comp.baseline.portfolio.set_index("metric")
    assert m.loc["on_time_rate", "baseline_p50"] == pytest.approx(
        base.loc["on_time_rate", "p50"]
    )
    assert m.loc["funding_gap_usd", "delta_p50"] == pytest.approx(
        comp.deltas.set_index("metric").loc["funding_gap_usd", "p50"]
    )
    assert sorted(result.delivery["series"].unique()) == ["baseline", "scenario"]
    assert result.info["trials"] == 64
    assert result.info["levers"] == ["budget -30% (whole portfolio)"]


def test_cli_writes_a_country_brief_as_pptx_and_pdf(tmp_path, capsys):
    pptx_path, pdf_path = tmp_path / "ken.pptx", tmp_path / "ken.pdf"
    assert main(["brief", "--country", "ken", "--out", str(pptx_path)]) == 0
    assert (
        main(["brief", "--country", "KEN", "--lang", "fr", "--out", str(pdf_path)]) == 0
    )
    prs = Presentation(str(pptx_path))
    # no scenario slides; the coordination section has two
    assert len(prs.slides) == 1 + len(SECTIONS) - 1 + 1
    assert "Filters: Country: Kenya" in slide_texts(prs)[0]
    assert "Pays: Kenya" in PdfReader(str(pdf_path)).pages[0].extract_text()
    assert "wrote" in capsys.readouterr().out


def test_cli_runs_a_scenario_file(tmp_path):
    from src.engine.scenario import BASELINE, Lever

    path = tmp_path / "cut.json"
    path.write_text(
        BASELINE.with_changes(name="Cut 20", levers=(Lever("budget", -20),)).to_json()
    )
    out = tmp_path / "deck.pptx"
    args = ["brief", "--country", "KEN", "--scenario", str(path), "--trials", "64"]
    assert main([*args, "--out", str(out)]) == 0
    assert any("Scenario: Cut 20" in t for t in slide_texts(Presentation(str(out))))


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "deck.doc"], "must end in .pptx or .pdf"),
        (["--out", "d.pptx", "--scenario", "missing.json"], "not found"),
        (["--out", "d.pptx", "--risk", "Huge"], "unknown value"),
    ],
)
def test_cli_bad_input_gives_exit_code_2_and_a_message(args, message, capsys):
    assert main(["brief", *args]) == 2
    assert message in capsys.readouterr().err


def test_pdf_falls_back_to_a_core_font_without_a_unicode_font(bundled, monkeypatch):
    import src.briefing.pdf_writer as pdf_writer

    monkeypatch.setattr(pdf_writer, "find_font", lambda: None)
    df, meta = bundled
    pack = build_pack(df, meta, AFRICA, lang="fr", sections=("kpis",), title=NASTY)
    text = norm(PdfReader(io.BytesIO(to_pdf(pack))).pages[1].extract_text())
    assert "Chiffres clés" in text
    assert norm(format_money(pack.kpis.budget, "fr")) in text


def test_a_scenario_saved_on_other_filters_says_it_is_re_run_here(bundled):
    from src.engine.scenario import BASELINE, Lever

    df, meta = bundled
    spec = FilterSpec(countries=("KEN",))
    saved_on = {"sectors": ["Health"]}
    scenario = BASELINE.with_changes(
        name="Health cut", levers=(Lever("budget", -30),), trials=32,
        filters=saved_on,
    )  # fmt: skip
    result = run_scenario(spec.apply(df), scenario, as_of=meta.as_of, filters=spec)
    assert result.info["saved_filters"] == saved_on
    same = run_scenario(
        FilterSpec(sectors=("Health",)).apply(df),
        scenario,
        as_of=meta.as_of,
        filters=FilterSpec(sectors=("Health",)),
    )
    assert "saved_filters" not in same.info
    pack = build_pack(
        df, meta, spec=spec, lang="en", sections=("scenarios",), scenarios=[result]
    )
    slide = next(s for s in pack.slides if s.kind == "scenario")
    assert slide.lines[-1] == (
        "Saved on other filters (Sector: Health); re-run here on this pack's selection."
    )


def test_a_stored_scenario_reads_back_from_each_shape_the_store_may_return():
    from src.briefing.scenarios import as_scenario
    from src.engine.scenario import BASELINE, Lever

    cut = BASELINE.with_changes(name="Cut", levers=(Lever("budget", -20),))
    for stored in (cut, cut.to_dict(), cut.to_json(), cut.to_json().encode()):
        assert as_scenario(stored, "Cut") == cut
    with pytest.raises(ValueError, match="scenario 'Cut': unexpected stored value"):
        as_scenario(3, "Cut")


def test_the_coordination_slide_shows_actors_and_the_cliff_of_a_country(bundled):
    from datetime import date

    from src.i18n import format_money
    from src.portfolio import continuity
    from src.portfolio.load import load_bundled_side_tables

    df, meta = bundled
    budgets = load_bundled_side_tables().budgets
    spec = FilterSpec(countries=("BGD",))
    pack = build_pack(
        df, meta, spec, lang="en", sections=("coordination",), budgets=budgets
    )
    cards, slide = pack.slides[-2:]
    (row,) = slide.table.rows
    rows = spec.apply(df)
    assert row[0] == "Bangladesh"
    assert row[1] == str(rows["agency"].nunique())
    cliff = continuity.cliff(rows, budgets, date.fromisoformat(meta.as_of))
    money = [format_money(v, "en") for v in cliff["budget_usd"]]
    assert list(row[4:]) == money
    assert [v for _, v in cards.kpis[:3]] == money
    on_cliff = continuity.cliff_rows(rows, budgets, date.fromisoformat(meta.as_of), 12)
    assert cards.kpis[3][1] == str(on_cliff["project_id"].nunique())
    texts = slide_texts(Presentation(io.BytesIO(to_pptx(pack))))
    assert "Bangladesh" in texts[-1]
    assert money[0] in texts[-2]
    # Without budget periods the notes say the cliff is an upper bound.
    bare = build_pack(df, meta, spec, lang="en", sections=("coordination",))
    assert any("publishes no budget periods" in x for x in bare.slides[-2].lines)
    assert any("COVID-19" in x for x in pack.slides[-1].lines)  # the sample's tag
    # An imported dataset's pack does not call its activities COVID-19-tagged.
    from dataclasses import replace

    imported = build_pack(
        df,
        replace(meta, name="partner"),
        spec,
        lang="fr",
        sections=("coordination",),
        budgets=budgets,
    )
    lines = [x for s in imported.slides[-2:] for x in s.lines]
    assert not any("COVID" in x for x in lines)
    assert any("organisations déclarantes de ce jeu de données" in x for x in lines)
