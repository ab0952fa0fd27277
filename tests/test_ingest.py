"""kg.ingest: every shape of input file becomes Articles, or errors that name the file."""
from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import random
import tempfile
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.article import Article, DroppedSpan, digest_of
from kg.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingProblem,
    InputError,
    MalformedRecordError,
    TooLargeError,
    UnsupportedInputError,
)
from kg.ingest import SUPPORTED_SUFFIXES, iter_files, read_articles

REPO = Path(__file__).resolve().parents[1]
# The shared sample corpus (read-only) sits beside the repository; data/articles is the repository's copy of it.
SEEDS = next(p for p in (REPO.parent / "shared/corpus/seeds", Path("/work/shared/corpus/seeds"), REPO / "data/articles")
             if p.is_dir())
SENTENCE = "Chủ tịch nước Lương Cường sẽ thăm Lào"
BODY = "Theo thông báo của Bộ Ngoại giao, Chủ tịch nước Lương Cường sẽ thăm Lào.\n"


def write(folder: Path, name: str, data: str | bytes) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def read(*paths: Path | str, **kwargs) -> tuple[list[Article], list[InputError]]:
    results = list(read_articles(list(paths), **kwargs))
    return ([r for r in results if isinstance(r, Article)], [r for r in results if isinstance(r, InputError)])


def read_one(path: Path, **kwargs) -> Article:
    articles, errors = read(path, **kwargs)
    assert errors == [] and len(articles) == 1, errors
    return articles[0]


def cp1258(text: str) -> bytes:
    """Text as Windows Vietnamese writes it: tone marks as separate combining bytes."""
    out = bytearray()
    for ch in text:
        try:
            out += ch.encode("cp1258")
        except UnicodeEncodeError:
            parts = unicodedata.normalize("NFD", ch)
            base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in "\u0300\u0301\u0303\u0309\u0323"))
            out += (base + "".join(c for c in parts if c in "\u0300\u0301\u0303\u0309\u0323")).encode("cp1258")
    return bytes(out)


# --------------------------------------------------------------------------- .txt

@pytest.mark.parametrize(
    ("header", "date", "publisher"),
    [
        (" date 2026-01-30 (VTC News) -", dt.date(2026, 1, 30), "VTC News"),
        ("date: 2026-01-30", dt.date(2026, 1, 30), None),
        (" date 30/01/2026 (Tuổi Trẻ) -", dt.date(2026, 1, 30), "Tuổi Trẻ"),
        ("Date: 5/2/2026 (VnExpress)", dt.date(2026, 2, 5), "VnExpress"),
    ],
)
def test_txt_header_line_sets_date_and_publisher_and_is_dropped(tmp_path, header, date, publisher):
    rest = "\n" + BODY
    path = write(tmp_path, "004.txt", header + "\n" + rest)

    article = read_one(path)

    assert article.date == date
    assert article.publisher == publisher
    assert article.text == rest
    assert article.dropped == (DroppedSpan("header", header),)
    assert article.title is None
    assert (article.source_file, article.path, article.line) == ("004.txt", str(path), None)
    assert article.encoding == "utf-8" and article.warnings == ()
    assert article.digest == digest_of(rest)


@pytest.mark.parametrize(
    "raw",
    [
        "  Tiêu đề có khoảng trắng  \r\n\r\nĐoạn một.\u00a0\tĐoạn hai.\n\n\n",
        unicodedata.normalize("NFD", SENTENCE) + "\n",  # decomposed tone marks stay as they are
        "Ngày 30/01/2026, tại Hà Nội, hai bên đã ký kết.\n",  # a dateline in prose is not a header
    ],
)
def test_txt_text_is_kept_exactly_as_decoded(tmp_path, raw):
    article = read_one(write(tmp_path, "a.txt", raw))

    assert article.text == raw
    assert article.dropped == () and article.date is None


