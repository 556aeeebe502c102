"""Earnings-story periods: the quarter a story reports, and the year-back comparisons that
refer to it (sentences written for these tests)."""
import datetime as dt

import pytest

from newsie.normalize.timex import find_timexes, reported_period

D = dt.date
OCT = D(2023, 10, 26)  # a paper in reporting season: the third quarter is the one just reported


def spans(text, anchor=OCT, period=None):
    return [(m.text, m.timex.value) for m in find_timexes(text, anchor, period=period)]


@pytest.mark.parametrize("text, period, expected", [
    # a comparison "a year earlier" is the reported quarter a year back
    ("Net income rose to $5 million from $4 million a year earlier.", "2023-Q3", [("a year earlier", "2022-Q3")]),
    ("Net income rose to $5 million from $4 million a year earlier.", None, [("a year earlier", "2022")]),
    # a sentence about another period keeps the year
    ("In the first nine months, sales rose 5% from a year earlier.", "2023-Q3",
     [("nine months", "P9M"), ("a year earlier", "2022")]),
    ("In the year-ago period, the bank lost $3 million.", "2023-Q3", [("the year-ago period", "2022-Q3")]),
    ("In the year-ago period, the bank lost $3 million.", None, [("the year-ago period", "2022-Q3")]),
    ("Analysts set it against year-earlier profit of $2 million.", "2023-Q2", [("year-earlier", "2022-Q2")]),
    ("Analysts set it against year-earlier profit of $2 million.", None, [("year-earlier", "2022")]),
    ("Costs for the year-earlier nine months were lower.", "2023-Q3", [("nine months", "P9M")]),
    ("Orders doubled from the 2022 quarter.", "2023-Q3", [("the 2022 quarter", "2022-Q3")]),
    ("The plant was idle in the 2022 second quarter.", None, [("the 2022 second quarter", "2022-Q2")]),
    ("Shipments fell from the year-ago third quarter.", None, [("the year-ago third quarter", "2022-Q3")]),
    ("The chain lost money in the quarter a year ago.", "2023-Q3", [("the quarter a year ago", "2022-Q3")]),
    ("That compares with a loss in the same period last year.", "2023-Q3",
     [("the same period last year", "2022-Q3")]),
    ("Margins in last year's quarter were thinner.", "2023-Q3", [("last year's quarter", "2022-Q3")]),
    # "the quarter" is the one the story reports
    ("Revenue fell 3% in the quarter.", "2023-Q2", [("the quarter", "2023-Q2")]),
    ("Revenue fell 3% in the quarter.", None, [("the quarter", "2023-Q3")]),
    # not dates
    ("Margins held up in the same period.", "2023-Q3", []),
    ("Analysts watch the quarter-to-quarter trend.", "2023-Q3", []),
])
def test_year_back_comparisons(text, period, expected):
    assert spans(text, period=period) == expected


@pytest.mark.parametrize("text, expected", [
    ("Profit rose in the third quarter, the company said.", "2023-Q3"),
    ("The company expects fourth-quarter sales to fall; third-quarter profit rose.", "2023-Q4"),
    ("Profit rose from a year ago.", None),
    ("In the year-ago quarter it lost money.", None),
    ("The plant was idle in the 2022 second quarter.", None),  # history, not the reported quarter
])
def test_reported_period_of_a_sentence(text, expected):
    assert reported_period(find_timexes(text, OCT), OCT) == expected


def test_the_dates_stage_carries_the_reported_quarter_through_the_article(rules_nlp):
    from tests.test_components import annotate

    doc = annotate(rules_nlp, "The retailer said its third-quarter profit rose 8%. Net income was $12 million, "
                              "up from $10 million a year earlier.", published=OCT)
    assert [(s.text, s._.timex.value) for s in doc._.timexes] == [("third-quarter", "2023-Q3"),
                                                                   ("a year earlier", "2022-Q3")]
