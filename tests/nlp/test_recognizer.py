"""Entities and posts on sentences written in the style of Vietnamese news (not the samples)."""
from __future__ import annotations

import pytest

from kg.nlp.doc import post_mentions


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


def org_posts(doc):
    names = {key: info.name for (kind, key), info in doc._.entities.items() if kind == "person"}
    orgs = {key: info.name for (kind, key), info in doc._.entities.items() if kind == "organization"}
    return {(names[p.person], p.title, orgs.get(p.organization)) for p in post_mentions(doc) if p.organization}


# ---------------------------------------------------------------- names as the press writes them

def test_recognizer_reads_initials_inside_and_before_a_name(analyse):
    doc = analyse("Tổng thống Hoa Kỳ John F.Kennedy từng được nhắc tới. Thủ tướng Nhật Bản Fumio Kishida "
                  "hội đàm với Thủ tướng Phạm Minh Chính. Thủ tướng F.Kishida cảm ơn sự đón tiếp.")
    assert "John F.Kennedy" in persons(doc)
    assert len([p for p in persons(doc) if "Kishida" in p]) == 1


def test_recognizer_joins_an_initial_and_the_vietnamese_spelling_to_the_full_name(analyse):
    doc = analyse("Thủ tướng Ấn Độ Narendra Modi đón Thủ tướng Phạm Minh Chính. Thủ tướng N.Mô-đi nhấn mạnh "
                  "quan hệ hai nước. Thủ tướng N.Modi cảm ơn.")
    people = persons(doc)
    assert people == {"Narendra Modi", "Phạm Minh Chính"}
    info = next(i for (k, key), i in doc._.entities.items() if key == "narendra-modi")
    assert {"N.Modi", "N.Mô-đi"} <= info.surfaces


def test_recognizer_takes_the_original_spelling_in_brackets_as_the_same_person(analyse):
    doc = analyse("Thủ tướng hội đàm với Tổng thống Pháp Ê-ma-nu-en Ma-crông (Emmanuel Macron) tại Paris.")
    assert persons(doc) == {"Ê-ma-nu-en Ma-crông"}
    info = next(i for (k, _), i in doc._.entities.items() if k == "person")
    assert "Emmanuel Macron" in info.surfaces


@pytest.mark.parametrize("text, name", [
    ("Thủ tướng gặp Chủ tịch Thượng viện Ấn Độ Shri Jagdeep Dhankhar tại New Delhi.", "Jagdeep Dhankhar"),
    ("Chủ tịch Quốc hội tiếp Chủ tịch Hạ viện Ấn Độ Smt. Meira Kumar tại Hà Nội.", "Meira Kumar"),
    ("Thủ tướng tiếp Thủ hiến Bang Gujarat Shri Bhupendra Patel tại Ahmedabad.", "Bhupendra Patel"),
])
def test_recognizer_reads_the_name_after_a_courtesy_style(analyse, text, name):
    assert persons(analyse(text)) == {name}


def test_recognizer_does_not_make_a_person_of_a_name_cut_off_at_the_end(analyse):
    doc = analyse("Ngay sau lễ đón, hai bên hội đàm với Tổng thống Chile Gabriel")
    assert persons(doc) == set()


# ---------------------------------------------------------------- titles as the press writes them

@pytest.mark.parametrize("text, expected", [
    ("Tổng thống nước Cộng hòa Dân chủ Xã hội chủ nghĩa Sri Lanka Ranil Wickremesinghe phát biểu.",
     ("Ranil Wickremesinghe", "Tổng thống", "sri-lanka")),
    ("Chủ tịch Trung Quốc Hồ Cẩm Đào tiếp đoàn.", ("Hồ Cẩm Đào", "Chủ tịch nước", "trung-quoc")),
    ("Phó thủ tướng Nga Alexander Novak dự diễn đàn.", ("Alexander Novak", "Phó Thủ tướng", "nga")),
])
def test_recognizer_reads_titles_written_every_way(analyse, text, expected):
    assert expected in positions(analyse(text))


def test_recognizer_reads_a_body_the_gazetteer_does_not_know(analyse):
    doc = analyse("Thủ tướng gặp Chủ tịch Hội đồng Hiến pháp Thái Lan Nakarin Mektrairat tại Bangkok.")
    assert ("Nakarin Mektrairat", "Chủ tịch Hội đồng Hiến pháp", "thai-lan") in positions(doc)
    assert "Hội đồng Hiến pháp Thái Lan" in {i.name for (k, _), i in doc._.entities.items() if k == "organization"}


