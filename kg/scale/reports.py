"""The per-article reports of a build, kept on disk so a build of any size holds only their offsets.

`ReportLog` is a read-only sequence of ArticleReport: append writes one JSON line to a
temporary file, reading goes back to the file. A build of 50,000 articles keeps 8 bytes
per article in memory instead of every report.
"""
from __future__ import annotations

import dataclasses
import json
import tempfile
from array import array
from collections.abc import Iterator, Sequence
from typing import Any


class ReportLog(Sequence):
    """Reports in the order they were appended; counts of ok and failed ones kept on the way."""

    def __init__(self, factory, directory: str | None = None):
        self._factory = factory  # dict -> report object
        self._file = tempfile.TemporaryFile(mode="w+b", dir=directory, prefix="vnkg-reports-")
        self._offsets = array("q")
        self._end = 0
        self.ok = 0
        self.failed = 0

    def append(self, report: Any) -> None:
        row = dict(report.__dict__) if dataclasses.is_dataclass(report) else dict(report)
        data = (json.dumps(row, ensure_ascii=False) + "\n").encode("utf-8")
        self._file.seek(self._end)
        self._file.write(data)
        self._offsets.append(self._end)
        self._end += len(data)
        if row.get("status") == "ok":
            self.ok += 1
        else:
            self.failed += 1

    def __len__(self) -> int:
        return len(self._offsets)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("report index out of range")
        self._file.seek(self._offsets[index])
        return self._factory(json.loads(self._file.readline()))

    def __iter__(self) -> Iterator:
        self._file.flush()
        with open(self._file.fileno(), "rb", closefd=False) as reader:
            reader.seek(0)
            for raw in reader:
                yield self._factory(json.loads(raw))

    def close(self) -> None:
        self._file.close()
