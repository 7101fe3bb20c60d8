"""The numerics of the elementwise ops: the two ``xp`` namespaces the op table's rules compute with.

A rule of the table is written once, ``lambda xp, x, out, k: (1.0 - out * out,)``, and serves both
engines: :data:`SCALAR` (``math`` on Python floats) for the Value, :data:`ARRAY` (``numpy``) for the
Tensor. That is why rules use ``xp.where``/``xp.exp`` rather than ``if``. Each namespace adds the
few functions its library lacks or gets wrong for us:

- ``exp`` returns inf instead of raising OverflowError (as numpy and PyTorch);
- ``sigmoid`` and ``softplus`` are computed from e^(−|x|), so they never overflow at ±1000;
- ``heaviside(x, at_zero)`` is the step H: 1 for x > 0, ``at_zero`` at 0, else 0 (NaN included);
- ``sign`` is 0 at 0 and at NaN, as PyTorch's derivative of abs.

The longer derivatives some entries share (x^y, the leaky slope, the fused weighted sum) are below;
like the namespaces, they take ``xp`` and work on floats and arrays alike.
"""
from __future__ import annotations

import math
import operator
from types import SimpleNamespace

import numpy as np

__all__ = ["SCALAR", "ARRAY", "dpow_dx", "dpow_dy", "leaky_slope", "weighted_sum", "weighted_sum_local"]


# --------------------------------------------------------------------------- Python floats
def _exp(x):
    """e^x that returns inf instead of raising OverflowError (as numpy and PyTorch do)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _sigmoid(x):
    """σ(x) = 1/(1 + e^(−x)), computed from e^(−|x|) so that it never overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _heaviside(x, at_zero):
    """The step H(x): 1 for x > 0, ``at_zero`` at 0, else 0 (NaN included, as torch.relu's gradient)."""
    return 1.0 if x > 0 else (at_zero if x == 0 else 0.0)


def _softplus(x):
    """log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)), stable for any x."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


SCALAR = SimpleNamespace(
    exp=_exp, log=math.log, sqrt=math.sqrt, tanh=math.tanh, sin=math.sin, cos=math.cos,
    abs=abs, expm1=math.expm1, sigmoid=_sigmoid, softplus=_softplus,
    where=lambda cond, a, b: a if cond else b,
    maximum=max,  # max(x, 0.0) keeps a NaN x, as np.maximum does
    heaviside=_heaviside,
    sign=lambda x: (x > 0) - (x < 0),  # 0 at 0 and at NaN, as PyTorch's abs'(x)
    minimum=min,
)
"""The ``xp`` namespace for Python floats: ``math`` plus the few functions numpy has and math lacks."""


# --------------------------------------------------------------------------- numpy arrays
def _np_sigmoid(x):
    """σ(x) for arrays, stable at ±1000: 1/(1+e^(−x)) for x ≥ 0, e^x/(1+e^x) for x < 0."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _np_heaviside(x, at_zero):
    """H(x) entry by entry, in x's dtype (np.heaviside is ten times slower and keeps NaN).

    >>> _np_heaviside(np.array([-1.0, 0.0, 2.0, np.nan]), 0.5)
    array([0. , 0.5, 1. , 0. ])
    """
    step = (x > 0).astype(x.dtype)
    if at_zero:
        step[x == 0] = at_zero
    return step


def _np_sign(x):
    """sign(x) entry by entry in x's dtype; 0 at 0 and at NaN (np.sign keeps NaN), as PyTorch's abs'.

    >>> _np_sign(np.array([-2.0, 0.0, 3.0, np.nan]))
    array([-1.,  0.,  1.,  0.])
    """
    return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)


def _np_softplus(x):
    """log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)) entry by entry."""
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


ARRAY = SimpleNamespace(
    exp=np.exp, log=np.log, sqrt=np.sqrt, tanh=np.tanh, sin=np.sin, cos=np.cos,
    abs=np.abs, expm1=np.expm1, sigmoid=_np_sigmoid, softplus=_np_softplus,
    where=np.where, sign=_np_sign, minimum=np.minimum, maximum=np.maximum, heaviside=_np_heaviside,
)
"""The ``xp`` namespace for numpy arrays (the Tensor)."""


# --------------------------------------------------------------------------- shared derivatives
def dpow_dx(xp, x, y):
    """∂(x^y)/∂x = y·x^(y−1); 0 where y = 0, also at x = 0 (x^0 = 1 is constant, as PyTorch).

    The power is taken as x^1 where y = 0 so that 0^(−1) is never computed.
    """
    return xp.where(y == 0, 0.0, y * x ** xp.where(y == 0, 1.0, y - 1.0))


def dpow_dy(xp, x, out):
    """∂(x^y)/∂y = x^y·ln x; 0 at x = 0 (as PyTorch), NaN for x < 0 where it does not exist."""
    safe_log = xp.log(xp.abs(x) + (x == 0))
    return xp.where(x > 0, out * safe_log, xp.where(x == 0, 0.0, math.nan))


def leaky_slope(xp, x, k):
    """LeakyReLU'(x): 1 where x > 0, else k (also at 0, as PyTorch), in x's dtype.

    Written H + k·(1 − H) with H the step, which is exactly 1 or exactly k.
    """
    step = xp.heaviside(x, 0.0)
    return step + k * (1.0 - step)


def weighted_sum(xp, *inputs_and_k):
    """z = Σ wᵢ·xᵢ + b for inputs (w₁..wₙ, x₁..xₙ, b) and k = n (the table's ``forward`` as is).

    >>> weighted_sum(SCALAR, 2.0, -1.0, 3.0, 4.0, 0.5, 2)   # 2·3 − 1·4 + 0.5
    2.5
    """
    # Indexed in the tuple Python packed, never unpacked into a list: a neuron's node per sample.
    n = inputs_and_k[-1]
    return sum(map(operator.mul, inputs_and_k[:n], inputs_and_k[n:2 * n]), inputs_and_k[2 * n])


def weighted_sum_local(xp, *inputs_out_k):
    """(∂z/∂w₁..∂z/∂wₙ, ∂z/∂x₁..∂z/∂xₙ, ∂z/∂b) = (x₁..xₙ, w₁..wₙ, 1) (the table's ``local`` as is).

    >>> weighted_sum_local(SCALAR, 2.0, -1.0, 3.0, 4.0, 0.5, 2.5, 2)
    (3.0, 4.0, 2.0, -1.0, 1.0)
    """
    n = inputs_out_k[-1]
    return (*inputs_out_k[n:2 * n], *inputs_out_k[:n], 1.0)
