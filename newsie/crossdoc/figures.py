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

Three more conditions keep unrelated facts apart (each with a test in tests/test_crossdoc.py):
* the same kind of unit: money (a currency code), people (a people event type such as
  killed, a people class or noun in [counted]) or things; a claim whose kind nothing states
  (event "other", no counted noun, no currency) joins no other claim;
* places that do not contradict: the countries a claim's locations and its article's place
  and nationality mentions name (places.country_of, GeoNames) must share one when both
  sides name any;
* time: an undated claim of a dated article covers its publication date +- a window; an
  undated claim of an undated article covers the run's window when all the run's dated
  articles fall within two windows (a day's or a week's news), and otherwise joins only
  other undated articles' claims, never across years.

Grouping is blocked: a claim is compared only with the figures of its (event type, kind,
increment) block whose values lie within `max_ratio` (buckets of log values), and with each
figure's distinct member profiles, so a run's work grows with its claims, not their square.

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
from typing import Iterable

import pyarrow as pa

from ..schema import FIGURES
from .places import countries_of, share_a_place
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
    kind: str | None = None  # money, people, things; None: unknown
    countries: frozenset[str] = frozenset()
    low_known: float | None = None  # the lower bound the text gives (None: "fewer than 50")
    entry: dict = field(repr=False, default_factory=dict)  # the figures table's sources entry
    order: tuple = ()  # publication order within the run
    sentence: int | None = None  # sentence_start
    counted: str | None = None  # the counted noun as written
    dated: bool = False  # the claim states its own time

    @property
    def profile(self) -> tuple:
        """What compatible() reads, less the document and the source."""
        return (self.event_type, self.counted_class, self.increment, tuple(self.counted_who),
                tuple(self.parties), self.lo, self.hi, self.period, self.negated, self.kind, self.countries)


UNDATED = "undated"  # the period of a claim that nothing dates: joins only its like
CURRENCY = re.compile(r"^[A-Z]{3}$")


# --- reading a claim ------------------------------------------------------------------------

def bounds(row: dict) -> tuple[float | None, float | None]:
    """The interval a claim's figure allows; an open upper bound ("at least 3,000") is inf."""
    value, low, high = row.get("value"), row.get("low"), row.get("high")
    if value is None and low is None and high is None:
        return None, None
    lo = low if low is not None else (value if high is None else 0.0)
    hi = high if high is not None else (value if low is None else math.inf)
    return float(lo), float(hi)


def head_forms(counted: str | None) -> tuple[str, ...]:
    """The counted noun's head as written and without a plural -s or -es ('troops' -> troops, troop)."""
    if not counted or not counted.strip():
        return ()
    head = counted.lower().split()[-1]
    return (head, head[:-1] if head.endswith("s") else head, head[:-2] if head.endswith("es") else head)


def counted_class(counted: str | None, classes: dict[str, str]) -> str | None:
    forms = head_forms(counted)
    for candidate in forms:
        if candidate in classes:
            return classes[candidate]
    return forms[0].rstrip("s") if forms else None


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


def period_of(row: dict, published: dt.date | None, window_days: int,
              run_window: tuple[dt.date, dt.date] | None = None):
    """The days a claim is about: its own time, else its publication date +- the window,
    else (an undated article) the run's window when there is one, else UNDATED."""
    start, end = row.get("time_start"), row.get("time_end")
    if start or end:
        return (start or end, end or start)
    window = dt.timedelta(days=window_days)
    if published is not None:
        return (published - window, published + window)
    return (run_window[0] - window, run_window[1] + window) if run_window else UNDATED


def run_window(published: Iterable[dt.date | None], window_days: int) -> tuple[dt.date, dt.date] | None:
    """(first, last) publication date when the dated articles span at most two windows."""
    dates = [d for d in published if d is not None]
    if not dates or (max(dates) - min(dates)).days > 2 * window_days:
        return None
    return min(dates), max(dates)


def unit_kind(row: dict, counted_class_: str | None, settings: FigureSettings) -> str | None:
    unit = row.get("unit")
    if unit and CURRENCY.match(unit):
        return "money"
    if unit:
        return f"measure:{unit}"
    if (row.get("event_type") or "") in settings.people_events or counted_class_ in settings.people_classes:
        return "people"
    forms = head_forms(row.get("counted"))
    if not forms:
        return None
    return "people" if settings.people_nouns.intersection(forms) else "things"


