"""The Parquet table contract: one pyarrow schema per table.

This module is the public interface read by pandas, DuckDB and dashboards. The writer
casts every table to these schemas and the tests check the written files against them.
Add columns at the end; never rename or retype one (bump SCHEMA_VERSION if you must).

Offsets are Python string (code point) offsets, end-exclusive, into the document text as
read (`documents.text`); intervals (`time_start`, `time_end`) are inclusive dates.
"""
from __future__ import annotations

import pyarrow as pa

SCHEMA_VERSION = "1"
# How the summary and the report name the source of a claim no one is quoted for (source_text
# and source_canonical are null): one spelling everywhere.
ARTICLE_ITSELF = "(the article itself)"

DOCUMENTS = pa.schema([
    ("doc_id", pa.string()),
    ("source_path", pa.string()),
    ("published", pa.date32()),
    ("published_from", pa.string()),  # manifest | flag | article | jsonl | unknown
    ("title", pa.string()),
    ("outlet", pa.string()),
    ("url", pa.string()),
    ("n_chars", pa.int64()),
    ("status", pa.string()),  # ok | error
    ("encoding", pa.string()),
    ("content_sha1", pa.string()),
    ("text", pa.string()),  # the text every offset points into (for HTML: the extracted text)
    ("duplicate_of", pa.string()),  # the earlier document this one rewrites (cross-document step)
])

MENTIONS = pa.schema([
    ("doc_id", pa.string()),
    ("start", pa.int64()),
    ("end", pa.int64()),
    ("text", pa.string()),
    ("label", pa.string()),
    ("canonical", pa.string()),
    ("value", pa.float64()),
    ("low", pa.float64()),
    ("high", pa.float64()),
    ("unit", pa.string()),
    ("timex_type", pa.string()),
    ("timex_value", pa.string()),
    ("time_start", pa.date32()),
    ("time_end", pa.date32()),
])

# A range of text: code point offsets into documents.text, end-exclusive.
OFFSET_SPAN = pa.struct([("start", pa.int64()), ("end", pa.int64())])

ATTRIBUTIONS = pa.schema([
    ("doc_id", pa.string()),
    ("attribution_id", pa.string()),
    ("source_start", pa.int64()),
    ("source_end", pa.int64()),
    ("source_text", pa.string()),
    ("source_canonical", pa.string()),
    ("cue_start", pa.int64()),
    ("cue_end", pa.int64()),
    ("cue_text", pa.string()),
    ("content_start", pa.int64()),
    ("content_end", pa.int64()),
    ("score", pa.float64()),
    # where source_canonical was taken from when the source names no one itself ("It said",
    # "the organization said"): the earlier name, as offsets into documents.text
    ("antecedent_start", pa.int64()),
    ("antecedent_end", pa.int64()),
    ("antecedent_text", pa.string()),
    # the content's fragments ("X," he said, "Y" has two), in text order; content_start and
    # content_end are their hull. cue_spans likewise (one entry unless the cue is discontinuous).
    ("content_spans", pa.list_(OFFSET_SPAN)),
    ("cue_spans", pa.list_(OFFSET_SPAN)),
])

CLAIMS = pa.schema([
    ("doc_id", pa.string()),
    ("claim_id", pa.string()),
    ("event_type", pa.string()),
    ("quantity_start", pa.int64()),
    ("quantity_end", pa.int64()),
    ("quantity_text", pa.string()),
    ("value", pa.float64()),
    ("low", pa.float64()),
    ("high", pa.float64()),
    ("unit", pa.string()),
    ("approximate", pa.bool_()),
    ("qualifier", pa.string()),
    ("counted", pa.string()),
    ("source_text", pa.string()),
    ("source_canonical", pa.string()),
    ("attribution_id", pa.string()),
    ("time_text", pa.string()),
    ("time_start", pa.date32()),
    ("time_end", pa.date32()),
    ("locations", pa.list_(pa.string())),
    ("actors", pa.list_(pa.string())),
    ("hedged", pa.bool_()),
    ("negated", pa.bool_()),
    ("sentence_start", pa.int64()),
    ("sentence_end", pa.int64()),
    ("figure_id", pa.string()),  # claims about the same fact share it (cross-document step)
    # added in 0.5: event_type is one of the guide's coarse kinds (killed, wounded, casualties,
    # deployed, supplied, infected, cases) or "other"; event_detail is the finer type the
    # taxonomy names, when there is one (missing, displaced, hospitalized, arrested, ...)
    ("event_detail", pa.string()),
])

