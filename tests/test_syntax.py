"""Parse helpers in newsie.syntax that need no model, on sentences written for these tests."""
import spacy

from newsie.syntax import inside_quotes


def _doc(text: str):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(text)


def test_inside_quotes_counts_marks_from_the_sentence_start():
    doc = _doc('The mayor said "we lost 40 homes" on Sunday. Nobody "knew" then.')
    word = {t.text: t for t in doc}
    assert inside_quotes(word["homes"]) and inside_quotes(word["40"])
    assert not inside_quotes(word["Sunday"]) and not inside_quotes(word["mayor"])
    assert inside_quotes(word["knew"]) and not inside_quotes(word["then"])


def test_inside_quotes_reads_curly_marks_and_never_crosses_a_sentence():
    doc = _doc("“The bridge held. It was built in 1990,” the engineer said.")
    sents = list(doc.sents)
    assert len(sents) == 2  # the quotation spans two sentences: each is read on its own
    word = {t.text: t for t in doc}
    assert inside_quotes(word["bridge"])
    assert not inside_quotes(word["built"])  # its sentence opens no quotation


def _span(doc, phrase: str):
    start = doc.text.index(phrase)
    return doc.char_span(start, start + len(phrase))


def test_a_lead_in_before_a_dash_at_a_line_start_is_dropped():
    from newsie.syntax import without_lead_in

    doc = _doc("Floods in the north\n\nBERLIN (AP) — The ministry said 12 bridges closed.")
    assert without_lead_in(_span(doc, "BERLIN (AP) — The ministry")).text == "The ministry"
    doc = _doc("OSLO: The agency said fares rise.")
    assert without_lead_in(_span(doc, "OSLO: The agency")).text == "The agency"


def test_a_dash_inside_a_source_phrase_keeps_the_phrase():
    from newsie.syntax import without_lead_in

    doc = _doc("Sales fell, Anna Berg, the head of Lumo -- the firm that builds the ferries -- said on Monday.")
    source = _span(doc, "Anna Berg, the head of Lumo -- the firm that builds the ferries --")
    assert without_lead_in(source).text == source.text
    # at a line start too, when the dash comes after more words than a dateline has
    doc = _doc("The report of the regional transport authority for the northern provinces – seen by reporters – "
               "shows delays.")
    source = _span(doc, "The report of the regional transport authority for the northern provinces – seen by reporters –")
    assert without_lead_in(source).text == source.text
