"""Country shapes for the offline base map (Natural Earth 1:50m, simplified).

Points closer than 0.1 degree (about 10 km) to the previous kept point are dropped
and coordinates rounded to 0.01 degree. Every country is kept, small islands
included, and the map payload is a fraction of the source file's 3 MB.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from src.portfolio import paths
from src.portfolio.reference import _feature_iso3


def _simplify_ring(ring: list[list[float]], step: float) -> list[list[float]]:
    """Radial-distance simplification of one ring.

    Drops points closer than `step` degrees to the last kept one, closes the
    ring and rounds to 2 decimals (about 1 km).
    """
    out: list[list[float]] = []
    for lon, lat in ring:
        if out and abs(lon - out[-1][0]) < step and abs(lat - out[-1][1]) < step:
            continue
        out.append([round(lon, 2), round(lat, 2)])
    if len(out) < 4:  # keep tiny islands visible: fall back to the original ring
        return [[round(x, 2), round(y, 2)] for x, y in ring]
    out.append(out[0])
    return out


@cache
def country_shapes(
    path: Path = paths.COUNTRIES_GEOJSON, step: float = 0.1
) -> dict[str, Any]:
    """A FeatureCollection with properties iso3 and name only (simplified)."""
    with path.open(encoding="utf-8") as fh:
        source = json.load(fh)
    features = []
    for feature in source["features"]:
        geom = feature.get("geometry")
        if not geom:
            continue
        polys = geom["coordinates"]
        if geom["type"] == "Polygon":
            polys = [polys]
        simple = [[_simplify_ring(ring, step) for ring in poly] for poly in polys]
        features.append(
            {
                "type": "Feature",
                "properties": {
                    "iso3": _feature_iso3(feature["properties"]),
                    "name": feature["properties"].get("NAME", ""),
                },
                "geometry": {"type": "MultiPolygon", "coordinates": simple},
            }
        )
    return {"type": "FeatureCollection", "features": features}
