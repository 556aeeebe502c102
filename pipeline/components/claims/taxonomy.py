"""Event types and noun classes from configs/event_types.cfg: which verbs and nouns make a
figure "killed", "displaced", "supplied"..., which nouns are counted, which never are."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from confection import Config


@dataclass
class Taxonomy:
    order: list[str]
    verbs: dict[str, set[str]]
    nouns: dict[str, set[str]]
    fallback: dict[str, set[str]]
    materiel: set[str]
    countable: set[str]
    not_counted: set[str]

    @classmethod
    def from_config(cls, cfg: dict) -> "Taxonomy":
        types = cfg["types"]
        order = list(types["order"])
        return cls(order,
                   {t: set(types[t]["verbs"]) for t in order},
                   {t: set(types[t]["nouns"]) for t in order},
                   {t: set(types[t]["fallback_nouns"]) for t in order},
                   set(cfg["materiel"]["nouns"]), set(cfg["countable"]["nouns"]), set(cfg["not_counted"]["nouns"]))

    @classmethod
    def from_disk(cls, path: str | Path) -> "Taxonomy":
        return cls.from_config(Config().from_disk(path))

    def types_of(self, lemma: str, as_verb: bool) -> set[str]:
        table = self.verbs if as_verb else self.nouns
        return {t for t in self.order if lemma in table[t]}

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
                "materiel": sorted(self.materiel), "countable": sorted(self.countable),
                "not_counted": sorted(self.not_counted)}

    @classmethod
    def from_dict(cls, d: dict) -> "Taxonomy":
        as_sets = lambda m: {k: set(v) for k, v in m.items()}  # noqa: E731
        return cls(d["order"], as_sets(d["verbs"]), as_sets(d["nouns"]), as_sets(d["fallback"]),
                   set(d["materiel"]), set(d["countable"]), set(d["not_counted"]))
