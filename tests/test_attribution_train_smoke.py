"""CI smoke test: retrain on 30 PolNeAR articles for 30 steps, then load the result into a pipeline."""
import pytest
import spacy

import newsie.attribution  # noqa: F401  registers the factory
from newsie.attribution.evaluate import evaluate_attribution
from newsie.attribution.train import train_attribution


@pytest.mark.slow
def test_retrain_30_articles_30_steps(tmp_path, shared):
    train, dev = shared("polnear", "train.jsonl"), shared("polnear", "dev.jsonl")
    summary = train_attribution(train, dev, tmp_path / "model", max_steps=30, max_docs=30)
    assert "attribution_cue_f" in summary["dev_scores"]
    assert (tmp_path / "model" / "newsie_attribution" / "model").exists()

    host = spacy.blank("en")
    host.add_pipe("newsie_attribution", source=spacy.load(tmp_path / "model"))
    assert isinstance(host("The mayor said taxes rise.")._.attributions, list)

    scores = evaluate_attribution(dev, host, print_table=False, max_docs=3)
    assert set(scores) == {"source", "cue", "content", "content_set", "link"}
