"""Names: acronym definitions, name variants and the user-editable alias file.

Acronyms follow Schwartz & Hearst (2003), "A simple algorithm for identifying abbreviation
definitions in biomedical text" (PSB): a short form in parentheses after a candidate long
form, matched character by character from the end of both, each short-form character
found in the long form and the first one at the start of a word.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

_PAREN = re.compile(r"\(([^()]{1,12})\)")
_WORD = re.compile(r"[\w'’.-]+")
TITLES = {
    "president", "prime", "minister", "secretary", "general", "secretary-general", "spokesman",
    "spokeswoman", "spokesperson", "leader", "chancellor", "king", "queen", "sen.", "senator",
    "rep.", "gov.", "governor", "mayor", "dr.", "mr.", "mrs.", "ms.", "gen.", "col.", "lt.", "sgt.",
    "ambassador", "chief", "director", "commander", "lawmaker", "foreign", "defense", "defence",
    "presidential", "deputy", "vice", "former", "acting", "pope", "judge", "justice", "editor",
}
_DETERMINERS = ("the ", "a ", "an ")


def normalize_name(text: str) -> str:
    """Lowercase, straight apostrophes, single spaces, no leading determiner or trailing 's."""
    key = " ".join(text.replace("’", "'").replace("‘", "'").lower().split())
    for det in _DETERMINERS:
        if key.startswith(det):
            key = key[len(det):]
    if key.endswith("'s"):
        key = key[:-2]
    return key.strip(" ,.;:")


# --- Schwartz & Hearst ------------------------------------------------------------------

def find_abbreviations(text: str) -> list[tuple[str, str, int]]:
    """(short form, long form, start of the long form) for each 'long form (SF)' in text."""
    pairs = []
    for match in _PAREN.finditer(text):
        short = match.group(1).strip()
        if not _is_short_form(short):
            continue
        before = text[: match.start()].rstrip()
        words = list(_WORD.finditer(before))
        window = words[-min(len(short) + 5, len(short) * 2):]
        if not window:
            continue
        candidate_start = window[0].start()
        long_form = _best_long_form(short, before[candidate_start:])
        if long_form:
            pairs.append((short, long_form, len(before) - len(long_form)))
    return pairs


def _is_short_form(short: str) -> bool:
    return 2 <= len(short) <= 10 and short[0].isalnum() and any(c.isalpha() for c in short) and len(short.split()) <= 2


def _best_long_form(short: str, candidate: str) -> str | None:
    """Walk both strings from the end; the first short-form char must begin a word."""
    s_index, l_index = len(short) - 1, len(candidate) - 1
    while s_index >= 0:
        char = short[s_index].lower()
        if not char.isalnum():
            s_index -= 1
            continue
        while l_index >= 0 and (candidate[l_index].lower() != char or
                                (s_index == 0 and l_index > 0 and candidate[l_index - 1].isalnum())):
            l_index -= 1
        if l_index < 0:
            return None
        l_index -= 1
        s_index -= 1
    start = candidate.rfind(" ", 0, l_index + 1) + 1
    long_form = candidate[start:].strip()
    return long_form if len(long_form.split()) > 1 or len(long_form) > len(short) else None


# --- the alias file -----------------------------------------------------------------------

@dataclass
class AliasTable:
    """alias (normalized) -> canonical name. Loaded from a TSV: alias<TAB>canonical."""

    aliases: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_file(cls, path: str | Path) -> "AliasTable":
        table = cls()
        for line in Path(path).read_text(encoding="utf-8").splitlines():
            if not line.strip() or line.lstrip().startswith("#"):
                continue
            alias, _, canonical = line.partition("\t")
            if canonical.strip():
                table.add(alias, canonical.strip())
        return table

    def add(self, alias: str, canonical: str) -> None:
        self.aliases[normalize_name(alias)] = canonical

    def lookup(self, text: str) -> str | None:
        return self.aliases.get(normalize_name(text))

    def to_lines(self) -> list[str]:
        return [f"{a}\t{c}" for a, c in sorted(self.aliases.items())]


_EDGE_PUNCT = " ,;:-–—\"“”'‘’"
_TITLED_NAME = re.compile(r"^(?P<title>[^,]+),\s+(?P<name>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*){0,3})$")


