"""A static overview picture of the graph (PNG or SVG) for reports: matplotlib, same layout as the page.

Same nodes, colours, positions and filters as the interactive page, drawn once with
matplotlib's bundled DejaVu Sans (it has every Vietnamese letter), so the picture
looks the same on every machine. matplotlib is the optional extra `viz`.
"""
from __future__ import annotations

import io
import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import MissingDependencyError, ViewError

if TYPE_CHECKING:
    from rdflib import Graph

log = logging.getLogger(__name__)

FORMATS = ("png", "svg")
# Colour and matplotlib marker per kind, as close as markers get to the page's shapes.
LOOK = {
    "person": ("#3b82f6", "o"), "country": ("#dc2626", "h"), "organization": ("#7c3aed", "s"),
    "location": ("#a16207", "^"), "position": ("#64748b", ">"), "visit": ("#16a34a", "D"),
    "meeting": ("#ea580c", "*"), "agreement": ("#0891b2", "p"), "figure": ("#ca8a04", "v"),
}


def write_static(graph: Graph, path: str | os.PathLike, format: str = "png", *, focus: str | None = None,
                 since: str | None = None, until: str | None = None, title: str | None = None,
                 labels: int = 40) -> Path:
    """Draw `graph` to `path` as PNG or SVG (written atomically); `labels` names that many top nodes."""
    from kg.viz.page import view_data, write_atomic

    fmt = str(format).lower()
    if fmt not in FORMATS:
        raise ViewError(f"{path}: cannot draw a {format!r} picture; use --format png or svg (or html for the page)")
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        from matplotlib.collections import LineCollection
        from matplotlib.lines import Line2D
    except ImportError:
        raise MissingDependencyError("matplotlib", "kg viz --format png|svg (install the extra: pip install -e '.[viz]')") from None

    view = view_data(graph, focus=focus, since=since, until=until, title=title, shown=None)
    nodes = view["nodes"]
    at = {n["id"]: (n["x"], -n["y"]) for n in nodes}  # the page's y grows downwards
    count = len(nodes)
    width = 12.0 if count < 2000 else 16.0
    xs = [p[0] for p in at.values()] or [0.0]
    ys = [p[1] for p in at.values()] or [0.0]
    span_x, span_y = max(xs) - min(xs) or 1.0, max(ys) - min(ys) or 1.0
    height = min(max(width * span_y / span_x, 5.0), width * 1.4) + 1.2

    with matplotlib.rc_context({"font.family": "DejaVu Sans", "svg.fonttype": "path"}):
        fig, ax = plt.subplots(figsize=(width, height), dpi=150 if fmt == "png" else 72)
        ax.set_axis_off()
        ax.set_aspect("equal")
        segments = [(at[e["source"]], at[e["target"]]) for e in view["edges"]]
        alpha = 0.55 if count < 300 else 0.25 if count < 2000 else 0.12
        ax.add_collection(LineCollection(segments, colors="#94a3b8", linewidths=0.6 if count < 2000 else 0.3,
                                         alpha=alpha, zorder=1))
        # Marker area grows with the page's node size; large graphs get smaller dots.
        scale = 0.35 if count < 300 else 0.06 if count < 2000 else 0.03
        legend = []
        for kind, (colour, marker) in LOOK.items():
            members = [n for n in nodes if n["kind"] == kind]
            if not members:
                continue
            ax.scatter([at[n["id"]][0] for n in members], [at[n["id"]][1] for n in members],
                       s=[(n["size"] ** 2) * scale for n in members], c=colour, marker=marker,
                       edgecolors="#1f2937", linewidths=0.4 if count < 2000 else 0.1, zorder=2)
            names = next(k for k in view["kinds"] if k["kind"] == kind)
            label = names["plural"] if len(members) != 1 else names["label"].lower()
            legend.append(Line2D([], [], linestyle="", marker=marker, markersize=8, markerfacecolor=colour,
                                 markeredgecolor="#1f2937", label=f"{len(members):,} {label}"))
        named = [n for n in nodes if count <= 60 or n["kind"] not in ("visit", "meeting", "agreement", "figure")]
        for n in named[: count if count <= 60 else labels]:
            x, y = at[n["id"]]
            ax.annotate(n["label"] if len(n["label"]) <= 34 else n["label"][:32] + "…", (x, y),
                        xytext=(0, -(n["size"] * (scale ** 0.5) * 0.6 + 7)), textcoords="offset points",
                        ha="center", va="top", fontsize=8 if count <= 300 else 7, color="#111827", zorder=3,
                        bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.7})
        ax.margins(0.04)
        ax.legend(handles=legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False, fontsize=9)
        stats = view["stats"]
        ax.set_title(f"{view['title']}\n{stats['nodes']:,} nodes · {stats['edges']:,} links", fontsize=12, loc="left")
        fig.tight_layout()
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, facecolor="white", metadata=_metadata(fmt), bbox_inches="tight",
                    pad_inches=0.25)
        plt.close(fig)
    written = write_atomic(path, buffer.getvalue())
    log.info("static picture: %s (%d nodes)", written, count)
    return written


def _metadata(fmt: str) -> dict:
    # No creation date in the file, so the same graph gives the same picture.
    return {"Date": None} if fmt == "svg" else {"Software": "vnkg"}
