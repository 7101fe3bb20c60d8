"""Take a model to PyTorch and back: ``to_torch(model)`` and ``from_torch(module)``.

Both build the same layers on the other side and copy the weights through ``state_dict()``, whose
names and shapes are PyTorch's on both sides. Supported: ``Sequential`` of ``Linear``, ``Conv2d``,
``MaxPool2d``, ``AvgPool2d``, ``BatchNorm1d``, ``BatchNorm2d``, ``Dropout``, ``Flatten`` and the
activations ``ReLU``, ``LeakyReLU``, ``Sigmoid``, ``Tanh``, ``Softmax``; and our scalar ``MLP``,
which becomes Linear layers each followed by its activation. Each layer keeps its dtype (float64
stays float64) and its training or evaluation mode.

PyTorch is optional: it is imported when one of these functions is called, never before.

>>> from microgradfr.nn import Linear, ReLU, Sequential
>>> model = Sequential(Linear(2, 3), ReLU())
>>> torch_model = to_torch(model)           # doctest: +SKIP
>>> torch_model                             # doctest: +SKIP
Sequential(
  (0): Linear(in_features=2, out_features=3, bias=True)
  (1): ReLU()
)
"""
from __future__ import annotations

import numpy as np

from . import i18n, nn
from .nn.state import layer_activation

_LAYERS = ("Sequential, Linear, Conv2d, MaxPool2d, AvgPool2d, BatchNorm1d, BatchNorm2d, Dropout, Flatten, "
           "ReLU, LeakyReLU, Sigmoid, Tanh, Softmax")  # the class names, the same in every language

__all__ = ["to_torch", "from_torch"]


def _torch(function: str):
    try:
        import torch
    except ImportError:
        raise ImportError(i18n.message("bridge.needs_torch", function=function)) from None
    return torch


def _unsupported(function, what, path, extra=""):
    """The TypeError for a layer with no counterpart; ``extra``: a filled "bridge.with_*" fragment or ""."""
    where = i18n.message("bridge.at", path=path) if path else ""
    return TypeError(i18n.message("bridge.unsupported", function=function, what=what, where=where,
                                  extra=extra, supported=i18n.message("bridge.supported", layers=_LAYERS)))


# ---------------------------------------------------------------- ours → torch


def _torch_dtype(torch, layer):
    weight = getattr(layer, "weight", None)
    return getattr(torch, str(weight.data.dtype)) if weight is not None else None


_SIMPLE = ("ReLU", "Sigmoid", "Tanh")
"""Layers with no setting and no weight, called the same on both sides: one table for both directions."""


def _to_torch_layer(torch, layer, path):
    tnn = torch.nn
    simple = {getattr(nn, name): getattr(tnn, name) for name in _SIMPLE}
    if type(layer) in simple:
        return simple[type(layer)]()
    if isinstance(layer, nn.Sequential):
        return tnn.Sequential(*[_to_torch_layer(torch, sub, f"{path}.{i}".lstrip("."))
                                for i, sub in enumerate(layer)])
    if isinstance(layer, nn.MLP):
        return _mlp_to_torch(torch, layer)
    dtype = _torch_dtype(torch, layer)
    if isinstance(layer, nn.Linear):
        return tnn.Linear(layer.in_features, layer.out_features, bias=layer.bias is not None, dtype=dtype)
    if isinstance(layer, nn.Conv2d):
        return tnn.Conv2d(layer.in_channels, layer.out_channels, layer.kernel_size, stride=layer.stride,
                          padding=layer.padding, bias=layer.bias is not None, dtype=dtype)
    if isinstance(layer, (nn.BatchNorm1d, nn.BatchNorm2d)):
        cls = tnn.BatchNorm1d if isinstance(layer, nn.BatchNorm1d) else tnn.BatchNorm2d
        return cls(layer.num_features, eps=layer.eps, momentum=layer.momentum,
                   affine=layer.weight is not None, dtype=getattr(torch, str(layer.running_mean.dtype)))
    if isinstance(layer, (nn.MaxPool2d, nn.AvgPool2d)):
        cls = tnn.MaxPool2d if isinstance(layer, nn.MaxPool2d) else tnn.AvgPool2d
        return cls(layer.kernel_size, stride=layer.stride, padding=layer.padding)
    if isinstance(layer, nn.Dropout):
        return tnn.Dropout(layer.p)
    if isinstance(layer, nn.Flatten):
        return tnn.Flatten(layer.start_dim, layer.end_dim)
    if isinstance(layer, nn.LeakyReLU):
        return tnn.LeakyReLU(layer.negative_slope)
    if isinstance(layer, nn.Softmax):
        return tnn.Softmax(dim=layer.dim)
    raise _unsupported("to_torch", type(layer).__name__, path)


def _mlp_to_torch(torch, mlp):
    """Linear(nin, nout) for each layer, then its activation (none for "linear"), in float64."""
    activations = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
                   "leaky_relu": torch.nn.LeakyReLU}  # LeakyReLU's 0.01 is Value.leaky_relu's default
    layers = []
    for i, layer in enumerate(mlp.layers):
        layers.append(torch.nn.Linear(len(layer.neurons[0].w), len(layer.neurons), dtype=torch.float64))
        name = layer_activation(layer, i)
        if name in activations:
            layers.append(activations[name]())
        elif name != "linear":
            raise _unsupported("to_torch", i18n.message("bridge.activation", name=name), f"layers.{i}")
    return torch.nn.Sequential(*layers)


