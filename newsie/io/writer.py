"""Parquet part files, one per table per chunk, committed atomically; the output lock.

Layout: OUT/<table>/part-<chunk>.parquet for every table in `schema.TABLES`. Each file is
written under a hidden temporary name (pyarrow and DuckDB skip names starting with "." or
"_") and renamed into place; a chunk is committed when its marker OUT/_chunks/<chunk>.json
exists. The marker lists the chunk's documents (doc_id, source_path, content key, status)
and the pipeline version, which is what incremental runs compare against.

Crash safety: `recover()` runs before every run. It deletes part files of chunks that have
no marker (a run killed between the parts and the marker) and temporary files, and, when a
document is committed in two chunks (a run killed between committing a reprocessed
document and dropping its older rows), keeps the newest chunk's rows. So a run killed at any
moment and started again ends with the same tables, nothing lost, nothing doubled.
"""
from __future__ import annotations

import fcntl
import json
import os
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..schema import TABLES

CHUNKS_DIR = "_chunks"
LOCK_NAME = ".newsie.lock"
# Tables keyed by document only (no source_path column): rows of an ok document.
NLP_TABLES = ("mentions", "attributions", "claims", "_signatures")  # rows of processed documents only


def to_table(name: str, rows: list[dict]) -> pa.Table:
    schema = TABLES[name]
    columns = {field.name: [row.get(field.name) for row in rows] for field in schema}
    return pa.Table.from_pydict(columns, schema=schema)


