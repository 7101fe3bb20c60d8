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

from . import i18n
from .kernels.conv import conv_output_size
from .kernels.norm import BatchNormK
from .ops import OPS
from .random import generator
from .tensor import Tensor, apply

__all__ = ["conv2d", "max_pool2d", "avg_pool2d", "dropout", "batch_norm", "linear",
           "relu", "leaky_relu", "sigmoid", "tanh", "softmax", "log_softmax",
           "mse_loss", "l1_loss", "binary_cross_entropy", "binary_cross_entropy_with_logits",
           "cross_entropy", "nll_loss", "hinge_loss", "one_hot", "conv_output_size"]

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
        raise ValueError(i18n.message("functional.pair", name=name, value=value, least=least))
    return int(given[0]), int(given[1])


def _conv_padding(padding, kernel, stride):
    """conv2d's padding as (ph, pw): ints, or PyTorch's "valid" (none) and "same" (the output keeps
    the input's size)."""
    if padding == "valid":
        return 0, 0
    if padding == "same":
        if stride != (1, 1):
            raise ValueError(i18n.message("functional.same_stride", stride=stride))
        if kernel[0] % 2 == 0 or kernel[1] % 2 == 0:
            raise ValueError(i18n.message("functional.same_even", kh=kernel[0], kw=kernel[1]))
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
        raise ValueError(i18n.message("functional.dropout_p", p=p))
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
        raise ValueError(i18n.message("functional.batch_norm_shape", shape=x.shape))
    channels = x.shape[1]
    if training:
        axes = (0, *range(2, x.ndim))
        m = x.numel() // channels
        if m < 2:
            raise ValueError(i18n.message("functional.batch_norm_one", shape=x.shape))
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
            raise ValueError(i18n.message("functional.batch_norm_running"))
        k = BatchNormK(np.asarray(running_mean, dtype=x.dtype), np.asarray(running_var, dtype=x.dtype),
                       eps, False)
    if (weight is None) != (bias is None):
        raise ValueError(i18n.message("functional.batch_norm_affine"))
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
        raise ValueError(i18n.message("functional.reduction", name=name, reduction=reduction,
                                      choices=_REDUCTIONS))


def _reduce(losses: Tensor, reduction: str) -> Tensor:
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


def _same_shape(name, input, target):
    if input.shape != target.shape:
        raise ValueError(i18n.message("functional.same_shape", name=name, input=input.shape,
                                      target=target.shape))


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
        raise ValueError(i18n.message("functional.bce_outside", count=int(outside.sum()),
                                      example=input.data[outside][0]))
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
    t = _class_targets("cross_entropy", "functional.logits", input, target)
    return apply(OPS["cross_entropy"], input, Tensor(t, dtype=t.dtype), k=reduction)


def _class_indices(target) -> np.ndarray:
    """The target's array; whole floats become int64 (Tensor([0, 2, 1]) holds floats, torch's does not)."""
    t = np.asarray(target.data if isinstance(target, Tensor) else target)
    if np.issubdtype(t.dtype, np.floating) and t.size and np.all(np.isfinite(t)) and np.all(t == np.round(t)):
        t = t.astype(np.int64)
    return t


def _class_targets(name, what, input, target) -> np.ndarray:
    """The class indices (N,) for an (N, C) input, checked as torch checks them."""
    t = _class_indices(target)
    if input.ndim != 2:
        raise ValueError(i18n.message("functional.logits_shape", name=name, what=i18n.message(what),
                                      shape=input.shape))
    if t.shape != (input.shape[0],) or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(i18n.message("functional.class_targets", name=name, n=input.shape[0], shape=t.shape,
                                      dtype=t.dtype))
    if t.size and (t.min() < 0 or t.max() >= input.shape[1]):
        raise ValueError(i18n.message("functional.class_range", name=name, last=input.shape[1] - 1,
                                      low=t.min(), high=t.max()))
    return t


def nll_loss(input, target, reduction: str = "mean") -> Tensor:
    """The negative log-likelihood of log-probabilities (N, C) (a log_softmax) at the classes
    target (N,): mean over n of −input[n, target[n]].

    ``cross_entropy(x, t)`` is ``nll_loss(log_softmax(x, dim=1), t)``; ∂/∂input is −1/N at each
    sample's class, 0 elsewhere (a getitem, then the mean).

    >>> nll_loss(Tensor([[-1.0, -2.0], [-3.0, -0.5]]), [1, 0]).item()     # (2 + 3)/2
    2.5
    """
    _check_reduction("nll_loss", reduction)
    input = _tensor(input)
    t = _class_targets("nll_loss", "functional.log_probabilities", input, target)
    return _reduce(-input[np.arange(len(t)), t], reduction)


def binary_cross_entropy_with_logits(input, target, reduction: str = "mean") -> Tensor:
    """Binary cross-entropy of logits z (σ(z) the probability) against targets t in [0, 1]:
    mean(softplus(z) − t·z), which is −(t·ln σ(z) + (1 − t)·ln(1 − σ(z))) rewritten.

    Stable for any z (softplus never overflows, as torch's); ∂/∂z = σ(z) − t.

    >>> binary_cross_entropy_with_logits(Tensor([0.0]), Tensor([1.0])).item()    # ln 2
    0.6931471805599453
    """
    _check_reduction("binary_cross_entropy_with_logits", reduction)
    input = _tensor(input)
    target = _tensor(target, like=input)
    _same_shape("binary_cross_entropy_with_logits", input, target)
    return _reduce(input.softplus() - target * input, reduction)


def one_hot(tensor, num_classes: int = -1) -> Tensor:
    """Class indices (any shape) as rows of 0s with a 1 at the class: shape (*tensor.shape, C), int64,
    with C = max + 1 when num_classes is −1 (as torch).

    >>> one_hot(Tensor([0, 2], dtype=np.int64))
    Tensor([[1, 0, 0],
           [0, 0, 1]], dtype=int64)
    """
    t = _class_indices(tensor)
    if not np.issubdtype(t.dtype, np.integer):
        raise TypeError(i18n.message("functional.one_hot_ints", dtype=t.dtype))
    classes = int(t.max()) + 1 if num_classes == -1 and t.size else max(int(num_classes), 0)
    if t.size and (t.min() < 0 or t.max() >= classes):
        raise ValueError(i18n.message("functional.one_hot_range", low=t.min(), high=t.max(),
                                      last=classes - 1))
    return Tensor((t[..., None] == np.arange(classes)).astype(np.int64), dtype=np.int64)


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
        raise ValueError(i18n.message("functional.hinge_labels"))
    return _reduce((margin - target * input).relu(), reduction)
