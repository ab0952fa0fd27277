"""kg.nlp.tokenizer: underthesea's words as a spaCy Doc whose text is exactly the article's text."""
from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.nlp.tokenizer import VietnameseTokenizer, sentence_spans


@pytest.fixture(scope="module")
def vocab():
    import spacy

    return spacy.blank("xx").vocab


@pytest.fixture(scope="module")
def tokenizer(vocab):
    return VietnameseTokenizer(vocab)


def sentences(doc) -> list[str]:
    return [sent.text.strip() for sent in doc.sents]


def assert_offsets_point_into_text(doc, text: str) -> None:
    assert doc.text == text
    for token in doc:
        assert text[token.idx:token.idx + len(token.text)] == token.text
    # tokens tile the text: each starts where the previous one (and its trailing space) ended
    cursor = 0
    for token in doc:
        assert token.idx == cursor
        cursor = token.idx + len(token.text_with_ws)
    assert cursor == len(text)


# ---------------------------------------------------------------- words


@pytest.mark.parametrize("text, words", [
    ("Thủ tướng Nhật Bản hội đàm với Tổng thống Hàn Quốc.",
     ["Thủ tướng", "Nhật Bản", "hội đàm", "với", "Tổng thống", "Hàn Quốc", "."]),
    ("Kim ngạch thương mại đạt 15 tỷ USD.", ["Kim ngạch", "thương mại", "đạt", "15", "tỷ", "USD", "."]),
])
def test_tokenizer_keeps_multi_syllable_words_as_one_token(tokenizer, text, words):
    doc = tokenizer(text)
    assert [t.text for t in doc] == words
    assert_offsets_point_into_text(doc, text)


@pytest.mark.parametrize("text", [
    "", " ", "\n", "  Ông   Kim\t tới  ", "\n\nHà Nội\n", "Hà Nội,Seoul", "ab\u00a0cd", "Hai bên\r\nký kết",
    "Ông Lee nói:“Tốt”.", "\u200b", "a\u0301", "Tổng thống  Widodo\n\n\nthăm   Việt Nam .",
])
def test_tokenizer_round_trips_odd_whitespace(tokenizer, text):
    assert_offsets_point_into_text(tokenizer(text), text)


@pytest.mark.parametrize("text, protected, pieces", [
    # a gazetteer name inside a longer capitalised run the segmenter would join
    ("Tổng thống Hàn Quốc Yoon Suk Yeol tới Hà Nội.", ["Hàn Quốc", "Yoon Suk Yeol"], ["Hàn Quốc", "Yeol"]),
    ("Tổng thống Hàn Quốc Yoon Suk Yeol tới Hà Nội.", ["Suk Yeol tới"], ["Yoon", "Suk", "tới"]),
    ("Thủ tướng Nhật Bản hội đàm.", ["Nhật Bản"], ["Nhật Bản"]),
    # a boundary between the syllables of one segmenter word splits it
    ("Thủ tướng Nhật Bản hội đàm.", ["Bản hội"], ["Nhật", "Bản", "hội", "đàm"]),
])
def test_tokenizer_never_crosses_a_protected_boundary(vocab, text, protected, pieces):
    cuts = [p for name in protected for p in (text.index(name), text.index(name) + len(name))]
    tok = VietnameseTokenizer(vocab)
    tok.protected = lambda _text: cuts
    doc = tok(text)
    assert_offsets_point_into_text(doc, text)
    for cut in cuts:
        assert not any(t.idx < cut < t.idx + len(t.text) for t in doc)
    texts = [t.text for t in doc]
    for piece in pieces:
        assert piece in texts
    for name in protected:  # an entity found on characters always aligns with tokens
        span = doc.char_span(text.index(name), text.index(name) + len(name), alignment_mode="strict")
        assert span is not None and span.text == name


def test_tokenizer_survives_a_segmenter_that_rewrites_text(vocab):
    """If the segmenter returns words that are not in the text, the Doc still holds the text exactly."""
    tok = VietnameseTokenizer(vocab, segment=lambda s: [w.upper() for w in s.split()] + ["extra"])
    text = "Hai bên ký kết hiệp định. Ông Lee phát biểu."
    doc = tok(text)
    assert_offsets_point_into_text(doc, text)
    assert [t.text for t in doc if not t.is_space][:3] == ["Hai", "bên", "ký"]


# ---------------------------------------------------------------- sentences


