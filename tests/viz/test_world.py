"""The world map's data: projection, country shapes and points, names matched to Natural Earth's."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from kg.viz.world import HEIGHT, WIDTH, country_point, name_key, to_plane, world

GAZETTEER = Path(__file__).resolve().parents[2] / "ontology" / "gazetteers" / "countries.jsonl"


@pytest.mark.parametrize(("lon", "lat", "where"), [
    (-180, 0, (0.0, HEIGHT / 2)), (180, 0, (WIDTH, HEIGHT / 2)), (0, 90, (WIDTH / 2, 0.0)), (0, -90, (WIDTH / 2, HEIGHT)),
])
def test_projection_fills_the_map_plane(lon, lat, where):
    x, y = to_plane(lon, lat)
    assert x == pytest.approx(where[0], abs=0.01) and y == pytest.approx(where[1], abs=0.01)


@pytest.mark.parametrize(("a", "b"), [
    ("Dem. Rep. Congo", "Democratic Republic of the Congo"),
    ("Bosnia and Herz.", "Bosnia and Herzegovina"),
    ("Côte d'Ivoire", "Cote d'Ivoire"),
    ("Soviet Union", "Russia"),
])
def test_natural_earths_short_names_and_the_past_meet_the_graphs(a, b):
    assert name_key(a) == name_key(b)


def test_every_country_of_the_gazetteer_has_a_place_on_the_map():
    countries = [json.loads(line) for line in GAZETTEER.read_text(encoding="utf-8").splitlines() if line.strip()]
    missing = [c["id"] for c in countries if not country_point([c["en"], c["name"], *c.get("aliases", [])])]
    assert missing == ["tuvalu"], "Natural Earth's 1:50m countries leave out Tuvalu alone"


def test_small_states_have_points_and_neighbours_are_apart():
    singapore, vietnam, laos = (country_point([name]) for name in ("Singapore", "Vietnam", "Laos"))
    assert singapore and vietnam and laos
    assert vietnam[1] < singapore[1], "Singapore is south of Việt Nam"
    assert vietnam != laos


def test_shapes_are_svg_paths_and_small():
    shapes = world()["shapes"]
    assert len(shapes) > 150 and all(s["d"].startswith("M") and s["d"].endswith("z") for s in shapes)
    assert sum(len(s["d"]) for s in shapes) < 150_000, "the map inlined in every page stays small"
