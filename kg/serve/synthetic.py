"""Generated graphs in the shape `kg build` writes, for load tests and benchmarks.

The graphs are made up (Vietnamese names, real country names, dates in 2020-2025)
but follow ../shared/SCHEMA.md term for term, so the example queries exercise the
same joins on them as on a real graph. Nothing here is used to build real graphs.
"""
from __future__ import annotations

import hashlib
import random
import unicodedata
from pathlib import Path

from kg.rdf.namespaces import turtle_prefixes

_FAMILY = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
           "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý"]
_MIDDLE = ["Văn", "Thị", "Minh", "Đức", "Hữu", "Thanh", "Quốc", "Xuân", "Hồng", "Ngọc"]
_GIVEN = ["An", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hùng", "Khánh", "Lan", "Long",
          "Mai", "Nam", "Phúc", "Quang", "Sơn", "Tâm", "Thắng", "Trung", "Tuấn", "Việt", "Chính"]
_COUNTRIES = [("viet-nam", "Việt Nam", "Vietnam"), ("lao", "Lào", "Laos"), ("campuchia", "Campuchia", "Cambodia"),
              ("thai-lan", "Thái Lan", "Thailand"), ("trung-quoc", "Trung Quốc", "China"),
              ("nhat-ban", "Nhật Bản", "Japan"), ("han-quoc", "Hàn Quốc", "South Korea"),
              ("hoa-ky", "Hoa Kỳ", "United States"), ("phap", "Pháp", "France"), ("duc", "Đức", "Germany"),
              ("nga", "Nga", "Russia"), ("an-do", "Ấn Độ", "India"), ("singapore", "Singapore", "Singapore"),
              ("indonesia", "Indonesia", "Indonesia"), ("malaysia", "Malaysia", "Malaysia"),
              ("philippines", "Philippines", "Philippines"), ("australia", "Australia", "Australia"),
              ("anh", "Anh", "United Kingdom"), ("italy", "Italy", "Italy"), ("canada", "Canada", "Canada"),
              ("brazil", "Brazil", "Brazil"), ("cuba", "Cuba", "Cuba"), ("mong-co", "Mông Cổ", "Mongolia"),
              ("myanmar", "Myanmar", "Myanmar"), ("brunei", "Brunei", "Brunei"), ("ha-lan", "Hà Lan", "Netherlands")]
_TITLES = ["Chủ tịch nước", "Thủ tướng", "Tổng Bí thư", "Phó Thủ tướng", "Bộ trưởng Ngoại giao",
           "Chủ tịch Quốc hội", "Bộ trưởng Công Thương"]
_CITIES = ["Hà Nội", "Thành phố Hồ Chí Minh", "Đà Nẵng", "Hải Phòng", "Cần Thơ", "Huế", "Viêng Chăn",
           "Phnôm Pênh", "Bắc Kinh", "Tokyo", "Seoul", "Paris", "Berlin", "Moskva", "Băng Cốc"]
_DOCS = ["Hiệp định thương mại", "Bản ghi nhớ hợp tác giáo dục", "Thỏa thuận hợp tác năng lượng",
         "Hiệp định mua bán điện", "Kế hoạch hợp tác quốc phòng", "Bản ghi nhớ về chuyển đổi số"]
_VISIT_TYPES = ["StateVisit", "OfficialVisit", "WorkingVisit"]
_MEETING_TYPES = ["Talks", "Reception", "CourtesyCall", "Encounter"]
_INDICATORS = ["Trade", "Export", "Import", "RegisteredInvestment"]

_PREFIXES = turtle_prefixes()


