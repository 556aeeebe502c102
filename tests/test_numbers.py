"""Number normalizer: one test family per shape of figure in news, plus properties."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.normalize.numbers import Quantity, find_quantities, parse_quantity


def only(text: str) -> Quantity:
    found = find_quantities(text)
    assert len(found) == 1, found
    return found[0]


def figures(text: str) -> list[tuple[str, float | None, float | None, float | None]]:
    return [(q.text, q.value, q.low, q.high) for q in find_quantities(text)]


# --- plain figures ----------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("300", 300), ("2,700", 2700), ("1.2 million", 1_200_000), ("12k", 12_000),
    ("1.5 bn", 1_500_000_000), ("three", 3), ("Seventy-seven", 77), ("a dozen", 12),
    ("half a dozen", 6), ("a hundred", 100), ("one million", 1_000_000),
    ("two hundred and two thousand", 202_000), ("twenty-one trillion three hundred", 21_000_000_000_300),
    ("one and a half million", 1_500_000), ("13 lakh", 1_300_000), ("three dozen", 36),
    ("40\u202f000", 40_000), ("0.5", 0.5),
])
def test_plain_figures(text, value):
    q = only(text)
    assert (q.value, q.low, q.high, q.kind, q.text) == (value, value, value, "count", text)


@pytest.mark.parametrize("text, value, unit", [
    ("$1.5B", 1.5e9, "USD"), ("€200 million", 2e8, "EUR"), ("£1m", 1e6, "GBP"),
    ("US$ 1MM", 1e6, "USD"), ("300 dollars", 300, "USD"), ("5 billion yuan", 5e9, "CNY"),
])
def test_money(text, value, unit):
    q = only(text)
    assert (q.value, q.unit, q.kind, q.text) == (value, unit, "money", text)


@pytest.mark.parametrize("text, unit", [("50%", "percent"), ("50 percent", "percent"),
                                        ("50 per cent", "percent"), ("3 percentage points", "percentage point")])
def test_percent(text, unit):
    q = only(text)
    assert (q.value, q.unit, q.kind) == (50 if "50" in text else 3, unit, "percent")


# --- ranges -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, low, high", [
    ("10,000-12,000", 10_000, 12_000), ("10,000 to 12,000", 10_000, 12_000),
    ("between 1,000 and 3,000", 1_000, 3_000), ("between 800 to 900", 800, 900),
    ("1,000–3,000", 1_000, 3_000), ("10 to 12 thousand", 10_000, 12_000),
    ("$1.5-2 billion", 1.5e9, 2e9), ("10-15%", 10, 15), ("two or three", 2, 3),
    ("5k-20k", 5_000, 20_000),
])
def test_closed_ranges(text, low, high):
    q = only(text)
    assert (q.value, q.low, q.high, q.text) == (None, low, high, text)


def test_range_keeps_the_shared_currency():
    q = only("$10-12 million")
    assert (q.low, q.high, q.unit, q.kind) == (1e7, 1.2e7, "USD", "money")


@pytest.mark.parametrize("text", ["from 149 to 162", "rose from 149 to 162"])
def test_from_to_is_a_change_not_a_range(text):
    assert [(q.text, q.value) for q in find_quantities(text)] == [("149", 149), ("162", 162)]


def test_scores_are_not_ranges():
    assert find_quantities("the hosts won 3-1 on Sunday") == []


# --- bounds and approximations ---------------------------------------------------------

@pytest.mark.parametrize("phrase", ["at least", "more than", "over", "in excess of", "upwards of", "above"])
def test_lower_bounds(phrase):
    q = only(f"{phrase} 3,000 people")
    assert (q.value, q.low, q.high, q.qualifier, q.text) == (3000, 3000, None, phrase, f"{phrase} 3,000")


@pytest.mark.parametrize("phrase", ["up to", "nearly", "almost", "fewer than", "less than", "under",
                                    "approaching", "as many as"])
def test_upper_bounds(phrase):
    q = only(f"{phrase} 500 people")
    assert (q.value, q.low, q.high, q.qualifier) == (500, None, 500, phrase)


@pytest.mark.parametrize("phrase", ["about", "around", "approximately", "roughly", "some",
                                    "an estimated", "closer to", "close to"])
def test_approximate_values_keep_the_point(phrase):
    q = only(f"{phrase} 300 soldiers")
    assert (q.value, q.low, q.high, q.approximate, q.qualifier) == (300, 300, 300, True, phrase)


@pytest.mark.parametrize("phrase", ["nearly", "almost", "approaching"])
def test_nearly_is_both_a_bound_and_approximate(phrase):
    assert only(f"{phrase} 1,000").approximate


def test_approximate_range():
    q = only("about 10,000-12,000 troops")
    assert (q.text, q.value, q.low, q.high, q.approximate) == ("about 10,000-12,000", None, 10_000, 12_000, True)


@pytest.mark.parametrize("text, low, high, qualifier", [
    ("500 or more", 500, None, "or more"), ("500+", 500, None, "plus"), ("500-plus", 500, None, "plus"),
    ("500 or fewer", None, 500, "or less"),
])
def test_trailing_bounds(text, low, high, qualifier):
    q = only(text)
    assert (q.value, q.low, q.high, q.qualifier) == (500, low, high, qualifier)


def test_exact_figure_is_not_approximate():
    q = only("300 soldiers")
    assert (q.approximate, q.qualifier) == (False, None)


# --- increments and "N-strong" -------------------------------------------------------------

@pytest.mark.parametrize("text, expected_text, qualifier", [
    ("another 2,700 troops", "another 2,700", "another"),
    ("an additional 1,000-3,000 soldiers", "an additional 1,000-3,000", "an additional"),
    ("3,000 more troops", "3,000 more", "more"),
])
def test_increments_are_kept_in_the_text(text, expected_text, qualifier):
    q = only(text)
    assert (q.text, q.qualifier) == (expected_text, qualifier)


def test_more_than_is_not_an_increment():
    assert only("300 more than last year").text == "300"


def test_n_strong():
    q = only("a 50,000-strong group")
    assert (q.text, q.value, q.kind) == ("a 50,000-strong", 50_000, "count")


# --- vague amounts ---------------------------------------------------------------------

@pytest.mark.parametrize("text, low, high", [
    ("dozens of", 24, 119), ("hundreds of", 200, 999), ("thousands of", 2_000, 9_999),
    ("tens of thousands of", 20_000, 99_999), ("hundreds of thousands of", 200_000, 999_999),
    ("millions of", 2_000_000, 9_999_999), ("several hundred", 300, 900), ("a few", 2, 5),
    ("scores of", 40, 199), ("a few thousand", 2_000, 5_000),
])
def test_vague_amounts_are_documented_ranges(text, low, high):
    q = only(f"{text} people")
    assert (q.text, q.value, q.low, q.high, q.kind, q.approximate, q.qualifier) == (
        text, None, low, high, "vague", True, text)


def test_vague_money_takes_the_currency():
    q = only("hundreds of millions of dollars")
    assert (q.kind, q.unit, q.low) == ("vague", "USD", 200_000_000)


def test_vague_durations_are_refused():
    assert find_quantities("it took hundreds of years and a few days") == []


# --- fractions -------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected_text, value", [
    ("a third of the population", "a third", 1 / 3), ("half of them", "half", 0.5),
    ("two-thirds majority", "two-thirds", 2 / 3), ("three quarters of voters", "three quarters", 0.75),
    ("more than half of", "more than half", 0.5),
])
def test_fractions_are_ratios(text, expected_text, value):
    q = only(text)
    assert (q.text, q.unit, q.kind) == (expected_text, "fraction", "count")
    assert q.value == pytest.approx(value)


def test_ordinal_after_a_is_not_a_fraction():
    assert find_quantities("a third attack and a quarter century") == []


def test_doubling_is_not_extracted():
    assert find_quantities("double the figure") == []


# --- units -----------------------------------------------------------------------------

@pytest.mark.parametrize("text, unit", [("30 km", "kilometre"), ("155mm", "millimetre"),
                                        ("40 square kilometres", "square kilometre"),
                                        ("2 million barrels", "barrel"), ("500 MW", "megawatt")])
def test_physical_units(text, unit):
    q = only(text)
    assert (q.unit, q.kind, q.text) == (unit, "measure", text)


# --- what quantulum3 gets wrong ------------------------------------------------------------

def test_quantulum_range_is_not_a_midpoint():
    q = only("10,000-12,000 troops")
    assert (q.value, q.low, q.high) == (None, 10_000, 12_000)


def test_quantulum_keeps_at_least_and_more_than():
    assert only("at least 3,000").low == 3000 and only("at least 3,000").high is None
    assert only("more than 10,000 containers").qualifier == "more than"


def test_quantulum_12k_troops_are_not_kibibytes():
    q = only("12k troops")
    assert (q.value, q.unit, q.kind) == (12_000, None, "count")


def test_quantulum_va_workers_are_not_volt_amperes():
    q = only("2,500 VA workers")
    assert (q.value, q.unit, q.kind) == (2_500, None, "count")


def test_quantulum_minutes_ago_are_not_arc_minutes():
    assert find_quantities("posted 6 minutes ago") == []


def test_quantulum_ten_to_twelve_thousand():
    q = only("10 to 12 thousand")
    assert (q.low, q.high) == (10_000, 12_000)


def test_quantulum_finds_hundreds_of_and_dozens_of():
    assert [q.kind for q in find_quantities("hundreds of tanks and dozens of jets")] == ["vague", "vague"]


# --- refusals ----------------------------------------------------------------------------

@pytest.mark.parametrize("text", [
    "in 2024", "2009-2010", "the 1990s", "in the 2014-15 season", "since 1991",
    "Feb. 7", "October 8 and 13", "Feb. 24, 2025", "on 24 February", "on 5/17/2018", "2024-02-24",
    "6 minutes ago", "at 10:30", "3 p.m.", "at 3pm", "for three years", "a 10-day truce",
    "first", "the 21st", "No. 2", "#3", "Article 5", "Category 4 hurricane", "route 66",
    "aged 34", "a 34-year-old man", "John Smith, 34, was", "10 Downing Street",
    "call 555-123-4567", "+1-222-2222-2222", "192.168.1.2", "F-16 jets", "COVID-19", "5G",
    "Air Force One", "one of the victims", "the one that", "no one",
])
def test_not_quantities(text):
    assert find_quantities(text) == [], text


def test_a_date_list_does_not_leak_its_days():
    assert figures("On October 8 and 13, 300 people fled") == [("300", 300, 300, 300)]


def test_one_is_a_count_when_it_counts():
    assert figures("one soldier died") == [("one", 1, 1, 1)]


def test_large_four_digit_figures_with_units_are_kept():
    assert only("2000 km").unit == "kilometre"


# --- documents, offsets, parse_quantity ----------------------------------------------------

def test_sentence_with_several_figures():
    text = ("About 300 North Korean soldiers had died and 2,700 were wounded, while "
            "an additional 1,000-3,000 North Korean soldiers arrived, up from 149 to 162 units.")
    got = [q.text for q in find_quantities(text)]
    assert got == ["About 300", "2,700", "an additional 1,000-3,000", "149", "162"]
    for q in find_quantities(text):
        assert text[q.start:q.end] == q.text


def test_parse_quantity_normalizes_one_entity():
    q = parse_quantity("about $1.5 billion")
    assert (q.start, q.end, q.value, q.unit, q.approximate) == (0, 18, 1.5e9, "USD", True)
    assert parse_quantity("2024") is None
    assert parse_quantity("three years") is None
    assert parse_quantity("") is None


def test_negative_figures():
    assert only("minus five percent").value == -5
    assert only("-12.5").value == -12.5


# --- properties ----------------------------------------------------------------------------

NEWSY_PIECES = list("0123456789 ,.-–$€%/:+abcdehilmnorstuvwxyABCFMNO'\n") + [
    " about ", " at least ", " between ", " and ", " to ", " hundreds of ", " million ", " thousand ",
    " a dozen ", " half ", " more ", "-strong", " years", " Feb. ", " percent", " one ", " twenty-"]
NEWSY = st.lists(st.sampled_from(NEWSY_PIECES), max_size=40).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=60), NEWSY))
def test_never_crashes_and_offsets_hold(text):
    found = find_quantities(text)
    previous_end = 0
    for q in found:
        assert text[q.start:q.end] == q.text
        assert q.start >= previous_end
        previous_end = q.end
        if q.low is not None and q.high is not None:
            assert q.low <= q.high
        assert q.kind in {"count", "money", "percent", "vague", "measure"}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_parse_quantity_never_crashes(text):
    q = parse_quantity(text)
    assert q is None or text[q.start:q.end] == q.text


def test_age_ranges_are_not_quantities():
    assert find_quantities("most are children between the ages of 5 and 17") == []
    assert find_quantities("volunteers aged between 18 and 25") == []
