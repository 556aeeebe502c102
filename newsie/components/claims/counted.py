"""What a figure counts and which event it reports: the counted noun from the parse
("300 North Korean soldiers", "hundreds of artillery pieces", "400 of the troops"), and the
event type from the words around it, looked up in the taxonomy."""
from __future__ import annotations

from spacy.tokens import Span, Token

from ...syntax import is_cue_verb, measure_noun
from .taxonomy import Taxonomy

PREDICATIVE_DEPS = {"acomp", "oprd", "xcomp", "attr"}
STEP_WORDS = {"more", "additional", "other", "extra", "fewer", "another", "further", "new"}


def number_token(span: Span) -> Token:
    nums = [t for t in span if t.like_num or any(ch.isdigit() for ch in t.text)]
    return nums[-1] if nums else span.root


def counted_noun(number: Token, span: Span) -> Token | None:
    """The noun a figure counts: "300 North Korean soldiers", "hundreds of artillery pieces",
    "400 of the troops", "3,000 more soldiers"."""
    of_object = _of_object(number)
    if of_object is not None:
        return of_object
    token = number
    for _ in range(4):  # climb through the number's own words: "10,000-12,000", "3,000 more"
        head = token.head
        if head.i == token.i:
            return None
        if head.i in range(span.start, span.end) or head.like_num or head.lower_ in STEP_WORDS:
            of_object = _of_object(head)
            if of_object is not None:
                return of_object
            token = head
            continue
        break
    if token.dep_ in ("nummod", "quantmod", "amod", "compound", "nmod", "det", "npadvmod") and token.head.pos_ in ("NOUN", "PROPN"):
        head = token.head
        return head if not head.like_num and head.ent_type_ not in ("DATE", "TIME") else None
    return None


def _of_object(token: Token) -> Token | None:
    prep = next((c for c in token.children if c.dep_ == "prep" and c.lower_ == "of"), None)
    if prep is None:
        return None
    return next((c for c in prep.children if c.dep_ == "pobj" and (c.pos_ in ("NOUN", "PROPN") or _nominal_adjective(c))), None)


def _nominal_adjective(token: Token) -> bool:
    """"the dead", "the injured", "the missing": an adjective standing for people."""
    return token.pos_ in ("ADJ", "VERB") and any(c.dep_ == "det" and c.lower_ in ("the", "these", "those") for c in token.children)


def counted_text(noun: Token) -> str:
    """The counted noun with its noun compounds: "shipping containers", "special forces"."""
    left = [c for c in noun.lefts if c.dep_ == "compound" and c.pos_ == "NOUN" and not c.ent_type_]
    start = min([c.i for c in left] + [noun.i])
    return noun.doc[start: noun.i + 1].text


def _modifier_types(noun: Token, tax: Taxonomy) -> set[str]:
    """"soldiers wounded in Ukraine", "dead civilians", "climbers who died": a participle or a
    relative clause on the counted noun."""
    found: set[str] = set()
    for child in noun.children:
        # "climbers who died", "troops who were wounded"; not "men who killed 20" (an object of its own)
        undergone = child.dep_ == "relcl" and not any(c.dep_ in ("dobj", "obj") for c in child.children)
        if (child.dep_ in ("acl", "amod") and child.tag_ in ("VBN", "JJ", "VBD", "VBG")) or undergone:
            for word in (child, *child.conjuncts):  # "troops killed or wounded": both
                found |= tax.types_of(word.lemma_.lower(), as_verb=True) | tax.types_of(word.lower_, as_verb=False)
    return found


