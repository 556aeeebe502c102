"""One run: lock the output, repair what a killed run left, skip what is done, hand the
remaining chunks to an engine, commit each result, then the cross-document steps, then the
summary from the final tables. `RunProgress` is what a progress display hears meanwhile."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..io.readers import Document
from ..io.writer import CommittedDocument, OutputLock, PartWriter
from .chunks import plan_chunks
from .local import ChunkStats, RunSummary
from .worker import ChunkResult, NlpSettings


def make_engine(engine: str, settings: NlpSettings, workers: int = 1, scheduler: str | None = None):
    if engine == "dask":
        from .dask_engine import DaskEngine

        return DaskEngine(settings, workers=workers, scheduler=scheduler)
    if engine != "local":
        raise ValueError(f"unknown engine {engine!r} (local or dask)")
    if workers > 1:
        from .executors import ProcessPoolEngine

        return ProcessPoolEngine(settings, workers)
    from .executors import InProcessExecutor

    return InProcessExecutor(settings)


class RunProgress:
    """What run_pipeline reports while it works; every hook does nothing here (the CLI's
    progress bar, newsie/progress.py, overrides them)."""

    def loaded(self) -> None:
        """The pipeline is built (by this process or the first worker): processing starts."""

    def skipped(self, count: int, failed: int) -> None:
        """`count` documents an earlier run already did (`failed` of them had failed)."""

    def chunk_done(self, stats: ChunkStats) -> None:
        """A chunk is committed: `stats.documents` more done, `stats.failed` of them failed."""

    def finalizing(self) -> None:
        """Every chunk is committed: the cross-document step starts."""


def run_pipeline(documents: Iterable[Document], out: Path, engine, chunk_size: int = 32, force: bool = False,
                 finalize: Callable[[Path], None] | None = None,
                 progress: RunProgress | None = None) -> RunSummary:
    """Process `documents` into the tables under `out`, then run `finalize` (the
    cross-document step) on them. The summary's counts are read from the final tables
    (the rows of the chunks this run committed), so they show the cross-document step's
    names. Raises OutputLocked when another run holds `out`."""
    progress = progress or RunProgress()
    with OutputLock(out):
        writer = PartWriter(out)
        summary = RunSummary()
        summary.repaired = writer.recover()
        committed = writer.committed_documents()
        version = engine.pipeline_version()
        progress.loaded()

        def count_skip(_d, entry: CommittedDocument):
            summary.skipped += 1
            summary.skipped_failed += entry.status == "error"
            progress.skipped(1, int(entry.status == "error"))

        chunks = plan_chunks(documents, committed, version, chunk_size, writer.next_chunk_number(),
                             force=force, on_skip=count_skip)
        chunk_ids = []
        for result in engine.map_chunks(chunks, version):
            commit(writer, result, committed)
            chunk_ids.append(result.chunk_id)
            progress.chunk_done(result.stats)
        progress.finalizing()
        if finalize is not None:
            release = getattr(engine, "release_pipeline", None)
            if release is not None:  # the in-process engine: its pipeline is not needed any more
                release()
            finalize(Path(out))
        summary.read_tables(Path(out), chunk_ids)
    return summary


def commit(writer: PartWriter, result: ChunkResult, committed: dict[tuple, CommittedDocument]) -> None:
    """Write the chunk, then drop its documents' older rows from earlier chunks (a document
    reprocessed because its text, the pipeline or --force changed)."""
    writer.write_chunk(result.chunk_id, result.tables, result.marker)
    superseded: dict[str, set] = {}
    for doc_id, source_path, *_ in result.marker["documents"]:
        old = committed.pop((doc_id, source_path), None)
        if old is not None and old.chunk_id != result.chunk_id:
            superseded.setdefault(old.chunk_id, set()).add((doc_id, source_path))
    for chunk_id, identities in sorted(superseded.items()):
        writer.drop_documents(chunk_id, identities)
