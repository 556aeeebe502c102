"""Reading inputs: lazy, decoded, limited; and the cleaner's properties (hypothesis)."""
from __future__ import annotations

import json
import os
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from newsie.io.cleaning import mask_boilerplate
from newsie.io.readers import decode_bytes, list_input_files, read_documents


def test_non_utf8_text_is_decoded_and_its_encoding_recorded():
    text, encoding = decode_bytes("Le café a fermé à Montréal après la grève.\n".encode("latin-1"))
    assert text.startswith("Le café a fermé à Montréal") and encoding == "cp1252"
    text, encoding = decode_bytes("Привет, как дела? Всё хорошо.\n".encode("cp1251") * 3)
    assert text.startswith("Привет") and encoding == "cp1251"


def test_binary_is_refused_with_a_clear_message(tmp_path):
    (tmp_path / "photo.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 50)
    [d] = read_documents([tmp_path])
    assert d.error == ("read", "ValueError: binary content (not text): refused")


def test_documents_over_max_chars_are_refused(tmp_path):
    (tmp_path / "long.txt").write_text("word " * 100, encoding="utf-8")
    (tmp_path / "feed.jsonl").write_text(json.dumps({"id": "j", "text": "x" * 600}) + "\n", encoding="utf-8")
    docs = {d.doc_id: d for d in read_documents([tmp_path], max_chars=300)}
    assert docs["long"].error[0] == "limits" and "500" in docs["long"].error[1]
    assert docs["j"].error[0] == "limits"


def test_reading_is_lazy(tmp_path):
    for i in range(3):
        (tmp_path / f"{i}.txt").write_text(f"Article {i}.", encoding="utf-8")
    documents = read_documents([tmp_path])
    first = next(documents)
    (tmp_path / "1.txt").write_text("Changed after the first was read.", encoding="utf-8")
    assert first.doc_id == "0" and next(documents).text == "Changed after the first was read."


def test_jsonl_streams_line_by_line_and_keeps_good_lines(tmp_path):
    lines = [json.dumps({"id": "a", "text": "One."}), "{broken", json.dumps({"id": "b", "text": "Two\u2028lines."})]
    (tmp_path / "f.jsonl").write_text("\n".join(lines), encoding="utf-8")
    docs = list(read_documents([tmp_path]))
    assert [(d.doc_id, d.error is None) for d in docs] == [("a", True), ("f:2", False), ("b", True)]
    assert docs[2].text == "Two\u2028lines."


def test_links_out_of_the_input_folder_are_refused(tmp_path):
    outside = tmp_path / "secret.txt"
    outside.write_text("not yours", encoding="utf-8")
    folder = tmp_path / "in"
    folder.mkdir()
    os.symlink(outside, folder / "link.txt")
    [d] = read_documents([folder])
    assert d.error[0] == "read" and "outside the input folder" in d.error[1] and d.text == ""


def test_files_are_listed_in_a_stable_order(tmp_path):
    for name in ["b.txt", "a/z.txt", "a.txt", "c.jsonl", "other.pdf", "manifest.csv", ".DS_Store", ".git/x.txt"]:
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text("x", encoding="utf-8")
    assert [p.relative_to(tmp_path).as_posix() for p, _ in list_input_files([tmp_path])] == [
        "a.txt", "b.txt", "c.jsonl", "other.pdf", "a/z.txt"]


def test_unsupported_files_are_errors_rows_counted_by_type(tmp_path):
    (tmp_path / "story.txt").write_text("Officials said 40 people died.", encoding="utf-8")
    (tmp_path / "report.pdf").write_bytes(b"%PDF-1.4")
    (tmp_path / "memo.docx").write_bytes(b"PK")
    (tmp_path / "notes.md").write_text("# notes", encoding="utf-8")
    docs = list(read_documents([tmp_path]))
    errors = {Path(d.source_path).name: d.error for d in docs if d.error}
    assert [d.doc_id for d in docs if d.error is None] == ["story"]
    assert set(errors) == {"report.pdf", "memo.docx", "notes.md"}
    assert errors["report.pdf"][0] == "read" and errors["report.pdf"][1].startswith("unsupported file type .pdf")
    assert errors["memo.docx"][1].startswith("unsupported file type .docx")


LINES = st.lists(st.one_of(
    st.text(max_size=60),
    st.sampled_from(["Share", "In Other News", "6 minutes ago", "Photo: AP", "Exit mobile version", "", "  ",
                     "Officials said 300 were killed.", "Officials said 300 were killed."])), max_size=30)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(), LINES.map("\n".join)))
def test_cleaner_never_crashes_and_keeps_every_offset(text):
    cleaned = mask_boilerplate(text)
    assert len(cleaned.text) == len(text)
    for start, end in cleaned.removed:
        assert 0 <= start <= end <= len(text)
    kept = [i for i in range(len(text)) if not any(s <= i < e for s, e in cleaned.removed)]
    assert all(cleaned.text[i] == text[i] for i in kept)
    assert all((cleaned.text[i] == "\n") == (text[i] == "\n") for i in range(len(text)))
