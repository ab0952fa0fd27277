"""Realistic generated news corpora, for benchmarks and scale tests.

Articles read like Vietnamese diplomatic and economic news: leaders with titles
visit countries, hold talks, sign agreements, and trade and investment figures are
quoted, between sentences that name nothing the rules look for. Countries, capitals
and organisations come from the gazetteers in ontology/gazetteers, people are made
from Vietnamese and foreign name parts, and every article is different (a seeded
random generator: the same seed gives the same corpus). Some events are reported a
second time by another outlet a day later, as the press does, so facts carry evidence
from two articles. `build_graph` turns such a corpus into a graph with the real
pipeline: every test family and benchmark that needs a graph of a given size uses it,
so their graphs have exactly the shape `kg build` writes.
"""
from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

_SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ",
             "Ngô", "Dương", "Lý", "Trương", "Đinh", "Lương", "Mai")
_MIDDLES = ("Văn", "Thị", "Minh", "Đức", "Hữu", "Quang", "Thanh", "Xuân", "Hồng", "Ngọc", "Công", "Duy", "Quốc",
            "Bá", "Thế", "Kim", "Anh", "Tiến")
_GIVEN = ("Hùng", "Lan", "Nam", "Cường", "Chính", "Sơn", "Hải", "Long", "Tuấn", "Dũng", "Hà", "Mai", "Phúc",
          "Thắng", "Bình", "Khánh", "Trung", "Hiếu", "Tâm", "Vinh", "Quân", "Thành", "Huệ", "Ngân", "Định")
_FOREIGN_FIRST = ("Anthony", "Maria", "Kenji", "Hiroshi", "Ivan", "Olaf", "Pierre", "Somsak", "Joko", "Anwar",
                  "Rafael", "Ahmed", "Sonexay", "Hun", "Ferdinand", "Prabowo", "Shigeru", "Emmanuel", "Sergey",
                  "Narendra", "Luiz", "Giorgia", "Pedro", "Christopher", "Lawrence", "Paetongtarn", "Yoon")
_FOREIGN_LAST = ("Albanese", "Sato", "Petrov", "Schmidt", "Dubois", "Widodo", "Ibrahim", "Santos", "Marcos",
                 "Wong", "Sisoulith", "Manet", "Siphandone", "Subianto", "Ishiba", "Macron", "Lavrov", "Modi",
                 "Meloni", "Sanchez", "Luxon", "Shinawatra", "Wakamatsu", "Kovacs", "Lindqvist", "Okafor")
_VN_TITLES = ("Tổng Bí thư", "Chủ tịch nước", "Thủ tướng", "Phó Thủ tướng", "Chủ tịch Quốc hội",
              "Bộ trưởng Ngoại giao", "Phó Chủ tịch nước", "Phó Chủ tịch Quốc hội")
_FOREIGN_TITLES = ("Tổng thống", "Thủ tướng", "Bộ trưởng Ngoại giao", "Chủ tịch Quốc hội", "Phó Tổng thống",
                   "Phó Thủ tướng", "Quốc vương", "Chủ tịch Hạ viện")
_FIELDS = ("kinh tế", "thương mại", "đầu tư", "quốc phòng", "an ninh", "giáo dục", "y tế", "văn hóa", "du lịch",
           "nông nghiệp", "năng lượng", "khoa học công nghệ", "chuyển đổi số", "lao động", "giao thông vận tải",
           "biến đổi khí hậu", "tài chính", "ngân hàng", "hàng không", "logistics")
_PUBLISHERS = ("VnExpress", "Tuổi Trẻ", "Thanh Niên", "VTC News", "Báo Chính phủ", "Nhân Dân", "Dân trí",
               "VietnamPlus", "Lao Động", "Tiền Phong")
_VISIT_KINDS = ("cấp nhà nước", "chính thức", "làm việc", "hữu nghị chính thức")
_DOCUMENTS = ("Hiệp định về hợp tác {f}", "Bản ghi nhớ về hợp tác {f}", "Thỏa thuận hợp tác trong lĩnh vực {f}",
              "Chương trình hợp tác {f} giai đoạn {y}-{y2}", "Nghị định thư về {f}")

