"""Parse helpers several stages share: verbs of saying, source phrases and their issuers,
entity lookup, and the tense of a clause. Pure functions over spaCy Tokens and Spans; no
component state.

Used by the dates stage (clause tense), rule attribution (sources, issuers) and the claims
stage (sources, entities, what lies above a verb of saying).
"""
from __future__ import annotations

from bisect import bisect_right
from contextlib import contextmanager
from typing import Iterator

from spacy.tokens import Doc, Span, Token

from .normalize.aliases import AliasTable, normalize_name, strip_possessor

# Verbs whose subject is a source and whose complement is what was said.
CUE_VERBS = {
    "say", "tell", "report", "claim", "state", "announce", "confirm", "estimate", "assess", "believe",
    "add", "note", "warn", "indicate", "suggest", "disclose", "reveal", "write", "insist", "argue",
    "acknowledge", "admit", "deny", "predict", "explain", "allege", "testify", "tweet", "post",
    "declare", "conclude", "show", "find", "cite", "stress", "emphasize", "emphasise", "assert",
    "maintain", "contend", "record", "count", "document", "publish", "calculate", "tally", "quote",
    "inform", "brief", "learn", "caution", "accuse", "charge", "signal", "project", "forecast",
}
# Verbs of saying that also have a sense that reports nothing ("found 15 bodies", "the fire
# claimed 19 lives", "showed no damage"): cues only with a clause of what was said.
CLAUSE_ONLY_CUE_VERBS = {"find", "claim", "show", "learn", "post", "charge", "signal", "cite", "admit"}
# Particles that make a verb of saying another verb: "the claims add up", "count on", "show up".
PARTICLES_OF_OTHER_SENSES = {"up", "down", "on", "off"}
# Nouns for what a source issues: "a report from the NIS", "U.S. estimates".
REPORT_NOUNS = {
    "estimate", "figure", "report", "data", "tally", "count", "statistic", "survey", "poll",
    "assessment", "study", "statement", "analysis", "document", "record", "finding", "projection",
}
PRONOUNS = {"he", "she", "they", "it", "we", "i", "you", "who", "which", "that"}
# possessives, as the owner of a report noun names its issuer ("her latest tally")
POSSESSIVE_PRONOUNS = {"his", "her", "its", "their"}


# --- sentences ---------------------------------------------------------------------------------

class SentenceIndex:
    """The Doc's sentences, found once. spaCy's `Span.sent` and `Token.sent` scan the Doc for
    sentence annotation on every call; a stage that asks for many figures' sentences sets this
    as the Doc's "sent" span hook (`indexed_sentences`), and each call is a bisection."""

    def __init__(self, doc: Doc):
        self.sents = list(doc.sents)
        self.starts = [s.start for s in self.sents]

    def index(self, i: int) -> int:
        """The number of the sentence that holds token i."""
        return bisect_right(self.starts, i) - 1

    def __call__(self, span: Span) -> Span:
        return self.sents[self.index(span.start)]


@contextmanager
def indexed_sentences(doc: Doc) -> Iterator[SentenceIndex]:
    """While it lasts, `.sent` on the Doc's spans and tokens answers from a SentenceIndex."""
    hooks = doc.user_span_hooks
    if isinstance(hooks.get("sent"), SentenceIndex):
        yield hooks["sent"]
        return
    index = hooks["sent"] = SentenceIndex(doc)
    try:
        yield index
    finally:
        del hooks["sent"]


# --- verbs of saying ---------------------------------------------------------------------------

def is_cue_verb(token: Token) -> bool:
    """A verb of saying used as one: "said", "reported 40 deaths", "found that ...", but not
    "found 15 bodies" or "were admitted to hospital" (CLAUSE_ONLY_CUE_VERBS need a clausal
    complement)."""
    if token.pos_ not in ("VERB", "AUX"):
        return False
    lemma = token.lemma_.lower()
    if lemma not in CUE_VERBS or any(c.dep_ == "prt" and c.lower_ in PARTICLES_OF_OTHER_SENSES for c in token.children):
        return False  # "as claims add up", "counted down the days": another verb
    return lemma not in CLAUSE_ONLY_CUE_VERBS or any(c.dep_ in ("ccomp", "parataxis") for c in token.children)


def measure_noun(number: Token) -> Token:
    """The noun a figure's number hangs on ("500 miles of coast" -> miles, "2 million feet" ->
    feet), or the number itself."""
    unit = number
    while unit.dep_ in ("nummod", "compound", "quantmod") and unit.head.i != unit.i:
        unit = unit.head
    return unit


# --- sources -------------------------------------------------------------------------------

def is_pronoun(span: Span | None) -> bool:
    if span is None or len(span) != 1 or (span[0].is_upper and len(span[0]) > 1):  # "WHO" is an acronym
        return False
    return span[0].lower_ in PRONOUNS | POSSESSIVE_PRONOUNS


