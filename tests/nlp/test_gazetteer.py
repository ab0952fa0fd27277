"""The gazetteer files and their loader: the data keeps its conventions, names resolve, texts match."""
from __future__ import annotations

import json
import shutil
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from kg.errors import DataFileError
from kg.nlp.gazetteer import FILES, KINDS, load_gazetteers
from kg.text import traditional_tones
from kg.rdf.iri import slugify

ROOT = Path(__file__).resolve().parents[2]
GAZ = ROOT / "ontology" / "gazetteers"
ARTICLES = ROOT / "data" / "articles"


@pytest.fixture(scope="module")
def gaz():
    return load_gazetteers(GAZ)


def _rows(kind: str) -> list[dict]:
    with (GAZ / FILES[kind]).open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def _strings(value):
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)


# ---------------------------------------------------------------- the data files


@pytest.mark.parametrize("kind", KINDS)
def test_every_gazetteer_file_loads_with_entries(gaz, kind):
    entries = gaz.entries(kind)
    assert len(entries) == len(_rows(kind)) > 40
    assert all(e.kind == kind for e in entries)


@pytest.mark.parametrize("kind", KINDS)
def test_ids_are_unique_slugs_of_the_name(kind):
    rows = _rows(kind)
    ids = [row["id"] for row in rows]
    assert len(ids) == len(set(ids))
    name_field = "field" if kind == "ministry" else "name"
    for row in rows:
        slug = slugify(row[name_field])
        # documented exception: a second place with the same slug ("Nhà Trắng" after "Nha Trang") names its country
        assert row["id"] == slug or (kind == "location" and row["id"] == f"{slug}-{row['country']}"), row


@pytest.mark.parametrize("kind", KINDS)
def test_no_name_or_alias_belongs_to_two_entries(gaz, kind):
    for entry in gaz.entries(kind):
        surfaces = [f"Bộ {s}" for s in entry.surfaces] if kind == "ministry" else entry.surfaces
        for surface in surfaces:
            assert gaz.lookup(surface, kind) == [entry], (surface, [e.id for e in gaz.lookup(surface, kind)])


@pytest.mark.parametrize("kind", KINDS)
def test_every_string_is_nfc_with_traditional_tone_marks(kind):
    for row in _rows(kind):
        for text in _strings(row):
            assert unicodedata.normalize("NFC", text) == text, (row["id"], text)
            assert traditional_tones(text) == text, (row["id"], text)


@pytest.mark.parametrize("kind", ["location", "organization", "country"])
def test_every_country_reference_exists(gaz, kind):
    countries = {e.id for e in gaz.entries("country")}
    for row in _rows(kind):
        for key in ("country", "part_of"):
            assert row.get(key) in (None, *countries), (row["id"], key, row.get(key))


@pytest.mark.parametrize("kind", ["body", "ministry"])
def test_countries_of_bodies_and_ministries_exist(gaz, kind):
    countries = {e.id for e in gaz.entries("country")}
    for row in _rows(kind):
        assert set(row.get("countries", ())) <= countries, row["id"]


def test_countries_cover_every_un_member_once():
    rows = _rows("country")
    members = [row for row in rows if row["status"] == "member"]
    assert len(members) == 193
    assert len({row["iso2"] for row in rows}) == len(rows)
    assert {row["id"] for row in rows if row["status"] == "observer"} == {"toa-thanh-vatican", "palestine"}


def test_provinces_cover_both_the_63_and_the_34_units():
    rows = [row for row in _rows("location") if row["country"] == "viet-nam" and "status" in row]
    before = [row for row in rows if row.get("until") != "2008"]
    current = [row for row in rows if row["status"] == "current"]
    assert len(before) == 63
    assert len(current) == 34
    ids = {row["id"] for row in rows}
    for row in rows:
        assert row.get("merged_into", "ha-noi") in ids
        assert set(row.get("formed_from", ())) <= ids
    merged = {row["id"]: row["merged_into"] for row in rows if row["status"] == "merged"}
    assert merged["yen-bai"] == "lao-cai"
    assert merged["binh-duong"] == "thanh-pho-ho-chi-minh"
    assert merged["quang-nam"] == "da-nang"


