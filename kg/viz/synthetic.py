"""Made-up graphs in the shape `kg build` writes, to measure the graph page at scale.

Vietnamese and neighbouring countries' names, real country names, dates in 2019-2025,
a few very active leaders and many occasional ones, so the degree distribution looks
like news. Every term follows the graph contract (shared SCHEMA.md). Nothing here is
used to build real graphs.
"""
from __future__ import annotations

import random

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import XSD

from kg.rdf.iri import mint
from kg.rdf.namespaces import PROV, RDF, RDFS, SCHEMA, SKOS, VNKG, bind_prefixes

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
           "Ngô", "Dương", "Lý", "Đinh", "Trịnh", "Lương", "Tô"]
_MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Hữu", "Thanh", "Quốc", "Xuân", "Hồng", "Ngọc", "Đình", "Công", "Thế"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Khánh", "Lan", "Long", "Mai", "Nam",
          "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Chính", "Đạt", "Ánh", "Hưng"]
_FOREIGN = {
    "lao": (["Sonexay", "Thongloun", "Saleumxay", "Pany", "Bounthong", "Khamphao", "Chansamone", "Viengthong"],
            ["Siphandone", "Sisoulith", "Kommasith", "Yathotou", "Chitmany", "Ernthavanh", "Phommavihane"]),
    "campuchia": (["Hun", "Sok", "Prak", "Samdech", "Chea", "Keo", "Say"], ["Manet", "Sokhonn", "Chhum", "Sen", "Sim"]),
    "thai-lan": (["Paetongtarn", "Srettha", "Anutin", "Maris", "Sihasak"], ["Shinawatra", "Thavisin", "Charnvirakul"]),
    "trung-quoc": (["Tập", "Lý", "Vương", "Triệu", "Thái"], ["Cận Bình", "Cường", "Nghị", "Lạc Tế", "Kỳ"]),
    "nhat-ban": (["Shigeru", "Fumio", "Yoko", "Takeshi", "Akira"], ["Ishiba", "Kishida", "Kamikawa", "Iwaya"]),
}
_COUNTRIES = [("viet-nam", "Việt Nam", "Vietnam"), ("lao", "Lào", "Laos"), ("campuchia", "Campuchia", "Cambodia"),
              ("thai-lan", "Thái Lan", "Thailand"), ("trung-quoc", "Trung Quốc", "China"),
              ("nhat-ban", "Nhật Bản", "Japan"), ("han-quoc", "Hàn Quốc", "South Korea"),
              ("hoa-ky", "Hoa Kỳ", "United States"), ("phap", "Pháp", "France"), ("duc", "Đức", "Germany"),
              ("nga", "Nga", "Russia"), ("an-do", "Ấn Độ", "India"), ("singapore", "Singapore", "Singapore"),
              ("indonesia", "Indonesia", "Indonesia"), ("malaysia", "Malaysia", "Malaysia"),
              ("philippines", "Philippines", "Philippines"), ("australia", "Australia", "Australia"),
              ("anh", "Anh", "United Kingdom"), ("italy", "Italy", "Italy"), ("canada", "Canada", "Canada"),
              ("brazil", "Brazil", "Brazil"), ("cuba", "Cuba", "Cuba"), ("mong-co", "Mông Cổ", "Mongolia"),
              ("myanmar", "Myanmar", "Myanmar"), ("brunei", "Brunei", "Brunei"), ("ha-lan", "Hà Lan", "Netherlands"),
              ("tay-ban-nha", "Tây Ban Nha", "Spain"), ("ai-cap", "Ai Cập", "Egypt"), ("nam-phi", "Nam Phi", "South Africa"),
              ("new-zealand", "New Zealand", "New Zealand"), ("ba-lan", "Ba Lan", "Poland"), ("hung-ga-ri", "Hung-ga-ri", "Hungary"),
              ("thuy-dien", "Thụy Điển", "Sweden"), ("chile", "Chile", "Chile"), ("argentina", "Argentina", "Argentina")]
_TITLES = ["Chủ tịch nước", "Thủ tướng", "Tổng Bí thư", "Phó Thủ tướng", "Bộ trưởng Ngoại giao",
           "Chủ tịch Quốc hội", "Bộ trưởng Công Thương", "Bộ trưởng Quốc phòng"]
_CITIES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế", "Quảng Ninh", "Nghệ An",
           "Viêng Chăn", "Luông Pha Băng", "Phnôm Pênh", "Xiêm Riệp", "Bắc Kinh", "Thượng Hải", "Tokyo", "Osaka",
           "Seoul", "Paris", "Berlin", "Moskva", "Băng Cốc", "Jakarta", "Kuala Lumpur", "Manila", "New Delhi"]
