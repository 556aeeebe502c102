"""The trainable attribution pipe: BIO tags per role -> spans -> linked Attribution objects.

Sets doc._.attributions (list[Attribution], one per cue) and keeps the tagged role spans in
doc.spans["attr_source" | "attr_cue" | "attr_content"] for inspection and scoring.
"""
from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

import numpy as np
import srsly
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.util import from_bytes as _from_bytes, from_disk as _from_disk, to_bytes as _to_bytes, to_disk as _to_disk
from spacy.vocab import Vocab
from thinc.api import Config, Model, set_dropout_rate
from thinc.util import convert_recursive, is_xp_array
from thinc.types import Floats2d

from .. import extensions  # noqa: F401  registers doc._.attributions
from ..fast_gemm import use_numpy_gemm
from .model import ROLES, SPAN_KEYS  # importing registers newsie.AttributionTagger.v1
from .scoring import score_attributions  # importing registers newsie.attribution_scorer.v1
from .linking import assign_source, link_attributions, paragraph_ids, sentence_ids

PIPE = "newsie_attribution"

# A training Doc's soft targets, (n_tokens, 9) float32, set by knowledge distillation (`distillation`).
TARGETS_ATTR = "attribution_targets"
if not Doc.has_extension(TARGETS_ATTR):
    Doc.set_extension(TARGETS_ATTR, default=None)

TAG_O, TAG_B, TAG_I = 0, 1, 2
N_TAGS = 3

# How a saved pipe stores its weight arrays (cfg["weights_dtype"]). Half precision halves the file
# (an ensemble of four MiniLM-featured taggers: 64 -> 32 MB); weights are float32 again on loading,
# so only their rounding (relative 5e-4) differs. The LSTM's torch weights stay float32.
WEIGHTS_DTYPES = ("float32", "float16")

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "newsie.AttributionTagger.v1"
context_depth = 1
context_width = 128
dropout = 0.1

[model.tok2vec]
@architectures = "spacy.Tok2Vec.v2"

[model.tok2vec.embed]
@architectures = "newsie.SyntaxEmbed.v2"
width = 96
rows = [10000, 1000, 2500, 2500, 100, 100, 5000, 100, 300, 5000, 5000, 10]
tensor_width = 96

[model.tok2vec.encode]
@architectures = "spacy.MaxoutWindowEncoder.v2"
width = 96
depth = 4
window_size = 1
maxout_pieces = 3
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]


@Language.factory(
    PIPE,
    requires=["token.tag", "token.dep", "token.lemma"],
    assigns=["doc._.attributions", "doc.spans"],
    default_config={"model": DEFAULT_MODEL, "min_content_tokens": 1, "torch_threads": 1,
                    "span_costs": {"source": 0.0, "cue": 0.0, "content": 0.0}, "resolve_sources": True,
                    "require_content": True, "scorer": {"@scorers": "newsie.attribution_scorer.v1"}},
    default_score_weights={
        "attribution_source_f": 0.25,
        "attribution_cue_f": 0.25,
        "attribution_content_f": 0.25,
        "attribution_link_f": 0.25,
    },
)
def make_attribution_tagger(nlp: Language, name: str, model: Model, min_content_tokens: int,
                            torch_threads: int, span_costs: Dict[str, float],
                            resolve_sources: bool, require_content: bool,
                            scorer: Optional[Callable] = score_attributions) -> "AttributionTagger":
    """span_costs: per role, the log-probability every decoded span pays (see constrained_viterbi).
    resolve_sources: set Attribution.canonical from the entities (false in newsie's own models,
    whose pipeline resolves every source in the claims stage, with the alias file).
    require_content: a cue that links to no content makes no attribution (its span stays in
    doc.spans["attr_cue"]); PolNeAR has one attribution without content in 2,193 (dev).
    scorer: what spaCy's training loop and Language.evaluate score it with (exact spans per role,
    links: `scoring`), named in config as spaCy's own components name theirs."""
    limit_torch_threads(torch_threads)
    limit_lstm_primitive_cache()
    return AttributionTagger(nlp.vocab, model, name, min_content_tokens=min_content_tokens, span_costs=span_costs,
                             resolve_sources=resolve_sources, require_content=require_content, scorer=scorer)


def limit_torch_threads(threads: int) -> None:
    """torch's intra-op pool (and OpenBLAS's: see newsie/fast_gemm.py) makes the small model
    slower, not faster, when other processes hold the cores: on the shared 2-core machine prediction
    fell from 29k to 0.5k words/s with 2 torch threads. 0 leaves both alone (use that on GPU or with
    a transformer)."""
    if threads > 0:
        import torch
        from threadpoolctl import threadpool_limits

        torch.set_num_threads(threads)
        threadpool_limits(limits=threads, user_api="blas")


