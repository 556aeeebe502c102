"""The Dask engine: one task per chunk on a dask.distributed cluster (a LocalCluster of
processes when no scheduler address is given).

Each worker process builds the pipeline once, on its first task (the cache in
engine/worker.py lives as long as the process). A task returns its chunk's tables as Arrow
tables and the client, which holds the output lock, commits them: so a remote cluster needs
newsie installed on its workers but no filesystem shared with the client, the commit and
crash-recovery logic is the same code as the local engine's, and the results are the same
rows under the same chunk ids. Only a few chunks per worker are submitted at a time, so
neither the client nor the scheduler holds the corpus.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from .chunks import Chunk
from .executors import failed_chunk
from .worker import ChunkResult, NlpSettings, run_chunk, worker_pipeline_version

IN_FLIGHT_PER_WORKER = 2


class DaskEngine:
    def __init__(self, settings: NlpSettings, workers: int = 1, scheduler: str | None = None):
        from distributed import Client, LocalCluster

        self.settings = settings
        self._cluster = None
        if scheduler:
            self.client = Client(scheduler)
        else:
            # Processes, one thread each: spaCy holds the GIL for much of its work.
            self._cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                         dashboard_address=None)
            self.client = Client(self._cluster)

    @property
    def worker_count(self) -> int:
        return max(1, len(self.client.scheduler_info(n_workers=-1).get("workers", {})))

    def pipeline_version(self) -> str:
        return self.client.submit(worker_pipeline_version, self.settings, pure=False).result()

    def warm_up(self) -> None:
        """Every worker builds its pipeline now (so timings leave the load out)."""
        self.client.run(worker_pipeline_version, self.settings)

    def map_chunks(self, chunks: Iterable[Chunk], version: str) -> Iterator[ChunkResult]:
        from distributed import as_completed

        pending = iter(chunks)
        by_future = {}
        running = as_completed()
        for chunk in _take(pending, self.worker_count * IN_FLIGHT_PER_WORKER):
            self._submit(chunk, version, by_future, running)
        for future in running:
            chunk = by_future.pop(future.key)
            yield self._result(future, chunk, version)
            future.release()
            for chunk in _take(pending, 1):
                self._submit(chunk, version, by_future, running)

    def _submit(self, chunk: Chunk, version: str, by_future: dict, running) -> None:
        future = self.client.submit(run_chunk, self.settings, chunk, version, pure=False,
                                    key=f"newsie-chunk-{chunk.chunk_id}-{id(chunk)}")
        by_future[future.key] = chunk
        running.add(future)

    @staticmethod
    def _result(future, chunk: Chunk, version: str) -> ChunkResult:
        try:
            return future.result()
        except Exception as exc:  # e.g. KilledWorker: the chunk's documents become errors rows
            return failed_chunk(chunk, version, f"Dask task failed: {type(exc).__name__}: {exc}")

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()


def _take(iterator: Iterator, n: int) -> list:
    taken = []
    for _ in range(n):
        item = next(iterator, None)
        if item is None:
            break
        taken.append(item)
    return taken
