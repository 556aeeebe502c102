"""One run: lock the output, repair what a killed run left, skip what is done, hand the
remaining chunks to an engine, commit each result, then the cross-document steps."""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterable

from ..io.readers import Document
from ..io.writer import CommittedDocument, OutputLock, PartWriter
from .chunks import plan_chunks
from .local import RunSummary
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


def run_pipeline(documents: Iterable[Document], out: Path, engine, chunk_size: int = 32, force: bool = False,
                 finalize: Callable[[Path], None] | None = None,
                 progress: Callable[[int], None] | None = None) -> RunSummary:
    """Process `documents` into the tables under `out`. Raises OutputLocked when another run
    holds `out`."""
    with OutputLock(out):
        writer = PartWriter(out)
        summary = RunSummary()
        summary.repaired = writer.recover()
        committed = writer.committed_documents()
        version = engine.pipeline_version()

        def count_skip(_d, entry: CommittedDocument):
            summary.skipped += 1
            summary.skipped_failed += entry.status == "error"

        chunks = plan_chunks(documents, committed, version, chunk_size, writer.next_chunk_number(),
                             force=force, on_skip=count_skip)
        for result in engine.map_chunks(chunks, version):
            commit(writer, result, committed)
            summary.add_stats(result.stats)
            if progress is not None:
                progress(len(result.marker["documents"]))
        if finalize is not None:
            finalize(Path(out))
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