def test_txt_header_under_a_headline_is_read_and_the_headline_kept(tmp_path):
    title = "Việt Nam - Australia nâng cấp quan hệ lên Đối tác Chiến lược toàn diện"
    article = read_one(write(tmp_path, "a.txt", title + "\n date 2024-03-07 (VietnamPlus) -\n" + BODY))

    assert (article.date, article.publisher) == (dt.date(2024, 3, 7), "VietnamPlus")
    assert article.text == title + "\n" + BODY
    assert article.dropped == (DroppedSpan("header", " date 2024-03-07 (VietnamPlus) -"),)


def test_txt_header_with_impossible_date_keeps_publisher_and_warns(tmp_path):
    article = read_one(write(tmp_path, "a.txt", " date 2026-02-30 (VTC News) -\n" + BODY))

    assert article.date is None and article.publisher == "VTC News"
    assert article.text == BODY
    assert any("2026-02-30" in w for w in article.warnings)


def test_txt_with_only_a_header_is_empty(tmp_path):
    articles, errors = read(write(tmp_path, "a.txt", " date 2026-01-30 (VTC News) -\n\n"))

    assert articles == []
    assert [type(e) for e in errors] == [EmptyInputError] and "a.txt" in str(errors[0])


# --------------------------------------------------------------------------- walking

def test_folder_walk_is_sorted_recursive_and_skips_hidden_and_unknown_files(tmp_path):
    for name in ["b.txt", "a/z.txt", "a/c.jsonl", "a/b/y.html", "C.TXT", ".hidden.txt", ".git/x.txt",
                 "notes.md", "scan.pdf", "a/.cache/q.txt"]:
        write(tmp_path, name, "<p>Bài viết.</p>" if name.endswith(".html") else '{"text": "Bài viết."}'
              if name.endswith(".jsonl") else "Bài viết.\n")

    found = [p.relative_to(tmp_path).as_posix() for p in iter_files([tmp_path])]
    articles, errors = read(tmp_path)

    assert found == ["C.TXT", "a/b/y.html", "a/c.jsonl", "a/z.txt", "b.txt"]
    assert errors == []
    assert [a.path for a in articles] == [str(tmp_path / f) for f in found]


def test_paths_are_read_in_the_order_given(tmp_path):
    write(tmp_path, "in/a.txt", "Bài A.\n")
    second = write(tmp_path, "z.txt", "Bài Z.\n")

    articles, _ = read(second, tmp_path / "in")

    assert [a.source_file for a in articles] == ["z.txt", "a.txt"]


def test_explicitly_given_unsupported_file_is_an_error(tmp_path):
    path = write(tmp_path, "notes.md", "# Ghi chú\n")

    articles, errors = read(path)

    assert articles == []
    assert [type(e) for e in errors] == [UnsupportedInputError]
    assert str(path) in str(errors[0]) and ".md" in str(errors[0])
    assert list(iter_files([path])) == [path]


def test_missing_path_is_unsupported_input(tmp_path):
    missing = tmp_path / "khong-co.txt"

    articles, errors = read(missing)

    assert articles == []
    assert [type(e) for e in errors] == [UnsupportedInputError]
    assert str(missing) in str(errors[0]) and "does not exist" in str(errors[0])


@pytest.mark.parametrize(("paths", "kwargs", "error"), [("data/articles", {}, TypeError),
                                                        (Path("data"), {}, TypeError),
                                                        (["data/articles"], {"max_bytes": 0}, ValueError),
                                                        (["data/articles"], {"max_bytes": -1}, ValueError)])
def test_programming_errors_raise_at_once(paths, kwargs, error):
    with pytest.raises(error):
        read_articles(paths, **kwargs)


def test_supported_suffixes_are_the_documented_ones():
    assert set(SUPPORTED_SUFFIXES) == {".txt", ".text", ".jsonl", ".ndjson", ".html", ".htm"}


# --------------------------------------------------------------------------- .jsonl

