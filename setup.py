"""Packaging beyond what pyproject.toml can say: the repository's configs/ and models/
become package data of `newsie` (newsie/_resources/...) in a wheel, so an installed
newsie finds them with importlib.resources (newsie/paths.py)."""
from setuptools import find_packages, setup

RESOURCES = {"newsie._resources.configs": "configs", "newsie._resources.models": "models"}

setup(
    packages=find_packages(include=["newsie", "newsie.*"]) + list(RESOURCES),
    package_dir=RESOURCES,
    package_data={name: ["**/*"] for name in RESOURCES},
    include_package_data=False,
)
