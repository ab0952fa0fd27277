"""A build's outputs, written once from the merged result and replaced together; the folder they go to.

`write_outputs` makes every output (graph.ttl, report.json, graph.html, the per-article
dataset, the store folder) from the merged N-Triples of a BuildResult into a staging
folder, and only when all of them are complete renames them into place, one after the
other: a build that fails or is stopped leaves the previous outputs as they were.

`OutputFolder` is the `--out` folder of one running build: refused at once when it is
not a folder; locked, so a second build into it stops before doing any work; holding
the build's work folder (spool, sorted runs, merged triples, staged outputs), removed
on every exit path, and the left-overs of a killed build removed by the next one.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path

from kg.errors import BuildLockedError, OutputPathError, VnkgError
from kg.report import BuildResult, write_report

log = logging.getLogger(__name__)

LOCK_NAME = ".kg-build.lock"
WORK_NAME = ".kg-build"
OUTPUT_NAMES = ("graph.ttl", "report.json", "graph.html", "graph.trig", "graph.trig.gz", "graph.nq", "graph.nq.gz")
HTML_LIMIT = 200_000


# --------------------------------------------------------------------------- the output folder

def check_out_dir(path: str | os.PathLike) -> Path:
    """`path` as a folder to write into: refused (OutputPathError) when it exists and is not a folder."""
    path = Path(path)
    if os.path.islink(path) and not path.exists():
        raise OutputPathError(str(path), "is a symbolic link to nothing", hint=_OUT_HINT)
    try:
        st = path.stat()
    except FileNotFoundError:
        return path
    except OSError as exc:
        raise OutputPathError(str(path), f"cannot be used: {exc.strerror}", hint=_OUT_HINT) from None
    if not stat.S_ISDIR(st.st_mode):
        raise OutputPathError(str(path), f"is {_file_kind(st.st_mode)}, not a folder", hint=_OUT_HINT)
    return path


_OUT_HINT = "--out names the folder the outputs go into; give a folder, or a path where one can be created"


def _file_kind(mode: int) -> str:
    for test, name in ((stat.S_ISREG, "a file"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
                       (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
                       (stat.S_ISSOCK, "a socket")):
        if test(mode):
            return name
    return "not a folder"


def os_problem(path: str | os.PathLike | None, exc: OSError) -> OutputPathError:
    """An OSError met while writing, as one line naming the path and what to do."""
    where = str(exc.filename or path or "output")
    reason = exc.strerror or str(exc)
    hints = {errno.ENOSPC: "the disk is full: free some space or choose another --out",
             errno.EDQUOT: "the disk quota is used up: free some space or choose another --out",
             errno.EACCES: "no permission to write there: choose another --out",
             errno.EPERM: "no permission to write there: choose another --out",
             errno.EROFS: "the file system is read-only: choose another --out",
             errno.EFBIG: "the file is larger than this file system (or the process's file-size limit) allows"}
    return OutputPathError(where, f"cannot be written ({reason})", hint=hints.get(exc.errno))


class OutputFolder:
    """The output folder of one build, for the length of a `with` block: checked, locked, with a work folder.

    `extra` folders (a cache folder elsewhere) are locked too. On leaving, by any path,
    the work folder and the lock go, and a folder this build created and left empty too.
    """

    def __init__(self, path: str | os.PathLike, *, extra: tuple[str | os.PathLike, ...] = ()):
        self.path = Path(path)
        self.extra = [Path(p) for p in extra]
        self.work: Path = self.path / WORK_NAME
        self._locks: list[tuple[Path, int]] = []
        self._created: list[Path] = []

    def __enter__(self) -> OutputFolder:
        check_out_dir(self.path)
        try:
            for folder in (self.path, *self.extra):
                if not folder.exists():
                    self._created.append(folder)
                folder.mkdir(parents=True, exist_ok=True)
                self._locks.append((folder, _lock(folder)))
            remove_leftovers(self.path)
            self.work.mkdir()
        except OSError as exc:
            self._release()
            raise os_problem(self.path, exc) from None
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc_info) -> None:
        self._release()

    def _release(self) -> None:
        shutil.rmtree(self.work, ignore_errors=True)
        for folder, fd in reversed(self._locks):
            with contextlib.suppress(OSError):
                os.unlink(folder / LOCK_NAME)  # before unlocking: a waiting build then finds a new file
            os.close(fd)
        self._locks.clear()
        for folder in reversed(self._created):
            with contextlib.suppress(OSError):
                folder.rmdir()  # only when empty: nothing was written
        self._created.clear()


def _lock(folder: Path) -> int:
    path = folder / LOCK_NAME
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            owner = os.read(fd, 32).decode("ascii", "replace").strip()
            os.close(fd)
            raise BuildLockedError(f"{folder}: another kg build{f' (process {owner})' if owner else ''} is "
                                   "writing to this folder; wait for it to end, or choose another --out") from None
        try:
            same = os.fstat(fd).st_ino == os.stat(path).st_ino
        except FileNotFoundError:
            same = False
        if not same:  # the build that held it removed the file as we opened it: lock the new one
            os.close(fd)
            continue
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode("ascii"))
        return fd


def remove_leftovers(out: Path) -> list[Path]:
    """What a killed build left in `out`: its work folder and half-written temporary files."""
    gone = []
    staged = [*out.glob(".kg-stage-*"), *(p for name in OUTPUT_NAMES for p in out.glob(f".{name}.*.tmp"))]
    for path in [out / WORK_NAME, *staged]:
        if path.is_dir() and not path.is_symlink():
            shutil.rmtree(path, ignore_errors=True)
        elif path.exists() or path.is_symlink():
            path.unlink(missing_ok=True)
        else:
            continue
        gone.append(path)
    if gone:
        log.info("removed what an interrupted build left: %s", ", ".join(p.name for p in gone))
    return gone


# --------------------------------------------------------------------------- atomic files

@contextlib.contextmanager
def atomic_writer(path: Path) -> Iterator:
    """A binary file handle for `path` under a temporary name, renamed on success: never a half-written file."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes the file private; outputs are ordinary files
        with os.fdopen(fd, "wb") as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def atomic_write(path: Path, content: str | bytes) -> Path:
    """Write next to `path` under a temporary name, then rename: never a half-written file."""
    data = content.encode("utf-8") if isinstance(content, str) else content
    with atomic_writer(path) as handle:
        handle.write(data)
    return path