def test_recognizer_reads_a_ministry_the_gazetteer_does_not_know_in_a_chain(analyse):
    doc = analyse("Bộ trưởng Bộ Phát triển Quốc gia kiêm Bộ trưởng thứ hai Bộ Ngoại giao Singapore Mohamad "
                  "Maliki Osman ký văn kiện.")
    assert ("Mohamad Maliki Osman", "Bộ trưởng Phát triển Quốc gia", "singapore") in positions(doc)


def test_recognizer_gives_titles_written_after_a_name_to_that_name(analyse):
    doc = analyse("Đoàn do Thượng tướng Hoàng Xuân Chiến, Ủy viên Trung ương Đảng, Thứ trưởng Bộ Quốc phòng "
                  "dẫn đầu. Tháp tùng có Đại tướng Lương Tam Quang, Bộ trưởng Công an; Bộ trưởng Ngoại giao "
                  "Bùi Thanh Sơn.")
    got = positions(doc)
    assert ("Hoàng Xuân Chiến", "Thứ trưởng Quốc phòng", "viet-nam") in got
    assert ("Lương Tam Quang", "Bộ trưởng Công an", "viet-nam") in got
    assert ("Bùi Thanh Sơn", "Bộ trưởng Ngoại giao", "viet-nam") in got


def test_recognizer_does_not_give_the_next_subjects_title_to_the_name_before_the_comma(analyse):
    doc = analyse("Sau cuộc gặp với Chủ tịch nước Võ Văn Thưởng, Tổng thống Kenya sẽ tới TP Hồ Chí Minh.")
    assert positions(doc) == {("Võ Văn Thưởng", "Chủ tịch nước", "viet-nam")}


def test_recognizer_gives_no_title_to_whoever_serves_its_holder(analyse):
    doc = analyse("Đi cùng có Thư ký báo chí Tổng thống Karine Jean-Pierre và Phu nhân Tổng thống Jill Biden.")
    assert {"Karine Jean-Pierre", "Jill Biden"} <= persons(doc)
    assert not any(title == "Tổng thống" for _, title, _ in positions(doc))


def test_recognizer_reads_the_names_of_a_delegation_list(analyse):
    doc = analyse("Tháp tùng Thủ tướng Ấn Độ lần này có Ngoại trưởng Ấn Độ Subrahmanyam Jaishankar; Cố vấn, "
                  "Trưởng nhóm Hội đồng An ninh Quốc gia về khu vực phía Đông Ajit Doval; Đại sứ Ấn Độ tại "
                  "Việt Nam Sandeep Arya.")
    assert {"Subrahmanyam Jaishankar", "Ajit Doval", "Sandeep Arya"} <= persons(doc)


def test_recognizer_gives_a_provincial_post_to_the_provincial_body(analyse):
    doc = analyse("Cùng đi có Bí thư Tỉnh ủy Quảng Ninh Vũ Đại Thắng và Chủ tịch UBND tỉnh Lào Cai Trịnh Xuân Trường.")
    assert ("Vũ Đại Thắng", "Bí thư Tỉnh ủy", "Tỉnh ủy Quảng Ninh") in org_posts(doc)
    assert not any(country == "viet-nam" and name == "Vũ Đại Thắng" for name, _, country in positions(doc))


def test_recognizer_takes_the_country_of_leaders_named_after_a_person(analyse):
    doc = analyse("Ông chuyển lời thăm hỏi của Tổng Bí thư, Chủ tịch nước Giang Trạch Dân và các vị lãnh đạo "
                  "khác của Đảng và Nhà nước Trung Quốc tới lãnh đạo Việt Nam.")
    assert ("Giang Trạch Dân", "Chủ tịch nước", "trung-quoc") in positions(doc)


def test_recognizer_gives_an_office_someone_was_elected_to(analyse):
    doc = analyse("Thủ tướng chúc mừng Thủ tướng Nhật Bản Kishida Fumio vừa tái đắc cử Chủ tịch Đảng Dân chủ "
                  "Tự do Nhật Bản.")
    assert ("Kishida Fumio", "Chủ tịch", "Đảng Dân chủ Tự do Nhật Bản") in org_posts(doc)


def test_a_bare_title_with_its_country_keeps_the_country_as_a_mention(analyse):
    doc = analyse("Thủ tướng Hàn Quốc Han Duck-soo đến Hà Nội. Thủ tướng Hàn Quốc đánh giá cao quan hệ hai nước.")
    mentions = [e for e in doc.ents if e.label_ == "GPE"]
    assert len(mentions) == 2