# torch runs the BiLSTM through oneDNN, which builds a primitive per input shape, with its own
# copy of the weights, and caches 1,024 of them. Every article has its own length, so the cache
# held about 145 MB after 250 articles, and a run's memory grew with its corpus until it filled.
# A few entries keep the speed (the primitive is rebuilt per article either way). Read by oneDNN
# when torch builds its first primitive; a value set by the user is kept.
LSTM_PRIMITIVE_CACHE = 8


def limit_lstm_primitive_cache() -> None:
    os.environ.setdefault("ONEDNN_PRIMITIVE_CACHE_CAPACITY", str(LSTM_PRIMITIVE_CACHE))


class AttributionTagger(TrainablePipe):
    """Tags every token O/B/I once per role (three softmax heads on one encoder), then links the spans."""

    def __init__(self, vocab: Vocab, model: Model, name: str = PIPE, *, min_content_tokens: int = 1,
                 span_costs: Optional[Dict[str, float]] = None, resolve_sources: bool = True,
                 require_content: bool = True, scorer: Optional[Callable] = score_attributions):
        unknown = set(span_costs or {}) - set(ROLES)
        if unknown:
            raise ValueError(f"span_costs names unknown roles {sorted(unknown)}; roles are {ROLES}")
        self.vocab = vocab
        use_numpy_gemm(model)
        self.model = model
        self.name = name
        self.cfg = {"min_content_tokens": min_content_tokens}
        # Not in self.cfg, which a saved pipe restores over its config: config.cfg alone sets them.
        self.span_costs = dict(span_costs or {})
        self.resolve_sources = resolve_sources
        self.require_content = require_content
        self.scorer = scorer

    # --- prediction ------------------------------------------------------------------------------
    def predict(self, docs: Iterable[Doc]) -> List[Floats2d]:
        docs = list(docs)
        # One document at a time: in a padded batch the BiLSTM's floats depend on the batch's
        # other documents, and a run's output must not depend on how documents are chunked.
        return [self._predict_one(doc) for doc in docs]

    def _predict_one(self, doc: Doc) -> Floats2d:
        if not len(doc):
            return self.model.ops.alloc2f(0, N_TAGS * len(ROLES))
        return self.model.ops.to_numpy(self.model.predict([doc])[0])

    def set_annotations(self, docs: Iterable[Doc], scores: List[Floats2d]) -> None:
        for doc, doc_scores in zip(docs, scores):
            spans, confidences = {}, {}
            for index, role in enumerate(ROLES):
                role_scores = np.asarray(doc_scores[:, index * N_TAGS:(index + 1) * N_TAGS])
                span_cost = self.span_costs.get(role, 0.0)
                spans[role], confidences[role] = decode_bio(doc, role_scores, role, span_cost)
                doc.spans[SPAN_KEYS[role]] = spans[role]
            contents = [s for s in spans["content"] if len(s) >= self.cfg["min_content_tokens"]]
            attributions = link_attributions(doc, spans["source"], spans["cue"], contents,
                                             resolve_sources=self.resolve_sources, cue_scores=confidences["cue"])
            if any(not a.content for a in attributions) and doc.has_annotation("SENT_START"):
                found = content_for_cues_without(doc, attributions, spans, doc_scores[:, 2 * N_TAGS + TAG_O])
                if found:
                    doc.spans[SPAN_KEYS["content"]] = sorted(list(spans["content"]) + found)
            if self.require_content:
                attributions = [a for a in attributions if a.content]
            doc._.attributions = attributions

    # --- training --------------------------------------------------------------------------------
    def update(self, examples: Iterable[Example], *, drop: float = 0.0, sgd=None, losses=None) -> dict:
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples_have_spans(examples)
        docs = [eg.predicted for eg in examples]
        if not any(len(doc) for doc in docs):
            return losses
        set_dropout_rate(self.model, drop)
        scores, backprop = self.model.begin_update(docs)
        loss, d_scores = self.get_loss(examples, scores)
        backprop(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores: List[Floats2d]):
        """Cross-entropy per role head; the gradient (probabilities - target) is what Softmax expects.
        The target is the gold one-hot, or the soft target a teacher gave the reference (`distillation`)."""
        truths = [self.model.ops.asarray2f(training_target(eg)) for eg in examples]
        d_scores = [doc_scores - truth for doc_scores, truth in zip(scores, truths)]
        loss = sum(-float((truth * self.model.ops.xp.log(doc_scores + 1e-8)).sum())
                   for doc_scores, truth in zip(scores, truths))
        n_tokens = max(sum(len(t) for t in truths), 1)
        return loss / n_tokens, d_scores

    def initialize(self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None) -> None:
        validate_get_examples(get_examples, "AttributionTagger.initialize")
        sample = [eg for _, eg in zip(range(10), get_examples())]
        docs = [eg.predicted for eg in sample]
        truths = [self.model.ops.asarray2f(gold_tag_matrix(eg)) for eg in sample]
        self.model.initialize(X=docs, Y=truths)

    def add_label(self, label: str) -> int:
        raise NotImplementedError("The attribution tagger has fixed labels: source, cue, content.")

    @property
    def labels(self) -> tuple[str, ...]:
        return ROLES

    # --- serialization ---------------------------------------------------------------------------
    # TrainablePipe's, with the weight arrays stored in cfg["weights_dtype"].
    def to_bytes(self, *, exclude=tuple()) -> bytes:
        model = self._model_bytes()
        return _to_bytes({"cfg": lambda: srsly.json_dumps(self.cfg), "vocab": lambda: self.vocab.to_bytes(exclude=exclude),
                          "model": lambda: model}, exclude)

    def from_bytes(self, bytes_data: bytes, *, exclude=tuple()) -> "AttributionTagger":
        _from_bytes(bytes_data, {"cfg": lambda b: self.cfg.update(srsly.json_loads(b)),
                                 "vocab": lambda b: self.vocab.from_bytes(b, exclude=exclude),
                                 "model": lambda b: load_model_bytes(self.model, b)}, exclude)
        return self

    def to_disk(self, path, *, exclude=tuple()) -> None:
        model = self._model_bytes()
        _to_disk(path, {"cfg": lambda p: srsly.write_json(p, self.cfg),
                        "vocab": lambda p: self.vocab.to_disk(p, exclude=exclude),
                        "model": lambda p: Path(p).write_bytes(model)}, exclude)

    def from_disk(self, path, *, exclude=tuple()) -> "AttributionTagger":
        _from_disk(path, {"cfg": lambda p: self.cfg.update(srsly.read_json(p)),
                          "vocab": lambda p: self.vocab.from_disk(p, exclude=exclude),
                          "model": lambda p: load_model_bytes(self.model, Path(p).read_bytes())}, exclude)
        return self

    def _model_bytes(self) -> bytes:
        return model_bytes(self.model, self.cfg.get("weights_dtype", "float32"))


