"""Each op's domain, defined once: the rules Value and Tensor check, and where the tests sample.

:mod:`~microgradfr.domains.base` says what a :class:`Domain` is; :mod:`~microgradfr.domains.scalar`
holds the elementwise ones (``POSITIVE`` for log, ``POWER`` for x ** k, …) and
:mod:`~microgradfr.domains.arrays` the whole-array ones (shape rules for matmul, conv2d, …). The
op table (``ops.py``) attaches one to each entry: ``domain=POSITIVE``.
"""
from .arrays import (
    BATCH_NORM,
    BCE,
    CONV2D,
    CROSS_ENTROPY,
    INDEX,
    LINEAR,
    MATMUL,
    POOL,
    POOL_DISTINCT,
    REDUCE,
    REDUCE_DISTINCT,
    RESHAPE,
    SOFTMAX,
    TRANSPOSE,
)
from .base import DOMAINS, Domain, Draw, Interval, Rule
from .scalar import (
    KINK_AT_ZERO,
    MODERATE,
    NONNEGATIVE,
    NONZERO_DENOMINATOR,
    POSITIVE,
    POWER,
    POWER_XY,
    REAL,
)

__all__ = ["Domain", "Rule", "Interval", "Draw", "DOMAINS",
           "REAL", "MODERATE", "KINK_AT_ZERO", "POSITIVE", "NONNEGATIVE", "NONZERO_DENOMINATOR", "POWER",
           "POWER_XY", "MATMUL", "LINEAR", "REDUCE", "REDUCE_DISTINCT", "RESHAPE", "TRANSPOSE", "INDEX",
           "SOFTMAX", "CONV2D", "POOL", "POOL_DISTINCT", "BATCH_NORM", "CROSS_ENTROPY", "BCE"]
