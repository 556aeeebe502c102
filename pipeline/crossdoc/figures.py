"""Figures: claims about the same fact, across documents, under one figure_id.

Two claims report the same fact when they have the same event type, a compatible counted
thing (same head noun class, configs/crossdoc.cfg [counted]), the same kind of figure (an
increment such as "3,000 more" is not a total), no conflicting parties (actors, places and
the nationality written on the counted noun: "Russian soldiers" vs "North Korean troops";
optionally also the claims' actor and location lists, see below),
overlapping time (claim intervals; an undated claim covers its publication date +- a
window) and values within a factor `max_ratio` of each other (a first batch of 1,500 is not
the 12,000 total). Grouping is complete-link, greedy in publication order: a claim joins the
closest figure whose every member is compatible with it, so chains of "almost the same"
claims cannot drift (cf. complete-linkage clustering, Sørensen 1948; event coreference by
argument compatibility, e.g. Lee et al. 2012).

Actor and location lists are off as a veto by default (`places_must_match`): on the seed
articles they split three true figures ('U.S.' taken from the source 'U.S. estimates',
'Russia' as the actor of a deployment to Russia, 'Vladivostok' vs 'Russia' without a
gazetteer). Places named inside a source phrase of the sentence are dropped from them.

A figure is disputed when two different sources give values further apart than
`dispute_tolerance`: max(low_a / high_b, low_b / high_a) > 1 + tolerance. Keeping every
sourced value (instead of ACLED's most conservative one) is the point of the table.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import math
import re
from collections import Counter
from dataclasses import dataclass, field

import pyarrow as pa

from ..schema import FIGURES
from .places import share_a_place
from .settings import FigureSettings

_PROPER_RUN = re.compile(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")


@dataclass
class ClaimFacts:
    """What figure grouping needs to know about one claim."""

    claim_id: str
    doc_id: str
    event_type: str | None
    counted_class: str | None
    increment: bool
    counted_who: list[str]  # nationality written on the counted noun
    parties: list[str]  # actors, locations and counted_who together
    lo: float | None
    hi: float | None
    period: tuple[dt.date, dt.date] | None
    source: str
    published: dt.date | None
    negated: bool
    row: dict = field(repr=False, default_factory=dict)


# --- reading a claim ------------------------------------------------------------------------

def bounds(row: dict) -> tuple[float | None, float | None]:
    """The interval a claim's figure allows; an open upper bound ("at least 3,000") is inf."""
    value, low, high = row.get("value"), row.get("low"), row.get("high")
    if value is None and low is None and high is None:
        return None, None
    lo = low if low is not None else (value if high is None else 0.0)
    hi = high if high is not None else (value if low is None else math.inf)
    return float(lo), float(hi)


def counted_class(counted: str | None, classes: dict[str, str]) -> str | None:
    if not counted or not counted.strip():
        return None
    head = counted.lower().split()[-1]
    for candidate in (head, head[:-1] if head.endswith("s") else head, head[:-2] if head.endswith("es") else head):
        if candidate in classes:
            return classes[candidate]
    return head.rstrip("s")


def is_increment(row: dict, words: frozenset[str]) -> bool:
    said = f"{row.get('qualifier') or ''} {row.get('quantity_text') or ''}".lower()
    return any(word in words for word in re.findall(r"[a-z]+", said))


def counted_nationality(row: dict, text: str) -> list[str]:
    """Proper words between the figure and its counted noun: '300 North Korean soldiers',
    '400 of the North Korean troops' -> ['North Korean']."""
    counted, q_end = row.get("counted"), row.get("quantity_end")
    if not counted or q_end is None or not text:
        return []
    end = min(row.get("sentence_end") or len(text), q_end + 80)
    after = text[q_end:end]
    at = after.lower().find(counted.lower())
    return _PROPER_RUN.findall(after[:at]) if at > 0 else []


def period_of(row: dict, published: dt.date | None, window_days: int) -> tuple[dt.date, dt.date] | None:
    start, end = row.get("time_start"), row.get("time_end")
    if start or end:
        return (start or end, end or start)
    if published is None:
        return None
    window = dt.timedelta(days=window_days)
    return (published - window, published + window)


