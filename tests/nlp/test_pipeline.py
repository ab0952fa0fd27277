"""kg.nlp.pipeline: a real spaCy pipeline whose components declare what they read and set."""
from __future__ import annotations

import ast
import datetime as dt
import re
from pathlib import Path

from spacy.tokens import Doc, Span

from kg.article import Article, digest_of
from kg.nlp.lexicon import load_lexicon
from kg.nlp.doc import POSITIONS, ArticleMeta
from kg.nlp.pipeline import analyse
from kg.nlp.records import Meeting, Ref, Visit
from kg.resources import ontology_dir

ROOT = Path(__file__).resolve().parents[2]
TEXT = ("Nhận lời mời của Chủ tịch nước Lương Cường, Tổng thống Chile Gabriel Boric Font sẽ thăm cấp Nhà nước "
        "Việt Nam từ ngày 8 đến ngày 10/9. Sáng 9/9, Chủ tịch nước Lương Cường hội đàm với Tổng thống Boric.")


def test_pipeline_order_and_declarations_have_no_problem(nlp):
    assert nlp.pipe_names == ["vnkg_article", "vnkg_sentences", "vnkg_entities", "vnkg_relations"]
    analysis = nlp.analyze_pipes(pretty=False)
    assert all(problems == [] for problems in analysis["problems"].values()), analysis["problems"]
    summary = analysis["summary"]
    assert summary["vnkg_entities"]["assigns"] == ["doc.ents", "doc.spans"]
    assert set(summary["vnkg_relations"]["requires"]) == {"doc.ents", "doc.spans", "token.is_sent_start",
                                                          "doc._.meta"}
    assert summary["vnkg_relations"]["assigns"] == ["doc._.relations"]


def test_the_tokenizer_is_registered(nlp):
    assert nlp.config["nlp"]["tokenizer"]["@tokenizers"] == "vnkg.tokenizer.v1"


def test_nlp_pipe_with_metadata_gives_what_the_build_uses(nlp):
    article = Article("a.txt", "a.txt", TEXT, date=dt.date(2025, 9, 5), digest=digest_of(TEXT))
    built = analyse(nlp, article)
    (piped, context), = nlp.pipe([(TEXT, ArticleMeta(date=dt.date(2025, 9, 5)))], as_tuples=True)
    assert piped._.meta.date == dt.date(2025, 9, 5)
    assert piped._.relations == built._.relations
    visit = next(f for f in piped._.relations if isinstance(f, Visit))
    assert visit.start.lexical == "2025-09-08" and visit.status == "Planned"


def test_nlp_of_plain_text_knows_no_date_and_invents_no_year(nlp):
    doc = nlp(TEXT)
    assert doc._.meta == ArticleMeta()
    visit = next(f for f in doc._.relations if isinstance(f, Visit))
    assert visit.start.lexical == "--09-08" and visit.start.year is None


def test_relations_run_on_a_doc_built_by_hand(nlp):
    """The relation component reads doc.ents, doc.spans and sentence starts only."""
    words = ["Thủ tướng", "Anthony", "Albanese", "hội đàm", "với", "Thủ tướng", "Phạm", "Minh", "Chính", "."]
    doc = Doc(nlp.vocab, words=words, spaces=[True] * 8 + [False, False],
              sent_starts=[True] + [False] * 9)
    albanese = Span(doc, 1, 3, label="PER", span_id="anthony-albanese")
    chinh = Span(doc, 6, 9, label="PER", span_id="pham-minh-chinh")
    doc.ents = [albanese, chinh]
    doc.spans[POSITIONS] = []
    doc._.meta = ArticleMeta(date=dt.date(2024, 3, 7))
    doc = nlp.get_pipe("vnkg_relations")(doc)
    (meeting,) = doc._.relations
    assert isinstance(meeting, Meeting)
    assert meeting.participants == (Ref("person", "anthony-albanese"), Ref("person", "pham-minh-chinh"))
    assert meeting.meeting_type == "Talks"


def test_long_texts_are_not_refused_by_spacy(nlp):
    text = ("Hai bên nhất trí tăng cường hợp tác. " * 40000)[:1_400_000]
    assert len(nlp.make_doc(text)) > 100_000


