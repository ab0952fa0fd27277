"""The one place where resource IRIs are minted.

IRIs are readable and stable: the same real-world thing gets the same IRI in every
article and every run (`id/person/luong-cuong`, `id/country/lao`), so graphs built
separately merge by plain union. Nothing else in the code concatenates IRIs.
"""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from typing import TYPE_CHECKING

from kg.rdf.prefixes import DATA_BASE, RESOURCE_KINDS
from kg.text import slugify

if TYPE_CHECKING:
    from rdflib import URIRef

__all__ = ["DEFAULT_BASE", "KINDS", "content_hash", "mint", "slugify"]

DEFAULT_BASE = DATA_BASE
KINDS = RESOURCE_KINDS

def content_hash(*parts: object) -> str:
    """A short stable hash of the parts that identify a fact."""
    joined = "\x1f".join("" if p is None else str(p) for p in parts)
    return hashlib.sha256(joined.encode("utf-8")).hexdigest()[:16]


@lru_cache(maxsize=1 << 16)
def mint(kind: str, key: str, base: str = DEFAULT_BASE) -> URIRef:
    """The IRI of a resource of `kind` whose canonical key is `key` (a slug or a hash)."""
    from rdflib import URIRef  # here, not at the top: checking a base IRI (kg build's options) needs no rdflib

    if kind not in KINDS:
        raise ValueError(f"unknown resource kind {kind!r}; expected one of {', '.join(KINDS)}")
    check_base(base)
    if not base.endswith(("/", "#")):
        base += "/"
    return URIRef(f"{base}{kind}/{slugify(key) if kind not in _HASHED else _hash_key(key)}")


_BASE = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:[^\s<>\"{}|\\^`]*")


def check_base(base: str) -> str:
    """`base` if it can start IRIs (a scheme, no spaces or <>\"{}|^`), else ValueError naming it."""
    if not _BASE.fullmatch(base):
        raise ValueError(f"{base!r} is not a usable base IRI: it needs a scheme (https://...) and no spaces "
                         f"or any of <>\"{{}}|^`")
    return base


_HASHED = {"visit", "meeting", "agreement", "figure", "article", "evidence"}


def _hash_key(key: str) -> str:
    return key if re.fullmatch(r"[0-9a-f]{16,64}", key) else content_hash(key)