# Sentences that name no person, date or figure: the bulk of real articles.
_FILLER = (
    "Hai bên nhất trí tiếp tục tăng cường trao đổi đoàn các cấp, thúc đẩy hợp tác trong các lĩnh vực {f} và {f2}.",
    "Các đại biểu đã trao đổi ý kiến về tình hình khu vực và quốc tế cùng quan tâm.",
    "Theo đánh giá của giới chuyên gia, quan hệ {f} giữa hai nước còn nhiều dư địa phát triển.",
    "Hai bên đánh giá cao kết quả hợp tác thời gian qua và thống nhất các phương hướng lớn trong thời gian tới.",
    "Phía bạn bày tỏ mong muốn mở rộng hợp tác trong các lĩnh vực mới như {f} và {f2}.",
    "Hai bên khẳng định sẽ phối hợp chặt chẽ tại các diễn đàn đa phương, đóng góp cho hòa bình và phát triển.",
    "Nhiều doanh nghiệp bày tỏ quan tâm tìm hiểu cơ hội hợp tác trong lĩnh vực {f}.",
    "Hai bên cũng thảo luận các biện pháp tháo gỡ khó khăn cho doanh nghiệp, tạo thuận lợi cho hàng hóa lưu thông.",
    "Đây là dịp để hai bên rà soát toàn diện kết quả hợp tác và định hướng quan hệ trong giai đoạn mới.",
    "Các bộ, ngành liên quan được giao nhiệm vụ triển khai hiệu quả các thỏa thuận đã đạt được.",
    "Bên cạnh đó, giao lưu nhân dân và hợp tác giữa các địa phương tiếp tục được đẩy mạnh.",
    "Theo kế hoạch, hai bên sẽ tổ chức kỳ họp tiếp theo của Ủy ban liên chính phủ vào cuối năm.",
    'Phát biểu tại buổi làm việc, đại diện phía bạn nhấn mạnh: "Hợp tác {f}, {f2} là ưu tiên; chúng tôi sẵn sàng."',
)
_MONTH_ONLY = 0.2  # the share of visits announced for a month, not days: 'sẽ thăm ... vào tháng 5/2024'
_UNDATED = 0.05  # the share of pages scraped without their date: days without a year in the graph
_SECOND_REPORT = 0.15  # the share of articles that report again an event an earlier article reported


@dataclass(frozen=True)
class _Names:
    countries: tuple[tuple[str, str], ...]  # (name, capital or "")
    organizations: tuple[str, ...]


def _load_names(ontology: str | None) -> _Names:
    from kg.nlp.gazetteer import load_gazetteers
    from kg.resources import ontology_dir

    root = Path(ontology) if ontology else ontology_dir()
    gaz = load_gazetteers(root / "gazetteers")
    capitals: dict[str, str] = {}
    for entry in gaz.entries("location"):
        if entry.category == "capital" and entry.country:
            capitals.setdefault(entry.country, entry.name)
    countries = tuple((e.name, capitals.get(e.id, "")) for e in gaz.entries("country")
                      if e.id != "viet-nam" and not e.ambiguous)
    organizations = tuple(e.name for e in gaz.entries("organization") if e.category == "international")
    return _Names(countries or (("Lào", "Viêng Chăn"),), organizations or ("ASEAN",))