def test_jsonl_good_lines_come_through_and_each_bad_line_is_reported(tmp_path):
    good = {"text": "Thủ tướng Phạm Minh Chính hội đàm với Thủ tướng Lào.", "title": "Hội đàm",
            "date": "2026-01-06T09:30:00+07:00", "url": "https://example.vn/a", "source": "Báo Tin tức",
            "author": "Minh Anh"}
    lines = [
        json.dumps(good, ensure_ascii=False),         # 1
        "",                                           # 2 blank: skipped
        '{"text": "Câu bị cắt',                       # 3 not JSON
        '{"title": "Không có nội dung"}',             # 4 no text
        "[1, 2, 3]",                                  # 5 not an object
        '{"text": ""}',                               # 6 empty text
        '{"text": 42}',                               # 7 text not a string
        "   ",                                        # 8 blank: skipped
        json.dumps({"text": "Bài thứ hai."}),         # 9
    ]
    path = write(tmp_path, "batch.jsonl", "\n".join(lines) + "\n")

    articles, errors = read(path)

    assert [(a.line, a.text) for a in articles] == [(1, good["text"]), (9, "Bài thứ hai.")]
    first = articles[0]
    assert (first.title, first.date, first.url, first.publisher, first.author) == (
        "Hội đàm", dt.date(2026, 1, 6), "https://example.vn/a", "Báo Tin tức", "Minh Anh")
    assert (first.source_file, first.path, first.where) == ("batch.jsonl", str(path), f"{path}:1")
    assert first.digest == digest_of(good["text"])
    assert [(type(e), e.line) for e in errors] == [(MalformedRecordError, n) for n in (3, 4, 5, 6, 7)]
    for error in errors:
        assert f"{path}:{error.line}:" in str(error)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026-01-30", dt.date(2026, 1, 30)),
        ("2026-01-30T23:15:00+07:00", dt.date(2026, 1, 30)),
        ("2026-01-30 08:15", dt.date(2026, 1, 30)),
        ("30/1/2026", dt.date(2026, 1, 30)),
        ("30/01/2026 10:00", dt.date(2026, 1, 30)),
    ],
)
def test_jsonl_dates_in_every_common_shape_keep_their_date(tmp_path, value, expected):
    path = write(tmp_path, "a.ndjson", json.dumps({"text": "Bài.", "date": value}) + "\n")

    assert read_one(path).date == expected


@pytest.mark.parametrize("value", ["hôm qua", "2026-13-45", 1769731200])
def test_jsonl_unreadable_date_is_a_warning_not_an_error(tmp_path, value):
    path = write(tmp_path, "a.jsonl", json.dumps({"text": "Bài.", "date": value}, ensure_ascii=False))

    article = read_one(path)

    assert article.date is None
    assert any("'date'" in w for w in article.warnings)


def test_jsonl_line_over_the_limit_is_too_large_and_the_rest_is_read(tmp_path):
    lines = [json.dumps({"text": "Ngắn."}), json.dumps({"text": "x" * 500}), json.dumps({"text": "Cũng ngắn."})]
    path = write(tmp_path, "a.jsonl", "\n".join(lines))

    articles, errors = read(path, max_bytes=100)

    assert [a.line for a in articles] == [1, 3]
    assert [(type(e), e.line) for e in errors] == [(TooLargeError, 2)]
    assert f"{path}:2" in str(errors[0]) and "100 bytes" in str(errors[0])


def test_jsonl_file_over_a_hundred_times_the_limit_is_too_large(tmp_path):
    path = write(tmp_path, "a.jsonl", (json.dumps({"text": "Bài."}) + "\n") * 100)

    articles, errors = read(path, max_bytes=10)

    assert articles == []
    assert [type(e) for e in errors] == [TooLargeError] and str(path) in str(errors[0])


@pytest.mark.parametrize(("data", "error"), [(b"", EmptyInputError), (b"\n \n\r\n", EmptyInputError),
                                             (b"\x1f\x8b\x08\x00" + bytes(40), BinaryInputError)])
def test_jsonl_file_with_no_records_is_one_error(tmp_path, data, error):
    path = write(tmp_path, "a.jsonl", data)

    articles, errors = read(path)

    assert articles == [] and [type(e) for e in errors] == [error]
    assert str(path) in str(errors[0])


# --------------------------------------------------------------------------- .html

