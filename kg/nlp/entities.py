"""Entity recognition: countries, organisations, places, persons and the posts they hold.

`Recognizer.recognize(text)` finds every entity mention of one article as character
offsets: gazetteer names (`kg.nlp.gazetteer`), persons introduced by a chain of titles
("Tổng Bí thư, Chủ tịch nước Lào Thongloun Sisoulith"), their later short forms ("ông
Siphandone") and bare titles ("Thủ tướng" alone, when one person of the article holds
it), and the posts those titles name, each with the country or body it belongs to.
The spaCy component in `kg.nlp.pipeline` turns the result into `doc.ents` and the
`doc.spans["positions"]` group. All words come from the rules data (`Lexicon`).
"""
from __future__ import annotations

import logging
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import lru_cache

from kg.compiled import regex
from kg.nlp.gazetteer import Gazetteers, Match
from kg.nlp.lexicon import Lexicon
from kg.text import slugify
from kg.text import LETTER, LOWER, UP, UPPER, WB_AFTER, WB_BEFORE, find_word, fold

log = logging.getLogger(__name__)

KINDS = ("person", "country", "organization", "location")
LABELS = {"person": "PER", "country": "GPE", "organization": "ORG", "location": "LOC"}
KIND_OF_LABEL = {v: k for k, v in LABELS.items()}

# the shape of one syllable of a name: 'Phạm', "O'Brien", 'Chan-ocha', 'Ô-lăng-đơ', 'ASEAN'
_SYLLABLE = rf"{UP}(?:[{LOWER}'’]+|[{UPPER}]{{0,3}})(?:-{LETTER}[{LOWER}]*)*"
_NAME_PART = rf"(?:{UP}\. ?)*{_SYLLABLE}"  # 'Shinzo', 'W.Bush', 'S.A-bê'
_INITIALS = re.compile(rf"(?:{UP}\. ?)+")


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
    country: str | None = None  # organisations and places: the country they belong to
    nationality: str | None = None  # persons


@dataclass(frozen=True, slots=True)
class PostMention:
    """`person` holds the post `title` of `country` (and of `organization`, when named)."""

    person: str
    title: str  # base form
    country: str | None
    organization: str | None
    start: int  # the title phrase, for evidence
    end: int


@dataclass
class Recognition:
    mentions: list[Mention]
    entities: dict[tuple[str, str], EntityInfo]
    positions: list[PostMention]
    named_inside: list[Mention] = field(default_factory=list)  # entities named only inside a longer name


@dataclass
class _Title:
    title: str  # base form
    row: dict  # the titles.jsonl row (or one made for a ministry post)
    start: int
    end: int
    ministry: object | None = None  # the ministry entry a minister's title names
    qualifier: tuple | None = None  # (country key, organization key)
    inherited: bool = False
    surface: str | None = None  # as written
    place: tuple | None = None  # a provincial post's province: (start, end, as written)


@dataclass
class _Chain:
    start: int
    end: int
    titles: list[_Title] = field(default_factory=list)
    name: tuple[int, int, str] | None = None
    former: bool = False
    borrowed: bool = False  # 'Thư ký báo chí Tổng thống X': X does not hold the titles


