"""Figures as news copy writes them, one test per family (issue 14, second round).

Every sentence here is written for the tests. The pure-function families come first; the
families decided with the parse (names around a number, ages beside a date, the rows of
`mentions`) use the rules-only pipeline at the end.
"""
from __future__ import annotations

import datetime as dt

import pytest

from newsie.normalize.numbers import duration_numbers, find_quantities
from newsie.normalize.timex import normalize_timex


def figures(text):
    return [(q.text, q.value, q.low, q.high, q.unit) for q in find_quantities(text)]


def texts(text):
    return [q.text for q in find_quantities(text)]


# ------------------------------------------------------------------ vague quantifiers

@pytest.mark.parametrize("text, stated", [
    ("Several protesters were hurt.", False),
    ("A few of the shops stayed open.", False),
    ("A handful of lawmakers objected.", False),
    ("Several hundred people marched.", True),      # "hundred" is a number
    ("A few thousand fans waited outside.", True),
    ("Hundreds of homes were flooded.", True),      # an order of magnitude
    ("A couple of ministers resigned.", True),      # "a couple" is two, loosely
])
def test_quantifiers_without_a_number_state_none_in_mentions(text, stated):
    (q,) = find_quantities(text)
    assert q.kind == "vague" and q.low is not None and q.high is not None   # the claim keeps its bounds
    numbers = q.stated_numbers()
    assert (numbers["low"] is not None) == stated
    assert (numbers["high"] is not None) == stated and numbers["value"] is None


def test_stated_numbers_of_a_plain_figure_are_its_bounds():
    (q,) = find_quantities("Officials counted at least 40 boats.")
    assert q.stated_numbers() == dict(value=40.0, low=40.0, high=None, unit=None)


# ------------------------------------------------------------------------ durations

@pytest.mark.parametrize("text, duration, low, high, starts", [
    ("The plant will be paid off in seven to 10 years.", "10", 7, 10, "seven"),
    ("Over the past three or four years, rents rose.", "four", 3, 4, "three"),
    ("He faces two to three years in jail.", "three", 2, 3, "two"),
    ("A 10- to 15-year sentence is likely.", "15", 10, 15, "10"),
    ("Repairs take between two and five years.", "five", 2, 5, "between"),
    ("It takes 3-5 years to mature.", "5", 3, 5, "3"),
])
def test_duration_ranges(text, duration, low, high, starts):
    start = text.index(duration, text.index(starts) + len(starts))
    amount = float(high)
    numbers = duration_numbers(text, start, amount, "year")
    assert (numbers["value"], numbers["low"], numbers["high"], numbers["unit"]) == (None, low, high, "year")
    assert numbers["start"] == text.index(starts)


@pytest.mark.parametrize("text, duration, amount", [
    ("The term was cut from five to three years.", "three", 3),    # a change, like "from 149 to 162"
    ("She spent 2019 to 10 years abroad.", "10", 10),               # does not rise
    ("They are aged 40 and 10 years apart.", "10", 10),             # "and" needs "between"
    ("Choose one or 12 years.", "12", 12),                          # "or" joins close figures only
    ("Twenty-five to 30 years is the range.", "30", 30),            # "five" is part of a word number
])
def test_not_duration_ranges(text, duration, amount):
    numbers = duration_numbers(text, text.index(duration), float(amount), "year")
    assert "start" not in numbers and numbers["value"] == numbers["low"] == numbers["high"] == amount


def test_a_framed_duration_is_a_duration_without_an_anchor():
    """A document with no publication date: "the past two years" is still two years long."""
    timex = normalize_timex("the past two years", None)
    assert (timex.type, timex.value, timex.start, timex.end) == ("DURATION", "P2Y", None, None)
    anchored = normalize_timex("the past two years", dt.date(2024, 6, 1))
    assert (anchored.type, anchored.value, anchored.end) == ("DURATION", "P2Y", dt.date(2024, 6, 1))


# ------------------------------------------------------------- addresses and codes

