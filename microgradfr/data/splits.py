"""Cutting a data set up: a train/test split, k-fold cross-validation indices, mini-batches."""

from __future__ import annotations

import math
from collections.abc import Iterator

import numpy as np

from .. import i18n
from ._checks import _int, _rng, _sizes, _Xy

__all__ = ["train_test_split", "kfold", "batches"]


def train_test_split(X, y, test_size=0.25, seed=None, shuffle=True):
    """Split (X, y) into a training part and a test part, as ``sklearn.model_selection.train_test_split``.

    ``test_size`` is a fraction in (0, 1) — the test part then holds ceil(test_size · n) samples — or a
    number of samples. With ``shuffle`` the samples are drawn at random (seeded); without, the test
    part is the last rows. Returns ``X_train, X_test, y_train, y_test``.

    >>> X, y = np.arange(20).reshape(10, 2), np.arange(10)
    >>> X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, shuffle=False)
    >>> y_train.tolist(), y_test.tolist()
    ([0, 1, 2, 3, 4, 5, 6], [7, 8, 9])
    """
    X, y = _Xy(X, y, "train_test_split")
    n = len(y)
    if isinstance(test_size, (float, np.floating)):
        if not 0 < test_size < 1:
            raise ValueError(i18n.message("data.test_size_fraction", value=test_size))
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    else:
        raise ValueError(i18n.message("data.test_size_type", value=test_size))
    if not 1 <= n_test <= n - 1:
        raise ValueError(i18n.message("data.test_size_parts", value=test_size, n_test=n_test, n=n,
                                      n_train=n - n_test))
    if shuffle:
        order = _rng(seed, "train_test_split").permutation(n)
        test, train = order[:n_test], order[n_test:]
    else:
        train, test = np.arange(n - n_test), np.arange(n - n_test, n)
    return X[train], X[test], y[train], y[test]


def kfold(n_samples, k=5, shuffle=True, seed=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Indices for k-fold cross-validation, as ``sklearn.model_selection.KFold(k).split``.

    The indices 0..n_samples-1 (shuffled when ``shuffle``) are cut into k consecutive folds of
    n_samples // k samples, the first n_samples % k folds getting one more. Round i yields
    ``(train_idx, val_idx)``: fold i for validation, the other folds for training, both sorted.
    Every index is used for validation exactly once.

    >>> [(t.tolist(), v.tolist()) for t, v in kfold(5, k=2, shuffle=False)]
    [([3, 4], [0, 1, 2]), ([0, 1, 2], [3, 4])]
    """
    n_samples = _int(n_samples, "n_samples", "kfold", 2)
    k = _int(k, "k", "kfold", 2)
    if k > n_samples:
        raise ValueError(i18n.message("data.kfold", k=k, n=n_samples))
    indices = _rng(seed, "kfold").permutation(n_samples) if shuffle else np.arange(n_samples)
    start = 0
    for size in _sizes(n_samples, k):
        in_fold = np.zeros(n_samples, dtype=bool)
        in_fold[indices[start:start + size]] = True
        yield np.flatnonzero(~in_fold), np.flatnonzero(in_fold)
        start += size


def batches(X, y, batch_size, shuffle=True, seed=None) -> Iterator[tuple[np.ndarray, np.ndarray]]:
    """Mini-batches ``(Xb, yb)`` that cover every sample exactly once per call (one epoch).

    The rows are taken in a random order when ``shuffle`` (in order otherwise) and cut into batches of
    ``batch_size``; the last batch is smaller when batch_size does not divide n. An int seed gives the
    same order at every call; pass a ``np.random.default_rng(seed)`` Generator instead to get a new,
    reproducible order at every epoch.

    >>> X, y = np.arange(10).reshape(5, 2), np.arange(5)
    >>> [yb.tolist() for Xb, yb in batches(X, y, batch_size=2, shuffle=False)]
    [[0, 1], [2, 3], [4]]
    """
    X, y = _Xy(X, y, "batches")
    batch_size = _int(batch_size, "batch_size", "batches", 1)
    n = len(y)
    order = _rng(seed, "batches").permutation(n) if shuffle else np.arange(n)
    for start in range(0, n, batch_size):
        rows = order[start:start + batch_size]
        yield X[rows], y[rows]
