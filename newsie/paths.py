"""Where the shipped configs and models live.

In a checkout (and an editable install) they are the repository's `configs/` and `models/`,
next to `newsie/`. A wheel (`pip install .`) carries them as package data under
`newsie/_resources/`, found with importlib.resources, so `newsie` runs from any folder.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _resource_dir(name: str, marker: str) -> Path:
    installed = Path(str(files("newsie") / "_resources" / name))
    if (installed / marker).exists():
        return installed
    return ROOT / name


CONFIGS = _resource_dir("configs", "pipeline.cfg")
MODELS = _resource_dir("models", "attribution")
# In models/ of a checkout, not in a wheel (setup.py says why): named with --attribution-model
# NAME, an installed newsie says where they are instead of "not found".
REPOSITORY_ONLY_MODELS = ("attribution-minilm", "attribution-mpnet")
PIPELINE_CONFIG = CONFIGS / "pipeline.cfg"  # the default: trained attribution, then the rules
RULES_CONFIG = CONFIGS / "pipeline_rules.cfg"  # rule attribution alone (`newsie run --rules`)
