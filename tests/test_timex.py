"""Unit and property tests for newsie.normalize.timex (no spaCy needed)."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsie.normalize.timex import Timex, find_timexes, normalize_timex

D = dt.date
AP = D(2025, 2, 27)  # Thursday, the AP story
SEOUL = D(2024, 10, 18)  # Friday


def norm(text, anchor=AP, tense=None):
    timex = normalize_timex(text, anchor, tense)
    assert timex is not None, text
    return timex.type, timex.value, timex.start, timex.end


def spans(text, anchor=AP, tense_at=None):
    return [(m.text, m.timex.value) for m in find_timexes(text, anchor, tense_at)]


# ------------------------------------------------------------------ absolute dates

@pytest.mark.parametrize("text, value", [
    ("Feb. 7", "2025-02-07"),
    ("February 7, 2025", "2025-02-07"),
    ("7 February 2025", "2025-02-07"),
    ("2025-02-07", "2025-02-07"),
    ("Feb. 24, 2025", "2025-02-24"),
    ("Thursday, Feb. 27", "2025-02-27"),
    ("the 12th of April 2023", "2023-04-12"),
    ("Dec. 20", "2024-12-20"),  # nearest occurrence: two months back, not ten ahead
    ("March 15", "2025-03-15"),
    ("2/7/2025", "2025-02-07"),
    ("2019-aug-1", "2019-08-01"),  # odd format: dateparser behind the grammar
])
def test_absolute_dates(text, value):
    kind, got, start, end = norm(text)
    assert (kind, got) == ("DATE", value)
    assert start == end == D.fromisoformat(value)


# ------------------------------------------------------------------ months and years

@pytest.mark.parametrize("text, tense, value, start, end", [
    ("in January", None, "2025-01", D(2025, 1, 1), D(2025, 1, 31)),
    ("January 2025", None, "2025-01", D(2025, 1, 1), D(2025, 1, 31)),
    ("last December", None, "2024-12", D(2024, 12, 1), D(2024, 12, 31)),
    ("last February", None, "2024-02", D(2024, 2, 1), D(2024, 2, 29)),
    ("In November", None, "2024-11", D(2024, 11, 1), D(2024, 11, 30)),
    ("in August", "past", "2024-08", D(2024, 8, 1), D(2024, 8, 31)),
    ("in August", "future", "2025-08", D(2025, 8, 1), D(2025, 8, 31)),
    ("2024", None, "2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("in 2023", None, "2023", D(2023, 1, 1), D(2023, 12, 31)),
    ("last year", None, "2024", D(2024, 1, 1), D(2024, 12, 31)),
    ("this year", None, "2025", D(2025, 1, 1), D(2025, 12, 31)),
    ("next year", None, "2026", D(2026, 1, 1), D(2026, 12, 31)),
])
def test_months_and_years(text, tense, value, start, end):
    assert norm(text, AP, tense) == ("DATE", value, start, end)


@pytest.mark.parametrize("text, tense, anchor, value", [
    # a past clause can state a date a few weeks ahead ("payable Dec. 7"), not one 11 months back
    ("payable Dec. 7", "past", D(2023, 10, 27), "2023-12-07"),
    ("until mid-November", "past", D(2023, 10, 30), "2023-11"),
    ("on Dec. 7", "past", D(2023, 7, 1), "2022-12-07"),  # five months ahead is too far: last year
    ("on Feb. 10", "past", D(2023, 10, 27), "2023-02-10"),
    # a to-infinitive: the nearest occurrence, either way
    ("in April", "relative", D(2023, 12, 5), "2024-04"),
    ("in June", "prospective", D(2023, 10, 20), "2023-06"),
    ("the third quarter", "prospective", D(2023, 10, 20), "2023-Q3"),
])
def test_year_of_month_days_in_past_and_infinitive_clauses(text, tense, anchor, value):
    assert norm(text, anchor, tense)[1] == value


def test_in_june_past_tense_from_october():
    assert norm("in June", SEOUL, "past")[1:] == ("2024-06", D(2024, 6, 1), D(2024, 6, 30))


# ------------------------------------------------------------------------- weekdays

@pytest.mark.parametrize("text, tense, day", [
    ("Thursday", None, D(2025, 2, 27)),  # the anchor's own weekday is the anchor
    ("Thursday", "past", D(2025, 2, 27)),  # dateparser 'past' would go back a week
    ("Thursday", "future", D(2025, 2, 27)),
    ("on Tuesday", "past", D(2025, 2, 25)),
    ("Tuesday", "future", D(2025, 3, 4)),
    ("Saturday", "past", D(2025, 2, 22)),
    ("Saturday", None, D(2025, 3, 1)),  # two days ahead beats five back (the future counts double)
    ("Monday", None, D(2025, 2, 24)),  # three back beats four ahead
    ("Monday", "present", D(2025, 2, 24)),
    ("Saturday", "prospective", D(2025, 3, 1)),  # "is scheduled to open Saturday"
    ("Monday", "prospective", D(2025, 3, 3)),
    ("Monday", "relative", D(2025, 2, 24)),  # "planned to meet Monday": the nearest Monday
    ("Sunday", "relative", D(2025, 3, 2)),
    ("last Tuesday", None, D(2025, 2, 18)),  # previous ISO week
    ("next Monday", None, D(2025, 3, 3)),
    ("this past Wednesday", None, D(2025, 2, 26)),
])
def test_weekdays(text, tense, day):
    assert norm(text, AP, tense) == ("DATE", day.isoformat(), day, day)


# ------------------------------------------------------------------------- relative

@pytest.mark.parametrize("text, kind, value, start, end", [
    ("yesterday", "DATE", "2025-02-26", D(2025, 2, 26), D(2025, 2, 26)),
    ("today", "DATE", "2025-02-27", AP, AP),
    ("last week", "DATE", "2025-W08", D(2025, 2, 17), D(2025, 2, 23)),
    ("this week", "DATE", "2025-W09", D(2025, 2, 24), D(2025, 3, 2)),
    ("earlier this month", "DATE", "2025-02", D(2025, 2, 1), AP),
    ("later this year", "DATE", "2025", AP, D(2025, 12, 31)),
    ("last month", "DATE", "2025-01", D(2025, 1, 1), D(2025, 1, 31)),
    ("recent months", "DURATION", "PXM", None, AP),  # TimeML's vague duration, ending at the anchor
    ("in the coming weeks", "DURATION", "PXW", AP, None),
    ("now", "DATE", "PRESENT_REF", AP, AP),
    ("currently", "DATE", "PRESENT_REF", AP, AP),
    ("in the near future", "DATE", "FUTURE_REF", AP, None),
    ("three days ago", "DATE", "2025-02-24", D(2025, 2, 24), D(2025, 2, 24)),
    ("two weeks ago", "DATE", "2025-W07", D(2025, 2, 10), D(2025, 2, 16)),
    ("a year ago", "DATE", "2024", D(2024, 1, 1), D(2024, 12, 31)),
])
def test_relative(text, kind, value, start, end):
    assert norm(text) == (kind, value, start, end)


# -------------------------------------------------------------------------- seasons

@pytest.mark.parametrize("text, tense, value, start, end", [
    ("last fall", None, "2024-FA", D(2024, 9, 1), D(2024, 11, 30)),
    ("the autumn of 2024", None, "2024-FA", D(2024, 9, 1), D(2024, 11, 30)),
    ("in autumn last year", None, "2024-FA", D(2024, 9, 1), D(2024, 11, 30)),
    ("summer", "past", "2024-SU", D(2024, 6, 1), D(2024, 8, 31)),
    ("last summer", None, "2024-SU", D(2024, 6, 1), D(2024, 8, 31)),
    ("this spring", None, "2025-SP", D(2025, 3, 1), D(2025, 5, 31)),
    ("this winter", None, "2024-WI", D(2024, 12, 1), D(2025, 2, 28)),
    ("last winter", None, "2023-WI", D(2023, 12, 1), D(2024, 2, 29)),
    ("next summer", None, "2025-SU", D(2025, 6, 1), D(2025, 8, 31)),
])
def test_seasons(text, tense, value, start, end):
    assert norm(text, AP, tense) == ("DATE", value, start, end)


def test_bare_season_without_tense_leans_to_the_past():
    # summer 2024 ended 180 days before; summer 2025 starts 94 days after (weighted x2)
    assert norm("summer")[1] == "2024-SU"
    assert norm("December", SEOUL)[1] == "2024-12"  # 44 days ahead beats 292 behind


def test_last_fall_during_fall_is_the_previous_year():
    assert norm("last fall", D(2024, 10, 18))[1] == "2023-FA"


# ---------------------------------------------------------------------- fuzzy parts

@pytest.mark.parametrize("text, value, start, end", [
    ("early December", "2024-12", D(2024, 12, 1), D(2024, 12, 10)),
    ("mid-January", "2025-01", D(2025, 1, 11), D(2025, 1, 20)),
    ("late December", "2024-12", D(2024, 12, 21), D(2024, 12, 31)),
    ("late February", "2025-02", D(2025, 2, 21), D(2025, 2, 28)),
    ("the beginning of February", "2025-02", D(2025, 2, 1), D(2025, 2, 10)),
    ("the end of the year", "2025", D(2025, 9, 1), D(2025, 12, 31)),
    ("early 2024", "2024", D(2024, 1, 1), D(2024, 4, 30)),
    ("late last year", "2024", D(2024, 9, 1), D(2024, 12, 31)),
    ("the first week of February", "2025-02-01/2025-02-07", D(2025, 2, 1), D(2025, 2, 7)),
    ("the last week of January", "2025-01-25/2025-01-31", D(2025, 1, 25), D(2025, 1, 31)),
    ("the week of Feb. 24", "2025-W09", D(2025, 2, 24), D(2025, 3, 2)),
    ("the first quarter", "2025-Q1", D(2025, 1, 1), D(2025, 3, 31)),
    ("the second half of 2024", "2024-H2", D(2024, 7, 1), D(2024, 12, 31)),
])
def test_fuzzy_parts(text, value, start, end):
    assert norm(text) == ("DATE", value, start, end)


# --------------------------------------------------------------------------- ranges

@pytest.mark.parametrize("text, anchor, value, start, end", [
    ("between October 8 and 13", SEOUL, "2024-10-08/2024-10-13", D(2024, 10, 8), D(2024, 10, 13)),
    ("Oct. 8-13", SEOUL, "2024-10-08/2024-10-13", D(2024, 10, 8), D(2024, 10, 13)),
    ("January and February", AP, "2025-01/2025-02", D(2025, 1, 1), D(2025, 2, 28)),
    ("between January and February", AP, "2025-01/2025-02", D(2025, 1, 1), D(2025, 2, 28)),
    ("from March to May", AP, "2025-03/2025-05", D(2025, 3, 1), D(2025, 5, 31)),
    ("from November to January", AP, "2024-11/2025-01", D(2024, 11, 1), D(2025, 1, 31)),
    ("from 2014 to 2018", AP, "2014/2018", D(2014, 1, 1), D(2018, 12, 31)),
    ("2009-2010", AP, "2009/2010", D(2009, 1, 1), D(2010, 12, 31)),  # one entity text
])
def test_ranges(text, anchor, value, start, end):
    assert norm(text, anchor) == ("DATE", value, start, end)


def test_range_spans_leave_prepositions_out():
    assert spans("troops arrived between October 8 and 13.", SEOUL) == [
        ("October 8 and 13", "2024-10-08/2024-10-13")]
    assert spans("deployed from March to May") == [("March to May", "2025-03/2025-05")]


def test_hyphenated_years_split_like_timeml():
    assert spans("the 2009-2010 season") == [("2009", "2009"), ("2010", "2010")]


def test_two_days_joined_by_and_without_between_stay_points():
    assert spans("on October 8 and 13", SEOUL) == [("October 8", "2024-10-08")]


def test_points_written_backwards_are_no_range():
    # Both ends carry their year and the second precedes the first: two points, not an
    # interval that starts after it ends.
    for anchor in (AP, None):
        assert [(m.text, m.timex.start, m.timex.end) for m in find_timexes("2001-FALL 2000", anchor)] == [
            ("2001", D(2001, 1, 1), D(2001, 12, 31)), ("FALL 2000", D(2000, 9, 1), D(2000, 11, 30))]
    assert norm("2001-FALL 2000") == ("DATE", "2001", D(2001, 1, 1), D(2001, 12, 31))


@pytest.mark.parametrize("text, value, start, end", [
    ("Jan-Feb 2017", "2017-01/2017-02", D(2017, 1, 1), D(2017, 2, 28)),
    ("from January to April 2015", "2015-01/2015-04", D(2015, 1, 1), D(2015, 4, 30)),
    ("Nov. to Feb. 2025", "2024-11/2025-02", D(2024, 11, 1), D(2025, 2, 28)),
])
def test_first_end_takes_the_year_of_the_second(text, value, start, end):
    assert norm(text) == ("DATE", value, start, end)


# ------------------------------------------------------------------------ durations

@pytest.mark.parametrize("text, value, start, end", [
    ("three days", "P3D", None, None),
    ("a year", "P1Y", None, None),
    ("24 hours", "PT24H", None, None),
    ("a three-day visit", "P3D", None, None),
    ("several weeks", "PXW", None, None),
    ("the past three years", "P3Y", D(2022, 2, 27), AP),
    ("the last two months", "P2M", D(2024, 12, 27), AP),
    ("the next two weeks", "P2W", AP, D(2025, 3, 13)),
    ("the past year", "P1Y", D(2024, 2, 27), AP),
])
def test_durations(text, value, start, end):
    assert norm(text) == ("DURATION", value, start, end)


def test_since_runs_to_the_anchor_but_keeps_the_span():
    assert norm("since October") == ("DATE", "2024-10", D(2024, 10, 1), AP)
    [match] = find_timexes("Prices rose since October.", AP)
    assert (match.text, match.timex.end) == ("October", AP)


# ---------------------------------------------------------------- decades and times

@pytest.mark.parametrize("text, kind, value, start, end", [
    ("the 2020s", "DATE", "202X", D(2020, 1, 1), D(2029, 12, 31)),
    ("the 1990s", "DATE", "199X", D(1990, 1, 1), D(1999, 12, 31)),
    ("the 20th century", "DATE", "19", D(1900, 1, 1), D(1999, 12, 31)),
    ("6 minutes ago", "TIME", "2025-02-27TXX:XX", AP, AP),
    ("3 p.m.", "TIME", "2025-02-27T15:00", AP, AP),
    ("10:30 a.m.", "TIME", "2025-02-27T10:30", AP, AP),
    ("Thursday morning", "TIME", "2025-02-27TMO", AP, AP),
    ("last night", "TIME", "2025-02-26TNI", D(2025, 2, 26), D(2025, 2, 26)),
    ("every week", "SET", "P1W", None, None),
    ("daily", "SET", "P1D", None, None),
])
def test_decades_times_sets(text, kind, value, start, end):
    assert norm(text) == (kind, value, start, end)


def test_clock_time_takes_the_date_next_to_it():
    # one expression, as TimeML writes it
    assert spans("at 3 p.m. Tuesday", AP, lambda _: "past") == [("3 p.m. Tuesday", "2025-02-25T15:00")]


# ----------------------------------------------------------------- dateparser traps

@pytest.mark.parametrize("text", ["We", "may", "It may be close", "This may take longer",
                                  "prices fall", "a hot spring", "troops march on",
                                  "about 10,000-12,000 troops", "$1.5B", "a second round"])
def test_not_time_expressions(text):
    assert normalize_timex(text, AP) is None
    assert find_timexes(text, AP) == []


def test_capitalized_may_with_trigger_is_a_month():
    assert spans("elections in May") == [("May", "2025-05")]
    assert spans("On May 9, 2024, he left") == [("May 9, 2024", "2024-05-09")]


def test_span_drops_sentence_period_but_keeps_abbreviations():
    assert spans("It happened in January.") == [("January", "2025-01")]
    assert spans("It happened on Feb. 7.") == [("Feb. 7", "2025-02-07")]
    assert spans("They met at 3 p.m.") == [("3 p.m.", "2025-02-27T15:00")]


def test_no_anchor_gives_unanchored_values():
    assert normalize_timex("2024", None) == Timex("DATE", "2024", D(2024, 1, 1), D(2024, 12, 31))
    assert normalize_timex("in January", None) == Timex("DATE", "XXXX-01", None, None)
    assert normalize_timex("Thursday", None).value == "XXXX-WXX-4"


def test_tense_callback_is_used_per_match():
    text = "He said Tuesday that he will return Tuesday."
    tenses = lambda offset: "past" if offset < 20 else "future"  # noqa: E731
    assert spans(text, AP, tenses) == [("Tuesday", "2025-02-25"), ("Tuesday", "2025-03-04")]


# ---------------------------------------------------------------------- properties

anchors = st.one_of(st.none(), st.dates(min_value=D(1700, 1, 1), max_value=D(2099, 12, 31)))
temporal_words = st.sampled_from([
    "last", "fall", "January", "may", "Feb.", "7", "2024", "-", "and", "between", "to",
    "Thursday", "week", "the", "of", "early", "mid-", "3", "p.m.", "ago", "days", "since",
    "30", "31", "2009-2010", "summer", "'90s", ",", ".", " ", "first", "quarter", "Q4",
])


@settings(max_examples=150, deadline=None)
@example(text="2001-FALL 2000", anchor=None, tense=None)
@example(text="Jan-Feb 2017", anchor=AP, tense=None)
@given(text=st.one_of(st.text(max_size=80),
                      st.lists(temporal_words, max_size=12).map(" ".join)),
       anchor=anchors,
       tense=st.sampled_from([None, "past", "present", "future"]))
def test_find_timexes_never_crashes_and_spans_are_consistent(text, anchor, tense):
    matches = find_timexes(text, anchor, (lambda _: tense) if tense else None)
    previous_end = 0
    for match in matches:
        assert text[match.start:match.end] == match.text
        assert previous_end <= match.start < match.end <= len(text)
        previous_end = match.end
        timex = match.timex
        assert timex.type in {"DATE", "TIME", "DURATION", "SET"}
        if timex.start is not None and timex.end is not None:
            assert timex.start <= timex.end
    normalize_timex(text, anchor, tense)


@pytest.mark.parametrize("value, amount", [
    ("P3Y", (3.0, "year")), ("P18M", (18.0, "month")), ("P2W", (2.0, "week")), ("P10D", (10.0, "day")),
    ("PT4H", (4.0, "hour")), ("PT30M", (30.0, "minute")), ("PT3.5S", (3.5, "second")),
    ("PXY", None), ("PAST_REF", None), ("2024-05", None), (None, None),
    # a unit and a fraction of it in the next smaller one, as "2 1/2 years" is written
    ("P1Y6M", (1.5, "year")), ("PT5H30M", (5.5, "hour")), ("P1DT12H", (1.5, "day")), ("PT1M30S", (1.5, "minute")),
    ("P3Y2W", None), ("P1Y14M", None),
])
def test_duration_amount_reads_single_unit_durations(value, amount):
    from newsie.normalize.timex import duration_amount

    assert duration_amount(value) == amount


@pytest.mark.parametrize("text, value", [
    ("Third-quarter profit rose 12%.", "2023-Q3"),
    ("Net income in the quarter fell.", "2023-Q3"),          # the quarter just reported
    ("Sales in the latest quarter rose.", "2023-Q3"),
    ("Results for the latest period were flat.", "2023-Q3"),
    ("Orders in the current quarter are strong.", "2023-Q4"),
    ("Profit was lower than in the year-ago quarter.", "2022-Q3"),
    ("fiscal second-quarter results", "2023-Q2"),
])
def test_reported_quarters_in_business_news(text, value):
    found = find_timexes(text, D(2023, 10, 20))
    assert [m.timex.value for m in found] == [value]


@pytest.mark.parametrize("text", ["They walked through the old quarter of the city.", "During the period, prices rose."])
def test_other_quarters_and_periods_are_not_dates(text):
    assert find_timexes(text, D(2023, 10, 20)) == []


@pytest.mark.parametrize("text, values", [
    ("Net income rose in the third quarter from a year ago.", ["2023-Q3", "2022-Q3"]),
    ("Profit in the quarter beat last year.", ["2023-Q3", "2022-Q3"]),
    ("Sales fell 5% from a year earlier.", ["2022"]),
    ("She moved to Lima a year ago.", ["2022"]),
])
def test_a_year_back_beside_a_quarter_is_that_quarter(text, values):
    assert [m.timex.value for m in find_timexes(text, D(2023, 10, 20))] == values


# ------------------------------------------------- transcripts, "the year", weekends, clocks

@pytest.mark.parametrize("text, expected", [
    ("The plant closed in nineteen eighty-seven.", [("nineteen eighty-seven", "1987")]),
    ("Prices peaked in the spring of nineteen ninety-one.", [("the spring of nineteen ninety-one", "1991-SP")]),
    ("March nineteen ninety-four. The talks collapse.", [("March nineteen ninety-four", "1994-03")]),
    ("The law dates from nineteen hundred and five.", [("nineteen hundred and five", "1905")]),
    ("The dam should be finished by the year two thousand.", [("the year two thousand", "2000")]),
    ("Some two thousand people marched.", []),
])
def test_spelled_out_years(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The group forecast higher profit for the full year.", [("the full year", "2025")]),
    ("The firm expects a loss for the year.", [("the year", "2025")]),
    ("Revenue for the year ended June 30 was flat.", [("the year", "P1Y"), ("June 30", "2024-06-30")]),
    ("It aims to close the deal by year-end.", [("year-end", "2025")]),
    ("The index is up 8% since year-end.", [("year-end", "2024")]),
    ("the year before the war", []),
    ("She was named Player of the Year.", []),
])
def test_the_year_in_business_news(text, expected):
    assert spans(text, AP, lambda _: "past") == expected


@pytest.mark.parametrize("anchor, tense, value", [
    (D(2025, 2, 24), "past", "2025-W08-WE"),  # Monday: the weekend just gone
    (D(2025, 2, 24), None, "2025-W08-WE"),
    (D(2025, 2, 28), None, "2025-W09-WE"),  # Friday: the weekend ahead
    (D(2025, 2, 28), "past", "2025-W08-WE"),
    (D(2025, 3, 1), "past", "2025-W09-WE"),  # Saturday: this one
])
def test_the_weekend(anchor, tense, value):
    assert spans("Talks went on over the weekend.", anchor, lambda _: tense) == [("the weekend", value)]


@pytest.mark.parametrize("text, expected", [
    ("The tender closed at 4 p.m. EST Oct. 3.", [("4 p.m. EST Oct. 3", "2024-10-03T16:00")]),
    ("Polls closed at noon Thursday.", [("noon Thursday", "2025-02-27T12:00")]),
    ("The fire started at 10 p.m. Tuesday.", [("10 p.m. Tuesday", "2025-02-25T22:00")]),
    ("On Tuesday at 10 p.m. the fire started.", [("Tuesday", "2025-02-25"), ("10 p.m.", "2025-02-25T22:00")]),
    ("the last half of 2024", [("the last half of 2024", "2024-H2")]),
])
def test_clock_times_with_their_day(text, expected):
    assert spans(text, AP, lambda _: "past") == expected


@pytest.mark.parametrize("text, value", [
    ("The talks lasted 5 1/2 hours.", "PT5H30M"),
    ("The trial took 2 1/2 years.", "P2Y6M"),
    ("Two and a half years passed.", "P2Y6M"),
    ("The alarm sounded a minute and a half later.", "PT1M30S"),
    ("The strike lasted a day and a half.", "P1DT12H"),
    ("The project slipped 1.5 months.", "P1.5M"),  # no whole number of days: kept as a decimal
])
def test_fractional_durations(text, value):
    assert [v for _, v in spans(text)] == [value]


@pytest.mark.parametrize("text, expected", [
    ("Talks resumed in June last year.", [("June last year", "2024-06")]),
    ("Sales fell in January this year.", [("January this year", "2025-01")]),
    ("The coming election will be close.", []),
])
def test_months_of_a_relative_year(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("The driver, 41 years old, was unhurt.", []),  # an age, as "a 52-year-old" is
    ("The fund pays $2.40 a year.", []),  # a rate
    ("The ferry makes six crossings a week.", []),
    ("Rebels hold three-quarters of the province.", []),
    ("Sales fell in three quarters of 2023.", [("three quarters", "P9M"), ("2023", "2023")]),
    ("It was the first rise in a year.", [("a year", "P1Y")]),
    ("He waited a year for the ruling.", [("a year", "P1Y")]),
])
def test_ages_rates_and_shares_are_not_times(text, expected):
    assert spans(text) == expected


@pytest.mark.parametrize("text, reference, expected", [
    ("He fled in June 2019 and came back later that year.", None,
     [("June 2019", "2019-06"), ("later that year", "2019")]),
    ("The truce was signed on March 3, 2016; the following year fighting resumed.", None,
     [("March 3, 2016", "2016-03-03"), ("the following year", "2017")]),
    ("The following month, the board resigned.", Timex("DATE", "2024-03", D(2024, 3, 1), D(2024, 3, 31)),
     [("The following month", "2024-04")]),
    ("The ship docked the next morning.", Timex("DATE", "2024-11-05", D(2024, 11, 5), D(2024, 11, 5)),
     [("the next morning", "2024-11-06TMO")]),
    ("Exports doubled that year.", Timex("DATE", "2019", D(2019, 1, 1), D(2019, 12, 31)), [("that year", "2019")]),
    ("Exports doubled that year.", None, []),  # nothing named before: no value to give
    ("The list was posted that same day.", Timex("DATE", "2019", D(2019, 1, 1), D(2019, 12, 31)), []),
    ("The following year, prices fell.", None, [("The following year", "2026")]),  # from the anchor
])
def test_anaphoric_times_count_from_the_time_named_last(text, reference, expected):
    assert [(m.text, m.timex.value) for m in find_timexes(text, AP, reference=reference)] == expected


@pytest.mark.parametrize("text, expected", [
    ("The ferry may sail as soon as Tuesday.", [("Tuesday", "2025-02-25")]),
    ("Prices fell soon after the vote.", []),
    ("The law will soon change.", [("soon", "FUTURE_REF")]),
    ("The rebels held the town for years.", [("years", "PXY")]),
    ("Troops will deploy within weeks.", [("weeks", "PXW")]),
    ("The house is 200 years old.", []),
])
def test_soon_and_bare_plural_units(text, expected):
    assert spans(text, AP, lambda _: "past") == expected