def clean_name(name: str) -> str:
    """A source name as a canonical one: no punctuation at its edges ("Ahmed Karim,"), brackets
    balanced ("World Food Programme (WFP" -> "World Food Programme (WFP)"), and a job title
    before an appositive name dropped ("ministry's spokesman, Ahmed Karim" -> "Ahmed Karim")."""
    text = " ".join(name.split()).strip(_EDGE_PUNCT)
    if text.count("(") > text.count(")"):
        text += ")"
    elif text.count(")") > text.count("(") and text.endswith(")"):
        text = text[:-1].rstrip()
    match = _TITLED_NAME.match(text)
    if match is not None:
        title = match.group("title")
        if title[:1].islower() or title.split()[0] in ("The", "A", "An"):
            return match.group("name")
    return text


_LEGAL_FORM = re.compile(r"(?:,?\s+(?:PLC|plc|Inc\.?|Ltd\.?|Limited|Corp\.?|Corporation|Co\.|LLC|S\.?A\.?|AG|N\.?V\.?))+$")


def without_legal_form(name: str) -> str:
    """'BP PLC' -> 'BP', 'Acme Oil, Inc.' -> 'Acme Oil': a company's name without its legal form."""
    return _LEGAL_FORM.sub("", name.strip()).strip()


def strip_titles(name: str) -> str:
    """'Ukrainian President Volodymyr Zelenskyy' -> 'Volodymyr Zelenskyy'."""
    words = name.split()
    while len(words) > 1 and (words[0].lower() in TITLES or _is_demonym(words[0])):
        words.pop(0)
    return " ".join(words)


def _is_demonym(word: str) -> bool:
    return word[:1].isupper() and word.lower().endswith(("ian", "ean", "ese", "ish", "can")) and len(word) > 4


def surname_of(full_name: str) -> str:
    return strip_titles(full_name).split()[-1] if full_name.split() else full_name


def same_person(short: str, full: str) -> bool:
    """'Zelensky' names the same person as 'Volodymyr Zelenskyy' (surname, allowing a
    transliteration that differs only in a doubled final letter)."""
    a, b = normalize_name(short), normalize_name(surname_of(full))
    return a == b or (a.rstrip("y") == b.rstrip("y") and min(len(a), len(b)) >= 5)


# --- one document's names -----------------------------------------------------------------

@dataclass
class DocumentNames:
    """The names one document defines: its acronyms ("National Intelligence Service (NIS)")
    and the people it names, titles stripped. Resolves a name to its one canonical form."""

    acronyms: dict[str, str] = field(default_factory=dict)
    people: list[str] = field(default_factory=list)

    @classmethod
    def from_text(cls, text: str, person_names: list[str]) -> "DocumentNames":
        acronyms = {short.lower(): long for short, long, _ in find_abbreviations(text)}
        return cls(acronyms, list(dict.fromkeys(strip_titles(name) for name in person_names)))

    def canonical(self, text: str, label: str | None, aliases: AliasTable) -> str:
        """The one name: alias file > acronym > fullest person name > the text, tidied.
        `label` is the entity label (None for a span the NER did not tag)."""
        key = normalize_name(text)
        for candidate in (key, strip_possessor(key)):
            if aliases.lookup(candidate):
                return aliases.lookup(candidate)
            if candidate in self.acronyms:
                return aliases.lookup(self.acronyms[candidate]) or self.acronyms[candidate]
        if label in ("PERSON", "ORG", "NORP", None):  # the NER often tags a lone surname ORG
            name = strip_titles(text.replace("’s", "").replace("'s", ""))
            full = self.fullest_person(name)
            if full is None and label == "PERSON" and len(name.split()) > 1:
                full = name
            if full:
                return aliases.lookup(full) or full
        return tidy_name(text)

    def fullest_person(self, name: str) -> str | None:
        """The longest person name of the document whose surname is this name's."""
        if not name:
            return None
        surname = name.split()[-1]
        candidates = [p for p in self.people if len(p.split()) > len(name.split()) and same_person(surname, p)]
        return max(candidates, key=len) if candidates else None


def strip_possessor(key: str) -> str:
    """"seoul's national intelligence service" -> "national intelligence service"."""
    head, sep, rest = key.partition("'s ")
    return rest if sep and len(head.split()) <= 3 else key


def tidy_name(text: str) -> str:
    """Single spaces, no leading "the", no trailing possessive."""
    text = " ".join(text.split())
    if text.lower().startswith("the "):
        text = text[4:]
    for suffix in ("’s", "'s"):
        if text.endswith(suffix):
            text = text[: -len(suffix)]
    return text
