"""Stage 1: canonical names on entities.

Within a document: acronym definitions ("National Intelligence Service (NIS)", found with
Schwartz & Hearst), person name variants (a surname or title + name resolves to the fullest
name of that person in the document), possessive prefixes ("Seoul's National Intelligence
Service"). Across documents: the curated alias file (configs/aliases.tsv), which users edit.
"""
from __future__ import annotations


import srsly
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import ensure_path

from .. import extensions  # noqa: F401  (registers Span._.canonical)
from ..normalize.aliases import AliasTable, find_abbreviations, normalize_name, same_person, strip_titles

NAMES_KEY = "newsie_names"
NAMED = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}


@Language.factory(
    "newsie_entities",
    requires=["doc.ents"],
    assigns=["span._.canonical"],
    default_config={"alias_file": None},
)
def make_entity_canonicalizer(nlp: Language, name: str, alias_file: str | None):
    return EntityCanonicalizer(nlp, name, alias_file=alias_file)


class EntityCanonicalizer:
    def __init__(self, nlp: Language, name: str = "newsie_entities", *, alias_file: str | None = None):
        self.name = name
        self.aliases = AliasTable.from_file(alias_file) if alias_file else AliasTable()

    def __call__(self, doc: Doc) -> Doc:
        acronyms = {short.lower(): long for short, long, _ in find_abbreviations(doc.text)}
        people = list(dict.fromkeys(strip_titles(e.text) for e in doc.ents if e.label_ == "PERSON"))
        doc.user_data[NAMES_KEY] = (acronyms, people)  # for sources that are not entities
        resolved: dict[tuple[str, str], str] = {}  # names repeat: resolve each once per document
        for ent in doc.ents:
            if ent.label_ in NAMED:
                key = (ent.text, ent.label_)
                if key not in resolved:
                    resolved[key] = self.canonical(ent.text, ent.label_, acronyms, people)
                ent._.canonical = resolved[key]
        return doc

    def canonical(self, text: str, label: str | None, acronyms: dict[str, str], people: list[str]) -> str:
        """The one name for this entity: alias file > acronym > fullest person name > the text."""
        key = normalize_name(text)
        stripped = _strip_possessor(key)
        for candidate in (key, stripped):
            if self.aliases.lookup(candidate):
                return self.aliases.lookup(candidate)
            if candidate in acronyms:
                return self.aliases.lookup(acronyms[candidate]) or acronyms[candidate]
        if label in ("PERSON", "ORG", "NORP", None):  # the NER often tags a lone surname ORG
            name = strip_titles(text.replace("’s", "").replace("'s", ""))
            full = _fullest_person(name, people)
            if full is None and label == "PERSON" and len(name.split()) > 1:
                full = name
            if full:
                return self.aliases.lookup(full) or full
        return _tidy(text)

    # serialization, like spaCy's own rule-based components
    def to_disk(self, path, *, exclude=tuple()):
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_json(path / "aliases.json", self.aliases.aliases)

    def from_disk(self, path, *, exclude=tuple()):
        self.aliases = AliasTable(dict(srsly.read_json(ensure_path(path) / "aliases.json")))
        return self

    def to_bytes(self, *, exclude=tuple()):
        return srsly.msgpack_dumps(self.aliases.aliases)

    def from_bytes(self, data, *, exclude=tuple()):
        self.aliases = AliasTable(dict(srsly.msgpack_loads(data)))
        return self


def _strip_possessor(key: str) -> str:
    """"seoul's national intelligence service" -> "national intelligence service"."""
    head, sep, rest = key.partition("'s ")
    return rest if sep and len(head.split()) <= 3 else key


def _fullest_person(name: str, people: list[str]) -> str | None:
    if not name:
        return None
    candidates = [p for p in people if len(p.split()) > len(name.split()) and same_person(name.split()[-1] if name else "", p)]
    return max(candidates, key=len) if candidates else None


def _tidy(text: str) -> str:
    text = " ".join(text.split())
    if text.lower().startswith("the "):
        text = text[4:]
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text


def entity_at(token) -> Span | None:
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


def span_canonical(span: Span, canonicalizer: EntityCanonicalizer | None = None) -> str | None:
    """Canonical name for an arbitrary span (e.g. an attribution source): the entity inside
    it if there is one, else the alias file, else the span's text."""
    if canonicalizer is not None:
        found = canonicalizer.aliases.lookup(span.text) or canonicalizer.aliases.lookup(_strip_possessor(normalize_name(span.text)))
        if found:
            return found
    # an entity names the source only when it is the phrase's head: "the NIS" -> NIS, but
    # "U.S. estimates" and "South Korean media" stay as written
    heading = entity_at(span.root)
    if heading is not None and heading._.canonical:
        return heading._.canonical
    if canonicalizer is not None and span.root.pos_ == "PROPN" and NAMES_KEY in span.doc.user_data:
        # a name the NER missed ("Borne said"): the document's people and acronyms still apply
        return canonicalizer.canonical(span.text, None, *span.doc.user_data[NAMES_KEY])
    return None
