"""The rule grammar: sub-patterns (month, day, year, weekday, number, unit, season) and
the rules composed from them, each with its resolver, in priority order; and the gates, the
words without which a rule cannot match, so a sentence skips the scans that find nothing.
"""

from __future__ import annotations

import re
from typing import Callable, Iterator

from .calendar import HOLIDAYS
from .lexicon import (
    MONTHS, ORDINALS, SEASONS, SMALL_NUMBERS, TENS, UNITS, VAGUE_NUMBERS, WEEKDAY_ABBREVIATIONS,
    WEEKDAYS,
)
from .resolvers import (
    REF_VALUES, _Ctx, _Resolved, _resolve_half, _resolve_month_year, _resolve_quarter, _resolve_reported_quarter,
    _resolve_relative_day, _resolve_set, _resolve_time, resolve_amount, resolve_century,
    resolve_day_month, resolve_day_range, resolve_decade, resolve_holiday, resolve_iso_date,
    resolve_month, resolve_month_day, resolve_numeric_date, resolve_odd_absolute, resolve_part_of,
    resolve_reference, resolve_relative_unit, resolve_season, resolve_week_containing,
    resolve_week_number, resolve_week_of, resolve_weekday, resolve_year, resolve_year_back,
    resolve_the_weekend, resolve_the_year, resolve_year_end, resolve_month_rel_year, resolve_anaphor,
    resolve_bare_units,
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
_ORDINAL_WORDS = _alternation(k for k, v in ORDINALS.items() if not k[0].isdigit() and v > 0)
_UNIT_WORDS = _alternation(UNITS)
_NUMBER = (
    r"(?:\d+(?:\s+1/2|½)|\d+(?:\.\d+)?|(?:" + _alternation(TENS) + r")(?:[\s-](?:"
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


_TEEN_WORDS = _alternation(k for k, v in SMALL_NUMBERS.items() if k.isalpha() and 10 <= v <= 19)
_UNIT_NUMBER_WORDS = _alternation(k for k, v in SMALL_NUMBERS.items() if k.isalpha() and 1 <= v <= 9)
# Years as broadcast transcripts spell them: "nineteen ninety-six", "the year two thousand".
SPOKEN_YEAR = (r"(?:nineteen[\s-]+(?:hundred(?:[\s-]+(?:and[\s-]+)?(?:" + _UNIT_NUMBER_WORDS + r"))?|(?:"
               + _alternation(TENS) + r")(?:[\s-]+(?:" + _UNIT_NUMBER_WORDS + r"))?|" + _TEEN_WORDS + r")"
               r"|two[\s-]+thousand(?:[\s-]+(?:and[\s-]+)?(?:" + _TEEN_WORDS + "|" + _UNIT_NUMBER_WORDS
               + r"))?)\b")


def year(g: str) -> str:
    # Four digits 1600-2099 that are not part of a bigger number, money or percentage, or a
    # spelled-out year (the resolvers read it as digits through `_g`).
    return rf"(?<![\d$£€.,/])(?P<{g}>(?:1[6-9]|20)\d\d\b(?![.,]\d|%|\s*percent)|\b{SPOKEN_YEAR})"


def weekday(g: str) -> str:
    return rf"\b(?P<{g}>{_WEEKDAY_WORDS})\b"


def weekday_prefix(g: str) -> str:
    # Optional weekday (full or abbreviated) before a full date: "Thursday, Feb. 27".
    return rf"(?:\b(?P<{g}>{_WEEKDAY_WORDS}|{_WEEKDAY_ABBR})\b\.?,?\s+(?:the\s+)?)?"


MOD = r"(?P<mod>last|this|next|past|previous|coming|following)"

# ------------------------------------------------------------------------------ rules

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
    ("month_rel_year", month("mo") + r",?\s+(?:of\s+)?(?P<rel>last|this|next|previous)\s+year\b", resolve_month_rel_year),
    ("month_year", month("mo") + r",?\s+(?:of\s+|in\s+)?" + year("y")
     + r"|" + year("y_") + r"\s+(?P<mo_>" + _MONTH_WORDS + r")\b", _resolve_month_year),
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
    ("reported_quarter", r"(?:\bthe\s+(?:(?P<ago>(?:comparable\s+)?year-(?:ago|earlier))\s+|"
     r"(?P<which>latest|most\s+recent|current|same|corresponding|comparable)\s+|" + year("yq") + r"\s+)?"
     r"|\b(?P<lys>last\s+year['’]s)\s+)(?P<unit>quarter|period)\b(?!\s+of\b|-)"
     r"(?:\s+(?P<back>a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year)\b)?", _resolve_reported_quarter),
    ("year_back", r"\byear-(?:ago|earlier)\b(?!\s+(?:\S+[\s-]+)?(?:months?|weeks?|days?|years?)\b)",
     resolve_year_back),
    ("quarter", r"(?:the\s+)?(?:" + year("y3") + r"\s+|(?P<pre_ago>year-ago|year-earlier)\s+)?"
     r"(?:(?P<qord>first|second|third|fourth|final|last|1st|2nd|3rd|4th)"
     r"[\s-]+(?:fiscal\s+)?quarter|\bq(?P<qn>[1-4]))\b(?:,?\s+(?:of\s+)?(?:" + year("y") + r"|"
     + _REL_YEAR + r"))?|" + year("y2") + r"\s+q(?P<qn2>[1-4])\b", _resolve_quarter),
    ("half", r"(?:the\s+)?(?P<hord>first|second|last|latter)\s+half\s+of\s+(?:" + year("y") + r"|"
     + _REL_YEAR + r"|(?P<relt>this|the)\s+year)", _resolve_half),
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
     r"(?<![\d/])\b(?P<num>" + _NUMBER + r")(?P<half>\s+and\s+a\s+half)?[\s-]+(?P<unit>" + _UNIT_WORDS
     + r")s?\b(?!-old|-olds|-ago|-earlier)(?P<half2>\s+and\s+a\s+half\b)?"
     r"(?:\s+(?P<dir>ago|earlier|from\s+now|hence))?", resolve_amount),
    ("bare_units", r"(?:(?<=\bfor\s)|(?<=\bwithin\s)|(?<=\bin\s))(?P<unit>days|weeks|months|years|decades)\b(?!\s+(?:ago|old)\b)",
     resolve_bare_units),
    ("anaphor", r"\b(?:(?:earlier|later)\s+)?that\s+(?:same\s+)?(?P<unit>day|morning|afternoon|evening|night|week|month"
     r"|year|quarter)\b(?!-)|\bthe\s+(?:(?P<dir>following)\s+(?P<unit2>day|morning|afternoon|evening|night|week|month"
     r"|year|quarter)|(?P<dir2>next|previous|preceding)\s+(?P<unit3>day|morning|afternoon|evening|night))\b", resolve_anaphor),
    ("relative_unit", r"(?P<the>\bthe\s+)?\b" + MOD
     + r"\s+(?P<unit>week|weekend|month|year|quarter|decade)\b(?P<edge>\s+so\s+far)?",
     resolve_relative_unit),
    ("weekday", r"(?:\b(?:this\s+)?(?P<mod>last|this|next|previous|coming|past|following)\s+)?" + weekday("wd")
     + r"(?:\s+(?P<part>morning|afternoon|evening|night))?", resolve_weekday),
    ("relative_day", r"\b(?P<rel>the\s+day\s+before\s+yesterday|the\s+day\s+after\s+tomorrow|"
     r"today|yesterday|tomorrow|tonight|this|last)\b(?:\s+(?P<part>morning|afternoon|evening|night))?",
     _resolve_relative_day),
    ("reference", r"\b(?:" + _alternation(REF_VALUES)
     + r"|(?P<recent>recent\s+(?P<runit>days|weeks|months|years|decades|quarters))"
     + r"|(?P<coming>(?:the\s+)?coming\s+(?P<cunit>days|weeks|months|years|decades|quarters)"
     + r"|the\s+(?P<aunit>days|weeks|months|years)\s+ahead)"
     + r"|(?P<ago>(?:days|weeks|months|years|decades)\s+ago))\b", resolve_reference),
    ("time", r"(?<![\d:.,])(?:(?P<h>[01]?\d|2[0-3])(?::(?P<mi>[0-5]\d))?\s*"
     r"(?P<ampm>[ap]\.\s?m\.|[ap]m\b)(?:\s*(?:[ECMP][SD]T|GMT|UTC)\b)?|(?P<h2>[01]?\d|2[0-3]):(?P<mi2>[0-5]\d)(?![\d:])|"
     r"\b(?P<named>noon|midnight|midday)\b)", _resolve_time),
    ("set", r"\b(?:(?:every|each|per)\s+(?:" + weekday("wd") + "|" + month("mo")
     + r"|(?P<every>day|week|month|year|night|morning|evening|weekend|quarter|hour))\b"
     r"|(?P<adverb>daily|weekly|monthly|annually|yearly|quarterly|hourly)\b)", _resolve_set),
    ("the_year", r"\bthe\s+(?:(?:full|current|fiscal|current\s+fiscal)\s+)?year\b(?!-|\s+(?:before|after|earlier|later"
     r"|that|when|since|ago|in\s+which|(?:1[6-9]|20)\d\d|nineteen|two)\b)", resolve_the_year),
    ("the_weekend", r"\bthe\s+weekend\b", resolve_the_weekend),
    ("year_end", r"\byear[\s-]end\b|\byear['’]s\s+end\b", resolve_year_end),
    ("year", r"(?:\bthe\s+year\s+)?" + year("y"), resolve_year),
]

