"""Search: run the open rules over a text, keep the longest non-overlapping matches, merge
adjacent points into ranges, apply "since" and attach clock times to their day, then trim
the spans; `find_timexes` (all expressions in a text) and `normalize_timex` (one).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterator

from .calendar import Date, add_years, month_end
from .lexicon import MONTHS
from .resolvers import (
    ANAPHOR_PREFIX, Timex, _Ctx, _day_timex, _NeedsAnchor, _preceded_by, _Resolved, shift_reference,
)
from .rules import (
    RULE_PRIORITY, _MONTH_WORDS, _SEASON_WORDS, _WEEKDAY_ABBR, _WEEKDAY_WORDS, _alternation,
    _open_rules,
)


@dataclass(frozen=True)
class TimexMatch:
    start: int  # char offsets into the text, end-exclusive
    end: int
    text: str
    timex: Timex


# A quick filter so sentences without any temporal cue cost one regex scan.
_CUE = re.compile(
    r"\d|\b(?:" + _MONTH_WORDS + "|" + _WEEKDAY_WORDS + "|" + _SEASON_WORDS
    + r"|today|yesterday|tomorrow|tonight|now|currently|present|moment|recent|recently|lately"
    + r"|past|future|week|month|year|decade|quarter|period|day|hour|minute|second|fortnight|night"
    + r"|morning|evening|afternoon|noon|midnight|midday|daily|weekly|monthly|annually|yearly"
    + r"|quarterly|hourly|nowadays|soon|ago|coming|century|centuries|nineteen|thousand"
    + r"|christmas|easter|halloween|thanksgiving|valentine|independence|labor|memorial)",
    re.I,
)


@dataclass(frozen=True)
class _Candidate:
    start: int
    end: int
    rule: str
    resolved: _Resolved


def _candidates(text: str, ctx_for: Callable[[int], _Ctx]) -> Iterator[_Candidate]:
    for name, regex, resolver in _open_rules(text):
        for m in regex.finditer(text):
            if m.end() == m.start():
                continue
            ctx = ctx_for(m.start())
            try:
                resolved = resolver(m, ctx)
            except _NeedsAnchor:
                resolved = _Resolved(Timex("DATE", "XXXX", None, None), False, "other")
            except (ValueError, OverflowError):  # impossible calendar arithmetic
                resolved = None
            if resolved is not None:
                yield _Candidate(m.start(), m.end(), name, resolved)


def _select(candidates: list[_Candidate]) -> list[_Candidate]:
    """Longest match wins, then rule order; kept matches never overlap."""
    ranked = sorted(candidates, key=lambda c: (-(c.end - c.start), RULE_PRIORITY[c.rule], c.start))
    taken: list[_Candidate] = []
    for cand in ranked:
        if all(cand.end <= t.start or cand.start >= t.end for t in taken):
            taken.append(cand)
    return sorted(taken, key=lambda c: c.start)


_RANGE_GAP = re.compile(r"\s*(?P<sep>-|–|—|to|through|thru|until|till|and)\s*$", re.I)
_POINT_GRANULARITIES = {"day", "month", "season", "quarter", "year", "week", "weekday"}


def _mergeable(left: _Candidate, right: _Candidate, gap: str, text: str) -> bool:
    a, b = left.resolved, right.resolved
    if a.timex.type != "DATE" or b.timex.type != "DATE" or a.timex.start is None \
            or b.timex.start is None or "/" in a.timex.value or "/" in b.timex.value:
        return False
    if a.granularity not in _POINT_GRANULARITIES or b.granularity not in _POINT_GRANULARITIES:
        return False
    sep = _RANGE_GAP.match(gap)
    if sep is None:
        return False
    word = sep["sep"].lower()
    between = _preceded_by(text, left.start, "between")
    opened = between or _preceded_by(text, left.start, "from")
    if word == "and":
        # "January and February" is a span of months; other pairs need "between".
        return between or (a.granularity == b.granularity == "month")
    if word in "-–—":
        # TimeML splits "2009-2010" into two years; other hyphenated pairs are ranges.
        return not (a.granularity == b.granularity == "year")
    return opened or a.granularity == b.granularity


def _merge(left: _Candidate, right: _Candidate) -> _Candidate | None:
    """The range from `left` to `right`; an end whose year came from the anchor moves to the
    other end's year. None when the second end still precedes the first ("2001-fall 2000"
    is two points): an interval never starts after it ends."""
    a, b = left.resolved.timex, right.resolved.timex
    if b.end < a.start and right.resolved.granularity == "weekday":
        # "next Monday to Friday": the second weekday follows the first
        days = 7 * ((a.start - b.start).days // 7 + 1)
        b = _day_timex(b.start + dt.timedelta(days=days))
    elif b.end < a.start and not right.resolved.explicit_year:
        b = _shift_year(b, (a.start.year - b.start.year) + (1 if b.start.replace(year=a.start.year) < a.start else 0))
    elif b.end < a.start and not left.resolved.explicit_year and (
            add_years(a.start, -1) <= b.end or left.resolved.granularity == "weekday"):
        # "November to February 2025": the first end is in the year before (a weekday moves
        # no further: "next Friday to Oct. 1, 2020" is not a range)
        a = _shift_year(a, -1)
    elif right.resolved.explicit_year and not left.resolved.explicit_year and a.start.year != b.start.year:
        # "January to March 2024", "Jan.-Feb. 2017": the first end takes the year of the second
        delta = b.start.year - a.start.year - (1 if a.start.replace(year=b.start.year) > b.start else 0)
        a = _shift_year(a, delta)
    if b.end < a.start:
        return None
    value = f"{a.value}/{b.value}"
    timex = Timex("DATE", value, a.start, b.end)
    return _Candidate(left.start, right.end, "range",
                      _Resolved(timex, left.resolved.explicit_year or right.resolved.explicit_year,
                                "range"))


def _shift_year(timex: Timex, years: int) -> Timex:
    """Move an anchored point by whole years, rewriting its value's year prefix."""
    if years == 0:
        return timex
    start, end = add_years(timex.start, years), add_years(timex.end, years)
    if re.fullmatch(r"\d{4}-\d\d-\d\d", timex.value) or re.fullmatch(r"\d{4}-\d\d", timex.value):
        value = f"{int(timex.value[:4]) + years:04d}{timex.value[4:]}"
        if len(timex.value) == 7:
            end = month_end(end.year, end.month)
    elif re.fullmatch(r"\d{4}-(?:SP|SU|FA|WI|Q\d|H\d)", timex.value):
        value = f"{int(timex.value[:4]) + years:04d}{timex.value[4:]}"
    else:
        value = timex.value
    return Timex(timex.type, value, start, end)


