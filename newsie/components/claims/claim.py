"""The record the claims stage makes: one per reported figure.

Its fields are the columns of `schema.CLAIMS` that one document decides (the run adds
doc_id, claim_id, attribution_id and, across documents, figure_id), in the same order,
plus `attribution_index`, the claim's attribution among Doc._.attributions.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field

# The schema columns a Claim does not carry: ids the run assigns, and the cross-document figure.
RUN_COLUMNS = ("doc_id", "claim_id", "attribution_id", "figure_id")


@dataclass
class Claim:
    event_type: str
    quantity_start: int
    quantity_end: int
    quantity_text: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    approximate: bool
    qualifier: str | None
    counted: str | None
    source_text: str | None
    source_canonical: str | None
    time_text: str | None
    time_start: dt.date | None
    time_end: dt.date | None
    locations: list[str] = field(default_factory=list)
    actors: list[str] = field(default_factory=list)
    hedged: bool = False
    negated: bool = False
    sentence_start: int = 0
    sentence_end: int = 0
    event_detail: str | None = None
    attribution_index: int | None = None
    # what the trained event-type classifier reads (type_features.py); not a column
    features: dict = field(default_factory=dict, repr=False, compare=False)
    # the source candidates (source_ranker.Candidate), kept for `newsie train claims` only
    source_options: list = field(default_factory=list, repr=False, compare=False)

    @property
    def figure(self) -> tuple:
        """The stated figure and its event type: "at least 3,000" restates "3,000"."""
        if self.value is not None:
            return (self.event_type, self.value)
        return (self.event_type, self.low, self.high)

    def row(self) -> dict:
        """The claims-table columns this record holds (schema.CLAIMS less RUN_COLUMNS)."""
        row = asdict(self)
        del row["attribution_index"], row["features"], row["source_options"]
        return row
