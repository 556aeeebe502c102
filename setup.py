"""Packaging beyond what pyproject.toml can say: the repository's configs/ and the default
models become package data of `newsie` (newsie/_resources/...) in a wheel, so an installed
newsie finds them with importlib.resources (newsie/paths.py).

Of the models in models/, the wheel carries the ones a default run uses: `attribution`
(30 MB) and the claims stage's `claims` (0.3 MB). `attribution-minilm` (48 MB) and
`attribution-mpnet` (17 MB, and it needs newsie[transformers]) score a little higher and run
slower; they stay in the repository, and an installed newsie runs them from there with `--attribution-model /path/to/newsie/models/NAME`
(newsie.paths.REPOSITORY_ONLY_MODELS). The wheel stays under 50 MB.
"""
from setuptools import find_packages, setup

RESOURCES = {"newsie._resources.configs": "configs", "newsie._resources.models": "models"}
PACKAGE_DATA = {"newsie._resources.configs": ["**/*"], "newsie._resources.models": ["attribution/**/*", "claims/**/*"]}

setup(
    packages=find_packages(include=["newsie", "newsie.*"]) + list(RESOURCES),
    package_dir=RESOURCES,
    package_data=PACKAGE_DATA,
    include_package_data=False,
)
