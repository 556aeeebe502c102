"""The closing summary of `newsie run` is read from the final tables, after the
cross-document step: a source named two ways in two documents is one row."""
from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsie.cli import app
from newsie.engine.runner import make_engine, run_pipeline
from newsie.engine.worker import NlpSettings
from newsie.io.readers import read_documents
from newsie.paths import RULES_CONFIG


# The agency is defined with its acronym in one report and named by the acronym alone in the
# other; the minister is named in full in one and by surname in the other.
FIRST = """2025-03-04
Storm leaves fishing fleet stranded

The Coastal Rescue Agency (CRA) said on Tuesday that 14 fishermen were still missing after the storm.

Health Minister Ana Ferreira said 120 people had been treated for injuries in the port town.
"""
SECOND = """2025-03-05
Rescuers find missing fishermen

The CRA said 11 fishermen were rescued overnight from a drifting trawler.

Ferreira said 35 people were still in hospital on Wednesday.
"""


@pytest.fixture
def storm(tmp_path) -> Path:
    inbox = tmp_path / "storm"
    inbox.mkdir()
    (inbox / "storm-first.txt").write_text(FIRST, encoding="utf-8")
    (inbox / "storm-second.txt").write_text(SECOND, encoding="utf-8")
    (inbox / "undated-note.txt").write_text("Volunteers said 6 boats were damaged.\n", encoding="utf-8")
    (inbox / "empty.txt").write_text("  \n", encoding="utf-8")
    return inbox


def _run(inbox: Path, out: Path, finalize=None):
    engine = make_engine("local", NlpSettings(config=str(RULES_CONFIG)))
    try:
        return run_pipeline(read_documents([inbox]), out, engine, chunk_size=1, finalize=finalize)
    finally:
        engine.close()


@pytest.mark.slow  # runs the pipeline
def test_summary_counts_come_from_the_tables(storm, tmp_path):
    from newsie.crossdoc import finalize

    summary = _run(storm, tmp_path / "out", finalize=finalize)
    assert (summary.documents, summary.failed, summary.undated) == (4, 1, 1)
    assert summary.undated_ids == ["undated-note"]
    assert summary.claims_by_source == {"Coastal Rescue Agency": 2, "Ana Ferreira": 2, "Volunteers": 1}
    assert summary.claims == 5
    assert [e["doc_id"] for e in summary.errors] == ["empty"]
    assert summary.failures_by_reason == {"read: empty document": 1}


@pytest.mark.slow  # runs the pipeline
def test_without_the_cross_document_step_the_names_stay_apart(storm, tmp_path):
    """What the summary listed before it read the final tables: the names each document gave."""
    summary = _run(storm, tmp_path / "out")
    assert {"CRA", "Ferreira"} <= set(summary.claims_by_source)


@pytest.mark.slow  # runs the pipeline
def test_cli_summary_lists_one_row_per_merged_source(storm, tmp_path):
    result = CliRunner().invoke(app, ["run", str(storm), "--out", str(tmp_path / "out"), "--rules"])
    assert result.exit_code == 0, result.output
    text = result.stderr
    assert "4 documents, 5 claims, 1 failed" in " ".join(text.split())
    sources = text[text.index("Claims per source"):text.index("Failures")]
    rows = {line.split("│")[1].strip(): line.split("│")[2].strip() for line in sources.splitlines()
            if line.startswith("│")}
    assert rows == {"Coastal Rescue Agency": "2", "Ana Ferreira": "2", "Volunteers": "1"}
    assert "1 document(s) without a publication date (undated-note;" in " ".join(text.split())
    assert "empty document" in text
    # the summary comes after the progress bar, which came after loading
    assert text.index("4 of 4 documents") < text.index("4 documents, 5 claims")

    again = CliRunner().invoke(app, ["run", str(storm), "--out", str(tmp_path / "out"), "--rules"])
    assert again.exit_code == 0, again.output
    assert "0 documents, 0 claims, 0 failed, 4 skipped (already done) of which 1 had failed" in " ".join(
        again.stderr.split())


def test_only_this_runs_chunks_are_counted(tmp_path):
    """Rows of chunks an earlier run committed are not this run's; a chunk without claims
    has no claims to count."""
    import pyarrow.parquet as pq

    from newsie.engine.local import RunSummary
    from newsie.io.writer import to_table

    def write(table, chunk, rows):
        (tmp_path / table).mkdir(exist_ok=True)
        pq.write_table(to_table(table, rows), tmp_path / table / f"part-{chunk}.parquet")

    write("documents", "00000000", [{"doc_id": "old", "status": "ok", "published": None}])
    write("claims", "00000000", [{"doc_id": "old", "source_canonical": "Old Source"}])
    write("documents", "00000001", [{"doc_id": "new", "status": "ok", "published": None},
                                    {"doc_id": "bad", "status": "error", "source_path": "bad.txt"}])
    write("claims", "00000001", [{"doc_id": "new", "source_canonical": None, "source_text": "a witness"},
                                 {"doc_id": "new", "source_canonical": None, "source_text": None}])
    write("errors", "00000001", [{"doc_id": "bad", "source_path": "bad.txt", "stage": "read",
                                  "message": "empty document: no text"}])
    summary = RunSummary()
    summary.read_tables(tmp_path, ["00000001", "00000002"])  # 00000002: committed nothing readable
    assert (summary.documents, summary.failed, summary.claims, summary.undated) == (2, 1, 2, 1)
    assert summary.undated_ids == ["new"]
    assert summary.claims_by_source == {"a witness": 1, "(the article itself)": 1}
    assert summary.failures_by_reason == {"read: empty document": 1}
    assert summary.errors == [{"doc_id": "bad", "source_path": "bad.txt", "stage": "read",
                               "message": "empty document: no text"}]


def test_the_closing_summary_lists_the_top_sources_and_counts_the_rest(tmp_path):
    from newsie.cli import MAX_LISTED_SOURCES, _print_summary, console
    from newsie.engine.local import RunSummary

    summary = RunSummary(documents=40, claims=100)
    summary.claims_by_source = {f"Agency {i:02d}": 40 - i for i in range(MAX_LISTED_SOURCES + 5)}
    with console.capture() as captured:
        _print_summary(summary, tmp_path)
    printed = " ".join(captured.get().split())
    assert "Agency 00" in printed and f"Agency {MAX_LISTED_SOURCES - 1:02d}" in printed
    assert f"Agency {MAX_LISTED_SOURCES:02d}" not in printed
    assert "and 5 more sources with 65 claims" in printed  # 15 + 14 + 13 + 12 + 11
