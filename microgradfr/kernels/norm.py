"""Batch normalisation: the math and its kernels.

For each channel c (axis 1), over the m entries of that channel (every other axis)::

    x̂ = (x − μ)/√(σ² + ε),        out = w·x̂ + b

In training μ and σ² (biased) are the batch's own statistics, so they depend on x too, and the
gradient given g = ∂L/∂out is::

    ∂L/∂x = w/(m·√(σ² + ε)) · (m·g − Σg − x̂·Σ(g·x̂))     (sums over the m entries of the channel)
    ∂L/∂w = Σ g·x̂,        ∂L/∂b = Σ g

With running statistics (evaluation) μ and σ² are constants and ∂L/∂x = w·g/√(σ² + ε).
Nothing is optimised here beyond computing 1/√(σ² + ε) once per channel.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BatchNormK", "axes", "shape", "stats", "xhat", "forward", "dx"]


@dataclass(frozen=True)
class BatchNormK:
    """batch_norm's setting: the mean and variance used, ε, and whether they are the batch's own."""

    mean: np.ndarray
    var: np.ndarray
    eps: float
    batch_stats: bool

    def __repr__(self):
        return f"eps={self.eps:g}, {'batch' if self.batch_stats else 'running'} statistics"


def axes(x):
    """The axes a channel's statistics are taken over: all but axis 1."""
    return (0, *range(2, x.ndim))


def shape(x):
    """(1, C, 1, ...): a per-channel array shaped to broadcast against x."""
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def stats(x, k):
    """μ and 1/√(σ² + ε) shaped to broadcast against x, in x's dtype."""
    mean, var = (np.asarray(v, dtype=x.dtype).reshape(shape(x)) for v in (k.mean, k.var))
    return mean, 1.0 / np.sqrt(var + k.eps)


def xhat(x, k):
    """x̂ = (x − μ)/√(σ² + ε)."""
    mean, inv_std = stats(x, k)
    return (x - mean) * inv_std


def forward(x, *wb_k):
    """w·x̂ + b (x̂ alone without weight and bias)."""
    *wb, k = wb_k
    out = xhat(x, k)
    if wb:
        out = out * wb[0].reshape(shape(x)) + wb[1].reshape(shape(x))
    return out


def dx(g, x, *rest):
    """With batch statistics μ and σ² depend on x too:
    ∂L/∂x = w/(m·√(σ²+ε)) · (m·g − Σg − x̂·Σ(g·x̂)), sums over the m entries of a channel."""
    *wb, out, k = rest
    channel_axes = axes(x)
    scale = stats(x, k)[1]
    if wb:
        scale = scale * wb[0].reshape(shape(x))
    if not k.batch_stats:
        return g * scale
    m = x.size // x.shape[1]
    x_hat = xhat(x, k)
    return scale / m * (m * g - g.sum(axis=channel_axes, keepdims=True)
                        - x_hat * (g * x_hat).sum(axis=channel_axes, keepdims=True))