def test_every_rule_row_is_read_by_the_pipeline(nlp):
    lexicon = load_lexicon(ontology_dir() / "rules")
    assert lexicon.unused() == []


def _string_literals(path: Path) -> list[tuple[int, str]]:
    """The string constants of a module that are not docstrings."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    return [(node.lineno, node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings]


def _vietnamese_words() -> set[str]:
    """Every word of every phrase of the rules data, as a set of lower-case words."""
    words = set()
    lexicon = load_lexicon(ontology_dir() / "rules")
    for ident in lexicon.ids():
        row = lexicon.row(ident)
        for phrase in row.get("phrases", ()):
            words.update(w.lower() for w in re.findall(r"\w+", phrase))
    return words


def test_no_vietnamese_word_is_written_in_the_rule_code():
    """Rule words live in ontology/rules; code keeps only letter classes such as [A-ZĐ]."""
    vietnamese = {w for w in _vietnamese_words() if len(w) >= 2 and not w.isascii()}
    found = []
    for path in sorted((ROOT / "kg" / "nlp").rglob("*.py")):
        for line, value in _string_literals(path):
            bare = re.sub(r"\[[^\]]*\]", " ", value)  # letter classes are orthography, not words
            for word in re.findall(r"\w+", bare):
                if word.lower() in vietnamese:
                    found.append(f"{path.relative_to(ROOT)}:{line}: {word!r}")
    assert found == []


def test_kg_load_nlp_is_the_pipeline_the_build_runs():
    import kg

    nlp = kg.load_nlp()
    (doc, _), = nlp.pipe([(TEXT, ArticleMeta(date=dt.date(2025, 9, 5)))], as_tuples=True)
    assert {e.ent_id_ for e in doc.ents if e.label_ == "PER"} == {"luong-cuong", "gabriel-boric-font"}
    assert {type(f).__name__ for f in doc._.relations} == {"Visit", "Meeting"}
    visits = [f for f in doc._.relations if isinstance(f, Visit)]
    assert visits[0].start.year == 2025 and visits[0].status == "Planned"


def test_a_country_named_inside_an_organisations_name_is_named_by_the_article(nlp):
    text = "Năm tới, Việt Nam chủ trì hội nghị Hợp tác bốn nước Campuchia, Lào, Myanmar và Việt Nam tại Hà Nội."
    doc = nlp(text)
    assert [(e.text, e.label_) for e in doc.ents if e.label_ == "ORG"] == [
        ("Hợp tác bốn nước Campuchia, Lào, Myanmar và Việt Nam", "ORG")]
    assert not [e for e in doc.ents if e.text == "Myanmar"], "entities never overlap: the longer name wins"
    inside = {(s.text, s.label_, s.id_) for s in doc.spans["named_inside"]}
    assert ("Myanmar", "GPE", "myanmar") in inside
    assert {"myanmar", "campuchia", "lao", "viet-nam"} <= {key for kind, key in doc._.entities if kind == "country"}


def test_the_writer_mentions_the_countries_named_inside_a_longer_name():
    import kg
    from rdflib import URIRef

    graph = kg.extract("Hai bên phối hợp chặt chẽ trong Hợp tác bốn nước Campuchia, Lào, Myanmar và Việt Nam.",
                       "2025-03-01")
    mentioned = {str(o) for o in graph.objects(None, URIRef("https://schema.org/mentions"))}
    assert "https://w3id.org/vnkg/id/country/myanmar" in mentioned


def test_the_entity_table_follows_the_entities_the_doc_holds(nlp):
    doc = nlp(TEXT)
    table = doc._.entities
    assert ("person", "luong-cuong") in table and table[("person", "luong-cuong")].name == "Lương Cường"
    assert table[("country", "chile")].name == "Chile"
    # what the entity component keeps is what the spans say, read back
    kept = {k: (v.name, v.en, v.country, v.nationality, sorted(v.surfaces)) for k, v in table.items()}
    doc.user_data.pop("vnkg.entities")
    assert {k: (v.name, v.en, v.country, v.nationality, sorted(v.surfaces)) for k, v in doc._.entities.items()} == kept
    # an entity taken out of the Doc is out of the table too
    doc.ents = [e for e in doc.ents if e.id_ != "chile"]
    assert ("country", "chile") not in doc._.entities