NEWS_PAGE = """<!DOCTYPE html>
<html lang="vi"><head>
<meta charset="utf-8">
<title>Chủ tịch nước thăm Lào - VTC News</title>
<meta property="og:title" content="Chủ tịch nước Lương Cường thăm cấp Nhà nước Lào">
<meta property="og:site_name" content="VTC News">
<meta property="og:url" content="https://vtc.vn/og-url.html">
<link rel="canonical" href="https://vtc.vn/chu-tich-nuoc-tham-lao.html">
<meta property="article:published_time" content="2026-01-30T08:15:00+07:00">
<meta name="author" content="Minh Anh">
<style>p { color: red }</style>
<script>var tracking = "không phải bài";</script>
</head><body>
<header><div class="logo">VTC News</div></header>
<nav class="main-menu"><ul><li><a href="/">Trang chủ</a></li><li><a href="/the-gioi">Thế giới</a></li></ul></nav>
<div class="breadcrumb"><a href="/">Thời sự</a> › <a href="/ngoai-giao">Ngoại giao</a></div>
<article>
  <h1>Chủ tịch nước Lương Cường thăm cấp Nhà nước Lào</h1>
  <div class="social-share"><a href="#">Chia sẻ Facebook</a></div>
  <p>Theo thông báo của Bộ Ngoại giao, Chủ tịch nước Lương Cường
     sẽ thăm cấp Nhà nước Lào   từ ngày 5/2.</p>
  <figure><img src="a.jpg"><figcaption>Chủ tịch nước Lương Cường. (Ảnh: TTXVN)</figcaption></figure>
  <p>Chuyến thăm nhằm <b>tăng cường</b> quan hệ hữu nghị vĩ đại,<br>đoàn kết đặc biệt Việt Nam - Lào.</p>
  <div class="ads-banner">Quảng cáo: vay tiêu dùng lãi suất thấp</div>
  <h2>Hợp tác kinh tế</h2>
  <p>Kim ngạch thương mại hai chiều năm 2025 đạt 2,2 tỷ USD.</p>
  <div class="related-news"><h3>Tin liên quan</h3><ul><li><a href="/x">Thủ tướng tiếp Đại sứ Lào</a></li></ul></div>
  <script>renderPoll();</script>
</article>
<aside><p>Đọc nhiều nhất: Giá vàng hôm nay tăng mạnh, người dân đổ xô đi mua.</p></aside>
<footer><p>Bản quyền thuộc về VTC News. Ghi rõ nguồn khi phát hành lại thông tin.</p></footer>
</body></html>
"""


def test_html_page_gives_exactly_the_body_paragraphs_metadata_and_caption(tmp_path):
    article = read_one(write(tmp_path, "page.html", NEWS_PAGE))

    assert article.text.split("\n") == [
        "Theo thông báo của Bộ Ngoại giao, Chủ tịch nước Lương Cường sẽ thăm cấp Nhà nước Lào từ ngày 5/2.",
        "Chuyến thăm nhằm tăng cường quan hệ hữu nghị vĩ đại,",
        "đoàn kết đặc biệt Việt Nam - Lào.",
        "Hợp tác kinh tế",
        "Kim ngạch thương mại hai chiều năm 2025 đạt 2,2 tỷ USD.",
    ]
    assert article.title == "Chủ tịch nước Lương Cường thăm cấp Nhà nước Lào"
    assert article.date == dt.date(2026, 1, 30)
    assert article.publisher == "VTC News"
    assert article.author == "Minh Anh"
    assert article.url == "https://vtc.vn/chu-tich-nuoc-tham-lao.html"
    assert article.dropped == (DroppedSpan("caption", "Chủ tịch nước Lương Cường. (Ảnh: TTXVN)"),)
    assert (article.source_file, article.line, article.encoding) == ("page.html", None, "utf-8")


