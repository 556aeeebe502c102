"""Packaging beyond what pyproject.toml can say: the repository's configs/ and models/
become package data of `pipeline` (pipeline/_resources/...) in a wheel, so an installed
newsie finds them with importlib.resources (pipeline/paths.py)."""
from setuptools import find_packages, setup

RESOURCES = {"pipeline._resources.configs": "configs", "pipeline._resources.models": "models"}

setup(
    packages=find_packages(include=["pipeline", "pipeline.*"]) + list(RESOURCES),
    package_dir=RESOURCES,
    package_data={name: ["**/*"] for name in RESOURCES},
    include_package_data=False,
)
