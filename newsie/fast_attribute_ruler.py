"""spaCy's attribute ruler with a per-token lookup instead of a Matcher pass.

en_core_web_sm's attribute ruler maps tags to coarse parts of speech and morphology with 179
Matcher patterns, 170 of them one token long. A one-token pattern of the kinds it uses (exact
TAG, LOWER, DEP, IS_SPACE values, IN / NOT_IN lists, REGEX) matches a token or not by those
four attributes alone, so the patterns that match are computed once per distinct
(tag, lower, dep, is_space) and looked up after; the few longer patterns still run through a
Matcher. Attributes are then set exactly as `AttributeRuler.set_annotations` sets them: per
token, in the order the patterns were added, later ones overriding earlier ones. On the 84
PolNeAR dev articles every token's POS, morphology and lemma are the same as with spaCy's
ruler (tests/test_fast_attribute_ruler.py checks sentences written for it; `make bench` times it).

The component is spaCy's AttributeRuler in every other respect (patterns, serialization,
scoring); `base_model` loads the patterns a spaCy pipeline package ships.
"""
from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.matcher import Matcher
from spacy.pipeline.attributeruler import AttributeRuler, attribute_ruler_score
from spacy.tokens import Doc, Span
from spacy.tokens._retokenize import set_token_attrs
from spacy.util import get_package_path

# One-token pattern keys decided by the token alone, and how each reads it.
_TOKEN_KEYS = {"TAG": lambda t: t.tag_, "LOWER": lambda t: t.lower_, "DEP": lambda t: t.dep_,
               "IS_SPACE": lambda t: t.is_space}


@Language.factory("newsie_attribute_ruler", requires=["token.tag", "token.dep"],
                  assigns=["token.pos", "token.morph", "token.lemma"],
                  default_config={"validate": False, "base_model": None})
def make_fast_attribute_ruler(nlp: Language, name: str, validate: bool, base_model: str | None) -> "FastAttributeRuler":
    ruler = FastAttributeRuler(nlp.vocab, name, validate=validate, scorer=attribute_ruler_score)
    if base_model:
        ruler.from_disk(_component_dir(base_model, "attribute_ruler"), exclude=["vocab"])
    return ruler


def _component_dir(package: str, component: str) -> Path:
    """A component folder of an installed spaCy pipeline package (its data folder holds
    config.cfg, one folder per component)."""
    try:
        root = get_package_path(package)
    except ImportError:
        raise FileNotFoundError(f"the spaCy pipeline package {package} is not installed") from None
    data = next((p for p in [root, *sorted(root.iterdir())] if (p / "config.cfg").is_file()), None)
    if data is None or not (data / component).is_dir():
        raise FileNotFoundError(f"no {component} in the spaCy package {package} ({root})")
    return data / component


class FastAttributeRuler(AttributeRuler):
    def clear(self) -> None:
        super().clear()
        self._plan = None

    def add(self, patterns, attrs, index: int = 0) -> None:
        super().add(patterns, attrs, index)
        self._plan = None

    def __call__(self, doc: Doc) -> Doc:
        single, matcher, starters, cache = getattr(self, "_plan", None) or self._make_plan()
        applied: list[tuple[int, int]] = []  # (attr id, token index)
        longer = starters is None  # None: a longer pattern may start anywhere
        for token in doc:
            key = (token.tag_, token.lower_, token.dep_, token.is_space)
            found = cache.get(key)
            if found is None:
                candidates = single.get(key[0], ()) + single.get(None, ())
                ids = tuple(sorted({i for i, spec in candidates if _matches(spec, token)}))
                found = cache[key] = (ids, bool(starters) and any(_matches(s, token) for s in starters))
            applied.extend((i, token.i) for i in found[0])
            longer = longer or found[1]
        if matcher is not None and longer:  # only where a longer pattern can start
            for match_id, start, end in matcher(doc, allow_missing=True):
                i = int(self.vocab.strings[match_id])
                applied.append((i, Span(doc, start, end)[self.indices[i]].i))
        applied.sort()
        for i, t in applied:
            set_token_attrs(doc[t], self.attrs[i])
        return doc

    def _make_plan(self):
        """(one-token patterns by tag, a Matcher for the others, the first tokens those start
        with, the lookup cache)."""
        # one-token patterns by the exact TAG they name (None: any tag)
        single: dict[str | None, tuple[tuple[int, dict], ...]] = {}
        matcher = Matcher(self.vocab, validate=self.validate)
        starters: list[dict] | None = []
        for i in range(len(self.attrs)):
            _, patterns = self.matcher.get(str(i))
            if all(len(p) == 1 and _decidable(p[0]) for p in patterns):
                for (spec,) in patterns:
                    tag = next((v for k, v in spec.items() if str(k).upper() == "TAG" and isinstance(v, str)), None)
                    single[tag] = single.get(tag, ()) + ((i, spec),)
                continue
            matcher.add(str(i), patterns)
            if starters is not None and all(_decidable(p[0]) for p in patterns):
                starters.extend(p[0] for p in patterns)
            else:
                starters = None
        self._plan = (single, matcher if len(matcher) else None, starters, {})
        return self._plan


def _decidable(spec: dict) -> bool:
    for key, value in spec.items():
        if str(key).upper() not in _TOKEN_KEYS:
            return False
        if isinstance(value, dict) and not set(value) <= {"IN", "NOT_IN", "REGEX"}:
            return False
    return True


def _matches(spec: dict, token) -> bool:
    for key, wanted in spec.items():
        value = _TOKEN_KEYS[str(key).upper()](token)
        if isinstance(wanted, dict):
            if "IN" in wanted and value not in wanted["IN"]:
                return False
            if "NOT_IN" in wanted and value in wanted["NOT_IN"]:
                return False
            if "REGEX" in wanted and not re.search(wanted["REGEX"], str(value)):
                return False
        elif value != wanted:
            return False
    return True
