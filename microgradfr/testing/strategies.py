"""Hypothesis strategies for inputs in each op's domain (needs the ``hypothesis`` package).

One strategy per domain name of the op table (``ops.Op.domain``), so a new op is tested by
naming its domain. Values stay in ranges where central differences are accurate. :func:`graphs`
draws whole random graphs over the table's scalar ops.
"""
from __future__ import annotations

import math
import warnings

from hypothesis import strategies as st

from ..engine import Value, apply
from ..ops import OPS

__all__ = ["real", "positive", "nonzero", "moderate", "inputs_for", "graphs"]


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


@st.composite
def graphs(draw, max_ops: int = 8):
    """A random scalar graph over the op table: 1–3 labelled leaves, then up to ``max_ops`` table ops
    on earlier nodes (or numbers, which become constants), summed with the last nodes into a root.

    An op whose input falls outside its domain (or whose derivative is infinite there) is skipped,
    as is a result beyond ±1000.
    """
    scalar = [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None]
    unary, binary = [op for op in scalar if op.arity == 1], [op for op in scalar if op.arity == 2]
    nodes = [Value(draw(real(2.0)), label=f"v{i}") for i in range(draw(st.integers(1, 3)))]
    for _ in range(draw(st.integers(1, max_ops))):
        if draw(st.booleans()):
            op, inputs = draw(st.sampled_from(unary)), [draw(st.sampled_from(nodes))]
        else:
            op = draw(st.sampled_from(binary))
            inputs = [draw(st.sampled_from(nodes)), draw(st.one_of(st.sampled_from(nodes), real(2.0)))]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)  # an infinite local derivative (√0)
                node = apply(op, *inputs, k=op.k_default)
        except (ValueError, ZeroDivisionError, OverflowError, RuntimeWarning):
            continue
        if math.isfinite(node.data) and abs(node.data) < 1e3:
            nodes.append(node)
    root = nodes[-1]
    for node in nodes[-3:-1]:
        root = root + node
    return root
