"""Folders and files of articles -> `Document`s.

Inputs: folders (recursive *.txt, *.html, *.htm, *.json, *.jsonl), single files, and JSONL
files with one document per line ({"id", "text", "published"?, "title"?, "url"?}).
A `manifest.csv` in an input folder (or given with --manifest) adds doc_id, published,
outlet, title, url. The publication date comes from, in order: the manifest or the JSONL
record, --published, a date stated near the top of the article; else it stays unknown.

A file that cannot be read becomes a Document with `error` set, never an exception, so
one bad file cannot stop a batch. Reading is lazy (one file, or one JSONL line, at a time)
so memory does not grow with the corpus. Limits: a document longer than `max_chars` is
refused (stage "limits"), and a file is refused unread when its size alone says it must be
too long. Empty documents, binaries, duplicate doc_ids (the first one read wins) and files
reached through a link that leads out of the input folder are refused the same way.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable, Iterator

SUFFIXES = {".txt", ".html", ".htm", ".json", ".jsonl"}
MANIFEST_NAME = "manifest.csv"
DEFAULT_MAX_CHARS = 1_000_000  # spaCy's own default nlp.max_length
# Bytes a file may hold per allowed character before we refuse it unread: UTF-8 needs up to
# 4 per character; HTML carries markup besides the text. A .json file is parsed whole.
BYTES_PER_CHAR = {".txt": 4, ".html": 8, ".htm": 8, ".json": 8}


@dataclass
class Document:
    doc_id: str
    text: str
    source_path: str
    published: dt.date | None = None
    published_from: str = "unknown"
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    encoding: str | None = "utf-8"
    error: tuple[str, str] | None = None  # (stage, message)
    meta: dict = field(default_factory=dict)

    @property
    def content_sha1(self) -> str:
        return hashlib.sha1(self.text.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True)
class ManifestRow:
    published: dt.date | None
    outlet: str | None = None
    title: str | None = None
    url: str | None = None


def parse_date(value) -> dt.date | None:
    """ISO dates (and ISO datetimes) only: a manifest is data, not prose."""
    if value is None or value == "":
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value).strip()[:10])


def read_manifest(path: Path) -> tuple[dict[str, ManifestRow], list[str]]:
    """doc_id -> ManifestRow, plus one message per row that could not be used."""
    rows: dict[str, ManifestRow] = {}
    problems: list[str] = []
    with open(path, newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        if not reader.fieldnames or "doc_id" not in reader.fieldnames:
            return rows, [f"{path}: manifest has no doc_id column"]
        for line_no, rec in enumerate(reader, start=2):
            doc_id = (rec.get("doc_id") or "").strip()
            if not doc_id:
                problems.append(f"{path}:{line_no}: empty doc_id")
                continue
            try:
                published = parse_date(rec.get("published"))
            except ValueError:
                problems.append(f"{path}:{line_no}: bad published date {rec.get('published')!r} for {doc_id}")
                published = None
            rows[doc_id] = ManifestRow(published, _clean(rec.get("outlet")), _clean(rec.get("title")), _clean(rec.get("url")))
    return rows, problems


def _clean(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


# --- decoding -------------------------------------------------------------------------

def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding). UTF-8 first; otherwise charset-normalizer; binaries refused."""
    if looks_binary(data):
        raise ValueError("binary content (not text): refused")
    try:
        return data.decode("utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise ValueError("undecodable text: no encoding fits")
    western = _as_windows_1252(data, best.chaos)
    if western is not None:
        return western, "cp1252"
    return str(best), best.encoding


def _as_windows_1252(data: bytes, best_chaos: float) -> str | None:
    """The text as Windows-1252 (a superset of Latin-1's letters) when that reads at least as
    cleanly as charset-normalizer's pick. Its pick among the single-byte Latin code pages is
    close to arbitrary on short texts (Latin-1 "à" read as cp1250 "ŕ"); for news in Western
    languages cp1252 is by far the likeliest of them."""
    from charset_normalizer.md import mess_ratio

    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    return text if mess_ratio(text, 1.0) <= best_chaos + 0.01 else None


def looks_binary(data: bytes) -> bool:
    """NUL bytes or a high share of control characters in the first 8 KiB."""
    head = data[:8192]
    if b"\x00" in head:
        return True
    if not head:
        return False
    control = sum(1 for b in head if b < 9 or 13 < b < 32)
    return control / len(head) > 0.05


# --- per-format readers ---------------------------------------------------------------

def read_text_file(path: Path) -> Iterator[Document]:
    text, encoding = decode_bytes(path.read_bytes())
    yield Document(path.stem, text, str(path), encoding=encoding)


def read_html_file(path: Path) -> Iterator[Document]:
    from .html import extract_article

    raw, encoding = decode_bytes(path.read_bytes())
    text, meta = extract_article(raw)
    yield Document(path.stem, text, str(path), encoding=encoding, title=meta.get("title"),
                   url=meta.get("url"), meta={"published_in_html": meta.get("date")})


def read_jsonl_file(path: Path) -> Iterator[Document]:
    """One line at a time, so a JSONL file of any size streams; each line is decoded on its
    own (a stray Latin-1 line does not spoil the others)."""
    with open(path, "rb") as fh:
        for line_no, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            where = f"{path}:{line_no}"
            try:
                line, encoding = decode_bytes(raw)
                doc = document_from_record(json.loads(line), where)
                doc.encoding = encoding
                yield doc
            except (ValueError, TypeError) as exc:
                yield error_document(f"{path.stem}:{line_no}", where, "read", f"bad JSONL line: {exc}")


def read_json_file(path: Path) -> Iterator[Document]:
    text, _ = decode_bytes(path.read_bytes())
    data = json.loads(text)
    records = data if isinstance(data, list) else [data]
    for i, rec in enumerate(records):
        if isinstance(rec, dict) and "id" not in rec and len(records) == 1:
            rec = {**rec, "id": path.stem}
        yield document_from_record(rec, f"{path}[{i}]" if len(records) > 1 else str(path))


def document_from_record(rec: dict, where: str) -> Document:
    if not isinstance(rec, dict):
        raise TypeError("a document record must be a JSON object")
    if not isinstance(rec.get("text"), str):
        raise ValueError("record has no string 'text'")
    if rec.get("id") in (None, ""):
        raise ValueError("record has no 'id'")
    doc = Document(str(rec["id"]), rec["text"], where, title=rec.get("title"), url=rec.get("url"),
                   outlet=rec.get("outlet"))
    if rec.get("published"):
        doc.published = parse_date(rec["published"])
        doc.published_from = "jsonl"
    return doc


def error_document(doc_id: str, path: str, stage: str, message: str) -> Document:
    return Document(doc_id, "", path, encoding=None, error=(stage, message))


READERS = {".txt": read_text_file, ".html": read_html_file, ".htm": read_html_file,
           ".json": read_json_file, ".jsonl": read_jsonl_file}


# --- folders, manifests, dates ----------------------------------------------------------

def list_input_files(inputs: Iterable[Path]) -> Iterator[tuple[Path, Path | None]]:
    """(file, folder it was found in) for every input file, in a stable sorted order,
    walking folders lazily (a folder of 100,000 files is never listed whole)."""
    for item in inputs:
        item = Path(item)
        if item.is_dir():
            yield from ((p, item) for p in _walk_sorted(item))
        elif item.is_file():
            yield item, None
        else:
            raise FileNotFoundError(f"input not found: {item}")


def _walk_sorted(folder: Path) -> Iterator[Path]:
    """Every file but the manifest and hidden ones (".DS_Store"): a file newsie cannot read
    becomes an errors row (`unsupported`), not a silent gap."""
    for root, dirs, files in os.walk(folder, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            if name != MANIFEST_NAME and not name.startswith("."):
                yield Path(root) / name


def unsupported(path: Path) -> str:
    """The errors message for a file of a type newsie does not read; the summary counts
    failures by the message's head, so by type."""
    kind = path.suffix.lower() or "(no extension)"
    return f"unsupported file type {kind} (newsie reads {' '.join(sorted(SUFFIXES))})"


def escapes_folder(path: Path, folder: Path | None) -> bool:
    """A link inside an input folder that leads outside it (to /etc/passwd, say)."""
    if folder is None:
        return False
    return not path.resolve().is_relative_to(folder.resolve())


def read_documents(inputs: Iterable[Path], manifest: Path | None = None,
                   published: dt.date | None = None,
                   max_chars: int = DEFAULT_MAX_CHARS) -> Iterator[Document]:
    """Every document of the inputs, with metadata applied; unreadable, oversized, empty and
    duplicate documents as error documents. Lazy: one file at a time."""
    inputs = [Path(p) for p in inputs]
    meta, problems = _load_manifests(inputs, manifest)
    for message in problems:  # "path:line: what" -> source_path "path:line"
        yield error_document("", message.split(": ")[0], "manifest", message)
    seen: dict[str, str] = {}  # doc_id -> where it was first read
    files_read: set[str] = set()
    for path, folder in list_input_files(inputs):
        if str(path.resolve()) in files_read:  # the same file named twice on the command line
            continue
        files_read.add(str(path.resolve()))
        for doc in _read_file(path, folder, max_chars):
            if doc.error is None:
                doc = _refuse_unusable(doc, seen, max_chars)
            if doc.error is None:
                apply_metadata(doc, meta.get(doc.doc_id), published)
            yield doc


def _read_file(path: Path, folder: Path | None, max_chars: int) -> Iterator[Document]:
    reader = READERS.get(path.suffix.lower())
    if reader is None:
        yield error_document(path.stem, str(path), "read", unsupported(path))
        return
    try:
        refusal = _refusal_before_reading(path, folder, max_chars)
        if refusal is not None:
            yield error_document(path.stem, str(path), *refusal)
            return
        yield from reader(path)
    except Exception as exc:  # one bad file must not stop the batch
        yield error_document(path.stem, str(path), "read", f"{type(exc).__name__}: {exc}")


def _refusal_before_reading(path: Path, folder: Path | None, max_chars: int) -> tuple[str, str] | None:
    if escapes_folder(path, folder):
        return "read", f"refused: the path leads outside the input folder {folder}"
    limit = BYTES_PER_CHAR.get(path.suffix.lower())
    size = path.stat().st_size
    if limit is not None and size > limit * max_chars:
        return "limits", f"file too large: {size:,} bytes, more than --max-chars {max_chars:,} characters can need"
    return None


def _refuse_unusable(doc: Document, seen: dict[str, str], max_chars: int) -> Document:
    """The same document as an error document when it cannot be processed."""
    if doc.doc_id in seen:
        return _as_error(doc, "read", f"duplicate doc_id {doc.doc_id!r}: already read from {seen[doc.doc_id]}")
    seen[doc.doc_id] = doc.source_path
    if not doc.text.strip():
        return _as_error(doc, "read", "empty document: no text")
    if len(doc.text) > max_chars:
        return _as_error(doc, "limits", f"document too long: {len(doc.text):,} characters > --max-chars {max_chars:,}")
    return doc


def _as_error(doc: Document, stage: str, message: str) -> Document:
    doc.error = (stage, message)
    doc.text = ""  # never carried further: an error document has no text to process
    return doc


def _load_manifests(inputs: list[Path], manifest: Path | None) -> tuple[dict[str, ManifestRow], list[str]]:
    paths = [manifest] if manifest else [p / MANIFEST_NAME for p in inputs if (p / MANIFEST_NAME).is_file()]
    meta: dict[str, ManifestRow] = {}
    problems: list[str] = []
    for path in paths:
        rows, issues = read_manifest(Path(path))
        meta.update(rows)
        problems.extend(issues)
    return meta, problems


def apply_metadata(doc: Document, row: ManifestRow | None, published: dt.date | None) -> None:
    if row is not None:
        doc.outlet = doc.outlet or row.outlet
        doc.title = doc.title or row.title
        doc.url = doc.url or row.url
        if row.published and doc.published is None:
            doc.published, doc.published_from = row.published, "manifest"
    if doc.published is None and published is not None:
        doc.published, doc.published_from = published, "flag"
    if doc.published is None:
        stated = doc.meta.get("published_in_html") or date_stated_in(doc.text)
        if stated:
            try:
                doc.published, doc.published_from = parse_date(stated), "article"
            except ValueError:
                pass
    if doc.title is None:
        doc.title = first_line(doc.text)


MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
_STATED_DATE = re.compile(
    rf"\b(?:(?P<iso>(?:19|20)\d\d-\d\d-\d\d)|(?P<mdy>(?:{MONTHS})\.? \d{{1,2}}, (?:19|20)\d\d)"
    rf"|(?P<dmy>\d{{1,2}} (?:{MONTHS}) (?:19|20)\d\d))\b")


def date_stated_in(text: str, window: int = 600) -> str | None:
    """A full date near the top of the article (a dateline or 'Published ...'), as ISO."""
    match = _STATED_DATE.search(text[:window])
    if not match:
        return None
    if match["iso"]:
        return match["iso"]
    raw = match["mdy"] or match["dmy"]
    for fmt in ("%B %d, %Y", "%B. %d, %Y", "%d %B %Y"):
        try:
            return dt.datetime.strptime(raw, fmt).date().isoformat()
        except ValueError:
            continue
    return None


def first_line(text: str) -> str | None:
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:300]
    return None
