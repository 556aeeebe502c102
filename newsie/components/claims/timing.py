"""When a counted thing happened: the time expression governing a figure, and the date a
restated figure takes from its dated restatement."""
from __future__ import annotations

from spacy.tokens import Span, Token

from ...extensions import Attribution
from .claim import Claim


def time_for(span: Span, number: Token, noun: Token | None, timexes: list[Span],
             attribution: Attribution | None = None) -> Span | None:
    """The time expression governing the figure, nearest first: one describing the counted
    thing ("11,000 soldiers, who were sent in autumn"), one in the figure's own clause that
    does not date the statement ("said on Thursday"), else the nearest in the sentence."""
    sent = span.sent
    in_sentence = [t for t in timexes if sent.start_char <= t.start_char < sent.end_char and t._.timex.start is not None]
    if not in_sentence:
        return None
    verb = next((a for a in number.ancestors if a.pos_ in ("VERB", "AUX")), None)
    scopes = [noun, verb] if noun is not None and noun.i != number.i else [verb]
    for scope in scopes:
        if scope is None:
            continue
        inside = {t.i for t in scope.subtree}
        candidates = [t for t in in_sentence if t.root.i in inside and not _dates_the_statement(t, attribution)
                      and not _dates_another_figure(t, number)]
        if candidates:
            return min(candidates, key=lambda t: abs(t.start_char - span.start_char))
    # a day that dates the statement ("said on Tuesday") says when it was said, not when the
    # counted thing happened; a month or season there ("In January, the NIS said") still does
    rest = [t for t in in_sentence if not (_dates_the_statement(t, attribution) and t._.timex.start == t._.timex.end)
            and not _dates_another_figure(t, number)]
    return min(rest, key=lambda t: abs(t.start_char - span.start_char)) if rest else None


def _dates_another_figure(timex: Span, number: Token) -> bool:
    """"40 million gallons, or four times the amount spilled in 1972", "higher than the 120
    killed in 2019": a time expression inside the phrase of another figure, or of what the
    figure is compared with, dates that, not this figure."""
    own = {number.i, *(a.i for a in number.ancestors), *(t.i for t in timex)}
    for token in timex.root.ancestors:
        if token.i in own:
            return False
        if token.lower_ == "than" or token.like_num or any(c.like_num and c.i not in own for c in token.children):
            return True
    return False


def _dates_the_statement(timex: Span, attribution: Attribution | None) -> bool:
    """"said during a visit to Kyiv on Tuesday": under the cue verb, outside what was said."""
    if attribution is None or attribution.cue is None:
        return False
    cue = attribution.cue.root
    governing_verb = next((a for a in timex.root.ancestors if a.pos_ in ("VERB", "AUX")), None)
    return governing_verb is not None and governing_verb.i == cue.i and not attribution.covers(timex.start_char, timex.end_char)


def date_restated_figures(claims: list[Claim]) -> None:
    """A figure in a headline or lede is usually restated further down with its date ("3,000
    more soldiers" ... "the 3,000 additional troops were deployed in January and February"):
    an undated claim takes the time of a dated claim of the same document with the same
    figure and event type."""
    dated = {}
    for c in claims:
        if c.time_start is not None:
            dated.setdefault(c.figure, c)
    for c in claims:
        twin = dated.get(c.figure)
        if c.time_start is None and twin is not None and (c.value is not None or c.low is not None):
            c.time_text, c.time_start, c.time_end = twin.time_text, twin.time_start, twin.time_end
