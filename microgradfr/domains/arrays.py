"""The domains of the whole-array ops: shape rules, and how the tests draw small cases.

Each ``_sample_*`` draws ``(arrays, k)`` through the :class:`~microgradfr.domains.base.Draw`
interface: the op's inputs and its setting, small enough for central differences over every
entry. ``k`` may be a function of the inputs' data (batch_norm's batch statistics depend on x).
"""
from __future__ import annotations

import math

from ..kernels.conv import pair_text
from ..kernels.norm import BatchNormK
from .base import Domain, Interval, Rule

# The rules' messages are keys of the catalogue (microgradfr.i18n, "domain.*" and "tensor.cat_*"): a student
# reads them in the language of the switch. Their fields: op, the inputs by the domain's names (x, y or
# x, w, b; cat and stack's shapes and count), the setting k, and what a rule's facts add.

__all__ = ["MATMUL", "LINEAR", "REDUCE", "REDUCE_DISTINCT", "RESHAPE", "TRANSPOSE", "INDEX", "SOFTMAX",
           "CONV2D", "POOL", "POOL_DISTINCT", "BATCH_NORM", "CROSS_ENTROPY", "BCE",
           "COPY", "CAT", "STACK", "WHERE"]


# --------------------------------------------------------------------------- products
def _inner(y):
    """The axis of y that x @ y sums over."""
    return y.shape[0] if y.ndim == 1 else y.shape[-2]


def _sample_matmul(draw):
    n, m, a = draw.integer(1, 3), draw.integer(1, 3), draw.integer(1, 3)
    batch = draw.shape(1, 2, max_side=2)
    x_shape, y_shape = draw.choice([
        ((a, n), (n, m)),                    # 2-d
        ((*batch, a, n), (*batch, n, m)),    # batched
        ((*batch, a, n), (n, m)),            # broadcast
        ((n,), (*batch, n, m)),              # vector @ matrix
        ((*batch, a, n), (n,)),              # matrix @ vector
        ((n,), (n,)),                        # dot product
    ])
    return (draw.array(x_shape), draw.array(y_shape)), None


MATMUL = Domain("matmul", sample=_sample_matmul, rules=(
    Rule(lambda x, y, k: x.ndim == 0 or y.ndim == 0,
         "domain.matmul_no_axis"),
    Rule(lambda x, y, k: x.shape[-1] != _inner(y),
         "domain.matmul_shapes", facts=lambda x, y, k: {"last": x.shape[-1], "inner": _inner(y)}),
))


def _sample_linear(draw):
    n_in, n_out = draw.integer(1, 3), draw.integer(1, 3)
    batch = draw.shape(0, 2)
    arrays = (draw.array((*batch, n_in)), draw.array((n_out, n_in)))
    if draw.boolean():
        arrays += (draw.array((n_out,)),)
    return arrays, None


LINEAR = Domain("linear", sample=_sample_linear, inputs=("x", "w", "b"), rules=(
    Rule(lambda x, w, *b_k: x.ndim == 0 or x.shape[-1] != w.shape[-1],
         "domain.linear_in_features", facts=lambda x, w, *b_k: {"in_features": w.shape[-1]}),
))


# --------------------------------------------------------------------------- reductions and shapes
def _sample_reduce(draw, unique=False):
    """k = (axis, keepdims): axis None (every axis) or a non-empty sorted tuple of axes."""
    shape = draw.shape(0, 3)
    keepdims = draw.boolean()
    axis = None if not shape or draw.boolean() else draw.subset(len(shape))
    return (draw.array(shape, unique=unique),), (axis, keepdims)


def _sample_reshape(draw):
    shape = draw.shape(1, 3)
    size = math.prod(shape)
    target = draw.choice([(size,), (1, size), (size, 1), tuple(reversed(shape)), (*shape, 1)])
    return (draw.array(shape),), target


def _sample_transpose(draw):
    shape = draw.shape(1, 3)
    return (draw.array(shape),), draw.permutation(len(shape))


def _sample_index(draw):
    shape = draw.shape(1, 3)
    n = shape[0]
    kind = draw.choice(["int", "slice", "array", "ellipsis"])
    if kind == "int":
        index = draw.integer(-n, n - 1)
    elif kind == "slice":
        index = slice(draw.integer(0, n - 1), draw.integer(1, n), draw.integer(1, 2))
    elif kind == "array":  # repeats allowed
        index = draw.index_array(0, n - 1, draw.integer(1, 4))
    else:
        index = (Ellipsis, 0)
    return (draw.array(shape),), index


