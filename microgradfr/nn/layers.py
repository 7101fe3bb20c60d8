"""Tensor layers with PyTorch's names, arguments and default initialisations.

Weights are drawn from ``microgradfr.random.generator()`` (seed it with ``manual_seed``) as
PyTorch does: U(−1/√fan_in, 1/√fan_in) for Linear and Conv2d weights and biases
(kaiming-uniform with a = √5), fan_in = in_features or in_channels·k·k.
Parameters are float64 by default (exact gradient checks); pass ``dtype="float32"`` for speed.

>>> from microgradfr import manual_seed
>>> manual_seed(0)
>>> model = Sequential(Conv2d(1, 32, 3, stride=2, padding=1), ReLU())
>>> model.num_parameters()        # (3·3·1 + 1)·32
320
"""
from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from .. import functional as F
from .. import i18n
from ..kernels.conv import conv_output_size, pair_text
from ..random import generator
from ..tensor import Tensor
from .module import Module, module_repr
from .parameter import Parameter

__all__ = ["Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "ReLU", "LeakyReLU", "Sigmoid", "Tanh",
           "Softmax", "LogSoftmax", "Identity", "Dropout", "BatchNorm1d", "BatchNorm2d", "Sequential"]


def _positive_int(value, what, layer):
    if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 1:
        raise ValueError(i18n.message("nn.positive_int", layer=layer, what=what, value=value))
    return int(value)


def _dtype(dtype):
    return np.dtype(np.float64 if dtype is None else dtype)


def _uniform(bound, shape, dtype):
    """A parameter drawn from U(−bound, bound)."""
    return Parameter(generator().uniform(-bound, bound, shape).astype(dtype))


def _as_tensor(x):
    return x if isinstance(x, Tensor) else Tensor(x)


# -------------------------------------------------------------------- layers with parameters
class Linear(Module):
    """y = x @ Wᵀ + b with W of shape (out_features, in_features): in·out + out parameters.

    >>> Linear(4096, 32).num_parameters()      # 4096·32 + 32
    131104
    """

    _input_ranks = (2,)  # (N, in_features): what summary() reads an input_shape against

    def __init__(self, in_features: int, out_features: int, bias: bool = True, dtype=None):
        self.in_features = _positive_int(in_features, "in_features", "Linear")
        self.out_features = _positive_int(out_features, "out_features", "Linear")
        dtype = _dtype(dtype)
        bound = 1.0 / math.sqrt(in_features)
        self.weight = _uniform(bound, (out_features, in_features), dtype)
        self.bias = _uniform(bound, (out_features,), dtype) if bias else None
        self.label_parameters()

    def forward(self, x):
        x = _as_tensor(x)
        if x.ndim == 0 or x.shape[-1] != self.in_features:
            got = x.shape[-1] if x.ndim else 0
            raise ValueError(i18n.message("nn.linear_features", layer=self.describe(), got=got, shape=x.shape,
                                          expected=self.in_features))
        return F.linear(x, self.weight, self.bias)

    def describe(self) -> str:
        return f"Linear({self.in_features} → {self.out_features})"

    def __repr__(self):
        return (f"Linear(in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None})")


