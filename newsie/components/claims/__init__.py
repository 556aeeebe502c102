"""Stage 5, the claims stage: one event record (`Claim`) per reported figure, from the
annotated Doc. The component is `component.ClaimBuilder` ("newsie_claims"); the modules
beside it each decide one thing about a figure: what it counts and its event type
(`counted`), whether it is a claim (`exclusions`), who said it (`sources`), when
(`timing`), and its context (`context`)."""
from .claim import RUN_COLUMNS, Claim
from .component import ClaimBuilder, make_claim_builder
from .taxonomy import Taxonomy

__all__ = ["Claim", "ClaimBuilder", "RUN_COLUMNS", "Taxonomy", "make_claim_builder"]