def _sample_softmax(draw):
    shape = draw.shape(1, 3)
    return (draw.array(shape),), draw.integer(0, len(shape) - 1)


REDUCE = Domain("reduce", sample=_sample_reduce)
REDUCE_DISTINCT = Domain("reduce_distinct", sample=lambda draw: _sample_reduce(draw, unique=True))
"""max: entries at least 0.1 apart, so that no tie (where max has no derivative) is drawn."""
RESHAPE = Domain("reshape", sample=_sample_reshape)
COPY = Domain("copy", sample=lambda draw: ((draw.array(draw.shape(0, 3)),), None))
"""clone: any array; k is the copy's dtype (None keeps the input's)."""
TRANSPOSE = Domain("transpose", sample=_sample_transpose)
INDEX = Domain("index", sample=_sample_index)
SOFTMAX = Domain("softmax", sample=_sample_softmax)


# --------------------------------------------------------------------------- joining: cat and stack
# k = axis, non-negative (the Tensor resolves a negative dim first). The inputs are xs[:-1].
def _sample_cat(draw):
    shape = list(draw.shape(1, 3))
    axis = draw.integer(0, len(shape) - 1)
    arrays = []
    for _ in range(draw.integer(1, 3)):
        shape[axis] = draw.integer(1, 3)
        arrays.append(draw.array(tuple(shape)))
    return tuple(arrays), axis


def _sample_stack(draw):
    shape = draw.shape(0, 2)
    arrays = tuple(draw.array(shape) for _ in range(draw.integer(1, 3)))
    return arrays, draw.integer(0, len(shape))


def _shapes_text(*xs_k):
    return {"shapes": ", ".join(str(x.shape) for x in xs_k[:-1]), "count": len(xs_k) - 1}


def _cat_mismatch(*xs_k):
    """True when two inputs differ outside the joining axis (or in their number of axes)."""
    xs, axis = xs_k[:-1], xs_k[-1]
    keep = [x.shape[:axis] + x.shape[axis + 1:] for x in xs]
    return any(x.ndim != xs[0].ndim for x in xs) or any(rest != keep[0] for rest in keep)


CAT = Domain("cat", sample=_sample_cat, rules=(
    Rule(lambda *xs_k: len(xs_k) < 2, "tensor.cat_empty", facts=_shapes_text),
    Rule(lambda *xs_k: any(x.ndim == 0 for x in xs_k[:-1]), "tensor.cat_zero_dim", facts=_shapes_text),
    Rule(_cat_mismatch, "tensor.cat_shapes", error=RuntimeError, facts=_shapes_text),
))
STACK = Domain("stack", sample=_sample_stack, rules=(
    Rule(lambda *xs_k: len(xs_k) < 2, "tensor.cat_empty", facts=_shapes_text),
    Rule(lambda *xs_k: any(x.shape != xs_k[0].shape for x in xs_k[:-1]), "tensor.stack_shapes",
         error=RuntimeError, facts=_shapes_text),
))


# --------------------------------------------------------------------------- convolution and pooling
def _pair(draw, low, high):
    """A (height, width) setting: usually equal, sometimes not (rectangular windows, strides, padding)."""
    first = draw.integer(low, high)
    return first, (first if draw.boolean() else draw.integer(low, high))


def _padded(x, padding):
    """The padded input's (height, width)."""
    return x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1]


def _sample_conv2d(draw):
    n, c, f = draw.integer(1, 2), draw.integer(1, 2), draw.integer(1, 2)
    h, w = draw.integer(2, 5), draw.integer(2, 5)
    padding = _pair(draw, 0, 1)
    kernel = (draw.integer(1, min(3, h + 2 * padding[0])), draw.integer(1, min(3, w + 2 * padding[1])))
    arrays = [draw.array((n, c, h, w)), draw.array((f, c, *kernel))]
    if draw.boolean():
        arrays.append(draw.array((f,)))
    return tuple(arrays), (_pair(draw, 1, 2), padding)


def _conv_padded_facts(x, w, *b_k):
    hp, wp = _padded(x, b_k[-1][1])
    return {"hp": hp, "wp": wp, "padding": pair_text(b_k[-1][1])}


