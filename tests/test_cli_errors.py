"""Mistakes a user makes at the command line: one `error:` line on stderr, exit code 2, no
traceback. Also `newsie query --format`, the undated-documents line of the run summary and
`newsie eval attribution` on a model folder."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections import Counter

import pandas as pd
import pytest
from typer.testing import CliRunner

from newsie.cli import _listed, _print_summary, app
from newsie.engine.local import MAX_LISTED_UNDATED, RunSummary, chunk_stats

from .conftest import CORPUS, ROOT

runner = CliRunner()


def assert_one_error_line(result, *fragments: str) -> str:
    assert result.exit_code == 2, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: "), lines[0]
    for fragment in fragments:
        assert fragment in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def no_pipeline(monkeypatch):
    """Fails the test if the run gets as far as building the engine (loading the pipeline)."""
    def refuse(*_args, **_kwargs):
        raise AssertionError("the pipeline was loaded")

    monkeypatch.setattr("newsie.engine.runner.make_engine", refuse)


# --- newsie run -------------------------------------------------------------------------------

def test_out_is_an_existing_file(tmp_path, no_pipeline):
    target = tmp_path / "tables.parquet"
    target.write_text("not a folder")
    result = runner.invoke(app, ["run", str(CORPUS), "--out", str(target)])
    assert_one_error_line(result, "--out", str(target), "is a file")
    assert target.read_text() == "not a folder"


def test_out_below_a_file(tmp_path, no_pipeline):
    target = tmp_path / "afile"
    target.write_text("x")
    result = runner.invoke(app, ["run", str(CORPUS), "--out", str(target / "out")])
    assert_one_error_line(result, str(target), "is a file")


def test_empty_folder_is_refused_before_the_pipeline_loads(tmp_path, no_pipeline):
    empty = tmp_path / "inbox"
    empty.mkdir()
    result = runner.invoke(app, ["run", str(empty), "--out", str(tmp_path / "out")])
    assert_one_error_line(result, "no documents", str(empty))
    assert not (tmp_path / "out").exists()


def test_folder_of_unsupported_files_is_refused(tmp_path, no_pipeline):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "story.pdf").write_bytes(b"%PDF-1.4")
    (inbox / "notes.docx").write_bytes(b"PK")
    (inbox / "manifest.csv").write_text("doc_id,published\nstory,not-a-date\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(inbox), "--out", str(tmp_path / "out")])
    line = assert_one_error_line(result, "no documents", ".txt")
    assert "(found 1 .docx, 1 .pdf)" in line
    assert not (tmp_path / "out").exists()


def test_empty_jsonl_file_is_refused(tmp_path, no_pipeline):
    feed = tmp_path / "feed.jsonl"
    feed.write_text("\n\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(feed), "--out", str(tmp_path / "out")])
    assert_one_error_line(result, "no documents", str(feed))


def test_the_errors_read_the_same_from_a_real_process(tmp_path):
    empty = tmp_path / "inbox"
    empty.mkdir()
    newsie = [sys.executable, "-c", "from newsie.cli import app; app()"]
    for args in (["run", str(empty), "--out", str(tmp_path / "out")],
                 ["query", str(empty), "SELECT 1"]):
        done = subprocess.run(newsie + args, capture_output=True, text=True, cwd=ROOT, timeout=300)
        assert done.returncode == 2, done.stderr
        lines = done.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("error: "), done.stderr
        assert done.stdout == ""


# --- newsie report / query on a folder without a run ----------------------------------------------

@pytest.mark.parametrize("make", ["missing", "empty", "other files"])
def test_report_and_query_need_a_run(tmp_path, make):
    out = tmp_path / "out"
    if make != "missing":
        out.mkdir()
    if make == "other files":
        (out / "documents").mkdir()  # a table folder without parts is no run either
        (out / "readme.txt").write_text("hello")
    html = tmp_path / "report.html"
    result = runner.invoke(app, ["report", str(out), "--html", str(html)])
    expected = "no such folder" if make == "missing" else "no run in"
    assert_one_error_line(result, expected, str(out))
    assert not html.exists()
    result = runner.invoke(app, ["query", str(out), "SELECT 1"])
    assert_one_error_line(result, expected, str(out))
    for fmt in ("csv", "json"):
        result = runner.invoke(app, ["query", str(out), "SELECT 1", "--format", fmt])
        assert_one_error_line(result, expected)
        assert result.stdout == ""


def assert_error_then_hints(result, *fragments: str) -> str:
    """`newsie query`: one `error:` line, then only DuckDB's own hint lines (no traceback)."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    first, *hints = result.stderr.strip().splitlines()
    assert first.startswith("error: "), first
    assert not any(line.startswith("error") for line in hints), hints
    for fragment in fragments:
        assert fragment in first, first
    return first