# ---------------------------------------------------------------- lookup


@pytest.mark.parametrize("surface, kind, ident", [
    ("CHDCND Lào", "country", "lao"),
    ("Cộng hòa Dân chủ nhân dân Lào", "country", "lao"),
    ("cộng hòa dân chủ nhân dân lào", "country", "lao"),
    ("Lào", "country", "lao"),
    ("LÀO", "country", "lao"),
    ("Mỹ", "country", "hoa-ky"),
    ("Hợp chúng quốc Hoa Kỳ", "country", "hoa-ky"),
    ("Xinh-ga-po", "country", "singapore"),
    ("Xinh ga po", "country", "singapore"),
    ("CHXHCN Việt Nam", "country", "viet-nam"),
    ("Việt_Nam", "country", "viet-nam"),
    ("CHND Trung Hoa", "country", "trung-quoc"),
    ("Thụy Sỹ", "country", "thuy-si"),
    ("Thuỵ Sĩ", "country", "thuy-si"),
    ("Bộ Ngoại giao", "ministry", "ngoai-giao"),
    ("Bộ Ngoại_giao", "ministry", "ngoai-giao"),
    ("Bộ trưởng Bộ Ngoại giao", "ministry", "ngoai-giao"),
    ("Ngoại trưởng", "ministry", "ngoai-giao"),
    ("Bộ Giáo dục - Đào tạo", "ministry", "giao-duc-va-dao-tao"),
    ("Bộ Giáo dục - Thể thao", "ministry", "giao-duc-va-the-thao"),
    ("Bộ Công thương", "ministry", "cong-thuong"),
    ("Đảng Nhân dân cách mạng Lào", "organization", "dang-nhan-dan-cach-mang-lao"),
    ("Đảng NDCM Lào", "organization", "dang-nhan-dan-cach-mang-lao"),
    ("ĐCSVN", "organization", "dang-cong-san-viet-nam"),
    ("ASEAN", "organization", "asean"),
    ("LHQ", "organization", "lien-hop-quoc"),
    ("Ủy ban liên Chính phủ", "organization", "uy-ban-lien-chinh-phu-viet-nam-lao"),
    ("Tân Hoa xã", "organization", "tan-hoa-xa"),
    ("Ban Chấp hành T.Ư Đảng", "body", "ban-chap-hanh-trung-uong-dang"),
    ("Quốc hội", "body", "quoc-hoi"),
    ("Viêng Chăn", "location", "vieng-chan"),
    ("Vientiane", "location", "vieng-chan"),
    ("Mát-xcơ-va", "location", "mat-xco-va"),
    ("Oa-sinh-tơn", "location", "oa-sinh-ton"),
    ("TP. Hồ Chí Minh", "location", "thanh-pho-ho-chi-minh"),
    ("TP.HCM", "location", "thanh-pho-ho-chi-minh"),
    ("Hoà Bình", "location", "hoa-binh"),
    ("Nhà Trắng", "location", "nha-trang-hoa-ky"),
    ("Nha Trang", "location", "nha-trang"),
    ("sông Mê Công", "location", "song-mekong"),
])
def test_lookup_resolves_surface_forms(gaz, surface, kind, ident):
    assert [(e.kind, e.id) for e in gaz.lookup(surface)] == [(kind, ident)]


@pytest.mark.parametrize("surface", ["nga", "anh", "Việt", "Trung", "hòa bình", "Ngoại giao", "Quốc", ""])
def test_lookup_finds_nothing_for_words_that_are_not_names(gaz, surface):
    assert gaz.lookup(surface) == []


