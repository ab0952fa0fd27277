"""Node positions for the graph page and the static picture, computed once, in Python.

The page draws these positions as they are (no physics in the browser), so even a
graph of thousands of nodes opens at once and looks the same every time (fixed seed).
Each connected component is laid out on its own and the components are packed in
rows, largest first, so that small islands do not drift to the far edges.

Small components get networkx's force-directed (Fruchterman-Reingold) layout. Above
a few hundred nodes that takes minutes, so large ones get the same forces with the
all-pairs repulsion computed on a grid by FFT (`_mesh_force`), in two passes: first
the nodes the page shows when it opens (the most important ones), then everyone
else around them with those held still — the first view of a large graph is a layout
of what it shows, not a sparse sample of a bigger one.
"""
from __future__ import annotations

import math

EDGE = 120.0  # the typical link length on the page, in CSS pixels
SPACING = 30.0  # the typical distance from a node to its nearest neighbour, at least, in pixels
ROOMY = 60.0  # the same for small graphs, whose names are all shown: room for a label
SMALL = 300  # components up to this many nodes use networkx's exact spring layout


def layout(nodes: list[dict], edges: list[dict], *, first: int | None = None, core: set[str] | None = None,
           core_edges: list[dict] = (), seed: int = 7) -> dict[str, tuple[float, float]]:
    """(x, y) in page pixels for every node id; y grows downwards.

    Nodes need `id` and `rank` (0 = most important); `first` is how many of the most
    important nodes are laid out before the others (all when None). With `core` (node
    ids) and `core_edges` (links among them, besides `edges`), the core is laid out
    first on its own links — the people view — and every other node is then placed
    around it with the core held still, so both views share one set of positions.
    """
    import networkx as nx

    rank = {n["id"]: n.get("rank", 0) for n in nodes}
    if not core:
        graph = nx.Graph()
        graph.add_nodes_from(rank)
        graph.add_edges_from((e["source"], e["target"]) for e in edges)
        return _arrange(graph, rank, first, seed)

    inner = nx.Graph()
    inner.add_nodes_from(sorted(core))  # in one order whatever the hash seed: the layout follows it
    inner.add_edges_from((e["source"], e["target"]) for e in [*core_edges, *edges]
                         if e["source"] in core and e["target"] in core)
    order = {i: n.get("qrank", rank[i]) for n, i in ((n, n["id"]) for n in nodes) if i in core}
    # A small people view names every node: room for a name between neighbours.
    placed = _arrange(inner, order, first, seed, roomy=ROOMY * 2 if len(core) <= 80 else ROOMY)

    whole = nx.Graph()
    whole.add_nodes_from(rank)
    whole.add_edges_from((e["source"], e["target"]) for e in [*edges, *core_edges])
    loose = []
    for component in sorted(nx.connected_components(whole), key=lambda c: (-len(c), min(rank[i] for i in c))):
        fixed = {i: placed[i] for i in component if i in placed}
        if not fixed:
            loose.append(component)
        elif len(fixed) < len(component):
            # Work in link lengths (the forces' unit), then back to pixels.
            start = {i: (x / EDGE, y / EDGE) for i, (x, y) in fixed.items()}
            settled = _mesh_force(whole.subgraph(component), seed, start=start, iterations=60)
            placed.update({i: (round(x * EDGE, 1), round(y * EDGE, 1)) for i, (x, y) in settled.items() if i not in fixed})
    if loose:
        rest = _arrange(whole.subgraph(set().union(*loose)), rank, None, seed)
        top = max((y for _, y in placed.values()), default=0.0) + 2 * EDGE
        left = min((x for x, _ in placed.values()), default=0.0)
        placed.update({i: (round(x + left, 1), round(y + top, 1)) for i, (x, y) in rest.items()})
    gap = _nearest_gap(placed)
    if 1e-9 < gap < SPACING:  # what came in around the core crowds it: spread everything alike
        factor = SPACING * 1.15 / gap  # a margin: the gap is measured on a sample of the nodes
        placed = {i: (round(x * factor, 1), round(y * factor, 1)) for i, (x, y) in placed.items()}
    return placed


