"""Issue 10 item 5: a reference class fitted on the organisation's own projects."""

from __future__ import annotations

import csv
from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from src.engine.calibration import load_calibration
from src.engine.calibration.own import MIN_OWN_PROJECTS, NotEnoughProjectsError, fit_own
from src.engine.calibration.records import records_from_portfolio
from src.engine.montecarlo import run
from src.engine.scenario import BASELINE
from src.portfolio.imports import import_files
from src.store.datasets import delete_dataset, load_dataset, store_import
from src.store.reference_classes import load_own_class, save_own_class

AS_OF = date(2024, 6, 30)
HEADER = [
    "project_id", "title", "country_iso3", "sector_group", "start_date",
    "end_date", "budget_usd", "spent_usd", "status", "end_actual", "agency",
]  # fmt: skip


@pytest.fixture(autouse=True)
def _store(app_data_dir):
    return app_data_dir


def _write_csv(path, n_closed: int, n_running: int, seed: int = 5) -> None:
    """Closed projects that ran 1.25× their plan (± noise), plus running ones."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n_closed + n_running):
        planned = int(rng.integers(180, 900))
        start = AS_OF - timedelta(days=int(planned * 1.25) + int(rng.integers(60, 700)))
        end = start + timedelta(days=planned)
        closed = i < n_closed
        actual = start + timedelta(days=int(planned * 1.25 * rng.lognormal(0, 0.15)))
        rows.append(
            [
                f"OWN-{i:03d}", f"Project {i}", rng.choice(["KEN", "UGA", "TZA"]),
                "Health", start.isoformat(), end.isoformat(), "100000",
                "60000" if not closed else "100000",
                "Closed" if closed else "Implementation",
                actual.isoformat() if closed and actual <= AS_OF else "",
                rng.choice([f"Agency {c}" for c in "ABCDE"]),
            ]
        )  # fmt: skip
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(HEADER)
        w.writerows(rows)


@pytest.fixture(scope="module")
def closed_and_running(tmp_path_factory):
    """60 closed and 20 running projects imported, and the class fitted on them
    (a fit takes about 20 s; the tests below only read it)."""
    path = tmp_path_factory.mktemp("own") / "own.csv"
    _write_csv(path, n_closed=60, n_running=20)
    report = import_files([path], as_of=AS_OF)
    return report, fit_own(report.table, AS_OF)


def _same_records(stored, imported) -> None:
    """The stored dataset gives the fit exactly the records of the import."""
    pd.testing.assert_frame_equal(
        records_from_portfolio(stored, AS_OF)[0],
        records_from_portfolio(imported, AS_OF)[0],
    )


def test_a_csv_of_closed_projects_imports_fits_validates_and_drives_a_scenario(
    closed_and_running,
):
    report, own = closed_and_running
    assert len(report.table) == 80
    store_import(report, "own")
    df, meta = load_dataset("own")
    assert date.fromisoformat(meta.as_of) == AS_OF
    _same_records(df, report.table)  # so `own` is the fit of the stored data
    assert own.projects >= MIN_OWN_PROJECTS
    entry = own.entry
    assert own.check.reference_class == "own"
    assert own.check.n == own.projects
    save_own_class("own", meta.fingerprint, entry, own.check.to_dict())
    stored = load_own_class("own", meta.fingerprint)
    assert stored is not None
    assert stored.entry == entry
    cal = load_calibration().with_class("own", stored.entry)
    res = run(df, BASELINE.with_changes(trials=64, reference="own"), as_of=AS_OF,
              calibration=cal)  # fmt: skip
    classes = res.rows["reference_class"]
    # The 60 closed projects keep their reported outcome; the 20 running ones
    # are drawn from the user's own class.
    assert (classes == "reported").sum() == 60
    assert (classes == "own").sum() == 20
    running = res.rows[classes == "own"]
    # Running projects are all past their plan: median ratio above 1.
    assert (running["ratio_p50"] > 1.0).all()
    # Deleting the dataset deletes its class.
    delete_dataset("own")
    assert load_own_class("own", meta.fingerprint) is None


def test_fewer_than_30_projects_give_a_clear_message(tmp_path):
    path = tmp_path / "few.csv"
    _write_csv(path, n_closed=12, n_running=5)
    report = import_files([path], as_of=AS_OF)
    with pytest.raises(NotEnoughProjectsError, match="at least 30 projects") as err:
        fit_own(report.table, AS_OF)
    assert err.value.found == 17


def test_a_class_fitted_on_other_data_is_not_used_after_the_data_change(tmp_path):
    path = tmp_path / "x.csv"
    _write_csv(path, n_closed=3, n_running=1)
    store_import(import_files([path], as_of=AS_OF), "x")
    save_own_class("x", "fingerprint-1", {"fit": {}}, {})
    assert load_own_class("x", "fingerprint-2") is None
    assert load_own_class("x", "fingerprint-1") is not None


def test_the_own_fit_recovers_the_delay_of_closed_projects(tmp_path):
    """60 closed projects that ran 1.25× their plan: predicted median 1.25 ± 5%."""
    from src.engine.reference import survival_class

    path = tmp_path / "closed.csv"
    _write_csv(path, n_closed=60, n_running=0)
    report = import_files([path], as_of=AS_OF)
    own = fit_own(report.table, AS_OF)
    rows = report.table.assign(planned_m=365.0 / 30.4375)
    dist = survival_class(own.entry, rows.head(1), np.array([12.0]))
    assert np.exp(dist.mu[0]) == pytest.approx(1.25, rel=0.05)


def test_the_cli_simulates_with_the_dataset_own_class(
    closed_and_running, tmp_path, capsys
):
    import json

    from src.cli.main import main

    report, own = closed_and_running
    store_import(report, "hist")
    scen = tmp_path / "own.json"
    scen.write_text(BASELINE.with_changes(trials=16, reference="own").to_json())
    assert main(["simulate", "--dataset", "hist", "--scenario", str(scen)]) == 2
    assert "has none fitted" in capsys.readouterr().err
    df, meta = load_dataset("hist")
    _same_records(df, report.table)
    save_own_class("hist", meta.fingerprint, own.entry, own.check.to_dict())
    args = ["simulate", "--dataset", "hist", "--scenario", str(scen), "--json"]
    assert main(args) == 0
    rows = json.loads(capsys.readouterr().out)["rows"]
    assert {r["reference_class"] for r in rows} == {"own", "reported"}
