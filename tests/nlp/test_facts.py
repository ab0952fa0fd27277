"""Fact rules on articles written in the style of Vietnamese news: visits, meetings, agreements, figures."""
from __future__ import annotations

from decimal import Decimal

import pytest


from kg.nlp.records import Agreement, EconomicFigure, Meeting, Visit


def name_of(doc, key):
    return doc._.entities[("person", key)].name


def lexical(date):
    return date.lexical if date is not None else None


def visits(doc):
    return [{"visitor": name_of(doc, f.visitor.key), "destination": f.destination.key, "type": f.visit_type,
             "status": f.status, "start": lexical(f.start), "end": lexical(f.end), "date": lexical(f.date),
             "invited_by": name_of(doc, f.invited_by.key) if f.invited_by else None}
            for f in doc._.relations if isinstance(f, Visit)]


def meetings(doc):
    return [({name_of(doc, p.key) for p in f.participants}, f.meeting_type, lexical(f.date),
             f.place.key if f.place else None)
            for f in doc._.relations if isinstance(f, Meeting)]


def agreements(doc):
    return [(f.label, tuple(sorted(p.key for p in f.parties)), lexical(f.signed))
            for f in doc._.relations if isinstance(f, Agreement)]


def figures(doc):
    out = []
    for f in doc._.relations:
        if not isinstance(f, EconomicFigure):
            continue
        d = {"indicator": f.indicator, "value": f.value, "unit": f.unit}
        for key, value in (("max_value", f.max_value), ("period", f.period), ("change_percent", f.change_percent),
                           ("change_factor", f.change_factor), ("projects", f.projects)):
            if value is not None:
                d[key] = value
        if f.source:
            d["from"] = f.source.key
        if f.target:
            d["to"] = f.target.key
        if f.between:
            d["between"] = tuple(r.key for r in f.between)
        out.append(d)
    return out


# ---------------------------------------------------------------- visits

def test_visit_invited_state_visit_with_date_range_is_planned(analyse):
    doc = analyse("Nhận lời mời của Tổng thống Pháp Emmanuel Macron, Chủ tịch nước Lương Cường sẽ thăm cấp "
                  "Nhà nước Cộng hòa Pháp từ ngày 10 đến ngày 12/6.", date="2025-06-01")
    assert visits(doc) == [{"visitor": "Lương Cường", "destination": "phap", "type": "StateVisit",
                            "status": "Planned", "start": "2025-06-10", "end": "2025-06-12", "date": None,
                            "invited_by": "Emmanuel Macron"}]


def test_visit_ongoing_official_visit(analyse):
    doc = analyse("Sáng 21/11, Chủ tịch Quốc hội Trần Thanh Mẫn hội kiến Thủ tướng Malaysia Anwar Ibrahim "
                  "đang có chuyến thăm chính thức Việt Nam.")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["type"], v["status"], v["date"]) == \
        ("Anwar Ibrahim", "viet-nam", "OfficialVisit", "Ongoing", "--11-21")


def test_visit_leaving_for_a_working_visit(analyse):
    doc = analyse("Sáng 3/7, Thủ tướng Phạm Minh Chính lên đường thăm làm việc Trung Quốc.", date="2024-07-03")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["type"], v["status"], v["date"]) == \
        ("Phạm Minh Chính", "trung-quoc", "WorkingVisit", "Ongoing", "2024-07-03")


def test_visit_before_the_article_date_is_completed(analyse):
    doc = analyse("Tổng thống Indonesia Prabowo Subianto thăm cấp Nhà nước tới Việt Nam từ 9-11/3 theo lời mời "
                  "của Chủ tịch nước Lương Cường.", date="2025-03-20")
    (v,) = visits(doc)
    assert (v["status"], v["start"], v["end"], v["invited_by"]) == \
        ("Completed", "2025-03-09", "2025-03-11", "Lương Cường")


def test_visit_led_delegation(analyse):
    doc = analyse("Tổng Bí thư Tô Lâm sẽ dẫn đầu Đoàn đại biểu cấp cao Việt Nam thăm chính thức Cộng hòa Cuba "
                  "ngày 25/9.", date="2024-09-20")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["type"], v["status"], v["start"]) == \
        ("Tô Lâm", "cuba", "OfficialVisit", "Planned", "2024-09-25")


