"""`kg eval`: score a built graph against hand-made gold facts.

The gold format is that of the seed gold (tests/data/gold/seeds.json): per article,
the persons with their posts, countries, organisations, visits, meetings, agreements
and economic figures a careful reader takes out. The graph is read only through the
graph contract (classes and properties of the vnkg ontology), so any graph that keeps
the contract can be scored. Names are compared without case or diacritics, with '_'
read as a space.
"""
from __future__ import annotations

import json
import re
from collections import defaultdict
from pathlib import Path

from rdflib import Namespace
from rdflib.namespace import RDF, RDFS, SKOS

from kg.errors import VnkgError
from kg.text import fold

VNKG = Namespace("https://w3id.org/vnkg/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")
SCHEMA = Namespace("https://schema.org/")
SCHEMA_HTTP = Namespace("http://schema.org/")

# ---------------------------------------------------------------- names



COUNTRY_ALIASES = [
    ["việt nam", "vietnam", "viet nam", "cộng hòa xã hội chủ nghĩa việt nam", "chxhcn việt nam", "vn", "socialist republic of vietnam"],
    ["lào", "laos", "lao", "cộng hòa dân chủ nhân dân lào", "chdcnd lào", "lao pdr", "lao people's democratic republic"],
    ["campuchia", "cambodia", "vương quốc campuchia", "cam pu chia"],
    ["thái lan", "thailand", "vương quốc thái lan"],
    ["trung quốc", "china", "cộng hòa nhân dân trung hoa", "cộng hòa nhân dân trung hoa"],
    ["myanmar", "mianma", "mi an ma", "miến điện", "burma"],
    ["hoa kỳ", "mỹ", "united states", "usa", "hợp chúng quốc hoa kỳ"],
    ["nhật bản", "japan"],
    ["hàn quốc", "south korea", "republic of korea", "đại hàn dân quốc"],
    ["triều tiên", "north korea", "cộng hòa dân chủ nhân dân triều tiên"],
    ["singapore", "xinh-ga-po", "xinh ga po"],
    ["indonesia", "in-đô-nê-xi-a"],
    ["malaysia", "ma-lai-xi-a"],
    ["philippines", "phi-líp-pin", "philippin"],
    ["ấn độ", "india"],
    ["nga", "liên bang nga", "russia"],
    ["pháp", "france", "cộng hòa pháp"],
    ["đức", "germany", "cộng hòa liên bang đức"],
    ["anh", "vương quốc anh", "united kingdom"],
    ["úc", "australia", "ô-xtrây-li-a"],
    ["cuba", "cu-ba"],
    ["brunei", "bru-nây"],
]
_COUNTRY_KEY = {fold(a): group[0] for group in COUNTRY_ALIASES for a in group}


def country_key(name: str) -> str:
    f = fold(name)
    return _COUNTRY_KEY.get(f, f)


TITLE_SYNONYMS = {
    "thu tuong chinh phu": "thu tuong",
    "pho thu tuong chinh phu": "pho thu tuong",
    "bo truong bo ngoai giao": "bo truong ngoai giao",
    "tbt": "tong bi thu",
    "chu tich nuoc cong hoa xa hoi chu nghia viet nam": "chu tich nuoc",
}


def title_key(title: str) -> str:
    f = fold(title)
    return TITLE_SYNONYMS.get(f, f)


def tokens(text: str) -> set[str]:
    return set(fold(text).split())


def jaccard(a: str, b: str) -> float:
    ta, tb = tokens(a), tokens(b)
    return len(ta & tb) / len(ta | tb) if ta and tb else 0.0

# ---------------------------------------------------------------- dates

