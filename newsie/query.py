"""`newsie query OUT "SQL"`: read-only DuckDB SQL over a run's Parquet tables.

Each table folder under OUT becomes a view of the same name (documents, mentions,
attributions, claims, errors, figures). Only one SELECT / WITH / DESCRIBE / SHOW /
EXPLAIN statement is accepted, and after the views exist external access is switched
off (but for reading OUT itself) and the configuration locked, so COPY ... TO, ATTACH
or read_csv('/etc/...') fail.

Output formats (--format): `table` (a rich table for reading, long values cut to fit, NULL
as NULL), `line` (one `column = value` per line, a blank line between rows: for wide rows, as
DuckDB's `.mode line`), `csv` (a header row, then one row per result row, full values) and
`json` (JSON lines: one object per result row, column name -> value, full values). In csv and
json, lists and structs are JSON, dates ISO 8601, NULL an empty cell (csv) or null (json).

A statement DuckDB rejects is one `error:` line, then DuckDB's own hints as it prints them
("Did you mean "claims"?", candidate columns, the statement with a caret under the fault).

`read_table` is `newsie.read`: a whole table as a DataFrame with the contract's types.
"""
from __future__ import annotations

import csv
import datetime as dt
import decimal
import json
import math
import uuid
from pathlib import Path
from typing import IO, Iterator

import duckdb
import pandas as pd

READ_ONLY_STARTS = ("select", "with", "describe", "show", "explain", "from", "summarize")
TABLE_NAMES = ("documents", "mentions", "attributions", "claims", "errors", "figures")
FORMATS = ("table", "line", "csv", "json")
WIDE_COLUMNS = 8  # a table result with more columns ends with a hint at --format line
FETCH_ROWS = 10_000  # rows fetched at a time for csv/json, so a large result streams


class QueryError(ValueError):
    """A statement the read-only query command refuses, or one DuckDB rejects (`hints`: the
    lines of DuckDB's message after the first)."""

    def __init__(self, message: str, hints: list[str] | None = None):
        super().__init__(message)
        self.hints = hints or []


def check_read_only(sql: str) -> str:
    statements = [s for s in _split_statements(sql) if s.strip()]
    if len(statements) != 1:
        raise QueryError(f"one statement please, got {len(statements)}")
    statement = statements[0].strip()
    first = statement.split(None, 1)[0].lower() if statement else ""
    if first not in READ_ONLY_STARTS:
        raise QueryError(f"read-only: only SELECT, WITH, DESCRIBE, SHOW or EXPLAIN, not {first.upper()!r}")
    return statement


def _split_statements(sql: str) -> list[str]:
    try:
        return [s.query for s in duckdb.extract_statements(sql)]
    except duckdb.Error as error:
        raise _duckdb_error(error, "cannot parse SQL: ") from None


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with one view per table folder, then locked down."""
    con = duckdb.connect(":memory:")
    folder = Path(out_dir).resolve().as_posix().replace("'", "''")
    # Views read lazily: keep OUT readable, everything else (and every write) off.
    con.execute(f"SET allowed_directories = ['{folder}/']")
    for name in table_folders(Path(out_dir)):
        pattern = (Path(out_dir).resolve() / name / "*.parquet").as_posix().replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{pattern}', union_by_name=true)")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def table_folders(out_dir: Path) -> list[str]:
    """The tables a run wrote under OUT (folders holding Parquet parts)."""
    return [name for name in TABLE_NAMES if any((Path(out_dir) / name).glob("*.parquet"))]


def check_run(out_dir: Path) -> None:
    """QueryError unless OUT holds a run's tables."""
    out_dir = Path(out_dir)
    if not out_dir.exists():
        raise QueryError(f"no such folder: {out_dir}")
    if not out_dir.is_dir():
        raise QueryError(f"not a folder: {out_dir} (give a run's output folder, the --out of `newsie run`)")
    if not table_folders(out_dir):
        raise QueryError(f"no run in {out_dir}: none of the tables {', '.join(TABLE_NAMES)} "
                         "(write them with `newsie run INPUTS --out OUT`)")


def _duckdb_error(error: Exception, prefix: str = "") -> QueryError:
    """DuckDB's first line as the message, its other lines (hints, the caret) kept as it wrote them."""
    lines = str(error).splitlines()
    head = " ".join(lines[0].split()) if lines else ""
    return QueryError(prefix + (head or type(error).__name__), [line.rstrip() for line in lines[1:] if line.strip()])


