"""Who went where, and met whom, when: the people view, the map's arcs and the profiles.

Adds to the nodes that kg.viz.data made (never changes the RDF graph):

* the people view — people and countries, with each visit drawn as a link from the
  visitor to the destination and each meeting as links between its participants
  (`links`). A visit or meeting that cannot be one link (a meeting of five, a visit
  with no destination) is drawn as its own small node among its people (`core` facts).
  `qdeg` counts a node's visits and meetings; `qrank` orders the people view so that a
  large graph first draws the people with the most visits and meetings, and their
  countries;
* the map — a country's point (`pt`), a visit's arc from the visitor's country to the
  destination's (`arc`), a meeting's country (`at`: its place's, else the country the
  participant was visiting that day);
* profiles of people and countries (`profile`): posts with the articles that attest
  them, visits made and received, meetings and agreements, each list in date order.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from itertools import combinations

from rdflib import Graph, URIRef

from kg.rdf.namespaces import RDFS, SCHEMA, SKOS, VNKG
from kg.viz.world import country_point

log = logging.getLogger(__name__)

PAIRS = 4  # a meeting of up to this many people is drawn as links between each two; larger ones as a node
ENTITIES = frozenset({"person", "country", "location"})


def _ids(graph: Graph, node: str, predicate: URIRef, nodes: dict[str, dict]) -> list[str]:
    return sorted(str(o) for o in graph.objects(URIRef(node), predicate) if str(o) in nodes)


def _when(node: dict) -> tuple:
    """Sort key of a fact in time: dated first, by first day, then by label."""
    order = node.get("order") or node.get("start")
    return (order is None, (order or "").startswith("--"), order or "", node.get("end") or "", node["label"], node["id"])


def add_travels(graph: Graph, nodes: dict[str, dict]) -> list[dict]:
    """Set the people view, map and profile fields of `nodes` (see the module docstring); return the links."""
    visits = {i: n for i, n in nodes.items() if n["kind"] == "visit"}
    meetings = {i: n for i, n in nodes.items() if n["kind"] == "meeting"}

    nationality = {i: _ids(graph, i, VNKG.nationality, nodes) for i, n in nodes.items() if n["kind"] == "person"}
    country_of: dict[str, list[str]] = {i: [i] for i, n in nodes.items() if n["kind"] == "country"}
    for i, n in nodes.items():
        if n["kind"] in ("location", "organization"):
            country_of[i] = [c for c in _ids(graph, i, VNKG.country, nodes) if nodes[c]["kind"] == "country"]

    # ------------------------------------------------------------ the people view
    links: list[dict] = []
    core: set[str] = set()
    degree: dict[str, int] = defaultdict(int)
    sides: dict[str, dict] = {}
    for fact_id, fact in sorted({**visits, **meetings}.items()):
        if fact["kind"] == "visit":
            who = [p for p in _ids(graph, fact_id, VNKG.visitor, nodes) if nodes[p]["kind"] == "person"]
            where = [d for d in _ids(graph, fact_id, VNKG.destination, nodes) if nodes[d]["kind"] in ENTITIES]
            pairs = [(p, d) for p in who for d in where]
            ends = who + where
        else:
            who = [p for p in _ids(graph, fact_id, VNKG.participant, nodes) if nodes[p]["kind"] == "person"]
            where = [p for p in _ids(graph, fact_id, VNKG.place, nodes) if nodes[p]["kind"] in ENTITIES]
            pairs = list(combinations(who, 2)) if 2 <= len(who) <= PAIRS else []
            ends = who
        sides[fact_id] = {"who": who, "where": where}
        for end in ends:
            degree[end] += 1
            core.add(end)
        if pairs:
            for source, target in pairs:
                links.append({"id": f"q{len(links)}", "fact": fact_id, "kind": fact["kind"],
                              "source": source, "target": target})
        else:
            core.add(fact_id)  # drawn as its own node, linked to the people it has
    standing = dict(degree)  # a country also stands for its people in the view
    for person in [c for c in core if nodes[c]["kind"] == "person"]:
        for country in nationality.get(person, []):
            core.add(country)
            standing[country] = standing.get(country, 0) + 1

    entities = sorted((i for i in core if nodes[i]["kind"] not in ("visit", "meeting")),
                      key=lambda i: (-standing.get(i, 0), nodes[i]["rank"]))
    place = {i: k for k, i in enumerate(entities)}
    for fact_id in (i for i in core if i not in place):
        ends = [e for e in sides[fact_id]["who"] + sides[fact_id]["where"] if e in place]
        place[fact_id] = max((place[e] for e in ends), default=len(entities)) + 0.5
    for k, node_id in enumerate(sorted(place, key=lambda i: (place[i], i))):
        nodes[node_id]["core"] = True
        nodes[node_id]["qrank"] = k
    for node_id, count in degree.items():
        nodes[node_id]["qdeg"] = count

    # ------------------------------------------------------------ the map
    for country_id in (i for i, n in nodes.items() if n["kind"] == "country"):
        names = [str(o) for p in (RDFS.label, SKOS.altLabel, SCHEMA.name) for o in graph.objects(URIRef(country_id), p)]
        point = country_point([nodes[country_id]["label"], *sorted(names)])
        if point:
            nodes[country_id]["pt"] = point

    def placed(country_ids: list[str]) -> str | None:
        return next((c for c in country_ids if "pt" in nodes[c]), None)

    for visit_id, visit in visits.items():
        home = placed([c for p in sides[visit_id]["who"] for c in nationality.get(p, [])])
        away = placed([c for d in sides[visit_id]["where"] for c in country_of.get(d, [])])
        if home and away:
            visit["arc"] = [home, away]
    trips: dict[str, list[str]] = defaultdict(list)  # person -> their visits that have an arc
    for visit_id, visit in visits.items():
        if visit.get("arc") and visit["start"]:
            for person in sides[visit_id]["who"]:
                trips[person].append(visit_id)
    for meeting_id, meeting in meetings.items():
        at = placed([c for p in sides[meeting_id]["where"] for c in country_of.get(p, [])])
        if at:
            meeting["at"] = at
            continue
        if not meeting["start"]:
            continue
        for visit_id in sorted({v for p in sides[meeting_id]["who"] for v in trips[p]}):
            visit = visits[visit_id]  # the meeting took place where a participant was visiting that day
            if visit["start"] <= meeting["start"] and meeting["end"] <= visit["end"]:
                meeting["at"] = visit["arc"][1]
                meeting["atVisit"] = visit_id
                break

    # ------------------------------------------------------------ profiles
    lists: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for visit_id in visits:
        for person in sides[visit_id]["who"]:
            lists[person]["made"].add(visit_id)
            for country in nationality.get(person, []):
                lists[country]["made"].add(visit_id)
        for destination in sides[visit_id]["where"]:
            for country in country_of.get(destination, []):
                lists[country]["received"].add(visit_id)
        for host in _ids(graph, visit_id, VNKG.invitedBy, nodes):
            lists[host]["hosted"].add(visit_id)
    for meeting_id, meeting in meetings.items():
        for person in sides[meeting_id]["who"]:
            lists[person]["meetings"].add(meeting_id)
            for country in nationality.get(person, []):
                lists[country]["meetings"].add(meeting_id)
        if meeting.get("at"):
            lists[meeting["at"]]["meetings"].add(meeting_id)
    for agreement_id in (i for i, n in nodes.items() if n["kind"] == "agreement"):
        for signer in _ids(graph, agreement_id, VNKG.signedBy, nodes):
            lists[signer]["agreements"].add(agreement_id)
        for party in _ids(graph, agreement_id, VNKG.party, nodes):
            lists[party]["agreements"].add(agreement_id)
    holders: dict[str, list[str]] = defaultdict(list)
    for person in (i for i, n in nodes.items() if n["kind"] == "person"):
        for position in _ids(graph, person, VNKG.holdsPosition, nodes):
            holders[position].append(person)
    for position in (i for i, n in nodes.items() if n["kind"] == "position"):
        for country in _ids(graph, position, VNKG.ofCountry, nodes):
            lists[country]["posts"].add(position)
    mentions: dict[str, set[str]] = defaultdict(set)
    for article, entity in graph.subject_objects(SCHEMA.mentions):
        mentions[str(entity)].add(str(article))

    def ordered(facts) -> list[str]:
        return sorted(facts, key=lambda f: _when(nodes[f]))

    for node_id, node in nodes.items():
        mine = lists.get(node_id, {})
        if node["kind"] == "person":
            posts = []
            for position in _ids(graph, node_id, VNKG.holdsPosition, nodes):
                sources = nodes[position].get("sources", [])
                attesting = [a for a in sources if a in mentions[node_id]] or sources
                posts.append({"id": position, "articles": sorted(attesting)})
            node["profile"] = {"posts": posts, **{k: ordered(mine.get(k, ())) for k in
                                                 ("made", "hosted", "meetings", "agreements")}}
        elif node["kind"] == "country":
            posts = [{"id": p, "holders": sorted(holders[p])} for p in sorted(mine.get("posts", ()))]
            node["profile"] = {"posts": posts, **{k: ordered(mine.get(k, ())) for k in
                                                 ("made", "received", "meetings", "agreements")}}
    log.debug("people view: %d links, %d nodes; map: %d arcs", len(links), len(place),
              sum(1 for v in visits.values() if "arc" in v))
    return links
