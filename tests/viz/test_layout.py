"""Node positions: complete, finite, repeatable, with room between nodes, small and large graphs alike."""
from __future__ import annotations

import math

import pytest

from kg.viz.data import graph_to_view
from kg.viz.layout import SPACING, layout


def nearest_gaps(pos: dict[str, tuple[float, float]]) -> list[float]:
    points = list(pos.values())
    return [min(math.dist(p, q) for j, q in enumerate(points) if j != i) for i, p in enumerate(points)]


@pytest.fixture(scope="module")
def small_positions(small_graph):
    view = graph_to_view(small_graph)
    return view, layout(view["nodes"], view["edges"])


def test_every_node_gets_a_finite_position(small_positions):
    view, pos = small_positions
    assert set(pos) == {n["id"] for n in view["nodes"]}
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())


def test_layout_is_the_same_every_time(small_graph, small_positions):
    view, pos = small_positions
    again = graph_to_view(small_graph)
    assert layout(again["nodes"], again["edges"]) == pos


def test_nodes_do_not_sit_on_each_other(small_positions):
    _, pos = small_positions
    assert min(nearest_gaps(pos)) > 40


def test_unlinked_nodes_are_packed_beside_the_linked_ones(small_positions):
    view, pos = small_positions
    linked = {e["source"] for e in view["edges"]} | {e["target"] for e in view["edges"]}
    alone = [i for i in pos if i not in linked]
    assert {i.rsplit("/", 1)[1] for i in alone} == {"asean", "bao-mau"}
    xs = [pos[i][0] for i in linked]
    ys = [pos[i][1] for i in linked]
    for i in alone:
        x, y = pos[i]
        assert not (min(xs) <= x <= max(xs) and min(ys) <= y <= max(ys)), "islands do not land on the main graph"


def test_large_graph_layout_leaves_room_between_nodes(generated_view):
    pos = {n["id"]: (n["x"], n["y"]) for n in generated_view["nodes"]}
    assert len(pos) == generated_view["stats"]["nodes"] > 5000
    assert all(math.isfinite(x) and math.isfinite(y) for x, y in pos.values())
    sample = dict(list(pos.items())[::10])
    gaps = sorted(min(math.dist(p, q) for j, q in pos.items() if j != i) for i, p in sample.items())
    assert gaps[len(gaps) // 2] >= SPACING * 0.9