def model_bytes(model: Model, weights_dtype: str = "float32") -> bytes:
    """thinc's Model.to_bytes(), with float32 weight arrays stored as weights_dtype."""
    if weights_dtype not in WEIGHTS_DTYPES:
        raise ValueError(f"weights_dtype {weights_dtype!r} is not one of {WEIGHTS_DTYPES}")
    msg = convert_recursive(is_xp_array, partial(model.ops.to_numpy, byte_order="<"), model.to_dict())
    if weights_dtype != "float32":
        msg["params"] = [{name: _cast(value, np.float32, weights_dtype) for name, value in params.items()}
                         for params in msg["params"]]
    return srsly.msgpack_dumps(msg)


def load_model_bytes(model: Model, data: bytes) -> Model:
    """thinc's Model.from_bytes(data), with weight arrays stored in half precision made float32 again."""
    msg = srsly.msgpack_loads(data)
    msg["params"] = [{name: _cast(value, np.float16, np.float32) for name, value in params.items()}
                     for params in msg["params"]]
    return model.from_dict(convert_recursive(is_xp_array, model.ops.asarray, msg))


def _cast(value, source, target):
    return value.astype(target) if isinstance(value, np.ndarray) and value.dtype == source else value


def decode_bio(doc: Doc, role_scores: np.ndarray, role: str, span_cost: float = 0.0) -> tuple[list[Span], list[float]]:
    """Most probable tag path with I never after O or at the start, then spans from the B/I runs.

    The constraint matters: greedy argmax turns every dip inside a long content clause into a split
    or a truncated span; on dev the constrained path gave +5 exact F1 on content, +2 on cue and source.
    """
    tags = constrained_viterbi(role_scores, span_cost)
    spans, start = [], None
    for i, tag in enumerate(tags):
        if start is not None and tag != TAG_I:
            spans.append(Span(doc, start, i, label=role))
            start = None
        if tag == TAG_B:
            start = i
    if start is not None:
        spans.append(Span(doc, start, len(tags), label=role))
    # Four decimals: the base model's float rounding differs with batch composition (OpenBLAS picks
    # kernels by matrix size), and a confidence must not change with how a run was chunked.
    confidences = [round(float(1.0 - role_scores[span.start:span.end, TAG_O].mean()), 4) for span in spans]
    return spans, confidences


