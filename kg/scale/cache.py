"""The article cache: what an article gave last time, so an unchanged article is never analysed twice.

An entry is keyed by the article (its content hash and every field that reaches the
graph or the report: file name, JSONL line, title, date, url, publisher, author,
warnings) and the base IRI. The whole cache belongs to one pipeline version: a hash
of the data files in the ontology folder (gazetteers, rules, vnkg.ttl, shapes.ttl),
of the kg/ source files that extract (everything but kg/serve, kg/viz, kg/export and the modules
that only parse arguments, write outputs, score or locate files)
and of the underthesea and spaCy versions. Any change there may change any article,
so opening a cache made by another version empties it.

One SQLite file (<out>/.cache/articles.sqlite by default); only the building process
reads and writes it, workers never touch it.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import logging
import sqlite3
import zlib
from functools import lru_cache
from pathlib import Path

from kg.article import Article
from kg.errors import CacheError

log = logging.getLogger(__name__)

CACHE_FILE = "articles.sqlite"
_NOT_EXTRACTION = ("serve", "viz", "export", "cli.py", "commands.py", "outputs.py", "evaluate.py", "resources.py")


def _package_root() -> Path:
    from kg.resources import PACKAGE

    return PACKAGE


def pipeline_files(ontology: str | Path | None = None) -> list[Path]:
    """The files whose content decides what an article gives: ontology data and extraction code."""
    from kg.resources import ontology_dir

    root = Path(ontology) if ontology else ontology_dir()
    files = sorted(p for p in root.rglob("*") if p.is_file() and not p.name.startswith("."))
    package = _package_root()
    code = sorted(p for p in package.rglob("*.py")
                  if p.relative_to(package).parts[0] not in _NOT_EXTRACTION and "__pycache__" not in p.parts)
    return files + code


def pipeline_version(ontology: str | Path | None = None) -> str:
    """A hash of every pipeline file's path (relative) and content, and of the NLP libraries' versions."""
    from importlib.metadata import PackageNotFoundError, version

    from kg.resources import ontology_dir

    root = (Path(ontology) if ontology else ontology_dir()).resolve()
    package = _package_root()
    h = hashlib.sha256()
    for path in pipeline_files(ontology):
        resolved = path.resolve()
        name = resolved.relative_to(root) if resolved.is_relative_to(root) else \
            Path("kg") / resolved.relative_to(package)
        h.update(str(name).encode("utf-8") + b"\0" + _file_hash(resolved, resolved.stat().st_mtime_ns))
    for package_name in ("underthesea", "spacy"):
        try:
            h.update(f"{package_name}=={version(package_name)}".encode())
        except PackageNotFoundError:
            h.update(f"{package_name}==none".encode())
    return h.hexdigest()[:32]


@lru_cache(maxsize=1024)
def _file_hash(path: Path, mtime_ns: int) -> bytes:
    return hashlib.sha256(path.read_bytes()).digest()


def article_key(article: Article, base: str) -> str:
    """The cache key of an article as read (before cleaning): everything but its path. The text
    is named by its digest when ingest set one (hashing it again would cost as much as reading it)."""
    skip = ("path", "text") if article.digest else ("path",)
    fields = {f.name: getattr(article, f.name) for f in dataclasses.fields(article) if f.name not in skip}
    fields["date"] = fields["date"].isoformat() if fields["date"] else None
    fields["dropped"] = [[d.reason, d.text] for d in fields["dropped"]]
    fields["base"] = base
    return hashlib.sha256(json.dumps(fields, ensure_ascii=False, sort_keys=True, default=list)
                          .encode("utf-8")).hexdigest()


@dataclasses.dataclass
class CachedArticle:
    report: dict
    lines: tuple[str, ...]


class ArticleCache:
    """Article key -> (report, N-Triples lines), for one pipeline version.

    Nothing is created on disk until the first article is stored, so a build that
    stores nothing (every input broken) leaves no cache folder behind.
    """

    def __init__(self, directory: str | Path, version: str):
        self.directory = Path(directory)
        self.path = self.directory / CACHE_FILE
        self.version = version
        self.hits = 0
        self.stored = 0
        self._pending = 0
        self._db: sqlite3.Connection | None = None
        if self.path.exists():
            self._open()

    def _open(self) -> sqlite3.Connection:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            db = sqlite3.connect(self.path)
            db.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT)")
            db.execute("CREATE TABLE IF NOT EXISTS article (key TEXT PRIMARY KEY, report TEXT, triples BLOB)")
            row = db.execute("SELECT value FROM meta WHERE name = 'version'").fetchone()
            if row is None or row[0] != self.version:
                if row is not None:
                    log.info("%s: made by another pipeline version; every article will be analysed again", self.path)
                db.execute("DELETE FROM article")
                db.execute("INSERT OR REPLACE INTO meta VALUES ('version', ?)", (self.version,))
            db.commit()
        except (OSError, sqlite3.Error) as exc:
            raise CacheError(str(self.path), f"cannot be opened ({exc})") from exc
        self._db = db
        return db

    def get(self, key: str, *, lines: bool = True) -> CachedArticle | None:
        """The cached report and (unless `lines` is False) triples of an article, or None."""
        if self._db is None:
            return None
        column = "triples" if lines else "NULL"
        row = self._db.execute(f"SELECT report, {column} FROM article WHERE key = ?", (key,)).fetchone()
        if row is None:
            return None
        self.hits += 1
        if not lines:
            return CachedArticle(json.loads(row[0]), ())
        text = zlib.decompress(row[1]).decode("utf-8")
        return CachedArticle(json.loads(row[0]), tuple(text.split("\n")) if text else ())

    def put(self, key: str, report: dict, lines: tuple[str, ...]) -> None:
        db = self._db or self._open()
        try:
            db.execute("INSERT OR REPLACE INTO article VALUES (?, ?, ?)",
                       (key, json.dumps(report, ensure_ascii=False),
                        zlib.compress("\n".join(lines).encode("utf-8"), 3)))
        except sqlite3.Error as exc:
            raise CacheError(str(self.path), f"cannot be written ({exc})") from exc
        self.stored += 1
        self._pending += 1
        if self._pending >= 500:
            db.commit()
            self._pending = 0

    def __len__(self) -> int:
        if self._db is None:
            return 0
        return self._db.execute("SELECT COUNT(*) FROM article").fetchone()[0]

    def close(self) -> None:
        if self._db is None:
            return
        try:
            self._db.commit()
        finally:
            self._db.close()
            self._db = None
