"""Hypothesis strategies for inputs in each op's domain (needs the ``hypothesis`` package).

Each op's :class:`~microgradfr.domains.Domain` says where its inputs are drawn (one
:class:`~microgradfr.domains.Interval` per input), so a new op is tested with no edit here.
Values stay in ranges where central differences are accurate. :func:`graphs` draws whole random
graphs over the table's scalar ops.
"""
from __future__ import annotations

import math
import warnings

from hypothesis import strategies as st

from ..domains import Interval
from ..engine import Value, apply, scalar_local
from ..ops import OPS

__all__ = ["real", "positive", "nonzero", "moderate", "floats_in", "inputs_for", "graphs"]


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


@st.composite
def graphs(draw, max_ops: int = 8):
    """A random scalar graph over the op table: 1–3 labelled leaves, then up to ``max_ops`` table ops
    on earlier nodes (or numbers, which become constants), summed with the last nodes into a root.

    An op whose input falls outside its domain (or whose derivative is infinite there) is skipped,
    as is a result beyond ±1000. Leaves and constants are numbers a student would write, 0.1 ≤ |v| ≤ 2:
    near 0 (1e-77), x/x already differs between two correct formulas by rounding at 1e77.
    """
    scalar = [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None]
    unary, binary = [op for op in scalar if op.arity == 1], [op for op in scalar if op.arity == 2]
    nodes = [Value(draw(nonzero(0.1, 2.0)), label=f"v{i}") for i in range(draw(st.integers(1, 3)))]
    for _ in range(draw(st.integers(1, max_ops))):
        if draw(st.booleans()):
            op, inputs = draw(st.sampled_from(unary)), [draw(st.sampled_from(nodes))]
        else:
            op = draw(st.sampled_from(binary))
            other = st.one_of(st.sampled_from(nodes), nonzero(0.1, 2.0))
            inputs = [draw(st.sampled_from(nodes)), draw(other)]
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("error", RuntimeWarning)
                node = apply(op, *inputs, k=op.k_default)
        except (ValueError, ZeroDivisionError, OverflowError, RuntimeWarning):
            continue
        local = scalar_local(op, [p.data for p in node.parents], node.data, node.k)  # √0: inf
        if math.isfinite(node.data) and abs(node.data) < 1e3 and all(map(math.isfinite, local)):
            nodes.append(node)
    root = nodes[-1]
    for node in nodes[-3:-1]:
        root = root + node
    return root
