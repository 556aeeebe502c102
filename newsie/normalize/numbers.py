"""Number expressions in news text -> normalized figures (value, low, high, qualifier, unit).

Approach: a small hand-written grammar, not a statistical tagger. One compiled regex finds
number *atoms* (digits with separators and scale suffixes, number words, fractions, vague
amounts such as "hundreds of"); the code around it grows each atom into an *expression*:
currency and percent marks, a range partner ("10,000-12,000", "between 1,000 and 3,000",
"10 to 12 thousand"), a unit, qualifier words on the left ("at least", "about", "another")
and on the right ("or more", "-strong", "more"). Context checks then refuse what is not a
quantity in news: dates, years, times, durations, ordinals, ages, identifiers ("No. 2",
"F-16", "Article 5"), addresses and phone numbers.

quantulum3 is used only as a unit dictionary (its surface forms of a short whitelist of
physical units, loaded lazily once): its parser reads ranges as midpoint +- half-width,
drops "at least", reads "12k" as kibibytes and "VA" as volt-amperes, so it never decides
what a number is. Conventions (bounds, vague-amount table) are documented in docs/numbers.md.
"""
from __future__ import annotations

import bisect
import math
import re
from collections import Counter
from dataclasses import dataclass, replace
from decimal import Decimal, InvalidOperation
from functools import lru_cache

from . import lexicon
from .saved_units import quantulum_surfaces


@dataclass(frozen=True)
class Quantity:
    start: int
    end: int
    text: str
    value: float | None
    low: float | None
    high: float | None
    approximate: bool
    qualifier: str | None
    unit: str | None
    kind: str  # "count" | "money" | "percent" | "vague" | "measure" | "age"

    def stated_numbers(self) -> dict:
        """value, low, high and unit as the `mentions` table carries them: the numbers the text
        states. A quantifier that names no number and no base ("a few", "several", "a handful
        of") states none, like a duration without a number ("a month"); its bounds stay on the
        Quantity for claims and cross-document comparison (docs/numbers.md, "Vague amounts")."""
        if self.kind == "vague" and _UNNUMBERED_QUANTIFIER.fullmatch(self.qualifier or ""):
            return dict(value=None, low=None, high=None, unit=self.unit)
        return dict(value=self.value, low=self.low, high=self.high, unit=self.unit)


# --------------------------------------------------------------------------- lexicon

# Number words are the shared ones (`lexicon`) plus the few only figures are read with.
SMALL_NUMBERS = {**lexicon.SMALL_NUMBERS, **lexicon.ZERO_VARIANTS}
TENS = {**lexicon.TENS, **lexicon.TENS_MISSPELLINGS}
SCALE_WORDS = {word: Decimal(value) for word, value in lexicon.SCALES.items()}
# Suffixes glued to digits ("12k", "$1.5B", "1.5 bn"); "mm" lowercase is millimetres.
SUFFIX_SCALES = {"k": Decimal(10) ** 3, "m": Decimal(10) ** 6, "mn": Decimal(10) ** 6,
                 "mln": Decimal(10) ** 6, "mil": Decimal(10) ** 6, "MM": Decimal(10) ** 6,
                 "b": Decimal(10) ** 9, "bn": Decimal(10) ** 9, "bln": Decimal(10) ** 9,
                 "tn": Decimal(10) ** 12, "tln": Decimal(10) ** 12}
# "a third", "two-fifths", "a thousandth": the ordinals third to tenth and the scale ordinals.
DENOMINATORS = {"half": 2, "quarter": 4, **{word: n for word, n in lexicon.ORDINALS.items() if 3 <= n <= 10},
                **lexicon.SCALE_ORDINALS}

# Case-sensitive; a space inside a key matches any run of spaces ("HK $5.4m").
CURRENCY_PREFIXES = {
    "$": "USD", "US$": "USD", "U.S.$": "USD", "US $": "USD", "A$": "AUD", "AU$": "AUD", "C$": "CAD",
    "CA$": "CAD", "NZ$": "NZD", "NZ $": "NZD", "HK$": "HKD", "HK $": "HKD", "S$": "SGD",
    "NT$": "TWD", "R$": "BRL",
    # Australian and New Zealand papers put the country after the sign: "$US55,931,000", "$A82m".
    "$US": "USD", "$A": "AUD", "$AU": "AUD", "$NZ": "NZD", "$HK": "HKD", "$C": "CAD", "$S": "SGD",
    "RM": "MYR",
    "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR", "Rs": "INR", "Rs.": "INR", "₽": "RUB",
    "₩": "KRW", "₺": "TRY", "₴": "UAH",
}
# "£" and "¥" as scraped text often carries them (a Windows-1252 round trip): "PS2.7m", "Y=590
# billion". Read only when glued to the digits and written as money (see _mangled_is_money).
MANGLED_CURRENCY_PREFIXES = {"PS": "GBP", "Y=": "JPY"}
ISO_CURRENCIES = ("USD", "EUR", "GBP", "JPY", "CNY", "RMB", "INR", "CHF", "RUB", "UAH", "AUD",
                  "CAD", "SEK", "NOK", "DKK", "PLN", "TRY", "BRL", "ZAR", "KRW", "HKD", "SGD",
                  "NZD", "MYR", "TWD")
CURRENCY_WORDS = {
    "dollar": "USD", "us dollar": "USD", "u.s. dollar": "USD", "australian dollar": "AUD",
    "canadian dollar": "CAD", "hong kong dollar": "HKD", "euro": "EUR", "pounds sterling": "GBP",
    "sterling": "GBP", "pence": "GBX", "yuan": "CNY", "renminbi": "CNY", "yen": "JPY", "rupee": "INR",
    "rouble": "RUB", "ruble": "RUB", "hryvnia": "UAH", "franc": "CHF", "lira": "TRY",
    "riyal": "SAR", "dirham": "AED", "shekel": "ILS", "naira": "NGN", "rand": "ZAR",
}

# Vague amounts: "Xs" is read as its order of magnitude, [X, 10X] ("hundreds" 100-1,000,
# "tens of thousands" 10,000-100,000; reasons in docs/numbers.md, "Vague amounts");
# quantifiers give their own count range, scaled by a following base ("several hundred").
VAGUE_PLURALS = {"dozens": 12, "scores": 20, "tens": 10, "hundreds": 100, "thousands": 1_000,
                 "millions": 1_000_000, "billions": 1_000_000_000}
VAGUE_QUANTIFIERS = {**lexicon.VAGUE_QUANTIFIERS, **lexicon.SMALL_GROUP_QUANTIFIERS}
# Quantifiers that name no number ("several", "a few of"): no numbers in `mentions` (see Quantity.stated_numbers).
_UNNUMBERED_QUANTIFIER = re.compile(r"(?:a few|several|a handful)(?: of)?")
VAGUE_BASES = {"dozen": 12, "hundred": 100, "thousand": 1_000, "million": 1_000_000,
               "billion": 1_000_000_000}

# Qualifier phrases, by the bound they imply. Lowercase, single spaces.
LOW_BOUND = ("at least", "more than", "over", "in excess of", "upwards of", "upward of",
             "above", "greater than", "exceeding", "no fewer than", "no less than",
             "not less than", "a minimum of", "north of", "well over", "just over",
             "well above", "slightly more than", "a little over", "a little more than",
             "just above", "more than an estimated", "over an estimated", "exceeded", "exceeds",
             "surpassed", "surpasses", "topped", "tops", ">", ">=", "≥")
HIGH_BOUND = ("up to", "nearly", "almost", "fewer than", "less than", "under", "below",
              "approaching", "as many as", "as much as", "at most", "no more than",
              "not more than", "a maximum of", "just under", "just shy of", "just below",
              "slightly less than", "sub", "<", "<=", "≤")   # "sub-7 nanometer": under 7
APPROXIMATE = ("about", "around", "approximately", "roughly", "some", "an estimated",
               "estimated", "closer to", "close to", "nearly", "almost", "approaching",
               "circa", "ca.", "approx.", "in the region of", "on the order of",
               "more than an estimated", "over an estimated", "~", "≈")
INCREMENT = ("another", "an additional", "additional", "a further")
BETWEEN = ("between",)

