"""PyTorch's top-level functions, ``torch.exp(x)``, ``torch.sum(x, dim=1)``, ``torch.where(c, x, y)``…

Each one is a thin call of the Tensor's method of the same meaning (or of :mod:`microgradfr.functional`),
so the op table stays the one place where an op is defined; only the argument names and the return
values follow ``torch.*``: ``input``, ``dim``, ``keepdim``, and ``max(input, dim)`` giving the pair
``(values, indices)``. With them a script written for PyTorch runs on ``import microgradfr as torch``.

>>> import microgradfr as torch
>>> x = torch.tensor([[1.0, 5.0], [3.0, 2.0]], requires_grad=True)
>>> values, indices = torch.max(x, dim=1)
>>> values, indices
(Tensor([5., 3.], op='max'), Tensor([1, 0], dtype=int64))
>>> torch.where(x > 2, x, torch.zeros_like(x)).sum().backward(); x.grad
array([[0., 1.],
       [1., 0.]])
"""
from __future__ import annotations

import numbers

import numpy as np

from . import functional as F
from . import i18n
from .engine import Value
from .ops import OPS
from .tensor import Tensor, ValuesIndices, apply

__all__ = ["exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu",
           "sum", "mean", "max", "min", "argmax", "argmin", "softmax", "log_softmax",
           "matmul", "flatten", "reshape", "transpose", "clamp", "clip", "where", "from_numpy",
           "ValuesIndices", "float32", "float64", "int64", "int32", "long", "double"]

# dtypes under PyTorch's names: torch.tensor(X, dtype=torch.float32) reads the same here
float32, float64, int64, int32 = np.float32, np.float64, np.int64, np.int32
long, double = np.int64, np.float64


def _tensor(function: str, input, scalars: bool = False):
    """``input`` itself if it is a Tensor (or a Value, where ``scalars``); TypeError otherwise, as torch."""
    if isinstance(input, Tensor) or (scalars and isinstance(input, Value)):
        return input
    raise TypeError(i18n.message("torchfn.not_a_tensor", function=function, type=type(input).__name__))


# -------------------------------------------------------------------- elementwise: torch.exp(input), …
def _elementwise(name: str, math: str):
    """The function ``name(input)``: the method ``input.name()`` of a Tensor or a Value."""
    def function(input):
        return getattr(_tensor(name, input, scalars=True), name)()
    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"{math}, entry by entry: ``{name}(input)`` is ``input.{name}()`` "
                        "(a Tensor, or a Value), derivative included.")
    return function


exp = _elementwise("exp", "e^x")
log = _elementwise("log", "ln x (x > 0)")
sqrt = _elementwise("sqrt", "√x (x ≥ 0)")
abs = _elementwise("abs", "|x|")  # noqa: A001 (torch.abs, as PyTorch names it)
sin = _elementwise("sin", "sin x")
cos = _elementwise("cos", "cos x")
tanh = _elementwise("tanh", "tanh x")
sigmoid = _elementwise("sigmoid", "σ(x) = 1/(1 + e^(−x))")
relu = _elementwise("relu", "max(x, 0)")


# -------------------------------------------------------------------- reductions
def sum(input, dim=None, keepdim: bool = False):  # noqa: A001
    """Σ of the entries over ``dim`` (an axis, a tuple of axes, or every axis); ∂/∂x = 1.

    >>> sum(Tensor([[1.0, 2.0], [3.0, 4.0]]), dim=0)
    Tensor([4., 6.])
    """
    return _tensor("sum", input).sum(dim=dim, keepdim=keepdim)


def mean(input, dim=None, keepdim: bool = False):
    """The average Σx/n over ``dim`` (every axis by default); ∂/∂x = 1/n."""
    return _tensor("mean", input).mean(dim=dim, keepdim=keepdim)


def _extreme(name: str, input, dim, keepdim):
    input = _tensor(name, input)
    if dim is None:
        return getattr(input, name)()
    if isinstance(dim, Tensor):  # torch.max(a, b), the entrywise maximum, is not here
        raise TypeError(i18n.message("torchfn.max_other", function=name,
                                     sign=">" if name == "max" else "<"))
    return getattr(input, name)(dim, keepdim)  # (values, indices)


def max(input, dim=None, keepdim: bool = False):  # noqa: A001
    """The largest entry (a one-entry tensor), or along ``dim`` the pair ``(values, indices)``, as
    torch.max. ∂/∂x = 1 at the maximum, 0 elsewhere (shared between ties).

    >>> max(Tensor([[1.0, 5.0], [3.0, 2.0]]))
    Tensor(5.)
    >>> max(Tensor([[1.0, 5.0], [3.0, 2.0]]), dim=1).indices
    Tensor([1, 0], dtype=int64)
    """
    return _extreme("max", input, dim, keepdim)