def _slug(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "-".join(ascii_text.lower().split())


def _hash(*parts: object) -> str:
    return hashlib.sha1("|".join(map(str, parts)).encode()).hexdigest()[:16]


def _date(rng: random.Random) -> str:
    return f"{rng.randint(2020, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"


def synthetic_turtle(people: int = 1000, *, seed: int = 7) -> str:
    """Turtle text of a made-up news graph; about 50 triples per person asked for."""
    rng = random.Random(seed)
    out: list[str] = [_PREFIXES]
    add = out.append
    for slug, vi, en in _COUNTRIES:
        add(f'country:{slug} a vnkg:Country ; rdfs:label "{vi}"@vi, "{en}"@en .\n')
    for city in _CITIES:
        add(f'location:{_slug(city)} a vnkg:Location ; rdfs:label "{city}"@vi .\n')
    add('organization:asean a vnkg:Organization ; rdfs:label "ASEAN"@vi .\n')

    persons: list[tuple[str, str, str]] = []
    seen: set[str] = set()
    while len(persons) < people:
        name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE)} {rng.choice(_GIVEN)}"
        if len(seen) >= len(_FAMILY) * len(_MIDDLE) * len(_GIVEN):
            name = f"{name} {len(persons)}"
        slug = _slug(name)
        if slug in seen:
            continue
        seen.add(slug)
        country = rng.choice(_COUNTRIES)[0]
        persons.append((slug, name, country))

    articles = [_hash("article", i) for i in range(max(1, people))]
    for i, art in enumerate(articles):
        day = _date(rng)
        mentioned = {f"person:{rng.choice(persons)[0]}" for _ in range(3)} | {f"country:{rng.choice(_COUNTRIES)[0]}"}
        add(f'article:{art} a schema:NewsArticle ; vnkg:sourceFile "{i:05d}_{art}.txt" ;\n'
            f'    schema:headline "Bản tin đối ngoại số {i}"@vi ; schema:datePublished "{day}"^^xsd:date ;\n'
            f'    schema:mentions {", ".join(sorted(mentioned))} .\n')

    for slug, name, country in persons:
        title = rng.choice(_TITLES)
        pos = f"{_slug(title)}-{country}"
        art = rng.choice(articles)
        add(f'person:{slug} a vnkg:Person ; rdfs:label "{name}"@vi ; vnkg:nationality country:{country} ;\n'
            f'    vnkg:holdsPosition position:{pos} .\n'
            f'position:{pos} a vnkg:Position ; vnkg:title "{title}"@vi ; vnkg:ofCountry country:{country} ;\n'
            f'    prov:wasDerivedFrom article:{art} ; vnkg:evidence "{title} {name} phát biểu tại hội nghị."@vi .\n')

    for i in range(people):
        visitor, host = rng.sample(persons, 2)
        dest = host[2]
        start = _date(rng)
        art = rng.choice(articles)
        vid = _hash("visit", i)
        add(f'visit:{vid} a vnkg:Visit ; vnkg:visitor person:{visitor[0]} ; vnkg:destination country:{dest} ;\n'
            f'    vnkg:startDate "{start}"^^xsd:date ; vnkg:visitType vnkg:{rng.choice(_VISIT_TYPES)} ;\n'
            f'    vnkg:invitedBy person:{host[0]} ; vnkg:status vnkg:Completed ;\n'
            f'    prov:wasDerivedFrom article:{art} ;\n'
            f'    vnkg:evidence "{visitor[1]} thăm {dest} theo lời mời của {host[1]}."@vi ;\n'
            f'    vnkg:charStart 0 ; vnkg:charEnd 80 ; vnkg:rule "visit.subject-verb-object" ; vnkg:confidence 0.9 .\n'
            f'person:{visitor[0]} vnkg:visited country:{dest} .\n')
        a, b = rng.sample(persons, 2)
        mid = _hash("meeting", i)
        add(f'meeting:{mid} a vnkg:Meeting ; vnkg:participant person:{a[0]}, person:{b[0]} ;\n'
            f'    vnkg:date "{_date(rng)}"^^xsd:date ; vnkg:meetingType vnkg:{rng.choice(_MEETING_TYPES)} ;\n'
            f'    vnkg:place location:{_slug(rng.choice(_CITIES))} ; prov:wasDerivedFrom article:{art} ;\n'
            f'    vnkg:evidence "{a[1]} hội đàm với {b[1]}."@vi ;\n'
            f'    vnkg:charStart 0 ; vnkg:charEnd 60 ; vnkg:rule "meeting.talks-with" ; vnkg:confidence 0.9 .\n'
            f'person:{a[0]} vnkg:metWith person:{b[0]} . person:{b[0]} vnkg:metWith person:{a[0]} .\n')
        if i % 4 == 0:
            c1, c2 = rng.sample(_COUNTRIES, 2)
            doc = rng.choice(_DOCS)
            add(f'agreement:{_hash("agreement", i)} a vnkg:Agreement ; rdfs:label "{doc} {c1[1]} - {c2[1]}"@vi ;\n'
                f'    vnkg:party country:{c1[0]}, country:{c2[0]} ; vnkg:signedOn "{_date(rng)}"^^xsd:date ;\n'
                f'    vnkg:signedBy person:{a[0]} ; prov:wasDerivedFrom article:{art} ;\n'
                f'    vnkg:evidence "Hai bên ký {doc}."@vi .\n')
        if i % 3 == 0:
            c1, c2 = rng.sample(_COUNTRIES, 2)
            indicator = rng.choice(_INDICATORS)
            value = rng.randint(1, 5000) * 1_000_000
            parties = (f"vnkg:between country:{c1[0]}, country:{c2[0]}" if indicator == "Trade"
                       else f"vnkg:fromCountry country:{c1[0]} ; vnkg:toCountry country:{c2[0]}")
            add(f'figure:{_hash("figure", i)} a vnkg:EconomicFigure ; vnkg:indicator vnkg:{indicator} ;\n'
                f'    vnkg:value {value}.0 ; vnkg:unit "USD" ; vnkg:period "{rng.randint(2018, 2025)}" ;\n'
                f'    {parties} ; prov:wasDerivedFrom article:{art} ;\n'
                f'    vnkg:evidence "Kim ngạch đạt {value // 1_000_000} triệu USD."@vi .\n')
    return "".join(out)


def write_synthetic_graph(path: str | Path, people: int = 1000, *, seed: int = 7) -> Path:
    """Write `synthetic_turtle(people)` to `path` (UTF-8) and return the path."""
    path = Path(path)
    path.write_text(synthetic_turtle(people, seed=seed), encoding="utf-8")
    return path
