"""Loss modules with PyTorch's names, arguments and defaults: ``loss_fn = nn.MSELoss()``,
then ``loss = loss_fn(output, target)``.

Each one is a thin Module over a function of ``microgradfr.functional`` (mse_loss, l1_loss,
binary_cross_entropy, binary_cross_entropy_with_logits, cross_entropy, nll_loss), adding what the
function lacks: class weights, ``ignore_index``, ``pos_weight``.

``reduction`` is ``"mean"`` (the default), ``"sum"`` or ``"none"`` (one loss per entry), as in PyTorch;
it is a keyword argument here (PyTorch's deprecated ``size_average`` and ``reduce`` come first there).
A class weight (``weight=``) and ``ignore_index`` follow PyTorch's rule for the mean:
Σₙ w[tₙ]·ℓₙ / Σₙ w[tₙ], over the examples not ignored.

>>> from microgradfr import Tensor
>>> MSELoss()(Tensor([1.0, 2.0]), Tensor([0.0, 0.0])).item()          # (1² + 2²)/2
2.5
>>> MSELoss(reduction="sum")(Tensor([1.0, 2.0]), Tensor([0.0, 0.0])).item()
5.0
"""
from __future__ import annotations

import numpy as np

from .. import functional as F
from .. import i18n
from ..functional import _reduce  # the reductions "mean", "sum", "none", written once
from ..tensor import Tensor
from .module import Module

__all__ = ["MSELoss", "L1Loss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss"]

REDUCTIONS = ("mean", "sum", "none")


def _as_tensor(x) -> Tensor:
    return x if isinstance(x, Tensor) else Tensor(x)


def _constant(values, like: Tensor) -> Tensor:
    """Numbers that take no gradient (a target, a weight), in the input's dtype."""
    if isinstance(values, Tensor):
        return values
    return Tensor(np.asarray(values, dtype=like.dtype))


class _Loss(Module):
    """What every loss shares: ``reduction``, checked when the loss is made; repr as PyTorch's.
    Its weights (``weight``, ``pos_weight``), when given, are buffers: saved in ``state_dict()``
    under those names, never learned, as PyTorch's."""

    _weights = ()  # the attributes that hold a weight or None

    @property
    def buffer_names(self) -> tuple:
        return tuple(name for name in self._weights if getattr(self, name) is not None)

    def __init__(self, reduction: str = "mean"):
        if reduction not in REDUCTIONS:
            raise ValueError(i18n.message("nn.reduction", loss=type(self).__name__, value=reduction,
                                          choices=", ".join(map(repr, REDUCTIONS))))
        self.reduction = reduction

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def _array(values) -> np.ndarray:
    return np.asarray(values.data if isinstance(values, Tensor) else values)


def _buffer(weight):
    """A loss's weight as a float array of its own (a buffer), or None."""
    if weight is None:
        return None
    arr = _array(weight)
    return np.array(arr, dtype=arr.dtype if arr.dtype.kind == "f" else np.float64)


def _elementwise_weight(weight, input: Tensor, loss: str):
    """``weight`` as a constant that broadcasts to the input's shape (None stays None)."""
    if weight is None:
        return None
    w = _array(weight).astype(input.dtype)
    try:
        shape = np.broadcast_shapes(w.shape, input.shape)
    except ValueError:
        shape = None
    if shape != input.shape:
        raise ValueError(i18n.message("nn.weight_shape", loss=loss, weight=w.shape, input=input.shape))
    return Tensor(w)


def _same_shape(loss: str, input: Tensor, target: Tensor) -> None:
    if input.shape != target.shape:
        raise ValueError(i18n.message("nn.target_shape", loss=loss, target=target.shape, input=input.shape))


# -------------------------------------------------------------------- regression
class MSELoss(_Loss):
    """Mean squared error: mean((input − target)²); ``"sum"`` adds the squares, ``"none"`` keeps them."""

    def __init__(self, *, reduction: str = "mean"):
        super().__init__(reduction)

    def forward(self, input, target) -> Tensor:
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """Mean absolute error: mean(|input − target|); ∂/∂input = sign(input − target)/N (0 where equal).

    >>> from microgradfr import Tensor
    >>> L1Loss()(Tensor([1.0, -3.0]), Tensor([0.0, 0.0])).item()     # (1 + 3)/2
    2.0
    """

    def __init__(self, *, reduction: str = "mean"):
        super().__init__(reduction)

    def forward(self, input, target) -> Tensor:
        return F.l1_loss(input, target, reduction=self.reduction)