COMPILED_RULES = [(name, re.compile(pattern, re.I), resolver) for name, pattern, resolver in RULES]
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
    **{name: _DIGITS for name in ("iso_date", "numeric_date", "odd_absolute", "decade", "week_number")},
    "year": _DIGITS + ("nineteen", "thousand"),
    **{name: _MONTH_GATE for name in ("month_day", "day_month", "month_year", "month_rel_year", "day_range", "day_range_dm",
                                      "week_containing", "month")},
    "time": _DIGITS + ("noon", "midnight", "midday"),
    "week_of": ("week",),
    "half": ("half",),
    "quarter": ("quarter", "q1", "q2", "q3", "q4"),
    "reported_quarter": ("quarter", "period"),
    "year_back": ("year-",),
    "the_year": ("year",),
    "the_weekend": ("weekend",),
    "bare_units": ("days", "weeks", "months", "years", "decades"),
    "anaphor": ("that", "following", "next", "previous", "preceding"),
    "year_end": ("year",),
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
# Second gates, for rules that need two things: a day of the month (digits or an ordinal word)
# besides the month word (month words hide in "market", "decided", "mayor"), a year besides it.
_DAY_GATE = _DIGITS + tuple(k for k, v in ORDINALS.items() if k.isalpha() and v > 0)
_YEAR_GATE = _DIGITS + ("nineteen", "thousand")
_RULE_GATES_ALSO: dict[str, tuple[str, ...]] = {
    **{name: _DAY_GATE for name in ("month_day", "day_month", "day_range", "day_range_dm", "week_containing")},
    "month_year": _YEAR_GATE,
    "month_rel_year": ("year",),
    "year_end": ("end",),
}
assert set(_RULE_GATES) | set(_RULE_GATES_ALSO) <= set(RULE_PRIORITY), "a gate names no rule"
assert set(_RULE_GATES_ALSO) <= set(_RULE_GATES), "a second gate without a first"


def _open_rules(text: str) -> Iterator[tuple[str, re.Pattern, Callable]]:
    """The rules that can match somewhere in `text` (every rule whose gates are open)."""
    folded = text.casefold()
    for rule in COMPILED_RULES:
        gate = _RULE_GATES.get(rule[0])
        if gate is None:
            yield rule
        elif any(word in folded for word in gate):
            also = _RULE_GATES_ALSO.get(rule[0])
            if also is None or any(word in folded for word in also):
                yield rule
