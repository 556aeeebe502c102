"""How the trained component's attributions and the rules' combine (rules in "fallback" mode).

The model finds more attributions and better content boundaries; the parse names the
speaker of a verb of saying more reliably than the model's nearest-name link. See
docs/attribution.md.
"""
from __future__ import annotations

from spacy.tokens import Span

from ..extensions import Attribution
from ..syntax import is_dateline, without_lead_in


# Whether the parse's speaker replaces a different one the trained linker chose. It did
# while the linker took the nearest source in the paragraph; since the linker keeps to the
# cue's sentence, replacing costs 0.6 source and 0.7 link F1 on PolNeAR dev (a dev choice).
REPLACE_SOURCES = False


def merge_into(trained: list[Attribution], rules: list[Attribution], replace_sources: bool = REPLACE_SOURCES,
               ) -> tuple[list[Attribution], list[Attribution]]:
    """(attributions, fallbacks). Where a rule attribution has the same cue as a trained one
    that has no source, the parse's subject becomes its source. With `replace_sources`, it also
    replaces a trained source it does not overlap. Every rule attribution stays a fallback for
    figures no trained one holds; one that shares a trained attribution's cue takes that one's
    source, so one cue has one speaker in every row it gives."""
    for a in trained:
        a.source = without_lead_in(a.source)
        if is_dateline(a.source):
            a.source = None  # "MOSCOW, Russia (AP) --" places the story; it says nothing
    for rule in rules:
        for a in trained:
            same_cue = (a.cue is not None and rule.cue is not None
                        and a.cue.start_char < rule.cue.end_char and rule.cue.start_char < a.cue.end_char)
            if same_cue and rule.source is not None and (
                    a.source is None or replace_sources and not _same_speaker(a.source, rule.source)):
                a.source = rule.source
            if same_cue and a.source is not None:
                rule.source = a.source
    return list(trained), list(rules)


def _same_speaker(a: Span | None, b: Span) -> bool:
    return a is not None and a.start_char < b.end_char and b.start_char < a.end_char
