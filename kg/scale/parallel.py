"""Extraction in worker processes, results in input order.

Each worker loads the pipeline once (a Builder made by the pool's initializer; with
fork, the parent's imported modules are shared). Articles go out in small batches and
at most `window` batches are in flight, so a corpus of any size never sits in a queue;
results are taken back in the order the articles were given, so the output does not
depend on the number of workers or on which finished first.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator

log = logging.getLogger(__name__)

_BUILDER = None  # the worker's own pipeline
_BROKEN: str | None = None  # why it could not be loaded


def _init(base: str, ontology: str | None, log_level: int) -> None:
    global _BUILDER, _BROKEN
    logging.getLogger().setLevel(log_level)
    from kg.builder import Builder

    try:
        _BUILDER = Builder(base, ontology)
    except Exception as exc:  # a pool whose initializer raises restarts workers for ever: report it instead
        _BROKEN = f"{type(exc).__name__}: {exc}"


def _work(batch: list) -> list:
    if _BROKEN is not None:
        from kg.errors import EngineError

        raise EngineError(f"a worker process could not load the pipeline ({_BROKEN})")
    return [_BUILDER.process(article) for article in batch]


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_ordered(jobs: Iterable, process_local: Callable, *, workers: int, base: str, ontology: str | None,
                batch: int = 4, window: int | None = None) -> Iterator[tuple]:
    """(job, output) for each job, in order: `job.result` if it is ready, else the output of `job.article`.

    A job is anything with `.ready` (bool), `.result` and `.article`. With one worker the
    articles are processed here by `process_local`; with more, by a process pool.
    """
    if workers <= 1:
        for job in jobs:
            yield job, (job.result if job.ready else process_local(job.article))
        return

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    window = window or workers * 4
    with context.Pool(workers, initializer=_init,
                      initargs=(base, ontology, logging.getLogger().getEffectiveLevel())) as pool:
        pending: deque = deque()  # (jobs, AsyncResult or None for a ready job)
        in_flight = 0
        current: list = []

        def submit() -> None:
            nonlocal current, in_flight
            if current:
                pending.append((current, pool.apply_async(_work, ([job.article for job in current],))))
                in_flight += 1
                current = []

        def drain(limit: int) -> Iterator[tuple]:
            nonlocal in_flight
            while pending and (in_flight > limit or pending[0][1] is None):
                batch_jobs, waiting = pending.popleft()
                if waiting is None:
                    yield batch_jobs[0], batch_jobs[0].result
                else:
                    in_flight -= 1
                    yield from zip(batch_jobs, waiting.get())

        for job in jobs:
            if job.ready:
                submit()
                pending.append(([job], None))
            else:
                current.append(job)
                if len(current) >= batch:
                    submit()
            yield from drain(window)
        submit()
        yield from drain(-1)
        pool.close()
        pool.join()
