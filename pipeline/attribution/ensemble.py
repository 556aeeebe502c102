"""Combine trained attribution pipelines into one whose tagger is the mean of theirs
(architecture newsie.TaggerEnsemble.v1). Members keep their own weights and configs; the first
member's pipeline supplies everything else (decoding settings, tokenizer, training sections).

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

from .component import AttributionTagger  # noqa: F401  registers the factory and architectures
from .train import replace_model_dir

PIPE = "newsie_attribution"


def _member_name(index: int) -> str:
    return f"member{index + 1}"


def ensemble_config(member_configs: Sequence[dict]) -> dict:
    """The first member's pipeline config with its tagger replaced by the ensemble of all members'."""
    config = copy.deepcopy(member_configs[0])
    members = {_member_name(i): copy.deepcopy(c["components"][PIPE]["model"]) for i, c in enumerate(member_configs)}
    config["components"][PIPE]["model"] = {"@architectures": "newsie.TaggerEnsemble.v1", "*": members}
    return config


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
    combined = load_model_from_config(spacy.util.Config(ensemble_config(configs)), auto_fill=True, validate=True)
    pipe = combined.get_pipe(PIPE)
    pipe.cfg["weights_dtype"] = weights_dtype
    ensemble = pipe.model
    for member, nlp in zip(ensemble.layers, sources):
        member.from_bytes(nlp.get_pipe(PIPE).model.to_bytes())
    combined.meta["newsie_ensemble_of"] = [
        {"path": str(path), "performance": nlp.meta.get("performance", {})} for path, nlp in zip(model_dirs, sources)]
    output_dir = Path(output_dir)
    with tempfile.TemporaryDirectory(prefix="newsie-ensemble-") as tmp:
        combined.to_disk(tmp)
        replace_model_dir(Path(tmp), output_dir)
    print(json.dumps({"output": str(output_dir), "members": [str(p) for p in model_dirs]}, indent=2))
    return output_dir
