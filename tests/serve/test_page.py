"""The query page at / in headless Chromium: examples one click away, result rows, a graph drawing,
and no request leaving 127.0.0.1."""
from __future__ import annotations

import urllib.parse

import pytest
from serve_browser import CHROMIUM, Browser, distinct_rows
from serve_helpers import http

from kg.serve.examples import load_examples
from kg.serve.page import CSP, render_plain_form, yasgui_installed

needs_browser = pytest.mark.skipif(not CHROMIUM.exists(),
                                   reason="/usr/bin/chromium is not installed (scripts/install-system-deps.sh)")
needs_yasgui = pytest.mark.skipif(not yasgui_installed(),
                                  reason="YASGUI is not installed: cd kg/serve/web && npm ci (make setup)")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is not installed (scripts/install-system-deps.sh)")
    chromium = Browser()
    yield chromium
    chromium.close()


def loopback_only(urls: list[str]) -> list[str]:
    """The requested URLs that would leave this machine."""
    outside = []
    for url in urls:
        parts = urllib.parse.urlsplit(url)
        if parts.scheme in ("data", "blob", "about"):
            continue
        if parts.hostname not in ("127.0.0.1", "localhost", "::1"):
            outside.append(url)
    return outside


@needs_browser
@needs_yasgui
def test_query_page_runs_examples_and_draws_a_graph(browser, endpoint, tmp_path):
    browser.requests.clear()
    browser.open(endpoint + "/")
    assert browser.wait_for("document.querySelectorAll('.kg-example').length") == len(load_examples())
    assert browser.evaluate("document.querySelector('.CodeMirror') !== null")      # the YASQE editor
    assert browser.evaluate("document.querySelectorAll('.CodeMirror .cm-keyword').length > 0")  # highlighted

    browser.click("[data-example=visits-timeline]")
    browser.wait_for("document.querySelectorAll('.yasr tbody tr').length === 2")
    table = browser.evaluate("document.querySelector('.yasr tbody').innerText")
    assert "Lương Cường" in table and "Sonexay Siphandone" in table and "Thongloun Sisoulith" in table
    assert browser.evaluate("document.querySelector('.CodeMirror').CodeMirror.getValue()").startswith(
        "# Visits timeline")
    browser.screenshot(tmp_path / "query-page-table.png")

    browser.click("[data-example=people-network]")
    browser.wait_for("document.querySelectorAll('.kg-graph .kg-node').length === 5")
    labels = browser.evaluate("[...document.querySelectorAll('.kg-graph .kg-node text')].map(t => t.textContent)")
    assert set(labels) == {"Lương Cường", "Phạm Minh Chính", "Sonexay Siphandone", "Lào", "Việt Nam"}
    assert browser.evaluate("document.querySelectorAll('.kg-graph line.kg-edge').length") == 4
    browser.evaluate("document.querySelector('.kg-graph').scrollIntoView()")
    shot = browser.screenshot(tmp_path / "query-page-graph.png")
    assert distinct_rows(shot.read_bytes()) > 50          # not a blank page

    assert browser.requests, "no request was recorded"
    assert loopback_only(browser.requests) == []


@needs_browser
@needs_yasgui
def test_query_page_run_button_after_editing(browser, endpoint):
    browser.open(endpoint + "/")
    browser.wait_for("document.querySelectorAll('.kg-example').length > 0")
    browser.evaluate("""document.querySelector('.CodeMirror').CodeMirror.setValue(
        'SELECT ?name WHERE { ?p a <https://w3id.org/vnkg/ontology#Country> ; '
        + '<http://www.w3.org/2000/01/rdf-schema#label> ?name FILTER(lang(?name) = "en") } ORDER BY ?name')""")
    browser.click(".yasqe_queryButton")
    browser.wait_for("document.querySelectorAll('.yasr tbody tr').length === 2")
    assert browser.evaluate("document.querySelector('.yasr tbody').innerText").split() == ["Laos", "Vietnam"]
    assert loopback_only(browser.requests) == []


def test_query_page_is_served_with_a_policy_that_keeps_it_on_this_origin(endpoint):
    reply = http(endpoint + "/")
    assert reply.status == 200
    assert reply.header("Content-Security-Policy") == CSP
    assert "connect-src 'self'" in CSP and "default-src 'self'" in CSP
    if yasgui_installed():
        assert "/vendor/yasgui/yasgui.min.js" in reply.text
        assert http(endpoint + "/vendor/yasgui/yasgui.min.js").status == 200
    assert http(endpoint + "/assets/graph.js").status == 200
    assert http(endpoint + "/vendor/yasgui/package.json").status == 404
    examples = http(endpoint + "/examples").json()
    assert {e["name"] for e in examples} >= {"visits-timeline", "who-met-whom", "agreements"}


def test_plain_form_works_without_yasgui(endpoint):
    page = render_plain_form(load_examples(), "agreements").decode("utf-8")
    assert '<form method="post" action="/sparql">' in page
    assert "npm ci" in page
    assert "Hiệp định" not in page and "vnkg:Agreement" in page      # the chosen example is in the textarea
    assert page.count('<a href="/?example=') == len(load_examples())
    query = next(e.text for e in load_examples() if e.name == "agreements")
    reply = http(endpoint + "/sparql", method="POST",
                 data=urllib.parse.urlencode({"query": query, "format": "html"}).encode(),
                 headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"})
    assert reply.status == 200 and reply.header("Content-Type").startswith("text/html")
    assert "<td>Hiệp định mua bán than và điện</td>" in reply.text
