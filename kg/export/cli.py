"""`kg export FORMAT GRAPH --out ...` and `kg load neo4j|sparql GRAPH ...`: parse, call one function, summarise.

GRAPH is a graph file or a folder holding graph.ttl (what `kg build --out DIR` writes).
"""
from __future__ import annotations

import argparse
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)


def register(subparsers) -> None:
    """Add the `export` and `load` command families."""
    export = subparsers.add_parser("export", help="write the graph for Neo4j, triplestores, Gephi/Cytoscape, JSON-LD",
                                   description="Write a built graph in the form another tool reads. "
                                               "GRAPH is a graph file or a folder holding graph.ttl.")
    fmts = export.add_subparsers(dest="format", required=True, metavar="FORMAT")

    p = fmts.add_parser("neo4j", help="neo4j-admin CSV files, import.cypher and n10s.cypher in a folder")
    _graph_arg(p)
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for the files (created)")
    p.add_argument("--batch-size", type=int, default=500, metavar="N", help="rows per UNWIND in import.cypher")
    p.add_argument("--dialect", choices=("neo4j", "falkordb"), default="neo4j",
                   help="Cypher dialect of import.cypher (default neo4j)")
    p.add_argument("--import-dir", default="/var/lib/neo4j/import", metavar="DIR",
                   help="Neo4j's import folder on the Neo4j server (server.directories.import), where n10s.cypher "
                        "reads the graph file from; a URL works too (default /var/lib/neo4j/import)")
    p.set_defaults(func=run_export_neo4j)

    for fmt, what in (("trig", "TriG"), ("nquads", "N-Quads")):
        p = fmts.add_parser(fmt, help=f"{what}: one named graph per article, entities in the default graph")
        _graph_arg(p)
        p.add_argument("--out", required=True, type=Path, metavar="FILE")
        p.add_argument("--gzip", action="store_true", help="compress (adds .gz to FILE unless it ends so)")
        p.add_argument("--entities-graph", metavar="IRI",
                       help="put the shared entity descriptions in this named graph instead of the default graph")
        p.set_defaults(func=run_export_dataset, dataset_format=fmt)

    for fmt, what in (("graphml", "GraphML (Gephi, Cytoscape, yEd, igraph)"), ("gexf", "GEXF (Gephi)"),
                      ("jsonld", "JSON-LD with a compact @context")):
        p = fmts.add_parser(fmt, help=what)
        _graph_arg(p)
        p.add_argument("--out", required=True, type=Path, metavar="FILE")
        p.set_defaults(func=run_export_file, file_format=fmt)

    p = fmts.add_parser("csv", help="nodes.csv and edges.csv (Gephi spreadsheet import, Cytoscape)")
    _graph_arg(p)
    p.add_argument("--out", required=True, type=Path, metavar="DIR", help="folder for nodes.csv and edges.csv")
    p.set_defaults(func=run_export_file, file_format="csv")

    load = subparsers.add_parser("load", help="load the graph into a running Neo4j or SPARQL store",
                                 description="Load a built graph into a running database. Loading twice gives "
                                             "the same database. GRAPH is a graph file or a folder holding graph.ttl.")
    stores = load.add_subparsers(dest="store", required=True, metavar="STORE")

    p = stores.add_parser("neo4j", help="through the official neo4j driver (MERGE on the node IRI)")
    _graph_arg(p)
    p.add_argument("--uri", required=True, help="bolt://HOST:7687 or neo4j://HOST:7687")
    p.add_argument("--user", default="neo4j", help="default: neo4j")
    p.add_argument("--password-env", default="NEO4J_PASSWORD", metavar="VAR",
                   help="environment variable holding the password (default NEO4J_PASSWORD)")
    p.add_argument("--database", help="database name (default: the server's default database)")
    p.add_argument("--batch-size", type=int, default=1000, metavar="N", help="rows per transaction")
    p.add_argument("--no-constraints", action="store_true",
                   help="do not create the uniqueness constraints (a user without schema rights)")
    p.add_argument("--timeout", type=float, default=15.0, metavar="S", help="connection time-out in seconds")
    p.set_defaults(func=run_load_neo4j)

    p = stores.add_parser("sparql", help="SPARQL 1.1 Graph Store Protocol or SPARQL UPDATE, resumable")
    _graph_arg(p)
    p.add_argument("--endpoint", required=True, metavar="URL",
                   help="GSP endpoint (e.g. Virtuoso http://HOST:8890/sparql-graph-crud-auth) or UPDATE endpoint")
    p.add_argument("--graph", dest="graph_iri", metavar="IRI", help="named graph for the build (default: derived from its articles)")
    p.add_argument("--per-article", action="store_true",
                   help="one named graph per article (its facts and the article node); entities in the build graph")
    p.add_argument("--protocol", choices=("auto", "gsp", "update"), default="auto",
                   help="gsp: PUT/POST N-Triples; update: INSERT DATA; auto (default): gsp, update if gsp is refused")
    p.add_argument("--user", help="user name, when the endpoint needs one (Basic or Digest)")
    p.add_argument("--password-env", default="SPARQL_PASSWORD", metavar="VAR",
                   help="environment variable holding the password (default SPARQL_PASSWORD)")
    p.add_argument("--batch-size", type=int, metavar="N", help="triples per request (gsp 100000, update 1000)")
    p.add_argument("--state", type=Path, metavar="FILE",
                   help="progress file for resuming (default: .kg-load/ beside the graph)")
    p.add_argument("--timeout", type=float, default=120.0, metavar="S",
                   help="seconds each request may take in all, from connecting to the last byte of the answer "
                        "(default 120)")
    p.add_argument("--replace", action="store_true",
                   help="remove the per-article graphs an earlier --per-article load of this build left in the "
                        "store before loading the whole build (without it, the load stops if it finds them)")
    p.set_defaults(func=run_load_sparql)