class CorpusGenerator:
    """Makes articles as JSONL records: {"title", "text", "date", "source"}."""

    def __init__(self, seed: int = 0, ontology: str | None = None):
        self.rng = random.Random(seed)
        self.names = _load_names(ontology)
        self._last: dict | None = None  # the last event told, which another outlet may report again

    # ------------------------------------------------------------ parts

    def _vn_person(self) -> str:
        r = self.rng
        return f"{r.choice(_SURNAMES)} {r.choice(_MIDDLES)} {r.choice(_GIVEN)}"

    def _foreign_person(self) -> str:
        return f"{self.rng.choice(_FOREIGN_FIRST)} {self.rng.choice(_FOREIGN_LAST)}"

    def _figure(self) -> str:
        r = self.rng
        if r.random() < 0.6:
            return f"{r.randint(1, 99)},{r.randint(1, 9)} tỷ USD"
        return f"{r.randint(100, 950)} triệu USD"

    def _event(self) -> dict:
        r = self.rng
        if self._last is not None and r.random() < _SECOND_REPORT:
            event = dict(self._last, date=self._last["date"] + dt.timedelta(days=1))
            self._last = None  # reported twice at most
            return event
        date = dt.date(2023, 1, 1) + dt.timedelta(days=r.randrange(0, 3 * 365))
        start = date + dt.timedelta(days=r.choice((-3, -2, -1, 2, 5, 9)))
        country, capital = r.choice(self.names.countries)
        fields = r.sample(_FIELDS, 4)
        event = {"date": date, "country": country, "capital": capital, "fields": fields,
                 "host": (r.choice(_VN_TITLES), self._vn_person()),
                 "guest": (r.choice(_FOREIGN_TITLES), self._foreign_person()),
                 "start": start, "end": start + dt.timedelta(days=r.randint(1, 3)),
                 "kind": r.choice(_VISIT_KINDS), "month_only": r.random() < _MONTH_ONLY,
                 "document": r.choice(_DOCUMENTS).format(f=fields[0], y=date.year, y2=date.year + 4)}
        self._last = event
        return event

    def article(self, number: int) -> dict:
        """One article; `number` only varies the URL."""
        r = self.rng
        event = self._event()
        date, country, capital, fields = event["date"], event["country"], event["capital"], event["fields"]
        (host_title, host), (guest_title, guest) = event["host"], event["guest"]
        start, end = event["start"], event["end"]
        span = f"{start.day} - {end.day}/{start.month}" if start.month == end.month \
            else f"{start.day}/{start.month} đến ngày {end.day}/{end.month}"
        kind = event["kind"]
        tense = "sẽ" if start > date else "đã"
        year = date.year - 1
        document = event["document"]
        place = capital or country

        when = f"vào tháng {start.month}/{start.year}" if event["month_only"] else f"từ ngày {span}"
        facts = [
            f"Nhận lời mời của {guest_title} {country} {guest}, {host_title} {host} {tense} thăm {kind} "
            f"{country} {when}.",
            f"Ngày {start.day}/{start.month}, tại {place}, {host_title} {host} đã hội đàm với {guest_title} "
            f"{guest}.",
            f"Sau hội đàm, hai nhà lãnh đạo đã chứng kiến lễ ký {document} giữa Việt Nam và {country}.",
            f"Kim ngạch thương mại song phương giữa Việt Nam và {country} năm {year} đạt {self._figure()}, "
            f"tăng {r.randint(2, 35)}% so với năm trước.",
            f"Xuất khẩu của Việt Nam sang {country} trong {r.randint(2, 11)} tháng đầu năm {date.year} đạt "
            f"{self._figure()}.",
            f"{country} hiện có {r.randint(20, 900)} dự án đầu tư tại Việt Nam với tổng vốn đăng ký đạt "
            f"{self._figure()}.",
            f"Cùng ngày, {host_title} {host} đã tiếp {r.choice(_FOREIGN_TITLES)} {country} "
            f"{self._foreign_person()}.",
            f"Hai bên cũng trao đổi về hợp tác trong khuôn khổ {r.choice(self.names.organizations)}.",
        ]
        chosen = r.sample(facts, r.randint(3, len(facts)))
        body: list[str] = []
        for sentence in chosen:
            body.append(sentence)
            for _ in range(r.randint(1, 3)):
                body.append(r.choice(_FILLER).format(f=r.choice(fields), f2=r.choice(fields)))
        paragraphs, para = [], []
        for sentence in body:
            para.append(sentence)
            if len(para) >= r.randint(2, 4):
                paragraphs.append(" ".join(para))
                para = []
        if para:
            paragraphs.append(" ".join(para))
        verb = "sẽ thăm" if tense == "sẽ" else "thăm"
        title = f"{host_title} {host} {verb} {kind} {country}"
        record = {"title": title, "text": "\n".join(paragraphs), "date": date.isoformat(),
                  "source": r.choice(_PUBLISHERS), "url": f"https://news.example.org/{date.year}/{number:07d}.html"}
        if r.random() < _UNDATED:
            del record["date"]
        return record

    def articles(self, count: int, start: int = 0) -> Iterator[dict]:
        for number in range(start, start + count):
            yield self.article(number)


def write_corpus(folder: str | Path, count: int, *, seed: int = 0, per_file: int = 1000, start: int = 0,
                 ontology: str | None = None) -> list[Path]:
    """Write `count` generated articles as JSONL files of `per_file` records under `folder`."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    gen = CorpusGenerator(seed, ontology)
    written: list[Path] = []
    handle = None
    try:
        for i, record in enumerate(gen.articles(count, start)):
            if i % per_file == 0:
                if handle:
                    handle.close()
                path = folder / f"news-{seed:03d}-{(start + i) // per_file:05d}.jsonl"
                handle = path.open("w", encoding="utf-8")
                written.append(path)
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    finally:
        if handle:
            handle.close()
    return written


def build_graph(path: str | Path, articles: int, *, seed: int = 0, workers: int = 1) -> Path:
    """Generate `articles` articles (see CorpusGenerator), build them as `kg build` does and
    write the merged graph to `path` as Turtle; returns the path.

    About 150 triples per article. The articles are written to, and built in, a temporary
    folder that is removed afterwards."""
    import tempfile

    from kg.builder import build_corpus
    from kg.outputs import write_turtle_file

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="vnkg-synthetic-") as work:
        write_corpus(Path(work) / "articles", articles, seed=seed)
        result = build_corpus([Path(work) / "articles"], workers=workers, work_dir=work)
        try:
            write_turtle_file(result, path)
        finally:
            result.close()
    return path
