"""Softmax and the fused losses: the math and its kernels.

Along an axis (the classes)::

    softmax(x)ᵢ = e^{xᵢ} / Σⱼ e^{xⱼ},        log_softmax(x)ᵢ = xᵢ − log Σⱼ e^{xⱼ}

Both subtract max x first: the result is the same (the factor e^{−max} cancels) and e^x stays
finite for logits of ±1000; log_softmax never takes the log of an underflowed 0.

Cross-entropy of logits x (N, C) against class indices t (N,) is log_softmax and the negative
log-likelihood fused::

    loss_n = −log_softmax(x_n)[t_n],        ∂loss_n/∂x_n = softmax(x_n) − onehot(t_n)

Binary cross-entropy of probabilities p against targets t::

    loss = −(t·ln p + (1 − t)·ln(1 − p)),   ∂/∂p = (p − t)/(p(1 − p)),   ∂/∂t = ln(1 − p) − ln p

As PyTorch, each log is clamped at −100 (so p = 0 gives a loss of 100, not inf) and the
gradient's denominator p(1 − p) at 1e-12. ``reduction`` is "mean", "sum" or "none".
"""
from __future__ import annotations

import numpy as np

__all__ = ["softmax", "log_softmax", "reduce", "cross_entropy_forward", "cross_entropy_dx",
           "bce_forward", "bce_dp", "bce_dt"]


def softmax(x, axis):
    """e^x / Σ e^x along ``axis``, with max x subtracted first."""
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x, axis):
    """x − log Σ e^x along ``axis``, with max x subtracted first."""
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def reduce(losses, reduction):
    """The mean or the sum of the per-sample losses, or the losses themselves ("none")."""
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


def cross_entropy_forward(x, t, reduction):
    """−log_softmax(x)[n, t[n]] for each sample n, reduced."""
    return reduce(-log_softmax(x, 1)[np.arange(len(t)), t], reduction)


def cross_entropy_dx(g, x, t, out, reduction):
    """(softmax(x) − onehot(t))·g, divided by N for the mean."""
    grad = softmax(x, 1)
    grad[np.arange(len(t)), t] -= 1
    if reduction == "none":
        return grad * g[:, None]
    return grad * (g / len(t) if reduction == "mean" else g)


def bce_forward(p, t, reduction):
    """−(t·ln p + (1 − t)·ln(1 − p)), each log clamped at −100, reduced."""
    with np.errstate(divide="ignore"):
        log_p, log_1p = np.maximum(np.log(p), -100.0), np.maximum(np.log1p(-p), -100.0)
    return reduce(-(t * log_p + (1 - t) * log_1p), reduction)


def _scale(g, p, reduction):
    return g / p.size if reduction == "mean" else g


def bce_dp(g, p, t, out, reduction):
    """∂/∂p = (p − t)/(p(1 − p)), the denominator clamped at 1e-12."""
    return _scale(g, p, reduction) * (p - t) / np.maximum(p * (1 - p), 1e-12)


def bce_dt(g, p, t, out, reduction):
    """∂/∂t = ln(1 − p) − ln p."""
    with np.errstate(divide="ignore"):
        return _scale(g, p, reduction) * (np.log1p(-p) - np.log(p))
