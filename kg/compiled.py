"""Regular expressions compiled once per machine, not once per process.

Python turns a pattern into the engine's code in pure Python, and keeps the result only
for the life of the process. The patterns vnkg builds from its data (gazetteer names,
rule words, titles) are long, so compiling them was a sixth of the time a one-article
`kg build` takes. `regex` keeps each pattern's engine code in a small file of a cache
folder, named by the pattern and kept apart per Python version, much as Python keeps
byte code; the next process hands that code straight to the engine, which checks it as
it loads it. A missing, damaged or foreign file, a folder that cannot be written, or a
Python without this engine all fall back to `re.compile`: the cache changes how soon a
pattern is ready, never what it matches.

The folder is $VNKG_CACHE_DIR/patterns, else $XDG_CACHE_HOME/vnkg/patterns, else
~/.cache/vnkg/patterns; VNKG_CACHE_DIR set to an empty value turns the cache off.
"""
from __future__ import annotations

import hashlib
import logging
import marshal
import os
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path

log = logging.getLogger(__name__)

try:  # CPython's engine and the two steps of re.compile that run in Python
    import _sre
    from re import _compiler, _parser
except ImportError:  # another Python: plain re.compile
    _sre = None


def cache_folder() -> Path | None:
    """Where compiled patterns are kept for this Python, or None when the cache is off."""
    return _folder(os.environ.get("VNKG_CACHE_DIR"), os.environ.get("XDG_CACHE_HOME"))


@lru_cache(maxsize=4)
def _folder(override: str | None, xdg: str | None) -> Path | None:
    if override is not None:
        if not override.strip():
            return None
        root = Path(override).expanduser()
    else:
        root = Path(xdg or Path.home() / ".cache") / "vnkg"
    return root / "patterns" / f"{sys.implementation.cache_tag}-{sys.hexversion:x}"


def regex(source: str, flags: int = 0) -> re.Pattern:
    """`re.compile(source, flags)`, its engine code read from the cache when an earlier process compiled it."""
    flags = int(flags)
    folder = _usable_folder(cache_folder())
    if folder is None:
        return re.compile(source, flags)
    path = folder / _file_name(source, flags)
    compiled = _load(path, source, flags)
    if compiled is None:
        try:
            compiled, code = _compile(source, flags)
        except re.error:
            raise
        except Exception as exc:  # a Python whose re works otherwise inside: nothing is kept
            log.debug("patterns compiled without the cache: %s", exc)
            return re.compile(source, flags)
        _store(path, code)
    return compiled


def _file_name(source: str, flags: int) -> str:
    return hashlib.sha256(f"{flags}\n{source}".encode("utf-8", "surrogatepass")).hexdigest()[:40]


@lru_cache(maxsize=4)
def _usable_folder(folder: Path | None) -> Path | None:
    if folder is None or _sre is None:
        return None
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        log.debug("compiled patterns are not kept: %s: %s", folder, exc)
        return None
    return folder


def _compile(source: str, flags: int) -> tuple[re.Pattern, tuple]:
    """The pattern and what the engine needs to make it again: the steps of `re.compile`, kept."""
    parsed = _parser.parse(source, flags)
    groupindex = dict(parsed.state.groupdict)
    indexgroup = [None] * parsed.state.groups
    for name, i in groupindex.items():
        indexgroup[i] = name
    code = (source, flags, int(flags | parsed.state.flags), [int(op) for op in _compiler._code(parsed, flags)],
            parsed.state.groups - 1, groupindex, tuple(indexgroup))
    return _sre.compile(*code[:1], *code[2:]), code


def _load(path: Path, source: str, flags: int) -> re.Pattern | None:
    try:
        data = path.read_bytes()
    except OSError:
        return None
    try:
        kept_source, kept_flags, *engine = marshal.loads(data)
        if kept_source != source or kept_flags != flags:
            return None
        return _sre.compile(source, *engine)
    except Exception as exc:  # damaged, or written by an engine this one does not read
        log.debug("%s: compiled pattern not usable (%s); compiling it again", path, exc)
        return None


def _store(path: Path, code: tuple) -> None:
    """Write one compiled pattern: a temporary file renamed into place, so a reader never sees half of one."""
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as out:
                out.write(marshal.dumps(code))
            os.replace(temporary, path)
        except BaseException:
            os.unlink(temporary)
            raise
    except OSError as exc:
        log.debug("compiled pattern not kept: %s: %s", path, exc)
