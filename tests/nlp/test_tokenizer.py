"""kg.nlp.tokenizer: syllables everywhere, underthesea's words around trigger phrases, text kept exactly."""
from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kg.nlp.lexicon import load_lexicon
from kg.nlp.tokenizer import VietnameseTokenizer
from kg.resources import ontology_dir


@pytest.fixture(scope="module")
def vocab():
    import spacy

    return spacy.blank("xx").vocab


@pytest.fixture(scope="module")
def tokenizer(vocab):
    return VietnameseTokenizer(vocab, load_lexicon(ontology_dir() / "rules").pattern("tokenizer.triggers"))


def assert_offsets_point_into_text(doc, text: str) -> None:
    assert doc.text == text
    cursor = 0
    for token in doc:  # tokens tile the text: each starts where the previous one (and its space) ended
        assert text[token.idx:token.idx + len(token.text)] == token.text
        assert token.idx == cursor
        cursor = token.idx + len(token.text_with_ws)
    assert cursor == len(text)


@pytest.mark.parametrize("text, words", [
    ("Ông Kim tiếp Tổng thống Hàn Quốc tại Seoul.",
     ["Ông", "Kim", "tiếp", "Tổng thống", "Hàn", "Quốc", "tại", "Seoul", "."]),
    ("Đoàn đã tiếp tục chương trình làm việc.", ["Đoàn", "đã", "tiếp tục", "chương trình", "làm", "việc", "."]),
])
def test_tokenizer_joins_the_words_around_a_trigger(tokenizer, text, words):
    doc = tokenizer(text)
    assert [t.text for t in doc] == words
    assert_offsets_point_into_text(doc, text)


def test_tokenizer_splits_syllables_where_no_rule_reads_words(tokenizer):
    text = "Kim ngạch thương mại hai chiều đạt 15,2 tỷ USD."  # no verb the rules read as a word
    assert [t.text for t in tokenizer(text)] == ["Kim", "ngạch", "thương", "mại", "hai", "chiều", "đạt", "15,2",
                                                 "tỷ", "USD", "."]


@pytest.mark.parametrize("text, verb", [
    ("Hai bên tiếp tục trao đổi về hợp tác kinh tế.", "tiếp"),
    ("Đại biểu hai nước chào mừng thành công của hội nghị.", "chào"),
])
def test_a_trigger_inside_a_longer_word_does_not_stand_alone(tokenizer, text, verb):
    """'tiếp' in 'tiếp tục' and 'chào' in 'chào mừng' are not the verbs the rules look for."""
    doc = tokenizer(text)
    assert verb not in [t.text for t in doc]


def test_capitalised_syllables_stay_tokens_of_their_own(tokenizer):
    """A name's edge is never inside a token, so entity spans always align."""
    doc = tokenizer("Thủ tướng Lào Sonexay Siphandone tiếp Thủ tướng Phạm Minh Chính.")
    for token in doc:
        syllables = token.text.split(" ")
        assert not any(s[:1].isupper() for s in syllables[1:]), token.text


def test_tokenizer_without_triggers_gives_syllables(vocab):
    doc = VietnameseTokenizer(vocab, None)("Thủ tướng tiếp Tổng thống.")
    assert [t.text for t in doc] == ["Thủ", "tướng", "tiếp", "Tổng", "thống", "."]


@pytest.mark.parametrize("text", [
    "", " ", "\n", "  Ông   Kim\t tới  ", "\n\nHà Nội\n", "Hà Nội,Seoul", "ab\u00a0cd", "Hai bên\r\nký kết",
    "Ông Lee nói:“Tốt”.", "\u200b", "a\u0301", "Tổng thống  Widodo\n\n\nthăm   Việt Nam .",
    "Ngày 17-19/08/2017, Phờ-răng-xoa Ô-lăng-đơ hội đàm với S.Abe.",
])
def test_tokenizer_round_trips_odd_whitespace_and_punctuation(tokenizer, text):
    assert_offsets_point_into_text(tokenizer(text), text)


