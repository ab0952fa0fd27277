"""Fixtures for the graph page and picture tests: graphs, a headless Chromium, a PNG reader."""
from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from rdflib import Graph

TESTS = Path(__file__).resolve().parents[1]
SMALL = TESTS / "data" / "graph_small.ttl"
TRAVELS = Path(__file__).resolve().parent / "data" / "travels.ttl"
SAMPLES = TESTS.parent / "output" / "graph.ttl"
CHROMIUM = Path("/usr/bin/chromium")
GENERATED_ARTICLES = 1000


@pytest.fixture(scope="session")
def small_graph() -> Graph:
    """tests/data/graph_small.ttl: the hand-made graph in the shape `kg build` writes (read-only)."""
    return Graph().parse(SMALL, format="turtle")


@pytest.fixture(scope="session")
def small_page(small_graph, tmp_path_factory) -> Path:
    from kg.viz import write_html

    return write_html(small_graph, tmp_path_factory.mktemp("page") / "graph.html")


@pytest.fixture(scope="session")
def travels_graph() -> Graph:
    """tests/viz/data/travels.ttl: visits out of date order, a meeting with no place, countries off the map."""
    return Graph().parse(TRAVELS, format="turtle")


@pytest.fixture(scope="session")
def samples_graph() -> Graph:
    """The graph of the five sample articles, as `make run` builds it into output/ (kept current by a test)."""
    return Graph().parse(SAMPLES, format="turtle")


@pytest.fixture(scope="session")
def generated_graph(tmp_path_factory) -> Graph:
    """1,000 generated news articles (kg.synthetic) built by the real pipeline, once per test run."""
    from kg.builder import build_corpus
    from kg.synthetic import write_corpus

    folder = tmp_path_factory.mktemp("generated")
    files = write_corpus(folder / "articles", GENERATED_ARTICLES, seed=3)
    (folder / "work").mkdir()
    result = build_corpus(files, validate=False, workers=2, work_dir=folder / "work")
    try:
        return result.graph
    finally:
        result.close()


@pytest.fixture(scope="session")
def generated_view(generated_graph) -> dict:
    """The page's data (with positions) for the generated corpus (read-only)."""
    from kg.viz.page import view_data

    return view_data(generated_graph)


@pytest.fixture(scope="session")
def generated_page(generated_view, tmp_path_factory) -> Path:
    from kg.viz.page import render_view, write_atomic

    return write_atomic(tmp_path_factory.mktemp("generated-page") / "graph.html", render_view(generated_view).encode("utf-8"))


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per test module (fresh profile, no background networking)."""
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (bash scripts/install-system-deps.sh installs it)")
    pytest.importorskip("websocket", reason="websocket-client (dev extra) drives Chromium")
    from kg.viz.headless import Browser

    with Browser(str(CHROMIUM)) as chromium:
        yield chromium


def read_png(data: bytes) -> tuple[int, int, list[bytes]]:
    """(width, height, rows of RGB(A) bytes) of an 8-bit RGB or RGBA PNG, as Chromium and matplotlib write them."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG file"
    pos, chunks, header = 8, [], None
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, colour, _, _, interlace = header
    assert depth == 8 and colour in (2, 6) and interlace == 0, f"unsupported PNG layout {header}"
    bpp = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - bpp] if i >= bpp else 0
            up = previous[i]
            corner = previous[i - bpp] if i >= bpp else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line))
        previous = line
    return width, height, [bytes(r) if bpp == 3 else bytes(b for i, b in enumerate(r) if i % 4 != 3) for r in rows]


@pytest.fixture(scope="session")
def png_colours():
    """png_colours(path, box=None) -> {(r, g, b): pixel count} over the image or a (left, top, right, bottom) box."""

    def colours(path: Path, box: tuple[int, int, int, int] | None = None) -> dict[tuple[int, int, int], int]:
        width, height, rows = read_png(Path(path).read_bytes())
        left, top, right, bottom = box or (0, 0, width, height)
        counts: dict[tuple[int, int, int], int] = {}
        for row in rows[top:bottom]:
            for x in range(left, min(right, width), 2):  # every other pixel is plenty
                pixel = (row[3 * x], row[3 * x + 1], row[3 * x + 2])
                counts[pixel] = counts.get(pixel, 0) + 1
        return counts

    return colours