@pytest.mark.parametrize("text", [
    "The couple owned a flat at 5 W 57th St in Manhattan.",
    "Their office at 12 E 42nd Street was sold.",
    "The gallery moved to 22 Avenue Montaigne in Paris.",
    "A shop at 8 Rue de la Paix closed.",
    "Prices in the 10021 ZIP code rose.",
    "Residents of the 212 area code got the calls.",
])
def test_addresses_and_codes_are_not_quantities(text):
    assert texts(text) == []


def test_a_count_beside_a_street_word_stays():
    assert texts("Police closed 12 streets in the centre.") == ["12"]


# ---------------------------------------------------------------- scientific notation

@pytest.mark.parametrize("text, value, unit", [
    ("The star weighs about 4.2×10^30 kilograms.", 4.2e30, "kilogram"),
    ("A mole holds 6.02 × 10²³ atoms.", 6.02e23, None),
    ("Light travels at 3x10^8 m/s.", 3e8, "metre per second"),
    ("An electron carries 1.6×10⁻¹⁹ coulombs.", 1.6e-19, None),
    ("The cell measured 2.5×10−6 metres.", 2.5e-6, "metre"),   # superscript minus flattened by copy
])
def test_scientific_notation(text, value, unit):
    ((_, found, _, _, found_unit),) = figures(text)
    assert found == pytest.approx(value) and found_unit == unit


def test_a_times_sign_between_counts_is_not_notation():
    assert texts("They laid a 2 x 10 grid.") == ["2", "10"]


# ---------------------------------------------------------------- symbols with context

@pytest.mark.parametrize("text, value, unit", [
    ("Wax has a 62 C melting point.", 62, "degree Celsius"),
    ("The heat reached 41 C in the capital.", 41, "degree Celsius"),
    ("Temperatures near 95 F are forecast.", 95, "degree Fahrenheit"),
    ("Leaders kept the 2C warming limit.", 2, "degree Celsius"),
    ("The kit ships with an 18 W charger.", 18, "watt"),
    ("It runs on a 12 V battery.", 12, "volt"),
])
def test_temperature_and_spaced_si_symbols(text, value, unit):
    ((_, found, _, _, found_unit),) = figures(text)
    assert (found, found_unit) == (value, unit)


@pytest.mark.parametrize("text, expected", [
    ("Group 3 C plays on Sunday.", [("3", None)]),       # a letter, no temperature talk
    ("She got 5 F grades this term.", [("5", None)]),
    ("The tower stands at 500 W Madison St.", []),        # W for West in an address
])
def test_letters_without_context_are_not_units(text, expected):
    assert [(q.text, q.unit) for q in find_quantities(text)] == expected


@pytest.mark.parametrize("text, value, unit", [
    ("Gusts reached 70 miles per hour overnight.", 70, "mile per hour"),
    ("The hybrid does 48 miles per gallon.", 48, "mile per gallon"),
    ("The field pumps 250,000 barrels per day.", 250000, "barrel per day"),
    ("The well leaked 5,000 barrels daily.", 5000, "barrel per day"),
    ("The well leaked 62,000 barrels of oil daily.", 62000, "barrel per day"),
    ("The mill used 40 tons of steel in May.", 40, "ton"),  # no rate: "of steel" alone
    ("Traffic crawled at 15 kilometres an hour.", 15, "kilometre per hour"),
    ("Volunteers walked 12 miles a day.", 12, "mile per day"),
    ("The rover covers 40 mph on flat ground.", 40, "mile per hour"),   # the symbol, as before
    ("Up to 30,000 barrels of crude have been leaking daily from the pipe.", 30000, "barrel per day"),
    ("Some 8,000 tonnes were spilling each day into the bay.", 8000, "tonne per day"),
    ("Experts doubt the 8,000 barrel-per-day estimate.", 8000, "barrel per day"),     # hyphenated rates
    ("The 3,000-barrels-a-day figure stood for weeks.", 3000, "barrel per day"),
    ("The car does a 30-mile-per-gallon average.", 30, "mile per gallon"),
])
def test_rates_are_their_own_unit(text, value, unit):
    ((_, found, _, _, found_unit),) = figures(text)
    assert (found, found_unit) == (value, unit)