@pytest.mark.parametrize("surface, ambiguous", [("Anh", True), ("Nga", True), ("Mỹ", True), ("Hoa Kỳ", False),
                                                 ("Vương quốc Anh", False), ("Lào", False)])
def test_ambiguous_forms_are_marked_per_surface(gaz, surface, ambiguous):
    [entry] = gaz.lookup(surface, "country")
    assert entry.is_ambiguous(surface) is ambiguous


def test_get_and_entries_reject_unknown_kinds(gaz):
    assert gaz.get("country", "lao").name == "Lào"
    assert gaz.get("country", "atlantis") is None
    with pytest.raises(ValueError, match="unknown gazetteer kind"):
        gaz.entries("planet")


def test_surface_forms_come_longest_first(gaz):
    forms = gaz.surface_forms("country")
    lengths = [len(s) for s, _ in forms]
    assert lengths == sorted(lengths, reverse=True)
    assert ("CHDCND Lào", gaz.get("country", "lao")) in forms
    assert ("Bộ trưởng Ngoại giao", gaz.get("ministry", "ngoai-giao")) in gaz.surface_forms("ministry")


def test_loading_is_cached_per_folder(gaz, monkeypatch):
    assert load_gazetteers(GAZ) is gaz
    monkeypatch.setenv("VNKG_ONTOLOGY_DIR", str(ROOT / "ontology"))
    assert load_gazetteers() is gaz


# ---------------------------------------------------------------- find


def _found(gaz, text, kinds=None):
    return [(m.surface, m.kind, m.key) for m in gaz.find(text, kinds)]


@pytest.mark.parametrize("text, expected", [
    ("Đoàn đi Làocai rồi sang Lào.", [("Lào", "country", "lao")]),
    ("Ngang qua Nga.", [("Nga", "country", "nga")]),
    ("chị nga và anh đi", []),
    ("Chủ tịch nước Cộng hòa Dân chủ nhân dân Lào phát biểu",
     [("Cộng hòa Dân chủ nhân dân Lào", "country", "lao")]),
    ("tỉnh Lào Cai giáp Vân Nam", [("tỉnh Lào Cai", "location", "lao-cai"), ("Vân Nam", "location", "van-nam")]),
    ("quan hệ Việt_Nam - Lào", [("Việt_Nam", "country", "viet-nam"), ("Lào", "country", "lao")]),
    ("tại TP. Hồ Chí Minh", [("TP. Hồ Chí Minh", "location", "thanh-pho-ho-chi-minh")]),
    ("hội nghị ASEAN tại Gia-các-ta", [("ASEAN", "organization", "asean"), ("Gia-các-ta", "location", "gia-cac-ta")]),
    ("tỉnh Hoà Bình", [("tỉnh Hoà Bình", "location", "hoa-binh")]),
    ("vì hòa bình", []),
])
def test_find_respects_word_boundaries_and_prefers_the_longest_name(gaz, text, expected):
    assert _found(gaz, text) == expected


def test_find_offsets_point_into_the_text(gaz):
    text = "Thủ tướng Lào thăm Xinh-ga-po và gặp Tổng thống Mỹ tại Nhà Trắng, Oa-sinh-tơn."
    matches = gaz.find(text)
    assert [(m.surface, m.key) for m in matches] == [
        ("Lào", "lao"), ("Xinh-ga-po", "singapore"), ("Mỹ", "hoa-ky"),
        ("Nhà Trắng", "nha-trang-hoa-ky"), ("Oa-sinh-tơn", "oa-sinh-ton")]
    assert all(text[m.start:m.end] == m.surface for m in matches)
    assert [m.ambiguous for m in matches] == [False, False, True, False, False]


