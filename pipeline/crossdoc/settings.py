"""Settings of the cross-document step, read from configs/crossdoc.cfg (INI format)."""
from __future__ import annotations

import configparser
from dataclasses import dataclass, field
from pathlib import Path

from ..paths import CONFIGS

DEFAULT_CONFIG = CONFIGS / "crossdoc.cfg"
DEFAULT_ALIASES = CONFIGS / "aliases.tsv"


@dataclass(frozen=True)
class FigureSettings:
    dispute_tolerance: float = 0.10
    max_ratio: float = 5.0
    undated_window_days: int = 14
    places_must_match: bool = False
    increment_words: frozenset[str] = frozenset({"more", "additional", "extra", "further", "fresh", "new"})
    counted_classes: dict[str, str] = field(default_factory=dict)  # head noun -> class


@dataclass(frozen=True)
class DuplicateSettings:
    max_days_apart: int = 7
    sentence_similarity: float = 0.70
    threshold: float = 0.45
    wire_outlets: frozenset[str] = frozenset()


@dataclass(frozen=True)
class Settings:
    figures: FigureSettings = FigureSettings()
    duplicates: DuplicateSettings = DuplicateSettings()
    government_words: frozenset[str] = frozenset()
    alias_file: Path = DEFAULT_ALIASES


def load_settings(path: Path = DEFAULT_CONFIG, alias_file: Path = DEFAULT_ALIASES) -> Settings:
    parser = configparser.ConfigParser()
    parser.read(path, encoding="utf-8")
    fig = parser["figures"] if parser.has_section("figures") else {}
    dup = parser["duplicates"] if parser.has_section("duplicates") else {}
    src = parser["sources"] if parser.has_section("sources") else {}
    defaults_f, defaults_d = FigureSettings(), DuplicateSettings()
    figures = FigureSettings(
        dispute_tolerance=float(fig.get("dispute_tolerance", defaults_f.dispute_tolerance)),
        max_ratio=float(fig.get("max_ratio", defaults_f.max_ratio)),
        undated_window_days=int(fig.get("undated_window_days", defaults_f.undated_window_days)),
        places_must_match=str(fig.get("places_must_match", "false")).lower() in {"1", "true", "yes", "on"},
        increment_words=_words(fig.get("increment_words")) or defaults_f.increment_words,
        counted_classes=_counted_classes(parser),
    )
    duplicates = DuplicateSettings(
        max_days_apart=int(dup.get("max_days_apart", defaults_d.max_days_apart)),
        sentence_similarity=float(dup.get("sentence_similarity", defaults_d.sentence_similarity)),
        threshold=float(dup.get("threshold", defaults_d.threshold)),
        wire_outlets=frozenset(o.strip().lower() for o in dup.get("wire_outlets", "").split(";") if o.strip()),
    )
    return Settings(figures, duplicates, _words(src.get("government_words")), Path(alias_file))


def _words(value: str | None) -> frozenset[str]:
    return frozenset(value.lower().split()) if value else frozenset()


def _counted_classes(parser: configparser.ConfigParser) -> dict[str, str]:
    if not parser.has_section("counted"):
        return {}
    return {word: name for name, words in parser["counted"].items() for word in words.lower().split()}
