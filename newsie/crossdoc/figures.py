"""Figures: claims about the same fact, across documents, under one figure_id.

Two claims report the same fact when they have the same event type (and for "other", the same
finer event where both name one: spilled is not recovered), a compatible counted
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

One source is one name less case, determiner and legal form, and a spokesperson speaks for the
body the article names (affiliation). A figure is disputed when two different sources give
values further apart than
`dispute_tolerance`: max(low_a / high_b, low_b / high_a) > 1 + tolerance. Keeping every
sourced value (instead of ACLED's most conservative one) is the point of the table.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import math
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

import pyarrow as pa

from ..normalize.aliases import normalize_name, without_legal_form
from ..schema import FIGURES
from .places import countries_of, country_name, country_of, names_a_country, share_a_place
from .settings import FigureSettings

_PROPER_RUN = re.compile(r"[A-Z][\w.'’-]*(?:\s+[A-Z][\w.'’-]*)*")


@dataclass(slots=True)
class ClaimFacts:
    """What figure grouping needs to know about one claim (slots: a run holds one per claim)."""

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
    unit: str | None = None  # as stated; lo, hi and low_known are in its base unit (measure)
    scale: float = 1.0  # base units per unit
    hedged: bool = False
    revision: bool = False  # the claim reports an update or a revision ("raised the toll to")
    projection: bool = False  # a hedged look ahead ("could reach 10,000"): no current value
    place: str | None = None  # where it is counted: an ISO code, or a normalized local name
    written: bool = False  # the place is written on the figure ("34 in India"), not its article's
    local: bool = False  # ... and inside a country ("34 in Bihar")
    place_name: str | None = None  # the place as written, or its country's name
    events: frozenset[str] = frozenset()  # the classes of event its article is about (article_events)
    named: frozenset[str] = frozenset()  # the countries its article names
    said: frozenset[str] = frozenset()  # the countries its sentence names
    episodes: frozenset = frozenset()  # the events' runs of articles its article is in (episodes)
    onset: dt.date | None = None  # the day its article's event began (article_onset)
    combined: frozenset = frozenset()  # the onsets of several events it counts together (combined_onsets)
    part: bool = False  # a part of a group its article counts ("three of the injured workers")
    detail: str | None = None  # the finer event of an "other" claim (spilled, missing, damaged)
    former: bool = False  # written as a value the article says was replaced ("down from 5,000")

    @property
    def profile(self) -> tuple:
        """What compatible() reads, less the document and the source."""
        return (self.event_type, self.detail, self.counted_class, self.increment, tuple(self.counted_who),
                tuple(self.parties), self.lo, self.hi, self.period, self.negated, self.kind, self.countries,
                self.published, self.place, self.written, self.local, self.episodes, self.onset,
                self.combined)


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


# Nouns that say how a value is given, not what is counted ("an original 5,000 barrel-per-day
# estimate", "the 300 figure", "a toll of 40").
REPORT_NOUNS = frozenset("estimate figure number total tally count rate toll assessment projection forecast".split())


def counted_class(counted: str | None, classes: dict[str, str]) -> str | None:
    """The [counted] class of the counted noun's head, else the head itself; None for a
    capitalized head outside the classes ("Americans", or a name taken for the noun), which
    says who, not what kind of thing, and for a noun that reports the value (REPORT_NOUNS)."""
    forms = head_forms(counted)
    if forms and counted.split()[-1][:1].isupper() and not any(f in classes for f in forms):
        return None
    if forms and set(forms) & REPORT_NOUNS and not any(f in classes for f in forms):
        return None
    for candidate in forms:
        if candidate in classes:
            return classes[candidate]
    return forms[0].rstrip("s") if forms else None


_VAGUE = re.compile(r"\b(?:dozens|hundreds|thousands|millions|scores|tens)\b", re.IGNORECASE)


def is_vague(row: dict) -> bool:
    """"Hundreds of", "thousands": no number is stated, only an order of magnitude, which
    neither sets a figure's range nor keeps a claim from its fact."""
    return row.get("value") is None and bool(_VAGUE.search(row.get("quantity_text") or ""))


# "the cost has increased by $2bn", "the toll rose by 40": a change, not a level
_CHANGE_BY = re.compile(r"\b(?:increased|increases|rose|risen|rises|grew|grown|grows|climbed|jumped|fell|fallen|"
                        r"dropped|declined|decreased|went\s+up|gone\s+up|up|down)\s+by\s+$", re.I)


def is_increment(row: dict, words: frozenset[str], text: str = "", nouns: frozenset[str] = frozenset()) -> bool:
    """'3,000 more', 'an additional 1,000', 'rose by 40', a part of a series ('the first $3bn
    installment', `nouns`); 'more than 700' is a bound, not an increment."""
    if set(head_forms(row.get("counted"))) & nouns:
        return True
    said = f"{row.get('qualifier') or ''} {row.get('quantity_text') or ''}".lower().replace("more than", "")
    start = row.get("quantity_start")
    before = text[max(row.get("sentence_start") or 0, start - 30):start] if text and start is not None else ""
    return any(word in words for word in re.findall(r"[a-z]+", said)) or bool(_CHANGE_BY.search(before))


_RATE_WORDS = frozenset("daily weekly monthly yearly annually hourly".split())


def measured_class(counted: str, unit: str, settings: FigureSettings) -> str | None:
    """What a measure measures ("barrels of oil daily" counted "oil daily" -> oil): rate
    adverbs are dropped, and a counted noun that is the unit itself ("collect 60,000
    barrels", counted "barrels") says nothing about what is measured."""
    words = [w for w in counted.split() if w.lower() not in _RATE_WORDS]
    if not words:
        return None
    units = {u for name in settings.units for u in head_forms(name)} | set(head_forms(unit.split(" per ")[0]))
    if set(head_forms(words[-1])) & units:
        return None
    return counted_class(" ".join(words), settings.counted_classes)


_PARTITIVE = re.compile(r"^\s+of\s+(?:the|those|these|them|whom|its|their)\b", re.IGNORECASE)


def is_part(row: dict, text: str) -> bool:
    """A figure that counts part of a group: "three of the injured workers", "1,525 of whom"."""
    end = row.get("quantity_end")
    return end is not None and bool(text) and bool(_PARTITIVE.match(text[end:end + 20]))