# Abbreviations (case-sensitive) that quantulum3 lacks or reads ambiguously.
UNIT_ABBREVIATIONS = {
    "km": "kilometre", "mm": "millimetre", "cm": "centimetre", "kg": "kilogram",
    "kgs": "kilogram", "lb": "pound-mass", "lbs": "pound-mass", "ft": "foot", "mi": "mile",
    "ha": "hectare", "MW": "megawatt", "GW": "gigawatt", "kW": "kilowatt", "kWh": "kilowatt hour",
    "MWh": "megawatt hour", "GWh": "gigawatt hour", "TWh": "terawatt hour", "mph": "mile per hour",
    "km/h": "kilometre per hour", "kph": "kilometre per hour", "sq km": "square kilometre",
    "sq mi": "square mile", "°C": "degree Celsius", "°F": "degree Fahrenheit",
    "degrees Fahrenheit": "degree Fahrenheit", "Fahrenheit": "degree Fahrenheit",
    "hectares": "hectare", "hectare": "hectare", "bpd": "barrel per day", "ml": "millilitre",
    "kt": "kiloton", "Mt": "megaton", "nautical miles": "nautical mile",
    "nautical mile": "nautical mile", "tons": "ton", "ton": "ton", "tonnes": "tonne",
    # The unit vocabulary of docs/numbers.md, "Unit symbols": written glued ("640bhp") or spaced.
    "m2": "square metre", "m²": "square metre", "km2": "square kilometre", "km²": "square kilometre",
    "sq m": "square metre", "sq ft": "square foot", "m3": "cubic metre", "m³": "cubic metre",
    "cc": "cubic centimetre", "mL": "millilitre", "mg": "milligram", "nm": "nanometre",
    "km/hr": "kilometre per hour", "m/s": "metre per second", "mpg": "mile per gallon",
    "bhp": "brake horsepower", "hp": "horsepower", "kV": "kilovolt", "Wh": "watt hour",
    "mAh": "milliampere hour", "Hz": "hertz", "kHz": "kilohertz", "MHz": "megahertz",
    "GHz": "gigahertz", "rpm": "revolution per minute", "oz": "ounce",
    "kB": "kilobyte", "KB": "kilobyte", "MB": "megabyte", "GB": "gigabyte", "TB": "terabyte",
    "PB": "petabyte", "Mbps": "megabit per second", "Gbps": "gigabit per second",
}
# Symbols read only when glued to the digits ("45g", "12V", "3min"): spaced, they are words or
# letters ("5 in", "a 5 g"), and spaced times are durations for the dates stage.
GLUED_UNITS = {
    "g": "gram", "t": "tonne", "L": "litre", "l": "litre", "W": "watt", "V": "volt", "in": "inch",
    "ms": "millisecond", "sec": "second", "secs": "second", "min": "minute", "mins": "minute",
    "hr": "hour", "hrs": "hour", "h": "hour",
}
# Of those, the ones an uppercase SI symbol makes safe spaced too ("a 5 W charger", "a 12 V battery");
# "500 W Madison St" is an address, refused before units are read.
SPACED_GLUED_UNITS = frozenset({"W", "V"})
# Glued "p" after a price is pence, unit GBX (the exchanges' code for pence sterling, 1/100 GBP),
# except the video resolutions ("720p", "1080p").
VIDEO_RESOLUTIONS = {"240", "360", "480", "576", "720", "1080", "1440", "2160", "4320"}


# --------------------------------------------------------------------------- patterns

_THOUSANDS = re.compile(r"\d,\d{3}\b")


def groups_thousands(text: str) -> bool:
    """Whether a number is written with thousands separators ("120,000"): an amount, never
    part of a name ("Boeing 737", "Route 66", "S&P 500")."""
    return bool(_THOUSANDS.search(text))


def _alternation(words) -> str:
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in sorted(words, key=len, reverse=True))


_SCALE = _alternation(SCALE_WORDS)
_NUMBER_WORD = rf"(?:{_alternation([*SMALL_NUMBERS, *TENS])}|(?:{_SCALE}|dozen)s?)\b"
_SINGULAR_DENOMINATOR = _alternation(DENOMINATORS)
_PLURAL_DENOMINATOR = "halves|" + _alternation(d + "s" for d in DENOMINATORS if d != "half")
_PLURAL_NUMERATOR = r"(?:two|three|four|five|six|seven|eight|nine|ten)"
# A fraction must be followed by "of" or end the phrase: "a third of", "two-thirds", not "a third attack".
_FRACTION_END = r"(?=\s+of\b|\s*[.,;:!?)\"”]|\s*$)"
_DIGITS = r"(?:\d{1,3}(?:,\d{3})+|\d{1,3}(?:[\u00a0\u202f\u2009 ]\d{3})+|\d+)(?:\.\d+)?|\.\d+"
_CURRENCY_PREFIX = "(?-i:" + _alternation(
    list(CURRENCY_PREFIXES) + list(MANGLED_CURRENCY_PREFIXES) + list(ISO_CURRENCIES)) + ")"
_SUFFIX = r"(?-i:k|K|m|M|b|B|MM)(?![\w])|\s?(?-i:mn|mln|mil|bn|bln|tn|tln)\b"
# Scientific notation: "1.99×10^30", "6.02 × 10²³", "3x10^8", and "1.6×10−19" (a superscript
# minus flattened by copy): a power of ten after "×", or after a glued "x" with "^" or superscripts.
_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_SCIENTIFIC = (r"(?:\s?×\s?10(?:\^|\*\*)?(?P<exp>[-−⁻]?\d{1,3}(?![\d,.])|⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})"
               r"|(?-i:x)10(?:(?:\^|\*\*)(?P<exp2>[-−]?\d{1,3}(?![\d,.]))|(?P<exp3>⁻?[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3})))")

ATOM = re.compile(
    rf"""
    (?=[\d$€£¥₹₽₩₺₴.−+-]|(?<!\w)\w)     # cheap gate: skip mid-word positions fast
    (?:(?P<vague>\b(?:
        (?P<vmult>tens|hundreds|dozens|scores)\s+of\s+(?P<vbase>thousands|millions|billions)
      | (?P<vquant>a\s+couple(?:\s+of)?|a\s+few|a\s+handful(?:\s+of)?|several)
            (?:\s+(?P<vqbase>dozen|hundred|thousand|million|billion)\b)?
      | (?P<vplural>dozens|hundreds|thousands|millions|billions|scores(?=\s+of\b))
    )\b(?P<vof>\s+of\b)?)
  | (?P<words>\b
        (?P<wprefix>(?:a|an)\s+(?=(?:{_SCALE}|dozen)\b)
          | half\s+(?:a\s+)?(?=(?:{_SCALE}|dozen)\b)
          | (?:a\s+)?quarter\s+(?:of\s+a\s+)?(?=(?:{_SCALE})\b))?
        (?P<wrun>{_NUMBER_WORD}(?:(?:\s*-\s*|\s+(?:and\s+)?){_NUMBER_WORD})*)
        (?!\s*-?\s*(?:{_PLURAL_DENOMINATOR})\b)
        (?!(?<=\bone)\s*-?\s*(?:{_SINGULAR_DENOMINATOR})\b))
  | (?P<slashfrac>(?<![\w/.,])(?P<sfn>\d{{1,2}})\s?[/\u2044](?P<sfd>\d{{1,3}})(?=\s+of\b))
  | (?P<fraction>\b(?:
        (?P<fnum>(?:a|one)(?=[\s-]+(?:{_SINGULAR_DENOMINATOR})\b)|{_PLURAL_NUMERATOR}(?=[\s-]+(?:{_PLURAL_DENOMINATOR})\b))
        (?:\s*-\s*(?P<fdenh>{_SINGULAR_DENOMINATOR}|{_PLURAL_DENOMINATOR})\b
          |\s+(?P<fden>{_SINGULAR_DENOMINATOR}|{_PLURAL_DENOMINATOR})\b{_FRACTION_END})
      | (?:(?<=than\s)|(?=half\s+(?:of|the|an?|its|their|his|her|all|those|these|them)\b))(?P<half>half)\b))
  | (?P<digits>
        (?:(?P<cur>{_CURRENCY_PREFIX})\s?|(?<![\w.,:/+]))
        (?P<plus>\+(?=\d[\d.]*\s?%))?      # "Dow +0.2%": a signed change in percent
        (?P<neg>[-−](?=\d))?
        (?:(?<=\bminus-)|(?<=\bsub-)|(?<=\bnow-)   # "minus-5 yards", "sub-7 nanometer", "her now-18 month-old"
          |(?<!(?<!\d)[A-Za-z]-))          # "F-16", "COVID-19"; but "5k-20k" is a range
        (?P<num>{_DIGITS})(?![\d])(?![.,]\d)
        (?P<sci>{_SCIENTIFIC})?
        (?P<sfx>{_SUFFIX})?
        (?P<scales>(?:\s+(?:{_SCALE}|dozen)s?\b)+)?))
    """,
    re.IGNORECASE | re.VERBOSE,
)
_WORD_TOKEN = re.compile(r"[a-z]+", re.IGNORECASE)
_MIXED_FRACTION = re.compile(
    rf"\s+and\s+(?:a|one)\s+(?P<den>half|quarter|third)\b(?P<scales>(?:\s+(?:{_SCALE})\b)+)?", re.I)

# Spans that are never quantities: phone numbers, slash and ISO dates, clock times, IPs.
BLOCKED = re.compile(
    r"""\+\d{1,3}(?:[\s.-]\(?\d{1,5}\)?){2,}(?:/\d+)?
      | (?:\(\d{2,5}\)\s?|\b\d{2,5}[.-])\d{2,4}[.-]\d{2,5}\b
      | \d+(?:/\d+)+(?![\d/]|\s+of\b)
      | \d+:\d+(?::\d+)?
      | \d+\.\d+\.\d+(?:\.\d+)*
      | \b(?:1[89]|20)\d\d-(?:0?[1-9]|1[0-2])(?:-\d{1,2})?\b(?!,\d)""",
    re.VERBOSE,
)

_LOOKBACK = 60
_QUALIFIER_PHRASES = _alternation({*LOW_BOUND, *HIGH_BOUND, *APPROXIMATE, *INCREMENT, *BETWEEN}
                                  - {">", ">=", "≥", "<", "<=", "≤", "~", "≈"})
