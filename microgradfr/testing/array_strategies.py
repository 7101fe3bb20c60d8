"""Hypothesis strategies for Tensor inputs, one per op-table domain (needs ``hypothesis``).

Elementwise ops reuse the scalar domains of :mod:`microgradfr.testing.strategies` entry by
entry, on shapes that broadcast together. Whole-array ops name their own domain (``"matmul"``,
``"conv2d"``, ...): each strategy draws ``(arrays, k)``, the op's inputs and its setting, small
enough for central differences over every entry. ``k`` may be a function of the inputs' data
(batch_norm's batch statistics depend on x).
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from ..kernels.norm import BatchNormK
from . import strategies as scalar

__all__ = ["shapes", "array", "elementwise_inputs", "tensor_op_inputs", "TENSOR_DOMAINS"]


def shapes(min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 3):
    """A small array shape: up to 27 entries with the defaults."""
    return hnp.array_shapes(min_dims=min_dims, max_dims=max_dims, min_side=min_side, max_side=max_side)


def array(shape, elements=None, unique: bool = False):
    """A float64 array of ``shape`` whose entries come from ``elements`` (default: real in [−3, 3]).

    ``unique=True`` draws entries at least 0.1 apart (multiples of 0.1), so that a maximum stays
    the maximum when central differences nudge an entry.
    """
    if unique:
        elements = st.integers(-99, 99).map(lambda i: i / 10)
    return hnp.arrays(np.float64, shape, elements=elements if elements is not None else scalar.real(),
                      unique=unique)


_ELEMENTS = {
    "real": (scalar.real(), scalar.real()),
    "positive": (scalar.positive(), scalar.positive()),
    "nonzero": (scalar.nonzero(), scalar.nonzero()),
    "moderate": (scalar.moderate(), scalar.moderate()),
    "nonzero_y": (scalar.real(), scalar.nonzero(0.3)),
    "pow": (scalar.real(2.0), None),
}


def elementwise_inputs(op):
    """A tuple of arrays for an elementwise op: one array, or two whose shapes broadcast.

    >>> from hypothesis import given
    >>> from microgradfr.ops import OPS
    >>> @given(elementwise_inputs(OPS["div"]))
    ... def denominators_are_nonzero(xy):
    ...     assert (xy[1] != 0).all()
    >>> denominators_are_nonzero()
    """
    try:
        elements = _ELEMENTS[op.domain]
    except KeyError:
        raise ValueError(f"no array strategy for domain {op.domain!r} of op {op.name!r}; "
                         "add one to _ELEMENTS") from None
    if op.arity == 1:
        return shapes().flatmap(lambda s: st.tuples(array(s, elements[0])))
    pair = hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3)
    return pair.flatmap(lambda bs: st.tuples(array(bs.input_shapes[0], elements[0]),
                                             array(bs.input_shapes[1], elements[1])))


# -------------------------------------------------------------------- whole-array ops: (arrays, k)
@st.composite
def _matmul(draw):
    n, m, a = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 3))
    kind = draw(st.sampled_from(["2d", "batched", "broadcast", "vec_mat", "mat_vec", "dot"]))
    batch = draw(shapes(1, 2, max_side=2))
    x_shape, y_shape = {
        "2d": ((a, n), (n, m)),
        "batched": ((*batch, a, n), (*batch, n, m)),
        "broadcast": ((*batch, a, n), (n, m)),
        "vec_mat": ((n,), (*batch, n, m)),
        "mat_vec": ((*batch, a, n), (n,)),
        "dot": ((n,), (n,)),
    }[kind]
    return (draw(array(x_shape)), draw(array(y_shape))), None


@st.composite
def _affine(draw):
    n_in, n_out = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    batch = draw(shapes(0, 2))
    arrays = (draw(array((*batch, n_in))), draw(array((n_out, n_in))))
    if draw(st.booleans()):
        arrays += (draw(array((n_out,))),)
    return arrays, None


@st.composite
def _axis_k(draw, shape):
    """(axis, keepdims) for a reduction: None (every axis) or a non-empty sorted tuple of axes."""
    keepdims = draw(st.booleans())
    if not shape or draw(st.booleans()):
        return (None, keepdims)
    axes = draw(st.sets(st.integers(0, len(shape) - 1), min_size=1))
    return (tuple(sorted(axes)), keepdims)


@st.composite
def _reduce(draw, unique=False):
    shape = draw(shapes(0, 3))
    return (draw(array(shape, unique=unique)),), draw(_axis_k(shape))


@st.composite
def _reshape(draw):
    shape = draw(shapes(1, 3))
    size = int(np.prod(shape))
    target = draw(st.sampled_from([(size,), (1, size), (size, 1), tuple(reversed(shape)), (*shape, 1)]))
    return (draw(array(shape)),), target


@st.composite
def _transpose(draw):
    shape = draw(shapes(1, 3))
    return (draw(array(shape)),), tuple(draw(st.permutations(range(len(shape)))))


@st.composite
def _index(draw):
    shape = draw(shapes(1, 3))
    n = shape[0]
    index = draw(st.one_of(
        st.integers(-n, n - 1),
        st.builds(slice, st.integers(0, n - 1), st.integers(1, n), st.integers(1, 2)),
        st.lists(st.integers(0, n - 1), min_size=1, max_size=4).map(np.array),  # repeats allowed
        st.just((Ellipsis, 0)),
    ))
    return (draw(array(shape)),), index


@st.composite
def _softmax(draw):
    shape = draw(shapes(1, 3))
    return (draw(array(shape)),), draw(st.integers(0, len(shape) - 1))


def _pairs(draw, low, high):
    """A (height, width) setting: usually equal, sometimes not (rectangular windows, strides, padding)."""
    first = draw(st.integers(low, high))
    return first, draw(st.one_of(st.just(first), st.integers(low, high)))


@st.composite
def _conv2d(draw):
    n, c, f = draw(st.integers(1, 2)), draw(st.integers(1, 2)), draw(st.integers(1, 2))
    h, w = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    padding = _pairs(draw, 0, 1)
    kernel = (draw(st.integers(1, min(3, h + 2 * padding[0]))),
              draw(st.integers(1, min(3, w + 2 * padding[1]))))
    arrays = [draw(array((n, c, h, w))), draw(array((f, c, *kernel)))]
    if draw(st.booleans()):
        arrays.append(draw(array((f,))))
    return tuple(arrays), (_pairs(draw, 1, 2), padding)


@st.composite
def _pool(draw, unique=False):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 2))
    h, w = draw(st.integers(2, 5)), draw(st.integers(2, 5))
    kernel = (draw(st.integers(1, min(3, h))), draw(st.integers(1, min(3, w))))
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    return (draw(array((n, c, h, w), unique=unique)),), (kernel, _pairs(draw, 1, 3), padding)


@st.composite
def _batch_norm(draw):
    shape = draw(st.sampled_from([(3, 2), (4, 1), (2, 2, 3), (2, 2, 2, 2)]))
    c = shape[1]
    x = draw(array(shape))
    arrays = (x,) + ((draw(array((c,))), draw(array((c,)))) if draw(st.booleans()) else ())
    axes = (0, *range(2, len(shape)))
    if draw(st.booleans()):  # training: the statistics are the batch's, functions of x
        return arrays, lambda x, *wb: BatchNormK(x.mean(axis=axes), x.var(axis=axes), 1e-5, True)
    mean, var = draw(array((c,))), draw(array((c,), scalar.positive()))
    return arrays, BatchNormK(mean, var, 1e-5, False)


@st.composite
def _cross_entropy(draw):
    n, c = draw(st.integers(1, 4)), draw(st.integers(1, 4))
    targets = np.array(draw(st.lists(st.integers(0, c - 1), min_size=n, max_size=n)), dtype=np.int64)
    return (draw(array((n, c), scalar.real(5.0))), targets), draw(st.sampled_from(["mean", "sum"]))


@st.composite
def _bce(draw):
    shape = draw(shapes(1, 2))
    p = draw(array(shape, st.floats(0.05, 0.95)))
    t = draw(array(shape, st.floats(0.0, 1.0)))
    return (p, t), draw(st.sampled_from(["mean", "sum"]))


TENSOR_DOMAINS = {
    "matmul": _matmul,
    "affine": _affine,
    "reduce": _reduce,
    "reduce_distinct": lambda: _reduce(unique=True),  # max: no ties, where it has no derivative
    "reshape": _reshape,
    "transpose": _transpose,
    "index": _index,
    "softmax": _softmax,
    "conv2d": _conv2d,
    "pool": _pool,
    "pool_distinct": lambda: _pool(unique=True),
    "batch_norm": _batch_norm,
    "cross_entropy": _cross_entropy,
    "bce": _bce,
}
"""domain name of a Tensor op -> a function returning a strategy of (arrays, k)."""


def tensor_op_inputs(op):
    """A strategy of ``(arrays, k)`` for a whole-array op of the table.

    >>> from hypothesis import given
    >>> from microgradfr.ops import OPS
    >>> @given(tensor_op_inputs(OPS["matmul"]))
    ... def shapes_line_up(case):
    ...     (x, y), k = case
    ...     assert x.shape[-1] == (y.shape[0] if y.ndim == 1 else y.shape[-2])
    >>> shapes_line_up()
    """
    try:
        return TENSOR_DOMAINS[op.domain]()
    except KeyError:
        raise ValueError(f"no strategy for domain {op.domain!r} of Tensor op {op.name!r}; "
                         "add one to TENSOR_DOMAINS") from None
