"""quantulum3's surface forms of newsie's news units, saved in configs/unit_surfaces.json.

numbers.py reads units through about 190 entries of quantulum3's unit table (the surface forms
of NEWS_UNITS, `quantulum_surfaces`). Building that table costs 2-3 s at every start and in
every worker process (quantulum3 loads all of its units and pluralizes each with inflect, whose
typeguard decorators are slow to apply), so the entries are saved with the quantulum3 version
and the unit names they were made for. When either differs from what is installed and asked
for, the saved file is not used and the table is computed from quantulum3 as before: a stale
file costs time, not answers. quantulum3 itself is a development dependency (the `dev` extra):
without it the saved table is the table. tests/test_saved_units.py checks the file against
quantulum3; `python -m newsie.normalize.saved_units` rewrites it.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Iterable

from ..paths import CONFIGS

SAVED = CONFIGS / "unit_surfaces.json"

# Physical units worth reporting in news; spelled as quantulum3 names them.
NEWS_UNITS = frozenset({
    "kilometre", "metre", "mile", "foot", "inch", "yard", "centimetre", "millimetre",
    "kilogram", "gram", "tonne", "ton", "short ton", "long ton", "pound-mass", "ounce", "litre",
    "gallon", "barrel", "cubic metre", "hectare", "acre", "square kilometre", "square mile",
    "square metre", "square foot", "megawatt", "gigawatt", "kilowatt", "watt", "kilowatt hour",
    "degree Celsius", "kilometre per hour", "mile per hour", "knot", "metre per second",
    "megaton", "kiloton", "calorie", "kilocalorie", "cubic foot", "decibel",
    "nanometre", "milligram", "horsepower", "hertz", "megabyte", "gigabyte", "terabyte",
})


@lru_cache(maxsize=1)
def quantulum_surfaces() -> dict[str, str]:
    """Lowercase surface form -> unit name, for NEWS_UNITS only: the saved table when it was
    made for this quantulum3 and these units, else computed from quantulum3, once (2-3 s)."""
    saved = saved_surfaces(NEWS_UNITS)
    return saved if saved is not None else quantulum_surfaces_live()


def quantulum_surfaces_live() -> dict[str, str]:
    """The same table, computed from quantulum3's unit table."""
    try:
        from quantulum3 import load
        units = load.units("en_US")
    except Exception:   # quantulum3 missing or broken: abbreviations still work
        return {}
    surfaces = {}
    for surface, candidates in units.surfaces_lower.items():
        names = {c.name for c in candidates}
        if len(names & NEWS_UNITS) == 1 and surface not in ("pound", "pounds"):
            surfaces[surface] = (names & NEWS_UNITS).pop()
    return surfaces


def quantulum_version() -> str | None:
    try:
        return version("quantulum3")
    except PackageNotFoundError:
        return None


def saved_surfaces(units: Iterable[str], path: Path = SAVED) -> dict[str, str] | None:
    """The saved surface -> unit table, or None when it was made for another quantulum3 than
    the installed one or other units (or is missing or unreadable)."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict):
        return None
    if quantulum_version() is not None and data.get("quantulum3") != quantulum_version():
        return None
    if sorted(data.get("units") or []) != sorted(units):
        return None
    surfaces = data.get("surfaces")
    return dict(surfaces) if isinstance(surfaces, dict) else None


def write_saved(path: Path = SAVED) -> dict[str, str]:
    """Compute the table from quantulum3 and save it (the file is part of the repository)."""
    surfaces = quantulum_surfaces_live()
    data = {"quantulum3": quantulum_version(), "units": sorted(NEWS_UNITS),
            "surfaces": dict(sorted(surfaces.items()))}
    Path(path).write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    return surfaces


if __name__ == "__main__":  # pragma: no cover
    print(f"{len(write_saved())} surface forms written to {SAVED}")