def _graph_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("graph", metavar="GRAPH", help="graph file (.ttl, .nt, .trig, .nq) or a folder with graph.ttl")


def _work_near(out: Path) -> Path:
    """Where an export to `out` keeps its temporary files: beside the output, not in a shared /tmp."""
    return out if out.is_dir() else (out.resolve().parent)


def run_export_neo4j(args) -> int:
    from kg.errors import VnkgError
    from kg.export import cypher
    from kg.export.files import atomic_output, output_folder, write_text
    from kg.export.n10s import import_url, n10s_problems, n10s_script, rdf_format_name
    from kg.export.neo4j_csv import write_neo4j_csv
    from kg.export.propgraph import stream_property_graph
    from kg.export.source import read_graph, resolve_graph_path

    name = resolve_graph_path(args.graph).name
    try:
        url = import_url(name, args.import_dir)
    except ValueError as exc:
        raise VnkgError(f"--import-dir: {exc}; give the folder as the Neo4j server sees it, "
                        "e.g. /var/lib/neo4j/import") from exc
    out = output_folder(args.out)
    with read_graph(args.graph, work_dir=out) as source:
        model = stream_property_graph(source)
        export = write_neo4j_csv(model, out)
        with atomic_output(out / "import.cypher") as stream:
            for piece in cypher.script(model, args.dialect, args.batch_size):
                stream.write(piece)
        write_text(out / "n10s.cypher", n10s_script(url, rdf_format_name(name)))
        problems = n10s_problems(source) if source.path.suffix == ".ttl" else []
    print(f"{args.out}: {model.node_count} nodes, {model.rel_count} relationships in "
          f"{len(export.node_files)} node and {len(export.rel_files)} relationship files; "
          f"import.cypher ({args.dialect}); n10s.cypher, reading {url}; "
          f"the import command and the uri constraints are in README.txt")
    for problem in problems:
        log.warning("%s: n10s: %s", source.path, problem)
    return 0


