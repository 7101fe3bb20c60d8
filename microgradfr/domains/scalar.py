"""The domains of the elementwise ops: each rule's predicate reads a float or a whole array.

Predicates are written so that one expression serves both: comparisons and ``&`` work entry by
entry on arrays, and a condition on the setting ``k`` (a number) comes first with ``and``, so that
``x ** 2`` on an array computes no mask at all.
"""
from __future__ import annotations

import numpy as np

from .base import Domain, Interval, Rule

# The rules' messages are keys of the catalogue (microgradfr.i18n, "domain.*"): a student reads them
# in the language of the switch. Their fields: op, the inputs x, y, and the setting k.

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
    Rule(lambda x, k: x <= 0, "domain.positive"),
))
"""x > 0 (log)."""

NONNEGATIVE = Domain("nonnegative", sample=(Interval(0.1, 4.0),), rules=(
    Rule(lambda x, k: x < 0, "domain.nonnegative"),
))
"""x ≥ 0 (sqrt); sampled away from 0, where the derivative is infinite."""

NONZERO_DENOMINATOR = Domain("nonzero_y", sample=(_REAL, Interval(0.3, 3.0, both_signs=True)), rules=(
    Rule(lambda x, y, k: y == 0, "domain.nonzero_y", ZeroDivisionError),
))
"""y ≠ 0 (x / y)."""

POWER = Domain("pow", sample=(Interval(-2.0, 2.0),), rules=(
    Rule(lambda x, k: k < 0 and x == 0, "domain.pow_zero_negative", ZeroDivisionError),
    Rule(lambda x, k: 0 < k < 1 and x == 0, "domain.pow_infinite_derivative"),
    Rule(lambda x, k: k % 1 != 0 and x < 0,  # inf % 1 and nan % 1 are nan: not integers either
         "domain.pow_not_real"),
), accepts=lambda x, k: k.__class__ is int and k >= 0)  # x ** 2, x ** 0: no rule can apply
"""x ** k for a number k: 0 only to a power ≥ 1 (or 0), a negative x only to an integer power."""

def _not_integer(y):
    """True where y is not an integer, inf and NaN included (floats or arrays, with no warning)."""
    return ~np.isfinite(y) | (y != np.floor(y))


# x ** y with a node as exponent: the same three rules on y. The messages say "pow" as the student
# reads x ** y (and as torch.pow names both).
POWER_XY = Domain("pow_xy", sample=(Interval(0.1, 4.0),), rules=(
    Rule(lambda x, y, k: (x == 0) & (y < 0), "domain.pow_xy_zero_negative", ZeroDivisionError),
    Rule(lambda x, y, k: (x == 0) & (0 < y) & (y < 1), "domain.pow_xy_infinite_derivative"),
    Rule(lambda x, y, k: (x < 0) & _not_integer(y), "domain.pow_xy_not_real"),
))
"""x ** y: the rules of :data:`POWER` with y as the exponent; sampled with x > 0, where ∂/∂y = x^y·ln x
exists."""
