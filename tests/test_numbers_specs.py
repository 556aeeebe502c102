"""Regression floor over Microsoft Recognizers-Text English number specs (MIT, shared JSONL).

Specs live in ../shared/specs/recognizers-number/ (read in place, never copied). They were
written for chat bots, so some families are read differently in news; those are skipped with
the reason below, and the rest must keep a measured pass rate. Cases marked `not_supported`
are skipped, as the brief says; every NumberRange case carries that mark, so the range
conventions that do matter for news get their own floor over the experimental (closed-range)
file, restricted to the families newsie supports.
"""
from __future__ import annotations

import json
import re

from newsie.normalize.numbers import find_quantities

SPECS = ("specs", "recognizers-number")  # under ../shared, through the `shared` fixture

# family -> (why newsie reads it differently, which inputs belong to it)
READ_DIFFERENTLY = {
    "slash forms": ("'9/11', '24/7', '5/17/2018': slashes are dates and codes in news", r"/"),
    "scientific notation": ("'1e10', '1.1^23' never appear in news prose", r"\d[eE][-+]?\d|\^"),
    "dotted codes": ("'192.168.1.2' is an address or version, not four counts", r"\d\.\d+\.\d"),
    "spoken decimals": ("'two hundred point zero three' is speech; news writes 200.03", r"\bpoint\b"),
    "ratios with over/out of": ("'one over three' is 'over' a bound in news ('over 3')", r"\b(?:over|out of)\b"),
    "compound word fractions": (
        "'twenty-three fifths', 'three and a fifth', 'one hundred and three and two thirds' are puzzles, not news",
        r"\b(?:hundred|thousand|million|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|and)[\s-]+"
        r"(?:(?:a|one|two|three|four|five|six|seven|eight|nine)[\s-]+)?(?:\w+ths?|thirds?|firsts?)\b"),
    "unit attached": ("'180ml', '29km': a number with its unit is a measure, which newsie reports", r"\d(?:ml|km)\b"),
    "currency in span": ("'$20', 'US$ 1MM', '2mil SEK': the currency belongs to a money figure's text",
                         r"[$€£]|\bSEK\b"),
    "durations": ("'3 years' is a duration, never a quantity", r"\d\s+years\b"),
    "bound in span": ("'more than half': the qualifier is part of the figure's text", r"\bmore than\b"),
    "m as million": ("'1m' is one million in news ('£1m'), not a metre", r"\b1m\b"),
    "giga and spaced M": ("'10G' is a network generation, '5 M' too ambiguous", r"\d\s*G\b|\d\s+M\b"),
    "identifiers": ("'SCP-173', 'nrs. 22': numbers inside names and numbering are not quantities",
                    r"[A-Z]-\d|\bnrs?\."),
    "decimal comma": ("'1,3' is not how English-language news writes 1.3", r"\b\d,\d{1,2}\b(?!\d)"),
    "percent before number": ("'percent of 10' is not news word order", r"\bper\s*cents?\s+of\b"),
}
_FAMILY_PATTERNS = {name: re.compile(pattern) for name, (_, pattern) in READ_DIFFERENTLY.items()}


def _cases(shared, *names: str) -> list[dict]:
    seen, cases = set(), []
    for name in names:
        for line in shared(*SPECS, name).read_text(encoding="utf-8").splitlines():
            case = json.loads(line)
            if case["input"] not in seen:
                seen.add(case["input"])
                cases.append(case)
    return cases


def _read_differently(text: str) -> bool:
    return any(pattern.search(text) for pattern in _FAMILY_PATTERNS.values())


def _expected_value(raw: str) -> float:
    return float(raw.rstrip("%"))


def _close(got: float | None, want: float) -> bool:
    return got is not None and abs(got - want) <= 1e-6 * max(1.0, abs(want))


def _number_case_passes(case: dict) -> bool:
    got = find_quantities(case["input"])
    want = case["expected"]
    return len(got) == len(want) and all(
        q.start == w["start"] and q.end == w["end"] and _close(q.value, _expected_value(w["value"]))
        for q, w in zip(got, want))


def test_number_and_percent_specs_keep_their_floor(shared):
    cases = [c for c in _cases(shared, "specs_number_all.jsonl", "specs_percent.jsonl")
             if not c["not_supported"] and not _read_differently(c["input"])]
    passed = sum(_number_case_passes(c) for c in cases)
    # Measured: 100 of 106 (0.94) after skipping not_supported and the families above.
    assert len(cases) >= 100
    assert passed / len(cases) >= 0.9


# --- ranges and bounds (experimental file: closed ranges, as in news) -----------------------

_RANGE_VALUE = re.compile(r"^[\[(](?P<low>-?[\d.]*),(?P<high>-?[\d.]*)[\])]$")
# Families of the range specs newsie reads differently (beyond not_supported):
RANGE_SKIPPED = re.compile(
    r"[<>=~]"                          # operators and '20~100' (news writes words or hyphens)
    r"|equal"                          # 'equal to 20' is not a bound in news prose
    r"|\b(?:than|above|below)\b.*\b(?:and|but|,)\b.*\b(?:than|above|below)\b"  # two-sided comparisons
    r"|\b(?:larger|bigger|higher|lower|smaller)\b"  # comparative adjectives of scores, not counts
    r"|\btenth|fifteenth\b|/|\bin\s+5\b"  # ordinals, slash fractions, '2 in 5'
    r"|\bfrom\b"                       # 'from 200 to 300' is a change: two figures
    r"|\bnegative\b|\bquarter\b|\bhalf\b"  # signed words and fractions as range ends
    r"|\bat most\b.*\bat least\b|\bmore than\b.*\bor equal"  # compound bounds
    r"|\bor greater\b|\bgreater than\b\s*$"
    r"|\byears old\b",                 # ages are refused on purpose
    re.IGNORECASE,
)


def _range_case_passes(case: dict) -> bool:
    got = find_quantities(case["input"])
    for want in case["expected"]:
        bounds = _RANGE_VALUE.match(want["value"])
        low = float(bounds["low"]) if bounds["low"] else None
        high = float(bounds["high"]) if bounds["high"] else None
        if not any(q.start <= want["start"] and want["end"] <= q.end and q.low == low and q.high == high
                   for q in got):
            return False
    return len(got) >= len(case["expected"])


def test_news_range_and_bound_specs_keep_their_floor(shared):
    cases = [c for c in _cases(shared, "specs_numberrange_experimental.jsonl")
             if c["expected"] and not RANGE_SKIPPED.search(c["input"])]
    passed = sum(_range_case_passes(c) for c in cases)
    # Measured: 20 of 20 in-scope range and bound cases.
    assert len(cases) >= 18
    assert passed / len(cases) >= 0.95