@pytest.mark.parametrize("text, pair", [
    ("Quan hệ Việt - Lào ngày càng bền chặt", [("Việt", "viet-nam"), ("Lào", "lao")]),
    ("hợp tác Việt – Trung", [("Việt", "viet-nam"), ("Trung", "trung-quoc")]),
    ("đối thoại Mỹ-Trung", [("Mỹ", "hoa-ky"), ("Trung", "trung-quoc")]),
    ("liên minh Việt - Miên - Lào", [("Việt", "viet-nam"), ("Miên", "campuchia"), ("Lào", "lao")]),
])
def test_short_country_forms_count_inside_pairs(gaz, text, pair):
    matches = gaz.find(text, ["country"])
    assert [(m.surface, m.key) for m in matches] == pair
    assert all(m.in_pair for m in matches)


@pytest.mark.parametrize("text", ["người Việt ở Trung ương", "Trung Việt là tên người"])
def test_short_country_forms_alone_are_not_countries(gaz, text):
    assert gaz.find(text, ["country"]) == []


@pytest.mark.parametrize("text, surface, key, label, owner", [
    ("Bộ Ngoại giao cho biết", "Bộ Ngoại giao", "bo-ngoai-giao-viet-nam", "Bộ Ngoại giao Việt Nam", None),
    ("Bộ Ngoại giao Lào cho biết", "Bộ Ngoại giao Lào", "bo-ngoai-giao-lao", "Bộ Ngoại giao Lào", "lao"),
    ("Bộ Giáo dục - Thể thao Lào", "Bộ Giáo dục - Thể thao Lào", "bo-giao-duc-va-the-thao-lao",
     "Bộ Giáo dục và Thể thao Lào", "lao"),
    ("Quốc hội Hàn Quốc thông qua", "Quốc hội Hàn Quốc", "quoc-hoi-han-quoc", "Quốc hội Hàn Quốc", "han-quoc"),
    ("Quốc hội họp", "Quốc hội", "quoc-hoi-viet-nam", "Quốc hội Việt Nam", None),
    ("Thượng viện Mỹ", "Thượng viện Mỹ", "thuong-vien-hoa-ky", "Thượng viện Hoa Kỳ", "hoa-ky"),
    ("Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào",
     "Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào", "ban-chap-hanh-trung-uong-dang-nhan-dan-cach-mang-lao",
     "Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào", "dang-nhan-dan-cach-mang-lao"),
    ("Bộ Chính trị họp", "Bộ Chính trị", "bo-chinh-tri-dang-cong-san-viet-nam",
     "Bộ Chính trị Đảng Cộng sản Việt Nam", None),
])
def test_bodies_and_ministries_take_the_country_or_party_written_after_them(gaz, text, surface, key, label, owner):
    [match] = gaz.find(text)
    assert (match.surface, match.key, match.label) == (surface, key, label)
    assert (match.owner.key if match.owner else None) == owner
    if match.owner:
        assert text[match.owner.start:match.owner.end] == match.owner.surface


@pytest.mark.parametrize("text, title, key", [
    ("Bộ trưởng Ngoại giao Lào Thongsavanh", "Bộ trưởng Ngoại giao", "bo-ngoai-giao-lao"),
    ("Bộ trưởng Bộ Ngoại giao Bùi Thanh Sơn", "Bộ trưởng Ngoại giao", "bo-ngoai-giao-viet-nam"),
    ("Thứ trưởng Ngoại giao", "Thứ trưởng Ngoại giao", "bo-ngoai-giao-viet-nam"),
    ("Ngoại trưởng Mỹ", "Bộ trưởng Ngoại giao", "bo-ngoai-giao-hoa-ky"),
])
def test_minister_titles_are_found_with_the_ministry(gaz, text, title, key):
    match = gaz.find(text, ["ministry"])[0]
    assert (match.title, match.key) == (title, key)


# countries a careful reader finds in each sample article
SAMPLE_COUNTRIES = {
    "000_2b5c8a3f05ad2a4b.txt": {"viet-nam", "lao", "thai-lan", "campuchia", "myanmar"},
    "001_dc73f544e760917f.txt": {"viet-nam", "lao"},
    "002_14f6a98d7d5db941.txt": {"viet-nam", "lao", "trung-quoc", "thai-lan"},
    "004_19226fb41cbd04d1.txt": {"viet-nam", "lao"},
}


