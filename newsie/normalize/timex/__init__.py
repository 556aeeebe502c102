"""Date and time normalization for news text, anchored on the publication date.

Values follow TimeML's TIMEX3 attribute conventions (Pustejovsky et al., ISO-TimeML;
TempEval-3 guidelines): ``type`` is DATE, TIME, DURATION or SET and ``value`` is an
ISO-8601-like string ("2025-02-07", "2025-01", "2024-W06", "2024-FA", "202X",
"PAST_REF", "P3D", "2025-02-07T15:00").  Every resolved expression also carries the
calendar interval it denotes (both ends inclusive, the start never after the end) because
the claims stage orders figures on a timeline; a range ("between October 8 and 13") gets
the ISO-8601 interval value "2024-10-08/2024-10-13".

The recognizer is a rule grammar in the style of HeidelTime (Strötgen & Gertz): small
reusable sub-patterns (month, day, year, weekday, number, unit, season) compose into
rules; each rule has a resolver that turns its match into a value using the anchor
(document creation time) and the tense of the governing clause.  Overlapping
candidates keep the longest; adjacent points joined by "to"/"and"/"-" merge into ranges.
dateparser is used only for odd absolute formats ("2019-aug-1", "07.02.2025").

Conventions (see docs/dates.md, "Conventions"): seasons are meteorological (spring Mar-May, summer
Jun-Aug, fall Sep-Nov, winter Dec-Feb labelled by the year of its December); early /
mid / late split a month into days 1-10 / 11-20 / 21-end and a year into Jan-Apr /
May-Aug / Sep-Dec; "last/next <weekday>" is that day in the previous/next ISO week.

Modules, in data-flow order: `lexicon` (the words), `calendar` (calendar math),
`resolvers` (match -> value and interval), `rules` (sub-patterns, rules, gates) and
`search` (matching, overlaps, ranges, `find_timexes`, `normalize_timex`); `values` reads a
duration's amount back out of its value.
"""

from .rules import COMPILED_RULES, RULE_PRIORITY, RULES  # noqa: F401 (the grammar, for tests and tools)
from .resolvers import Timex
from .search import TimexMatch, find_timexes, normalize_timex, reference_time, reported_period
from .values import duration_amount

__all__ = ["Timex", "TimexMatch", "duration_amount", "normalize_timex", "find_timexes", "reference_time", "reported_period"]
