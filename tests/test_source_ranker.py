"""The source candidates of a figure (components/claims/source_ranker.py) on sentences written
for these tests: holding attributions innermost first, a statement carried into the next
sentence of its paragraph (never across a paragraph), the article itself, and the choice with
and without a trained ranker."""
import datetime as dt

import pytest

from newsie.components.claims.linear import LinearModel
from newsie.components.claims.source_ranker import choose, source_candidates


def _doc(nlp, text):
    doc = nlp.make_doc(text)
    doc._.published = dt.date(2024, 5, 1)
    return nlp(doc)


def _candidates(doc, fragment):
    start = doc.text.index(fragment)
    span = doc.char_span(start, start + len(fragment), alignment_mode="expand")
    attributions = list(doc._.attributions or []) + list(doc._.rule_attributions or [])
    return source_candidates(doc, span, attributions, None)


def test_a_statement_carries_into_the_next_sentence_of_its_paragraph(nlp):
    doc = _doc(nlp, "The health ministry said 40 people died on Monday. Another 12 remain missing.")
    kinds = {c.kind: c for c in _candidates(doc, "12")}
    assert "carried" in kinds and "health ministry" in kinds["carried"].attribution.source.text
    assert kinds["none"].attribution is None
    # the rules alone keep the article itself for a sentence with no speaker of its own
    assert choose(list(kinds.values()), None).kind == "none"


def test_nothing_is_carried_across_a_paragraph(nlp):
    doc = _doc(nlp, "The health ministry said 40 people died on Monday.\n\nAnother 12 remain missing.")
    assert [c.kind for c in _candidates(doc, "12")] == ["none"]


def test_a_holding_attribution_comes_first_and_wins_without_a_model(nlp):
    doc = _doc(nlp, "Police said 154 people were arrested.")
    candidates = _candidates(doc, "154")
    assert candidates[0].kind == "holding" and candidates[0].attribution.source.text == "Police"
    assert choose(candidates, None) is candidates[0]


def test_a_trained_ranker_chooses_among_the_candidates(nlp):
    doc = _doc(nlp, "The health ministry said 40 people died on Monday. Another 12 remain missing.")
    candidates = _candidates(doc, "12")
    prefers_carried = LinearModel(["right"], {"kind=carried": [2.0], "kind=none": [-1.0]}, [0.0], {})
    assert choose(candidates, prefers_carried).kind == "carried"


def test_a_speaker_of_the_sentence_whose_content_misses_the_figure_is_a_candidate(nlp):
    from newsie.extensions import Attribution

    doc = _doc(nlp, "The clinic is full and 193 people are being treated, a doctor told reporters.")
    source = doc.char_span(doc.text.index("a doctor"), doc.text.index("a doctor") + len("a doctor"))
    cue = doc.char_span(doc.text.index("told"), doc.text.index("told") + 4)
    misparsed = Attribution(cue=cue, source=source, content=[doc[0:4]])  # "The clinic is full" only
    start = doc.text.index("193")
    candidates = source_candidates(doc, doc.char_span(start, start + 3), [misparsed], None)
    assert [c.kind for c in candidates] == ["in_sentence", "none"]
    assert candidates[0].features["in_sentence_after=True"] == 1.0


@pytest.mark.parametrize("text, figure, source", [
    ("The 900 figure given by the army was disputed.", "900", "army"),
    ("By the UN's count, 3,400 people have fled.", "3,400", "UN"),
    ("A police estimate of 12,000 was published.", "12,000", "police"),
    ("Jane Smith runs the count. Her latest tally of 75 dead was released on Monday.", "75", "Jane Smith"),
])
def test_a_source_named_on_the_figure(nlp, text, figure, source):
    claim = next(c for c in _doc(nlp, text)._.claims if c.quantity_text.endswith(figure) or figure in c.quantity_text)
    assert source in f"{claim.source_text} {claim.source_canonical}"


def test_a_headline_credited_to_a_title(nlp):
    claim = _doc(nlp, "Floods kill 40: governor\n\nRain fell for days.")._.claims[0]
    assert claim.source_text == "governor"


def test_he_continues_the_person_quoted_before_not_the_last_person_named(nlp):
    text = "Police chief Juan Ortiz said 40 people died near the home of Ana Ruiz. He said 12 more were missing."
    claim = next(c for c in _doc(nlp, text)._.claims if "12" in c.quantity_text)
    assert (claim.source_text, claim.source_canonical) == ("He", "Juan Ortiz")


@pytest.mark.parametrize("text, figure, source", [
    ("According to district health officer Dr Ravi Kumar, 193 people, including 47 children, "
     "are undergoing treatment at the state hospital.", "193", "Ravi Kumar"),
    ("As per police, two attackers entered the mosque.", "two", "police"),
    ("As per the latest list, six persons sustained serious injuries.", "six", "latest list"),
])
def test_a_sentence_opening_with_according_to_names_its_source(nlp, text, figure, source):
    claim = next(c for c in _doc(nlp, text)._.claims if figure in c.quantity_text)
    assert source in f"{claim.source_text} {claim.source_canonical}"


