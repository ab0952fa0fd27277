"""Ingest: text files, JSONL files and HTML pages -> Article records.

This stage reads bytes, decides their encoding and pulls out the article text and
its metadata (title, date, publisher, author, url). It does not clean, normalise or
re-wrap text: `Article.text` is what the file says, minus a scraped metadata header
(.txt) or the page furniture (.html); `kg.clean` does the rest.

It never raises for bad input. Every file or JSONL record that cannot be read is
yielded as an `InputError` naming the file (and line) and what to do, and reading
goes on with the rest.
"""
from __future__ import annotations

import codecs
import csv
import dataclasses
import datetime as dt
import json
import logging
import os
import re
import stat
import string
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from kg.article import Article, DroppedSpan, digest_of
from kg.errors import (
    BinaryInputError,
    EmptyInputError,
    EncodingProblem,
    InputError,
    MalformedRecordError,
    TooLargeError,
    UnsupportedInputError,
    printable_path,
)

if TYPE_CHECKING:
    from selectolax.lexbor import LexborHTMLParser, LexborNode

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES: tuple[str, ...] = (".txt", ".text", ".jsonl", ".ndjson", ".html", ".htm")
_FORMAT_OF = {".txt": "text", ".text": "text", ".jsonl": "jsonl", ".ndjson": "jsonl", ".html": "html", ".htm": "html"}

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
# A JSONL file holds many articles, so the per-article limit applies to each line and
# the file as a whole may be this many times larger.
JSONL_FILE_FACTOR = 100

_SUPPORTED_HINT = "vnkg reads " + ", ".join(SUPPORTED_SUFFIXES) + " files"
_UTF8_HINT = "save the file as UTF-8"
_JSONL_HINT = "each line of a .jsonl file must be one JSON object with a non-empty string 'text'"


# --------------------------------------------------------------------------- walking

def iter_files(paths: Iterable[str | Path]) -> Iterator[Path]:
    """The files `read_articles` reads, in its order.

    Folders are walked recursively in sorted order, skipping hidden files and folders
    and files of kinds vnkg does not read. A path given explicitly is yielded as it is,
    even when it is missing or of an unsupported kind, so that `read_articles` can say
    so. A folder that cannot be listed is logged and skipped.
    """
    for item in _walk(paths):
        if isinstance(item, InputError):
            log.warning("%s", item)
        else:
            yield Path(item)


def read_articles(
    paths: Iterable[str | Path], *, max_bytes: int = DEFAULT_MAX_BYTES
) -> Iterator[Article | InputError]:
    """One Article per article found in `paths`, or the InputError saying why a file
    or record could not be read; never stops on bad input.

    `max_bytes` bounds one article: a .txt or .html file, or one line of a JSONL file
    (a JSONL file as a whole may be JSONL_FILE_FACTOR times larger).
    """
    if isinstance(paths, (str, bytes, os.PathLike)):
        raise TypeError("read_articles takes a list of paths, not a single path")
    if max_bytes <= 0:
        raise ValueError(f"max_bytes must be positive, not {max_bytes}")
    return _read_all(paths, max_bytes)


def _read_all(paths: Iterable[str | Path], max_bytes: int) -> Iterator[Article | InputError]:
    manifests: dict[str, dict[str, dict[str, str]]] = {}
    for item in _walk(paths):
        if isinstance(item, InputError):
            yield item
            continue
        folder, name = os.path.split(item)
        if folder not in manifests:
            manifests[folder] = read_manifests(folder or ".")
        meta = manifests[folder].get(name)
        for article in _read_file(item, max_bytes):
            yield _with_manifest(article, meta) if meta and isinstance(article, Article) and article.line is None \
                else article


# --------------------------------------------------------------------------- a folder's manifest

