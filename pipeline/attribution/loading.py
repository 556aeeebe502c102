"""Put a trained attribution model (a spaCy pipeline folder from `newsie train attribution`)
into newsie's pipeline."""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

from . import component  # noqa: F401  (registers the factory and architectures)

TRAINED = "newsie_attribution"


def load_attribution_pipe(nlp: Language, model_dir: str | Path, rules: str) -> None:
    """Add the trained component from `model_dir` before the rule component `rules`, which
    then only adds what the model missed (its patterns for "put the number at", report-noun
    subjects and headline colons are rare in the training data)."""
    trained = spacy.load(model_dir)
    nlp.add_pipe(TRAINED, source=trained, before=rules)
    nlp.get_pipe(TRAINED).cfg["resolve_sources"] = False  # the claims stage resolves every source
    nlp.get_pipe(rules).mode = "fallback"
