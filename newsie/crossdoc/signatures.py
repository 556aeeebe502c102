"""Per-document signatures for the cross-document step, computed where the chunk is processed.

Everything the final step needs to know about one document that can be computed from that
document alone is computed here, in the worker that processed it, and written with the
chunk as one row of the internal `_signatures` table (schema.SIGNATURES):

* `numbers`: the document's numbers in text order ("4,000" -> "4000"), for the rewrite
  score's longest common subsequence;
* `minhash`: a MinHash signature (Broder 1997, "On the resemblance and containment of
  documents") of the document's fact words, its numbers and the capitalized words inside
  sentences (names). Rewrites repeat these facts even when every sentence is reworded, so
  their sets overlap far more than two stories on one topic do (the seed AP story and its
  USLive rewrite: Jaccard 0.44; the median pair of 200 PolNeAR political articles: 0.05).
  The final step finds candidate pairs from these signatures by banding (locality-sensitive
  hashing, Indyk & Motwani 1998; Leskovec, Rajaraman & Ullman, *Mining of Massive Datasets*,
  ch. 3), so its work grows with the number of documents, not with the number of pairs;
* `acronyms`: the "long form (SF)" definitions of the text (Schwartz & Hearst 2003), which
  the source names of the whole run use;
* `countries`: the countries its place and nationality mentions name (ISO codes,
  places.country_of), which keep figures from joining facts about different countries.

The hash family is fixed (seeded), so signatures written by different processes, machines
or runs are comparable.
"""
from __future__ import annotations

import hashlib
import re

import numpy as np

from ..normalize.aliases import find_abbreviations
from .places import countries_of

NUM_PERMUTATIONS = 64
_MERSENNE = np.uint64((1 << 61) - 1)
_MAX_HASH = np.uint64((1 << 32) - 1)
_rng = np.random.default_rng(20261201)
# a, b < 2**31 and x < 2**32: a*x + b stays below 2**64, so uint64 arithmetic is exact.
_A = _rng.integers(1, 1 << 31, NUM_PERMUTATIONS, dtype=np.uint64)
_B = _rng.integers(0, 1 << 31, NUM_PERMUTATIONS, dtype=np.uint64)

_NUMBER = re.compile(r"\d[\d,.]*\d|\d")
# A capitalized word after a lowercase word or a comma: a name, not a sentence's first word.
_INNER_NAME = re.compile(r"(?<=[a-z,;:] )[A-Z][\w'’-]{2,}")


def numbers_in(text: str) -> list[str]:
    """The numbers of a text in order, without thousands separators or a final period."""
    return [n.replace(",", "").rstrip(".") for n in _NUMBER.findall(text or "")]


def fact_features(text: str) -> set[str]:
    """What a rewrite repeats: numbers of two digits or more, and names."""
    features = {"n:" + m.group().lower() for m in _INNER_NAME.finditer(text or "")}
    features.update("#:" + n for n in numbers_in(text) if len(n.replace(".", "")) >= 2)
    return features


def _hash32(feature: str) -> int:
    return int.from_bytes(hashlib.blake2b(feature.encode("utf-8"), digest_size=4).digest(), "little")


def minhash(features: set[str]) -> np.ndarray:
    """NUM_PERMUTATIONS minimum hash values of the set (uint32); all MAX for an empty set.
    Universal hashing ((a*x + b) mod p) over 32-bit feature hashes (Carter & Wegman 1979)."""
    if not features:
        return np.full(NUM_PERMUTATIONS, _MAX_HASH, dtype=np.uint32)
    hashes = np.fromiter((_hash32(f) for f in features), dtype=np.uint64, count=len(features))
    permuted = (np.outer(hashes, _A) + _B) % _MERSENNE & _MAX_HASH
    return permuted.min(axis=0).astype(np.uint32)


def estimated_jaccard(a: np.ndarray, b: np.ndarray) -> float:
    """Share of equal MinHash values: an unbiased estimate of the two sets' Jaccard index."""
    return float(np.mean(a == b))


PLACE_LABELS = ("GPE", "NORP", "LOC")


def signature_row(doc_id: str, text: str, places: list[str] = ()) -> dict:
    """The `_signatures` row of one document; `places`: its place and nationality mentions."""
    return {
        "doc_id": doc_id,
        "numbers": numbers_in(text),
        "minhash": minhash(fact_features(text)).tolist(),
        "acronyms": [{"short": short, "long": re.sub(r"^(the|The)\s+", "", long_form)}
                     for short, long_form, _ in find_abbreviations(text or "")],
        "countries": sorted(countries_of(places)),
    }


def signature_rows(documents: list[dict], mentions: list[dict] = ()) -> list[dict]:
    """Rows for the documents of a chunk that were processed (status ok)."""
    places: dict[str, list[str]] = {}
    for m in mentions:
        if m.get("label") in PLACE_LABELS:
            places.setdefault(m["doc_id"], []).append(m.get("canonical") or m["text"])
    return [signature_row(d["doc_id"], d.get("text") or "", places.get(d["doc_id"], []))
            for d in documents if d.get("status") == "ok"]