def _arrange(graph, rank: dict[str, int], first: int | None, seed: int,
             roomy: float = ROOMY) -> dict[str, tuple[float, float]]:
    """Components laid out one by one and packed in rows; unlinked nodes in a grid after them."""
    import networkx as nx

    pieces: list[dict[str, tuple[float, float]]] = []
    singles: list[str] = []
    components = sorted(nx.connected_components(graph), key=lambda c: (-len(c), min(rank[i] for i in c)))
    for component in components:
        if len(component) == 1:
            singles.extend(component)
            continue
        sub = graph.subgraph(component)
        if len(component) <= SMALL:
            pieces.append(_level(_scaled(_force(sub, seed), sub, spacing=roomy)))
        else:
            core = {i for i in component if first is None or rank[i] < first}
            pieces.append(_level(_scaled(_two_pass(sub, core, seed), sub)))
    if singles:
        # Nodes with no link at all, in a grid of cells wide enough for their names.
        singles.sort(key=lambda i: (rank[i], i))
        side = math.ceil(math.sqrt(len(singles) / 2))
        pieces.append({i: ((k % side) * EDGE * 1.5, (k // side) * EDGE * 0.6) for k, i in enumerate(singles)})
    return _pack(pieces)


def _force(graph, seed: int) -> dict[str, tuple[float, float]]:
    import networkx as nx

    # A longer ideal distance than networkx's default leaves room for the labels.
    k = 1.8 / math.sqrt(len(graph))
    pos = nx.spring_layout(graph, k=k, seed=seed, iterations=200 if len(graph) <= 150 else 100, method="force")
    return {n: (float(p[0]), float(p[1])) for n, p in pos.items()}


def _two_pass(graph, core: set[str], seed: int) -> dict[str, tuple[float, float]]:
    """The core alone, then the rest with the core held still."""
    if len(core) < 2 or len(core) == len(graph):
        return _mesh_force(graph, seed)
    inner = graph.subgraph(core)
    placed = _force(inner, seed) if len(core) <= SMALL else _mesh_force(inner, seed)
    if len(core) <= SMALL:  # networkx's layout is in [-1, 1]; bring it to link length 1
        placed = _scaled(placed, inner, edge=1.0, spacing=0.0)
    return _mesh_force(graph, seed, start=placed, iterations=80)


def _mesh_force(graph, seed: int, *, start: dict[str, tuple[float, float]] | None = None,
                iterations: int = 150, grid: int = 128) -> dict[str, tuple[float, float]]:
    """Fruchterman-Reingold with the all-pairs repulsion computed on a grid (particle-mesh, by FFT).

    Node counts are binned on a grid x grid mesh and convolved with the k²/d repulsion
    kernel, so one step costs O(n + grid² log grid) instead of O(n²): 150 steps on
    5,000 nodes take about a second with numpy alone. Links pull as in FR (d²/k, k = 1).
    Nodes in `start` begin there and do not move; the others begin next to them.
    """
    import numpy as np

    names = list(graph.nodes)
    index = {name: i for i, name in enumerate(names)}
    n = len(names)
    pairs = np.array([(index[a], index[b]) for a, b in graph.edges()], dtype=np.int64).reshape(-1, 2)
    a, b = pairs[:, 0], pairs[:, 1]
    rng = np.random.default_rng(seed)
    side = math.sqrt(n) * 1.2
    pos = rng.uniform(0.0, side, size=(n, 2))
    moving = np.ones(n, dtype=bool)
    if start:
        for name, xy in start.items():
            pos[index[name]] = xy
            moving[index[name]] = False
        _beside(graph, names, index, pos, moving, rng)
        side = max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1])), 1.0)

    offsets = np.arange(2 * grid)
    offsets = np.where(offsets < grid, offsets, offsets - 2 * grid)  # FFT wrap-around order
    ox, oy = np.meshgrid(offsets, offsets, indexing="ij")
    r2 = (ox**2 + oy**2).astype(float)
    r2[0, 0] = np.inf  # no force of a cell on itself
    kernels = [np.fft.rfft2(offset / r2) for offset in (ox, oy)]  # r/|r|², r in cells
    hot = side * (0.1 if start is None else 0.03)
    for step in range(iterations):
        low = pos.min(axis=0)
        cell_size = max(float(np.ptp(pos[:, 0])), float(np.ptp(pos[:, 1])), 1e-9) * 1.0001 / grid
        cell = np.minimum(((pos - low) / cell_size).astype(np.int64), grid - 1)
        density = np.zeros((2 * grid, 2 * grid))
        np.add.at(density, (cell[:, 0], cell[:, 1]), 1.0)
        spectrum = np.fft.rfft2(density)
        push = np.empty((n, 2))
        for axis, kernel in enumerate(kernels):
            field = np.fft.irfft2(spectrum * kernel, s=density.shape)[:grid, :grid] / cell_size
            push[:, axis] = field[cell[:, 0], cell[:, 1]]
        delta = pos[b] - pos[a]
        length = np.sqrt((delta**2).sum(axis=1)) + 1e-9
        pull = delta * length[:, None]
        np.add.at(push, a, pull)
        np.add.at(push, b, -pull)
        size = np.sqrt((push**2).sum(axis=1)) + 1e-9
        temperature = hot * (1 - step / iterations) + 1e-3
        pos += np.where(moving[:, None], push / size[:, None] * np.minimum(size, temperature)[:, None], 0.0)
    return {name: (float(pos[i, 0]), float(pos[i, 1])) for i, name in enumerate(names)}


