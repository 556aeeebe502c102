"""The linear-chain CRF of the attribution tagger (pipeline/attribution/crf.py) against brute force
over every allowed tag path, and the v2 tagger that learns its transitions."""
import itertools

import numpy as np
import pytest
import spacy
from spacy.training import Example
from thinc.api import Config

import pipeline.attribution  # noqa: F401  registers the factory
from pipeline.attribution.component import DEFAULT_MODEL_CONFIG
from pipeline.attribution.crf import constrained_viterbi, negative_log_likelihood
from pipeline.attribution.data import record_to_doc

O, B, I = 0, 1, 2


def _allowed_paths(n):
    for path in itertools.product((O, B, I), repeat=n):
        if path[0] != I and not any(a == O and b == I for a, b in zip(path, path[1:])):
            yield path


def _path_score(probs, transitions, path, span_cost=0.0):
    score = transitions[3, path[0]] + sum(transitions[a, b] for a, b in zip(path, path[1:]))
    return score + sum(np.log(probs[t, tag] + 1e-9) - (span_cost if tag == B else 0.0) for t, tag in enumerate(path))


def _random_case(rng, n):
    return rng.dirichlet([1.0, 1.0, 1.0], size=n), rng.normal(size=(4, 3))


@pytest.mark.parametrize("n", [1, 2, 5])
def test_viterbi_with_transitions_finds_the_best_allowed_path(n):
    rng = np.random.default_rng(n)
    for _ in range(20):
        probs, transitions = _random_case(rng, n)
        best = max(_allowed_paths(n), key=lambda path: _path_score(probs, transitions, path, 0.7))
        assert tuple(constrained_viterbi(probs, 0.7, transitions)) == best


def test_learned_scores_cannot_allow_i_after_o():
    probs = np.array([[0.9, 0.06, 0.04], [0.05, 0.05, 0.9], [0.9, 0.05, 0.05]])
    transitions = np.zeros((4, 3))
    transitions[0, 2] = transitions[3, 2] = 50.0  # O->I and start->I, however favoured, stay impossible
    assert constrained_viterbi(probs, 0.0, transitions) == [B, I, O]  # not O I O
    assert constrained_viterbi(probs[1:], 0.0, transitions)[0] != I  # never I first


def test_zero_transitions_decode_as_the_plain_constrained_path():
    rng = np.random.default_rng(3)
    for _ in range(20):
        probs = rng.dirichlet([0.3, 0.3, 0.3], size=12)
        assert constrained_viterbi(probs, 1.0, np.zeros((4, 3))) == constrained_viterbi(probs, 1.0)


@pytest.mark.parametrize("n", [1, 2, 4])
def test_negative_log_likelihood_matches_brute_force_and_its_gradients(n):
    rng = np.random.default_rng(10 + n)
    cases = [_random_case(rng, n) for _ in range(2)]  # two roles
    probs = np.stack([p for p, _ in cases])
    transitions = np.stack([t for _, t in cases])
    gold = np.array([list(next(_allowed_paths(n))), list(list(_allowed_paths(n))[-1])])
    loss, d_logits, d_transitions = negative_log_likelihood(probs, gold, transitions)
    expected = sum(np.logaddexp.reduce([_path_score(probs[r], transitions[r], path) for path in _allowed_paths(n)])
                   - _path_score(probs[r], transitions[r], gold[r]) for r in range(2))
    assert loss == pytest.approx(expected, abs=1e-6)
    eps = 1e-6
    for index in itertools.product(range(2), range(4), range(3)):
        shifted = transitions.copy()
        shifted[index] += eps
        numeric = (negative_log_likelihood(probs, gold, shifted)[0] - loss) / eps
        assert d_transitions[index] == pytest.approx(numeric, abs=1e-4)
    logits = np.log(probs)
    for index in itertools.product(range(2), range(n), range(3)):
        shifted = logits.copy()
        shifted[index] += eps
        shifted_probs = np.exp(shifted) / np.exp(shifted).sum(axis=2, keepdims=True)
        numeric = (negative_log_likelihood(shifted_probs, gold, transitions)[0] - loss) / eps
        assert d_logits[index] == pytest.approx(numeric, abs=1e-4)


def _crf_nlp():
    config = Config().from_str(DEFAULT_MODEL_CONFIG.replace("AttributionTagger.v1", "AttributionTagger.v2"))
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie_attribution", config={"model": config["model"]})
    return nlp


def _train(nlp, text, attributions, steps):
    gold = record_to_doc(nlp, {"text": text, "attributions": attributions})
    examples = [Example(nlp.make_doc(text), gold)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer)
    return nlp


def test_v2_tagger_learns_transitions_and_keeps_them_through_a_save(tmp_path):
    text = "The harbour master said the pier will reopen in May."
    nlp = _train(_crf_nlp(), text, [{"source": [[0, 17]], "cue": [[18, 22]], "content": [[23, 51]]}], 80)
    pipe = nlp.get_pipe("newsie_attribution")
    transitions = pipe.transitions()
    assert transitions.shape == (3, 4, 3) and np.abs(transitions).max() > 0.01
    (attribution,) = nlp(text)._.attributions
    assert (attribution.source.text, attribution.cue.text) == ("The harbour master", "said")
    assert [c.text for c in attribution.content] == ["the pier will reopen in May"]
    nlp.to_disk(tmp_path / "crf")
    assert np.array_equal(spacy.load(tmp_path / "crf").get_pipe("newsie_attribution").transitions(), transitions)


def test_softmax_tagger_has_no_transitions_and_an_ensemble_averages_its_members(tmp_path):
    from pipeline.attribution.ensemble import combine_taggers

    assert spacy.blank("en").add_pipe("newsie_attribution").transitions() is None
    text = "Officials said costs rose."
    record = [{"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 25]]}]
    first, second = _train(_crf_nlp(), text, record, 30), _train(_crf_nlp(), text, record, 10)
    first.to_disk(tmp_path / "a")
    second.to_disk(tmp_path / "b")
    combine_taggers([tmp_path / "a", tmp_path / "b"], tmp_path / "ab")
    expected = (first.get_pipe("newsie_attribution").transitions() + second.get_pipe("newsie_attribution").transitions()) / 2
    np.testing.assert_allclose(spacy.load(tmp_path / "ab").get_pipe("newsie_attribution").transitions(), expected, atol=1e-6)