@pytest.mark.parametrize("sql", ["SELECT FROM WHERE (", "SELECT 'unterminated"])
def test_sql_that_does_not_parse_is_an_error_line(tmp_path, sql):
    result = runner.invoke(app, ["query", str(tmp_path), sql])
    assert_error_then_hints(result, "cannot parse SQL")


def test_unknown_format_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["query", str(tmp_path), "SELECT 1", "--format", "xml"])
    assert result.exit_code == 2
    assert "Traceback" not in result.output


# --- the undated line of the summary ---------------------------------------------------------------

def _documents(n_undated: int, n_dated: int = 2) -> dict:
    rows = [{"doc_id": f"u{i}", "status": "ok", "published": None} for i in range(n_undated)]
    rows += [{"doc_id": f"d{i}", "status": "ok", "published": "2025-01-01"} for i in range(n_dated)]
    rows.append({"doc_id": "broken", "status": "error", "published": None})  # failed: not counted
    return {"documents": rows}


def test_chunk_stats_keep_the_first_undated_ids():
    stats = chunk_stats(_documents(7))
    assert stats.undated == 7
    assert stats.undated_ids == [f"u{i}" for i in range(MAX_LISTED_UNDATED)]


def test_summary_keeps_counting_after_the_listed_ids():
    summary = RunSummary()
    summary.add(_documents(3))
    summary.add({"documents": [{"doc_id": f"v{i}", "status": "ok", "published": None} for i in range(4)]})
    assert summary.undated == 7
    assert summary.undated_ids == ["u0", "u1", "u2", "v0", "v1"]


def test_listed_names():
    assert _listed(["a", "b"], 2) == "a, b"
    assert _listed(["a", "b", "c", "d", "e"], 12) == "a, b, c, d, e and 7 more"


def test_summary_line_names_the_undated_documents(capsys, tmp_path):
    summary = RunSummary(documents=9, undated=8, undated_ids=["alpha", "beta", "[gamma]", "delta", "eps"],
                         failures_by_reason=Counter())
    _print_summary(summary, tmp_path)
    text = " ".join(capsys.readouterr().err.split())
    assert "8 document(s) without a publication date (alpha, beta, [gamma], delta, eps and 3 more;" in text


