"""Knowledge distillation for the attribution tagger: soft targets from a teacher's tag
probabilities (newsie/attribution/distillation.py), the reader that attaches them, the loss
that uses them, and the training options. Sentences written for these tests."""
import json

import numpy as np
import pytest
import spacy
from spacy.training import Example

import newsie.attribution  # noqa: F401  registers the factory
from newsie.attribution.component import N_TAGS, gold_tag_matrix, training_target
from newsie.attribution.data import AttributionCorpus, ROLES, record_to_doc
from newsie.attribution.distillation import mix_targets
from newsie.attribution.train import convert_to_docbin
from tests.test_attribution_component import _tiny_trained_nlp

WIDTH = N_TAGS * len(ROLES)
SENTENCE = "Officials said costs rose."


def _random_probabilities(rng, n_tokens):
    logits = rng.normal(size=(n_tokens, len(ROLES), N_TAGS))
    probabilities = np.exp(logits) / np.exp(logits).sum(axis=2, keepdims=True)
    return probabilities.reshape(n_tokens, WIDTH).astype("float32")


def test_mix_targets_weighs_gold_against_teacher():
    rng = np.random.default_rng(0)
    teacher = _random_probabilities(rng, 5)
    gold = np.zeros_like(teacher)
    gold[:, 0::N_TAGS] = 1.0  # every token O in every role
    assert np.array_equal(mix_targets(gold, teacher, 0.0), gold)
    assert np.allclose(mix_targets(gold, teacher, 1.0), teacher)
    mixed = mix_targets(gold, teacher, 0.25)
    assert np.allclose(mixed, 0.75 * gold + 0.25 * teacher)
    assert np.allclose(mixed.reshape(5, len(ROLES), N_TAGS).sum(axis=2), 1.0)  # still a distribution per role
    with pytest.raises(ValueError, match="same tokens"):
        mix_targets(gold, teacher[:4], 0.5)
    with pytest.raises(ValueError, match="between 0 and 1"):
        mix_targets(gold, teacher, 1.5)


def _example(nlp, text=SENTENCE, attributions=None):
    if attributions is None:
        attributions = [{"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 25]]}]
    reference = record_to_doc(nlp, {"text": text, "attributions": attributions})
    return Example(nlp.make_doc(text), reference)


def test_a_soft_target_replaces_the_one_hot_in_the_loss():
    nlp = _tiny_trained_nlp(steps=1)
    pipe = nlp.get_pipe("newsie_attribution")
    example = _example(nlp)
    scores = pipe.model.predict([example.predicted])
    _, one_hot_gradient = pipe.get_loss([example], scores)
    assert np.allclose(one_hot_gradient[0], scores[0] - gold_tag_matrix(example))

    target = _random_probabilities(np.random.default_rng(1), len(example.predicted))
    example.reference._.attribution_targets = target
    assert training_target(example) is target
    loss, gradient = pipe.get_loss([example], scores)
    assert np.allclose(gradient[0], scores[0] - target)
    expected = -(target * np.log(scores[0] + 1e-8)).sum() / len(example.predicted)
    assert loss == pytest.approx(expected, rel=1e-5)

    example.reference._.attribution_targets = target[:-1]
    with pytest.raises(ValueError, match="soft target of shape"):
        pipe.get_loss([example], scores)


def _corpus(tmp_path, records, teacher, weight):
    tmp_path.mkdir(parents=True, exist_ok=True)
    path = tmp_path / "records.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    convert_to_docbin(path, tmp_path / "train.spacy")
    return AttributionCorpus(tmp_path / "train.spacy", annotate_with=None, teacher=teacher, teacher_weight=weight)


def test_the_reader_attaches_the_teachers_probabilities_mixed_with_gold(tmp_path):
    teacher = _tiny_trained_nlp()
    teacher.to_disk(tmp_path / "teacher")
    record = {"text": "The agency said 40 homes burned.", "attributions": [
        {"source": [[0, 10]], "cue": [[11, 15]], "content": [[16, 31]]}]}
    student = spacy.blank("en")
    (pure,) = _corpus(tmp_path / "a", [record], tmp_path / "teacher", 1.0)(student)
    expected = teacher.get_pipe("newsie_attribution").predict([teacher.make_doc(record["text"])])[0]
    assert np.allclose(pure.reference._.attribution_targets, expected, atol=1e-6)

    (half,) = _corpus(tmp_path / "b", [record], tmp_path / "teacher", 0.5)(student)
    assert np.allclose(half.reference._.attribution_targets, 0.5 * gold_tag_matrix(half) + 0.5 * expected, atol=1e-6)

    (plain,) = AttributionCorpus(tmp_path / "b" / "train.spacy", annotate_with=None)(student)
    assert plain.reference._.attribution_targets is None  # no teacher: gold tags only


def test_a_student_learns_from_the_teacher_what_its_gold_lacks(tmp_path):
    """Its gold data has no attribution at all; with teacher_weight 1 it learns the teacher's."""
    teacher = _tiny_trained_nlp()
    teacher.to_disk(tmp_path / "teacher")
    record = {"text": SENTENCE, "attributions": []}
    student = spacy.blank("en")
    student.add_pipe("newsie_attribution")

    def learn(weight):
        corpus = _corpus(tmp_path / f"w{weight}", [record], tmp_path / "teacher", weight)
        examples = list(corpus(student))
        optimizer = student.initialize(lambda: examples)
        for _ in range(40):
            student.update(list(corpus(student)), sgd=optimizer)
        return [a.cue.text for a in student(SENTENCE)._.attributions]

    assert learn(0.0) == []  # the gold alone: nothing to learn
    assert learn(1.0) == ["said"]


def test_a_teacher_weight_out_of_range_is_refused():
    with pytest.raises(ValueError, match="between 0 and 1"):
        AttributionCorpus("unused.spacy", annotate_with=None, teacher="unused", teacher_weight=-0.1)


def test_train_command_checks_the_teacher_before_training(tmp_path):
    from typer.testing import CliRunner

    from newsie.cli import app

    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"text": SENTENCE, "attributions": []}) + "\n", encoding="utf-8")
    common = ["train", "attribution", "--train", str(data), "--dev", str(data), "--output", str(tmp_path / "out")]
    missing = CliRunner().invoke(app, [*common, "--teacher", str(tmp_path / "nope")])
    assert missing.exit_code == 2 and "no trained attribution model" in missing.output
    _tiny_trained_nlp(steps=1).to_disk(tmp_path / "teacher")
    weight = CliRunner().invoke(app, [*common, "--teacher", str(tmp_path / "teacher"), "--teacher-weight", "2"])
    assert weight.exit_code == 2 and "between 0 and 1" in weight.output
    assert not (tmp_path / "out").exists()


def test_a_teacher_without_an_attribution_component_is_refused(tmp_path):
    from newsie.attribution.distillation import check_teacher

    spacy.blank("en").to_disk(tmp_path / "blank")
    with pytest.raises(ValueError, match="has no newsie_attribution"):
        check_teacher(tmp_path / "blank")
    with pytest.raises(FileNotFoundError, match="no trained attribution model"):
        check_teacher(tmp_path / "missing")
    _tiny_trained_nlp(steps=1).to_disk(tmp_path / "teacher")
    assert check_teacher(tmp_path / "teacher") == tmp_path / "teacher"