QUALIFIER_PHRASE = re.compile(rf"\b(?:{_QUALIFIER_PHRASES})(?!\w)|[<>]=?|[~≈≥≤]", re.I)
QUALIFIERS_BEFORE = re.compile(rf"(?:(?:\b(?:{_QUALIFIER_PHRASES})(?:\s+|(?<=\bsub)-))|(?:[<>]=?|[~≈≥≤])\s*)+$", re.I)
STRONG_ARTICLE_BEFORE = re.compile(r"\ban?\s+$", re.I)
FROM_BEFORE = re.compile(r"\bfrom\s+$", re.I)
# "prices range from", "ranging in price from": a spread, so "from X to Y" is a range there.
SPREAD_FROM_BEFORE = re.compile(rf"\b(?:{_alternation(lexicon.SPREAD_WORDS)})(?:\s+[a-z]+){{0,3}}?\s+from\s+$", re.I)
# "climbed 2.1 per cent to", "increased by about $4 billion to": a change, then (after "to") a level.
CHANGE_BEFORE = re.compile(
    rf"\b(?:{_alternation(lexicon.CHANGE_WORDS)})\s+(?:by\s+)?(?:(?:{_QUALIFIER_PHRASES})\s+)*$", re.I)
CHANGE_WORD_BEFORE = re.compile(rf"\b(?:{_alternation(lexicon.CHANGE_WORDS)})\s+$", re.I)
NEXT_TO = re.compile(r"\s+to\s+")
ACRONYM_SPACE_BEFORE = re.compile(r"\b[A-Z]{2,}\s$")
SIGN_WORD_BEFORE = re.compile(r"\b(?:minus|negative)(?:\s+|-)$", re.I)

RANGE_JOINER = re.compile(r"\s*(?:-|–|—|~)\s*|\s+(?:to|through|and|or)\s+", re.I)
PERCENT_AFTER = re.compile(
    r"\s+(?P<pp>percentage\s+points?)\b|\s+(?P<bp>basis\s+points?|bps)\b|\s*(?:%|per\s*cent(?:age)?s?\b|pct\b)|(?<=\d)(?-i:pc)\b", re.I)
CURRENCY_WORD_AFTER = re.compile(
    rf"\s+(?:of\s+)?(?P<word>{_alternation(CURRENCY_WORDS)})s?\b|\s+(?P<iso>(?-i:{'|'.join(ISO_CURRENCIES)}))\b",
    re.I)
TRAILING = re.compile(
    r"""(?P<plus>\+(?![\d\w])|-plus\b|\s+plus\b(?!\s*\d))
      | (?P<ormore>\s+(?:or|and)\s+(?:more|over|above|higher|greater))\b
      | (?P<orless>\s+(?:or|and)\s+(?:less|fewer|under|below|lower))\b
      | (?P<orso>\s+or\s+so)\b
      | (?P<strong>-strong)\b
      | (?P<more>\s+(?:more|additional))\b(?!\s+than)""",
    re.I | re.VERBOSE,
)

_MONTH = ("(?-i:(?:" + "|".join(w.title() for w in lexicon.MONTH_ABBREVIATIONS) + r")\.?|"
          + "|".join(w.title() for w in lexicon.MONTH_NAMES) + ")")
MONTH_BEFORE = re.compile(rf"\b{_MONTH}\s+(?:the\s+)?$")
MONTH_AFTER = re.compile(rf"(?:st|nd|rd|th)?(?:\s+of)?\s+{_MONTH}\b")
DATE_TAIL = re.compile(
    r"(?:st|nd|rd|th)?(?:\s*(?:,|and|or|&|-|–|to|through)\s*\d{1,2}(?:st|nd|rd|th)?(?!\d))*(?:,?\s+\d{4}\b)?", re.I)
DURATION_AFTER = re.compile(
    r"[\s-]*(?:(?:more|additional|straight|consecutive|long|full|successive|further|whole)\s+)?"
    r"(?:seconds?|minutes?|mins?|hours?|hrs?|days?|nights?|weeks?|fortnights?|months?|years?|yrs?"
    r"|decades?|centuries|century|millennia|millennium)\b", re.I)
TIME_AFTER = re.compile(r"\s*(?:[ap]\.m\.|[ap]m\b|(?-i:GMT|UTC|BST|CET|EST|EDT|PST|PDT)\b|o'?clock\b)", re.I)
# "aged 34", "the ages of 5 and 17", "aged between 18 and 25" (both ends are ages), "aged under five"
AGE_BEFORE = re.compile(
    r"\b(?:aged|age|ages)(?:\s+of|\s+between)?\s+(?:(?:under|over|about|around|nearly|almost|at\s+least"
    r"|less\s+than|more\s+than|up\s+to)\s+)?(?:\d{1,3}\s*(?:and|to|-|–)\s*)?$", re.I)
AGE_BETWEEN_BEFORE = re.compile(r"\bbetween\s+the\s+ages\s+of\s+$", re.I)
# "a 50 year-old man", "a 34-year-old", "an 18 month-old daughter", "he is 34 years old"
AGE_AFTER = re.compile(r"[\s-]*(?P<unit>years?|yrs?|months?|weeks?|days?)[\s-]*olds?\b", re.I)
AGE_UNITS = {"year": "year", "years": "year", "yr": "year", "yrs": "year", "month": "month",
             "months": "month", "week": "week", "weeks": "week", "day": "day", "days": "day"}
NAME_COMMA_BEFORE = re.compile(r"\b[A-Z][a-z]+,\s+$")
COMMA_AFTER = re.compile(r"\s*,")
IDENTIFIER_BEFORE = re.compile(
    r"(?:\b(?:No|Nos|Nr|Nrs|no|nos|nr|nrs)\.\s*|\#\s*"
    r"|\b(?i:route|highway|interstate|flight|article|resolution|section|chapter|room|gate|terminal"
    r"|platform|category|phase|level|page|vol\.?|volume|episode|season|grade|version|precinct|ward"
    r"|district|zone|sector|suite|apt\.?|apartment|pier|berth|amendment|paragraph|clause|exhibit"
    r"|appendix|annex|figure|fig\.|proposition|prop\.)\s+"
    r"|\b(?:Block|Unit|Part|Title|Rule|Line|Model|Stage|Camp|Division|Bus|Channel|Radio|Windows"
    r"|Formula|Apollo|Cell|Item|Table|Form|Code|Question|Schedule|Lot|Floor|Measure|Number|Bill"
    r"|Act|Mk|Type|Class|Air\s+Force)\s+)$")
# "10 Downing Street", "9 E 71st St" (a numbered street), "22 Avenue Foch", "8 Rue de la Paix"
# (the street type first, as French, Spanish and Italian addresses write it).
ADDRESS_AFTER = re.compile(
    r"\s+(?:(?:[A-Z][\w'.-]*|\d+(?:st|nd|rd|th))\s+){1,3}(?:Street|St\.?|Avenue|Ave\.?|Road|Rd\.?|Boulevard"
    r"|Blvd\.?|Lane|Drive|Place|Square|Court|Terrace|Crescent|Way|Parkway)(?!\w)"
    r"|\s+(?:Avenue|Ave\.?|Rue|Boulevard|Blvd\.?|Via|Viale|Calle|Avenida|Piazza)\s+(?:(?:de|du|des|della|del)\s+(?:la\s+)?)?[A-Z]")
# "the 90049 ZIP code", "the 212 area code": a code named by the noun after it.
CODE_AFTER = re.compile(r"\s+(?:(?:zip|postal|post|area|sort)\s+codes?|postcodes?)\b", re.I)
GLUED_LETTERS = re.compile(r"[^\W\d_]+", re.UNICODE)
# After a glued "m": a length, so metres ("a 37m (121ft)-long skeleton", "a 30m-high wall").
LENGTH_AFTER = re.compile(r"\s*\(\s*\d[\d,.]*\s*(?:ft|feet|foot)\b|[\s-](?:long|tall|high|wide|deep)(?![\w-])")
# A unit symbol right after the number, glued or spaced ("640bhp", "54 GB", "32m2", "80km/h").
UNIT_SYMBOL_AFTER = re.compile(rf"(?P<space>[\s-]?)(?P<symbol>{_alternation([*UNIT_ABBREVIATIONS, *GLUED_UNITS])})(?![\w/²³])")
# "12 C", "30C", "86 F": degrees only where the sentence talks temperature (TEMPERATURE_WORDS,
# within 80 characters); elsewhere a lone C or F is a letter ("Group 3 C", "grade 5 F").
TEMPERATURE_SYMBOL_AFTER = re.compile(r"\s?(?-i:(?P<scale>[CF]))(?![\w&'’°-])")
TEMPERATURE_WORDS = re.compile(
    r"\b(?:temperatures?|degrees?|celsius|centigrade|fahrenheit|thermometers?|mercury|heat(?:wave)?s?"
    r"|melting|boiling|freezing|warm(?:er|est|ing|th)?|cold(?:er|est)?|hott?(?:er|est)?|chilly|frost)\b", re.I)
