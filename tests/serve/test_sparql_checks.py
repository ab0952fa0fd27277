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


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_SPARQL_PIECES = st.sampled_from([
    " ", "\n", "SELECT", "select", "*", "WHERE", "{", "}", "(", ")", "[", "]", "?s", "?p", "?o", "ex:a", ":",
    "SERVICE", "LOAD", "INSERT", "DATA", "<http://e/x>", "'lit'", '"lit"', '"""a\nb"""', "# note\n", "!", "-",
    "+", "FILTER", ".", ";", ",", "@vi", "_:b", "'unclosed", "<", ">", "\\", "PREFIX", "ASK",
])


@settings(max_examples=300, deadline=None)
@given(st.lists(_SPARQL_PIECES, max_size=80).map("".join))
def test_one_pass_check_says_what_the_separate_checks_say(text):
    from kg.serve.sparql import check, check_depth

    assert check(text) == (inspect(text), check_depth(text))


@pytest.mark.parametrize("text, problem", [
    ("SELECT * WHERE " + "{" * 201 + "}" * 201, "nests brackets 201 deep"),
    ("SELECT * WHERE { FILTER(" + "!" * 65 + "true) }", "chains 65 operators"),
    ("SELECT * WHERE { FILTER(" + "!" * 64 + "true) }", None),
])
def test_one_pass_check_refuses_what_would_overflow_the_parser(text, problem):
    from kg.serve.sparql import check

    _, found = check(text)
    assert (found is None) if problem is None else (problem in found)
