"""kg.builder on a folder of good and bad inputs: the good ones are built, each bad one is reported
by name (and line) with what is wrong, and no output file is ever left half-written."""
from __future__ import annotations

import datetime as dt
import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS

from kg.builder import atomic_write, build_corpus, write_outputs
from kg.ingest import DEFAULT_MAX_BYTES

REPO = Path(__file__).resolve().parents[1]
VNKG = Namespace("https://w3id.org/vnkg/ontology#")
SCHEMA = Namespace("https://schema.org/")
ID = "https://w3id.org/vnkg/id/"

KOREA = """\
 date 2023-06-15 (VTC News) -

Tổng thống Hàn Quốc Yoon Suk Yeol sắp thăm Việt Nam
Tổng thống Hàn Quốc Yoon Suk Yeol sẽ thăm cấp nhà nước tới Việt Nam từ ngày 22 đến ngày 24/6, theo lời mời của \
Chủ tịch nước.
Hai bên dự kiến ký nhiều văn kiện hợp tác về kinh tế, giáo dục và năng lượng.
Minh Anh
"""
JAPAN = {"title": "Thủ tướng Nhật Bản Kishida Fumio thăm Việt Nam", "date": "2023-02-10",
         "text": "Thủ tướng Nhật Bản Kishida Fumio thăm chính thức Việt Nam từ ngày 12 đến ngày 13/2. "
                 "Hai bên nhất trí tăng cường hợp tác kinh tế."}
LAOS = {"title": "Thủ tướng Lào thăm Việt Nam", "date": "2024-01-05",
        "text": "Thủ tướng Lào Sonexay Siphandone sáng 6/1 hội đàm với Thủ tướng Việt Nam tại Hà Nội."}

# file name -> (what a user must read in the report, the error kind)
BAD = {
    "03_rong.txt": ("is empty", "EmptyInputError"),
    "04_anh.txt": ("PNG image", "BinaryInputError"),
    "05_tai_lieu.txt": ("PDF document", "BinaryInputError"),
    "06_ngau_nhien.txt": ("is not UTF-8", "EncodingProblem"),
    "07_qua_lon.txt": ("over the limit", "TooLargeError"),
}


def png() -> bytes:
    return b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00\x90wS\xde"