MANIFEST_SUFFIXES = (".tsv", ".csv")
# a manifest's columns, by the field each fills (the first column found wins)
_MANIFEST_FIELDS: dict[str, tuple[str, ...]] = {
    "date": ("date", "publication_date", "published", "date_published", "datepublished"),
    "title": ("title", "headline"),
    "url": ("url", "link"),
    "publisher": ("outlet", "publisher", "source"),
    "author": ("author", "byline"),
}
_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def read_manifests(folder: str) -> dict[str, dict[str, str]]:
    """File name -> metadata, from the tables in `folder` (.tsv or .csv) that have a 'file' column.

    A scraped corpus often comes with such a table (file, url, outlet, publication_date,
    title): it gives each article what its page did not keep in the text. A table that
    cannot be read is logged, naming it, and left out."""
    found: dict[str, dict[str, str]] = {}
    try:
        names = sorted(n for n in os.listdir(folder) if os.path.splitext(n)[1].lower() in MANIFEST_SUFFIXES)
    except OSError:
        return found
    for name in names:
        path = os.path.join(folder, name)
        try:
            with open(path, encoding="utf-8-sig", newline="") as handle:
                rows = list(csv.DictReader(handle, delimiter="\t" if name.lower().endswith(".tsv") else ","))
        except (OSError, UnicodeDecodeError, csv.Error) as exc:
            log.warning("%s: not read as a table of article metadata (%s)", path, exc)
            continue
        for row in rows:
            row = {str(k).strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
            file = row.get("file") or row.get("filename") or row.get("file_name")
            if not file:
                continue
            meta = {}
            for name_of_field, columns in _MANIFEST_FIELDS.items():
                value = next((row[c] for c in columns if row.get(c)), "")
                if value:
                    meta[name_of_field] = value
            found.setdefault(os.path.basename(file), meta)
    return found


def _with_manifest(article: Article, meta: dict[str, str]) -> Article:
    """`article` with what its folder's manifest says and the file does not: the file's own header wins."""
    changes = {}
    if article.date is None and meta.get("date"):
        date = parse_date(meta["date"])  # '2018-03-23 (talks date)': a month alone ('2012-09') dates nothing
        if date is not None:
            changes["date"] = date
    if article.title is None and meta.get("title"):
        changes["title"] = _NOTE.sub("", meta["title"]) or meta["title"]  # '... (title from URL slug)'
    if article.url is None and meta.get("url"):
        changes["url"] = clean_url(meta["url"])
    if article.publisher is None and meta.get("publisher"):
        changes["publisher"] = _NOTE.sub("", meta["publisher"]) or meta["publisher"]
    if article.author is None and meta.get("author"):
        changes["author"] = meta["author"]
    return dataclasses.replace(article, **changes) if changes else article


def _walk(paths: Iterable[str | Path]) -> Iterator[str | InputError]:
    """Paths as strings (explicit ones as given, found ones joined to their folder)."""
    for given in paths:
        where = os.fspath(given)
        if os.path.isdir(where):
            yield from _walk_folder(where, ancestors=frozenset())
        else:
            yield where


def _walk_folder(folder: str, ancestors: frozenset[str]) -> Iterator[str | InputError]:
    real = os.path.realpath(folder)
    if real in ancestors:
        log.warning("%s: skipped, a symbolic link back into a folder being walked", folder)
        return
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda entry: entry.name)
    except OSError as exc:
        yield InputError(folder, f"folder cannot be listed: {exc.strerror or exc}",
                         hint="check that you may read the folder")
        return
    found = False
    for entry in entries:
        path = os.path.join(folder, entry.name)
        if entry.name.startswith("."):
            log.debug("%s: skipped, hidden", path)
            continue
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        if is_dir:
            yield from _walk_folder(path, ancestors | {real})
        elif os.path.splitext(entry.name)[1].lower() in _FORMAT_OF:
            found = True
            yield path
        else:
            log.debug("%s: skipped, not a kind of file vnkg reads", path)
    if not found and not ancestors:
        log.info("%s: no %s files in this folder", folder, "/".join(SUPPORTED_SUFFIXES))


def count_articles(paths: Iterable[str | Path]) -> int:
    """About how many articles `read_articles` will yield: one per text or HTML file, one per line of a
    JSONL file (counted without decoding it); for the progress display only."""
    count = 0
    for path in iter_files(paths):
        if _FORMAT_OF.get(os.path.splitext(path)[1].lower()) != "jsonl":
            count += 1
            continue
        lines, last = 0, b"\n"
        try:
            with open(path, "rb") as handle:
                while chunk := handle.read(1 << 20):
                    lines += chunk.count(b"\n")
                    last = chunk[-1:]
        except OSError:
            pass
        count += max(1, lines + (last != b"\n"))
    return count


# --------------------------------------------------------------------------- one file

def _read_file(where: str, max_bytes: int) -> Iterator[Article | InputError]:
    fmt = _FORMAT_OF.get(os.path.splitext(where)[1].lower())
    try:
        st = os.stat(where)
    except FileNotFoundError:
        hint = "it is a broken symbolic link" if os.path.islink(where) else "check the path"
        yield UnsupportedInputError(where, "does not exist", hint=hint)
        return
    except OSError as exc:
        yield InputError(where, f"cannot be read: {exc.strerror or exc}", hint="check that you may read it")
        return
    if not stat.S_ISREG(st.st_mode):
        yield UnsupportedInputError(where, "is not a regular file", hint=_SUPPORTED_HINT)
        return
    if fmt is None:
        suffix = os.path.splitext(where)[1]
        what = f"has the suffix '{suffix}'" if suffix else "has no suffix"
        yield UnsupportedInputError(where, f"{what}, which is not a kind of file vnkg reads", hint=_SUPPORTED_HINT)
        return
    try:
        if fmt == "jsonl":
            yield from _read_jsonl(where, st.st_size, max_bytes)
        else:
            data = _read_limited(where, st.st_size, max_bytes)
            yield _read_text(where, data) if fmt == "text" else _read_html(where, data)
    except InputError as exc:
        yield exc
    except OSError as exc:
        yield InputError(where, f"cannot be read: {exc.strerror or exc}", hint="check that you may read it")


