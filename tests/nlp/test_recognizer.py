"""Entities and posts on sentences written in the style of Vietnamese news (not the samples)."""
from __future__ import annotations

import pytest

from kg.nlp.pipeline import post_mentions


def persons(doc):
    return {info.name for (kind, _), info in doc._.entities.items() if kind == "person"}


def positions(doc):
    names = {key: info.name for (kind, key), info in doc._.entities.items() if kind == "person"}
    return {(names[p.person], p.title, p.country) for p in post_mentions(doc)}


def keys(doc, kind):
    return {key for (k, key) in doc._.entities if k == kind}


@pytest.mark.parametrize("text, expected", [
    ("Thủ tướng Nhật Bản Ishiba Shigeru hội đàm với Thủ tướng Phạm Minh Chính tại Tokyo.",
     {("Ishiba Shigeru", "Thủ tướng", "nhat-ban"), ("Phạm Minh Chính", "Thủ tướng", "viet-nam")}),
    ("Tổng Bí thư, Chủ tịch nước Trung Quốc Tập Cận Bình tiếp đoàn đại biểu Việt Nam.",
     {("Tập Cận Bình", "Tổng Bí thư", "trung-quoc"), ("Tập Cận Bình", "Chủ tịch nước", "trung-quoc")}),
    ("Phó Thủ tướng, Bộ trưởng Ngoại giao Bùi Thanh Sơn đã gặp các đại sứ.",
     {("Bùi Thanh Sơn", "Phó Thủ tướng", "viet-nam"), ("Bùi Thanh Sơn", "Bộ trưởng Ngoại giao", "viet-nam")}),
    ("Chủ tịch nước tiếp ông Antony Blinken, Ngoại trưởng Hoa Kỳ, đang thăm Việt Nam.",
     {("Antony Blinken", "Bộ trưởng Ngoại giao", "hoa-ky")}),
    ("Tổng thống Indonesia Joko Widodo cảm ơn sự đón tiếp. Ông Widodo khẳng định quan hệ hai nước rất tốt.",
     {("Joko Widodo", "Tổng thống", "indonesia")}),
])
def test_recognizer_finds_persons_with_their_posts(analyse, text, expected):
    assert positions(analyse(text)) == expected


def test_recognizer_unqualified_title_after_qualified_one_keeps_the_foreign_country(analyse):
    doc = analyse("Thủ tướng Campuchia Hun Manet thăm Hà Nội. Chiều cùng ngày, Thủ tướng Hun Manet gặp doanh nghiệp.")
    assert positions(doc) == {("Hun Manet", "Thủ tướng", "campuchia")}


def test_recognizer_resolves_short_name_to_the_full_name(analyse):
    doc = analyse("Tổng thống Pháp Emmanuel Macron đến Hà Nội. Ông Macron đặt vòng hoa tại Lăng Chủ tịch Hồ Chí Minh.")
    assert persons(doc) == {"Emmanuel Macron"}
    info = next(i for (k, _), i in doc._.entities.items() if k == "person")
    assert "Macron" in info.surfaces


def test_recognizer_reads_the_party_organ_as_the_party(analyse):
    doc = analyse("Nhận lời mời của Tổng Bí thư Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam Tô Lâm, "
                  "đoàn đại biểu sẽ sang thăm.")
    assert "dang-cong-san-viet-nam" in keys(doc, "organization")
    assert ("Tô Lâm", "Tổng Bí thư", "viet-nam") in positions(doc)


@pytest.mark.parametrize("text, org", [
    ("Theo thông cáo của Bộ Ngoại giao, chuyến thăm diễn ra tốt đẹp.", "bo-ngoai-giao-viet-nam"),
    ("Bộ Ngoại giao Nhật Bản ra tuyên bố hoan nghênh.", "bo-ngoai-giao-nhat-ban"),
    ("Hai nước phối hợp tại ASEAN và Liên Hợp Quốc.", "asean"),
])
def test_recognizer_finds_organizations(analyse, text, org):
    assert org in keys(analyse(text), "organization")


