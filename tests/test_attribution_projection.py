"""SyntaxEmbed.v2 predicts through projected hash tables (newsie.attribution.model): the same
outputs as its layers computed as they are, and new ones when the weights change."""
import numpy as np
import pytest
import spacy
from thinc.api import set_dropout_rate

from newsie.attribution.model import FEATURE_NAMES_V2, build_syntax_embed_v2

TEXTS = ["The mayor said 40 homes were lost.", "“We will rebuild,” she told reporters on Monday.", ""]


def layer_and_docs(tensor_width: int):
    nlp = spacy.blank("en")
    docs = [nlp(t) for t in TEXTS]
    for doc in docs:
        doc.tensor = np.random.default_rng(len(doc)).normal(size=(len(doc), tensor_width)).astype("float32") \
            if tensor_width else np.zeros((len(doc), 0), "float32")
    model = build_syntax_embed_v2(16, [50] * len(FEATURE_NAMES_V2), tensor_width=tensor_width)
    model.initialize(X=docs)
    set_dropout_rate(model, 0.0)
    return model, docs


def layers_as_they_are(model, docs):
    outputs, _ = model._func(model, docs, True)  # the training path, dropout 0
    return outputs


@pytest.mark.parametrize("tensor_width", [0, 8])
def test_prediction_equals_the_layers(tensor_width):
    model, docs = layer_and_docs(tensor_width)
    predicted = model.predict(docs)
    expected = layers_as_they_are(model, docs)
    assert [p.shape for p in predicted] == [e.shape for e in expected]
    for p, e in zip(predicted, expected):
        np.testing.assert_allclose(p, e, atol=1e-5)


def test_changed_weights_are_used():
    model, docs = layer_and_docs(8)
    before = model.predict(docs)[0].copy()
    table = next(n for n in model.walk() if n.name == "hashembed")
    table.get_param("E")[:] += 0.5  # changed in place, as an optimizer step does
    after = model.predict(docs)[0]
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after, layers_as_they_are(model, docs)[0], atol=1e-5)


@pytest.mark.parametrize("tensor_width", [0, 8])
def test_minilm_vectors_take_part_in_the_projected_prediction(tensor_width):
    from newsie.attribution.model import build_syntax_embed_v3

    nlp = spacy.blank("en")
    docs = [nlp(t) for t in TEXTS]
    for doc in docs:
        doc.tensor = np.random.default_rng(len(doc)).normal(size=(len(doc), tensor_width)).astype("float32") \
            if tensor_width else np.zeros((len(doc), 0), "float32")
    model = build_syntax_embed_v3(16, [50] * len(FEATURE_NAMES_V2), tensor_width=tensor_width, minilm_layers=2)
    model.initialize(X=docs)
    set_dropout_rate(model, 0.0)
    predicted = model.predict(docs)
    for p, e in zip(predicted, layers_as_they_are(model, docs)):
        np.testing.assert_allclose(p, e, atol=1e-5)
    # the MiniLM block's weights matter: zeroing them changes the output
    maxout = next(n for n in model.walk() if n.name == "maxout")
    W = maxout.get_param("W")
    W[..., -384:] = 0.0
    assert not np.allclose(model.predict(docs)[0], predicted[0], atol=1e-4)