ERRORS = pa.schema([
    ("doc_id", pa.string()),
    ("source_path", pa.string()),
    ("stage", pa.string()),
    ("message", pa.string()),
])

# Internal, not part of the table contract: what the cross-document step needs from each
# processed document, computed by the worker that processed it (newsie/crossdoc/signatures.py).
SIGNATURES = pa.schema([
    ("doc_id", pa.string()),
    ("numbers", pa.list_(pa.string())),  # the text's numbers in order, separators removed
    ("minhash", pa.list_(pa.uint32())),  # MinHash of its numbers and names
    ("acronyms", pa.list_(pa.struct([("short", pa.string()), ("long", pa.string())]))),
    ("countries", pa.list_(pa.string())),  # ISO codes of the countries its mentions name
])

TABLES: dict[str, pa.Schema] = {
    "documents": DOCUMENTS,
    "mentions": MENTIONS,
    "attributions": ATTRIBUTIONS,
    "claims": CLAIMS,
    "errors": ERRORS,
    "_signatures": SIGNATURES,
}

# --- written once per run by the cross-document step (newsie/crossdoc), not per chunk ---

FIGURE_SOURCE = pa.struct([
    ("source", pa.string()),  # source_canonical, or the outlet (doc_id) when the article states it
    ("source_text", pa.string()),
    ("doc_id", pa.string()),
    ("claim_id", pa.string()),
    ("published", pa.date32()),
    ("value", pa.float64()),
    ("low", pa.float64()),
    ("high", pa.float64()),
    ("quantity_text", pa.string()),
    ("duplicate_of", pa.string()),  # the document's duplicate_of: not an independent report
    ("superseded", pa.bool_()),  # a later report of the fact replaces it (same source later, or a revision)
    ("hedged", pa.bool_()),  # the claim's hedged
    ("negated", pa.bool_()),  # the claim's negated: denied or retracted, not a value of the fact
])

FIGURES = pa.schema([
    ("figure_id", pa.string()),
    ("event_type", pa.string()),
    ("counted", pa.string()),
    ("n_claims", pa.int64()),
    ("n_sources", pa.int64()),
    ("n_documents", pa.int64()),
    ("n_independent_documents", pa.int64()),  # documents that are not rewrites of another member
    ("min_low", pa.float64()),
    ("max_high", pa.float64()),  # finite upper bounds only ("at least 3,000" counts by its low)
    ("earliest_report", pa.date32()),  # documents.published
    ("latest_report", pa.date32()),
    ("time_start", pa.date32()),  # the union of the dated claims' intervals
    ("time_end", pa.date32()),
    ("disputed", pa.bool_()),
    ("spread", pa.float64()),  # largest ratio between two sources' intervals (1 = agree)
    ("sources", pa.list_(FIGURE_SOURCE)),  # one entry per claim, in publication order
    ("updated", pa.bool_()),  # a later report replaced the fact's figure at least once
    ("latest_low", pa.float64()),  # the most recent value of each source, combined (superseded and
    ("latest_high", pa.float64()),  # negated entries left out); null where no bound is stated
    ("place", pa.string()),  # where the fact is counted: the figures' own place, else their articles' country
    ("unit", pa.string()),  # the unit of min_low .. latest_high: the one most of its claims state; null for counts
    ("event_detail", pa.string()),  # the finer event of an "other" figure its claims name (spilled, recovered, missing)
])

CROSSDOC_TABLES: dict[str, pa.Schema] = {"figures": FIGURES}