def date_parts(lex: str | None) -> tuple | None:
    """'2025-04-24' -> (2025,4,24); '--04-24' -> (None,4,24); '2025-04' -> (2025,4,None); '2025' -> (2025,None,None)."""
    if lex is None:
        return None
    s = str(lex).strip()
    if m := re.fullmatch(r"(\d{4})-(\d{2})-(\d{2}).*", s):
        return int(m[1]), int(m[2]), int(m[3])
    if m := re.fullmatch(r"--(\d{2})-(\d{2}).*", s):
        return None, int(m[1]), int(m[2])
    if m := re.fullmatch(r"(\d{4})-(\d{2})", s):
        return int(m[1]), int(m[2]), None
    if m := re.fullmatch(r"(\d{4})", s):
        return int(m[1]), None, None
    return None


def date_consistent(gold: str | None, system: str | None) -> bool:
    """The system date agrees on all it states, and states the gold's month and day; it may leave the year out."""
    g, s = date_parts(gold), date_parts(system)
    if g is None or s is None:
        return False
    for i, (gi, si) in enumerate(zip(g, s)):
        if gi is None and si is not None:
            return False  # the system states more than the article does
        if gi is not None and si is not None and gi != si:
            return False
        if gi is not None and si is None and i > 0:
            return False  # a month or day the gold has but the system left out
    return True


def date_exact(gold: str | None, system: str | None) -> bool:
    return date_parts(gold) is not None and date_parts(gold) == date_parts(system)

# ---------------------------------------------------------------- graph

class Graph:
    def __init__(self, path: str):
        from kg.rdf.files import read_rdflib

        self.g = read_rdflib(path)
        self.articles = {}
        for art, _, name in self.g.triples((None, VNKG.sourceFile, None)):
            self.articles[Path(str(name)).name] = art

    def labels(self, node) -> list[str]:
        out = [str(o) for o in self.g.objects(node, RDFS.label)]
        out += [str(o) for o in self.g.objects(node, SKOS.altLabel)]
        out += [str(o) for o in self.g.objects(node, SKOS.prefLabel)]
        return out

    def one(self, node, prop):
        for o in self.g.objects(node, prop):
            return o
        return None

    def derived_from(self, article):
        return set(self.g.subjects(PROV.wasDerivedFrom, article))

    def mentions(self, article):
        out = set(self.g.objects(article, SCHEMA.mentions))
        out |= set(self.g.objects(article, SCHEMA_HTTP.mentions))
        return out

    def typed(self, nodes, cls):
        return [n for n in nodes if (n, RDF.type, cls) in self.g]

# ---------------------------------------------------------------- matching

def person_matches(graph: Graph, node, gold_person: dict) -> bool:
    names = {fold(gold_person["name"])} | {fold(a) for a in gold_person.get("aliases", [])}
    return any(fold(label) in names for label in graph.labels(node))


def name_matches(graph: Graph, node, name: str) -> bool:
    return any(fold(label) == fold(name) for label in graph.labels(node))


def country_matches(graph: Graph, node, name: str) -> bool:
    return any(country_key(label) == country_key(name) for label in graph.labels(node))


def entity_matches(graph: Graph, node, name: str) -> bool:
    return country_matches(graph, node, name) or name_matches(graph, node, name)


class Tally:
    def __init__(self):
        self.tp = self.fp = self.fn = 0
        self.attr = defaultdict(lambda: [0, 0])  # name -> [right, asked]
        self.misses: list[str] = []
        self.extras: list[str] = []

    def add_attr(self, name: str, ok: bool):
        self.attr[name][1] += 1
        self.attr[name][0] += int(ok)

    def prf(self):
        p = self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0
        r = self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f


def match_sets(gold_items, sys_nodes, is_match, tally: Tally, describe_gold, describe_sys, on_match=None,
               closeness=None):
    """One-to-one greedy matching; optional gold items neither reward nor punish.

    Among several system items that match a gold item, the one closest to it
    (by `closeness`, e.g. agreeing dates) is taken, so repeated facts such as
    two visits by the same person to the same country pair up correctly.
    """
    free = sorted(sys_nodes, key=str)  # ties go the same way in every run
    for item in sorted(gold_items, key=lambda i: bool(i.get("optional"))):
        hits = [n for n in free if is_match(n, item)]
        hit = max(hits, key=lambda n: closeness(n, item)) if hits and closeness else (hits[0] if hits else None)
        if hit is not None:
            free.remove(hit)
            if not item.get("optional"):
                tally.tp += 1
                if on_match:
                    on_match(hit, item)
        elif not item.get("optional"):
            tally.fn += 1
            tally.misses.append(describe_gold(item))
    tally.fp += len(free)
    tally.extras += [describe_sys(n) for n in free]

