"""Taking a built graph to where users work: Neo4j, triplestores, Gephi/Cytoscape, JSON-LD.

Every path starts from a graph file written by `kg build` (or a folder holding
graph.ttl) and never changes it:

    source.py      read the graph (Turtle, N-Triples, TriG, N-Quads...) into triples
    propgraph.py   RDF -> a property graph (typed nodes, typed relationships), the
                   one model behind the Neo4j, GraphML, GEXF and CSV outputs
    cypher.py      the Cypher statements (one builder for import.cypher and the driver)
    neo4j_csv.py   neo4j-admin database import files
    neo4j_load.py  loading through the official neo4j driver
    n10s.py        what neosemantics (n10s) needs from the Turtle, and its set-up calls
    quads.py       one named graph per article: TriG / N-Quads files and the load plan
    sparql_load.py SPARQL 1.1 Graph Store Protocol and SPARQL UPDATE uploads, resumable
    graphtools.py  GraphML, GEXF, node/edge CSV
    jsonld.py      JSON-LD with a compact @context
    files.py       atomic writes

Nothing here imports a driver or a heavy library at import time.
"""
