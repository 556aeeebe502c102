"""Event types and noun classes from configs/event_types.cfg: which verbs and nouns make a
figure "killed", "displaced", "supplied"..., which nouns are counted, which never are."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from confection import Config


@dataclass
class Taxonomy:
    order: list[str]
    verbs: dict[str, set[str]]
    nouns: dict[str, set[str]]
    fallback: dict[str, set[str]]
    materiel: set[str]
    not_counted: set[str]
    diseases: set[str] = field(default_factory=set)
    # "taken to hospital", "in critical condition", "froze to death": a preposition and its
    # object (lemmas, "to hospital"), or a verb, preposition and object ("fight for life"),
    # that name a type where no word of the clause does
    phrases: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def from_config(cls, cfg: dict) -> "Taxonomy":
        types = cfg["types"]
        order = list(types["order"])
        return cls(order,
                   {t: set(types[t]["verbs"]) for t in order},
                   {t: set(types[t]["nouns"]) for t in order},
                   {t: set(types[t]["fallback_nouns"]) for t in order},
                   set(cfg["materiel"]["nouns"]), set(cfg["not_counted"]["nouns"]),
                   set(cfg.get("diseases", {}).get("nouns", [])),
                   {t: set(types[t].get("phrases", [])) for t in order if types[t].get("phrases")})

    @classmethod
    def from_disk(cls, path: str | Path) -> "Taxonomy":
        return cls.from_config(Config().from_disk(path))

    def types_of(self, lemma: str, as_verb: bool, derived: bool = True) -> set[str]:
        """The types a word names; `derived`: also as a noun made from a type's verb."""
        table = self.verbs if as_verb else self.nouns
        found = {t for t in self.order if lemma in table[t]}
        if not found and not as_verb and derived:  # "abductions", "evacuations": a noun made from a type's verb
            found = {t for verb in verbs_of_nominalization(lemma) for t in self.order if verb in self.verbs[t]}
        return found

    def phrase_types(self, token) -> set[str]:
        """The types named by a preposition phrase on `token` ("taken to hospital": "to
        hospital"; "fighting for their lives": "fight for life")."""
        found: set[str] = set()
        if not self.phrases:
            return found
        for prep in token.children:
            if prep.dep_ != "prep":
                continue
            for pobj in prep.children:
                if pobj.dep_ != "pobj":
                    continue
                pair = f"{prep.lower_} {pobj.lemma_.lower()}"
                keys = (pair, f"{token.lemma_.lower()} {pair}")
                found |= {t for t, phrases in self.phrases.items() if any(k in phrases for k in keys)}
        return found

    def names_a_disease(self, span) -> bool:
        """Whether a span of tokens names a disease ("cholera", "the virus")."""
        return any(t.lemma_.lower() in self.diseases or t.lower_ in self.diseases for t in span)

    def fallback_type(self, lemma: str) -> str | None:
        return next((t for t in self.order if lemma in self.fallback[t]), None)

    def combine(self, types: set[str]) -> str:
        """One type for several found: killed and wounded together are casualties."""
        if {"killed", "wounded"} <= types or "casualties" in types:
            return "casualties"
        return next(t for t in self.order if t in types)

    def to_dict(self) -> dict:
        return {"order": self.order, "verbs": {k: sorted(v) for k, v in self.verbs.items()},
                "nouns": {k: sorted(v) for k, v in self.nouns.items()},
                "fallback": {k: sorted(v) for k, v in self.fallback.items()},
                "materiel": sorted(self.materiel), "not_counted": sorted(self.not_counted),
                "diseases": sorted(self.diseases), "phrases": {k: sorted(v) for k, v in self.phrases.items()}}

    @classmethod
    def from_dict(cls, d: dict) -> "Taxonomy":
        as_sets = lambda m: {k: set(v) for k, v in m.items()}  # noqa: E731
        return cls(d["order"], as_sets(d["verbs"]), as_sets(d["nouns"]), as_sets(d["fallback"]),
                   set(d["materiel"]), set(d["not_counted"]), set(d.get("diseases", [])), as_sets(d.get("phrases", {})))


# Suffixes that make nouns of verbs, and what to put back: "killing" -> "kill",
# "kidnapping" -> "kidnap", "evacuation" -> "evacuate", "abduction" -> "abduct".
_NOMINAL_SUFFIXES = (("ation", ("ate", "")), ("ion", ("e", "")), ("ing", ("", "e")), ("ment", ("",)), ("al", ("", "e")))


def verbs_of_nominalization(noun: str) -> list[str]:
    """The verbs a noun may be made from, most likely first (a candidate list, not a lexicon:
    callers look the candidates up in their own verb lists)."""
    candidates = []
    for suffix, endings in _NOMINAL_SUFFIXES:
        if noun.endswith(suffix) and len(noun) > len(suffix) + 2:
            stem = noun[: -len(suffix)]
            candidates += [stem + ending for ending in endings]
            if len(stem) > 2 and stem[-1] == stem[-2]:  # "kidnapp-ing"
                candidates.append(stem[:-1])
    return candidates