def test_a_speaker_closing_the_sentence_after_a_comma(nlp):
    from newsie.attribution.rules import _trailing_source

    sent = next(_doc(nlp, "Twelve people died in the blast, police and hospital officials told reporters on Tuesday.").sents)
    found = _trailing_source(sent)
    assert found is not None and found.source.text == "police and hospital officials"
    assert found.content[0].text == "Twelve people died in the blast"
    clause = next(_doc(nlp, "The fire burned 300 homes, and firefighters said it was contained.").sents)
    assert _trailing_source(clause) is None  # a clause of its own, not a speaker of what came before


def test_an_acronym_before_a_headline_colon_is_a_speaker_not_a_dateline(nlp):
    claim = _doc(nlp, "WHO: 1,200 cases confirmed\n\nThe outbreak spread to three provinces.")._.claims[0]
    assert claim.source_text == "WHO" and claim.source_canonical == "World Health Organization"


@pytest.mark.parametrize("text, subject, says", [
    ("The figure rose to 40 on Tuesday.", "The figure", False),
    ("The 75 figure was revised on Tuesday.", "The 75 figure", False),
    ("Victims included 12 children.", "Victims", False),
    ("Saturday saw 40 more arrests.", "Saturday", False),
    ("Those killed include three soldiers.", "Those", False),
    ("Official figures show 40 deaths.", "Official figures", True),
    ("The police count put the crowd at 12,000.", "The police count", True),
    ("The figure from the Interior Ministry showed 40 deaths.", "The figure from the Interior Ministry", True),
    ("The ministry put the toll at 40.", "The ministry", True),
    ("The blaze claimed at least 19 lives.", "The blaze", False),                 # an event
    ("The earthquake left 200 people homeless.", "The earthquake", False),
])
def test_subjects_that_say_nothing_are_not_speakers(nlp, text, subject, says):
    from newsie.components.claims.source_ranker import speaks
    from newsie.extensions import Attribution

    doc = _doc(nlp, text)
    start = text.index(subject)
    source = doc.char_span(start, start + len(subject))
    assert speaks(Attribution(cue=None, source=source, canonical=source.text)) is says


def test_the_counted_people_do_not_report_their_own_count(nlp):
    from newsie.components.claims.source_ranker import speaks
    from newsie.extensions import Attribution

    doc = _doc(nlp, "The survivors said 40 survivors were rescued.")
    source, noun = doc[0:2], doc[4]
    assert speaks(Attribution(cue=None, source=source), noun) is False
    assert speaks(Attribution(cue=None, source=source)) is True


def test_a_content_running_over_a_paragraph_break_holds_only_its_own_paragraph(nlp):
    from newsie.components.claims.source_ranker import holding
    from newsie.extensions import Attribution

    text = "Rescuers pulled 30 people from the river.\n\nThe mayor said the bridge would reopen."
    doc = _doc(nlp, text)
    figure = doc.char_span(text.index("30"), text.index("30") + 2)
    cue_at = text.index("said")
    source = doc.char_span(text.index("The mayor"), text.index("The mayor") + 9)
    overflowing = Attribution(cue=doc.char_span(cue_at, cue_at + 4), source=source, content=[doc[0: len(doc) - 1]])
    assert holding(figure, [overflowing]) == []


def test_a_quotation_over_paragraphs_stays_with_its_speaker(nlp):
    from newsie.components.claims.source_ranker import holding
    from newsie.extensions import Attribution

    text = "The governor said: “We have lost a great deal.\n\n“At least 30 people died in the village.”"
    doc = _doc(nlp, text)
    figure = doc.char_span(text.index("30"), text.index("30") + 2)
    cue_at = text.index("said")
    quoted = Attribution(cue=doc.char_span(cue_at, cue_at + 4), source=doc[0:2], content=[doc[4: len(doc)]])
    assert holding(figure, [quoted]) == [quoted]


def test_figures_released_by_a_body_speak_for_it(nlp):
    doc = _doc(nlp, "Figures released by the Interior Ministry on Monday show 40 people died.")
    assert [c.source_canonical for c in doc._.claims] == ["Interior Ministry"]


@pytest.mark.parametrize("second, carries", [
    ("In addition, “at least 25 more people were killed in the second week.”", True),   # a quotation continued
    ("At least 25 more people were killed in the second week.", False),                  # the reporter's account
])
def test_a_quoted_paragraph_continues_the_speaker_of_the_quotation_before(nlp, second, carries):
    from newsie.components.claims.source_ranker import carried
    from newsie.extensions import Attribution

    first = "“We counted 40 deaths in the first week,” the spokesman said on Monday."
    text = first + "\n\n" + second
    doc = _doc(nlp, text)
    source = doc.char_span(text.index("the spokesman"), text.index("the spokesman") + 13)
    cue = doc.char_span(text.index("said"), text.index("said") + 4)
    quote = Attribution(cue=cue, source=source, content=[doc.char_span(0, text.index(" the spokesman"))])
    figure = doc.char_span(text.index("25"), text.index("25") + 2)
    assert [a for _, a in carried(doc, figure, [quote])] == ([quote] if carries else [])