# --------------------------------------------------------------------------- the outputs

def write_outputs(result: BuildResult, out_dir: str | os.PathLike, *, html: bool = False,
                  html_limit: int = HTML_LIMIT, dataset: str | None = None, gzip: bool = False,
                  store: str | os.PathLike | None = None, work: str | os.PathLike | None = None,
                  progress=None, keep: frozenset[str] = frozenset()) -> dict[str, Path]:
    """Write the outputs of `result` into `out_dir`, all from its merged triples; returns name -> path.

    graph.ttl and report.json always; graph.html with `html` (up to `html_limit` triples);
    graph.trig / graph.nq (`dataset`, `gzip`); an Oxigraph store folder (`store`). Each is
    staged in `work` (default: a folder inside `out_dir`) and renamed into place only when
    all are written. Names in `keep` ("graph", "view") are left as they are: a rebuild
    that changed nothing does not write them again.
    """
    from kg.scale.progress import Progress

    progress = progress or Progress(False)
    out = check_out_dir(out_dir)
    current: Path | None = out
    try:
        out.mkdir(parents=True, exist_ok=True)
        stage = Path(tempfile.mkdtemp(prefix=".kg-stage-", dir=work or out))
    except OSError as exc:
        raise os_problem(current, exc) from None
    staged: list[tuple[Path, Path]] = []  # (staged, final)
    written: dict[str, Path] = {}
    store_swap = None
    try:
        merged = result.merged
        if merged is None:  # a result held in memory: its lines, once, for the writers below
            current = merged = stage / "graph.nt"
            with open(merged, "w", encoding="utf-8", newline="\n") as handle:
                handle.writelines(f"{text}\n" for text in result.lines())
        if "graph" not in keep:
            current = stage / "graph.ttl"
            with progress.stage(f"writing graph.ttl ({result.triples:,} triples)"):
                write_turtle_file(result, current)
            staged.append((current, out / "graph.ttl"))
        written["graph"] = out / "graph.ttl"
        if html:
            if "view" in keep:
                written["view"] = out / "graph.html"
            elif result.triples > html_limit:
                result.notes.append(f"graph.html not written: {result.triples:,} triples is over --html-limit "
                                    f"{html_limit:,}")
            else:
                current = stage / "graph.html"
                with progress.stage("writing graph.html"):
                    drawn = _write_html(result, current)
                if drawn:
                    staged.append((current, out / "graph.html"))
                    written["view"] = out / "graph.html"
        if dataset:
            from kg.export.quads import write_dataset
            from kg.export.source import read_graph

            name = ("graph.trig" if dataset == "trig" else "graph.nq") + (".gz" if gzip else "")
            current = stage / name
            with progress.stage(f"writing {name}"):
                path, _ = write_dataset(read_graph(merged), current, fmt=dataset, compress=gzip)
            staged.append((path, out / path.name))
            written["dataset"] = out / path.name
        if store:
            store = Path(store)
            current = store
            with progress.stage(f"filling the store {store}"):
                store_swap = _stage_store(merged, store, stage)
            written["store"] = store
        current = stage / "report.json"
        with open(current, "wb") as handle:
            write_report(result, handle)
        staged.append((current, out / "report.json"))
        written["report"] = out / "report.json"
        # everything is written: now replace the old outputs, together
        for path, final in staged:
            current = final
            os.chmod(path, 0o666 & ~_umask())
            os.replace(path, final)
        if store_swap is not None:
            current = store_swap[1]
            from kg.serve.store import swap_folder

            swap_folder(*store_swap)
    except OSError as exc:
        raise os_problem(current, exc) from None
    finally:
        shutil.rmtree(stage, ignore_errors=True)
        if store_swap is not None:
            shutil.rmtree(store_swap[0], ignore_errors=True)
    return {name: written[name] for name in ("graph", "report", "view", "dataset", "store") if name in written}


