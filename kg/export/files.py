"""Atomic output: everything is written to a temporary name beside the target, then renamed.

A reader never sees half a file, and an interrupted export leaves the previous file in place.
"""
from __future__ import annotations

import contextlib
import gzip
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from kg.errors import OutputPathError


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, *, mode: str = "w", compress: bool = False) -> Iterator[IO]:
    """Open a temporary file next to `path` for writing; rename it over `path` on success."""
    target = Path(path)
    if target.is_dir():
        raise OutputPathError(str(target), "is a folder", hint="give a file name for this output")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise OutputPathError(str(target), f"cannot write here: {exc.strerror or exc}",
                              hint="choose another --out") from exc
    os.close(fd)
    try:
        if compress:
            # mtime=0 and no file name in the header: the same graph gives the same bytes. Level 6, gzip's
            # own default: a third of level 9's time for a file a few per cent larger.
            raw = open(tmp, "wb")
            gz = gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=6)
            stream: IO = gz if "b" in mode else _text(gz)
            try:
                yield stream
            finally:
                stream.close()
                gz.close()
                raw.close()
        else:
            kwargs = {} if "b" in mode else {"encoding": "utf-8", "newline": ""}
            with open(tmp, mode, **kwargs) as stream:
                yield stream
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _text(binary: IO[bytes]) -> IO[str]:
    import io

    return io.TextIOWrapper(binary, encoding="utf-8", newline="")


def output_folder(path: str | os.PathLike) -> Path:
    """Create the folder `path` for a multi-file export; a clear error when a file is in the way."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise OutputPathError(str(folder), "is a file, and this export writes a folder of files",
                              hint="give a folder name for --out")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputPathError(str(folder), f"cannot create the folder: {exc.strerror or exc}") from exc
    return folder


def write_text(path: str | os.PathLike, text: str) -> Path:
    """Write `text` (UTF-8) to `path` atomically and return the path."""
    with atomic_output(path) as out:
        out.write(text)
    return Path(path)