def _beside(graph, names, index, pos, moving, rng) -> None:
    """Start each moving node next to the placed nodes it links to (breadth-first from them)."""
    placed = {names[i] for i in range(len(names)) if not moving[i]}
    frontier = sorted({n for p in placed for n in graph.neighbors(p)} - placed)
    while frontier:
        for name in frontier:
            anchors = [index[m] for m in graph.neighbors(name) if m in placed]
            pos[index[name]] = pos[anchors].mean(axis=0) + rng.normal(0.0, 0.5, size=2)
        placed.update(frontier)
        frontier = sorted({n for f in frontier for n in graph.neighbors(f)} - placed)


def _level(pos: dict[str, tuple[float, float]]) -> dict[str, tuple[float, float]]:
    """Turn a component so its longest extent runs across: screens are wider than tall."""
    n = len(pos)
    cx = sum(x for x, _ in pos.values()) / n
    cy = sum(y for _, y in pos.values()) / n
    sxx = sum((x - cx) ** 2 for x, _ in pos.values())
    syy = sum((y - cy) ** 2 for _, y in pos.values())
    sxy = sum((x - cx) * (y - cy) for x, y in pos.values())
    angle = 0.5 * math.atan2(2 * sxy, sxx - syy)  # direction of the principal axis
    cos, sin = math.cos(-angle), math.sin(-angle)
    return {k: ((x - cx) * cos - (y - cy) * sin, (x - cx) * sin + (y - cy) * cos) for k, (x, y) in pos.items()}


def _scaled(pos: dict[str, tuple[float, float]], graph, *, edge: float = EDGE,
            spacing: float = SPACING) -> dict[str, tuple[float, float]]:
    """Scale so that the median link is `edge` long and nodes are about `spacing` apart at least."""
    lengths = sorted(math.dist(pos[a], pos[b]) for a, b in graph.edges() if a in pos and b in pos)
    median = lengths[len(lengths) // 2] if lengths else 0.0
    factor = edge / median if median > 1e-9 else edge
    if spacing:
        gap = _nearest_gap(pos)
        if gap > 1e-9:
            factor = max(factor, spacing / gap)
    return {n: (x * factor, y * factor) for n, (x, y) in pos.items()}


def _nearest_gap(pos: dict[str, tuple[float, float]], *, sample: int = 400) -> float:
    """The median distance from a node to its nearest neighbour (over a fixed sample of nodes)."""
    import numpy as np

    points = np.array(list(pos.values()), dtype=float)
    if len(points) < 2:
        return 0.0
    step = max(1, len(points) // sample)
    probes = points[::step]
    nearest = []
    for chunk in np.array_split(probes, max(1, len(probes) // 100)):
        d = np.sqrt(((chunk[:, None, :] - points[None, :, :]) ** 2).sum(axis=2))
        d[d == 0] = np.inf  # the probe itself (and exact duplicates, which scaling cannot part)
        nearest.append(d.min(axis=1))
    gaps = np.concatenate(nearest)
    gaps = gaps[np.isfinite(gaps)]
    return float(np.median(gaps)) if len(gaps) else 0.0


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
