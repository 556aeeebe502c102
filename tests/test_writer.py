"""Part files, commit markers and recovery from a run killed at any point (no pipeline)."""
from __future__ import annotations

import pandas as pd

from newsie.io.writer import PartWriter


def doc(doc_id: str, path: str, status: str = "ok") -> dict:
    return {"doc_id": doc_id, "source_path": path, "status": status, "text": f"text of {doc_id}"}


def chunk(writer: PartWriter, chunk_id: str, docs: list[dict]) -> None:
    tables = {"documents": docs,
              "claims": [{"doc_id": d["doc_id"], "claim_id": f"{d['doc_id']}:c0"} for d in docs if d["status"] == "ok"]}
    marker = {"chunk": chunk_id, "pipeline_version": "v1",
              "documents": [[d["doc_id"], d["source_path"], "k", d["status"], False] for d in docs]}
    writer.write_chunk(chunk_id, tables, marker)


def test_a_committed_chunk_has_every_part_and_a_marker(tmp_path):
    writer = PartWriter(tmp_path)
    chunk(writer, "00000000", [doc("a", "a.txt"), doc("b", "b.txt")])
    assert set(writer.committed()) == {"00000000"}
    assert sorted(pd.read_parquet(tmp_path / "claims").claim_id) == ["a:c0", "b:c0"]
    assert writer.next_chunk_number() == 1
    assert not list(tmp_path.rglob(".*.tmp"))


def test_recover_removes_parts_without_a_marker_and_temporary_files(tmp_path):
    writer = PartWriter(tmp_path)
    chunk(writer, "00000000", [doc("a", "a.txt")])
    chunk(writer, "00000001", [doc("b", "b.txt")])
    (tmp_path / "_chunks" / "00000001.json").unlink()  # killed before the marker
    (tmp_path / "claims" / ".part-00000002.parquet.tmp").write_bytes(b"half a file")
    repaired = writer.recover()
    assert any("00000001" in note for note in repaired)
    assert list(pd.read_parquet(tmp_path / "documents").doc_id) == ["a"]
    assert not list(tmp_path.rglob(".*.tmp"))


def test_recover_keeps_the_newest_copy_of_a_document_committed_twice(tmp_path):
    writer = PartWriter(tmp_path)
    chunk(writer, "00000000", [doc("a", "a.txt"), doc("b", "b.txt")])
    chunk(writer, "00000001", [doc("a", "a.txt")])  # killed before the old copy was dropped
    writer.recover()
    assert sorted(pd.read_parquet(tmp_path / "documents").doc_id) == ["a", "b"]
    assert sorted(pd.read_parquet(tmp_path / "claims").claim_id) == ["a:c0", "b:c0"]
    assert [e[0] for e in writer.committed()["00000000"]["documents"]] == ["b"]


def test_dropping_every_document_removes_the_chunk(tmp_path):
    writer = PartWriter(tmp_path)
    chunk(writer, "00000000", [doc("a", "a.txt")])
    writer.drop_documents("00000000", {("a", "a.txt")})
    assert writer.committed() == {}
    assert not list(tmp_path.glob("*/part-*.parquet"))


def test_a_duplicate_error_row_is_dropped_without_touching_the_original(tmp_path):
    writer = PartWriter(tmp_path)
    chunk(writer, "00000000", [doc("a", "a.txt"), doc("a", "dup/a.txt", status="error")])
    writer.drop_documents("00000000", {("a", "dup/a.txt")})
    assert list(pd.read_parquet(tmp_path / "documents").source_path) == ["a.txt"]
    assert list(pd.read_parquet(tmp_path / "claims").claim_id) == ["a:c0"]


def test_markers_of_an_older_newsie_are_redone(tmp_path):
    writer = PartWriter(tmp_path)
    writer.write_chunk("00000", {"documents": [doc("a", "a.txt")]}, {"documents": ["a"]})
    writer.recover()
    assert writer.committed() == {} and not list(tmp_path.glob("*/part-*.parquet"))
