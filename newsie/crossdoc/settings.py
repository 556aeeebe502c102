"""Settings of the cross-document step, read from configs/crossdoc.cfg.

The file is in the spaCy config system's format (confection, like configs/pipeline.cfg):
values are JSON, so numbers, booleans and lists come typed. The file is the one place the
defaults live: the dataclasses below have none, every setting must be in the file, and a
file with a missing, unknown or mistyped setting is refused with a CrossdocConfigError
that names it. To build Settings in code, load a file (`load_settings`), give a parsed
config (`settings_from_config(Config().from_str(...))`), or `dataclasses.replace` fields
of loaded ones.
"""
from __future__ import annotations

import configparser
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping

from confection import Config

from ..paths import CONFIGS
from .signatures import NUM_PERMUTATIONS

DEFAULT_CONFIG = CONFIGS / "crossdoc.cfg"
DEFAULT_ALIASES = CONFIGS / "aliases.tsv"


class CrossdocConfigError(ValueError):
    """A cross-document config file that cannot be read or has a wrong setting."""


@dataclass(frozen=True)
class FigureSettings:
    dispute_tolerance: float
    max_ratio: float
    undated_window_days: int
    places_must_match: bool
    increment_words: frozenset[str]
    increment_nouns: frozenset[str]  # counted nouns of one part of a series ("the first $3bn installment")
    counted_classes: dict[str, str]  # head noun -> class ([counted])
    people_events: frozenset[str]  # event types that count people whatever the noun
    people_classes: frozenset[str]  # [counted] classes of people
    people_nouns: frozenset[str]  # other head nouns that count people
    generic_classes: frozenset[str]  # [counted] classes that fit any class of their kind
    destination_events: frozenset[str]  # a place written on their figure is where they went
    same_moment_days: int  # disputes: values given at most this many days apart
    growth_days: int  # a count may grow by max_ratio every growth_days between reports
    revision_words: frozenset[str]  # just before a figure: it updates or revises the fact
    projection_words: frozenset[str]  # just before a hedged figure: it looks ahead (no current value)
    estimate_ratio: float  # a hedged estimate of a measure fits its event's other values within this factor
    event_words: dict[str, str]  # event word -> class ([events])
    event_gap_days: int  # a longer gap between an event's articles ends the event
    units: dict[str, tuple[str, float]]  # measure unit -> (base unit, base units it holds) ([units])


@dataclass(frozen=True)
class DuplicateSettings:
    max_days_apart: int
    sentence_similarity: float
    threshold: float
    wire_outlets: frozenset[str]
    bands: int  # MinHash LSH: bands x rows_per_band values of each signature
    rows_per_band: int
    min_jaccard: float
    static_similarity: float  # the screen's sentence cosine on static vectors
    screen_margin: float


@dataclass(frozen=True)
class Settings:
    figures: FigureSettings
    duplicates: DuplicateSettings
    government_words: frozenset[str]
    alias_file: Path


# The settings each section must hold, and their types. [counted] and [events] are also
# free-form: class name = list of words.
WORDS = "list of strings"
SCHEMA: dict[str, dict[str, type | str]] = {
    "figures": {"dispute_tolerance": float, "max_ratio": float, "undated_window_days": int,
                "places_must_match": bool, "increment_words": WORDS, "increment_nouns": WORDS, "people_events": WORDS,
                "people_classes": WORDS, "people_nouns": WORDS, "generic_classes": WORDS, "destination_events": WORDS, "same_moment_days": int, "growth_days": int,
                "revision_words": WORDS, "projection_words": WORDS, "estimate_ratio": float},
    "events": {"event_gap_days": int},
    "units": {},
    "counted": {},
    "sources": {"government_words": WORDS},
    "duplicates": {"max_days_apart": int, "sentence_similarity": float, "threshold": float,
                   "wire_outlets": WORDS, "bands": int, "rows_per_band": int, "min_jaccard": float,
                   "static_similarity": float, "screen_margin": float},
}
FREE_FORM = ("counted", "events")  # sections whose other keys are classes of words
UNIT = "a unit"  # [units]: every key is a unit, its value [base unit, factor]
_TYPE_NAMES = {UNIT: '[base unit, factor] (JSON: ["litre", 3.785])', float: "a number", int: "a whole number", bool: "true or false",
               WORDS: 'a list of strings (JSON: ["a", "b"])'}