@pytest.mark.slow
def test_a_real_run_names_its_undated_documents(tmp_path, seed_run):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(7):
        (inbox / f"note-{i}.txt").write_text(f"Officials said {i + 2} people were hurt in the fire.\n", encoding="utf-8")
    (inbox / "dated.txt").write_text("2025-01-02\nPolice said 4 people were arrested.\n", encoding="utf-8")
    result = runner.invoke(app, ["run", str(inbox), "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    text = " ".join(result.stderr.split())
    assert ("7 document(s) without a publication date (note-0, note-1, note-2, note-3, note-4 and 2 more;"
            in text), text
    assert "dated" not in text.split("without a publication date")[1].split(";")[0]


# --- newsie query --format on the seed run -------------------------------------------------------

@pytest.mark.slow
def test_csv_has_a_header_and_full_values(seed_run):
    result = runner.invoke(app, ["query", str(seed_run), "SELECT doc_id, published, text FROM documents ORDER BY doc_id",
                                 "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.stdout), keep_default_na=False)
    documents = pd.read_parquet(seed_run / "documents").sort_values("doc_id").reset_index(drop=True)
    assert list(frame.columns) == ["doc_id", "published", "text"]
    assert frame.doc_id.tolist() == documents.doc_id.tolist()
    assert frame.text.tolist() == documents.text.tolist()  # whole articles, not cut to a column width
    assert max(len(t) for t in frame.text) > 1000
    assert "2025-02-27" in set(frame.published)  # a date, not a timestamp
    assert "─" not in result.stdout and "rows" not in result.stdout.splitlines()[0]


@pytest.mark.slow
def test_json_lines_one_object_per_row(seed_run):
    sql = "SELECT figure_id, disputed, min_low, sources FROM figures ORDER BY figure_id"
    result = runner.invoke(app, ["query", str(seed_run), sql, "--format", "json"])
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in result.stdout.splitlines()]
    figures = pd.read_parquet(seed_run / "figures")
    assert len(records) == len(figures) > 0
    assert set(records[0]) == {"figure_id", "disputed", "min_low", "sources"}
    assert [r["figure_id"] for r in records] == sorted(figures.figure_id)
    disputed = [r for r in records if r["disputed"]]
    assert disputed and all(isinstance(r["disputed"], bool) for r in records)
    sources = disputed[0]["sources"]
    assert isinstance(sources, list) and isinstance(sources[0], dict) and "source" in sources[0]


@pytest.mark.slow
def test_csv_writes_lists_as_json_and_nulls_as_empty(seed_run):
    sql = "SELECT figure_id, sources, NULL AS nothing FROM figures ORDER BY figure_id LIMIT 3"
    result = runner.invoke(app, ["query", str(seed_run), sql, "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len(rows) == 3
    assert all(row["nothing"] == "" for row in rows)
    assert isinstance(json.loads(rows[0]["sources"]), list)


@pytest.mark.slow
@pytest.mark.parametrize("fmt", ["table", "csv", "json"])
@pytest.mark.parametrize("sql, fragment", [("SELECT no_such_column FROM claims", "no_such_column"),
                                           ("SELECT * FROM no_such_table", "no_such_table"),
                                           ("SELECT CAST('x' AS INTEGER)", "x")])
def test_bad_sql_is_an_error_line_then_duckdbs_hints(seed_run, fmt, sql, fragment):
    result = runner.invoke(app, ["query", str(seed_run), sql, "--format", fmt])
    assert_error_then_hints(result, fragment)
    assert result.stdout == ""


# --- newsie eval attribution on a model folder --------------------------------------------------------

EASY = '"We counted 40 trucks," the mayor said.'


def _span(text: str, fragment: str) -> list[int]:
    start = text.index(fragment)
    return [start, start + len(fragment)]


@pytest.fixture
def easy_gold(tmp_path):
    record = {"id": "mayor", "text": EASY, "attributions": [
        {"source": [_span(EASY, "the mayor")], "cue": [_span(EASY, "said")],
         "content": [_span(EASY, "We counted 40 trucks")]}]}
    path = tmp_path / "gold.jsonl"
    path.write_text(json.dumps(record) + "\n", encoding="utf-8")
    return path


def _scores(output: str) -> dict[str, list[float]]:
    rows = {}
    for line in output.splitlines():
        parts = line.split()
        if parts and parts[0] in {"source", "cue", "content", "link"} and parts[1] != "set":  # not 'content set'
            rows[parts[0]] = [float(x) for x in parts[1:]]
    return rows


@pytest.mark.slow
def test_eval_runs_the_model_behind_the_base_pipeline(easy_gold):
    result = runner.invoke(app, ["eval", "attribution", str(ROOT / "models" / "attribution"), "--gold", str(easy_gold)])
    assert result.exit_code == 0, result.output
    scores = _scores(result.stdout)
    assert set(scores) == {"source", "cue", "content", "link"}
    assert scores["source"][2] > 0 and scores["cue"][2] > 0  # exact F1
    assert scores["content"][5] > 0  # overlap F1
    assert scores["link"][2] > 0


def test_eval_needs_a_gold_file_and_something_to_score(tmp_path, easy_gold):
    result = runner.invoke(app, ["eval", "attribution", str(ROOT / "models" / "attribution"),
                                 "--gold", str(tmp_path / "missing.jsonl")])
    assert_one_error_line(result, "gold attributions not found")
    result = runner.invoke(app, ["eval", "attribution", str(tmp_path), "--gold", str(easy_gold)])
    assert_one_error_line(result, "not a run's output folder")


def test_attribution_model_by_the_name_of_a_shipped_one(tmp_path, monkeypatch):
    from pathlib import Path

    from newsie.engine.runner import RunError, shipped_model
    from newsie.paths import MODELS

    monkeypatch.chdir(tmp_path)  # no folder of that name here
    assert shipped_model(Path("attribution")) == MODELS / "attribution"
    with pytest.raises(RunError, match="no attribution model in no-such-model"):
        shipped_model(Path("no-such-model"))
    (tmp_path / "attribution").mkdir()  # a folder of the user's own wins over the shipped name
    (tmp_path / "attribution" / "config.cfg").write_text("")
    assert shipped_model(Path("attribution")) == Path("attribution")
    result = runner.invoke(app, ["run", str(CORPUS), "--out", str(tmp_path / "o"), "--attribution-model", "no-such-model"])
    assert_one_error_line(result, "no attribution model in no-such-model")


def test_a_repository_only_model_says_where_it_is(tmp_path, monkeypatch):
    from newsie.engine.runner import RunError, shipped_model

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("newsie.paths.MODELS", tmp_path / "installed")  # a wheel's models: not the MiniLM one
    with pytest.raises(RunError, match="not in this install.*models/attribution-minilm"):
        shipped_model("attribution-minilm")


@pytest.mark.parametrize("line, message", [
    ("not json", "line 2: not JSON"),
    ('["a list"]', 'line 2: not an article'),
    ('{"id": "x", "attributions": []}', 'line 2: not an article'),
])
def test_attribution_commands_name_the_line_that_is_not_an_article(tmp_path, line, message):
    good = json.dumps({"id": "a", "text": "Officials said costs rose.", "attributions": []})
    bad = tmp_path / "bad.jsonl"
    bad.write_text(good + "\n" + line + "\n", encoding="utf-8")
    model = ROOT / "models" / "attribution"
    commands = [
        ["eval", "attribution", str(model), "--gold", str(bad)],
        ["train", "span-costs", str(model), "--dev", str(bad)],
        ["train", "attribution", "--train", str(bad), "--dev", str(bad), "--output", str(tmp_path / "m")],
    ]
    for command in commands:
        result = CliRunner().invoke(app, command)
        assert result.exit_code == 2, (command, result.output)
        assert message in " ".join(result.output.split()) and "Traceback" not in result.output
    assert not (tmp_path / "m").exists()


# --- conventions: --version, -h, metavars, examples, info, report's default ---------------------

def test_version_help_and_info():
    from newsie import __version__

    assert runner.invoke(app, ["--version"]).stdout.strip() == f"newsie {__version__}"
    for command in (["run"], ["query"], ["report"], ["info"], ["eval", "claims"], ["train", "attribution"]):
        result = runner.invoke(app, [*command, "-h"], env={"COLUMNS": "200"})
        assert result.exit_code == 0, result.output
        assert "Example: newsie " + " ".join(command) in " ".join(result.stdout.split())
        assert "<" not in result.stdout.split("Usage:")[1].splitlines()[0]  # no <list[Path]> or {inputs}
    usage = " ".join(runner.invoke(app, ["run", "-h"], env={"COLUMNS": "200"}).stdout.split())
    assert " run [OPTIONS] INPUT... " in usage and " DIR " in usage and " YYYY-MM-DD " in usage
    info = runner.invoke(app, ["info"])
    assert info.exit_code == 0 and info.stdout.split()[:2] == ["newsie", __version__]
    assert "rewrites" in info.stdout and "models" in info.stdout


def test_python_dash_m_newsie():
    done = subprocess.run([sys.executable, "-m", "newsie", "--version"], capture_output=True, text=True, cwd=ROOT,
                          timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("newsie "), done.stderr


@pytest.mark.slow
def test_report_writes_out_report_html_by_default(seed_run, tmp_path):
    import shutil

    out = tmp_path / "out"
    shutil.copytree(seed_run, out)
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    assert (out / "report.html").stat().st_size > 1000
