"""kg.rdf.iri: any text gives a valid, stable, readable IRI; nothing else mints them."""
from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS

from kg.rdf.iri import DEFAULT_BASE, KINDS, content_hash, mint, slugify

HASHED = ("visit", "meeting", "agreement", "figure", "article", "evidence")
NAMED = tuple(k for k in KINDS if k not in HASHED)
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
HEX16 = re.compile(r"[0-9a-f]{16}")

# Names as the news writes them, in every script a name may come in, and plain garbage.
names = st.one_of(
    st.text(max_size=60),
    st.text(alphabet="aăâbcdđeêghiklmnoôơpqrstuưvxyĐÂÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữự"
                     " -_.'", max_size=40),
    st.sampled_from(["Lương Cường", "Yoon Suk Yeol", "Narendra Modi", "Thongloun Sisoulith", "Đà Nẵng",
                     "Ngân hàng Thế giới (WB)", "<script>", "a b\nc", "\u200b", "北京", "Москва", "الرياض",
                     "Œuvre ß Łódź Ørsted Þór", "½ % # ? / \\ \" { } | ^ `"]),
)


def assert_valid_iri(iri: URIRef) -> None:
    import pyoxigraph

    assert isinstance(iri, URIRef)
    assert pyoxigraph.NamedNode(str(iri)).value == str(iri)
    graph = Graph()
    graph.add((iri, RDFS.label, Literal("tên")))
    parsed = Graph().parse(data=graph.serialize(format="turtle"), format="turtle")
    assert set(parsed.subjects()) == {iri}
    parsed_nt = Graph().parse(data=graph.serialize(format="nt"), format="nt")
    assert set(parsed_nt.subjects()) == {iri}


@pytest.mark.parametrize("kind, key, iri", [
    ("person", "Lương Cường", DEFAULT_BASE + "person/luong-cuong"),
    ("country", "Việt Nam", DEFAULT_BASE + "country/viet-nam"),
    ("country", "Lào", DEFAULT_BASE + "country/lao"),
    ("person", "Yoon Suk Yeol", DEFAULT_BASE + "person/yoon-suk-yeol"),
    ("organization", "Bộ Ngoại giao", DEFAULT_BASE + "organization/bo-ngoai-giao"),
    ("location", "Đà Nẵng", DEFAULT_BASE + "location/da-nang"),
    ("position", "Thủ tướng_Nhật Bản", DEFAULT_BASE + "position/thu-tuong-nhat-ban"),
    ("person", "  Narendra   MODI ", DEFAULT_BASE + "person/narendra-modi"),
])
def test_mint_gives_readable_iris(kind, key, iri):
    assert mint(kind, key) == URIRef(iri)


@pytest.mark.parametrize("a, b", [
    ("Lương Cường", "Luong Cuong"),
    ("Việt Nam", "viet-nam"),
    ("Hoà Bình", "Hòa Bình"),
    ("Phạm Minh Chính", "Phạm_Minh_Chính"),
])
def test_mint_gives_one_iri_to_spellings_of_one_name(a, b):
    assert mint("person", a) == mint("person", b)


@pytest.mark.parametrize("kind", ["people", "Person", "", "event", "article/x"])
def test_mint_refuses_an_unknown_kind(kind):
    with pytest.raises(ValueError, match="unknown resource kind"):
        mint(kind, "Lương Cường")


@pytest.mark.parametrize("base, iri", [
    ("https://example.org/kg/", "https://example.org/kg/person/luong-cuong"),
    ("https://example.org/kg", "https://example.org/kg/person/luong-cuong"),
    ("https://example.org/kg#", "https://example.org/kg#person/luong-cuong"),
    ("urn:vnkg:", "urn:vnkg:/person/luong-cuong"),
])
def test_mint_puts_the_kind_under_any_base(base, iri):
    assert mint("person", "Lương Cường", base) == URIRef(iri)
    assert_valid_iri(mint("person", "Lương Cường", base))


@pytest.mark.parametrize("base", ["https://example.org/my kg/", "https://example.org/<kg>/",
                                  'https://example.org/"kg"/'])
def test_mint_refuses_a_base_that_is_not_an_iri(base):
    with pytest.raises(ValueError):
        mint("person", "Lương Cường", base)


@pytest.mark.parametrize("kind", HASHED)
@pytest.mark.parametrize("key", ["visit|person/luong-cuong|country/lao|--04-24", "Hiệp định Thương mại tự do", ""])
def test_mint_hashes_fact_keys_to_16_hex_characters(kind, key):
    iri = str(mint(kind, key))
    assert iri.startswith(f"{DEFAULT_BASE}{kind}/")
    assert HEX16.fullmatch(iri.rsplit("/", 1)[1])


def test_mint_keeps_a_key_that_is_already_a_hash():
    key = content_hash("visit", "person/luong-cuong", "country/lao")
    assert HEX16.fullmatch(key)
    assert mint("visit", key) == URIRef(f"{DEFAULT_BASE}visit/{key}")


@pytest.mark.parametrize("parts, expected", [
    (("abc",), "ba7816bf8f01cfea"),  # sha256('abc'): the hash must not change between versions
    (("visit", None, "lao"), content_hash("visit", "", "lao")),
])
def test_content_hash_is_a_fixed_function_of_its_parts(parts, expected):
    assert content_hash(*parts) == expected


def test_content_hash_separates_parts():
    assert content_hash("ab", "c") != content_hash("a", "bc")


# ---------------------------------------------------------------- properties


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), key=names)
def test_mint_gives_a_valid_iri_for_any_text(kind, key):
    assert_valid_iri(mint(kind, key))


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(KINDS), key=names)
def test_mint_is_stable_across_calls(kind, key):
    assert mint(kind, key) == mint(kind, key) == mint(kind, str(key))
    assert mint(kind, key, "https://example.org/a/") == mint(kind, key, "https://example.org/a/")


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(NAMED), key=names)
def test_mint_ends_named_kinds_in_a_lower_case_ascii_slug(kind, key):
    slug = str(mint(kind, key)).removeprefix(f"{DEFAULT_BASE}{kind}/")
    assert SLUG.fullmatch(slug), slug
    assert len(slug) <= 120
    assert slug == slugify(key)


@settings(max_examples=300, deadline=None)
@given(kind=st.sampled_from(HASHED), key=names)
def test_mint_ends_hashed_kinds_in_16_hex_characters(kind, key):
    assume(not re.fullmatch(r"[0-9a-f]{16,64}", key))
    assert HEX16.fullmatch(str(mint(kind, key)).removeprefix(f"{DEFAULT_BASE}{kind}/"))


VIETNAMESE = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂĐÊÔƠƯáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữự0123456789"


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=VIETNAMESE + " _-.,()", min_size=1, max_size=60))
def test_slugify_of_a_vietnamese_name_is_its_folded_form(name):
    """The IRI slug and the gazetteers' folded key of a name agree: 'Phạm_Minh Chính' -> pham-minh-chinh."""
    from kg.text import fold

    folded = fold(name)
    assume(folded)
    assert slugify(name) == folded.replace(" ", "-")[:120].rstrip("-")
