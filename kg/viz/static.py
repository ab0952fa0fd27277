"""A static overview picture of the graph (PNG or SVG) for reports: matplotlib, same layout as the page.

By default the picture is the page's first screen: people and countries, each visit an
arrow from the visitor to the destination, each meeting a dashed line between the people
who met (`view="facts"` draws every fact as a node instead). Names are placed one by one,
most important first, below, above or beside their node, wherever they overlap no name
already placed; a name that fits nowhere is left out rather than drawn over another. A
legend names the kinds of node and link. Text is set in matplotlib's bundled DejaVu Sans
(it has every Vietnamese letter), so the picture looks the same on every machine.
matplotlib is the optional extra `viz`.
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
VIEWS = ("people", "facts")
# Colour and matplotlib marker per kind, as close as markers get to the page's shapes.
LOOK = {
    "person": ("#3b82f6", "o"), "country": ("#dc2626", "h"), "organization": ("#7c3aed", "s"),
    "location": ("#a16207", "^"), "position": ("#64748b", ">"), "visit": ("#16a34a", "D"),
    "meeting": ("#ea580c", "*"), "agreement": ("#0891b2", "p"), "figure": ("#ca8a04", "v"),
}
LINKS = {  # people view: (colour, line style, legend text)
    "visit": ("#16a34a", "-", "visit (visitor → destination)"),
    "meeting": ("#ea580c", "--", "meeting"),
    "nationality": ("#b6bfca", ":", "nationality"),
}
STYLE = {"font.family": "DejaVu Sans", "svg.fonttype": "path"}  # letters as outlines: the SVG needs no font
_PLACES = ((0, -1, "center", "top"), (0, 1, "center", "bottom"), (1, 0, "left", "center"), (-1, 0, "right", "center"))


def _matplotlib():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise MissingDependencyError("matplotlib", "kg viz --format png|svg (install the extra: pip install -e '.[viz]')") from None
    return matplotlib, plt


def figure(graph: Graph, *, focus: str | None = None, since: str | None = None, until: str | None = None,
           title: str | None = None, labels: int = 40, view: str = "people", fmt: str = "png"):
    """The picture as a matplotlib Figure, and the name labels placed on it (Text artists)."""
    from kg.viz.page import view_data

    if view not in VIEWS:
        raise ViewError(f"--view {view!r}: draw 'people' (who went where, met whom) or 'facts' (every fact as a node)")
    matplotlib, plt = _matplotlib()
    from matplotlib.collections import LineCollection
    from matplotlib.lines import Line2D

    data = view_data(graph, focus=focus, since=since, until=until, title=title, shown=None)
    everything = data["nodes"]
    if view == "people":
        nodes = [n for n in everything if n.get("core")]
        order = "qrank"
    else:
        nodes = everything
        order = "rank"
    nodes.sort(key=lambda n: n.get(order, n["rank"]))
    ids = {n["id"] for n in nodes}
    at = {n["id"]: (n["x"], -n["y"]) for n in nodes}  # the page's y grows downwards
    count = len(nodes)
    structural = [e for e in data["edges"] if e["source"] in ids and e["target"] in ids]
    width = 12.0 if count < 2000 else 16.0
    xs = [p[0] for p in at.values()] or [0.0]
    ys = [p[1] for p in at.values()] or [0.0]
    span_x, span_y = max(xs) - min(xs) or 1.0, max(ys) - min(ys) or 1.0
    height = min(max(width * span_y / span_x, 5.0), width * 1.4) + 1.2

    with matplotlib.rc_context(STYLE):
        fig, ax = plt.subplots(figsize=(width, height), dpi=150 if fmt == "png" else 72)
        ax.set_axis_off()
        ax.set_aspect("equal")
        thin = count >= 300
        legend = []
        if view == "people":
            groups = {"nationality": [(at[e["source"]], at[e["target"]]) for e in structural if e["rel"] == "nationality"]}
            for link in data["links"]:
                if link["source"] in ids and link["target"] in ids:
                    groups.setdefault(link["kind"], []).append((at[link["source"]], at[link["target"]]))
            for kind, (colour, style, text) in LINKS.items():
                segments = groups.get(kind, [])
                if not segments:
                    continue
                ax.add_collection(LineCollection(segments, colors=colour, linestyles=style,
                                                 linewidths=0.5 if thin else 1.4, alpha=0.35 if thin else 0.8, zorder=1))
                if kind == "visit" and not thin:  # the way each visit went
                    for (x1, y1), (x2, y2) in segments:
                        ax.annotate("", xy=(x1 + 0.82 * (x2 - x1), y1 + 0.82 * (y2 - y1)), xytext=(x1, y1),
                                    arrowprops={"arrowstyle": "-|>", "color": colour, "lw": 0, "mutation_scale": 11},
                                    zorder=1)
                legend.append(Line2D([], [], color=colour, linestyle=style, linewidth=1.6,
                                     label=f"{len(segments):,} × {text}"))
        else:
            segments = [(at[e["source"]], at[e["target"]]) for e in structural]
            ax.add_collection(LineCollection(segments, colors="#94a3b8", linewidths=0.3 if thin else 0.6,
                                             alpha=0.25 if thin else 0.55, zorder=1))
        # Marker area grows with the page's node size; large graphs get smaller dots.
        scale = 0.35 if count < 300 else 0.06 if count < 2000 else 0.03
        node_legend = []
        for kind, (colour, marker) in LOOK.items():
            members = [n for n in nodes if n["kind"] == kind]
            if not members:
                continue
            ax.scatter([at[n["id"]][0] for n in members], [at[n["id"]][1] for n in members],
                       s=[(n["size"] ** 2) * scale for n in members], c=colour, marker=marker,
                       edgecolors="#1f2937", linewidths=0.4 if count < 2000 else 0.1, zorder=2)
            names = next(k for k in data["kinds"] if k["kind"] == kind)
            label = names["plural"] if len(members) != 1 else names["label"].lower()
            node_legend.append(Line2D([], [], linestyle="", marker=marker, markersize=8, markerfacecolor=colour,
                                      markeredgecolor="#1f2937", label=f"{len(members):,} {label}"))
        ax.margins(0.04)
        ax.legend(handles=node_legend + legend, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False,
                  fontsize=9, title="Legend", title_fontproperties={"weight": "bold", "size": 10})
        stats = data["stats"]
        shown = f"{count:,} of {stats['nodes']:,} nodes" if count != stats["nodes"] else f"{count:,} nodes"
        ax.set_title(f"{data['title']}\n{shown}" + (" · people, countries, visits and meetings" if view == "people" else ""),
                     fontsize=12, loc="left")
        fig.tight_layout()
        named = [n for n in nodes if count <= 60 or n["kind"] not in ("visit", "meeting", "agreement", "figure")]
        placed = _place_names(fig, ax, at, named[: count if count <= 60 else labels], scale, count)
    return fig, placed


def _place_names(fig, ax, at: dict, nodes: list[dict], scale: float, count: int) -> list:
    """Names in order of importance, each where it overlaps no name placed before it; the rest left out."""
    renderer = fig.canvas.get_renderer()
    taken = []
    placed = []
    for n in nodes:
        text = n["label"] if len(n["label"]) <= 34 else n["label"][:32] + "…"
        offset = n["size"] * (scale ** 0.5) * 0.6 + 5
        for dx, dy, ha, va in _PLACES:
            artist = ax.annotate(text, at[n["id"]], xytext=(dx * offset, dy * offset), textcoords="offset points",
                                 ha=ha, va=va, fontsize=8 if count <= 300 else 7, color="#111827", zorder=3,
                                 bbox={"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.75})
            box = artist.get_window_extent(renderer).expanded(1.02, 1.08)
            if not any(box.overlaps(other) for other in taken):
                taken.append(box)
                placed.append(artist)
                break
            artist.remove()
    return placed


def write_static(graph: Graph, path: str | os.PathLike, format: str = "png", *, focus: str | None = None,
                 since: str | None = None, until: str | None = None, title: str | None = None,
                 labels: int = 40, view: str = "people") -> Path:
    """Draw `graph` to `path` as PNG or SVG (written atomically); `labels` names that many top nodes."""
    from kg.viz.page import write_atomic

    fmt = str(format).lower()
    if fmt not in FORMATS:
        raise ViewError(f"{path}: cannot draw a {format!r} picture; use --format png or svg (or html for the page)")
    matplotlib, plt = _matplotlib()
    with matplotlib.rc_context(STYLE):
        fig, placed = figure(graph, focus=focus, since=since, until=until, title=title, labels=labels, view=view,
                             fmt=fmt)
        buffer = io.BytesIO()
        fig.savefig(buffer, format=fmt, facecolor="white", metadata=_metadata(fmt), bbox_inches="tight",
                    pad_inches=0.25)
        plt.close(fig)
    written = write_atomic(path, buffer.getvalue())
    log.info("static picture: %s (%d names)", written, len(placed))
    return written


def _metadata(fmt: str) -> dict:
    # No creation date in the file, so the same graph gives the same picture.
    return {"Date": None} if fmt == "svg" else {"Software": "vnkg"}
