"""kg.nlp.dates: the dates Vietnamese news writes, as partial dates with the right precision and year."""
from __future__ import annotations

import calendar
import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from kg.nlp.dates import DateMention, DateReader, PartialDate, with_year
from kg.nlp.lexicon import load_lexicon
from kg.resources import ontology_dir

READER = DateReader(load_lexicon(ontology_dir() / "rules"))
find_dates = READER.find


def only(text: str) -> DateMention:
    found = find_dates(text)
    assert len(found) == 1, [text[m.start:m.end] for m in found]
    return found[0]


@pytest.mark.parametrize("sentence, expression, first, last", [
    ("Tổng thống Hàn Quốc sẽ thăm Việt Nam từ ngày 23 đến ngày 25/3, theo lời mời của Chủ tịch nước.",
     "ngày 23 đến ngày 25/3", PartialDate(None, 3, 23), PartialDate(None, 3, 25)),
    ("Thủ tướng Nhật Bản thăm chính thức Việt Nam trong các ngày 24 - 25.4, theo Bộ Ngoại giao.",
     "24 - 25.4", PartialDate(None, 4, 24), PartialDate(None, 4, 25)),
    ("Tổng thống Indonesia thăm cấp nhà nước tới Việt Nam từ 26-27/1 theo lời mời.",
     "26-27/1", PartialDate(None, 1, 26), PartialDate(None, 1, 27)),
    ("Đoàn đại biểu Quốc hội Ấn Độ làm việc tại Hà Nội từ ngày 30/1 đến ngày 2/2.",
     "ngày 30/1 đến ngày 2/2", PartialDate(None, 1, 30), PartialDate(None, 2, 2)),
    ("Hội nghị diễn ra trong hai ngày 24-25/12/2023 tại Jakarta.",
     "24-25/12/2023", PartialDate(2023, 12, 24), PartialDate(2023, 12, 25)),
    ("Hai Bộ trưởng gặp nhau ngày 14 và 15/6 bên lề hội nghị.",
     "14 và 15/6", PartialDate(None, 6, 14), PartialDate(None, 6, 15)),
])
def test_find_dates_reads_ranges(sentence, expression, first, last):
    mention = only(sentence)
    assert expression in sentence[mention.start:mention.end]
    assert (mention.first, mention.last) == (first, last)


@pytest.mark.parametrize("sentence, expression, date, lexical, xsd", [
    ("Thủ tướng Australia sáng 6/1 hội đàm với Thủ tướng Việt Nam.", "6/1", PartialDate(None, 1, 6), "--01-06",
     "gMonthDay"),
    ("Chiều 13/2, tại Seoul, Tổng thống Hàn Quốc tiếp Đại sứ Việt Nam.", "13/2", PartialDate(None, 2, 13),
     "--02-13", "gMonthDay"),
    ("Hiệp định được ký ngày 15/8/2023 tại Tokyo.", "15/8/2023", PartialDate(2023, 8, 15), "2023-08-15", "date"),
    ("Hai nước ký Bản ghi nhớ hợp tác (9/2024) về năng lượng.", "9/2024", PartialDate(2024, 9, None), "2024-09",
     "gYearMonth"),
    ("Dự án sẽ hoàn thành vào 12/2025 theo kế hoạch.", "12/2025", PartialDate(2025, 12, None), "2025-12",
     "gYearMonth"),
    ("Hai nước thiết lập quan hệ ngoại giao năm 1962.", "năm 1962", PartialDate(1962, None, None), "1962", "gYear"),
    ("Đoàn Singapore đến Hà Nội ngày 5.2 để chuẩn bị hội nghị.", "5.2", PartialDate(None, 2, 5), "--02-05",
     "gMonthDay"),
    ("Năm 2024, thương mại song phương tăng mạnh.", "Năm 2024", PartialDate(2024, None, None), "2024", "gYear"),
])
def test_find_dates_reads_single_dates_with_their_precision(sentence, expression, date, lexical, xsd):
    mention = only(sentence)
    assert expression in sentence[mention.start:mention.end]
    assert mention.first == date and mention.last is None
    assert (mention.first.lexical, mention.first.xsd) == (lexical, xsd)


@pytest.mark.parametrize("sentence", [
    "Kim ngạch thương mại song phương đạt 2,25 tỷ USD.",
    "Xuất khẩu sang Hàn Quốc tăng 25.4% so với cùng kỳ.",
    "Hàn Quốc có 1.160 dự án đầu tư tại Việt Nam.",
    "Chỉ số PMI đạt 53,8 điểm trong tháng.",
    "Văn bản số 1551 được gửi các bộ.",
    "Giai đoạn 2026 - 2030 hai bên tập trung vào hạ tầng.",
    "Đội tuyển thắng với tỷ số 2-1.",
    "Giá tăng 25.4 lần sau mười năm.",
])
def test_find_dates_ignores_numbers_that_are_not_dates(sentence):
    assert find_dates(sentence) == []