def counted_follows(row: dict, text: str) -> bool:
    """Whether the counted noun is written right after the figure ("13 aftershocks", "76
    people"), not taken from elsewhere in the sentence."""
    counted, q_end = row.get("counted"), row.get("quantity_end")
    if not counted or q_end is None or not text:
        return True
    return text[q_end:q_end + len(counted) + 12].lower().find(counted.lower()) in range(0, 12)


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


def measure(unit: str | None, units: dict[str, tuple[str, float]]) -> tuple[str, float] | None:
    """(base unit, factor) of a measure: "barrel per day" -> ("litre per day", 158.987...); a
    unit outside [units] is its own base."""
    if not unit or CURRENCY.match(unit):
        return None
    head, per, rate = unit.partition(" per ")
    base, factor = units.get(head.lower(), (head.lower(), 1.0))
    return f"{base}{per}{rate}", factor


def fine_event(row: dict) -> str | None:
    """The finer event of a claim typed "other", the catch-all (the claims' event_detail:
    spilled, missing, damaged, funding); None for the other types, which are one event each
    (hospitalized counts under wounded), and where the claims name none."""
    return row.get("event_detail") or None if (row.get("event_type") or "other") == "other" else None


def unit_kind(row: dict, counted_class_: str | None, settings: FigureSettings) -> str | None:
    unit = row.get("unit")
    if unit and CURRENCY.match(unit):
        return "money"
    if unit:
        return f"measure:{measure(unit, settings.units)[0]}"
    if ({row.get("event_type"), fine_event(row)} & settings.people_events) or counted_class_ in settings.people_classes:
        return "people"
    forms = head_forms(row.get("counted"))
    if not forms:
        return None
    if settings.people_nouns.intersection(forms) or names_a_country(row["counted"].split()[-1]):
        return "people"  # "four Americans" count people
    return "things"


def claim_facts(rows: list[dict], texts: dict[str, str], published: dict[str, dt.date | None],
                outlets: dict[str, str | None], settings: FigureSettings,
                countries: dict[str, Iterable[str]] | None = None,
                window: tuple[dt.date, dt.date] | None = None,
                places: dict[str, list[str]] | None = None,
                days: dict[str, list[tuple[int, int, dt.date]]] | None = None,
                spans: dict[str, list[tuple[int, str]]] | None = None) -> list[ClaimFacts]:
    """Facts of one chunk's claims (or any claims whose documents' texts are given).
    `countries`: doc_id -> ISO codes its mentions name; `window`: the run's (run_window);
    `places`: doc_id -> its place and nationality mentions (default: its claims' locations);
    `days`: doc_id -> (start, end, day) of its date mentions that name one day;
    `spans`: doc_id -> (start, name) of its place and nationality mentions, for the countries
    a claim's sentence names (default: its claim's locations only)."""
    facts = []
    source_phrases: dict[tuple, list[str]] = {}
    by_doc: dict[str, list[dict]] = {}
    for row in rows:
        by_doc.setdefault(row["doc_id"], []).append(row)
        if row.get("source_text"):
            source_phrases.setdefault((row["doc_id"], row.get("sentence_start")), []).append(row["source_text"])
    if places is None:
        places = {doc: [name for row in doc_rows for name in row.get("locations") or ()]
                  for doc, doc_rows in by_doc.items()}
    country = {doc: event_country(places.get(doc, []), texts.get(doc, ""), settings.event_words)
               or main_country(places.get(doc, []), texts.get(doc, "")) for doc in by_doc}
    named = {doc: frozenset((countries or {}).get(doc, ())) for doc in by_doc}  # one set per article
    events = {doc: article_events(texts.get(doc, ""), settings.event_words) for doc in by_doc}
    onsets = {doc: onset_mentions(texts.get(doc, ""), settings.event_words,
                                  [d for d in (days or {}).get(doc, ()) if not published.get(doc) or d[2] <= published[doc]])
              for doc in by_doc}  # an event reported on has begun by the report's date
    onset = {doc: (Counter(day for _, day in found).most_common(1) or [(None, 0)])[0][0] for doc, found in onsets.items()}
    bodies = {}  # (doc_id, source) -> the body the source speaks for, as its article says once
    for row in rows:
        body = affiliation(row, texts.get(row["doc_id"], ""))
        if body:
            bodies.setdefault((row["doc_id"], row.get("source_canonical") or row["source_text"]), body)
    for row in rows:
        doc = row["doc_id"]
        text = texts.get(doc, "")
        lo, hi = (None, None) if is_vague(row) else bounds(row)
        scale = (measure(row.get("unit"), settings.units) or ("", 1.0))[1]  # in base units: barrels and gallons meet
        lo, hi = (None, None) if lo is None else (lo * scale, hi * scale)
        who = counted_nationality(row, text)
        cls = counted_class(row.get("counted"), settings.counted_classes)
        if cls and set(head_forms(row.get("counted"))) & settings.event_words.keys() and not counted_follows(row, text):
            cls = None  # "toll in fresh quake rises to 76" counted "quake": the event, not what is counted
        if row.get("unit") and row.get("counted"):
            cls = measured_class(row["counted"], row["unit"], settings)
        source = row.get("source_canonical") or outlets.get(doc) or doc
        speaker = source_key(bodies.get((doc, source)) or source)
        parties = _parties(row, who, source_phrases.get((doc, row.get("sentence_start")), []))
        low = row.get("low") if row.get("low") is not None else (row.get("value") if row.get("high") is None else None)
        low = None if lo is None or low is None else low * scale
        on_figure = None if row.get("event_type") in settings.destination_events else own_place(row, text)
        if not on_figure and not who and row.get("event_type") not in settings.destination_events:
            on_figure = source_country(row)
        said = countries_of(row.get("locations") or ()) | sentence_countries(row, (spans or {}).get(doc, ()))
        facts.append(ClaimFacts(
            claim_id=row["claim_id"], doc_id=doc, event_type=row.get("event_type"), counted_class=cls,
            increment=is_increment(row, settings.increment_words, text, settings.increment_nouns),
            counted_who=who, parties=parties,
            lo=lo, hi=hi, period=period_of(row, published.get(doc), settings.undated_window_days, window),
            source=speaker, published=published.get(doc), negated=bool(row.get("negated")),
            kind=unit_kind(row, cls, settings),
            countries=said | named[doc],
            low_known=low, entry=_source_entry(row, source, published.get(doc)),
            order=(published.get(doc) or dt.date.max, doc, row.get("quantity_start") or 0),
            sentence=row.get("sentence_start"), counted=row.get("counted"), dated=bool(row.get("time_start")),
            unit=row.get("unit"), scale=scale,
            hedged=bool(row.get("hedged")), revision=is_revision(row, text, settings.revision_words),
            projection=bool(row.get("hedged")) and is_projection(row, text, settings.projection_words),
            place=place_key(on_figure) if on_figure else country[doc],
            written=bool(on_figure), local=bool(on_figure) and not names_a_country(on_figure),
            place_name=place_title(on_figure, country[doc]),
            onset=claim_onset(row, onset[doc]),
            combined=combined_onsets(row, onsets[doc]),
            part=is_part(row, text),
            detail=fine_event(row),
            former=is_former(row, text),
            events=events[doc], named=named[doc],
            said=said,
        ))
    _share_nationality_within_sentence(facts)
    _share_combined_onsets(facts)
    return facts