def run_export_dataset(args) -> int:
    from kg.export.quads import write_dataset
    from kg.export.source import read_graph

    with read_graph(args.graph, work_dir=_work_near(args.out)) as source:
        path, summary = write_dataset(source, args.out, fmt=args.dataset_format, compress=args.gzip or None,
                                      entities_graph=args.entities_graph)
    print(f"{path}: {summary.triples} triples, {summary.article_graphs} article graphs, "
          f"{summary.entity_triples} entity triples in "
          f"{'<' + args.entities_graph + '>' if args.entities_graph else 'the default graph'}")
    return 0


def run_export_file(args) -> int:
    from kg.export import graphtools, jsonld
    from kg.export.propgraph import to_property_graph
    from kg.export.source import read_graph

    with read_graph(args.graph, work_dir=_work_near(args.out)) as source:
        if args.file_format == "jsonld":
            path = jsonld.write_jsonld(source, args.out)
            print(f"{path}: {len(source)} triples as JSON-LD")
            return 0
        graph = to_property_graph(source)
    if args.file_format == "csv":
        nodes, edges = graphtools.write_csv_lists(graph, args.out)
        print(f"{nodes}: {len(graph.nodes)} nodes; {edges}: {len(graph.rels)} edges")
        return 0
    writer = graphtools.write_graphml if args.file_format == "graphml" else graphtools.write_gexf
    path = writer(graph, args.out)
    print(f"{path}: {len(graph.nodes)} nodes, {len(graph.rels)} edges")
    return 0


def run_load_neo4j(args) -> int:
    from kg.export.neo4j_load import load_neo4j
    from kg.export.propgraph import stream_property_graph
    from kg.export.source import read_graph

    password = _password(args.password_env, args.user, required=True)
    with read_graph(args.graph) as source:
        graph = stream_property_graph(source)
        report = load_neo4j(graph, uri=args.uri, user=args.user, password=password, database=args.database,
                            batch_size=args.batch_size, constraints=not args.no_constraints, timeout=args.timeout)
    print(f"{args.uri}: {graph.node_count} nodes and {graph.rel_count} relationships merged in "
          f"{report.statements} statements ({report.nodes_created} nodes and "
          f"{report.relationships_created} relationships were new)")
    return 0


def run_load_sparql(args) -> int:
    import sys

    from kg.export.source import read_graph
    from kg.export.sparql_load import load_sparql

    password = _password(args.password_env, args.user, required=bool(args.user))
    with read_graph(args.graph) as source:
        report = load_sparql(source, args.endpoint, graph_iri=args.graph_iri, per_article=args.per_article,
                             protocol=args.protocol, user=args.user, password=password, batch_size=args.batch_size,
                             state_path=args.state, timeout=args.timeout, replace=args.replace,
                             progress=sys.stderr.isatty())
    skipped = f", {report.batches_skipped} already done earlier" if report.batches_skipped else ""
    how = "Graph Store Protocol" if report.protocol == "gsp" else "SPARQL UPDATE"
    print(f"{args.endpoint}: {report.triples} triples in {report.graphs} named graph(s) via {how}; "
          f"{report.batches_sent} request{'' if report.batches_sent == 1 else 's'} sent{skipped}")
    if report.stale_removed:
        print(f"  removed {report.stale_removed} per-article graphs an earlier --per-article load had left")
    if report.per_article:
        shown = ", ".join(f"<{g}>" for g in report.article_graphs)
        more = ", ..." if report.graphs - 1 > len(report.article_graphs) else ""
        print(f"  entities: <{report.build_graph}>")
        print(f"  articles: {report.graphs - 1} graphs named by the articles' IRIs: {shown}{more}")
        print("  query them all with GRAPH ?g { ... }, or FROM <entities graph> and FROM <article graph>")
    else:
        print(f"  graph: <{report.build_graph}>")
        print(f"  query it with FROM <{report.build_graph}> or GRAPH <{report.build_graph}> {{ ... }}")
    return 0


def _password(var: str, user: str | None, *, required: bool) -> str | None:
    from kg.errors import VnkgError

    if not user:
        return None
    value = os.environ.get(var)
    if value is None and required:
        raise VnkgError(f"the password for user {user!r} is read from the environment variable {var}, "
                        f"which is not set: export {var}=... (or name another with --password-env)")
    return value
