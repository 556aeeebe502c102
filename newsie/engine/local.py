"""Processing one chunk of documents (the unit every engine hands out) and the run summary
(counts per chunk for the progress display; the closing figures from the final tables).

A chunk goes through `nlp.pipe` in batches under one time limit, each document's rows made as
its Doc comes out. When a batch fails or time runs out, the documents without rows yet are
redone one at a time, each under the per-document limit, so the culprit becomes an errors row
and the other documents still produce theirs.
"""
from __future__ import annotations

import traceback
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import pyarrow as pa
import pyarrow.compute as pc

from ..io.cleaning import mask_boilerplate
from ..io.readers import Document
from ..schema import ARTICLE_ITSELF
from .limits import TimeLimitExceeded, time_limit
from .rows import doc_rows, document_row, error_row

if TYPE_CHECKING:  # only for annotations: a client process need not import spaCy
    from spacy.language import Language

TABLE_NAMES = ("documents", "mentions", "attributions", "claims", "errors")
MAX_LISTED_ERRORS = 50  # the summary keeps counts of every failure but lists only the first few
MAX_LISTED_UNDATED = 5  # ... and names only the first few undated documents
MAX_BATCH_CHARS = 40_000  # characters per nlp.pipe batch (see batches_by_size)


@dataclass
class RunSummary:
    documents: int = 0
    failed: int = 0
    claims: int = 0
    undated: int = 0  # processed without a publication date: relative dates stay unresolved
    undated_ids: list[str] = field(default_factory=list)  # the first MAX_LISTED_UNDATED of them
    skipped: int = 0
    skipped_failed: int = 0  # skipped because an earlier run already refused them (still failures)
    errors: list[dict] = field(default_factory=list)
    failures_by_reason: Counter = field(default_factory=Counter)
    claims_by_source: dict[str, int] = field(default_factory=dict)  # from the final tables (read_tables)
    repaired: list[str] = field(default_factory=list)  # what recovery fixed from a killed run
    # the whole of OUT after this run (a rerun that skips everything still shows what OUT holds)
    total_documents: int = 0
    total_failed: int = 0
    total_claims: int = 0
    figures: int = 0
    disputed: int = 0

    def add(self, tables: dict[str, list[dict]]) -> None:
        self.add_stats(chunk_stats(tables))

    def add_stats(self, stats: "ChunkStats") -> None:
        self.documents += stats.documents
        self.failed += stats.failed
        self.claims += stats.claims
        self.undated += stats.undated
        self.undated_ids.extend(stats.undated_ids[:max(0, MAX_LISTED_UNDATED - len(self.undated_ids))])
        self.errors.extend(stats.errors[:max(0, MAX_LISTED_ERRORS - len(self.errors))])
        self.failures_by_reason.update(stats.failures_by_reason)

    @property
    def errors_not_listed(self) -> int:
        return sum(self.failures_by_reason.values()) - len(self.errors)

    def read_tables(self, out: Path, chunk_ids: Iterable[str]) -> None:
        """Documents, failures, undated documents, errors and claims per source of the chunks
        this run committed, read from OUT's final tables after the cross-document step (so
        the sources are its canonical names). Reads a few columns of those chunks' parts,
        never whole tables as Python rows; only the errors rows become Python objects."""
        chunk_ids = sorted(chunk_ids)  # input order, whatever order the workers finished in
        documents = chunk_columns(out, "documents", chunk_ids, ["doc_id", "status", "published"])
        ok = pc.equal(documents["status"], "ok")
        self.documents = documents.num_rows
        self.failed = documents.num_rows - pc.sum(ok).as_py() if documents.num_rows else 0
        undated = documents.filter(pc.and_(ok, pc.is_null(documents["published"])))
        self.undated = undated.num_rows
        self.undated_ids = undated["doc_id"].slice(0, MAX_LISTED_UNDATED).to_pylist()
        claims = chunk_columns(out, "claims", chunk_ids, ["source_canonical", "source_text"])
        self.claims = claims.num_rows
        self.claims_by_source = {}
        if claims.num_rows:
            source = pc.coalesce(claims["source_canonical"], claims["source_text"],
                                 pa.scalar(ARTICLE_ITSELF, pa.string()))
            for entry in pc.value_counts(source).to_pylist():
                self.claims_by_source[entry["values"]] = entry["counts"]
        errors = chunk_columns(out, "errors", chunk_ids, ["doc_id", "source_path", "stage", "message"]).to_pylist()
        self.errors = errors[:MAX_LISTED_ERRORS]
        self.failures_by_reason = Counter(failure_reason(e) for e in errors)
        self.read_totals(out)

    def read_totals(self, out: Path) -> None:
        """Documents, failures and claims in all of OUT, and the figures and disputed figures
        the cross-document step found."""
        status = table_columns(out, "documents", ["status"])["status"]
        self.total_documents = len(status)
        self.total_failed = len(status) - (pc.sum(pc.equal(status, "ok")).as_py() or 0)
        self.total_claims = table_columns(out, "claims", ["claim_id"]).num_rows
        disputed = table_columns(out, "figures", ["disputed"])["disputed"]
        self.figures = len(disputed)
        self.disputed = pc.sum(disputed).as_py() or 0 if len(disputed) else 0


