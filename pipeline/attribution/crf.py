"""Linear-chain CRF over O/B/I tags with learned transitions (Lafferty, McCallum & Pereira 2001;
the BiLSTM-CRF of Huang, Xu & Yu 2015 and Lample et al. 2016).

The tagger's per-token log-softmax outputs are the emission scores; `transitions` adds a learned
score for each (previous tag, tag) pair and for each first tag. I after O, and I as the first tag,
stay impossible (the BIO constraint the softmax tagger decodes under), whatever the learned values.

Pure numpy, all roles at once: `emissions` is (roles, tokens, 3) probabilities, `transitions` is
(roles, 4, 3), rows O, B, I, start. Forward-backward runs in probability space with a scale per
token (Rabiner 1989), which avoids logs inside the loop; probabilities are floored at 1e-9.
"""
from __future__ import annotations

import numpy as np

TAG_O, TAG_B, TAG_I = 0, 1, 2
N_TAGS = 3
START = N_TAGS  # row of `transitions` for the first token
FLOOR = 1e-9

# Allowed transitions, rows O, B, I, start; columns O, B, I.
ALLOWED = np.array([[1, 1, 0],
                    [1, 1, 1],
                    [1, 1, 1],
                    [1, 1, 0]], dtype=bool)


def transition_potentials(transitions: np.ndarray) -> np.ndarray:
    """exp(transitions) with the forbidden entries at 0; shape as given ((roles, 4, 3) or (4, 3))."""
    return np.where(ALLOWED, np.exp(np.minimum(transitions, 30.0)), 0.0)


def negative_log_likelihood(emissions: np.ndarray, gold: np.ndarray, transitions: np.ndarray):
    """Loss and gradients of -log p(gold path) for each role.

    emissions: (R, n, 3) per-token probabilities (softmax outputs); gold: (R, n) tag ids on an allowed
    path; transitions: (R, 4, 3). Returns (loss summed over roles, d_logits (R, n, 3), d_transitions
    (R, 4, 3)). d_logits is the gradient with respect to the softmax's inputs: marginals - one-hot,
    since the emission score is log-softmax and both rows sum to 1."""
    emissions = np.maximum(np.asarray(emissions, dtype="float64"), FLOOR)
    transitions = np.asarray(transitions, dtype="float64")
    gold = np.asarray(gold, dtype=np.int64)
    n_roles, n = gold.shape
    if n == 0:
        return 0.0, np.zeros((n_roles, 0, N_TAGS)), np.zeros_like(transitions)
    potentials = transition_potentials(transitions)
    step, start = potentials[:, :N_TAGS, :], potentials[:, START, :]
    alpha = np.empty((n_roles, n, N_TAGS))
    scale = np.empty((n_roles, n))
    a = start * emissions[:, 0]
    scale[:, 0] = a.sum(axis=1)
    alpha[:, 0] = a / scale[:, 0, None]
    for t in range(1, n):
        a = np.einsum("ri,rij->rj", alpha[:, t - 1], step) * emissions[:, t]
        scale[:, t] = a.sum(axis=1)
        alpha[:, t] = a / scale[:, t, None]
    beta = np.empty((n_roles, n, N_TAGS))
    beta[:, n - 1] = 1.0
    for t in range(n - 2, -1, -1):
        beta[:, t] = np.einsum("rij,rj->ri", step, emissions[:, t + 1] * beta[:, t + 1]) / scale[:, t + 1, None]
    marginals = alpha * beta
    marginals /= marginals.sum(axis=2, keepdims=True)
    # Expected transition counts: xi_t(i, j) ∝ alpha_{t-1}(i) step(i, j) e_t(j) beta_t(j).
    d_transitions = np.zeros_like(transitions)
    if n > 1:
        xi = alpha[:, :-1, :, None] * step[:, None] * (emissions[:, 1:] * beta[:, 1:])[:, :, None, :]
        xi /= xi.sum(axis=(2, 3), keepdims=True)
        d_transitions[:, :N_TAGS] = xi.sum(axis=1)
    d_transitions[:, START] = marginals[:, 0]
    roles = np.arange(n_roles)[:, None]
    one_hot = np.zeros((n_roles, n, N_TAGS))
    one_hot[roles, np.arange(n)[None, :], gold] = 1.0
    np.add.at(d_transitions, (roles[:, 0], START, gold[:, 0]), -1.0)
    if n > 1:
        np.add.at(d_transitions, (np.repeat(roles, n - 1, axis=1), gold[:, :-1], gold[:, 1:]), -1.0)
    log_z = np.log(scale).sum()
    gold_score = (np.log(np.take_along_axis(emissions, gold[:, :, None], axis=2)).sum()
                  + transitions[roles[:, 0], START, gold[:, 0]].sum()
                  + transitions[roles, gold[:, :-1], gold[:, 1:]].sum())
    return float(log_z - gold_score), marginals - one_hot, d_transitions


def constrained_viterbi(probs: np.ndarray, span_cost: float = 0.0, transitions: np.ndarray | None = None) -> list[int]:
    """Most probable O/B/I path for one role with O->I and start->I forbidden; pure Python, as 3
    states beat numpy overhead.

    `transitions` (4, 3) adds the CRF's learned scores (None: all 0, the softmax tagger's decoding).
    `span_cost` (in log-probability) is paid once by every span, when it starts: a prior for fewer,
    longer spans, which keeps a long quotation whole through a dip in its I scores instead of
    splitting it, and drops one-token blips. Ties go to the earlier tag (O, B, I)."""
    if len(probs) == 0:
        return []
    logp = np.log(np.asarray(probs, dtype="float64") + FLOOR).tolist()
    t = [[0.0] * N_TAGS for _ in range(N_TAGS + 1)] if transitions is None else np.asarray(transitions, "float64").tolist()
    (oo, ob, _), (bo, bb, bi), (io, ib, ii), (so, sb, _) = t
    impossible = float("-inf")
    o, b, i = logp[0][TAG_O] + so, logp[0][TAG_B] + sb - span_cost, impossible
    back: list[tuple[int, int, int]] = []
    for lo, lb, li in logp[1:]:
        to_o = _best3(o + oo, b + bo, i + io)
        to_b = _best3(o + ob, b + bb, i + ib)
        to_i = (b + bi, TAG_B) if b + bi >= i + ii else (i + ii, TAG_I)
        back.append((to_o[1], to_b[1], to_i[1]))
        o, b, i = to_o[0] + lo, to_b[0] + lb - span_cost, to_i[0] + li
    last = [o, b, i]
    tag = max(range(N_TAGS), key=last.__getitem__)
    tags = [tag]
    for pointers in reversed(back):
        tag = pointers[tag]
        tags.append(tag)
    return tags[::-1]


def _best3(o: float, b: float, i: float) -> tuple[float, int]:
    if o >= b and o >= i:
        return o, TAG_O
    return (b, TAG_B) if b >= i else (i, TAG_I)
