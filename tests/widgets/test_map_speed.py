"""The map's speed paths: reused point records and the coarse world shapes."""

from __future__ import annotations

import json

import pytest

from src.portfolio import geo
from src.portfolio import schema as S
from src.portfolio.summary import by_country
from src.widgets.map_deck import build_portfolio_deck


def _layer(deck, layer_id: str) -> dict:
    spec = json.loads(deck.to_json())
    return next(layer for layer in spec["layers"] if layer["id"] == layer_id)


def test_point_records_come_from_the_source_with_this_selections_radius(
    tiny_portfolio,
):
    asked: list[list[object]] = []

    def source(rows):
        asked.append(list(rows.index))
        return {
            label: {"title": f"row {label}", "body": "", "color": [1, 2, 3]}
            for label in rows.index
        }

    # Two site rows of which one has a budget four times the other's: the
    # largest dot is 22 px, the other 2.5 + 19.5 * sqrt(1/4) = 12.25 px (sent
    # to 0.1 px).
    rows = tiny_portfolio.iloc[:2].assign(
        **{S.COL_PRECISION: "site", S.COL_BUDGET: [1_000.0, 4_000.0]}
    )
    deck, _ = build_portfolio_deck(
        by_country(rows), rows, metric="budget", lang="en", records=source
    )
    data = _layer(deck, "points")["data"]
    assert [d["title"] for d in data] == [f"row {i}" for i in rows.index]
    assert [d["radius"] for d in data] == pytest.approx([12.25, 22.0], abs=0.051)
    assert asked == [list(rows.index)]  # the site rows; no country-level rows
    assert [d["fill"] for d in data] == [[1, 2, 3]] * 2  # dots, no rings


def test_the_record_source_is_not_asked_when_points_are_cells(tiny_portfolio):
    def source(rows):
        raise AssertionError("cells need no per-row records")

    deck, _ = build_portfolio_deck(
        by_country(tiny_portfolio),
        tiny_portfolio,
        metric="budget",
        lang="en",
        max_points=1,
        records=source,
    )
    assert _layer(deck, "cells")["data"]


def _vertices(shapes: dict) -> int:
    return sum(
        len(ring)
        for feature in shapes["features"]
        for polygon in feature["geometry"]["coordinates"]
        for ring in polygon
    )


def test_world_shapes_keep_every_country_with_fewer_vertices_and_are_kept_on_disk(
    app_data_dir,
):
    geo.world_shapes.cache_clear()
    # the seeded cache may hold shapes made with other settings: start without
    for old in (app_data_dir / "cache").glob("world-shapes-*.json"):
        old.unlink()
    fine = geo.country_shapes()
    world = geo.world_shapes()
    assert [f["properties"] for f in world["features"]] == [
        f["properties"] for f in fine["features"]
    ]
    assert _vertices(world) < 0.6 * _vertices(fine)
    (kept,) = (app_data_dir / "cache").glob("world-shapes-*.json")
    assert json.loads(kept.read_text(encoding="utf-8")) == world
    # A new process reads the file instead of simplifying again.
    kept.write_text(json.dumps({"type": "FeatureCollection", "features": []}))
    geo.world_shapes.cache_clear()
    assert geo.world_shapes()["features"] == []
    geo.world_shapes.cache_clear()


def _area(ring: list[list[float]]) -> float:
    """Shoelace area in square degrees."""
    return 0.5 * abs(
        sum(
            x0 * y1 - x1 * y0
            for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True)
        )
    )


def test_world_shapes_are_coarse_where_it_does_not_show_and_keep_every_island(
    app_data_dir,
):
    geo.world_shapes.cache_clear()
    for old in (app_data_dir / "cache").glob("world-shapes-*.json"):
        old.unlink()
    world = geo.world_shapes()
    geo.world_shapes.cache_clear()
    for feature in world["features"]:
        rings = [ring for poly in feature["geometry"]["coordinates"] for ring in poly]
        # every country, small island states too, still draws a polygon
        assert max(_area(ring) for ring in rings) > 0, feature["properties"]
        for ring in rings:
            assert len(ring) >= 4
            span = max(
                max(p[i] for p in ring) - min(p[i] for p in ring) for i in (0, 1)
            )
            if span >= geo.WORLD_COARSE_SPAN:  # large rings: to 0.1 degree
                assert all(abs(v * 10 - round(v * 10)) < 1e-6 for p in ring for v in p)
            else:  # small rings: at most a few dozen points
                assert len(ring) <= 40
