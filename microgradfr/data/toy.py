"""Toy problems: 2-D point clouds (moons, circles, blobs, spirals) and the truth tables of logic gates.

The generators follow scikit-learn's ``sklearn.datasets`` (same names, same geometry, labels 0..K-1), with
a ``seed`` argument in place of ``random_state``.
"""

from __future__ import annotations

import numpy as np

from .. import i18n
from ._checks import _int, _nonnegative, _rng, _shuffled, _sizes

__all__ = ["make_moons", "make_circles", "make_blobs", "make_spirals", "logic_gate"]


def make_moons(n_samples=100, noise=0.0, seed=None, shuffle=True):
    """Two interleaving half circles, as ``sklearn.datasets.make_moons``.

    Class 0 (n_samples // 2 points) lies on the upper unit half circle,
    ``(cos t, sin t)`` for t evenly spaced in [0, π]; class 1 (the rest) on the lower one shifted
    right and down, ``(1 − cos t, 0.5 − sin t)``. Gaussian noise of standard deviation ``noise`` is
    then added to every coordinate. With ``shuffle`` the rows come in a random order.

    >>> X, y = make_moons(6, shuffle=False)
    >>> X.round(2).tolist()
    [[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0], [0.0, 0.5], [1.0, -0.5], [2.0, 0.5]]
    >>> y.tolist()
    [0, 0, 0, 1, 1, 1]
    """
    n_samples = _int(n_samples, "n_samples", "make_moons", 2)
    noise = _nonnegative(noise, "noise", "make_moons")
    rng = _rng(seed, "make_moons")
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, np.pi, n_out)
    t_in = np.linspace(0, np.pi, n_in)
    X = np.concatenate([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        np.column_stack([1 - np.cos(t_in), 0.5 - np.sin(t_in)]),
    ])
    return _two_classes(X, n_out, n_in, rng, shuffle, noise)


def make_circles(n_samples=100, noise=0.0, factor=0.8, seed=None, shuffle=True):
    """A circle inside another one, as ``sklearn.datasets.make_circles``.

    Class 0 (n_samples // 2 points) lies on the unit circle, ``(cos t, sin t)`` for t evenly spaced in
    [0, 2π) ; class 1 (the rest) on the circle of radius ``factor`` (0 <= factor < 1), the same
    angles scaled. Gaussian noise of standard deviation ``noise`` is added to every coordinate.

    >>> X, y = make_circles(4, factor=0.5, shuffle=False)
    >>> X.round(2).tolist()
    [[1.0, 0.0], [-1.0, 0.0], [0.5, 0.0], [-0.5, 0.0]]
    >>> y.tolist()
    [0, 0, 1, 1]
    """
    n_samples = _int(n_samples, "n_samples", "make_circles", 2)
    noise = _nonnegative(noise, "noise", "make_circles")
    if isinstance(factor, bool) or not isinstance(factor, (int, float, np.integer, np.floating)) or not (
        0 <= factor < 1
    ):
        raise ValueError(i18n.message("data.circles_factor", value=factor))
    rng = _rng(seed, "make_circles")
    n_out = n_samples // 2
    n_in = n_samples - n_out
    t_out = np.linspace(0, 2 * np.pi, n_out, endpoint=False)
    t_in = np.linspace(0, 2 * np.pi, n_in, endpoint=False)
    X = np.concatenate([
        np.column_stack([np.cos(t_out), np.sin(t_out)]),
        factor * np.column_stack([np.cos(t_in), np.sin(t_in)]),
    ])
    return _two_classes(X, n_out, n_in, rng, shuffle, noise)


def _two_classes(X, n0, n1, rng, shuffle, noise):
    """Label the first n0 rows 0 and the next n1 rows 1, shuffle them, then add Gaussian noise."""
    y = np.concatenate([np.zeros(n0, dtype=np.int64), np.ones(n1, dtype=np.int64)])
    if shuffle:
        X, y = _shuffled(X, y, rng)
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