def read_table(out_dir: Path, table: str) -> pd.DataFrame:
    """One table of a run, typed by the contract (newsie/schema.py): dates as datetime64,
    lists and structs as Python objects."""
    import pyarrow.dataset as ds

    from .schema import CROSSDOC_TABLES, TABLES

    schemas = {name: schema for name, schema in {**TABLES, **CROSSDOC_TABLES}.items() if not name.startswith("_")}
    if table not in schemas:
        raise ValueError(f"no table {table!r}: the tables are {', '.join(schemas)}")
    check_run(out_dir)
    parts = sorted((Path(out_dir) / table).glob("*.parquet"))
    if not parts:
        return schemas[table].empty_table().to_pandas(date_as_object=False)
    return ds.dataset([str(p) for p in parts], format="parquet", schema=schemas[table]).to_table().to_pandas(
        date_as_object=False)


def run_query(out_dir: Path, sql: str) -> pd.DataFrame:
    """The query's result as a DataFrame (what the CLI prints as a table)."""
    statement = check_read_only(sql)
    check_run(out_dir)
    con = connect(out_dir)
    try:
        return con.execute(statement).fetchdf()
    except duckdb.Error as error:
        raise _duckdb_error(error) from None
    finally:
        con.close()


def query_rows(out_dir: Path, sql: str) -> tuple[list[str], Iterator[tuple]]:
    """The result's column names and its rows as Python values (dates, lists, dicts...),
    fetched a batch at a time. The first batch is fetched here, so errors DuckDB finds
    while running the statement surface as QueryError before anything is printed."""
    statement = check_read_only(sql)
    check_run(out_dir)
    con = connect(out_dir)
    try:
        result = con.execute(statement)
        columns = [d[0] for d in result.description or []]
        first = result.fetchmany(FETCH_ROWS)
    except duckdb.Error as error:
        con.close()
        raise _duckdb_error(error) from None

    def rows() -> Iterator[tuple]:
        try:
            batch = first
            while batch:
                yield from batch
                batch = result.fetchmany(FETCH_ROWS)
        except duckdb.Error as error:
            raise _duckdb_error(error) from None
        finally:
            con.close()

    return columns, rows()


def write_rows(columns: list[str], rows: Iterator[tuple], fmt: str, stream: IO[str]) -> None:
    """csv: header, then rows; json: JSON lines, one object per row."""
    if fmt == "csv":
        writer = csv.writer(stream, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(v) for v in row])
    elif fmt == "json":
        for row in rows:
            record = dict(zip(columns, (_plain(v) for v in row)))
            stream.write(json.dumps(record, ensure_ascii=False, allow_nan=False) + "\n")
    else:
        raise ValueError(f"unknown format {fmt!r} ({', '.join(FORMATS)})")


def _plain(value):
    """A value as JSON can hold it: dates as ISO text, NaN as null, decimals as numbers."""
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, (bytes, bytearray, memoryview)):
        return bytes(value).hex()
    if isinstance(value, (uuid.UUID, dt.timedelta)):
        return str(value)
    return str(value)


def _csv_cell(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def print_query(out_dir: Path, sql: str, fmt: str = "table") -> None:
    """Print the result to stdout in `fmt` (table, line, csv, json); a refused or failing
    statement is one `error:` line on stderr, then DuckDB's hints, and exit code 2."""
    import sys

    import typer
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    try:
        if fmt in ("csv", "json"):
            columns, rows = query_rows(out_dir, sql)
            write_rows(columns, rows, fmt, sys.stdout)
            return
        frame = run_query(out_dir, sql)
    except QueryError as error:
        stderr = Console(stderr=True)
        stderr.print(f"[red]error:[/red] {escape(str(error))}", markup=True, highlight=False, soft_wrap=True)
        for hint in error.hints:
            stderr.print(hint, markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2)
    if fmt == "line":
        write_lines(frame, sys.stdout)
        return
    table = Table(*[str(c) for c in frame.columns], title=f"{len(frame)} rows", title_justify="left")
    for row in frame.itertuples(index=False):
        table.add_row(*[escape(_cell(v)) for v in row])
    console = Console(width=max(120, Console().width))
    console.print(table)
    if len(frame.columns) > WIDE_COLUMNS:
        console.print(f"{len(frame.columns)} columns: --format line prints one per line", style="dim")


def write_lines(frame: pd.DataFrame, stream: IO[str]) -> None:
    """`column = value`, one per line, names aligned, a blank line between rows."""
    width = max((len(str(c)) for c in frame.columns), default=0)
    for number, row in enumerate(frame.itertuples(index=False)):
        if number:
            stream.write("\n")
        for column, value in zip(frame.columns, row):
            stream.write(f"{str(column):>{width}} = {_cell(value)}\n")


def _cell(value) -> str:
    """A value for reading: NULL for a missing one (None, NaN, NaT), dates without 00:00:00."""
    if value is None or value is pd.NaT or (not hasattr(value, "__len__") and pd.isna(value)):
        return "NULL"
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()  # a DATE column: no 00:00:00
    return str(value)
