"""Country shapes for the offline base map (Natural Earth 1:50m, simplified).

Rings are simplified with Douglas-Peucker at 0.05 degree (about 5 km),
coordinates are rounded to 0.01 degree, and islets (bounding box under 0.05 square
degrees) are dropped unless they are a country's largest polygon. Every country is
kept, small island states included, and the map payload is a fraction of the
source file's 3 MB.

`world_shapes()` is the coarser set the world map draws (0.2 degree, about one
pixel at the world view's zoom; rings larger than 2 degrees to 0.1 degree,
small islands with a few points each: a third of the vertices and bytes),
simplified once and kept in the cache folder, so a fresh server process reads
it instead of simplifying again (about 2.5 s on a shared 2-core machine).
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

import numpy as np

from src.portfolio import paths
from src.portfolio.reference import feature_parts


def _douglas_peucker(points: np.ndarray, tolerance: float) -> np.ndarray:
    """Indices kept by Douglas-Peucker simplification of an open polyline."""
    keep = np.zeros(len(points), dtype=bool)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        a, b = points[first], points[last]
        seg = b - a
        norm = float(np.hypot(*seg))
        rel = points[first + 1 : last] - a
        if norm == 0.0:
            dist = np.hypot(rel[:, 0], rel[:, 1])
        else:
            dist = np.abs(seg[0] * rel[:, 1] - seg[1] * rel[:, 0]) / norm
        i = int(dist.argmax())
        if dist[i] > tolerance:
            mid = first + 1 + i
            keep[mid] = True
            stack.extend(((first, mid), (mid, last)))
    return keep


def _simplify_ring(ring: list[list[float]], step: float) -> list[list[float]]:
    """Douglas-Peucker simplification of one closed ring (tolerance `step` degrees).

    Rings that would collapse below 4 points keep their original points, so tiny
    island states stay visible. Coordinates are rounded to 0.01 degree.
    """
    pts = np.asarray(ring, dtype=float)
    if len(pts) > 4:
        kept = pts[_douglas_peucker(pts, step)]
        if len(kept) >= 4:
            pts = kept
    return np.round(pts, 2).tolist()


def _box_area(poly: list[list[list[float]]]) -> float:
    lons = [pt[0] for pt in poly[0]]
    lats = [pt[1] for pt in poly[0]]
    return (max(lons) - min(lons)) * (max(lats) - min(lats))


def _main_polygons(polys: list, min_area: float) -> list:
    """A country's polygons without its islets.

    Polygons whose bounding box is under `min_area` square degrees are dropped,
    but the largest polygon always stays, so every island state remains.
    """
    areas = [_box_area(p) for p in polys]
    largest = max(range(len(polys)), key=areas.__getitem__)
    return [p for i, p in enumerate(polys) if i == largest or areas[i] >= min_area]


@cache
def country_shapes(
    path: Path = paths.COUNTRIES_GEOJSON, step: float = 0.05, min_area: float = 0.05
) -> dict[str, Any]:
    """A FeatureCollection with properties iso3 and name only (simplified).

    One feature per ISO3 (`reference.feature_parts`): the features Natural
    Earth gives one code are merged into one MultiPolygon, named after the
    first (Australia, with the Ashmore and Cartier Islands), so the map draws,
    colours and names each country once.
    """
    with path.open(encoding="utf-8") as fh:
        source = json.load(fh)
    countries: dict[str, tuple[str, list]] = {}
    for feature in source["features"]:
        for iso3, name, polys in feature_parts(feature):
            countries.setdefault(iso3, (name, []))[1].extend(polys)
    features = [
        {
            "type": "Feature",
            "properties": {"iso3": iso3, "name": name},
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [_simplify_ring(ring, step) for ring in poly]
                    for poly in _main_polygons(polys, min_area)
                ],
            },
        }
        for iso3, (name, polys) in countries.items()
    ]
    return {"type": "FeatureCollection", "features": features}


# The world view (zoom about 1): a pixel is about 0.3 degree at the equator.
WORLD_STEP = 0.2
WORLD_MIN_AREA = 0.1
# Rings at least this wide or tall (degrees) are sent to 0.1 degree, a third
# of a pixel at the world view; smaller ones keep 0.01 so islets keep a shape.
WORLD_COARSE_SPAN = 2.0
# Part of the world shapes cache file's name: raised when the making of the
# shapes changes, so an older file is not read (2: one feature per ISO3).
SHAPES_VERSION = 2


def _small_ring(ring: list[list[float]]) -> list[list[float]]:
    """A small ring with as few points as keep it a polygon (at least 4).

    `_simplify_ring` keeps a ring whole when the world step would collapse it
    (an island a few pixels wide then kept dozens of points): here the
    tolerance shrinks until 4 points or more remain.
    """
    pts = np.asarray(ring, dtype=float)
    for tolerance in (0.1, 0.05, 0.02):
        kept = pts[_douglas_peucker(pts, tolerance)]
        if len(kept) >= 4:
            return kept.tolist()
    return ring


def _coarse_ring(ring: list[list[float]]) -> list[list[float]]:
    """A large ring's points at 0.1 degree, repeated points dropped.

    Small rings get fewer points (`_small_ring`) and keep 0.01 degree; a ring
    that would fall under 4 points is kept as it is. Fewer points and digits
    make a shorter map spec (the browser parses it character by character).
    """
    lons = [pt[0] for pt in ring]
    lats = [pt[1] for pt in ring]
    if max(max(lons) - min(lons), max(lats) - min(lats)) < WORLD_COARSE_SPAN:
        return _small_ring(ring) if len(ring) > 6 else ring
    coarse: list[list[float]] = []
    for lon, lat in ring:
        point = [round(lon, 1), round(lat, 1)]
        if not coarse or coarse[-1] != point:
            coarse.append(point)
    return coarse if len(coarse) >= 4 else ring


def _coarse(shapes: dict[str, Any]) -> dict[str, Any]:
    features = [
        {
            **feature,
            "geometry": {
                "type": "MultiPolygon",
                "coordinates": [
                    [_coarse_ring(ring) for ring in poly]
                    for poly in feature["geometry"]["coordinates"]
                ],
            },
        }
        for feature in shapes["features"]
    ]
    return {"type": "FeatureCollection", "features": features}


@cache
def world_shapes(
    path: Path = paths.COUNTRIES_GEOJSON,
    step: float = WORLD_STEP,
    min_area: float = WORLD_MIN_AREA,
) -> dict[str, Any]:
    """`country_shapes` at the world map's coarseness, cached on disk.

    The cache file is named by a hash of the source file, the parameters and
    `SHAPES_VERSION`, so a changed source, setting or making is simplified
    afresh; an unwritable cache folder only costs the simplification.
    """
    digest = hashlib.sha256(
        f"{SHAPES_VERSION}:{step}:{min_area}:{WORLD_COARSE_SPAN}".encode()
    )
    digest.update(path.read_bytes())
    name = f"world-shapes-{digest.hexdigest()[:16]}.json"
    try:
        cached = paths.cache_dir() / name
        return json.loads(cached.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    shapes = _coarse(country_shapes(path, step, min_area))
    try:
        cached = paths.cache_dir() / name
        tmp = cached.with_suffix(".tmp")
        tmp.write_text(json.dumps(shapes, separators=(",", ":")), encoding="utf-8")
        tmp.replace(cached)
    except OSError:
        pass  # read-only cache folder: simplified again by the next process
    return shapes
