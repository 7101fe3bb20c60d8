"""The Tensor: the same engine as :class:`~microgradfr.engine.Value`, on numpy arrays.

Every operation goes through :func:`apply` and the op table (``ops.py``):

- elementwise ops (``+``, ``*``, ``tanh``, ...) reuse the *scalar* entries with ``xp = ARRAY``:
  ``out = op.forward(ARRAY, x, y, k)`` and, in ``backward()``, ``∂L/∂x = g · local_x`` where
  ``local = op.local(ARRAY, x, y, out, k)`` — the very rule Value uses, evaluated on arrays;
- whole-array ops (``@``, ``sum``, ``conv2d``, ...) have a ``vjp`` rule per input instead.

Broadcasting (``(3, 1) + (4,)`` gives ``(3, 4)``) is undone in one place, :func:`unbroadcast`.

>>> x = Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
>>> y = (x * x).sum()            # y = Σ x²
>>> y.backward()
>>> x.grad                       # ∂y/∂x = 2x
array([[2., 4.],
       [6., 8.]])
"""
from __future__ import annotations

import math
import numbers
from typing import NamedTuple

import numpy as np

from . import i18n
from .autograd import is_grad_enabled, topological_order
from .kernels.arrays import MAX_INPUTS
from .node_methods import MATRIX_OPERATORS, OPERATORS, NodeMethods, install_operators, record
from .ops import ARRAY, OPS, Op
from .random import source

__all__ = ["Tensor", "apply", "unbroadcast", "tensor", "zeros", "ones", "full", "zeros_like", "ones_like",
           "full_like", "eye", "arange", "linspace", "rand", "randn", "cat", "stack"]


def _as_array(data, dtype=None) -> np.ndarray:
    """An ndarray of floats: float32/float64 arrays are kept as they are (no copy), anything else
    becomes float64, unless ``dtype`` says otherwise."""
    if dtype is not None:
        return np.asarray(data, dtype=dtype)
    array = np.asarray(data)
    if array.dtype == np.float64 or array.dtype == np.float32:
        return array
    if array.dtype == object:
        raise TypeError(i18n.message("tensor.not_numbers", type=type(data).__name__))
    return array.astype(np.float64)


class ValuesIndices(NamedTuple):
    """What ``max(dim)`` and ``min(dim)`` return, as torch's ``return_types.max``: the values (in
    the graph) and the int64 indices where they are (no gradient)."""

    values: Tensor
    indices: Tensor


