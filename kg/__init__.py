"""vnkg: knowledge graphs of Vietnamese news.

    import kg
    graph = kg.build(["data/articles"])          # rdflib.Graph of every article...
    graph.report.totals()                         # ...with the build's report
    one = kg.extract(text, date="30/01/2026")     # rdflib.Graph of one article
    rows = kg.query("output/", "person-profile", person="Lương Cường")   # a DataFrame (or rows)
    kg.export_graph("output/", "neo4j", "output/neo4j")  # what `kg export neo4j` writes
    nlp = kg.load_nlp()                           # the spaCy pipeline `kg build` runs

Nothing heavy is imported until one of these is called.
"""
from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["build", "export_graph", "extract", "load_nlp", "query", "__version__"]


def build(paths, *, base: str | None = None, validate: bool | None = False, workers: int = 1):
    """The merged graph of every article under `paths` (a file or folder, or a list of them).

    Returns an rdflib.Graph with the build's report as `.report` (`.report.failed` lists
    the inputs that could not be built, with what is wrong; `.report.totals()` the
    counts). Raises kg.errors.NothingBuiltError, naming each input and its problem, when
    no article could be built. `validate=True` runs the SHACL check (violations in
    `.report.violations`); `workers` > 1 analyses in that many processes.
    """
    from kg.builder import build_graph
    from kg.report import DEFAULT_BASE

    return build_graph(paths, base=base or DEFAULT_BASE, validate=validate, workers=workers)


def load_nlp(ontology: str | None = None):
    """The spaCy pipeline `kg build` runs: `nlp(text)` gives a Doc with `doc.ents`, the
    `doc.spans["positions"]` group and `doc._.relations` (the typed facts). To date what a
    text says relative to its publication date, pass it along:
    `nlp.pipe([(text, kg.nlp.doc.ArticleMeta(date=...))], as_tuples=True)`.
    `ontology`: another ontology folder (gazetteers and rules) than the shipped one."""
    from kg.nlp.pipeline import make_nlp

    return make_nlp(ontology)


def extract(text: str, date=None, *, title: str | None = None, base: str | None = None):
    """The rdflib.Graph of one article given as text.

    `date`: the article's publication date, as a datetime.date, a datetime, 'YYYY-MM-DD'
    or 'dd/mm/yyyy'; it dates what the text says relative to it ('sáng 6/1').
    """
    from kg.builder import extract as _extract
    from kg.report import DEFAULT_BASE

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


def export_graph(graph, format: str, out, **options):
    """Write a built graph (a graph file or a build folder) for another tool, as `kg export FORMAT` does:
    "neo4j", "trig", "nquads", "jsonld", "graphml", "gexf" or "csv"; returns the path written.

    Options are `kg export`'s own, as keywords (`dialect="falkordb"`, `gzip=True`,
    `import_dir="/data/import"`). A bad graph or option raises kg.errors.VnkgError saying what is wrong."""
    import argparse
    import contextlib
    import io
    from pathlib import Path

    from kg.errors import ArgumentError
    from kg.export.cli import register

    parser = argparse.ArgumentParser(prog="kg")
    register(parser.add_subparsers(dest="command"))
    argv = ["export", str(format), str(graph), "--out", str(out)]
    for key, value in options.items():
        flag = "--" + key.replace("_", "-")
        if value is True:
            argv.append(flag)
        elif value not in (False, None):
            argv += [flag, str(value)]
    complaint = io.StringIO()
    try:
        with contextlib.redirect_stderr(complaint):
            args = parser.parse_args(argv)
    except SystemExit:
        said = (complaint.getvalue().strip().splitlines() or ["bad arguments"])[-1]
        raise ArgumentError("kg.export_graph: " + said.split("error: ", 1)[-1]) from None
    with contextlib.redirect_stdout(io.StringIO()):
        args.func(args)
    return Path(f"{out}.gz") if options.get("gzip") and not str(out).endswith(".gz") else Path(out)
