"""The MiniLM encoder's GELU in numpy alone (crossdoc/sentence_encoder.py): the exact GELU to
float32 precision, without scipy's erf (scipy is no dependency of a default install)."""
from __future__ import annotations

import math

import numpy as np

from newsie.crossdoc.sentence_encoder import _gelu


def test_gelu_is_exact_to_float32():
    x = np.linspace(-10, 10, 200_001, dtype=np.float32)
    exact = np.array([v * 0.5 * (1 + math.erf(v / math.sqrt(2))) for v in x.astype(np.float64)])
    got = _gelu(x)
    assert got.dtype == np.float32
    assert np.abs(got - exact).max() < 2e-6
    assert np.abs(got - exact)[np.abs(x) < 3].max() < 5e-7
