"""Where the shipped configs and models live (the repository root, next to pipeline/)."""
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIGS = ROOT / "configs"
MODELS = ROOT / "models"
