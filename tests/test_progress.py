"""`newsie run`'s progress display: the total counted before the run, the bar's figures,
and plain output where stderr is not a terminal (pipes, CI logs, pytest)."""
from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rich.console import Console

from newsie.engine.local import ChunkStats
from newsie.progress import RunDisplay, count_documents

ROOT = Path(__file__).resolve().parent.parent


def _inbox(tmp_path: Path) -> Path:
    inbox = tmp_path / "inbox"
    (inbox / "deeper").mkdir(parents=True)
    (inbox / "a.txt").write_text("Police said 4 people were hurt.\n", encoding="utf-8")
    (inbox / "deeper" / "b.html").write_text("<html><body><p>Officials said 9 homes burned.</p></body></html>",
                                             encoding="utf-8")
    (inbox / "c.json").write_text(json.dumps({"id": "c", "text": "The mayor said 3 roads closed."}), encoding="utf-8")
    lines = [json.dumps({"id": f"j{i}", "text": f"{i} ferries were cancelled."}) for i in range(3)]
    (inbox / "d.jsonl").write_text(lines[0] + "\n\n" + lines[1] + "\nnot json\n" + lines[2] + "\n", encoding="utf-8")
    (inbox / "notes.md").write_text("not an input type", encoding="utf-8")
    (inbox / "manifest.csv").write_text("doc_id,published\na,2025-01-02\n", encoding="utf-8")
    return inbox


def test_total_counts_files_and_jsonl_records(tmp_path):
    inbox = _inbox(tmp_path)
    # a.txt, b.html, c.json, the 4 non-blank lines of d.jsonl (the bad one is an errors row) and
    # notes.md (an unsupported file: an errors row too)
    assert count_documents([inbox]) == 8
    assert count_documents([inbox, inbox / "a.txt"]) == 8  # the same file named twice is read once
    assert count_documents([inbox / "d.jsonl"]) == 4


def test_total_is_unknown_when_counting_is_not_cheap(tmp_path):
    inbox = _inbox(tmp_path)
    (inbox / "e.json").write_text(json.dumps([{"id": "e1", "text": "x"}, {"id": "e2", "text": "y"}]), encoding="utf-8")
    assert count_documents([inbox]) is None  # a JSON list: counting it means parsing it
    assert count_documents([inbox / "a.txt"], budget_s=-1) is None  # over the time budget


def _drive(display: RunDisplay, chunks: list[tuple[int, int]], skipped: int = 0) -> None:
    with display:
        display.loaded()
        for _ in range(skipped):
            display.skipped(1, 0)
        for documents, failed in chunks:
            display.chunk_done(ChunkStats(documents=documents, failed=failed))
        display.finalizing()


def test_not_a_terminal_gets_plain_lines_and_the_final_state():
    out = io.StringIO()
    console = Console(file=out, force_terminal=False, width=120)
    display = RunDisplay(console, total=10, log_every_s=0)
    _drive(display, [(4, 1), (4, 0)], skipped=2)
    text = out.getvalue()
    assert "\x1b" not in text and "\r" not in text, repr(text)
    lines = text.splitlines()
    assert lines[0].startswith("processed 4 of 8 documents (") and lines[0].endswith(", 1 failed, 2 skipped")
    assert "docs/s" in lines[0] and "left" in lines[0]
    assert lines[1].startswith("processed 8 of 8 documents")
    final = lines[-1]  # the bar, drawn once when processing ends
    assert "8 of 8 documents" in final and "1 failed, 2 skipped" in final and "docs/s" in final
    assert "loading pipeline" not in text and "cross-document step" not in text  # status lines: terminal only


def test_unknown_total_shows_documents_done():
    out = io.StringIO()
    display = RunDisplay(Console(file=out, force_terminal=False, width=120), total=None, log_every_s=0)
    _drive(display, [(3, 0), (2, 2)])
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("processed 3 documents") and " of " not in lines[0] and "left" not in lines[0]
    assert "5 of 5 documents" in lines[-1] and "2 failed" in lines[-1]  # at the end the total is known


def test_a_terminal_gets_the_bar_and_both_status_lines():
    out = io.StringIO()
    console = Console(file=out, force_terminal=True, width=120)
    display = RunDisplay(console, total=4, log_every_s=0)
    with display:
        display._status._live.refresh()  # the loading status is live: draw it now
        text_loading = out.getvalue()
        display.loaded()
        display.chunk_done(ChunkStats(documents=4, failed=0))
        display.finalizing()
        display._status._live.refresh()
    text = out.getvalue()
    assert "loading pipeline" in text_loading
    assert "4 of 4 documents" in text and "cross-document step" in text
    assert "processed 4" not in text  # no plain log lines on a terminal


@pytest.mark.slow
def test_run_piped_to_cat_is_not_garbled(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for i in range(3):
        (inbox / f"note-{i}.txt").write_text(f"2025-02-0{i + 1}\nThe fire service said {i + 2} homes were damaged.\n",
                                             encoding="utf-8")
    command = (f"{sys.executable} -c 'from newsie.cli import app; app()' run {inbox} --out {tmp_path / 'out'} "
               "--rules --chunk-size 1 2>&1 | cat")
    result = subprocess.run(command, shell=True, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:]
    text = result.stdout
    assert "\x1b" not in text and "\r" not in text, repr(text[:2000])
    assert "3 of 3 documents" in text and "0 failed" in text
    assert "3 documents, 3 claims, 0 failed" in text


def test_the_cross_document_step_names_its_steps_off_a_terminal():
    stream = io.StringIO()
    with RunDisplay(Console(file=stream, force_terminal=False, width=100), total=1) as display:
        display.loaded()
        display.finalizing()
        display.finalize_step("source names")
        display.finalize_step("rewrites")
    assert "cross-document step: source names\ncross-document step: rewrites\n" in stream.getvalue()