def test_tokenizer_keeps_numbers_and_hyphenated_names_whole(tokenizer):
    words = [t.text for t in tokenizer("Từ 17-19/08/2017, ông Ô-lăng-đơ thăm Việt Nam; tăng 3,5%.")]
    assert "17-19/08/2017" in words and "3,5%" in words and words[words.index("Ô") + 1] == "-"


def test_tokenizer_survives_a_segmenter_that_rewrites_text(vocab):
    def rewriting(text: str) -> list[str]:
        return [w.upper() for w in text.split()]

    tokenizer = VietnameseTokenizer(vocab, re.compile("hội đàm"), segment=rewriting)
    text = "Hai bên hội đàm tại Hà Nội."
    assert_offsets_point_into_text(tokenizer(text), text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(st.sampled_from(["hội đàm", "thăm", "tiếp", "gặp", "Hà Nội", " ", "\n", ",", "."]),
                          st.text(alphabet=list("aàăâbcdđeêghiklmnoôơpqrstuưvxyÀĂÂĐÊÔƠƯ .,;:!?-_/%()\n\t\"'0123456789"),
                                  max_size=12)), max_size=20).map("".join))
def test_tokenizer_doc_text_is_the_input_text(tokenizer, text):
    assert_offsets_point_into_text(tokenizer(text), text)


# ---------------------------------------------------------------- underthesea's model, loaded the quick way

_OWN_SENTENCES = [
    "Chủ tịch nước tiếp Đại sứ Hà Lan đến chào từ biệt nhân dịp kết thúc nhiệm kỳ công tác.",
    "Hai bên nhất trí tiếp tục thúc đẩy hợp tác thương mại, đầu tư và nông nghiệp công nghệ cao.",
    "Bộ trưởng thăm dò ý kiến doanh nghiệp về hiệp định; kim ngạch đạt 12,5 tỷ USD, tăng 8%.",
    "TP.HCM - Sáng 4/6, đoàn đại biểu Quốc hội Lào đến thăm và làm việc tại Thành phố.",
]


def _texts_to_segment() -> list[str]:
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    real = next((p / "corpus" / "real" for p in (root.parent / "shared", Path("/work/shared"))
                 if (p / "corpus" / "real").is_dir()), None)
    texts = list(_OWN_SENTENCES)
    if real is not None:
        texts += [p.read_text(encoding="utf-8") for p in sorted(real.glob("*.txt"))]
    return texts


def _segmented_by_underthesea_itself(texts: list[str], *, setup: str = "") -> list[list[str]]:
    """The words underthesea gives in a fresh process that loads its model its own way (or after `setup`)."""
    import json
    import subprocess
    import sys

    script = setup + "\nimport json, sys\nfrom underthesea import word_tokenize\n" \
        "print(json.dumps([word_tokenize(t) for t in json.load(sys.stdin)]))\n"
    done = subprocess.run([sys.executable, "-c", script], input=json.dumps(texts), capture_output=True,
                          text=True, check=True)
    return json.loads(done.stdout)


def test_the_quickly_loaded_model_segments_as_underthesea_loading_it_does():
    from underthesea.pipeline import word_tokenize as module

    from kg.nlp.tokenizer import _load_model, _underthesea

    module.word_tokenize_model = None
    _load_model.cache_clear()
    _load_model()
    assert type(module.word_tokenize_model).__name__ == "FastCRFSequenceTagger"  # loaded here, before any use
    texts = _texts_to_segment()
    ours = [_underthesea(t) for t in texts]
    assert ours == _segmented_by_underthesea_itself(texts)
    assert ["tiếp tục" in words for words in ours[:2]] == [False, True]


def test_a_model_folder_other_than_expected_is_left_to_underthesea():
    texts = _OWN_SENTENCES[:2]
    setup = ("import kg.nlp.tokenizer as t\nt._MODEL_FOLDER = ('models', 'no-such-model')\n"
             "t._load_model()\n"
             "from underthesea.pipeline import word_tokenize as m\nassert m.word_tokenize_model is None\n")
    assert _segmented_by_underthesea_itself(texts, setup=setup) == _segmented_by_underthesea_itself(texts)