_ORG_KINDS = ["Bộ Ngoại giao", "Bộ Công Thương", "Bộ Quốc phòng", "Quốc hội", "Ngân hàng Nhà nước", "Bộ Tài chính"]
_GLOBAL_ORGS = ["ASEAN", "Liên Hợp Quốc", "UNESCO", "APEC", "Ngân hàng Thế giới", "WTO", "Mekong-Lan Thương"]
_DOCS = ["Hiệp định thương mại", "Bản ghi nhớ hợp tác giáo dục", "Thỏa thuận hợp tác năng lượng",
         "Hiệp định mua bán điện", "Kế hoạch hợp tác quốc phòng", "Bản ghi nhớ về chuyển đổi số",
         "Hiệp định khuyến khích và bảo hộ đầu tư", "Thỏa thuận hợp tác y tế"]
_VISIT_TYPES = [VNKG.StateVisit, VNKG.OfficialVisit, VNKG.WorkingVisit]
_MEETING_TYPES = [VNKG.Talks, VNKG.Reception, VNKG.CourtesyCall, VNKG.Encounter]
_INDICATORS = [VNKG.Trade, VNKG.Export, VNKG.Import, VNKG.RegisteredInvestment]


def _vi(text: str) -> Literal:
    return Literal(text, lang="vi")