def pdf() -> bytes:
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def write_inputs(folder: Path) -> dict[str, Path]:
    """A folder as a user may have it: two good files, a JSONL file with one broken line, and junk."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        "01_han_quoc.txt": KOREA.encode("utf-8"),
        "02_dong_a.jsonl": "\n".join([
            json.dumps(JAPAN, ensure_ascii=False),
            '{"title": "Tổng thống Indonesia thăm Việt Nam", "text": "Tổng thống',  # cut off mid-record
            json.dumps(LAOS, ensure_ascii=False),
        ]).encode("utf-8") + b"\n",
        "03_rong.txt": b"",
        "04_anh.txt": png(),
        "05_tai_lieu.txt": pdf(),
        "06_ngau_nhien.txt": bytes(random.Random(7).randrange(128, 256) for _ in range(4000)),
    }
    paths = {}
    for name, data in files.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    big = folder / "07_qua_lon.txt"
    with big.open("wb") as handle:  # sparse: over the limit without writing megabytes
        handle.truncate(DEFAULT_MAX_BYTES + 1)
    paths[big.name] = big
    return paths


@pytest.fixture(scope="module")
def inputs(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("tin") / "bai-viet"
    write_inputs(folder)
    return folder


@pytest.fixture(scope="module")
def built(inputs, tmp_path_factory):
    """One build of the mixed folder (the pipeline loads once per process) and its written outputs."""
    result = build_corpus([inputs])
    out = tmp_path_factory.mktemp("ket-qua")
    written = write_outputs(result, out)
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    return result, out, written, report


def rows_for(report: dict, name: str) -> list[dict]:
    return [row for row in report["articles"] if row["source_file"] == name]


# ---------------------------------------------------------------- the library


def test_build_corpus_builds_the_good_articles_among_bad_inputs(built):
    result, out, _, report = built
    ok = sorted((a.source_file, a.line) for a in result.ok)
    assert ok == [("01_han_quoc.txt", None), ("02_dong_a.jsonl", 1), ("02_dong_a.jsonl", 3)]
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    articles = set(graph.subjects(RDF.type, SCHEMA.NewsArticle))
    assert len(articles) == 3
    files = {str(graph.value(a, VNKG.sourceFile)) for a in articles}
    assert files == {"01_han_quoc.txt", "02_dong_a.jsonl"}
    assert report["totals"]["articles"] == 3
    assert report["totals"]["failed"] == len(BAD) + 1


def test_build_corpus_extracts_facts_from_the_good_articles(built):
    result, out, _, _ = built
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    korea = URIRef(ID + "person/yoon-suk-yeol")
    assert (korea, RDF.type, VNKG.Person) in graph
    visits = [v for v in graph.subjects(VNKG.visitor, korea)]
    assert len(visits) == 1
    assert graph.value(visits[0], VNKG.destination) == URIRef(ID + "country/viet-nam")
    assert graph.value(visits[0], VNKG.startDate) == Literal("2023-06-22", datatype=URIRef(
        "http://www.w3.org/2001/XMLSchema#date"))
    row = next(a for a in result.ok if a.source_file == "01_han_quoc.txt")
    assert row.title == "Tổng thống Hàn Quốc Yoon Suk Yeol sắp thăm Việt Nam"
    assert {"reason": "byline", "text": "Minh Anh"} in row.dropped


@pytest.mark.parametrize("name", sorted(BAD))
def test_report_names_each_bad_file_and_what_is_wrong(built, name):
    _, _, _, report = built
    rows = rows_for(report, name)
    assert len(rows) == 1, rows
    row = rows[0]
    problem, kind = BAD[name]
    assert row["status"] == "error"
    assert row["error_kind"] == kind
    assert name in row["error"] and problem in row["error"]
    assert row["path"].endswith(name)


def test_report_names_the_line_of_a_malformed_jsonl_record(built):
    _, _, _, report = built
    bad = [row for row in rows_for(report, "02_dong_a.jsonl") if row["status"] == "error"]
    assert len(bad) == 1
    assert bad[0]["line"] == 2
    assert bad[0]["error_kind"] == "MalformedRecordError"
    assert "02_dong_a.jsonl:2" in bad[0]["error"] and "not valid JSON" in bad[0]["error"]


def test_report_lists_what_cleaning_dropped(built):
    _, _, _, report = built
    row = next(r for r in rows_for(report, "01_han_quoc.txt"))
    assert row["status"] == "ok"
    reasons = [d["reason"] for d in row["dropped"]]
    assert reasons[:1] == ["header"] and "byline" in reasons
    assert row["date"] == "2023-06-15"


def test_evidence_offsets_point_at_whole_sentences_of_the_cleaned_text(built, inputs):
    from kg.clean import clean
    from kg.ingest import read_articles

    result, out, _, _ = built
    (article,) = [clean(a) for a in read_articles([inputs / "01_han_quoc.txt"])]
    graph = Graph().parse(out / "graph.ttl", format="turtle")
    iri = URIRef(next(a.iri for a in result.ok if a.source_file == "01_han_quoc.txt"))
    checked = 0
    for node in graph.subjects(URIRef("http://www.w3.org/ns/prov#wasDerivedFrom"), iri):
        if (node, RDF.type, VNKG.Evidence) not in graph:
            continue
        start, end = int(graph.value(node, VNKG.charStart)), int(graph.value(node, VNKG.charEnd))
        evidence = graph.value(node, VNKG.sentence)
        fact = graph.value(predicate=VNKG.attestedBy, object=node)
        assert evidence in set(graph.objects(fact, VNKG.evidence))
        assert article.text[start:end] == str(evidence)
        assert start == 0 or article.text[start - 1] in " \n", f"evidence starts mid-word: {evidence!r}"
        checked += 1
    assert checked >= 2


def test_write_outputs_leaves_no_temporary_files(built):
    _, out, written, _ = built
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl", "report.json"]
    assert written == {"graph": out / "graph.ttl", "report": out / "report.json"}


def test_read_articles_reports_a_file_over_a_small_limit(tmp_path):
    from kg.errors import TooLargeError
    from kg.ingest import read_articles

    path = tmp_path / "dai.txt"
    path.write_text(KOREA * 3, encoding="utf-8")
    (found,) = list(read_articles([path], max_bytes=1024))
    assert isinstance(found, TooLargeError)
    assert "dai.txt" in str(found) and "over the limit of 1.0 KiB" in str(found)


# ---------------------------------------------------------------- the kg command


def kg(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    script = Path(sys.executable).with_name("kg")
    command = [str(script)] if script.exists() else [sys.executable, "-m", "kg.cli"]
    return subprocess.run([*command, *args], cwd=cwd, capture_output=True, text=True, timeout=300,
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})


@pytest.fixture(scope="module")
def cli_mixed(inputs, tmp_path_factory):
    out = tmp_path_factory.mktemp("cli") / "out"
    return kg("build", str(inputs), "--out", str(out), "--no-progress", "--no-validate", cwd=REPO), out


def test_kg_build_exits_zero_when_some_inputs_are_bad(cli_mixed):
    proc, out = cli_mixed
    assert proc.returncode == 0, proc.stderr
    assert "built 3 article(s)" in proc.stdout and f"{len(BAD) + 1} failed" in proc.stdout
    for name in BAD:
        assert name in proc.stdout
    assert (out / "graph.ttl").is_file() and (out / "report.json").is_file()


def test_kg_build_strict_exits_non_zero_when_an_input_is_bad(built, inputs, tmp_path, capsys):
    from kg.cli import main  # in this process: the pipeline is already loaded by `built`

    code = main(["build", str(inputs), "--out", str(tmp_path / "out"), "--strict", "--no-progress", "--no-validate"])
    assert code != 0
    assert "built 3 article(s)" in capsys.readouterr().out
    # the good articles are still written: --strict changes the exit code, not the output
    assert (tmp_path / "out" / "graph.ttl").is_file()


def test_kg_build_fails_without_writing_when_nothing_can_be_built(tmp_path):
    paths = write_inputs(tmp_path / "in")
    for good in ("01_han_quoc.txt", "02_dong_a.jsonl"):
        paths[good].unlink()
    out = tmp_path / "out"
    out.mkdir()
    old = "@prefix ex: <https://example.org/> .\nex:a ex:b ex:c .\n"
    (out / "graph.ttl").write_text(old, encoding="utf-8")
    proc = kg("build", str(tmp_path / "in"), str(tmp_path / "nowhere.txt"), "--out", str(out), "--no-progress",
              cwd=REPO)
    assert proc.returncode != 0
    assert "nothing could be built" in proc.stderr
    for name in BAD:
        assert name in proc.stderr
    assert "nowhere.txt: does not exist" in proc.stderr
    # the graph of an earlier build is left as it was, and nothing else is written
    assert (out / "graph.ttl").read_text(encoding="utf-8") == old
    assert sorted(p.name for p in out.iterdir()) == ["graph.ttl"]


# ---------------------------------------------------------------- atomic writes


OLD = "@prefix ex: <https://example.org/> .\nex:old ex:is ex:kept .\n"


@pytest.fixture
def old_graph(tmp_path) -> Path:
    path = tmp_path / "graph.ttl"
    path.write_text(OLD, encoding="utf-8")
    return path


def test_atomic_write_replaces_the_file(old_graph):
    assert atomic_write(old_graph, "@prefix ex: <https://example.org/> .\n") == old_graph
    assert old_graph.read_text(encoding="utf-8") == "@prefix ex: <https://example.org/> .\n"
    assert [p.name for p in old_graph.parent.iterdir()] == ["graph.ttl"]


def test_atomic_write_keeps_the_old_file_when_the_content_cannot_be_encoded(old_graph):
    with pytest.raises(UnicodeEncodeError):
        atomic_write(old_graph, "ex:a ex:b \"\ud800\" .\n")  # a lone surrogate has no UTF-8 form
    assert old_graph.read_text(encoding="utf-8") == OLD
    assert [p.name for p in old_graph.parent.iterdir()] == ["graph.ttl"]


def test_atomic_write_keeps_the_old_file_when_the_rename_fails(old_graph):
    target = old_graph.parent / "report.json"
    target.mkdir()  # a folder where the file should go: the final rename fails
    with pytest.raises(OSError):
        atomic_write(target, "{}\n")
    assert old_graph.read_text(encoding="utf-8") == OLD
    assert sorted(p.name for p in old_graph.parent.iterdir()) == ["graph.ttl", "report.json"]
    assert list(target.iterdir()) == []


def test_atomic_write_fails_cleanly_when_the_folder_vanished(tmp_path):
    folder = tmp_path / "out"
    folder.mkdir()
    folder.rmdir()
    with pytest.raises(FileNotFoundError):
        atomic_write(folder / "graph.ttl", OLD)
    assert list(tmp_path.iterdir()) == []


def test_atomic_write_keeps_the_old_file_when_the_disk_fills_mid_write(old_graph):
    """The write itself fails half-way (here: the process may write at most 64 KiB per file)."""
    script = textwrap.dedent(f"""
        import resource, signal, sys
        from pathlib import Path
        from kg.builder import atomic_write
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (65536, 65536))
        try:
            atomic_write(Path({str(old_graph)!r}), "ex:a ex:b ex:c .\\n" * 100000)
        except OSError as exc:
            print(type(exc).__name__, exc.errno)
            sys.exit(3)
    """)
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60, cwd=REPO)
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert old_graph.read_text(encoding="utf-8") == OLD
    assert [p.name for p in old_graph.parent.iterdir()] == ["graph.ttl"]


def test_write_outputs_keeps_the_old_graph_when_the_graph_cannot_be_serialised(built, tmp_path, old_graph):
    result = built[0]
    broken = Graph()
    broken.add((URIRef("https://example.org/a b"), RDF.type, VNKG.Person))  # not an IRI: Turtle refuses it
    result_broken = type(result)(broken, result.articles)
    with pytest.raises(Exception, match="does not look like a valid URI"):
        write_outputs(result_broken, old_graph.parent)
    assert old_graph.read_text(encoding="utf-8") == OLD
    assert [p.name for p in old_graph.parent.iterdir()] == ["graph.ttl"]


# ---------------------------------------------------------------- hostile inputs: none stops the build

LAOS_VISIT = ("Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith thăm chính thức Việt Nam từ ngày 12 đến "
              "ngày 13/9/2024. Hai bên nhất trí tăng cường hợp tác kinh tế.")


def test_lone_surrogates_in_a_jsonl_record_are_removed_and_the_article_built(tmp_path):
    record = ('{"title": "Lào \\ud800 thăm", "author": "Minh \\udfff Anh", "date": "2024-09-10", '
              '"text": "' + LAOS_VISIT.replace("Hai bên", "Hai \\ud800bên") + '"}')
    (tmp_path / "tin.jsonl").write_text(record + "\n", encoding="utf-8")
    result = build_corpus([tmp_path])
    write_outputs(result, tmp_path / "out")
    (row,) = result.articles
    assert row.status == "ok", row.error
    assert any("lone surrogate" in w and "'text'" in w for w in row.warnings)
    assert any("'title'" in w for w in row.warnings) and any("'author'" in w for w in row.warnings)
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    assert (URIRef(ID + "person/thongloun-sisoulith"), RDF.type, VNKG.Person) in graph


def test_a_url_with_characters_no_url_may_hold_is_kept_percent_encoded(tmp_path):
    record = {"text": LAOS_VISIT, "date": "2024-09-10", "url": 'https://tin.example.org/a"b<c>d\te f'}
    (tmp_path / "tin.jsonl").write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    result = build_corpus([tmp_path])
    write_outputs(result, tmp_path / "out")
    assert result.counts() == (1, 0), [a.error for a in result.articles]
    graph = Graph().parse(tmp_path / "out" / "graph.ttl")
    urls = set(graph.objects(None, SCHEMA.url))
    assert urls == {URIRef("https://tin.example.org/a%22b%3Cc%3Ed%09e%20f")}


def test_a_long_article_under_the_input_limit_is_built(tmp_path):
    """A 1 MB text is within the 5 MiB an article may have: spaCy's own length limit must not refuse it."""
    (tmp_path / "dai.txt").write_text("Hai bên nhất trí tăng cường hợp tác kinh tế. " * 23_000, encoding="utf-8")
    (tmp_path / "lao.txt").write_text(LAOS_VISIT, encoding="utf-8")
    result = build_corpus([tmp_path])
    rows = {a.source_file: a for a in result.articles}
    assert rows["lao.txt"].status == "ok" and rows["dai.txt"].status == "ok"