def event_type(number: Token, noun: Token | None, span: Span, tax: Taxonomy,
               exclude: frozenset[str] = frozenset()) -> str | None:
    """The event a figure counts: the counted noun's own type ("deaths", "wounded soldiers"),
    else the nearest event word in the parse around it, else the noun's fallback type.
    Types in `exclude` are never the answer: a measure counts no people, so "capturing 3,000
    barrels a day" is oil recovered, not an arrest."""
    if noun is not None:
        direct = set()
        shared = [c for c in noun.conjuncts if not any(t.like_num for t in c.children)]
        for word in (noun, *shared):  # "30 dead and injured": both; not "512 killings and 300 injuries"
            direct |= tax.types_of(word.lemma_.lower(), as_verb=False) | tax.types_of(word.lower_, as_verb=False)
        direct |= _modifier_types(noun, tax)
        direct -= exclude
        if noun.tag_ == "NN" and not any(c.dep_ == "det" for c in noun.children):
            direct |= tax.types_of(noun.lower_, as_verb=True)  # "14 hurt": a participle tagged as a noun
        if direct and not direct <= VERB_OVERRIDES:
            return tax.combine(direct)
    # the figure's own preposition phrases: "99 in critical condition", "12 with serious wounds"
    own_phrases = (tax.phrase_types(number) | (tax.phrase_types(noun) if noun is not None else set())) - exclude
    if own_phrases:
        return _for_the_counted(tax.combine(own_phrases), noun, tax)
    for level in _context_levels(number, noun, span):
        found: set[str] = set()
        for token in level:
            lemma = token.lemma_.lower()
            if token.pos_ in ("VERB", "AUX") or token.tag_ == "VBN":
                found |= tax.types_of(lemma, as_verb=True)
            if token.pos_ in ("VERB", "AUX", "ADJ", "NOUN", "NUM"):  # "were taken to hospital"
                found |= tax.phrase_types(token)
            if token.pos_ in ("NOUN", "ADJ", "PROPN", "VERB", "ADV"):  # "fell ill" (ill: ADV)
                # a noun made from a verb names the event only as a head: not "detection devices"
                derived = token.dep_ != "compound"
                found |= tax.types_of(lemma, as_verb=False, derived=derived) | tax.types_of(token.lower_, as_verb=False, derived=derived)
        found -= exclude
        if found:
            return _for_the_counted(tax.combine(found), noun, tax)
    if noun is not None:
        fallback = tax.fallback_type(noun.lemma_.lower())
        return tax.combine(direct) if direct else (fallback if fallback not in exclude else None)
    return None


# Types a counted noun gives that the event of its clause overrides: "two patients died" are
# deaths, "40 patients were treated" hospitalized.
VERB_OVERRIDES = {"hospitalized"}


# Types that only people (or animals) can be counted for: a counted building or weapon takes
# its own fallback type instead ("the quake killed 40 and flattened 62 homes": 62 homes damaged).
PEOPLE_TYPES = frozenset({"killed", "wounded", "casualties", "infected", "cases", "missing", "hospitalized", "displaced",
                          "arrested", "rescued"})
# Types only a measure has: what is recovered is oil or water ("collected 3,000 barrels"); the
# people "recovered" are survivors or bodies, which their own words type. What is applied or
# sprayed is a substance ("sprayed 40,000 gallons of dispersant").
MEASURE_TYPES = frozenset({"recovered", "applied"})


def _for_the_counted(event: str, noun: Token | None, tax: Taxonomy) -> str:
    """Movement verbs type by what moved: materiel is "supplied" ("sent 100 tanks"), forces are
    "deployed", other people sent somewhere are "other". A thing counted (a building, materiel)
    is never killed or wounded: it takes its own fallback type."""
    if noun is None:
        return event
    if event in PEOPLE_TYPES:
        own = tax.fallback_type(noun.lemma_.lower())
        return own if own in ("damaged", "supplied") else event
    if event != "deployed":
        return event
    lemma = noun.lemma_.lower()
    if lemma in tax.materiel:
        return "supplied"
    words = {lemma} | {c.lemma_.lower() for c in noun.children if c.dep_ == "compound"}
    return event if words & tax.fallback["deployed"] else "other"


