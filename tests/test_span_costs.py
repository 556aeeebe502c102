"""Choosing span costs on annotated articles (newsie.attribution.span_costs and
`newsie train span-costs`). Sentences written for these tests."""
from __future__ import annotations

import json

import pytest
import spacy
from spacy.training import Example
from typer.testing import CliRunner

from newsie.attribution.component import ROLES
from newsie.attribution.data import record_to_doc
from newsie.attribution.span_costs import Trial, best_trial, check_grid, search_span_costs, write_span_costs
from newsie.cli import app

RECORDS = [
    {"text": "Officials said costs rose.", "attributions": [
        {"source": [[0, 9]], "cue": [[10, 14]], "content": [[15, 25]]}]},
    {"text": "Doctors said wards filled.", "attributions": [
        {"source": [[0, 7]], "cue": [[8, 12]], "content": [[13, 25]]}]},
]


def _trained(steps: int = 60):
    nlp = spacy.blank("en")
    nlp.add_pipe("newsie_attribution", config={"span_costs": {"source": 1.0, "cue": 1.0, "content": 1.0}})
    examples = [Example(nlp.make_doc(r["text"]), record_to_doc(nlp, r)) for r in RECORDS]
    optimizer = nlp.initialize(lambda: examples)
    for _ in range(steps):
        nlp.update(examples, sgd=optimizer)
    return nlp


def test_every_grid_point_is_decoded_and_scored_and_the_component_keeps_its_costs():
    nlp = _trained()
    trials = search_span_costs(nlp, RECORDS, grid=[0.0, 50.0])
    assert len(trials) == 8 and {tuple(t.costs[r] for r in ROLES) for t in trials} == {
        (a, b, c) for a in (0.0, 50.0) for b in (0.0, 50.0) for c in (0.0, 50.0)}
    by_costs = {tuple(t.costs[r] for r in ROLES): t.scores for t in trials}
    # a cost of 50 (log-probability) outweighs any tag probability: that role decodes no span
    assert by_costs[(0.0, 50.0, 0.0)]["cue"] == 0.0 and by_costs[(0.0, 50.0, 0.0)]["link"] == 0.0
    assert by_costs[(0.0, 0.0, 0.0)]["cue"] > 0.5 and by_costs[(0.0, 0.0, 0.0)]["link"] > 0.5
    assert by_costs[(50.0, 0.0, 0.0)]["source"] == 0.0 and by_costs[(50.0, 0.0, 0.0)]["cue"] > 0.5
    assert nlp.get_pipe("newsie_attribution").span_costs == {"source": 1.0, "cue": 1.0, "content": 1.0}


def test_search_needs_a_trained_attribution_component():
    with pytest.raises(ValueError, match="no trained attribution component"):
        search_span_costs(spacy.blank("en"), RECORDS)


def test_best_trial_maximizes_the_objective_and_breaks_ties_for_the_current_costs():
    def trial(costs, source, cue, content, link):
        return Trial(dict(zip(ROLES, costs)), {"source": source, "cue": cue, "content": content, "link": link})

    low, mid, high = trial((0, 0, 0), .5, .8, .5, .5), trial((1, 1, 1), .6, .6, .6, .6), trial((2, 2, 2), .6, .6, .6, .6)
    assert best_trial([low, mid, high], "cue") is low
    assert best_trial([low, mid, high], "mean") is mid  # tied with high: the lower costs
    assert best_trial([low, mid, high], "mean", prefer=high.costs) is high
    with pytest.raises(ValueError, match="objective"):
        best_trial([low], "recall")


@pytest.mark.parametrize("grid", [[], [-1.0, 1.0]])
def test_a_grid_needs_costs_of_zero_or_more(grid):
    with pytest.raises(ValueError, match="grid"):
        check_grid(grid)


def test_written_costs_are_the_ones_a_loaded_model_uses(tmp_path):
    _trained(steps=5).to_disk(tmp_path / "model")
    write_span_costs(tmp_path / "model", {"source": 0.5, "cue": 0.0, "content": 2.0}, provenance={"objective": "mean"})
    loaded = spacy.load(tmp_path / "model")
    assert loaded.get_pipe("newsie_attribution").span_costs == {"source": 0.5, "cue": 0.0, "content": 2.0}
    assert json.loads((tmp_path / "model" / "meta.json").read_text())["newsie_span_costs"] == {"objective": "mean"}


def test_command_chooses_writes_and_refuses_bad_input(tmp_path):
    model, dev = tmp_path / "model", tmp_path / "dev.jsonl"
    _trained().to_disk(model)
    dev.write_text("".join(json.dumps(r) + "\n" for r in RECORDS), encoding="utf-8")
    runner = CliRunner()
    bad_grid = runner.invoke(app, ["train", "span-costs", str(model), "--dev", str(dev), "--grid", "1,-2"])
    assert bad_grid.exit_code == 2 and "--grid" in bad_grid.output
    bad_objective = runner.invoke(app, ["train", "span-costs", str(model), "--dev", str(dev), "--objective", "speed"])
    assert bad_objective.exit_code == 2 and "--objective" in bad_objective.output
    not_model = runner.invoke(app, ["train", "span-costs", str(tmp_path), "--dev", str(dev)])
    assert not_model.exit_code == 2 and "not a model folder" in not_model.output

    done = runner.invoke(app, ["train", "span-costs", str(model), "--dev", str(dev), "--grid", "0,50", "--write"])
    assert done.exit_code == 0, done.output
    assert "8 combinations on 2 articles" in done.output and "(chosen)" in done.output
    costs = spacy.load(model).get_pipe("newsie_attribution").span_costs
    assert set(costs.values()) <= {0.0, 50.0} and costs["cue"] == 0.0  # a cue cost of 50 finds nothing
    meta = json.loads((model / "meta.json").read_text())["newsie_span_costs"]
    assert meta["articles"] == 2 and meta["before"] == {"source": 1.0, "cue": 1.0, "content": 1.0}
