"""Work spread over the machine's cores: forked workers, results in the items' own order.

Workers are forked, so they inherit what the job needs as it is (the model, the templates, the
Markdown converter): nothing but item numbers goes to a worker and nothing but results come back.
Small jobs run in the parent, where forking would cost more than it saves. It serves every stage
(Markdown bodies here in `content/`, pages in `site/`, share cards in `formats/`), so it lives in
the lowest package.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
from typing import Any, Callable, Iterator, TypeVar

from generator.content.errors import ContentErrors, Problem

MIN_ITEMS_PER_WORKER = 200  # below this, a fork's start-up and the copying back outweigh the gain
CHUNK = 32  # items a worker does per round trip: small enough to keep both cores busy to the end

Result = TypeVar("Result")
_job: Callable[[int], Any] | None = None  # the work of one item, inherited by the forked workers


def worker_count(items: int) -> int:
    """How many processes to spread `items` over: one per core, none where fork is missing."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, items // MIN_ITEMS_PER_WORKER))


def map_in_order(job: Callable[[int], Result], count: int, workers: int) -> Iterator[tuple[int, Result]]:
    """(i, job(i)) for i in range(count), in order, computed by `workers` forked processes."""
    global _job
    _job = job
    try:
        chunks = [range(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
        with multiprocessing.get_context("fork").Pool(workers, initializer=_as_a_worker) as pool:
            for chunk, outcome in zip(chunks, pool.imap(_run_chunk, chunks)):
                if isinstance(outcome, tuple):  # ContentErrors do not survive pickling: their problems do
                    raise ContentErrors(outcome)
                yield from zip(chunk, outcome)
    finally:
        _job = None


def _as_a_worker() -> None:
    """Ctrl-C and SIGTERM are the parent's to answer: it stops the workers itself (`Pool.terminate` sends SIGTERM).
    A worker that took them as KeyboardInterrupt, as it inherits from the command line, printed a traceback."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _run_chunk(chunk: range) -> list | tuple[Problem, ...]:
    assert _job is not None
    try:
        return [_job(index) for index in chunk]
    except ContentErrors as errors:
        return errors.problems
