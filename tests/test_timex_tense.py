"""The clause tense that dates read from the parse (newsie.syntax.clause_tense), on sentences
written for these tests, and what the dates stage makes of a bare weekday with it."""
import datetime as dt

import pytest

from tests.test_components import annotate

D = dt.date
MONDAY = D(2023, 10, 30)


@pytest.mark.parametrize("text, word, tense", [
    # participles are read by their auxiliaries
    ("The boy must be returned to his father by Jan. 14.", "Jan.", "present"),
    ("The man arrested on Tuesday was released.", "Tuesday", "past"),
    ("The bridge was closed on Monday.", "Monday", "past"),
    ("The vote has been postponed until March.", "March", "past"),
    ("The summit will open on Friday.", "Friday", "future"),
    # to-infinitives
    ("The bridge is scheduled to reopen Friday.", "Friday", "prospective"),
    ("The airline plans to resume flights on Thursday.", "Thursday", "prospective"),
    ("The convoy planned to cross the border on Thursday.", "Thursday", "relative"),
    ("They were hoping to finish the count on Sunday.", "Sunday", "relative"),
    # a date inside a noun phrase dates the noun, not the infinitive
    ("The union hopes to reverse Wednesday's verdict.", "Wednesday", "present"),
    ("The insurer plans to post a third-quarter loss.", "third", "present"),
    ("The shares fell on Friday.", "Friday", "past"),
])
def test_clause_tense(rules_nlp, text, word, tense):
    from newsie.syntax import clause_tense

    doc = rules_nlp(text)
    assert clause_tense(next(t for t in doc if t.text == word)) == tense


@pytest.mark.parametrize("text, value", [
    ("The plant is scheduled to reopen Friday.", "2023-11-03"),
    ("The stock rose 5%, ending the session at $12 Friday.", "2023-10-27"),
    ("Traders pointed to Thursday's close.", "2023-10-26"),
    ("The ministers will meet on Thursday.", "2023-11-02"),
    ("The ministers met on Thursday.", "2023-10-26"),
])
def test_weekdays_in_a_monday_paper(rules_nlp, text, value):
    doc = annotate(rules_nlp, text, published=MONDAY)
    assert [s._.timex.value for s in doc._.timexes] == [value]


def test_the_dates_stage_carries_the_time_named_last_into_the_next_sentence(rules_nlp):
    doc = annotate(rules_nlp, "The mill opened in March 2019. The following month, workers went on strike.",
                   published=MONDAY)
    assert [(s.text, s._.timex.value) for s in doc._.timexes] == [("March 2019", "2019-03"),
                                                                   ("The following month", "2019-04")]
