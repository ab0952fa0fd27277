"""Extraction in worker processes, results in input order.

Each worker makes the per-article step once (the pool's initializer calls the
StepFactory it is given; with fork, the parent's imported modules are shared).
Articles go out in small batches and at most `window` batches are in flight, so a
corpus of any size never sits in a queue; results are taken back in the order the
articles were given, so the output does not depend on the number of workers or on
which finished first. This module knows nothing of what the step does.
"""
from __future__ import annotations

import logging
import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterable, Iterator

log = logging.getLogger(__name__)

_STEP = None  # the worker's own per-article step
_BROKEN: str | None = None  # why it could not be made


def _init(make_step: Callable, log_level: int) -> None:
    global _STEP, _BROKEN
    # Ctrl-C reaches the whole process group: the parent stops the pool; SIGTERM from the pool ends a worker
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    logging.getLogger().setLevel(log_level)
    try:
        _STEP = make_step()
    except Exception as exc:  # a pool whose initializer raises restarts workers for ever: report it instead
        _BROKEN = f"{type(exc).__name__}: {exc}"


def _work(batch: list) -> list:
    if _BROKEN is not None:
        from kg.errors import EngineError

        raise EngineError(f"a worker process could not load the pipeline ({_BROKEN})")
    return [_STEP.process(article) for article in batch]


def default_workers() -> int:
    """The cores this process may use."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not Linux
        return os.cpu_count() or 1


def run_ordered(jobs: Iterable, make_step: Callable, *, workers: int, batch: int = 4,
                window: int | None = None, stall: float | None = None) -> Iterator[tuple]:
    """(job, output) for each job, in order: `job.result` if it is ready, else `step.process(job.article)`.

    A job is anything with `.ready` (bool), `.result` and `.article`; `make_step()` gives
    the step, made only when a job needs it (a build served wholly from the cache loads
    no pipeline). With one worker the articles are processed here, with more by a pool.
    A batch that gives no result within `stall` seconds (default: the step's time limit
    per article, plus two minutes) means its worker died (killed, out of memory): the
    build stops with an EngineError naming the batch's articles, instead of waiting for ever.
    """
    if workers <= 1:
        step = None
        for job in jobs:
            if job.ready:
                yield job, job.result
                continue
            if step is None:
                step = make_step()
            yield job, step.process(job.article)
        return

    context = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else None)
    window = window or workers * 4
    if stall is None:
        limit = getattr(make_step, "time_limit", 0) or 0
        stall = limit * batch + 120 if limit > 0 else None
    pool = None
    pending: deque = deque()  # (jobs, AsyncResult or None for a ready job)
    in_flight = 0
    current: list = []

    def submit() -> None:
        nonlocal current, in_flight, pool
        if current:
            if pool is None:
                pool = context.Pool(workers, initializer=_init,
                                    initargs=(make_step, logging.getLogger().getEffectiveLevel()))
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
                try:
                    outputs = waiting.get(stall)
                except multiprocessing.TimeoutError:
                    from kg.errors import EngineError

                    names = ", ".join(job.article.where for job in batch_jobs)
                    raise EngineError(f"a worker process stopped while analysing {names} (killed, or out of "
                                      f"memory?): no result after {stall:g} s; build these inputs with "
                                      "--workers 1 to see which one is at fault") from None
                yield from zip(batch_jobs, outputs)

    try:
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
        if pool is not None:
            pool.close()
            pool.join()
    finally:
        if pool is not None:
            pool.terminate()