def test_visit_without_a_year_stays_month_day(analyse):
    doc = analyse("Thủ tướng Thái Lan Srettha Thavisin sẽ thăm chính thức Việt Nam từ ngày 4 đến ngày 6/8.")
    (v,) = visits(doc)
    assert (v["start"], v["end"]) == ("--08-04", "--08-06")


@pytest.mark.parametrize("text", [
    "Hai bên nhất trí tăng cường trao đổi các chuyến thăm cấp cao và tiếp xúc các cấp.",
    "Chủ tịch nước Lương Cường mời Tổng thống Hàn Quốc Yoon Suk Yeol sớm sang thăm Việt Nam.",
    "Năm 2025 kỷ niệm chuyến thăm lịch sử của Chủ tịch Hồ Chí Minh.",
    "Thủ tướng Phạm Minh Chính mong sớm đón Thủ tướng Lào Sonexay Siphandone thăm Việt Nam.",
])
def test_visit_not_extracted_from_what_is_not_a_visit(analyse, text):
    assert visits(analyse(text)) == []


# ---------------------------------------------------------------- meetings

@pytest.mark.parametrize("text, kind", [
    ("Chiều 15/4, Chủ tịch nước Lương Cường tiếp Đại sứ Nhật Bản Ito Naoki.", "Reception"),
    ("Chiều 15/4, Thủ tướng Phạm Minh Chính điện đàm với Thủ tướng Australia Anthony Albanese.", "PhoneCall"),
    ("Chiều 15/4, Tổng Bí thư Tô Lâm hội kiến Tổng thống Nga Vladimir Putin.", "CourtesyCall"),
    ("Chiều 15/4, Thủ tướng Phạm Minh Chính hội đàm với Thủ tướng Singapore Lawrence Wong.", "Talks"),
])
def test_meeting_types_and_date(analyse, text, kind):
    ((people, mtype, date, _),) = meetings(analyse(text, date="2025-04-16"))
    assert mtype == kind and len(people) == 2 and date == "2025-04-15"


def test_meeting_takes_its_place(analyse):
    doc = analyse("Sáng 14/2, tại Trụ sở Bộ Ngoại giao, Bộ trưởng Ngoại giao Bùi Thanh Sơn đã có cuộc hội đàm với "
                  "Bộ trưởng Ngoại giao Campuchia Prak Sokhonn.")
    ((people, mtype, date, place),) = meetings(doc)
    assert people == {"Bùi Thanh Sơn", "Prak Sokhonn"} and mtype == "Talks" and date == "--02-14"
    assert place and place.startswith("tru-so-bo-ngoai-giao")


@pytest.mark.parametrize("text", [
    "Hai bên tiếp tục thúc đẩy hợp tác kinh tế và tiếp xúc thường xuyên.",
    "Thủ tướng Phạm Minh Chính chủ trì phiên họp Chính phủ thường kỳ.",
])
def test_meeting_not_extracted_without_two_people(analyse, text):
    assert meetings(analyse(text)) == []


# ---------------------------------------------------------------- agreements

def test_agreement_named_with_parties_between(analyse):
    doc = analyse("Hai bên đã ký Bản ghi nhớ về hợp tác chuyển đổi số giữa Việt Nam và Singapore.")
    assert agreements(doc) == [("Bản ghi nhớ về hợp tác chuyển đổi số giữa Việt Nam và Singapore",
                                ("singapore", "viet-nam"), None)]


def test_agreement_list_signed_after_talks_takes_the_talks_date(analyse):
    doc = analyse("Sáng 12/5, Thủ tướng Phạm Minh Chính hội đàm với Thủ tướng Thái Lan Paetongtarn Shinawatra. "
                  "Sau hội đàm, hai Thủ tướng chứng kiến lễ ký kết 3 văn kiện về hợp tác năng lượng, "
                  "giáo dục và y tế.", date="2025-05-12")
    assert sorted(agreements(doc)) == [
        ("văn kiện về giáo dục", ("thai-lan", "viet-nam"), "2025-05-12"),
        ("văn kiện về hợp tác năng lượng", ("thai-lan", "viet-nam"), "2025-05-12"),
        ("văn kiện về y tế", ("thai-lan", "viet-nam"), "2025-05-12"),
    ]