def table_columns(out: Path, table: str, columns: list[str]) -> pa.Table:
    """`columns` of every part of `table` in OUT; an empty table when there is none."""
    from ..schema import CROSSDOC_TABLES, TABLES

    schema = {**TABLES, **CROSSDOC_TABLES}[table]
    return chunk_columns(out, table, sorted(p.stem.removeprefix("part-") for p in (Path(out) / table).glob("part-*.parquet")),
                         columns, schema)


def chunk_columns(out: Path, table: str, chunk_ids: list[str], columns: list[str],
                  table_schema: pa.Schema | None = None) -> pa.Table:
    """`columns` of these chunks' parts of `table` (OUT/<table>/part-<chunk>.parquet), in
    chunk order; an empty table when there are none."""
    import pyarrow.dataset as ds

    from ..schema import TABLES

    paths = [str(path) for path in (Path(out) / table / f"part-{chunk_id}.parquet" for chunk_id in chunk_ids)
             if path.is_file()]
    schema = pa.schema([(table_schema or TABLES[table]).field(name) for name in columns])
    if not paths:
        return schema.empty_table()
    # one dataset over the parts: read in parallel (3,000 parts: 0.9 s, against 2.4 s one by
    # one), in the order given; a part without one of the columns gives nulls
    return ds.dataset(paths, format="parquet", schema=schema).to_table(columns=columns)


@dataclass
class ChunkStats:
    """What the summary needs from a chunk: small, so workers return it instead of rows."""
    documents: int = 0
    failed: int = 0
    claims: int = 0
    undated: int = 0
    undated_ids: list[str] = field(default_factory=list)  # the first MAX_LISTED_UNDATED
    errors: list[dict] = field(default_factory=list)
    failures_by_reason: Counter = field(default_factory=Counter)


def chunk_stats(tables: dict[str, list[dict]]) -> ChunkStats:
    stats = ChunkStats()
    stats.documents = len(tables.get("documents", []))
    stats.failed = sum(1 for r in tables.get("documents", []) if r["status"] == "error")
    stats.claims = len(tables.get("claims", []))
    undated = [r["doc_id"] for r in tables.get("documents", []) if r["status"] == "ok" and r["published"] is None]
    stats.undated, stats.undated_ids = len(undated), undated[:MAX_LISTED_UNDATED]
    stats.errors = [dict(e) for e in tables.get("errors", [])[:MAX_LISTED_ERRORS]]
    stats.failures_by_reason = Counter(failure_reason(e) for e in tables.get("errors", []))
    return stats


def failure_reason(error: dict) -> str:
    """The kind of failure, without the per-document details: 'read: duplicate doc_id'."""
    message = str(error.get("message") or "")
    head = message.split(":")[0].split("(")[0].strip()
    return f"{error.get('stage')}: {head[:80]}"


