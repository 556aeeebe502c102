"""Reading a run's Parquet parts and rewriting them in place, atomically.

A run's table is a folder of parts (OUT/<table>/part-*.parquet, see io/writer.py). The
cross-document step updates a few columns of existing parts: each changed part is written
to a hidden temporary file in the same folder (readers skip names starting with ".") and
renamed over the old one with os.replace, so a reader never sees half a file. Parts whose
values do not change are left untouched, which keeps a second finalize a no-op.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

import pyarrow as pa
import pyarrow.parquet as pq


def part_paths(out_dir: Path, table: str) -> list[Path]:
    return sorted((Path(out_dir) / table).glob("part-*.parquet"))


def write_atomic(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(table, tmp, compression="zstd")
    os.replace(tmp, path)


RowUpdate = Callable[[dict], object]


def update_column(out_dir: Path, table: str, column: str, new_value: RowUpdate,
                  columns: tuple[str, ...] | None = None) -> int:
    """Set `column` to new_value(row) in every part; rewrite only the parts that change.
    `row` holds only `columns` (default: all) as Python values; one part is in memory at a
    time, so memory does not grow with the run.

    Returns how many parts were rewritten."""
    rewritten = 0
    for path in part_paths(out_dir, table):
        part = pq.read_table(path)
        view = part.select(list(columns)) if columns else part
        old = part.column(column).to_pylist()
        new = [new_value(row) for row in view.to_pylist()]
        if new == old:
            continue
        field = part.schema.field(column)
        updated = part.set_column(part.schema.get_field_index(column), field, pa.array(new, type=field.type))
        write_atomic(updated, path)
        rewritten += 1
    return rewritten


def read_columns(out_dir: Path, table: str, columns: list[str], filters=None) -> pa.Table:
    """Only these columns of every part (and only the rows `filters` keeps, pyarrow's
    filter syntax), as one Arrow table; empty when the folder has none."""
    parts = [pq.read_table(path, columns=columns, filters=filters) for path in part_paths(out_dir, table)]
    parts = [p for p in parts if p.num_rows]
    if not parts:
        from ..schema import TABLES

        schema = TABLES[table]
        return pa.table({c: pa.array([], type=schema.field(c).type) for c in columns})
    return pa.concat_tables(parts, promote_options="default")


def read_rows(out_dir: Path, table: str) -> list[dict]:
    """All parts of a table as Python rows (dates as datetime.date, nulls as None)."""
    rows: list[dict] = []
    for path in part_paths(out_dir, table):
        rows.extend(pq.read_table(path).to_pylist())
    return rows