class Tensor(NodeMethods):
    """An array node of a computation graph: ``data`` (an ndarray) and, after backward, ``grad``.

    ``Tensor(data, requires_grad=False, label="", dtype=None)``: lists and numbers become float64
    arrays (exact gradient checks); a float32 array stays float32 through every op and gradient.
    An ndarray is wrapped without a copy.

    Public node protocol, the same as Value's (read by ``viz``, the tests and the optimizers):

    - ``data``: the forward value (an ndarray, settable); ``shape``, ``ndim``, ``dtype``; as in
      PyTorch, ``size()`` is the shape (``size(0)`` one axis), ``numel()`` the number of entries;
    - ``grad``: ∂root/∂self after a backward pass (an array shaped like ``data``), None before;
    - ``requires_grad``: leaves created with True are parameters; results of ops on them too;
    - ``label``, ``parents`` (ordered, may repeat), ``op`` (display name, ``""`` for a leaf),
      ``fn`` (op table entry or None) and ``k`` (its setting: an axis, a shape, a slope).
    """

    __slots__ = ("_data", "grad", "requires_grad", "label", "parents", "fn", "k", "__weakref__")
    # +, −, ×, /, **, @, -x: set by install_operators (below), from node_methods.OPERATORS;
    # op, exp, tanh, relu, …: from NodeMethods, through this:
    _apply = staticmethod(lambda op, *inputs, k=None: apply(op, *inputs, k=k))
    __array_ufunc__ = None  # ndarray + Tensor → Tensor.__radd__, not an array of objects
    __hash__ = object.__hash__  # == compares entries, so hash by identity (as torch)

    def __init__(self, data, requires_grad: bool = False, label: str = "", dtype=None):
        if isinstance(data, Tensor):
            raise TypeError(i18n.message("tensor.already_tensor"))
        self._data = _as_array(data, dtype)
        if requires_grad and not np.issubdtype(self._data.dtype, np.floating):
            raise TypeError(i18n.message("tensor.needs_floats", dtype=self._data.dtype))
        self.grad = None
        self.requires_grad = bool(requires_grad)
        self.label = label
        self.parents = ()
        self.fn = None
        self.k = None

    # ---------------------------------------------------------------- protocol
    @property
    def data(self) -> np.ndarray:
        """The array this node holds."""
        return self._data

    @data.setter
    def data(self, value):
        self._data = value if isinstance(value, np.ndarray) else _as_array(value, self._data.dtype)

    @property
    def is_leaf(self) -> bool:
        """True for a tensor no recorded op produced (data, parameters, constants)."""
        return not self.parents

    shape = property(lambda self: self._data.shape, doc="The array's shape.")
    ndim = property(lambda self: self._data.ndim, doc="The number of axes.")
    dtype = property(lambda self: self._data.dtype, doc="float64 by default, float32 if given.")

    def size(self, dim: int | None = None):
        """The shape (PyTorch's ``size()``), or the length of axis ``dim`` (negative counts from the end).

        >>> t = Tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
        >>> t.size(), t.size(0), t.size(-1)
        ((2, 3), 2, 3)
        """
        if dim is None:
            return self.shape
        if self.ndim == 0:  # as torch: a single number has no axis to measure
            raise IndexError(i18n.message("tensor.no_axes", function="size", dim=dim))
        return self.shape[self._dim("size", dim)]

    def numel(self) -> int:
        """The number of entries, Π shape (numpy's ``a.size``)."""
        return int(self._data.size)

    def nelement(self) -> int:
        """PyTorch's other name for :meth:`numel`."""
        return self.numel()

    def dim(self) -> int:
        """The number of axes (PyTorch's name for ``ndim``)."""
        return self._data.ndim

    def _dim(self, function: str, dim, extra: int = 0) -> int:
        """``dim`` made non-negative, among ndim + extra axes (unsqueeze may name one past the end);
        IndexError as in PyTorch when out of range."""
        n = self.ndim + extra
        low, high = -max(n, 1), max(n, 1) - 1
        if isinstance(dim, bool) or not isinstance(dim, numbers.Integral) or not low <= dim <= high:
            raise IndexError(i18n.message("tensor.dim_range", function=function, dim=dim, low=low, high=high,
                                          shape=self.shape))
        return int(dim) % n if n else 0

    def __len__(self) -> int:
        return len(self._data)

    def __repr__(self) -> str:
        body = np.array2string(self._data, precision=4, separator=", ", threshold=20, prefix="Tensor(")
        extra = ", requires_grad=True" if self.requires_grad and self.is_leaf else ""
        extra += f", op={self.op!r}" if self.fn is not None else ""
        extra += f", dtype={self.dtype}" if self.dtype != np.float64 else ""
        extra += f", label={self.label!r}" if self.label else ""
        return f"Tensor({body}{extra})"

    def __array__(self, dtype=None, copy=None):
        return self._data if dtype is None else self._data.astype(dtype)

    def numpy(self) -> np.ndarray:
        """The data array (shared, not copied)."""
        return self._data

    def item(self) -> float:
        """The single entry of a one-entry tensor, as a Python float."""
        if self._data.size != 1:
            raise ValueError(i18n.message("tensor.item_not_one", count=self._data.size, shape=self.shape))
        return self._data.item()

    def tolist(self):
        return self._data.tolist()

    def detach(self) -> Tensor:
        """The same data as a new leaf that no gradient flows through."""
        return Tensor(self._data)

    def clone(self) -> Tensor:
        """A copy of the data, in the graph: ∂clone/∂x = 1, so the gradient flows back to x."""
        return apply(OPS["clone"], self)

    def float(self) -> Tensor:
        """This tensor in float32 (itself if it already is), gradients flowing back in x's dtype."""
        return self if self.dtype == np.float32 else apply(OPS["clone"], self, k=np.dtype(np.float32))

    def long(self) -> Tensor:
        """The entries as int64 (a class index, a count): no gradient flows through a cast to integers."""
        return _exact(self._data.astype(np.int64))

    def int(self) -> Tensor:
        """The entries as int32, with no gradient (see :meth:`long`)."""
        return _exact(self._data.astype(np.int32))

    def bool(self) -> Tensor:
        """True where an entry is nonzero, with no gradient."""
        return _exact(self._data.astype(bool))

    def double(self) -> Tensor:
        """This tensor in float64 (itself if it already is)."""
        return self if self.dtype == np.float64 else apply(OPS["clone"], self, k=np.dtype(np.float64))

    def requires_grad_(self, requires_grad: bool = True) -> Tensor:
        """Set ``requires_grad`` in place and return the tensor (a leaf only, as in PyTorch)."""
        if self.parents and not requires_grad:
            raise RuntimeError(i18n.message("tensor.requires_grad_non_leaf"))
        if requires_grad and not np.issubdtype(self.dtype, np.floating):
            raise TypeError(i18n.message("tensor.needs_floats", dtype=self.dtype))
        self.requires_grad = bool(requires_grad) or bool(self.parents)
        return self

    def zero_(self) -> Tensor:
        """Set every entry to 0 in place and return the tensor: for data, or a parameter inside
        ``no_grad()`` (PyTorch refuses it on a tensor the graph needs, and so do we)."""
        if self.requires_grad and is_grad_enabled():
            raise RuntimeError(i18n.message("tensor.zero_in_graph"))
        self._data[...] = 0
        return self

    # ---------------------------------------------------------------- backward
    def backward(self, grad=None) -> None:
        """Back-propagate from this node: afterwards each node's ``grad`` is ∂self/∂node (summed
        with ``grad``'s weights for a non-scalar root: the vector-Jacobian product).

        Semantics are Value's and PyTorch's: leaves with ``requires_grad`` *accumulate* across
        calls (``zero_grad()`` between steps); intermediate nodes hold this pass's gradient only;
        a node used twice receives the sum of both contributions.
        """
        if not self.requires_grad:
            raise RuntimeError(i18n.message("tensor.backward_no_grad"))
        if grad is None:
            if self._data.size != 1:
                raise ValueError(i18n.message("tensor.backward_not_scalar", shape=self.shape))
            grad = np.ones_like(self._data)
        else:
            grad = np.asarray(grad.data if isinstance(grad, Tensor) else grad, dtype=self.dtype)
            if grad.shape != self.shape:
                raise ValueError(i18n.message("tensor.backward_grad_shape", grad_shape=grad.shape,
                                              shape=self.shape))
        order = topological_order(self)
        for node in order:
            if node.parents:  # intermediate nodes start afresh; leaves keep accumulating
                node.grad = None
        self._accumulate(grad)
        for node in reversed(order):
            if node.parents and node.grad is not None:
                node._propagate(node.grad)

    def _accumulate(self, g, fresh: bool = False) -> None:
        """Add ``g`` (already of this node's shape) to ``grad``.

        A leaf's grad is its own array, updated in place: ``g`` is copied unless ``fresh`` says it
        is a new array nothing else holds. An intermediate's grad may share memory with another
        gradient, so it is never modified in place.
        """
        if self.parents:
            self.grad = g if self.grad is None else self.grad + g
        elif self.grad is None:
            owned = fresh and g.flags.owndata and g.dtype == self._data.dtype
            self.grad = g if owned else np.array(g, dtype=self._data.dtype)
        else:
            self.grad += g

    def _propagate(self, g) -> None:
        """The chain rule at this node: hand each parent that needs it ∂L/∂parent."""
        fn, parents, k = self.fn, self.parents, self.k
        xs = [p._data for p in parents]
        if fn.vjp is not None:
            for parent, rule in zip(parents, fn.vjp):
                if parent.requires_grad:
                    if rule is None:
                        raise RuntimeError(i18n.message("tensor.no_gradient", op=fn.name,
                                                        input=parent.label or parent.shape))
                    grad = rule(g, *xs, self._data, k)
                    parent._accumulate(unbroadcast(grad, parent._data.shape), fresh=grad is not g)
            return
        locals_ = fn.local(ARRAY, *xs, self._data, k)
        for parent, local in zip(parents, locals_):
            if not parent.requires_grad:
                continue
            if type(local) is float:  # add, sub, neg: a constant ±1 needs no multiplication
                contribution = g if local == 1.0 else (-g if local == -1.0 else g * local)
            else:  # keep float32: a rule such as np.where(x > 0, 1.0, 0.0) returns float64
                contribution = g * local.astype(g.dtype, copy=False)
            parent._accumulate(unbroadcast(contribution, parent._data.shape), fresh=contribution is not g)

    # Comparisons give boolean tensors with no gradient, as in PyTorch: (pred == y).float().mean()
    # is an accuracy; a mask indexes (x[x > 0]) and weighs (x * (x > 0)) like any tensor.
    def __lt__(self, other):
        return _exact(self._data < _raw(other))

    def __le__(self, other):
        return _exact(self._data <= _raw(other))

    def __gt__(self, other):
        return _exact(self._data > _raw(other))

    def __ge__(self, other):
        return _exact(self._data >= _raw(other))

    def __eq__(self, other):
        return _exact(self._data == _raw(other))

    def __ne__(self, other):
        return _exact(self._data != _raw(other))

    def __bool__(self) -> bool:
        """``if t:`` for a one-entry tensor; more entries are ambiguous (use .any() or .all())."""
        if self._data.size != 1:
            raise RuntimeError(i18n.message("tensor.bool_ambiguous", count=self._data.size, shape=self.shape))
        return bool(self._data)

    def any(self) -> Tensor:
        """True if some entry is nonzero (a boolean tensor of shape (), no gradient)."""
        return _exact(self._data.any())

    def all(self) -> Tensor:
        """True if every entry is nonzero (a boolean tensor of shape (), no gradient)."""
        return _exact(self._data.all())

    # ---------------------------------------------------------------- reductions
    def sum(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None):
        """Σ over ``axis`` (all axes by default); ∂/∂x = 1, so g is copied to every summed entry.

        ``dim``/``keepdim`` are PyTorch's names for the same arguments.

        >>> Tensor([[1.0, 2.0], [3.0, 4.0]]).sum(axis=0)
        Tensor([4., 6.])
        """
        return apply(OPS["sum"], self, k=self._reduction(axis, keepdims, dim, keepdim))

    def mean(self, axis=None, keepdims: bool = False, *, dim=None, keepdim=None):
        """The average over ``axis``: Σx/n; ∂/∂x = 1/n."""
        return apply(OPS["mean"], self, k=self._reduction(axis, keepdims, dim, keepdim))

    def max(self, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
        """The largest entry, as PyTorch's: ``x.max()`` a one-entry tensor; ``x.max(dim)`` the pair
        ``(values, indices)`` along ``dim`` (``_, predicted = out.max(1)``). numpy's keywords
        ``axis=``/``keepdims=`` give the values alone. ∂/∂x = 1 at the maximum, 0 elsewhere, shared
        equally between ties (torch.max(dim) gives it all to the index it returns).

        >>> x = Tensor([[1.0, 5.0], [3.0, 2.0]])
        >>> x.max(), x.max(1).indices, x.max(axis=1)
        (Tensor(5.), Tensor([1, 0], dtype=int64), Tensor([5., 3.]))
        """
        if dim is None:
            keep = keepdim if keepdims is None else keepdims
            return apply(OPS["max"], self, k=self._reduction(axis, keep, None, None))
        values = apply(OPS["max"], self, k=self._reduction(None, False, dim, keepdim))
        return ValuesIndices(values, self.argmax(dim=dim, keepdim=keepdim))

    def min(self, dim=None, keepdim: bool = False, *, axis=None, keepdims=None):
        """The smallest entry, as :meth:`max`: −max(−x), so ∂/∂x = 1 at the minimum, 0 elsewhere.

        >>> Tensor([[1.0, 5.0], [3.0, 2.0]]).min(dim=1).values
        Tensor([1., 2.])
        """
        if dim is None:
            return -((-self).max(keepdim=keepdim, axis=axis, keepdims=keepdims))
        return ValuesIndices(-((-self).max(dim, keepdim).values), self.argmin(dim=dim, keepdim=keepdim))

    def argmax(self, dim=None, keepdim: bool = False):
        """The index of the largest entry along ``dim`` (of the flattened tensor by default), as an
        int64 tensor with no gradient; the first one for ties.

        >>> Tensor([[1.0, 5.0], [3.0, 2.0]]).argmax(dim=1)
        Tensor([1, 0], dtype=int64)
        """
        return self._arg(np.argmax, "argmax", dim, keepdim)

    def argmin(self, dim=None, keepdim: bool = False):
        """The index of the smallest entry along ``dim``, as :meth:`argmax`."""
        return self._arg(np.argmin, "argmin", dim, keepdim)

    def _arg(self, find, name, dim, keepdim):
        if dim is None:
            index = find(self._data)
            return Tensor(np.full((1,) * self.ndim if keepdim else (), index, dtype=np.int64), dtype=np.int64)
        axis = self._dim(name, dim)
        if self.ndim == 0:  # dim 0 or −1 of a single number: its only index, 0 (as torch)
            return Tensor(np.zeros((), dtype=np.int64), dtype=np.int64)
        return Tensor(find(self._data, axis=axis, keepdims=bool(keepdim)).astype(np.int64), dtype=np.int64)

    def _reduction(self, axis, keepdims, dim, keepdim):
        """k = (axis as a tuple of non-negative ints or None, keepdims)."""
        axis = dim if dim is not None else axis
        keepdims = keepdim if keepdim is not None else keepdims
        if axis is None:
            return (None, bool(keepdims))
        axes = (axis,) if isinstance(axis, numbers.Integral) else tuple(axis)
        if any(not -self.ndim <= a < self.ndim for a in axes):
            raise ValueError(i18n.message("tensor.axis_range", axis=axis, shape=self.shape))
        return (tuple(sorted({a % self.ndim for a in axes})), bool(keepdims))

    # ---------------------------------------------------------------- shapes
    def reshape(self, *shape):
        """The same entries in a new shape (one axis may be −1); ∂: g reshaped back.

        >>> Tensor([1.0, 2.0, 3.0, 4.0]).reshape(2, 2).shape
        (2, 2)
        """
        shape = tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], (tuple, list)) else shape
        try:
            target = _reshape_target(self.shape, shape)
        except ValueError as error:
            raise ValueError(i18n.message("tensor.reshape", shape=self.shape, count=self.numel(),
                                          target=shape, reason=error)) from None
        return apply(OPS["reshape"], self, k=target)

    view = reshape

    def unsqueeze(self, dim: int):
        """A new axis of length 1 at ``dim`` (−1: last): a reshape, so ∂ is g reshaped back.

        >>> Tensor([1.0, 2.0]).unsqueeze(0).shape, Tensor([1.0, 2.0]).unsqueeze(-1).shape
        ((1, 2), (2, 1))
        """
        axis = self._dim("unsqueeze", dim, extra=1)
        return apply(OPS["reshape"], self, k=self.shape[:axis] + (1,) + self.shape[axis:])

    def squeeze(self, dim=None):
        """Drop the axes of length 1 (only ``dim``'s, an int or a tuple, if given; an axis longer
        than 1 stays, as in PyTorch): a reshape.

        >>> Tensor([[[1.0], [2.0]]]).squeeze().shape, Tensor([[[1.0], [2.0]]]).squeeze(0).shape
        ((2,), (2, 1))
        """
        if dim is None:
            axes = set(range(self.ndim))
        else:
            axes = {self._dim("squeeze", d) for d in (dim if isinstance(dim, (tuple, list)) else (dim,))}
        target = tuple(n for i, n in enumerate(self.shape) if not (i in axes and n == 1))
        return apply(OPS["reshape"], self, k=target)

    def flatten(self, start_dim: int = 0, end_dim: int = -1):
        """Merge axes start_dim..end_dim into one (PyTorch's ``flatten``): a reshape."""
        start, end = (a % self.ndim if self.ndim else 0 for a in (start_dim, end_dim))
        if self.ndim == 0:
            return self.reshape(1)
        return self.reshape(*self.shape[:start], -1, *self.shape[end + 1:])

    def permute(self, *dims):
        """The axes in the order ``dims`` (numpy's ``transpose``): ``permute(2, 0, 1)`` or
        ``permute((2, 0, 1))``; every axis listed once. ∂: g permuted back.
        """
        axes = dims
        if len(axes) == 1 and isinstance(axes[0], (tuple, list)):
            axes = tuple(axes[0])
        if not axes:
            axes = tuple(reversed(range(self.ndim)))
        if sorted(a % self.ndim for a in axes) != list(range(self.ndim)):
            raise ValueError(i18n.message("tensor.permute_axes", axes=axes, ndim=self.ndim,
                                          shape=self.shape))
        return apply(OPS["transpose"], self, k=tuple(a % self.ndim for a in axes))

    def transpose(self, dim0: int, dim1: int):
        """Axes ``dim0`` and ``dim1`` exchanged, as PyTorch's (numpy's ``transpose``, which lists
        every axis, is :meth:`permute`). ∂: g swapped back.

        >>> Tensor([[1.0, 2.0, 3.0]]).transpose(0, 1).shape
        (3, 1)
        """
        return self.swapaxes(self._dim("transpose", dim0), self._dim("transpose", dim1))

    def swapaxes(self, axis1: int, axis2: int):
        """Exchange two axes (numpy's name for :meth:`transpose`)."""
        axes = list(range(self.ndim))
        axes[axis1], axes[axis2] = axes[axis2], axes[axis1]
        return apply(OPS["transpose"], self, k=tuple(axes))

    @property
    def T(self):
        """All axes reversed (the matrix transpose for 2 axes)."""
        return self.permute()

    def __getitem__(self, index):
        """Entries selected by ints, slices, None, ... or integer/boolean arrays (as numpy).
        ∂: g put back where the entries came from; an entry selected twice gets both gradients."""
        if isinstance(index, tuple):
            index = tuple(_raw(i) for i in index)
        else:
            index = _raw(index)
        return apply(OPS["getitem"], self, k=index)

    # ---------------------------------------------------------------- PyTorch's other names
    def pow(self, exponent):
        """``x ** exponent`` (a number, or a tensor: then ∂/∂exponent too)."""
        return self ** exponent

    def matmul(self, other):
        """``x @ other``, batched and broadcast as numpy's (and torch's) matmul."""
        return self @ other

    def mm(self, mat2):
        """The product of two matrices (2-D only, as torch.mm; :meth:`matmul` for the rest)."""
        other = _lift(mat2, self)
        if self.ndim != 2 or other.ndim != 2:
            raise RuntimeError(i18n.message("tensor.mm_not_2d", x=self.shape, y=other.shape))
        return self @ other

    def clamp(self, min=None, max=None):
        """Each entry held inside [min, max] (either bound may be None), as torch.clamp:
        ∂/∂x = 1 where min ≤ x ≤ max (the bounds included, as torch), 0 outside.

        Written with primitives, not an entry of its own: x·m + c, with the mask m = [min ≤ x ≤ max]
        and c = clip(x)·(1 − m) two constants, so the node's derivative is exactly m.

        >>> x = Tensor([-2.0, 0.5, 3.0], requires_grad=True)
        >>> y = x.clamp(min=-1.0, max=1.0); y.sum().backward()
        >>> y.data, x.grad
        (array([-1. ,  0.5,  1. ]), array([0., 1., 0.]))
        """
        if min is None and max is None:
            raise RuntimeError(i18n.message("tensor.clamp_none"))
        data = self._data
        inside = np.ones(data.shape, dtype=bool)
        if min is not None:
            inside &= data >= min
        if max is not None:
            inside &= data <= max
        clipped = np.clip(data, min, max).astype(data.dtype, copy=False)
        mask = inside.astype(data.dtype)
        with np.errstate(invalid="ignore"):  # ±inf · 0 outside: replaced by the bound just below
            out = self * _Constant(mask) + _Constant(np.where(inside, 0, clipped).astype(data.dtype))
        out._data = clipped  # the same numbers, but ±inf outside gives the bound, not inf·0 = NaN
        return out

    clip = clamp

    # ---------------------------------------------------------------- softmax
    def softmax(self, axis: int = -1, *, dim=None):
        """e^x / Σ e^x along ``axis`` (stable: the max is subtracted first)."""
        return apply(OPS["softmax"], self, k=self._axis(axis if dim is None else dim))

    def log_softmax(self, axis: int = -1, *, dim=None):
        """x − log Σ e^x along ``axis``, computed stably (finite at ±1000)."""
        return apply(OPS["log_softmax"], self, k=self._axis(axis if dim is None else dim))

    def _axis(self, axis):
        if not -self.ndim <= axis < max(self.ndim, 1):
            raise ValueError(i18n.message("tensor.axis_range", axis=axis, shape=self.shape))
        return axis % self.ndim if self.ndim else 0


