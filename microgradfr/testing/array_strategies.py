"""Hypothesis strategies for Tensor inputs, read from each op's domain (needs ``hypothesis``).

Elementwise ops draw each entry from their domain's intervals (as the scalar strategies of
:mod:`microgradfr.testing.strategies`), on shapes that broadcast together. A whole-array op's
domain (:mod:`microgradfr.domains.arrays`) has its own ``sample(draw) -> (arrays, k)``, run here
on Hypothesis's ``draw``: the op's inputs and its setting, small enough for central differences
over every entry. So a new op, elementwise or not, needs no edit here.
"""
from __future__ import annotations

import numpy as np
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from . import strategies as scalar

__all__ = ["shapes", "array", "elementwise_inputs", "tensor_op_inputs"]


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


def elementwise_inputs(op):
    """A tuple of arrays for an elementwise op: one array, or two whose shapes broadcast.

    >>> from hypothesis import given
    >>> from microgradfr.ops import OPS
    >>> @given(elementwise_inputs(OPS["div"]))
    ... def denominators_are_nonzero(xy):
    ...     assert (xy[1] != 0).all()
    >>> denominators_are_nonzero()
    """
    if not op.domain.elementwise or op.arity not in (1, 2):
        raise ValueError(f"op {op.name!r} is not elementwise (domain {op.domain.name!r}); "
                         "draw its inputs with tensor_op_inputs")
    elements = [scalar.floats_in(op.domain.interval(i)) for i in range(op.arity)]
    if op.arity == 1:
        return shapes().flatmap(lambda s: st.tuples(array(s, elements[0])))
    pair = hnp.mutually_broadcastable_shapes(num_shapes=2, max_dims=3, max_side=3)
    return pair.flatmap(lambda bs: st.tuples(array(bs.input_shapes[0], elements[0]),
                                             array(bs.input_shapes[1], elements[1])))


# -------------------------------------------------------------------- whole-array ops: (arrays, k)
class _Draw:
    """The :class:`~microgradfr.domains.Draw` interface on Hypothesis's ``draw`` (so cases shrink)."""

    def __init__(self, draw):
        self._draw = draw

    def integer(self, low, high):
        return self._draw(st.integers(low, high))

    def boolean(self):
        return self._draw(st.booleans())

    def choice(self, options):
        return self._draw(st.sampled_from(options))

    def shape(self, min_dims=0, max_dims=3, min_side=1, max_side=3):
        return self._draw(shapes(min_dims, max_dims, min_side, max_side))

    def array(self, shape, interval=None, unique=False):
        elements = scalar.floats_in(interval) if interval is not None else None
        return self._draw(array(shape, elements, unique=unique))

    def subset(self, n):
        return tuple(sorted(self._draw(st.sets(st.integers(0, n - 1), min_size=1))))

    def permutation(self, n):
        return tuple(self._draw(st.permutations(range(n))))

    def index_array(self, low, high, size):
        values = self._draw(st.lists(st.integers(low, high), min_size=size, max_size=size))
        return np.array(values, dtype=np.int64)


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
    if op.domain.elementwise:
        raise ValueError(f"op {op.name!r} is elementwise (domain {op.domain.name!r}); "
                         "draw its inputs with elementwise_inputs")
    return st.composite(lambda draw: op.domain.sample(_Draw(draw)))()