PENCE_AFTER = re.compile(r"p(?!\w|\.\s?m\b)")
UNIT_AFTER = re.compile(r"(?:\s?(?:°[CF])|\s*(?:km/h|sq\s+(?:km|mi))|[\s-]?(?P<word>[A-Za-z]+)(?:[\s-](?P<word2>[A-Za-z]+))?)(?!\w)")
SENTENCE_START_BEFORE = re.compile(r"(?:^|[.!?:;\"“‘(\[—–-]\s*|\n\s*)$")
PRONOUN_ONE_BEFORE = re.compile(
    r"\b(?:the|this|that|which|any|each|every|no|another|other|only|such\s+a|a|last|first|next|same)\s+$", re.I)
PRONOUN_ONE_AFTER = re.compile(r"\s+(?:of|another|or\s+another|by\s+one|or\s+other|and\s+only)\b", re.I)
# "one of the best speakers", "one of the most spectacular catches": one, picked from a superlative
ONE_OF_SUPERLATIVE_AFTER = re.compile(r"\s+of\s+(?:the|its|their|his|her|our)\s+(?:most|least|best|worst|\w{3,}est)\b", re.I)


# --------------------------------------------------------------------------- atoms

@dataclass
class _Atom:
    """A bare number as read from one ATOM match, before context is applied."""
    start: int
    end: int
    value: Decimal
    scaled: bool = False          # carried a scale word or suffix ("12 thousand", "1.5bn")
    scale: Decimal = Decimal(1)
    currency: str | None = None
    is_words: bool = False
    is_fraction: bool = False
    bare_digits: str | None = None  # the digits exactly as written, for year checks
    unit: str | None = None       # a unit read with the digits: "37m (121ft)" is metres


def _digit_atom(m: re.Match) -> _Atom | None:
    raw = re.sub(r"[,\s\u00a0\u202f\u2009]", "", m.group("num"))
    try:
        value = Decimal(raw)
    except InvalidOperation:
        return None
    if m.group("neg"):
        if ACRONYM_SPACE_BEFORE.search(m.string, 0, m.start("neg")) and not PERCENT_AFTER.match(m.string, m.end()):
            return None   # "COVID -19": a code's hyphen with a stray space, not minus 19
        value = -value
    scale = Decimal(1)
    if m.group("sci"):
        exponent = (m.group("exp") or m.group("exp2") or m.group("exp3")).translate(_SUPERSCRIPTS).replace("−", "-")
        scale = Decimal(10) ** int(exponent)
    if m.group("sfx"):
        suffix = m.group("sfx").strip()
        scale *= SUFFIX_SCALES.get(suffix) or SUFFIX_SCALES[suffix.lower()]
    for word in (m.group("scales") or "").lower().split():
        scale *= 12 if word.startswith("dozen") else SCALE_WORDS[word.rstrip("s")]
    start = m.start("cur") if m.group("cur") else m.start("digits")
    prefix = re.sub(r"\s+", " ", m.group("cur")) if m.group("cur") else None
    if prefix in MANGLED_CURRENCY_PREFIXES and not _mangled_is_money(m):
        return None   # "PS4" the console, "Y=5" an equation
    currency = (CURRENCY_PREFIXES.get(prefix) or MANGLED_CURRENCY_PREFIXES.get(prefix) or prefix) if prefix else None
    if currency == "RMB":
        currency = "CNY"
    if m.group("sfx") in ("m", "K") and not currency and not m.group("scales"):
        if m.group("sfx") == "m" and LENGTH_AFTER.match(m.string, m.end()):
            return _Atom(start, m.end(), value, currency=None, unit="metre")  # "a 37m (121ft)-long hull"
        if m.group("sfx") == "K" and re.fullmatch(r"[1-9]", raw):
            return None   # "4K", "8K": a screen resolution (or a race), not 4,000
    return _Atom(start, m.end(), value * scale, scale != 1, scale, currency,
                 bare_digits=m.group("num") if scale == 1 and not m.group("neg") and not m.group("sci") else None)


def _mangled_is_money(m: re.Match) -> bool:
    """"PS"/"Y=" glued to digits that are written as money: a scale ("PS2.7m", "Y=590 billion"),
    pence or thousands ("PS4.99", "PS21,700") or a figure in parentheses ("(PS450)"). A lone
    digit is never money here: "PS4", "(PS5)" are consoles."""
    if m.end("cur") != m.start("num") or m.group("neg"):
        return False
    num = m.group("num")
    if m.group("sfx") or m.group("scales") or "," in num or "." in num:
        return True
    in_parentheses = m.string[max(0, m.start("cur") - 1):m.start("cur")] == "(" and (
        m.string[m.end():m.end() + 1] == ")")
    return in_parentheses and len(num) >= 2


def _word_kind(word: str) -> str:
    if word in SMALL_NUMBERS:
        return "teen" if SMALL_NUMBERS[word] >= 10 else "unit"
    if word in TENS:
        return "tens"
    if word.rstrip("s") == "hundred":
        return "hundred"
    if word.rstrip("s") == "dozen":
        return "dozen"
    return "scale"


# Which word kind may follow which inside one number ("three hundred and two thousand").
_WORD_FOLLOWERS = {
    None: {"unit", "teen", "tens"},
    "unit": {"hundred", "scale", "dozen"},
    "teen": {"hundred", "scale", "dozen"},
    "tens": {"unit", "scale", "dozen"},
    "hundred": {"unit", "teen", "tens", "scale"},
    "scale": {"unit", "teen", "tens", "scale"},
    "dozen": set(),
}


@dataclass
class _WordNumber:
    """A number being read word by word: `total` holds finished scales, `group` the open one."""
    start: int
    end: int
    total: Decimal = Decimal(0)
    group: Decimal = Decimal(0)
    last_kind: str | None = None
    last_scale: Decimal | None = None

    @property
    def value(self) -> Decimal:
        return self.total + self.group


def _split_word_run(text: str, run_start: int, run_end: int, prefixed: bool) -> list[_WordNumber]:
    """Split a run of number words into numbers: "three-nought-four" is three numbers."""
    tokens = [(t.start(), t.end(), t.group().lower()) for t in _WORD_TOKEN.finditer(text, run_start, run_end)]
    numbers: list[_WordNumber] = []
    current: _WordNumber | None = None
    for index, (start, end, word) in enumerate(tokens):
        if word == "and":
            continue
        kind = _word_kind(word)
        joined_by_and = index > 0 and tokens[index - 1][2] == "and"
        if current is not None and _may_follow(current, kind, word, joined_by_and):
            _add_word(current, kind, word)
            current.end = end
            continue
        if current is not None:
            numbers.append(current)
        after_article = prefixed and not numbers and current is None   # "a hundred", "half a dozen"
        if kind in _WORD_FOLLOWERS[None] or after_article:
            current = _WordNumber(start, end)
            if after_article and kind not in _WORD_FOLLOWERS[None]:
                current.group, current.last_kind = Decimal(1), "unit"
            _add_word(current, kind, word)
        else:
            current = None
    if current is not None:
        numbers.append(current)
    return numbers


def _may_follow(current: _WordNumber, kind: str, word: str, joined_by_and: bool) -> bool:
    last_kind = current.last_kind
    if kind not in _WORD_FOLLOWERS[last_kind]:
        return False
    if joined_by_and and (last_kind not in ("hundred", "scale") or kind in ("hundred", "scale", "dozen")):
        return False
    if kind == "unit" and last_kind == "tens" and SMALL_NUMBERS[word] == 0:
        return False
    if kind == "dozen" and (current.total or current.group >= 100):
        return False   # "three dozen" yes; "three hundred and two dozen" is two figures
    if kind == "scale" and last_kind == "scale":
        return SCALE_WORDS[word.rstrip("s")] > current.last_scale   # "three lakh crore"
    if kind in ("scale", "hundred") and word.endswith("s") and last_kind == "scale":
        return False
    return True


def _add_word(current: _WordNumber, kind: str, word: str) -> None:
    """Accumulate one word with the usual total/group scheme."""
    base = word.rstrip("s") if kind in ("hundred", "scale", "dozen") else word
    if kind in ("unit", "teen"):
        current.group += SMALL_NUMBERS[word]
    elif kind == "tens":
        current.group += TENS[word]
    elif kind == "hundred":
        current.group = (current.group or 1) * 100
    elif kind == "dozen":
        current.group = (current.group or 1) * 12
    elif current.group == 0 and current.total > 0:
        current.total *= SCALE_WORDS[base]          # "lakh crore", "thousand million"
    else:
        current.total += (current.group or 1) * SCALE_WORDS[base]
        current.group = Decimal(0)
    if kind == "scale":
        current.last_scale = SCALE_WORDS[base]
    current.last_kind = kind


def _word_atoms(text: str, m: re.Match) -> list[_Atom]:
    prefix = (m.group("wprefix") or "").lower().split()
    numbers = _split_word_run(text, m.start("wrun"), m.end("wrun"), prefixed=bool(prefix))
    atoms = [_Atom(n.start, n.end, n.value, is_words=True) for n in numbers]
    if atoms and prefix and atoms[0].start == m.start("wrun"):
        multiplier = Decimal("0.5") if prefix[0] == "half" else Decimal("0.25") if "quarter" in prefix else 1
        first = atoms[0]
        atoms[0] = _Atom(m.start("words"), first.end, first.value * multiplier, is_words=True)
    return atoms