def write_turtle_file(result: BuildResult, path: Path) -> None:
    """The merged graph of `result` as Turtle at `path` (written in place: callers stage it)."""
    from kg.scale.turtle import write_turtle

    with open(path, "wb") as handle:
        write_turtle(result.lines(), handle, base=result.base)
        handle.flush()
        os.fsync(handle.fileno())


def _write_html(result: BuildResult, path: Path) -> bool:
    """graph.html; the graph is built either way, so a view that cannot be drawn is only noted."""
    from kg.viz import write_html

    try:
        write_html(result.graph, path)
    except VnkgError as exc:
        result.notes.append(f"graph.html not written: {exc}")
        return False
    return True


def check_store_dir(store: str | os.PathLike) -> Path:
    """`store` as a store folder to (re)fill: refused when it is not a folder, or a folder that is not a store."""
    from kg.serve.store import is_store_dir

    store = Path(store)
    if store.exists() and not store.is_dir():
        raise OutputPathError(str(store), "exists and is not a folder", hint="give --store a folder")
    if store.is_dir() and any(store.iterdir()) and not is_store_dir(store):
        raise OutputPathError(str(store), "exists and is not an Oxigraph store; it is left as it is",
                              hint="choose another --store folder")
    return store


def _stage_store(merged: Path, store: Path, stage: Path) -> tuple[Path, Path]:
    """Fill a new store from the merged triples beside (or, on the same disk, inside the staging folder of) `store`."""
    from kg.serve.store import load_store

    check_store_dir(store)
    store.parent.mkdir(parents=True, exist_ok=True)
    for left in store.parent.glob(f".{store.name}.kg-new*"):
        shutil.rmtree(left, ignore_errors=True)  # what a killed build left
    same_disk = os.stat(stage).st_dev == os.stat(store.parent).st_dev
    new = stage / "store" if same_disk else store.with_name(f".{store.name}.kg-new")
    load_store([merged], new)
    return new, store
