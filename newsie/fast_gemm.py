"""Matrix products through numpy's OpenBLAS instead of thinc's default BLIS kernels.

thinc's NumpyOps multiplies with BLIS. On this project's x86-64 machines (AVX2, 2 cores) BLIS ran
the Maxout products of en_core_web_sm and of the attribution tagger 2.5-6x slower than OpenBLAS on
one thread (700x864 by 864x288: 20 ms vs 8 ms), and those products are most of their time.
Swapping the ops object of every CPU layer changes no weight and, on the 82k tokens of PolNeAR dev,
no tag, parse or entity of en_core_web_sm (`make bench` prints both speeds).
The parser's transition loop multiplies inside Cython with BLIS whatever the ops; that part stays.
"""
from __future__ import annotations

from spacy.language import Language
from thinc.api import Model, NumpyOps

_OPS = NumpyOps(use_blis=False)


def use_numpy_gemm(model: Model) -> None:
    """Give every CPU (NumpyOps) layer of `model` the OpenBLAS-backed ops; GPU layers are left alone."""
    for node in model.walk():
        if isinstance(node.ops, NumpyOps):
            node.ops = _OPS


def use_numpy_gemm_in_pipeline(nlp: Language) -> None:
    for _, component in nlp.pipeline:
        model = getattr(component, "model", None)
        if isinstance(model, Model):
            use_numpy_gemm(model)