def test_agreement_signed_year_in_brackets(analyse):
    doc = analyse("Hai nước triển khai Hiệp định hợp tác nghề cá giữa Việt Nam và Indonesia (ký năm 2019).")
    assert agreements(doc) == [("Hiệp định hợp tác nghề cá giữa Việt Nam và Indonesia",
                                ("indonesia", "viet-nam"), "2019")]


@pytest.mark.parametrize("text", [
    "Hai bên nhất trí sớm đàm phán Hiệp định thương mại tự do giữa Việt Nam và Israel.",
    "Hai bên cam kết thực hiện các thỏa thuận đã đạt được.",
])
def test_agreement_not_extracted_when_none_exists(analyse, text):
    assert agreements(analyse(text)) == []


# ---------------------------------------------------------------- figures

def test_figure_trade_with_change_and_then_its_parts(analyse):
    doc = analyse("Năm 2024, kim ngạch thương mại song phương Việt Nam - Hàn Quốc đạt 81,5 tỷ USD, tăng 7,5%. "
                  "Trong đó, xuất khẩu của Việt Nam sang Hàn Quốc đạt 25,6 tỷ USD, nhập khẩu từ Hàn Quốc "
                  "đạt 55,9 tỷ USD.")
    got = {(f["indicator"], f["value"], f.get("period"), f.get("change_percent"),
            f.get("from"), f.get("to"), f.get("between")) for f in figures(doc)}
    assert got == {
        ("Trade", Decimal("81.5") * 10**9, "2024", Decimal("7.5"), None, None, ("han-quoc", "viet-nam")),
        ("Export", Decimal("25.6") * 10**9, "2024", None, "viet-nam", "han-quoc", None),
        ("Import", Decimal("55.9") * 10**9, "2024", None, "han-quoc", "viet-nam", None),
    }


def test_figure_target_range(analyse):
    doc = analyse("Hai bên phấn đấu nâng kim ngạch thương mại song phương giữa Việt Nam và Ấn Độ lên 20-25 tỷ USD.")
    (f,) = figures(doc)
    assert (f["indicator"], f["value"], f["max_value"]) == ("TradeTarget", Decimal(20 * 10**9), Decimal(25 * 10**9))


def test_figure_registered_investment_with_projects(analyse):
    doc = analyse("Hiện Nhật Bản có 5.500 dự án đầu tư tại Việt Nam với tổng vốn đăng ký 74,9 tỷ USD.")
    (f,) = figures(doc)
    assert (f["indicator"], f["value"], f["projects"], f["from"], f["to"]) == \
        ("RegisteredInvestment", Decimal("74.9") * 10**9, 5500, "nhat-ban", "viet-nam")


@pytest.mark.parametrize("text, period", [
    ("Kim ngạch thương mại Việt Nam - Lào ba tháng đầu năm 2025 đạt 980 triệu USD.", "2025-Q1"),
    ("Trong 11 tháng của năm 2023, kim ngạch thương mại Việt Nam - Lào đạt 1,5 tỷ USD.", "2023-01/2023-11"),
    ("Kim ngạch thương mại Việt Nam - Lào quý II/2024 đạt 600 triệu USD.", "2024-Q2"),
])
def test_figure_periods(analyse, text, period):
    (f,) = figures(analyse(text))
    assert f["period"] == period


@pytest.mark.parametrize("text", [
    "Kim ngạch xuất khẩu gạo đạt 500 nghìn tỷ đồng.",
    "GDP của Việt Nam năm 2024 đạt 476 tỷ USD.",
])
def test_figure_not_extracted_outside_bilateral_usd_figures(analyse, text):
    assert figures(analyse(text)) == []


def test_visit_named_after_the_destination_with_long_form_dates(analyse):
    doc = analyse("Chủ tịch nước chủ trì lễ đón chuyến thăm cấp Nhà nước tới Việt Nam của Tổng thống Chile "
                  "Gabriel Boric Font từ ngày 10 đến ngày 12 tháng 3.", date="2025-03-01")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["type"], v["start"], v["end"]) == \
        ("Gabriel Boric Font", "viet-nam", "StateVisit", "2025-03-10", "2025-03-12")


