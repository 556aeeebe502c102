"""Parquet part files, one per table per chunk, committed atomically.

Layout: OUT/<table>/part-<chunk>.parquet for every table in `schema.TABLES`. Each file is
written under a hidden temporary name (pyarrow and DuckDB skip names starting with "." or
"_") and renamed into place; a chunk is committed when its marker OUT/_chunks/<chunk>.json
exists. Re-running a chunk overwrites its own parts, so a run killed at any moment and
started again ends with the same tables, nothing doubled.
"""
from __future__ import annotations

import json
import os
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ..schema import TABLES

CHUNKS_DIR = "_chunks"


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


class PartWriter:
    def __init__(self, out_dir: Path):
        self.out_dir = Path(out_dir)
        for name in TABLES:
            (self.out_dir / name).mkdir(parents=True, exist_ok=True)
        (self.out_dir / CHUNKS_DIR).mkdir(parents=True, exist_ok=True)

    def write_chunk(self, chunk_id: str, tables: dict[str, list[dict]], manifest: dict) -> None:
        """Write every table's part for this chunk, then the commit marker."""
        for name in TABLES:
            _atomic_write_table(to_table(name, tables.get(name, [])), self.out_dir / name / f"part-{chunk_id}.parquet")
        _atomic_write_text(json.dumps(manifest, sort_keys=True), self.out_dir / CHUNKS_DIR / f"{chunk_id}.json")

    def committed(self) -> dict[str, dict]:
        """chunk_id -> its commit manifest, for every chunk fully written."""
        done = {}
        for marker in sorted((self.out_dir / CHUNKS_DIR).glob("*.json")):
            done[marker.stem] = json.loads(marker.read_text(encoding="utf-8"))
        return done

    def remove_chunk(self, chunk_id: str) -> None:
        for name in TABLES:
            (self.out_dir / name / f"part-{chunk_id}.parquet").unlink(missing_ok=True)
        (self.out_dir / CHUNKS_DIR / f"{chunk_id}.json").unlink(missing_ok=True)
