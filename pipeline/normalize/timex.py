"""Date and time normalization for news text, anchored on the publication date.

Values follow TimeML's TIMEX3 attribute conventions (Pustejovsky et al., ISO-TimeML;
TempEval-3 guidelines): ``type`` is DATE, TIME, DURATION or SET and ``value`` is an
ISO-8601-like string ("2025-02-07", "2025-01", "2024-W06", "2024-FA", "202X",
"PAST_REF", "P3D", "2025-02-07T15:00").  Every resolved expression also carries the
calendar interval it denotes (both ends inclusive) because the claims stage orders
figures on a timeline; a range ("between October 8 and 13") gets the ISO-8601 interval
value "2024-10-08/2024-10-13".

The recognizer is a rule grammar in the style of HeidelTime (Strötgen & Gertz): small
reusable sub-patterns (month, day, year, weekday, number, unit, season) compose into
rules; each rule has a resolver that turns its match into a value using the anchor
(document creation time) and the tense of the governing clause.  Overlapping
candidates keep the longest; adjacent points joined by "to"/"and"/"-" merge into ranges.
dateparser is used only for odd absolute formats ("2019-aug-1", "07.02.2025").

Conventions (see the README, "Dates and times"): seasons are meteorological (spring Mar-May, summer
Jun-Aug, fall Sep-Nov, winter Dec-Feb labelled by the year of its December); early /
mid / late split a month into days 1-10 / 11-20 / 21-end and a year into Jan-Apr /
May-Aug / Sep-Dec; "last/next <weekday>" is that day in the previous/next ISO week.
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass, replace
from typing import Callable, Iterator

__all__ = ["Timex", "TimexMatch", "normalize_timex", "find_timexes"]

Date = dt.date
ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class Timex:
    type: str  # "DATE" | "TIME" | "DURATION" | "SET"
    value: str  # TIMEX3 value
    start: dt.date | None  # interval denoted, inclusive
    end: dt.date | None


@dataclass(frozen=True)
class TimexMatch:
    start: int  # char offsets into the text, end-exclusive
    end: int
    text: str
    timex: Timex


class _NeedsAnchor(Exception):
    """Raised by resolvers for relative expressions when no anchor is known."""


# --------------------------------------------------------------------------- lexicon

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
# Month words that are also common English words: accepted only with a day/year or a
# temporal trigger word before them (dateparser reads the modal "may" as May).
AMBIGUOUS_MONTHS = {"may", "march", "mar"}
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4,
    "saturday": 5, "sunday": 6,
}
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3,
                         "thurs": 3, "fri": 4, "sat": 5, "sun": 6}
SEASONS = {"spring": "SP", "summer": "SU", "fall": "FA", "autumn": "FA", "winter": "WI"}
SEASON_MONTHS = {"SP": (3, 5), "SU": (6, 8), "FA": (9, 11), "WI": (12, 2)}
# "fall" and "spring" are frequent verbs/nouns; like ambiguous months they need context.
AMBIGUOUS_SEASONS = {"fall", "spring"}
DAY_PARTS = {"morning": "MO", "afternoon": "AF", "evening": "EV", "night": "NI"}

SMALL_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19, "a": 1, "an": 1, "a couple of": 2, "couple of": 2,
    "a single": 1, "a dozen": 12, "couple": 2, "dozen": 12, "half a": 0.5, "half an": 0.5,
}
TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100}
VAGUE_NUMBERS = {"a few", "few", "several", "many", "some"}
ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30, "last": -1, "final": -1,
    "1st": 1, "2nd": 2, "3rd": 3, "4th": 4,
}
# unit word -> (ISO-8601 designator, multiplier, is time-of-day unit)
UNITS = {
    "second": ("S", 1, True), "minute": ("M", 1, True), "hour": ("H", 1, True),
    "day": ("D", 1, False), "week": ("W", 1, False), "fortnight": ("W", 2, False),
    "month": ("M", 1, False), "year": ("Y", 1, False), "decade": ("Y", 10, False),
    "century": ("Y", 100, False), "centurie": ("Y", 100, False),
    "quarter": ("M", 3, False),
}

# Words before an ambiguous month/season that make it temporal.
TEMPORAL_TRIGGERS = re.compile(
    r"(?:\b(?:in|on|since|during|until|till|through|by|before|after|from|of|"
    r"between|last|this|next|early|mid|late|past|previous|coming|each|every|"
    r"throughout|around)\s*|-)$",
    re.I,
)

# ----------------------------------------------------------------------- sub-patterns


def _alternation(words) -> str:
    """Regex alternation, longest first so that 'sept' wins over 'sep'."""
    return "|".join(sorted((re.escape(w).replace(r"\ ", r"\s+") for w in words),
                           key=len, reverse=True))


_MONTH_WORDS = _alternation(MONTHS)
_WEEKDAY_WORDS = _alternation(WEEKDAYS)
_WEEKDAY_ABBR = _alternation(WEEKDAY_ABBREVIATIONS)
_SEASON_WORDS = _alternation(SEASONS)
_ORDINAL_WORDS = _alternation(k for k in ORDINALS if not k[0].isdigit())
_UNIT_WORDS = _alternation(UNITS)
_NUMBER = (
    r"(?:\d+(?:\.\d+)?|(?:" + _alternation(TENS) + r")(?:[\s-](?:"
    + _alternation(k for k, v in SMALL_NUMBERS.items() if k.isalpha() and 0 < v < 10)
    + r"))?|" + _alternation(list(SMALL_NUMBERS) + list(VAGUE_NUMBERS)) + r")"
)
_DAY_ORDINAL_WORDS = (
    r"(?:(?:twenty|thirty)[\s-](?:first|second|third|fourth|fifth|sixth|seventh|eighth|ninth)"
    r"|" + _ORDINAL_WORDS + r")"
)


def month(g: str) -> str:
    # "$DEC" is a ticker, not December
    return rf"(?<![$#@])\b(?P<{g}>{_MONTH_WORDS})\b\.?"


def day(g: str) -> str:
    # "12,000" and "8.5" are numbers, not days.
    return (rf"(?P<{g}>(?:[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?\b(?![.,]\d)"
            rf"|{_DAY_ORDINAL_WORDS}\b)")


def year(g: str) -> str:
    # Four digits 1600-2099 that are not part of a bigger number, money or percentage.
    return rf"(?<![\d$£€.,/])(?P<{g}>(?:1[6-9]|20)\d\d)\b(?![.,]\d|%|\s*percent)"


def weekday(g: str) -> str:
    return rf"\b(?P<{g}>{_WEEKDAY_WORDS})\b"


def weekday_prefix(g: str) -> str:
    # Optional weekday (full or abbreviated) before a full date: "Thursday, Feb. 27".
    return rf"(?:\b(?P<{g}>{_WEEKDAY_WORDS}|{_WEEKDAY_ABBR})\b\.?,?\s+(?:the\s+)?)?"


MOD = r"(?P<mod>last|this|next|past|previous|coming|following)"

# ---------------------------------------------------------------------- calendar math


def month_end(y: int, m: int) -> Date:
    return Date(y, m, calendar.monthrange(y, m)[1])


def month_interval(y: int, m: int) -> tuple[Date, Date]:
    return Date(y, m, 1), month_end(y, m)


def year_interval(y: int) -> tuple[Date, Date]:
    return Date(y, 1, 1), Date(y, 12, 31)


def season_interval(y: int, code: str) -> tuple[Date, Date]:
    first, last = SEASON_MONTHS[code]
    if code == "WI":  # December of y to the end of February of y+1
        return Date(y, 12, 1), month_end(y + 1, 2)
    return Date(y, first, 1), month_end(y, last)


def iso_week_value(d: Date) -> str:
    iso_year, week, _ = d.isocalendar()
    return f"{iso_year}-W{week:02d}"


def week_interval(d: Date) -> tuple[Date, Date]:
    monday = d - dt.timedelta(days=d.weekday())
    return monday, monday + dt.timedelta(days=6)


def add_months(d: Date, months: int) -> Date:
    total = d.year * 12 + d.month - 1 + months
    y, m = divmod(total, 12)
    return Date(y, m + 1, min(d.day, calendar.monthrange(y, m + 1)[1]))


def add_years(d: Date, years: int) -> Date:
    return add_months(d, 12 * years)


def safe_date(y: int, m: int, d: int) -> Date | None:
    try:
        return Date(y, m, d)
    except ValueError:
        return None


FUTURE_DISTANCE_WEIGHT = 2  # news mostly reports the past: a future reading must be twice as close


def _distance(interval: tuple[Date, Date], anchor: Date) -> int:
    start, end = interval
    if start <= anchor <= end:
        return 0
    return FUTURE_DISTANCE_WEIGHT * (start - anchor).days if start > anchor else (anchor - end).days


def choose_year(interval_for: Callable[[int], tuple[Date, Date] | None], anchor: Date,
                tense: str | None, mod: str | None = None) -> int | None:
    """Pick the year of a cyclic expression (month, season, quarter, month-day).

    "last"/"next" exclude the occurrence containing the anchor; otherwise the clause
    tense decides (past: latest starting on/before the anchor; future: earliest ending
    on/after it); with neither, the occurrence nearest the anchor, future distances
    counted double: what news usually means by a bare "In November" or "Dec. 20".
    """
    options = []
    for y in range(anchor.year - 2, anchor.year + 3):
        interval = interval_for(y)
        if interval is not None:
            options.append((y, interval))
    if not options:
        return None
    if mod in ("last", "past", "previous"):
        past = [(y, iv) for y, iv in options if iv[1] < anchor]
        return past[-1][0] if past else None
    if mod in ("next", "coming", "following"):
        future = [(y, iv) for y, iv in options if iv[0] > anchor]
        return future[0][0] if future else None
    if mod == "this":
        containing = [y for y, iv in options if iv[0] <= anchor <= iv[1]]
        return containing[0] if containing else anchor.year
    if tense == "past":
        past = [(y, iv) for y, iv in options if iv[0] <= anchor]
        return past[-1][0] if past else None
    if tense == "future":
        future = [(y, iv) for y, iv in options if iv[1] >= anchor]
        return future[0][0] if future else None
    return min(options, key=lambda o: (_distance(o[1], anchor), -o[0]))[0]


def choose_weekday(target: int, anchor: Date, tense: str | None, mod: str | None) -> Date:
    """Weekday relative to the anchor; a weekday equal to the anchor's is the anchor."""
    same_week = anchor + dt.timedelta(days=target - anchor.weekday())
    if mod == "past":  # "this past Wednesday": the latest one strictly before the anchor
        return anchor - dt.timedelta(days=(anchor.weekday() - target - 1) % 7 + 1)
    if mod == "following":
        return anchor + dt.timedelta(days=(target - anchor.weekday() - 1) % 7 + 1)
    if mod in ("last", "previous"):
        return same_week - dt.timedelta(days=7)
    if mod in ("next", "coming"):
        return same_week + dt.timedelta(days=7)
    if mod == "this":
        return same_week
    if tense == "past":
        return anchor - dt.timedelta(days=(anchor.weekday() - target) % 7)
    if tense == "future":
        return anchor + dt.timedelta(days=(target - anchor.weekday()) % 7)
    return same_week


