"""Check a graph against the vnkg graph contract (ontology/shapes.ttl) with SHACL.

`validate(graph)` returns the violations as small records, sorted so that two runs
on the same graph print the same report. It reads the graph and never changes it.
"""
from __future__ import annotations

import logging
import time
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, URIRef
from rdflib.namespace import SH

from kg.errors import MissingDependencyError, OntologyError
from kg.resources import ontology_dir

log = logging.getLogger(__name__)

SHAPES_FILE = "shapes.ttl"
ONTOLOGY_FILE = "vnkg.ttl"

# The ontology is mixed into (a copy of) the data graph, so sh:class and sh:targetClass see
# rdfs:subClassOf without inference, and the shapes name every target class anyway. RDFS
# inference adds nothing the shapes need and takes 2.5-3 times as long (docs/ontology.md).
INFERENCE = "none"


@dataclass(frozen=True, slots=True, order=True)
class Violation:
    """One failed constraint: the node it is about, the property (if any), what is wrong."""

    focus: str
    path: str | None
    message: str
    severity: str  # Violation | Warning | Info

    def __str__(self) -> str:
        where = f"{self.focus} {self.path}" if self.path else self.focus
        return f"{self.severity}: {where}: {self.message}"


def validate(graph: Graph) -> list[Violation]:
    """The ways `graph` breaks the vnkg shapes; an empty list when it conforms."""
    try:
        from pyshacl import validate as shacl_validate
    except ImportError as exc:
        raise MissingDependencyError("pyshacl", "validating a graph") from exc

    folder = ontology_dir()
    shapes = _load(folder / SHAPES_FILE, _mtime(folder / SHAPES_FILE))
    ontology = _load(folder / ONTOLOGY_FILE, _mtime(folder / ONTOLOGY_FILE))
    started = time.perf_counter()
    _conforms, report, _text = shacl_validate(
        graph,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference=INFERENCE,
        advanced=False,
        meta_shacl=False,
        allow_warnings=True,
        inplace=False,
    )
    violations = sorted(_read_report(report), key=_sort_key)
    log.info("validated %d triples in %.2f s: %d violations", len(graph), time.perf_counter() - started,
             len(violations))
    return violations


def _mtime(path: Path) -> int:
    try:
        return path.stat().st_mtime_ns
    except FileNotFoundError:
        raise OntologyError(str(path), "not found") from None


@lru_cache(maxsize=8)
def _load(path: Path, mtime_ns: int) -> Graph:
    # Keyed by modification time too, so an edited shapes file is read again.
    graph = Graph()
    try:
        graph.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises several unrelated types for bad Turtle
        raise OntologyError(str(path), f"cannot be parsed as Turtle: {exc}") from exc
    return graph


def _read_report(report: Graph) -> list[Violation]:
    violations = []
    # Only top-level results: those nested under sh:detail explain a result already listed.
    for result in set(report.objects(None, SH.result)):
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        messages = sorted(str(m) for m in report.objects(result, SH.resultMessage))
        if not messages:
            component = report.value(result, SH.sourceConstraintComponent)
            messages = [_local_name(component) if component is not None else "constraint not met"]
        severity = report.value(result, SH.resultSeverity)
        violations.append(Violation(
            focus=_node_text(focus),
            path=None if path is None else _path_text(report, path),
            message="; ".join(messages),
            severity=_local_name(severity),
        ))
    return violations


def _sort_key(v: Violation) -> tuple[str, str, str, str]:
    return (v.focus, v.path or "", v.message, v.severity)


def _node_text(node: object) -> str:
    if isinstance(node, BNode):
        return f"_:{node}"
    return str(node)


def _path_text(report: Graph, path: object) -> str:
    if isinstance(path, URIRef):
        return str(path)
    inverse = report.value(path, SH.inversePath) if isinstance(path, BNode) else None
    if inverse is not None:
        return f"^{inverse}"
    return _node_text(path)


def _local_name(node: object) -> str:
    text = str(node)
    return text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
