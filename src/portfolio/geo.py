"""Country shapes for the offline base map (Natural Earth 1:50m, simplified).

Coordinates are rounded to 0.05 degrees (about 5 km) and repeated points dropped,
which keeps every country, small islands included, while cutting the payload the
browser receives by about half.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

from src.portfolio import paths
from src.portfolio.reference import _feature_iso3


def _simplify_ring(ring: list[list[float]], step: float) -> list[list[float]]:
    out: list[list[float]] = []
    for lon, lat in ring:
        pt = [round(round(lon / step) * step, 3), round(round(lat / step) * step, 3)]
        if not out or pt != out[-1]:
            out.append(pt)
    if len(out) < 4:  # keep tiny islands visible: fall back to the original ring
        return [[round(x, 3), round(y, 3)] for x, y in ring]
    return out


@cache
def country_shapes(
    path: Path = paths.COUNTRIES_GEOJSON, step: float = 0.05
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