# A spokesperson speaks for a body: "Mark Hale, a spokesman for Acme Oil Inc., said" and
# "Acme Oil spokeswoman Jo Lee" give Acme Oil's figures (academics and experts speak for themselves).
_ROLE = r"(?:spokes(?:man|woman|person)|representative|official|executive|press\s+officer)"
_ROLE_WORD = re.compile(_ROLE, re.I)
_ORG = r"(?P<org>[A-Z][\w&.'’-]*(?:\s+(?:of\s+)?[A-Z][\w&.'’-]*)*)"


def affiliation(row: dict, text: str) -> str | None:
    """The body a source speaks for, as its sentence writes it around the source: an
    appositive after the name ("X, a spokesman for oil giant Acme PLC") or a title before it
    ("Acme spokesman X"); None for anyone else."""
    said, start = row.get("source_text"), row.get("sentence_start")
    if not said or start is None or not text:
        return None
    sentence = text[start:row.get("sentence_end") or len(text)]
    if not _ROLE_WORD.search(sentence):
        return None  # most sentences: no pattern to build
    name = re.escape(said.split(",")[0].strip())  # the source's text may hold the appositive
    m = (re.search(name + r",\s+(?:a|an|the)\s+(?:[\w-]+\s+){0,2}?" + _ROLE + r"\s+(?:for|of|at|with)\s+(?:the\s+)?"
                   r"(?:[a-z][\w-]*\s+){0,3}" + _ORG, sentence)
         or re.search(_ORG + r"(?:['’]s)?\s+" + _ROLE + r",?\s+" + name, sentence))
    if m is None:
        return None
    return without_legal_form(m.group("org")) or None


def source_key(name: str) -> str:
    """Sources compared as one when they differ only in case, a determiner or a company's legal
    form ("Scientists" and "scientists", "BP PLC" and "BP")."""
    return normalize_name(without_legal_form(name) or name)


def _share_combined_onsets(facts: list[ClaimFacts]) -> None:
    """A headline or a summary that repeats a combined toll of its article ("death toll
    reaches 8,000" above "the toll of the quake and its aftershock has reached 8,000") counts
    the same events: the same event type and value in one article as a combined claim."""
    combined = {(f.doc_id, f.event_type, f.lo, f.hi): f.combined for f in facts if f.combined and f.lo is not None}
    for fact in facts:
        if not fact.combined:
            fact.combined = combined.get((fact.doc_id, fact.event_type, fact.lo, fact.hi), frozenset())


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


# --- where and which event ------------------------------------------------------------------

# The place written on a figure: at most four lowercase words after it ("34 deaths in India",
# "23 people killed in Bihar", "180 people were reported killed in Kathmandu", "19 on Mount
# Everest"), then in/on/at, maybe a direction ("in
# eastern Uttar Pradesh"), and a capitalized name that is not a date.
_OWN_PLACE = re.compile(r"^(?:\s+[a-z][a-z'-]*){0,4}\s+(?:in|on|at)\s+(?:the\s+)?(?:[a-z]+ern\s+)?"
                        r"([A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)")
# Lowercase words that may follow a place name; any other makes the name an adjective.
_AFTER_A_PLACE = frozenset("and or on in at since after by from to as while when where with of alone so but "
                           "was were is are had have has said says".split())
_PLACE_NOUNS = frozenset("state states province provinces region regions city cities capital town towns village "
                         "villages district districts county counties side border territory territories".split())
_DATE_WORDS = frozenset("january february march april may june july august september october november december "
                        "monday tuesday wednesday thursday friday saturday sunday".split())


def own_place(row: dict, text: str) -> str | None:
    """The place written on the figure itself, introduced by in/on/at right after the figure
    and its counted words ("34 deaths in India"); the sentence's location of that name when
    the tagger found one."""
    q_end, s_end = row.get("quantity_end"), row.get("sentence_end")
    if q_end is None or not text:
        return None
    found = _OWN_PLACE.match(text[q_end:min(s_end or len(text), q_end + 90)])
    if not found or found.group(1).split()[0].lower() in _DATE_WORDS:
        return place_before(row, text)
    name = found.group(1)
    following = re.match(r"\s+([a-z]+)", text[q_end + found.end():q_end + found.end() + 20])
    if following and following.group(1) not in _AFTER_A_PLACE:
        if not (following.group(1) in _PLACE_NOUNS and names_a_country(name)):
            return None  # "in the Himalayan nation": an adjective, not a place
        # "in the Indian states of Bihar and Assam": a nationality on a place noun is its country
    return next((loc for loc in row.get("locations") or () if loc.startswith(name) or name.startswith(loc)), name)


# A place written just before the figure: "Kathmandu, where 1,210 people were killed", "the
# Sindhupalchok district accounted for 3,035 deaths", "Cusco province recorded 40".
_PLACE_BEFORE = re.compile(
    r"\b(?P<name>[A-Z][\w'’-]*(?:\s+[A-Z][\w'’-]*)*)(?P<noun>\s+(?:" + "|".join(sorted(_PLACE_NOUNS)) + r"))?"
    r"\s*,?\s+(?P<verb>where|accounted\s+for|recorded|registered|reported|counted)\s+(?:the\s+|some\s+|about\s+)?$")


