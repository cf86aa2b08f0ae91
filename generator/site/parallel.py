"""Rendering spread over the machine's cores: forked workers, results in the pages' own order.

Workers are forked, so they inherit the model, the templates and the entry cache as they are:
nothing but page numbers goes to a worker and nothing but bytes comes back. Small sites render in
the parent, where forking would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from typing import Callable, Iterator

from generator.content.errors import ContentErrors, Problem

MIN_ITEMS_PER_WORKER = 200  # below this, a fork's start-up and the copying back outweigh the gain
CHUNK = 32  # items a worker renders per round trip: small enough to keep both cores busy to the end

_job: Callable[[int], bytes] | None = None  # the work of one item, inherited by the forked workers


def worker_count(items: int) -> int:
    """How many processes to spread `items` over: one per core, none where fork is missing."""
    if "fork" not in multiprocessing.get_all_start_methods():
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(cores, items // MIN_ITEMS_PER_WORKER))


def map_in_order(job: Callable[[int], bytes], count: int, workers: int) -> Iterator[tuple[int, bytes]]:
    """(i, job(i)) for i in range(count), in order, computed by `workers` forked processes."""
    global _job
    _job = job
    try:
        chunks = [range(start, min(start + CHUNK, count)) for start in range(0, count, CHUNK)]
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for chunk, outcome in zip(chunks, pool.imap(_run_chunk, chunks)):
                if isinstance(outcome, tuple):  # ContentErrors do not survive pickling: their problems do
                    raise ContentErrors(outcome)
                yield from zip(chunk, outcome)
    finally:
        _job = None


def _run_chunk(chunk: range) -> list[bytes] | tuple[Problem, ...]:
    assert _job is not None
    try:
        return [_job(index) for index in chunk]
    except ContentErrors as errors:
        return errors.problems