# -------------------------------------------------------------------- two classes
class BCELoss(_Loss):
    """Binary cross-entropy of probabilities p = input in [0, 1] against targets t in [0, 1]:
    ℓ = −w·(t·ln p + (1 − t)·ln(1 − p)), each log clamped at −100 as in PyTorch.

    ``weight`` (optional) multiplies each entry's loss and must broadcast to the input's shape;
    the mean is then mean(w·ℓ), as PyTorch's. For logits (no sigmoid yet), use BCEWithLogitsLoss.

    >>> from microgradfr import Tensor
    >>> round(BCELoss()(Tensor([0.5]), Tensor([1.0])).item(), 6)      # −ln ½
    0.693147
    """

    _weights = ("weight",)

    def __init__(self, weight=None, *, reduction: str = "mean"):
        super().__init__(reduction)
        self.weight = _buffer(weight)

    def forward(self, input, target) -> Tensor:
        input = _as_tensor(input)
        if self.weight is None:
            return F.binary_cross_entropy(input, target, reduction=self.reduction)
        w = _elementwise_weight(self.weight, input, type(self).__name__)
        return _reduce(F.binary_cross_entropy(input, target, reduction="none") * w, self.reduction)


class BCEWithLogitsLoss(_Loss):
    """Binary cross-entropy of logits x (before the sigmoid) against targets t in [0, 1], stable for
    any x: with softplus(x) = ln(1 + eˣ) = −ln(1 − σ(x)) and softplus(−x) = −ln σ(x),

        ℓ = w·((1 − t)·softplus(x) + p·t·softplus(−x))   (= w·(softplus(x) − t·x) when p = 1),

    so ∂ℓ/∂x = w·(σ(x) − t) for p = 1, exact at x = 0 too. ``weight`` w multiplies each entry and
    ``pos_weight`` p the positive examples' term, one per class (the last axis); both broadcast.

    >>> from microgradfr import Tensor
    >>> round(BCEWithLogitsLoss()(Tensor([0.0]), Tensor([1.0])).item(), 6)     # −ln σ(0) = ln 2
    0.693147
    >>> BCEWithLogitsLoss()(Tensor([1000.0]), Tensor([1.0])).item()           # finite, no overflow
    0.0
    """

    _weights = ("weight", "pos_weight")

    def __init__(self, weight=None, *, reduction: str = "mean", pos_weight=None):
        super().__init__(reduction)
        self.weight = _buffer(weight)
        self.pos_weight = _buffer(pos_weight)

    def forward(self, input, target) -> Tensor:
        name = type(self).__name__
        x = _as_tensor(input)
        t = _constant(target, like=x)
        _same_shape(name, x, t)
        if self.pos_weight is None and self.weight is None:
            return F.binary_cross_entropy_with_logits(x, t, reduction=self.reduction)
        if self.pos_weight is None:
            losses = F.binary_cross_entropy_with_logits(x, t, reduction="none")
        else:
            p = _elementwise_weight(self.pos_weight, x, name)
            losses = (1.0 - t) * x.softplus() + (p * t) * (-x).softplus()
        if self.weight is not None:
            losses = losses * _elementwise_weight(self.weight, x, name)
        return _reduce(losses, self.reduction)


# -------------------------------------------------------------------- classes
def _class_targets(loss: str, input: Tensor, target, ignore_index: int):
    """(class indices with the ignored ones set to 0, the mask of the examples kept), after checking
    that ``input`` is (N, C) and ``target`` holds N class indices in 0..C−1 (or ``ignore_index``)."""
    if input.ndim != 2:
        raise ValueError(i18n.message("nn.class_input", loss=loss, shape=input.shape))
    n, classes = input.shape
    t = _array(target)
    if np.issubdtype(t.dtype, np.floating) and np.all(np.isfinite(t)) and np.all(t == np.round(t)):
        t = t.astype(np.int64)  # Tensor([0, 2, 1]) holds floats: whole numbers are class indices
    if t.shape != (n,) or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(i18n.message("nn.class_target", loss=loss, n=n, shape=t.shape, dtype=t.dtype))
    keep = t != ignore_index
    outside = keep & ((t < 0) | (t >= classes))
    if outside.any():
        raise IndexError(i18n.message("nn.class_range", loss=loss, value=t[outside][0], last=classes - 1,
                                      ignore_index=ignore_index))
    return np.where(keep, t, 0), keep