def place_before(row: dict, text: str) -> str | None:
    """A place written just before the figure (_PLACE_BEFORE): with "where", a name the
    tagger found as a location of the sentence or one followed by a place noun ("Cusco
    province"); with a verb ("accounted for", "recorded"), only a name followed by a place
    noun: "Reuters reported 40" names no place. A country there is a source (source_country)."""
    start, s_start = row.get("quantity_start"), row.get("sentence_start") or 0
    if start is None:
        return None
    found = _PLACE_BEFORE.search(text[max(s_start, start - 80):start])
    if not found:
        return None
    name = re.sub(r"^(?:The|A|An)\s+", "", found.group("name"))
    located = any(loc == name or loc.endswith(name) for loc in row.get("locations") or ())
    if found.group("noun") is None and not (found.group("verb") == "where" and located):
        return None
    return None if names_a_country(name) or name.split()[0].lower() in _DATE_WORDS else name


def source_country(row: dict) -> str | None:
    """A country that is itself the source ("China reported 25 deaths", "India says 40
    died"): a country gives its own count, so that is where the claim is counted. Not a
    country's officials or estimates ("U.S. estimates put the casualties at 1,200"): those
    may count anyone."""
    text = (row.get("source_text") or "").strip()
    text = re.sub(r"^the\s+", "", text, flags=re.IGNORECASE)
    return text if text and country_of(text) and names_a_country(text) else None


def sentence_countries(row: dict, spans) -> frozenset[str]:
    """The countries the place and nationality mentions of the claim's sentence name
    ("struck Nepal ..., claiming nearly 700 lives in that country")."""
    start, end = row.get("sentence_start"), row.get("sentence_end")
    if start is None or end is None:
        return frozenset()
    return countries_of(name for at, name in spans if start <= at < end)


def place_title(written: str | None, article_country: str | None) -> str | None:
    """The place a figure is counted in, for people to read: a place inside a country with
    its country ("Cusco, Peru": the gazetteer's country of the name, else its article's), a
    country as written, or the article's country."""
    if not written:
        return country_name(article_country) if article_country else None
    if names_a_country(written):
        return written
    code = country_of(written) or article_country
    return f"{written}, {country_name(code)}" if code else written


def place_key(name: str) -> str:
    """A country's ISO code when the name is a country or nationality ("India", "Indian"),
    else the normalized name ("bihar", "kathmandu"): a city's toll is not its country's."""
    return country_of(name) if names_a_country(name) else normalize_name(name)


def main_country(places: list[str], text: str) -> str | None:
    """The country an article is about: the one whose place and nationality names occur most
    often in its text (the tagger may miss some occurrences, a headline's among them); on a
    tie the first named; None when none is named."""
    weights: Counter = Counter()
    for name in dict.fromkeys(places):
        code = country_of(name)
        if code:
            weights[code] += max(1, text.count(name))
    ranked = weights.most_common(1)
    return ranked[0][0] if ranked else None


_SENTENCE_END = re.compile(r"[.!?]\s")
_NEAR_EVENT = 40  # characters between a place name and an event word ("the Nepal quake", "an earthquake struck Nepal")


def event_country(places: list[str], text: str, event_words: dict[str, str]) -> str | None:
    """The country where the article's event happened: the one most often named within
    _NEAR_EVENT characters of an event word ("7.9 earthquake hits Nepal", "Nepal quake"), so
    that an Indian outlet's story on a quake in Nepal counts its unplaced figures in Nepal,
    not in India, which it names more often. Only within one sentence. None when no country
    is named by an event word, or two are named as often."""
    lowered = (text or "").lower()
    at = [m.start() for m in re.finditer(r"[a-z]+", lowered) if m.group() in event_words]
    if not at:
        return None
    weights: Counter = Counter()
    for name in dict.fromkeys(places):
        code = country_of(name)
        if not code or not name.strip():
            continue
        for found in re.finditer(rf"\b{re.escape(name)}\b", text):
            if any(-_NEAR_EVENT <= found.start() - a <= _NEAR_EVENT + len(name)
                   and not _SENTENCE_END.search(text[min(a, found.start()):max(a, found.end())]) for a in at):
                weights[code] += 1
    ranked = weights.most_common(2)
    if not ranked or (len(ranked) == 2 and ranked[0][1] == ranked[1][1]):
        return None  # a tie: leave it to main_country
    return ranked[0][0]


def article_events(text: str, event_words: dict[str, str]) -> frozenset[str]:
    """The classes of event an article is about ([events]): its most frequent event word's,
    and any other it names twice or more (an explosion that became an oil spill)."""
    lowered = (text or "").lower()
    counts = Counter(event_words[w] for w in re.findall(r"[a-z]+", lowered) if w in event_words)
    counts.update({event_words[p]: lowered.count(p) for p in event_words if " " in p and p in lowered})
    ranked = counts.most_common()
    return frozenset(c for i, (c, n) in enumerate(ranked) if i == 0 or n >= 2)


# A day written as an event's onset: before it ("Saturday's earthquake", "the April 25
# magnitude-7.8 quake") or after it ("the quake on Saturday", "the flood that hit the valley on
# May 3"); "the toll rose on Monday" dates a report, not the event.
_ONSET_BEFORE = re.compile(r"^(?:['’]s)?\s+(?:[\w.-]+\s+){0,2}$")
_ONSET_AFTER = re.compile(r"^\s+(?:of|on|(?:that|which)\s+(?:struck|hit|began|started|erupted|broke\s+out)"
                          r"(?:\s+[\w-]+){0,2}\s+on)\s+$")


def article_onset(text: str, event_words: dict[str, str], days) -> dt.date | None:
    """The day the article's event began: the day most often written as its onset next to
    an event word (_ONSET_BEFORE, _ONSET_AFTER)."""
    ranked = Counter(day for _, day in onset_mentions(text, event_words, days)).most_common(1)
    return ranked[0][0] if ranked else None