def test_an_article_over_the_pipelines_length_limit_is_an_input_error():
    """A text longer than the pipeline takes is one input error naming the article, not a dead build."""
    from kg.article import Article, digest_of
    from kg.step import Builder

    builder = Builder()
    builder.nlp.max_length = 1_000
    text = "Hai bên nhất trí tăng cường hợp tác kinh tế. " * 100
    row = builder.process(Article("dai.txt", "dai.txt", text, digest=digest_of(text))).report
    assert row.error_kind == "TooLargeError"
    assert "dai.txt" in row.error and "characters" in row.error and "E088" not in row.error
    ok = builder.process(Article("lao.txt", "lao.txt", LAOS_VISIT, digest=digest_of(LAOS_VISIT))).report
    assert ok.status == "ok"


def test_an_article_over_the_time_limit_is_reported_and_the_next_one_built():
    from kg.article import Article, digest_of
    from kg.step import Builder

    def article(name: str, text: str) -> Article:
        return Article(name, name, text, digest=digest_of(text))

    builder = Builder(time_limit=0.05)
    slow = builder.process(article("cham.txt", LAOS_VISIT * 300))
    assert slow.report.status == "error" and slow.report.error_kind == "TooSlowError"
    assert "cham.txt" in slow.report.error and "--time-limit" in slow.report.error and not slow.lines
    builder.time_limit = 30
    fine = builder.process(article("lao.txt", LAOS_VISIT))
    assert fine.report.status == "ok" and fine.lines


