"""newsie's spaCy components, one module per stage, in the order data flows:

line breaks -> (spaCy, with newsie's faster attribute ruler) -> entities -> dates -> quantities
-> attribution -> claims

The attribution stage lives in `newsie.attribution` (the trained component and the
rules); the attribute ruler, spaCy's own with a per-token lookup, in
`newsie.fast_attribute_ruler`. Importing this package registers every factory with spaCy.
"""
from . import lines  # noqa: F401  (registers factories)
from .. import fast_attribute_ruler  # noqa: F401  (newsie_attribute_ruler)
from . import entities, dates, quantities  # noqa: F401
from .. import attribution  # noqa: F401  (newsie_attribution, newsie_attribution_rules)
from . import claims  # noqa: F401
