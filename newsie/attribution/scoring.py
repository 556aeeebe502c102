"""Scores for attribution output against gold records, in character offsets: used by the tagger's
scorer (spaCy's training loop, `newsie.attribution_scorer.v1`) and by `newsie eval attribution`.

Per role (source, cue, content), over the distinct spans of each article:
  exact    a predicted span counts when a gold span of that role has the same start and end
  overlap  a predicted span counts when it overlaps a gold span of that role (recall: the reverse)
Content is scored on its fragments, as the gold stores them (one [start, end] per fragment:
'"X," he said, "Y"' is two), so the role rows compare with span taggers' published figures.
"content set" is stricter: a predicted attribution's whole set of content fragments counts when
one gold attribution has exactly that set ('"X," he said, "Y"' is one set of two fragments).
Link: a predicted attribution is right when one gold attribution has a cue, a content fragment and a
source each overlapping the predicted ones (a missing source matches a missing source); recall is the
share of gold attributions matched by some prediction.
Offsets are compared after trimming surrounding whitespace on both sides.
"""
from __future__ import annotations

from typing import Callable, Iterable

from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from .model import LINKS_KEY, ROLES, SPAN_KEYS

Spans = list[tuple[int, int]]


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _attributions(record: dict) -> list[dict[str, Spans]]:
    text = record["text"]
    return [{role: [_trim(text, s, e) for s, e in attribution.get(role, [])] for role in ROLES}
            for attribution in record.get("attributions", [])]


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def _any_overlap(spans: Spans, others: Spans) -> bool:
    return any(_overlaps(a, b) for a in spans for b in others)


def doc_to_record(doc: Doc, doc_id: str | None = None) -> dict:
    """A processed Doc's doc._.attributions in the JSONL format (so predictions can be saved and scored)."""
    attributions = []
    for attribution in doc._.attributions or []:
        attributions.append({
            "source": [[attribution.source.start_char, attribution.source.end_char]] if attribution.source else [],
            "cue": [[span.start_char, span.end_char] for span in attribution.cue_spans],
            "content": [[span.start_char, span.end_char] for span in attribution.content_spans],
            "score": attribution.score,
            "canonical": attribution.canonical,
        })
    return {"id": doc_id if doc_id is not None else doc.user_data.get("id"), "text": doc.text,
            "attributions": attributions}


class _Counts:
    def __init__(self) -> None:
        self.tp_pred = self.tp_gold = self.n_pred = self.n_gold = 0

    def prf(self) -> dict[str, float]:
        p = self.tp_pred / self.n_pred if self.n_pred else 0.0
        r = self.tp_gold / self.n_gold if self.n_gold else 0.0
        return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def _count_roles(gold: list[dict[str, Spans]], pred: list[dict[str, Spans]], counts: dict) -> None:
    for role in ROLES:
        gold_spans = {span for a in gold for span in a[role]}
        pred_spans = {span for a in pred for span in a[role]}
        exact, overlap = counts[role]["exact"], counts[role]["overlap"]
        for c in (exact, overlap):
            c.n_gold += len(gold_spans)
            c.n_pred += len(pred_spans)
        exact.tp_pred += len(gold_spans & pred_spans)
        exact.tp_gold += len(gold_spans & pred_spans)
        overlap.tp_pred += sum(any(_overlaps(p, g) for g in gold_spans) for p in pred_spans)
        overlap.tp_gold += sum(any(_overlaps(g, p) for p in pred_spans) for g in gold_spans)


def _count_content_sets(gold: list[dict[str, Spans]], pred: list[dict[str, Spans]], counts: _Counts) -> None:
    gold_sets = {tuple(sorted(set(a["content"]))) for a in gold if a["content"]}
    pred_sets = {tuple(sorted(set(a["content"]))) for a in pred if a["content"]}
    counts.n_gold += len(gold_sets)
    counts.n_pred += len(pred_sets)
    counts.tp_pred += len(gold_sets & pred_sets)
    counts.tp_gold += len(gold_sets & pred_sets)


def _links_match(pred: dict[str, Spans], gold: dict[str, Spans]) -> bool:
    sources_match = _any_overlap(pred["source"], gold["source"]) or (not pred["source"] and not gold["source"])
    return sources_match and _any_overlap(pred["cue"], gold["cue"]) and _any_overlap(pred["content"], gold["content"])


def _count_links(gold: list[dict[str, Spans]], pred: list[dict[str, Spans]], link: _Counts) -> None:
    link.n_gold += len(gold)
    link.n_pred += len(pred)
    link.tp_pred += sum(any(_links_match(p, g) for g in gold) for p in pred)
    link.tp_gold += sum(any(_links_match(p, g) for p in pred) for g in gold)


def score_records(gold_records: Iterable[dict], pred_records: Iterable[dict]) -> dict:
    """Scores of predicted records against gold records, paired by position."""
    counts = {role: {"exact": _Counts(), "overlap": _Counts()} for role in ROLES}
    link, content_sets = _Counts(), _Counts()
    for gold_record, pred_record in zip(gold_records, pred_records, strict=True):
        gold, pred = _attributions(gold_record), _attributions(pred_record)
        _count_roles(gold, pred, counts)
        _count_content_sets(gold, pred, content_sets)
        _count_links(gold, pred, link)
    scores = {role: {kind: c.prf() for kind, c in by_kind.items()} for role, by_kind in counts.items()}
    scores["content_set"] = content_sets.prf()
    scores["link"] = link.prf()
    return scores


def reference_record(doc: Doc) -> dict:
    """A gold Doc (`data.record_to_doc`) as a record; without stored links, one attribution per cue."""
    links = doc.user_data.get(LINKS_KEY)
    if links is None:  # no links stored: score roles only, as one attribution per cue
        links = [{"source": [], "cue": [(s.start, s.end)], "content": []} for s in doc.spans.get(SPAN_KEYS["cue"], [])]
    return {"text": doc.text, "attributions": [
        {role: [[doc[s:e].start_char, doc[s:e].end_char] for s, e in link[role]] for role in ROLES}
        for link in links]}


def score_attributions(examples: Iterable[Example], **kwargs) -> dict[str, float]:
    """Exact-match precision, recall and F per role and for links, as spaCy's training loop
    reads them (`attribution_source_f`, ..., `attribution_link_f`)."""
    gold, pred = [], []
    for eg in examples:
        gold.append(reference_record(eg.reference))
        pred.append(doc_to_record(eg.predicted))
    scores = score_records(gold, pred)
    flat = {}
    for role in ROLES:
        for key, value in scores[role]["exact"].items():
            flat[f"attribution_{role}_{key}"] = value
    for key, value in scores["link"].items():
        flat[f"attribution_link_{key}"] = value
    return flat


@registry.scorers("newsie.attribution_scorer.v1")
def make_attribution_scorer() -> Callable[..., dict[str, float]]:
    """The tagger's scorer, named in its config as spaCy's own components name theirs."""
    return score_attributions
