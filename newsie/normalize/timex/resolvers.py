"""Resolvers: one rule match -> a TIMEX3 value and the interval it denotes.

A resolver takes the match and a context (text, anchor, clause tense) and returns a
`_Resolved` (the Timex, whether its year was written, its granularity) or None when the
match is not a time expression after all; relative expressions raise `_NeedsAnchor` when
no anchor is known. Here too: the `Timex` result type and the value tables the resolvers
read (day offsets, reference words, set units, parts of a period).
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from dataclasses import dataclass, replace

from .calendar import (
    FUTURE_DISTANCE_WEIGHT, HOLIDAYS, ONE_DAY, Date, add_months, add_years, choose_weekday, choose_year,
    iso_week_value,
    month_end, month_interval, safe_date, season_interval, week_interval, year_interval,
)
from .lexicon import (
    AMBIGUOUS_MONTHS, AMBIGUOUS_SEASONS, DAY_PARTS, MONTHS, ORDINALS, SEASONS, SMALL_NUMBERS,
    TEMPORAL_TRIGGERS, TENS, UNITS, VAGUE_NUMBERS, WEEKDAY_ABBREVIATIONS, WEEKDAYS,
)


@dataclass(frozen=True)
class Timex:
    type: str  # "DATE" | "TIME" | "DURATION" | "SET"
    value: str  # TIMEX3 value
    start: dt.date | None  # interval denoted, inclusive
    end: dt.date | None


class _NeedsAnchor(Exception):
    """Raised by resolvers for relative expressions when no anchor is known."""


@dataclass(frozen=True)
class _Ctx:
    text: str
    anchor: Date | None
    tense: str | None
    period: str | None = None  # the quarter the article reports ("2023-Q3"), from earlier sentences

    def require_anchor(self) -> Date:
        if self.anchor is None:
            raise _NeedsAnchor
        return self.anchor


@dataclass(frozen=True)
class _Resolved:
    timex: Timex
    explicit_year: bool = True  # False when the year came from the anchor (ranges re-anchor)
    granularity: str = "day"  # day | week | month | season | quarter | year | other


_YEAR_GROUPS = frozenset({"y", "y_", "y2", "y3", "yq"})


def _g(m: re.Match, g: str) -> str | None:
    """Group text or None; resolvers are shared by rules with different groups. A year group
    comes back as digits even when spelled out ("nineteen ninety-six" -> "1996")."""
    try:
        value = m.group(g)
    except IndexError:
        return None
    if value is not None and g in _YEAR_GROUPS and not value.isdigit():
        return spoken_year(value)
    return value


def spoken_year(text: str) -> str:
    """"nineteen ninety-six" -> "1996", "nineteen hundred and five" -> "1905", "two thousand
    and one" -> "2001" (the forms rules.SPOKEN_YEAR matches)."""
    words = [w for w in re.split(r"[\s-]+", text.lower()) if w and w != "and"]
    if words[0] == "two":  # two thousand [n]
        return str(2000 + sum(SMALL_NUMBERS.get(w, 0) for w in words[2:]))
    rest = words[1:]
    if rest[0] == "hundred":
        return str(1900 + sum(SMALL_NUMBERS.get(w, 0) for w in rest[1:]))
    if rest[0] in TENS:
        return str(1900 + TENS[rest[0]] + sum(SMALL_NUMBERS.get(w, 0) for w in rest[1:]))
    return str(1900 + SMALL_NUMBERS[rest[0]])


def _word(m: re.Match, g: str) -> str | None:
    value = _g(m, g)
    return None if value is None else re.sub(r"\s+", " ", value.lower().rstrip("."))


def _month_number(m: re.Match, g: str) -> int | None:
    word = _word(m, g)
    return None if word is None else MONTHS[word]


def _day_number(text: str) -> int | None:
    text = re.sub(r"\s+", " ", text.lower())
    digits = re.match(r"\d+", text)
    if digits:
        return int(digits.group())
    if text.startswith(("twenty", "thirty")):
        tens, _, unit = text.replace("-", " ").partition(" ")
        return TENS[tens] + ORDINALS.get(unit, 0)
    value = ORDINALS.get(text)
    return value if value and value > 0 else None


def _number(text: str) -> float | None:
    """Cardinal number from digits or words; None for vague quantities ("a few")."""
    text = re.sub(r"\s+", " ", text.lower())
    if text in VAGUE_NUMBERS:
        return None
    if re.fullmatch(r"\d+(?:\.\d+)?", text):
        return float(text)
    mixed = re.fullmatch(r"(\d+)(?: 1/2|½)", text)  # "5 1/2", "2½"
    if mixed:
        return int(mixed[1]) + 0.5
    if text in SMALL_NUMBERS:
        return SMALL_NUMBERS[text]
    tens, _, unit = text.replace("-", " ").partition(" ")
    return TENS.get(tens, 0) + SMALL_NUMBERS.get(unit, 0)


def _format_amount(amount: float) -> str:
    return str(int(amount)) if float(amount).is_integer() else str(amount)


def _month_ok(ctx: _Ctx, m: re.Match, g: str, has_day_or_year: bool) -> bool:
    """Reject 'may'/'march' used as verbs unless capitalized mid-sentence, next to a
    date part, or after a temporal trigger word ("in", "since", "early" ...)."""
    word = _g(m, g)
    if word.lower() not in AMBIGUOUS_MONTHS or has_day_or_year:
        return True
    if word[0].isupper() and not re.search(r"(?:^|[.!?\"“]\s*)$", ctx.text[:m.start(g)]):
        return True
    return bool(TEMPORAL_TRIGGERS.search(ctx.text[max(0, m.start(g) - 12):m.start(g)]))