def claim_facts(rows: list[dict], texts: dict[str, str], published: dict[str, dt.date | None],
                outlets: dict[str, str | None], settings: FigureSettings,
                countries: dict[str, Iterable[str]] | None = None,
                window: tuple[dt.date, dt.date] | None = None) -> list[ClaimFacts]:
    """Facts of one chunk's claims (or any claims whose documents' texts are given).
    `countries`: doc_id -> ISO codes its mentions name; `window`: the run's (run_window)."""
    facts = []
    source_phrases: dict[tuple, list[str]] = {}
    for row in rows:
        if row.get("source_text"):
            source_phrases.setdefault((row["doc_id"], row.get("sentence_start")), []).append(row["source_text"])
    for row in rows:
        doc = row["doc_id"]
        lo, hi = bounds(row)
        who = counted_nationality(row, texts.get(doc, ""))
        cls = counted_class(row.get("counted"), settings.counted_classes)
        source = row.get("source_canonical") or outlets.get(doc) or doc
        parties = _parties(row, who, source_phrases.get((doc, row.get("sentence_start")), []))
        low = row.get("low") if row.get("low") is not None else (row.get("value") if row.get("high") is None else None)
        facts.append(ClaimFacts(
            claim_id=row["claim_id"], doc_id=doc, event_type=row.get("event_type"), counted_class=cls,
            increment=is_increment(row, settings.increment_words), counted_who=who, parties=parties,
            lo=lo, hi=hi, period=period_of(row, published.get(doc), settings.undated_window_days, window),
            source=source, published=published.get(doc), negated=bool(row.get("negated")),
            kind=unit_kind(row, cls, settings),
            countries=countries_of(row.get("locations") or ()) | frozenset((countries or {}).get(doc, ())),
            low_known=low, entry=_source_entry(row, source, published.get(doc)),
            order=(published.get(doc) or dt.date.max, doc, row.get("quantity_start") or 0),
            sentence=row.get("sentence_start"), counted=row.get("counted"), dated=bool(row.get("time_start")),
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
        by_sentence.setdefault((fact.doc_id, fact.sentence), []).append(fact)
    for group in by_sentence.values():
        group.sort(key=lambda f: f.order)
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
    if a.period == UNDATED or b.period == UNDATED:
        return a.period == b.period
    if a.period is None or b.period is None:
        return True
    return a.period[0] <= b.period[1] and b.period[0] <= a.period[1]


def same_fact(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    """Whether two claims can report one fact (everything but the same-source rule)."""
    if a.negated or b.negated or a.event_type != b.event_type or a.increment != b.increment:
        return False
    if a.kind is None or b.kind is None or a.kind != b.kind:
        return False
    if a.counted_class and b.counted_class and a.counted_class != b.counted_class:
        return False
    if a.countries and b.countries and not a.countries & b.countries:
        return False
    if a.counted_who and b.counted_who and not share_a_place(a.counted_who, b.counted_who):
        return False
    if settings.places_must_match and a.parties and b.parties and not share_a_place(a.parties, b.parties):
        return False
    if gap_ratio(a, b) > settings.max_ratio:
        return False
    return periods_overlap(a, b)


def same_source_conflict(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    """A source does not contradict itself within one article: different values there are different facts."""
    return a.doc_id == b.doc_id and a.source == b.source and gap_ratio(a, b) > 1 + settings.dispute_tolerance


def compatible(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    return same_fact(a, b, settings) and not same_source_conflict(a, b, settings)


# --- grouping ---------------------------------------------------------------------------------

@dataclass
class _Figure:
    members: list[ClaimFacts] = field(default_factory=list)
    profiles: dict[tuple, ClaimFacts] = field(default_factory=dict)  # one member per distinct profile
    by_doc: dict[str, list[ClaimFacts]] = field(default_factory=dict)
    registered: set = field(default_factory=set)  # the block buckets that list this figure

    def add(self, fact: ClaimFacts) -> None:
        self.members.append(fact)
        self.profiles.setdefault(fact.profile, fact)
        self.by_doc.setdefault(fact.doc_id, []).append(fact)

    def accepts(self, fact: ClaimFacts, settings: FigureSettings) -> bool:
        """Complete link: compatible with every member (each distinct profile once, plus the
        members from the same article for the same-source rule)."""
        return (all(same_fact(fact, p, settings) for p in self.profiles.values())
                and not any(same_source_conflict(fact, m, settings) for m in self.by_doc.get(fact.doc_id, ())))

    def distance(self, fact: ClaimFacts) -> float:
        return max(gap_ratio(fact, p) for p in self.profiles.values())


def _buckets(fact: ClaimFacts, width: float) -> range | None:
    """The log-value buckets a claim's interval spans, for blocking; None without a value.
    A half-open interval counts by its one bound ("at least 3,000" by 3,000, "fewer than
    50" by 50), so it is compared with figures within max_ratio of that bound only."""
    lo, hi = fact.lo, fact.hi
    if lo is None:
        return None
    if math.isinf(hi):
        hi = lo
    if lo <= 0:
        lo = hi
    if hi <= 0:
        return None
    return range(math.floor(math.log(lo) / width), math.floor(math.log(hi) / width) + 1)


def group_claims(facts: list[ClaimFacts], settings: FigureSettings) -> list[list[ClaimFacts]]:
    """Complete-link greedy grouping in publication order, blocked by (event type, kind,
    increment) and, within a block, by log-value buckets of width log(max_ratio): two claims
    within max_ratio of each other are at most one bucket apart, then by country. Claims
    without a value are checked against the whole block."""
    width = math.log(max(settings.max_ratio, 1.0 + 1e-9))
    blocks: dict[tuple, dict] = {}
    figures: list[_Figure] = []
    for fact in sorted(facts, key=lambda f: f.order):
        if fact.kind is None or fact.negated:
            figures.append(_Figure())
            figures[-1].add(fact)
            continue
        block = blocks.setdefault((fact.event_type, fact.kind, fact.increment), {"open": [], "buckets": {}, "all": []})
        span = _buckets(fact, width)
        if span is None:
            candidates = block["all"]
        else:
            # Within a bucket, figures are listed by each country their members name (and
            # under None when a member names none): a claim that names countries only meets
            # figures that share one or name none; one that names none meets all.
            keys = [*fact.countries, None] if fact.countries else ["all"]
            seen = {id(f): f for f in block["open"]}
            for b in range(span.start - 1, span.stop + 1):
                bucket = block["buckets"].get(b, {})
                for key in keys:
                    seen.update((id(f), f) for f in bucket.get(key, ()))
            candidates = list(seen.values())
        fits = [f for f in candidates if f.accepts(fact, settings)]
        if fits:
            figure = min(fits, key=lambda f: (f.distance(fact), f.members[0].order))
        else:
            figure = _Figure()
            figures.append(figure)
            block["all"].append(figure)
        figure.add(fact)
        if span is None:
            if "open" not in figure.registered:
                figure.registered.add("open")
                block["open"].append(figure)
            continue
        for b in span:
            for key in ["all", *(fact.countries or [None])]:
                if (b, key) not in figure.registered:
                    figure.registered.add((b, key))
                    block["buckets"].setdefault(b, {}).setdefault(key, []).append(figure)
    return [f.members for f in figures]


def figure_id(group: list[ClaimFacts]) -> str:
    digest = hashlib.sha1("|".join(sorted(f.claim_id for f in group)).encode()).hexdigest()[:10]
    return f"{group[0].event_type or 'other'}-{digest}"


def dispute_spread(group: list[ClaimFacts]) -> float:
    """The largest gap ratio between values from two different sources (1 = agreement)."""
    distinct = list({(f.lo, f.hi, f.source): f for f in group}.values())
    spreads = [gap_ratio(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1:] if a.source != b.source]
    return max(spreads, default=1.0)


# --- the figures table ------------------------------------------------------------------------

def figure_row(group: list[ClaimFacts], duplicate_of: dict[str, str | None], tolerance: float) -> dict:
    docs = {f.doc_id for f in group}
    dated = [f.period for f in group if f.dated and isinstance(f.period, tuple)]
    published = [f.published for f in group if f.published]
    counted = Counter(f.counted for f in group if f.counted)
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
        "min_low": min((f.low_known for f in group if f.low_known is not None), default=None),
        "max_high": max(highs, default=None),
        "earliest_report": min(published, default=None),
        "latest_report": max(published, default=None),
        "time_start": min((p[0] for p in dated), default=None),
        "time_end": max((p[1] for p in dated), default=None),
        "disputed": spread > 1 + tolerance,
        "spread": None if math.isinf(spread) else spread,
        "sources": [_entry_for_table(f, duplicate_of) for f in sorted(group, key=lambda f: f.order)],
    }


def _source_entry(row: dict, source: str, published: dt.date | None) -> dict:
    return {"source": source, "source_text": row.get("source_text"), "doc_id": row["doc_id"],
            "claim_id": row["claim_id"], "published": published, "value": row.get("value"),
            "low": row.get("low"), "high": row.get("high"), "quantity_text": row.get("quantity_text")}


def _entry_for_table(fact: ClaimFacts, duplicate_of: dict[str, str | None]) -> dict:
    return {**fact.entry, "duplicate_of": duplicate_of.get(fact.doc_id)}


def figures_from_facts(facts: list[ClaimFacts], settings: FigureSettings,
                       duplicate_of: dict[str, str | None] | None = None) -> tuple[dict[str, str], pa.Table]:
    """(claim_id -> figure_id, the figures table) for a run's claim facts."""
    duplicate_of = duplicate_of or {}
    groups = group_claims(facts, settings)
    rows = [figure_row(g, duplicate_of, settings.dispute_tolerance) for g in groups]
    assignment = {f.claim_id: row["figure_id"] for g, row in zip(groups, rows) for f in g}
    rows.sort(key=lambda r: (not r["disputed"], r["event_type"] or "", r["figure_id"]))
    return assignment, pa.Table.from_pylist(rows, schema=FIGURES)


def build_figures(claims: list[dict], documents: list[dict], settings: FigureSettings,
                  duplicate_of: dict[str, str | None] | None = None,
                  countries: dict[str, Iterable[str]] | None = None) -> tuple[dict[str, str], pa.Table]:
    """figures_from_facts over claims and documents given as rows (tests, small runs)."""
    texts = {d["doc_id"]: d.get("text") or "" for d in documents}
    published = {d["doc_id"]: d.get("published") for d in documents}
    outlets = {d["doc_id"]: d.get("outlet") for d in documents}
    window = run_window(published.values(), settings.undated_window_days)
    facts = claim_facts(claims, texts, published, outlets, settings, countries, window)
    return figures_from_facts(facts, settings, duplicate_of)
