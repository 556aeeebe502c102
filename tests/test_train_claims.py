"""`newsie train claims`: the event-type model's trainer, its JSON model, and the shipped model
reproduced from ../shared/claims-train. The small gold set in tests/data/claims_train_mini
was written for these tests."""
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsie.cli import app
from newsie.components.claims.linear import LinearModel
from newsie.paths import MODELS

MINI = Path(__file__).parent / "data" / "claims_train_mini"


def test_linear_model_round_trip_and_prediction(tmp_path):
    model = LinearModel(["killed", "wounded"], {"noun=death": [2.0, -2.0], "noun=injury": [-1.0, 1.0]}, [0.0, 0.5], {})
    assert model.predict({"noun=death": 1.0}) == "killed"
    assert model.predict({"noun=injury": 1.0}) == "wounded"
    assert model.predict({"never seen": 1.0}) == "wounded"  # the bias decides
    assert abs(sum(model.probabilities({"noun=death": 1.0}).values()) - 1.0) < 1e-9
    model.to_disk(tmp_path / "m.json")
    again = LinearModel.from_disk(tmp_path / "m.json")
    assert again.predict({"noun=death": 1.0}) == "killed" and again.classes == model.classes


@pytest.mark.slow
def test_train_claims_writes_a_model_the_pipeline_loads(tmp_path):
    result = CliRunner().invoke(app, ["train", "claims", "--train", str(MINI), "--output", str(tmp_path / "m"), "--folds", "0"])
    assert result.exit_code == 0, result.output
    model = LinearModel.from_disk(tmp_path / "m" / "event_type.json")
    assert {"killed", "wounded", "deployed"} <= set(model.classes)
    assert json.loads((tmp_path / "m" / "meta.json").read_text())["event_type"]["examples"] >= 9
    from newsie.nlp import build_nlp

    nlp = build_nlp(overrides={"components.newsie_claims.models_path": str(tmp_path / "m")})
    assert nlp.get_pipe("newsie_claims").type_model is not None
    nlp.to_disk(tmp_path / "saved")  # the model travels with a saved pipeline
    assert (tmp_path / "saved" / "newsie_claims" / "event_type.json").is_file()


def test_train_claims_refuses_a_folder_without_gold(tmp_path):
    result = CliRunner().invoke(app, ["train", "claims", "--train", str(tmp_path), "--output", str(tmp_path / "m")])
    assert result.exit_code == 2 and "no gold claims" in result.output


@pytest.mark.slow
def test_retraining_reproduces_the_shipped_model(shared, tmp_path):
    """`make train-claims` gives the shipped models/claims: the same cross-validated scores and weights."""
    train = shared("claims-train")
    result = CliRunner().invoke(app, ["train", "claims", "--train", str(train), "--output", str(tmp_path / "m")])
    assert result.exit_code == 0, result.output
    shipped = json.loads((MODELS / "claims" / "meta.json").read_text())["event_type"]
    fresh = json.loads((tmp_path / "m" / "meta.json").read_text())["event_type"]
    assert fresh["cross_validation"] == shipped["cross_validation"]
    assert fresh["cross_validation"]["model"] >= fresh["cross_validation"]["rules"]
    a, b = LinearModel.from_disk(MODELS / "claims" / "event_type.json"), LinearModel.from_disk(tmp_path / "m" / "event_type.json")
    assert a.classes == b.classes and a.weights.keys() == b.weights.keys()
    assert all(abs(x - y) < 1e-4 for k in a.weights for x, y in zip(a.weights[k], b.weights[k]))