class Conv2d(Module):
    """out_channels filters of size in_channels × kh × kw slid over the image (NCHW):
    (kh·kw·in_channels + 1)·out_channels parameters, output size ⌊(W − k + 2p)/s⌋ + 1 along each axis.
    kernel_size, stride and padding are an int or a (height, width) pair, kept as pairs (as PyTorch);
    padding may also be "valid" or "same".

    >>> Conv2d(1, 32, 3, stride=2, padding=1).num_parameters()   # (3·3·1 + 1)·32
    320
    """

    _input_ranks = (4,)  # (N, C, H, W)

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 bias: bool = True, dtype=None):
        self.in_channels = _positive_int(in_channels, "in_channels", "Conv2d")
        self.out_channels = _positive_int(out_channels, "out_channels", "Conv2d")
        self.kernel_size = F._pair(kernel_size, "Conv2d: kernel_size", least=1)
        self.stride = F._pair(stride, "Conv2d: stride", least=1)
        F._conv_padding(padding, self.kernel_size, self.stride)  # a bad padding fails here, not later
        self.padding = padding if isinstance(padding, str) else F._pair(padding, "Conv2d: padding")
        dtype = _dtype(dtype)
        kh, kw = self.kernel_size
        bound = 1.0 / math.sqrt(in_channels * kh * kw)
        self.weight = _uniform(bound, (out_channels, in_channels, kh, kw), dtype)
        self.bias = _uniform(bound, (out_channels,), dtype) if bias else None
        self.label_parameters()

    @property
    def _padding(self):
        """(ph, pw), also for padding="valid" or "same"."""
        return F._conv_padding(self.padding, self.kernel_size, self.stride)

    def output_shape(self, input_shape):
        """(C_out, H_out, W_out) for one input of shape (C, H, W), by the formula."""
        _, h, w = input_shape
        (kh, kw), (sh, sw), (ph, pw) = self.kernel_size, self.stride, self._padding
        return (self.out_channels, conv_output_size(h, kh, sh, ph), conv_output_size(w, kw, sw, pw))

    def forward(self, x):
        x = _as_tensor(x)
        if x.ndim != 4:
            hint = i18n.message("nn.batch_hint") if x.ndim == 3 else ""
            raise ValueError(i18n.message("nn.conv_rank", layer=self.describe(), shape=x.shape, hint=hint))
        if x.shape[1] != self.in_channels:
            raise ValueError(i18n.message("nn.conv_channels", layer=self.describe(), got=x.shape[1],
                                          shape=x.shape, expected=self.in_channels))
        (kh, kw), (ph, pw) = self.kernel_size, self._padding
        hp, wp = x.shape[2] + 2 * ph, x.shape[3] + 2 * pw
        if kh > hp or kw > wp:
            raise ValueError(i18n.message("nn.conv_kernel", layer=self.describe(), kernel=f"{kh}×{kw}",
                                          padded=f"{hp}×{wp}", shape=x.shape,
                                          padding=pair_text(self._padding)))
        return F.conv2d(x, self.weight, self.bias, stride=self.stride, padding=self._padding)

    def describe(self) -> str:
        kh, kw = self.kernel_size
        return (f"Conv2d({self.in_channels} → {self.out_channels}, {kh}×{kw}, "
                f"stride {pair_text(self.stride)}, padding {pair_text(self._padding)})")

    def __repr__(self):
        padding = repr(self.padding) if isinstance(self.padding, str) else self.padding
        return (f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, padding={padding})")


class _BatchNorm(Module):
    """Shared by BatchNorm1d and BatchNorm2d: weight = 1, bias = 0, running mean 0 and variance 1."""

    _input_ndims = ()  # with the batch axis, as summary()'s _input_ranks
    buffer_names = ("running_mean", "running_var", "num_batches_tracked")
    buffer_low = {"running_var": 0.0, "num_batches_tracked": 0}

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1, affine: bool = True,
                 dtype=None):
        name = type(self).__name__
        self.num_features = _positive_int(num_features, "num_features", name)
        self.eps, self.momentum = eps, momentum
        dtype = _dtype(dtype)
        self.weight = Parameter(np.ones(num_features, dtype)) if affine else None
        self.bias = Parameter(np.zeros(num_features, dtype)) if affine else None
        self.running_mean = np.zeros(num_features, dtype)  # buffers: plain arrays, not parameters
        self.running_var = np.ones(num_features, dtype)
        self.num_batches_tracked = np.array(0, dtype=np.int64)  # training batches seen, as PyTorch counts
        self.label_parameters()

    def forward(self, x):
        x = _as_tensor(x)
        if x.ndim not in self._input_ndims or x.shape[1] != self.num_features:
            shapes = i18n.message("summary.or").join(("(N, C)", "(N, C, L)", "(N, C, H, W)")[n - 2]
                                                     for n in self._input_ndims)
            raise ValueError(i18n.message("nn.norm_shape", layer=self.describe(), shapes=shapes,
                                          features=self.num_features, shape=x.shape))
        out = F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                           training=self.training, momentum=self.momentum, eps=self.eps)
        if self.training:
            self.num_batches_tracked += 1  # in place: the 0-d array stays the one state_dict reads
        return out

    def describe(self) -> str:
        return f"{type(self).__name__}({self.num_features})"

    def __repr__(self):
        return f"{type(self).__name__}({self.num_features}, eps={self.eps}, momentum={self.momentum})"


