"""kg.nlp.records: typed facts, and the one identity that makes two reports the same fact."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.nlp.dates import PartialDate
from kg.nlp.records import Agreement, EconomicFigure, Evidence, Meeting, Ref, Visit, filled
from kg.nlp.rules import fuse

EV = Evidence(0, 10, "test", 0.8)
RUTTE, CHINH, LAM = Ref("person", "mark-rutte"), Ref("person", "pham-minh-chinh"), Ref("person", "to-lam")
VN = Ref("country", "viet-nam")


def test_records_are_frozen():
    visit = Visit(RUTTE, VN, EV)
    with pytest.raises(AttributeError):
        visit.status = "Planned"


def test_a_dated_visit_has_the_same_identity_in_every_article():
    a = Visit(RUTTE, VN, EV, start=PartialDate(2023, 11, 1))
    b = Visit(RUTTE, VN, Evidence(50, 90, "other", 0.7), date=PartialDate(2023, 11, 2), status="Ongoing")
    assert a.identity("article-1") == b.identity("article-2")


def test_an_undated_visit_is_identified_within_its_article_only():
    a, b = Visit(RUTTE, VN, EV), Visit(RUTTE, VN, EV)
    assert a.identity("article-1") != b.identity("article-2")


def test_a_meeting_on_another_day_is_another_meeting():
    one = Meeting((CHINH, RUTTE), "Talks", EV, date=PartialDate(2023, 11, 1))
    two = Meeting((CHINH, RUTTE), "Talks", EV, date=PartialDate(2024, 3, 5))
    assert one.identity("x") != two.identity("x")


def test_an_agreement_is_its_folded_name_and_parties():
    a = Agreement("Hiệp định Thương mại", EV, parties=(Ref("country", "ha-lan"), VN))
    b = Agreement("hiệp định thương mại", EV, parties=(Ref("country", "ha-lan"), VN))
    c = Agreement("Hiệp định Thương mại", EV, parties=(Ref("country", "lao"), VN))
    assert a.identity("x") == b.identity("y") != c.identity("x")


def test_filled_takes_only_what_is_missing():
    a = Visit(RUTTE, VN, EV, status="Planned")
    b = Visit(RUTTE, VN, EV, status="Ongoing", visit_type="OfficialVisit")
    assert filled(a, b) == Visit(RUTTE, VN, EV, status="Planned", visit_type="OfficialVisit")


def test_fuse_joins_a_headline_report_with_the_dated_body_report():
    headline = Visit(RUTTE, VN, EV, status="Planned")
    body = Visit(RUTTE, VN, Evidence(20, 90, "visit.trigger", 0.85), start=PartialDate(2023, 11, 1),
                 end=PartialDate(2023, 11, 2), visit_type="OfficialVisit")
    (one,) = fuse([headline, body])
    assert (one.start, one.status, one.visit_type) == (PartialDate(2023, 11, 1), "Planned", "OfficialVisit")


def test_fuse_keeps_meetings_of_two_days_apart():
    one = Meeting((CHINH, LAM), "Talks", EV, date=PartialDate(2025, 3, 11))
    two = Meeting((CHINH, LAM), "Talks", EV, date=PartialDate(2025, 3, 14))
    assert len(fuse([one, two])) == 2


def test_fuse_joins_a_yearless_day_with_the_same_day_that_has_a_year():
    a = Visit(RUTTE, VN, EV, date=PartialDate(None, 11, 8))
    b = Visit(RUTTE, VN, EV, start=PartialDate(2009, 11, 8), end=PartialDate(2009, 11, 11))
    assert len(fuse([a, b])) == 1


def test_fuse_merges_a_shortened_agreement_name_into_the_full_one():
    short = Agreement("Tuyên bố chung về quan hệ Đối tác chiến lược", EV, signed=PartialDate(2024, 1, 5))
    full = Agreement("Tuyên bố chung về quan hệ Đối tác chiến lược toàn diện Việt Nam - Lào", EV)
    (one,) = fuse([short, full])
    assert one.label == full.label and one.signed == PartialDate(2024, 1, 5)


def test_a_figure_is_its_indicator_value_period_and_partners():
    f = EconomicFigure("Trade", Decimal("81.5E9"), EV, period="2024", between=(Ref("country", "han-quoc"), VN))
    g = EconomicFigure("Trade", Decimal("81.5E9"), EV, period="2023", between=(Ref("country", "han-quoc"), VN))
    assert f.identity("x") != g.identity("x")