def _date_value(d: Date) -> str:
    return d.isoformat()


def _day_timex(d: Date) -> Timex:
    return Timex("DATE", _date_value(d), d, d)


def _month_timex(y: int, mo: int) -> Timex:
    start, end = month_interval(y, mo)
    return Timex("DATE", f"{y:04d}-{mo:02d}", start, end)


def _year_timex(y: int) -> Timex:
    return Timex("DATE", f"{y:04d}", *year_interval(y))


def _season_timex(y: int, code: str) -> Timex:
    return Timex("DATE", f"{y:04d}-{code}", *season_interval(y, code))


def _week_timex(d: Date) -> Timex:
    return Timex("DATE", iso_week_value(d), *week_interval(d))


# --- rule resolvers: (match, ctx) -> _Resolved | None ---------------------------------


def resolve_iso_date(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    d = safe_date(int(_g(m, "y")), int(_g(m, "mo")), int(_g(m, "d")))
    if d is None:
        return None
    if _g(m, "h"):
        value = f"{d.isoformat()}T{_g(m, 'h')}:{_g(m, 'mi')}" + (f":{_g(m, 's')}" if _g(m, "s") else "")
        return _Resolved(Timex("TIME", value, d, d))
    return _Resolved(_day_timex(d))


def resolve_numeric_date(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    # US order (month/day/year) as in American news copy.
    y = int(_g(m, "y"))
    if y < 100:
        y += 2000 if y < 50 else 1900
    d = safe_date(y, int(_g(m, "mo")), int(_g(m, "d")))
    return _Resolved(_day_timex(d)) if d else None


def _dated_day(ctx: _Ctx, mo: int, dd: int, y: str | None, weekday_word: str | None,
               mod: str | None = None) -> _Resolved | None:
    if y is not None:
        d = safe_date(int(y), mo, dd)
        return _Resolved(_day_timex(d)) if d else None
    if ctx.anchor is None:
        if not 1 <= dd <= 31:
            return None
        return _Resolved(Timex("DATE", f"XXXX-{mo:02d}-{dd:02d}", None, None), False)
    chosen = None
    if weekday_word:  # "Friday, May 9" picks the year where the weekday agrees
        target = WEEKDAYS.get(weekday_word, WEEKDAY_ABBREVIATIONS.get(weekday_word))
        fits = [yy for yy in range(ctx.anchor.year - 3, ctx.anchor.year + 4)
                if (sd := safe_date(yy, mo, dd)) and sd.weekday() == target]
        if fits:
            chosen = min(fits, key=lambda yy: abs(yy - ctx.anchor.year))
    if chosen is None:
        chosen = choose_year(lambda yy: (lambda sd: (sd, sd) if sd else None)(safe_date(yy, mo, dd)),
                             ctx.anchor, ctx.tense, mod)
    if chosen is None:
        return None
    return _Resolved(_day_timex(Date(chosen, mo, dd)), explicit_year=False)


def resolve_month_day(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    dd = _day_number(_g(m, "d"))
    if dd is None or not _month_ok(ctx, m, "mo", True):
        return None
    if _word(m, "mo") in AMBIGUOUS_MONTHS and _g(m, "mo").islower() and not _g(m, "y") and \
            not TEMPORAL_TRIGGERS.search(ctx.text[max(0, m.start() - 12):m.start()]):
        return None  # "it may 9" is rare but "may 1" as a verb phrase is not a date
    return _dated_day(ctx, _month_number(m, "mo"), dd, _g(m, "y"), _word(m, "wd"))


def resolve_day_month(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    dd = _day_number(_g(m, "d"))
    if dd is None:
        return None
    if _word(m, "mo") in AMBIGUOUS_MONTHS and not _g(m, "y") and not _g(m, "of") \
            and not _g(m, "mo")[0].isupper():
        return None  # "10 may be" is a modal verb
    return _dated_day(ctx, _month_number(m, "mo"), dd, _g(m, "y"), _word(m, "wd"))


def resolve_month_year(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    return _Resolved(_month_timex(int(_g(m, "y")), _month_number(m, "mo")), granularity="month")


def resolve_month(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    mo = _month_number(m, "mo")
    mod = _word(m, "mod")
    if not mod and not _month_ok(ctx, m, "mo", False):
        return None
    if mod == "this" and _g(m, "mo").lower() in AMBIGUOUS_MONTHS and _g(m, "mo").islower():
        return None  # "this may take longer"
    if ctx.anchor is None:
        return _Resolved(Timex("DATE", f"XXXX-{mo:02d}", None, None), False, "month")
    y = choose_year(lambda yy: month_interval(yy, mo), ctx.anchor, ctx.tense, mod)
    if y is None:
        return None
    return _Resolved(_month_timex(y, mo), explicit_year=False, granularity="month")


def resolve_year(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if m.group("y").lower().startswith("two") and not m.group().lower().startswith("the"):
        return None  # "two thousand people"; "the year two thousand" is a year
    return _Resolved(_year_timex(int(_g(m, "y"))), granularity="year")


def resolve_the_year(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"for the year", "the full year", "the current fiscal year": the year of the anchor, as
    business news means it; "the year ended June 30" is a length (DURATION P1Y), and "Player of
    the Year" is a name."""
    if "Year" in m.group():
        return None
    if re.match(r"\s+(?:ended|ending)\b", ctx.text[m.end():]):
        return _Resolved(Timex("DURATION", "P1Y", None, None), granularity="other")
    return _Resolved(_year_timex(ctx.require_anchor().year), granularity="year")


def resolve_the_weekend(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"over the weekend": the weekend under way or the one before in a past clause, the next
    one in a future clause; otherwise the nearest, the future counted double."""
    anchor = ctx.require_anchor()
    if anchor.weekday() >= 5:
        step = 0
    elif ctx.tense == "past":
        step = -1
    elif ctx.tense in ("future", "prospective"):
        step = 0
    else:
        back, ahead = anchor.weekday() + 1, 5 - anchor.weekday()
        step = -1 if back <= FUTURE_DISTANCE_WEIGHT * ahead else 0
    return _Resolved(_calendar_unit(anchor, "weekend", step), granularity="other")


def resolve_year_end(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"by year-end", "by year's end": the anchor's year, its interval December; "since
    year-end" is the last one."""
    y = ctx.require_anchor().year - (1 if _preceded_by(ctx.text, m.start(), "since") else 0)
    return _Resolved(Timex("DATE", f"{y:04d}", Date(y, 12, 1), Date(y, 12, 31)), granularity="year")


def resolve_bare_units(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"for years", "within weeks": a length of unknown count (TimeML PXY, PXW)."""
    return _Resolved(Timex("DURATION", _duration_value(None, _unit_key(_g(m, "unit"))), None, None),
                     granularity="other")


ANAPHOR_PREFIX = "REF:"  # placeholder value, replaced by `search` once the reference time is known


def resolve_anaphor(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"that year", "later that year", "that same day", "the following month", "the next
    morning": relative to the time the story last named, not to the anchor. The value waits
    for `shift_reference`."""
    unit = _word(m, "unit") or _word(m, "unit2") or _word(m, "unit3")
    step = {"following": 1, "next": 1, "previous": -1, "preceding": -1}.get(_word(m, "dir") or _word(m, "dir2") or "", 0)
    return _Resolved(Timex("DATE", f"{ANAPHOR_PREFIX}{unit}:{step}", None, None), False, "anaphor")


_CALENDAR_POINT = re.compile(r"^(\d{4})(?:-(\d\d)(?:-(\d\d))?|-Q([1-4]))?$")


def shift_reference(reference: Timex, unit: str, step: int) -> Timex | None:
    """The `unit` of the reference time moved by `step` ("the following year" after "in 1995"
    is 1996); None when the reference is coarser than the unit ("that day" after "in 1995")."""
    point = _CALENDAR_POINT.match(reference.value or "")
    if point is None or reference.start is None:
        return None
    y, mo, d, q = point.groups()
    if unit in ("day", *DAY_PARTS):
        if d is None:
            return None
        day = reference.start + dt.timedelta(days=step)
        if unit in DAY_PARTS:
            return Timex("TIME", f"{day.isoformat()}T{DAY_PARTS[unit]}", day, day)
        return _day_timex(day)
    if unit == "week":
        return _week_timex(reference.start + dt.timedelta(days=7 * step)) if d else None
    if unit == "month":
        if mo is None:
            return None
        first = add_months(Date(int(y), int(mo), 1), step)
        return _month_timex(first.year, first.month)
    if unit == "quarter":
        if q is None and mo is None:
            return None
        n = int(y) * 4 + (int(q) - 1 if q else (int(mo) - 1) // 3) + step
        return _quarter_timex(n // 4, n % 4 + 1)
    return _year_timex(int(y) + step)


def resolve_decade(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    decade = int(_g(m, "dec")) if _g(m, "dec") else None
    if decade is None:  # "the '90s": the most recent such decade not after the anchor
        short = int(_g(m, "short"))
        base = (ctx.anchor or Date(2000, 1, 1)).year
        decade = (base // 100) * 100 + short
        if decade > base:
            decade -= 100
    start, end = Date(decade, 1, 1), Date(decade + 9, 12, 31)
    timex = Timex("DATE", f"{decade // 10:03d}X", start, end)
    part = _word(m, "part")
    if part:
        timex = _apply_part(timex, part, "decade")
    return _Resolved(timex, granularity="year")


def _relative_year(ctx: _Ctx, word: str | None) -> int:
    anchor = ctx.require_anchor()
    return anchor.year + {"last": -1, "previous": -1, "past": -1, "this": 0,
                          "next": 1, "coming": 1, "following": 1}.get(word or "this", 0)


def resolve_season(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    word = _word(m, "season")
    code = SEASONS[word]
    mod = _word(m, "mod")
    explicit = _g(m, "y") or _g(m, "rel")
    if word in AMBIGUOUS_SEASONS and not (mod or explicit or _g(m, "the")) and \
            not TEMPORAL_TRIGGERS.search(ctx.text[max(0, m.start() - 12):m.start()]):
        return None
    if _g(m, "y"):
        y = int(_g(m, "y"))
    elif _g(m, "rel"):
        y = _relative_year(ctx, _word(m, "rel"))
    elif ctx.anchor is None:
        return _Resolved(Timex("DATE", f"XXXX-{code}", None, None), False, "season")
    else:
        y = choose_year(lambda yy: season_interval(yy, code), ctx.anchor, ctx.tense, mod)
        if y is None:
            return None
    return _Resolved(_season_timex(y, code), bool(_g(m, "y")), "season")


def resolve_quarter(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    q = _g(m, "qn") and int(_g(m, "qn")) or ORDINALS.get(_word(m, "qord") or "", 0)
    if q == -1:
        q = 4
    if not 1 <= q <= 4:
        return None

    def interval(yy: int) -> tuple[Date, Date]:
        return Date(yy, 3 * q - 2, 1), month_end(yy, 3 * q)

    if _g(m, "y") or _g(m, "y2") or _g(m, "y3"):
        y = int(_g(m, "y") or _g(m, "y2") or _g(m, "y3"))
    elif _g(m, "pre_ago"):
        y = choose_year(interval, ctx.require_anchor(), "past", None)
        if y is None:
            return None
        y -= 1
    elif _g(m, "rel"):
        y = _relative_year(ctx, _word(m, "rel"))
    else:
        y = choose_year(interval, ctx.require_anchor(), ctx.tense, None)
        if y is None:
            return None
    return _Resolved(Timex("DATE", f"{y}-Q{q}", *interval(y)), granularity="quarter")


def resolve_half(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    half = 1 if _word(m, "hord") == "first" else 2  # "the last half" is the second
    y = int(_g(m, "y")) if _g(m, "y") else _relative_year(ctx, _word(m, "rel"))
    start = Date(y, 1 if half == 1 else 7, 1)
    end = month_end(y, 6 if half == 1 else 12)
    return _Resolved(Timex("DATE", f"{y}-H{half}", start, end), granularity="quarter")


def resolve_weekday(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    target = WEEKDAYS[_word(m, "wd")]
    mod = _word(m, "mod")
    part = _word(m, "part")
    if ctx.anchor is None:
        value = f"XXXX-WXX-{target + 1}" + (f"T{DAY_PARTS[part]}" if part else "")
        return _Resolved(Timex("TIME" if part else "DATE", value, None, None), False)
    d = choose_weekday(target, ctx.anchor, ctx.tense, mod)
    if part:
        return _Resolved(Timex("TIME", f"{d.isoformat()}T{DAY_PARTS[part]}", d, d), False)
    return _Resolved(_day_timex(d), explicit_year=False, granularity="weekday")


DAY_OFFSETS = {"today": 0, "yesterday": -1, "tomorrow": 1, "the day before yesterday": -2,
               "the day after tomorrow": 2, "tonight": 0, "this": 0, "last": -1}


def resolve_relative_day(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    anchor = ctx.require_anchor()
    word = _word(m, "rel")
    part = _word(m, "part")
    d = anchor + dt.timedelta(days=DAY_OFFSETS[word])
    if word == "tonight":
        part = "night"
    if word == "last" and part != "night":
        return None  # "last morning" is not English; "last evening" is rare and odd
    if part:
        return _Resolved(Timex("TIME", f"{d.isoformat()}T{DAY_PARTS[part]}", d, d))
    return _Resolved(_day_timex(d))


REF_VALUES = {
    "now": "PRESENT_REF", "right now": "PRESENT_REF", "currently": "PRESENT_REF",
    "at present": "PRESENT_REF", "at the moment": "PRESENT_REF", "presently": "PRESENT_REF",
    "nowadays": "PRESENT_REF", "these days": "PRESENT_REF", "at this time": "PRESENT_REF",
    "the present": "PRESENT_REF", "recently": "PAST_REF", "lately": "PAST_REF",
    "the past": "PAST_REF", "the future": "FUTURE_REF", "the near future": "FUTURE_REF",
    "the distant past": "PAST_REF", "the recent past": "PAST_REF", "soon": "FUTURE_REF",
    "the time being": "PRESENT_REF", "as soon as possible": "FUTURE_REF",
}


def resolve_reference(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    word = re.sub(r"\s+", " ", m.group().lower())
    unit = _g(m, "runit") or _g(m, "cunit") or _g(m, "aunit")
    if unit:
        # "recent weeks", "the coming years": TimeML's vague durations (PXW, PXY); the interval
        # runs up to or from the anchor so that claims can still be ordered
        value = _duration_value(None, _unit_key(unit))
        anchor = ctx.anchor
        start, end = (None, None) if anchor is None else (None, anchor) if _g(m, "recent") else (anchor, None)
        return _Resolved(Timex("DURATION", value, start, end), granularity="other")
    if word == "soon" and (re.search(r"\bas\s+$", ctx.text[max(0, m.start() - 4):m.start()], re.I)
                           or re.match(r"\s+(?:after|before)\b", ctx.text[m.end():], re.I)):
        return None  # "as soon as Tuesday", "soon after the vote": a conjunction, not a time
    if _g(m, "ago"):
        value = "PAST_REF"
    else:
        value = REF_VALUES[word]
    anchor = ctx.anchor
    if anchor is None:
        return _Resolved(Timex("DATE", value, None, None), granularity="other")
    # Open intervals are closed at the anchor so claims can still be ordered.
    start, end = {"PRESENT_REF": (anchor, anchor), "PAST_REF": (None, anchor),
                  "FUTURE_REF": (anchor, None)}[value]
    return _Resolved(Timex("DATE", value, start, end), granularity="other")


def _unit_key(word: str) -> str:
    word = word.lower()
    return word[:-1] if word.endswith("s") and word[:-1] in UNITS else word


# A fraction of a unit written in the next smaller one, as TimeML does ("2 1/2 years" P2Y6M,
# "5 1/2 hours" PT5H30M): (smaller designator, how many make the unit, is a time-of-day unit).
_SMALLER_UNIT = {("Y", False): ("M", 12, False), ("D", False): ("H", 24, True),
                 ("H", True): ("M", 60, True), ("M", True): ("S", 60, True)}


def _duration_value(amount: float | None, unit: str) -> str:
    designator, multiplier, is_time = UNITS[unit]
    if amount is None:
        return f"PTX{designator}" if is_time else f"PX{designator}"
    total = amount * multiplier
    whole, fraction = divmod(total, 1)
    smaller = _SMALLER_UNIT.get((designator, is_time))
    if fraction and smaller and float(fraction * smaller[1]).is_integer():
        part = f"{int(fraction * smaller[1])}{smaller[0]}"
        head = f"{int(whole)}{designator}" if whole else ""
        if is_time:
            return f"PT{head}{part}"
        return f"P{head}T{part}" if smaller[2] else f"P{head}{part}"
    quantity = _format_amount(total)
    return f"PT{quantity}{designator}" if is_time else f"P{quantity}{designator}"


def _shift(anchor: Date, amount: float, unit: str, sign: int) -> Date:
    designator, multiplier, is_time = UNITS[unit]
    n = amount * multiplier * sign
    if is_time:
        hours = n / 3600 if designator == "S" else n / 60 if designator == "M" else n
        return (dt.datetime.combine(anchor, dt.time(12)) + dt.timedelta(hours=hours)).date()
    if designator == "D":
        return anchor + dt.timedelta(days=round(n))
    if designator == "W":
        return anchor + dt.timedelta(days=round(7 * n))
    if designator == "M":
        return add_months(anchor, round(n))
    return add_years(anchor, round(n))


VAGUE_AMOUNT = 3  # "a few"/"several" weeks: interval of about three units, value "PXW"
# What comes before "a year" in a rate: a figure ("$500 million a year", "12% a year") or a
# counted noun after one ("four flights a week", "24 hours a day").
_RATE_BEFORE = re.compile(r"(?:\d%?|\b(?:million|billion|trillion|thousand|hundred|percent|cents?|dollars?|euros?|pounds?|"
                          + "|".join(k for k, v in {**SMALL_NUMBERS, **TENS}.items() if k.isalpha() and v > 1) + r"))"
                          r"(?:\s+[a-z]+s)?\s+$", re.I)


def resolve_amount(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """'three days', 'the past three years', 'six minutes ago', 'a three-day visit'."""
    unit = _unit_key(_g(m, "unit"))
    number_word = _word(m, "num") or ""
    if unit in ("quarter", "second") and number_word in ("a", "an") and not _g(m, "dir"):
        return None  # "a quarter of the troops", "a second round"
    after = ctx.text[m.end():]
    if unit == "quarter" and re.match(r"\s+of\b(?!\s+(?:the\s+)?(?:fiscal\s+)?(?:year|19\d\d|20\d\d)\b)", after):
        return None  # "three-quarters of its food" is a share
    if re.match(r"\s+old\b|\s+of\s+age\b", after) and not _g(m, "frame"):
        return None  # "52 years old" is an age (as "a 52-year-old" is)
    if number_word in ("a", "an", "per") and not (_g(m, "frame") or _g(m, "dir") or _g(m, "half") or _g(m, "half2")) \
            and _RATE_BEFORE.search(ctx.text[max(0, m.start() - 40):m.start()]):
        return None  # "$1.76 a year", "four flights a week": a rate, not a time
    amount = _number(number_word) if number_word else 1.0
    if amount is not None and (_g(m, "half") or _g(m, "half2")):
        amount += 0.5  # "two and a half years", "a minute and a half"
    value = _duration_value(amount, unit)
    frame = _word(m, "frame")
    direction = _word(m, "dir")
    if direction:  # "three days ago" / "two weeks from now" is a point, not a length
        anchor = ctx.require_anchor()
        sign = 1 if direction in ("from now", "later", "hence") else -1
        d = _shift(anchor, amount or VAGUE_AMOUNT, unit, sign)
        if amount is None:  # "a few days ago": vague, only the direction is known
            ref = "PAST_REF" if sign < 0 else "FUTURE_REF"
            return _Resolved(Timex("DATE", ref, *((None, anchor) if sign < 0 else (anchor, None))),
                             granularity="other")
        return _Resolved(_point_at_granularity(d, unit))
    if frame and ctx.anchor is None:  # "the past two years" is P2Y; without an anchor only its ends are unknown
        return _Resolved(Timex("DURATION", value, None, None), granularity="other")
    if frame:
        anchor = ctx.require_anchor()
        sign = 1 if frame in ("next", "coming", "following") else -1
        other = _shift(anchor, amount or VAGUE_AMOUNT, unit, sign)
        start, end = (other, anchor) if sign < 0 else (anchor, other)
        return _Resolved(Timex("DURATION", value, start, end), granularity="other")
    return _Resolved(Timex("DURATION", value, None, None), granularity="other")


def _point_at_granularity(d: Date, unit: str) -> Timex:
    designator, multiplier, is_time = UNITS[unit]
    if is_time:
        return Timex("TIME", f"{d.isoformat()}TXX:XX", d, d)
    if designator == "D":
        return _day_timex(d)
    if designator == "W":
        return _week_timex(d)
    if designator == "M":
        return _month_timex(d.year, d.month)
    return _year_timex(d.year)


def resolve_relative_unit(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """'last week', 'this month', 'next year', 'earlier this month', 'the past year'."""
    anchor = ctx.require_anchor()
    unit = _unit_key(_g(m, "unit"))
    mod = _word(m, "mod")
    if _g(m, "the") and mod in ("past", "last", "next", "coming", "previous", "following") \
            and unit in ("week", "month", "year", "decade", "quarter"):
        # "the past year" is a length ending at the anchor (TimeML DURATION P1Y)
        amount, unit = (3.0, "month") if unit == "quarter" else (1.0, unit)
        sign = 1 if mod in ("next", "coming", "following") else -1
        other = _shift(anchor, amount, unit, sign)
        start, end = (other, anchor) if sign < 0 else (anchor, other)
        return _Resolved(Timex("DURATION", _duration_value(amount, unit), start, end),
                         granularity="other")
    if mod == "past":
        mod = "last"
    step = {"last": -1, "previous": -1, "this": 0, "next": 1, "coming": 1, "following": 1}[mod]
    timex = _calendar_unit(anchor, unit, step)
    if timex is None:
        return None
    edge = _word(m, "edge")
    if edge in ("earlier", "so far"):
        timex = replace(timex, end=min(timex.end, anchor))
    elif edge == "later":
        timex = replace(timex, start=max(timex.start, anchor))
    return _Resolved(timex, granularity=unit)


def _calendar_unit(anchor: Date, unit: str, step: int) -> Timex | None:
    if unit == "day":
        return _day_timex(anchor + dt.timedelta(days=step))
    if unit == "week":
        return _week_timex(anchor + dt.timedelta(days=7 * step))
    if unit == "weekend":
        saturday = anchor + dt.timedelta(days=5 - anchor.weekday() + 7 * step)
        return Timex("DATE", iso_week_value(saturday) + "-WE", saturday,
                     saturday + ONE_DAY)
    if unit == "month":
        d = add_months(anchor, step)
        return _month_timex(d.year, d.month)
    if unit == "quarter":
        q = (anchor.month - 1) // 3 + step
        y, q = anchor.year + q // 4, q % 4 + 1
        return Timex("DATE", f"{y}-Q{q}", Date(y, 3 * q - 2, 1), month_end(y, 3 * q))
    if unit == "year":
        return _year_timex(anchor.year + step)
    if unit == "decade":
        decade = (anchor.year // 10 + step) * 10
        return Timex("DATE", f"{decade // 10}X", Date(decade, 1, 1), Date(decade + 9, 12, 31))
    return None


PARTS = {"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1,
         "late": 2, "end": 2}


def _apply_part(timex: Timex, part: str, granularity: str) -> Timex:
    """Narrow an interval to its early / middle / late third (value stays TimeML's)."""
    third = PARTS[part.split()[-1] if " " in part else part]
    start, end = timex.start, timex.end
    if start is None or end is None:
        return timex
    if granularity == "month":
        bounds = [(1, 10), (11, 20), (21, end.day)][third]
        return replace(timex, start=start.replace(day=bounds[0]), end=start.replace(day=bounds[1]))
    if granularity == "year" and start.month == 1 and end.month == 12 and start.year == end.year:
        first, last = [(1, 4), (5, 8), (9, 12)][third]
        return replace(timex, start=Date(start.year, first, 1), end=month_end(start.year, last))
    days = (end - start).days + 1
    lo = start + dt.timedelta(days=days * third // 3)
    hi = start + dt.timedelta(days=days * (third + 1) // 3 - 1)
    return replace(timex, start=lo, end=hi)


def resolve_part_of(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """'early December', 'mid-January', 'the end of the year', 'late last year'."""
    part = _word(m, "part").replace("the ", "").replace(" of", "").strip()
    part = part.split()[0] if part.split()[0] in PARTS else part.split()[-1]
    if _g(m, "mo"):
        if _g(m, "y"):
            base = _Resolved(_month_timex(int(_g(m, "y")), _month_number(m, "mo")), True, "month")
        else:
            base = resolve_month(m, ctx)
        granularity = "month"
    elif _g(m, "y2"):
        base = _Resolved(_year_timex(int(_g(m, "y2"))), True, "year")
        granularity = "year"
    else:
        unit = _unit_key(_g(m, "unit"))
        rel = _word(m, "rel") or "this"
        step = {"the": 0, "this": 0, "last": -1, "previous": -1, "next": 1}[rel]
        timex = _calendar_unit(ctx.require_anchor(), unit, step)
        if timex is None:
            return None
        base = _Resolved(timex, True, unit)
        granularity = unit
    if base is None:
        return None
    return replace(base, timex=_apply_part(base.timex, part, granularity))


def resolve_week_of(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """'the first week of February' -> Feb 1-7; 'the last week of 2016' -> ISO week."""
    n = ORDINALS.get(_word(m, "word") or "", 0)
    if _g(m, "mo"):
        month_res = (_Resolved(_month_timex(int(_g(m, "y")), _month_number(m, "mo")))
                     if _g(m, "y") else resolve_month(m, ctx))
        if month_res is None:
            return None
        first, last = month_res.timex.start, month_res.timex.end
        if first is None:
            return None
        if n == -1:
            start, end = last - dt.timedelta(days=6), last
        else:
            start = first + dt.timedelta(days=7 * (n - 1))
            end = min(start + dt.timedelta(days=6), last)
        return _Resolved(Timex("DATE", f"{start.isoformat()}/{end.isoformat()}", start, end),
                         month_res.explicit_year, "week")
    y = int(_g(m, "y2")) if _g(m, "y2") else _relative_year(ctx, _word(m, "rel"))
    if n == -1:
        week_day = Date(y, 12, 28)  # always in the last ISO week
    else:
        week_day = Date(y, 1, 4) + dt.timedelta(days=7 * (n - 1))  # Jan 4 is in week 1
    return _Resolved(_week_timex(week_day), granularity="week")


def resolve_week_containing(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """'the week of Feb. 24' -> the ISO week containing that day."""
    dd = _day_number(_g(m, "d"))
    if dd is None:
        return None
    day_res = _dated_day(ctx, _month_number(m, "mo"), dd, _g(m, "y"), None)
    if day_res is None or day_res.timex.start is None:
        return None
    return _Resolved(_week_timex(day_res.timex.start), day_res.explicit_year, "week")


def resolve_week_number(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    y = int(_g(m, "y")) if _g(m, "y") else ctx.require_anchor().year
    n = int(_g(m, "n"))
    if not 1 <= n <= 53:
        return None
    return _Resolved(_week_timex(Date.fromisocalendar(y, min(n, 52), 1)), granularity="week")


def resolve_day_range(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """'October 8 and 13', 'Oct. 8-13, 2024', '8 to 13 October'."""
    if _g(m, "conj").strip().lower() == "and" and not _preceded_by(ctx.text, m.start(), "between"):
        return None  # "October 8 and 13" without "between" is two separate days
    d1, d2 = _day_number(_g(m, "d1")), _day_number(_g(m, "d2"))
    if d1 is None or d2 is None or d2 <= d1:
        return None
    first = _dated_day(ctx, _month_number(m, "mo"), d1, _g(m, "y"), None)
    if first is None or first.timex.start is None:
        return None
    start = first.timex.start
    end = safe_date(start.year, start.month, d2)
    if end is None:
        return None
    return _Resolved(Timex("DATE", f"{start.isoformat()}/{end.isoformat()}", start, end),
                     first.explicit_year, "day")


def resolve_time(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    word = _word(m, "named")
    if word:
        hour, minute = (12, 0) if word == "noon" or word == "midday" else (0, 0)
    else:
        hour, minute = int(_g(m, "h")), int(_g(m, "mi") or 0)
        meridiem = (_g(m, "ampm") or "").lower().replace(".", "").replace(" ", "")
        if meridiem and not 1 <= hour <= 12 or hour > 23 or minute > 59:
            return None
        if not meridiem and not _g(m, "mi"):
            return None
        if meridiem == "pm" and hour != 12:
            hour += 12
        elif meridiem == "am" and hour == 12:
            hour = 0
    clock = f"T{hour:02d}:{minute:02d}"
    if ctx.anchor is None:
        return _Resolved(Timex("TIME", clock, None, None))
    anchor = ctx.anchor
    return _Resolved(Timex("TIME", f"{anchor.isoformat()}{clock}", anchor, anchor), False)


SET_UNITS = {"day": "P1D", "week": "P1W", "month": "P1M", "year": "P1Y",
             "daily": "P1D", "weekly": "P1W", "monthly": "P1M", "annually": "P1Y",
             "yearly": "P1Y", "quarterly": "P3M", "hourly": "PT1H", "hour": "PT1H",
             "night": "TNI", "morning": "TMO", "evening": "TEV", "afternoon": "TAF",
             "weekend": "XXXX-WXX-WE", "quarter": "P3M"}


def resolve_set(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    word = _word(m, "every")
    if _g(m, "wd"):
        return _Resolved(Timex("SET", f"XXXX-WXX-{WEEKDAYS[_word(m, 'wd')] + 1}", None, None))
    if _g(m, "mo"):
        return _Resolved(Timex("SET", f"XXXX-{_month_number(m, 'mo'):02d}", None, None))
    key = _unit_key(word.split()[-1]) if " " in word else word
    key = "day" if key == "per day" else key
    return _Resolved(Timex("SET", SET_UNITS[key], None, None)) if key in SET_UNITS else None


def resolve_holiday(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    day_of = HOLIDAYS[_word(m, "hol").replace("’", "'")]
    if _g(m, "y"):
        return _Resolved(_day_timex(day_of(int(_g(m, "y")))))
    y = choose_year(lambda yy: (day_of(yy), day_of(yy)), ctx.require_anchor(), ctx.tense,
                    _word(m, "mod"))
    return _Resolved(_day_timex(day_of(y)), explicit_year=False) if y else None


def resolve_century(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    n = _day_number(_g(m, "n"))
    if not n or n > 21:
        return None
    # TimeML writes a century by its two leading digits: "the 20th century" -> "19".
    first = (n - 1) * 100
    return _Resolved(Timex("DATE", f"{n - 1:02d}", Date(max(first, 1), 1, 1),
                           Date(first + 99, 12, 31)), granularity="other")


def resolve_odd_absolute(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """Odd absolute formats ('2019-aug-1', '07.02.2025') are left to dateparser."""
    d = _dateparser_date(m.group(), ctx.anchor)
    return _Resolved(_day_timex(d)) if d else None


@functools.lru_cache(maxsize=4096)
def _dateparser_date(text: str, anchor: Date | None) -> Date | None:
    import dateparser  # imported lazily: slow import, rarely needed

    settings = {"PREFER_DAY_OF_MONTH": "first", "REQUIRE_PARTS": ["day", "month", "year"],
                "RETURN_AS_TIMEZONE_AWARE": False}
    if anchor is not None:
        settings["RELATIVE_BASE"] = dt.datetime.combine(anchor, dt.time())
    parsed = dateparser.parse(text, languages=["en"], settings=settings)
    return parsed.date() if parsed else None


def _preceded_by(text: str, offset: int, *words: str) -> bool:
    before = text[max(0, offset - 12):offset].lower()
    return any(re.search(rf"\b{w}\s+$", before) for w in words)


# --- resolvers of rules with a second shape (other groups) ----------------------------


def resolve_month_rel_year(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"June last year", "January this year"."""
    y = _relative_year(ctx, _word(m, "rel"))
    return _Resolved(_month_timex(y, _month_number(m, "mo")), granularity="month")


def _resolve_month_year(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if _g(m, "y"):
        return resolve_month_year(m, ctx)
    return _Resolved(_month_timex(int(_g(m, "y_")), MONTHS[_g(m, "mo_").lower()]), granularity="month")


def _resolve_quarter(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if _g(m, "qn2"):
        q, y = int(_g(m, "qn2")), int(_g(m, "y2"))
        return _Resolved(Timex("DATE", f"{y}-Q{q}", Date(y, 3 * q - 2, 1), month_end(y, 3 * q)),
                         granularity="quarter")
    return resolve_quarter(m, ctx)


_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$")


def _quarter_timex(y: int, q: int) -> Timex:
    return Timex("DATE", f"{y}-Q{q}", Date(y, 3 * q - 2, 1), month_end(y, 3 * q))


def reported_quarter(ctx: _Ctx) -> tuple[int, int]:
    """(year, quarter) an earnings story reports: the quarter it named before, else the last
    one completed before the publication date."""
    period = _QUARTER.match(ctx.period or "")
    if period:
        return int(period[1]), int(period[2])
    anchor = ctx.require_anchor()
    q, y = (anchor.month - 1) // 3 + 1, anchor.year
    return (y, q - 1) if q > 1 else (y - 1, 4)


def _resolve_reported_quarter(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"the quarter", "the latest quarter", "the latest period": in business news the quarter
    being reported (see `reported_quarter`); "the current quarter" is the one under way; "the
    year-ago quarter", "the year-earlier period", "the quarter a year ago", "the same period last
    year" and "last year's quarter" are the reported one a year back; "the 1988 quarter" is the
    reported quarter of 1988. "the period" alone says too little and is left out, and so does
    "the same period" without a year back."""
    which, ago = _word(m, "which"), _g(m, "ago") or _g(m, "back") or _g(m, "lys")
    year = _g(m, "yq")
    if _word(m, "unit") == "period" and which not in ("latest", "most recent") and not (ago or year):
        return None
    if which in ("same", "corresponding", "comparable") and not ago:
        return None
    if which == "current":
        anchor = ctx.require_anchor()
        y, q = anchor.year, (anchor.month - 1) // 3 + 1
    else:
        y, q = reported_quarter(ctx)
    if year:
        y = int(year)
    elif ago:
        y -= 1
    return _Resolved(_quarter_timex(y, q), granularity="quarter")


def resolve_year_back(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """"year-earlier profit", "the year-ago results": the reported quarter a year back in an
    earnings story (one that named a quarter before), else the year before the anchor."""
    if ctx.period:
        y, q = reported_quarter(ctx)
        return _Resolved(_quarter_timex(y - 1, q), granularity="quarter")
    return _Resolved(_year_timex(ctx.require_anchor().year - 1), granularity="year")


def _resolve_half(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if _g(m, "relt"):
        anchor = ctx.require_anchor()
        y = anchor.year
        half = 1 if _word(m, "hord") == "first" else 2
        return _Resolved(Timex("DATE", f"{y}-H{half}", Date(y, 1 if half == 1 else 7, 1),
                               month_end(y, 6 if half == 1 else 12)), granularity="quarter")
    return resolve_half(m, ctx)


def _resolve_relative_day(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if _word(m, "rel") in ("this", "last") and not _g(m, "part"):
        return None
    return resolve_relative_day(m, ctx)


def _resolve_time(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if _g(m, "h2"):  # 24-hour clock "15:00"
        return _time_from(int(_g(m, "h2")), int(_g(m, "mi2")), ctx)
    return resolve_time(m, ctx)


def _time_from(hour: int, minute: int, ctx: _Ctx) -> _Resolved:
    clock = f"T{hour:02d}:{minute:02d}"
    if ctx.anchor is None:
        return _Resolved(Timex("TIME", clock, None, None))
    return _Resolved(Timex("TIME", f"{ctx.anchor.isoformat()}{clock}", ctx.anchor, ctx.anchor), False)


def _resolve_set(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if _g(m, "adverb"):
        return _Resolved(Timex("SET", SET_UNITS[_g(m, "adverb").lower()], None, None))
    return resolve_set(m, ctx)