def claim_facts(rows: list[dict], texts: dict[str, str], published: dict[str, dt.date | None],
                outlets: dict[str, str | None], settings: FigureSettings) -> list[ClaimFacts]:
    facts = []
    source_phrases: dict[tuple, list[str]] = {}
    for row in rows:
        if row.get("source_text"):
            source_phrases.setdefault((row["doc_id"], row.get("sentence_start")), []).append(row["source_text"])
    for row in rows:
        doc = row["doc_id"]
        lo, hi = bounds(row)
        who = counted_nationality(row, texts.get(doc, ""))
        facts.append(ClaimFacts(
            claim_id=row["claim_id"], doc_id=doc, event_type=row.get("event_type"),
            counted_class=counted_class(row.get("counted"), settings.counted_classes),
            increment=is_increment(row, settings.increment_words), counted_who=who,
            parties=_parties(row, who, source_phrases.get((doc, row.get("sentence_start")), [])),
            lo=lo, hi=hi, period=period_of(row, published.get(doc), settings.undated_window_days),
            source=row.get("source_canonical") or outlets.get(doc) or doc,
            published=published.get(doc), negated=bool(row.get("negated")), row=row,
        ))
    _share_nationality_within_sentence(facts)
    return facts


def _parties(row: dict, who: list[str], source_phrases: list[str]) -> list[str]:
    """Actors, locations and the counted nationality, less places named inside a source
    ('U.S.' in 'U.S. estimates' says who speaks, not where it happened)."""
    named = list(row.get("actors") or []) + list(row.get("locations") or [])
    kept = [p for p in named if not any(p in phrase for phrase in source_phrases)]
    return kept + who


def _share_nationality_within_sentence(facts: list[ClaimFacts]) -> None:
    """'400 of the North Korean troops were killed and 3,600 wounded': coordinated figures
    in one sentence count the same people, so a figure without a nationality borrows its
    neighbour's."""
    by_sentence: dict[tuple, list[ClaimFacts]] = {}
    for fact in facts:
        by_sentence.setdefault((fact.doc_id, fact.row.get("sentence_start")), []).append(fact)
    for group in by_sentence.values():
        group.sort(key=lambda f: f.row.get("quantity_start") or 0)
        for i, fact in enumerate(group):
            if fact.counted_who:
                continue
            donors = [g for g in group[:i][::-1] + group[i + 1:] if g.counted_who and g.event_type]
            if donors:
                fact.counted_who = list(donors[0].counted_who)
                fact.parties += fact.counted_who


# --- comparing claims -----------------------------------------------------------------------

def gap_ratio(a: ClaimFacts, b: ClaimFacts) -> float:
    """1 when the intervals overlap, else how many times larger the upper one is."""
    if a.lo is None or b.lo is None:
        return 1.0
    if a.hi >= b.lo and b.hi >= a.lo:
        return 1.0
    low, high = (a, b) if a.hi < b.lo else (b, a)
    return math.inf if low.hi <= 0 else high.lo / low.hi


def periods_overlap(a: ClaimFacts, b: ClaimFacts) -> bool:
    if a.period is None or b.period is None:
        return True
    return a.period[0] <= b.period[1] and b.period[0] <= a.period[1]