# ---------------------------------------------------------------- scoring

def score(gold: dict, graph: Graph) -> dict:
    t = defaultdict(Tally)
    leaks = []
    dup_entities = []
    for art in gold["articles"]:
        node = graph.articles.get(art["file"])
        if node is None:
            for kind in ("persons", "visits", "meetings", "agreements", "figures"):
                items = [i for i in art.get(kind, []) if not i.get("optional")]
                t[kind].fn += len(items)
                t[kind].misses += [f"{art['file']}: no article node" for _ in items]
            t["countries"].fn += len(art.get("countries", []))
            continue
        facts = graph.derived_from(node)
        mentioned = graph.mentions(node)
        label = lambda n: (graph.labels(n) or [str(n)])[0]
        tag = art["file"][:3]

        # persons ------------------------------------------------------
        persons = graph.typed(mentioned, VNKG.Person)
        match_sets(art["persons"], persons, lambda n, p: person_matches(graph, n, p), t["persons"],
                   lambda p: f"{tag} {p['name']}", lambda n: f"{tag} {label(n)}")
        for n in persons:
            if any(fold(x) == fold(l) for x in art.get("noise", []) for l in graph.labels(n)):
                leaks.append(f"{tag} person {label(n)}")

        # countries ----------------------------------------------------
        countries = graph.typed(mentioned, VNKG.Country)
        match_sets([{"name": c} for c in art["countries"]], countries,
                   lambda n, c: country_matches(graph, n, c["name"]), t["countries"],
                   lambda c: f"{tag} {c['name']}", lambda n: f"{tag} {label(n)}")

        # organisations: recall only, and leaks -------------------------
        orgs = graph.typed(mentioned, VNKG.Organization)
        for o in art.get("organizations", []):
            if o.get("optional"):
                continue
            names = [o["name"]] + o.get("aliases", [])
            ok = any(name_matches(graph, n, x) or max((jaccard(x, l) for l in graph.labels(n)), default=0) >= 0.8
                     for n in orgs for x in names)
            t["organizations"].tp += int(ok)
            t["organizations"].fn += int(not ok)
            if not ok:
                t["organizations"].misses.append(f"{tag} {o['name']}")
        for n in orgs:
            if any(fold(x) == fold(l) for x in art.get("noise", []) for l in graph.labels(n)):
                leaks.append(f"{tag} organisation {label(n)}")

        # positions ----------------------------------------------------
        gold_pos = [
            {"person": p, "title": pos["title"], "of": pos["of"], "optional": p.get("optional") or pos.get("optional")}
            for p in art["persons"] for pos in p.get("positions", [])
        ]
        sys_pos = []
        for person in persons:
            for pos in graph.g.objects(person, VNKG.holdsPosition):
                if pos not in facts:
                    continue  # held, but not stated by this article
                titles = [str(x) for x in graph.g.objects(pos, VNKG.title)] or graph.labels(pos)
                of = list(graph.g.objects(pos, VNKG.ofCountry)) + list(graph.g.objects(pos, VNKG.ofOrganization))
                sys_pos.append((person, titles, of))

        def of_matches(node, gold_of: str) -> bool:
            """The country or body itself, or a body of that country (a party post 'of Lào' may name the party)."""
            if entity_matches(graph, node, gold_of):
                return True
            want = f" {fold(gold_of)} "
            return any(want in f" {fold(label)} " for label in graph.labels(node))

        def pos_match(sp, gp):
            person, titles, of = sp
            return (person_matches(graph, person, gp["person"])
                    and any(title_key(x) == title_key(gp["title"]) for x in titles)
                    and any(of_matches(o, gp["of"]) for o in of))
        match_sets(gold_pos, sys_pos, pos_match, t["positions"],
                   lambda g: f"{tag} {g['person']['name']} = {g['title']} of {g['of']}",
                   lambda s: f"{tag} {label(s[0])} = {s[1][:1]} of {[label(o) for o in s[2]]}")

        # visits ---------------------------------------------------------
        visits = graph.typed(facts, VNKG.Visit)

        def visit_match(v, gv):
            visitor, dest = graph.one(v, VNKG.visitor), graph.one(v, VNKG.destination)
            return (visitor is not None and dest is not None
                    and person_matches(graph, visitor, {"name": gv["visitor"], "aliases": alias_of(art, gv["visitor"])})
                    and entity_matches(graph, dest, gv["destination"]))

        def visit_attrs(v, gv):
            start, end = graph.one(v, VNKG.startDate), graph.one(v, VNKG.endDate)
            dates = [start, end] + list(graph.g.objects(v, VNKG.date))
            if gv.get("start"):
                t["visits"].add_attr("start date (month/day right)", date_consistent(gv["start"], start))
                t["visits"].add_attr("start date (exact, with year)", date_exact(gv["start"], start))
            if gv.get("end"):
                t["visits"].add_attr("end date (month/day right)", date_consistent(gv["end"], end))
            if gv.get("during"):
                t["visits"].add_attr("a date of the visit", any(date_consistent(gv["during"], d) for d in dates if d is not None))
            if gv.get("kind"):
                kind = graph.one(v, VNKG.visitType)
                want = {"state": "StateVisit", "official": "OfficialVisit", "working": "WorkingVisit"}[gv["kind"]]
                t["visits"].add_attr("visit type", kind is not None and str(kind).endswith(want))
            if gv.get("invited_by"):
                inv = graph.one(v, VNKG.invitedBy)
                t["visits"].add_attr("invited by", inv is not None and person_matches(
                    graph, inv, {"name": gv["invited_by"], "aliases": alias_of(art, gv["invited_by"])}))
            if gv.get("status"):
                st = graph.one(v, VNKG.status)
                t["visits"].add_attr("status", st is not None and str(st).lower().endswith(gv["status"]))

        def visit_closeness(v, gv):
            dates = [graph.one(v, VNKG.startDate), graph.one(v, VNKG.endDate)] + list(graph.g.objects(v, VNKG.date))
            wanted = [gv.get("start"), gv.get("end"), gv.get("during")]
            return sum(date_consistent(w, d) or (d is not None and w is not None and str(d)[:4] == str(w)[:4])
                       for w in wanted if w for d in dates if d is not None)

        match_sets(art["visits"], visits, lambda v, gv: visit_match(v, gv), t["visits"],
                   lambda gv: f"{tag} {gv['visitor']} -> {gv['destination']}",
                   lambda v: f"{tag} {label(graph.one(v, VNKG.visitor)) if graph.one(v, VNKG.visitor) is not None else '?'} -> "
                             f"{label(graph.one(v, VNKG.destination)) if graph.one(v, VNKG.destination) is not None else '?'}",
                   on_match=visit_attrs, closeness=visit_closeness)

        # meetings -------------------------------------------------------
        meetings = graph.typed(facts, VNKG.Meeting)

        def meeting_match(m, gm):
            parts = list(graph.g.objects(m, VNKG.participant))
            if len(parts) != len(gm["participants"]):
                return False
            return all(any(person_matches(graph, p, {"name": name, "aliases": alias_of(art, name)}) for p in parts)
                       for name in gm["participants"])

        def meeting_type_right(m, gm) -> bool:
            kind = graph.one(m, VNKG.meetingType)
            want = {"talks": "Talks", "reception": "Reception", "courtesy_call": "CourtesyCall",
                    "meeting": "Encounter", "phone_call": "PhoneCall"}.get(gm["kind"], gm["kind"])
            return kind is not None and str(kind).endswith(want)

        def meeting_attrs(m, gm):
            d = graph.one(m, VNKG.date) or graph.one(m, VNKG.startDate)
            t["meetings"].add_attr("date (month/day right)", date_consistent(gm["date"], d))
            t["meetings"].add_attr("meeting type", meeting_type_right(m, gm))

        match_sets(art["meetings"], meetings, meeting_match, t["meetings"],
                   lambda gm: f"{tag} {' + '.join(gm['participants'])}",
                   lambda m: f"{tag} {' + '.join(sorted(label(p) for p in graph.g.objects(m, VNKG.participant)))}",
                   on_match=meeting_attrs,
                   closeness=lambda m, gm: (date_consistent(gm.get("date"), graph.one(m, VNKG.date)),
                                            meeting_type_right(m, gm)))

        # agreements -----------------------------------------------------
        agreements = graph.typed(facts, VNKG.Agreement)

        def agreement_match(a, ga):
            return max((jaccard(ga["name"], l) for l in graph.labels(a)), default=0.0) >= 0.5

        def agreement_attrs(a, ga):
            if ga.get("signed"):
                t["agreements"].add_attr("signed on", date_consistent(ga["signed"], graph.one(a, VNKG.signedOn)))
            if ga.get("parties"):
                parties = list(graph.g.objects(a, VNKG.party))
                t["agreements"].add_attr("parties", len(parties) == len(ga["parties"]) and all(
                    any(entity_matches(graph, p, name) for p in parties) for name in ga["parties"]))

        match_sets(art["agreements"], agreements, agreement_match, t["agreements"],
                   lambda ga: f"{tag} {ga['name'][:70]}", lambda a: f"{tag} {label(a)[:70]}",
                   on_match=agreement_attrs,
                   closeness=lambda a, ga: max((jaccard(ga["name"], l) for l in graph.labels(a)), default=0.0))

        # figures ----------------------------------------------------------
        figures = graph.typed(facts, VNKG.EconomicFigure)
        indicator_iri = {"trade": "Trade", "export": "Export", "import": "Import", "trade_target": "TradeTarget",
                         "investment_registered": "RegisteredInvestment", "investment_realized": "RealizedInvestment"}

        def figure_match(f, gf):
            ind, val = graph.one(f, VNKG.indicator), graph.one(f, VNKG.value)
            if ind is None or val is None or not str(ind).endswith("#" + indicator_iri[gf["indicator"]]):
                return False
            try:
                v = float(val)
            except ValueError:
                return False
            if abs(v - gf["value_usd"]) > 0.01 * gf["value_usd"]:
                return False
            if gf.get("period") and not gf.get("optional_period"):
                per = graph.one(f, VNKG.period)
                return per is not None and gf["period"][:4] in str(per)
            return True

        def figure_attrs(f, gf):
            if gf.get("change_pct") is not None:
                c = graph.one(f, VNKG.changePercent)
                t["figures"].add_attr("change %", c is not None and abs(float(c) - gf["change_pct"]) < 0.05)

        match_sets(art["figures"], figures, figure_match, t["figures"],
                   lambda gf: f"{tag} {gf['indicator']} {gf.get('period')} {gf['value_usd']:g}",
                   lambda f: f"{tag} {str(graph.one(f, VNKG.indicator)).rsplit('#', 1)[-1]} {graph.one(f, VNKG.period)} {graph.one(f, VNKG.value)}",
                   on_match=figure_attrs)

    # one node per real-world person across the whole graph -----------------
    all_persons = list(graph.g.subjects(RDF.type, VNKG.Person))
    seen = {}
    for art in gold["articles"]:
        for p in art["persons"]:
            seen.setdefault(fold(p["name"]), p)
    for key, p in seen.items():
        nodes = {n for n in all_persons if person_matches(graph, n, p)}
        if len(nodes) > 1:
            dup_entities.append(f"{p['name']}: {len(nodes)} nodes")
    for c in {c for art in gold["articles"] for c in art["countries"]}:
        nodes = {n for n in graph.g.subjects(RDF.type, VNKG.Country) if country_matches(graph, n, c)}
        if len(nodes) > 1:
            dup_entities.append(f"{c}: {len(nodes)} nodes")

    facts_tp = sum(t[k].tp for k in ("visits", "meetings", "positions", "agreements", "figures"))
    facts_fp = sum(t[k].fp for k in ("visits", "meetings", "positions", "agreements", "figures"))
    facts_fn = sum(t[k].fn for k in ("visits", "meetings", "positions", "agreements", "figures"))
    p = facts_tp / (facts_tp + facts_fp) if facts_tp + facts_fp else 0.0
    r = facts_tp / (facts_tp + facts_fn) if facts_tp + facts_fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    report = {"facts": {"tp": facts_tp, "fp": facts_fp, "fn": facts_fn, "p": p, "r": r, "f1": f},
              "kinds": {}, "leaks": leaks, "duplicate_entities": dup_entities,
              "articles_found": sorted(a for a in graph.articles)}
    for kind, tally in t.items():
        kp, kr, kf = tally.prf()
        report["kinds"][kind] = {"tp": tally.tp, "fp": tally.fp, "fn": tally.fn, "p": kp, "r": kr, "f1": kf,
                                 "attributes": {k: {"right": v[0], "asked": v[1]} for k, v in tally.attr.items()},
                                 "missed": tally.misses, "extra": tally.extras}
    return report


