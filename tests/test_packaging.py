"""Packaging: entry points name every registered function, and a wheel carries the configs
and the shipped model as package data."""
import importlib
import subprocess
import sys
import tomllib
import zipfile
from pathlib import Path

import pytest
import spacy
from spacy.language import Language

import newsie.components  # noqa: F401  (registers every factory and architecture)
from newsie.paths import REPOSITORY_ONLY_MODELS

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["entry-points"]


def _resolve(target: str):
    module, _, name = target.partition(":")
    return getattr(importlib.import_module(module), name)


@pytest.mark.parametrize("group, registered", [
    ("spacy_factories", lambda: [n for n in Language.factories if n.startswith("newsie")]),
    ("spacy_architectures", lambda: [n for n in spacy.registry.architectures.get_all() if n.startswith("newsie.")]),
    ("spacy_misc", lambda: [n for n in spacy.registry.misc.get_all() if n.startswith("newsie.")]),
    ("spacy_readers", lambda: [n for n in spacy.registry.readers.get_all() if n.startswith("newsie.")]),
    ("spacy_scorers", lambda: [n for n in spacy.registry.scorers.get_all() if n.startswith("newsie.")]),
])
def test_entry_points_list_every_registered_name(group, registered):
    points = ENTRY_POINTS[group]
    assert sorted(points) == sorted(registered())
    for name, target in points.items():
        assert callable(_resolve(target)), (name, target)


def test_every_registered_name_in_a_config_has_an_entry_point():
    import re

    named = set()
    for path in [*(ROOT / "configs").glob("*.cfg"), *(ROOT / "models").glob("*/config.cfg")]:
        named |= set(re.findall(r'"(newsie\.[\w.]+)"', path.read_text()))
    listed = {n for group in ENTRY_POINTS.values() for n in group}
    assert named and named <= listed, named - listed


@pytest.mark.slow
def test_wheel_carries_configs_and_the_shipped_model(tmp_path):
    # from a copy without build/: setuptools adds what an earlier build left in build/lib
    import shutil

    source = tmp_path / "src"
    shutil.copytree(ROOT, source, ignore=shutil.ignore_patterns(".git", ".venv", "build", "out", "*.egg-info",
                                                                "__pycache__", ".*_cache"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "--no-build-isolation",
                    "-w", str(tmp_path), str(source)], check=True, capture_output=True)
    wheel, = tmp_path.glob("newsie-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for config in (ROOT / "configs").glob("*"):
        assert f"newsie/_resources/configs/{config.name}" in names
    models = ROOT / "models"
    for path in models.rglob("*"):  # the default models, not the repository-only ones (setup.py)
        if path.is_file():
            name = f"newsie/_resources/models/{path.relative_to(models).as_posix()}"
            assert (name in names) == (path.relative_to(models).parts[0] not in REPOSITORY_ONLY_MODELS), name
    assert wheel.stat().st_size < 50 * 2**20
