"""The graph-to-page conversion: kinds, labels, evidence, dates, links, focus and date filters."""
from __future__ import annotations

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rdflib import Graph

from kg.errors import ViewError
from kg.viz.data import date_range, fold, graph_to_view

ID = "https://w3id.org/vnkg/id/"
PREFIXES = """
@prefix vnkg: <https://w3id.org/vnkg/ontology#> .
@prefix id: <https://w3id.org/vnkg/id/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix schema: <https://schema.org/> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
VISIT_LC = ID + "visit/5d41402abc4b2a76"
VISIT_SS = ID + "visit/7d793037a0760186"
MEETING = ID + "meeting/9e107d9d372bb682"
AGREEMENT = ID + "agreement/e4d909c290d0fb1c"
TRADE_2024 = ID + "figure/a87ff679a2f3e71d"
EXPORT_2025 = ID + "figure/e4da3b7fbbce2345"


def turtle(text: str) -> Graph:
    return Graph().parse(data=PREFIXES + text, format="turtle")


def by_id(view: dict) -> dict[str, dict]:
    return {n["id"]: n for n in view["nodes"]}


@pytest.fixture(scope="module")
def small_view(small_graph):
    return graph_to_view(small_graph)


def test_every_person_country_place_and_fact_becomes_a_node_of_its_kind(small_graph, small_view):
    rows = small_graph.query("""
        PREFIX vnkg: <https://w3id.org/vnkg/ontology#>
        SELECT ?s ?class WHERE {
            ?s a ?class .
            VALUES ?class { vnkg:Person vnkg:Country vnkg:Organization vnkg:Location vnkg:Position
                            vnkg:Visit vnkg:Meeting vnkg:Agreement vnkg:EconomicFigure }
        }""")
    kinds = {"Organization": "organization", "Location": "location", "EconomicFigure": "figure"}
    expected = {str(s): kinds.get(c.split("#")[1], c.split("#")[1].lower()) for s, c in rows}
    assert {n["id"]: n["kind"] for n in small_view["nodes"]} == expected
    assert small_view["stats"]["nodes"] == len(expected) == 21
    assert small_view["stats"]["by_kind"]["person"] == 4
    assert not any("/article/" in n["id"] for n in small_view["nodes"]), "articles are sources, not nodes"


@pytest.mark.parametrize(("labels", "expected"), [
    ('rdfs:label "Laos"@en, "Lào"@vi, "Lao"', "Lào"),
    ('rdfs:label "Laos"@en, "Lao"', "Lao"),
    ('rdfs:label "Laos"@en', "Laos"),
    ('skos:altLabel "CHDCND Lào"@vi', "lao"),
])
def test_node_label_prefers_vietnamese(labels, expected):
    view = graph_to_view(turtle(f"id:country\\/lao a vnkg:Country ; {labels} ."))
    assert view["nodes"][0]["label"] == expected


@pytest.mark.parametrize(("iri", "label"), [
    (ID + "position/chu-tich-nuoc-lao", "Chủ tịch nước · Lào"),
    (ID + "position/thu-tuong-viet-nam", "Thủ tướng · Việt Nam"),
    (ID + "person/pham-minh-chinh", "Phạm Minh Chính"),
    (ID + "agreement/e4d909c290d0fb1c", "Hiệp định mua bán than và điện"),
    (VISIT_LC, "State visit 2025-04-24"),
    (MEETING, "Talks 2024-01-06"),
    (EXPORT_2025, "Export 2025-Q1"),
])
def test_positions_and_facts_get_readable_labels(small_view, iri, label):
    assert by_id(small_view)[iri]["label"] == label


def test_fact_carries_its_evidence_sentence_and_source_article(small_view):
    visit = by_id(small_view)[VISIT_LC]
    assert visit["evidence"] == ["Chủ tịch nước Lương Cường sẽ thăm Lào cấp nhà nước trong các ngày 24 - 25.4, "
                                 "theo lời mời của Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith."]
    assert visit["sources"] == [ID + "article/a1b2c3d4e5f60718"]
    assert small_view["articles"][ID + "article/a1b2c3d4e5f60718"] == {
        "file": "001_visit.txt", "headline": "Chủ tịch nước Lương Cường sắp thăm Lào", "date": "2025-04-20"}
    rows = dict((name, parts) for name, parts in visit["rows"])
    assert rows["Invited by"] == [{"id": ID + "person/thongloun-sisoulith", "text": "Thongloun Sisoulith"}]
    assert rows["Type"] == ["State visit"] and rows["Status"] == ["Planned"]


@pytest.mark.parametrize(("person", "facts"), [
    ("luong-cuong", [VISIT_LC]),
    ("pham-minh-chinh", [AGREEMENT, MEETING]),
    ("sonexay-siphandone", [VISIT_SS, MEETING]),
])
def test_person_lists_the_facts_they_take_part_in(small_view, person, facts):
    assert sorted(by_id(small_view)[ID + "person/" + person]["facts"]) == sorted(facts)


@pytest.mark.parametrize(("text", "span"), [
    ("2025-04-24", ("2025-04-24", "2025-04-24")),
    ("2025-06", ("2025-06-01", "2025-06-30")),
    ("2024-02", ("2024-02-01", "2024-02-29")),
    ("2024", ("2024-01-01", "2024-12-31")),
    ("2025-Q1", ("2025-01-01", "2025-03-31")),
    ("2023-01/2023-11", ("2023-01-01", "2023-11-30")),
    ("--03-23", None),
    ("sometime", None),
])
def test_date_range_covers_the_days_a_date_or_period_means(text, span):
    assert date_range(text) == span


@pytest.mark.parametrize(("iri", "start", "end", "when"), [
    (VISIT_LC, "2025-04-24", "2025-04-25", "2025-04-24 – 2025-04-25"),
    (VISIT_SS, "2024-01-06", "2024-01-06", "2024-01-06"),
    (AGREEMENT, "2024-01-06", "2024-01-06", "2024-01-06"),
    (EXPORT_2025, "2025-01-01", "2025-03-31", "2025-Q1"),
    (ID + "person/luong-cuong", None, None, ""),
])
def test_fact_dates_come_from_start_end_date_signed_on_or_period(small_view, iri, start, end, when):
    node = by_id(small_view)[iri]
    assert (node["start"], node["end"], node["when"]) == (start, end, when)


@pytest.mark.parametrize(("source", "target", "label"), [
    (VISIT_LC, ID + "person/luong-cuong", "visitor"),
    (VISIT_LC, ID + "country/lao", "destination"),
    (VISIT_LC, ID + "person/thongloun-sisoulith", "invited by"),
    (MEETING, ID + "location/ha-noi", "place"),
    (AGREEMENT, ID + "person/pham-minh-chinh", "signed by"),
    (EXPORT_2025, ID + "country/lao", "to"),
    (ID + "person/luong-cuong", ID + "position/chu-tich-nuoc-viet-nam", "holds position"),
    (ID + "person/luong-cuong", ID + "country/viet-nam", "nationality"),
])
def test_links_are_labelled_by_relation(small_view, source, target, label):
    labels = {(e["source"], e["target"]): e["label"] for e in small_view["edges"]}
    assert labels[(source, target)] == label


def test_materialised_shortcuts_are_not_drawn_twice(small_view):
    assert not {e["rel"] for e in small_view["edges"]} & {"visited", "metWith"}


def test_fact_belongs_to_the_countries_of_the_people_in_it(small_view):
    assert by_id(small_view)[MEETING]["countries"] == [ID + "country/lao", ID + "country/viet-nam"]


def test_timeline_lists_visits_and_meetings_in_date_order(small_view):
    assert [(e["id"], e["start"]) for e in small_view["timeline"]] == [
        (MEETING, "2024-01-06"), (VISIT_SS, "2024-01-06"), (VISIT_LC, "2025-04-24")]
    assert small_view["timeline"][2]["who"] == ["Lương Cường"] and small_view["timeline"][2]["where"] == ["Lào"]


def test_timeline_puts_days_without_a_year_and_undated_facts_last():
    view = graph_to_view(turtle("""
        id:person\\/a a vnkg:Person ; rdfs:label "An"@vi .
        id:person\\/b a vnkg:Person ; rdfs:label "Bình"@vi .
        id:meeting\\/m1 a vnkg:Meeting ; vnkg:participant id:person\\/a, id:person\\/b ; vnkg:date "--03-23"^^xsd:gMonthDay .
        id:meeting\\/m2 a vnkg:Meeting ; vnkg:participant id:person\\/a, id:person\\/b ; vnkg:date "2023-12-01"^^xsd:date .
        id:visit\\/v1 a vnkg:Visit ; vnkg:visitor id:person\\/a .
        id:visit\\/v2 a vnkg:Visit ; vnkg:visitor id:person\\/b ; vnkg:startDate "2024-05"^^xsd:gYearMonth .
    """))
    assert [e["id"].rsplit("/", 1)[1] for e in view["timeline"]] == ["m2", "v2", "m1", "v1"]
    assert by_id(view)[ID + "meeting/m1"]["when"] == "23/03 (year not stated)"


@pytest.mark.parametrize(("since", "until", "facts"), [
    ("2025", None, {VISIT_LC, EXPORT_2025}),
    (None, "2024-06", {VISIT_SS, MEETING, AGREEMENT, TRADE_2024}),
    ("2024-01-07", "2024-12", {TRADE_2024}),
    ("2024-01-06", "2024-01-06", {VISIT_SS, MEETING, AGREEMENT, TRADE_2024}),
    ("2026", None, set()),
])
def test_since_until_keep_the_facts_dated_in_range(small_graph, since, until, facts):
    view = graph_to_view(small_graph, since=since, until=until)
    kept = {n["id"] for n in view["nodes"] if n["kind"] in ("visit", "meeting", "agreement", "figure")}
    assert kept == facts
    assert {e["id"] for e in view["timeline"]} == facts & {VISIT_LC, VISIT_SS, MEETING}


def test_date_filter_keeps_the_people_of_kept_facts_and_their_positions(small_graph):
    ids = set(by_id(graph_to_view(small_graph, since="2025-04")))
    assert {ID + "person/luong-cuong", ID + "person/thongloun-sisoulith", ID + "country/lao",
            ID + "position/chu-tich-nuoc-viet-nam", ID + "position/tong-bi-thu-lao"} <= ids
    assert ID + "person/pham-minh-chinh" not in ids
    assert ID + "organization/asean" not in ids, "an entity in no kept fact is left out"


def test_focus_keeps_an_entity_its_facts_and_the_people_and_places_in_them(small_graph):
    view = graph_to_view(small_graph, focus="Thongloun Sisoulith")
    assert view["focus"] == ID + "person/thongloun-sisoulith"
    assert set(by_id(view)) == {
        ID + "person/thongloun-sisoulith", ID + "country/lao", ID + "position/chu-tich-nuoc-lao",
        ID + "position/tong-bi-thu-lao", VISIT_LC, ID + "person/luong-cuong",
        ID + "organization/dang-nhan-dan-cach-mang-lao"}
    assert [e["id"] for e in view["timeline"]] == [VISIT_LC]


@pytest.mark.parametrize("name", [
    "Phạm Minh Chính", "pham minh chinh", "PHAM MINH CHINH", "Phạm_Minh_Chính", "pham-minh-chinh",
    ID + "person/pham-minh-chinh",
])
def test_focus_accepts_a_name_without_diacritics_or_an_iri(small_graph, name):
    assert graph_to_view(small_graph, focus=name)["focus"] == ID + "person/pham-minh-chinh"


@pytest.mark.parametrize(("options", "message"), [
    ({"focus": "Nguyễn Văn Không Có"}, "no person, country"),
    ({"focus": "Chủ tịch nước"}, "several nodes"),
    ({"since": "2024-13"}, "is not a date"),
    ({"until": "2024-02-30"}, "is not a date"),
    ({"until": "last year"}, "is not a date"),
    ({"since": "2025", "until": "2024"}, "is after"),
    ({"focus": "Phạm Minh Chính", "since": "2025"}, "takes part in no fact dated"),
])
def test_impossible_options_raise_a_clear_error(small_graph, options, message):
    with pytest.raises(ViewError, match=message):
        graph_to_view(small_graph, **options)


@pytest.mark.parametrize(("text", "folded"), [
    ("Phạm Minh Chính", "pham minh chinh"),
    ("Đảng Nhân dân Cách mạng Lào", "dang nhan dan cach mang lao"),
    ("Phạm_Minh_Chính", "pham minh chinh"),
    ("  Hà   Nội ", "ha noi"),
])
def test_fold_drops_diacritics_and_reads_d_bar_as_d(text, folded):
    assert fold(text) == folded


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2100, 12, 31)))
def test_every_day_of_a_month_or_year_is_inside_its_range(day):
    for text in (day.isoformat(), day.isoformat()[:7], day.isoformat()[:4],
                 f"{day.year}-Q{(day.month - 1) // 3 + 1}"):
        first, last = date_range(text)
        assert first <= day.isoformat() <= last, text


@given(st.text(max_size=40))
def test_fold_is_stable_and_leaves_no_vietnamese_marks(text):
    folded = fold(text)
    assert fold(folded) == folded
    assert not set(folded) & set("ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ")


def test_a_fact_ranks_after_every_node_it_links(generated_view):
    view = generated_view
    rank = {n["id"]: n["rank"] for n in view["nodes"]}
    facts = {n["id"] for n in view["nodes"] if n["kind"] in ("visit", "meeting", "agreement", "figure")}
    assert len(facts) > 300
    for edge in view["edges"]:
        for end, other in ((edge["source"], edge["target"]), (edge["target"], edge["source"])):
            if end in facts:
                assert rank[end] > rank[other], (end, other)
    assert sorted(rank.values()) == list(range(len(rank)))


def test_people_view_links_each_visit_and_meeting_and_places_them_on_the_map(travels_graph):
    view = graph_to_view(travels_graph)
    nodes = {n["id"]: n for n in view["nodes"]}
    id_ = "https://w3id.org/vnkg/id/"
    links = {(link["fact"], link["source"], link["target"]) for link in view["links"]}
    assert (id_ + "visit/v1", id_ + "person/nguyen-van-an", id_ + "country/lao") in links
    assert (id_ + "meeting/m1", id_ + "person/bounmy-vongsa", id_ + "person/nguyen-van-an") in links
    assert nodes[id_ + "visit/v1"]["arc"] == [id_ + "country/viet-nam", id_ + "country/lao"]
    assert "arc" not in nodes[id_ + "visit/v5"] and "arc" not in nodes[id_ + "visit/v6"]
    assert nodes[id_ + "meeting/m2"]["at"] == id_ + "country/lao"  # its place, Viêng Chăn
    assert nodes[id_ + "meeting/m1"]["atVisit"] == id_ + "visit/v4"
    assert not any(nodes[i].get("core") for i in nodes if nodes[i]["kind"] in ("figure", "agreement", "position"))
    profile = nodes[id_ + "person/nguyen-van-an"]["profile"]
    assert profile["made"] == [id_ + "visit/v2", id_ + "visit/v1", id_ + "visit/v3"]
    assert profile["posts"] == [{"id": id_ + "position/nguyen-van-an-thu-tuong", "articles": [id_ + "article/a1"]}]