def _fraction_atom(m: re.Match) -> _Atom:
    numerator = (m.group("fnum") or "a").lower()
    numerator_value = 1 if numerator in ("a", "one") else SMALL_NUMBERS[numerator]
    written = (m.group("fdenh") or m.group("fden") or m.group("half")).lower()
    denominator = DENOMINATORS["half" if written == "halves" else written.removesuffix("s")]
    value = Decimal(numerator_value) / Decimal(denominator)
    return _Atom(m.start("fraction"), m.end("fraction"), value, is_fraction=True)


def _atoms_at(text: str, m: re.Match) -> list[_Atom]:
    if m.group("words") is not None:
        return _word_atoms(text, m)
    if m.group("fraction") is not None:
        return [_fraction_atom(m)]
    if m.group("slashfrac") is not None:  # "1/16 of a pint": a fraction before "of", not a date or code
        value = Decimal(m.group("sfn")) / Decimal(m.group("sfd")) if int(m.group("sfd")) else None
        return [_Atom(m.start("slashfrac"), m.end("slashfrac"), value, is_fraction=True)] if value else []
    atom = _digit_atom(m)
    return [atom] if atom else []


# --------------------------------------------------------------------------- context checks

def _before(text: str, pos: int, floor: int) -> str:
    return text[max(floor, pos - _LOOKBACK):pos]


def _is_year(atom: _Atom) -> bool:
    digits = atom.bare_digits
    return bool(digits and len(digits) == 4 and digits.isdigit() and 1800 <= int(digits) <= 2100
                and not atom.currency)


def _is_two_digit(atom: _Atom) -> bool:
    return bool(atom.bare_digits and len(atom.bare_digits) == 2 and atom.bare_digits.isdigit())


def _temperature_context(text: str, pos: int) -> bool:
    return bool(TEMPERATURE_WORDS.search(text, max(0, pos - 80), pos + 80))


def _glued_suffix_refuses(text: str, end: int) -> bool:
    """Letters glued to digits: "21st", "1990s", "3pm", "5G", "F-16"-like codes."""
    m = GLUED_LETTERS.match(text, end)
    if not m:
        return False
    letters = m.group()
    if letters in ("C", "F") and _temperature_context(text, end):
        return False   # "highs of 30C", "the 2C warming limit"
    if letters in UNIT_ABBREVIATIONS or letters in ("pc", "pct"):
        return False   # "6kW", "5pc" (percent in British financial copy)
    symbol = UNIT_SYMBOL_AFTER.match(text, end)
    if symbol and not symbol.group("space"):
        return False   # "32m2", "45g", "3min"
    if letters == "p" and PENCE_AFTER.match(text, end):
        return re.search(r"\d+$", text[max(0, end - 5):end]).group() in VIDEO_RESOLUTIONS   # "200p"; "720p" is video
    return True


def _refused_by_left_context(text: str, atom: _Atom, floor: int) -> bool:
    window = _before(text, atom.start, floor)
    if IDENTIFIER_BEFORE.search(window):
        return True
    if atom.is_words and not AGE_BEFORE.search(_before(text, atom.start, 0)):
        return _is_name_or_pronoun(text, atom, window)
    return False


def _is_age_by_left_context(text: str, atom: _Atom, floor: int) -> bool:
    """"aged 34", "the ages of 5 and 17", "John Smith, 34, was arrested": an age in years."""
    if AGE_BEFORE.search(_before(text, atom.start, 0)):
        return True  # the age window may reach over the first age: "the ages of 5 and 17"
    return bool(not atom.scaled and atom.bare_digits and NAME_COMMA_BEFORE.search(_before(text, atom.start, floor))
                and COMMA_AFTER.match(text, atom.end) and atom.value < 120)


def _is_name_or_pronoun(text: str, atom: _Atom, window: str) -> bool:
    word = text[atom.start:atom.end]
    if word[0].isupper() and not SENTENCE_START_BEFORE.search(window):
        return True   # "Formula One", "Air Force One", "the Big Ten"
    if word.lower() == "one":
        if ONE_OF_SUPERLATIVE_AFTER.match(text, atom.end) and not PRONOUN_ONE_BEFORE.search(window):
            return False
        return bool(PRONOUN_ONE_BEFORE.search(window) or PRONOUN_ONE_AFTER.match(text, atom.end))
    return False


def _date_end(text: str, atom: _Atom, floor: int) -> int | None:
    """End of the date expression the atom belongs to, or None when it is not a date."""
    if atom.is_words or atom.scaled or atom.currency:
        return None
    day_or_year = atom.value <= 31 or _is_year(atom)
    if day_or_year and MONTH_BEFORE.search(_before(text, atom.start, floor)):
        return DATE_TAIL.match(text, atom.end).end()
    if atom.bare_digits and len(atom.bare_digits) <= 2 and MONTH_AFTER.match(text, atom.end):
        return MONTH_AFTER.match(text, atom.end).end()
    return None


# --------------------------------------------------------------------------- units

@lru_cache(maxsize=4096)
def _unit_for(word: str, word2: str | None) -> tuple[str | None, int]:
    """Unit name for the word(s) after a number and how many words it uses (cached)."""
    if word2 and f"{word} {word2}" in UNIT_ABBREVIATIONS:
        return UNIT_ABBREVIATIONS[f"{word} {word2}"], 2
    if word in UNIT_ABBREVIATIONS:
        return UNIT_ABBREVIATIONS[word], 1
    if not word.islower() and not word.istitle():
        return None, 0   # "VA", "GB": acronyms are not units here
    surfaces = quantulum_surfaces()
    if word2 and f"{word} {word2}".lower() in surfaces:
        return surfaces[f"{word} {word2}".lower()], 2
    return surfaces.get(word.lower()), 1


# "60 miles per hour", "20 miles per gallon", "500,000 barrels per day", "30 kilometres an hour":
# a rate is its own unit, named as the symbols name it ("mph" is "mile per hour"). "a"/"an"
# make a rate only before a unit of time ("5 miles a day"), "per" before a volume too; an
# adverb of time does as "a" does ("5,000 barrels daily"); what the unit measures may come
# between ("62,000 barrels of oil a day").
# Written as one hyphenated word, the rate is part of it: "a 5,000 barrel-per-day estimate",
# "the 5,000-barrels-a-day figure".
# The rate may also follow a conversion in brackets ("210,000 gallons (5,000 barrels) a day"),
# close the bracket of one ("(5,000 barrels) a day"), or follow the verb of a flow ("40,000
# barrels of oil have been flowing daily"); the figure then keeps its own text, and the rate
# its unit.
RATE_AFTER = re.compile(
    r"(?P<bracket>\s*\([^()]{1,40}\)|\))?"  # "(5,000 barrels)" or the ")" closing the figure's own
    r"(?:\s+of\s+[a-z]+)?"  # "62,000 barrels of oil daily"
    r"(?P<verb>(?:\s+(?:have|has|had)\s+been|\s+(?:is|are|was|were))?\s+(?:flowing|leaking|gushing|spewing|pouring|"
    r"escaping|spilling|flowed|leaked|gushed|spewed|poured|escaped|spilled|spilt))?"
    r"(?:\s+|(?P<hyphen>-))(?:per(?(hyphen)-|\s+)(?P<volume>gallon|litre|liter)"
    r"|(?:per|an?|each|every)(?(hyphen)-|\s+)(?P<time>second|minute|hour|day|week|month|year)"
    r"|(?P<adverb>hourly|daily|weekly|monthly|yearly|annually))\b", re.I)
RATE_ADVERBS = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "yearly": "year", "annually": "year"}


def _rate_unit(text: str, unit: str, end: int) -> tuple[str, int]:
    m = RATE_AFTER.match(text, end)
    if m is None or " per " in unit:
        return unit, end
    if m.group("volume") and (m.group("bracket") or m.group("verb")):
        return unit, end  # "per gallon" after a bracket or a verb is a price or a yield, not this figure's
    within = not (m.group("bracket") or m.group("verb"))  # the rate is part of the figure's text
    if m.group("adverb"):
        return f"{unit} per {RATE_ADVERBS[m.group('adverb').lower()]}", m.end() if within else end
    denominator = (m.group("volume") or m.group("time")).lower().replace("liter", "litre")
    return f"{unit} per {denominator}", m.end() if within else end


def _unit_after(text: str, pos: int) -> tuple[str | None, int]:
    m = TEMPERATURE_SYMBOL_AFTER.match(text, pos)
    if m and _temperature_context(text, pos):
        return ("degree Celsius" if m.group("scale") == "C" else "degree Fahrenheit"), m.end()
    m = UNIT_SYMBOL_AFTER.match(text, pos)
    if m and not (m.group("space") and m.group("symbol") not in UNIT_ABBREVIATIONS and m.group("symbol") not in SPACED_GLUED_UNITS):
        symbol = re.sub(r"\s+", " ", m.group("symbol"))
        return UNIT_ABBREVIATIONS.get(symbol) or GLUED_UNITS[symbol], m.end()
    m = UNIT_AFTER.match(text, pos)
    if not m:
        return None, pos
    if m.group("word") is None:
        surface = re.sub(r"\s+", " ", m.group().strip())
        return UNIT_ABBREVIATIONS.get(surface), m.end()
    unit, words = _unit_for(m.group("word"), m.group("word2"))
    if unit is None:
        return None, pos
    return unit, (m.end("word2") if words == 2 else m.end("word"))


