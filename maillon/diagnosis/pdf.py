"""The PDF « diagnostic de territoire » (WeasyPrint, through the activities' local-only
renderer: no request leaves the server, ADR 0009) and its maps drawn as SVG from the shipped
outlines (static/maillon/places/), so the PDF needs no script and no tile."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.utils.html import escape

from maillon.activities.exports.pdf import render_pdf
from maillon.diagnosis.views_sections import MAP_INDICATORS, Report

OUTLINES = Path(settings.BASE_DIR) / "static" / "maillon" / "places"
PRINT_CSS = Path(settings.BASE_DIR) / "static" / "maillon" / "diagnosis" / "print.css"
# Same sequential palette as diagnosis.css (light = better, dark = worse); grey = unknown.
PALETTE = ("#f4f6fe", "#c5cbf4", "#8b95e7", "#5252c6", "#1b1b6d")
UNKNOWN_FILL = "#e5e5e5"
WIDTH = 480.0


def print_css() -> str:
    return PRINT_CSS.read_text(encoding="utf-8")


def render(html: str) -> bytes:
    return render_pdf(html)


@lru_cache(maxsize=8)
def _features(name: str) -> tuple[tuple[str, str, Any], ...]:
    """(code, nom, geometry) of an outline file: "departements" or a département code."""
    path = OUTLINES / (
        "departements.geojson" if name == "departements" else f"communes/{name}.geojson"
    )
    if not path.is_file():
        return ()
    data = json.loads(path.read_text(encoding="utf-8"))
    return tuple(
        (str(f["properties"]["code"]), str(f["properties"]["nom"]), f["geometry"])
        for f in data["features"]
    )


def _rings(geometry: Any) -> list[list[list[float]]]:
    if geometry["type"] == "Polygon":
        return list(geometry["coordinates"])
    if geometry["type"] == "MultiPolygon":
        return [ring for polygon in geometry["coordinates"] for ring in polygon]
    return []


def choropleth_svg(report: Report) -> list[dict[str, str]]:
    """One SVG map per indicator of MAP_INDICATORS (empty without a map: a commune)."""
    data = report.map_data
    if not data:
        return []
    classes: dict[str, list[int]] = data["classes"]
    shapes = [
        (code, name, _rings(geometry))
        for outline in data["outlines"]
        for code, name, geometry in _features(outline)
        if code in classes and not (data["level"] == "departement" and code.startswith("97"))
    ]
    points = [point for _, _, rings in shapes for ring in rings for point in ring]
    if not points:
        return []
    lons = [p[0] for p in points]
    lats = [p[1] for p in points]
    west, east, south, north = min(lons), max(lons), min(lats), max(lats)
    scale_x = math.cos(math.radians((south + north) / 2))
    factor = WIDTH / max((east - west) * scale_x, 1e-6)
    height = max(north - south, 1e-6) * factor
    # Projected once (equirectangular at the mean latitude), drawn once per indicator.
    drawn = {
        code: " ".join(
            "M"
            + " L".join(
                f"{(lon - west) * scale_x * factor:.1f},{(north - lat) * factor:.1f}"
                for lon, lat in ring
            )
            + " Z"
            for ring in rings
        )
        for code, _name, rings in shapes
    }
    maps = []
    for position, (_key, label, _breaks, _unit) in enumerate(MAP_INDICATORS):
        paths = []
        for code, name, _outline in shapes:
            index = classes[code][position]
            fill = PALETTE[index] if 0 <= index < len(PALETTE) else UNKNOWN_FILL
            paths.append(
                f'<path d="{drawn[code]}" fill="{fill}" stroke="#666" stroke-width="0.3">'
                f"<title>{escape(name)}</title></path>"
            )
        svg = (
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH:.0f} {height:.0f}" '
            f'width="{WIDTH:.0f}" height="{height:.0f}" role="img" aria-label="{escape(label)}">'
            + "".join(paths)
            + "</svg>"
        )
        maps.append({"label": label, "svg": svg})
    return maps
