"""Argument checks and small helpers shared by the data modules (not public)."""

from __future__ import annotations

import numpy as np

from .. import i18n


def _rng(seed, fn: str) -> np.random.Generator:
    """A numpy Generator from None, a non-negative int, or a Generator (returned as is, so it advances)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValueError(i18n.message("data.seed", fn=fn, value=seed))


def _int(value, name: str, fn: str, minimum: int) -> int:
    """`value` as an int >= minimum, or a ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(i18n.message("data.int", fn=fn, name=name, value=value, minimum=minimum))
    if value < minimum:
        raise ValueError(i18n.message("data.too_small", fn=fn, name=name, value=value, minimum=minimum))
    return int(value)


def _nonnegative(value, name: str, fn: str) -> float:
    """`value` as a float >= 0, or a ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(i18n.message("data.not_number", fn=fn, name=name, value=value))
    if not value >= 0:  # also catches nan
        raise ValueError(i18n.message("data.negative_std", fn=fn, name=name, value=value))
    return float(value)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def _Xy(X, y, fn: str) -> tuple[np.ndarray, np.ndarray]:
    """X and y as arrays with the same number of rows, or a ValueError that shows both lengths."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(i18n.message("data.not_arrays", fn=fn, x_shape=X.shape, y_shape=y.shape))
    if len(X) != len(y):
        raise ValueError(i18n.message("data.rows", fn=fn, x_rows=len(X), y_rows=len(y)))
    return X, y


def _sizes(n_samples: int, n_groups: int) -> list[int]:
    """n_samples shared out as evenly as possible: the first n_samples % n_groups groups get one more."""
    return [n_samples // n_groups + (1 if i < n_samples % n_groups else 0) for i in range(n_groups)]