def issuer_of(noun: Token) -> Token | None:
    """"a report from the NIS", "the ministry's statement", "figures released by the ministry"
    -> who issued the report."""
    if noun.lemma_.lower() not in REPORT_NOUNS:
        return None
    owner = next((c for c in noun.children if c.dep_ == "poss" and c.lower_ not in PRONOUNS | POSSESSIVE_PRONOUNS), None)
    if owner is not None and (owner.ent_type_ or owner.pos_ in ("PROPN", "NOUN")):
        return owner
    for child in noun.children:
        if child.dep_ == "prep" and child.lower_ in ("from", "by", "of"):
            pobj = next((c for c in child.children if c.dep_ == "pobj"), None)
        elif child.dep_ == "acl":  # "figures released by the ministry", "data compiled by the UN"
            agent = next((c for c in child.children if c.dep_ == "agent"), None)
            pobj = next((c for c in agent.children if c.dep_ == "pobj"), None) if agent is not None else None
        else:
            continue
        if pobj is not None and any(t.ent_type_ or t.pos_ == "PROPN" for t in pobj.subtree):
            return pobj
    return None


def source_phrase(token: Token | None) -> Span | None:
    """The source noun phrase: the token's subtree without relative clauses, appositive
    tails or participial phrases ("South Korea's JoongAng Ilbo newspaper, citing ...")."""
    if token is None:
        return None
    doc = token.doc
    keep = [t for t in token.subtree if not _in_dropped_branch(t, token)]
    start, end = min(t.i for t in keep), max(t.i for t in keep) + 1
    start = _lead_in_end(doc, start, token.i)
    while end > start + 1 and (doc[end - 1].is_punct or doc[end - 1].is_space or doc[end - 1].dep_ == "case"):
        end -= 1
    while start < end - 1 and (doc[start].is_punct or doc[start].is_space):
        start += 1
    phrase = doc[start:end]
    return None if is_dateline(phrase) else phrase


def issuer_phrase(source: Span) -> Span:
    """"a January report from the NIS" names the NIS; other sources name themselves."""
    issuer = issuer_of(source.root)
    return source if issuer is None else (source_phrase(issuer) or source)


def without_lead_in(span: Span | None) -> Span | None:
    """The span without a dateline or lead-in before a dash ("SEOUL (AP) — the agency")."""
    if span is None:
        return None
    start = _lead_in_end(span.doc, span.start, span.end - 1)
    return span.doc[start:span.end] if start < span.end else span


DATELINE_MARKS = {"—", "–", "--", ":", "-"}
DATELINE_MAX_TOKENS = 10


def is_dateline(span: Span | None) -> bool:
    """A dateline, not a speaker: a place at the start of a line, followed within a few tokens
    (", Russia", "(AP)", "June 3") by a dash or colon: "MOSCOW, Russia (AP) --", "New Delhi –",
    "Yangon:". Uppercase words at a line start before such a mark count too ("MAO COUNTY")."""
    if span is None or not len(span):
        return False
    doc = span.doc
    if not _starts_line(doc, span.start) or not _could_be_place(span):
        return False
    for t in doc[span.end: span.end + DATELINE_MAX_TOKENS]:
        if t.text in DATELINE_MARKS and (t.text != "-" or _spaced_hyphen(t)):
            return True
        if "\n" in t.text or t.pos_ in ("VERB", "AUX") or t.lower_ in ("said", "says"):
            return False
    return False


ACRONYM_MAX_LETTERS = 3


def _could_be_place(span: Span) -> bool:
    """Place names, or words in capitals; a lone word of three capitals or fewer ("WHO:", "UN:")
    is an acronym, a body that speaks, not a place."""
    words = [t for t in span if not t.is_punct and not t.is_space]
    if len(words) == 1 and words[0].is_upper and len(words[0]) <= ACRONYM_MAX_LETTERS and words[0].ent_type_ not in ("GPE", "LOC", "FAC"):
        return False
    return bool(words) and all(t.ent_type_ in ("GPE", "LOC", "FAC") or t.is_upper for t in words)


# Quotation marks as news text writes them, opener -> closer (a straight quote closes itself):
# the one list the rules, the quote spans and the tagger's QUOTED feature read.
QUOTE_PAIRS = {"“": "”", "«": "»", '"': '"'}


def inside_quotes(token: Token) -> bool:
    """Whether a token is inside quotation marks that open earlier in its sentence."""
    sent = token.sent  # its own text: Doc.text joins every token of the document on each call
    before = sent.text[: token.idx - sent.start_char]
    return any(before.count(opener) % 2 == 1 if opener == closer else before.count(opener) > before.count(closer)
               for opener, closer in QUOTE_PAIRS.items())


def _in_dropped_branch(t: Token, root: Token) -> bool:
    while t.i != root.i:
        if t.head.i == root.i and t.dep_ in ("relcl", "acl", "appos", "punct", "advcl"):
            return True
        if t.head.i == root.i and t.dep_ == "prep" and t.lower_ not in ("of", "from", "for", "at", "in"):
            return True
        t = t.head
    return False


