"""The graph page: one self-contained HTML file (data, drawing library, script and style inlined).

The page fetches nothing when opened — no script, font or stylesheet from any network —
so it works offline, from a file:// URL and as an e-mail attachment. The drawing
library (Cytoscape.js) and the world map's boundaries (world-atlas, see kg.viz.world),
pinned in web/package.json, are installed by `npm ci` in kg/viz/web at set-up and copied
into every page.
"""
from __future__ import annotations

import html
import json
import logging
import os
import re
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from kg.errors import ViewError
from kg.resources import web_assets

if TYPE_CHECKING:
    from rdflib import Graph

log = logging.getLogger(__name__)

WEB = Path(__file__).resolve().parent / "web"
LIBRARY = web_assets(WEB)["cytoscape.min.js"]  # declared in web/package.json, which packaging reads too
SHOWN = 1500  # above this many nodes, the page first draws only the most important ones
_MARKER = re.compile(r"\{\{(title|css|data|world|cytoscape|viewer)\}\}")


def _asset(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        hint = ("run `npm ci` in kg/viz/web (`make setup` does it)" if path == LIBRARY
                else "reinstall vnkg: the page files ship with the kg.viz package")
        raise ViewError(f"{path}: the graph page needs this file and it is missing; {hint}") from None


def _script(text: str) -> str:
    """Text safe inside <script>: no early '</script' end."""
    return re.sub(r"</(script)", r"<\\/\1", text, flags=re.IGNORECASE)


def view_data(graph: Graph, *, focus: str | None = None, since: str | None = None, until: str | None = None,
              title: str | None = None, shown: int | None = None) -> dict:
    """The page's data with node positions: what render_html embeds (see kg.viz.data.graph_to_view)."""
    from kg.viz.data import graph_to_view
    from kg.viz.layout import layout

    view = graph_to_view(graph, focus=focus, since=since, until=until)
    view["shown"] = max(1, int(shown)) if shown else SHOWN
    core = {n["id"] for n in view["nodes"] if n.get("core")}
    positions = layout(view["nodes"], view["edges"], first=view["shown"], core=core, core_edges=view["links"])
    for node in view["nodes"]:
        node["x"], node["y"] = positions[node["id"]]
    view["title"] = title or _default_title(view)
    return view


def _default_title(view: dict) -> str:
    if view["focus"]:
        name = next(n["label"] for n in view["nodes"] if n["id"] == view["focus"])
        title = f"{name} — vnkg graph"
    else:
        title = "vnkg graph"
    if view["since"] or view["until"]:
        title += f" ({view['since'] or '…'} to {view['until'] or '…'})"
    return title


def render_html(graph: Graph, *, focus: str | None = None, since: str | None = None, until: str | None = None,
                title: str | None = None, shown: int | None = None) -> str:
    """The whole self-contained page for `graph` (UTF-8 HTML text).

    `focus` (a name or IRI) keeps one node and its neighbourhood; `since`/`until`
    (YYYY, YYYY-MM or YYYY-MM-DD) keep the facts dated in that range; `shown` is how
    many of the most important nodes a large graph draws at first (default 1500).
    """
    return render_view(view_data(graph, focus=focus, since=since, until=until, title=title, shown=shown))


def packed(view: dict) -> dict:
    """The page's data for transport: nodes, articles and link kinds named by their number, not their IRI.

    A large graph's page is mostly IRIs repeated in links, detail rows and profiles; the
    page reads numbers as fast and unpacks them (viewer.js `unpack`) into `view`'s shapes.
    """
    index = {n["id"]: i for i, n in enumerate(view["nodes"])}
    articles = sorted(view["articles"])
    article_index = {a: i for i, a in enumerate(articles)}
    relations: dict[tuple[str, str], int] = {}

    def ref(part):
        if isinstance(part, dict) and part.get("id") in index and view["nodes"][index[part["id"]]]["label"] == part["text"]:
            return index[part["id"]]
        return part

    nodes = []
    for node in view["nodes"]:
        out = dict(node)
        out["rows"] = [[name, [ref(p) for p in parts]] for name, parts in node["rows"]]
        for key in ("countries", "facts"):
            if key in node:
                out[key] = [index[i] for i in node[key] if i in index]
        if "sources" in node:
            out["sources"] = [article_index[a] if a in article_index else a for a in node["sources"]]
        if "arc" in node:
            out["arc"] = [index[c] for c in node["arc"]]
        for key in ("at", "atVisit"):
            if key in node:
                out[key] = index[node[key]]
        if "profile" in node:
            profile = {k: [index[i] for i in v] for k, v in node["profile"].items() if k != "posts"}
            profile["posts"] = [{**post, "id": index[post["id"]],
                                 **({"holders": [index[h] for h in post["holders"]]} if "holders" in post else {}),
                                 **({"articles": [article_index[a] for a in post["articles"] if a in article_index]}
                                    if "articles" in post else {})}
                                for post in node["profile"]["posts"]]
            out["profile"] = profile
        nodes.append(out)
    edges = []
    for edge in view["edges"]:
        rel = relations.setdefault((edge["rel"], edge["label"]), len(relations))
        edges.append([index[edge["source"]], index[edge["target"]], rel])
    return {
        **{k: v for k, v in view.items() if k not in ("nodes", "edges", "links", "timeline", "articles")},
        "packed": True,
        "nodes": nodes,
        "edges": edges,
        "relations": [list(r) for r in relations],
        "links": [[index[link["fact"]], index[link["source"]], index[link["target"]]] for link in view["links"]],
        "timeline": [index[entry["id"]] for entry in view["timeline"]],
        "articles": [{"id": a, **view["articles"][a]} for a in articles],
    }


def render_view(view: dict) -> str:
    """The page for data made by `view_data`."""
    # "<" escaped as \u003c keeps the JSON inert inside <script> whatever the labels hold.
    payload = json.dumps(packed(view), ensure_ascii=False, separators=(",", ":")).replace("<", "\\u003c")
    from kg.viz.world import world

    shapes = world()
    atlas = json.dumps({k: shapes[k] for k in ("width", "height", "shapes")}, separators=(",", ":"))
    parts = {
        "title": html.escape(view["title"]),
        "world": atlas.replace("<", "\\u003c"),
        "css": _asset(WEB / "viewer.css"),
        "data": payload.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"),
        "cytoscape": _script(_asset(LIBRARY)),
        "viewer": _script(_asset(WEB / "viewer.js")),
    }
    page = _MARKER.sub(lambda m: parts[m.group(1)], _asset(WEB / "page.html"))
    log.info("graph page: %d nodes, %d links, %.1f MB", view["stats"]["nodes"], view["stats"]["edges"],
             len(page.encode("utf-8")) / 1e6)
    return page


def write_atomic(path: str | os.PathLike, content: bytes) -> Path:
    """Write `content` to a temporary file beside `path`, then rename it into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(content)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def write_html(graph: Graph, path: str | os.PathLike, **options) -> Path:
    """Write the page for `graph` to `path` atomically (temporary file, then rename); options as render_html."""
    return write_atomic(path, render_html(graph, **options).encode("utf-8"))
