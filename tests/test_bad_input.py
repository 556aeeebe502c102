"""A folder of bad inputs beside a good article. The run finishes, the good
article's claims are all there and every bad file is in `errors` with its reason."""
from __future__ import annotations

import json
import shutil
import socket
from pathlib import Path

import pandas as pd
import pytest

from newsie.io.readers import read_documents

pytestmark = pytest.mark.slow  # runs the CLI on bad inputs

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
GOOD = "nis-1500-special-forces"
LATIN1 = "Le café de la gare a fermé à Montréal après la grève des employés.\nLes élèves étaient déçus. " * 3
CP1252 = "The minister said \u201cabout 300 soldiers\u201d were killed \u2014 according to officials.\n" * 4
HOSTILE_HTML = """<!DOCTYPE html [<!ENTITY xxe SYSTEM "http://198.51.100.7/evil.dtd">]>
<html><head><title>Attack</title><link rel="stylesheet" href="http://198.51.100.7/s.css">
<script src="https://198.51.100.7/x.js"></script></head>
<body><article><h1>Attack</h1><p>&xxe; The ministry said 12 people were killed in the attack.
<img src="http://198.51.100.7/pixel.gif"><iframe src="http://198.51.100.7/frame"></iframe>
<p>Officials said another 40 were injured in the city on Monday, according to the ministry.
</article></body></html>"""


def make_bad_folder(root: Path) -> Path:
    folder = root / "inbox"
    folder.mkdir()
    shutil.copy(CORPUS / f"{GOOD}.txt", folder / f"{GOOD}.txt")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "latin1.txt").write_bytes(LATIN1.encode("latin-1"))
    (folder / "cp1252.txt").write_bytes(CP1252.encode("cp1252"))
    (folder / "truncated.json").write_text('{"id": "t1", "text": "Twelve people were', encoding="utf-8")
    lines = [json.dumps({"id": "j1", "text": "The army said 40 soldiers were killed."}), '{"id": "j2", "text": "bro',
             json.dumps({"id": "j3", "text": "Police said 7 people were injured."}), "not json at all"]
    (folder / "feed.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with open(folder / "dump.txt", "wb") as fh:  # 50 MB, far over the default --max-chars
        fh.write(b"word " * (10 * 1024 * 1024))
    (folder / "unclosed.html").write_text(
        "<html><body><div><p>The ministry said 12 people were killed in the attack on Monday.<p>Another "
        "40 people were injured, officials said.<div><b>unclosed", encoding="utf-8")
    (folder / "dup").mkdir()
    shutil.copy(CORPUS / f"{GOOD}.txt", folder / "dup" / f"{GOOD}.txt")  # same doc_id again
    (folder / "manifest.csv").write_text(
        f"doc_id,published\n{GOOD},2024-10-18\nlatin1,not-a-date\ncp1252,2024-13-45\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def bad_run(tmp_path_factory):
    from typer.testing import CliRunner

    from newsie.cli import app

    root = tmp_path_factory.mktemp("bad")
    folder = make_bad_folder(root)
    out = root / "out"
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(out)])
    return folder, out, result


def test_run_finishes_with_exit_zero(bad_run):
    _folder, _out, result = bad_run
    assert result.exit_code == 0, result.output
    assert "failed" in result.output


def test_good_article_claims_are_all_there(bad_run, tmp_path):
    from typer.testing import CliRunner

    from newsie.cli import app

    _folder, out, _ = bad_run
    clean = tmp_path / "clean"
    clean.mkdir()
    shutil.copy(CORPUS / f"{GOOD}.txt", clean / f"{GOOD}.txt")
    (clean / "manifest.csv").write_text(f"doc_id,published\n{GOOD},2024-10-18\n", encoding="utf-8")
    assert CliRunner().invoke(app, ["run", str(clean), "--out", str(tmp_path / "o")]).exit_code == 0
    columns = ["quantity_start", "quantity_end", "value", "low", "high", "source_text"]
    want = pd.read_parquet(tmp_path / "o" / "claims")[columns]
    got = pd.read_parquet(out / "claims")
    got = got[got.doc_id == GOOD][columns]
    assert len(want) > 0
    assert got.sort_values(columns[:2]).reset_index(drop=True).equals(want.sort_values(columns[:2]).reset_index(drop=True))


@pytest.mark.parametrize("name, stage, reason", [
    ("empty.txt", "read", "empty document"),
    ("binary.txt", "read", "binary content"),
    ("truncated.json", "read", "JSONDecodeError"),
    ("feed.jsonl:2", "read", "bad JSONL line"),
    ("feed.jsonl:4", "read", "bad JSONL line"),
    ("dump.txt", "limits", "file too large"),
    (f"dup/{GOOD}.txt", "read", "duplicate doc_id"),
    ("manifest.csv:3", "manifest", "bad published date"),
    ("manifest.csv:4", "manifest", "bad published date"),
])
def test_every_bad_input_is_an_errors_row(bad_run, name, stage, reason):
    folder, out, _ = bad_run
    errors = pd.read_parquet(out / "errors")
    hits = errors[errors.source_path == str(folder / name)]
    assert len(hits) == 1, errors[["source_path", "message"]].to_string()
    assert hits.iloc[0].stage == stage and reason in hits.iloc[0].message


def test_failed_documents_have_status_error(bad_run):
    _folder, out, _ = bad_run
    documents = pd.read_parquet(out / "documents")
    errors = pd.read_parquet(out / "errors")
    failed = documents[documents.status == "error"]
    assert set(failed.source_path) == set(errors[errors.stage != "manifest"].source_path)


def test_recoverable_inputs_produce_rows(bad_run):
    """Latin-1, Windows-1252 and broken HTML are decoded and processed, not refused."""
    _folder, out, _ = bad_run
    documents = pd.read_parquet(out / "documents").set_index("doc_id")
    assert documents.loc["latin1", "status"] == "ok" and "café" in documents.loc["latin1", "text"]
    assert documents.loc["cp1252", "status"] == "ok" and "\u201cabout 300" in documents.loc["cp1252", "text"]
    assert documents.loc["latin1", "encoding"] != "utf-8" and documents.loc["cp1252", "encoding"] != "utf-8"
    assert documents.loc["unclosed", "status"] == "ok"
    assert {"j1", "j3"} <= set(documents[documents.status == "ok"].index)


def test_strict_exits_non_zero_even_when_failures_were_skipped(bad_run):
    from typer.testing import CliRunner

    from newsie.cli import app

    folder, out, _ = bad_run
    result = CliRunner().invoke(app, ["run", str(folder), "--out", str(out), "--strict"])
    assert result.exit_code == 1
    assert "skipped" in result.output


def test_html_parsing_never_touches_the_network(tmp_path, monkeypatch):
    attempts = []

    def no_connect(self, address, *args):
        attempts.append(address)
        raise OSError("network access attempted")

    monkeypatch.setattr(socket.socket, "connect", no_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", no_connect)
    monkeypatch.setattr(socket, "create_connection", lambda *a, **k: no_connect(None, a))
    (tmp_path / "hostile.html").write_text(HOSTILE_HTML, encoding="utf-8")
    [doc] = read_documents([tmp_path])
    assert attempts == []
    assert doc.error is None and "12 people were killed" in doc.text
    assert "evil" not in doc.text