def content_for_cues_without(doc: Doc, attributions: list, spans: Dict[str, list], content_o: np.ndarray) -> list[Span]:
    """A cue that links to no content takes, in its sentence, the stretch of untagged tokens the
    content head finds likelier content than not (the largest positive sum of log-odds), i.e. what
    decoding would have made content without the span cost; a cue left without source then takes
    one as linking does. Returns the new content spans. On PolNeAR dev: +0.4 source and cue exact
    F1, content -0.1 (a choice made on dev)."""
    taken = np.zeros(len(doc), dtype=bool)
    for role_spans in spans.values():
        for span in role_spans:
            taken[span.start:span.end] = True
    found, paragraphs, sentences = [], None, None
    for a in attributions:
        if a.content or a.cue is None:
            continue
        sent = a.cue.sent
        p_o = np.asarray(content_o[sent.start:sent.end], dtype="float64")
        log_odds = np.log(1.0 - p_o + 1e-9) - np.log(p_o + 1e-9)
        segment = best_stretch(np.where(taken[sent.start:sent.end], -np.inf, log_odds))
        if segment is None:
            continue
        content = Span(doc, sent.start + segment[0], sent.start + segment[1], label="content")
        taken[content.start:content.end] = True
        a.content = [content]
        found.append(content)
        if a.source is None:
            if paragraphs is None:
                paragraphs, sentences = paragraph_ids(doc), sentence_ids(doc)
            a.source = assign_source(a.cue, a.content, spans["source"], paragraphs, sentences)
    return found


def best_stretch(values: np.ndarray) -> tuple[int, int] | None:
    """(start, end) of the contiguous stretch with the largest sum, if that sum is positive."""
    best, best_range, running, start = 0.0, None, 0.0, 0
    for i, value in enumerate(values.tolist()):
        if running <= 0.0:
            running, start = value, i
        else:
            running += value
        if running > best:
            best, best_range = running, (start, i + 1)
    return best_range


def constrained_viterbi(probs: np.ndarray, span_cost: float = 0.0) -> list[int]:
    """Viterbi over O/B/I with O->I and start->I forbidden; pure Python, as 3 states beat numpy overhead.

    `span_cost` (in log-probability) is paid once by every span, when it starts: a prior for fewer,
    longer spans, which keeps a long quotation whole through a dip in its I scores instead of
    splitting it, and drops one-token blips."""
    if len(probs) == 0:
        return []
    logp = np.log(np.asarray(probs, dtype="float64") + 1e-9).tolist()
    impossible = float("-inf")
    o, b, i = logp[0][TAG_O], logp[0][TAG_B] - span_cost, impossible
    back: list[tuple[int, int, int]] = []
    for lo, lb, li in logp[1:]:
        best_prev = TAG_O if o >= max(b, i) else (TAG_B if b >= i else TAG_I)
        best_prev_i = TAG_B if b >= i else TAG_I  # I follows B or I only
        prev_any = max(o, b, i)
        back.append((best_prev, best_prev, best_prev_i))
        o, b, i = prev_any + lo, prev_any + lb - span_cost, max(b, i) + li
    last = [o, b, i]
    tag = max(range(N_TAGS), key=last.__getitem__)
    tags = [tag]
    for pointers in reversed(back):
        tag = pointers[tag]
        tags.append(tag)
    return tags[::-1]


def gold_tag_matrix(example: Example) -> np.ndarray:
    """One-hot O/B/I per role for the predicted tokens, from the reference span groups."""
    n_tokens = len(example.predicted)
    truth = np.zeros((n_tokens, N_TAGS * len(ROLES)), dtype="float32")
    for index, role in enumerate(ROLES):
        column = index * N_TAGS
        truth[:, column + TAG_O] = 1.0
        for span in example.get_aligned_spans_y2x(example.reference.spans.get(SPAN_KEYS[role], [])):
            truth[span.start:span.end, column + TAG_O] = 0.0
            truth[span.start, column + TAG_B] = 1.0
            truth[span.start + 1:span.end, column + TAG_I] = 1.0
    return truth


def training_target(example: Example) -> np.ndarray:
    """The reference's soft target (`distillation`) where it has one, else the gold one-hot tags."""
    target = getattr(example.reference._, TARGETS_ATTR)
    if target is None:
        return gold_tag_matrix(example)
    if target.shape != (len(example.predicted), N_TAGS * len(ROLES)):
        raise ValueError(f"soft target of shape {target.shape} for a Doc of {len(example.predicted)} tokens")
    return target


def validate_examples_have_spans(examples: list[Example]) -> None:
    if examples and not any(SPAN_KEYS["cue"] in eg.reference.spans for eg in examples):
        raise ValueError("Attribution examples need gold spans in doc.spans['attr_cue'] etc.; "
                         "convert data with newsie.attribution.data.")
