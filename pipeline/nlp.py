"""Assemble the spaCy pipeline from configs/pipeline.cfg (no downloads: the base model is
a PyPI package, the attribution model lives in models/)."""
from __future__ import annotations

import hashlib
from pathlib import Path

from spacy.language import Language
from spacy.util import load_config, load_model_from_config

from . import components  # noqa: F401  (registers the factories)
from .fast_gemm import use_numpy_gemm_in_pipeline
from .paths import CONFIGS, MODELS

DEFAULT_CONFIG = CONFIGS / "pipeline.cfg"
DEFAULT_ATTRIBUTION_MODEL = MODELS / "attribution"
RULES = "newsie_attribution_rules"
ATTRIBUTION_DIGEST = "newsie_attribution_model_sha1"


def build_nlp(config_path: str | Path = DEFAULT_CONFIG, attribution_model: str | Path | None = None,
              use_rules: bool = False) -> Language:
    """The whole pipeline. The trained attribution component (a model given, or the one
    shipped in models/attribution) runs first and the rules fill in what it missed, unless
    `use_rules` asks for the rules alone."""
    config = load_config(config_path, overrides={"paths.configs": str(CONFIGS)}, interpolate=False)
    nlp = load_model_from_config(config, auto_fill=True)
    model_dir = Path(attribution_model) if attribution_model else DEFAULT_ATTRIBUTION_MODEL
    if attribution_model is not None and not _is_model(model_dir):
        raise FileNotFoundError(f"no attribution model in {model_dir} (expected a spaCy pipeline folder with config.cfg)")
    if not use_rules and _is_model(model_dir):
        swap_in_attribution_model(nlp, model_dir)
        nlp.meta[ATTRIBUTION_DIGEST] = model_digest(model_dir)
    use_numpy_gemm_in_pipeline(nlp)
    return nlp


def _is_model(path: Path) -> bool:
    return (path / "config.cfg").is_file()


def swap_in_attribution_model(nlp: Language, model_dir: Path) -> None:
    from .attribution.loading import load_attribution_pipe

    load_attribution_pipe(nlp, model_dir, rules=RULES)


def model_digest(model_dir: Path) -> str:
    """SHA-1 over a model folder's files (config, weights): a retrained model is a new pipeline."""
    digest = hashlib.sha1()
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        digest.update(str(path.relative_to(model_dir)).encode("utf-8"))
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def pipeline_version(nlp: Language) -> str:
    """Changes when the pipeline's components, the attribution model or newsie's version change
    (for incremental runs)."""
    from . import __version__

    version = f"{__version__}:{'+'.join(nlp.pipe_names)}"
    if nlp.meta.get(ATTRIBUTION_DIGEST):
        version += f":attribution-{nlp.meta[ATTRIBUTION_DIGEST]}"
    return version
