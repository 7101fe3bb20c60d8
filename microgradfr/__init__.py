"""microgradfr: a teaching engine for reverse-mode automatic differentiation.

>>> from microgradfr import Value
>>> x = Value(3.0, label="x")
>>> y = x * x
>>> y.backward(); x.grad
6.0
"""
from . import checkpoint, data, functional, i18n, nn, optim, testing, training
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .bridge import from_torch, to_torch
from .custom import define_op
from .engine import Value
from .i18n import get_language, set_language
from .random import manual_seed
from .tensor import (
    Tensor,
    arange,
    cat,
    eye,
    full,
    full_like,
    linspace,
    ones,
    ones_like,
    rand,
    randn,
    stack,
    tensor,
    zeros,
    zeros_like,
)

__all__ = ["Value", "Tensor", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "manual_seed", "set_language", "get_language", "to_torch", "from_torch", "define_op",
           "tensor", "zeros", "ones", "full", "zeros_like", "ones_like", "full_like", "eye", "arange",
           "linspace", "rand", "randn", "cat", "stack",
           "nn", "functional", "optim", "training", "data", "checkpoint", "testing", "i18n"]
__version__ = "0.1.0"
