"""The domains of the elementwise ops: each rule's predicate reads a float or a whole array.

Predicates are written so that one expression serves both: comparisons and ``&`` work entry by
entry on arrays, and a condition on the setting ``k`` (a number) comes first with ``and``, so that
``x ** 2`` on an array computes no mask at all.
"""
from __future__ import annotations

import numpy as np

from .base import Domain, Interval, Rule

__all__ = ["REAL", "MODERATE", "KINK_AT_ZERO", "POSITIVE", "NONNEGATIVE", "NONZERO_DENOMINATOR",
           "POWER", "POWER_XY"]

_REAL = Interval(-3.0, 3.0)

REAL = Domain("real", sample=(_REAL,))
"""Every real number (add, mul, sin, tanh, …)."""

MODERATE = Domain("moderate", sample=(Interval(-5.0, 5.0),))
"""Every real number; sampled in [−5, 5], where e^x is well conditioned."""

KINK_AT_ZERO = Domain("kink_at_zero", sample=(Interval(0.05, 3.0, both_signs=True),))
"""Every real number; sampled away from the kink at 0 (abs, ReLU and friends), where central
differences straddle two slopes."""

POSITIVE = Domain("positive", sample=(Interval(0.1, 4.0),), rules=(
    Rule(lambda x, k: x <= 0, "{op}: {op}(x) is defined only for x > 0, got x = {x!r}"),
))
"""x > 0 (log)."""

NONNEGATIVE = Domain("nonnegative", sample=(Interval(0.1, 4.0),), rules=(
    Rule(lambda x, k: x < 0, "{op}: {op}(x) is defined only for x ≥ 0, got x = {x!r}"),
))
"""x ≥ 0 (sqrt); sampled away from 0, where the derivative is infinite."""

NONZERO_DENOMINATOR = Domain("nonzero_y", sample=(_REAL, Interval(0.3, 3.0, both_signs=True)), rules=(
    Rule(lambda x, y, k: y == 0, "{op}: division by zero in {x!r} / {y!r}; the denominator must not be 0",
         ZeroDivisionError),
))
"""y ≠ 0 (x / y)."""

POWER = Domain("pow", sample=(Interval(-2.0, 2.0),), rules=(
    Rule(lambda x, k: k < 0 and x == 0,
         "{op}: {x!r} ** {k!r} divides by zero (0 to a negative power)", ZeroDivisionError),
    Rule(lambda x, k: 0 < k < 1 and x == 0,
         "{op}: the derivative {k!r}·x^({k!r} − 1) of x ** {k!r} is infinite at x = 0"),
    Rule(lambda x, k: k % 1 != 0 and x < 0,  # inf % 1 and nan % 1 are nan: not integers either
         "{op}: {x!r} ** {k!r} is not a real number (negative base, non-integer exponent); "
         "use abs(x) ** k or an integer exponent"),
))
"""x ** k for a number k: 0 only to a power ≥ 1 (or 0), a negative x only to an integer power."""

def _not_integer(y):
    """True where y is not an integer, inf and NaN included (floats or arrays, with no warning)."""
    return ~np.isfinite(y) | (y != np.floor(y))


# x ** y with a node as exponent: the same three rules on y. The messages say "pow" as the student
# reads x ** y (and as torch.pow names both).
POWER_XY = Domain("pow_xy", sample=(Interval(0.1, 4.0),), rules=(
    Rule(lambda x, y, k: (x == 0) & (y < 0),
         "pow: {x!r} ** {y!r} divides by zero (0 to a negative power)", ZeroDivisionError),
    Rule(lambda x, y, k: (x == 0) & (0 < y) & (y < 1),
         "pow: the derivative {y!r}·x^({y!r} − 1) of x ** {y!r} is infinite at x = 0"),
    Rule(lambda x, y, k: (x < 0) & _not_integer(y),
         "pow: {x!r} ** {y!r} is not a real number (negative base, non-integer exponent); "
         "use abs(x) ** k or an integer exponent"),
))
"""x ** y: the rules of :data:`POWER` with y as the exponent; sampled with x > 0, where ∂/∂y = x^y·ln x
exists."""