def test_visit_sentence_opening_with_the_visit(analyse):
    doc = analyse("Chuyến thăm của Thủ tướng Lào Sonexay Siphandone tới Việt Nam diễn ra từ ngày 5 đến 6/1.",
                  date="2024-01-02")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["status"]) == ("Sonexay Siphandone", "viet-nam", "Planned")


def test_meeting_opened_by_its_verb_has_its_subject_after_the_comma(analyse):
    doc = analyse("Gặp Thủ tướng Canada Justin Trudeau, Thủ tướng Phạm Minh Chính đề nghị hai bên tăng cường "
                  "hợp tác.", date="2023-06-20")
    ((people, mtype, _, _),) = meetings(doc)
    assert people == {"Justin Trudeau", "Phạm Minh Chính"} and mtype == "Encounter"


@pytest.mark.parametrize("text", [
    "Tổng thống Chile Gabriel Boric Font nhận lời thăm Việt Nam vào thời điểm thích hợp.",
    "Chuyến thăm diễn ra đúng 50 năm sau chuyến thăm Chile của Chủ tịch Hồ Chí Minh năm 1973.",
])
def test_visit_not_extracted_when_only_accepted_or_recalled(analyse, text):
    assert visits(analyse(text, date="2023-06-20")) == []


def test_agreement_list_between_two_countries_and_list_of_named_documents(analyse):
    doc = analyse("Hai Thủ tướng chứng kiến lễ ký kết 2 văn kiện giữa Việt Nam và Canada về hợp tác giáo dục và "
                  "hợp tác nông nghiệp. Sau đó, hai bên ra Tuyên bố chung.")
    labels = {label for label, _, _ in agreements(doc)}
    assert labels == {"văn kiện về hợp tác giáo dục", "văn kiện về hợp tác nông nghiệp", "Tuyên bố chung"}


def test_figure_period_without_a_year_takes_the_year_the_article_states(analyse):
    doc = analyse("Số liệu 6 tháng đầu năm 2024 cho thấy thương mại tăng mạnh. Xuất khẩu của Việt Nam sang "
                  "Canada 6 tháng đầu năm đạt 3,5 tỉ USD, trong khi nhập khẩu từ Canada giảm 4,1%, còn 1,2 tỉ USD.")
    got = {(f["indicator"], f.get("period"), f.get("change_percent")) for f in figures(doc)}
    assert got == {("Export", "2024-01/2024-06", None), ("Import", "2024-01/2024-06", Decimal("-4.1"))}


def test_meeting_plan_with_a_bare_title_subject_takes_the_home_holder(analyse):
    doc = analyse("Nhận lời mời của Thủ tướng Canada Justin Trudeau, Thủ tướng Phạm Minh Chính sẽ thăm chính thức "
                  "Canada. Trong chuyến thăm, Thủ tướng dự kiến hội đàm với Thủ tướng Trudeau, hội kiến Toàn quyền "
                  "Mary Simon.")
    got = {(frozenset(people), mtype) for people, mtype, _, _ in meetings(doc)}
    assert (frozenset({"Phạm Minh Chính", "Justin Trudeau"}), "Talks") in got
    assert not any("Justin Trudeau" in people and "Mary Simon" in people for people, _ in got)


def test_two_meetings_of_the_same_people_on_different_days_stay_two(analyse):
    doc = analyse("Chiều 11/3, Bộ trưởng Ngoại giao Bùi Thanh Sơn điện đàm với Ngoại trưởng Canada Mélanie Joly. "
                  "Sáng 14/3, Bộ trưởng Ngoại giao Bùi Thanh Sơn hội đàm với Ngoại trưởng Canada Mélanie Joly.",
                  date="2025-03-15")
    assert sorted(date for _, _, date, _ in meetings(doc)) == ["2025-03-11", "2025-03-14"]