def min(input, dim=None, keepdim: bool = False):  # noqa: A001
    """The smallest entry, or along ``dim`` the pair ``(values, indices)``, as :func:`max`."""
    return _extreme("min", input, dim, keepdim)


def argmax(input, dim=None, keepdim: bool = False):
    """The index of the largest entry along ``dim`` (of the flattened tensor by default), int64."""
    return _tensor("argmax", input).argmax(dim=dim, keepdim=keepdim)


def argmin(input, dim=None, keepdim: bool = False):
    """The index of the smallest entry along ``dim`` (of the flattened tensor by default), int64."""
    return _tensor("argmin", input).argmin(dim=dim, keepdim=keepdim)


def softmax(input, dim: int):
    """e^x / Σ e^x along ``dim`` (stable: the max is subtracted first), as F.softmax."""
    return F.softmax(_tensor("softmax", input), dim=dim)


def log_softmax(input, dim: int):
    """x − ln Σ e^x along ``dim``, computed stably, as F.log_softmax."""
    return F.log_softmax(_tensor("log_softmax", input), dim=dim)


# -------------------------------------------------------------------- products and shapes
def matmul(input, other):
    """``input @ other``, batched and broadcast as torch.matmul; ∂/∂input = g @ otherᵀ."""
    return _tensor("matmul", input).matmul(other)


def flatten(input, start_dim: int = 0, end_dim: int = -1):
    """Axes start_dim..end_dim merged into one: a reshape, so ∂ is g reshaped back."""
    return _tensor("flatten", input).flatten(start_dim, end_dim)


def reshape(input, shape):
    """The same entries in the shape ``shape`` (a tuple, one entry may be −1)."""
    return _tensor("reshape", input).reshape(shape)


def transpose(input, dim0: int, dim1: int):
    """Axes ``dim0`` and ``dim1`` exchanged, as torch.transpose (and Tensor.transpose).

    >>> transpose(Tensor([[1.0, 2.0, 3.0]]), 0, 1).shape
    (3, 1)
    """
    input = _tensor("transpose", input)
    return input.transpose(dim0, dim1)


def clamp(input, min=None, max=None):  # noqa: A002 (torch's names)
    """Each entry held inside [min, max]; ∂/∂x = 1 inside (bounds included), 0 outside."""
    return _tensor("clamp", input).clamp(min=min, max=max)


clip = clamp


# -------------------------------------------------------------------- where and from_numpy
def _side(value, like: Tensor | None) -> Tensor:
    """A Tensor as is; a number becomes a constant of the other side's float dtype."""
    if isinstance(value, Tensor):
        return value
    if isinstance(value, numbers.Number) and not isinstance(value, bool):
        return Tensor(np.asarray(value, dtype=like.dtype if like is not None else np.float64))
    raise TypeError(i18n.message("torchfn.where_side", type=type(value).__name__))


def where(condition, input=None, other=None):
    """``input``'s entry where ``condition`` holds, ``other``'s elsewhere; all three broadcast.
    ∂/∂input = 1 where the condition holds and 0 elsewhere (∂/∂other the reverse): an exact 0,
    so an inf or a NaN on the side not chosen gives no NaN. ``where(condition)`` alone gives the
    indices of the true entries, one int64 tensor per axis.

    >>> x = Tensor([-1.0, 2.0], requires_grad=True)
    >>> y = where(x > 0, x, 0.0); y.sum().backward()
    >>> y, x.grad
    (Tensor([0., 2.], op='where'), array([0., 1.]))
    """
    condition = _tensor("where", condition)
    if condition.dtype != np.bool_:
        raise RuntimeError(i18n.message("torchfn.where_condition", dtype=condition.dtype))
    if input is None and other is None:
        return tuple(Tensor(i, dtype=np.int64) for i in np.nonzero(condition.data))
    if input is None or other is None:
        raise TypeError(i18n.message("torchfn.where_args"))
    like = input if isinstance(input, Tensor) else other if isinstance(other, Tensor) else None
    input, other = _side(input, like), _side(other, like)
    try:
        np.broadcast_shapes(condition.shape, input.shape, other.shape)
    except ValueError:
        raise RuntimeError(i18n.message("torchfn.where_shapes", condition=condition.shape,
                                        input=input.shape, other=other.shape)) from None
    return apply(OPS["where"], condition, input, other)


def from_numpy(ndarray) -> Tensor:
    """A Tensor on the numpy array itself (no copy: a change to one shows in the other), its dtype
    kept: int64 stays int64 (class labels), float32 stays float32.

    >>> a = np.array([1, 2]); t = from_numpy(a); a[0] = 7; t
    Tensor([7, 2], dtype=int64)
    """
    if not isinstance(ndarray, np.ndarray):
        raise TypeError(i18n.message("torchfn.from_numpy_type", type=type(ndarray).__name__))
    return Tensor(ndarray, dtype=ndarray.dtype)
