"""Parse helpers in pipeline.syntax that need no model, on sentences written for these tests."""
import spacy

from pipeline.syntax import inside_quotes


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