@pytest.mark.parametrize("sentence", ["Hội nghị họp ngày 12/13.", "Ngày 0/4 không tồn tại.", "Số liệu 5/0 sai."])
def test_find_dates_ignores_impossible_months_and_days(sentence):
    assert find_dates(sentence) == []


@pytest.mark.parametrize("sentence", ["Đoàn tới Seoul ngày 31/4.", "Hội nghị khai mạc ngày 30/2."])
def test_find_dates_ignores_days_the_month_does_not_have(sentence):
    assert find_dates(sentence) == []


def test_find_dates_reads_a_range_with_a_year_on_both_ends():
    mention = only("Đoàn công tác ở Nhật Bản từ 30/12/2024 đến 2/1/2025.")
    assert (mention.first, mention.last) == (PartialDate(2024, 12, 30), PartialDate(2025, 1, 2))


def test_find_dates_returns_mentions_in_order_without_overlap():
    text = ("Năm 2023, hai nước ký hiệp định. Sáng 6/1, Thủ tướng Thái Lan tới Hà Nội; "
            "từ ngày 30/1 đến ngày 2/2 đoàn thăm Đà Nẵng. Hiệp định (9/2024) có hiệu lực ngày 15/8/2023.")
    found = find_dates(text)
    assert [m.first.lexical for m in found] == ["2023", "--01-06", "--01-30", "2024-09", "2023-08-15"]
    assert found[2].last == PartialDate(None, 2, 2)
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start


# ---------------------------------------------------------------- with_year


@pytest.mark.parametrize("date, anchor, year", [
    (PartialDate(None, 12, 25), dt.date(2025, 1, 5), 2024),  # December, told in January: last year
    (PartialDate(None, 1, 6), dt.date(2024, 12, 28), 2025),  # January, told in late December: next year
    (PartialDate(None, 1, 6), dt.date(2025, 1, 10), 2025),
    (PartialDate(None, 6, 1), dt.date(2025, 1, 10), 2025),
    (PartialDate(None, 3, 23), dt.date(2013, 3, 18), 2013),
    (PartialDate(None, 2, 29), dt.date(2024, 3, 2), 2024),
])
def test_with_year_picks_the_year_nearest_the_article_date(date, anchor, year):
    dated = with_year(date, anchor)
    assert (dated.year, dated.month, dated.day) == (year, date.month, date.day)
    assert dated.note
    assert dated.xsd == "date" and dated.lexical.startswith(f"{year}-")


@pytest.mark.parametrize("date", [PartialDate(None, 12, 25), PartialDate(None, 4, 24)])
def test_with_year_leaves_a_month_day_alone_without_an_article_date(date):
    dated = with_year(date, None)
    assert dated == date
    assert dated.xsd == "gMonthDay"


def test_with_year_uses_an_explicit_year_when_there_is_no_article_date():
    assert with_year(PartialDate(None, 4, 24), None, anchor_year=2025).lexical == "2025-04-24"


@pytest.mark.parametrize("date", [PartialDate(2023, 8, 15), PartialDate(2024, 9, None), PartialDate(1962)])
def test_with_year_keeps_a_written_year(date):
    assert with_year(date, dt.date(2025, 1, 5)) == date


def test_with_year_gives_both_ends_of_a_range_across_new_year_their_own_year():
    mention = only("Đoàn công tác ở Nhật Bản từ 30/12 đến 2/1.")
    anchor = dt.date(2024, 12, 20)
    assert with_year(mention.first, anchor).lexical == "2024-12-30"
    assert with_year(mention.last, anchor).lexical == "2025-01-02"


def test_partial_date_without_parts_has_no_lexical_form():
    with pytest.raises(ValueError):
        PartialDate().lexical


# ---------------------------------------------------------------- properties

date_words = st.sampled_from(["ngày ", "sáng ", "chiều ", "từ ", "đến ", "năm ", "tháng ", "(", ")", " - ", "/", ".",
                              ",", " ", "tỷ ", "% ", "và "])
number = st.integers(0, 2100).map(str)
date_text = st.lists(st.one_of(date_words, number), max_size=30).map("".join)


@settings(max_examples=300, deadline=None)
@given(date_text)
def test_find_dates_mentions_are_ordered_disjoint_and_well_formed(text):
    found = find_dates(text)
    for a, b in zip(found, found[1:]):
        assert a.end <= b.start
    for m in found:
        assert 0 <= m.start < m.end <= len(text)
        for date in (m.first, m.last):
            if date is None:
                continue
            assert date.month is None or 1 <= date.month <= 12
            assert date.day is None or 1 <= date.day <= 31
            assert date.lexical and date.xsd in {"date", "gMonthDay", "gYearMonth", "gYear"}
            assert str(date.day or "") in text[m.start:m.end] and str(date.month or "") in text[m.start:m.end]