def _read_limited(where: str, size: int, max_bytes: int) -> bytes:
    """All of a file's bytes, refusing (before reading) one larger than one article."""
    if size > max_bytes:
        raise _too_large(where, size, max_bytes, "one article")
    with open(where, "rb") as f:
        data = f.read(max_bytes + 1)  # the size may have changed since stat
    if len(data) > max_bytes:
        raise _too_large(where, len(data), max_bytes, "one article")
    return data


def _too_large(where: str, size: int, limit: int, what: str, *, line: int | None = None) -> TooLargeError:
    if line is not None:
        hint = "put one article per line; a line this long is not one news article"
    elif what == "one article":
        hint = "split it into one article per file, or many articles in a .jsonl file"
    else:
        hint = "split it into several .jsonl files"
    return TooLargeError(where, f"is {_human(size)}, over the limit of {_human(limit)} for {what}",
                         line=line, hint=hint)


def _human(n: int) -> str:
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MiB ({n:,} bytes)"
    if n >= 1024:
        return f"{n / 1024:.1f} KiB ({n:,} bytes)"
    return f"{n} bytes"


def _article(where: str, text: str, encoding: str, warnings: list[str], **fields) -> Article:
    where = printable_path(where)
    return Article(
        source_file=_file_name(where),
        path=where,
        text=text,
        encoding=encoding,
        digest=digest_of(text),
        warnings=tuple(warnings),
        **fields,
    )


# --------------------------------------------------------------------------- .txt

# The metadata line news scrapers put on top: " date 2026-01-30 (VTC News) -",
# "date: 2026-01-30", " date 30/01/2026 (Tuổi Trẻ) -".
_HEADER = re.compile(
    r"""^\s*(?:date|ngày)\s*:?\s*
    (?P<date>\d{4}-\d{1,2}-\d{1,2}(?:[T\ ][0-9:.]+(?:Z|[+-]\d{2}:?\d{2})?)?|\d{1,2}[/.-]\d{1,2}[/.-]\d{4})
    \s*(?:\((?P<publisher>[^()\n]*)\))?\s*[-–—:]?\s*$""",
    re.IGNORECASE | re.VERBOSE,
)


def _take_header(text: str) -> tuple[re.Match | None, str, str]:
    """The metadata header on the first line, or on the second under a headline; the text without it."""
    lines = text.split("\n", 2)
    for i in (0, 1):
        if i >= len(lines):
            break
        header = _HEADER.match(lines[i].rstrip("\r"))
        if header:
            rest = lines[:i] + lines[i + 1:]
            return header, lines[i].rstrip("\r"), "\n".join(rest)
        if i == 0 and (not lines[0].strip() or len(lines[0]) > 250):
            break
    return None, "", text


def _read_text(where: str, data: bytes) -> Article:
    text, encoding, warnings = _decode(where, data)
    fields: dict = {}
    header, line, text = _take_header(text)
    if header:
        fields["dropped"] = (DroppedSpan("header", line),)
        fields["date"] = parse_date(header["date"])
        if fields["date"] is None:
            warnings.append(f"the header date '{header['date']}' is not a real date; left empty")
        publisher = (header["publisher"] or "").strip()
        if publisher:
            fields["publisher"] = publisher
        if not text.strip():
            raise EmptyInputError(where, "holds only a metadata header line, no article text",
                                  hint="add the article text below the header")
    return _article(where, text, encoding, warnings, **fields)


# --------------------------------------------------------------------------- .jsonl

def _read_jsonl(where: str, size: int, max_bytes: int) -> Iterator[Article | InputError]:
    file_limit = JSONL_FILE_FACTOR * max_bytes
    if size > file_limit:
        raise _too_large(where, size, file_limit, f"a JSONL file ({JSONL_FILE_FACTOR} × the per-article limit)")
    if size == 0:
        raise EmptyInputError(where, "is empty", hint="nothing to read; remove the file or add articles")
    with open(where, "rb") as f:
        head = f.read(8192)
        f.seek(0)
        bom = _bom(head)
        if bom and bom[1] != "utf-8-sig":
            lines = _jsonl_text_lines(where, f, bom[1], len(bom[0]), max_bytes)
        else:
            _refuse_binary(where, head)
            lines = _limited_lines(f.readline, len, max_bytes)
        records = 0
        for lineno, raw in lines:
            if isinstance(raw, int):
                records += 1
                yield _too_large(where, raw, max_bytes, "one article", line=lineno)
                continue
            if isinstance(raw, bytes):
                if lineno == 1 and raw.startswith(codecs.BOM_UTF8):
                    raw = raw[len(codecs.BOM_UTF8):]
                if not raw.strip():
                    continue
                try:
                    line, encoding, warnings = _decode_bytes(where, raw, line=lineno)
                except InputError as exc:
                    records += 1
                    yield exc
                    continue
            else:
                if not raw.strip():
                    continue
                line, encoding, warnings = raw, bom[1], [f"decoded as {bom[1]}"]
            records += 1
            yield _jsonl_record(where, lineno, line, encoding, warnings)
    if records == 0:
        raise EmptyInputError(where, "holds no records, only blank lines",
                              hint="nothing to read; remove the file or add articles")