class BatchNorm1d(_BatchNorm):
    """Normalise each feature of (N, C) (or (N, C, L)) inputs over the batch: 2·C parameters."""

    _input_ndims = _input_ranks = (2, 3)


class BatchNorm2d(_BatchNorm):
    """Normalise each channel of (N, C, H, W) inputs over batch and pixels: 2·C parameters."""

    _input_ndims = _input_ranks = (4,)


# -------------------------------------------------------------------- layers without parameters
class _Pool(Module):
    """kernel_size, stride (default: kernel_size) and padding are kept as given, an int or a
    (height, width) pair, as PyTorch does for pooling."""

    _input_ranks = (4,)

    _function = None

    def __init__(self, kernel_size, stride=None, padding=0):
        self.kernel_size = _as_given(kernel_size)
        self.stride = self.kernel_size if stride is None else _as_given(stride)
        self.padding = _as_given(padding)
        self._pairs()  # a bad setting fails here, when the layer is made

    def _pairs(self):
        """(window, stride, padding), each as a (height, width) pair."""
        name = type(self).__name__
        return (F._pair(self.kernel_size, f"{name}: kernel_size", least=1),
                F._pair(self.stride, f"{name}: stride", least=1),
                F._pair(self.padding, f"{name}: padding"))

    def forward(self, x):
        return type(self)._function(x, *self._pairs())

    def describe(self):
        (kh, kw), stride, padding = self._pairs()
        padded = f", padding {pair_text(padding)}" if any(padding) else ""
        return f"{type(self).__name__}({kh}×{kw}, stride {pair_text(stride)}{padded})"

    def __repr__(self):
        padding = f", padding={self.padding}" if any(self._pairs()[2]) else ""
        return f"{type(self).__name__}(kernel_size={self.kernel_size}, stride={self.stride}{padding})"


def _as_given(setting):
    """An int stays an int and a list becomes a tuple, as PyTorch's pooling layers keep them."""
    return tuple(setting) if isinstance(setting, list) else setting


class MaxPool2d(_Pool):
    """The maximum of each window; no parameters."""

    _function = staticmethod(F.max_pool2d)


class AvgPool2d(_Pool):
    """The mean of each window; no parameters."""

    _function = staticmethod(F.avg_pool2d)


class Flatten(Module):
    """Merge axes start_dim..end_dim (by default all but the batch axis): (N, 64, 8, 8) → (N, 4096)."""

    def __init__(self, start_dim: int = 1, end_dim: int = -1):
        self.start_dim, self.end_dim = start_dim, end_dim

    def forward(self, x):
        return _as_tensor(x).flatten(self.start_dim, self.end_dim)

    def __repr__(self):
        return f"Flatten(start_dim={self.start_dim}, end_dim={self.end_dim})"


class ReLU(Module):
    """max(x, 0) entrywise."""

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def forward(self, x):
        return _as_tensor(x).relu()

    def __repr__(self):
        return "ReLU()"


class LeakyReLU(Module):
    """x if x > 0 else negative_slope·x: never a zero gradient (the GAN discriminator's choice)."""

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def __init__(self, negative_slope: float = 0.01):
        self.negative_slope = negative_slope

    def forward(self, x):
        return _as_tensor(x).leaky_relu(self.negative_slope)

    def __repr__(self):
        return f"LeakyReLU(negative_slope={self.negative_slope})"


