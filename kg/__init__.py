"""vnkg: knowledge graphs of Vietnamese news.

    import kg
    graph = kg.build(["data/articles"])          # rdflib.Graph of every article
    one = kg.extract(text, date="2026-01-30")     # rdflib.Graph of one article
    rows = kg.query("output/", "person-profile", person="Lương Cường")   # a DataFrame (or rows)

Nothing heavy is imported until one of these is called.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["build", "extract", "query", "__version__"]


def build(paths, *, base: str | None = None):
    """The merged rdflib.Graph of every article under `paths` (files or folders)."""
    from kg.builder import build_graph
    from kg.rdf.iri import DEFAULT_BASE

    if isinstance(paths, (str, bytes)) or hasattr(paths, "__fspath__"):
        paths = [paths]
    return build_graph(paths, base=base or DEFAULT_BASE)


def extract(text: str, date=None, *, title: str | None = None, base: str | None = None):
    """The rdflib.Graph of one article given as text; `date` as a date or 'YYYY-MM-DD'."""
    from kg.builder import extract as _extract
    from kg.rdf.iri import DEFAULT_BASE

    return _extract(text, date, title=title, base=base or DEFAULT_BASE)


def query(graph_or_dir, query_or_example: str, **params):
    """Run SPARQL over a graph and return the rows: a pandas DataFrame when pandas is installed,
    else a list of {variable: value} dicts (ASK gives a bool, CONSTRUCT an rdflib.Graph).

    `graph_or_dir` is a build folder, a graph file, an Oxigraph store folder or an rdflib.Graph;
    `query_or_example` is SPARQL text or an example's name (`"trade-series"`), whose parameters
    are given as keywords (`country="Lào", year=2024`). The graph's own prefixes are declared.
    """
    from kg.serve.query import query as _query

    return _query(graph_or_dir, query_or_example, **params)