def _merge_ranges(selected: list[_Candidate], text: str, anchor: Date | None) -> list[_Candidate]:
    merged: list[_Candidate] = []
    for cand in selected:
        mergeable = merged and _mergeable(merged[-1], cand, text[merged[-1].end:cand.start], text)
        pair = _merge(merged[-1], cand) if mergeable else None
        if pair is not None:
            merged[-1] = pair
        else:
            merged.append(cand)
    return merged


def _apply_since(cand: _Candidate, text: str, anchor: Date | None) -> _Candidate:
    """'since October' keeps the span 'October' but its interval runs to the anchor."""
    timex = cand.resolved.timex
    if anchor is None or timex.start is None or timex.type != "DATE" or timex.start > anchor:
        return cand
    if not _preceded_by(text, cand.start, "since", "ever since"):
        return cand
    return replace(cand, resolved=replace(cand.resolved, timex=replace(timex, end=anchor)))


_DAY_VALUE = re.compile(r"\d{4}-\d\d-\d\d")


def _attach_times(cands: list[_Candidate], text: str) -> list[_Candidate]:
    """'3 p.m. Thursday' and '5 p.m. EST, Nov. 9' are one expression, as TimeML writes them: the
    clock time on that day. In 'Thursday at 3 p.m.' the clock time takes the day's date and
    both stay."""
    out = list(cands)
    i = 0
    while i < len(out):
        cand = out[i]
        timex = cand.resolved.timex
        if timex.type != "TIME" or "T" not in timex.value or timex.start is None:
            i += 1
            continue
        clock = timex.value[timex.value.index("T"):]
        after = out[i + 1] if i + 1 < len(out) else None
        before = out[i - 1] if i > 0 else None
        if after is not None and _DAY_VALUE.fullmatch(after.resolved.timex.value) and \
                re.fullmatch(r"\s*,?\s*(?:on\s+)?", text[cand.end:after.start], re.I):
            day = after.resolved.timex
            out[i:i + 2] = [_Candidate(cand.start, after.end, cand.rule, replace(
                cand.resolved, timex=Timex("TIME", day.value + clock, day.start, day.start)))]
        elif before is not None and _DAY_VALUE.fullmatch(before.resolved.timex.value) and \
                re.fullmatch(r"\s*(?:,|at|on|of)?\s*", text[before.end:cand.start], re.I):
            day = before.resolved.timex
            out[i] = replace(cand, resolved=replace(
                cand.resolved, timex=Timex("TIME", day.value + clock, day.start, day.start)))
        i += 1
    return out


