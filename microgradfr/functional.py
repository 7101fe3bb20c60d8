"""Functions on Tensors with PyTorch's names and semantics (``import microgradfr.functional as F``).

Fused operations (``conv2d``, pooling, ``batch_norm``, ``cross_entropy``,
``binary_cross_entropy``) are entries of the op table, so each draws as one node and has its
own gradient rule; the other losses are written with Tensor operations.

>>> import microgradfr.functional as F
>>> from microgradfr import Tensor
>>> F.mse_loss(Tensor([1.0, 2.0]), Tensor([0.0, 0.0])).item()     # (1² + 2²)/2
2.5
"""
from __future__ import annotations

import numbers

import numpy as np

from .kernels.conv import conv_output_size
from .kernels.norm import BatchNormK
from .ops import OPS
from .random import generator
from .tensor import Tensor, apply

__all__ = ["conv2d", "max_pool2d", "avg_pool2d", "dropout", "batch_norm", "linear",
           "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax",
           "mse_loss", "l1_loss", "binary_cross_entropy", "cross_entropy", "hinge_loss",
           "conv_output_size"]

_REDUCTIONS = ("mean", "sum", "none")


def _tensor(x, like=None) -> Tensor:
    if isinstance(x, Tensor):
        return x
    if like is not None and isinstance(x, numbers.Number):
        return Tensor(np.asarray(x, dtype=like.dtype))
    return Tensor(x)


def _pair(value, name, least=0):
    """A (height, width) setting as PyTorch takes it: one int for both, or a pair of ints."""
    given = tuple(value) if isinstance(value, (tuple, list)) else (value, value)
    whole = [isinstance(v, numbers.Integral) and not isinstance(v, bool) and v >= least for v in given]
    if len(given) != 2 or not all(whole):
        raise ValueError(f"{name}={value!r} must be an int ≥ {least} or a pair of them (height, width)")
    return int(given[0]), int(given[1])


def _conv_padding(padding, kernel, stride):
    """conv2d's padding as (ph, pw): ints, or PyTorch's "valid" (none) and "same" (the output keeps
    the input's size)."""
    if padding == "valid":
        return 0, 0
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(f"conv2d: padding='same' needs stride 1 (got stride {stride}), as in PyTorch; "
                             "give the padding as numbers")
        if kernel[0] % 2 == 0 or kernel[1] % 2 == 0:
            raise ValueError(f"conv2d: padding='same' with the even kernel {kernel[0]}×{kernel[1]} would "
                             "need more padding on one side than the other, which microgradfr does not do; "
                             "use an odd kernel or give the padding as numbers")
        return (kernel[0] - 1) // 2, (kernel[1] - 1) // 2
    return _pair(padding, "conv2d: padding")


# -------------------------------------------------------------------- layers as functions
def linear(x, weight, bias=None) -> Tensor:
    """x @ weightᵀ + bias, with weight of shape (out_features, in_features) as in PyTorch: one node,
    ∂/∂x = g @ weight, ∂/∂weight = gᵀ @ x, ∂/∂bias = Σ g over the batch.

    >>> linear(Tensor([[1.0, 2.0]]), Tensor([[3.0, 4.0]]), Tensor([0.5])).data    # 1·3 + 2·4 + 0.5
    array([[11.5]])
    """
    inputs = (_tensor(x), _tensor(weight)) + (() if bias is None else (_tensor(bias),))
    return apply(OPS["linear"], *inputs)


def conv2d(x, weight, bias=None, stride=1, padding=0) -> Tensor:
    """2-D convolution (cross-correlation, as PyTorch) of a batch x (N, C, H, W) with filters
    weight (F, C, kh, kw):

        out[n, f, h, w] = b[f] + Σ_{c,i,j} weight[f, c, i, j] · x_pad[n, c, h·sh + i, w·sw + j]

    Output (N, F, Ho, Wo) with Ho = ⌊(H − kh + 2·ph)/sh⌋ + 1 (and likewise Wo). ``stride`` and
    ``padding`` are an int or a (height, width) pair; ``padding`` may also be "valid" (none) or
    "same" (stride 1, odd kernel: the output keeps the input's size), as in PyTorch. One table node:
    im2col on a strided view, then matrix products (a few images at a time, so the columns stay in cache).

    >>> x = Tensor(np.arange(16.0).reshape(1, 1, 4, 4))
    >>> conv2d(x, Tensor(np.ones((1, 1, 2, 2))), stride=2).data[0, 0]   # sums of 2×2 blocks
    array([[10., 18.],
           [42., 50.]])
    """
    x, weight = _tensor(x), _tensor(weight)
    inputs = (x, weight) if bias is None else (x, weight, _tensor(bias))
    stride = _pair(stride, "conv2d: stride", least=1)
    kernel = weight.shape[2:] if weight.ndim == 4 else (1, 1)  # a wrong weight is named by the op's check
    return apply(OPS["conv2d"], *inputs, k=(stride, _conv_padding(padding, kernel, stride)))