@pytest.mark.parametrize("text, expected", [
    # a conversion in brackets: both figures are the rate, each keeps its own text
    ("The pump moved 84,000 gallons (2,000 barrels) a day.",
     [("84,000 gallons", "gallon per day"), ("2,000 barrels", "barrel per day")]),
    ("It collected 1,000 barrels (159,000 litres) of oil daily.",
     [("1,000 barrels", "barrel per day"), ("159,000 litres", "litre per day")]),
    ("The tank held 3,000 barrels (477,000 litres) last week.",
     [("3,000 barrels", "barrel"), ("477,000 litres", "litre")]),                 # no rate
    ("Crews burned 500 gallons (1,900 litres) per gallon of dispersant.",
     [("500 gallons", "gallon"), ("1,900 litres", "litre")]),                     # per gallon: not a flow
])
def test_a_rate_after_a_conversion_in_brackets(text, expected):
    assert [(q.text, q.unit) for q in find_quantities(text)] == expected


@pytest.mark.parametrize("text, expected", [
    ("Officials put the leak at 3,000 barrels a day, or 126,000 gallons.",
     [("3,000 barrels a day", "barrel per day"), ("126,000 gallons", "gallon per day")]),  # restated: the rate
    ("The vent emits 20 tonnes an hour (about 44,000 kg) of gas.",
     [("20 tonnes an hour", "tonne per hour"), ("about 44,000 kg", "kilogram per hour")]),
    ("It burned 5,000 barrels a day, 200 barrels in total.",
     [("5,000 barrels a day", "barrel per day"), ("200 barrels", "barrel")]),              # no restatement
])
def test_a_measure_restating_a_rate_is_the_rate(text, expected):
    assert [(q.text, q.unit) for q in find_quantities(text)] == expected


def test_a_unit_before_an_unrelated_a_is_not_a_rate():
    assert figures("She ran a 10 km race a day later.")[0][4] == "kilometre"
    assert figures("He ran 5 km-a day.")[0][4] == "kilometre"  # a hyphen, then a space: no one word


# ---------------------------------------------------------------------- names, years

@pytest.mark.parametrize("text, expected", [
    ("Labs ran thousands of COVID -19 tests.", ["thousands of"]),   # a code's hyphen, spaced
    ("UK GDP -0.3% in May, the figures showed.", ["-0.3%"]),       # a signed percent stays
    ("Reusing the same one everywhere is risky.", []),
])
def test_codes_and_pronouns(text, expected):
    assert texts(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Coasts could be under water by 2130, the study warns.", []),
    ("The scheme runs until 2150.", []),
    ("Emissions could rise by 2150 tonnes a day.", ["2150 tonnes a day"]),   # "rise by": a change
    ("The town's population reached 2150 last year.", ["2150"]),
])
def test_years_past_2100_after_a_preposition_of_time(text, expected):
    assert texts(text) == expected


# ---------------------------------------------------------------- with the pipeline

def annotate(nlp, text, published=dt.date(2025, 2, 27)):
    doc = nlp.make_doc(text)
    doc._.published = published
    return nlp(doc)


@pytest.mark.parametrize("text, kept, dropped", [
    ("Our pick for the month is the iPhone 13 Mini deal with 20GB of data.", ["20GB"], ["13"]),
    ("At 11am: Dow +0.4% S&P 500 +0.5% Nasdaq +0.9%.", ["+0.4%", "+0.5%", "+0.9%"], ["500"]),
    ("The club was tipped to finish third in the Big 12.", [], ["12"]),
    ("Floods Kill 40 In Delta As Rivers Rise", ["40"], []),        # a title-case headline
    ("Since March 40 people have died.", ["40"], []),
])
def test_names_around_a_number(rules_nlp, text, kept, dropped):
    found = [s.text for s in annotate(rules_nlp, text)._.quantities]
    assert all(k in found for k in kept) and not any(d in found for d in dropped), found


def test_an_age_beside_a_time_word_is_kept(rules_nlp):
    doc = annotate(rules_nlp, "She lives with her now-18 month-old son.")
    ages = [s._.quantity for s in doc._.quantities if s._.quantity.kind == "age"]
    assert [(q.value, q.unit) for q in ages] == [(18.0, "month")]


