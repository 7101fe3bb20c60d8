"""``nn.Parameter``: a Tensor that a Module counts among its parameters, as in PyTorch.

Assigning one to a Module attribute registers it: ``parameters()``, ``named_parameters()``,
``state_dict()`` and ``zero_grad()`` find it under the attribute's name. It requires a gradient by
default; ``Parameter(data, requires_grad=False)`` is still a parameter (saved, listed), only frozen.

>>> import numpy as np
>>> from microgradfr.nn import Module
>>> class Scale(Module):
...     def __init__(self):
...         self.factor = Parameter(np.ones(2))
...     def forward(self, x):
...         return x * self.factor
>>> [name for name, _ in Scale().named_parameters()]
['factor']
"""
from __future__ import annotations

import numpy as np

from ..tensor import Tensor

__all__ = ["Parameter"]


class Parameter(Tensor):
    """``Parameter(data=None, requires_grad=True)``: ``data`` a Tensor (its array is shared, not
    copied, as PyTorch shares storage), an ndarray, a list or a number; no data gives an empty
    parameter of shape (0,)."""

    __slots__ = ()

    def __init__(self, data=None, requires_grad: bool = True):
        if data is None:
            data = np.empty(0)
        elif isinstance(data, Tensor):
            data = data.data
        super().__init__(data, requires_grad=requires_grad)

    def __repr__(self) -> str:
        return "Parameter containing:\n" + super().__repr__()