def _pool(name, x, kernel_size, stride, padding):
    kernel = _pair(kernel_size, f"{name}: kernel_size", least=1)
    step = kernel if stride is None else _pair(stride, f"{name}: stride", least=1)
    return apply(OPS[name], _tensor(x), k=(kernel, step, _pair(padding, f"{name}: padding")))


def max_pool2d(x, kernel_size, stride=None, padding=0) -> Tensor:
    """The maximum of each kernel_size window (stride defaults to kernel_size). Each setting is an
    int or a (height, width) pair, as in PyTorch.

    ``padding`` adds that many rows and columns of −inf on each side (at most half the window, as
    PyTorch), so the output has ⌊(H − kh + 2·ph)/sh⌋ + 1 rows.

    >>> max_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 2).data[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    >>> max_pool2d(Tensor(np.arange(16.0).reshape(1, 1, 4, 4)), 3, stride=2, padding=1).data[0, 0]
    array([[ 5.,  7.],
           [13., 15.]])
    """
    return _pool("max_pool2d", x, kernel_size, stride, padding)


def avg_pool2d(x, kernel_size, stride=None, padding=0) -> Tensor:
    """The mean of each kernel_size window (stride defaults to kernel_size). Each setting is an int
    or a (height, width) pair, as in PyTorch.

    ``padding`` adds zeros on each side, and they count in the mean (PyTorch's default,
    count_include_pad=True): every window is divided by kh·kw.
    """
    return _pool("avg_pool2d", x, kernel_size, stride, padding)


def dropout(x, p: float = 0.5, training: bool = True) -> Tensor:
    """Zero each entry with probability p and scale the others by 1/(1 − p) (inverted dropout),
    so the expected value is unchanged; the identity when not training. The mask is drawn from
    ``microgradfr.random.generator()``; its gradient is the same mask.
    """
    if not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout: p={p!r} is a probability, it must lie in [0, 1]")
    x = _tensor(x)
    if not training or p == 0.0:
        return x
    if p == 1.0:
        return x * 0.0
    keep = generator().random(x.shape) >= p
    return x * Tensor((keep / (1.0 - p)).astype(x.dtype))


def batch_norm(x, running_mean, running_var, weight=None, bias=None, training: bool = False,
               momentum: float = 0.1, eps: float = 1e-5) -> Tensor:
    """Normalise each channel (axis 1) then scale and shift: weight·(x − μ)/√(σ² + ε) + bias.

    In training, μ and σ² are the batch's (over every axis but 1, σ² biased), and the running
    statistics (ndarrays, updated in place) move towards them:
    running ← (1 − momentum)·running + momentum·batch (with the unbiased variance, as PyTorch).
    In evaluation the running statistics are used.
    """
    x = _tensor(x)
    if x.ndim < 2:
        raise ValueError(f"batch_norm: input must be (N, C) or (N, C, ...), got shape {x.shape}")
    channels = x.shape[1]
    if training:
        axes = (0, *range(2, x.ndim))
        m = x.size // channels
        if m < 2:
            raise ValueError(f"batch_norm: training needs more than one value per channel, got input shape "
                             f"{x.shape}; use a bigger batch or eval()")
        mean, var = x.data.mean(axis=axes), x.data.var(axis=axes)
        if running_mean is not None:
            running_mean *= 1 - momentum
            running_mean += momentum * mean
        if running_var is not None:
            running_var *= 1 - momentum
            running_var += momentum * var * (m / (m - 1))
        k = BatchNormK(mean, var, eps, True)
    else:
        if running_mean is None or running_var is None:
            raise ValueError("batch_norm: evaluation needs running_mean and running_var")
        k = BatchNormK(np.asarray(running_mean, dtype=x.dtype), np.asarray(running_var, dtype=x.dtype),
                       eps, False)
    if (weight is None) != (bias is None):
        raise ValueError("batch_norm: give both weight and bias, or neither")
    inputs = (x,) if weight is None else (x, _tensor(weight), _tensor(bias))
    return apply(OPS["batch_norm"], *inputs, k=k)


# -------------------------------------------------------------------- activations as functions
def relu(x) -> Tensor:
    """max(x, 0)."""
    return _tensor(x).relu()


def leaky_relu(x, negative_slope: float = 0.01) -> Tensor:
    """x if x > 0 else negative_slope·x."""
    return _tensor(x).leaky_relu(negative_slope)


