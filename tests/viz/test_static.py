"""The static overview picture (matplotlib): PNG and SVG files that show the graph."""
from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from kg.errors import ViewError

pytest.importorskip("matplotlib", reason="the static picture needs the `viz` extra (pip install -e '.[viz]')")

from kg.viz import write_static  # noqa: E402


def pixels(path):
    """The picture as an (height, width, 3) array of 0-255 values."""
    import numpy as np
    from matplotlib.image import imread

    image = imread(path)
    return np.rint(image[..., :3] * 255).astype(int)


def count_near(image, wanted: str, tolerance: int = 24) -> int:
    import numpy as np

    rgb = np.array([int(wanted[i:i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(image - rgb) <= tolerance).all(axis=2).sum())


def drawn(image) -> int:
    return int((image.min(axis=2) < 200).sum())


def test_png_shows_nodes_in_their_kind_colours(small_graph, tmp_path):
    path = write_static(small_graph, tmp_path / "overview.png", format="png", view="facts")
    image = pixels(path)
    assert image.shape[1] >= 1000
    assert drawn(image) > image.shape[0] * image.shape[1] * 0.01, "the picture is not blank"
    for kind, colour in [("person", "#3b82f6"), ("country", "#dc2626"), ("visit", "#16a34a")]:
        assert count_near(image, colour) > 300, f"{kind} nodes are drawn"


def test_svg_is_a_drawing_with_the_nodes(small_graph, tmp_path):
    path = write_static(small_graph, tmp_path / "overview.svg", format="svg")
    root = ET.parse(path).getroot()
    assert root.tag == "{http://www.w3.org/2000/svg}svg"
    paths = root.findall(".//{http://www.w3.org/2000/svg}path")
    assert len(paths) > 50
    assert "#3b82f6" in path.read_text(encoding="utf-8").lower()


def test_static_picture_follows_the_focus(small_graph, tmp_path):
    whole = pixels(write_static(small_graph, tmp_path / "all.png", view="facts"))
    focused = pixels(write_static(small_graph, tmp_path / "focus.png", focus="Phạm Minh Chính", view="facts"))
    assert count_near(whole, "#0891b2") > 300, "the whole graph has the agreement"
    assert count_near(focused, "#a16207") > 300, "the focus keeps the meeting's place, Hà Nội"
    assert count_near(focused, "#64748b") < count_near(whole, "#64748b"), "other people's positions are left out"


def test_unknown_picture_format_is_refused(small_graph, tmp_path):
    with pytest.raises(ViewError, match="png or svg"):
        write_static(small_graph, tmp_path / "x.gif", format="gif")
    assert not list(tmp_path.iterdir())


def test_picture_shows_first_who_went_where_and_met_whom(samples_graph, tmp_path):
    image = pixels(write_static(samples_graph, tmp_path / "people.png"))
    assert count_near(image, "#16a34a", 30) > 300, "visits are drawn as green arrows"
    assert count_near(image, "#ea580c", 40) > 40, "meetings as orange dashes"
    assert count_near(image, "#ca8a04", 12) < 20, "economic figures are not drawn"


def boxes_overlap(artists, renderer) -> list:
    boxes = [(a.get_text(), a.get_window_extent(renderer)) for a in artists]
    return [(x, y) for i, (x, a) in enumerate(boxes) for y, b in boxes[i + 1:] if a.overlaps(b)]


@pytest.mark.parametrize("view", ["people", "facts"])
def test_names_on_a_crowded_picture_never_overlap(generated_graph, view):
    import matplotlib.pyplot as plt

    from kg.viz.static import figure

    fig, placed = figure(generated_graph, labels=80, view=view)
    try:
        assert len(placed) >= 25, "most of the names asked for find room"
        assert boxes_overlap(placed, fig.canvas.get_renderer()) == []
    finally:
        plt.close(fig)


def test_picture_has_a_legend_of_nodes_and_links(samples_graph, tmp_path):
    import matplotlib.pyplot as plt

    from kg.viz.static import figure

    fig, _ = figure(samples_graph)
    try:
        texts = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    finally:
        plt.close(fig)
    assert any(t.endswith(" people") for t in texts) and any(t.endswith(" countries") for t in texts)
    assert any("visit (visitor → destination)" in t for t in texts) and any(t.endswith("× meeting") for t in texts)
    svg = write_static(samples_graph, tmp_path / "people.svg", format="svg").read_text(encoding="utf-8")
    assert '<g id="legend_1">' in svg
