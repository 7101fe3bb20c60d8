"""Small data sets and the tools to cut them up: toy 2-D problems, logic gates, digits, MNIST, batches.

The generators follow scikit-learn's ``sklearn.datasets`` (same names, same geometry, labels 0..K-1), with a
``seed`` argument in place of ``random_state``; they need numpy only. Every array comes back as
``X`` float64 of shape (n_samples, n_features) and ``y`` int64 of shape (n_samples,).

The code lives in four modules: ``toy`` (moons, circles, blobs, spirals, logic gates), ``splits``
(train/test split, k-fold, batches), ``digits`` (the shipped 8×8 digits) and ``mnist`` (IDX files, download).
"""

from .digits import load_digits
from .mnist import MNIST_CHECKSUMS, MNIST_URL, DownloadError, download_mnist, load_mnist
from .splits import batches, kfold, train_test_split
from .toy import logic_gate, make_blobs, make_circles, make_moons, make_spirals

__all__ = [
    "make_moons",
    "make_circles",
    "make_blobs",
    "make_spirals",
    "logic_gate",
    "train_test_split",
    "kfold",
    "batches",
    "load_digits",
    "load_mnist",
    "download_mnist",
    "DownloadError",
    "MNIST_URL",
    "MNIST_CHECKSUMS",
]
