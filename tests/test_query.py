"""`newsie query`: DuckDB views over the tables, read-only."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

from newsie.cli import app
from newsie.query import QueryError, check_read_only, connect, run_query


@pytest.mark.parametrize("sql", ["SELECT 1", "with x as (select 1) select * from x", "DESCRIBE claims",
                                 "SHOW TABLES", "EXPLAIN SELECT 1", "  select 1;  "])
def test_read_only_statements_pass(sql):
    assert check_read_only(sql)


@pytest.mark.parametrize("sql", ["COPY claims TO '/tmp/x.csv'", "CREATE TABLE t AS SELECT 1", "DROP VIEW claims",
                                 "INSERT INTO t VALUES (1)", "ATTACH 'x.db'", "SELECT 1; SELECT 2",
                                 "INSTALL httpfs", "PRAGMA version"])
def test_everything_else_is_refused(sql):
    with pytest.raises(QueryError):
        check_read_only(sql)


def test_views_are_named_after_the_tables(seed_run):
    tables = set(run_query(seed_run, "SHOW TABLES")["name"])
    assert {"documents", "mentions", "attributions", "claims", "errors", "figures"} <= tables
    counts = run_query(seed_run, "SELECT doc_id, count(*) AS n FROM claims GROUP BY doc_id ORDER BY doc_id")
    assert len(counts) == 5 and counts.n.sum() > 20


def test_disputed_figures_query(seed_run):
    frame = run_query(seed_run, "SELECT figure_id, min_low, max_high FROM figures WHERE disputed AND event_type = 'casualties'")
    assert frame.min_low.tolist() == [1200] and frame.max_high.tolist() == [4000]


def test_figures_by_source_unnest(seed_run):
    frame = run_query(seed_run, "SELECT s.source, s.value FROM figures, UNNEST(sources) AS t(s) WHERE event_type = 'killed'")
    assert "National Intelligence Service" in set(frame.source)


@pytest.mark.parametrize("sql", ["SELECT * FROM read_csv('/etc/passwd')",
                                 "SELECT * FROM read_text('/etc/hostname')"])
def test_files_outside_the_run_cannot_be_read(seed_run, sql):
    with pytest.raises(QueryError, match="disabled"):
        run_query(seed_run, sql)


def test_settings_are_locked_on_the_connection(seed_run):
    import duckdb

    con = connect(seed_run)
    with pytest.raises(duckdb.Error):
        con.execute("SET enable_external_access = true")
    with pytest.raises(duckdb.Error):
        con.execute("COPY (SELECT 1) TO '/tmp/newsie-query-leak.csv'")
    con.close()


def test_cli_prints_a_table_and_refuses_writes(seed_run, tmp_path):
    runner = CliRunner()
    result = runner.invoke(app, ["query", str(seed_run), "SELECT doc_id, duplicate_of FROM documents ORDER BY doc_id"])
    assert result.exit_code == 0, result.output
    assert "uslive-nk-troops" in result.output and "ap-nk-additional-troops" in result.output
    target = tmp_path / "leak.csv"
    for sql in [f"COPY claims TO '{target}'", "CREATE TABLE t AS SELECT 1"]:
        result = runner.invoke(app, ["query", str(seed_run), sql])
        assert result.exit_code == 2
        assert "read-only" in result.output
    assert not target.exists()


# --- DuckDB's hints, NULL, wide rows, newsie.read: on a small hand-made run -------------------------

@pytest.fixture
def tiny_run(tmp_path):
    """OUT with a documents and a claims part written to the contract (no pipeline)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    from newsie.schema import TABLES

    def write(table: str, rows: list[dict]) -> None:
        schema = TABLES[table]
        columns = {name: [row.get(name) for row in rows] for name in schema.names}
        (tmp_path / table).mkdir()
        pq.write_table(pa.table(columns, schema=schema), tmp_path / table / "part-00000.parquet")

    write("documents", [{"doc_id": "a", "status": "ok", "published": dt.date(2025, 2, 27), "text": "x"},
                        {"doc_id": "b", "status": "ok", "published": None, "text": "y"}])
    write("claims", [{"doc_id": "a", "claim_id": "a-1", "quantity_text": "about 300", "value": 300.0,
                      "time_start": dt.date(2025, 1, 1)},
                     {"doc_id": "b", "claim_id": "b-1", "quantity_text": "dozens", "value": None}])
    return tmp_path


def test_a_misspelt_table_prints_duckdbs_suggestion(tiny_run):
    result = CliRunner().invoke(app, ["query", str(tiny_run), "SELECT * FROM claim"])
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    assert lines[0].startswith("error: Catalog Error: Table with name claim does not exist")
    assert 'Did you mean "claims"?' in lines[1:]
    assert any(line.startswith("LINE 1: SELECT * FROM claim") for line in lines)
    assert "^" in lines[-1]  # the caret under the fault, aligned as DuckDB printed it


def test_a_misspelt_column_lists_the_candidates(tiny_run):
    result = CliRunner().invoke(app, ["query", str(tiny_run), "SELECT quantity FROM claims", "--format", "csv"])
    assert result.exit_code == 2 and result.stdout == ""
    assert any(line.startswith("Candidate bindings:") and "quantity_text" in line for line in result.stderr.splitlines())


def test_nulls_print_as_null_and_wide_rows_one_column_per_line(tiny_run):
    runner = CliRunner()
    table = runner.invoke(app, ["query", str(tiny_run), "SELECT doc_id, value, published FROM claims "
                                "JOIN documents USING (doc_id) ORDER BY doc_id"])
    assert table.exit_code == 0, table.output
    assert "NULL" in table.stdout and "NaT" not in table.stdout and "nan" not in table.stdout.lower()
    lines = runner.invoke(app, ["query", str(tiny_run), "SELECT doc_id, value FROM claims ORDER BY doc_id",
                                "--format", "line"])
    assert lines.exit_code == 0, lines.output
    assert lines.stdout == "doc_id = a\n value = 300\n\ndoc_id = b\n value = NULL\n"


def test_read_gives_the_contracts_types(tiny_run):
    import pandas as pd

    import newsie

    documents = newsie.read(tiny_run, "documents")
    claims = newsie.read(tiny_run, "claims")
    assert pd.api.types.is_datetime64_any_dtype(documents["published"])
    assert pd.api.types.is_datetime64_any_dtype(claims["time_start"])
    assert documents["published"].dt.year.tolist()[0] == 2025 and pd.isna(documents["published"].iloc[1])
    assert claims["value"].tolist()[0] == 300.0 and pd.isna(claims["value"].iloc[1])
    with pytest.raises(ValueError, match="no table 'claim'"):
        newsie.read(tiny_run, "claim")
    assert newsie.read(tiny_run, "figures").empty
