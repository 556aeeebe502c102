"""The words of dates and times: months, weekdays, seasons, day parts, numbers, units.

Month names and number words are the shared ones (`newsie.normalize.lexicon`, which
`numbers` reads too), composed here the way dates read them; the other lists are this
grammar's own, as are the trigger words that make an ambiguous month or season temporal.
"""

from __future__ import annotations

import re

from .. import lexicon as shared

MONTHS = shared.MONTHS
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

# Number words: the shared cardinals plus the article counts ("a day", "half an hour");
# "hundred" joins the tens ("a hundred years"); vague quantifiers leave the count unknown
# ("several weeks" is PXW); ordinals add positions counted from the end ("the last week").
SMALL_NUMBERS = {**shared.SMALL_NUMBERS, **shared.ARTICLE_COUNTS}
TENS = {**shared.TENS, "hundred": shared.SCALES["hundred"]}
VAGUE_NUMBERS = set(shared.VAGUE_QUANTIFIERS) | shared.BARE_QUANTIFIERS
ORDINALS = {**shared.ORDINALS, **shared.ORDINAL_POSITIONS}

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