def _lead_in_end(doc: Doc, start: int, end: int) -> int:
    """Skip a dateline or lead-in before a dash: "SEOUL, South Korea (AP) — the agency". A lead-in
    starts a line and is short; a dash further in belongs to the phrase ("John Doe, the head of
    Acme -- the firm that ... --")."""
    line_start = start
    for t in doc[start:end]:
        if "\n" in t.text:
            start = line_start = t.i + 1
        elif ((t.text in ("—", "–", ":", "--") or _spaced_hyphen(t)) and _starts_line(doc, line_start)
              and t.i - line_start <= DATELINE_MAX_TOKENS):
            start = t.i + 1
    return start


def _starts_line(doc: Doc, i: int) -> bool:
    """Whether token i begins the text or a line (after a newline, or a space token after one)."""
    return i == 0 or "\n" in doc[i - 1].text or (
        doc[i - 1].is_space and (i == 1 or "\n" in doc[i - 1].text_with_ws))


def _spaced_hyphen(t: Token) -> bool:
    """" - " as a dash (a dateline's), not the hyphen inside "Yoo Yong-won"."""
    return t.text == "-" and bool(t.whitespace_) and t.i > 0 and bool(t.doc[t.i - 1].whitespace_)


# --- entities ------------------------------------------------------------------------------

def entity_at(token: Token) -> Span | None:
    """The entity containing a token, from its IOB tags (doc.ents rebuilds every Span)."""
    if token.ent_iob_ not in ("B", "I"):
        return None
    doc = token.doc
    start = token.i
    while start > 0 and doc[start].ent_iob_ == "I":
        start -= 1
    end = token.i + 1
    while end < len(doc) and doc[end].ent_iob_ == "I":
        end += 1
    return doc[start:end]


def span_canonical(span: Span, aliases: AliasTable | None = None) -> str | None:
    """Canonical name for an arbitrary span (e.g. an attribution source): the alias file,
    else the entity heading it, else a name of the document's (Doc._.names: people and
    acronyms the entities stage found) for a proper noun the NER missed ("Borne said")."""
    if aliases is not None:
        found = aliases.lookup(span.text) or aliases.lookup(strip_possessor(normalize_name(span.text)))
        if found:
            return found
    # an entity names the source only when it is the phrase's head: "the NIS" -> NIS, but
    # "U.S. estimates" and "South Korean media" stay as written
    heading = entity_at(span.root)
    if heading is not None and heading._.canonical:
        return heading._.canonical
    for child in span.root.children:  # "the hospital's director Ali Hassan": the name in apposition
        if child.dep_ == "appos" and span.start <= child.i < span.end and child.ent_type_ in ("PERSON", "ORG"):
            named = entity_at(child)
            if named is not None and named._.canonical:
                return named._.canonical
    names = span.doc._.names
    if aliases is not None and span.root.pos_ == "PROPN" and names is not None:
        return names.canonical(span.text, None, aliases)
    return None


# --- clauses -------------------------------------------------------------------------------

PRESENT_MODALS = {"must", "should", "can", "may", "might", "ought"}


def clause_tense(token: Token) -> str | None:
    """past/present/future of the verb governing `token` (walking up the parse). A participle
    is past only on its own ("the man arrested Tuesday") or with a past or perfect auxiliary
    ("was arrested", "has arrived"); "must be returned by Jan. 14", "is expected" are not.

    A to-infinitive names something after the time of the verb that governs it: "is scheduled
    to close Monday" is "prospective" (ahead of the anchor); "planned to leave on Thursday"
    happened after a past moment, before or after the anchor, so it is "relative" (neither
    direction preferred). A date inside
    a noun phrase ("to get around Wednesday's ruling", "to report a third-quarter loss") dates
    the noun, not the infinitive."""
    in_noun_phrase = False
    for node in [token, *token.ancestors]:
        if node.pos_ in ("VERB", "AUX"):
            children = list(node.children)
            auxiliaries = [c for c in children if c.dep_ in ("aux", "auxpass")]
            if any(c.lower_ in ("will", "'ll", "shall") or c.lower_ == "going" for c in children):
                return "future"
            if any("Past" in c.morph.get("Tense") for c in auxiliaries):
                return "past"
            if any(c.lower_ in ("has", "have") and c.dep_ == "aux" for c in auxiliaries):
                return "past"
            if any(c.lower_ in PRESENT_MODALS for c in auxiliaries):
                return "present"
            if "Past" in node.morph.get("Tense") and (node.tag_ == "VBD" or node.tag_ == "VBN" and not auxiliaries):
                return "past"
            if not in_noun_phrase and _is_to_infinitive(node, auxiliaries):
                governor = clause_tense(node.head) if node.head.i != node.i else None
                return "prospective" if governor in ("present", "future", "prospective") else "relative"
            return "present"
        if node.head.pos_ in ("NOUN", "PROPN") and node.head.ent_type_ not in ("DATE", "TIME"):
            in_noun_phrase = True  # "Wednesday's ruling", "a June agreement", "a third-quarter loss"
    return None


def _is_to_infinitive(verb: Token, auxiliaries: list[Token]) -> bool:
    return verb.tag_ == "VB" and any(c.lower_ == "to" and c.tag_ == "TO" for c in auxiliaries)