# --------------------------------------------------------------------------- expressions

@dataclass
class _Expression:
    start: int
    end: int
    low_atom: _Atom
    high_atom: _Atom | None = None
    currency: str | None = None
    percent_unit: str | None = None
    unit: str | None = None
    qualifiers: list[str] | None = None
    trailing: str | None = None
    trailing_text: str = ""
    age_unit: str | None = None   # "a 50 year-old man", "aged 34", "Smith, 52,": kind "age"


def _read_marks(text: str, atom: _Atom) -> tuple[str | None, str | None, int]:
    """Currency word / ISO code or percent sign right after a number: (currency, percent, end)."""
    m = PERCENT_AFTER.match(text, atom.end)
    if m:
        unit = "percentage point" if m.group("pp") else "basis point" if m.group("bp") else "percent"
        return None, unit, m.end()
    m = CURRENCY_WORD_AFTER.match(text, atom.end)
    if m and not (m.group("word") and m.group().lstrip().lower().startswith("of")):
        code = m.group("iso") or CURRENCY_WORDS[re.sub(r"\s+", " ", m.group("word").lower())]
        return code, None, m.end()
    m = PENCE_AFTER.match(text, atom.end)
    if m and not (atom.currency or atom.is_words or atom.is_fraction or atom.scaled or atom.unit) and (
            text[atom.start:atom.end].lstrip("-−") not in VIDEO_RESOLUTIONS):
        return "GBX", None, m.end()   # "118.5p", "200p": pence
    return None, None, atom.end


def _range_partner(text: str, low: _Atom, end: int, between: bool):
    """The atom after `low` and a range joiner, as (atom, joiner, joiner_match), or None."""
    joiner_match = RANGE_JOINER.match(text, end)
    if not joiner_match:
        return None
    joiner = joiner_match.group().strip().lower()
    if joiner == "and" and not between:
        return None
    m = ATOM.match(text, joiner_match.end())
    if not m or m.group("vague") is not None:
        return None
    atoms = _atoms_at(text, m)
    if not atoms or atoms[0].start != joiner_match.end():
        return None
    if joiner in ("-", "–", "—", "~") and (low.is_words or atoms[0].is_words):
        return None   # hyphens between words build numbers ("twenty-one"), not ranges
    return atoms[0], joiner, joiner_match


def _pair_context(window: str, between: bool) -> str | None:
    """What the words before a figure make of "X to Y" after it (docs/numbers.md, "Changes").

    "from": a change between two levels ("from 149 to 162"), unless a spread word comes first
    ("prices range from $5 to $9"); "change": a change and then the level ("rose 9% to $84",
    "increased by $4 billion to $9 billion"); None: a range ("3 to 5 per cent growth").
    """
    if between:
        return None
    if FROM_BEFORE.search(window):
        return None if SPREAD_FROM_BEFORE.search(window) else "from"
    return "change" if CHANGE_BEFORE.search(window) else None


def _is_change(text: str, context: str | None, low: _Atom, low_marked: bool, high: _Atom) -> bool:
    """Whether "X to Y" in `context` is two figures, a change and a level, rather than a range."""
    if context == "from":
        # "from 5 to 7 per cent to 3 to 5 per cent": the levels are ranges, the later "to" the change
        to = NEXT_TO.match(text, _read_marks(text, high)[2])
        follower = to and ATOM.match(text, to.end())
        return not (follower and follower.group("vague") is None and _atoms_at(text, follower))
    if context == "change":
        # "fell 3 to 5 percent": a bare first figure close to the second shares its marks, a range
        shared = _share_scale(low, high)
        return low_marked or low.scaled or not (0 < shared.value < high.value <= 5 * shared.value)
    return False


def _level_expression(text: str, atom: _Atom) -> _Expression | None:
    """The figure that starts at `atom`, grown as a whole ("14-15 billion dollars"), to read its marks."""
    expr = _Expression(atom.start, atom.end, atom)
    if _extend_right(text, expr, False, None) is not None:
        return None
    _attach_unit_and_trailing(text, expr)
    return expr


def _adopt_marks(text: str, expr: _Expression, high: _Atom) -> None:
    """"from 71 to 64 percent", "from 11.5 to 14 billion dollars": a bare first figure of a
    pair that stays two figures takes the currency, percent, unit and scale written on the
    second. The scale only when the two stay within a factor of 20 ("rose from 800 to 1.2
    million" keeps 800)."""
    level = _level_expression(text, high)
    if level is None:
        return
    low = expr.low_atom
    if level.low_atom.scaled and not low.scaled:
        scaled = low.value * level.low_atom.scale
        if level.low_atom.value and Decimal("0.05") <= scaled / level.low_atom.value <= 20:
            expr.low_atom = _Atom(low.start, low.end, scaled, True, level.low_atom.scale, low.currency,
                                  low.is_words, low.is_fraction, None)
    expr.currency, expr.percent_unit, expr.unit = level.currency, level.percent_unit, level.unit


def _share_scale(low: _Atom, high: _Atom) -> _Atom:
    """"10 to 12 thousand", "$1.5-2 billion": the scale written once applies to both ends."""
    if not low.scaled and high.scaled and low.value * high.scale <= high.value:
        return _Atom(low.start, low.end, low.value * high.scale, True, high.scale, low.currency,
                     low.is_words, low.is_fraction, None)
    return low


def _forms_range(low: _Atom, high: _Atom, joiner: str) -> bool:
    """Ranges rise; "or" joins close figures ("two or three"), not alternatives ("10 bn or 10 tn")."""
    if low.value >= high.value:
        return False
    return joiner != "or" or (low.value > 0 and high.value <= 10 * low.value)


def _extend_right(text: str, expr: _Expression, between: bool, context: str | None) -> int | None:
    """Grow the expression rightwards; returns the end of a refused span, or None when fine.

    `context` is what `_pair_context` read before the figure: "from", "change" or None.
    """
    low = expr.low_atom
    currency, percent, end = _read_marks(text, low)
    currency = currency or low.currency
    partner = None if low.is_fraction else _range_partner(text, low, end, between)
    adopt_from = None
    if partner:
        high, joiner, joiner_match = partner
        high_currency, high_percent, high_end = _read_marks(text, high)
        shared_low = _share_scale(low, high)
        if _is_year(low) and (_is_year(high) or _is_two_digit(high)):
            return high_end   # "2009-2010", "2014-15": years
        high_currency = high_currency or high.currency
        same_marks = (not (currency and high_currency) or currency == high_currency) and (
            not (percent and high_percent) or percent == high_percent) and not (
            (currency and high_percent) or (percent and high_currency))   # "6% to $40": two kinds
        low_marked = bool(currency or percent)
        if joiner == "to" and _is_change(text, context, low, low_marked, high):
            adopt_from = None if low_marked else high   # "from 149 to 162": two figures
        elif _forms_range(shared_low, high, joiner) and same_marks:
            expr.low_atom, expr.high_atom = shared_low, high
            currency = currency or high_currency
            percent = percent or high_percent
            end = high_end
        elif joiner in ("-", "–", "—"):
            return high_end   # "3-1", "52-48": scores and codes, not a range
        elif joiner == "to" and not low_marked:
            adopt_from = high   # "from 12 to 8 km" read falling: two figures sharing the unit
    expr.currency = currency or low.currency
    expr.percent_unit = percent
    expr.end = end
    if adopt_from is not None and not expr.currency:
        _adopt_marks(text, expr, adopt_from)
    return None


def _attach_unit_and_trailing(text: str, expr: _Expression) -> None:
    if expr.low_atom.unit and expr.currency is None and expr.percent_unit is None:
        expr.unit = expr.low_atom.unit   # "37m (121ft)": read with the digits
    elif expr.currency is None and expr.percent_unit is None and expr.age_unit is None:
        m = CURRENCY_WORD_AFTER.match(text, expr.end)
        if m and not (m.group("word") and m.group().lstrip().lower().startswith("of")):
            expr.currency = m.group("iso") or CURRENCY_WORDS[re.sub(r"\s+", " ", m.group("word").lower())]
            expr.end = m.end()
        else:
            unit, unit_end = _unit_after(text, expr.end)
            if unit:
                expr.unit, expr.end = _rate_unit(text, unit, unit_end)
    m = TRAILING.match(text, expr.end)
    if m and not (m.group("strong") and (expr.unit or expr.currency or expr.percent_unit)):
        expr.trailing, expr.trailing_text = m.lastgroup, m.group()
        expr.end = m.end()


def _attach_qualifiers(text: str, expr: _Expression, floor: int) -> None:
    window_start = max(floor, expr.start - _LOOKBACK)
    m = QUALIFIERS_BEFORE.search(text, window_start, expr.start)
    if m and m.end() == expr.start:
        expr.qualifiers = [re.sub(r"\s+", " ", q.group().lower()) for q in QUALIFIER_PHRASE.finditer(m.group())]
        expr.start = m.start()
    if expr.trailing == "strong":
        article = STRONG_ARTICLE_BEFORE.search(text, window_start, expr.start)
        if article and article.end() == expr.start:
            expr.start = article.start()


TRAILING_WORDS = {"ormore": "or more", "orless": "or less", "orso": "or so", "plus": "plus", "more": None}