def load_settings(path: str | Path = DEFAULT_CONFIG, alias_file: str | Path = DEFAULT_ALIASES) -> Settings:
    """The settings in the config file at `path`; CrossdocConfigError when it is unusable."""
    path = Path(path)
    if not path.is_file():
        raise CrossdocConfigError(f"cross-document config not found: {path}")
    try:
        config = Config().from_disk(path)
    except (ValueError, configparser.Error, OSError) as exc:  # confection's errors are ValueErrors
        raise CrossdocConfigError(f"{path}: not a valid config file: {_one_line(exc)}") from None
    return settings_from_config(config, alias_file, where=str(path))


def settings_from_config(config: Mapping, alias_file: str | Path = DEFAULT_ALIASES,
                         where: str = "cross-document config") -> Settings:
    """Settings from a parsed config (a confection Config or a plain dict of sections)."""
    _check(config, where)
    fig, dup, src, counted, events, units = (config[name] for name in
                                             ("figures", "duplicates", "sources", "counted", "events", "units"))
    figures = FigureSettings(
        dispute_tolerance=float(fig["dispute_tolerance"]),
        max_ratio=float(fig["max_ratio"]),
        undated_window_days=fig["undated_window_days"],
        places_must_match=fig["places_must_match"],
        increment_words=_lowered(fig["increment_words"]),
        increment_nouns=_lowered(fig["increment_nouns"]),
        counted_classes={word: name for name, words in counted.items() for word in _lowered(words)},
        people_events=_lowered(fig["people_events"]),
        people_classes=_lowered(fig["people_classes"]),
        people_nouns=_lowered(fig["people_nouns"]),
        generic_classes=_lowered(fig["generic_classes"]),
        destination_events=_lowered(fig["destination_events"]),
        same_moment_days=fig["same_moment_days"],
        growth_days=fig["growth_days"],
        revision_words=_lowered(fig["revision_words"]),
        projection_words=_lowered(fig["projection_words"]),
        estimate_ratio=float(fig["estimate_ratio"]),
        event_words={word: name for name, words in events.items() if name not in SCHEMA["events"]
                     for word in _lowered(words)},
        event_gap_days=events["event_gap_days"],
        units={unit.lower(): (base.lower(), float(factor)) for unit, (base, factor) in units.items()},
    )
    duplicates = DuplicateSettings(
        max_days_apart=dup["max_days_apart"],
        sentence_similarity=float(dup["sentence_similarity"]),
        threshold=float(dup["threshold"]),
        wire_outlets=_lowered(dup["wire_outlets"]),
        bands=dup["bands"], rows_per_band=dup["rows_per_band"], min_jaccard=float(dup["min_jaccard"]),
        static_similarity=float(dup["static_similarity"]), screen_margin=float(dup["screen_margin"]),
    )
    if duplicates.bands < 1 or duplicates.rows_per_band < 1 or duplicates.bands * duplicates.rows_per_band > NUM_PERMUTATIONS:
        raise CrossdocConfigError(f"{where}: [duplicates] bands x rows_per_band must be between 1 and "
                                  f"{NUM_PERMUTATIONS} (the MinHash signature's length)")
    return Settings(figures, duplicates, _lowered(src["government_words"]), Path(alias_file))


def _check(config: Mapping, where: str) -> None:
    unknown = [name for name in config if name not in SCHEMA]
    if unknown:
        raise CrossdocConfigError(f"{where}: unknown section [{unknown[0]}] (expected {_listed(SCHEMA)})")
    for name, fields in SCHEMA.items():
        section = config.get(name)
        if not isinstance(section, Mapping):
            raise CrossdocConfigError(f"{where}: no [{name}] section")
        for key, value in section.items():
            kind = fields.get(key, WORDS if name in FREE_FORM else UNIT if name == "units" else None)
            if kind is None:
                raise CrossdocConfigError(f"{where}: unknown setting {key!r} in [{name}] (expected {_listed(fields)})")
            if not _is(value, kind):
                raise CrossdocConfigError(f"{where}: [{name}] {key} must be {_TYPE_NAMES[kind]}, got {value!r}")
        missing = [key for key in fields if key not in section]
        if missing:
            raise CrossdocConfigError(f"{where}: [{name}] is missing {', '.join(missing)}")


def _is(value, kind) -> bool:
    if kind == UNIT:
        return (isinstance(value, list) and len(value) == 2 and isinstance(value[0], str)
                and isinstance(value[1], (int, float)) and not isinstance(value[1], bool) and value[1] > 0)
    if kind is bool:
        return isinstance(value, bool)
    if kind is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if kind is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


def _lowered(words: list[str]) -> frozenset[str]:
    return frozenset(w.strip().lower() for w in words if w.strip())


def _listed(names) -> str:
    return ", ".join(names) or "none"


def _one_line(exc: Exception) -> str:
    text = getattr(exc, "desc", None) or str(exc)
    return " ".join(str(text).split())
