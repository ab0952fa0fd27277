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
        pieces.append(_scaled(_force(sub, seed), sub) if len(component) <= CORE else _core_first(sub, rank, seed))
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


def _core_first(graph, rank: dict[str, int], seed: int) -> dict[str, tuple[float, float]]:
    """Force layout of the CORE most important nodes, then everyone else beside their neighbours."""
    import networkx as nx

    order = sorted(graph.nodes, key=lambda i: rank[i])
    core = set(order[:CORE])
    skeleton = nx.Graph()
    skeleton.add_nodes_from(core)
    for a, b in graph.edges():
        if a in core and b in core:
            skeleton.add_edge(a, b, weight=2.0)
    # Two core nodes linked through one other node (a person and a country through a
    # visit) are pulled together too, so the skeleton keeps the graph's shape.
    for node in graph.nodes:
        if node in core:
            continue
        linked = sorted((n for n in graph.neighbors(node) if n in core), key=lambda i: rank[i])[:12]
        for i, a in enumerate(linked):
            for b in linked[i + 1:]:
                old = skeleton.get_edge_data(a, b, {"weight": 0.0})["weight"]
                skeleton.add_edge(a, b, weight=min(old + 0.5, 4.0))
    placed = _scaled(_force(skeleton, seed, weight="weight"), skeleton) if len(skeleton) > 1 else {order[0]: (0.0, 0.0)}

    # Breadth-first from the core: each node goes next to the nodes already placed that it
    # links to, on a sunflower around its most important placed neighbour.
    around: dict[str, int] = defaultdict(int)
    frontier = sorted({n for c in placed for n in graph.neighbors(c)} - placed.keys(), key=lambda i: rank[i])
    while frontier:
        for node in frontier:
            anchors = sorted((n for n in graph.neighbors(node) if n in placed), key=lambda i: rank[i])
            if not anchors:
                continue
            cx = sum(placed[a][0] for a in anchors) / len(anchors)
            cy = sum(placed[a][1] for a in anchors) / len(anchors)
            key = anchors[0]
            k = around[key]
            around[key] += 1
            radius = EDGE * (0.45 + 0.3 * math.sqrt(k))
            placed[node] = (cx + radius * math.cos(k * _GOLDEN), cy + radius * math.sin(k * _GOLDEN))
        frontier = sorted({n for f in frontier for n in graph.neighbors(f)} - placed.keys(), key=lambda i: rank[i])
    return placed


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
