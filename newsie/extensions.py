"""The custom attributes newsie's components put on spaCy objects, registered in one place.

Every component imports this module, so the extensions exist before any component runs.
Components pass annotations to later ones only through these (or doc.spans groups), never
through keys of their own in doc.user_data.

Doc._.published     datetime.date | None   publication date, the anchor for relative dates
Doc._.quantities    list[Span]             number expressions; each span has Span._.quantity
Doc._.timexes       list[Span]             date/time expressions; each span has Span._.timex
Doc._.names         DocumentNames | None   the document's acronyms and people (entities stage)
Doc._.attributions  list[Attribution]      who said what (source, cue, content fragments)
Doc._.rule_attributions  list[Attribution] | None
                                           rule attributions a trained component did not take
                                           (rules in "fallback" mode), for figures no other holds
Doc._.claims        list[Claim]            event records, one per reported figure
                                           (newsie.components.claims.Claim)
Span._.canonical    str | None             canonical name of an entity ("National Intelligence Service" for "NIS")
Span._.quantity     numbers.Quantity       normalized figure (value, low, high, qualifier, unit)
Span._.timex        timex.Timex            normalized time (TIMEX3 type/value, interval)
"""
from __future__ import annotations

from dataclasses import dataclass, field

from spacy.tokens import Doc, Span


@dataclass
class Attribution:
    """One attribution: a source says (cue) some content. Spans are spaCy Spans of the same Doc.

    `content` is a list because content may be discontinuous ("X," he said, "Y"): one span per
    fragment. `cue_fragments` holds a discontinuous cue's fragments ("pointed ... out"), with
    `cue` their hull; it is empty when the cue is one span. `content_spans` and `cue_spans` give
    the fragments as the `attributions` table stores them: in text order, overlapping ones joined.
    `canonical` is the full name the source resolves to (pronouns and short names resolved);
    `antecedent` is the earlier span it was taken from when the source itself names no one
    ("It said", "the organization said").
    """

    cue: Span | None
    source: Span | None = None
    content: list[Span] = field(default_factory=list)
    score: float = 1.0
    canonical: str | None = None
    antecedent: Span | None = None
    cue_fragments: list[Span] = field(default_factory=list)

    @property
    def content_spans(self) -> list[Span]:
        return joined_fragments(self.content)

    @property
    def cue_spans(self) -> list[Span]:
        if self.cue_fragments:
            return joined_fragments(self.cue_fragments)
        return [self.cue] if self.cue is not None else []

    @property
    def content_start(self) -> int | None:
        return min((s.start_char for s in self.content), default=None)

    @property
    def content_end(self) -> int | None:
        return max((s.end_char for s in self.content), default=None)

    def covers(self, start_char: int, end_char: int) -> bool:
        return any(s.start_char <= start_char and end_char <= s.end_char for s in self.content)


def joined_fragments(spans: list[Span]) -> list[Span]:
    """Fragments in text order, each once; overlapping or nested ones become their union."""
    joined: list[Span] = []
    for span in sorted(spans, key=lambda s: (s.start, -s.end)):
        if joined and span.start < joined[-1].end:
            if span.end > joined[-1].end:
                joined[-1] = span.doc[joined[-1].start:span.end]
            continue
        joined.append(span)
    return joined


def register() -> None:
    for name in ("quantities", "timexes", "names", "attributions", "rule_attributions", "claims"):
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=None)
    if not Doc.has_extension("published"):
        Doc.set_extension("published", default=None)
    for name in ("canonical", "quantity", "timex"):
        if not Span.has_extension(name):
            Span.set_extension(name, default=None)


register()