def _context_levels(number: Token, noun: Token | None, span: Span):
    """Groups of tokens to look for event words in, nearest first: the number's own
    modifiers, then each ancestor with its subject/object phrases, up to the first verb of
    saying (what lies above "said" is about the saying, not the event)."""
    own = [c for c in number.children if c.dep_ in ("amod", "acl", "conj", "appos") and c.i not in range(span.start, span.end)]
    # "over 400 confirmed injured", "12 reported dead": what a participle on the figure predicates
    predicated = [t for c in own for p in c.children if _predicates(p) for t in (p, *p.conjuncts)]
    yield own + [conj for c in own for conj in c.conjuncts if not any(t.like_num for t in conj.children)] + predicated
    start = noun if noun is not None else number
    for ancestor in start.ancestors:
        if ancestor.i in range(span.start, span.end):
            continue
        if is_cue_verb(ancestor):
            # what lies above "said" is about the saying; only what it predicates of the
            # figure counts ("were confirmed as injured", "were reported dead")
            yield [t for c in ancestor.children if _predicates(c) for t in c.subtree]
            return
        # "killed or wounded ... at 4,000": a conjoined verb with no figure of its own shares ours
        # ("soldiers were killed or injured": the verb with the subject shares it with its bare conjunct)
        level = [ancestor] + [c for c in ancestor.conjuncts if not _has_own_arguments(c)]
        for child in ancestor.children:
            if child.dep_ in ("dobj", "obj", "nsubj", "nsubjpass", "attr", "acomp", "oprd", "xcomp", "advmod") and child.i != start.i:
                level.extend(t for t in child.subtree if t.i - child.i < 8)
            elif ancestor.pos_ == "NOUN" and child.dep_ == "prep" and child.lower_ == "of":
                level.extend(child.subtree)  # "the number of injured at 1,500": what the number is of
            elif child.dep_ == "prep" and child.lower_ == "among":
                level.extend(child.subtree)  # "Among those killed are 18 people": the group they are of
        yield level
        if ancestor.dep_ == "conj" and ancestor.pos_ in ("VERB", "AUX") and _has_own_arguments(ancestor):
            return  # "two died and 200 were taken to hospitals": the other clause's verb is not ours


def _predicates(child: Token) -> bool:
    """A complement of a verb of saying that says what the figure is: "were reported dead",
    "were confirmed as injured"."""
    if child.dep_ in PREDICATIVE_DEPS or (child.dep_ == "prep" and child.lower_ == "as"):
        return True
    return child.dep_ == "advcl" and any(c.dep_ == "mark" and c.lower_ == "as" for c in child.children)


def _has_own_arguments(verb: Token) -> bool:
    """A clause of its own (a subject or an object: "killing 11 and injuring others"), not a bare
    coordinated participle like "killed" in "killed or wounded"."""
    return any(c.dep_ in ("nsubj", "nsubjpass", "dobj", "obj") for c in verb.children)


def is_clause_argument(number: Token, span: Span) -> bool:
    """A figure standing alone as a verb's argument ("another 2,700 had been injured",
    "at around 1,200") may share the counted noun of the sentence's earlier figure; one
    inside a noun phrase ("the ages of 5 and 17") may not."""
    token = number
    while token.head.i != token.i and (token.head.i in range(span.start, span.end) or token.dep_ in ("quantmod", "compound")):
        token = token.head
    if token.dep_ in ("nsubj", "nsubjpass", "dobj", "obj", "attr", "acomp", "oprd", "dative", "conj", "appos", "npadvmod", "ROOT"):
        return True
    return token.dep_ == "pobj" and token.head.head.pos_ in ("VERB", "AUX", "ADJ", "ADV")


PART_WORDS = {"including", "include", "among", "whom", "which"}


def listed_with(q, number: Token, earlier: list) -> object | None:
    """The earlier claim of the sentence, a measure in the same unit, that this measure is
    listed with: in a breakdown ("500 miles of coast were oiled: 300 miles in Texas, 200 miles
    in Maine") or beside it ("3 million feet of boom and 6 million feet of netting were
    laid"). The measure's unit noun is a conjunct or an apposition."""
    if q.kind != "measure" or not earlier:
        return None
    if measure_noun(number).dep_ not in ("conj", "appos"):
        return None
    return next((c for c in reversed(earlier) if c.unit == q.unit and c.quantity_end <= number.idx), None)


def part_of_earlier(number: Token, earlier: list) -> object | None:
    """The earlier claim of the sentence that this figure is part of: "74 deaths, ... including
    24 children", "300 people, among them 40 children" (a figure under "including" or "among"
    whose phrase hangs on an earlier figure's words)."""
    if not earlier:
        return None
    for ancestor in number.ancestors:
        if ancestor.lower_ in PART_WORDS:
            anchor = ancestor.head
            for claim in reversed(earlier):
                if claim.quantity_start <= anchor.idx < claim.sentence_end and anchor.idx < number.idx:
                    return claim
            return None
        if ancestor.pos_ == "VERB" and ancestor.lower_ not in PART_WORDS:
            return None
    return None
