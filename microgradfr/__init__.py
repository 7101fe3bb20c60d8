"""microgradfr: a teaching engine for reverse-mode automatic differentiation.

>>> from microgradfr import Value
>>> x = Value(3.0, label="x")
>>> y = x * x
>>> y.backward(); x.grad
6.0
"""
from . import checkpoint, data, functional, nn, optim, testing, training
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .custom import define_op
from .engine import Value
from .random import manual_seed
from .tensor import Tensor

__all__ = ["Value", "Tensor", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "manual_seed", "define_op", "nn", "functional", "optim", "training", "data", "checkpoint",
           "testing"]
__version__ = "0.1.0"