def _limited_lines(readline, size_of, max_bytes: int) -> Iterator[tuple[int, bytes | str | int]]:
    """(line number, the line without its line end), or (line number, its size in bytes)
    for a line over the limit, which is skipped without being held in memory."""
    lineno = 0
    while True:
        chunk = readline(max_bytes + 3)  # room for the line end, and one more to notice a longer line
        if not chunk:
            return
        lineno += 1
        newline = chunk[-1:] if chunk[-1:] in (b"\n", "\n") else None
        if newline or len(chunk) <= max_bytes + 2:  # a whole line (the last one may lack its newline)
            body = chunk[:-1] if newline else chunk
            body = body[:-1] if body[-1:] in (b"\r", "\r") else body
            size = size_of(body)
            yield (lineno, body) if size <= max_bytes else (lineno, size)
            continue
        size = size_of(chunk)
        while chunk and chunk[-1:] not in (b"\n", "\n"):
            chunk = readline(1024 * 1024)
            size += size_of(chunk)
        yield lineno, size


def _jsonl_text_lines(where: str, f: BinaryIO, encoding: str, bom_size: int,
                      max_bytes: int) -> Iterator[tuple[int, str | int]]:
    """The lines of a UTF-16/32 JSONL file with a byte-order mark."""
    import io

    f.seek(bom_size)
    text = io.TextIOWrapper(f, encoding=encoding, errors="strict", newline="\n")
    lineno = 0
    try:
        for lineno, line in _limited_lines(text.readline, lambda s: len(s.encode(encoding)), max_bytes):
            yield lineno, line
    except UnicodeDecodeError as exc:
        raise EncodingProblem(where, f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                              f"(after line {lineno})", hint=_UTF8_HINT) from exc
    finally:
        text.detach()


_JSON_TYPES = {list: "an array", str: "a string", int: "a number", float: "a number", bool: "a boolean",
               type(None): "null"}


def _jsonl_record(where: str, lineno: int, line: str, encoding: str, warnings: list[str]) -> Article | InputError:
    try:
        obj = json.loads(line)
    except json.JSONDecodeError as exc:
        return MalformedRecordError(where, f"is not valid JSON ({exc.msg} at column {exc.colno})",
                                    line=lineno, hint=_JSONL_HINT)
    except (ValueError, RecursionError) as exc:
        return MalformedRecordError(where, f"is not JSON vnkg can read ({exc})", line=lineno, hint=_JSONL_HINT)
    if not isinstance(obj, dict):
        return MalformedRecordError(where, f"is {_JSON_TYPES.get(type(obj), 'not an object')}, not a JSON object",
                                    line=lineno, hint=_JSONL_HINT)
    text = obj.get("text")
    if "text" not in obj:
        keys = ", ".join(sorted(map(str, obj))[:8]) or "none"
        return MalformedRecordError(where, f"has no 'text' field (its keys: {keys})", line=lineno, hint=_JSONL_HINT)
    if not isinstance(text, str):
        return MalformedRecordError(where, f"has a 'text' that is {_JSON_TYPES.get(type(text), 'an object')}, "
                                    "not a string", line=lineno, hint=_JSONL_HINT)
    text = _without_surrogates(text, "text", warnings)
    if not text.strip():
        return MalformedRecordError(where, "has an empty 'text'", line=lineno, hint=_JSONL_HINT)

    fields: dict = {"line": lineno}
    for key, target in (("title", "title"), ("url", "url"), ("source", "publisher"), ("author", "author")):
        value = obj.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            continue
        if key == "author" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = ", ".join(v.strip() for v in value if v.strip())
        if isinstance(value, str):
            value = _without_surrogates(value, key, warnings).strip()
            if value and key == "url":
                value = clean_url(value, warnings)
            if value:
                fields[target] = value
        else:
            warnings.append(f"'{key}' is {_JSON_TYPES.get(type(value), 'an object')}, not a string; ignored")
    value = obj.get("date")
    if value is not None and not (isinstance(value, str) and not value.strip()):
        date = parse_date(value) if isinstance(value, str) else None
        if date is None:
            warnings.append(f"'date' {json.dumps(value, ensure_ascii=False)[:60]} is not a date vnkg understands "
                            "(ISO date or datetime, or d/m/yyyy); left empty")
        fields["date"] = date
    return _article(where, text, encoding, warnings, **fields)


_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_surrogates(value: str, key: str, warnings: list[str]) -> str:
    """A JSON string may escape lone UTF-16 surrogates ("\\ud800"), which are not characters: they go."""
    found = _SURROGATE.findall(value)
    if not found:
        return value
    sample = ", ".join(sorted({f"\\u{ord(c):04x}" for c in found})[:3])
    warnings.append(f"'{key}' held {len(found)} lone surrogate code point(s) ({sample}), which are not "
                    "characters; removed")
    return _SURROGATE.sub("", value)


# Characters an IRI may not hold (RFC 3987): controls, space, and <>"{}|\^`; bidirectional formatting marks.
_NOT_IN_URL = re.compile('[\x00-\x20<>"{}|\\^`\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069]')


