"""Number normalizer: one test family per shape of figure in news, plus properties."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsie.normalize.numbers import Quantity, find_quantities, parse_quantity


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


def kinds(text: str) -> list[tuple[str, float | None, float | None, float | None, str | None]]:
    return [(q.text, q.value, q.low, q.high, q.unit) for q in find_quantities(text)]


# A change and then a level: "X to Y" after a change word or "by" is two figures.
@pytest.mark.parametrize("text, expected", [
    ("The pound climbed 2.1 per cent to $1.31 on Tuesday.",
     [("2.1 per cent", 2.1, 2.1, 2.1, "percent"), ("$1.31", 1.31, 1.31, 1.31, "USD")]),
    ("Farm imports fell 12% to €4.5 billion last quarter.",
     [("12%", 12, 12, 12, "percent"), ("€4.5 billion", 4.5e9, 4.5e9, 4.5e9, "EUR")]),
    ("The budget was increased by $2.5 billion to $61.8 billion.",
     [("$2.5 billion", 2.5e9, 2.5e9, 2.5e9, "USD"), ("$61.8 billion", 61.8e9, 61.8e9, 61.8e9, "USD")]),
    ("Its shares added 45 cents to $12.80.", [("45", 45, 45, 45, None), ("$12.80", 12.8, 12.8, 12.8, "USD")]),
    ("The index was down about 38 to 7,412 at noon.",
     [("about 38", 38, 38, 38, None), ("7,412", 7412, 7412, 7412, None)]),
    ("Joblessness eased 0.3 to 5.6% in May.",
     [("0.3", 0.3, 0.3, 0.3, "percent"), ("5.6%", 5.6, 5.6, 5.6, "percent")]),
])
def test_change_then_level_is_two_figures(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    # two kinds never make one range, with or without a change word
    ("a 6% to $40 swing", [("6%", 6, 6, 6, "percent"), ("$40", 40, 40, 40, "USD")]),
    # a bare first figure close to the second is a range even after a change word
    ("Rents rose 4 to 6 percent.", [("4 to 6 percent", None, 4, 6, "percent")]),
    ("Output could be cut by 10 to 15 per cent.", [("10 to 15 per cent", None, 10, 15, "percent")]),
])
def test_change_word_edge_cases(text, expected):
    assert kinds(text) == expected


# A change between two levels ("from X to Y") stays two figures; a spread is a range.
@pytest.mark.parametrize("text, expected", [
    ("Tuition went from $9,000 to $14,500.", [("$9,000", 9000, 9000, 9000, "USD"), ("$14,500", 14500, 14500, 14500, "USD")]),
    ("Turnout slid from 71 to 64 percent.", [("71", 71, 71, 71, "percent"), ("64 percent", 64, 64, 64, "percent")]),
    ("The queue shrank from 9 to 4 kilometres.", [("9", 9, 9, 9, "kilometre"), ("4 kilometres", 4, 4, 4, "kilometre")]),
])
def test_change_between_levels_is_two_figures_sharing_marks(text, expected):
    assert kinds(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Tickets range from $35 to $120.", [("$35 to $120", None, 35, 120, "USD")]),
    ("Bonuses ranging from $500 to $2 million were paid.", [("$500 to $2 million", None, 500, 2e6, "USD")]),
    ("Rates vary from 2 per cent to 2.5 per cent.", [("2 per cent to 2.5 per cent", None, 2, 2.5, "percent")]),
    ("plots ranging in size from 40 to 90 hectares", [("40 to 90 hectares", None, 40, 90, "hectare")]),
    ("a range of 8 to 11 percent", [("8 to 11 percent", None, 8, 11, "percent")]),
    ("analysts expect 2 to 4 per cent inflation", [("2 to 4 per cent", None, 2, 4, "percent")]),
])
def test_spreads_and_bare_pairs_are_ranges(text, expected):
    assert kinds(text) == expected


def test_change_between_two_ranges():
    assert kinds("The target moved from 6 to 8 percent to 4 to 5 percent.") == [
        ("6 to 8 percent", None, 6, 8, "percent"), ("4 to 5 percent", None, 4, 5, "percent")]


# Scale words and units written once apply across the pair.
@pytest.mark.parametrize("text, expected", [
    ("Revenue should grow from 11.5 to 14-15 billion dollars.",
     [("11.5", 11.5e9, 11.5e9, 11.5e9, "USD"), ("14-15 billion dollars", None, 14e9, 15e9, "USD")]),
    ("between 2 and 4 million voters", [("between 2 and 4 million", None, 2e6, 4e6, None)]),
    ("a bill of £4 billion to £6 billion", [("£4 billion to £6 billion", None, 4e9, 6e9, "GBP")]),
    ("Its staff fell from 900 to 1.1 million", [("900", 900, 900, 900, None),
                                                ("1.1 million", 1.1e6, 1.1e6, 1.1e6, None)]),
])
def test_scale_written_once_is_shared(text, expected):
    assert kinds(text) == expected


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
    ("dozens of", 12, 120), ("hundreds of", 100, 1_000), ("thousands of", 1_000, 10_000),
    ("tens of thousands of", 10_000, 100_000), ("hundreds of thousands of", 100_000, 1_000_000),
    ("millions of", 1_000_000, 10_000_000), ("tens of millions of", 10_000_000, 100_000_000),
    ("billions of", 1e9, 1e10), ("several hundred", 300, 900), ("a few", 2, 5),
    ("scores of", 20, 200), ("a few thousand", 2_000, 5_000), ("a couple of", 2, 3),
    ("a handful of", 2, 5), ("several", 3, 9),
])
def test_vague_amounts_are_documented_ranges(text, low, high):
    q = only(f"{text} people")
    assert (q.text, q.value, q.low, q.high, q.kind, q.approximate, q.qualifier) == (
        text, None, low, high, "vague", True, text)


def test_vague_money_takes_the_currency():
    q = only("hundreds of millions of dollars")
    assert (q.kind, q.unit, q.low, q.high) == ("vague", "USD", 100_000_000, 1_000_000_000)


def test_vague_plural_is_its_order_of_magnitude():
    """[X, 10X]: the low end is the scale itself (a reader of "hundreds" cannot exclude 100),
    so a report of 120 and one of "hundreds" are not in dispute."""
    q = only("rescuers pulled hundreds of survivors from the rubble")
    assert (q.low, q.high) == (100, 1_000)
    nested = only("several thousand flags")
    outer = only("thousands of flags")
    assert outer.low <= nested.low <= nested.high <= outer.high


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
    "10 Downing Street", "the PS4 and PS5 (PS4)", "Y=5", "a 4K TV", "streams in 1080p", "at 3p.m.",
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
        assert q.kind in {"count", "money", "percent", "vague", "measure", "age"}


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=40))
def test_parse_quantity_never_crashes(text):
    q = parse_quantity(text)
    assert q is None or text[q.start:q.end] == q.text


def test_age_ranges_are_ages():
    assert [(q.low, q.high, q.kind) for q in find_quantities("most are children between the ages of 5 and 17")] == [
        (5, 17, "age")]
    assert [(q.low, q.high, q.kind) for q in find_quantities("volunteers aged between 18 and 25")] == [(18, 25, "age")]


# --- currencies as news prints them (docs/numbers.md, "Currency codes") -------------------

@pytest.mark.parametrize("text, value, unit", [
    ("The charity raised US$3 million last year.", 3e6, "USD"),
    ("The mansion sold for $US4,250,000 in March.", 4_250_000, "USD"),
    ("a grant of $A96,400,120 to the council", 96_400_120, "AUD"),
    ("The miner booked A$2.4m in fees.", 2.4e6, "AUD"),
    ("Tickets cost HK$1,380 each.", 1380, "HKD"),
    ("a refund of HK $7.2m to travellers", 7.2e6, "HKD"),
    ("The shares closed at RM4.15 on Friday.", 4.15, "MYR"),
    ("The port deal is worth S$1.1bn.", 1.1e9, "SGD"),
    ("The club paid NZ$650,000 for the land.", 650_000, "NZD"),
    ("a C$40 million bridge", 4e7, "CAD"),
])
def test_currency_prefixes_as_printed(text, value, unit):
    q = only(text)
    assert (q.value, q.unit, q.kind) == (value, unit, "money")


@pytest.mark.parametrize("text, value", [
    ("The stock finished at 96.5p in London.", 96.5), ("a target price of 310p", 310),
])
def test_pence_are_gbx(text, value):
    q = only(text)
    assert (q.value, q.unit, q.kind) == (value, "GBX", "money")


@pytest.mark.parametrize("text, value", [
    ("The bid values the grocer at PS4.6bn.", 4.6e9),
    ("a bonus of up to PS1.9m for the chief executive", 1.9e6),
    ("fares of HK$94,400 (PS9,350) in total", 9350),
    ("A season ticket now costs PS1,245.", 1245),
    ("The fine was $520 (PS410).", 410),
])
def test_mangled_pound_sign_is_gbp_in_a_money_context(text, value):
    q = find_quantities(text)[-1]
    assert (q.value, q.unit) == (value, "GBP")


@pytest.mark.parametrize("text", [
    "Sony sold more PS5 consoles than expected.", "The game runs on PS4 and (PS5) hardware.",
    "Set Y=3 in the model.",
])
def test_ps_and_y_outside_money_stay_out(text):
    assert [q for q in find_quantities(text) if q.kind == "money"] == []


def test_mangled_yen_sign():
    q = only("The carmaker forecast a loss of Y=120 billion.")
    assert (q.value, q.unit) == (1.2e11, "JPY")


# --- units glued to the number (docs/numbers.md, "Unit symbols") --------------------------

@pytest.mark.parametrize("text, value, unit", [
    ("The coupe's 520bhp engine", 520, "brake horsepower"),
    ("a plan with 30GB of data", 30, "gigabyte"), ("a 256 GB phone", 256, "gigabyte"),
    ("a 144Hz display", 144, "hertz"), ("a 3kW heat pump", 3, "kilowatt"),
    ("a 12.4kWh battery", 12.4, "kilowatt hour"), ("add 250mL of water", 250, "millilitre"),
    ("a flat of 48m2", 48, "square metre"), ("200mg capsules", 200, "milligram"),
    ("accelerates to 100km/h", 100, "kilometre per hour"), ("a 3nm chip", 3, "nanometre"),
    ("a 4,000mAh cell", 4000, "milliampere hour"), ("cooked for 12min", 12, "minute"),
    ("each weighing 60g", 60, "gram"),
])
def test_glued_and_symbol_units(text, value, unit):
    q = only(text)
    assert (q.value, q.unit, q.kind) == (value, unit, "measure")


@pytest.mark.parametrize("text, value", [("Gilt yields rose to 2.07pc.", 2.07), ("the shares were up 9pc", 9)])
def test_pc_is_percent(text, value):
    q = only(text)
    assert (q.value, q.unit, q.kind) == (value, "percent", "percent")


@pytest.mark.parametrize("text", [
    "The 5G rollout was delayed.", "a new 8K television", "streams in 720p", "a 4G signal",
])
def test_network_generations_and_resolutions_stay_out(text):
    assert find_quantities(text) == []


def test_glued_m_is_metres_only_in_a_length_context():
    whale = find_quantities("a 24m (79ft)-long whale")[0]
    assert (whale.value, whale.unit) == (24, "metre")
    assert (only("a 45m-high tower").value, only("a 45m-high tower").unit) == (45, "metre")
    assert only("The club lost £24m last year.").value == 24e6
    assert (only("The town has 3m residents.").value, only("The town has 3m residents.").unit) == (3e6, None)


# --- ages -----------------------------------------------------------------------------------

@pytest.mark.parametrize("text, value, unit", [
    ("A 47 year-old woman was arrested.", 47, "year"), ("a 61-year-old driver", 61, "year"),
    ("a 3,100 year-old burial mound", 3100, "year"), ("an 11 month-old boy", 11, "month"),
    ("a six-week-old puppy", 6, "week"), ("rocks 250 million-year-old", 2.5e8, "year"),
    ("the victim, aged 29, was", 29, "year"), ("Jones, 71, told reporters", 71, "year"),
    ("a 2000-year-old coin", 2000, "year"), ("players over the age of 23", 23, "year"),
])
def test_ages_are_quantities_of_kind_age(text, value, unit):
    q = only(text)
    assert (q.value, q.unit, q.kind) == (value, unit, "age")


def test_age_range_and_bound():
    q = only("a 120,000 to 150,000 year-old tooth")
    assert (q.low, q.high, q.unit, q.kind) == (120_000, 150_000, "year", "age")
    q = only("pupils aged under 11")
    assert (q.low, q.high, q.kind) == (None, 11, "age")


# --- signed numbers -------------------------------------------------------------------------

@pytest.mark.parametrize("text, value", [
    ("The offence managed minus-12 yards.", -12), ("a minus-2.5 degree tilt", -2.5),
    ("temperatures of minus-40 degrees Fahrenheit", -40), ("minus 3 percent", -3),
])
def test_hyphenated_minus(text, value):
    assert only(text).value == value


def test_sub_is_a_high_bound():
    q = only("a sub-5 nanometer process")
    assert (q.value, q.low, q.high, q.unit) == (5, None, 5, "nanometre")


@pytest.mark.parametrize("text, value", [
    ("A teaspoon is 1/6 of a fluid ounce.", 1 / 6),
    ("Results for 2⁄3 of the seats are in.", 2 / 3),
    ("One out of four adults smokes.", 0.25),
    ("Two in 10 voters agree.", 0.2),
])
def test_fractions_and_ratios(text, value):
    found = find_quantities(text)
    assert len(found) == 1 and found[0].unit == "fraction" and abs(found[0].value - value) < 1e-9, found


@pytest.mark.parametrize("text", ["The 24/7 hotline opened.", "He was born on 9/11/2001.", "Call 555/1234 now."])
def test_slashes_without_of_stay_out(text):
    assert find_quantities(text) == []


@pytest.mark.parametrize("text, values", [
    ("It is one of the largest ports in Asia.", [1.0]),          # one, picked from a superlative
    ("She called it one of the most difficult days.", [1.0]),
    ("One of the guards was hurt.", []),                         # a pronoun, as before
    ("Markets: FTSE +1.4%, DAX +0.9%.", [1.4, 0.9]),            # signed percent changes
    ("Call +44 20 7946 0958 for details.", []),
])
def test_one_of_a_superlative_and_signed_percents(text, values):
    assert [q.value for q in find_quantities(text)] == values


@pytest.mark.parametrize("text, values", [
    ("Of the crew, 45 out of 50 passengers survived.", [45.0, 50.0]),
    ("Rebels killed 40 in 12 villages.", [40.0, 12.0]),
    ("One in every 100 adults is affected.", [0.01]),
])
def test_ratios_are_small_parts_of_small_or_round_wholes(text, values):
    assert [round(q.value, 6) for q in find_quantities(text)] == values


@pytest.mark.parametrize("text, grouped", [("120,000", True), ("1,217", True), ("2,000-lb", True),
                                           ("737", False), ("500", False), ("6.1", False), ("1,5", False)])
def test_numbers_grouped_in_thousands_are_amounts(text, grouped):
    from newsie.normalize.numbers import groups_thousands

    assert groups_thousands(text) is grouped
