"""The world map of the graph page: country shapes and points, from Natural Earth, drawn offline.

Boundaries come from the npm package world-atlas (Natural Earth, public domain), installed
by `npm ci` in kg/viz/web like the drawing library and never fetched by a page. They are
decoded from TopoJSON and projected here (Natural Earth I projection) into SVG path data
on a 1000-unit-wide plane, so the page only draws paths. Shapes are the 1:110m ones (small
enough to inline in every page); the point of each country, where arcs start and end, is
the centre of its largest landmass in the 1:50m data, which also has the small states
(Singapore, Bahrain, Malta...) that 1:110m leaves out.

A graph's countries are found among Natural Earth's by name: every label and alternative
label of the country node, compared without case, accents or punctuation, with Natural
Earth's short forms ("Dem. Rep. Congo") spelled out. Countries of the past are drawn where
their main successor is (web/map-names.json).
"""
from __future__ import annotations

import functools
import json
import logging
import math
from pathlib import Path

from kg.errors import ViewError
from kg.resources import web_assets
from kg.text import fold

log = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parent / "web"
ATLAS = web_assets(WEB)  # world-atlas's files, declared in web/package.json, which packaging reads too
NAMES = WEB / "map-names.json"
WIDTH = 1000.0
_LEFT_OUT = {"Antarctica", "Fr. S. Antarctic Lands"}  # nobody's visits go there; the map is shorter without


def natural_earth(lon: float, lat: float) -> tuple[float, float]:
    """Natural Earth I projection (Šavrič et al.) of degrees to plane units (x east, y north)."""
    lam, phi = math.radians(lon), math.radians(lat)
    phi2 = phi * phi
    phi4 = phi2 * phi2
    x = lam * (0.8707 - 0.131979 * phi2 + phi4 * (-0.013791 + phi4 * (0.003971 * phi2 - 0.001529 * phi4)))
    y = phi * (1.007226 + phi2 * (0.015085 + phi4 * (-0.044475 + 0.028874 * phi2 - 0.005916 * phi4)))
    return x, y


_X_MAX = natural_earth(180.0, 0.0)[0]
_Y_MAX = natural_earth(0.0, 90.0)[1]
SCALE = WIDTH / (2 * _X_MAX)
HEIGHT = round(2 * _Y_MAX * SCALE, 1)


def to_plane(lon: float, lat: float) -> tuple[float, float]:
    """Degrees to map units: x from 0 (180° W) to WIDTH, y from 0 (north pole) down to HEIGHT."""
    x, y = natural_earth(lon, lat)
    return (x + _X_MAX) * SCALE, (_Y_MAX - y) * SCALE


def _read(path: Path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ViewError(f"{path}: the map needs this file and it is missing; run `npm ci` in kg/viz/web "
                        "(`make setup` does it)") from None


def _decode(topology: dict) -> dict[str, list[list[list[tuple[float, float]]]]]:
    """Country name -> polygons (lists of rings of (lon, lat)) of a quantized TopoJSON topology."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)

    def ring(indexes: list[int]) -> list[tuple[float, float]]:
        points: list[tuple[float, float]] = []
        for i in indexes:
            part = arcs[i] if i >= 0 else arcs[~i][::-1]
            points.extend(part[1:] if points else part)  # consecutive arcs share their end point
        return points

    shapes = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        name = geometry.get("properties", {}).get("name")
        if not name or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
        shapes[name] = [[ring(r) for r in polygon] for polygon in polygons]
    return shapes


def _path(polygons: list[list[list[tuple[float, float]]]]) -> str:
    """SVG path data of polygons in map units, one decimal, relative moves to keep it short."""
    parts = []
    for polygon in polygons:
        for ring in polygon:
            points = [to_plane(lon, lat) for lon, lat in ring]
            if len(points) < 3:
                continue
            cells, last = [], None
            for x, y in points:
                cell = (round(x * 10), round(y * 10))
                if cell != last:
                    cells.append(cell)
                    last = cell
            if len(cells) < 3:
                continue
            x0, y0 = cells[0]
            steps = [f"M{x0 / 10:g} {y0 / 10:g}"]
            steps.append("l" + " ".join(f"{(x - px) / 10:g} {(y - py) / 10:g}"
                                        for (px, py), (x, y) in zip(cells, cells[1:])))
            parts.append("".join(steps) + "z")
    return "".join(parts)


def _centre(polygons: list[list[list[tuple[float, float]]]]) -> tuple[float, float]:
    """Map point of the area centroid of the largest polygon's outer ring (in map units)."""
    best, best_area = None, -1.0
    for polygon in polygons:
        points = [to_plane(lon, lat) for lon, lat in polygon[0]]
        area = cx = cy = 0.0
        for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]):
            cross = x1 * y2 - x2 * y1
            area += cross
            cx += (x1 + x2) * cross
            cy += (y1 + y2) * cross
        if abs(area) > best_area and abs(area) > 1e-12:
            best_area = abs(area)
            best = (cx / (3 * area), cy / (3 * area))
    if best is None:  # degenerate: the mean of the points
        points = [to_plane(lon, lat) for polygon in polygons for lon, lat in polygon[0]]
        best = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))
    return round(best[0], 1), round(best[1], 1)


@functools.lru_cache(maxsize=1)
def _names() -> dict:
    return _read(NAMES)


def name_key(text: str) -> str:
    """'Dem. Rep. Congo' and 'Democratic Republic of the Congo' -> one key; successors to their heir."""
    names = _names()
    words = [names["abbreviations"].get(w, w) for w in fold(text).split()]
    key = " ".join(w for w in words if w not in ("of", "the", "and"))
    key = names["names"].get(key, key)
    return names["successors"].get(key, key)


@functools.lru_cache(maxsize=1)
def world() -> dict:
    """The map: {"width", "height", "shapes": [{"name", "d"}], "points": {name key: [x, y]}} (cached)."""
    small = _decode(_read(ATLAS["countries-110m.json"]))
    detailed = _decode(_read(ATLAS["countries-50m.json"]))
    shapes = [{"name": name, "d": _path(polygons)} for name, polygons in sorted(small.items())
              if name not in _LEFT_OUT]
    points = {}
    for name, polygons in sorted(detailed.items()):
        points.setdefault(name_key(name), list(_centre(polygons)))
    for name, polygons in sorted(small.items()):  # a name only the coarse data has
        points.setdefault(name_key(name), list(_centre(polygons)))
    log.debug("world map: %d shapes, %d country points", len(shapes), len(points))
    return {"width": WIDTH, "height": HEIGHT, "shapes": shapes, "points": points}


def country_point(names: list[str]) -> list[float] | None:
    """The map point of a country called any of `names` (labels and alternative labels), or None."""
    points = world()["points"]
    for name in names:
        found = points.get(name_key(name))
        if found:
            return found
    return None