def _copy_modes(ours, theirs, leaves) -> None:
    """Give each leaf on one side the training mode of its counterpart (same order on both sides)."""
    for (_, a), b in zip(ours, theirs, strict=True):
        b.train(a.training) if leaves == "torch" else a.train(b.training)


def _leaves(named):
    return [(n, m) for n, m in named if not any(True for _ in m.children())]


def to_torch(model):
    """An equivalent ``torch.nn.Module`` with the same weights, buffers, dtypes and modes.

    ``to_torch(Sequential(Linear(4, 3), ReLU()))`` is ``torch.nn.Sequential(Linear(4, 3), ReLU())``
    holding our weights; in evaluation mode both give the same outputs (to rounding). The scalar
    ``MLP(2, [16, 1])`` becomes ``Sequential(Linear(2, 16), ReLU(), Linear(16, 1))`` in float64.
    """
    torch = _torch("to_torch")
    if not isinstance(model, nn.Module):
        raise TypeError(i18n.message("bridge.to_torch_type", type=type(model).__name__))
    theirs = _to_torch_layer(torch, model, "")
    state = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in model.state_dict().items()}
    theirs.load_state_dict(state, strict=True)
    theirs.train(model.training)
    if not isinstance(model, nn.MLP):  # the MLP's neurons have no torch counterpart one by one
        _copy_modes(_leaves(model.named_modules()), [m for _, m in _leaves(theirs.named_modules())], "torch")
    return theirs


# ---------------------------------------------------------------- torch → ours


def _numpy_dtype(module):
    weight = getattr(module, "weight", None)
    if weight is None:
        weight = getattr(module, "running_mean", None)
    return None if weight is None else weight.detach().cpu().numpy().dtype


def _pool_settings(module, path):
    if getattr(module, "ceil_mode", False) or getattr(module, "return_indices", False):
        raise _unsupported("from_torch", type(module).__name__, path, i18n.message("bridge.with_pool"))
    if getattr(module, "dilation", 1) not in (1, (1, 1)):
        raise _unsupported("from_torch", type(module).__name__, path,
                           i18n.message("bridge.with_dilation", value=module.dilation))
    return dict(kernel_size=module.kernel_size, stride=module.stride, padding=module.padding)


def _from_torch_layer(torch, module, path):
    tnn = torch.nn
    name = type(module).__name__
    simple = {getattr(tnn, name): getattr(nn, name) for name in _SIMPLE}
    if type(module) in simple:
        return simple[type(module)]()
    if isinstance(module, tnn.Sequential):
        return nn.Sequential(*[_from_torch_layer(torch, sub, f"{path}.{i}".lstrip("."))
                               for i, sub in enumerate(module)])
    dtype = _numpy_dtype(module)
    if isinstance(module, tnn.Linear):
        return nn.Linear(module.in_features, module.out_features, bias=module.bias is not None, dtype=dtype)
    if isinstance(module, tnn.Conv2d):
        if module.groups != 1 or module.dilation != (1, 1) or module.padding_mode != "zeros":
            raise _unsupported("from_torch", name, path, i18n.message("bridge.with_conv"))
        return nn.Conv2d(module.in_channels, module.out_channels, module.kernel_size, stride=module.stride,
                         padding=module.padding, bias=module.bias is not None, dtype=dtype)
    if isinstance(module, (tnn.BatchNorm1d, tnn.BatchNorm2d)):
        if module.momentum is None or not module.track_running_stats:
            raise _unsupported("from_torch", name, path, i18n.message("bridge.with_batchnorm"))
        cls = nn.BatchNorm1d if isinstance(module, tnn.BatchNorm1d) else nn.BatchNorm2d
        return cls(module.num_features, eps=module.eps, momentum=module.momentum, affine=module.affine,
                   dtype=dtype)
    if isinstance(module, tnn.MaxPool2d):
        return nn.MaxPool2d(**_pool_settings(module, path))
    if isinstance(module, tnn.AvgPool2d):
        if not module.count_include_pad or module.divisor_override is not None:
            raise _unsupported("from_torch", name, path, i18n.message("bridge.with_avgpool"))
        return nn.AvgPool2d(**_pool_settings(module, path))
    if isinstance(module, tnn.Dropout):
        return nn.Dropout(module.p)
    if isinstance(module, tnn.Flatten):
        return nn.Flatten(module.start_dim, module.end_dim)
    if isinstance(module, tnn.LeakyReLU):
        return nn.LeakyReLU(module.negative_slope)
    if isinstance(module, tnn.Softmax) and module.dim is not None:
        return nn.Softmax(dim=module.dim)
    raise _unsupported("from_torch", f"torch.nn.{name}", path)


def from_torch(module):
    """Our equivalent of a ``torch.nn.Module`` (the layers listed in this module's docstring), with
    its weights, buffers, dtypes (float32 stays float32) and modes.

    ``from_torch(torch.nn.Sequential(torch.nn.Linear(4, 3), torch.nn.ReLU()))`` is
    ``Sequential(Linear(4, 3), ReLU())`` holding the same weights.
    """
    torch = _torch("from_torch")
    if not isinstance(module, torch.nn.Module):
        raise TypeError(i18n.message("bridge.from_torch_type", type=type(module).__name__))
    ours = _from_torch_layer(torch, module, "")
    ours.load_state_dict({k: v.detach().cpu().numpy() for k, v in module.state_dict().items()}, strict=True)
    ours.train(module.training)
    _copy_modes(_leaves(ours.named_modules()), [m for _, m in _leaves(module.named_modules())], "ours")
    return ours