def test_the_same_text_in_two_files_is_one_article_with_both_file_names(tmp_path):
    for name in ("a_lao.txt", "b_ban_sao.txt"):
        (tmp_path / name).write_text(LAOS_VISIT, encoding="utf-8")
    result = build_corpus([tmp_path], validate=True)
    assert result.violations == []
    first, second = result.articles
    assert first.status == second.status == "ok" and first.iri == second.iri
    assert second.same_text_as == str(tmp_path / "a_lao.txt") and first.same_text_as is None
    graph = result.graph
    (article,) = graph.subjects(RDF.type, SCHEMA.NewsArticle)
    assert {str(f) for f in graph.objects(article, VNKG.sourceFile)} == {"a_lao.txt", "b_ban_sao.txt"}
    assert result.totals()["same_text"] == 1
    result.close()


def test_control_and_invisible_characters_never_reach_names_or_xml():
    from xml.etree import ElementTree

    import kg

    text = LAOS_VISIT.replace("Thongloun", "Thong\x7floun").replace("Sisoulith", "Sisou\u200flith")
    graph = kg.extract(text + " Ông\x01 nói\x1b.", date="2024-09-10", title="Lào\x0b thăm \u202eViệt Nam\x00")
    people = {str(o) for s in graph.subjects(RDF.type, VNKG.Person) for o in graph.objects(s, RDFS.label)}
    assert "Thongloun Sisoulith" in people and not any(p.startswith("Thong ") or p == "Thong" for p in people)
    ElementTree.fromstring(graph.serialize(format="xml"))  # well-formed XML
    headline = next(graph.objects(None, SCHEMA.headline))
    assert str(headline) == "Lào thăm Việt Nam"