def test_plural_title_subject_matches_a_longer_title(analyse):
    doc = analyse("Bộ trưởng Ngoại giao Bùi Thanh Sơn tiếp Bộ trưởng Ngoại giao Canada Mélanie Joly. Chiều 14/3, "
                  "hai Bộ trưởng đồng chủ trì Phiên họp lần thứ nhất Ủy ban hỗn hợp.", date="2025-03-15")
    assert any(people == {"Bùi Thanh Sơn", "Mélanie Joly"} and date == "2025-03-14"
               for people, _, date, _ in meetings(doc))


@pytest.mark.parametrize("text", [
    "Chủ tịch Díaz-Canel sẽ tới Quảng Trị, nơi Chủ tịch Fidel Castro từng đến thăm, và thăm TP Hồ Chí Minh.",
    "Chuyến thăm diễn ra đúng 60 năm sau chuyến thăm Ấn Độ của Chủ tịch Hồ Chí Minh năm 1958.",
])
def test_visit_not_given_to_the_subject_of_an_earlier_or_recalled_visit(analyse, text):
    assert not any(v["visitor"] in ("Fidel Castro", "Hồ Chí Minh") for v in visits(analyse(text, date="2018-03-02")))


def test_visitor_name_ending_in_an_abbreviation(analyse):
    doc = analyse("Sáng 30/1, Chủ tịch nước Võ Văn Thưởng hội đàm với Tổng thống Philippines Ferdinand Romualdez "
                  "Marcos Jr. đang thăm cấp Nhà nước Việt Nam.", date="2024-01-30")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["status"]) == ("Ferdinand Romualdez Marcos Jr", "viet-nam", "Ongoing")


def test_figure_not_extracted_for_development_aid(analyse):
    assert figures(analyse("Tổng vốn ODA Nhật Bản dành cho Việt Nam từ năm 1992 đến nay khoảng 30 tỷ USD.")) == []


def test_figures_of_a_period_report_across_paragraphs(analyse):
    doc = analyse("Bộ Công Thương công bố số liệu 6 tháng đầu năm 2025: tổng kim ngạch xuất nhập khẩu đạt 420 tỉ USD.\n"
                  "Xuất khẩu sang Mỹ đạt 70 tỉ USD, tăng 20%.\n"
                  "Nhập khẩu từ Trung Quốc đạt 80 tỉ USD, tăng 25%.\n"
                  "Về đầu tư, Singapore dẫn đầu với 5,1 tỉ USD vốn đăng ký.")
    got = {(f["indicator"], f["value"], f.get("period")) for f in figures(doc)}
    assert got == {("Export", Decimal(70 * 10**9), "2025-01/2025-06"),
                   ("Import", Decimal(80 * 10**9), "2025-01/2025-06"),
                   ("RegisteredInvestment", Decimal("5.1") * 10**9, "2025-01/2025-06")}


# ---------------------------------------------------------------- visits as the press tells them

def test_a_welcome_given_is_not_a_hope(analyse):
    doc = analyse("Hai năm sau, Tổng thống Mexico Andrés Manuel López Obrador đã đón tiếp ông Trương Tấn Sang đến "
                  "thăm chính thức Mexico.")
    assert [(v["visitor"], v["destination"]) for v in visits(doc)] == [("Trương Tấn Sang", "mexico")]


def test_a_visit_of_a_past_year_keeps_its_year_and_is_completed(analyse):
    doc = analyse("Năm 2009, Thủ tướng New Zealand John Key thăm chính thức Việt Nam lần đầu.", date="2016-05-02")
    (v,) = visits(doc)
    assert (v["visitor"], v["start"], v["status"]) == ("John Key", "2009", "Completed")


def test_the_visitor_of_a_visit_framing_the_sentence_is_its_subject(analyse):
    doc = analyse("Dù lịch trình trong chuyến thăm cấp nhà nước tới Việt Nam lần này rất dày, nhưng Tổng thống "
                  "Argentina Javier Milei vẫn dành thời gian gặp cộng đồng doanh nghiệp vào chiều 12/3.",
                  date="2024-03-13")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["date"]) == ("Javier Milei", "viet-nam", "2024-03-12")


