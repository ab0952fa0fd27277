"""The last build into an output folder, kept beside the article cache, so that a rebuild does only what changed.

Two files in the cache folder: `last-build.nt`, the merged graph (sorted, resolved
N-Triples), and `last-build.json`: the pipeline version and base IRI it was made with,
the keys of the articles whose triples it holds, its digest and counts, the SHACL
result for that digest, and the outputs written from it (size and modification time).

A rebuild whose articles are all among those keys only merges the new articles' triples
into last-build.nt (nothing at all when there are none); SHACL runs only when the merged
graph's digest differs from the one validated; graph.ttl and graph.html are rewritten
only when the graph changed or the files are not the ones written. Any article gone
from the inputs means a full merge from the cache (no article is analysed again).
"""
from __future__ import annotations

import json
import logging
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

MERGED = "last-build.nt"
STATE = "last-build.json"


@dataclass
class LastBuild:
    merged: Path
    keys: frozenset[str]
    digest: str
    triples: int
    graph_counts: dict
    validated: dict | None = None  # {"digest": ..., "violations": [...]}
    outputs: dict = field(default_factory=dict)  # {"out": ..., "graph": {...}, "view": {...}}

    @classmethod
    def load(cls, cache_dir: str | os.PathLike, version: str, base: str) -> LastBuild | None:
        folder = Path(cache_dir)
        try:
            data = json.loads((folder / STATE).read_text(encoding="utf-8"))
            if data.get("version") != version or data.get("base") != base or not (folder / MERGED).is_file():
                return None
            return cls(folder / MERGED, frozenset(data["keys"]), data["digest"], int(data["triples"]),
                       dict(data["graph_counts"]), data.get("validated"), data.get("outputs") or {})
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def intact(self, name: str, path: Path, out: Path, digest: str) -> bool:
        """Whether output `name` at `path` is the file written from the graph of `digest` into `out`."""
        if self.digest != digest or self.outputs.get("out") != str(out.resolve()):
            return False
        seen = self.outputs.get(name)
        return bool(seen) and seen == _signature(path)


def _signature(path: Path) -> dict | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return {"size": st.st_size, "mtime_ns": st.st_mtime_ns}


def save(cache_dir: str | os.PathLike, *, version: str, base: str, keys, merged: Path, digest: str, triples: int,
         graph_counts: dict, validated: dict | None, out: Path | None, written: dict[str, Path]) -> None:
    """Record the build just finished (its outputs written): the merged graph and what it was made from."""
    folder = Path(cache_dir)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / MERGED
    if merged.resolve() != target.resolve():
        (folder / STATE).unlink(missing_ok=True)  # never a record that describes another merged graph
        tmp = folder / f".{MERGED}.tmp"
        tmp.unlink(missing_ok=True)
        try:
            os.link(merged, tmp)  # the work folder is about to go: keep its merged graph without a copy
        except OSError:
            shutil.copyfile(merged, tmp)
        os.replace(tmp, target)
    outputs: dict = {"out": str(out.resolve())} if out is not None else {}
    for name in ("graph", "view"):
        if name in written:
            outputs[name] = _signature(Path(written[name]))
    data = {"version": version, "base": base, "digest": digest, "triples": triples, "graph_counts": graph_counts,
            "validated": validated, "outputs": outputs, "keys": sorted(keys)}
    tmp = folder / f".{STATE}.tmp"
    tmp.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    os.replace(tmp, folder / STATE)

