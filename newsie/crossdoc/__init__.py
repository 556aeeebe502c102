"""Cross-document steps, run once after all chunks are written, over the tables.

finalize(out_dir) reads the run's tables and rewrites, part by part and atomically:
  * mentions.canonical, attributions.source_canonical, claims.source_canonical: one name per
    source across the run (sources.py);
  * documents.duplicate_of: the earlier document a rewrite copies (duplicates.py), among
    candidate pairs found from per-document signatures (signatures.py) that each chunk wrote
    to the internal `_signatures` table;
  * claims.figure_id and a new table OUT/figures/part-00000.parquet (figures.py).
It only reads text columns and rewrites derived ones, so running it twice gives the same
tables; parts that do not change are not rewritten.
"""
from __future__ import annotations

import gc
import logging
import time
from contextlib import contextmanager
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from ..normalize.aliases import AliasTable
from ..schema import SIGNATURES
from .duplicates import DocumentIndex, document_features, find_duplicates_in
from .figures import claim_facts, figures_from_facts, run_window
from .settings import Settings, load_settings
from .signatures import PLACE_LABELS, signature_rows
from .sources import SourceResolver, resolver_from
from .tables import part_paths, read_columns, update_column, write_atomic

log = logging.getLogger(__name__)
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
FIGURES_PART = Path("figures") / "part-00000.parquet"
VECTOR_CACHE = Path("_cache") / "sentence_vectors"  # MiniLM vectors per document text, reused by reruns
CLAIM_COLUMNS = ["doc_id", "claim_id", "event_type", "quantity_start", "quantity_end", "quantity_text", "value",
                 "low", "high", "unit", "qualifier", "counted", "source_text", "source_canonical", "time_start",
                 "time_end", "locations", "actors", "hedged", "negated", "sentence_start", "sentence_end", "event_detail"]


def finalize(out_dir, settings: Settings | None = None, use_embeddings: bool = True,
             progress=lambda step: None) -> dict[str, float]:
    """Run every cross-document step over OUT; returns seconds spent per step. `progress(step)`
    hears each step as it starts (the run's display shows it: the step takes minutes at scale).

    It holds one small row per document (date, outlet, MinHash signature) and one compact
    record per claim; texts and other columns are read part by part, or for the candidate
    near-duplicates only."""
    out_dir, settings = Path(out_dir), settings or load_settings()
    documents = read_columns(out_dir, "documents", ["doc_id", "published", "outlet", "status"])
    if documents.num_rows == 0:
        return {}
    timings, clock = {}, time.perf_counter()
    progress("signatures")
    ok = documents.filter(pc.equal(documents["status"], "ok"))
    signatures = read_signatures(out_dir, ok)
    timings["signatures"], clock = time.perf_counter() - clock, time.perf_counter()
    progress("source names")

    resolve_sources(out_dir, source_resolver(out_dir, signatures, settings))
    timings["sources"], clock = time.perf_counter() - clock, time.perf_counter()
    progress("rewrites")

    duplicate_of = find_run_duplicates(out_dir, ok, signatures, settings, use_embeddings)
    update_column(out_dir, "documents", "duplicate_of", lambda row: duplicate_of.get(row["doc_id"]), ("doc_id",))
    timings["duplicates"], clock = time.perf_counter() - clock, time.perf_counter()
    progress("figures and disputes")

    countries = dict(zip(signatures["doc_id"].to_pylist(), signatures["countries"].to_pylist()))
    window = run_window(ok["published"].to_pylist(), settings.figures.undated_window_days)
    with _no_cycle_collection():
        facts = []
        for path in part_paths(out_dir, "claims"):
            facts.extend(_chunk_facts(out_dir, path, settings, countries, window))
        assignment, figures = figures_from_facts(facts, settings.figures, duplicate_of)
    update_column(out_dir, "claims", "figure_id", lambda row: assignment.get(row["claim_id"]), ("claim_id",))
    write_figures(out_dir, figures)
    timings["figures"] = time.perf_counter() - clock
    log.info("cross-document steps: %s", {k: round(v, 2) for k, v in timings.items()})
    return timings


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector off while a run's claim facts are built and grouped: they
    make no reference cycles, and with a million of them alive each full collection walks
    them all (at 100,000 resampled documents the figures took 13x the time of 10,000 with
    it on, 9x with it off; benchmarks/RESULTS.md)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def read_signatures(out_dir: Path, ok: pa.Table) -> pa.Table:
    """The `_signatures` rows of the run's processed documents. Documents committed by an
    older newsie, without one, get theirs computed here from their text and mentions."""
    columns = ["doc_id", "minhash", "acronyms", "countries"]
    table = read_columns(out_dir, "_signatures", columns)
    missing = sorted(set(ok["doc_id"].to_pylist()) - set(table["doc_id"].to_pylist()))
    if missing:
        ids = pa.array(missing, pa.string())
        texts = read_columns(out_dir, "documents", ["doc_id", "text", "status"], filters=pc.field("doc_id").isin(ids))
        mentions = read_columns(out_dir, "mentions", ["doc_id", "label", "text", "canonical"],
                                filters=pc.field("doc_id").isin(ids) & pc.field("label").isin(list(PLACE_LABELS)))
        computed = pa.Table.from_pylist(signature_rows(texts.to_pylist(), mentions.to_pylist()),
                                        schema=SIGNATURES).select(columns)
        table = pa.concat_tables([table, computed])
    return table