def onset_mentions(text: str, event_words: dict[str, str], days) -> list[tuple[int, dt.date]]:
    """(where, day) of each day written as an event's onset next to an event word."""
    lowered = (text or "").lower()
    near: list[tuple[int, dt.date]] = []
    for word in re.finditer(r"[a-z]+", lowered):
        if word.group() not in event_words:
            continue
        for start, end, day in days:
            if end <= word.start():
                hit = word.start() - end <= 40 and _ONSET_BEFORE.match(text[end:word.start()])
            else:
                hit = word.end() <= start <= word.end() + 60 and _ONSET_AFTER.match(text[word.end():start])
            if hit:
                near.append((start, day))
    return near


def combined_onsets(row: dict, mentions: list[tuple[int, dt.date]]) -> frozenset[dt.date]:
    """The onsets of several events its sentence counts together ("the toll of the April 25
    earthquake and its May 12 aftershock has reached 8,000"): two or more days more than a
    day apart, each written as an event's onset in the claim's sentence; empty otherwise."""
    start, end = row.get("sentence_start"), row.get("sentence_end")
    if start is None or end is None:
        return frozenset()
    found = sorted({day for at, day in mentions if start <= at < end})
    return frozenset(found) if len(found) >= 2 and (found[-1] - found[0]).days > 1 else frozenset()


def claim_onset(row: dict, article: dt.date | None) -> dt.date | None:
    """The claim's event onset: its article's, unless the claim is dated to a day before it
    (an article on an aftershock that recaps the first quake's toll "since April 25")."""
    start = row.get("time_start")
    return start if article and start and start == row.get("time_end") and start < article else article


def is_revision(row: dict, text: str, words: frozenset[str]) -> bool:
    """An update or official revision is written on the figure: one of `words` among the
    few words before it ("raised the toll to 50", "the toll rose to 50"), or "instead of"
    right after it ("50 died instead of 40")."""
    start, end = row.get("quantity_start"), row.get("quantity_end")
    if start is None or end is None or not text:
        return False
    before = re.findall(r"[a-z]+", text[max(row.get("sentence_start") or 0, start - 40):start].lower())[-4:]
    after = text[end:end + 25].lower()
    return any(w in words for w in before) or bool(re.match(r"^[^.;,]{0,12}\binstead of\b", after))


_FORMER = re.compile(r"\b(?:(?:down|up|lowered|raised|revised|cut|increased|reduced)\s+from|previous|previously|earlier|"
                     r"original|originally|initial|initially|former|old)\s+(?:the\s+|an?\s+|its\s+|their\s+)?"
                     r"(?:[a-z-]+\s+){0,2}$", re.I)


def is_former(row: dict, text: str) -> bool:
    """A value the article writes as replaced: "captured 2,200 barrels, down from the 5,000 it
    said earlier", "up from 300", "the previous estimate of 1,000 barrels a day"."""
    start = row.get("quantity_start")
    if start is None or not text:
        return False
    return bool(_FORMER.search(text, max(row.get("sentence_start") or 0, start - 40), start))


def is_projection(row: dict, text: str, words: frozenset[str]) -> bool:
    """A hedged figure that looks ahead: one of `words` among the four words before it
    ("could reach 10,000", "may rise to", "is expected to top")."""
    start = row.get("quantity_start")
    if start is None or not text:
        return False
    before = re.findall(r"[a-z]+", text[max(row.get("sentence_start") or 0, start - 40):start].lower())[-4:]
    quoted = re.findall(r"[a-z]+", (row.get("quantity_text") or "").lower())
    return any(w in words for w in before + quoted)


def episodes(facts: list[ClaimFacts], gap_days: int) -> None:
    """Set each fact's episodes: the articles about one class of event form one event while
    they keep coming; a gap of more than gap_days between consecutive publication dates starts
    another (next year's floods). Places tell apart two events of one class at the same time
    (same_place_of_count). A claim dated to a period ended long before the event's first
    article (the toll of "a 1934 quake" in a story on this one) is in none."""
    dates: dict[str, set[dt.date]] = {}
    for fact in facts:
        for event in fact.events if fact.published else ():
            dates.setdefault(event, set()).add(fact.published)
    starts: dict[str, list[dt.date]] = {}
    for key, days in dates.items():
        ordered = sorted(days)
        starts[key] = [d for i, d in enumerate(ordered) if i == 0 or (d - ordered[i - 1]).days > gap_days]
    for fact in facts:
        if not fact.published:
            continue
        runs = {(event, [d for d in starts[event] if d <= fact.published][-1]) for event in fact.events}
        long_before = fact.dated and isinstance(fact.period, tuple)
        fact.episodes = frozenset(run for run in runs
                                  if not (long_before and fact.period[1] < run[1] - dt.timedelta(days=gap_days)))


