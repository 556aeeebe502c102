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