DIV_PAGE = """<html><head><title>Việt Nam - Lào ký kết hợp tác | Báo Tin tức</title>
<meta property="og:site_name" content="Báo Tin tức">
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
  {"@type": "WebSite", "name": "Báo Tin tức"},
  {"@type": "NewsArticle", "datePublished": "2026-01-06T10:00:00+07:00",
   "author": [{"@type": "Person", "name": "Hà Linh"}, {"@type": "Person", "name": "Quang Huy"}]}]}</script>
</head><body>
<div id="sidebar"><p>Xem thêm: Những điểm đến hấp dẫn nhất dịp Tết Nguyên đán năm nay.</p></div>
<div class="container">
  <div class="content-detail">
    <div class="sapo">Sáng 6/1, tại Hà Nội, hai Thủ tướng đã chứng kiến lễ ký kết các văn kiện hợp tác.</div>
    <p>Thủ tướng Phạm Minh Chính và Thủ tướng Lào Sonexay Siphandone đồng chủ trì kỳ họp.</p>
    <p>Hai bên nhất trí tăng cường kết nối hai nền kinh tế, đặc biệt là giao thông.</p>
  </div>
  <div class="comment-box"><p>Bạn đọc Nguyễn Văn A: Bài viết rất hay, cảm ơn tác giả nhiều.</p></div>
</div>
</body></html>"""


def test_html_without_article_element_takes_the_densest_block_and_json_ld(tmp_path):
    article = read_one(write(tmp_path, "tin.htm", DIV_PAGE))

    assert article.text.split("\n") == [
        "Sáng 6/1, tại Hà Nội, hai Thủ tướng đã chứng kiến lễ ký kết các văn kiện hợp tác.",
        "Thủ tướng Phạm Minh Chính và Thủ tướng Lào Sonexay Siphandone đồng chủ trì kỳ họp.",
        "Hai bên nhất trí tăng cường kết nối hai nền kinh tế, đặc biệt là giao thông.",
    ]
    assert article.title == "Việt Nam - Lào ký kết hợp tác"
    assert article.date == dt.date(2026, 1, 6)
    assert article.author == "Hà Linh, Quang Huy"
    assert article.publisher == "Báo Tin tức"
    assert article.url is None and article.dropped == ()


@pytest.mark.parametrize("html", ["<html><body><nav><a>Trang chủ</a></nav><script>x()</script></body></html>",
                                  "<!-- chỉ có chú thích -->"])
def test_html_page_without_article_text_is_empty(tmp_path, html):
    path = write(tmp_path, "menu.html", html)

    articles, errors = read(path)

    assert articles == [] and [type(e) for e in errors] == [EmptyInputError]
    assert str(path) in str(errors[0])


def test_deeply_nested_html_is_read(tmp_path):
    html = "<div>" * 3000 + "<p>Đoạn văn nằm rất sâu trong trang.</p>" + "</div>" * 3000

    assert read_one(write(tmp_path, "deep.html", html)).text == "Đoạn văn nằm rất sâu trong trang."


# --------------------------------------------------------------------------- encodings

@pytest.mark.parametrize(
    ("suffix", "encode", "encoding", "warned"),
    [
        (".txt", lambda s: s.encode("utf-8"), "utf-8", False),
        (".txt", lambda s: codecs.BOM_UTF8 + s.encode("utf-8"), "utf-8-sig", False),
        (".txt", lambda s: codecs.BOM_UTF16_LE + s.encode("utf-16-le"), "utf-16-le", True),
        (".txt", lambda s: codecs.BOM_UTF16_BE + s.encode("utf-16-be"), "utf-16-be", True),
        (".txt", lambda s: codecs.BOM_UTF32_LE + s.encode("utf-32-le"), "utf-32-le", True),
        (".txt", cp1258, "cp1258", True),
        (".jsonl", lambda s: codecs.BOM_UTF16_LE + json.dumps({"text": s}, ensure_ascii=False).encode("utf-16-le"),
         "utf-16-le", True),
        (".jsonl", lambda s: cp1258(json.dumps({"text": s}, ensure_ascii=False)), "cp1258", True),
        (".html", lambda s: cp1258(f'<meta charset="windows-1258"><p>{s}</p>'), "cp1258", True),
    ],
)
def test_every_encoding_decodes_to_the_same_nfc_text(tmp_path, suffix, encode, encoding, warned):
    article = read_one(write(tmp_path, "bai" + suffix, encode(SENTENCE)))

    assert article.text == SENTENCE
    assert article.encoding == encoding
    assert (f"decoded as {encoding}" in " ".join(article.warnings)) == warned


