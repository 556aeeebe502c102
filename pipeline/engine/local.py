"""The local engine: documents in chunks through `nlp.pipe`, each chunk committed as Parquet
parts. With --workers N, chunks go to N processes that each load the pipeline once."""
from __future__ import annotations

import traceback
from dataclasses import dataclass, field
from itertools import islice
from typing import Iterable, Iterator

from spacy.language import Language

from ..io.cleaning import mask_boilerplate
from ..io.readers import Document
from ..io.writer import PartWriter
from .rows import doc_rows, document_row, error_row


@dataclass
class RunSummary:
    documents: int = 0
    failed: int = 0
    claims: int = 0
    skipped: int = 0
    errors: list[dict] = field(default_factory=list)
    claims_by_source: dict[str, int] = field(default_factory=dict)

    def add(self, tables: dict[str, list[dict]]) -> None:
        self.documents += sum(1 for r in tables.get("documents", []))
        self.failed += sum(1 for r in tables.get("documents", []) if r["status"] == "error")
        self.claims += len(tables.get("claims", []))
        self.errors.extend(tables.get("errors", []))
        for claim in tables.get("claims", []):
            key = claim.get("source_canonical") or claim.get("source_text") or "(the article itself)"
            self.claims_by_source[key] = self.claims_by_source.get(key, 0) + 1


def chunked(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def process_chunk(nlp: Language, documents: list[Document]) -> dict[str, list[dict]]:
    """All table rows for a chunk. A document that fails anywhere becomes an errors row."""
    tables: dict[str, list[dict]] = {"documents": [], "mentions": [], "attributions": [], "claims": [], "errors": []}
    readable = []
    for d in documents:
        if d.error is not None:
            stage, message = d.error
            if d.doc_id or stage != "manifest":
                tables["documents"].append(document_row(d, "error"))
            tables["errors"].append(error_row(d, stage, message))
        else:
            readable.append(d)
    for d, doc, failure in _annotate(nlp, readable):
        if failure is None:
            try:
                rows = doc_rows(d, doc)
            except Exception as exc:  # a bug on one document must not cost the others
                failure = ("rows", f"{type(exc).__name__}: {exc}")
        if failure is not None:
            tables["documents"].append(document_row(d, "error"))
            tables["errors"].append(error_row(d, *failure))
            continue
        tables["documents"].append(document_row(d, "ok"))
        for name, new_rows in rows.items():
            tables[name].extend(new_rows)
    return tables


def _annotate(nlp: Language, documents: list[Document]):
    """(document, Doc, failure) for each; the whole chunk in one nlp.pipe call, and one
    document at a time only when the chunk fails, to find the culprit."""
    try:
        docs = list(nlp.pipe((_make_doc(nlp, d) for d in documents), batch_size=nlp.batch_size))
        yield from ((d, doc, None) for d, doc in zip(documents, docs))
        return
    except Exception:
        pass
    for d in documents:
        try:
            yield d, nlp(_make_doc(nlp, d)), None
        except Exception as exc:
            yield d, None, ("nlp", f"{type(exc).__name__}: {exc} | {traceback.format_exc(limit=1).strip().splitlines()[-1]}")


def _make_doc(nlp: Language, d: Document):
    doc = nlp.make_doc(mask_boilerplate(d.text).text)
    doc._.published = d.published
    return doc


def run_local(nlp: Language, documents: Iterable[Document], writer: PartWriter, chunk_size: int = 32,
              progress=None) -> RunSummary:
    summary = RunSummary()
    for index, chunk in enumerate(chunked(documents, chunk_size)):
        tables = process_chunk(nlp, chunk)
        writer.write_chunk(f"{index:05d}", tables, {"documents": [d.doc_id for d in chunk]})
        summary.add(tables)
        if progress is not None:
            progress(len(chunk))
    return summary
