"""The 8×8 handwritten digits shipped with microgradfr (``microgradfr/datasets/digits.csv.gz``)."""

from __future__ import annotations

import gzip
from importlib import resources

import numpy as np

__all__ = ["load_digits"]


def load_digits(return_images=False):
    """The 1,797 handwritten digits shipped with microgradfr: 8×8 grey images, pixels 0..16, labels 0..9.

    This is the UCI "Optical Recognition of Handwritten Digits" test set (Alpaydin and Kaynak, 1998,
    CC BY 4.0), as scikit-learn distributes it; see ``microgradfr/datasets/README.md``.
    Returns ``X`` float64 of shape (1797, 64), one flattened image per row, or (1797, 8, 8) with
    ``return_images=True``, and ``y`` int64 of shape (1797,). Divide X by 16 to scale it to [0, 1].

    >>> X, y = load_digits()
    >>> X.shape, y.shape, float(X.max()), sorted(set(y.tolist()))
    ((1797, 64), (1797,), 16.0, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    """
    source = resources.files("microgradfr") / "datasets" / "digits.csv.gz"
    with source.open("rb") as raw, gzip.open(raw, "rt") as text:
        table = np.loadtxt(text, delimiter=",", dtype=np.int64)
    assert table.shape == (1797, 65), f"digits.csv.gz should hold 1797 rows of 65 columns, not {table.shape}"
    X = table[:, :64].astype(np.float64)
    y = table[:, 64]
    if return_images:
        X = X.reshape(-1, 8, 8)
    return X, y