def alias_of(art: dict, name: str) -> list[str]:
    for p in art["persons"]:
        if fold(p["name"]) == fold(name):
            return p.get("aliases", [])
    return []


def render(report: dict) -> str:
    lines = [f"{'kind':<14}{'tp':>5}{'fp':>5}{'fn':>5}{'P':>7}{'R':>7}{'F1':>7}"]
    order = ["persons", "countries", "organizations", "positions", "visits", "meetings", "agreements", "figures"]
    for kind in order:
        k = report["kinds"].get(kind)
        if not k:
            continue
        lines.append(f"{kind:<14}{k['tp']:>5}{k['fp']:>5}{k['fn']:>5}{k['p']:>7.2f}{k['r']:>7.2f}{k['f1']:>7.2f}")
        for name, v in k["attributes"].items():
            lines.append(f"    {name}: {v['right']}/{v['asked']}")
    for kind in order:
        k = report["kinds"].get(kind)
        if k and (k["missed"] or k["extra"]):
            lines.append(f"-- {kind}")
            lines += [f"   missed: {m}" for m in k["missed"]]
            lines += [f"   extra:  {e}" for e in k["extra"]]
    if report["leaks"]:
        lines.append("-- page furniture taken as content: " + "; ".join(report["leaks"]))
    if report["duplicate_entities"]:
        lines.append("-- one real entity, several nodes: " + "; ".join(report["duplicate_entities"]))
    fct = report["facts"]
    lines.append(f"facts (positions+visits+meetings+agreements+figures): P={fct['p']:.2f} R={fct['r']:.2f} F1={fct['f1']:.2f}")
    return "\n".join(lines)


def evaluate(gold_path: Path, graph_path: Path) -> dict:
    """The full report (per kind: tp, fp, fn, P, R, F1, attributes, misses, extras)."""
    if not Path(gold_path).is_file():
        raise VnkgError(f"{gold_path}: no such file")
    try:
        gold = json.loads(Path(gold_path).read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise VnkgError(f"{gold_path}: not JSON ({exc.msg} at line {exc.lineno})") from None
    if not isinstance(gold, dict) or not isinstance(gold.get("articles"), list):
        raise VnkgError(f"{gold_path}: expected an object with an 'articles' list (see docs/evaluation.md)")
    graph = Graph(str(graph_path))  # a graph file or a folder holding graph.ttl; GraphFileError names the problem
    return score(gold, graph)
