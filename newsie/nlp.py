"""Assemble the spaCy pipeline from a config in configs/ (no downloads: the base model is a
PyPI package, the attribution model lives in models/ and is sourced by the config).

configs/pipeline.cfg: the trained attribution tagger, then the rules (the default).
configs/pipeline_rules.cfg: rule attribution alone (`newsie run --rules`).
"""
from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.language import Language
from spacy.util import load_config, load_model_from_config

from . import components  # noqa: F401  (registers the factories)
from .fast_gemm import use_numpy_gemm_in_pipeline
from .attribution.component import PIPE as ATTRIBUTION_PIPE
from .paths import CONFIGS, MODELS, PIPELINE_CONFIG

ATTRIBUTION_DIGEST = "newsie_attribution_model_sha1"
CLAIMS_PIPE = "newsie_claims"
CLAIMS_DIGEST = "newsie_claims_models_sha1"


def build_nlp(config_path: str | Path | None = None, attribution_model: str | Path | None = None,
              overrides: dict | None = None) -> Language:
    """The whole pipeline from `config_path` (default configs/pipeline.cfg). `attribution_model`
    replaces the shipped trained component (a folder written by `newsie train attribution`);
    `overrides` sets config values ({"components.newsie_claims.models_path": None})."""
    config_path = Path(config_path) if config_path is not None else PIPELINE_CONFIG
    overrides = {"paths.configs": str(CONFIGS), "paths.models": str(MODELS), **(overrides or {})}
    config = load_config(config_path, overrides=overrides, interpolate=False)
    if attribution_model is not None:
        if "attribution_model" not in config["paths"]:
            raise ValueError(f"{config_path} has no trained attribution component to replace with {attribution_model}")
        if not _is_model(Path(attribution_model)):
            raise FileNotFoundError(f"no attribution model in {attribution_model} "
                                    "(expected a spaCy pipeline folder with config.cfg)")
        config["paths"]["attribution_model"] = str(attribution_model)
    nlp = load_model_from_config(config, auto_fill=True)
    if ATTRIBUTION_PIPE in nlp.pipe_names:
        model_dir = Path(config.interpolate()["paths"]["attribution_model"])
        nlp.meta[ATTRIBUTION_DIGEST] = model_digest(model_dir)
    claims_models = config.interpolate()["components"].get(CLAIMS_PIPE, {}).get("models_path")
    if CLAIMS_PIPE in nlp.pipe_names and claims_models:
        nlp.meta[CLAIMS_DIGEST] = model_digest(Path(claims_models))
    use_numpy_gemm_in_pipeline(nlp)
    return nlp


def _is_model(path: Path) -> bool:
    return (path / "config.cfg").is_file()


def model_digest(model_dir: Path) -> str:
    """SHA-1 over a model folder's files (config, weights): a retrained model is a new pipeline."""
    digest = hashlib.sha1()
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(model_dir)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def pipeline_version(nlp: Language) -> str:
    """Changes when the pipeline's components, the trained models or newsie's version change
    (for incremental runs)."""
    from .version import __version__

    version = f"{__version__}:{'+'.join(nlp.pipe_names)}"
    if nlp.meta.get(ATTRIBUTION_DIGEST):
        version += f":attribution-{nlp.meta[ATTRIBUTION_DIGEST]}"
    if nlp.meta.get(CLAIMS_DIGEST):
        version += f":claims-{nlp.meta[CLAIMS_DIGEST]}"
    return version
