"""The Article record: what ingest produces and clean refines, until segmentation.

Nothing here reads files or parses text; it only carries an article between stages.
"""
from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class DroppedSpan:
    """A piece of the source that cleaning removed from the article's text, and why."""

    reason: str  # caption | teaser | placeholder | repeated-headline | byline | header | see-also
    text: str


@dataclass(frozen=True, slots=True)
class Article:
    """One news article.

    `text` is the raw decoded text as read; after `kg.clean.clean` it is the cleaned
    text, which every later character offset points into.
    """

    source_file: str  # the file name only, no folders
    path: str  # the path as given, for messages
    text: str
    line: int | None = None  # the line of a JSONL file this article came from
    title: str | None = None
    date: dt.date | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    encoding: str = "utf-8"
    digest: str = ""  # sha256 of the raw text, set at ingest; the article's identity
    cleaned: bool = False
    warnings: tuple[str, ...] = ()
    dropped: tuple[DroppedSpan, ...] = field(default=())

    @property
    def where(self) -> str:
        """`path` or `path:line`, for messages."""
        return f"{self.path}:{self.line}" if self.line is not None else self.path


def digest_of(text: str) -> str:
    """The identity of an article: a hash of its raw text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
