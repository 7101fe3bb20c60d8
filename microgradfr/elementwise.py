"""The op table's one-input functions as methods, written once for Value and Tensor.

Each class says how it applies a table entry (``_apply``); the methods below only name the entry.
"""
from __future__ import annotations

from .ops import OPS

__all__ = ["ElementwiseMethods"]


class ElementwiseMethods:
    """``x.exp()``, ``x.tanh()``, ``x.relu()``, …: each applies the op table entry of that name."""

    __slots__ = ()

    @staticmethod
    def _apply(op, *inputs, k=None):
        raise NotImplementedError("a node class sets _apply to its own apply function")

    def exp(self):
        """e^x; ∂/∂x = e^x. Overflows to inf, never raises."""
        return self._apply(OPS["exp"], self)

    def log(self):
        """ln x for x > 0; ∂/∂x = 1/x."""
        return self._apply(OPS["log"], self)

    def sqrt(self):
        """√x for x ≥ 0; ∂/∂x = 1/(2√x)."""
        return self._apply(OPS["sqrt"], self)

    def abs(self):
        """|x|; ∂/∂x = sign(x) (0 at x = 0, as PyTorch)."""
        return self._apply(OPS["abs"], self)

    def __abs__(self):
        return self.abs()

    def sin(self):
        """sin x; ∂/∂x = cos x."""
        return self._apply(OPS["sin"], self)

    def cos(self):
        """cos x; ∂/∂x = −sin x."""
        return self._apply(OPS["cos"], self)

    def tanh(self):
        """tanh x; ∂/∂x = 1 − tanh²x."""
        return self._apply(OPS["tanh"], self)

    def sigmoid(self):
        """σ(x) = 1/(1 + e^(−x)); ∂/∂x = σ(x)(1 − σ(x)). Stable at ±1000."""
        return self._apply(OPS["sigmoid"], self)

    def relu(self):
        """max(x, 0); ∂/∂x = 1 if x > 0 else 0."""
        return self._apply(OPS["relu"], self)

    def leaky_relu(self, alpha: float = 0.01, *, negative_slope: float | None = None):
        """x if x > 0 else alpha·x; ∂/∂x = 1 or alpha (PyTorch calls alpha ``negative_slope``)."""
        return self._apply(OPS["leaky_relu"], self, k=alpha if negative_slope is None else negative_slope)

    def elu(self, alpha: float = 1.0):
        """x if x > 0 else alpha·(e^x − 1); ∂/∂x = 1 or ELU(x) + alpha."""
        return self._apply(OPS["elu"], self, k=alpha)

    def softplus(self):
        """ln(1 + e^x), stable for any x; ∂/∂x = σ(x)."""
        return self._apply(OPS["softplus"], self)