def test_longer_cp1258_article_is_decoded(tmp_path):
    text = next(SEEDS.glob("001_*.txt")).read_text("utf-8")

    article = read_one(write(tmp_path, "cu.txt", cp1258(text)))

    assert article.text == unicodedata.normalize("NFC", text)
    assert article.encoding == "cp1258"


def test_utf8_cut_inside_its_last_character_is_read_with_a_warning(tmp_path):
    data = (SENTENCE + " người").encode("utf-8")[:-3]  # "ờ" is three bytes: keep two of them

    article = read_one(write(tmp_path, "cut.txt", data))

    assert article.text == SENTENCE + " ngư"
    assert any("truncated" in w for w in article.warnings)


def test_double_encoded_utf8_is_read_with_a_warning(tmp_path):
    mojibake = SENTENCE.encode("utf-8").decode("cp1252", errors="replace")

    article = read_one(write(tmp_path, "hong.txt", mojibake))

    assert article.text == mojibake
    assert any("double-encoded" in w for w in article.warnings)


# --------------------------------------------------------------------------- bad files

def noise(low: int, high: int, size: int) -> bytes:
    """Reproducible random bytes in [low, high)."""
    rng = random.Random(7)
    return bytes(rng.randrange(low, high) for _ in range(size))


PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89"
PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"


@pytest.mark.parametrize(
    ("name", "data", "error", "says"),
    [
        ("empty.txt", b"", EmptyInputError, "is empty"),
        ("blank.txt", b"  \n\t \r\n  ", EmptyInputError, "whitespace"),
        ("blank16.txt", codecs.BOM_UTF16_LE + " \n ".encode("utf-16-le"), EmptyInputError, "whitespace"),
        ("photo.txt", PNG, BinaryInputError, "PNG image"),
        ("report.html", PDF, BinaryInputError, "PDF document"),
        ("photo.jpg.txt", b"\xff\xd8\xff\xe0\x00\x10JFIF", BinaryInputError, "JPEG image"),
        ("word.txt", b"PK\x03\x04\x14\x00\x06\x00" + b"[Content_Types].xml word/document.xml", BinaryInputError,
         "Word document"),
        ("noise.txt", random.Random(7).randbytes(4096), BinaryInputError, "not text"),
        ("controls.txt", noise(1, 0x20, 2000), BinaryInputError, "control characters"),
        ("high.txt", noise(0x80, 0x100, 2000), EncodingProblem, "not UTF-8"),
        ("latin1.txt", "Café crème brûlée à la française, déjà vu.".encode("cp1252"), EncodingProblem,
         "not UTF-8"),
        ("big.txt", ("Chủ tịch nước " * 20).encode("utf-8"), TooLargeError, "over the limit of 100 bytes"),
    ],
)
def test_bad_file_gives_the_right_error_naming_the_file(tmp_path, name, data, error, says):
    path = write(tmp_path, name, data)

    articles, errors = read(path, max_bytes=100 if name == "big.txt" else 5 * 1024 * 1024)

    assert articles == []
    assert [type(e) for e in errors] == [error]
    assert str(errors[0]).startswith(str(path)) and says in str(errors[0])
    assert errors[0].path == str(path)


def test_encoding_problem_says_to_save_as_utf8(tmp_path):
    path = write(tmp_path, "latin1.txt", "Déjà vu à la française.".encode("cp1252"))

    _, errors = read(path)

    assert "save the file as UTF-8" in str(errors[0])


