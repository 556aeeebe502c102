"""`newsie query OUT "SQL"`: read-only DuckDB SQL over a run's Parquet tables.

Each table folder under OUT becomes a view of the same name (documents, mentions,
attributions, claims, errors, figures). Only one SELECT / WITH / DESCRIBE / SHOW /
EXPLAIN statement is accepted, and after the views exist external access is switched
off (but for reading OUT itself) and the configuration locked, so COPY ... TO, ATTACH
or read_csv('/etc/...') fail.
"""
from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd

READ_ONLY_STARTS = ("select", "with", "describe", "show", "explain", "from", "summarize")
TABLE_NAMES = ("documents", "mentions", "attributions", "claims", "errors", "figures")


class QueryError(ValueError):
    """A statement the read-only query command refuses, or one DuckDB rejects."""


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
        raise QueryError(f"cannot parse SQL: {error}") from None


def connect(out_dir: Path) -> duckdb.DuckDBPyConnection:
    """An in-memory connection with one view per table folder, then locked down."""
    con = duckdb.connect(":memory:")
    folder = Path(out_dir).resolve().as_posix().replace("'", "''")
    # Views read lazily: keep OUT readable, everything else (and every write) off.
    con.execute(f"SET allowed_directories = ['{folder}/']")
    for name in _table_folders(Path(out_dir)):
        pattern = (Path(out_dir).resolve() / name / "*.parquet").as_posix().replace("'", "''")
        con.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{pattern}', union_by_name=true)")
    con.execute("SET enable_external_access = false")
    con.execute("SET lock_configuration = true")
    return con


def _table_folders(out_dir: Path) -> list[str]:
    return [name for name in TABLE_NAMES if any((out_dir / name).glob("*.parquet"))]


def run_query(out_dir: Path, sql: str) -> pd.DataFrame:
    """The query's result as a DataFrame (what the CLI prints)."""
    statement = check_read_only(sql)
    con = connect(out_dir)
    try:
        return con.execute(statement).fetchdf()
    except duckdb.Error as error:
        raise QueryError(str(error).splitlines()[0]) from None
    finally:
        con.close()


def print_query(out_dir: Path, sql: str) -> None:
    import typer
    from rich.console import Console
    from rich.table import Table

    try:
        frame = run_query(out_dir, sql)
    except QueryError as error:
        Console(stderr=True).print(f"[red]error:[/red] {error}", markup=True, highlight=False)
        raise typer.Exit(2)
    table = Table(*[str(c) for c in frame.columns], title=f"{len(frame)} rows", title_justify="left")
    for row in frame.itertuples(index=False):
        table.add_row(*[_cell(v) for v in row])
    Console(width=max(120, Console().width)).print(table)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return ""
    if isinstance(value, float):
        return f"{value:,.10g}"
    if isinstance(value, pd.Timestamp) and value == value.normalize():
        return value.date().isoformat()  # a DATE column: no 00:00:00
    return str(value)