def _day(rng: random.Random) -> str:
    return f"{rng.randint(2019, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def synthetic_graph(nodes: int = 5000, *, seed: int = 7) -> Graph:
    """A graph of about `nodes` drawable nodes (people, countries, places, positions and facts)."""
    rng = random.Random(seed)
    g = bind_prefixes(Graph())
    people_count = max(4, round((nodes - 140) / 4.4))

    countries = []
    for key, vi, en in _COUNTRIES:
        c = mint("country", key)
        g.add((c, RDF.type, VNKG.Country))
        g.add((c, RDFS.label, _vi(vi)))
        g.add((c, RDFS.label, Literal(en, lang="en")))
        countries.append((key, c, vi))
    country = {key: c for key, c, _ in countries}
    weights = [40 if k == "viet-nam" else 8 if k in _FOREIGN else 2 for k, _, _ in countries]

    places = []
    for i, name in enumerate(_CITIES):
        loc = mint("location", name)
        g.add((loc, RDF.type, VNKG.Location))
        g.add((loc, RDFS.label, _vi(name)))
        g.add((loc, VNKG.country, countries[min(i // 8, len(countries) - 1)][1] if i >= 8 else country["viet-nam"]))
        places.append(loc)
    orgs = []
    for name in _GLOBAL_ORGS:
        org = mint("organization", name)
        g.add((org, RDF.type, VNKG.Organization))
        g.add((org, RDFS.label, _vi(name)))
        orgs.append(org)
    for key, c, vi in countries[:12]:
        for kind in _ORG_KINDS:
            org = mint("organization", f"{kind} {vi}")
            g.add((org, RDF.type, VNKG.Organization))
            g.add((org, RDFS.label, _vi(f"{kind} {vi}")))
            g.add((org, VNKG.country, c))
            orgs.append(org)

    people = []
    seen_names: set[str] = set()
    for i in range(people_count):
        key, c, vi = rng.choices(countries, weights)[0]
        if key in _FOREIGN:
            first, last = _FOREIGN[key]
            name = f"{rng.choice(first)} {rng.choice(last)}"
        else:
            name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
        # Namesakes are real in news too; they still are different people, with different IRIs.
        p = mint("person", f"{name} {i}" if name in seen_names else name)
        seen_names.add(name)
        g.add((p, RDF.type, VNKG.Person))
        g.add((p, RDFS.label, _vi(name)))
        if key == "viet-nam" and rng.random() < 0.3:
            g.add((p, SKOS.altLabel, _vi(name.replace(" ", "_"))))
        g.add((p, VNKG.nationality, c))
        if rng.random() < 0.35:
            title = rng.choice(_TITLES)
            pos = mint("position", f"{title} {vi}")
            g.add((pos, RDF.type, VNKG.Position))
            g.add((pos, VNKG.title, _vi(title)))
            g.add((pos, VNKG.ofCountry, c))
            g.add((p, VNKG.holdsPosition, pos))
        people.append((name, p, key))
    # A few leaders appear in most stories; most people in one or two.
    activity = [1.0 / (k + 1) ** 0.9 for k in range(len(people))]

    articles = []
    for i in range(max(1, people_count)):
        a = mint("article", f"synthetic-article-{seed}-{i}")
        day = _day(rng)
        g.add((a, RDF.type, SCHEMA.NewsArticle))
        g.add((a, VNKG.sourceFile, Literal(f"{i:05d}_synthetic.txt")))
        g.add((a, SCHEMA.datePublished, Literal(day, datatype=XSD.date)))
        articles.append((a, day))

    def cite(fact: URIRef, sentence: str, mentions: list[URIRef]) -> None:
        article, _ = rng.choice(articles)
        g.add((fact, PROV.wasDerivedFrom, article))
        g.add((fact, VNKG.evidence, _vi(sentence)))
        g.add((fact, VNKG.rule, Literal("synthetic")))
        g.add((fact, VNKG.confidence, Literal(round(rng.uniform(0.6, 0.95), 2))))
        if (article, SCHEMA.headline, None) not in g:
            g.add((article, SCHEMA.headline, _vi(sentence[:80])))
        for m in mentions:
            g.add((article, SCHEMA.mentions, m))

    for i in range(round(people_count * 1.5)):
        name, p, key = rng.choices(people, activity)[0]
        dest_key, dest, dest_vi = rng.choice([c for c in countries if c[0] != key])
        start = _day(rng)
        v = mint("visit", f"visit {seed} {i}")
        g.add((v, RDF.type, VNKG.Visit))
        g.add((v, VNKG.visitor, p))
        g.add((v, VNKG.destination, dest))
        g.add((v, VNKG.startDate, Literal(start, datatype=XSD.date)))
        g.add((v, VNKG.visitType, rng.choice(_VISIT_TYPES)))
        g.add((v, VNKG.status, VNKG.Completed))
        g.add((p, VNKG.visited, dest))
        cite(v, f"{name} thăm chính thức {dest_vi} từ ngày {start[8:]}/{start[5:7]}/{start[:4]}.", [p, dest])
    for i in range(round(people_count * 1.2)):
        (a_name, a, _), (b_name, b, _) = rng.choices(people, activity, k=2)
        if a == b:
            continue
        m = mint("meeting", f"meeting {seed} {i}")
        day = _day(rng)
        g.add((m, RDF.type, VNKG.Meeting))
        g.add((m, VNKG.participant, a))
        g.add((m, VNKG.participant, b))
        g.add((m, VNKG.date, Literal(day, datatype=XSD.date)))
        g.add((m, VNKG.meetingType, rng.choice(_MEETING_TYPES)))
        if rng.random() < 0.4:
            g.add((m, VNKG.place, rng.choice(places)))
        g.add((a, VNKG.metWith, b))
        g.add((b, VNKG.metWith, a))
        cite(m, f"Ngày {day[8:]}/{day[5:7]}, {a_name} hội đàm với {b_name}.", [a, b])
    for i in range(round(people_count * 0.3)):
        doc = rng.choice(_DOCS)
        (_, c1, vi1), (_, c2, vi2) = countries[0], rng.choice(countries[1:])
        ag = mint("agreement", f"agreement {seed} {i}")
        g.add((ag, RDF.type, VNKG.Agreement))
        g.add((ag, RDFS.label, _vi(f"{doc} {vi1} - {vi2}")))
        g.add((ag, VNKG.party, c1))
        g.add((ag, VNKG.party, c2))
        if rng.random() < 0.7:
            g.add((ag, VNKG.signedOn, Literal(_day(rng), datatype=XSD.date)))
        if rng.random() < 0.5:
            g.add((ag, VNKG.signedBy, rng.choices(people, activity)[0][1]))
        cite(ag, f"Hai bên đã ký {doc} giữa {vi1} và {vi2}.", [c1, c2])
    for i in range(round(people_count * 0.2)):
        (_, c1, vi1), (_, c2, vi2) = countries[0], rng.choice(countries[1:])
        f = mint("figure", f"figure {seed} {i}")
        year = rng.randint(2019, 2025)
        value = rng.randint(50, 90000) * 1_000_000
        g.add((f, RDF.type, VNKG.EconomicFigure))
        g.add((f, VNKG.indicator, rng.choice(_INDICATORS)))
        g.add((f, VNKG.value, Literal(f"{value}.0", datatype=XSD.decimal)))
        g.add((f, VNKG.unit, Literal("USD")))
        g.add((f, VNKG.period, Literal(str(year))))
        g.add((f, VNKG.between, c1))
        g.add((f, VNKG.between, c2))
        cite(f, f"Năm {year}, kim ngạch thương mại {vi1} - {vi2} đạt {value / 1e9:.2f} tỷ USD.", [c1, c2])
    if orgs:
        for i in range(round(people_count * 0.05)):
            ag = mint("agreement", f"org agreement {seed} {i}")
            org = rng.choice(orgs)
            g.add((ag, RDF.type, VNKG.Agreement))
            g.add((ag, RDFS.label, _vi(f"{rng.choice(_DOCS)} với {g.value(org, RDFS.label)}")))
            g.add((ag, VNKG.party, country["viet-nam"]))
            g.add((ag, VNKG.party, org))
            cite(ag, f"Việt Nam và {g.value(org, RDFS.label)} ký văn kiện hợp tác.", [org])
    return g