@pytest.mark.parametrize("text, expected", [
    ("Ông Lee tới Hà Nội. Ông Kim tới Seoul.", ["Ông Lee tới Hà Nội.", "Ông Kim tới Seoul."]),
    ("Hai bên ký kết!Không. Bạn có đồng ý không? Có.", ["Hai bên ký kết!Không.", "Bạn có đồng ý không?", "Có."]),
    ("Ông Lee nói: “Hợp tác là ưu tiên.” Hai bên nhất trí.",
     ["Ông Lee nói: “Hợp tác là ưu tiên.”", "Hai bên nhất trí."]),
    ("Hội nghị kết thúc ngày 25.4. 25 doanh nghiệp tham gia.",
     ["Hội nghị kết thúc ngày 25.4.", "25 doanh nghiệp tham gia."]),
    ("Hai bên ký kết\nÔng Lee phát biểu", ["Hai bên ký kết", "Ông Lee phát biểu"]),
    ("Dòng một.\nDòng hai. Câu ba.", ["Dòng một.", "Dòng hai.", "Câu ba."]),
])
def test_tokenizer_splits_sentences_at_stop_and_capital_and_at_newlines(tokenizer, text, expected):
    doc = tokenizer(text)
    assert sentences(doc) == expected


@pytest.mark.parametrize("text", [
    "Ban Chấp hành T.Ư. Đảng Cộng sản họp tại Hà Nội.",
    "Đoàn làm việc tại TP. Hồ Chí Minh trong hai ngày.",
    "Cựu Tổng thống George W. Bush từng thăm Hà Nội.",
    "Ông J. Smith và bà Đ. Hằng dự lễ.",
    "Hội thảo do GS. Nguyễn Văn An chủ trì.",
    "Công ty tăng vốn lên 2,5 tỷ USD trong năm 2024 và mở văn phòng ở Seoul.",
])
def test_tokenizer_does_not_split_after_abbreviations_or_initials(tokenizer, text):
    assert sentences(tokenizer(text)) == [text]


@pytest.mark.parametrize("text", [
    "Ông Lee tới Hà Nội. Ông Kim tới Seoul.\nHai bên ký kết.",
    "\n\nHai bên ký kết. Ông Lee nói.\n\n",
    "  Dòng một.  Dòng hai.",
])
def test_sentence_spans_cover_only_text_inside_the_string(text):
    spans = sentence_spans(text)
    assert spans == sorted(spans)
    for (s1, e1), (s2, _) in zip(spans, spans[1:]):
        assert e1 <= s2
    assert all(0 <= s < e <= len(text) for s, e in spans)
    # every non-space character belongs to some sentence
    covered = {i for s, e in spans for i in range(s, e)}
    assert all(i in covered for i, c in enumerate(text) if not c.isspace())


def test_tokenizer_sentence_starts_match_sentence_spans(tokenizer):
    text = "Ông Lee tới Hà Nội. Ông Kim tới Seoul.\nHai bên ký kết. Ban Chấp hành T.Ư Đảng họp."
    doc = tokenizer(text)
    starts = [sent.start_char for sent in doc.sents]
    assert starts == [s for s, _ in sentence_spans(text)]


# ---------------------------------------------------------------- properties

VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
WORDS = ["Thủ tướng", "Hàn Quốc", "Nhật Bản", "T.Ư", "TP.HCM", "TP.", "J.", "25.4", "1.160", "2,25", "ngày 6/1",
         "“", "”", "(", ")", "...", "…", "?", "!", "-", "_", "Yoon_Suk_Yeol", "U.S."]
WHITESPACE = [" ", "  ", "\n", "\n\n", "\t", "\u00a0", "\r\n", "\u2028", "\u3000", " \n "]

odd_text = st.lists(st.one_of(
    st.text(alphabet=VIETNAMESE + "0123456789.,;:", min_size=1, max_size=8),
    st.sampled_from(WORDS), st.sampled_from(WHITESPACE),
), max_size=40).map("".join)
any_text = st.one_of(odd_text, st.text(max_size=80))
TOKENIZER_SETTINGS = settings(max_examples=150, deadline=None,
                              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])


@TOKENIZER_SETTINGS
@given(text=any_text)
def test_tokenizer_doc_text_is_the_input_text(tokenizer, text):
    doc = tokenizer(text)
    assert_offsets_point_into_text(doc, text)
    if len(doc):
        assert doc[0].is_sent_start


@TOKENIZER_SETTINGS
@given(data=st.data(), text=odd_text)
def test_tokenizer_never_puts_a_protected_cut_inside_a_token(vocab, data, text):
    cuts = data.draw(st.lists(st.integers(0, len(text)), max_size=8))
    tok = VietnameseTokenizer(vocab)
    tok.protected = lambda _text: cuts
    doc = tok(text)
    assert_offsets_point_into_text(doc, text)
    for cut in cuts:
        inside = [t.text for t in doc if t.idx < cut < t.idx + len(t.text) and not t.is_space]
        assert inside == [], f"cut {cut} falls inside {inside}"