# ------------------------------------------------------------------------- resolution


@dataclass(frozen=True)
class _Ctx:
    text: str
    anchor: Date | None
    tense: str | None

    def require_anchor(self) -> Date:
        if self.anchor is None:
            raise _NeedsAnchor
        return self.anchor


@dataclass(frozen=True)
class _Resolved:
    timex: Timex
    explicit_year: bool = True  # False when the year came from the anchor (ranges re-anchor)
    granularity: str = "day"  # day | week | month | season | quarter | year | other


def _g(m: re.Match, g: str) -> str | None:
    """Group text or None; resolvers are shared by rules with different groups."""
    try:
        return m.group(g)
    except IndexError:
        return None


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


def resolve_iso_month(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    if not 1 <= int(_g(m, "mo")) <= 12:
        return None
    return _Resolved(_month_timex(int(_g(m, "y")), int(_g(m, "mo"))), granularity="month")


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
    return _Resolved(_year_timex(int(_g(m, "y"))), granularity="year")


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

    if _g(m, "y") or _g(m, "y2"):
        y = int(_g(m, "y") or _g(m, "y2"))
    elif _g(m, "rel"):
        y = _relative_year(ctx, _word(m, "rel"))
    else:
        y = choose_year(interval, ctx.require_anchor(), ctx.tense, None)
        if y is None:
            return None
    return _Resolved(Timex("DATE", f"{y}-Q{q}", *interval(y)), granularity="quarter")


def resolve_half(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    half = 1 if _word(m, "hord") == "first" else 2
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
    if _g(m, "recent"):
        value = "PAST_REF"
    elif _g(m, "coming"):
        value = "FUTURE_REF"
    elif _g(m, "ago"):
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


def _duration_value(amount: float | None, unit: str) -> str:
    designator, multiplier, is_time = UNITS[unit]
    quantity = "X" if amount is None else _format_amount(amount * multiplier)
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


def resolve_amount(m: re.Match, ctx: _Ctx) -> _Resolved | None:
    """'three days', 'the past three years', 'six minutes ago', 'a three-day visit'."""
    unit = _unit_key(_g(m, "unit"))
    number_word = _word(m, "num") or ""
    if unit in ("quarter", "second") and number_word in ("a", "an") and not _g(m, "dir"):
        return None  # "a quarter of the troops", "a second round"
    amount = _number(number_word) if number_word else 1.0
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


def easter(y: int) -> Date:
    """Western Easter Sunday (anonymous Gregorian computus)."""
    a, b, c = y % 19, y // 100, y % 100
    d, e = divmod(b, 4)
    g = (8 * b + 13) // 25
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    weekday_shift = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * weekday_shift) // 451
    month_, day_ = divmod(h + weekday_shift - 7 * m + 114, 31)
    return Date(y, month_, day_ + 1)


def _nth_weekday(y: int, mo: int, weekday_: int, n: int) -> Date:
    """n-th (1-based; -1 = last) given weekday of a month: US floating holidays."""
    if n > 0:
        first = Date(y, mo, 1)
        return first + dt.timedelta(days=(weekday_ - first.weekday()) % 7 + 7 * (n - 1))
    last = month_end(y, mo)
    return last - dt.timedelta(days=(last.weekday() - weekday_) % 7)


HOLIDAYS: dict[str, Callable[[int], Date]] = {
    "christmas": lambda y: Date(y, 12, 25), "christmas day": lambda y: Date(y, 12, 25),
    "christmas eve": lambda y: Date(y, 12, 24), "new year's day": lambda y: Date(y, 1, 1),
    "new year's eve": lambda y: Date(y, 12, 31), "valentine's day": lambda y: Date(y, 2, 14),
    "halloween": lambda y: Date(y, 10, 31), "independence day": lambda y: Date(y, 7, 4),
    "easter": easter, "easter sunday": easter,
    "thanksgiving": lambda y: _nth_weekday(y, 11, 3, 4),
    "thanksgiving day": lambda y: _nth_weekday(y, 11, 3, 4),
    "labor day": lambda y: _nth_weekday(y, 9, 0, 1),
    "memorial day": lambda y: _nth_weekday(y, 5, 0, -1),
}


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


# ------------------------------------------------------------------------------ rules

_THE = r"(?:the\s+)?"
_PART = (r"(?P<part>(?:the\s+)?(?:very\s+)?(?:beginning|start|middle|end)\s+of|early|mid|late"
         r"|(?:the\s+)?(?:early|mid|late)(?:\s+part)?\s+of)")
_REL_YEAR = r"(?P<rel>last|this|next|previous)\s+year"

RULES: list[tuple[str, str, Callable[[re.Match, _Ctx], _Resolved | None]]] = [
    ("iso_date", r"(?<!\d)(?P<y>\d{4})-(?P<mo>\d\d)-(?P<d>\d\d)"
                 r"(?:[T\s](?P<h>[01]\d|2[0-3]):(?P<mi>[0-5]\d)(?::(?P<s>[0-5]\d))?)?(?!\d)",
     resolve_iso_date),
    ("numeric_date", r"(?<![\d/.])(?P<mo>1[0-2]|0?[1-9])/(?P<d>3[01]|[12]\d|0?[1-9])/"
                     r"(?P<y>\d{4}|\d\d)(?![\d/])", resolve_numeric_date),
    ("odd_absolute", r"(?<![\w/.-])\d{1,4}[-./](?:\d{1,2}|" + _MONTH_WORDS + r")[-./]\d{1,4}"
                     r"(?![\w/.-]|\.\d)", resolve_odd_absolute),
    ("month_day", weekday_prefix("wd") + month("mo") + r"\s*(?:the\s+)?" + day("d")
     + r"(?:(?:\s*,\s*|\s+)(?:of\s+)?" + year("y") + r")?(?!\s*(?:%|percent|:\d))",
     resolve_month_day),
    ("day_month", weekday_prefix("wd") + r"(?:the\s+)?(?<![\d,.])" + day("d")
     + r"\s+(?P<of>of\s+)?" + month("mo") + r"(?:,?\s+" + year("y") + ")?", resolve_day_month),
    ("month_year", month("mo") + r",?\s+(?:of\s+|in\s+)?" + year("y")
     + r"|" + year("y_") + r"\s+(?P<mo_>" + _MONTH_WORDS + r")\b", None),
    ("day_range", month("mo") + r"\s*" + day("d1") + r"\s*(?P<conj>-|–|to|through|and|until|till)\s*"
     + day("d2") + r"(?:,?\s+" + year("y") + ")?", resolve_day_range),
    ("day_range_dm", r"(?<![\d,.])" + day("d1") + r"\s*(?P<conj>-|–|to|through|and|until|till)\s*"
     + day("d2") + r"\s+(?:of\s+)?" + month("mo") + r"(?:,?\s+" + year("y") + ")?",
     resolve_day_range),
    ("week_of", r"(?:the\s+)?(?P<word>first|second|third|fourth|last|final)\s+week\s+of\s+(?:"
     + month("mo") + r"(?:,?\s+" + year("y") + r")?|" + year("y2") + r"|" + _REL_YEAR + ")",
     resolve_week_of),
    ("week_containing", r"(?:the\s+)?week\s+of\s+" + month("mo") + r"\s*" + day("d")
     + r"(?:,?\s+" + year("y") + ")?", resolve_week_containing),
    ("week_number", r"\bweek\s+(?P<n>\d{1,2})\b(?:\s+of\s+" + year("y") + ")?", resolve_week_number),
    ("part_of", _PART + r"[\s-]*(?:" + month("mo") + r"(?:,?\s+" + year("y") + r")?|"
     + year("y2") + r"|(?:(?P<rel>the|this|last|next|previous)\s+)?(?P<unit>year|month|week|decade)\b)",
     resolve_part_of),
    ("earlier_this", r"\b(?P<edge>earlier|later)\s+(?P<mod>this)\s+(?P<unit>week|month|year)\b",
     resolve_relative_unit),
    ("quarter", r"(?:the\s+)?(?:(?P<qord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
     r"\s+(?:fiscal\s+)?quarter|\bq(?P<qn>[1-4]))\b(?:,?\s+(?:of\s+)?(?:" + year("y") + r"|"
     + _REL_YEAR + r"))?|" + year("y2") + r"\s+q(?P<qn2>[1-4])\b", None),
    ("half", r"(?:the\s+)?(?P<hord>first|second)\s+half\s+of\s+(?:" + year("y") + r"|"
     + _REL_YEAR + r"|(?P<relt>this|the)\s+year)", None),
    ("season", r"(?:(?P<mod>last|this|next|past|previous|coming)\s+)?(?P<the>the\s+)?"
     r"\b(?P<season>" + _SEASON_WORDS + r")\b(?:\s+(?:of\s+)?(?:" + year("y")
     + r"|(?P<rel>last|this|next)\s+year))?", resolve_season),
    ("holiday", r"(?:\b(?P<mod>last|this|next|previous|following)\s+)?\b(?P<hol>"
     + _alternation(HOLIDAYS).replace("'", "['’]") + r")\b"
     + r"(?:\s+(?:of\s+)?" + year("y") + ")?", resolve_holiday),
    ("century", r"(?:the\s+)?\b(?P<n>\d{1,2}(?:st|nd|rd|th)|" + _DAY_ORDINAL_WORDS
     + r")[\s-]+century\b", resolve_century),
    ("decade", r"(?:the\s+)?(?:(?P<part>early|mid|late)[\s-]+)?(?:(?P<dec>(?:1[6-9]|20)\d0)|"
     r"['’](?P<short>\d0))['’]?s\b", resolve_decade),
    ("amount", r"(?:(?:the\s+)?(?P<frame>past|last|next|coming|previous|following)\s+)?"
     r"\b(?P<num>" + _NUMBER + r")[\s-]+(?P<unit>" + _UNIT_WORDS + r")s?\b(?!-old|-olds)"
     r"(?:\s+(?P<dir>ago|from\s+now|hence))?", resolve_amount),
    ("relative_unit", r"(?P<the>\bthe\s+)?\b" + MOD
     + r"\s+(?P<unit>week|weekend|month|year|quarter|decade)\b(?P<edge>\s+so\s+far)?",
     resolve_relative_unit),
    ("weekday", r"(?:\b(?:this\s+)?(?P<mod>last|this|next|previous|coming|past|following)\s+)?" + weekday("wd")
     + r"(?:\s+(?P<part>morning|afternoon|evening|night))?", resolve_weekday),
    ("relative_day", r"\b(?P<rel>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
     r"today|yesterday|tomorrow|tonight|this|last)\b(?:\s+(?P<part>morning|afternoon|evening|night))?",
     None),
    ("reference", r"\b(?:" + _alternation(REF_VALUES)
     + r"|(?P<recent>recent\s+(?:days|weeks|months|years|decades))"
     + r"|(?P<coming>the\s+(?:coming|next\s+few|months\s+ahead|weeks\s+ahead)\s*(?:days|weeks|months|years)?)"
     + r"|(?P<ago>(?:days|weeks|months|years|decades)\s+ago))\b", resolve_reference),
    ("time", r"(?<![\d:.,])(?:(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*"
     r"(?P<ampm>[ap]\.\s?m\.|[ap]m\b)|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])|"
     r"\b(?P<named>noon|midnight|midday)\b)", None),
    ("set", r"\b(?:(?:every|each|per)\s+(?:" + weekday("wd") + "|" + month("mo")
     + r"|(?P<every>day|week|month|year|night|morning|evening|weekend|quarter|hour))\b"
     r"|(?P<adverb>daily|weekly|monthly|annually|yearly|quarterly|hourly)\b)", None),
    ("year", r"(?:\bthe\s+year\s+)?" + year("y"), resolve_year),
]


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


_LATE_BOUND = {"month_year": _resolve_month_year, "quarter": _resolve_quarter,
               "half": _resolve_half, "relative_day": _resolve_relative_day,
               "time": _resolve_time, "set": _resolve_set}

COMPILED_RULES = [
    (name, re.compile(pattern, re.I), resolver or _LATE_BOUND[name])
    for name, pattern, resolver in RULES
]
# The bare month rule is separate: it must lose to every longer rule above.
COMPILED_RULES.insert(len(COMPILED_RULES) - 1, (
    "month", re.compile(r"(?:\b" + MOD + r"\s+)?" + month("mo"), re.I), resolve_month))
RULE_PRIORITY = {name: i for i, (name, _, _) in enumerate(COMPILED_RULES)}

# Gates: words one of which every match of the rule contains (casefolded), so that a sentence
# without any of them skips the rule's regex scan. Python's re has no literal prefix to jump to
# in these patterns, and the scans were most of the date stage's time. A gate may only ever
# skip scans that find nothing: tests compare gated and ungated output on the spec corpora.
_DIGITS = tuple("0123456789")
_MONTH_GATE = tuple(MONTHS)
_RULE_GATES: dict[str, tuple[str, ...]] = {
    **{name: _DIGITS for name in ("iso_date", "numeric_date", "odd_absolute", "decade", "year", "week_number")},
    **{name: _MONTH_GATE for name in ("month_day", "day_month", "month_year", "day_range", "day_range_dm",
                                      "week_containing", "month")},
    "time": _DIGITS + ("noon", "midnight", "midday"),
    "week_of": ("week",),
    "half": ("half",),
    "quarter": ("quarter",) + _DIGITS,
    "century": ("century",),
    "season": tuple(SEASONS),
    "holiday": tuple({name.split("'")[0] for name in HOLIDAYS}),
    "part_of": ("beginning", "start", "mid", "end", "early", "late"),
    "earlier_this": ("this",),
    "amount": tuple(UNITS),
    "relative_unit": ("week", "month", "year", "quarter", "decade"),
    "weekday": tuple(WEEKDAYS),
    "relative_day": ("today", "yesterday", "tomorrow", "tonight", "this", "last"),
    "set": ("every", "each", "per", "daily", "weekly", "monthly", "annually", "yearly", "quarterly", "hourly"),
}
assert set(_RULE_GATES) <= set(RULE_PRIORITY), "a gate names no rule"


def _open_rules(text: str) -> Iterator[tuple[str, re.Pattern, Callable]]:
    """The rules that can match somewhere in `text` (every rule whose gate is open)."""
    folded = text.casefold()
    for rule in COMPILED_RULES:
        gate = _RULE_GATES.get(rule[0])
        if gate is None or any(word in folded for word in gate):
            yield rule

# A quick filter so sentences without any temporal cue cost one regex scan.
_CUE = re.compile(
    r"\d|\b(?:" + _MONTH_WORDS + "|" + _WEEKDAY_WORDS + "|" + _SEASON_WORDS
    + r"|today|yesterday|tomorrow|tonight|now|currently|present|moment|recent|recently|lately"
    + r"|past|future|week|month|year|decade|quarter|day|hour|minute|second|fortnight|night"
    + r"|morning|evening|afternoon|noon|midnight|midday|daily|weekly|monthly|annually|yearly"
    + r"|quarterly|hourly|nowadays|soon|ago|coming|century|centuries"
    + r"|christmas|easter|halloween|thanksgiving|valentine|independence|labor|memorial)",
    re.I,
)

# ---------------------------------------------------------------------------- search


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


def _merge(left: _Candidate, right: _Candidate) -> _Candidate:
    a, b = left.resolved.timex, right.resolved.timex
    if b.end < a.start and right.resolved.granularity == "weekday":
        # "next Monday to Friday": the second weekday follows the first
        days = 7 * ((a.start - b.start).days // 7 + 1)
        b = _day_timex(b.start + dt.timedelta(days=days))
    elif b.end < a.start and not right.resolved.explicit_year:
        b = _shift_year(b, (a.start.year - b.start.year) + (1 if b.start.replace(year=a.start.year) < a.start else 0))
    elif b.end < a.start and not left.resolved.explicit_year:
        a = _shift_year(a, -1)
    elif right.resolved.explicit_year and not left.resolved.explicit_year and a.start.year != b.start.year:
        # "January to March 2024": the first end takes the year of the second
        delta = b.start.year - a.start.year - (1 if a.start.replace(year=b.start.year) > b.start else 0)
        a = _shift_year(a, delta)
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
        if merged and _mergeable(merged[-1], cand, text[merged[-1].end:cand.start], text):
            merged[-1] = _merge(merged[-1], cand)
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


def _attach_times(cands: list[_Candidate], text: str) -> list[_Candidate]:
    """'3 p.m. Thursday' / 'Thursday at 3 p.m.': the clock time takes the day's date."""
    out = list(cands)
    for i, cand in enumerate(out):
        timex = cand.resolved.timex
        if timex.type != "TIME" or "T" not in timex.value or timex.start is None:
            continue
        for j in (i - 1, i + 1):
            if not 0 <= j < len(out):
                continue
            other = out[j]
            gap = text[min(cand.end, other.end):max(cand.start, other.start)]
            day_value = other.resolved.timex.value
            if re.fullmatch(r"\s*(?:,|at|on|of)?\s*", gap, re.I) and \
                    re.fullmatch(r"\d{4}-\d\d-\d\d", day_value):
                clock = timex.value[timex.value.index("T"):]
                d = other.resolved.timex.start
                out[i] = replace(cand, resolved=replace(
                    cand.resolved, timex=Timex("TIME", day_value + clock, d, d)))
                break
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
                 tense_at: Callable[[int], str | None] | None = None) -> list[TimexMatch]:
    """All time expressions in `text` with TimeML-style spans.

    Ranges ("between October 8 and 13", "January and February", "from March to May")
    come back as ONE match whose value is an ISO-8601 interval ("2024-10-08/2024-10-13")
    and whose span starts after the preposition; "2009-2010" is split into two years as
    TimeML does.  tense_at(offset) gives the clause tense used for bare months/weekdays.
    """
    if not text or not _CUE.search(text):
        return []
    ctx_cache: dict[str | None, _Ctx] = {}

    def ctx_for(offset: int) -> _Ctx:
        tense = tense_at(offset) if tense_at else None
        if tense not in ctx_cache:
            ctx_cache[tense] = _Ctx(text, anchor, tense)
        return ctx_cache[tense]

    selected = _select(list(_candidates(text, ctx_for)))
    selected = _merge_ranges(selected, text, anchor)
    selected = [_apply_since(c, text, anchor) for c in selected]
    selected = _attach_times(selected, text)
    matches = []
    for cand in selected:
        start, end = _trim(text, cand.start, cand.end)
        matches.append(TimexMatch(start, end, text[start:end], cand.resolved.timex))
    return matches


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
