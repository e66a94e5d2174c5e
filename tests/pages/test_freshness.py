"""Issue 16 item 5: a dataset replaced under the same name is shown at once."""

from __future__ import annotations

from src.portfolio.load import load_bundled_portfolio
from src.store.datasets import save_dataset
from tests.pages import helpers


def test_a_replaced_dataset_is_shown_at_once_not_from_the_cache(app_data_dir):
    from src.portfolio.dataset_report import DatasetReport

    df, meta = load_bundled_portfolio()
    kenya = df[df["country_iso3"] == "KEN"].reset_index(drop=True)
    mali = df[df["country_iso3"].isin(["MLI", "NER"])].reset_index(drop=True)
    assert kenya["project_id"].nunique() != mali["project_id"].nunique()
    save_dataset("mine", kenya, meta, provenance={}, report=DatasetReport())
    at = helpers.open_page(None, {"dataset": "mine"})
    shown = {m.label: m.value for m in at.metric}
    assert shown["Projects"] == str(kenya["project_id"].nunique())
    # Another process replaces it; the next visit must not see the old table.
    other = meta.__class__(meta.as_of, "another-fingerprint", meta.name)
    save_dataset(
        "mine", mali, other, provenance={}, report=DatasetReport(), replace=True
    )
    at = helpers.open_page(None, {"dataset": "mine"})
    shown = {m.label: m.value for m in at.metric}
    assert shown["Projects"] == str(mali["project_id"].nunique())