def clean_url(url: str, warnings: list[str] | None = None) -> str:
    """`url` with the characters an IRI may not hold percent-encoded, as a browser sends them."""
    cleaned = _NOT_IN_URL.sub(lambda m: "".join(f"%{b:02X}" for b in m.group(0).encode("utf-8")), url)
    if cleaned != url and warnings is not None:
        warnings.append(f"the url held characters a URL may not hold; they were percent-encoded: {cleaned[:120]}")
    return cleaned


def _file_name(where: str) -> str:
    """The file name, without the control or invisible characters a name on disk may hold."""
    from kg.clean import remove_invisible

    return remove_invisible(os.path.basename(where)).strip() or "unnamed"


# --------------------------------------------------------------------------- dates

_ISO_PREFIX = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:$|[T ])")
_YMD_SLASH = re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})$")
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:$|[ ,T])")


def parse_date(value: str) -> dt.date | None:
    """A date from an ISO date or datetime (its date part as written), yyyy/mm/dd or the Vietnamese d/m/yyyy;
    None when `value` is none of these or not a real date."""
    value = value.strip()
    for pattern, order in ((_ISO_PREFIX, (0, 1, 2)), (_YMD_SLASH, (0, 1, 2)), (_DMY, (2, 1, 0))):
        m = pattern.match(value)
        if m:
            parts = [int(g) for g in m.groups()]
            try:
                return dt.date(parts[order[0]], parts[order[1]], parts[order[2]])
            except ValueError:
                return None
    return None


# --------------------------------------------------------------------------- decoding

_BOMS = (  # UTF-32 first: its little-endian mark starts like UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

_IMAGE_HINT = "vnkg reads article text, not images"
_ARCHIVE_HINT = "unpack it and give vnkg the text, HTML or JSONL files inside"
_DOCUMENT_HINT = "save or export the article as plain text (.txt) or HTML first"
_MAGIC: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF document", "extract its text first, e.g. with `pdftotext FILE`, and save it as .txt"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image", _IMAGE_HINT),
    (b"\xff\xd8\xff", "a JPEG image", _IMAGE_HINT),
    (b"GIF87a", "a GIF image", _IMAGE_HINT),
    (b"GIF89a", "a GIF image", _IMAGE_HINT),
    (b"PK\x03\x04", "a ZIP archive", _ARCHIVE_HINT),
    (b"PK\x05\x06", "a ZIP archive", _ARCHIVE_HINT),
    (b"\x1f\x8b", "a GZIP archive", "decompress it first (gunzip FILE)"),
    (b"BZh", "a BZIP2 archive", "decompress it first (bunzip2 FILE)"),
    (b"\xfd7zXZ\x00", "an XZ archive", "decompress it first (unxz FILE)"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive", _ARCHIVE_HINT),
    (b"Rar!\x1a\x07", "a RAR archive", _ARCHIVE_HINT),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc/.xls)", _DOCUMENT_HINT),
    (b"SQLite format 3\x00", "an SQLite database", "export the articles as JSONL first"),
    (b"\x7fELF", "a program (ELF executable)", _SUPPORTED_HINT),
)


def _bom(data: bytes) -> tuple[bytes, str] | None:
    for mark, encoding in _BOMS:
        if data.startswith(mark):
            return mark, encoding
    return None


def _refuse_binary(where: str, head: bytes) -> None:
    """Raise BinaryInputError if these first bytes are not text (no BOM has been seen)."""
    for magic, what, hint in _MAGIC:
        if magic == b"BZh" and head[4:10] != b"1AY&SY":
            continue  # "BZh" alone may start a line of text
        if head.startswith(magic):
            if magic.startswith(b"PK") and b"word/" in head:
                what, hint = "a Word document (DOCX)", _DOCUMENT_HINT
            raise BinaryInputError(where, f"is not text: it looks like {what}", hint=hint)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        raise BinaryInputError(where, "is not text: it looks like a WebP image", hint=_IMAGE_HINT)
    if b"\x00" in head:
        raise BinaryInputError(where, "is not text: it holds NUL bytes, as binary data does",
                               hint="if it is UTF-16 text without a byte-order mark, save it as UTF-8")


