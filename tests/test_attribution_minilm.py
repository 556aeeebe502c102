"""Frozen MiniLM token vectors for the attribution tagger (newsie/attribution/minilm_features.py)."""
import numpy as np
import pytest

from newsie.attribution import minilm_features
from newsie.attribution.minilm_features import WIDTH, pack_windows, token_vectors


def test_windows_hold_whole_sentences_where_they_fit():
    starts = np.arange(0, 100, 10)  # ten wordpieces, one every 10 characters
    # sentences start at characters 0, 30 and 70: wordpieces 0-2, 3-6, 7-9
    assert pack_windows(starts, [0, 30, 70], 7) == [(0, 7), (7, 10)]
    assert pack_windows(starts, [0, 30, 70], 10) == [(0, 10)]
    assert pack_windows(starts, [0, 30, 70], 3) == [(0, 3), (3, 6), (6, 7), (7, 10)]


def test_a_sentence_longer_than_a_window_is_cut():
    starts = np.arange(10)
    assert pack_windows(starts, [0], 4) == [(0, 4), (4, 8), (8, 10)]
    assert pack_windows(starts, [0, 100], 20) == [(0, 10)]  # a sentence start past the last wordpiece


@pytest.fixture(scope="module")
def nlp(sentencized):
    return sentencized


def test_every_token_gets_the_mean_of_its_wordpieces(nlp):
    doc = nlp("The inspectors said unrepairable bridges were closed.\n\nNo one objected.")
    vectors = token_vectors(doc, layers=2)
    assert vectors.shape == (len(doc), WIDTH) and vectors.dtype == np.float32
    for token in doc:
        if token.is_space:
            assert not vectors[token.i].any()
        else:
            assert np.abs(vectors[token.i]).sum() > 0
    # a word of several wordpieces is not the vector of its first piece alone
    long_word = next(t for t in doc if t.text == "unrepairable")
    assert len(minilm_features._tokenizer().encode(long_word.text, add_special_tokens=False).ids) > 1


def test_vectors_depend_on_context(nlp):
    a = token_vectors(nlp("She said the river rose."), layers=4)
    b = token_vectors(nlp("She denied the river rose."), layers=4)
    assert not np.allclose(a[0], b[0], atol=1e-4)  # "She" sees the verb
    assert not np.allclose(a[3], b[3], atol=1e-4)


def test_windowing_matches_the_whole_text_when_it_fits(nlp, monkeypatch):
    doc = nlp("Officials said the road would reopen. A spokeswoman declined to comment.")
    whole = token_vectors(doc, layers=1)
    monkeypatch.setattr(minilm_features, "WINDOW", 12)  # each sentence alone in its window
    apart = token_vectors(doc, layers=1)
    assert whole.shape == apart.shape
    assert not np.allclose(whole, apart, atol=1e-4)  # a sentence sees its neighbour only in one window


def test_memo_keeps_the_last_docs_and_recomputes_after(nlp, monkeypatch):
    calls = []
    memo = minilm_features.Memo(lambda doc, layers: calls.append(doc.text) or np.zeros((len(doc), WIDTH), "float32"),
                                capacity=2)
    docs = [nlp(t) for t in ("One said.", "Two said.", "Three said.")]
    for doc in docs + [nlp("Three said."), docs[1]]:  # a copy of a text is found by its text
        memo.get(doc, 4)
    assert calls == ["One said.", "Two said.", "Three said."]
    memo.get(docs[0], 4)  # pushed out by the third
    assert calls[-1] == "One said." and len(calls) == 4


def test_empty_and_blank_docs(nlp):
    assert token_vectors(nlp(""), layers=1).shape == (0, WIDTH)
    assert not token_vectors(nlp("   "), layers=1).any()