def compatible(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    if a.negated or b.negated or a.event_type != b.event_type or a.increment != b.increment:
        return False
    if a.counted_class and b.counted_class and a.counted_class != b.counted_class:
        return False
    if a.counted_who and b.counted_who and not share_a_place(a.counted_who, b.counted_who):
        return False
    if settings.places_must_match and a.parties and b.parties and not share_a_place(a.parties, b.parties):
        return False
    gap = gap_ratio(a, b)
    if gap > settings.max_ratio:
        return False
    # A source does not contradict itself within one article: different values there are different facts.
    if a.doc_id == b.doc_id and a.source == b.source and gap > 1 + settings.dispute_tolerance:
        return False
    return periods_overlap(a, b)


# --- grouping ---------------------------------------------------------------------------------

def group_claims(facts: list[ClaimFacts], settings: FigureSettings) -> list[list[ClaimFacts]]:
    """Complete-link greedy grouping in publication order."""
    order = sorted(facts, key=lambda f: (f.published or dt.date.max, f.doc_id, f.row.get("quantity_start") or 0))
    groups: list[list[ClaimFacts]] = []
    for fact in order:
        fits = [g for g in groups if all(compatible(fact, member, settings) for member in g)]
        if fits:
            min(fits, key=lambda g: max(gap_ratio(fact, m) for m in g)).append(fact)
        else:
            groups.append([fact])
    return groups


def figure_id(group: list[ClaimFacts]) -> str:
    digest = hashlib.sha1("|".join(sorted(f.claim_id for f in group)).encode()).hexdigest()[:10]
    return f"{group[0].event_type or 'other'}-{digest}"


def dispute_spread(group: list[ClaimFacts]) -> float:
    """The largest gap ratio between values from two different sources (1 = agreement)."""
    spreads = [gap_ratio(a, b) for i, a in enumerate(group) for b in group[i + 1:] if a.source != b.source]
    return max(spreads, default=1.0)


# --- the figures table ------------------------------------------------------------------------

def figure_row(group: list[ClaimFacts], duplicate_of: dict[str, str | None], tolerance: float) -> dict:
    docs = {f.doc_id for f in group}
    dated = [f.period for f in group if f.period and f.row.get("time_start")]
    published = [f.published for f in group if f.published]
    counted = Counter(f.row.get("counted") for f in group if f.row.get("counted"))
    spread = dispute_spread(group)
    highs = [f.hi for f in group if f.hi is not None and math.isfinite(f.hi)]
    return {
        "figure_id": figure_id(group),
        "event_type": group[0].event_type,
        "counted": counted.most_common(1)[0][0] if counted else None,
        "n_claims": len(group),
        "n_sources": len({f.source for f in group}),
        "n_documents": len(docs),
        "n_independent_documents": len([d for d in docs if duplicate_of.get(d) not in docs]),
        "min_low": min((f.lo for f in group if f.lo is not None), default=None),
        "max_high": max(highs, default=None),
        "earliest_report": min(published, default=None),
        "latest_report": max(published, default=None),
        "time_start": min((p[0] for p in dated), default=None),
        "time_end": max((p[1] for p in dated), default=None),
        "disputed": spread > 1 + tolerance,
        "spread": None if math.isinf(spread) else spread,
        "sources": [_source_entry(f, duplicate_of) for f in sorted(group, key=_report_order)],
    }


def _report_order(fact: ClaimFacts):
    return (fact.published or dt.date.max, fact.doc_id, fact.row.get("quantity_start") or 0)


def _source_entry(fact: ClaimFacts, duplicate_of: dict[str, str | None]) -> dict:
    row = fact.row
    return {
        "source": fact.source, "source_text": row.get("source_text"), "doc_id": fact.doc_id,
        "claim_id": fact.claim_id, "published": fact.published, "value": row.get("value"),
        "low": row.get("low"), "high": row.get("high"), "quantity_text": row.get("quantity_text"),
        "duplicate_of": duplicate_of.get(fact.doc_id),
    }


def build_figures(claims: list[dict], documents: list[dict], settings: FigureSettings,
                  duplicate_of: dict[str, str | None] | None = None) -> tuple[dict[str, str], pa.Table]:
    """(claim_id -> figure_id, the figures table) for a run's claims."""
    duplicate_of = duplicate_of or {}
    texts = {d["doc_id"]: d.get("text") or "" for d in documents}
    published = {d["doc_id"]: d.get("published") for d in documents}
    outlets = {d["doc_id"]: d.get("outlet") for d in documents}
    groups = group_claims(claim_facts(claims, texts, published, outlets, settings), settings)
    rows = sorted((figure_row(g, duplicate_of, settings.dispute_tolerance) for g in groups),
                  key=lambda r: (not r["disputed"], r["event_type"] or "", r["figure_id"]))
    assignment = {f.claim_id: figure_id(g) for g in groups for f in g}
    return assignment, pa.Table.from_pylist(rows, schema=FIGURES)