def test_too_large_file_message_states_its_size_and_the_limit(tmp_path):
    path = write(tmp_path, "big.html", b"<p>" + b"a" * 5113 + b"</p>")

    _, errors = read(path, max_bytes=1000)

    assert [type(e) for e in errors] == [TooLargeError]
    assert "is 5.0 KiB (5,120 bytes), over the limit of 1000 bytes" in str(errors[0])


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root may read any file")
def test_unreadable_file_gives_the_os_message(tmp_path):
    path = write(tmp_path, "secret.txt", BODY)
    path.chmod(0)

    _, errors = read(path)

    assert [type(e) for e in errors] == [InputError] and "Permission denied" in str(errors[0])


def test_reading_goes_on_after_every_bad_file(tmp_path):
    write(tmp_path, "01-good.txt", BODY)
    write(tmp_path, "02-empty.txt", b"")
    write(tmp_path, "03-photo.html", PNG)
    write(tmp_path, "04-batch.jsonl", '{"text": "Bài trong JSONL."}\nkhông phải JSON\n{"text": "Bài nữa."}\n')
    write(tmp_path, "05-latin.txt", "Déjà vu à la française.".encode("cp1252"))
    write(tmp_path, "06-page.html", NEWS_PAGE)
    write(tmp_path, "07-big.txt", "x" * 10_000)
    write(tmp_path, "sub/08-good.text", BODY)

    articles, errors = read(tmp_path, max_bytes=8000)

    assert [(a.source_file, a.line) for a in articles] == [
        ("01-good.txt", None), ("04-batch.jsonl", 1), ("04-batch.jsonl", 3), ("06-page.html", None),
        ("08-good.text", None)]
    assert [(Path(e.path).name, type(e)) for e in errors] == [
        ("02-empty.txt", EmptyInputError), ("03-photo.html", BinaryInputError),
        ("04-batch.jsonl", MalformedRecordError), ("05-latin.txt", EncodingProblem),
        ("07-big.txt", TooLargeError)]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".txt", ".jsonl", ".html"]))
def test_any_bytes_give_articles_or_input_errors_never_an_exception(data, suffix):
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder), "x" + suffix, data)

        results = list(read_articles([path]))

    assert results, "every file yields at least one article or error"
    assert all(isinstance(r, (Article, InputError)) for r in results)
    assert all(r.path == str(path) for r in results)


# --------------------------------------------------------------------------- the seed corpus

def test_seed_corpus_reads_all_five_articles():
    articles, errors = read(SEEDS)

    assert errors == []
    assert [a.source_file for a in articles] == sorted(p.name for p in SEEDS.glob("*.txt"))
    assert len(articles) == 5
    assert all(a.encoding == "utf-8" and a.warnings == () and a.text.strip() for a in articles)
    by_name = {a.source_file[:3]: a for a in articles}
    assert by_name["004"].date == dt.date(2026, 1, 30)
    assert by_name["004"].publisher == "VTC News"
    assert by_name["004"].dropped == (DroppedSpan("header", " date 2026-01-30 (VTC News) -"),)
    assert not by_name["004"].text.lstrip().startswith("date")
    assert len({a.digest for a in articles}) == 5


# ---------------------------------------------------------------- values that cannot reach a graph as they are


@pytest.mark.parametrize("field", ["text", "title", "author", "source"])
def test_jsonl_lone_surrogates_are_removed_with_a_warning(tmp_path, field):
    record = {"text": BODY, "title": SENTENCE}
    line = json.dumps(record, ensure_ascii=True)[:-1] + f', "{field}": "Lương \\ud800Cường \\udfff sẽ thăm Lào"}}'
    if field == "text":
        line = json.dumps({"title": SENTENCE}, ensure_ascii=True)[:-1] + ', "text": "Ch\\udc80ủ tịch nước thăm Lào."}'
    write(tmp_path, "a.jsonl", line + "\n")
    (article,) = read_articles([tmp_path])
    assert isinstance(article, Article)
    values = [article.text, article.title or "", article.author or "", article.publisher or ""]
    assert not any("\ud800" <= c <= "\udfff" for v in values for c in v)
    assert any("lone surrogate" in w for w in article.warnings)
    "".join(values).encode("utf-8")  # writable as UTF-8


