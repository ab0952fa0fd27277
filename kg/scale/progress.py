"""What a long build shows while it runs: articles with total, rate and ETA, then each stage by name.

On a terminal (stderr) the article count is a tqdm bar; its total is filled in as soon
as it is known (the inputs are counted in the background, so counting never delays the
build). Each stage after the analysis (merge, SHACL, each output) prints one line when
it starts, ended by its time when it is done. Off a terminal, or with `enabled=False`, nothing
is printed and the stages go to the log at INFO level.
"""
from __future__ import annotations

import contextlib
import logging
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator

log = logging.getLogger(__name__)


class Progress:
    def __init__(self, enabled: bool = False, stream=None):
        self.enabled = enabled
        self.stream = stream if stream is not None else sys.stderr
        self._bar = None
        self._total: int | None = None

    def articles(self, items: Iterable, count: Callable[[], int] | None = None) -> Iterator:
        """`items` as they go, with a bar; `count()` (run in a thread) gives the expected total."""
        if not self.enabled:
            yield from items
            return
        from tqdm import tqdm

        self._bar = tqdm(desc="articles", unit="art", file=self.stream, leave=True, dynamic_ncols=True,
                         smoothing=0.05)
        if count is not None:  # a quick count gives the total from the start; a slow one fills it in later
            counting = threading.Thread(target=self._count, args=(count,), daemon=True)
            counting.start()
            counting.join(0.5)
        try:
            for item in items:
                self._bar.update(1)
                yield item
        finally:
            self._bar.close()
            self._bar = None

    def _count(self, count: Callable[[], int]) -> None:
        try:
            total = count()
        except Exception:  # a count is only a nicety: never let it disturb the build
            log.debug("counting the inputs failed", exc_info=True)
            return
        bar = self._bar
        if bar is not None:
            bar.total = total
            bar.refresh()

    @contextlib.contextmanager
    def stage(self, what: str):
        """A named stage: `what` is shown while it runs, then its time."""
        started = time.perf_counter()
        if self.enabled:
            self.stream.write(f"{what} ...")
            self.stream.flush()
        else:
            log.info("%s ...", what)
        yield
        seconds = time.perf_counter() - started
        if self.enabled:
            self.stream.write(f" {seconds:.1f} s\n")
            self.stream.flush()
        else:
            log.info("%s: %.1f s", what, seconds)
