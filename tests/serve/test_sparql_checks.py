"""The lexical checks that keep the endpoint read-only and offline."""
from __future__ import annotations

import pytest

from kg.serve.sparql import inspect, keywords


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { SERVICE <http://x/sparql> { ?s ?p ?o } }",
    "select * where { service silent <http://x/> { ?s ?p ?o } }",
    "SELECT * WHERE { ?a ?b ?c FILTER(?a<?b)SERVICE?x{ ?s ?p ?o } }",
    "PREFIX ex: <http://e/> SELECT * { ex:a ex:b 'x' . SeRvIcE <http://x/> {} }",
    "SELECT * { ?s ?p \"\"\"multi\nline\"\"\" } # trailing\nSERVICE <http://x/> {}",
])
def test_service_keyword_is_found(text):
    assert inspect(text).uses_service


@pytest.mark.parametrize("text", [
    'SELECT ?x WHERE { BIND("service" AS ?x) }',
    "SELECT ?service WHERE { ?service ?p ?o }",
    "PREFIX service: <http://e/> SELECT * WHERE { service:a service:SERVICE ?o }",
    "SELECT * WHERE { <http://example.org/SERVICE> ?p ?o } # SERVICE <http://x/> {}",
    "SELECT * WHERE { ?s ?p 'it\\'s a SERVICE' }",
    'SELECT * WHERE { ?s ?p """a "quoted" SERVICE""" }',
    "SELECT * WHERE { _:service ?p ?o }",
    'SELECT * WHERE { ?s ?p "x"@service }',
])
def test_service_as_data_is_not_the_keyword(text):
    assert not inspect(text).uses_service


@pytest.mark.parametrize("text,form,is_update", [
    ("SELECT * WHERE { ?s ?p ?o }", "SELECT", False),
    ("PREFIX insert: <http://e/> BASE <http://b/> ask { insert:a ?p ?o }", "ASK", False),
    ("# INSERT in a comment\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT", False),
    ("DESCRIBE <http://e/a>", "DESCRIBE", False),
    ("PREFIX ex: <http://e/> INSERT DATA { ex:a ex:b 1 }", "INSERT", True),
    ("delete where { ?s ?p ?o }", "DELETE", True),
    ("LOAD <http://e/x.ttl>", "LOAD", True),
    ("CLEAR DEFAULT", "CLEAR", True),
    ("DROP ALL", "DROP", True),
    ("CREATE GRAPH <http://e/g>", "CREATE", True),
    ("WITH <http://e/g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH", True),
    ("ADD <http://e/a> TO <http://e/b>", "ADD", True),
])
def test_query_form_and_updates(text, form, is_update):
    shape = inspect(text)
    assert (shape.form, shape.is_update) == (form, is_update)


def test_keywords_skip_strings_iris_comments_and_names():
    text = 'PREFIX ex: <http://e/SELECT> SELECT ?where { ex:LIMIT "FILTER" . } # ORDER\nLIMIT 5'
    assert keywords(text) == ["PREFIX", "SELECT", "LIMIT"]


@pytest.mark.parametrize("text, deep, chained", [
    ("SELECT * WHERE { " + "(" * 201 + "1" + ")" * 201 + " }", True, False),
    ("SELECT * WHERE { ?s ?p '" + "(" * 300 + "' }", False, False),             # in a literal
    ("SELECT * WHERE { ?s ?p ?o } # " + "{" * 300 + "\n", False, False),        # in a comment
    ("SELECT * WHERE { FILTER(" + "! " * 65 + "true) }", False, True),          # spaces do not break a run
    ("SELECT * WHERE { FILTER(" + "!(" * 40 + "true" + ")" * 40 + ") }", False, False),  # brackets do
    ("SELECT * WHERE { FILTER(" + "-" * 70 + "1) }", False, True),
])
def test_check_measures_nesting_and_operator_runs_outside_strings_and_comments(text, deep, chained):
    from kg.serve.sparql import check

    shape, problem = check(text)
    assert shape.form == "SELECT" and not shape.is_update
    assert (problem is not None and "deep" in problem) == deep
    assert (problem is not None and "operators" in problem) == chained


def test_check_gives_the_shape_and_the_depth_problem_in_one_call():
    from kg.serve.sparql import check

    shape, problem = check("INSERT DATA { " + "[" * 250 + "]" * 250 + " } ; SERVICE <http://x/> {}")
    assert shape.is_update and shape.form == "INSERT" and shape.uses_service
    assert "251 deep" in problem  # the braces of DATA and the 250 brackets


@pytest.mark.parametrize("text, problem", [
    ("SELECT * WHERE " + "{" * 201 + "}" * 201, "nests brackets 201 deep"),
    ("SELECT * WHERE { FILTER(" + "!" * 65 + "true) }", "chains 65 operators"),
    ("SELECT * WHERE { FILTER(" + "!" * 64 + "true) }", None),
])
def test_one_pass_check_refuses_what_would_overflow_the_parser(text, problem):
    from kg.serve.sparql import check

    _, found = check(text)
    assert (found is None) if problem is None else (problem in found)