def test_a_visit_named_at_the_end_of_a_sentence_is_its_subjects(analyse):
    doc = analyse("Chủ tịch nước Võ Văn Thưởng khi còn là Thường trực Ban Bí thư gặp Quốc vương Thái Lan "
                  "Maha Vajiralongkorn trong khuôn khổ chuyến thăm chính thức Thái Lan năm 2022.")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["start"]) == ("Võ Văn Thưởng", "thai-lan", "2022")


def test_visits_listed_after_their_destination(analyse):
    doc = analyse("Lãnh đạo Việt Nam thường xuyên có các chuyến thăm Lào như: Chủ tịch Quốc hội Vương Đình Huệ "
                  "thăm chính thức (3-5/12/2022), Phó Chủ tịch nước Võ Thị Ánh Xuân thăm làm việc tại Lào (9/2023).")
    got = {(v["visitor"], v["destination"], v["start"]) for v in visits(doc)}
    assert got == {("Vương Đình Huệ", "lao", "2022-12-03"), ("Võ Thị Ánh Xuân", "lao", "2023-09")}


def test_this_visit_is_the_one_just_spoken_of(analyse):
    doc = analyse("Tổng thống Hàn Quốc Yoon Suk Yeol từng hai lần thăm Việt Nam. Chuyến thăm lần này có ý nghĩa "
                  "đặc biệt với quan hệ hai nước.")
    (v,) = visits(doc)
    assert (v["visitor"], v["destination"], v["status"]) == ("Yoon Suk Yeol", "viet-nam", "Ongoing")


def test_each_destination_of_one_trip_is_a_visit_with_its_own_dates(analyse):
    doc = analyse("Chủ tịch nước Tô Lâm sẽ thăm cấp Nhà nước Mông Cổ từ ngày 30/9 đến 1/10 và tới Ireland "
                  "từ ngày 1 đến 3/10.", date="2024-09-25")
    got = {(v["destination"], v["start"], v["end"]) for v in visits(doc)}
    assert got == {("mong-co", "2024-09-30", "2024-10-01"), ("ireland", "2024-10-01", "2024-10-03")}


def test_the_spouse_travels_with_the_visitor(analyse):
    doc = analyse("Tổng thống Philippines Ferdinand Marcos và Phu nhân Louise Araneta-Marcos thăm cấp Nhà nước "
                  "Việt Nam từ ngày 29 đến 30/1.")
    assert [v["visitor"] for v in visits(doc)] == ["Ferdinand Marcos"]


def test_a_day_inside_the_dates_of_a_visit_is_that_visit(analyse):
    doc = analyse("Chiều 1/7, Thủ tướng Phạm Minh Chính đang có chuyến thăm chính thức Hàn Quốc đã gặp doanh "
                  "nghiệp. Chuyến thăm chính thức Hàn Quốc từ ngày 30/6 đến ngày 3/7 của Thủ tướng Phạm Minh "
                  "Chính diễn ra theo lời mời của Thủ tướng Hàn Quốc Han Duck-soo.", date="2023-07-01")
    (v,) = visits(doc)
    assert (v["start"], v["end"], v["invited_by"]) == ("2023-06-30", "2023-07-03", "Han Duck-soo")


def test_visits_of_two_different_years_stay_two(analyse):
    doc = analyse("Năm 2018, Thủ tướng Úc Malcolm Turnbull thăm chính thức Việt Nam. Tối 14/3, Thủ tướng Úc "
                  "Malcolm Turnbull đến Hà Nội, bắt đầu chuyến thăm chính thức Việt Nam.", date="2024-03-15")
    assert len(visits(doc)) == 2


@pytest.mark.parametrize("text", [
    "Năm nay đánh dấu 50 năm sau chuyến thăm Hà Nội của Thủ tướng Pháp Pierre Messmer năm 1973.",
    "Hai bên tổ chức kỷ niệm 65 năm chuyến thăm Indonesia của Tổng thống Sukarno và chuyến thăm Việt Nam "
    "của Tổng thống Sukarno năm 1959.",
])
def test_a_commemorated_visit_is_not_a_visit_reported(analyse, text):
    assert visits(analyse(text, date="2024-05-01")) == []


# ---------------------------------------------------------------- meetings as the press tells them