# C0 and C1 control characters other than tab, line feed, vertical tab, form feed, carriage return.
_CONTROLS = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def _decode(where: str, data: bytes, *, declared: str | None = None) -> tuple[str, str, list[str]]:
    """(text, encoding, warnings) for a whole file; raises the InputError that fits."""
    if not data:
        raise EmptyInputError(where, "is empty", hint="nothing to read; remove the file or fill it")
    bom = _bom(data)
    if bom is None:
        _refuse_binary(where, data)
        text, encoding, warnings = _decode_bytes(where, data, declared=declared)
    else:
        mark, encoding = bom
        try:
            text = data[len(mark):].decode(encoding.removesuffix("-sig"))
        except UnicodeDecodeError as exc:
            raise EncodingProblem(where, f"starts with a {encoding} byte-order mark but is not valid {encoding} "
                                  f"(bad bytes at offset {exc.start + len(mark)})", hint=_UTF8_HINT) from exc
        warnings = [] if encoding == "utf-8-sig" else [f"decoded as {encoding}"]
    if not text.strip():
        raise EmptyInputError(where, "holds only whitespace", hint="nothing to read; remove the file or fill it")
    controls = len(_CONTROLS.findall(text))
    if controls > max(8, len(text) // 100):
        raise BinaryInputError(where, f"is not text: {controls} of its {len(text)} characters are control characters",
                               hint="give vnkg the article text itself")
    return text, encoding, warnings


def _decode_bytes(where: str, data: bytes, *, line: int | None = None,
                  declared: str | None = None) -> tuple[str, str, list[str]]:
    """Strict UTF-8, else a legacy encoding that yields plausible Vietnamese."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    else:
        return text, "utf-8", _mojibake_warning(text)
    if utf8_error.reason == "unexpected end of data" and len(data) - utf8_error.start < 4:
        # A scraped file cut off inside its last character: everything before it is fine.
        text = data[:utf8_error.start].decode("utf-8")
        return text, "utf-8", [f"the last {len(data) - utf8_error.start} bytes are an incomplete UTF-8 character "
                               "(the file looks truncated); they were left out"]
    for encoding, why in _legacy_candidates(data, declared):
        try:
            text = unicodedata.normalize("NFC", data.decode(encoding))
        except (UnicodeDecodeError, LookupError):
            continue
        if _looks_vietnamese(text):
            return text, encoding, [f"decoded as {encoding}{why}"]
    raise EncodingProblem(
        where,
        f"is not UTF-8 (bad byte at offset {utf8_error.start}) and does not read as Vietnamese "
        "in a legacy encoding (cp1258 and others were tried)",
        line=line,
        hint=f"{_UTF8_HINT}; text typed in a VNI or TCVN3 font must be converted to Unicode first",
    )


def _legacy_candidates(data: bytes, declared: str | None) -> Iterator[tuple[str, str]]:
    seen: set[str] = set()
    if declared:
        try:
            name = codecs.lookup(declared).name
        except LookupError:
            name = None
        if name and name not in ("utf-8",):
            seen.add(name)
            yield name, " (declared in the page)"
    if "cp1258" not in seen:
        seen.add("cp1258")
        yield "cp1258", ""
    from charset_normalizer import from_bytes

    for match in from_bytes(data):
        name = codecs.lookup(match.encoding).name
        if name not in seen and not name.startswith("utf"):
            seen.add(name)
            yield name, ""


_TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


def _vietnamese_letters() -> frozenset[str]:
    letters = {"đ", "Đ"}
    for vowel in "aăâeêioôơuưy":
        for tone in ("", *_TONE_MARKS):
            c = unicodedata.normalize("NFC", vowel + tone)
            letters.update((c, c.upper()))
    return frozenset(letters - set(string.ascii_letters))


_VI_LETTERS = _vietnamese_letters()
# Those that Latin-1 lacks: mojibake in a Western encoding cannot produce them.
_VI_SPECIFIC = frozenset(c for c in _VI_LETTERS if ord(c) > 0xFF)
_TYPOGRAPHY = frozenset("\u00a0“”‘’–—…•°₫·" + _TONE_MARKS)


def _looks_vietnamese(text: str) -> bool:
    """Whether a legacy decoding reads as Vietnamese rather than mojibake: its non-ASCII
    characters are nearly all Vietnamese letters, a good share of them ones no Western
    encoding has, and there are no C1 control characters."""
    non_ascii = [c for c in text if ord(c) > 0x7F]
    if not non_ascii or any(0x80 <= ord(c) <= 0x9F for c in non_ascii):
        return False
    vietnamese = sum(1 for c in non_ascii if c in _VI_LETTERS or c in _TYPOGRAPHY)
    specific = sum(1 for c in non_ascii if c in _VI_SPECIFIC)
    return vietnamese >= 0.9 * len(non_ascii) and specific >= max(1, 0.2 * len(non_ascii))


# UTF-8 that was once read as Windows-1252 and saved again: "Chá»§ tá»‹ch", "Ä‘", "Æ°".
_MOJIBAKE = re.compile("Ã[\u0080-\u00bf\u2018-\u203a\u0152-\u0178]|á[º»]|Ä[‘\u0091]|Æ[°¡]")


def _mojibake_warning(text: str) -> list[str]:
    hits = _MOJIBAKE.findall(text[:200_000])
    if len(hits) >= 3:
        sample = ", ".join(sorted(set(hits))[:4])
        return [f"the text looks double-encoded (UTF-8 read as Windows-1252: {sample}); "
                "re-export the source as UTF-8"]
    return []


# --------------------------------------------------------------------------- .html

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "aside", "form", "iframe",
              "template", "svg", "button", "select", "textarea")
_FURNITURE_PREFIXES = ("menu", "nav", "share", "social", "comment", "related", "breadcrumb", "advert",
                       "footer", "sidebar")
_FURNITURE_WORDS = frozenset({"ad", "ads", "adv", "quangcao"})
_KEEP_TAGS = frozenset({"html", "body", "main", "article"})
_BLOCK_TAGS = frozenset({"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "dl", "dt", "dd",
                         "blockquote", "section", "article", "main", "pre", "table", "tr", "figure",
                         "address", "hr", "center", "details", "summary"})
_CELL_TAGS = frozenset({"td", "th"})
_CLASS_SPLIT = re.compile(r"[^0-9A-Za-z]+|(?<=[a-z])(?=[A-Z])")
_DECLARED_CHARSET = re.compile(rb"""<meta[^>]{0,200}?charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE)


