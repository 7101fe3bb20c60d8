"""microgradfr: a teaching engine for reverse-mode automatic differentiation.

>>> from microgradfr import Value
>>> x = Value(3.0, label="x")
>>> y = x * x
>>> y.backward(); x.grad
6.0
"""
from . import checkpoint, data, functional, i18n, nn, optim, testing, training, utils
from .autograd import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .bridge import from_torch, to_torch
from .custom import define_op
from .engine import Value
from .functions import (
    abs,
    argmax,
    argmin,
    clamp,
    clip,
    cos,
    double,
    exp,
    flatten,
    float32,
    float64,
    from_numpy,
    int32,
    int64,
    log,
    log_softmax,
    long,
    matmul,
    max,
    mean,
    min,
    relu,
    reshape,
    sigmoid,
    sin,
    softmax,
    sqrt,
    sum,
    tanh,
    transpose,
    where,
)
from .i18n import get_language, set_language
from .random import Generator, manual_seed
from .tensor import (
    Tensor,
    arange,
    cat,
    eye,
    full,
    full_like,
    linspace,
    multinomial,
    ones,
    ones_like,
    rand,
    randint,
    randn,
    randperm,
    stack,
    tensor,
    zeros,
    zeros_like,
)

__all__ = ["Value", "Tensor", "no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled",
           "manual_seed", "set_language", "get_language", "to_torch", "from_torch", "define_op",
           "tensor", "zeros", "ones", "full", "zeros_like", "ones_like", "full_like", "eye", "arange",
           "linspace", "rand", "randn", "randint", "randperm", "multinomial", "Generator", "cat", "stack",
           "nn", "functional", "optim", "training", "data", "checkpoint", "testing", "i18n",
           # PyTorch's top-level functions (microgradfr.functions) and torch.utils.data
           "exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "sum", "mean", "max", "min",
           "argmax", "argmin", "softmax", "log_softmax", "matmul", "flatten", "reshape", "transpose",
           "clamp", "clip", "where", "from_numpy", "float32", "float64", "int64", "int32", "long", "double",
           "utils"]
__version__ = "0.1.0"
