"""Node positions for the graph page and the static picture, computed once, in Python.

The page draws these positions as they are (no physics in the browser), so even a
graph of thousands of nodes opens at once and looks the same every time (fixed seed).
Each connected component is laid out on its own and the components are packed in
rows, largest first, so that small islands do not drift to the far edges.

Small components get networkx's force-directed (Fruchterman-Reingold) layout. A large
one would take a minute that way, so only its most important nodes (the "core", by
PageRank) are laid out by force, and every other node is placed next to the nodes
it links to, in a sunflower pattern that keeps siblings apart.
"""
from __future__ import annotations

import math
from collections import defaultdict

EDGE = 120.0  # the typical link length on the page, in CSS pixels
CORE = 400  # above this many nodes, a component is laid out core first
_GOLDEN = math.pi * (3 - math.sqrt(5))


def layout(nodes: list[dict], edges: list[dict], *, seed: int = 7) -> dict[str, tuple[float, float]]:
    """(x, y) in page pixels for every node id; y grows downwards. Nodes need `id` and `rank`."""
    import networkx as nx

    graph = nx.Graph()
    graph.add_nodes_from(n["id"] for n in nodes)
    graph.add_edges_from((e["source"], e["target"]) for e in edges)
    rank = {n["id"]: n.get("rank", 0) for n in nodes}

    pieces: list[dict[str, tuple[float, float]]] = []
    singles: list[str] = []
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(rank[i] for i in c)))
    for component in components:
        if len(component) == 1:
            singles.extend(component)
            continue
        sub = graph.subgraph(component)
        local = _force(sub, seed) if len(component) <= CORE else _mesh_force(sub, seed)
        pieces.append(_scaled(local, sub))
    if singles:
        singles.sort(key=lambda i: rank[i])
        side = math.ceil(math.sqrt(len(singles)))
        pieces.append({i: ((k % side) * EDGE * 0.8, (k // side) * EDGE * 0.8) for k, i in enumerate(singles)})
    return _pack(pieces)


def _force(graph, seed: int, *, weight: str | None = None) -> dict[str, tuple[float, float]]:
    import networkx as nx

    iterations = 200 if len(graph) <= 150 else 80
    # A longer ideal distance than networkx's default leaves room for the labels.
    k = 1.8 / math.sqrt(len(graph))
    pos = nx.spring_layout(graph, k=k, seed=seed, iterations=iterations, weight=weight, method="force")
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}


def _scaled(pos: dict[str, tuple[float, float]], graph) -> dict[str, tuple[float, float]]:
    """Scale so that the median link is EDGE pixels long."""
    lengths = sorted(math.dist(pos[a], pos[b]) for a, b in graph.edges() if a in pos and b in pos)
    median = lengths[len(lengths) // 2] if lengths else 0.0
    factor = EDGE / median if median > 1e-9 else EDGE
    return {n: (x * factor, y * factor) for n, (x, y) in pos.items()}


def _mesh_force(graph, seed: int, *, iterations: int = 150, grid: int = 128) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold with the all-pairs repulsion computed on a grid (particle-mesh, by FFT).

    Node counts are binned on a grid x grid mesh and convolved with the k²/d repulsion
    kernel, so one step costs O(n + grid² log grid) instead of O(n²): 150 steps on
    5,000 nodes take about a second with numpy alone. Links pull as in FR (d²/k).
    """
    import numpy as np

    names = list(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    n = len(names)
    pairs = np.array([(index[a], index[b]) for a, b in graph.edges()], dtype=np.int64).reshape(-1, 2)
    a, b = pairs[:, 0], pairs[:, 1]
    rng = np.random.default_rng(seed)
    side = math.sqrt(n) * 1.2  # the ideal link length k is 1
    pos = rng.uniform(0.0, side, size=(n, 2))

    offsets = np.arange(2 * grid)
    offsets = np.where(offsets < grid, offsets, offsets - 2 * grid)  # FFT wrap-around order
    ox, oy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = (ox**2 + oy**2).astype(float)
    r2[0, 0] = np.inf  # no force of a cell on itself
    start = side * 0.1
    for step in range(iterations):
        low = pos.min(axis=0)
        cell_size = max(np.ptp(pos[:, 0]), np.ptp(pos[:, 1]), 1e-9) * 1.0001 / grid
        cell = np.minimum(((pos - low) / cell_size).astype(np.int64), grid - 1)
        density = np.zeros((2 * grid, 2 * grid))
        np.add.at(density, (cell[:, 0], cell[:, 1]), 1.0)
        spectrum = np.fft.rfft2(density)
        push = np.empty((n, 2))
        for axis, offset in enumerate((ox, oy)):
            kernel = offset / (r2 * cell_size)  # k² r/|r|² with r in cells
            field = np.fft.irfft2(spectrum * np.fft.rfft2(kernel), s=density.shape)[:grid, :grid]
            push[:, axis] = field[cell[:, 0], cell[:, 1]]
        delta = pos[b] - pos[a]
        length = np.sqrt((delta**2).sum(axis=1)) + 1e-9
        pull = delta * length[:, None]
        np.add.at(push, a, pull)
        np.add.at(push, b, -pull)
        size = np.sqrt((push**2).sum(axis=1)) + 1e-9
        temperature = start * (1 - step / iterations) + 1e-3
        pos += push / size[:, None] * np.minimum(size, temperature)[:, None]
    return {name: (float(pos[i, 0]), float(pos[i, 1])) for i, name in enumerate(names)}


def _pack(pieces: list[dict[str, tuple[float, float]]]) -> dict[str, tuple[float, float]]:
    """Place the components in rows (largest first) with a margin between them."""
    margin = EDGE
    boxes = []
    for piece in pieces:
        xs = [p[0] for p in piece.values()]
        ys = [p[1] for p in piece.values()]
        boxes.append((min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys)))
    area = sum((w + margin) * (h + margin) for _, _, w, h in boxes)
    row_width = max(math.sqrt(area) * 1.3, max((w for _, _, w, _ in boxes), default=0.0))
    result: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for piece, (left, top, width, height) in zip(pieces, boxes):
        if x > 0 and x + width > row_width:
            x, y, row_height = 0.0, y + row_height + margin, 0.0
        for node, (px, py) in piece.items():
            result[node] = (round(x + px - left, 1), round(y + py - top, 1))
        x += width + margin
        row_height = max(row_height, height)
    return result