# k = ((sh, sw), (ph, pw)): stride and padding, each (down, across)
CONV2D = Domain("conv2d", sample=_sample_conv2d, inputs=("x", "w", "b"), rules=(
    Rule(lambda x, w, *b_k: x.ndim != 4 or w.ndim != 4,
         "domain.conv2d_rank"),
    Rule(lambda x, w, *b_k: x.shape[1] != w.shape[1],
         "domain.conv2d_channels"),
    Rule(lambda x, w, *b_k: any(s > p for s, p in zip(w.shape[2:], _padded(x, b_k[-1][1]))),
         "domain.conv2d_kernel", facts=_conv_padded_facts),
    Rule(lambda x, w, *b_k: len(b_k) == 2 and b_k[0].shape != (w.shape[0],),
         "domain.conv2d_bias"),
))


def _sample_pool(draw, unique=False):
    n, c = draw.integer(1, 2), draw.integer(1, 2)
    h, w = draw.integer(2, 5), draw.integer(2, 5)
    kernel = (draw.integer(1, min(3, h)), draw.integer(1, min(3, w)))
    padding = (draw.integer(0, kernel[0] // 2), draw.integer(0, kernel[1] // 2))
    return (draw.array((n, c, h, w), unique=unique),), (kernel, _pair(draw, 1, 3), padding)


def _pool_facts(x, k):
    kernel, _, padding = k
    hp, wp = _padded(x, padding)
    return {"window": f"{kernel[0]}×{kernel[1]}", "padding": pair_text(padding),
            "half": pair_text((kernel[0] // 2, kernel[1] // 2)), "hp": hp, "wp": wp}


# k = ((kh, kw), (sh, sw), (ph, pw)): window, stride and padding, each (down, across)
_POOL_RULES = (
    Rule(lambda x, k: x.ndim != 4, "domain.pool_rank"),
    Rule(lambda x, k: k[2][0] > k[0][0] // 2 or k[2][1] > k[0][1] // 2,
         "domain.pool_padding", facts=_pool_facts),
    Rule(lambda x, k: any(s > p for s, p in zip(k[0], _padded(x, k[2]))),
         "domain.pool_window", facts=_pool_facts),
)
POOL = Domain("pool", sample=_sample_pool, rules=_POOL_RULES)
POOL_DISTINCT = Domain("pool_distinct", sample=lambda draw: _sample_pool(draw, unique=True),
                       rules=_POOL_RULES)
"""max_pool2d: entries at least 0.1 apart, so that each window's maximum is unique."""


# --------------------------------------------------------------------------- normalisation and losses
def _sample_batch_norm(draw):
    shape = draw.choice([(3, 2), (4, 1), (2, 2, 3), (2, 2, 2, 2)])
    c = shape[1]
    x = draw.array(shape)
    arrays = (x,) + ((draw.array((c,)), draw.array((c,))) if draw.boolean() else ())
    axes = (0, *range(2, len(shape)))
    if draw.boolean():  # training: the statistics are the batch's, functions of x
        return arrays, lambda x, *wb: BatchNormK(x.mean(axis=axes), x.var(axis=axes), 1e-5, True)
    mean, var = draw.array((c,)), draw.array((c,), Interval(0.1, 4.0))
    return arrays, BatchNormK(mean, var, 1e-5, False)


def _sample_cross_entropy(draw):
    n, c = draw.integer(1, 4), draw.integer(1, 4)
    targets = draw.index_array(0, c - 1, n)
    return (draw.array((n, c), Interval(-5.0, 5.0)), targets), draw.choice(["mean", "sum"])


def _sample_bce(draw):
    shape = draw.shape(1, 2)
    p = draw.array(shape, Interval(0.05, 0.95))
    t = draw.array(shape, Interval(0.0, 1.0))
    return (p, t), draw.choice(["mean", "sum"])


BATCH_NORM = Domain("batch_norm", sample=_sample_batch_norm, inputs=("x", "w", "b"))
CROSS_ENTROPY = Domain("cross_entropy", sample=_sample_cross_entropy)
BCE = Domain("bce", sample=_sample_bce)
"""p in [0, 1]: each log is clamped at −100 (as PyTorch), so p = 0 or 1 is no error."""


def _sample_where(draw):
    """A boolean condition and two float arrays whose shapes broadcast together (x's full shape,
    the others whole or trailing)."""
    shape = draw.shape(1, 3)
    trailing = shape[draw.integer(0, len(shape)):]
    condition = draw.array(draw.choice([shape, trailing])) > 0
    return (condition, draw.array(shape), draw.array(draw.choice([shape, trailing]))), None


WHERE = Domain("where", sample=_sample_where, inputs=("c", "x", "y"))
"""where(c, x, y): shapes that broadcast together (checked, with their message, by ``microgradfr.where``)."""