class Recognizer:
    """Finds entity mentions and posts in one text; built once from the data files."""

    def __init__(self, gazetteers: Gazetteers, lexicon: Lexicon):
        self.gaz = gazetteers
        self.home = gazetteers.home_country
        lex = lexicon
        self.titles = lex.file("titles")
        self.stopnames = {row["word"] for row in lex.file("name_stopwords")}
        self.surnames = {row["surname"] for row in lex.file("vietnamese_surnames")}
        self.title_by_surface: dict[str, dict] = {}
        for row in self.titles:
            for surface in (row["title"], *row.get("variants", ())):
                self.title_by_surface.setdefault(surface, row)
        # a title's first letter as written, the rest in any case: 'Tổng bí thư', 'Phó thủ tướng'
        plain = "|".join(_title_pattern(s) for s in sorted(self.title_by_surface, key=lambda s: (-len(s), s)))
        # (the titles' first letters, looked at first, let a search skip every other character quickly)
        firsts = "".join(sorted({re.escape(s[0]) for s in self.title_by_surface}))
        self.title_re = regex(rf"(?=[{firsts}]){WB_BEFORE}(?:{plain}){WB_AFTER}" if firsts else "(?!)")
        self.title_by_fold = {s.lower(): row for s, row in self.title_by_surface.items()}
        self.minister_title = lex.row("ministry.forms")["minister"]
        self.ministry_prefix = lex.row("ministry.forms")["ministry"].format("")  # 'Bộ '

        self.not_country_after = lex.pattern("country.not_after")  # 'đô la Mỹ' is a currency
        self.party_re = lex.pattern("organization.party")
        self.headquarters = lex.pattern("location.headquarters")
        self.body_before = lex.pattern("title.inside_body")  # 'Hội đồng Bộ trưởng' is a body
        self.former_re = lex.pattern("person.former")
        self.posted_in = lex.pattern("title.posted_in")  # 'Đại sứ Thái Lan tại Việt Nam'
        self.joiner_re = lex.pattern("title.joiner")
        self.honorific_re = lex.pattern("person.honorific_before_name")
        self.honorific_word = lex.pattern("person.honorific")
        self.short_after = lex.pattern("person.short_form_after")
        self.side_re = lex.pattern("title.delegation_side")
        self.side_end = lex.pattern("title.delegation_side_end")
        self.plural_re = lex.pattern("title.plural_before")
        self.name_suffixes = frozenset(lex.phrases("person.name_suffixes"))
        self.acronym = re.compile(r" \([A-Z]{2,8}\)")
        # lower-case particles inside a foreign name: 'Lula da Silva', 'von der Leyen', 'bin Zayed', 'al-Sisi'
        particles = lex.alternation("person.name_particles")
        part = rf"(?:(?:{particles})-)?{_NAME_PART}"
        self.name_re = regex(rf"{part}(?: (?:(?:{particles}) ){{0,2}}{part}){{0,5}}{WB_AFTER}")
        self.role_before = lex.pattern("title.role_before")
        styles = lex.alternation("person.name_styles")
        self.styled_name = regex(rf"(?:{UP}[^\s,;.()]*\s){{1,4}}(?:{styles}) (?P<name>{UP})")
        self.body_start = lex.pattern("title.body_nouns")
        self.body_connectors = frozenset(lex.phrases("title.body_connectors"))
        self.list_opening = lex.pattern("person.list_opening")
        self.list_opened = regex(rf"(?:{self.list_opening.pattern})\s*$")
        self.elected_before = lex.pattern("person.elected_before")
        self.title_segment = lex.pattern("title.segment")
        self.leaders_after = lex.pattern("person.leaders_of_country_after")
        self.country_style = lex.pattern("country.official_style")
        self.name_word = re.compile(_NAME_PART)
        self.bracketed_name = regex(rf" \(({_SYLLABLE}(?: {_SYLLABLE}){{1,4}})\)")
        self.honorific_name = regex(rf"{WB_BEFORE}(?:{self.honorific_word.pattern}) ({_SYLLABLE}(?: {_SYLLABLE}){{1,4}})")
        self.short_name = regex(rf"{WB_BEFORE}(?:{self.short_after.pattern}) ({_SYLLABLE}(?: {_SYLLABLE})?){WB_AFTER}")
        self.appositive = regex(rf"(?:{self.honorific_word.pattern}) ({_SYLLABLE}(?: {_SYLLABLE}){{1,5}}), $")

    # ------------------------------------------------------------ recognition

    def recognize(self, text: str) -> Recognition:
        """Every entity mention and post stated in `text`."""
        state = _State(text)
        matches = self.gaz.find(text)
        state.ministry_titles = {m.start: m for m in matches if m.kind == "ministry" and m.title}
        self._add_gazetteer(state, [m for m in matches if not (m.kind == "ministry" and m.title)])
        self._add_patterns(state)
        self._find_persons(state)
        mentions = state.resolved_mentions()
        return Recognition(mentions=mentions, entities=state.entities, positions=state.positions,
                           named_inside=state.named_inside(mentions))

    # ------------------------------------------------------------ named things

    def _add_gazetteer(self, state: "_State", matches: list[Match]) -> None:
        text = state.text
        for m in matches:
            if m.kind == "country":
                if m.ambiguous and not m.in_pair and not self._country_in_context(text, m.start, m.end):
                    continue  # 'Việt Anh', 'Minh Đức': a syllable of a person's name
                if self.not_country_after.search(text, max(0, m.start - 8), m.start):
                    continue
                state.add(m.start, m.end, "country", m.key, m.label, en=m.entry.en)
            elif m.kind in ("location", "organization"):
                state.add(m.start, m.end, m.kind, m.key, m.label, en=m.entry.en, country=m.entry.country)
                for c in m.inner:  # the countries its name names are named by the article too
                    state.add(c.start, c.end, "country", c.key, c.label, en=c.entry.en)
            elif m.kind == "body" and m.entry.extra.get("of_party") and m.owner is not None \
                    and m.owner.kind == "organization":
                # 'Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào' names the party through its organ
                owner = m.owner.entry
                state.add(m.start, m.end, "organization", owner.id, owner.name, en=owner.en,
                          country=owner.country, alias=False)
            else:  # a body or a ministry, of the country (or party) written after it, else Vietnam's
                state.add(m.start, m.end, "organization", m.key, m.label, en=None, country=self._owner_country(m))
            if m.kind in ("body", "ministry") and m.owner is not None:
                self._add_owner(state, m.owner)

    def _add_owner(self, state: "_State", owner: Match) -> None:
        """The country or party written after a body is named in its own right too."""
        entry = owner.entry
        if owner.kind == "country":
            state.add(owner.start, owner.end, "country", owner.key, owner.label, en=entry.en)
        else:
            state.add(owner.start, owner.end, "organization", owner.key, owner.label, en=entry.en, country=entry.country)

    def _owner_country(self, m: Match) -> str | None:
        if m.owner is None:
            default = self.gaz.get("organization", self.gaz.home_party) if m.entry.extra.get("of_party") else None
            return default.country if default is not None else self.home
        if m.owner.kind == "country":
            return m.owner.key
        return m.owner.entry.country

    def _add_patterns(self, state: "_State") -> None:
        text = state.text
        for m in self.party_re.finditer(text):  # a party the gazetteer lacks: 'Đảng ... Campuchia'
            country = self._country_at(state, m.end())
            if country is None or state.span_at(m.start(), "organization") is not None:
                continue
            key, end = country
            surface = text[m.start():end]
            state.add(m.start(), end, "organization", slugify(surface), surface, country=key)
        for m in self.headquarters.finditer(text):  # 'Trụ sở Bộ Ngoại giao': a place named after its body
            org = state.span_at(m.end(), "organization")
            if org is not None:
                key, end, name, country = org
                label = text[m.start():end] if not country else f"{text[m.start():m.end()].strip()} {name}"
                state.add(m.start(), end, "location", slugify(label), label, country=country)

    def _country_in_context(self, text: str, start: int, end: int) -> bool:
        """An ambiguous short name ('Anh', 'Nga', 'Đức') is a country unless it ends or starts a name."""
        before = text[max(0, start - 30):start]
        prev = re.search(rf"({LETTER}+)\s$", before)
        if prev and prev.group(1)[0].isupper() and prev.group(1) not in self.title_by_surface \
                and not any(before.endswith(t + " ") for t in self.title_by_surface):
            return False
        after = re.match(rf"\s({LETTER}+)", text[end:end + 30])
        if after and after.group(1)[0].isupper() and not (prev and prev.group(1)[0].islower()):
            return False
        return True

    def _country_at(self, state: "_State", pos: int) -> tuple[str, int] | None:
        """(country key, end) of a country named at `pos`, if any."""
        for s, e, kind, key in state.by_start.get(pos, ()):
            if kind == "country":
                return key, e
        return None

    # ------------------------------------------------------------ persons and posts

    def _title_at(self, state: "_State", pos: int) -> _Title | None:
        ministry = state.ministry_titles.get(pos)
        if ministry is not None:
            base = self._minister_title_as_written(state.text, ministry)
            return _Title(base, {"id": slugify(base), "scope": "state"}, pos, ministry.end,
                          ministry=ministry)
        m = self.title_re.match(state.text, pos)
        if m is None:
            return None
        row = self._title_row(m.group(0))
        return _Title(row["title"], row, m.start(), m.end(), surface=m.group(0))

    def _minister_title_as_written(self, text: str, m: Match) -> str:
        """'Bộ trưởng Bộ Thương mại, Công nghiệp và Năng lượng Hàn Quốc' -> 'Bộ trưởng Thương mại, Công nghiệp
        và Năng lượng': the post (titles are compared as written), without its owner or a repeated 'Bộ'."""
        if m.title.endswith(m.entry.name) and m.entry.name != m.title:
            post = m.title[: -len(m.entry.name)].strip()  # 'Bộ trưởng', 'Thứ trưởng'
        else:
            return m.title
        written = text[m.start:m.owner.start if m.owner is not None else m.end].strip()
        if not written.startswith(post + " "):
            return m.title  # an alias such as 'Ngoại trưởng': the canonical post
        field = written[len(post) + 1:]
        if field.startswith(self.ministry_prefix):
            field = field[len(self.ministry_prefix):]
        return f"{post} {field}"

    def _title_row(self, surface: str) -> dict:
        surface = surface.replace("_", " ")
        return self.title_by_surface.get(surface) or self.title_by_fold[surface.lower()]

    def _next_title(self, state: "_State", pos: int) -> _Title | None:
        text = state.text
        plain = self.title_re.search(text, pos)
        ministry = min((s for s in state.ministry_titles if s >= pos), default=None)
        starts = [s for s in (plain.start() if plain else None, ministry) if s is not None]
        if not starts:
            return None
        return self._title_at(state, min(starts))

    def _find_persons(self, state: "_State") -> None:
        text = state.text
        chains = []
        pos = 0
        while True:
            title = self._next_title(state, pos)
            if title is None:
                break
            if state.inside(title.start, title.end) or self.body_before.search(text, max(0, title.start - 12),
                                                                                title.start):
                pos = title.end  # 'Lăng Chủ tịch Hồ Chí Minh' is a place, 'Hội đồng Bộ trưởng' a body
                continue
            chain = self._parse_chain(state, title)
            if chain.titles and not any(t.qualifier for t in chain.titles):
                side = self._side_before(state, chain.start)
                if side is not None:
                    for t in chain.titles:
                        t.qualifier, t.inherited = (side, None), True
            chain.former = bool(self.former_re.search(text, max(0, title.start - 8), title.start))
            # 'Thư ký báo chí Tổng thống X': the title is whose X serves, not X's
            chain.borrowed = bool(self.role_before.search(text, max(0, title.start - 20), title.start))
            chains.append(chain)
            pos = max(chain.end, title.end)
        for i, chain in enumerate(chains):
            if chain.name is None and chain.titles and not all(t.row.get("honorific") for t in chain.titles):
                chain.name = self._owner_before(state, chain, chains[:i]) or self._item_name(state, chain.start,
                                                                                            chain.end)
        chains += self._untitled_items(state, chains)
        self._resolve_people(state, chains)

    def _untitled_items(self, state: "_State", chains: list[_Chain]) -> list[_Chain]:
        """Items of a list of people whose titles no rule knows ('Cố vấn An ninh Quốc gia X;'): the name
        they end with, as a chain with no title."""
        text = state.text
        found = []
        for opening in self.list_opening.finditer(text):
            stop = re.search(r"[.\n]", text[opening.end():])
            end = opening.end() + (stop.start() if stop else len(text) - opening.end())
            start = opening.end()
            for item in re.finditer(r"[^;]+", text[start:end]):
                s0, e0 = start + item.start(), start + item.end()
                while s0 < e0 and text[s0] == " ":
                    s0 += 1
                if any(c.start < e0 and s0 < c.end for c in chains) or not text[s0:s0 + 1].isupper():
                    continue
                name = self._item_name(state, s0, s0, listed=True)
                if name is not None:
                    found.append(_Chain(start=name[0], end=name[1], name=name))
        return found

    def _parse_chain(self, state: "_State", first: _Title) -> _Chain:
        text = state.text
        chain = _Chain(start=first.start, end=first.end)
        title = first
        while True:
            pos = title.end
            qualifier = None
            if title.ministry is not None and title.ministry.owner is not None:
                owner = title.ministry.owner
                qualifier = (owner.key, None) if owner.kind == "country" else (owner.entry.country, None)
            elif text[pos:pos + 1] == " ":
                found = self._qualifier_at(state, pos + 1)
                if found is not None:
                    if title.row.get("scope") == "local" and state.span_at(pos + 1, "location") is not None:
                        title.place = (pos + 1, found[1], text[pos + 1:found[1]])  # 'Tỉnh ủy An Giang'
                    pos, qualifier = found[1], found[2:]
                elif title.row.get("scope") in ("ministry", "any", "org", "local") or title.row.get("weak"):
                    body = self._unknown_body(state, pos + 1, title)
                    if body is not None:
                        title, pos, qualifier = body
            if qualifier is not None:
                acronym = self.acronym.match(text, pos)
                if acronym:  # 'Cao ủy Thương mại Liên minh châu Âu (EU) Cecilia Malmström'
                    pos = acronym.end()
                posted = self.posted_in.match(text, pos)
                if posted:  # 'Đại sứ Thái Lan tại Việt Nam'
                    country = self._country_at(state, posted.end())
                    if country is not None:
                        pos = country[1]
            title.qualifier = qualifier
            chain.titles.append(title)
            chain.end = pos
            sep = self.joiner_re.match(text, pos)
            if sep:
                nxt = self._title_at(state, sep.end())
                if nxt is not None and not nxt.row.get("honorific"):
                    title = nxt
                    continue
            break
        pos = chain.end
        hon = self.honorific_re.match(text, pos)  # 'Tổng thống Mỹ, ông Joe Biden'
        if hon:
            pos = hon.end()
        elif text[pos:pos + 1] == " ":
            pos += 1
        elif text[pos:pos + 2] == ", " and self._rank_at(state, pos + 2) is not None:
            pos += 2  # 'Bộ trưởng Quốc phòng Thái Lan, Tướng Prawit Wongsuwan'
        else:
            return chain
        start = pos
        for _ in range(2):  # a rank or a style before the name: 'Tướng Prawit', 'Samdech Techo Hun Sen'
            rank_end = self._rank_at(state, pos)
            if rank_end is None:
                break
            pos = rank_end
        name = self._name_at(state, pos)
        if name is None and pos == start:
            # words the title's qualifier is made of, then a style that starts the name:
            # 'Thủ hiến Bang Bihar Shri Jitan Ram Manjhi'
            styled = self.styled_name.match(text, pos)
            if styled:
                name = self._name_at(state, styled.start("name"))
        if name is not None:
            chain.name = name
            chain.end = name[1]
        return chain

    def _unknown_body(self, state: "_State", pos: int, title: _Title):
        """A body or ministry the gazetteer lacks, after a title and before its country: 'Chủ tịch
        Hội đồng Cơ mật Thái Lan', 'Bộ trưởng Bộ Nhân lực kiêm ...'. Gives the post it names, where it
        ends and its qualifier (country key, organization key), or None."""
        text = state.text
        m = self.body_start.match(text, pos)
        ministry = title.row.get("scope") == "ministry"
        if m is None and not (ministry and text[pos:pos + 1].isupper()):
            return None
        cursor, words, last_capital = (m.end() if m else pos), 0, True
        if m is None:  # 'Bộ trưởng Cấp cao Singapore': the field alone
            w = re.match(r"[^\s,;.()]+", text[pos:])
            cursor = pos + len(w.group(0))
        while text[cursor:cursor + 1] == " " and words < 8:
            nxt = cursor + 1
            if self._country_at(state, nxt) is not None or state.span_at(nxt) is not None \
                    or self._title_at(state, nxt) is not None:
                break
            w = re.match(r"[^\s,;.()]+", text[nxt:])
            if w is None:
                break
            word = w.group(0)
            if word[0].isupper() or (word.islower() and last_capital) or word in self.body_connectors:
                last_capital = word[0].isupper()
                cursor, words = nxt + len(word), words + 1
                continue
            break
        while text[pos:cursor].rsplit(" ", 1)[-1] in self.body_connectors:
            cursor = pos + text[pos:cursor].rfind(" ")  # never end on 'và'
        body = text[pos:cursor]
        after = self._qualifier_at(state, cursor + 1) if text[cursor:cursor + 1] == " " else None
        owner = after[2] if after is not None and after[3] is None else None
        if owner is None and not self.joiner_re.match(text, cursor):
            return None  # no country after it, nor another title of the same person
        if owner is not None and self.body_start.match(text, after[1] + 1):
            return None  # 'Phân ban Nga Ủy ban ...': the country is inside a longer name
        if ministry:
            field = body[len(self.ministry_prefix):] if body.startswith(self.ministry_prefix) else body
            post, body = f"{title.title} {field}", f"{self.ministry_prefix}{field}"
        else:
            post = f"{title.title} {body}"
        org = None
        if owner is not None:
            entry = self.gaz.get("country", owner)
            label = f"{body} {entry.name}" if entry else body
            org = slugify(label)
            state.add(pos, cursor, "organization", org, label, country=owner, alias=False)
        row = dict(title.row, scope="state", weak=False, title=post)
        found = _Title(post, row, title.start, title.end, ministry=title.ministry, surface=title.surface)
        end = after[1] if owner is not None else cursor
        return found, end, ((owner, None) if owner is not None else None)

    def _side_before(self, state: "_State", pos: int) -> str | None:
        """'phía Australia có Bộ trưởng Ngoại giao X': the country whose delegation a title belongs to."""
        text = state.text
        start = max(text.rfind(";", 0, pos), text.rfind(". ", 0, pos), text.rfind("\n", 0, pos), pos - 200)
        found = None
        for m in self.side_re.finditer(text, start + 1, pos):
            country = self._country_at(state, m.end())
            if country is not None and self.side_end.match(text, country[1]):
                found = country[0]
        return found

    def _rank_at(self, state: "_State", pos: int) -> int | None:
        """The end (after its space) of a rank or style that may stand before a name, or None."""
        m = self.title_re.match(state.text, pos)
        if m and self._title_row(m.group(0)).get("honorific") and state.text[m.end():m.end() + 1] == " ":
            return m.end() + 1
        return None

    def _qualifier_at(self, state: "_State", pos: int):
        """The country or body right after a title: (start, end, country key, organization key).

        A country may come with its article and style: 'nước Cộng hòa Xã hội Chủ nghĩa Dân chủ Sri Lanka'."""
        org = state.span_at(pos, "organization")
        if org is not None:
            return pos, org[1], org[3], org[0]
        place = state.span_at(pos, "location")
        if place is not None and place[3]:
            return pos, place[1], place[3], None
        country = self._country_at(state, pos)
        if country is not None:
            return pos, country[1], country[0], None
        styled = self.country_style.match(state.text, pos)
        if styled:
            for at in [pos + i + 1 for i, c in enumerate(styled.group(0)) if c == " "]:
                country = self._country_at(state, at)  # the gazetteer may know part of the style
                if country is not None:
                    return pos, country[1], country[0], None
        return None

    def _name_at(self, state: "_State", pos: int):
        """A person's name starting at `pos`: (start, end, name) or None."""
        text = state.text
        m = self.name_re.match(text, pos)
        if not m:
            return None
        words = m.group(0).split(" ")
        # the name stops before a word that starts another entity or a title
        for i in range(1, len(words)):
            offset = pos + len(" ".join(words[:i])) + 1
            span = state.span_at(offset)
            # a one-word place inside a run of name syllables is a syllable ('Lê Quang Vinh')
            place_syllable = span is not None and state.kind_at(offset) == "location" and \
                (" " not in text[offset:span[1]] or i == 1)
            if (span is not None and not place_syllable) or self._title_at(state, offset) is not None:
                words = words[:i]
                break
        name = " ".join(words)
        if not self._plausible_name(state, pos, name):
            return None
        end = pos + len(name)
        if end == len(text.rstrip()) and not text[end:].strip():
            return None  # cut off where the excerpt ends: the name may be incomplete
        return pos, end, name

    def _plausible_name(self, state: "_State", pos: int, name: str) -> bool:
        words = name.split(" ")
        if state.span_at(pos) is not None:
            return False
        if words[0] in self.stopnames and not (words[0] in self.surnames and len(words) >= 3):
            return False  # 'Vương quốc', 'Đoàn ...'; but 'Vương Đình Huệ' is a name
        if self._title_at(state, pos) is not None:
            return False
        if len(words) == 1:
            # a lone syllable is a name only if it is foreign ('Putin', 'Macron'), not a Vietnamese word
            bare = _INITIALS.sub("", name)
            return len(bare) >= 3 and ((bare.isascii() and bare[1:].islower()) or "-" in bare or bare != name)
        return True

    def _vietnamese_name(self, name: str) -> bool:
        words = name.split()
        return len(words) >= 2 and words[0] in self.surnames

    def _owner_before(self, state: "_State", chain: _Chain, earlier: list[_Chain]):
        """The person a nameless title chain describes, named before it: 'ông X, Bộ trưởng Ngoại giao Lào';
        'Đại tướng Tô Lâm, Ủy viên Bộ Chính trị, Bộ trưởng Công an'; 'X vừa tái đắc cử Chủ tịch ...'."""
        text = state.text
        elected = self.elected_before.search(text, max(0, chain.start - 40), chain.start)
        if elected:
            named = [c for c in earlier if c.name is not None and 0 <= elected.start() - c.name[1] <= 2]
            if named:
                return named[-1].name
        if not text[:chain.start].endswith(", "):
            return None
        after = text[chain.end:chain.end + 2]
        if after[:1] not in ("", " ", ",", ".", ";", ")", ":"):
            return None
        closed = after[:1] in ("", ",", ".", ";", ")", ":") or len(chain.titles) > 1
        # walk back over the titles listed after the name, up to the name itself; a title followed
        # by a verb right after a name is the next clause's subject ('..., Tổng thống Chile sẽ ...')
        cursor = chain.start - 2
        for step in range(6):
            for c in reversed(earlier):
                if c.name is not None and c.name[1] == cursor:
                    return c.name if closed or step > 0 else None
            head = self.appositive.search(text[max(0, cursor - 80):cursor + 2])
            if head and (closed or step > 0):
                start = cursor - len(head.group(1))
                return start, cursor, head.group(1)
            comma = text.rfind(", ", max(0, cursor - 90), cursor)
            segment = text[comma + 2:cursor] if comma >= 0 else ""
            if comma < 0 or not self.title_segment.fullmatch(segment):
                return None
            cursor = comma
        return None

    def _item_name(self, state: "_State", item_start: int, after: int, listed: bool = False):
        """In a list of people ('Tháp tùng có A; B; C'), an item whose titles the rules cannot parse
        ends with the name: 'Phó thủ tướng, Chủ tịch Phân ban ... Dmitri Chernyshenko;'."""
        text = state.text
        head = text[max(0, item_start - 2):item_start]
        if not (listed or head.endswith("; ") or self.list_opened.search(text, max(0, item_start - 40), item_start)):
            return None
        stop = re.search(r"[;.\n]", text[after:])
        end = after + (stop.start() if stop else len(text) - after)
        if end - after > 160:
            return None
        words = text[after:end].split(" ")
        start = end
        for word in reversed(words):  # the run of name syllables the item ends with
            if not self.name_word.fullmatch(word) or start - len(word) - 1 < after:
                break
            start -= len(word) + 1
        for offset in range(start + 1 if start < end else end, end):  # from the longest run down
            if text[offset - 1] != " ":
                continue
            name = self._name_at(state, offset)
            if name is None or name[1] != end or len(name[2].split()) < 2:
                continue
            first = name[2].split()[0]
            if not first.isascii() and first not in self.surnames and name[2].split()[-1].isascii():
                continue  # 'phía Đông Ajit Doval': a word of the title before a foreign name
            return name
        return None

    def _resolve_people(self, state: "_State", chains: list[_Chain]) -> None:
        text = state.text
        named = [c for c in chains if c.name is not None]
        full: dict[str, str] = {}  # key -> full name
        for chain in sorted(named, key=lambda c: -len(c.name[2].split())):
            name = chain.name[2]
            if len(name.split()) >= 2 and self._resolve_short(name, full) is None:
                full.setdefault(slugify(name), name)
        for m in self.honorific_name.finditer(text):
            name = self._name_at(state, m.start(1))
            if name and len(name[2].split()) >= 2 and self._resolve_short(name[2], full) is None:
                full.setdefault(slugify(name[2]), name[2])

        def key_of(name: str) -> str | None:
            if slugify(name) in full:
                return slugify(name)
            return self._resolve_short(name, full)

        per_person: dict[str, list[_Title]] = defaultdict(list)
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
                if not title.row.get("honorific") and not chain.former and not chain.borrowed:
                    per_person[key].append(title)
            _distribute_qualifiers(chain)
        # every other mention of a known person: full names, surnames, given names after 'ông'
        for key, name in full.items():
            state.entities.setdefault(("person", key), EntityInfo("person", key, name))
            for start in find_word(text, name):
                state.add(start, start + len(name), "person", key, name)
        for m in self.short_name.finditer(text):
            key = self._resolve_short(m.group(1), full)
            if key is not None:
                state.add(m.start(1), m.end(1), "person", key, full[key])
        # 'Phờ-răng-xoa Ô-lăng-đơ (Francois Hollande)': the name in the original spelling, in brackets
        for s0, e0, kind, key in list(state.spans):
            if kind == "person":
                m = self.bracketed_name.match(text, e0)
                if m:
                    state.add(m.start(1), m.end(1), "person", key, full.get(key, m.group(1)))
        self._assign_positions(state, per_person)
        self._bare_titles(state, chains)

    def _bare_titles(self, state: "_State", chains: list[_Chain]) -> None:
        """A title with no name ('Tổng Bí thư hội kiến ...') is the one person of the article who holds it."""
        text = state.text
        holders: dict[tuple, set] = defaultdict(set)
        for p in state.positions:
            holders[(p.title, p.country)].add(p.person)
            holders[(p.title, None)].add(p.person)
        tail = len(text.rstrip())
        cut = not text.rstrip().endswith((".", "!", "?", "…", '"', "”", ")"))
        for chain in chains:
            if chain.name is not None or chain.former or chain.borrowed or not chain.titles:
                continue
            if cut and tail - chain.end < 12:
                continue  # the excerpt ends inside this chain of titles: whose they are is cut off
            if self.plural_re.search(text, max(0, chain.start - 14), chain.start):
                continue  # 'hai Thủ tướng' names two people
            last = chain.titles[-1]
            if last.row.get("honorific"):
                continue
            q = last.qualifier
            found = holders.get((last.title, q[0] if q else None), set())
            if len(found) > 1 and not q:
                # 'Thủ tướng' alone in Vietnamese news, with a foreign prime minister also named: Vietnam's
                found = holders.get((last.title, self.home), set())
            if len(found) == 1:
                key = next(iter(found))
                # the title only: its country or body is a mention of its own
                end = max(t.end for t in chain.titles)
                state.add(chain.start, end, "person", key, state.entities[("person", key)].name, alias=False)

    def _resolve_short(self, name: str, full: dict[str, str]) -> str | None:
        """'Siphandone' -> Sonexay Siphandone, when exactly one full name ends (or starts) with it;
        'S.Abe' and 'S.A-bê' -> Shinzo Abe (an initial, and the name spelled the Vietnamese way)."""
        words = name.split()
        initials = _INITIALS.match(words[0]) if words else None
        if initials and words[0] != initials.group(0):
            letters = initials.group(0).replace(".", "").replace(" ", "")
            rest = [words[0][initials.end():], *words[1:]]
        else:
            letters, rest = "", words

        squashed = [_squash(w) for w in rest]
        hits, inside = set(), set()
        for key, value in full.items():
            value_words, parts, squashed_parts = _name_parts(value, self.name_suffixes)
            if len(value_words) <= len(words) and not letters:
                continue
            tail = list(squashed_parts[-len(rest):]) if rest else []
            if (tail == squashed or list(value_words[:len(words)]) == words) and \
                    (not letters or all(p[:1].upper() == c.upper() for p, c in zip(parts, letters))):
                hits.add(key)
            elif len(rest) == 1 and not letters and parts[0] not in self.surnames and \
                    squashed[0] in squashed_parts[1:-1]:
                inside.add(key)  # 'Lula' of 'Luiz Inácio Lula da Silva'
        if len(hits) == 1:
            return hits.pop()
        return inside.pop() if not hits and len(inside) == 1 else None

    def _assign_positions(self, state: "_State", per_person: dict[str, list[_Title]]) -> None:
        counts = Counter(k for s0, e0, kind, k in state.spans if kind == "country" and k != self.home)
        ranked = counts.most_common(2)
        # the article's one foreign country, when one clearly dominates
        foreign = ranked[0][0] if ranked and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]) else None
        for key, titles in per_person.items():
            info = state.entities[("person", key)]
            nationality = None
            for t in titles:
                if t.qualifier and t.qualifier[0] and t.row.get("scope") not in ("org", "local"):
                    nationality = t.qualifier[0]
                    break
            if nationality is None:
                nationality = self._country_of_leaders_after(state, key)
            emitted: dict[tuple, PostMention] = {}
            for t in titles:
                row = t.row
                if not row.get("emit", True):
                    continue
                title = t.title
                q = t.qualifier
                if row.get("scope") == "local":
                    post = self._local_post(state, t)
                    written = (t.surface or title).replace("_", " ")
                    if post is not None:
                        emitted.setdefault((written, None, post), PostMention(key, written, None, post, t.start, t.end))
                    continue
                if q:
                    country, org = q[0], q[1]
                elif nationality:
                    country, org = nationality, None
                elif row.get("home", True) and (self._vietnamese_name(info.name) or not foreign):
                    country, org = self.home, None
                elif foreign:
                    country, org = foreign, None  # 'Tổng thống Sukarno' in an article about Indonesia
                else:
                    continue
                if row.get("weak") and q and not org and row.get("with_country"):
                    title = row["with_country"]  # 'Chủ tịch Trung Quốc' is the head of state
                    row = dict(row, weak=False)
                if row.get("weak") and org and q:
                    oname = state.entities[("organization", org)].name
                    home_entry = self.gaz.get("country", country) if country else None
                    if not (home_entry and oname.endswith(home_entry.name)):
                        title = f"{title} {oname}"  # 'Chủ tịch Ủy ban châu Âu'
                        row = dict(row, weak=False)
                weak = row.get("weak") or row.get("scope") == "ministry"
                if weak and not q:
                    continue  # 'Chủ tịch X', 'Bộ trưởng X': which post, of what, is not said
                if row.get("scope") == "org" and not org:
                    continue  # 'Tổng Thư ký' of what?
                if org is None and t.ministry is not None and country:
                    org = self._ministry_entity(state, t.ministry, country)
                pkey = (title, country if row.get("scope") != "org" else None, org if row.get("scope") == "org" else None)
                if pkey in emitted:
                    if org and emitted[pkey].organization is None:
                        emitted[pkey] = PostMention(key, title, pkey[1], org, t.start, t.end)
                    continue
                emitted[pkey] = PostMention(key, title, pkey[1], org, t.start, t.end)
            state.positions.extend(emitted.values())
            info.nationality = nationality or next((p.country for p in emitted.values() if p.country), None) \
                or (self.home if emitted else None)

    def _country_of_leaders_after(self, state: "_State", key: str) -> str | None:
        """'Tổng Bí thư, Chủ tịch nước X và các vị lãnh đạo khác của Đảng và Nhà nước Trung Quốc': X leads
        the country named after."""
        for s0, e0, kind, k in state.spans:
            if kind == "person" and k == key:
                m = self.leaders_after.match(state.text, e0)
                if m:
                    country = self._country_at(state, m.end())
                    if country is not None:
                        return country[0]
        return None

    def _local_post(self, state: "_State", t: _Title) -> str | None:
        """A provincial post belongs to its provincial body: 'Bí thư Tỉnh ủy An Giang' is of 'Tỉnh ủy An Giang'."""
        if t.place is None:
            return None
        start, end, place = t.place
        role = t.row.get("role", "")
        written = (t.surface or t.title)[len(role):].strip() if role and (t.surface or t.title).startswith(role) \
            else (t.surface or t.title)
        label = f"{written} {place}"
        key = slugify(label)
        state.entities.setdefault(("organization", key), EntityInfo("organization", key, label, country=self.home))
        return key

    def _ministry_entity(self, state: "_State", match: Match, country: str) -> str:
        """A minister's title names the ministry: 'Bộ trưởng Ngoại giao Lào' -> Bộ Ngoại giao Lào."""
        owner = self.gaz.get("country", country)
        key, label = self.gaz.instance_of(match.entry, owner)
        state.entities.setdefault(("organization", key), EntityInfo("organization", key, label, country=country))
        return key