def _reshape_target(shape, new_shape):
    """The shape ``new_shape`` resolves to (−1 filled in), or ValueError saying why not."""
    size = int(np.prod(shape))
    unknown = [i for i, n in enumerate(new_shape) if n == -1]
    if len(unknown) > 1:
        raise ValueError(i18n.message("tensor.reshape_two_unknown"))
    known = int(np.prod([n for n in new_shape if n != -1]))
    if unknown:
        if known == 0 or size % known:
            raise ValueError(i18n.message("tensor.reshape_not_multiple", size=size, known=known))
        new_shape = tuple(size // known if n == -1 else n for n in new_shape)
    elif known != size:
        raise ValueError(i18n.message("tensor.reshape_count", known=known))
    return tuple(int(n) for n in new_shape)


def _exact(array) -> Tensor:
    """A grad-less Tensor keeping the array's dtype (bool, int64): ``Tensor(array)`` would make floats."""
    return Tensor(np.asarray(array), dtype=np.asarray(array).dtype)


def _raw(x):
    """The array inside a Tensor; anything else as is."""
    return x._data if isinstance(x, Tensor) else x


class _Constant(Tensor):
    """A plain number or array inside an expression (``2 * x``): viz draws it as a constant."""

    __slots__ = ()
    constant = True


def _binary_method(op: Op, reflected: bool = False):
    """The method ``x.__mul__(y)`` (``__rmul__`` when ``reflected``): ``op`` on (x, y), or on
    (y, x), a number or array ``y`` becoming a constant of x's dtype. ``@`` is "matmul", batched
    over leading axes as ``np.matmul``."""
    if reflected:
        return lambda self, other: apply(op, _lift(other, self), self)
    return lambda self, other: apply(op, self, _lift(other, self))


# Each operator applies its op table entry, as Value's do: ``x * y`` is "mul" on (x, y).
install_operators(Tensor, _binary_method, lambda op, x, k=None: apply(op, x, k=k),
                  OPERATORS + MATRIX_OPERATORS)


def _lift(other, like: Tensor) -> Tensor:
    """A Tensor as is; a number becomes a constant leaf of ``like``'s dtype (so 2 * x keeps float32)."""
    if isinstance(other, Tensor):
        return other
    if isinstance(other, numbers.Number):
        return _Constant(np.asarray(other, dtype=like._data.dtype))
    return _Constant(other)


def tensor(data, requires_grad: bool = False, dtype=None) -> Tensor:
    """A tensor whose dtype is inferred from ``data`` as ``torch.tensor`` does: integers give int64
    (class labels, indices), booleans bool, anything else floats (float64 here, unless ``dtype``).
    ``Tensor(data)``, like ``torch.Tensor(data)``, always makes floats.

    >>> tensor([0, 2, 1]).dtype, tensor([True]).dtype, tensor([0.5, 1]).dtype, Tensor([0, 2]).dtype
    (dtype('int64'), dtype('bool'), dtype('float64'), dtype('float64'))
    """
    if dtype is None and not isinstance(data, Tensor):
        kind = np.asarray(data).dtype.kind
        dtype = np.int64 if kind in "iu" else (np.bool_ if kind == "b" else None)
    return Tensor(data, requires_grad=requires_grad, dtype=dtype)


# -------------------------------------------------------------------- creation, as torch.zeros, ...
# Floats are float64 unless dtype= says otherwise (the engine's default, for exact gradient checks;
# torch's is float32). A shape is given as ints or as one tuple: zeros(2, 3) or zeros((2, 3)).
def _shape(function: str, size) -> tuple:
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        size = tuple(size[0])
    if not all(isinstance(n, numbers.Integral) and not isinstance(n, bool) and n >= 0 for n in size):
        raise TypeError(i18n.message("tensor.bad_shape", function=function, shape=size))
    return tuple(int(n) for n in size)


def _made(array, dtype, requires_grad) -> Tensor:
    return Tensor(array, requires_grad=requires_grad, dtype=np.float64 if dtype is None else dtype)


def zeros(*size, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of 0s of shape ``size``.

    >>> zeros(2, 3).shape, zeros((2, 3)).shape
    ((2, 3), (2, 3))
    """
    return _made(np.zeros(_shape("zeros", size)), dtype, requires_grad)


def ones(*size, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of 1s of shape ``size``."""
    return _made(np.ones(_shape("ones", size)), dtype, requires_grad)


def full(size, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """A tensor of shape ``size`` (a tuple) holding ``fill_value`` everywhere.

    >>> full((2,), 7.0)
    Tensor([7., 7.])
    """
    return _made(np.full(_shape("full", (size,)), fill_value, dtype=float), dtype, requires_grad)


def _like(input, dtype):
    return input.dtype if dtype is None and isinstance(input, Tensor) else dtype


def zeros_like(input, dtype=None, requires_grad: bool = False) -> Tensor:
    """0s of ``input``'s shape (and dtype, unless ``dtype`` says otherwise)."""
    return _made(np.zeros(np.shape(input)), _like(input, dtype), requires_grad)


def ones_like(input, dtype=None, requires_grad: bool = False) -> Tensor:
    """1s of ``input``'s shape (and dtype, unless ``dtype`` says otherwise)."""
    return _made(np.ones(np.shape(input)), _like(input, dtype), requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad: bool = False) -> Tensor:
    """``fill_value`` everywhere, in ``input``'s shape (and dtype)."""
    return _made(np.full(np.shape(input), fill_value, dtype=float), _like(input, dtype), requires_grad)


def eye(n: int, m: int | None = None, dtype=None, requires_grad: bool = False) -> Tensor:
    """The n × m identity matrix (m = n by default): 1 on the diagonal, 0 elsewhere.

    >>> eye(2)
    Tensor([[1., 0.],
           [0., 1.]])
    """
    shape = _shape("eye", (n, n if m is None else m))
    return _made(np.eye(*shape), dtype, requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad: bool = False) -> Tensor:
    """start, start + step, … up to ``end`` excluded (``arange(5)``: 0 to 4). Integers give int64, as
    torch; a float argument gives floats.

    >>> arange(4), arange(0.0, 1.0, 0.25)
    (Tensor([0, 1, 2, 3], dtype=int64), Tensor([0.  , 0.25, 0.5 , 0.75]))
    """
    if end is None:
        start, end = 0, start
    if step == 0:
        raise ValueError(i18n.message("tensor.arange_step"))
    whole = all(isinstance(v, numbers.Integral) for v in (start, end, step))
    if dtype is None:
        dtype = np.int64 if whole else np.float64
    # torch's count, ⌈(end − start)/step⌉ entries, then start + i·step (no accumulated rounding)
    count = max(0, math.ceil((end - start) / step))
    return Tensor(start + np.arange(count) * step, requires_grad=requires_grad, dtype=dtype)


def linspace(start, end, steps: int, dtype=None, requires_grad: bool = False) -> Tensor:
    """``steps`` evenly spaced numbers from start to end, both included.

    >>> linspace(0.0, 1.0, 5)
    Tensor([0.  , 0.25, 0.5 , 0.75, 1.  ])
    """
    if isinstance(steps, bool) or not isinstance(steps, numbers.Integral) or steps < 0:
        raise ValueError(i18n.message("tensor.linspace_steps", steps=steps))
    return _made(np.linspace(start, end, steps), dtype, requires_grad)


def rand(*size, generator=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Uniform on [0, 1), drawn from ``generator`` or the default source (``manual_seed`` fixes it)."""
    return _made(source(generator).random(_shape("rand", size)), dtype, requires_grad)


def randn(*size, generator=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Standard normal N(0, 1), drawn from ``generator`` or the default source (``manual_seed`` fixes it)."""
    return _made(source(generator).standard_normal(_shape("randn", size)), dtype, requires_grad)


def randint(*args, generator=None, dtype=None, requires_grad: bool = False) -> Tensor:
    """Integers drawn uniformly from low ≤ n < high, in shape ``size``: ``randint(high, size)`` or
    ``randint(low, high, size)``, as torch; int64 unless ``dtype`` says otherwise.

    >>> randint(0, 3, (5,)).shape, randint(10, (2, 2)).dtype
    ((5,), dtype('int64'))
    """
    if len(args) == 2:
        args = (0, *args)
    if len(args) != 3 or not all(isinstance(v, numbers.Integral) for v in args[:2]) or args[0] >= args[1]:
        raise TypeError(i18n.message("tensor.randint_args", args=args))
    low, high, size = args
    shape = _shape("randint", size if isinstance(size, (tuple, list)) else (size,))
    return Tensor(source(generator).integers(low, high, shape), requires_grad=requires_grad,
                  dtype=np.int64 if dtype is None else dtype)


def randperm(n: int, generator=None, dtype=None) -> Tensor:
    """0, 1, …, n − 1 in a random order (int64), as torch.randperm.

    >>> sorted(randperm(4).tolist())
    [0, 1, 2, 3]
    """
    (n,) = _shape("randperm", (n,))
    return Tensor(source(generator).permutation(n), dtype=np.int64 if dtype is None else dtype)


def multinomial(input, num_samples: int, replacement: bool = False, generator=None) -> Tensor:
    """Indices drawn with probabilities proportional to ``input``'s entries (one row of weights, or
    one draw per row of a matrix), as torch.multinomial; no gradient. Without ``replacement`` each
    index comes at most once per row.

    >>> multinomial(Tensor([0.0, 1.0, 0.0]), 2, replacement=True).tolist()
    [1, 1]
    """
    weights = np.asarray(_raw(input), dtype=np.float64)
    rows = np.atleast_2d(weights)
    if weights.ndim not in (1, 2) or (rows < 0).any() or not np.isfinite(rows).all() \
            or (rows.sum(axis=1) <= 0).any():
        raise RuntimeError(i18n.message("tensor.multinomial_weights", shape=weights.shape))
    if not replacement and num_samples > np.count_nonzero(rows, axis=1).min():
        raise RuntimeError(i18n.message("tensor.multinomial_too_many", n=num_samples,
                                        available=int(np.count_nonzero(rows, axis=1).min())))
    rng = source(generator)
    drawn = np.stack([rng.choice(len(row), size=num_samples, replace=replacement, p=row / row.sum())
                      for row in rows])
    return Tensor(drawn if weights.ndim == 2 else drawn[0], dtype=np.int64)


# -------------------------------------------------------------------- joining: cat, stack
def _tensors(function: str, tensors) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, (list, tuple)):
        raise TypeError(i18n.message("tensor.not_a_sequence", function=function, type=type(tensors).__name__))
    return [t if isinstance(t, Tensor) else Tensor(t) for t in tensors]


def _join(op: Op, tensors: list, axis: int) -> Tensor:
    """One node for up to MAX_INPUTS inputs (one vjp rule each); more are joined in groups first."""
    if len(tensors) <= MAX_INPUTS:
        return apply(op, *tensors, k=axis)
    groups = [tensors[i:i + MAX_INPUTS] for i in range(0, len(tensors), MAX_INPUTS)]
    return _join(OPS["cat"], [_join(op, group, axis) for group in groups], axis)


def cat(tensors, dim: int = 0) -> Tensor:
    """The tensors joined end to end along the axis ``dim`` (every other axis must agree).
    ∂: each input gets back the slice of g that it filled.

    >>> cat([Tensor([[1.0, 2.0]]), Tensor([[3.0, 4.0]])]).shape, cat([zeros(2, 1), ones(2, 3)], dim=1).shape
    ((2, 2), (2, 4))
    """
    tensors = _tensors("cat", tensors)
    if not tensors:
        raise ValueError(i18n.message("tensor.cat_empty", op="cat"))
    axis = tensors[0]._dim("cat", dim) if tensors[0].ndim else 0
    return _join(OPS["cat"], tensors, axis)


def stack(tensors, dim: int = 0) -> Tensor:
    """The tensors, all of one shape, stacked along a new axis ``dim``: n tensors of shape s give
    (n, *s) for dim = 0. ∂: each input gets back its own entry of g along that axis.

    >>> stack([Tensor([1.0, 2.0]), Tensor([3.0, 4.0])], dim=1)
    Tensor([[1., 3.],
           [2., 4.]])
    """
    tensors = _tensors("stack", tensors)
    if not tensors:
        raise ValueError(i18n.message("tensor.cat_empty", op="stack"))
    axis = tensors[0]._dim("stack", dim, extra=1)
    if len(tensors) <= MAX_INPUTS:
        return apply(OPS["stack"], *tensors, k=axis)
    OPS["stack"].check(*[t._data for t in tensors], axis)  # the shapes must agree, in stack's words
    return _join(OPS["cat"], [t.unsqueeze(axis) for t in tensors], axis)  # many: cat of unsqueezed


# -------------------------------------------------------------------- the one apply and unbroadcast
def unbroadcast(grad: np.ndarray, shape: tuple) -> np.ndarray:
    """Sum ``grad`` back to ``shape``: the adjoint of broadcasting ``shape`` up to ``grad.shape``.

    An input broadcast along an axis was used once per entry of that axis, so its gradient is
    the sum along it. This is the only place the engine undoes broadcasting.

    >>> unbroadcast(np.ones((2, 3)), (3,))
    array([2., 2., 2.])
    >>> unbroadcast(np.ones((2, 3)), (2, 1))
    array([[3.],
           [3.]])
    """
    if grad.shape == shape:
        return grad
    extra = grad.ndim - len(shape)
    axes = tuple(range(extra)) + tuple(extra + i for i, n in enumerate(shape)
                                       if n == 1 and grad.shape[extra + i] != 1)
    summed = grad.sum(axis=axes) if axes else grad
    return summed.reshape(shape)


def _check_domain(op: Op, xs, k) -> None:
    """Raise the op's own error (as Value would) for the first entry outside its domain."""
    mask = op.domain.mask(*xs, k)
    if mask is None or not mask.any():
        return
    bad = np.argwhere(mask)
    first = tuple(int(i) for i in bad[0])
    scalars = [float(np.broadcast_to(x, mask.shape)[first]) for x in xs]
    where = i18n.message("op.bad_entries", count=len(bad), size=mask.size, index=list(first))
    try:
        op.check(*scalars,
                 k if not isinstance(k, np.ndarray) else float(np.broadcast_to(k, mask.shape)[first]))
    except (ValueError, ZeroDivisionError) as error:
        raise type(error)(i18n.message("op.where", error=error, where=where)) from None
    raise ValueError(f"{op.name}: {where}")  # the masks and checks agree; kept as a safety net


def apply(op: Op, *inputs: Tensor, k=None) -> Tensor:
    """Apply a table op to Tensors and record the node (if a gradient will be needed).

    An elementwise op computes ``op.forward(ARRAY, ...)``; the result remembers its parents
    only when gradients are enabled and some input requires them (data-only work builds no graph).

    >>> from microgradfr.ops import OPS
    >>> apply(OPS["mul"], Tensor([1.0, 2.0]), Tensor([3.0, 4.0]))
    Tensor([3., 8.])
    """
    xs = [t._data for t in inputs]
    if op.vjp is None:
        if op.domain.rules:
            _check_domain(op, xs, k)
    elif op.check is not None:
        op.check(*xs, k)
    data = op.forward(ARRAY, *xs, k)
    out = Tensor.__new__(Tensor)
    out._data = data if type(data) is np.ndarray else np.asarray(data)
    out.grad = None
    out.label = ""
    out.requires_grad = record(out, op, inputs, k, needed=any([t.requires_grad for t in inputs]))
    return out