@settings(max_examples=300, deadline=None)
@example(2, 29, dt.date(2026, 3, 1))
@given(st.integers(1, 12), st.integers(1, 31), st.dates(dt.date(1990, 1, 1), dt.date(2090, 12, 31)))
def test_with_year_result_is_a_real_date_within_a_year_of_the_article(month, day, anchor):
    if day > calendar.monthrange(2000, month)[1]:
        return
    dated = with_year(PartialDate(None, month, day), anchor)
    if dated.year is None:  # 29/2 with no leap year among last, this and next year
        assert (month, day) == (2, 29) and not any(calendar.isleap(y) for y in range(anchor.year - 1, anchor.year + 2))
        return
    real = dt.date.fromisoformat(dated.lexical)
    assert real.year in {anchor.year - 1, anchor.year, anchor.year + 1}
    if (month, day) != (2, 29):
        assert abs((real - anchor).days) <= 184  # half a year and a day, at most


# ---------------------------------------------------------------- days named relative to the article

@pytest.mark.parametrize("sentence, published, day", [
    ("Chiều nay, Thủ tướng tiếp Bộ trưởng Ngoại giao Ai Cập tại trụ sở Chính phủ.", dt.date(2024, 3, 5), "2024-03-05"),
    ("Tối qua, đoàn đại biểu Quốc hội đã tới thủ đô Viêng Chăn.", dt.date(2024, 3, 1), "2024-02-29"),
    ("Hôm nay (12/6), hai Bộ trưởng sẽ ký kết bản ghi nhớ.", dt.date(2019, 6, 12), "--06-12"),
    ("Sáng mai, Chủ tịch Quốc hội sẽ lên đường thăm Hungary.", dt.date(2023, 12, 31), "2024-01-01"),
])
def test_find_dates_reads_days_relative_to_the_article(sentence, published, day):
    found = find_dates(sentence, published)
    assert found[0].first.lexical == day


def test_relative_days_need_the_article_date():
    assert find_dates("Chiều nay, Thủ tướng tiếp Đại sứ Pháp.") == []


@pytest.mark.parametrize("sentence, first, last", [
    ("Chủ tịch nước sẽ thăm chính thức Hàn Quốc từ ngày 4 đến 6-12 theo lời mời của Tổng thống.",
     PartialDate(None, 12, 4), PartialDate(None, 12, 6)),
    ("Tối 9-11, hai nhà lãnh đạo gặp lại nhau tại Hà Nội.", PartialDate(None, 11, 9), None),
    ("Chiều qua 7.9, tại trụ sở Trung ương Đảng, Tổng Bí thư tiếp đoàn đại biểu.", PartialDate(None, 9, 7), None),
])
def test_find_dates_reads_days_written_with_a_dash_or_after_a_relative_word(sentence, first, last):
    found = find_dates(sentence)
    assert (found[0].first, found[0].last) == (first, last)


# ---------------------------------------------------------------- reading only near digits

WHOLE_TEXT = DateReader(load_lexicon(ontology_dir() / "rules"))
WHOLE_TEXT.reach = 10 ** 9  # every pattern over the whole text: what the stretches near digits must equal

filler = st.sampled_from(["Thủ tướng ", "hội đàm với ", "Tổng thống Hàn Quốc ", "tại Hà Nội. ", "\n", "hai bên ",
                          "nhất trí tăng cường hợp tác kinh tế, thương mại và đầu tư giữa hai nước ", "chiều tối ",
                          "hôm nay ", "hôm qua ", "ngày mai ", "trong các ngày ", "rạng sáng ", "đến ngày "])
long_date_text = st.lists(st.one_of(filler, date_words, number), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@example("chiều tối hôm nay ngày 6/1")
@example("Hai bên hội đàm. " * 8 + "trong các ngày 24 - 25.4 và từ ngày 11 đến ngày 15 tháng 10 năm 2024")
@example("rạng sáng hôm qua ngày 30/12/2024 đến ngày 2/1/2025, " + "hợp tác " * 20 + "từ ngày 4 đến 6-12")
@example("Rạng sáng " + "Thủ tướng hội đàm với Tổng thống. " * 6 + "chiều tối hôm qua ngày 6/1 và năm 2024")
@given(long_date_text)
def test_find_dates_near_digits_finds_what_a_scan_of_the_whole_text_finds(text):
    anchor = dt.date(2024, 5, 1)
    assert READER.find(text, anchor) == WHOLE_TEXT.find(text, anchor)


def test_find_dates_reads_dates_far_apart_in_a_long_article():
    text = ("Chiều tối hôm qua ngày 6/1, Thủ tướng hội đàm với Tổng thống. "
            + "Hai bên nhất trí tăng cường hợp tác kinh tế, thương mại và đầu tư. " * 20
            + "Hội nghị tiếp theo diễn ra trong các ngày 24 - 25.4 năm 2025")
    found = [(text[d.start:d.end], d.first.lexical) for d in find_dates(text)]
    assert found == [("Chiều tối hôm qua ngày 6/1", "--01-06"), ("trong các ngày 24 - 25.4", "--04-24"),
                     ("năm 2025", "2025")]


def test_relative_days_are_read_whatever_their_case():
    found = find_dates("HÔM NAY, hai Bộ trưởng ký bản ghi nhớ.", dt.date(2024, 3, 5))
    assert [d.first.lexical for d in found] == ["2024-03-05"]