# ---------------------------------------------------------------- the Python API


def test_kg_build_gives_the_graph_with_its_report(inputs):
    import kg

    graph = kg.build(inputs)
    assert isinstance(graph, Graph) and len(graph) > 50
    report = graph.report
    assert report.counts() == (3, len(BAD) + 1)
    assert {a.source_file for a in report.failed} >= set(BAD)
    assert report.totals()["graph"]["entities"]["person"] >= 2


@pytest.mark.parametrize("given", [[], ()])
def test_kg_build_of_nothing_says_what_to_give(given):
    import kg
    from kg.errors import ArgumentError

    with pytest.raises(ArgumentError, match="no input given; give a file or folder"):
        kg.build(given)


def test_kg_build_that_builds_nothing_names_each_input_and_its_problem(tmp_path):
    import kg
    from kg.errors import NothingBuiltError

    (tmp_path / "rong.txt").write_bytes(b"")
    with pytest.raises(NothingBuiltError) as caught:
        kg.build([tmp_path / "rong.txt", tmp_path / "khong_co.txt"])
    message = str(caught.value)
    assert "rong.txt: is empty" in message and "khong_co.txt: does not exist" in message


@pytest.mark.parametrize("date", [dt.date(2024, 9, 10), dt.datetime(2024, 9, 10, 8, 30), "2024-09-10",
                                  "10/09/2024", "2024-09-10T08:30:00+07:00"])
