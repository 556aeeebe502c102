"""Who said what (source, cue, content) in news text, at run time.

Importing this package registers the "newsie_attribution" factory (the trainable tagger,
`component` and `model`), the "newsie_attribution_rules" factory (dependency-parse rules,
`rules`) and the tagger's scorer. How the two combine is `merge`, how spans become
attributions `linking`. Training and evaluation (`data`, `train`, `distillation`, `ensemble`,
`span_costs`, `evaluate`) are imported only by the commands that use them.
"""
from .component import AttributionTagger, make_attribution_tagger
from .linking import link_attributions
from .rules import RuleAttribution, make_rule_attribution

__all__ = ["AttributionTagger", "make_attribution_tagger", "RuleAttribution", "make_rule_attribution", "link_attributions"]
