"""Issue 16 item 5: an imported dataset's source line names its own files
(the provenance panel, the briefing's title and methods slides), not the
bundled agencies' IATI files."""

from __future__ import annotations

from src.briefing.pack import build_pack
from src.portfolio.dataset_report import DatasetReport
from src.portfolio.filters import FilterSpec
from src.portfolio.load import load_bundled_portfolio
from src.store.datasets import load_dataset, save_dataset
from tests.pages import helpers

FILE = "mes_projets été.csv"


def _save_own(df, meta) -> None:
    files = [{"name": FILE, "kind": "csv", "size": 10, "sha256": "ab"}]
    save_dataset("mine", df, meta, provenance={"files": files}, report=DatasetReport())


def test_the_provenance_panel_names_an_imported_datasets_own_files(app_data_dir):
    df, meta = load_bundled_portfolio()
    _save_own(df[df["country_iso3"] == "KEN"].reset_index(drop=True), meta)
    at = helpers.open_page(None, {"dataset": "mine"})
    sources = [m.value for m in at.markdown if "Sources" in m.value]
    assert len(sources) == 1
    assert r"mes\_projets été\.csv" in sources[0]  # escaped Markdown
    assert "UNOPS" not in sources[0]


def test_the_briefing_names_an_imported_datasets_own_files(app_data_dir):
    df, meta = load_bundled_portfolio()
    _save_own(df[df["country_iso3"] == "KEN"].reset_index(drop=True), meta)
    own, own_meta = load_dataset("mine")
    assert own_meta.files == (FILE,)
    pack = build_pack(own, own_meta, FilterSpec(), lang="fr")
    title = pack.slides[0].lines
    methods = next(s for s in pack.slides if s.kind == "methods").lines
    for lines in (title, methods):
        assert any(FILE in line for line in lines)
        assert not any("UNOPS" in line for line in lines)
    bundled = build_pack(df, meta, FilterSpec(), lang="fr")
    assert any("UNOPS" in line for line in bundled.slides[0].lines)