def test_mention_rows_for_durations_and_vague_quantifiers(rules_nlp):
    from newsie.engine.rows import mention_rows

    text = "Several firms said the work will take seven to 10 years and cost hundreds of millions."
    doc = annotate(rules_nlp, text, published=None)
    rows = {r["text"]: r for r in mention_rows("d", doc, doc.text)}
    duration = rows["seven to 10 years"]
    assert (duration["value"], duration["low"], duration["high"], duration["unit"]) == (None, 7, 10.0, "year")
    assert rows["Several"].get("low") is None and rows["Several"].get("high") is None
    assert (rows["hundreds of millions"]["low"], rows["hundreds of millions"]["high"]) == (1e8, 1e9)


@pytest.mark.parametrize("text, expected", [
    ("The boat was doing 15 to 22 miles per hour.", ("15 to 22 miles per hour", 15.0, 22.0, "mile per hour")),
    ("Volunteers walked 12 miles a day.", ("12 miles a day", 12.0, 12.0, "mile per day")),
])
def test_the_time_unit_of_a_rate_does_not_hide_the_figure(rules_nlp, text, expected):
    doc = annotate(rules_nlp, text)
    assert [(s.text, s._.quantity.low, s._.quantity.high, s._.quantity.unit) for s in doc._.quantities] == [expected]


@pytest.mark.parametrize("text, expected", [
    # the other end of a range of rates leaves the time unit out
    ("The flow ranged from a low of 800 barrels a day to a high of 3,000 barrels.",
     [("800 barrels a day", "barrel per day"), ("3,000 barrels", "barrel per day")]),
    ("It could be as low as 40 gallons per hour or as high as 90 gallons.",
     [("40 gallons per hour", "gallon per hour"), ("90 gallons", "gallon per hour")]),
    # a total after a rate is no end of its range
    ("The pipe leaked 700 barrels a day, 21,000 barrels in all.",
     [("700 barrels a day", "barrel per day"), ("21,000 barrels", "barrel")]),
])
def test_the_second_end_of_a_range_of_rates_is_a_rate(text, expected):
    assert [(q.text, q.unit) for q in find_quantities(text)] == expected


def test_a_document_writes_a_rate_once_and_its_volume_after():
    from newsie.normalize.numbers import elided_rates
    text = ("The refinery first put the leak at 900 barrels a day. Engineers doubted the 900 barrels, "
            "and a panel put the flow at 2,500 barrels. The damaged tank held 60,000 barrels.")
    units = [(q.text, q.unit) for q in elided_rates(text, find_quantities(text))]
    assert units == [("900 barrels a day", "barrel per day"), ("900 barrels", "barrel per day"),
                     ("2,500 barrels", "barrel per day"), ("60,000 barrels", "barrel")]
    # the flow named earlier in the sentence, no other measure between
    text = ("The well leaked 900 barrels a day at first. Measuring the flow is hard, and one team "
            "says its upper end could be 4,000 barrels. The flow was 900 barrels a day, and 30,000 barrels "
            "have leaked so far.")
    units = [(q.text, q.unit) for q in elided_rates(text, find_quantities(text)) if q.kind == "measure"]
    assert units[1:] == [("4,000 barrels", "barrel per day"), ("900 barrels a day", "barrel per day"),
                         ("30,000 barrels", "barrel")]
    # without a rate in the document, a volume stays a volume
    alone = "Engineers put the flow at 2,500 barrels."
    assert [q.unit for q in elided_rates(alone, find_quantities(alone))] == ["barrel"]


@pytest.mark.parametrize("text, expected", [
    ("The plant captured 900 barrels (143,000 litres) of oil from the pipe in a 24-hour period.",
     [("900 barrels", "barrel per day"), ("143,000 litres", "litre per day")]),
    ("The storm dropped 200 mm of rain in 24 hours.", [("200 mm", "millimetre per day")]),
    ("The pipe leaked 5,000 barrels, and 40 more in 24 hours.", [("5,000 barrels", "barrel"), ("40 more", None)]),
])
def test_an_amount_in_24_hours_is_a_rate_per_day(text, expected):
    assert [(q.text, q.unit) for q in find_quantities(text)] == expected
