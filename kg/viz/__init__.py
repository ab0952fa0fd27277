"""Seeing the graph: a self-contained interactive page (graph + timeline) and a static picture.

    render_html(graph, focus=..., since=..., until=..., title=...) -> str   the whole page
    write_html(graph, path, **options)                                   the page, written atomically
    write_static(graph, path, format="png" | "svg")                      an overview picture

Only reads graphs; builds nothing. Heavy imports happen when a function is called.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pathlib import Path

    from rdflib import Graph

__all__ = ["render_html", "write_html", "write_static"]


def render_html(graph: Graph, *, focus: str | None = None, since: str | None = None, until: str | None = None,
                title: str | None = None, **options) -> str:
    """The whole self-contained HTML page for `graph` (see kg.viz.page.render_html)."""
    from kg.viz.page import render_html as render

    return render(graph, focus=focus, since=since, until=until, title=title, **options)


def write_html(graph: Graph, path, **options) -> Path:
    """Write the page for `graph` to `path` atomically (temporary file, then rename)."""
    from kg.viz.page import write_html as write

    return write(graph, path, **options)


def write_static(graph: Graph, path, format: str = "png", **options) -> Path:
    """Write an overview picture of `graph` (png or svg) to `path` atomically."""
    from kg.viz.static import write_static as write

    return write(graph, path, format=format, **options)