@pytest.mark.parametrize("name", sorted(SAMPLE_COUNTRIES))
def test_find_names_every_country_of_the_sample_articles(gaz, name):
    text = (ARTICLES / name).read_text(encoding="utf-8")
    matches = gaz.find(text)
    assert all(text[m.start:m.end] == m.surface for m in matches)
    countries = {e.id for m in matches for e in (m.entries + ((m.owner.entry,) if m.owner else ()))
                 if e.kind == "country"}
    # the organisations whose names contain countries ("Hợp tác bốn nước Campuchia, Lào, Myanmar...") count too
    countries |= {m.entry.id for m in gaz.find(text, ["country"])}
    assert SAMPLE_COUNTRIES[name] <= countries


# ---------------------------------------------------------------- tone marks


@pytest.mark.parametrize("new, old", [("Hoà Bình", "Hòa Bình"), ("Khánh Hoà", "Khánh Hòa"), ("thuỷ", "thủy"),
                                      ("khoẻ", "khỏe"), ("Thoả thuận", "Thỏa thuận"), ("HOÀ", "HÒA"),
                                      ("quý", "quý"), ("Hoàng", "Hoàng"), ("khuya", "khuya")])
def test_traditional_tones_moves_marks_in_open_syllables_only(new, old):
    assert traditional_tones(new) == old


@given(st.text(alphabet="oOuUyYaAeEqQhàáảãạòóỏõọùúủũụỳýỷỹỵèéẻẽẹ _-", max_size=30))
def test_traditional_tones_keeps_length_and_is_idempotent(text):
    once = traditional_tones(text)
    assert len(once) == len(text)
    assert traditional_tones(once) == once


# ---------------------------------------------------------------- broken files


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "gazetteers"
    shutil.copytree(GAZ, target)
    return target


@pytest.mark.parametrize("line, problem", [
    ("{not json", "not valid JSON"),
    ('["a list"]', "expected a JSON object"),
    ('{"name": "Atlantis"}', "'id' must be a slug"),
    ('{"id": "Atlantis", "name": "Atlantis"}', "'id' must be a slug"),
    ('{"id": "atlantis"}', "'name' must be a non-empty string"),
    ('{"id": "atlantis", "name": "Atlantis", "aliases": "Atl"}', "'aliases' must be a list"),
    ('{"id": "atlantis", "name": "Atlantis", "kind": "city", "country": "mu"}', "unknown country 'mu'"),
    ('{"id": "atlantis", "name": "Atlantis", "kind": "moon", "country": null}', "'kind' must be one of"),
    ('{"id": "atlantis", "name": "Atlantis", "kind": "city", "country": null, "ambiguous": ["Mu"]}',
     "not names of this entry"),
])
def test_malformed_line_raises_data_file_error_with_file_and_line(tmp_path, line, problem):
    folder = _copy(tmp_path)
    path = folder / "locations.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines.insert(4, line)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=problem) as info:
        load_gazetteers(folder)
    assert "locations.jsonl:5:" in str(info.value)


def test_duplicate_id_names_both_lines(tmp_path):
    folder = _copy(tmp_path)
    path = folder / "locations.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = next(i for i, line in enumerate(lines, 1) if '"id": "vieng-chan"' in line)
    lines.append('{"id": "vieng-chan", "name": "Viêng Chăn", "kind": "capital", "country": "lao"}')
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(DataFileError, match=f"locations.jsonl:{len(lines)}: id 'vieng-chan' already used on line {first}"):
        load_gazetteers(folder)


def test_missing_file_raises_data_file_error(tmp_path):
    folder = _copy(tmp_path)
    (folder / "ministries.jsonl").unlink()
    with pytest.raises(DataFileError, match="ministries.jsonl: gazetteer file missing"):
        load_gazetteers(folder)