def _bounds(expr: _Expression) -> tuple[float | None, float | None, float | None, bool, str | None]:
    """value, low, high, approximate, qualifier per the conventions in docs/numbers.md, "Value, low and high"."""
    low_value = float(expr.low_atom.value)
    high_value = float(expr.high_atom.value) if expr.high_atom else low_value
    value = None if expr.high_atom else low_value
    low, high = low_value, high_value
    qualifiers = expr.qualifiers or []
    approximate = any(q in APPROXIMATE for q in qualifiers) or expr.trailing == "orso"
    if any(q in LOW_BOUND for q in qualifiers) or expr.trailing in ("ormore", "plus"):
        high = None
    elif any(q in HIGH_BOUND for q in qualifiers) or expr.trailing == "orless":
        low = None
        if expr.high_atom:
            high = high_value
    words = list(qualifiers)
    if expr.trailing in TRAILING_WORDS:
        words.append(TRAILING_WORDS[expr.trailing] or expr.trailing_text.strip().lower())
    return value, low, high, approximate, " ".join(words) or None


def _to_quantity(text: str, expr: _Expression) -> Quantity:
    value, low, high, approximate, qualifier = _bounds(expr)
    if expr.age_unit:
        kind, unit = "age", expr.age_unit
    elif expr.currency:
        kind, unit = "money", expr.currency
    elif expr.percent_unit:
        kind, unit = "percent", expr.percent_unit
    elif expr.unit:
        kind, unit = "measure", expr.unit
    else:
        kind, unit = "count", ("fraction" if expr.low_atom.is_fraction else None)
    return Quantity(expr.start, expr.end, text[expr.start:expr.end], value, low, high,
                    approximate, qualifier, unit, kind)


def _vague_quantity(text: str, m: re.Match) -> Quantity | None:
    if DURATION_AFTER.match(text, m.end()):
        return None   # "hundreds of years", "a few days"
    if m.group("vmult"):
        factor = VAGUE_PLURALS[m.group("vmult").lower()] * VAGUE_PLURALS[m.group("vbase").lower()]
        low, high = factor, 10 * factor
    elif m.group("vquant"):
        quantifier = re.sub(r"\s+", " ", m.group("vquant").lower())
        base = VAGUE_BASES[m.group("vqbase").lower()] if m.group("vqbase") else 1
        low, high = (bound * base for bound in VAGUE_QUANTIFIERS[quantifier])
    else:
        unit_size = VAGUE_PLURALS[m.group("vplural").lower()]
        low, high = unit_size, 10 * unit_size
    end = m.end()
    currency = CURRENCY_WORD_AFTER.match(text, end)
    unit = None
    if currency and m.group("vof"):
        unit = currency.group("iso") or CURRENCY_WORDS[re.sub(r"\s+", " ", currency.group("word").lower())]
        end = currency.end()
    qualifier = re.sub(r"\s+", " ", m.group("vague").lower())
    return Quantity(m.start(), end, text[m.start():end], None, float(low), float(high), True,
                    qualifier, unit, "vague")


def _apply_sign_word(text: str, atom: _Atom, floor: int) -> _Atom:
    """"minus five percent", "negative one": the sign belongs to the figure."""
    m = SIGN_WORD_BEFORE.search(text, max(floor, atom.start - 12), atom.start)
    if not m or m.end() != atom.start:
        return atom
    return _Atom(m.start(), atom.end, -atom.value, atom.scaled, atom.scale, atom.currency,
                 atom.is_words, atom.is_fraction, None)


def _mixed_fraction(text: str, atom: _Atom) -> _Atom:
    """"one and a half", "2 and a half million"."""
    m = _MIXED_FRACTION.match(text, atom.end)
    if not m or atom.is_fraction or atom.scaled:
        return atom
    value = atom.value + Decimal(1) / DENOMINATORS[m.group("den").lower()]
    scale = Decimal(1)
    for word in (m.group("scales") or "").lower().split():
        scale *= SCALE_WORDS[word]
    return _Atom(atom.start, m.end(), value * scale, scale != 1, scale, atom.currency, atom.is_words)


def _expression(text: str, atom: _Atom, floor: int, blocked) -> tuple[Quantity | None, int]:
    """Grow one atom into a Quantity, or refuse it; returns (quantity, position to resume at)."""
    if _overlaps_blocked(blocked, atom.start, atom.end):
        return None, _blocked_end(blocked, atom.start, atom.end)
    if not atom.is_words and not atom.is_fraction and _glued_suffix_refuses(text, atom.end):
        return None, GLUED_LETTERS.match(text, atom.end).end()
    date_end = _date_end(text, atom, floor)
    if date_end is not None:
        return None, date_end
    if _refused_by_left_context(text, atom, floor):
        return None, atom.end
    age_before = _is_age_by_left_context(text, atom, floor)
    atom = _mixed_fraction(text, _apply_sign_word(text, atom, floor))
    window = _before(text, atom.start, floor)
    qualifiers_before = QUALIFIERS_BEFORE.search(window)
    between = bool(qualifiers_before and "between" in qualifiers_before.group().lower()) or bool(
        AGE_BETWEEN_BEFORE.search(window))
    expr = _Expression(atom.start, atom.end, atom)
    refused_end = _extend_right(text, expr, between, _pair_context(window, between))
    if refused_end is not None:
        return None, refused_end
    age_after = AGE_AFTER.match(text, expr.end) if expr.currency is None and expr.percent_unit is None else None
    if age_after:   # "a 50 year-old man", "a 200,000 to 260,000 year-old skull", "a six-week-old baby"
        expr.age_unit, expr.end = AGE_UNITS[age_after.group("unit").lower()], age_after.end()
    elif _is_not_a_quantity(text, expr):
        return None, expr.end
    elif age_before:
        expr.age_unit = "year"
    _attach_unit_and_trailing(text, expr)
    if _is_bare_year(expr) or _is_far_year(text, expr, floor):
        return None, expr.end
    _attach_qualifiers(text, expr, floor)
    return _to_quantity(text, expr), expr.end


def _is_not_a_quantity(text: str, expr: _Expression) -> bool:
    """Durations, clock times, addresses and codes, judged on the numeric core."""
    plain = expr.currency is None and expr.percent_unit is None
    glued_unit = UNIT_SYMBOL_AFTER.match(text, expr.end)
    if glued_unit and not glued_unit.group("space"):
        return False   # "3min", "2hrs": a measure written as a symbol
    if plain and (DURATION_AFTER.match(text, expr.end) or TIME_AFTER.match(text, expr.end)):
        return True
    return plain and not expr.low_atom.is_words and bool(
        ADDRESS_AFTER.match(text, expr.end) or CODE_AFTER.match(text, expr.end))


def _is_bare_year(expr: _Expression) -> bool:
    """"in 2024", "since 1991": a lone 4-digit number in 1800-2100 with no money, percent or unit."""
    plain = expr.currency is None and expr.percent_unit is None and expr.unit is None and expr.age_unit is None
    return plain and expr.high_atom is None and _is_year(expr.low_atom)


# "by 2150", "until 2300": a year past 2100, read as one only after a preposition of time (a
# change word or "by" right after one keeps it a figure: "rose by 2150").
FAR_YEAR_BEFORE = re.compile(r"\b(?:by|in|until|till|before|after|through|beyond)\s+$", re.I)


def _is_far_year(text: str, expr: _Expression, floor: int) -> bool:
    digits = expr.low_atom.bare_digits
    plain = expr.currency is None and expr.percent_unit is None and expr.unit is None and expr.age_unit is None
    if not (plain and expr.high_atom is None and digits and len(digits) == 4 and digits.isdigit()
            and 2100 < int(digits) <= 2500):
        return False
    window = _before(text, expr.start, floor)
    m = FAR_YEAR_BEFORE.search(window)
    return bool(m) and not CHANGE_WORD_BEFORE.search(window, 0, m.start())


def _blocked_spans(text: str) -> list[tuple[int, int]]:
    if not any(ch in text for ch in "/:+-.()"):
        return []
    return [m.span() for m in BLOCKED.finditer(text)]


def _overlaps_blocked(blocked, start: int, end: int) -> bool:
    index = bisect.bisect_left(blocked, (end,))
    return any(s < end and start < e for s, e in blocked[max(0, index - 3):index])


def _blocked_end(blocked, start: int, end: int) -> int:
    return max(e for s, e in blocked if s < end and start < e)


# --------------------------------------------------------------------------- API

def find_quantities(text: str) -> list[Quantity]:
    """All number expressions in `text` (a sentence or a whole document), left to right, non-overlapping."""
    return _range_ends(text, _conversions(text, _daily_amounts(text, _ratios(text, _find_quantities(text)))))


# "5,000 barrels a day, or 210,000 gallons", "20 tonnes an hour (about 44,000 pounds)": a
# measure restated in another unit right after a rate is the same rate.
_RESTATED = re.compile(r",?\s*(?:or\s+|i\.e\.\s*|that\s+is\s+|\(\s*)(?:about|some|roughly|around|nearly|almost)?\s*", re.I)


