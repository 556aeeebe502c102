"""Loose matching of place and nationality names across documents: 'North Korea',
'North Korean', 'N. Korea' and 'north korea's' name the same party."""
from __future__ import annotations

from ..normalize.aliases import normalize_name

# A nationality adds one of these to the country's name, maybe dropping its last letter
# (Russia/Russian, Korea/Korean, Ukraine/Ukrainian, China/Chinese).
DEMONYM_ENDINGS = ("n", "an", "ian", "ean", "ese", "ish", "i", "s", "ns")


def place_words(name: str) -> list[str]:
    return normalize_name(name).replace("-", " ").split()


def same_word(a: str, b: str) -> bool:
    if a == b:
        return True
    if a.endswith(".") or b.endswith("."):  # "N." abbreviates "North"
        short, long_ = (a, b) if a.endswith(".") else (b, a)
        return long_.startswith(short[:-1]) and len(short) > 1
    short, long_ = sorted((a, b), key=len)
    for stem in (short, short[:-1]):
        if long_.startswith(stem) and long_[len(stem):] in DEMONYM_ENDINGS and len(stem) >= 4:
            return True
    return False


def same_place(a: str, b: str) -> bool:
    wa, wb = place_words(a), place_words(b)
    return bool(wa) and len(wa) == len(wb) and all(same_word(x, y) for x, y in zip(wa, wb))


def share_a_place(a: list[str], b: list[str]) -> bool:
    return any(same_place(x, y) for x in a for y in b)