@dataclass
class _Page:
    lines: list[str] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    title: str | None = None
    date: str | None = None
    publisher: str | None = None
    author: str | None = None
    url: str | None = None


def _read_html(where: str, data: bytes) -> Article:
    declared = _DECLARED_CHARSET.search(data[:4096])
    html, encoding, warnings = _decode(where, data, declared=declared[1].decode("ascii") if declared else None)
    page = _extract_page(html)
    if not page.lines:
        raise EmptyInputError(where, "is an HTML page with no article text vnkg could find",
                              hint="check that the page holds the article itself, not only a menu or a script")
    fields: dict = {"title": page.title, "publisher": page.publisher, "author": page.author,
                    "url": clean_url(page.url, warnings) if page.url else None,
                    "dropped": tuple(DroppedSpan("caption", c) for c in page.captions)}
    if page.date:
        fields["date"] = parse_date(page.date)
        if fields["date"] is None:
            warnings.append(f"the page's date '{page.date[:60]}' is not a date vnkg understands; left empty")
    return _article(where, "\n".join(page.lines), encoding, warnings, **fields)


def _extract_page(html: str) -> _Page:
    """The article's paragraphs, captions and metadata from an HTML page."""
    from selectolax.lexbor import LexborHTMLParser

    tree = LexborHTMLParser(html)
    page = _Page()
    ld = _json_ld(tree)
    page.publisher = _meta(tree, "og:site_name") or _ld_name(ld.get("publisher"))
    page.author = _meta(tree, "author", attrs=("name",)) or _ld_name(ld.get("author"))
    page.url = _attr(tree.css_first('link[rel~="canonical"]'), "href") or _meta(tree, "og:url")
    page.date = (_meta(tree, "article:published_time")
                 or _attr(tree.css_first("article time[datetime]") or tree.css_first("time[datetime]"), "datetime")
                 or _text_of(ld.get("datePublished"))
                 or _meta(tree, "datePublished", attrs=("itemprop",))
                 or _meta(tree, "pubdate", attrs=("name",)))
    og_title = _meta(tree, "og:title")
    head_title = _fold(tree.css_first("title").text()) if tree.css_first("title") else None

    _remove_furniture(tree)
    h1 = tree.css_first("h1")
    h1_text = _fold(h1.text()) if h1 else None
    page.title = og_title or h1_text or _without_site_name(head_title, page.publisher) or None

    root = _content_root(tree)
    if root is None:
        return page
    captions = _outermost([node for node in root.css("figcaption, [class]")
                           if node.tag == "figcaption" or _is_caption_class(node.attributes.get("class"))])
    page.captions = [text for text in (_fold(node.text()) for node in captions) if text]
    _decompose(captions)
    lines = _block_lines(root)
    headlines = {t.casefold() for t in (page.title, h1_text, head_title) if t}
    for i, line in enumerate(lines[:3]):
        if line.casefold() in headlines:
            del lines[i]
            break
    page.lines = lines
    return page


def _fold(text: str | None) -> str:
    return " ".join((text or "").split())


def _attr(node: LexborNode | None, name: str) -> str | None:
    if node is None:
        return None
    value = _fold(node.attributes.get(name))
    return value or None


def _meta(tree: LexborHTMLParser, key: str, *, attrs: tuple[str, ...] = ("property", "name")) -> str | None:
    """The content of the first non-empty <meta> whose property/name (or other `attrs`) is `key`."""
    for node in tree.css(", ".join(f'meta[{attr}="{key}"]' for attr in attrs)):
        value = _attr(node, "content")
        if value:
            return value
    return None


def _text_of(value: object) -> str | None:
    if not isinstance(value, str):
        return None
    return _fold(value) or None


def _without_site_name(title: str | None, site: str | None) -> str | None:
    if title and site:
        for sep in (" - ", " | ", " – ", " — "):
            if title.endswith(sep + site):
                return title[: -len(sep + site)].strip()
    return title


def _json_ld(tree: LexborHTMLParser) -> dict:
    """The first JSON-LD item that describes an article (or the first item at all)."""
    items: list[dict] = []
    for script in tree.css('script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text())
        except (ValueError, RecursionError) as exc:
            log.debug("unreadable JSON-LD block skipped: %s", exc)
            continue
        stack = [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, list):
                stack.extend(item)
            elif isinstance(item, dict):
                items.append(item)
                if isinstance(item.get("@graph"), list):
                    stack.extend(item["@graph"])
    for item in items:
        kind = item.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and (k.endswith("Article") or k in ("ReportageNews", "BlogPosting"))
               for k in kinds):
            return item
    return next((item for item in items if "datePublished" in item or "author" in item), {})