@pytest.mark.parametrize("url, kept", [
    ('https://tin.example.org/a"b', "https://tin.example.org/a%22b"),
    ("https://tin.example.org/<x>", "https://tin.example.org/%3Cx%3E"),
    ("https://tin.example.org/a\tb c", "https://tin.example.org/a%09b%20c"),
    ("https://tin.example.org/việt-nam?q=1", "https://tin.example.org/việt-nam?q=1"),
])
def test_jsonl_url_characters_no_iri_may_hold_are_percent_encoded(tmp_path, url, kept):
    write(tmp_path, "a.jsonl", json.dumps({"text": BODY, "url": url}, ensure_ascii=False) + "\n")
    (article,) = read_articles([tmp_path])
    assert article.url == kept
    assert any("percent-encoded" in w for w in article.warnings) == (url != kept)


def test_a_file_name_that_is_not_utf8_is_read_and_printable(tmp_path):
    name = os.fsdecode(b"tin-\xff\xfe.txt")
    (tmp_path / name).write_text(BODY, encoding="utf-8")
    (article,) = read_articles([tmp_path])
    assert isinstance(article, Article)
    assert article.source_file == "tin-\ufffd\ufffd.txt"
    article.path.encode("utf-8")


def test_count_articles_counts_files_and_jsonl_lines(tmp_path):
    from kg.ingest import count_articles

    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.jsonl", "".join(json.dumps({"text": BODY}) + "\n" for _ in range(7)))
    write(tmp_path, "c.jsonl", json.dumps({"text": BODY}))  # no final line end
    assert count_articles([tmp_path]) == 9 == len(list(read_articles([tmp_path])))


# ---------------------------------------------------------------- a folder's manifest


def test_a_folder_manifest_fills_what_the_files_do_not_say(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "b.txt", "date 2021-03-05 (Báo Sài Gòn) -\n\n" + BODY)
    write(tmp_path, "sources.tsv",
          "file\turl\toutlet\tpublication_date\ttitle\n"
          "a.txt\thttps://tin.example.vn/a.html\tBáo Hà Nội (bản điện tử)\t2019-11-20\tChủ tịch nước thăm Lào (title from URL slug)\n"
          "b.txt\thttps://tin.example.vn/b.html\tBáo Khác\t2019-01-01\tKhác\n")
    a, b = read_articles([tmp_path])
    assert (a.date, a.publisher, a.url, a.title) == (
        dt.date(2019, 11, 20), "Báo Hà Nội", "https://tin.example.vn/a.html", "Chủ tịch nước thăm Lào")
    assert (b.date, b.publisher) == (dt.date(2021, 3, 5), "Báo Sài Gòn"), "the file's own header wins"
    assert b.url == "https://tin.example.vn/b.html", "what the header does not say still comes from the manifest"


@pytest.mark.parametrize("name, table", [
    ("meta.csv", "filename,date,headline\na.txt,2020-02-03,Hai nước ký hiệp định\n"),
    ("meta.tsv", "File\tPublished\tHeadline\na.txt\t2020-02-03 (talks date)\tHai nước ký hiệp định\n"),
])
def test_manifest_columns_are_read_by_any_of_their_usual_names(tmp_path, name, table):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, name, table)
    (article,) = read_articles([tmp_path])
    assert (article.date, article.title) == (dt.date(2020, 2, 3), "Hai nước ký hiệp định")


def test_a_table_without_a_file_column_or_unreadable_is_not_a_manifest(tmp_path, caplog):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "numbers.csv", "year,value\n2020,15\n")
    write(tmp_path, "broken.tsv", b"file\tdate\n\xff\xfe\x00a.txt\t2020-01-01\n")
    (article,) = read_articles([tmp_path])
    assert article.date is None
    assert "broken.tsv" in caplog.text, "the table that cannot be read is named"


def test_a_month_alone_in_the_manifest_dates_nothing(tmp_path):
    write(tmp_path, "a.txt", BODY)
    write(tmp_path, "m.tsv", "file\tdate\na.txt\t2012-09\n")
    (article,) = read_articles([tmp_path])
    assert article.date is None
