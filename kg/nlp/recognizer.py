"""Entity recognition on cleaned text: countries, organisations, places, persons and their posts.

Gazetteers (ontology/gazetteers/*.jsonl) name countries, organisations and places;
title rules (ontology/rules/titles.jsonl) find persons: a title, its qualifier (the
country or body the post belongs to) and the name that follows ("Tổng Bí thư, Chủ
tịch nước Lào Thongloun Sisoulith"). Everything is found as character offsets in
the text it is given; the spaCy component in kg.nlp.components turns them into
Doc entities. Nothing here changes the text.
"""
from __future__ import annotations

import json
import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from kg.errors import DataFileError
from kg.rdf.iri import slugify
from kg.text import LETTER, LOWER, UP, UPPER, WB_AFTER, WB_BEFORE, find_word, fold

log = logging.getLogger(__name__)

HOME_COUNTRY = "viet-nam"  # an unqualified title or body in Vietnamese news is Vietnam's


@dataclass(frozen=True, slots=True)
class Mention:
    """A span of text that names an entity."""

    start: int
    end: int
    kind: str  # person | country | organization | location
    key: str  # the entity's canonical key (IRI slug)
    text: str


@dataclass(slots=True)
class EntityInfo:
    """What the article says about one entity, gathered from all its mentions."""

    kind: str
    key: str
    name: str
    surfaces: set[str] = field(default_factory=set)
    en: str | None = None
    country: str | None = None  # for organisations and places: the country they belong to
    nationality: str | None = None  # for persons


@dataclass(frozen=True, slots=True)
class PositionMention:
    """`person` holds the post `title` of `country` (and of `organization`, when named)."""

    person: str  # person key
    title: str  # base form
    country: str | None
    organization: str | None
    start: int  # the title phrase, for evidence
    end: int


@dataclass
class Recognition:
    mentions: list[Mention]
    entities: dict[tuple[str, str], EntityInfo]
    positions: list[PositionMention]


def _read_jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as handle:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise DataFileError(str(path), f"not JSON ({exc.msg})", line=number) from None
            if not isinstance(row, dict) or "id" not in row:
                raise DataFileError(str(path), "expected a JSON object with an 'id'", line=number)
            rows.append(row)
    return rows


def _alternation(surfaces) -> str:
    """A regex matching any of the literal surfaces (a space also matches '_'), as a trie.

    Matching costs the length of the name, not the number of names; at one start the
    longest name wins, and a shorter one is tried when what follows rules the longer out."""
    root: dict = {}
    for surface in set(surfaces):
        node = root
        for ch in surface:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _render(root) or "(?!)"