@lru_cache(maxsize=1 << 14)
def _name_parts(value: str, suffixes: frozenset[str]) -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """A full name's words; its words without suffixes ('Jr.'); those words squashed."""
    words = tuple(value.split())
    parts = tuple(w for w in words if w.rstrip(".") not in suffixes)
    return words, parts, tuple(_squash(p) for p in parts)


def _squash(word: str) -> str:
    """A name syllable compared across spellings: 'A-bê' and 'Abe' are both 'abe'."""
    return fold(word).replace(" ", "")


def _title_pattern(surface: str) -> str:
    """A title as a regex: its first letter as written, the rest in either case, '_' for a space."""
    first, rest = surface[0], surface[1:]
    body = re.escape(rest).replace(r"\ ", "[ _]")
    return f"{re.escape(first)}(?i:{body})" if rest else re.escape(first)


def _distribute_qualifiers(chain: _Chain) -> None:
    """'Tổng Bí thư, Chủ tịch nước Lào X': a qualifier stated once covers the titles before it."""
    following = None
    for title in reversed(chain.titles):
        if title.qualifier:
            following = title.qualifier
        elif following is not None:
            title.qualifier = following
            title.inherited = True


class _State:
    """Mentions found so far in one text; longer spans win over the spans inside them."""

    def __init__(self, text: str):
        self.text = text
        self.spans: list[tuple[int, int, str, str]] = []  # start, end, kind, key
        self.entities: dict[tuple[str, str], EntityInfo] = {}
        self.positions: list[PostMention] = []
        self.by_start: dict[int, list[tuple[int, int, str, str]]] = defaultdict(list)
        self.ministry_titles: dict[int, Match] = {}

    def add(self, start: int, end: int, kind: str, key: str, name: str, *, en: str | None = None,
            country: str | None = None, alias: bool = True) -> None:
        span = (start, end, kind, key)
        self.spans.append(span)
        self.by_start[start].append(span)
        info = self.entities.get((kind, key))
        if info is None:
            info = self.entities[(kind, key)] = EntityInfo(kind, key, name, en=en, country=country)
        if alias:
            info.surfaces.add(self.text[start:end])

    def named_inside(self, mentions: list[Mention]) -> list[Mention]:
        """One span of each entity that has no mention of its own, every span of it lying inside a
        longer name ('Myanmar' in 'Hợp tác bốn nước Campuchia, Lào, Myanmar và Việt Nam')."""
        mentioned = {(m.kind, m.key) for m in mentions}
        found: dict[tuple[str, str], Mention] = {}
        for s, e, kind, key in sorted(set(self.spans)):
            if (kind, key) not in mentioned and (kind, key) not in found:
                found[(kind, key)] = Mention(s, e, kind, key, self.text[s:e])
        return list(found.values())

    def kind_at(self, pos: int) -> str | None:
        spans = self.by_start.get(pos, ())
        return max(spans, key=lambda s: s[1])[2] if spans else None

    def inside(self, start: int, end: int, kinds=("organization", "location")) -> bool:
        """Whether [start, end) lies within a longer span of one of `kinds`."""
        return any(s <= start and end <= e and (e - s) > (end - start) and k in kinds
                   for s, e, k, _ in self.spans)

    def span_at(self, pos: int, kind: str | None = None):
        """The longest span starting at `pos` (of `kind`): (key, end, name, country)."""
        spans = [s for s in self.by_start.get(pos, ()) if kind is None or s[2] == kind]
        if not spans:
            return None
        start, end, k, key = max(spans, key=lambda s: s[1])
        info = self.entities[(k, key)]
        return key, end, info.name, info.country if k != "person" else info.nationality

    def resolved_mentions(self) -> list[Mention]:
        """Non-overlapping mentions, the longest first, in text order."""
        chosen: list[tuple[int, int, str, str]] = []
        taken: list[tuple[int, int]] = []
        priority = {"person": 0, "organization": 1, "location": 2, "country": 3}
        for span in sorted(set(self.spans), key=lambda s: (-(s[1] - s[0]), priority[s[2]], s[0], s[3])):
            if any(span[0] < e and s < span[1] for s, e in taken):
                continue
            taken.append((span[0], span[1]))
            chosen.append(span)
        chosen.sort()
        return [Mention(s, e, kind, key, self.text[s:e]) for s, e, kind, key in chosen]
