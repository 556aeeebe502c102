"""Trainable attribution component: who said what (source, cue, content) in news text.

Importing this package registers the "newsie_attribution" factory and the model architectures.
"""
from .component import AttributionTagger, make_attribution_tagger
from .data import ROLES, jsonl_to_docbin, parse_brat, read_brat_dir, read_jsonl, record_to_doc
from .evaluate import evaluate_attribution
from .linking import link_attributions

__all__ = [
    "AttributionTagger", "make_attribution_tagger", "ROLES", "jsonl_to_docbin", "parse_brat", "read_brat_dir",
    "read_jsonl", "record_to_doc", "evaluate_attribution", "link_attributions", "train_attribution",
]


def train_attribution(*args, **kwargs):
    """See pipeline.attribution.train.train_attribution (imported lazily: training pulls in more of spaCy)."""
    from .train import train_attribution as _train

    return _train(*args, **kwargs)
