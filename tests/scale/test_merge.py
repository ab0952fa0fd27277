"""The streaming merge and writer: the same graph as the in-memory merge, sorted Turtle, bounded runs."""
from __future__ import annotations

import json
import random

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic

V = "https://w3id.org/vnkg/ontology#"
XSD = "http://www.w3.org/2001/XMLSchema#"


@pytest.fixture(scope="module")
def in_memory(samples):
    """The samples merged the in-memory way: Builder.add for each article, then resolve_conflicts."""
    from kg.builder import Builder
    from kg.ingest import read_articles

    builder = Builder()
    for article in read_articles([samples]):
        builder.add(article)
    return builder.finish()


@pytest.fixture(scope="module")
def streamed(samples, tmp_path_factory):
    from kg.builder import build_corpus, write_outputs

    out = tmp_path_factory.mktemp("streamed")
    result = build_corpus([samples])
    write_outputs(result, out)
    return result, out


def test_streaming_merge_equals_the_in_memory_merge_on_the_samples(in_memory, streamed):
    from kg.scale.merge import graph_lines

    result, out = streamed
    assert list(result.lines()) == graph_lines(in_memory)
    written = rdflib.Graph().parse(out / "graph.ttl")
    if not isomorphic(written, in_memory):
        _, only_written, only_memory = graph_diff(to_isomorphic(written), to_isomorphic(in_memory))
        pytest.fail(f"only in graph.ttl:\n{only_written.serialize(format='nt')[:2000]}\n"
                    f"only in memory:\n{only_memory.serialize(format='nt')[:2000]}")


@pytest.mark.parametrize("run_lines", [7, 100, 1000, 1_000_000])
def test_external_sort_gives_the_same_lines_whatever_the_run_size(streamed, tmp_path, run_lines):
    from kg.scale.merge import merge_lines

    result, _ = streamed
    lines = list(result.lines())
    shuffled = lines + random.Random(1).sample(lines, len(lines) // 2)  # duplicates, out of order
    random.Random(2).shuffle(shuffled)
    assert list(merge_lines(shuffled, work_dir=tmp_path, run_lines=run_lines)) == lines
    assert list(tmp_path.iterdir()) == []  # sorted runs are removed


@pytest.mark.parametrize("prop, values, kept", [
    ("status", [f"<{V}Planned>", f"<{V}Completed>", f"<{V}Ongoing>"], f"<{V}Completed>"),
    ("startDate", [f'"--04-24"^^<{XSD}gMonthDay>', f'"2025-04-24"^^<{XSD}date>'], f'"2025-04-24"^^<{XSD}date>'),
    ("visitType", [f"<{V}WorkingVisit>", f"<{V}StateVisit>"], None),
])
def test_one_valued_properties_are_resolved_as_resolve_conflicts_does(prop, values, kept):
    from kg.rdf.merge import resolve_conflicts
    from kg.scale.merge import graph_lines, resolve_sorted

    subject = "<https://w3id.org/vnkg/id/visit/0123>"
    lines = sorted({f"{subject} <{V}{prop}> {v} ." for v in values} | {f"{subject} <{V}evidence> \"x\"@vi ."})
    graph = rdflib.Graph().parse(data="\n".join(lines), format="nt")
    resolve_conflicts(graph)
    merged = list(resolve_sorted(lines))
    assert merged == graph_lines(graph)
    assert len([text for text in merged if f"#{prop}>" in text]) == 1
    if kept:
        assert f"{subject} <{V}{prop}> {kept} ." in merged


def test_graph_ttl_is_sorted_turtle_with_a_prefix_per_kind(streamed):
    import pyoxigraph

    _, out = streamed
    text = (out / "graph.ttl").read_text(encoding="utf-8")
    header = [line for line in text.splitlines() if line.startswith("@prefix")]
    assert header == sorted(header)
    assert {"@prefix person: <https://w3id.org/vnkg/id/person/> .",
            "@prefix country: <https://w3id.org/vnkg/id/country/> ."} <= set(header)
    assert "country:lao a vnkg:Country" in text
    subjects = [line.split(" ", 1)[0] for line in text.splitlines() if line and not line[0].isspace()
                and not line.startswith("@")]
    assert len(subjects) == len(set(subjects))  # each subject written once, all its triples together
    store = pyoxigraph.Store()
    store.load(path=str(out / "graph.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    assert len(store) == len(rdflib.Graph().parse(out / "graph.ttl")) > 500


def test_report_json_is_indented_json_with_every_article_on_a_line_of_its_own(streamed):
    _, out = streamed
    text = (out / "report.json").read_text(encoding="utf-8")
    data = json.loads(text)
    rows = [line.strip().rstrip(",") for line in text.splitlines() if line.startswith('  {"source_file"')]
    assert [json.loads(row) for row in rows] == data["articles"]
    assert text.startswith('{\n "totals": {\n  "articles": 5,')
    assert text.endswith("\n}\n")
    assert [a["source_file"] for a in data["articles"]] == sorted(a["source_file"] for a in data["articles"])
    assert len(data["articles"]) == data["totals"]["articles"] == 5
    assert data["totals"]["triples"] == sum(1 for _ in streamed[0].lines())


@pytest.mark.parametrize("validate, limit, ran, noted", [
    (None, 10, False, True),
    (None, 10**9, True, False),
    (True, 10, True, False),
    (False, 10**9, False, False),
])
def test_shacl_runs_by_the_size_rule(samples, validate, limit, ran, noted):
    from kg.builder import build_corpus

    result = build_corpus([samples], validate=validate, validate_limit=limit)
    assert result.validated is ran
    assert any("SHACL validation skipped" in n and "--validate" in n for n in result.notes) is noted
    if ran:
        assert result.violations == []


def test_report_log_is_a_sequence_of_reports(tmp_path):
    from kg.builder import ArticleReport
    from kg.scale.reports import ReportLog

    log = ReportLog(ArticleReport.from_dict, str(tmp_path))
    rows = [ArticleReport(f"{i}.txt", f"in/{i}.txt", "ok" if i % 3 else "error", entities={"person": i})
            for i in range(10)]
    for row in rows:
        log.append(row)
    assert len(log) == 10 and list(log) == rows and log[-1] == rows[-1] and log[2:4] == rows[2:4]
    assert (log.ok, log.failed) == (6, 4)


def test_an_iri_that_is_not_one_is_refused_when_written():
    from rdflib import URIRef

    from kg.rdf.ntriples import term

    with pytest.raises(ValueError, match="does not look like a valid URI"):
        term(URIRef("https://example.org/a b"))