_ABBREVIATION_END = re.compile(
    r"(?:\b(?:" + _alternation(list(MONTHS)[12:])
    + "|" + _WEEKDAY_ABBR + r")|[ap]\.\s?m)\.$", re.I)


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop a trailing period that ends the sentence rather than an abbreviation."""
    while end > start and text[end - 1] in " ,":
        end -= 1
    if end > start and text[end - 1] == "." and not _ABBREVIATION_END.search(text[start:end]):
        end -= 1
    return start, end


def find_timexes(text: str, anchor: Date | None,
                 tense_at: Callable[[int], str | None] | None = None,
                 period: str | None = None, reference: Timex | None = None) -> list[TimexMatch]:
    """All time expressions in `text` with TimeML-style spans.

    Ranges ("between October 8 and 13", "January and February", "from March to May")
    come back as ONE match whose value is an ISO-8601 interval ("2024-10-08/2024-10-13")
    and whose span starts after the preposition; "2009-2010" is split into two years as
    TimeML does.  tense_at(offset) gives the clause tense used for bare months/weekdays.
    `period` is the quarter an earnings story reports ("2023-Q3", see `reported_period`), which
    "the quarter", "a year earlier" and "the year-ago period" refer to. `reference` is the
    time the story last named before this text (see `reference_time`), which "that year" and
    "the following month" count from.
    """
    if not text or not _CUE.search(text):
        return []
    ctx_cache: dict[str | None, _Ctx] = {}

    def ctx_for(offset: int) -> _Ctx:
        tense = tense_at(offset) if tense_at else None
        if tense not in ctx_cache:
            ctx_cache[tense] = _Ctx(text, anchor, tense, period)
        return ctx_cache[tense]

    selected = _select(list(_candidates(text, ctx_for)))
    selected = _merge_ranges(selected, text, anchor)
    selected = [_apply_since(c, text, anchor) for c in selected]
    selected = _attach_times(selected, text)
    matches = []
    for cand in selected:
        start, end = _trim(text, cand.start, cand.end)
        matches.append(TimexMatch(start, end, text[start:end], cand.resolved.timex))
    return _year_ago_quarters(_resolve_anaphora(matches, reference, anchor), period)


_CALENDAR_DATE = re.compile(r"^\d{4}(?:-\d\d(?:-\d\d)?|-Q[1-4])?$")


def reference_time(matches: list[TimexMatch], previous: Timex | None = None) -> Timex | None:
    """The time a story last named, after these matches: the last calendar date among them
    (a day, month, quarter or year), else `previous`."""
    for m in reversed(matches):
        if m.timex.type == "DATE" and _CALENDAR_DATE.match(m.timex.value or "") and m.timex.start is not None:
            return m.timex
    return previous


def _resolve_anaphora(matches: list[TimexMatch], reference: Timex | None, anchor: Date | None) -> list[TimexMatch]:
    """Give "that year", "the following month" their value from the time named last before
    them (in this text or, failing that, `reference`). "the following year" with nothing named
    before counts from the anchor; "that year" with nothing named is dropped."""
    out = []
    for m in matches:
        if not m.timex.value.startswith(ANAPHOR_PREFIX):
            out.append(m)
            continue
        unit, step = m.timex.value[len(ANAPHOR_PREFIX):].split(":")
        base = reference_time(out, reference)
        if base is None and int(step) and anchor is not None:
            base = _day_timex(anchor)
        timex = shift_reference(base, unit, int(step)) if base is not None else None
        if timex is not None:
            out.append(replace(m, timex=timex))
    return out


_YEAR_BACK = re.compile(r"^(?:a\s+year\s+(?:ago|earlier)|last\s+year)$", re.I)
_COMPARISON_BACK = re.compile(r"^a\s+year\s+(?:ago|earlier)$", re.I)
_MARKS_YEAR_BACK = re.compile(r"year-(?:ago|earlier)|a\s+year\s+(?:ago|earlier)|last\s+year", re.I)
_QUARTER_VALUE = re.compile(r"^(\d{4})-Q([1-4])$")
# "the first nine months ... a year earlier", "the first half": the sentence compares another period
_OTHER_PERIOD = re.compile(r"^(?:P\d+M|\d{4}-H[12])$")


def _year_ago_quarters(matches: list[TimexMatch], period: str | None = None) -> list[TimexMatch]:
    """"Profit rose in the third quarter from a year ago": beside a quarter, "a year ago",
    "a year earlier" and "last year" are that quarter a year back (2023-Q3 -> 2022-Q3). In a
    sentence that names no quarter, "a year ago" and "a year earlier" compare with the quarter
    the story reports (`period`): "Net rose to $5 million from $4 million a year earlier"."""
    quarters = {m.timex.value for m in matches if _QUARTER_VALUE.match(m.timex.value or "")
                and not _MARKS_YEAR_BACK.search(m.text)}
    if len(quarters) == 1:
        quarter, pattern = quarters.pop(), _YEAR_BACK
    elif not quarters and period and _QUARTER_VALUE.match(period) and not any(
            _OTHER_PERIOD.match(m.timex.value or "") for m in matches):
        quarter, pattern = period, _COMPARISON_BACK
    else:
        return matches
    year, q = map(int, _QUARTER_VALUE.match(quarter).groups())
    back = Timex("DATE", f"{year - 1}-Q{q}", Date(year - 1, 3 * q - 2, 1), month_end(year - 1, 3 * q))
    return [TimexMatch(m.start, m.end, m.text, back) if pattern.match(m.text) and m.timex.value == str(year - 1)
            else m for m in matches]


REPORTED_PERIOD_REACH_DAYS = 200  # an older quarter is history, not the one being reported


def reported_period(matches: list[TimexMatch], anchor: Date | None) -> str | None:
    """The quarter a sentence with these matches reports, if any: the first quarter it names
    that is not a year back ("a year ago", "the year-ago quarter") and did not end more than
    REPORTED_PERIOD_REACH_DAYS before the anchor. An earnings story names the quarter it
    reports first; the dates stage keeps that one for the rest of the article."""
    for m in matches:
        timex = m.timex
        if not _QUARTER_VALUE.match(timex.value or "") or _MARKS_YEAR_BACK.search(m.text) or timex.end is None:
            continue
        if anchor is None or (anchor - timex.end).days <= REPORTED_PERIOD_REACH_DAYS:
            return timex.value
    return None


_LEADING_PREPOSITIONS = re.compile(
    r"^\s*(?:in|on|at|during|by|for|from|between|until|till|through|over|of|around|"
    r"before|after|as\s+of)\s+", re.I)


@functools.lru_cache(maxsize=65536)
def normalize_timex(text: str, anchor: Date | None, tense: str | None = None) -> Timex | None:
    """Normalize one expression (e.g. a spaCy DATE/TIME entity's text).

    Returns None when the text holds no time expression.  A leading "since" turns the
    interval into one ending at the anchor; two expressions joined by a hyphen
    ("2009-2010") become one interval here, although find_timexes splits them.
    """
    since = re.match(r"^\s*(?:ever\s+)?since\s+", text, re.I)
    body = text[since.end():] if since else _LEADING_PREPOSITIONS.sub("", text, count=1)
    offset = len(text) - len(body)
    matches = find_timexes(text, anchor, (lambda _: tense) if tense else None)
    matches = [m for m in matches if m.end > offset]
    if not matches:
        return None
    if len(matches) > 1 and all(m.timex.type == "DATE" and m.timex.start for m in matches):
        first, last = matches[0].timex, matches[-1].timex
        gap = text[matches[0].end:matches[-1].start]
        if len(matches) == 2 and _RANGE_GAP.match(gap) and first.start <= last.start:
            return Timex("DATE", f"{first.value}/{last.value}", first.start, last.end)
    return matches[0].timex
