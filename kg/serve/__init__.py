"""Serve and query a built graph with Oxigraph: a SPARQL 1.1 endpoint, a query page, `kg query`.

Modules: store (graph files and store folders), sparql (lexical checks that keep the
endpoint read-only and offline), formats (content negotiation and result writers),
engine (worker processes that own the store and enforce time limits), app (the WSGI
application), page (the query page), server (waitress around the app), cli.
Nothing here parses SPARQL itself: queries go to Oxigraph as the user wrote them.
"""
