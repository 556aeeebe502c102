"""One canonical name per source across a run.

Each name is first cleaned (normalize.aliases.clean_name: edge punctuation, brackets, a title
before an appositive name). Rules, tried in order for each name (a source's text or the canonical name a document gave):
1. the curated alias file (configs/aliases.tsv, alias<TAB>canonical), which users edit;
   then a company's name without its legal form ("BP PLC" -> "BP");
2. acronyms defined in any document of the run ("National Intelligence Service (NIS)"),
   found with the Schwartz & Hearst (2003) algorithm (normalize.aliases.find_abbreviations);
3. possessive descriptions: "Seoul's National Intelligence Service" -> the possessed name
   when that resolves or is itself a proper name;
4. "<place> officials/estimates/figures" -> "<place> government" (configs/crossdoc.cfg), for
   a place the gazetteer knows (a country, a US state, a large city, a nationality);
5. person name variants across documents: titles stripped ("President Zelenskyy"), a bare
   surname ("Zelensky") and transliterations ("Zelensky"/"Zelenskyy"/"Zelenskiy") resolve to
   the one full name of the run they fit; ambiguous surnames are left alone.
Resolution is repeated to a fixed point, so resolving a canonical name returns it unchanged
(finalize is idempotent).
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Iterable

from ..normalize.aliases import (AliasTable, clean_name, find_abbreviations, normalize_name, same_person,
                                 strip_titles, without_legal_form)
from .places import country_of

_POSSESSIVE = re.compile(r"^(?P<owner>.+?)['’]s\s+(?P<owned>.+)$")
_PARENTHETICAL = re.compile(r"\s*\([^()]*\)\s*$")
_NAME_TOKEN = re.compile(r"^[A-Z][\w'’.-]*$")
PERSON_LABELS = {"PERSON"}


def translit_key(surname: str) -> str:
    """'Zelenskyy', 'Zelensky', 'Zelenskiy' -> 'zelenski': y/i/j runs read as one i, no doubled letters."""
    key = re.sub(r"[yij]+", "i", normalize_name(surname))
    return re.sub(r"(.)\1+", r"\1", key)


def surname_key(surname: str) -> str:
    """Equal for any two surnames same_surname accepts (the index key of person names)."""
    return translit_key(surname).rstrip("i")


def same_surname(a: str, b: str) -> bool:
    return same_person(a, b) or (min(len(a), len(b)) >= 4 and translit_key(a) == translit_key(b))


def looks_like_person_name(name: str) -> bool:
    tokens = name.split()
    return 1 <= len(tokens) <= 4 and all(_NAME_TOKEN.match(t) for t in tokens)


@dataclass
class SourceResolver:
    aliases: AliasTable
    acronyms: dict[str, str] = field(default_factory=dict)  # short form (as written) -> long form
    full_names: dict[str, str] = field(default_factory=dict)  # full person name -> its canonical spelling
    government_words: frozenset[str] = frozenset()
    _by_surname: dict[str, list[str]] = field(default_factory=dict, repr=False)  # surname_key -> full names
    _memo: dict[tuple, str | None] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        for full in self.full_names:
            self._by_surname.setdefault(surname_key(full.split()[-1]), []).append(full)

    def resolve(self, name: str | None, label: str | None = None) -> str | None:
        """The canonical name for `name`, or None when no rule knows it better."""
        if not name or not name.strip():
            return None
        key = (name, label)
        if key not in self._memo:
            self._memo[key] = self._resolve(name, label)
        return self._memo[key]

    def _resolve(self, name: str, label: str | None) -> str | None:
        current, seen = clean_name(name), set()
        while current not in seen:
            seen.add(current)
            nxt = self._resolve_once(current, label)
            if nxt is None or nxt == current:
                break
            current = nxt
        return current if current != name.strip() else None

    def _resolve_once(self, name: str, label: str | None) -> str | None:
        return (self._alias(name)
                or self._without_parenthetical(name)
                or self._without_legal_form(name)
                or self._acronym(name)
                or self._possessive(name, label)
                or self._government(name)
                or self._person(name, label))

    def _alias(self, name: str) -> str | None:
        # A lowercase single word ("who", "un") is a pronoun or a common word, never the acronym.
        if " " not in name.strip() and name.islower():
            return None
        return self.aliases.lookup(name)

    def _without_parenthetical(self, name: str) -> str | None:
        """'The National Intelligence Service (NIS)' -> 'National Intelligence Service'."""
        bare = _PARENTHETICAL.sub("", name).strip()
        if bare == name.strip() or not bare:
            return None
        return self._resolve_once(bare, None) or re.sub(r"^(the|The)\s+", "", bare)

    def _without_legal_form(self, name: str) -> str | None:
        """'BP PLC' -> 'BP': the company, however its legal form is written (or left out)."""
        bare = without_legal_form(name)
        return bare if bare and bare != name.strip() and bare[:1].isupper() else None

    def _acronym(self, name: str) -> str | None:
        bare = re.sub(r"^(the|The)\s+", "", name)
        long_form = self.acronyms.get(bare)
        if long_form is None:
            return None
        return self._alias(long_form) or long_form

    def _possessive(self, name: str, label: str | None) -> str | None:
        match = _POSSESSIVE.match(name)
        if not match:
            return None
        owned = match.group("owned")
        resolved = self._resolve_once(owned, label)
        if resolved:
            return resolved
        # "South Korea's JoongAng Ilbo newspaper": the owned part is a proper name of its own.
        return owned if owned[:1].isupper() else None

    def _government(self, name: str) -> str | None:
        words = name.split()
        if len(words) < 2 or words[-1].lower() not in self.government_words:
            return None
        place = " ".join(words[:-1])
        if place.lower() in self.government_words or not place[:1].isupper() or "," in place or " and " in place:
            return None
        place = re.sub(r"^(the|The)\s+", "", place)
        if country_of(place) is None:
            return None  # "UN officials", "WHO figures": a body, not a place
        return f"{self._alias(place) or place} government"

    def _person(self, name: str, label: str | None) -> str | None:
        if label is not None and label not in PERSON_LABELS:
            return None
        bare = strip_titles(name)
        if not looks_like_person_name(bare):
            return None
        if bare in self.full_names:
            return self.full_names[bare]
        fulls = self._by_surname.get(surname_key(bare.split()[-1]), ())
        candidates = {self.full_names[full] for full in fulls if _name_variant(bare, full)}
        return candidates.pop() if len(candidates) == 1 else None


def _name_variant(name: str, full: str) -> bool:
    """'Zelensky' or 'Volodymyr Zelensky' is a variant of 'Volodymyr Zelenskyy'."""
    tokens, full_tokens = name.split(), full.split()
    if not same_surname(tokens[-1], full_tokens[-1]):
        return False
    return len(tokens) == 1 or [t.lower() for t in tokens[:-1]] == [t.lower() for t in full_tokens[:-1]]


def build_resolver(texts: Iterable[str], person_names: Iterable[str], aliases: AliasTable,
                   government_words: frozenset[str] = frozenset()) -> SourceResolver:
    """A resolver from the run's document texts (for acronym definitions) and the person
    names written in them (PERSON mentions, as written: stable across reruns)."""
    definitions = ((short, re.sub(r"^(the|The)\s+", "", long_form))
                   for text in texts for short, long_form, _ in find_abbreviations(text or ""))
    return resolver_from(definitions, person_names, aliases, government_words)


def resolver_from(acronyms: Iterable[tuple[str, str]], person_names: Iterable[str], aliases: AliasTable,
                  government_words: frozenset[str] = frozenset()) -> SourceResolver:
    """A resolver from the (short, long form) acronym definitions of the run's documents
    (signatures.py collects them per chunk) and its PERSON mentions."""
    return SourceResolver(aliases, collect_acronyms(acronyms), group_full_names(person_names, aliases),
                          government_words)


def collect_acronyms(definitions: Iterable[tuple[str, str]]) -> dict[str, str]:
    """Short form -> its most frequent long form over all documents."""
    found: dict[str, Counter] = defaultdict(Counter)
    for short, long_form in definitions:
        found[short][long_form] += 1
    return {short: counts.most_common(1)[0][0] for short, counts in found.items()}


def group_full_names(names: Iterable[str], aliases: AliasTable) -> dict[str, str]:
    """Full names (two tokens or more, titles stripped) -> one spelling per person: the alias
    file's canonical when it knows one, else the most frequent spelling (then the longest)."""
    counts = Counter(strip_titles(n.strip()) for n in names if n and n.strip())
    full = sorted(n for n in counts if len(n.split()) >= 2 and looks_like_person_name(n))
    groups: list[list[str]] = []
    by_surname: dict[str, list[list[str]]] = {}  # only groups whose surnames could match are compared
    for name in full:
        near = by_surname.setdefault(surname_key(name.split()[-1]), [])
        group = next((g for g in near if _name_variant(name, g[0]) or _name_variant(g[0], name)), None)
        if group is None:
            near.append([name])
            groups.append(near[-1])
        else:
            group.append(name)
    mapping = {}
    for group in groups:
        chosen = next((aliases.lookup(n) for n in sorted(group) if aliases.lookup(n)), None)
        chosen = chosen or max(group, key=lambda n: (counts[n], len(n), n))
        mapping.update({n: chosen for n in group})
        mapping.setdefault(chosen, chosen)
    return mapping