class Sigmoid(Module):
    """1/(1 + e^(−x)) entrywise."""

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def forward(self, x):
        return _as_tensor(x).sigmoid()

    def __repr__(self):
        return "Sigmoid()"


class Tanh(Module):
    """tanh x entrywise."""

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def forward(self, x):
        return _as_tensor(x).tanh()

    def __repr__(self):
        return "Tanh()"


class Softmax(Module):
    """e^x / Σ e^x along ``dim``."""

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def __init__(self, dim: int = -1):
        self.dim = dim

    def forward(self, x):
        return _as_tensor(x).softmax(self.dim)

    def __repr__(self):
        return f"Softmax(dim={self.dim})"


class LogSoftmax(Module):
    """x − log Σ e^x along ``dim``, fused and stable (finite at ±1000): the input NLLLoss expects.

    ``dim=None`` (PyTorch's default) picks the axis as PyTorch does, with the same warning:
    axis 0 for inputs of 0, 1 or 3 axes, axis 1 otherwise (the classes of an (N, C) batch).

    >>> LogSoftmax(dim=1)(Tensor([[0.0, 0.0]])).data        # log(1/2) twice
    array([[-0.69314718, -0.69314718]])
    """

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def __init__(self, dim: int | None = None):
        self.dim = dim

    def forward(self, x):
        x = _as_tensor(x)
        dim = self.dim
        if dim is None:
            dim = 0 if x.ndim in (0, 1, 3) else 1
            warnings.warn(i18n.message("nn.implicit_dim", layer="LogSoftmax", dim=dim), UserWarning,
                          stacklevel=3)
        return x.log_softmax(dim)

    def __repr__(self):
        return f"LogSoftmax(dim={self.dim})"


class Identity(Module):
    """Returns its input unchanged (the same object); any arguments are accepted and ignored, as in
    PyTorch, so it can stand in for a layer being switched off.

    >>> x = Tensor([1.0, 2.0])
    >>> Identity(54, unused="ignored")(x) is x
    True
    """

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def __init__(self, *args, **kwargs):
        pass

    def forward(self, input):
        return input

    def __repr__(self):
        return "Identity()"


class Dropout(Module):
    """In training, zero each entry with probability p and scale the rest by 1/(1 − p); in eval, identity."""

    _input_ranks = "any"  # keeps the shape: summary() looks at the next layer

    def __init__(self, p: float = 0.5):
        if not 0.0 <= p <= 1.0:
            raise ValueError(i18n.message("nn.dropout_p", value=p))
        self.p = p

    def forward(self, x):
        return F.dropout(x, self.p, self.training)

    def __repr__(self):
        return f"Dropout(p={self.p})"


# -------------------------------------------------------------------- containers
class Sequential(Module):
    """Layers applied one after the other; parameters are named ``0.weight``, ``1.bias``, ...

    >>> model = Sequential(Linear(4096, 1000), ReLU(), Linear(1000, 10))
    >>> model.num_parameters()       # (4096·1000 + 1000) + (1000·10 + 10)
    4107010
    """

    def __init__(self, *layers):
        for i, layer in enumerate(layers):
            if not isinstance(layer, Module):
                raise TypeError(i18n.message("nn.sequential_item", index=i, type=type(layer).__name__))
            setattr(self, str(i), layer)
        self.label_parameters()

    def _layers(self):
        return [v for key, v in vars(self).items() if key.isdigit()]

    def forward(self, x):
        for layer in self._layers():
            x = layer(x)
        return x

    def append(self, layer: Module) -> Sequential:
        setattr(self, str(len(self)), layer)
        self.label_parameters()
        return self

    def __getitem__(self, i):
        layers = self._layers()
        return Sequential(*layers[i]) if isinstance(i, slice) else layers[i]

    def __len__(self):
        return len(self._layers())

    def __iter__(self):
        return iter(self._layers())

    def __repr__(self):
        children = [(str(i), repr(layer)) for i, layer in enumerate(self._layers())]
        return module_repr("Sequential", "", children)
