"""`newsie eval attribution`: scores for attribution output against gold JSONL, in character
offsets. What each score counts (exact and overlap spans per role, content fragments and sets,
links) is said once, in `scoring`, which computes them.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Iterable

from spacy.language import Language
from spacy.tokens import Doc

from .component import AttributionTagger
from .data import read_jsonl, read_records
from .model import ROLES
from .scoring import Spans, doc_to_record, score_records

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