def _render(node: dict) -> str:
    branches = [("[ _]" if ch == " " else re.escape(ch)) + _render(child)
                for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    if "" in node:
        return f"(?:{body})?"
    return body


_SYLLABLE = rf"{UP}(?:[{LOWER}'’]+|[{UPPER}]{{0,3}})(?:-{LETTER}[{LOWER}]*)*"
_NAME = re.compile(rf"(?:[A-Z]\. )?{_SYLLABLE}(?: {_SYLLABLE}){{0,5}}{WB_AFTER}")  # 'M. Venkaiah Naidu'


class Recognizer:
    """Finds entity mentions and posts in one text; built once from the data files."""

    def __init__(self, gazetteers, rules_dir: Path):
        self.gaz = gazetteers
        self.titles = _read_jsonl(rules_dir / "titles.jsonl")
        self.stopnames = {row["word"] for row in _read_jsonl(rules_dir / "name_stopwords.jsonl")}
        self.surnames = {row["surname"] for row in _read_jsonl(rules_dir / "vietnamese_surnames.jsonl")}
        self._build_country_patterns()
        self._build_org_patterns()
        self._build_title_patterns()

    # ------------------------------------------------------------ patterns

    def _build_country_patterns(self) -> None:
        self.country_by_surface: dict[str, object] = {}
        self.country_by_fold: dict[str, object] = {}
        for entry in self.gaz.entries("country"):
            for surface in (entry.name, *entry.aliases):
                self.country_by_surface.setdefault(surface, entry)
                self.country_by_fold.setdefault(fold(surface), entry)
        self.country_re = re.compile(rf"{WB_BEFORE}(?:{_alternation(self.country_by_surface)}){WB_AFTER}")
        self.short_country: dict[str, object] = {}
        for entry in self.gaz.entries("country"):
            for short in entry.extra.get("short", ()) or ():
                self.short_country.setdefault(short, entry)
        pair = _alternation(list(self.short_country) + list(self.country_by_surface))
        # 'Việt - Lào', 'Việt – Trung': short forms count only inside such pairs
        self.pair_re = re.compile(rf"{WB_BEFORE}({pair})\s?[-–]\s?({pair}){WB_AFTER}")

    def _build_org_patterns(self) -> None:
        self.named: dict[str, object] = {}
        self.named_ci: dict[str, object] = {}
        for kind in ("organization", "location"):
            for entry in self.gaz.entries(kind):
                for surface in (entry.name, *entry.aliases):
                    if " " in surface:
                        self.named_ci.setdefault(surface.lower(), entry)
                    self.named.setdefault(surface, entry)
        self.named_re = re.compile(rf"{WB_BEFORE}(?:{_alternation(self.named)}){WB_AFTER}")
        self.named_ci_re = re.compile(rf"(?i){WB_BEFORE}(?:{_alternation(self.named_ci)}){WB_AFTER}")
        self.ministries: dict[str, object] = {}
        for entry in self.gaz.entries("ministry"):
            for surface in (entry.name, *entry.aliases):
                self.ministries.setdefault(surface, entry)
        self.ministry_alt = _alternation(self.ministries)
        self.bodies: dict[str, object] = {}
        for entry in self.gaz.entries("body"):
            for surface in (entry.name, *entry.aliases):
                self.bodies.setdefault(surface, entry)
        body_alt = _alternation(self.bodies)
        self.body_re = re.compile(
            rf"{WB_BEFORE}(?:Bộ (?P<field>{self.ministry_alt})|(?P<body>{body_alt})){WB_AFTER}")
        self.party_re = re.compile(
            rf"{WB_BEFORE}Đảng (?:(?:{UP}[{LOWER}]*|dân|chủ|cách|mạng|nhân|xã|hội|cộng|sản|lao|động|thống|nhất)"
            rf" ){{1,6}}?(?=(?:{_alternation(self.country_by_surface)}){WB_AFTER})")

    def _build_title_patterns(self) -> None:
        self.title_by_surface: dict[str, dict] = {}
        for row in self.titles:
            for surface in (row["title"], *row.get("variants", ())):
                self.title_by_surface.setdefault(surface, row)
        minister_words = defaultdict(list)
        for entry in self.gaz.entries("ministry"):
            for alias in entry.extra.get("minister_aliases", ()) or ():
                minister_words[alias].append(entry)
        self.minister_alias = {alias: entries[0] for alias, entries in minister_words.items()}
        plain = _alternation(list(self.title_by_surface) + list(self.minister_alias))
        self.title_re = re.compile(
            rf"{WB_BEFORE}(?:(?P<minister>Bộ trưởng|Thứ trưởng)(?: Bộ)? (?P<field>{self.ministry_alt})"
            rf"|(?P<plain>{plain})){WB_AFTER}")

    # ------------------------------------------------------------ recognition

    def recognize(self, text: str) -> Recognition:
        """Every entity mention and post stated in `text`."""
        state = _State(text)
        self._find_organizations(state)
        self._find_countries(state)
        self._find_persons(state)
        mentions = state.resolved_mentions()
        return Recognition(mentions=mentions, entities=state.entities, positions=state.positions)

    def _find_countries(self, state: "_State") -> None:
        text = state.text
        for m in self.country_re.finditer(text):
            entry = self.country_by_surface[m.group(0).replace("_", " ")] if m.group(0) in self.country_by_surface \
                else self.country_by_fold.get(fold(m.group(0)))
            if entry is None or not self._country_in_context(text, m.start(), m.end(), entry):
                continue
            if self._ambiguous(entry, m.group(0)) and state.inside(m.start(), m.end()):
                continue  # 'Mỹ' in 'Mỹ Latinh'
            if text[max(0, m.start() - 6):m.start()] in ("đô la ", "Đô la ", "đôla "):
                continue  # 'đô la Mỹ' is a currency
            state.add(m.start(), m.end(), "country", entry.id, entry.name, en=entry.en)
        for m in self.pair_re.finditer(text):
            for group in (1, 2):
                surface = m.group(group)
                entry = self.country_by_surface.get(surface) or self.short_country.get(surface)
                if entry is not None:
                    state.add(m.start(group), m.end(group), "country", entry.id, entry.name, en=entry.en)

    @staticmethod
    def _ambiguous(entry, surface: str) -> bool:
        check = getattr(entry, "is_ambiguous", None)
        return check(surface) if check is not None else entry.ambiguous

    def _country_in_context(self, text: str, start: int, end: int, entry) -> bool:
        """An ambiguous short name ('Anh', 'Nga', 'Đức') is a country unless it ends or starts a name."""
        if not self._ambiguous(entry, text[start:end]):
            return True
        before = text[max(0, start - 30):start]
        prev = re.search(rf"({LETTER}+)\s$", before)
        if prev and prev.group(1)[0].isupper() and prev.group(1) not in self.title_by_surface \
                and not any(before.endswith(t + " ") for t in self.title_by_surface):
            return False  # 'Việt Anh', 'Minh Đức': the last syllable of a person's name
        after = re.match(rf"\s({LETTER}+)", text[end:end + 30])
        if after and after.group(1)[0].isupper() and not (prev and prev.group(1)[0].islower()):
            return False  # 'Nga Nguyễn': the first syllable of a name
        return True

    def _country_at(self, text: str, pos: int) -> tuple[object, int] | None:
        m = self.country_re.match(text, pos)
        if m:
            entry = self.country_by_surface.get(m.group(0)) or self.country_by_fold.get(fold(m.group(0)))
            if entry is not None:
                return entry, m.end()
        return None

    def _find_organizations(self, state: "_State") -> None:
        text = state.text
        for regex in (self.named_re, self.named_ci_re):
            for m in regex.finditer(text):
                entry = self.named.get(m.group(0)) or self.named_ci.get(m.group(0).lower())
                if entry is None:
                    continue
                end = m.end()
                kind = "organization" if entry.kind == "organization" else "location"
                state.add(m.start(), end, kind, entry.id, entry.name, en=entry.en, country=entry.country)
        for m in self.body_re.finditer(text):
            self._add_body(state, m)
        for m in self.party_re.finditer(text):
            country = self._country_at(text, m.end())
            if country is None:
                continue
            entry, end = country
            surface = text[m.start():end]
            known = self.named.get(surface) or self.named_ci.get(surface.lower())
            if known is not None:
                continue
            state.add(m.start(), end, "organization", slugify(surface), surface, country=entry.id)
        # a place named after the body it houses: 'Trụ sở Bộ Ngoại giao', 'Trụ sở Chính phủ'
        for m in re.finditer(rf"{WB_BEFORE}Trụ sở (?=[{UPPER}])", text):
            org = state.span_at(m.end(), "organization")
            if org is not None:
                surface = text[m.start():org[1]]
                name = surface if not org[3] else f"Trụ sở {org[2]}"
                state.add(m.start(), org[1], "location", slugify(name), name, country=org[3])

    def _add_body(self, state: "_State", m: re.Match) -> None:
        text = state.text
        end = m.end()
        country_entry = None
        after = self._country_at(text, end + 1) if text[end:end + 1] == " " else None
        if after is not None:
            country_entry, end = after
        party = None
        if m.group("body"):
            body = self.bodies[m.group("body").replace("_", " ")] if m.group("body") in self.bodies else None
            if body is None:
                return
            # 'Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào' names the party's organ: the party
            if body.extra.get("of_party"):
                surface = m.group("body")
                if surface.endswith("Đảng"):  # 'Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam'
                    party = self._party_at(state, m.end() - len("Đảng"))
                elif text[end:end + 1] == " ":
                    party = self._party_at(state, end + 1)
            if party is not None:
                pstart, pend, pkey, pname, pcountry = party
                state.add(m.start(), pend, "organization", pkey, pname, country=pcountry, surface_only=True)
                return
            if body.extra.get("of_party") and text[m.end():m.end() + 5] == " Đảng":
                return
            country = country_entry.id if country_entry else HOME_COUNTRY
            cname = country_entry.name if country_entry else self.gaz.get("country", HOME_COUNTRY).name
            name = f"{body.name} {cname}"
            state.add(m.start(), end, "organization", slugify(name), name, en=None, country=country)
        else:
            ministry = self.ministries.get(m.group("field"))
            if ministry is None:
                return
            country = country_entry.id if country_entry else HOME_COUNTRY
            cname = country_entry.name if country_entry else self.gaz.get("country", HOME_COUNTRY).name
            name = f"Bộ {ministry.name} {cname}"
            state.add(m.start(), end, "organization", slugify(name), name, country=country)

    def _party_at(self, state: "_State", pos: int):
        text = state.text
        for regex in (self.named_re, self.named_ci_re):
            m = regex.match(text, pos)
            if m:
                entry = self.named.get(m.group(0)) or self.named_ci.get(m.group(0).lower())
                if entry is not None and entry.kind == "organization":
                    return m.start(), m.end(), entry.id, entry.name, entry.country
        m = self.party_re.match(text, pos)
        if m:
            country = self._country_at(text, m.end())
            if country:
                entry, end = country
                surface = text[m.start():end]
                return m.start(), end, slugify(surface), surface, entry.id
        return None

    # ------------------------------------------------------------ persons and posts

    def _find_persons(self, state: "_State") -> None:
        text = state.text
        chains = []
        pos = 0
        while True:
            m = self.title_re.search(text, pos)
            if not m:
                break
            if state.inside(m.start(), m.end()) or text[max(0, m.start() - 9):m.start()] in ("Hội đồng ", " Hội đồng "):
                pos = m.end()  # 'Lăng Chủ tịch Hồ Chí Minh' is a place, 'Hội đồng Bộ trưởng' a body
                continue
            chain = self._parse_chain(state, m)
            if chain.titles and not any(t.get("qualifier") for t in chain.titles):
                side = self._side_before(state, chain.start)
                if side is not None:
                    for t in chain.titles:
                        t["qualifier"], t["inherited"] = (side, None), True
            chain.former = bool(re.search(r"(?:cựu|nguyên|Cựu|Nguyên|cố|Cố) $", text[max(0, m.start() - 7):m.start()]))
            chains.append(chain)
            pos = max(chain.end, m.end())
        for chain in chains:
            if chain.name is None and chain.titles and not all(t["row"].get("honorific") for t in chain.titles):
                owner = self._appositive_owner(state, chain)
                if owner is not None:
                    chain.name = owner
        self._resolve_people(state, chains)

    def _parse_chain(self, state: "_State", first: re.Match) -> "_Chain":
        text = state.text
        chain = _Chain(start=first.start(), end=first.end())
        m = first
        while True:
            title = self._title_of(m)
            pos = m.end()
            qualifier = None
            if text[pos:pos + 1] == " ":
                qualifier = self._qualifier_at(state, pos + 1)
            if qualifier is not None:
                pos = qualifier[1]
                acronym = re.match(r" \([A-Z]{2,8}\)", text[pos:pos + 12])
                if acronym:  # 'Cao ủy Thương mại Liên minh châu Âu (EU) Cecilia Malmström'
                    pos += acronym.end()
                # 'Đại sứ Thái Lan tại Việt Nam'
                tail = re.match(r" tại ", text[pos:pos + 5])
                if tail and self._country_at(text, pos + 5):
                    pos = self._country_at(text, pos + 5)[1]
            if qualifier is None and title["row"].get("scope") == "ministry" and text[pos:pos + 1] == " ":
                # a ministry the gazetteer does not know: 'Bộ trưởng Cấp cao Singapore X'
                unknown = re.match(rf" ({UP}[{LOWER}]*(?:,? [{UPPER}{LOWER}]+){{0,6}}?) (?=[{UPPER}])", text[pos:pos + 80])
                if unknown and not unknown.group(1).startswith("và"):
                    after = self._qualifier_at(state, pos + unknown.end())
                    if after is not None and after[3] is None:
                        title = dict(title, title=f"{title['title']} {unknown.group(1)}",
                                     row=dict(title["row"], scope="state"))
                        qualifier = after
                        pos = after[1]
            title["qualifier"] = qualifier[2:] if qualifier else None
            chain.titles.append(title)
            chain.end = pos
            sep = re.match(r"(?:, | kiêm | và |, kiêm )", text[pos:pos + 7])
            if sep:
                nxt = self.title_re.match(text, pos + sep.end())
                if nxt and not self.title_by_surface.get(nxt.group("plain") or "", {}).get("honorific"):
                    m = nxt
                    continue
            break
        # an honorific between the titles and the name: 'Tổng thống Mỹ, ông Joe Biden'
        pos = chain.end
        hon = re.match(r",? (?:ông|bà|ngài|Ngài) ", text[pos:pos + 8])
        if hon:
            pos += hon.end()
        elif text[pos:pos + 1] == " ":
            pos += 1
        elif text[pos:pos + 2] == ", " and self._rank_at(text, pos + 2) is not None:
            pos += 2  # 'Bộ trưởng Quốc phòng Thái Lan, Tướng Prawit Wongsuwan'
        else:
            return chain
        # a rank or a style before the name: 'Tướng Prawit', 'Samdech Techo Hun Sen'
        for _ in range(2):
            rank_end = self._rank_at(text, pos)
            if rank_end is None:
                break
            pos = rank_end
        name = self._name_at(state, pos)
        if name is not None:
            chain.name = name
            chain.end = name[1]
        return chain

    def _side_before(self, state: "_State", pos: int) -> str | None:
        """'phía Australia có Bộ trưởng Ngoại giao X': the country whose delegation a title belongs to."""
        text = state.text
        start = max(text.rfind(";", 0, pos), text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), pos - 200)
        found = None
        for m in re.finditer(r"(?:[Pp]hía|[Đđ]oàn) ", text[start + 1:pos]):
            country = self._country_at(text, start + 1 + m.end())
            if country is not None and re.match(r"(?: có| gồm|,| thì)", text[country[1]:country[1] + 5]):
                found = country[0].id
        return found

    def _rank_at(self, text: str, pos: int) -> int | None:
        """The end (after its space) of a rank or style that may stand before a name, or None."""
        rank = self.title_re.match(text, pos)
        if rank and rank.group("plain") and self.title_by_surface.get(rank.group("plain"), {}).get("honorific") \
                and text[rank.end():rank.end() + 1] == " ":
            return rank.end() + 1
        return None

    def _title_of(self, m: re.Match) -> dict:
        if m.group("minister"):
            ministry = self.ministries[m.group("field")]
            base = f"{m.group('minister')} {m.group('field')}"  # the field as written: titles are compared as written
            return {"title": base, "row": {"id": slugify(base), "scope": "state"}, "start": m.start(), "end": m.end(),
                    "ministry": ministry}
        surface = m.group("plain").replace("_", " ")
        if surface in self.minister_alias:
            ministry = self.minister_alias[surface]
            base = f"Bộ trưởng {ministry.name}"
            return {"title": base, "row": {"id": slugify(base), "scope": "state"}, "start": m.start(), "end": m.end(),
                    "ministry": ministry}
        row = self.title_by_surface[surface]
        return {"title": row["title"], "row": row, "start": m.start(), "end": m.end()}

    def _qualifier_at(self, state: "_State", pos: int):
        """The country or body right after a title: (start, end, country key, organization key)."""
        org = state.span_at(pos, "organization")
        if org is not None:
            return pos, org[1], org[3], org[0]
        place = state.span_at(pos, "location")
        if place is not None and place[3]:
            return pos, place[1], place[3], None
        country = self._country_at(state.text, pos)
        if country is not None:
            entry, end = country
            if self._ambiguous(entry, state.text[pos:end]) and \
                    not self._country_in_context(state.text, pos, end, entry):
                return None
            return pos, end, entry.id, None
        return None

    def _name_at(self, state: "_State", pos: int):
        """A person's name starting at `pos`: (start, end, name) or None."""
        text = state.text
        m = _NAME.match(text, pos)
        if not m:
            return None
        words = m.group(0).split(" ")
        # the name stops before a word that starts another entity or a title
        for i in range(1, len(words)):
            offset = pos + len(" ".join(words[:i])) + 1
            country = self._country_at(text, offset)
            span = state.span_at(offset)
            # a one-word place inside a run of name syllables is a syllable ('Lê Quang Vinh', 'Trần Phú Vinh')
            place_syllable = span is not None and state.kind_at(offset) == "location" and \
                (" " not in text[offset:span[1]] or i == 1)  # 'Nguyễn Hòa Bình' is not Nguyễn of Hòa Bình
            if (span is not None and not place_syllable) or self.title_re.match(text, offset) or \
                    (country is not None and not self._ambiguous(country[0], text[offset:country[1]])):
                words = words[:i]
                break
        name = " ".join(words)
        if not self._plausible_name(state, pos, name):
            return None
        return pos, pos + len(name), name

    def _plausible_name(self, state: "_State", pos: int, name: str) -> bool:
        words = name.split(" ")
        if words[0] in self.stopnames or state.span_at(pos) is not None:
            return False
        if self.title_re.match(name) or self.country_re.match(name):
            return False
        if len(words) == 1:
            # a lone syllable is a name only if it is foreign ('Putin', 'Macron'), not a Vietnamese word
            return len(name) >= 3 and ((name.isascii() and name[1:].islower()) or "-" in name)
        return True

    def _vietnamese_name(self, name: str) -> bool:
        words = name.split()
        return len(words) >= 2 and words[0] in self.surnames

    def _appositive_owner(self, state: "_State", chain: "_Chain"):
        """'ông Thongsavanh Phomvihane, Ủy viên Trung ương Đảng, Bộ trưởng Ngoại giao Lào': the name before."""
        text = state.text
        before = text[:chain.start]
        if not before.endswith(", "):
            return None
        head = re.search(rf"(?:ông|bà|Ông|Bà) ({_SYLLABLE}(?: {_SYLLABLE}){{1,5}}), $", before[-80:])
        if not head:
            return None
        start = chain.start - 2 - len(head.group(1))
        after = text[chain.end:chain.end + 2]
        if after[:1] not in ("", " ", ",", ".", ";", ")"):
            return None
        return start, start + len(head.group(1)), head.group(1)

    def _resolve_people(self, state: "_State", chains: list["_Chain"]) -> None:
        text = state.text
        named = [c for c in chains if c.name is not None]
        # honorific-only mentions ('ông X') and titled ones give the article's full names
        full: dict[str, str] = {}  # key -> full name
        for chain in sorted(named, key=lambda c: -len(c.name[2].split())):
            name = chain.name[2]
            if len(name.split()) >= 2 and self._resolve_short(name, full) is None:
                full.setdefault(slugify(name), name)
        for m in re.finditer(rf"{WB_BEFORE}(?:ông|bà|Ông|Bà|Ngài) ({_SYLLABLE}(?: {_SYLLABLE}){{1,4}})", text):
            name = self._name_at(state, m.start(1))
            if name and len(name[2].split()) >= 2 and self._resolve_short(name[2], full) is None:
                full.setdefault(slugify(name[2]), name[2])

        def key_of(name: str) -> str | None:
            if slugify(name) in full:
                return slugify(name)
            return self._resolve_short(name, full)

        per_person: dict[str, list[dict]] = defaultdict(list)
        for chain in named:
            key = key_of(chain.name[2])
            if key is None:
                if len(chain.name[2].split()) == 1:
                    key = slugify(chain.name[2])
                    full.setdefault(key, chain.name[2])
                else:
                    continue
            state.add(chain.name[0], chain.name[1], "person", key, full[key])
            for title in chain.titles:
                if not title["row"].get("honorific") and not chain.former:
                    per_person[key].append(title)
            self._distribute_qualifiers(chain)
        # every other mention of a known person: full names, surnames, given names after 'ông'
        for key, name in full.items():
            state.entities.setdefault(("person", key), EntityInfo("person", key, name))
            for start in find_word(text, name):
                state.add(start, start + len(name), "person", key, name)
        for m in re.finditer(rf"{WB_BEFORE}(?:ông|bà|Ông|Bà|Ngài|Bộ trưởng|Thủ tướng|Tổng thống) ({_SYLLABLE}(?: {_SYLLABLE})?){WB_AFTER}", text):
            key = self._resolve_short(m.group(1), full)
            if key is not None:
                state.add(m.start(1), m.end(1), "person", key, full[key])
        self._assign_positions(state, per_person)
        self._bare_titles(state, chains, per_person)

    def _bare_titles(self, state: "_State", chains: list["_Chain"], per_person: dict[str, list[dict]]) -> None:
        """A title with no name ('Tổng Bí thư hội kiến ...', 'Thủ tướng Singapore') is the one person
        of the article who holds it."""
        text = state.text
        holders: dict[str, set] = defaultdict(set)
        for p in state.positions:
            holders[(p.title, p.country)].add(p.person)
            holders[(p.title, None)].add(p.person)
        for chain in chains:
            if chain.name is not None or chain.former or not chain.titles:
                continue
            if re.search(r"(?:hai|ba|các|những|Hai|Ba|Các|Những)(?: vị| đồng chí| nhà)? $",
                         text[max(0, chain.start - 12):chain.start]):
                continue  # 'hai Thủ tướng' names two people
            last = chain.titles[-1]
            if last["row"].get("honorific"):
                continue
            q = last.get("qualifier")
            found = holders.get((last["title"], q[0] if q else None), set())
            if len(found) > 1 and not q:
                # 'Thủ tướng' alone in Vietnamese news, with a foreign prime minister also named: Vietnam's
                found = holders.get((last["title"], HOME_COUNTRY), set())
            if len(found) == 1:
                key = next(iter(found))
                state.add(chain.start, chain.end, "person", key, state.entities[("person", key)].name, alias=False)

    @staticmethod
    def _distribute_qualifiers(chain: "_Chain") -> None:
        """'Tổng Bí thư, Chủ tịch nước Lào X': a qualifier stated once covers the titles before it."""
        following = None
        for title in reversed(chain.titles):
            if title.get("qualifier"):
                following = title["qualifier"]
            elif following is not None:
                title["qualifier"] = following
                title["inherited"] = True

    @staticmethod
    def _resolve_short(name: str, full: dict[str, str]) -> str | None:
        """'Siphandone' -> Sonexay Siphandone, when exactly one full name ends (or starts) with it."""
        words = name.split()

        def core(value: str) -> list[str]:
            return [w for w in value.split() if w.rstrip(".") not in ("Jr", "Sr", "II", "III")]

        hits = {key for key, value in full.items()
                if len(value.split()) > len(words) and
                (core(value)[-len(words):] == words or value.split()[:len(words)] == words)}
        return hits.pop() if len(hits) == 1 else None

    def _assign_positions(self, state: "_State", per_person: dict[str, list[dict]]) -> None:
        counts = Counter(k for s0, e0, kind, k in state.spans if kind == "country" and k != HOME_COUNTRY)
        ranked = counts.most_common(2)
        # the article's one foreign country, when one clearly dominates
        foreign = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]) else None
        for key, titles in per_person.items():
            nationality = None
            for t in titles:
                q = t.get("qualifier")
                if q and q[0] and t["row"].get("scope") != "org":
                    nationality = q[0]
                    break
            info = state.entities[("person", key)]
            emitted: dict[tuple, PositionMention] = {}
            for t in titles:
                row = t["row"]
                if not row.get("emit", True):
                    continue
                q = t.get("qualifier")
                if q:
                    country, org = q[0], q[1]
                elif nationality:
                    country, org = nationality, None
                elif row.get("home", True) and (self._vietnamese_name(info.name) or not foreign):
                    country, org = HOME_COUNTRY, None
                elif foreign:
                    country, org = foreign, None  # 'Tổng thống Sukarno' in an article about Indonesia
                else:
                    continue
                if row.get("weak") and org and q:
                    oname = state.entities[("organization", org)].name
                    if not (self.gaz.get("country", country) and oname.endswith(self.gaz.get("country", country).name)):
                        t = dict(t, title=f"{t['title']} {oname}")  # 'Chủ tịch Ủy ban châu Âu'
                        row = dict(row, weak=False)
                weak = row.get("weak") or row.get("scope") == "ministry"
                if weak and not q:
                    continue  # 'Chủ tịch X', 'Bộ trưởng X': which post, of what, is not said
                if row.get("scope") == "org" and not org:
                    continue  # 'Tổng Thư ký' of what?
                if org is None and t.get("ministry") is not None and country:
                    org = self._ministry_entity(state, t["ministry"], country)
                pkey = (t["title"], country if row.get("scope") != "org" else None, org if row.get("scope") == "org" else None)
                if pkey in emitted:
                    if org and emitted[pkey].organization is None:
                        emitted[pkey] = PositionMention(key, t["title"], pkey[1], org, t["start"], t["end"])
                    continue
                emitted[pkey] = PositionMention(key, t["title"], pkey[1], org, t["start"], t["end"])
            state.positions.extend(emitted.values())
            info.nationality = nationality or (HOME_COUNTRY if emitted else None)


    def _ministry_entity(self, state: "_State", ministry, country: str) -> str:
        """A minister's title names the ministry: 'Bộ trưởng Ngoại giao Lào' -> Bộ Ngoại giao Lào."""
        cname = self.gaz.get("country", country).name if self.gaz.get("country", country) else country
        name = f"Bộ {ministry.name} {cname}"
        key = slugify(name)
        state.entities.setdefault(("organization", key), EntityInfo("organization", key, name, country=country))
        return key