def make_blobs(n_samples=100, centers=2, n_features=2, cluster_std=1.0, seed=None, center_box=(-10.0, 10.0),
               shuffle=True):
    """Gaussian blobs, one per class, as ``sklearn.datasets.make_blobs``.

    Class k is drawn from N(c_k, cluster_std² · I). ``centers`` is either a number of classes, whose
    centres are then drawn uniformly in the box ``center_box`` on each axis, or an array of shape
    (n_classes, n_features) giving them. The samples are shared out as evenly as possible (the first
    classes get one more when n_samples does not divide).

    >>> X, y = make_blobs(5, centers=[[0, 0], [10, 10]], cluster_std=0.0, shuffle=False)
    >>> X.tolist()
    [[0.0, 0.0], [0.0, 0.0], [0.0, 0.0], [10.0, 10.0], [10.0, 10.0]]
    >>> y.tolist()
    [0, 0, 0, 1, 1]
    """
    n_samples = _int(n_samples, "n_samples", "make_blobs", 1)
    cluster_std = _nonnegative(cluster_std, "cluster_std", "make_blobs")
    rng = _rng(seed, "make_blobs")
    if isinstance(centers, (int, np.integer)) and not isinstance(centers, bool):
        n_centers = _int(centers, "centers", "make_blobs", 1)
        n_features = _int(n_features, "n_features", "make_blobs", 1)
        low, high = center_box
        centers = rng.uniform(low, high, size=(n_centers, n_features))
    else:
        centers = np.asarray(centers, dtype=np.float64)
        if centers.ndim != 2 or len(centers) == 0:
            raise ValueError(i18n.message("data.blobs_centers", shape=centers.shape))
    X = np.concatenate([
        rng.normal(loc=center, scale=cluster_std, size=(size, len(center)))
        for center, size in zip(centers, _sizes(n_samples, len(centers)))
    ])
    y = np.repeat(np.arange(len(centers), dtype=np.int64), _sizes(n_samples, len(centers)))
    if shuffle:
        X, y = _shuffled(X, y, rng)
    return X, y


def make_spirals(n_samples=100, n_classes=2, noise=0.0, seed=None, shuffle=True):
    """Interleaved spiral arms, one per class: a classic problem no straight line can solve.

    Point i of class k sits at radius r and angle θ = 2πk / n_classes + 3π·r, with r evenly spaced in
    [0.1, 1] (so each arm makes one and a half turns and the arms never meet; at 0.1 they are apart).
    Coordinates ``(r cos θ, r sin θ)``, plus Gaussian noise of standard deviation ``noise``.
    Samples are shared out as in :func:`make_blobs`.

    >>> X, y = make_spirals(6, n_classes=3, shuffle=False)
    >>> np.hypot(X[:, 0], X[:, 1]).round(2).tolist()
    [0.1, 1.0, 0.1, 1.0, 0.1, 1.0]
    >>> y.tolist()
    [0, 0, 1, 1, 2, 2]
    """
    n_samples = _int(n_samples, "n_samples", "make_spirals", 1)
    n_classes = _int(n_classes, "n_classes", "make_spirals", 2)
    noise = _nonnegative(noise, "noise", "make_spirals")
    rng = _rng(seed, "make_spirals")
    sizes = _sizes(n_samples, n_classes)
    arms = []
    for k, size in enumerate(sizes):
        r = np.linspace(0.1, 1.0, size)
        theta = 2 * np.pi * k / n_classes + 3 * np.pi * r
        arms.append(np.column_stack([r * np.cos(theta), r * np.sin(theta)]))
    X = np.concatenate(arms)
    y = np.repeat(np.arange(n_classes, dtype=np.int64), sizes)
    if shuffle:
        X, y = _shuffled(X, y, rng)
    if noise > 0:
        X = X + rng.normal(scale=noise, size=X.shape)
    return X, y


_GATES = {
    "and": [0, 0, 0, 1],
    "or": [0, 1, 1, 1],
    "xor": [0, 1, 1, 0],
    "nand": [1, 1, 1, 0],
    "nor": [1, 0, 0, 0],
}


def logic_gate(name="and"):
    """The truth table of a two-input logic gate: "and", "or", "xor" (also "nand", "nor").

    X lists the four inputs (0, 0), (0, 1), (1, 0), (1, 1) as floats; y the gate's output for each.
    AND and OR are linearly separable, XOR is not (no line puts (0, 1), (1, 0) on one side and
    (0, 0), (1, 1) on the other).

    >>> X, y = logic_gate("xor")
    >>> X.tolist(), y.tolist()
    ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])
    """
    key = name.lower() if isinstance(name, str) else name
    if key not in _GATES:
        raise ValueError(i18n.message("data.gate", value=name, choices=sorted(_GATES)))
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(_GATES[key], dtype=np.int64)