def _hand_made(tmp_path: Path, rows: dict[str, list[dict]]):
    """The gazetteers of a folder holding `rows`, beside a copy of the project's rules folder
    (how ministries are written and which country is home come from there)."""
    folder = tmp_path / "g"
    folder.mkdir()
    rules = tmp_path / "rules"
    rules.mkdir()
    shutil.copy(ROOT / "ontology" / "rules" / "words.jsonl", rules / "words.jsonl")
    shutil.copy(ROOT / "ontology" / "rules" / "patterns.jsonl", rules / "patterns.jsonl")
    for kind, entries in rows.items():
        (folder / FILES[kind]).write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in entries),
                                          encoding="utf-8")
    return load_gazetteers(folder)


def test_a_small_hand_made_folder_loads_and_matches(tmp_path):
    gaz = _hand_made(tmp_path, {
        "country": [{"id": "lao", "name": "Lào", "aliases": ["CHDCND Lào"], "short": []}],
        "location": [{"id": "vieng-chan", "name": "Viêng Chăn", "kind": "capital", "country": "lao"}],
        "organization": [],
        "body": [{"id": "quoc-hoi", "name": "Quốc hội"}],
        "ministry": [{"id": "ngoai-giao", "field": "Ngoại giao", "minister_aliases": ["Ngoại trưởng"]}],
    })
    assert [(m.surface, m.key) for m in gaz.find("Quốc hội Lào họp ở Viêng Chăn")] == [
        ("Quốc hội Lào", "quoc-hoi-lao"), ("Viêng Chăn", "vieng-chan")]
    assert gaz.find("Ngoại trưởng CHDCND Lào")[0].key == "bo-ngoai-giao-lao"


# ---------------------------------------------------------------- where names may start


@pytest.mark.parametrize("text, expected", [
    ("Lào", [("Lào", "lao")]),  # the whole text
    ("(Lào)", [("Lào", "lao")]),
    ("quan hệ Việt\u00a0Nam\u2013Lào", [("Việt\u00a0Nam", "viet-nam"), ("Lào", "lao")]),  # no-break space, en dash
    ("thăm Xinh\u2014ga\u2014po.", [("Xinh\u2014ga\u2014po", "singapore")]),
    ("thăm Xinh\u2011ga\u2011po", [("Xinh\u2011ga\u2011po", "singapore")]),  # non-breaking hyphens
    ("Việt_Nam,Lào", [("Việt_Nam", "viet-nam"), ("Lào", "lao")]),
    ("xLào và Làox", []),  # inside a longer word, at either end
    ("VIỆT NAM", [("VIỆT NAM", "viet-nam")]),  # a multi-word name in any case
    ("İstanbul, Lào", [("Lào", "lao")]),  # a letter whose lower case is two characters keeps the offsets
])
def test_find_reads_names_whatever_spaces_and_dashes_join_their_words(gaz, text, expected):
    matches = gaz.find(text, ["country"])
    assert [(m.surface, m.key) for m in matches] == expected
    assert all(text[m.start:m.end] == m.surface for m in matches)


def test_a_name_that_starts_with_a_sign_is_found(tmp_path):
    gaz = _hand_made(tmp_path, {
        "country": [{"id": "lao", "name": "Lào", "short": []}],
        "location": [],
        "organization": [{"id": "vanh-dai-va-con-duong", "name": "“Vành đai và Con đường”", "kind": "other"},
                         {"id": "asean", "name": "ASEAN", "kind": "international"}],
        "body": [],
        "ministry": [],
    })
    text = "Lào tham gia sáng kiến “Vành đai và Con đường” cùng ASEAN."
    assert [(m.surface, m.key) for m in gaz.find(text)] == [
        ("Lào", "lao"), ("“Vành đai và Con đường”", "vanh-dai-va-con-duong"), ("ASEAN", "asean")]
