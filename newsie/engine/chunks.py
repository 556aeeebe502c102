"""Chunks: numbered in input order, minus the documents an earlier run already did.

Chunk ids are zero-padded numbers that continue after the highest committed chunk, given
in the order documents are read, never in the order workers finish: 1 worker, N workers
and Dask cut and number the same chunks, so they write the same part files and rows.

The last chunks of a run are smaller (`tapered`), so that the workers finish together
instead of one of them running the last full chunk alone.

Incremental runs: a document is skipped when a committed chunk holds it (same doc_id and
source_path) with the same content key and pipeline version, unless it failed in a way
worth retrying (timeout, pipeline bug, a worker that died) or `force` is set.
"""
from __future__ import annotations

import hashlib
from collections import deque
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

from ..io.readers import Document
from ..io.writer import CommittedDocument

RETRY_STAGES = {"nlp", "rows", "timeout", "worker"}
TAPER = 4  # the last chunks hold about a quarter of the documents still to cut
MIN_TAPERED = 4  # ... but no fewer than this many (or `size`, when that is smaller)


@dataclass
class Chunk:
    chunk_id: str
    documents: list[Document]


def document_key(d: Document) -> str:
    """Content key: the text's SHA-1, or for a document that could not be read, the reason
    (a file that is still broken is not retried; a fixed one is)."""
    if d.error is None:
        return d.content_sha1
    stage, message = d.error
    return hashlib.sha1(f"error\0{stage}\0{message}".encode("utf-8", "surrogatepass")).hexdigest()


def already_done(d: Document, committed: dict[tuple, CommittedDocument], version: str) -> bool:
    entry = committed.get((d.doc_id, d.source_path))
    return (entry is not None and not entry.retry and entry.pipeline_version == version
            and entry.key == document_key(d))


def plan_chunks(documents: Iterable[Document], committed: dict[tuple, CommittedDocument], version: str,
                chunk_size: int, first_number: int, force: bool = False,
                on_skip: Callable[[Document, CommittedDocument], None] | None = None) -> Iterator[Chunk]:
    def todo():
        for d in documents:
            if not force and already_done(d, committed, version):
                if on_skip is not None:
                    on_skip(d, committed[(d.doc_id, d.source_path)])
                continue
            yield d

    for number, docs in enumerate(tapered(todo(), chunk_size), start=first_number):
        yield Chunk(f"{number:08d}", docs)


def tapered(items: Iterable, size: int) -> Iterator[list]:
    """Chunks of `size` items, except at the end of the stream, where each chunk holds a
    TAPER-th of what is left (at least MIN_TAPERED): guided self-scheduling (Polychronopoulos
    & Kuck 1987, "Guided self-scheduling: a practical scheduling scheme for parallel
    supercomputers", IEEE Trans. Computers 36(12)). The end is seen through a window of
    TAPER * size items, so memory stays bounded. The cut depends on the items alone, never on
    the number of workers: every engine cuts and numbers the same chunks."""
    smallest = min(MIN_TAPERED, size)
    window: deque = deque()
    for item in items:
        window.append(item)
        if len(window) > TAPER * size:
            yield [window.popleft() for _ in range(size)]
    while window:
        n = min(size, max(smallest, -(-len(window) // TAPER)))
        if len(window) - n < smallest and len(window) <= size:  # no tiny chunk at the very end
            n = len(window)
        yield [window.popleft() for _ in range(n)]


def chunk_marker(chunk_id: str, documents: list[Document], tables: dict[str, list[dict]], version: str) -> dict:
    """The commit marker: which documents the chunk holds and how each one ended."""
    status = {(r["doc_id"], r["source_path"]): r["status"] for r in tables.get("documents", [])}
    retry = {(r["doc_id"] or "", r["source_path"]) for r in tables.get("errors", []) if r["stage"] in RETRY_STAGES}
    entries = []
    for d in documents:
        identity = (d.doc_id, d.source_path)
        entries.append([d.doc_id, d.source_path, document_key(d), status.get(identity, "error"), identity in retry])
    return {"chunk": chunk_id, "pipeline_version": version, "documents": entries}
