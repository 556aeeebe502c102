"""Words both normalizers read: number words, scales, ordinals, vague quantifiers, month names.

One copy of each list, shared by `numbers` (figures) and `timex` (dates and durations). The
two read a few words differently; those words are not folded into the shared tables but kept
in named sets below, each saying which normalizer adds it and why:

* `numbers` also reads the British zeros (ZERO_VARIANTS), the misspelling "fourty"
  (TENS_MISSPELLINGS), the scale ordinals as fraction denominators (SCALE_ORDINALS) and
  "a couple" / "a handful" as vague amounts (SMALL_GROUP_QUANTIFIERS), and the change and
  spread words that decide whether "X to Y" is one range or two figures (CHANGE_WORDS,
  SPREAD_WORDS);
* `timex` also reads article phrases as counts before a unit, "a couple of weeks" being
  exactly two (ARTICLE_COUNTS), "last"/"final" and "1st"-"4th" as ordinal positions
  (ORDINAL_POSITIONS) and bare "few"/"many"/"some" as unknown counts (BARE_QUANTIFIERS).
"""

from __future__ import annotations

# --------------------------------------------------------------------------- cardinals

SMALL_NUMBERS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17,
    "eighteen": 18, "nineteen": 19,
}
# numbers: "three-nought-four" is read digit by digit.
ZERO_VARIANTS = {"nought": 0, "naught": 0}
# timex: an article or a small-group word counts the unit after it ("a day" is P1D,
# "half an hour" PT0.5H, "a couple of weeks" P2W).
ARTICLE_COUNTS = {
    "a": 1, "an": 1, "a couple of": 2, "couple of": 2, "a single": 1, "a dozen": 12,
    "couple": 2, "dozen": 12, "half a": 0.5, "half an": 0.5,
}

TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
        "seventy": 70, "eighty": 80, "ninety": 90}
# numbers: a misspelling frequent enough in news copy to read.
TENS_MISSPELLINGS = {"fourty": 40}

# Scale words, from "hundred" up (lakh and crore are the Indian 10^5 and 10^7).
SCALES = {"hundred": 100, "thousand": 10 ** 3, "lakh": 10 ** 5, "million": 10 ** 6,
          "crore": 10 ** 7, "billion": 10 ** 9, "trillion": 10 ** 12}

# ---------------------------------------------------------------------------- ordinals

ORDINALS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6,
    "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12,
    "thirteenth": 13, "fourteenth": 14, "fifteenth": 15, "sixteenth": 16,
    "seventeenth": 17, "eighteenth": 18, "nineteenth": 19, "twentieth": 20,
    "thirtieth": 30,
}
# timex: "the last week of", "the final quarter" (-1: counted from the end) and the digit
# ordinals that name quarters ("3rd quarter").
ORDINAL_POSITIONS = {"last": -1, "final": -1, "1st": 1, "2nd": 2, "3rd": 3, "4th": 4}
# numbers: ordinals of scales, read as fraction denominators ("a thousandth").
SCALE_ORDINALS = {"hundredth": 100, "thousandth": 1_000, "millionth": 1_000_000,
                  "billionth": 1_000_000_000, "trillionth": 1_000_000_000_000}

# --------------------------------------------------------------------- vague amounts

# Quantifiers for an amount not given exactly, with the count range `numbers` gives them;
# `timex` reads them as an unknown count ("a few days" is PXD).
VAGUE_QUANTIFIERS = {"a few": (2, 5), "several": (3, 9)}
# numbers: also vague amounts (timex counts "a couple of" as two; see ARTICLE_COUNTS).
SMALL_GROUP_QUANTIFIERS = {"a couple": (2, 3), "a couple of": (2, 3), "a handful": (2, 5),
                           "a handful of": (2, 5)}
# timex: also unknown counts before a unit ("many years", "some weeks").
BARE_QUANTIFIERS = {"few", "many", "some"}

# ------------------------------------------------------------------- change and spread

# numbers: words saying that a figure moved. "X to Y" right after one is a change and then a
# level ("added 45 cents to $12.80", "increased by $4 billion to $9 billion"), not a range.
CHANGE_WORDS = frozenset("""
    up down by
    rise rises rising rose risen fall falls falling fell fallen drop drops dropping dropped
    decline declines declining declined climb climbs climbing climbed gain gains gaining gained
    add adds adding added lose loses losing lost jump jumps jumping jumped surge surges surging
    surged soar soars soaring soared slump slumps slumping slumped plunge plunges plunging
    plunged tumble tumbles tumbling tumbled sink sinks sinking sank sunk slip slips slipping
    slipped slide slides sliding slid ease eases easing eased increase increases increasing
    increased decrease decreases decreasing decreased grow grows growing grew grown shed sheds
    shedding advance advances advancing advanced retreat retreats retreating retreated rally
    rallies rallying rallied dip dips dipping dipped spike spikes spiking spiked widen widens
    widened narrow narrows narrowed cut cuts cutting raise raises raising raised lift lifts
    lifted boost boosts boosted trim trims trimmed slash slashes slashed reduce reduces reduced
    lower lowers lowered edge edges edged inched creep creeps crept
""".split())
# numbers: words announcing a spread; "from X to Y" after one is a range ("prices range from
# $5 to $9", "fees vary from 1% to 2%"), where after other words it is a change.
SPREAD_WORDS = frozenset("range ranges ranged ranging vary varies varied varying anywhere somewhere".split())

# ------------------------------------------------------------------------------ months

# Full names first, then abbreviations ("sept" as well as "sep").
MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6,
    "july": 7, "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}
MONTH_NAMES = list(MONTHS)[:12]
MONTH_ABBREVIATIONS = list(MONTHS)[12:]