def _conversions(text: str, found: list[Quantity]) -> list[Quantity]:
    """A measure that restates the rate before it in another unit takes its time unit."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        between = text[prev.end:q.start] if prev is not None else ""
        if (prev is not None and prev.kind == q.kind == "measure" and " per " in (prev.unit or "")
                and q.unit and " per " not in q.unit and between.strip() and _RESTATED.fullmatch(between)):
            q = replace(q, unit=f"{q.unit} per {prev.unit.partition(' per ')[2]}")
        out.append(q)
    return out


# "captured 2,200 barrels of oil in a 24-hour period", "200 mm of rain in 24 hours": an amount
# over one day is a rate per day (the clause may name what was measured and where first).
_IN_24_HOURS = re.compile(r"[^.;:!?\d]{0,50}?\b(?:in|over|within|during)\s+(?:a\s+|one\s+|the\s+(?:past|last)\s+)?"
                          r"(?:24|twenty-four)(?:-|\s+)hours?(?:\s+period)?\b", re.I)
_BRACKET = re.compile(r"\s*\([^()]*\)")


def _daily_amounts(text: str, found: list[Quantity]) -> list[Quantity]:
    """A measure written with "in a 24-hour period" after it, in its clause, is a rate per day."""
    out = []
    for i, q in enumerate(found):
        if q.kind == "measure" and q.unit and " per " not in q.unit:
            after = _BRACKET.match(text, q.end)  # "2,200 barrels (350,000 litres) of oil"
            stop = found[i + 1].start if i + 1 < len(found) and not (after and found[i + 1].start < after.end()) else len(text)
            m = _IN_24_HOURS.match(text[:stop], after.end() if after else q.end)
            if m is not None:
                q = replace(q, unit=f"{q.unit} per day")
        out.append(q)
    return out


# "from 2,000 barrels a day to a high of 5,000 barrels", "as low as 20,000 barrels per day or
# as high as 40,000 barrels": the second end of a range of rates leaves the time unit out.
_RANGE_END = re.compile(r"\s*,?\s*(?:to|or)\b[^.;:!?\d()]{0,30}", re.I)


def _range_ends(text: str, found: list[Quantity]) -> list[Quantity]:
    """A measure right after a rate of the same unit, joined to it as the other end of a
    range, takes the rate's time unit."""
    out: list[Quantity] = []
    for q in found:
        prev = out[-1] if out else None
        if (prev is not None and prev.kind == q.kind == "measure" and q.unit and " per " not in q.unit
                and prev.unit and prev.unit.partition(" per ")[0] == q.unit and " per " in prev.unit
                and _RANGE_END.fullmatch(text[prev.end:q.start])):
            q = replace(q, unit=prev.unit)
        out.append(q)
    return out


# "put the flow at 12,000 barrels", "a flow rate of 5,000 barrels", "estimating the flow is hard;
# one team puts its upper end at 50,000 barrels": a measure given as a flow or a rate (the noun,
# earlier in its sentence, with no other measure between), in a document that states that
# rate's time unit elsewhere.
_RATE_NOUN = re.compile(r"\b(?:the|a|an|its|this|that|their)\s+(?:[a-z-]+\s+)?(?:flow|outflow|flow\s+rate|rate)\b", re.I)
_SENTENCE_END = re.compile(r"[.!?][\"”’)]*\s|\n")


def elided_rates(text: str, quantities: list[Quantity]) -> list[Quantity]:
    """A document's measures that are rates written without their time unit. Articles about a
    flow write "5,000 barrels a day" once and "the 5,000 barrels" after; a bare volume of a unit
    that the document states as a rate is that rate when it restates one of the document's rate
    values, or when it is given as a flow or rate ("estimated the flow at 12,000 barrels").
    Returns the quantities, changed where they are such rates (offsets are into `text`)."""
    rates: dict[str, Counter] = {}  # volume unit -> its rate units, by use
    values: dict[tuple, str] = {}  # (value, volume unit) stated as a rate -> that rate's unit
    for q in quantities:
        if q.kind == "measure" and " per " in (q.unit or ""):
            head = q.unit.partition(" per ")[0]
            rates.setdefault(head, Counter())[q.unit] += 1
            for v in {q.value, q.low, q.high} - {None}:
                values[(v, head)] = q.unit
    if not rates:
        return quantities
    out = []
    for i, q in enumerate(quantities):
        if q.kind == "measure" and q.unit in rates:
            restated = [values.get((v, q.unit)) for v in (q.value, q.low, q.high) if v is not None]
            if restated and all(restated):
                q = replace(q, unit=restated[0])
            elif _names_the_rate(text, q, quantities[i - 1] if i else None):
                q = replace(q, unit=rates[q.unit].most_common(1)[0][0])
        out.append(q)
    return out


def _names_the_rate(text: str, q: Quantity, previous: Quantity | None) -> bool:
    """A flow or rate named earlier in the measure's sentence, no other measure between."""
    start = max((m.end() for m in _SENTENCE_END.finditer(text, max(0, q.start - 300), q.start)), default=max(0, q.start - 300))
    if previous is not None and previous.kind == "measure" and previous.end > start:
        start = previous.end
    return bool(_RATE_NOUN.search(text, start, q.start))


_OUT_OF = re.compile(r"\s+out\s+of\s+|\s+in\s+(?:every\s+)?", re.I)


def _is_ratio(part: float, whole: float) -> bool:
    """Small parts of small or round wholes: "one in five", "two out of three", "three in 10",
    "one in every 100"; "45 out of 50 passengers" stays two counts. ("3 in 5 attacks" reads as
    a ratio too: the string alone cannot tell it from "3 in 5 voters".)"""
    return 0 < part < whole and part <= 10 and (whole <= 10 or math.log10(whole).is_integer())


def _ratios(text: str, found: list[Quantity]) -> list[Quantity]:
    """"one out of three Germans", "one in five adults": one figure, the ratio (unit fraction)."""
    merged: list[Quantity] = []
    for q in found:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.kind == q.kind == "count" and prev.value and q.value and prev.unit is None
                and q.unit is None and _OUT_OF.fullmatch(text[prev.end:q.start]) and _is_ratio(prev.value, q.value)):
            value = prev.value / q.value
            merged[-1] = Quantity(prev.start, q.end, text[prev.start:q.end], value, value, value,
                                  prev.approximate, prev.qualifier, "fraction", "count")
        else:
            merged.append(q)
    return merged


def _find_quantities(text: str) -> list[Quantity]:
    blocked = _blocked_spans(text)
    found: list[Quantity] = []
    pos = floor = 0
    while True:
        m = ATOM.search(text, pos)
        if m is None:
            return found
        if m.group("vague") is not None:
            quantity = _vague_quantity(text, m)
            pos = m.end()
            if quantity:
                found.append(quantity)
                pos = floor = quantity.end
            continue
        atoms = _atoms_at(text, m)
        pos = m.end()
        for atom in atoms:
            if atom.start < floor:
                continue
            quantity, resume = _expression(text, atom, floor, blocked)
            if quantity:
                found.append(quantity)
                floor = quantity.end
            pos = max(pos, resume, floor)
            floor = max(floor, resume)


# "seven to 10 years", "three or four years", "a 10- to 15-year term", "between two and five years":
# the number and joiner that open a duration range, right before the duration's own number.
_DURATION_RANGE_BEFORE = re.compile(
    r"(?P<between>\bbetween\s+)?(?<![\w.,-])(?P<low>[a-z]+|\d+(?:\.\d+)?)-?\s*(?P<joiner>-|–|—|\bto\b|\bor\b|\band\b)\s*$", re.I)


def duration_numbers(text: str, start: int, amount: float, unit: str) -> dict:
    """The numbers of a duration's `mentions` row: value, low, high and unit, with `start` moved
    left when a range opens before the duration the dates stage found ("seven to 10 years" is
    low 7, high 10; the dates stage reads "10 years"). The range follows the figures' rules: it
    rises, "or" joins close figures, "and" needs "between", and "from X to Y" stays a change
    ("cut from five to three years")."""
    numbers = dict(value=amount, low=amount, high=amount, unit=unit)
    window = text[max(0, start - _LOOKBACK):start]
    m = _DURATION_RANGE_BEFORE.search(window)
    if m is None:
        return numbers
    joiner = m.group("joiner").lower()
    if joiner == "and" and not m.group("between"):
        return numbers
    low_text = m.group("low")
    low = float(low_text) if low_text[0].isdigit() else SMALL_NUMBERS.get(low_text.lower(), TENS.get(low_text.lower()))
    if low is None or not 0 < low < amount or (joiner == "or" and amount > 10 * low):
        return numbers
    if not m.group("between") and _pair_context(window[:m.start("low")], False) == "from":
        return numbers
    low_start = start - len(window) + (m.start("between") if m.group("between") else m.start("low"))
    return dict(start=low_start, value=None, low=low, high=amount, unit=unit)


def parse_quantity(text: str) -> Quantity | None:
    """Normalize one expression (e.g. the text of a spaCy CARDINAL/MONEY/QUANTITY/PERCENT entity).

    Offsets are relative to `text`; when the text holds several figures, the longest wins.
    """
    quantities = find_quantities(text)
    if not quantities:
        return None
    return max(quantities, key=lambda q: (q.end - q.start, -q.start))


def warm_up() -> None:
    """Load quantulum3's unit table now (about 1.5 s), e.g. when a worker starts."""
    quantulum_surfaces()