def _ld_name(value: object) -> str | None:
    if isinstance(value, str):
        return _fold(value) or None
    if isinstance(value, dict):
        return _ld_name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(names) or None
    return None


def _is_furniture(node: LexborNode) -> bool:
    attrs = node.attributes
    if "hidden" in attrs or (attrs.get("aria-hidden") or "").lower() == "true":
        return True
    style = (attrs.get("style") or "").replace(" ", "").lower()
    if "display:none" in style or "visibility:hidden" in style:
        return True
    for value in (attrs.get("class"), attrs.get("id")):
        for token in _CLASS_SPLIT.split(value or ""):
            token = token.lower()
            if token in _FURNITURE_WORDS or (token and token.startswith(_FURNITURE_PREFIXES)):
                return True
    return False


def _remove_furniture(tree: LexborHTMLParser) -> None:
    doomed = list(tree.css(", ".join(_DROP_TAGS)))
    for node in tree.css("[class], [id], [hidden], [aria-hidden], [style]"):
        if node.tag in _KEEP_TAGS or not _is_furniture(node):
            continue
        if node.css_first('article, [itemprop="articleBody"]') is not None:
            continue  # a wrapper named "nav-open" or the like around the article itself
        doomed.append(node)
    _decompose(doomed)


def _outermost(nodes: list[LexborNode]) -> list[LexborNode]:
    """The nodes not inside another of them."""
    ids = {node.mem_id for node in nodes}
    return [node for node in nodes if not any(a.mem_id in ids for a in _ancestors(node))]


def _decompose(nodes: list[LexborNode]) -> None:
    """Remove nodes from their tree: only the outermost, since a node inside a removed
    one is gone with it and must not be touched again."""
    for node in _outermost(nodes):
        node.decompose()


def _is_caption_class(value: str | None) -> bool:
    return any(token.lower().endswith("caption") for token in _CLASS_SPLIT.split(value or ""))


def _ancestors(node: LexborNode) -> Iterator[LexborNode]:
    parent = node.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _paragraph_weight(p: LexborNode) -> float:
    text = _fold(p.text())
    if len(text) < 20:
        return 0.0
    link_text = sum(len(_fold(a.text())) for a in p.css("a"))
    return len(text) * max(0.0, 1.0 - link_text / len(text))


def _content_root(tree: LexborHTMLParser) -> LexborNode | None:
    """The article element, or the element with the most paragraph text: each
    paragraph scores for its parent and, three quarters as much, its grandparent, so a
    body split over sibling blocks is chosen whole."""
    body = tree.body
    if body is None:
        return None
    scores: dict[int, float] = {}
    nodes: dict[int, LexborNode] = {}
    total = 0.0
    for p in body.css("p"):
        weight = _paragraph_weight(p)
        if not weight:
            continue
        total += weight
        parent = p.parent
        for share in (1.0, 0.75):
            if parent is None:
                break
            scores[parent.mem_id] = scores.get(parent.mem_id, 0.0) + weight * share
            nodes[parent.mem_id] = parent
            parent = parent.parent
    candidates = tree.css('article, [itemprop="articleBody"]')
    if candidates:
        best = max(candidates, key=lambda n: sum(_paragraph_weight(p) for p in n.css("p")))
        if total == 0 or sum(_paragraph_weight(p) for p in best.css("p")) >= 0.4 * total:
            return best
    if not scores:
        return body
    return nodes[max(scores, key=lambda k: scores[k])]


def _block_lines(root: LexborNode) -> list[str]:
    """One line per paragraph-like block, whitespace inside it folded."""
    lines: list[str] = []
    buffer: list[str] = []

    def flush() -> None:
        line = _fold("".join(buffer))
        if line:
            lines.append(line)
        buffer.clear()

    # Depth-first without recursion: deeply nested pages must not hit the recursion limit.
    stack: list[tuple[Iterator[LexborNode], str]] = [(root.iter(include_text=True), "")]
    while stack:
        children, _ = stack[-1]
        child = next(children, None)
        if child is None:
            _, closing = stack.pop()
            if closing == "block":
                flush()
            elif closing == "cell":
                buffer.append(" ")
            continue
        tag = child.tag
        if tag == "-text":
            buffer.append(child.text(deep=False) or "")
        elif tag == "br":
            flush()
        elif tag.startswith("-") or tag in ("img", "picture", "video", "audio", "source"):
            continue
        elif tag in _BLOCK_TAGS:
            flush()
            stack.append((child.iter(include_text=True), "block"))
        elif tag in _CELL_TAGS:
            buffer.append(" ")
            stack.append((child.iter(include_text=True), "cell"))
        else:
            stack.append((child.iter(include_text=True), ""))
    flush()
    return lines
