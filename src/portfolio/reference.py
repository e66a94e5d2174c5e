"""Country reference table: codes, names, region, income group, risk, capacity.

Joins four real sources on ISO 3166 alpha-3:
World Bank CLASS (region, income group), INFORM Global Risk Index 2020 (risk score
and class), World Bank WGI Government Effectiveness (latest year per country), and
Natural Earth 1:50m (label point and bounding box).
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

import pandas as pd

from src.portfolio import paths

# WGI keeps World Bank legacy codes for six economies (see data/SOURCES.md).
WGI_LEGACY_CODES = {
    "ZAR": "COD",
    "ROM": "ROU",
    "TMP": "TLS",
    "WBG": "PSE",
    "ADO": "AND",
    "KSV": "XKX",
}
# IATI uses the user-assigned code XK for Kosovo; CLASS uses XKX.
EXTRA_ALPHA2 = {"XK": ("XKX", "Kosovo")}


def _read_codes(geo_dir: Path) -> pd.DataFrame:
    codes = pd.read_csv(
        geo_dir / "country_codes_datasets.csv",
        keep_default_na=False,  # Namibia's alpha-2 is "NA"
        dtype=str,
    )
    out = pd.DataFrame(
        {
            "iso3": codes["ISO3166-1-Alpha-3"].str.strip(),
            "iso2": codes["ISO3166-1-Alpha-2"].str.strip(),
            "name": codes["CLDR display name"].str.strip(),
        }
    )
    out = out[(out["iso3"] != "") & (out["iso2"] != "")]
    extra = pd.DataFrame(
        [(iso3, iso2, name) for iso2, (iso3, name) in EXTRA_ALPHA2.items()],
        columns=["iso3", "iso2", "name"],
    )
    return pd.concat([out, extra], ignore_index=True)


def _read_class(indicator_dir: Path) -> pd.DataFrame:
    df = pd.read_csv(
        indicator_dir / "wb_class_income_lending_fy2024.csv",
        encoding="utf-8-sig",
        dtype=str,
        keep_default_na=False,
    )
    df = df[(df["Code"] != "") & (df["Region"] != "")]
    return pd.DataFrame(
        {
            "iso3": df["Code"],
            "region": df["Region"],
            "income_group": df["Income group"].replace("", "Not classified"),
        }
    )


def _read_inform(indicator_dir: Path) -> pd.DataFrame:
    df = pd.read_csv(
        indicator_dir / "inform_gri_2020_v040.csv", dtype=str, keep_default_na=False
    )
    risk = pd.to_numeric(df["INFORM RISK"], errors="coerce")  # "x" means missing
    return pd.DataFrame(
        {
            "iso3": df["ISO3"].str.strip(),
            "inform_risk": risk,
            "inform_class": df["RISK CLASS"].str.strip().where(risk.notna(), ""),
        }
    )


def _read_wgi(indicator_dir: Path) -> pd.DataFrame:
    df = pd.read_csv(
        indicator_dir / "wgi_worldwide_governance_indicators_1996_2023.csv",
        encoding="utf-8-sig",
        usecols=["code", "year", "indicator", "estimate", "pctrank"],
        dtype={"code": str, "indicator": str},
    )
    df = df[df["indicator"] == "ge"].copy()
    df["estimate"] = pd.to_numeric(df["estimate"], errors="coerce")
    df["pctrank"] = pd.to_numeric(df["pctrank"], errors="coerce")
    df = df.dropna(subset=["estimate"])
    df["iso3"] = df["code"].replace(WGI_LEGACY_CODES)
    latest = df.sort_values("year").groupby("iso3", as_index=False).last()
    return latest.rename(
        columns={"estimate": "wgi_ge", "pctrank": "wgi_ge_pct", "year": "wgi_year"}
    )[["iso3", "wgi_ge", "wgi_ge_pct", "wgi_year"]]


# Natural Earth's own codes where it has no ISO code (Kosovo, South Sudan).
NE_CODES = {"KOS": "XKX", "SDS": "SSD"}
# Natural Earth features that lump ISO 3166 territories together under their
# sovereign's code (ISO_A3_EH), by ADM0_A3: (iso3, name, east bound) per
# territory, west to east; a polygon is the first one's it lies west of.
NE_SPLITS = {
    # "Indian Ocean Ter." (AUS): the Cocos (Keeling) Islands at 96.8 E and
    # Christmas Island at 105.6 E, two ISO territories (CC, CX) IATI may name
    "IOA": (
        ("CCK", "Cocos (Keeling) Is.", 100.0),
        ("CXR", "Christmas I.", 180.0),
    ),
}


def _feature_iso3(props: dict) -> str:
    for key in ("ISO_A3", "ISO_A3_EH", "ADM0_A3"):
        value = str(props.get(key) or "")
        if value and value != "-99":
            return NE_CODES.get(value, value)
    return ""


def feature_parts(feature: dict) -> list[tuple[str, str, list]]:
    """A Natural Earth feature's countries: (iso3, name, polygons) each.

    One part, or one per territory of a feature in `NE_SPLITS`; polygons are
    MultiPolygon coordinates. A feature without shape or code has none. Some
    features share a code (Ashmore and Cartier Islands, with no ISO code of
    their own, are AUS like Australia): a caller wanting one shape per
    country merges them.
    """
    props = feature.get("properties") or {}
    geom = feature.get("geometry") or {}
    polys = geom.get("coordinates") or []
    if geom.get("type") == "Polygon":
        polys = [polys]
    iso3 = _feature_iso3(props)
    if not iso3 or not polys:
        return []
    split = NE_SPLITS.get(str(props.get("ADM0_A3") or ""))
    if not split:
        return [(iso3, str(props.get("NAME") or ""), polys)]
    last = len(split) - 1
    owners = [
        next((i for i, (*_, east) in enumerate(split) if _east(poly) < east), last)
        for poly in polys
    ]
    return [
        (code, name, [p for p, owner in zip(polys, owners, strict=True) if owner == i])
        for i, (code, name, _) in enumerate(split)
        if i in owners
    ]


def _east(poly: list) -> float:
    return max(pt[0] for pt in poly[0])


def read_geo(geojson_path: Path) -> pd.DataFrame:
    """Label point and bounding box per ISO3 from Natural Earth.

    Returns:
        DataFrame with columns iso3, label_lon, label_lat, min_lon, min_lat,
        max_lon, max_lat (one row per country: of a code several features
        share, the first, Australia before the Ashmore and Cartier Islands).
    """
    with geojson_path.open(encoding="utf-8") as fh:
        features = json.load(fh)["features"]
    rows = []
    for feature in features:
        props = feature["properties"]
        whole = props.get("ADM0_A3") not in NE_SPLITS  # else not the label's part
        for iso3, _, polys in feature_parts(feature):
            lons = [pt[0] for poly in polys for ring in poly for pt in ring]
            lats = [pt[1] for poly in polys for ring in poly for pt in ring]
            label_x = props.get("LABEL_X") if whole else None
            label_y = props.get("LABEL_Y") if whole else None
            rows.append(
                {
                    "iso3": iso3,
                    "label_lon": float(label_x or sum(lons) / len(lons)),
                    "label_lat": float(label_y or sum(lats) / len(lats)),
                    "min_lon": min(lons),
                    "min_lat": min(lats),
                    "max_lon": max(lons),
                    "max_lat": max(lats),
                }
            )
    return pd.DataFrame(rows).drop_duplicates("iso3")


@cache
def country_reference(data_root: Path = paths.RAW_DIR) -> pd.DataFrame:
    """One row per country (ISO3 index) with everything the portfolio joins.

    Returns:
        DataFrame indexed by iso3 with columns iso2, name, region, income_group,
        inform_risk, inform_class, wgi_ge, wgi_ge_pct, wgi_year, label_lon,
        label_lat, min_lon, min_lat, max_lon, max_lat. Values missing in a
        source stay NaN / "" (never invented).
    """
    codes = _read_codes(data_root / "geo")
    ref = (
        codes.merge(_read_class(data_root / "indicators"), on="iso3", how="left")
        .merge(_read_inform(data_root / "indicators"), on="iso3", how="left")
        .merge(_read_wgi(data_root / "indicators"), on="iso3", how="left")
        .merge(
            read_geo(data_root / "geo" / "ne_50m_admin_0_countries.geojson"),
            on="iso3",
            how="left",
        )
    )
    for col in ("region", "income_group", "inform_class"):
        ref[col] = ref[col].fillna("")
    return ref.set_index("iso3")