def test_a_chain_of_verbs_across_clauses_keeps_the_sentences_subject(analyse):
    doc = analyse("Trong thời gian chuyến thăm, Chủ tịch Quốc hội Vương Đình Huệ đã dự lễ đón tại Dinh Tổng "
                  "thống; gặp riêng và hội đàm với Chủ tịch Hạ viện Ai Cập Hanafy Gebaly; hội kiến Tổng thống "
                  "Ai Cập Abdel Fattah al-Sisi, gặp Thủ tướng Ai Cập Mostafa Madbouly, tiếp Bộ trưởng Ngoại giao "
                  "Ai Cập Sameh Shoukry và Đại sứ Ai Cập Hossam Moharam.")
    got = {(frozenset(people), kind) for people, kind, _, _ in meetings(doc)}
    hue = "Vương Đình Huệ"
    assert {(frozenset({hue, "Hanafy Gebaly"}), "Talks"), (frozenset({hue, "Hanafy Gebaly"}), "Encounter"),
            (frozenset({hue, "Abdel Fattah al-Sisi"}), "CourtesyCall"),
            (frozenset({hue, "Mostafa Madbouly"}), "Encounter"),
            (frozenset({hue, "Sameh Shoukry"}), "Reception"),
            (frozenset({hue, "Hossam Moharam"}), "Reception")} == got


def test_a_meeting_after_before_and_after_words_is_still_a_meeting(analyse):
    doc = analyse("Tối nay, ông Kishida dự tiệc chiêu đãi trước khi có cuộc hội kiến Chủ tịch Quốc hội Vương "
                  "Đình Huệ. Thủ tướng Nhật Bản Kishida Fumio phát biểu tại họp báo sau hội đàm với Thủ tướng "
                  "Phạm Minh Chính.")
    got = {frozenset(people) for people, _, _, _ in meetings(doc)}
    assert got == {frozenset({"Kishida Fumio", "Vương Đình Huệ"}), frozenset({"Kishida Fumio", "Phạm Minh Chính"})}


def test_the_host_alone_meets_the_guest_of_the_articles_visit(analyse):
    doc = analyse("Tổng thống Brazil Lula da Silva tới Hà Nội, bắt đầu chuyến thăm cấp Nhà nước Việt Nam. "
                  "Ngay sau lễ đón, Chủ tịch nước Lương Cường sẽ tiến hành hội đàm.", date="2025-03-28")
    assert [frozenset(p) for p, _, _, _ in meetings(doc)] == [frozenset({"Lula da Silva", "Lương Cường"})]


def test_a_meeting_during_a_visit_of_several_days_gets_the_visits_month(analyse):
    doc = analyse("Thủ tướng Phạm Minh Chính thăm chính thức Brazil từ ngày 5 đến 8/7/2025. Trong khuôn khổ "
                  "chuyến thăm, Thủ tướng Phạm Minh Chính hội đàm với Tổng thống Brazil Lula da Silva.")
    ((_, kind, date, _),) = meetings(doc)
    assert (kind, date) == ("Talks", "2025-07")


def test_a_title_cut_off_where_the_excerpt_ends_is_nobody(analyse):
    doc = analyse("Tổng Bí thư Tô Lâm hội đàm với Tổng thống Pháp Emmanuel Macron. Chủ tịch nước Lương Cường "
                  "phát biểu tại cuộc hội đàm với Tổng Bí thư, Chủ t")
    assert [frozenset(p) for p, _, _, _ in meetings(doc)] == [frozenset({"Tô Lâm", "Emmanuel Macron"})]


# ---------------------------------------------------------------- when: dates and states the press leaves implicit

def test_an_undated_articles_later_dates_make_an_earlier_visit_completed(analyse):
    doc = analyse("Nhân chuyến thăm cấp Nhà nước tới Nhật Bản của Chủ tịch nước Võ Văn Thưởng (27-30/11/2023), "
                  "hai bên đã ra Tuyên bố chung. Tính đến tháng 9/2024, kim ngạch thương mại hai chiều đạt 30 tỷ USD.")
    (v,) = visits(doc)
    assert (v["start"], v["status"]) == ("2023-11-27", "Completed")