def process_chunk(nlp: Language, documents: list[Document], timeout: float | None = None) -> dict[str, list[dict]]:
    """All table rows for a chunk. A document that fails anywhere becomes an errors row;
    with `timeout`, one that takes longer than that many seconds does too."""
    tables: dict[str, list[dict]] = {name: [] for name in TABLE_NAMES}
    readable = []
    for d in documents:
        if d.error is not None:
            stage, message = d.error
            if d.doc_id or stage != "manifest":
                tables["documents"].append(document_row(d, "error"))
            tables["errors"].append(error_row(d, stage, message))
        else:
            readable.append(d)
    # A memory zone frees the strings spaCy interns for these documents once their rows
    # are out; without it the vocabulary, hence memory, grows with the corpus.
    with nlp.memory_zone():
        _annotate_into(tables, nlp, readable, timeout)
    return tables


def _add_document_rows(tables: dict[str, list[dict]], d: Document, doc, failure) -> None:
    if failure is None:
        try:
            rows = doc_rows(d, doc)
        except TimeLimitExceeded:
            raise
        except Exception as exc:  # a bug on one document must not cost the others
            failure = ("rows", f"{type(exc).__name__}: {exc}")
    if failure is not None:
        tables["documents"].append(document_row(d, "error"))
        tables["errors"].append(error_row(d, *failure))
        return
    tables["documents"].append(document_row(d, "ok"))
    for name, new_rows in rows.items():
        tables[name].extend(new_rows)


def _annotate_into(tables: dict[str, list[dict]], nlp: Language, documents: list[Document],
                   timeout: float | None) -> None:
    """Each document's rows, made as its Doc comes out of nlp.pipe: a chunk holds one batch of
    Docs at a time, not all of them (Docs cost memory by the token; later chunks of a day are
    often twice as long as the first). The chunk gets the per-document limit as a whole: when
    a batch fails or time runs out, the documents without rows yet are redone one at a time."""
    done = 0
    kept = {name: len(rows) for name, rows in tables.items()}
    try:
        with time_limit(timeout):
            for batch in batches_by_size(documents, nlp.batch_size, MAX_BATCH_CHARS):
                docs = nlp.pipe((_make_doc(nlp, d) for d in batch), batch_size=len(batch))
                for d, doc in zip(batch, docs):
                    _add_document_rows(tables, d, doc, None)
                    done += 1
                    kept = {name: len(rows) for name, rows in tables.items()}
    except Exception:  # TimeLimitExceeded included: find the culprit below
        for name, n in kept.items():  # rows of a document cut short are made again
            del tables[name][n:]
    for d in documents[done:]:
        _add_document_rows(tables, d, *_annotate_one(nlp, d, timeout))


def batches_by_size(documents: list[Document], max_documents: int, max_chars: int) -> Iterator[list[Document]]:
    """Consecutive batches of at most max_documents documents and, unless one document alone
    is longer, max_chars characters. A batch's arrays grow with its tokens, so a chunk that
    happens to hold several long articles no longer sets the run's peak memory."""
    batch: list[Document] = []
    size = 0
    for d in documents:
        if batch and (len(batch) == max_documents or size + len(d.text) > max_chars):
            yield batch
            batch, size = [], 0
        batch.append(d)
        size += len(d.text)
    if batch:
        yield batch


def _annotate_one(nlp: Language, d: Document, timeout: float | None):
    try:
        with time_limit(timeout):
            return nlp(_make_doc(nlp, d)), None
    except TimeLimitExceeded:
        return None, ("timeout", f"processing took longer than the per-document limit of {timeout:g} s (--timeout)")
    except Exception as exc:
        frame = traceback.extract_tb(exc.__traceback__)[-1]
        return None, ("nlp", f"{type(exc).__name__}: {exc} (in {frame.name}, {frame.filename}:{frame.lineno})")


def _make_doc(nlp: Language, d: Document):
    doc = nlp.make_doc(mask_boilerplate(d.text).text)
    doc._.published = d.published
    return doc
