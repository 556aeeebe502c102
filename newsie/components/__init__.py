"""newsie's spaCy components, one module per stage, in the order data flows:

line breaks -> (spaCy) -> entities -> dates -> quantities -> attribution -> claims

The attribution stage lives in `newsie.attribution` (the trained component and the
rules). Importing this package registers every factory with spaCy.
"""
from . import lines, entities, dates, quantities  # noqa: F401  (registers factories)
from .. import attribution  # noqa: F401  (newsie_attribution, newsie_attribution_rules)
from . import claims  # noqa: F401