def _atomic_write_table(table: pa.Table, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


def _atomic_write_text(text: str, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


@dataclass(frozen=True)
class CommittedDocument:
    """One document as recorded in a chunk marker."""
    doc_id: str
    source_path: str | None
    key: str | None        # content key: same key and pipeline version = nothing to redo
    status: str
    retry: bool            # failed in a way worth retrying (timeout, pipeline bug)
    chunk_id: str
    pipeline_version: str | None

    @property
    def identity(self) -> tuple[str, str | None]:
        return (self.doc_id, self.source_path)


class OutputLocked(RuntimeError):
    pass


class OutputLock:
    """An exclusive flock on OUT/.newsie.lock for the whole run: a second run on the same
    output directory is refused instead of interleaving its chunks with ours."""

    def __init__(self, out_dir: Path):
        self.path = Path(out_dir) / LOCK_NAME
        self._fh = None

    def __enter__(self) -> "OutputLock":
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fh = open(self.path, "a+", encoding="utf-8")
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            fh.close()
            raise OutputLocked(f"another newsie run (pid {holder}) is writing to {self.path.parent}; "
                               "wait for it to finish or choose another --out") from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        self._fh = fh
        return self

    def __exit__(self, *exc) -> None:
        if self._fh is not None:
            fcntl.flock(self._fh, fcntl.LOCK_UN)
            self._fh.close()
            self._fh = None


class PartWriter:
    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        for name in TABLES:
            (self.out_dir / name).mkdir(parents=True, exist_ok=True)
        (self.out_dir / CHUNKS_DIR).mkdir(parents=True, exist_ok=True)

    # --- writing ---------------------------------------------------------------------

    def write_chunk(self, chunk_id: str, tables: dict[str, list[dict] | pa.Table], manifest: dict) -> None:
        """Write every table's part for this chunk, then the commit marker."""
        for name in TABLES:
            table = tables.get(name, [])
            if not isinstance(table, pa.Table):
                table = to_table(name, table)
            _atomic_write_table(table, self._part(name, chunk_id))
        _atomic_write_text(json.dumps(manifest, sort_keys=True), self._marker(chunk_id))

    def remove_chunk(self, chunk_id: str) -> None:
        # The marker goes first: a crash half-way leaves orphan parts, which recover() removes.
        self._marker(chunk_id).unlink(missing_ok=True)
        for name in TABLES:
            self._part(name, chunk_id).unlink(missing_ok=True)

    def drop_documents(self, chunk_id: str, identities: set[tuple[str, str | None]]) -> None:
        """Rewrite a committed chunk without these documents (they were reprocessed elsewhere).
        Each part is replaced atomically and the marker last, so a crash half-way leaves the
        document in two chunks, which recover() resolves the same way."""
        if not self._marker(chunk_id).exists():
            return
        manifest = json.loads(self._marker(chunk_id).read_text(encoding="utf-8"))
        entries = manifest.get("documents", [])
        kept = [e for e in entries if (e[0], e[1]) not in identities]
        if not kept:
            self.remove_chunk(chunk_id)
            return
        ok_ids = {e[0] for e in entries if (e[0], e[1]) in identities and e[3] == "ok"}
        for name in TABLES:
            path = self._part(name, chunk_id)
            if path.exists():
                _atomic_write_table(_without(name, pq.read_table(path), identities, ok_ids), path)
        manifest["documents"] = kept
        _atomic_write_text(json.dumps(manifest, sort_keys=True), self._marker(chunk_id))

    # --- reading the state -------------------------------------------------------------

    def committed(self) -> dict[str, dict]:
        """chunk_id -> its commit manifest, for every chunk fully written."""
        done = {}
        for marker in sorted((self.out_dir / CHUNKS_DIR).glob("*.json")):
            done[marker.stem] = json.loads(marker.read_text(encoding="utf-8"))
        return done

    def committed_documents(self) -> dict[tuple[str, str | None], CommittedDocument]:
        """(doc_id, source_path) -> where and how it was committed (the newest chunk wins)."""
        index: dict[tuple[str, str | None], CommittedDocument] = {}
        for chunk_id, manifest in self.committed().items():
            for doc_id, source_path, key, status, retry in manifest.get("documents", []):
                index[(doc_id, source_path)] = CommittedDocument(
                    doc_id, source_path, key, status, retry, chunk_id, manifest.get("pipeline_version"))
        return index

    def next_chunk_number(self) -> int:
        numbers = [int(c) for c in self.committed() if c.isdigit()]
        return max(numbers) + 1 if numbers else 0

    # --- recovery ------------------------------------------------------------------------

    def recover(self) -> list[str]:
        """Bring the directory back to a committed state; returns what was repaired."""
        repaired = self._remove_temporary_files()
        committed = self.committed()
        for chunk_id in sorted(committed):
            if not _is_current_marker(committed[chunk_id]):
                self.remove_chunk(chunk_id)
                repaired.append(f"removed chunk {chunk_id} written by an older newsie (it will be redone)")
        committed = self.committed()
        repaired += self._remove_orphan_parts(set(committed))
        repaired += self._drop_doubled_documents(committed)
        return repaired

    def _remove_temporary_files(self) -> list[str]:
        removed = []
        for name in [*TABLES, CHUNKS_DIR]:
            for tmp in (self.out_dir / name).glob(".*.tmp"):
                tmp.unlink(missing_ok=True)
                removed.append(f"removed temporary file {tmp.name}")
        return removed

    def _remove_orphan_parts(self, committed: set[str]) -> list[str]:
        orphans = set()
        for name in TABLES:
            for part in (self.out_dir / name).glob("part-*.parquet"):
                chunk_id = part.stem[len("part-"):]
                if chunk_id not in committed:
                    part.unlink(missing_ok=True)
                    orphans.add(chunk_id)
        return [f"removed uncommitted chunk {c} (the run was interrupted while writing it)" for c in sorted(orphans)]

    def _drop_doubled_documents(self, committed: dict[str, dict]) -> list[str]:
        newest: dict[tuple, str] = {}
        older: dict[str, set] = {}
        for chunk_id in sorted(committed):  # chunk numbers grow with time: later wins
            for entry in committed[chunk_id].get("documents", []):
                identity = (entry[0], entry[1])
                if identity in newest:
                    older.setdefault(newest[identity], set()).add(identity)
                newest[identity] = chunk_id
        for chunk_id, identities in sorted(older.items()):
            self.drop_documents(chunk_id, identities)
        return [f"dropped {len(ids)} superseded document(s) from chunk {c}" for c, ids in sorted(older.items())]

    def _part(self, name: str, chunk_id: str) -> Path:
        return self.out_dir / name / f"part-{chunk_id}.parquet"

    def _marker(self, chunk_id: str) -> Path:
        return self.out_dir / CHUNKS_DIR / f"{chunk_id}.json"


def _is_current_marker(manifest: dict) -> bool:
    entries = manifest.get("documents", [])
    return "pipeline_version" in manifest and all(isinstance(e, list) and len(e) == 5 for e in entries)


def _without(name: str, table: pa.Table, identities: set, ok_ids: set) -> pa.Table:
    """The table minus the rows of the given documents."""
    if name in NLP_TABLES:
        if not ok_ids:
            return table
        return table.filter(pc.invert(pc.is_in(table["doc_id"], pa.array(sorted(ok_ids), pa.string()))))
    row_keys = pc.binary_join_element_wise(pc.fill_null(table["doc_id"], ""), pc.fill_null(table["source_path"], "None"), "\0")
    keys = [f"{doc_id or ''}\0{path if path is not None else 'None'}" for doc_id, path in identities]
    return table.filter(pc.invert(pc.is_in(row_keys, pa.array(keys, pa.string()))))
