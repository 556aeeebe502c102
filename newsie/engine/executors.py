"""Local engines: the chunks in this process, or in N worker processes that each load the
pipeline once (spaCy's advice for large jobs: processes, not threads, with work handed out
in chunks of documents).

Every engine yields ChunkResults in whatever order they finish; the runner commits each
under the chunk id it was given when read, so the order does not matter. At most a few
chunks per worker are in flight, so memory stays flat however long the input.
"""
from __future__ import annotations

import multiprocessing
import os
import signal
import time
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from typing import Iterable, Iterator

from .chunks import Chunk, chunk_marker
from .local import TABLE_NAMES, chunk_stats
from .rows import document_row, error_row
from .worker import ChunkResult, NlpSettings, get_nlp, release_nlp, run_chunk, worker_pipeline_version

IN_FLIGHT_PER_WORKER = 2
MAX_ATTEMPTS = 2  # a chunk whose worker process dies twice becomes errors rows


class InProcessExecutor:
    def __init__(self, settings: NlpSettings):
        self.settings = settings

    def pipeline_version(self) -> str:
        return worker_pipeline_version(self.settings)

    def warm_up(self) -> None:
        get_nlp(self.settings)

    def map_chunks(self, chunks: Iterable[Chunk], version: str) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield run_chunk(self.settings, chunk, version)

    def release_pipeline(self) -> None:
        """Drop this process's pipeline (the runner calls it before the cross-document step,
        so that step reuses the pipeline's memory instead of adding to it); a later chunk
        would load it again."""
        release_nlp(self.settings)

    def close(self) -> None:
        pass


def _load_pipeline(settings: NlpSettings) -> None:
    """A worker's initializer. A Ctrl-C reaches the whole process group; one that lands while a
    worker still loads is the parent's to handle (it says what is committed and stops the pool),
    not a traceback from the initializer."""
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        get_nlp(settings)
    finally:
        signal.signal(signal.SIGINT, previous)


def _pid_after_load(settings: NlpSettings) -> int:
    get_nlp(settings)
    time.sleep(0.2)  # hold this process so the other warm-up tasks reach the other workers
    return os.getpid()


class ProcessPoolEngine:
    """N spawned processes; each builds the pipeline once, in its initializer."""

    def __init__(self, settings: NlpSettings, workers: int):
        self.settings = settings
        self.workers = workers
        self._pool = self._new_pool()

    def _new_pool(self) -> ProcessPoolExecutor:
        # spawn, not fork: a forked copy of a process with BLAS/torch threads can deadlock.
        pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"),
                                   initializer=_load_pipeline, initargs=(self.settings,))
        # A spawn pool starts a process only when a task finds no idle one. The first task,
        # the pipeline version, waits for its worker's load, so the others would start loading
        # only after it: one task per worker now starts them all at once.
        for _ in range(self.workers):
            pool.submit(os.getpid)
        return pool

    def pipeline_version(self) -> str:
        return self._pool.submit(worker_pipeline_version, self.settings).result()

    def warm_up(self) -> None:
        """Block until every worker has its pipeline (so timings leave the load out)."""
        seen: set[int] = set()
        for _ in range(10):
            futures = [self._pool.submit(_pid_after_load, self.settings) for _ in range(self.workers)]
            seen.update(f.result() for f in futures)
            if len(seen) >= self.workers:
                return

    def map_chunks(self, chunks: Iterable[Chunk], version: str) -> Iterator[ChunkResult]:
        pending = iter(chunks)
        in_flight: dict[Future, tuple[Chunk, int]] = {}
        retry: list[tuple[Chunk, int]] = []
        while True:
            while len(in_flight) < self.workers * IN_FLIGHT_PER_WORKER:
                item = retry.pop() if retry else _next_attempt(pending)
                if item is None:
                    break
                in_flight[self._pool.submit(run_chunk, self.settings, item[0], version)] = item
            if not in_flight:
                return
            done, _ = wait(in_flight, return_when=FIRST_COMPLETED)
            broken = False
            for future in done:
                chunk, attempt = in_flight.pop(future)
                try:
                    yield future.result()
                except BrokenProcessPool:
                    broken = True
                    if attempt + 1 < MAX_ATTEMPTS:
                        retry.append((chunk, attempt + 1))
                    else:
                        yield failed_chunk(chunk, version, "a worker process died on this chunk twice")
                except Exception as exc:
                    yield failed_chunk(chunk, version, f"{type(exc).__name__}: {exc}")
            if broken:  # a dead worker breaks the whole pool: start a new one, redo its chunks
                retry.extend((chunk, attempt + 1) for chunk, attempt in in_flight.values())
                in_flight.clear()
                self._pool.shutdown(wait=False, cancel_futures=True)
                self._pool = self._new_pool()

    def close(self) -> None:
        self._pool.shutdown(wait=True, cancel_futures=True)


def _next_attempt(chunks: Iterator[Chunk]) -> tuple[Chunk, int] | None:
    chunk = next(chunks, None)
    return None if chunk is None else (chunk, 0)


def failed_chunk(chunk: Chunk, version: str, message: str) -> ChunkResult:
    """Errors rows for every document of a chunk whose worker failed outright."""
    from ..io.writer import to_table

    rows: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    for d in chunk.documents:
        if d.error is None or d.doc_id or d.error[0] != "manifest":
            rows["documents"].append(document_row(d, "error"))
        stage, text = d.error if d.error else ("worker", message)
        rows["errors"].append(error_row(d, stage, text))
    tables = {name: to_table(name, r) for name, r in rows.items()}
    return ChunkResult(chunk.chunk_id, tables, chunk_marker(chunk.chunk_id, chunk.documents, rows, version),
                       chunk_stats(rows))