def test_kg_extract_takes_a_date_in_every_usual_form(date):
    import kg

    graph = kg.extract(LAOS_VISIT.replace(" từ ngày 12 đến ngày 13/9/2024", " từ ngày 12 đến ngày 13/9"), date=date)
    starts = {str(o) for o in graph.objects(None, VNKG.startDate)}
    assert starts == {"2024-09-12"}


@pytest.mark.parametrize("date, problem", [("31/02/2024", "'31/02/2024' is not a date"),
                                           ("hôm qua", "'hôm qua' is not a date"), (20240910, "not int")])
def test_kg_extract_says_what_is_wrong_with_a_date(date, problem):
    import kg
    from kg.errors import ArgumentError

    with pytest.raises(ArgumentError, match=problem):
        kg.extract(LAOS_VISIT, date=date)


def test_outputs_are_replaced_together_or_not_at_all(built, tmp_path, old_graph):
    """The store cannot be written (a folder that is not a store): graph.ttl and report.json stay the old ones."""
    from kg.errors import OutputPathError

    result = built[0]
    (tmp_path / "not-a-store").mkdir()
    (tmp_path / "not-a-store" / "notes.txt").write_text("mine", encoding="utf-8")
    (old_graph.parent / "report.json").write_text("{}\n", encoding="utf-8")
    with pytest.raises(OutputPathError, match="not an Oxigraph store"):
        write_outputs(result, old_graph.parent, store=tmp_path / "not-a-store")
    assert old_graph.read_text(encoding="utf-8") == OLD
    assert (old_graph.parent / "report.json").read_text(encoding="utf-8") == "{}\n"
    assert sorted(p.name for p in old_graph.parent.iterdir()) == ["graph.ttl", "not-a-store", "report.json"]


def test_kg_build_of_a_folder_with_no_articles_says_so(tmp_path):
    import kg
    from kg.errors import NothingBuiltError

    (tmp_path / "notes.md").write_text("# không phải bài báo\n", encoding="utf-8")
    with pytest.raises(NothingBuiltError, match=f"no article could be built: no article found in {tmp_path}$"):
        kg.build(tmp_path)
