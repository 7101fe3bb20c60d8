"""microgradfr: a teaching engine for reverse-mode automatic differentiation.

>>> from microgradfr import Value
>>> x = Value(3.0, label="x")
>>> y = x * x
>>> y.backward(); x.grad
6.0
"""
from .autograd import is_grad_enabled, no_grad
from .engine import Value
from .random import manual_seed
from . import checkpoint, optim, training  # submodules: microgradfr.optim.Adam, microgradfr.training.fit
from .tensor import Tensor

__all__ = ["Value", "Tensor", "no_grad", "is_grad_enabled", "manual_seed"]
__version__ = "0.1.0"
