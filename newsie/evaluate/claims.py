"""Score a run's claims table against gold claims (the format of shared/gold/seeds_claims.jsonl).

A gold figure is found when a predicted claim of the same document overlaps its quote span;
its value is right when the figure (or its bounds) match; its source is right when one of
the gold aliases occurs as a whole word in the predicted source text or canonical name
([] = the article itself: no source predicted; null = any source). Precision counts the
predicted claims of gold documents that overlap a gold figure that is not boilerplate.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

CORE_TYPES = {"killed", "wounded", "casualties", "deployed", "supplied", "infected", "cases"}


# Families of misses, in the order a gold figure is checked (then predicted claims that match nothing).
MISS_FAMILIES = {
    "missed": "gold figures no claim overlaps",
    "value": "found, but no overlapping claim has the right value or bounds",
    "source": "value right, but no such claim names a gold source",
    "type": "value and source right, but the event type differs from the gold kind",
    "extra": "claims that overlap no gold figure (or only page furniture)",
}


@dataclass
class ClaimScores:
    gold: int = 0
    found: int = 0
    value: int = 0
    value_and_source: int = 0
    all_right: int = 0
    predicted: int = 0
    wrong: int = 0
    boilerplate_claims: int = 0
    misses: list[tuple] = field(default_factory=list)

    def rates(self) -> dict:
        ratio = lambda a, b: round(a / b, 3) if b else 0.0  # noqa: E731
        return {"gold": self.gold, "found": ratio(self.found, self.gold), "value": ratio(self.value, self.gold),
                "value_and_source": ratio(self.value_and_source, self.gold), "all_right": ratio(self.all_right, self.gold),
                "predicted": self.predicted, "precision": ratio(self.predicted - self.wrong, self.predicted),
                "boilerplate_claims": self.boilerplate_claims}


    def misses_by_family(self) -> dict[str, list[tuple]]:
        """Every miss, grouped by family (MISS_FAMILIES), each in document order."""
        grouped: dict[str, list[tuple]] = {family: [] for family in MISS_FAMILIES}
        for miss in self.misses:
            grouped[miss[0]].append(miss[1:])
        return grouped


def load_gold(path: str | Path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def _close(a, b) -> bool:
    return a is not None and b is not None and not pd.isna(a) and not pd.isna(b) and math.isclose(float(a), float(b), rel_tol=1e-6)


def _missing(x) -> bool:
    return x is None or pd.isna(x)


def value_right(gold: dict, pred: dict) -> bool:
    if gold["value"] is not None:
        v = gold["value"]
        if _close(pred.get("value"), v):
            return True
        lo, hi = pred.get("low"), pred.get("high")
        return (_close(lo, v) and (_missing(hi) or _close(hi, v))) or (_close(hi, v) and _missing(lo))
    if gold["low"] is not None:
        return _close(pred.get("low"), gold["low"]) and _close(pred.get("high"), gold["high"])
    return True


def _norm(text: str) -> str:
    return text.lower().replace("\u2019", "'").replace("\u2018", "'")


def source_right(gold: dict, pred: dict) -> bool:
    if gold["sources"] is None:
        return True
    said = _norm(" ".join(str(pred.get(k)) for k in ("source_text", "source_canonical") if not _missing(pred.get(k)))).strip()
    if not gold["sources"]:
        return said == ""
    return any(re.search(r"(?<![a-z0-9])" + re.escape(_norm(a)) + r"(?![a-z0-9])", said) for a in gold["sources"])


def type_right(gold: dict, pred: dict) -> bool:
    kind = str(pred.get("event_type") or "")
    return kind == gold["kind"] or (gold["kind"] == "other" and kind not in CORE_TYPES)


def _overlaps(gold: dict, pred: dict) -> bool:
    return pred["quantity_start"] < gold["end"] and gold["start"] < pred["quantity_end"]


def score_claims(gold: list[dict], claims: pd.DataFrame) -> ClaimScores:
    claims = claims.astype(object).where(pd.notna(claims), None)
    by_doc: dict[str, list[dict]] = {}
    for row in claims.to_dict("records"):
        by_doc.setdefault(str(row["doc_id"]), []).append(row)
    scores = ClaimScores()
    for g in (g for g in gold if g["flags"] == ""):
        scores.gold += 1
        candidates = [p for p in by_doc.get(g["doc"], []) if _overlaps(g, p)]
        if not candidates:
            scores.misses.append(("missed", g["doc"], g["quote"]))
            continue
        scores.found += 1
        valued = [p for p in candidates if value_right(g, p)]
        if not valued:
            scores.misses.append(("value", g["doc"], g["quote"], [(p["value"], p["low"], p["high"]) for p in candidates]))
            continue
        scores.value += 1
        sourced = [p for p in valued if source_right(g, p)]
        if not sourced:
            scores.misses.append(("source", g["doc"], g["quote"], [p["source_text"] for p in valued]))
            continue
        scores.value_and_source += 1
        if any(type_right(g, p) for p in sourced):
            scores.all_right += 1
        else:
            scores.misses.append(("type", g["doc"], g["quote"], g["kind"], sorted({str(p["event_type"]) for p in sourced})))
    for doc_id in {g["doc"] for g in gold}:
        spans = [g for g in gold if g["doc"] == doc_id]
        for p in by_doc.get(doc_id, []):
            scores.predicted += 1
            hits = [g for g in spans if _overlaps(g, p)]
            if not hits or all(g["flags"] == "boilerplate" for g in hits):
                scores.wrong += 1
                scores.boilerplate_claims += bool(hits)
                scores.misses.append(("extra", doc_id, p["quantity_text"]))
    return scores
