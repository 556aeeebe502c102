"""Stage 1: canonical names on entities.

Within a document: acronym definitions ("National Intelligence Service (NIS)", found with
Schwartz & Hearst), person name variants (a surname or title + name resolves to the fullest
name of that person in the document), possessive prefixes ("Seoul's National Intelligence
Service"). Across documents: the curated alias file (configs/aliases.tsv), which users edit.
The document's names are kept on Doc._.names for later stages (sources that are not entities).
"""
from __future__ import annotations

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import ensure_path

from .. import extensions  # noqa: F401  (registers Span._.canonical, Doc._.names)
from ..normalize.aliases import AliasTable, DocumentNames

NAMED = {"PERSON", "ORG", "GPE", "NORP", "LOC", "FAC", "EVENT", "PRODUCT", "WORK_OF_ART", "LAW"}


@Language.factory(
    "newsie_entities",
    requires=["doc.ents"],
    assigns=["span._.canonical", "doc._.names"],
    default_config={"alias_file": None},
)
def make_entity_canonicalizer(nlp: Language, name: str, alias_file: str | None):
    return EntityCanonicalizer(name, aliases=AliasTable.from_file(alias_file) if alias_file else None)


class EntityCanonicalizer:
    def __init__(self, name: str = "newsie_entities", *, aliases: AliasTable | None = None):
        self.name = name
        self.aliases = aliases or AliasTable()

    def __call__(self, doc: Doc) -> Doc:
        names = DocumentNames.from_text(doc.text, [e.text for e in doc.ents if e.label_ == "PERSON"])
        doc._.names = names
        resolved: dict[tuple[str, str], str] = {}  # names repeat: resolve each once per document
        for ent in doc.ents:
            if ent.label_ in NAMED:
                key = (ent.text, ent.label_)
                if key not in resolved:
                    resolved[key] = names.canonical(ent.text, ent.label_, self.aliases)
                ent._.canonical = resolved[key]
        return doc

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