def source_resolver(out_dir: Path, signatures: pa.Table, settings: Settings) -> SourceResolver:
    aliases = AliasTable.from_file(settings.alias_file) if settings.alias_file.is_file() else AliasTable()
    acronyms = ((a["short"], a["long"]) for entries in signatures["acronyms"].to_pylist() for a in entries or ())
    people = read_columns(out_dir, "mentions", ["text"], filters=pc.field("label") == "PERSON")["text"].to_pylist()
    return resolver_from(acronyms, people, aliases, settings.government_words)


def resolve_sources(out_dir: Path, resolver: SourceResolver) -> None:
    """Canonical names across documents. The name a document gave wins over its surface
    text (it may have resolved a pronoun); either is then resolved run-wide."""
    def entity(row):
        if row.get("label") not in ENTITY_LABELS:
            return row.get("canonical")
        return _resolved(resolver, row.get("canonical"), row.get("text"), row.get("label"))

    def source(row):
        return _resolved(resolver, row.get("source_canonical"), row.get("source_text"), None)

    update_column(out_dir, "mentions", "canonical", entity, ("label", "canonical", "text"))
    update_column(out_dir, "attributions", "source_canonical", source, ("source_canonical", "source_text"))
    update_column(out_dir, "claims", "source_canonical", source, ("source_canonical", "source_text"))


def _resolved(resolver: SourceResolver, canonical: str | None, text: str | None, label: str | None) -> str | None:
    if canonical:
        return resolver.resolve(canonical, label) or canonical
    return resolver.resolve(text, label) if text else canonical


def find_run_duplicates(out_dir: Path, ok: pa.Table, signatures: pa.Table, settings: Settings,
                        use_embeddings: bool) -> dict[str, str]:
    """documents.duplicate_of: candidates from the signatures; only their texts are read."""
    published = dict(zip(ok["doc_id"].to_pylist(), ok["published"].to_pylist()))
    doc_ids = signatures["doc_id"].to_pylist()
    flat = pc.list_flatten(signatures["minhash"]).to_numpy(zero_copy_only=False)
    index = DocumentIndex(doc_ids, [published.get(d) for d in doc_ids],
                          flat.astype(np.uint32).reshape(len(doc_ids), -1) if doc_ids else np.zeros((0, 1), np.uint32))

    def load(ids: list[str]):
        if not ids:
            return {}
        wanted = pc.field("doc_id").isin(pa.array(ids, pa.string()))
        rows = read_columns(out_dir, "documents", ["doc_id", "published", "outlet", "text", "status"], filters=wanted)
        numbers = read_columns(out_dir, "_signatures", ["doc_id", "numbers"], filters=wanted)
        numbers = dict(zip(numbers["doc_id"].to_pylist(), numbers["numbers"].to_pylist()))
        return {r["doc_id"]: document_features(r, numbers.get(r["doc_id"])) for r in rows.to_pylist()
                if r["status"] == "ok"}

    duplicate_of, _ = find_duplicates_in(index, load, settings.duplicates, use_embeddings,
                                         cache_dir=out_dir / VECTOR_CACHE)
    return duplicate_of


def _chunk_facts(out_dir: Path, claims_part: Path, settings: Settings, countries: dict, window):
    """The claim facts of one chunk: its claims part beside its documents part (same chunk)."""
    claims = pq.read_table(claims_part, columns=CLAIM_COLUMNS).to_pylist()
    if not claims:
        return []
    doc_part = out_dir / "documents" / claims_part.name
    columns = ["doc_id", "published", "outlet", "text"]
    ids = pa.array(sorted({c["doc_id"] for c in claims}), pa.string())
    docs = (pq.read_table(doc_part, columns=columns, filters=pc.field("doc_id").isin(ids)) if doc_part.is_file()
            else read_columns(out_dir, "documents", columns, filters=pc.field("doc_id").isin(ids))).to_pylist()
    texts = {d["doc_id"]: d["text"] or "" for d in docs}
    published = {d["doc_id"]: d["published"] for d in docs}
    outlets = {d["doc_id"]: d["outlet"] for d in docs}
    mention_part = out_dir / "mentions" / claims_part.name
    columns = ["doc_id", "label", "start", "end", "text", "canonical", "time_start", "time_end"]
    wanted = pc.field("doc_id").isin(ids) & pc.field("label").isin([*PLACE_LABELS, "DATE"])
    mentions = (pq.read_table(mention_part, columns=columns, filters=wanted) if mention_part.is_file()
                else read_columns(out_dir, "mentions", columns, filters=wanted)).to_pylist()
    places: dict[str, list[str]] = {}
    spans: dict[str, list[tuple[int, str]]] = {}
    days: dict[str, list[tuple[int, int, object]]] = {}
    for m in mentions:
        if m["label"] != "DATE":
            places.setdefault(m["doc_id"], []).append(m["canonical"] or m["text"])
            spans.setdefault(m["doc_id"], []).append((m["start"], m["canonical"] or m["text"]))
        elif m["time_start"] is not None and m["time_start"] == m["time_end"]:
            days.setdefault(m["doc_id"], []).append((m["start"], m["end"], m["time_start"]))
    return claim_facts(claims, texts, published, outlets, settings.figures, countries, window, places, days, spans)


def write_figures(out_dir: Path, figures: pa.Table) -> None:
    write_atomic(figures, out_dir / FIGURES_PART)