def sigmoid(x) -> Tensor:
    """1/(1 + e^(−x))."""
    return _tensor(x).sigmoid()


def tanh(x) -> Tensor:
    """tanh x."""
    return _tensor(x).tanh()


def softmax(x, dim: int = -1) -> Tensor:
    """e^x / Σ e^x along ``dim``."""
    return _tensor(x).softmax(dim)


def log_softmax(x, dim: int = -1) -> Tensor:
    """x − log Σ e^x along ``dim``."""
    return _tensor(x).log_softmax(dim)


# -------------------------------------------------------------------- losses
def _check_reduction(name, reduction):
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{name}: reduction={reduction!r} must be one of {_REDUCTIONS}")


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


def _same_shape(name, input, target):
    if input.shape != target.shape:
        raise ValueError(f"{name}: input has shape {input.shape} but target has shape {target.shape}; "
                         "they must match (reshape one of them)")


def mse_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean squared error: mean((input − target)²)."""
    _check_reduction("mse_loss", reduction)
    input = _tensor(input)
    target = _tensor(target, like=input)
    _same_shape("mse_loss", input, target)
    return _reduce((input - target) ** 2, reduction)


def l1_loss(input, target, reduction: str = "mean") -> Tensor:
    """Mean absolute error: mean(|input − target|)."""
    _check_reduction("l1_loss", reduction)
    input = _tensor(input)
    target = _tensor(target, like=input)
    _same_shape("l1_loss", input, target)
    return _reduce((input - target).abs(), reduction)


def binary_cross_entropy(input, target, reduction: str = "mean") -> Tensor:
    """−mean(t·ln p + (1 − t)·ln(1 − p)) for probabilities p = input in [0, 1].

    Each log is clamped at −100, as PyTorch does, so a confident mistake costs 100, not inf.
    """
    _check_reduction("binary_cross_entropy", reduction)
    input = _tensor(input)
    target = _tensor(target, like=input)
    _same_shape("binary_cross_entropy", input, target)
    outside = (input.data < 0) | (input.data > 1)
    if outside.any():
        raise ValueError(f"binary_cross_entropy: input must hold probabilities in [0, 1], but "
                         f"{int(outside.sum())} entries lie outside (e.g. {input.data[outside][0]!r}); "
                         "apply .sigmoid() first")
    return apply(OPS["binary_cross_entropy"], input, target, k=reduction)


def cross_entropy(input, target, reduction: str = "mean") -> Tensor:
    """Softmax cross-entropy of logits (N, C) against class indices (N,):
    mean over n of −log softmax(input[n])[target[n]] = log Σ_c e^{input[n,c]} − input[n, target[n]].

    Fused and stable (finite for logits of ±1000); ∂/∂input = (softmax(input) − onehot(target))/N.

    >>> float(cross_entropy(Tensor([[0.0, 0.0]]), [1]).data)   # log 2
    0.6931471805599453
    """
    _check_reduction("cross_entropy", reduction)
    input = _tensor(input)
    t = np.asarray(target.data if isinstance(target, Tensor) else target)
    if np.issubdtype(t.dtype, np.floating) and t.size and np.all(np.isfinite(t)) and np.all(t == np.round(t)):
        t = t.astype(np.int64)   # Tensor([0, 2, 1]) holds floats: whole numbers are class indices, as torch's
    if input.ndim != 2:
        raise ValueError(f"cross_entropy: input must be logits of shape (N, C), got {input.shape}")
    if t.shape != (input.shape[0],) or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"cross_entropy: target must be {input.shape[0]} class indices (integers, shape "
                         f"({input.shape[0]},)), got shape {t.shape} of dtype {t.dtype}")
    if t.size and (t.min() < 0 or t.max() >= input.shape[1]):
        raise ValueError(f"cross_entropy: class indices must lie in 0..{input.shape[1] - 1}, "
                         f"got values from {t.min()} to {t.max()}")
    return apply(OPS["cross_entropy"], input, Tensor(t, dtype=t.dtype), k=reduction)


def hinge_loss(input, target, margin: float = 1.0, reduction: str = "mean") -> Tensor:
    """Binary hinge loss of scores against labels ±1: mean(max(0, margin − target·input)).

    PyTorch has no function of this name; it equals
    ``torch.clamp(margin - target * input, min=0).mean()``.
    """
    _check_reduction("hinge_loss", reduction)
    input = _tensor(input)
    target = _tensor(target, like=input)
    _same_shape("hinge_loss", input, target)
    if not np.isin(target.data, (-1.0, 1.0)).all():
        raise ValueError("hinge_loss: target must hold labels −1 or +1 (map 0/1 labels with 2·y − 1)")
    return _reduce((margin - target * input).relu(), reduction)