@dataclass
class _Chain:
    start: int
    end: int
    titles: list[dict] = field(default_factory=list)
    name: tuple[int, int, str] | None = None
    former: bool = False


class _State:
    """Mentions found so far in one text; longer spans win over the spans inside them."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[tuple[int, int, str, str]] = []  # start, end, kind, key
        self.entities: dict[tuple[str, str], EntityInfo] = {}
        self.positions: list[PositionMention] = []
        self._by_start: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)

    def add(self, start: int, end: int, kind: str, key: str, name: str, *, en: str | None = None,
            country: str | None = None, surface_only: bool = False, alias: bool = True) -> None:
        span = (start, end, kind, key)
        self.spans.append(span)
        self._by_start[start].append(span)
        info = self.entities.get((kind, key))
        if info is None:
            info = self.entities[(kind, key)] = EntityInfo(kind, key, name, en=en, country=country)
        if alias:
            info.surfaces.add(self.text[start:end])

    def kind_at(self, pos: int) -> str | None:
        spans = self._by_start.get(pos, ())
        return max(spans, key=lambda s: s[1])[2] if spans else None

    def inside(self, start: int, end: int, kinds=("organization", "location")) -> bool:
        """Whether [start, end) lies within a longer span of one of `kinds`."""
        return any(s <= start and end <= e and (e - s) > (end - start) and k in kinds
                   for s, e, k, _ in self.spans)

    def span_at(self, pos: int, kind: str | None = None):
        """The longest span starting at `pos` (of `kind`): (key, end, name, country)."""
        spans = [s for s in self._by_start.get(pos, ()) if kind is None or s[2] == kind]
        if not spans:
            return None
        start, end, k, key = max(spans, key=lambda s: s[1])
        info = self.entities[(k, key)]
        return key, end, info.name, info.country if k != "person" else info.nationality

    def resolved_mentions(self) -> list[Mention]:
        """Non-overlapping mentions, the longest first, in text order."""
        chosen: list[tuple[int, int, str, str]] = []
        taken = []
        priority = {"person": 0, "organization": 1, "location": 2, "country": 3}
        for span in sorted(set(self.spans), key=lambda s: (-(s[1] - s[0]), priority[s[2]], s[0], s[3])):
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append((span[0], span[1]))
            chosen.append(span)
        chosen.sort()
        return [Mention(s, e, kind, key, self.text[s:e]) for s, e, kind, key in chosen]


@lru_cache(maxsize=4)
def load_recognizer(ontology: str | None = None) -> Recognizer:
    """The recognizer for the data files in `ontology` (default: the project's ontology/ folder)."""
    from kg.nlp.gazetteer import load_gazetteers
    from kg.rdf.namespaces import ontology_dir

    root = Path(ontology) if ontology else ontology_dir()
    return Recognizer(load_gazetteers(root / "gazetteers"), root / "rules")
