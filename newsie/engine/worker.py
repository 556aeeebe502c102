"""What runs where the work is done (this process, a pool process or a Dask worker): the
pipeline, loaded once per process and cached here, and the chunk task itself.

The task returns the chunk's tables as Arrow tables plus a small summary; the process that
holds the output lock writes them. Rows are compact in Arrow, so this costs little, and it
lets a remote Dask cluster work without a filesystem shared with the client.
"""
from __future__ import annotations

import gc
from dataclasses import dataclass
from typing import TYPE_CHECKING

import pyarrow as pa

from ..crossdoc.signatures import signature_rows
from ..io.writer import to_table
from .chunks import Chunk, chunk_marker
from .local import ChunkStats, chunk_stats, process_chunk

if TYPE_CHECKING:  # only for annotations: a client process need not import spaCy
    from spacy.language import Language


@dataclass(frozen=True)
class NlpSettings:
    """Everything that decides how the pipeline is built (hashable: the cache key)."""
    config: str | None = None  # the pipeline config (None: configs/pipeline.cfg)
    attribution_model: str | None = None
    max_chars: int = 1_000_000
    timeout: float | None = 60.0


@dataclass
class ChunkResult:
    chunk_id: str
    tables: dict[str, pa.Table]
    marker: dict
    stats: ChunkStats


_PIPELINES: dict[NlpSettings, Language] = {}


def get_nlp(settings: NlpSettings) -> Language:
    """The pipeline for these settings, built on first use in this process."""
    nlp = _PIPELINES.get(settings)
    if nlp is None:
        from ..nlp import build_nlp

        nlp = build_nlp(settings.config, attribution_model=settings.attribution_model)
        nlp.max_length = max(nlp.max_length, settings.max_chars + 1)
        _PIPELINES[settings] = nlp
        # The loaded pipeline is about 250,000 long-lived objects: frozen, the collection run
        # after every chunk skips them (0.13 s -> well under 1 ms each).
        gc.freeze()
    return nlp


def release_nlp(settings: NlpSettings) -> None:
    if _PIPELINES.pop(settings, None) is not None:
        gc.unfreeze()
        collect_garbage()


def collect_garbage() -> None:
    """A full collection, then the freed heap handed back to the system (glibc's malloc_trim):
    otherwise the pages stay with the process, and what runs next (the next chunk, the
    cross-document step) adds to them instead of reusing them."""
    gc.collect()
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


def _glibc():
    import ctypes
    import ctypes.util

    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        return libc if hasattr(libc, "malloc_trim") else None
    except OSError:  # not glibc (macOS, musl): nothing to trim
        return None


_LIBC = _glibc()


def worker_pipeline_version(settings: NlpSettings) -> str:
    from ..nlp import pipeline_version

    return pipeline_version(get_nlp(settings))


def run_chunk(settings: NlpSettings, chunk: Chunk, version: str) -> ChunkResult:
    """The task every engine runs once per chunk."""
    rows = process_chunk(get_nlp(settings), chunk.documents, timeout=settings.timeout)
    # Processed Docs are reference cycles (extension attributes point back at them); left to
    # the collector's own schedule, dozens of chunks pile up and peak memory grows with the
    # corpus. One full collection per chunk is cheap once the pipeline is frozen (get_nlp).
    collect_garbage()
    rows["_signatures"] = signature_rows(rows["documents"], rows["mentions"])
    tables = {name: to_table(name, table_rows) for name, table_rows in rows.items()}
    return ChunkResult(chunk.chunk_id, tables, chunk_marker(chunk.chunk_id, chunk.documents, rows, version),
                       chunk_stats(rows))