def test_a_visit_of_a_year_before_the_years_the_article_names_is_completed(analyse):
    doc = analyse("Năm 2016, Tổng thống Hoa Kỳ Barack Obama thăm chính thức Việt Nam. Hội nghị APEC 2017 "
                  "diễn ra tại Đà Nẵng.")
    (v,) = visits(doc)
    assert (v["start"], v["status"]) == ("2016", "Completed")


def test_the_visit_sentence_that_follows_gives_dates_and_inviter(analyse):
    doc = analyse("Chiều 12/5, Thủ tướng Phạm Minh Chính tới Vientiane, bắt đầu chuyến thăm chính thức Lào. "
                  "Chuyến thăm diễn ra từ ngày 12-14/5/2025, theo lời mời của Thủ tướng Lào Sonexay Siphandone.")
    (v,) = visits(doc)
    assert (v["start"], v["end"], v["invited_by"]) == ("2025-05-12", "2025-05-14", "Sonexay Siphandone")


def test_a_meeting_without_a_day_takes_the_day_the_story_is_at(analyse):
    doc = analyse("Tối 3/6, Thủ tướng Lào Sonexay Siphandone tới Hà Nội. Hai nước thiết lập quan hệ ngoại giao "
                  "ngày 5/9/1962. Lễ đón diễn ra trọng thể.\nSau lễ đón, Thủ tướng Phạm Minh Chính hội đàm với "
                  "Thủ tướng Sonexay Siphandone.", date="2024-06-04")
    ((_, _, date, _),) = meetings(doc)
    assert date == "2024-06-03"


def test_a_meeting_during_a_visit_without_dates_gets_the_month_of_the_article(analyse):
    doc = analyse("Trong khuôn khổ chuyến thăm, Thủ tướng Úc Anthony Albanese đã hội kiến Chủ tịch nước Lương "
                  "Cường.", date="2024-03-06")
    ((_, _, date, _),) = meetings(doc)
    assert date == "2024-03"


def test_a_meeting_this_evening_is_on_the_articles_day(analyse):
    doc = analyse("Tối nay, ông Modi sẽ hội kiến Chủ tịch Quốc hội Vương Đình Huệ. Thủ tướng Ấn Độ Narendra "
                  "Modi cảm ơn sự đón tiếp.", date="2023-04-11")
    ((_, _, date, _),) = meetings(doc)
    assert date == "2023-04-11"


@pytest.mark.parametrize("text, expected", [
    ("Hai nước mong muốn thúc đẩy kim ngạch thương mại từ 4,8 tỷ USD năm 2019 lên 8 tỷ USD vào năm 2025.",
     {("Trade", Decimal("4.8") * 10**9, "2019"), ("TradeTarget", Decimal(8 * 10**9), "2025")}),
    ("Hai bên đặt mục tiêu kim ngạch thương mại 15 tỷ USD, năm 2024 đã đạt 11 tỷ USD.",
     {("TradeTarget", Decimal(15 * 10**9), None), ("Trade", Decimal(11 * 10**9), "2024")}),
])
def test_a_value_reached_is_kept_apart_from_a_target(analyse, text, expected):
    doc = analyse("Việt Nam và Hungary. " + text)
    assert {(f["indicator"], f["value"], f.get("period")) for f in figures(doc)} == expected


def test_a_document_named_inside_an_amending_one_is_named_too(analyse):
    doc = analyse("Hai Bộ trưởng ký Nghị định thư sửa đổi Hiệp định Hợp tác văn hóa Việt Nam – Hungary (năm 1997).")
    got = {label: signed for label, _, signed in agreements(doc)}
    assert got.get("Hiệp định Hợp tác văn hóa Việt Nam – Hungary") == "1997"
    assert any(label.startswith("Nghị định thư sửa đổi") and signed is None for label, signed in got.items())


@pytest.mark.parametrize("text, found", [
    ("Hai nước đã ký hiệp định thương mại tự do giữa Việt Nam với Liên minh châu Âu.", True),
    ("Hai bên nhất trí sớm đạt được thỏa thuận thương mại song phương có lợi cho hai nước.", False),
])
def test_documents_named_in_lower_case(analyse, text, found):
    assert bool(agreements(analyse(text))) is found
