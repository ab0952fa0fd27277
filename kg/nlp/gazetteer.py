"""Gazetteers: the countries, places, organisations, national bodies and ministries vnkg knows by name.

The data lives in ontology/gazetteers/*.jsonl (one JSON object per line, each with an
`id` that becomes the entity's canonical key and IRI slug). This module loads those
files once per folder, answers "which entries does this surface form name?"
(`Gazetteers.lookup`) and finds gazetteer names in a text (`Gazetteers.find`):
the longest names, not overlapping, at word boundaries, with character offsets into
the text as given. It only recognises names; whether an ambiguous one ("Anh", "Nga")
is meant as a country is decided by the entity recogniser, from the context.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

from kg.compiled import regex
from kg.errors import DataFileError
from kg.nlp.lexicon import Lexicon, jsonl_rows, load_lexicon
from kg.text import DASHES, normalize, traditional_tones

log = logging.getLogger(__name__)

KINDS: tuple[str, ...] = ("country", "location", "organization", "body", "ministry")
FILES: Mapping[str, str] = MappingProxyType({
    "country": "countries.jsonl",
    "location": "locations.jsonl",
    "organization": "organizations.jsonl",
    "body": "national_bodies.jsonl",
    "ministry": "ministries.jsonl",
})
LOCATION_KINDS = frozenset({"province", "city", "capital", "region", "sea", "river", "island",
                            "building", "site", "border-gate"})
ORGANIZATION_KINDS = frozenset({"international", "party", "state-body", "media", "company", "other"})


# Which kind wins when two kinds name exactly the same span.
_PRIORITY = {"organization": 0, "body": 1, "ministry": 2, "country": 3, "location": 4}


_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


# --------------------------------------------------------------------------- records


@dataclass(frozen=True)
class Entry:
    """One gazetteer entry. Two entries are equal when they have the same kind and id.

    `extra` holds the file's other fields (iso2, short, kind, field, minister_aliases...);
    `category` is the file's own `kind` field (a location's "capital", an organisation's "party").
    """

    kind: str  # country | location | organization | body | ministry
    id: str
    name: str = field(compare=False)
    en: str | None = field(default=None, compare=False)
    aliases: tuple[str, ...] = field(default=(), compare=False)
    country: str | None = field(default=None, compare=False)
    ambiguous: bool = field(default=False, compare=False)
    extra: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}), compare=False)
    ambiguous_forms: frozenset[str] = field(default=frozenset(), compare=False)
    exact_forms: frozenset[str] = field(default=frozenset(), compare=False)

    @property
    def surfaces(self) -> tuple[str, ...]:
        """The name and every alias, as written in the file."""
        return (self.name, *self.aliases)

    @property
    def category(self) -> str | None:
        value = self.extra.get("kind")
        return value if isinstance(value, str) else None

    def is_ambiguous(self, surface: str) -> bool:
        """Whether `surface`, as a name of this entry, needs context to be read as this entry."""
        key = _joined(surface)
        return key in self.ambiguous_forms or key.lower() in self.ambiguous_forms


@dataclass(frozen=True)
class Match:
    """A gazetteer name found in a text: `text[start:end] == surface`.

    `entries` are what the name may denote (usually one). A body or ministry followed by
    the country or party it belongs to ("Quốc hội Lào", "Bộ Ngoại giao Hoa Kỳ") is one match
    whose `owner` is the match of that country or party. `title` is set when the name is a
    post rather than the ministry ("Bộ trưởng Ngoại giao" -> title "Bộ trưởng Ngoại giao").
    `key` and `label` are the canonical key and Vietnamese label of the thing named:
    the entry's own for countries, places and organisations, and for a body or ministry
    the instance belonging to its owner ("bo-ngoai-giao-lao", "Bộ Ngoại giao Lào"),
    Vietnam's (or the Communist Party of Vietnam's) when no owner is written.
    """

    start: int
    end: int
    surface: str
    entries: tuple[Entry, ...]
    key: str = ""
    label: str = ""
    title: str | None = None
    owner: Match | None = None
    ambiguous: bool = False
    in_pair: bool = False  # one side of a pair such as "Việt - Lào"
    inner: tuple[Match, ...] = ()  # countries named inside this organisation's or place's name

    @property
    def kind(self) -> str:
        return self.entries[0].kind

    @property
    def entry(self) -> Entry:
        return self.entries[0]


@dataclass(frozen=True)
class _Form:
    entry: Entry
    title: str | None = None  # for ministry forms naming a post
    short: bool = False  # a country's pair-only short form
    exact: bool = False  # matched with its case as written (and in capitals), even when multi-word


# --------------------------------------------------------------------------- normalisation

_DASHES = re.escape(DASHES)  # for use inside [...]
_SPLIT = re.compile(rf"[\s_{_DASHES}]+")
_DOT_SPACE = re.compile(r"(?<=\w\.)\s+(?=\w)")
_INNER_DOT = re.compile(r"\w\.\w")


@lru_cache(maxsize=1 << 16)
def _joined(surface: str) -> str:
    """The words of a surface form joined by single spaces, case kept."""
    text = _DOT_SPACE.sub("", normalize(surface))
    return " ".join(t for t in _SPLIT.split(text) if t)


def _is_single(key: str) -> bool:
    return " " not in key and not _INNER_DOT.search(key)


def surface_key(surface: str) -> str:
    """The lookup key of a surface form.

    Words are split at spaces, '_' and dashes ("Xinh-ga-po" = "Xinh ga po", "Việt Nam – Lào"
    = "Việt Nam - Lào"); "TP. Hà Nội" = "TP.Hà Nội". A multi-word name (or a dotted
    abbreviation such as "TP.HCM") is matched without case; a single word keeps its case,
    so "Nga" (Russia) is not "nga".
    """
    key = _joined(surface)
    return key if _is_single(key) else key.lower()


# --------------------------------------------------------------------------- regex building

# Names are matched in the scan form of a text (`_scan_form`): same length, new-style tone
# marks made traditional, every space of a line a plain space and every dash a hyphen. The
# patterns then name few characters, which keeps them quick to build and to run.
_GAP = "[ _]"  # what may separate two words of a name on one line
_SEP = "[ _-]+"  # spaces, '_' or dashes between two words of a name
_DOT = rf"\.{_GAP}*"
_PAIR_GAP = re.compile(rf"{_GAP}*-{_GAP}*")
_GAPS = re.compile(f"{_GAP}+")
_SPACE_LIKE = re.compile("[\t\u00a0\u202f]")
_DASH_LIKE = re.compile(f"[{re.escape(DASHES.replace('-', ''))}]")


def _scan_form(text: str) -> str:
    """`text` as names are matched in it; a character for a character, so offsets are kept."""
    return _DASH_LIKE.sub("-", _SPACE_LIKE.sub(" ", traditional_tones(text)))


_WORD = re.compile(r"(?<!\w)[^\W_]+")  # a word where a name may start (the patterns' own start)
_LEADING_WORD = re.compile(r"[^\W_]+")  # a name's first word: the word the text has where the name starts


def _atoms(key: str) -> list[str]:
    atoms = []
    last = len(key) - 1
    for i, ch in enumerate(key):
        if ch.isalnum():  # what re.escape leaves as it is, and nearly every character of a name
            atoms.append(ch)
        elif ch == " ":
            atoms.append(_SEP)
        elif ch == "." and i < last:
            atoms.append(_DOT)
        else:
            atoms.append(re.escape(ch))
    return atoms


def _trie_pattern(keys: Iterable[str]) -> str:
    """One regex for many names, as a trie, so matching costs the length of the name, not the
    number of names. Greedy: at a given start, the longest name wins."""
    root: dict = {}
    for key in keys:
        node = root
        for atom in _atoms(key):
            node = node.setdefault(atom, {})
        node[""] = {}
    return _render(root)


def _render(node: dict) -> str:
    branches = [atom + _render(child) for atom, child in sorted(node.items()) if atom]
    if not branches:
        return ""
    terminal = "" in node
    if len(branches) == 1 and not terminal:
        return branches[0]
    group = "(?:" + "|".join(branches) + ")"
    return group + "?" if terminal else group


def _names_pattern(exact: Iterable[str], folded: Iterable[str]) -> str:
    """Names matched without case first (multi-word), then names matched with their case, then a word boundary."""
    folded_trie = _trie_pattern(set(folded))
    exact_trie = _trie_pattern(set(exact))
    parts = ([f"(?i:{folded_trie})"] if folded_trie else []) + ([exact_trie] if exact_trie else [])
    if not parts:
        return "(?!)"
    return "(?:" + "|".join(parts) + r")(?!\w)"


# --------------------------------------------------------------------------- loading


def _default_directory() -> Path:
    from kg.resources import ontology_dir

    return ontology_dir() / "gazetteers"


def load_gazetteers(directory: Path | str | None = None) -> Gazetteers:
    """The gazetteers in `directory` (default: the project's ontology/gazetteers), loaded once per folder.

    How ministries are written and which country is home come from the rules folder next
    to it (ontology/rules)."""
    folder = Path(directory) if directory is not None else _default_directory()
    return _load_cached(folder.expanduser().resolve())


@lru_cache(maxsize=8)
def _load_cached(folder: Path) -> Gazetteers:
    if not folder.is_dir():
        raise DataFileError(str(folder), "gazetteer folder not found (set VNKG_ONTOLOGY_DIR to the ontology folder)")
    entries: dict[str, tuple[Entry, ...]] = {}
    countries: frozenset[str] = frozenset()
    for kind in KINDS:
        entries[kind] = tuple(_read_file(folder / FILES[kind], kind, countries))
        if kind == "country":
            countries = frozenset(e.id for e in entries[kind])
    gazetteers = Gazetteers(folder, entries, load_lexicon(folder.parent / "rules"))
    log.debug("loaded gazetteers from %s: %s", folder,
              ", ".join(f"{len(v)} {k}" for k, v in entries.items()))
    return gazetteers


def _read_file(path: Path, kind: str, countries: frozenset[str]) -> list[Entry]:
    if not path.is_file():
        raise DataFileError(str(path), f"gazetteer file missing (every folder needs {', '.join(FILES.values())})")
    entries: list[Entry] = []
    seen: dict[str, int] = {}
    for number, row in jsonl_rows(path):
        entry = _entry(row, kind, path, number, countries)
        if entry.id in seen:
            raise DataFileError(str(path), f"id {entry.id!r} already used on line {seen[entry.id]}", line=number)
        seen[entry.id] = number
        entries.append(entry)
    return entries


def _entry(row: object, kind: str, path: Path, line: int, countries: frozenset[str]) -> Entry:
    def fail(problem: str) -> DataFileError:
        return DataFileError(str(path), problem, line=line)

    if not isinstance(row, dict):
        raise fail("expected a JSON object")
    ident = row.get("id")
    if not isinstance(ident, str) or not _SLUG.fullmatch(ident):
        raise fail(f"'id' must be a slug such as 'viet-nam' (lower-case ASCII words joined by '-'), got {ident!r}")
    name_field = "field" if kind == "ministry" else "name"
    name = row.get(name_field)
    if not isinstance(name, str) or not name.strip():
        raise fail(f"{ident}: '{name_field}' must be a non-empty string")
    en = row.get("en")
    if en is not None and not isinstance(en, str):
        raise fail(f"{ident}: 'en' must be a string or null")
    aliases = _strings(row.get("aliases", []), "aliases", ident, fail)
    for key in ("short", "minister_aliases"):
        if key in row:
            _strings(row[key], key, ident, fail)
    country = row.get("country")
    if country is not None:
        if not isinstance(country, str):
            raise fail(f"{ident}: 'country' must be a country id or null")
        if kind != "country" and country not in countries:
            raise fail(f"{ident}: unknown country {country!r} (use an id from countries.jsonl)")
    if kind == "location" and row.get("kind") not in LOCATION_KINDS:
        raise fail(f"{ident}: 'kind' must be one of {', '.join(sorted(LOCATION_KINDS))}")
    if kind == "organization" and row.get("kind") not in ORGANIZATION_KINDS:
        raise fail(f"{ident}: 'kind' must be one of {', '.join(sorted(ORGANIZATION_KINDS))}")
    names = (name, *aliases, *row.get("short", ()))
    exact = _forms_flag(row, "case_sensitive", names, ident, fail)
    ambiguous = _forms_flag(row, "ambiguous", names, ident, fail)
    # an ambiguous form is stored as it is matched: with its case if exact, else folded
    ambiguous = frozenset(f if _is_single(f) or f in exact else f.lower() for f in ambiguous)
    ambiguous |= {f.upper() for f in ambiguous if _is_single(f) or f in exact}
    extra = {k: v for k, v in row.items()
             if k not in ("id", name_field, "en", "aliases", "country", "ambiguous", "case_sensitive")}
    return Entry(kind=kind, id=ident, name=name, en=en, aliases=tuple(aliases), country=country,
                 ambiguous=bool(ambiguous), extra=MappingProxyType(extra), ambiguous_forms=ambiguous,
                 exact_forms=exact)


def _forms_flag(row: dict, key: str, names: tuple[str, ...], ident: str, fail) -> frozenset[str]:
    """`true` (the entry's name), `false`, or a list of the entry's names; as joined forms, case kept."""
    flag = row.get(key, False)
    if flag is True:
        return frozenset({_joined(names[0])})
    if flag is False or flag is None:
        return frozenset()
    if isinstance(flag, list) and all(isinstance(s, str) for s in flag):
        forms = frozenset(_joined(s) for s in flag)
        stray = sorted(forms - {_joined(s) for s in names})
        if stray:
            raise fail(f"{ident}: '{key}' lists {stray}, which are not names of this entry")
        return forms
    raise fail(f"{ident}: '{key}' must be true, false or a list of the entry's names")


def _strings(value: object, key: str, ident: str, fail) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(s, str) and s.strip() for s in value):
        raise fail(f"{ident}: '{key}' must be a list of non-empty strings")
    return value


# --------------------------------------------------------------------------- the gazetteers


class Gazetteers:
    """Every gazetteer entry of one folder, with lookup by name and a matcher for texts."""

    def __init__(self, directory: Path, entries: Mapping[str, tuple[Entry, ...]], lexicon: Lexicon):
        self.directory = directory
        home = lexicon.row("home")
        self.home_country: str = home["country"]  # a body named without a country in Vietnamese news is Vietnam's
        self.home_party: str = home["party"]  # ... and a party organ named without a party is this party's
        forms = lexicon.row("ministry.forms")
        # how a ministry's field becomes names in text, and the base title of the post each form names
        self._ministry_forms: tuple[tuple[str, str | None], ...] = tuple((f, t) for f, t in forms["forms"])
        self._ministry_prefix: str = forms["ministry"]  # 'Bộ {}': the ministry itself
        self._minister_title: str = forms["minister"]
        self._deputy_alias: tuple[str, str] = tuple(forms["deputy_alias"])
        self._party_word = lexicon.pattern("gazetteer.party_word_end")
        self._entries = {kind: tuple(entries.get(kind, ())) for kind in KINDS}
        self._by_id = {kind: {e.id: e for e in es} for kind, es in self._entries.items()}
        # kind -> key -> forms; exact keys keep their case, folded keys are lower-case
        self._exact: dict[str, dict[str, list[_Form]]] = {}
        self._folded: dict[str, dict[str, list[_Form]]] = {}
        self._surfaces: dict[str, list[tuple[str, Entry]]] = {}
        for kind in KINDS:
            exact: dict[str, list[_Form]] = {}
            folded: dict[str, list[_Form]] = {}
            listed: dict[tuple[str, str], None] = {}
            for surface, form in self._forms_of(kind):
                joined = _joined(surface)
                if form.exact:
                    keys, index = ([joined] if form.short else [joined, joined.upper()]), exact
                else:
                    keys, index = [joined.lower()], folded
                for k in dict.fromkeys(keys):
                    bucket = index.setdefault(k, [])
                    if form not in bucket:
                        bucket.append(form)
                if not form.short:
                    listed[(surface, form.entry.id)] = None
            self._exact[kind], self._folded[kind] = exact, folded
            self._surfaces[kind] = sorted(((s, self._by_id[kind][i]) for s, i in listed),
                                          key=lambda pair: (-len(pair[0]), pair[0], pair[1].id))
        self._grouped: dict[str, dict[str, tuple[list[str], list[str]]]] = {}
        self._compiled: dict[tuple[str, str | None], re.Pattern] = {}
        self._first_words: dict[str, set[str]] = {}  # lower-cased first word of a name -> the kinds it starts

    def __repr__(self) -> str:
        counts = ", ".join(f"{len(v)} {k}" for k, v in self._entries.items())
        return f"Gazetteers({str(self.directory)!r}: {counts})"

    def _forms_of(self, kind: str) -> Iterable[tuple[str, _Form]]:
        def form(surface: str, entry: Entry, title: str | None = None, short: bool = False) -> _Form:
            joined = _joined(surface)
            return _Form(entry, title, short, _is_single(joined) or joined in entry.exact_forms)

        for entry in self._entries[kind]:
            if kind == "ministry":
                for pattern, title in self._ministry_forms:
                    for field_name in entry.surfaces:
                        surface = pattern.format(field_name)
                        yield surface, form(surface, entry, f"{title} {entry.name}" if title else None)
                prefix, deputy = self._deputy_alias
                for word in entry.extra.get("minister_aliases", ()) or ():
                    yield word, form(word, entry, f"{self._minister_title} {entry.name}")
                    yield prefix.format(word), form(prefix.format(word), entry, f"{deputy} {entry.name}")
                continue
            for surface in entry.surfaces:
                yield surface, form(surface, entry)
            if kind == "country":
                for short in entry.extra.get("short", ()) or ():
                    yield short, form(short, entry, short=True)

    def _forms_at(self, kind: str, surface: str, *, short: bool = False) -> list[_Form]:
        """The forms of `kind` that `surface` is (pair-only short forms only if `short`)."""
        joined = _joined(surface)
        found = self._exact[kind].get(joined, []) + self._folded[kind].get(joined.lower(), [])
        return [f for f in found if short or not f.short]

    # ------------------------------------------------------------------ lookup

    def entries(self, kind: str) -> tuple[Entry, ...]:
        """Every entry of `kind`, in file order."""
        return self._entries[_check_kind(kind)]

    def get(self, kind: str, ident: str) -> Entry | None:
        """The entry of `kind` with id `ident`, or None."""
        return self._by_id[_check_kind(kind)].get(ident)

    def lookup(self, surface: str, kind: str | None = None) -> list[Entry]:
        """The entries that `surface` names (any name or alias; a ministry as "Bộ Ngoại giao").

        Pair-only short forms ("Việt", "Trung") are not names on their own and are not found here.
        """
        found: list[Entry] = []
        for k in (KINDS if kind is None else (_check_kind(kind),)):
            for form in self._forms_at(k, surface):
                if form.entry not in found:
                    found.append(form.entry)
        return found

    def surface_forms(self, kind: str) -> list[tuple[str, Entry]]:
        """Every (surface, entry) of `kind` as written in the files, the longest first.

        For ministries these are the forms found in text: "Bộ Ngoại giao", "Bộ trưởng Ngoại giao"...
        """
        return list(self._surfaces[_check_kind(kind)])

    # ------------------------------------------------------------------ matching

    def _keys(self, kind: str, *, short: bool = False, parties: bool = False):
        """(exact keys, folded keys) of `kind` for a matcher."""
        def keep(forms: list[_Form]) -> bool:
            return any((short or not f.short) and (not parties or f.entry.category == "party") for f in forms)

        return ([k for k, forms in self._exact[kind].items() if keep(forms)],
                [k for k, forms in self._folded[kind].items() if keep(forms)])

    def _groups(self, name: str) -> dict[str, tuple[list[str], list[str]]]:
        """The (exact, folded) keys of matcher `name` — a kind, or "owner": countries and parties —
        by their first word, lower-cased ("": the names that start with a sign)."""
        groups = self._grouped.get(name)
        if groups is None:
            if name in KINDS:
                exact, folded = self._keys(name, short=name == "country")
            elif name == "owner":
                exact, folded = self._keys("country")
                party_exact, party_folded = self._keys("organization", parties=True)
                exact, folded = exact + party_exact, folded + party_folded
            else:
                raise ValueError(name)
            groups = {}
            for i, keys in enumerate((exact, folded)):
                for key in keys:
                    first = _LEADING_WORD.match(key)
                    groups.setdefault(first.group().lower() if first else "", ([], []))[i].append(key)
            self._grouped[name] = groups
            if name in KINDS:
                for word in groups:
                    if word:
                        self._first_words.setdefault(word, set()).add(name)
        return groups

    def _matcher(self, name: str, word: str) -> re.Pattern:
        """The pattern of the names of matcher `name` whose first word is `word`, built on first use.

        One small pattern per first word, tried only where that word is, rather than one pattern
        of every name tried at every character: quick to build and to run. It matches what the
        pattern of every name would at that place, since no other name can start there."""
        compiled = self._compiled.get((name, word))
        if compiled is None:
            keys = self._groups(name).get(word, ((), ()))
            compiled = regex(_names_pattern(*keys))
            self._compiled[(name, word)] = compiled
        return compiled

    def _signed(self, kind: str) -> re.Pattern:
        """The names of `kind` that start with a sign, found at every start (group 1), built once."""
        compiled = self._compiled.get((kind, None))
        if compiled is None:
            compiled = regex(rf"(?<!\w)(?=({self._matcher(kind, '').pattern}))")
            self._compiled[(kind, None)] = compiled
        return compiled

    def _match_at(self, name: str, scan: str, pos: int) -> re.Match | None:
        """The name of matcher `name` that starts at `pos` of a scan form, the longest."""
        word = _LEADING_WORD.match(scan, pos)
        return self._matcher(name, word.group().lower() if word else "").match(scan, pos)

    def compile(self) -> None:
        """Build every matcher now rather than on first use."""
        for name in (*KINDS, "owner"):
            for word in self._groups(name):
                self._matcher(name, word)

    def find(self, text: str, kinds: Iterable[str] | None = None) -> list[Match]:
        """The gazetteer names in `text`: longest first, not overlapping, in text order.

        Expects NFC text (as `kg.clean` leaves it); reads "_" as a space, any dash between
        words as a hyphen, and new-style tone marks ("Hoà Bình") as traditional ones.
        """
        wanted = tuple(KINDS if kinds is None else (_check_kind(k) for k in kinds))
        for kind in wanted:
            self._groups(kind)
        scan = _scan_form(text)
        starts = self._name_starts(scan)
        candidates: list[Match] = []
        pairs: list[tuple[int, int]] = []
        for kind in wanted:
            # every start, not only after the previous match: a longer name may start inside a shorter one
            spans = []
            for pos, word in starts.get(kind, ()):
                m = self._matcher(kind, word).match(scan, pos)
                if m:
                    spans.append((pos, m.end()))
            if "" in self._grouped[kind]:  # names that start with a sign, looked for everywhere
                spans = sorted(spans + [(m.start(1), m.end(1)) for m in self._signed(kind).finditer(scan)])
            for start, end in spans:
                match = self._match(kind, text, scan, start, end)
                if match is not None:
                    candidates.append(match)
            if kind == "country":
                pairs = self._pairs(text, scan, spans, candidates)
        chosen = _with_inner_countries(_select(candidates), candidates)
        if pairs:
            chosen = [replace(m, in_pair=True) if m.kind == "country" and
                      any(s <= m.start and m.end <= e for s, e in pairs) else m for m in chosen]
        return chosen

    def _name_starts(self, scan: str) -> dict[str, list[tuple[int, str]]]:
        """Where a name of each kind may start, with the word there (lower-cased): the words that
        some name of that kind starts with."""
        starts: dict[str, list[tuple[int, str]]] = {}
        first_words = self._first_words
        lowered = scan.lower()
        if len(lowered) != len(scan):  # a letter whose lower case is longer: offsets would shift
            lowered = "".join(c.lower() if len(c.lower()) == 1 else c for c in scan)
        for m in _WORD.finditer(lowered):
            kinds = first_words.get(m.group())
            if kinds:
                for kind in kinds:
                    if kind in starts:
                        starts[kind].append((m.start(), m.group()))
                    else:
                        starts[kind] = [(m.start(), m.group())]
        return starts

    def _pairs(self, text: str, scan: str, spans: list[tuple[int, int]],
               candidates: list[Match]) -> list[tuple[int, int]]:
        """Spans of country pairs such as "Việt - Lào", "Mỹ – Trung" among the country `spans`
        (names and short forms); the pair-only short forms ("Việt", "Trung") are added to `candidates`."""
        parts: list[tuple[int, int]] = []
        for start, end in spans:  # leftmost-longest, not overlapping
            if not parts or start >= parts[-1][1]:
                parts.append((start, end))
        pairs: list[tuple[int, int]] = []
        run: list[tuple[int, int]] = []
        for part in [*parts, None]:
            if part is not None and run and _PAIR_GAP.fullmatch(scan, run[-1][1], part[0]):
                run.append(part)
                continue
            if len(run) >= 2:
                pairs.append((run[0][0], run[-1][1]))
                for start, end in run:
                    forms = self._forms_at("country", scan[start:end], short=True)
                    if forms and all(f.short for f in forms):
                        entries = tuple(dict.fromkeys(f.entry for f in forms))
                        candidates.append(Match(start, end, text[start:end], entries,
                                                key=entries[0].id, label=entries[0].name))
            run = [part] if part is not None else []
        return pairs

    def _match(self, kind: str, text: str, scan: str, start: int, end: int) -> Match | None:
        forms = self._forms_at(kind, scan[start:end])
        if not forms:
            return None
        entries = tuple(dict.fromkeys(f.entry for f in forms))
        surface = text[start:end]
        ambiguous = any(e.is_ambiguous(surface) for e in entries)
        if kind not in ("body", "ministry"):
            return Match(start, end, surface, entries, key=entries[0].id, label=entries[0].name,
                         ambiguous=ambiguous)
        title = forms[0].title
        owner = self._owner_after(kind, entries[0], text, scan, start, end)
        if owner is not None:
            end = owner.end
            surface = text[start:end]
        key, label = self._instance(entries[0], owner)
        return Match(start, end, surface, entries, key=key, label=label, title=title, owner=owner,
                     ambiguous=ambiguous)

    def _owner_after(self, kind: str, entry: Entry, text: str, scan: str, start: int, end: int) -> Match | None:
        """The country or party written right after a body or ministry name, as a match."""
        positions = []
        gap = _GAPS.match(scan, end)
        if gap:
            positions.append(gap.end())
        # "Ban Chấp hành Trung ương Đảng Nhân dân Cách mạng Lào": the party's name shares "Đảng"
        last = self._party_word.search(scan[start:end])
        if kind == "body" and last:
            positions.append(start + last.start())
        best = None
        for pos in positions:
            m = self._match_at("owner", scan, pos)
            if not m:
                continue
            owners = [f.entry for f in self._forms_at("country", m.group(0))]
            if not owners or pos < end:
                owners = [f.entry for f in self._forms_at("organization", m.group(0)) if f.entry.category == "party"]
            if owners and m.end() > end and (best is None or m.end() > best.end):
                owners = tuple(dict.fromkeys(owners))
                osurface = text[m.start():m.end()]
                best = Match(m.start(), m.end(), osurface, owners, key=owners[0].id, label=owners[0].name,
                             ambiguous=any(o.is_ambiguous(osurface) for o in owners))
        return best

    def _instance(self, entry: Entry, owner: Match | None) -> tuple[str, str]:
        return self.instance_of(entry, owner.entry if owner is not None else None)

    def instance_of(self, entry: Entry, owner: Entry | None) -> tuple[str, str]:
        """The key and label of the body or ministry `entry` of `owner` (or of its default owner)."""
        from kg.text import slugify

        base = self._ministry_prefix.format(entry.name) if entry.kind == "ministry" else entry.name
        owner_entry = owner if owner is not None else self._default_owner(entry)
        if owner_entry is None:
            return slugify(base), base
        owner_name = owner_entry.name
        # 'Ban Chấp hành Trung ương Đảng' + 'Đảng Cộng sản Việt Nam': the word is said once
        last = self._party_word.search(base)
        if last and self._party_word.search(owner_name.split(" ", 1)[0]):
            base = base[: last.start()].rstrip()
        label = f"{base} {owner_name}"
        return slugify(label), label

    def _default_owner(self, entry: Entry) -> Entry | None:
        if entry.extra.get("of_party"):
            return self.get("organization", self.home_party)
        if entry.extra.get("vietnam", True) is not False:
            return self.get("country", self.home_country)
        countries = entry.extra.get("countries") or ()
        if len(countries) == 1:
            return self.get("country", countries[0])
        return None


def _select(candidates: list[Match]) -> list[Match]:
    """Longest first, then leftmost, then by kind; a span already taken blocks any overlap.
    Two kinds naming exactly the same span make one match with both kinds' entries."""
    order = sorted(candidates, key=lambda m: (-(m.end - m.start), m.start, _PRIORITY[m.kind]))
    chosen: dict[tuple[int, int], Match] = {}
    taken: list[tuple[int, int]] = []
    for m in order:
        same = chosen.get((m.start, m.end))
        if same is not None:
            if same.owner is None and m.owner is None and same.title is None and m.title is None:
                extra = tuple(e for e in m.entries if e not in same.entries)
                if extra:
                    chosen[(m.start, m.end)] = replace(same, entries=same.entries + extra,
                                                       ambiguous=same.ambiguous or m.ambiguous)
            continue
        if any(m.start < e and s < m.end for s, e in taken):
            continue
        taken.append((m.start, m.end))
        chosen[(m.start, m.end)] = m
    return sorted(chosen.values(), key=lambda m: (m.start, m.end))


def _with_inner_countries(chosen: list[Match], candidates: list[Match]) -> list[Match]:
    """Each organisation or place with the countries its name names: "Hợp tác bốn nước Campuchia,
    Lào, Myanmar và Việt Nam" names four countries besides the cooperation."""
    countries = [c for c in candidates if c.kind == "country" and not c.ambiguous]
    if not countries:
        return chosen
    out = []
    for m in chosen:
        if m.kind in ("organization", "location"):
            inner = tuple(c for c in countries if m.start <= c.start and c.end <= m.end and c.end - c.start < m.end - m.start)
            if inner:
                m = replace(m, inner=inner)
        out.append(m)
    return out


def _check_kind(kind: str) -> str:
    if kind not in FILES:
        raise ValueError(f"unknown gazetteer kind {kind!r}; expected one of {', '.join(KINDS)}")
    return kind
