"""Natural Earth's shapes give each country once, under its own ISO 3166 code.

Natural Earth 1:50m tags two Australian dependencies with Australia's code
(ISO_A3 -99, ISO_A3_EH "AUS"): "Indian Ocean Ter." (Christmas Island, ISO CX,
and the Cocos (Keeling) Islands, ISO CC) and "Ashmore and Cartier Is." (no ISO
code: part of Australia). The facts below are read from the source file here.
"""

from __future__ import annotations

import json
from collections import Counter

import numpy as np
import pandas as pd
import pytest

from src.portfolio import geo, paths
from src.portfolio import schema as S
from src.portfolio.country_part import country_rings, sites_in
from src.portfolio.reference import read_geo


def _source(name: str) -> list[list]:
    """The polygons of the Natural Earth feature called `name`, as in the file."""
    features = json.loads(paths.COUNTRIES_GEOJSON.read_text(encoding="utf-8"))
    (geom,) = [
        f["geometry"] for f in features["features"] if f["properties"]["NAME"] == name
    ]
    coords = geom["coordinates"]
    return [coords] if geom["type"] == "Polygon" else coords


def _box(polys: list[list]) -> tuple[float, float, float, float]:
    pts = [pt for poly in polys for ring in poly for pt in ring]
    lons, lats = [p[0] for p in pts], [p[1] for p in pts]
    return min(lons), max(lons), min(lats), max(lats)


def _inside(polys: list[list], box: tuple[float, float, float, float]) -> bool:
    west, east, south, north = box
    lo_lon, hi_lon, lo_lat, hi_lat = _box(polys)
    pad = 0.01  # the shapes round to 0.01 degree
    return (
        west - pad <= lo_lon
        and hi_lon <= east + pad
        and south - pad <= lo_lat
        and hi_lat <= north + pad
    )


@pytest.fixture(scope="module")
def world_features(tmp_path_factory) -> list[dict]:
    """`world_shapes`, made afresh (not read from an older cache file)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("APP_DATA_DIR", str(tmp_path_factory.mktemp("data")))
        geo.world_shapes.cache_clear()
        shapes = geo.world_shapes()
        geo.world_shapes.cache_clear()
    return shapes["features"]


@pytest.fixture(scope="module")
def world(world_features) -> dict[str, dict]:
    return {f["properties"]["iso3"]: f for f in world_features}


@pytest.mark.parametrize("which", ["world", "country"])
def test_every_iso3_has_one_feature(world_features, which):
    shapes = world_features if which == "world" else geo.country_shapes()["features"]
    counts = Counter(f["properties"]["iso3"] for f in shapes)
    assert [code for code, n in counts.items() if n > 1] == []
    assert all(len(code) == 3 for code in counts)  # none empty or "-99"


def test_australia_is_one_country_and_its_indian_ocean_islands_their_own(world):
    assert world["AUS"]["properties"]["name"] == "Australia"
    indian_ocean = _source("Indian Ocean Ter.")
    christmas = [p for p in indian_ocean if _box([p])[0] > 100]  # 105.6 E
    cocos = [p for p in indian_ocean if _box([p])[1] < 100]  # 96.8 E
    assert len(christmas) == 1
    assert len(cocos) == 2
    shapes = {code: world[code]["geometry"]["coordinates"] for code in ("CXR", "CCK")}
    assert world["CXR"]["properties"]["name"] == "Christmas I."
    assert world["CCK"]["properties"]["name"] == "Cocos (Keeling) Is."
    assert _inside(shapes["CXR"], _box(christmas))
    assert _inside(shapes["CCK"], _box(cocos))
    # Australia's shape reaches no further west than Australia's own feature
    assert _box(world["AUS"]["geometry"]["coordinates"])[0] >= (
        _box(_source("Australia"))[0] - 0.01
    )


def test_the_islands_have_their_own_label_point_and_box():
    boxes = read_geo(paths.COUNTRIES_GEOJSON).set_index("iso3")
    assert boxes.index.is_unique
    for code, polys in (
        ("CXR", [p for p in _source("Indian Ocean Ter.") if _box([p])[0] > 100]),
        ("CCK", [p for p in _source("Indian Ocean Ter.") if _box([p])[1] < 100]),
        ("AUS", _source("Australia")),
    ):
        row = boxes.loc[code]
        box = (row.min_lon, row.max_lon, row.min_lat, row.max_lat)
        assert box == pytest.approx(_box(polys)), code
        assert box[0] <= row.label_lon <= box[1], code
        assert box[2] <= row.label_lat <= box[3], code


def test_sites_on_the_islands_belong_to_them_and_ashmore_reef_to_australia():
    rings = country_rings()
    reef = np.asarray(_source("Ashmore and Cartier Is.")[0][0]).mean(axis=0)
    sites = pd.DataFrame(
        {
            S.DT_LON: [105.67, 96.85, reef[0], 134.0],
            S.DT_LAT: [-10.49, -12.17, reef[1], -24.0],
        }
    )
    # Christmas Island, Cocos (Keeling) Islands, Ashmore Reef, central Australia
    assert sites_in(sites, "AUS", rings).tolist() == [False, False, True, True]
    assert sites_in(sites, "CXR", rings).tolist() == [True, False, False, False]
    assert sites_in(sites, "CCK", rings).tolist() == [False, True, False, False]
