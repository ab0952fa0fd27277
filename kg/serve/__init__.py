"""Serve and query a built graph with Oxigraph: a SPARQL 1.1 endpoint, a query page, `kg query`.

Modules: store (graph files and store folders), sparql (lexical checks that keep the
endpoint read-only and offline, and refuse queries nested too deeply to parse),
formats (content negotiation and Oxigraph's result writers), engine (worker processes
that own the store and enforce time and memory limits), app (the WSGI application),
view (the /graph page, drawn in a child process), page (the query page), server
(Tornado's HTTP server around the app), query (one query in process: `kg query`,
`kg.query`), cli.
Nothing here parses SPARQL itself: queries go to Oxigraph as the user wrote them.
"""
