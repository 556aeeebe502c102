"""Combine trained attribution pipelines into one whose tagger is the mean of theirs
(architecture newsie.TaggerEnsemble.v1). Members keep their own weights and configs; the first
member's pipeline supplies everything else (decoding settings, tokenizer, training sections).
A pipeline that is itself an ensemble contributes each of its members, so a shipped ensemble
grows by new members without retraining the old ones.

    combine_taggers(["models/attribution-a", "models/attribution-b"], "models/attribution")
"""
from __future__ import annotations

import copy
import json
import tempfile
from pathlib import Path
from typing import Sequence

import spacy
from spacy.util import load_model_from_config

from .component import PIPE  # importing registers the factory and architectures
from .train import replace_model_dir

ENSEMBLE = "newsie.TaggerEnsemble.v1"


def _member_name(index: int) -> str:
    return f"member{index + 1}"


def ensemble_config(pipeline_config: dict, member_models: Sequence[dict]) -> dict:
    """pipeline_config with its tagger replaced by the ensemble of the member model configs."""
    config = copy.deepcopy(pipeline_config)
    members = {_member_name(i): copy.deepcopy(c) for i, c in enumerate(member_models)}
    config["components"][PIPE]["model"] = {"@architectures": ENSEMBLE, "*": members}
    return config


def _members(nlp, config: dict) -> list[tuple[dict, object]]:
    """(model config, trained model) of each tagger in nlp: its members if it is an ensemble."""
    model_config, model = config["components"][PIPE]["model"], nlp.get_pipe(PIPE).model
    if model_config.get("@architectures") != ENSEMBLE:
        return [(model_config, model)]
    return list(zip(model_config["*"].values(), model.layers))


def combine_taggers(model_dirs: Sequence[str | Path], output_dir: str | Path, weights_dtype: str = "float32") -> Path:
    """Write a pipeline to output_dir whose tagger averages the taggers of model_dirs, its weight
    arrays stored as weights_dtype ("float16" halves the file; see component.WEIGHTS_DTYPES)."""
    if len(model_dirs) < 2:
        raise ValueError("combine at least two trained attribution pipelines")
    sources = [spacy.load(path) for path in model_dirs]
    for path, nlp in zip(model_dirs, sources):
        if PIPE not in nlp.pipe_names:
            raise ValueError(f"{path} has no {PIPE} component")
    configs = [nlp.config.interpolate() for nlp in sources]
    members = [member for nlp, config in zip(sources, configs) for member in _members(nlp, config)]
    config = ensemble_config(configs[0], [model_config for model_config, _ in members])
    combined = load_model_from_config(spacy.util.Config(config), auto_fill=True, validate=True)
    pipe = combined.get_pipe(PIPE)
    pipe.cfg["weights_dtype"] = weights_dtype
    for layer, (_, trained) in zip(pipe.model.layers, members):
        layer.from_bytes(trained.to_bytes())
    combined.meta["newsie_ensemble_of"] = [
        entry for path, nlp in zip(model_dirs, sources)
        for entry in nlp.meta.get("newsie_ensemble_of", [{"path": str(path), "performance": nlp.meta.get("performance", {})}])]
    output_dir = Path(output_dir)
    with tempfile.TemporaryDirectory(prefix="newsie-ensemble-") as tmp:
        combined.to_disk(tmp)
        replace_model_dir(Path(tmp), output_dir)
    print(json.dumps({"output": str(output_dir), "members": [entry["path"] for entry in combined.meta["newsie_ensemble_of"]]}, indent=2))
    return output_dir
