"""Hypothesis strategies for inputs in each op's domain (needs the ``hypothesis`` package).

One strategy per domain name of the op table (``ops.Op.domain``), so a new op is tested by
naming its domain. Values stay in ranges where central differences are accurate.
"""
from __future__ import annotations

from hypothesis import strategies as st

__all__ = ["real", "positive", "nonzero", "moderate", "inputs_for"]


def real(bound: float = 3.0):
    """Any float in [−bound, bound]."""
    return st.floats(-bound, bound, allow_nan=False, allow_infinity=False)


def positive(low: float = 0.1, high: float = 4.0):
    """A float in [low, high]: away from 0 for log, sqrt, 1/x."""
    return st.floats(low, high)


def nonzero(low: float = 0.05, high: float = 3.0):
    """A float with low ≤ |x| ≤ high: away from the kink of abs, ReLU and friends."""
    return st.one_of(st.floats(low, high), st.floats(-high, -low))


def moderate():
    """A float in [−5, 5], where e^x is well conditioned."""
    return real(5.0)


_DOMAINS = {
    "real": lambda arity: st.tuples(*[real()] * arity),
    "positive": lambda arity: st.tuples(*[positive()] * arity),
    "nonzero": lambda arity: st.tuples(*[nonzero()] * arity),
    "moderate": lambda arity: st.tuples(*[moderate()] * arity),
    "nonzero_y": lambda arity: st.tuples(real(), nonzero(0.3)),
    "pow": lambda arity: st.tuples(real(2.0)),
}


def inputs_for(op):
    """A strategy of input tuples in ``op``'s domain.

    >>> from microgradfr.ops import OPS
    >>> inputs_for(OPS["div"])  # doctest: +ELLIPSIS
    tuples(floats(...), one_of(...))
    """
    try:
        return _DOMAINS[op.domain](op.arity)
    except KeyError:
        raise ValueError(f"no strategy for domain {op.domain!r} of op {op.name!r}; "
                         "add one to _DOMAINS") from None