def _class_weights(loss: str, weight, classes: int, like: Tensor):
    """``weight`` as C numbers in the input's dtype, or None."""
    if weight is None:
        return None
    w = _array(weight).astype(like.dtype)
    if w.shape != (classes,):
        raise ValueError(i18n.message("nn.class_weight", loss=loss, classes=classes, shape=w.shape))
    return w


def _weighted_mean(losses: Tensor, t, keep, weight, like: Tensor, reduction: str) -> Tensor:
    """Per-example ``losses`` times w[tₙ] (0 where ignored), then PyTorch's reduction:
    ``"mean"`` is Σₙ w[tₙ]·ℓₙ / Σₙ w[tₙ], ``"sum"`` the numerator, ``"none"`` the products."""
    w = (np.ones(len(t), like.dtype) if weight is None else weight[t]) * keep
    weighted = losses * Tensor(w.astype(like.dtype))
    if reduction == "none":
        return weighted
    total = weighted.sum()
    return total / float(w.sum()) if reduction == "mean" else total


class _ClassLoss(_Loss):
    """A loss of (N, C) scores against N class indices: ``function`` per example (a functional loss),
    then PyTorch's ``weight`` (one per class) and ``ignore_index`` (−100 by default) in the mean."""

    _weights = ("weight",)
    function = None  # the functional loss, (input, target, reduction) -> Tensor

    def __init__(self, weight=None, *, ignore_index: int = -100, reduction: str = "mean"):
        super().__init__(reduction)
        self.weight = _buffer(weight)
        self.ignore_index = ignore_index

    def forward(self, input, target) -> Tensor:
        name, function = type(self).__name__, type(self).function
        input = _as_tensor(input)
        t, keep = _class_targets(name, input, target, self.ignore_index)
        weight = _class_weights(name, self.weight, input.shape[1], input)
        if weight is None and keep.all():
            return function(input, t, reduction=self.reduction)  # one fused node for cross_entropy
        return _weighted_mean(function(input, t, reduction="none"), t, keep, weight, input, self.reduction)


class CrossEntropyLoss(_ClassLoss):
    """Softmax cross-entropy of logits (N, C) against class indices (N,):
    ℓₙ = log Σ_c e^{input[n, c]} − input[n, tₙ] = −log softmax(input[n])[tₙ], fused and stable.

    ``weight`` (C numbers) weighs each class and ``ignore_index`` (−100 by default) marks examples
    left out; the mean is Σ w[tₙ]·ℓₙ / Σ w[tₙ] over the examples kept, as PyTorch's.
    (PyTorch's ``label_smoothing`` and class-probability targets are not available:
    ``microgradfr.functional.cross_entropy`` has neither.)

    >>> from microgradfr import Tensor
    >>> round(CrossEntropyLoss()(Tensor([[0.0, 0.0]]), [1]).item(), 6)      # log 2
    0.693147
    """

    function = staticmethod(F.cross_entropy)


class NLLLoss(_ClassLoss):
    """Negative log-likelihood of log-probabilities (N, C) (a LogSoftmax's output) against class
    indices (N,): ℓₙ = −input[n, tₙ], so ∂ℓₙ/∂input[n, c] = −1 where c = tₙ, 0 elsewhere.

    ``functional.nll_loss`` per example, then ``weight`` and ``ignore_index`` as in CrossEntropyLoss;
    LogSoftmax(dim=1) then NLLLoss is CrossEntropyLoss.

    >>> from microgradfr import Tensor
    >>> NLLLoss()(Tensor([[-1.0, -2.0], [-3.0, -4.0]]), [1, 0]).item()     # (2 + 3)/2
    2.5
    """

    function = staticmethod(F.nll_loss)
