"""Scores for attribution output against gold JSONL, in character offsets.

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

import json
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .data import ROLES, read_records

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


def records_from_run(out_dir: str | Path, gold_records: list[dict]) -> list[dict]:
    """Predictions from a `newsie run` output folder's attributions table, by doc_id = gold id.
    Content and cue come from `content_spans` / `cue_spans` (their fragments); a table written
    before those columns existed gives the hull (`content_start`, `content_end`) instead."""
    import pandas as pd

    table = pd.read_parquet(Path(out_dir) / "attributions")
    by_doc: dict[str, list[dict]] = {}
    for row in table.itertuples():
        spans = {"source": _span(row.source_start, row.source_end),
                 "cue": _fragments(row, "cue_spans") if hasattr(row, "cue_spans") else _span(row.cue_start, row.cue_end),
                 "content": (_fragments(row, "content_spans") if hasattr(row, "content_spans")
                             else _span(row.content_start, row.content_end))}
        by_doc.setdefault(row.doc_id, []).append(spans)
    return [{"id": g.get("id"), "text": g["text"], "attributions": by_doc.get(g.get("id"), [])} for g in gold_records]


def _span(start, end) -> Spans:
    import pandas as pd

    return [] if pd.isna(start) or pd.isna(end) else [[int(start), int(end)]]


def _fragments(row, column: str) -> Spans:
    """A list<struct{start, end}> cell (pandas gives an array of dicts, or None)."""
    cell = getattr(row, column)
    if cell is None or (not hasattr(cell, "__len__")):
        return []
    return [[int(f["start"]), int(f["end"])] for f in cell]


def _load_predictions(pred, gold_records: list[dict]) -> list[dict]:
    """Predictions from a run's output folder, a JSONL file (matched by id, else by line), a
    model folder, or a Language."""
    if isinstance(pred, (str, Path)) and (Path(pred) / "attributions").is_dir():
        return records_from_run(pred, gold_records)
    if isinstance(pred, (str, Path)) and Path(pred).is_file():
        records = list(read_jsonl(pred))
        by_id = {r.get("id"): r for r in records}
        if all(g.get("id") in by_id for g in gold_records):
            return [by_id[g.get("id")] for g in gold_records]
        return records
    if isinstance(pred, Language):
        docs = pred.pipe(r["text"] for r in gold_records)
        return [doc_to_record(doc, g.get("id")) for doc, g in zip(docs, gold_records)]
    nlp = load_model_pipeline(pred)
    with nlp.select_pipes(disable=after_trained_component(nlp)):
        docs = nlp.pipe(r["text"] for r in gold_records)
        return [doc_to_record(doc, g.get("id")) for doc, g in zip(docs, gold_records)]


def load_model_pipeline(model_dir) -> Language:
    """newsie's whole pipeline with the attribution model in `model_dir`, as `newsie run
    --attribution-model DIR` builds it: the model needs the base pipeline's tags, parse and
    lemmas in front of it (alone, on raw tokens, it finds next to nothing)."""
    from ..nlp import build_nlp

    if not (Path(model_dir) / "config.cfg").is_file():
        raise FileNotFoundError(f"no attribution model in {model_dir} (expected a spaCy pipeline folder with config.cfg)")
    return build_nlp(attribution_model=model_dir)


def trained_component(nlp: Language) -> str | None:
    """The name of nlp's (last) trained attribution component, if it has one."""
    from .component import AttributionTagger

    return next((name for name in reversed(nlp.pipe_names) if isinstance(nlp.get_pipe(name), AttributionTagger)), None)


def after_trained_component(nlp: Language) -> list[str]:
    """The components after the trained attribution component (the rules in fallback mode,
    claims): left out when scoring a model, so the scores are the model's own attributions."""
    name = trained_component(nlp)
    return nlp.pipe_names[nlp.pipe_names.index(name) + 1:] if name is not None else []


def format_table(scores: dict) -> str:
    lines = [f"{'role':<9}{'exact P':>9}{'R':>7}{'F1':>7}   {'overlap P':>9}{'R':>7}{'F1':>7}"]
    for role in ROLES:
        e, o = scores[role]["exact"], scores[role]["overlap"]
        lines.append(f"{role:<9}{e['p']:>9.3f}{e['r']:>7.3f}{e['f']:>7.3f}   {o['p']:>9.3f}{o['r']:>7.3f}{o['f']:>7.3f}")
    sets = scores.get("content_set")
    if sets is not None:
        lines.append(f"{'content set':<12}{sets['p']:>6.3f}{sets['r']:>7.3f}{sets['f']:>7.3f}"
                     "   (whole fragment set per attribution)")
    link = scores["link"]
    lines.append(f"{'link':<9}{link['p']:>9.3f}{link['r']:>7.3f}{link['f']:>7.3f}")
    return "\n".join(lines)


def evaluate_attribution(gold: str | Path, pred, print_table: bool = True, max_docs: int | None = None) -> dict:
    """Score predictions on gold attributions (a JSONL file or a BRAT folder); `pred` is a run's output folder, a predictions
    JSONL, a model folder (run inside newsie's pipeline, scored on its own attributions) or a
    Language (run as it is)."""
    gold_records = list(read_records(gold, max_docs))
    scores = score_records(gold_records, _load_predictions(pred, gold_records))
    if print_table:
        print(format_table(scores))
    return scores


def write_predictions(docs: Iterable[Doc], path: str | Path) -> None:
    with open(path, "w", encoding="utf8") as out:
        for doc in docs:
            out.write(json.dumps(doc_to_record(doc), ensure_ascii=False) + "\n")