def same_event(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Their articles are on one event: one class of event, in one run of articles."""
    return bool(a.episodes & b.episodes)


# --- comparing claims -----------------------------------------------------------------------

def gap_ratio(a: ClaimFacts, b: ClaimFacts) -> float:
    """1 when the intervals overlap, else how many times larger the upper one is."""
    if a.lo is None or b.lo is None:
        return 1.0
    if a.hi >= b.lo and b.hi >= a.lo:
        return 1.0
    low, high = (a, b) if a.hi < b.lo else (b, a)
    return math.inf if low.hi <= 0 else high.lo / low.hi


def _closed(f: ClaimFacts) -> tuple[float, float]:
    """The interval with a half-open end read as its one bound ("at least 34" -> 34, 34)."""
    return (f.hi if f.lo <= 0 else f.lo), (f.lo if math.isinf(f.hi) else f.hi)


def value_gap(a: ClaimFacts, b: ClaimFacts) -> float:
    """gap_ratio over _closed intervals: for grouping, "at least 34" is a count of about 34,
    not one that fits 8,000 (for disputes it does fit: gap_ratio)."""
    if a.lo is None or b.lo is None:
        return 1.0
    (alo, ahi), (blo, bhi) = _closed(a), _closed(b)
    if ahi >= blo and bhi >= alo:
        return 1.0
    low_hi, high_lo = (ahi, blo) if ahi < blo else (bhi, alo)
    return math.inf if low_hi <= 0 else high_lo / low_hi


def periods_overlap(a: ClaimFacts, b: ClaimFacts) -> bool:
    if a.period == UNDATED or b.period == UNDATED:
        return a.period == b.period
    if a.period is None or b.period is None:
        return True
    return a.period[0] <= b.period[1] and b.period[0] <= a.period[1]


COUNTING_PERIOD_DAYS = 7  # a stated interval this long is what was counted ("deaths in 2023"), not a report date


def same_time(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Claims of one event join across days and weeks: only their own counting periods (a
    week or longer: "in January", "in 2023") or their articles' days of onset more than a day
    apart (article_onset) set them apart. Claims of articles tied to
    no shared event keep to overlapping periods (publication date +- undated_window_days)."""
    if not same_event(a, b):
        return periods_overlap(a, b)
    if a.onset and b.onset and abs((a.onset - b.onset).days) > 1:
        return False  # an aftershock, a second flood: another event of the same story
    if a.combined or b.combined:  # the toll of a quake and its aftershock together is neither's
        return len(a.combined) == len(b.combined) and all(abs((x - y).days) <= 1 for x, y in
                                                          zip(sorted(a.combined), sorted(b.combined)))
    if not (a.dated and b.dated and isinstance(a.period, tuple) and isinstance(b.period, tuple)):
        return True
    long_ = all((f.period[1] - f.period[0]).days + 1 >= COUNTING_PERIOD_DAYS for f in (a, b))
    return not long_ or periods_overlap(a, b)


def same_place_of_count(a: ClaimFacts, b: ClaimFacts) -> bool:
    """A place inside a country written on a figure ("in Bihar", "in Kathmandu") joins only
    the same place. A country written on a figure ("34 in India") must be one that the other
    claim's sentence names, or without one, its article's country. Otherwise an article's
    main country must be the other's or one the other article names (a story about Nepal that
    also reports India's toll), or their sentences name a country in common. Unknown fits any."""
    if a.place is None or b.place is None:
        return True
    if a.local or b.local:
        return a.local and b.local and a.place == b.place
    if a.written and b.written:
        return a.place == b.place
    if a.written or b.written:
        on, off = (a, b) if a.written else (b, a)
        return on.place in off.said if off.said else on.place == off.place
    return a.place == b.place or a.place in b.named or b.place in a.named or bool(a.said & b.said)


def values_fit(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    """Within max_ratio; across days of one event, a later larger value may be further off
    (max_ratio * (1 + days / growth_days)): a toll grows as counting goes on, but a country's
    toll a week later is not a province's count of the first day. A later hedged value (a
    projection, "could reach 10,000") looks ahead of the counts: its allowance is squared.
    Estimates of one measure of one event (a spill's flow in barrels a day) are no counts:
    one hedged against another value fits within estimate_ratio, at any time (the first
    official 5,000 barrels a day against an engineer's 90,000 the same week)."""
    gap = value_gap(a, b)
    if gap <= settings.max_ratio:
        return True
    if not same_event(a, b):
        return False
    if _estimates(a, b) and gap <= settings.estimate_ratio:
        return True
    if not a.published or not b.published:
        return False
    early, late = sorted((a, b), key=lambda f: f.published)
    days = (late.published - early.published).days
    if days <= 0 or late.lo is None or early.lo is None or _closed(late)[0] <= _closed(early)[1]:
        return False
    allowed = settings.max_ratio * (1 + days / settings.growth_days)
    return gap <= (allowed ** 2 if late.hedged else allowed)


def _estimates(a: ClaimFacts, b: ClaimFacts) -> bool:
    """One of two values of a measure is a hedged estimate."""
    return (a.hedged or b.hedged) and (a.kind or "").startswith("measure:")


def same_fact(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    """Whether two claims can report one fact (everything but the same-source rule)."""
    if a.event_type != b.event_type or a.increment != b.increment:
        return False
    if a.detail and b.detail and a.detail != b.detail:
        return False  # "other" is many events: oil spilled is not oil recovered, missing not rescued
    if a.kind is None or b.kind is None or a.kind != b.kind:
        return False
    if (a.counted_class and b.counted_class and a.counted_class != b.counted_class and a.kind != "money"
            and not _generic_pair(a, b, settings)):  # a sum's noun says what it paid for, in many words
        return False
    if a.countries and b.countries and not a.countries & b.countries:
        return False
    if a.counted_who and b.counted_who and not share_a_place(a.counted_who, b.counted_who):
        return False
    if settings.places_must_match and a.parties and b.parties and not share_a_place(a.parties, b.parties):
        return False
    if not same_place_of_count(a, b) or not values_fit(a, b, settings):
        return False
    return same_time(a, b)


def _generic_pair(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    """One counts "people", the other a class of people ("700 people killed", "700 deaths")."""
    people = settings.people_classes | settings.people_nouns
    return any(x.counted_class in settings.generic_classes and y.counted_class in people for x, y in ((a, b), (b, a)))


def same_source_conflict(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    """A source does not contradict itself within one article: different values there are
    different facts, unless one of them is denied, retracted or revised ("50 died instead of 40")."""
    if a.negated or b.negated or a.revision or b.revision or a.former or b.former or _estimates(a, b):
        return False
    return a.doc_id == b.doc_id and a.source == b.source and gap_ratio(a, b) > 1 + settings.dispute_tolerance


def part_and_whole(a: ClaimFacts, b: ClaimFacts) -> bool:
    """In one article, a part of a group ("three of the injured workers were in critical
    condition") is not the group's number ("15 workers were injured")."""
    return a.doc_id == b.doc_id and a.part != b.part and (a.lo, a.hi) != (b.lo, b.hi)


def compatible(a: ClaimFacts, b: ClaimFacts, settings: FigureSettings) -> bool:
    return same_fact(a, b, settings) and not same_source_conflict(a, b, settings) and not part_and_whole(a, b)


# --- grouping ---------------------------------------------------------------------------------

@dataclass
class _Figure:
    members: list[ClaimFacts] = field(default_factory=list)
    profiles: dict[tuple, ClaimFacts] = field(default_factory=dict)  # one member per distinct profile
    by_doc: dict[str, list[ClaimFacts]] = field(default_factory=dict)
    registered: set = field(default_factory=set)  # the block buckets that list this figure
    places: Counter = field(default_factory=Counter)  # its members' places

    def add(self, fact: ClaimFacts) -> None:
        self.members.append(fact)
        self.places[fact.place] += 1
        self.profiles.setdefault(fact.profile, fact)
        self.by_doc.setdefault(fact.doc_id, []).append(fact)

    def accepts(self, fact: ClaimFacts, settings: FigureSettings) -> bool:
        """Complete link: compatible with every member (each distinct profile once, plus the
        members from the same article for the same-source rule)."""
        return (all(same_fact(fact, p, settings) for p in self.profiles.values())
                and not any(same_source_conflict(fact, m, settings) or part_and_whole(fact, m)
                            for m in self.by_doc.get(fact.doc_id, ())))

    def distance(self, fact: ClaimFacts) -> float:
        return max(value_gap(fact, p) for p in self.profiles.values())


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
    far = max(1, math.ceil(math.log(max(settings.estimate_ratio, 1.0)) / width))
    blocks: dict[tuple, dict] = {}
    figures: list[_Figure] = []
    for fact in sorted(facts, key=lambda f: f.order):
        if fact.kind is None:
            figures.append(_Figure())
            figures[-1].add(fact)
            continue
        block = blocks.setdefault((fact.event_type, fact.kind, fact.increment), {"open": [], "buckets": {}, "all": []})
        span = _buckets(fact, width)
        # a hedged measure fits within estimate_ratio (values_fit): `far` buckets each way,
        # found from either side (it scans that far and is listed one bucket short of it)
        reach = far if fact.hedged and fact.kind.startswith("measure:") else 1
        if span is None:
            candidates = block["all"]
        else:
            # Within a bucket, figures are listed by each country their members name (and
            # under None when a member names none): a claim that names countries only meets
            # figures that share one or name none; one that names none meets all.
            keys = [*fact.countries, None] if fact.countries else ["all"]
            seen = {id(f): f for f in block["open"]}
            for b in range(span.start - reach, span.stop + reach):
                bucket = block["buckets"].get(b, {})
                for key in keys:
                    seen.update((id(f), f) for f in bucket.get(key, ()))
            candidates = list(seen.values())
        fits = [f for f in candidates if f.accepts(fact, settings)]
        if fits:
            # the fact counted at the claim's own place, then the most reported so far: a stray
            # early claim does not draw the story away
            figure = min(fits, key=lambda f: (-f.places[fact.place], -len(f.by_doc),
                                              f.distance(fact), f.members[0].order))
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
        for b in range(span.start - reach + 1, span.stop + reach - 1):
            for key in ["all", *(fact.countries or [None])]:
                if (b, key) not in figure.registered:
                    figure.registered.add((b, key))
                    block["buckets"].setdefault(b, {}).setdefault(key, []).append(figure)
    return [f.members for f in figures]


def figure_id(group: list[ClaimFacts]) -> str:
    digest = hashlib.sha1("|".join(sorted(f.claim_id for f in group)).encode()).hexdigest()[:10]
    return f"{group[0].event_type or 'other'}-{digest}"


_REVISIONS = object()  # superseded(): the key of values reported as revisions, by any source


def _by_day(timeline: list[ClaimFacts]) -> dict:
    """Publication day -> the indexes of the timeline's claims published that day."""
    by_day: dict = {}
    for i, fact in enumerate(timeline):
        by_day.setdefault(fact.published, []).append(i)
    return by_day


def superseded(timeline: list[ClaimFacts]) -> list[bool]:
    """Per claim of a figure's timeline (publication order): whether a later report replaces
    it, either its own source giving another value on a later day, or a later claim that
    reports an update or revision ("raised the toll to", "instead of"), or the article writes
    it as a replaced value ("down from 5,000", is_former). A restatement of the
    same value replaces nothing, and neither does a projection ("could reach 10,000"): a
    forecast replaces no count. One pass from the end per source, so a figure of thousands
    of claims costs no more than it has claims."""
    later_values: dict[str, set] = {}  # source (or "revisions") -> up to two values reported later
    flags = [False] * len(timeline)
    by_day = _by_day(timeline)
    for day in sorted((d for d in by_day if d is not None), reverse=True):
        for i in by_day[day]:
            value = (timeline[i].lo, timeline[i].hi)
            flags[i] = timeline[i].former or any(seen - {value} for seen in (later_values.get(timeline[i].source, set()),
                                                                             later_values.get(_REVISIONS, set())))
        for i in by_day[day]:
            fact = timeline[i]
            if fact.negated or fact.projection:  # a forecast replaces no count
                continue
            for key in (fact.source, _REVISIONS) if fact.revision else (fact.source,):
                seen = later_values.setdefault(key, set())
                if len(seen) < 2:
                    seen.add((fact.lo, fact.hi))
    return flags


def _replaced_on(timeline: list[ClaimFacts]) -> list[dt.date | None]:
    """Per claim: the first later day its own source gave another value (None: never). One
    pass from the end, keeping per source the two earliest later days of distinct values
    (one of them differs from any value)."""
    later: dict[str, dict] = {}  # source -> {value: earliest later day}, at most two values
    replaced: list[dt.date | None] = [None] * len(timeline)
    by_day = _by_day(timeline)
    for day in sorted((d for d in by_day if d is not None), reverse=True):
        for i in by_day[day]:
            value = (timeline[i].lo, timeline[i].hi)
            days = [d for v, d in later.get(timeline[i].source, {}).items() if v != value]
            replaced[i] = min(days, default=None)
        for i in by_day[day]:
            if not timeline[i].negated and not timeline[i].projection:
                seen = later.setdefault(timeline[i].source, {})
                seen[(timeline[i].lo, timeline[i].hi)] = day
                if len(seen) > 2:
                    del seen[max(seen, key=seen.get)]
    return replaced


def _representatives(timeline: list[ClaimFacts], replaced: dict) -> list[ClaimFacts]:
    """The claims a dispute can come from: one per (value, day, source), and per (value, day)
    two sources at most, those standing longest (a dispute needs only two sources, and many
    articles stating one value would otherwise make a figure's pairs quadratic)."""
    kept: dict[tuple, dict[str, ClaimFacts]] = {}
    for fact in timeline:
        if fact.negated or fact.projection or fact.former or fact.lo is None:
            continue  # a value the article says was replaced has no moment of its own to dispute
        kept.setdefault((fact.lo, fact.hi, fact.published), {}).setdefault(fact.source, fact)
    never = dt.date.max
    return [f for sources in kept.values()
            for f in sorted(sources.values(), key=lambda f: replaced[id(f)] or never, reverse=True)[:2]]


def dispute_spread(timeline: list[ClaimFacts], same_moment_days: int) -> float:
    """The largest gap ratio between two different sources' values given at the same moment
    (published at most same_moment_days apart), neither denied or retracted, nor yet replaced
    by its own source by then (1 = agreement). A later revision by someone else does not undo
    a disagreement that was there; sums in two currencies are not compared. A half-open value counts by its bound ("at least 61" is a
    count of 61, which 72 disputes); a projection ("could reach 10,000") is no current value."""
    replaced = dict(zip(map(id, timeline), _replaced_on(timeline)))

    def standing(fact: ClaimFacts, moment: dt.date | None) -> bool:
        day = replaced[id(fact)]
        return not fact.negated and (day is None or moment is None or day > moment)

    values = _representatives(timeline, replaced)
    dated = sorted((f for f in values if f.published), key=lambda f: f.published)
    pairs = [(a, b) for a, b in itertools.combinations([f for f in values if not f.published], 2)]
    for i, a in enumerate(dated):  # a window of same_moment_days, not all pairs
        for b in dated[i + 1:]:
            if (b.published - a.published).days > same_moment_days:
                break
            pairs.append((a, b))
    spreads = [value_gap(a, b) for a, b in pairs if a.source != b.source and not other_currencies(a, b)
               and standing(a, max(a.published, b.published) if a.published else None)
               and standing(b, max(a.published, b.published) if a.published else None)]
    return max(spreads, default=1.0)


def other_currencies(a: ClaimFacts, b: ClaimFacts) -> bool:
    """Sums in two currencies ("£3bn", "$6bn"): without an exchange rate their values are
    not compared, so they dispute nothing."""
    return bool(a.unit and b.unit and CURRENCY.match(a.unit) and CURRENCY.match(b.unit) and a.unit != b.unit)


def latest_values(timeline: list[ClaimFacts], current: list[bool]) -> tuple[float | None, float | None]:
    """(low, high) of each source's most recent value, combined, over the values that stand
    (not superseded, denied or retracted); the last report of a fact always stands."""
    last: dict[str, ClaimFacts] = {}
    for fact, now in zip(timeline, current):
        if now:
            last[fact.source] = fact
    lows = [f.low_known for f in last.values() if f.low_known is not None]
    highs = [f.hi for f in last.values() if f.hi is not None and math.isfinite(f.hi)]
    return min(lows, default=None), max(highs, default=None)


# --- the figures table ------------------------------------------------------------------------

def figure_row(group: list[ClaimFacts], duplicate_of: dict[str, str | None], settings: FigureSettings) -> dict:
    """One row of the figures table. Denied and retracted claims stay in the timeline but
    give no value: not to the range, the latest values or a dispute."""
    timeline = sorted(group, key=lambda f: f.order)
    replaced = superseded(timeline)
    current = [not f.negated and not r for f, r in zip(timeline, replaced)]
    values = [f for f in timeline if not f.negated]
    docs = {f.doc_id for f in group}
    dated = [f.period for f in group if f.dated and isinstance(f.period, tuple)]
    published = [f.published for f in group if f.published]
    counted = Counter(f.counted for f in group if f.counted and not set(head_forms(f.counted)) & REPORT_NOUNS)
    places = Counter(f.place_name for f in group if f.place_name)
    spread = dispute_spread(timeline, settings.same_moment_days)
    highs = [f.hi for f in values if f.hi is not None and math.isfinite(f.hi)]
    standing = [now and not f.projection for f, now in zip(timeline, current)]  # a projection is no current value
    latest_low, latest_high = latest_values(timeline, standing if any(standing) else current)
    units = Counter((f.unit, f.scale) for f in group if f.unit)
    details = Counter(f.detail for f in group if f.detail)
    unit, scale = units.most_common(1)[0][0] if units else (None, 1.0)

    def stated(value: float | None) -> float | None:  # from base units to the figure's unit
        return None if value is None else float(f"{value / scale:.10g}")  # without the round trip's float noise
    return {
        "figure_id": figure_id(group),
        "event_type": group[0].event_type,
        "counted": counted.most_common(1)[0][0] if counted else None,
        "n_claims": len(group),
        "n_sources": len({f.source for f in group}),
        "n_documents": len(docs),
        "n_independent_documents": len([d for d in docs if duplicate_of.get(d) not in docs]),
        "min_low": stated(min((f.low_known for f in values if f.low_known is not None), default=None)),
        "max_high": stated(max(highs, default=None)),
        "earliest_report": min(published, default=None),
        "latest_report": max(published, default=None),
        "time_start": min((p[0] for p in dated), default=None),
        "time_end": max((p[1] for p in dated), default=None),
        "disputed": spread > 1 + settings.dispute_tolerance,
        "spread": None if math.isinf(spread) else spread,
        "sources": [{**f.entry, "duplicate_of": duplicate_of.get(f.doc_id), "superseded": r,
                     "hedged": f.hedged, "negated": f.negated} for f, r in zip(timeline, replaced)],
        "updated": any(r and not f.negated for f, r in zip(timeline, replaced)),
        "latest_low": stated(latest_low),
        "latest_high": stated(latest_high),
        "place": places.most_common(1)[0][0] if places else None,
        "unit": unit,
        "event_detail": details.most_common(1)[0][0] if details else None,
    }


def _source_entry(row: dict, source: str, published: dt.date | None) -> dict:
    return {"source": source, "source_text": row.get("source_text"), "doc_id": row["doc_id"],
            "claim_id": row["claim_id"], "published": published, "value": row.get("value"),
            "low": row.get("low"), "high": row.get("high"), "quantity_text": row.get("quantity_text")}


def figures_from_facts(facts: list[ClaimFacts], settings: FigureSettings,
                       duplicate_of: dict[str, str | None] | None = None) -> tuple[dict[str, str], pa.Table]:
    """(claim_id -> figure_id, the figures table) for a run's claim facts."""
    duplicate_of = duplicate_of or {}
    episodes(facts, settings.event_gap_days)
    groups = group_claims(facts, settings)
    rows = [figure_row(g, duplicate_of, settings) for g in groups]
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
