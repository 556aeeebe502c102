"""Building a pipeline without importing every installed spaCy plugin.

spaCy's `Language()` imports the `spacy_factories` entry points of every installed package,
whether the config names their components or not. Here that is spacy-transformers, whose
import pulls in transformers, torch._dynamo and scikit-learn: about 3 s at every start and
in every worker process, for a component (`transformer`) no shipped config uses.

`load_pipeline(config)` builds the pipeline with newsie's own factories only (they are
registered by importing newsie.components anyway). A config that names a component of
another package (itself, or in a model it sources) stops with spaCy's "can't find factory"
error (E002) when that component is reached; it is then built again the ordinary way, every
entry point loaded, so a model trained with configs/attribution_trf.cfg still works: it pays
for the components read before that point twice, instead of saving the 3 s.
"""
from __future__ import annotations

from contextlib import contextmanager
from importlib.metadata import entry_points
from typing import Iterator

from spacy.language import Language
from spacy.util import load_model_from_config, registry

OWN_PACKAGE = "newsie"
FACTORY_GROUP = "spacy_factories"


def load_pipeline(config, **kwargs) -> Language:
    """spacy.util.load_model_from_config(config, **kwargs), without loading other packages'
    factories unless the config needs one."""
    try:
        with own_factories_only():
            return load_model_from_config(config, **kwargs)
    except ValueError as exc:
        if "[E002]" not in str(exc):
            raise
    return load_model_from_config(config, **kwargs)


@contextmanager
def own_factories_only() -> Iterator[None]:
    """While it lasts, spaCy's load of entry-point factories loads newsie's alone."""
    entry_point_registry = registry._entry_point_factories

    def get_all() -> dict:
        loaded = {}
        for entry_point in entry_points(group=FACTORY_GROUP):
            if entry_point.value.split(":")[0].split(".")[0] == OWN_PACKAGE:
                loaded[entry_point.name] = entry_point.load()
        return loaded

    entry_point_registry.get_all = get_all  # an instance attribute hides the method
    try:
        yield
    finally:
        del entry_point_registry.get_all
