"""Trainable attribution component: who said what (source, cue, content) in news text.

Importing this package registers the "newsie_attribution" factory (the trainable tagger), the
"newsie_attribution_rules" factory (dependency-parse rules, `rules`) and the model architectures.
How the two combine is `merge`.
"""
from .component import AttributionTagger, make_attribution_tagger
from .rules import RuleAttribution, make_rule_attribution
from .data import ROLES, jsonl_to_docbin, parse_brat, read_brat_dir, read_jsonl, read_records, record_to_doc
from .evaluate import evaluate_attribution
from .linking import link_attributions

__all__ = [
    "AttributionTagger", "make_attribution_tagger", "RuleAttribution", "make_rule_attribution", "ROLES", "jsonl_to_docbin", "parse_brat", "read_brat_dir",
    "read_jsonl", "read_records", "record_to_doc", "evaluate_attribution", "link_attributions", "train_attribution",
]


def train_attribution(*args, **kwargs):
    """See newsie.attribution.train.train_attribution (imported lazily: training pulls in more of spaCy)."""
    from .train import train_attribution as _train

    return _train(*args, **kwargs)
