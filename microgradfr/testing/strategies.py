"""Hypothesis strategies for inputs in each op's domain (needs the ``hypothesis`` package).

Each op's :class:`~microgradfr.domains.Domain` says where its inputs are drawn (one
:class:`~microgradfr.domains.Interval` per input), so a new op is tested with no edit here.
Values stay in ranges where central differences are accurate.
"""
from __future__ import annotations

from hypothesis import strategies as st

from ..domains import Interval

__all__ = ["real", "positive", "nonzero", "moderate", "floats_in", "inputs_for"]


def real(bound: float = 3.0):
    """Any float in [−bound, bound]."""
    return floats_in(Interval(-bound, bound))


def positive(low: float = 0.1, high: float = 4.0):
    """A float in [low, high]: away from 0 for log, sqrt, 1/x."""
    return floats_in(Interval(low, high))


def nonzero(low: float = 0.05, high: float = 3.0):
    """A float with low ≤ |x| ≤ high: away from the kink of abs, ReLU and friends."""
    return floats_in(Interval(low, high, both_signs=True))


def moderate():
    """A float in [−5, 5], where e^x is well conditioned."""
    return real(5.0)


def floats_in(interval: Interval):
    """The floats of ``interval`` (never NaN or inf)."""
    inside = st.floats(interval.low, interval.high, allow_nan=False, allow_infinity=False)
    if interval.both_signs:
        return st.one_of(inside, st.floats(-interval.high, -interval.low))
    return inside


def inputs_for(op):
    """A strategy of input tuples in ``op``'s domain, one float per input.

    >>> from microgradfr.ops import OPS
    >>> inputs_for(OPS["div"])  # doctest: +ELLIPSIS
    tuples(floats(...), one_of(...))
    """
    if not op.domain.elementwise or op.arity < 1:
        raise ValueError(f"op {op.name!r} does not take a fixed number of floats (domain "
                         f"{op.domain.name!r}); draw its inputs with array_strategies.tensor_op_inputs")
    return st.tuples(*(floats_in(op.domain.interval(i)) for i in range(op.arity)))
