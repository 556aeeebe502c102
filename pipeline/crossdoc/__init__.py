"""Cross-document steps, run once after all chunks are written, over the tables.

finalize(out_dir) reads the run's tables and rewrites, part by part and atomically:
  * mentions.canonical, attributions.source_canonical, claims.source_canonical: one name per
    source across the run (sources.py);
  * documents.duplicate_of: the earlier document a rewrite copies (duplicates.py);
  * claims.figure_id and a new table OUT/figures/part-00000.parquet (figures.py).
It only reads text columns and rewrites derived ones, so running it twice gives the same
tables; parts that do not change are not rewritten.
"""
from __future__ import annotations

import logging
import time
from pathlib import Path

import pyarrow as pa

from ..normalize.aliases import AliasTable
from .duplicates import find_duplicates
from .figures import build_figures
from .settings import Settings, load_settings
from .sources import SourceResolver, build_resolver
from .tables import read_rows, update_column, write_atomic

log = logging.getLogger(__name__)
ENTITY_LABELS = {"PERSON", "ORG", "GPE", "NORP", "FAC", "LOC"}
FIGURES_PART = Path("figures") / "part-00000.parquet"
VECTOR_CACHE = Path("_cache") / "sentence_vectors"  # MiniLM vectors per document text, reused by reruns


def finalize(out_dir, settings: Settings | None = None, use_embeddings: bool = True) -> dict[str, float]:
    """Run every cross-document step over OUT; returns seconds spent per step."""
    out_dir, settings = Path(out_dir), settings or load_settings()
    documents = read_rows(out_dir, "documents")
    if not documents:
        return {}
    timings, clock = {}, time.perf_counter()

    resolver = source_resolver(out_dir, documents, settings)
    resolve_sources(out_dir, resolver)
    timings["sources"], clock = time.perf_counter() - clock, time.perf_counter()

    duplicate_of, _ = find_duplicates(documents, settings.duplicates, use_embeddings, cache_dir=out_dir / VECTOR_CACHE)
    update_column(out_dir, "documents", "duplicate_of", lambda row: duplicate_of.get(row["doc_id"]))
    timings["duplicates"], clock = time.perf_counter() - clock, time.perf_counter()

    assignment, figures = build_figures(read_rows(out_dir, "claims"), documents, settings.figures, duplicate_of)
    update_column(out_dir, "claims", "figure_id", lambda row: assignment.get(row["claim_id"]))
    write_figures(out_dir, figures)
    timings["figures"] = time.perf_counter() - clock
    log.info("cross-document steps: %s", {k: round(v, 2) for k, v in timings.items()})
    return timings


def source_resolver(out_dir: Path, documents: list[dict], settings: Settings) -> SourceResolver:
    aliases = AliasTable.from_file(settings.alias_file) if settings.alias_file.is_file() else AliasTable()
    people = [m["text"] for m in read_rows(out_dir, "mentions") if m.get("label") == "PERSON"]
    return build_resolver((d.get("text") or "" for d in documents), people, aliases, settings.government_words)


def resolve_sources(out_dir: Path, resolver: SourceResolver) -> None:
    """Canonical names across documents. The name a document gave wins over its surface
    text (it may have resolved a pronoun); either is then resolved run-wide."""
    def entity(row):
        if row.get("label") not in ENTITY_LABELS:
            return row.get("canonical")
        return _resolved(resolver, row.get("canonical"), row.get("text"), row.get("label"))

    def source(row):
        return _resolved(resolver, row.get("source_canonical"), row.get("source_text"), None)

    update_column(out_dir, "mentions", "canonical", entity)
    update_column(out_dir, "attributions", "source_canonical", source)
    update_column(out_dir, "claims", "source_canonical", source)


def _resolved(resolver: SourceResolver, canonical: str | None, text: str | None, label: str | None) -> str | None:
    if canonical:
        return resolver.resolve(canonical, label) or canonical
    return resolver.resolve(text, label) if text else canonical


def write_figures(out_dir: Path, figures: pa.Table) -> None:
    write_atomic(figures, out_dir / FIGURES_PART)
