"""newsie's spaCy components, one module per stage, in the order data flows:

line breaks -> (spaCy) -> entities -> dates -> quantities -> attribution -> claims

Importing this package registers every factory with spaCy.
"""
from . import lines, entities, dates, quantities, attribution, claims  # noqa: F401  (registers factories)