def test_recognizer_minister_title_names_the_ministry(analyse):
    doc = analyse("Bộ trưởng Ngoại giao Singapore Vivian Balakrishnan nhấn mạnh tầm quan trọng của ASEAN.")
    assert "bo-ngoai-giao-singapore" in keys(doc, "organization")


@pytest.mark.parametrize("text", [
    "Bài viết do phóng viên Tuấn Anh thực hiện tại Hà Nội.",
    "Ca sĩ Minh Đức biểu diễn tại buổi lễ.",
])
def test_recognizer_does_not_read_name_syllables_as_countries(analyse, text):
    countries = keys(analyse(text), "country")
    assert not countries & {"anh", "duc", "nga", "hoa-ky"}


def test_recognizer_reads_ambiguous_country_after_a_title(analyse):
    doc = analyse("Thủ tướng Anh Keir Starmer điện đàm với Thủ tướng Phạm Minh Chính.")
    assert ("Keir Starmer", "Thủ tướng", "anh") in positions(doc)


def test_recognizer_names_countries_in_all_their_forms_as_one(analyse):
    doc = analyse("Cộng hòa Dân chủ Nhân dân Lào và CHDCND Lào là một. Lào là láng giềng của Việt Nam.")
    assert keys(doc, "country") == {"lao", "viet-nam"}


def test_recognizer_needs_a_name_after_a_title(analyse):
    doc = analyse("Phó Thủ tướng tin tưởng chuyến thăm sẽ đạt nhiều kết quả. Thủ tướng Chính phủ yêu cầu các bộ khẩn trương.")
    assert persons(doc) == set()


def test_recognizer_reads_a_ministry_it_does_not_know_from_the_country_after_it(analyse):
    doc = analyse("Phó Thủ tướng gặp gỡ Bộ trưởng Cấp cao Singapore Teo Chee Hean tại Hà Nội.")
    assert ("Teo Chee Hean", "Bộ trưởng Cấp cao", "singapore") in positions(doc)


def test_recognizer_keeps_a_place_name_syllable_inside_a_person_name(analyse):
    doc = analyse("Thứ trưởng Kế hoạch và Đầu tư Trần Quốc Vinh tháp tùng đoàn.")
    assert "Trần Quốc Vinh" in persons(doc)


def test_recognizer_gives_delegation_members_the_side_they_are_on(analyse):
    doc = analyse("Cùng dự hội đàm, phía Việt Nam có Bộ trưởng Công Thương Nguyễn Hồng Diên; phía Canada có "
                  "Bộ trưởng Ngoại giao Mélanie Joly và Bộ trưởng Thương mại Mary Ng.")
    got = positions(doc)
    assert ("Mélanie Joly", "Bộ trưởng Ngoại giao", "canada") in got
    assert ("Nguyễn Hồng Diên", "Bộ trưởng Công Thương", "viet-nam") in got


def test_recognizer_writes_no_post_for_a_former_holder(analyse):
    doc = analyse("Tổng Bí thư gặp cựu Thủ tướng Malaysia Mahathir Mohamad tại Kuala Lumpur.")
    assert "Mahathir Mohamad" in persons(doc)
    assert not any(name == "Mahathir Mohamad" for name, _, _ in positions(doc))


def test_recognizer_reads_names_with_an_initial_and_after_office_titles(analyse):
    doc = analyse("Phó Tổng thống Ấn Độ M. Venkaiah Naidu tiếp Chủ nhiệm Văn phòng Chủ tịch nước Nguyễn Sĩ Thắng.")
    assert {"M. Venkaiah Naidu", "Nguyễn Sĩ Thắng"} <= persons(doc)
    assert ("M. Venkaiah Naidu", "Phó Tổng thống", "an-do") in positions(doc)
