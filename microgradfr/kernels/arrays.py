"""The adjoints of the Tensor's matrix, reduction and indexing ops, named by the op table.

Each ``*_dx`` is a vector-Jacobian product: given the upstream gradient ``g = ∂L/∂out`` it returns
``∂L/∂x``. A result may have the *broadcast* shape (matmul's batch axes); the Tensor sums it back
to the input's shape in one place, ``unbroadcast``. Nothing here modifies ``g`` or the inputs.

Joining (``cat``, ``stack``): the n inputs are laid side by side along ``axis``, so the adjoint
cuts g back into the same pieces: for ``cat``, input i gets the slice of g that it filled,
``g[..., offset_i : offset_i + n_i, ...]``; for ``stack``, input i gets ``g[..., i, ...]``.
"""
from __future__ import annotations

import math
from functools import partial

import numpy as np

__all__ = ["mT", "expand", "count", "max_dx", "matmul_dx", "matmul_dy",
           "linear_forward", "linear_dx", "linear_dw", "linear_db", "getitem_dx",
           "MAX_INPUTS", "cat_forward", "stack_forward", "cat_rules", "stack_rules",
           "where_dx", "where_dy"]


def mT(a):
    """The matrix transpose of the last two axes (a stack of matrices stays a stack)."""
    return np.swapaxes(a, -1, -2)


# --------------------------------------------------------------------------- reductions
def expand(g, shape, axis, keepdims):
    """Broadcast the gradient of a reduction back over the reduced axes (the adjoint of a sum)."""
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, shape)


def count(shape, axis):
    """How many entries a reduction over ``axis`` sums together."""
    if axis is None:
        return math.prod(shape)
    return math.prod(shape[a] for a in axis)


def max_dx(g, x, out, axis, keepdims):
    """∂L/∂x of a max: g at the maximum, shared equally between ties (as torch.amax), 0 elsewhere."""
    winners = x == expand(out, x.shape, axis, keepdims)
    ties = winners.sum(axis=axis, keepdims=True).astype(x.dtype)
    return winners * (expand(g, x.shape, axis, keepdims) / ties)


# --------------------------------------------------------------------------- matrix products
def matmul_dx(g, x, y, out, k):
    """∂L/∂x of x @ y: g @ yᵀ, with numpy's rules for a vector operand."""
    if y.ndim == 1:                  # (..., n) @ (n,) -> (...): dx = g ⊗ y
        return np.multiply.outer(g, y)
    if x.ndim == 1:                  # (n,) @ (..., n, m) -> (..., m): dx = y @ g
        return (y @ g[..., None])[..., 0]
    return g @ mT(y)                 # dx = g @ yᵀ


def matmul_dy(g, x, y, out, k):
    """∂L/∂y of x @ y: xᵀ @ g, with numpy's rules for a vector operand."""
    if x.ndim == 1 and y.ndim == 1:  # a dot product
        return g * x
    if x.ndim == 1:                  # dy = x ⊗ g
        return x[:, None] * g[..., None, :]
    if y.ndim == 1:                  # dy = xᵀ @ g
        return (mT(x) @ g[..., None])[..., 0]
    return mT(x) @ g                 # dy = xᵀ @ g


def linear_forward(x, w, *b_k):
    """PyTorch's F.linear: x @ Wᵀ (+ b), with W of shape (out_features, in_features)."""
    out = x @ mT(w)
    if len(b_k) == 2:
        out += b_k[0]
    return out


def linear_dx(g, x, w, *rest):
    """∂L/∂x = g @ W."""
    return g @ w


def linear_dw(g, x, w, *rest):
    """∂L/∂W = gᵀ @ x, summed over every leading axis of x."""
    return g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])


def linear_db(g, x, w, b, out, k):
    """∂L/∂b = Σ g over every leading axis."""
    return g.reshape(-1, g.shape[-1]).sum(axis=0)


# --------------------------------------------------------------------------- indexing
def _is_basic_index(index) -> bool:
    """Ints, slices, None and ... select a view with no repeats; arrays may repeat entries."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts)


def getitem_dx(g, x, index):
    """∂L/∂x of x[index]: g put back at the selected entries, summed where an entry repeats."""
    dx = np.zeros(x.shape, dtype=np.result_type(x, g))
    if _is_basic_index(index):
        dx[index] = g
    else:
        np.add.at(dx, index, g)  # an entry picked twice gets both gradients
    return dx


# --------------------------------------------------------------------------- joining: cat and stack
MAX_INPUTS = 64
"""How many inputs one cat or stack node joins (one vjp rule each); the Tensor joins more in groups."""


def cat_forward(*xs_k):
    """The inputs (xs…, axis) joined end to end along ``axis``."""
    return np.concatenate(xs_k[:-1], axis=xs_k[-1])


def stack_forward(*xs_k):
    """The inputs (xs…, axis), all of one shape, stacked along a new ``axis``."""
    return np.stack(xs_k[:-1], axis=xs_k[-1])


def _cat_dx(i, g, *xs_out_k):
    """∂L/∂x_i of cat: the slice of g that x_i filled (None: no input i, as for linear's bias)."""
    xs, axis = xs_out_k[:-2], xs_out_k[-1]
    if i >= len(xs):
        return None
    start = sum(x.shape[axis] for x in xs[:i])
    index = (slice(None),) * axis + (slice(start, start + xs[i].shape[axis]),)
    return g[index]


def _stack_dx(i, g, *xs_out_k):
    """∂L/∂x_i of stack: g's entry i along the new axis."""
    xs, axis = xs_out_k[:-2], xs_out_k[-1]
    if i >= len(xs):
        return None
    return np.take(g, i, axis=axis)


def cat_rules():
    """One vjp rule per input position, up to :data:`MAX_INPUTS`."""
    return tuple(partial(_cat_dx, i) for i in range(MAX_INPUTS))


def stack_rules():
    """One vjp rule per input position, up to :data:`MAX_INPUTS`."""
    return tuple(partial(_stack_dx, i) for i in range(MAX_INPUTS))


# --------------------------------------------------------------------------- selecting: where
# out = where(c, x, y) takes x's entry where the boolean c holds and y's elsewhere, so
# ∂out/∂x = [c] and ∂out/∂y = [not c]: each side gets g where it was chosen and an exact 0
# elsewhere (g is never multiplied by the other side, so an inf or a NaN there makes no NaN).
# The results have the broadcast shape; the Tensor sums them back (unbroadcast).
def where_dx(g, condition, x, y, out, k):
    """∂L/∂x of where(condition, x, y): g where the condition holds, 0 elsewhere."""
    return np.where(condition, g, np.zeros((), g.dtype))


def where_dy(g, condition, x, y, out, k):
    """∂L/∂y of where(condition, x, y): g where the condition fails, 0 elsewhere."""
    return np.where(condition, np.zeros((), g.dtype), g)
