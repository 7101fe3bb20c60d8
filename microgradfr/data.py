"""Small data sets and the tools to cut them up: toy 2-D problems, logic gates, digits, MNIST, batches.

The generators follow scikit-learn's ``sklearn.datasets`` (same names, same geometry, labels 0..K-1), with a
``seed`` argument in place of ``random_state``; they need numpy only. Every array comes back as
``X`` float64 of shape (n_samples, n_features) and ``y`` int64 of shape (n_samples,).
"""

from __future__ import annotations

import gzip
import hashlib
import http.client
import math
import os
import tempfile
import urllib.error
import urllib.request
import zlib
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import numpy as np

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


# ---------------------------------------------------------------- argument checks


def _rng(seed, fn: str) -> np.random.Generator:
    """A numpy Generator from None, a non-negative int, or a Generator (returned as is, so it advances)."""
    if seed is None or isinstance(seed, np.random.Generator):
        return np.random.default_rng(seed)
    if isinstance(seed, (int, np.integer)) and not isinstance(seed, bool) and seed >= 0:
        return np.random.default_rng(int(seed))
    raise ValueError(
        f"{fn}: seed={seed!r} is not a seed: pass None, a non-negative integer or a numpy Generator"
    )


def _int(value, name: str, fn: str, minimum: int) -> int:
    """`value` as an int >= minimum, or a ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{fn}: {name}={value!r} must be an integer >= {minimum}")
    if value < minimum:
        raise ValueError(f"{fn}: {name}={value} is too small: it must be at least {minimum}")
    return int(value)


def _nonnegative(value, name: str, fn: str) -> float:
    """`value` as a float >= 0, or a ValueError naming the argument."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{fn}: {name}={value!r} must be a number >= 0")
    if not value >= 0:  # also catches nan
        raise ValueError(f"{fn}: {name}={value} must be >= 0 (it is a standard deviation)")
    return float(value)


def _shuffled(X: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    order = rng.permutation(len(y))
    return X[order], y[order]


def _Xy(X, y, fn: str) -> tuple[np.ndarray, np.ndarray]:
    """X and y as arrays with the same number of rows, or a ValueError that shows both lengths."""
    X, y = np.asarray(X), np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(
            f"{fn}: X and y must be arrays with one row per sample, got shapes {X.shape} and {y.shape}"
        )
    if len(X) != len(y):
        raise ValueError(f"{fn}: X has {len(X)} rows but y has {len(y)}: give one label per sample")
    return X, y


# ---------------------------------------------------------------- toy 2-D problems


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
        raise ValueError(f"make_circles: factor={factor!r} must be a number in [0, 1): the inner radius")
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


def _sizes(n_samples: int, n_groups: int) -> list[int]:
    """n_samples shared out as evenly as possible: the first n_samples % n_groups groups get one more."""
    return [n_samples // n_groups + (1 if i < n_samples % n_groups else 0) for i in range(n_groups)]


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
            raise ValueError(
                f"make_blobs: centers must be a number of classes or an array of shape "
                f"(n_classes, n_features), got shape {centers.shape}"
            )
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
        raise ValueError(f"logic_gate: name={name!r} is not a gate I know: choose one of {sorted(_GATES)}")
    X = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=np.float64)
    return X, np.array(_GATES[key], dtype=np.int64)


# ---------------------------------------------------------------- splits and batches


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
            raise ValueError(
                f"train_test_split: test_size={test_size} must be a fraction strictly between 0 and 1, "
                f"or a number of samples"
            )
        n_test = math.ceil(test_size * n)
    elif isinstance(test_size, (int, np.integer)) and not isinstance(test_size, bool):
        n_test = int(test_size)
    else:
        raise ValueError(
            f"train_test_split: test_size={test_size!r} must be a fraction in (0, 1) or an integer"
        )
    if not 1 <= n_test <= n - 1:
        raise ValueError(
            f"train_test_split: test_size={test_size} leaves {n_test} of {n} samples for the test part "
            f"and {n - n_test} for training: both parts need at least one sample"
        )
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
        raise ValueError(f"kfold: k={k} folds need at least {k} samples, but n_samples={n_samples}")
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


# ---------------------------------------------------------------- digits (shipped)


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


# ---------------------------------------------------------------- MNIST (downloaded)

# PyTorch's mirror of the original files (yann.lecun.com no longer serves them reliably).
MNIST_URL = "https://ossci-datasets.s3.amazonaws.com/mnist/"

# SHA-256 of the four original gzipped IDX files (published with the data by several projects:
# torchvision, TensorFlow datasets). md5 sums (32 hex digits) are accepted too in `checksums=`.
MNIST_CHECKSUMS = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}

_IMAGES_MAGIC = 2051  # 0x00000803: unsigned bytes, 3 dimensions (n, rows, cols)
_LABELS_MAGIC = 2049  # 0x00000801: unsigned bytes, 1 dimension (n,)
_MNIST_PREFIX = {"train": "train", "test": "t10k"}


def _describe(shape: tuple[int, ...]) -> str:
    if len(shape) == 3:
        return f"{shape[0]} images of {shape[1]}×{shape[2]}"
    if len(shape) == 1:
        return f"{shape[0]} labels"
    return f"an array of shape {shape}"


def _parse_idx(data: bytes, name: str, magic: int | None = None) -> np.ndarray:
    """The unsigned-byte array an IDX file holds, after checking its header against its length.

    IDX layout: 4 magic bytes (0, 0, 0x08 for unsigned bytes, number of dimensions d), then d
    big-endian uint32 sizes, then the values.
    """
    if len(data) < 4:
        raise ValueError(f"{name}: too short to be an IDX file: it holds {len(data)} bytes")
    found = int.from_bytes(data[:4], "big")
    if magic is not None and found != magic:
        raise ValueError(
            f"{name}: wrong magic number {found} (expected {magic} for an IDX "
            f"{'image' if magic == _IMAGES_MAGIC else 'label'} file): this is not the file its name says"
        )
    ndim = data[3]
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08 or not 1 <= ndim <= 4:
        raise ValueError(f"{name}: magic number {found} is not that of an unsigned-byte IDX file")
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(
            f"{name}: truncated: the {ndim}-D IDX header needs {header} bytes but the file holds {len(data)}"
        )
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    expected = header + math.prod(shape)
    if len(data) < expected:
        raise ValueError(
            f"{name}: truncated: header says {_describe(shape)} ({expected} bytes) "
            f"but the file holds {len(data)} bytes"
        )
    if len(data) > expected:
        raise ValueError(
            f"{name}: {len(data) - expected} bytes too many: header says {_describe(shape)} "
            f"({expected} bytes) but the file holds {len(data)} bytes"
        )
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def _read(path: Path, name: str) -> bytes:
    """The bytes of `path`, decompressed when `name` (its final name) ends in .gz."""
    data = path.read_bytes()
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(
                f"{name}: not a complete gzip file ({err}): delete it and download it again"
            ) from err
    return data


def _find_idx(folder: Path, stem: str, kind: str) -> Path:
    candidates = [folder / (stem + ".gz"), folder / stem]
    for path in candidates:
        if path.is_file():
            return path
    where = f"folder '{folder}' does not exist" if not folder.is_dir() else f"nothing found in '{folder}'"
    raise FileNotFoundError(
        f"load_mnist: no MNIST {kind} file: looked for {candidates[0].name} and {candidates[1].name}, "
        f"{where}. "
        f"Fetch the files with microgradfr.data.download_mnist('{folder}')."
    )


def load_mnist(path, kind="train"):
    """Read the MNIST digits from the standard IDX files in the folder ``path`` (gzipped or not).

    ``kind="train"`` reads ``train-images-idx3-ubyte[.gz]`` and ``train-labels-idx1-ubyte[.gz]``
    (60,000 digits), ``kind="test"`` the ``t10k-`` files (10,000). Each file's magic number (2051 for
    images, 2049 for labels), its 28×28 size and its exact length are checked against its header, and
    both files must hold as many items. Returns ``X`` uint8 (n, 28, 28), pixels 0..255, and ``y``
    uint8 (n,), digits 0..9. Get the files with :func:`download_mnist`.

    >>> X, y = load_mnist(download_mnist("data/mnist"))  # doctest: +SKIP
    >>> X.shape, y.shape  # doctest: +SKIP
    ((60000, 28, 28), (60000,))
    """
    if kind not in _MNIST_PREFIX:
        raise ValueError(f"load_mnist: kind={kind!r} must be 'train' or 'test'")
    folder = Path(path)
    prefix = _MNIST_PREFIX[kind]
    images_path = _find_idx(folder, f"{prefix}-images-idx3-ubyte", "image")
    labels_path = _find_idx(folder, f"{prefix}-labels-idx1-ubyte", "label")
    images = _parse_idx(_read(images_path, images_path.name), images_path.name, _IMAGES_MAGIC)
    if images.shape[1:] != (28, 28):
        raise ValueError(
            f"{images_path.name}: images are {images.shape[1]}×{images.shape[2]} but MNIST images are 28×28"
        )
    labels = _parse_idx(_read(labels_path, labels_path.name), labels_path.name, _LABELS_MAGIC)
    if len(images) != len(labels):
        raise ValueError(
            f"{images_path.name} holds {len(images)} images but {labels_path.name} holds "
            f"{len(labels)} labels: the two files do not belong together"
        )
    return images.copy(), labels.copy()  # frombuffer arrays are read-only


class DownloadError(OSError):
    """A file could not be downloaded whole and intact (network error, truncated or corrupted file)."""


def _algorithm(checksum: str, name: str) -> str:
    """The hash a hex checksum was made with, told by its length: 32 digits md5, 64 digits sha256."""
    algorithms = {32: "md5", 64: "sha256"}
    if not isinstance(checksum, str) or len(checksum) not in algorithms:
        raise ValueError(
            f"download_mnist: checksums[{name!r}]={checksum!r} must be a hex md5 (32 digits) "
            f"or sha256 (64 digits), or None to skip the check"
        )
    return algorithms[len(checksum)]


def _hexdigest(path: Path, algorithm: str) -> str:
    digest = hashlib.new(algorithm)
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _check_file(path: Path, name: str, checksum: str | None) -> None:
    """Raise DownloadError unless `path` has the right checksum and is a well-formed (gzipped) IDX file."""
    if checksum is not None:
        algorithm = _algorithm(checksum, name)
        actual = _hexdigest(path, algorithm)
        if actual != checksum.lower():
            raise DownloadError(
                f"{name}: checksum mismatch: expected {algorithm} {checksum} but the file gives {actual}. "
                f"The download is corrupted or the server sent another file; nothing was kept. "
                f"Try again, or another mirror with url=."
            )
    magic = _IMAGES_MAGIC if "idx3" in name else _LABELS_MAGIC if "idx1" in name else None
    try:
        _parse_idx(_read(path, name), name, magic)
    except ValueError as err:
        raise DownloadError(f"{name}: the downloaded file is broken, nothing was kept. {err}") from err


def _fetch(url: str, out, name: str, progress: bool, timeout: float) -> None:
    """Stream `url` into the open binary file `out`, checking that the announced length arrived."""
    from tqdm.auto import tqdm

    received = 0
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            length = response.headers.get("Content-Length")
            total = int(length) if length and length.isdigit() else None
            with tqdm(total=total, unit="B", unit_scale=True, unit_divisor=1024, desc=name,
                      disable=not progress) as bar:
                for block in iter(lambda: response.read(1 << 16), b""):
                    out.write(block)
                    received += len(block)
                    bar.update(len(block))
    except urllib.error.HTTPError as err:
        raise DownloadError(f"{name}: the server answered {err.code} {err.reason} for {url}") from err
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        reason = getattr(err, "reason", err)
        raise DownloadError(f"{name}: could not download {url}: {reason}") from err
    if total is not None and received != total:
        raise DownloadError(
            f"{name}: truncated download: the server announced {total} bytes but sent {received}; "
            f"nothing was kept, try again"
        )


def _download(url: str, target: Path, checksum: str | None, progress: bool, timeout: float) -> None:
    """Download into a temporary file next to `target`, check it, then rename it: all or nothing."""
    fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as out:
            _fetch(url, out, target.name, progress, timeout)
            out.flush()
            os.fsync(out.fileno())
        _check_file(tmp, target.name, checksum)
        os.replace(tmp, target)  # atomic: `target` is either the old file or the whole new one
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def download_mnist(dest, url=MNIST_URL, files=None, checksums=None, progress=True, timeout=30):
    """Download the four gzipped MNIST IDX files into the folder ``dest`` and return it as a Path.

    Each file is fetched from ``url + name`` into a temporary file in ``dest``, checked — its
    checksum (SHA-256 from :data:`MNIST_CHECKSUMS`, or md5/sha256 from ``checksums={name: hex}``;
    ``None`` skips it) and its IDX header against its length — and only then renamed to its final
    name, so an interrupted or corrupted download never leaves a file :func:`load_mnist` would read.
    Files already present with the right checksum are not downloaded again. ``files`` picks a subset
    of names; ``progress`` shows a tqdm bar per file; ``timeout`` is in seconds per network operation.
    Any failure raises :class:`DownloadError` (an ``OSError``) naming the file.

    >>> folder = download_mnist("data/mnist")  # doctest: +SKIP
    >>> X_test, y_test = load_mnist(folder, kind="test")  # doctest: +SKIP
    """
    names = list(MNIST_CHECKSUMS) if files is None else [files] if isinstance(files, str) else list(files)
    if not names or not all(isinstance(name, str) and name and "/" not in name for name in names):
        raise ValueError(
            f"download_mnist: files={files!r} must be a list of file names such as {list(MNIST_CHECKSUMS)}"
        )
    table = {**MNIST_CHECKSUMS, **(checksums or {})}
    for name in names:
        if name not in table:
            raise ValueError(
                f"download_mnist: no checksum known for {name!r}: pass checksums={{{name!r}: '<sha256>'}} "
                f"(or None to skip the check)"
            )
        if table[name] is not None:
            _algorithm(table[name], name)
    if not isinstance(url, str) or not url:
        raise ValueError(f"download_mnist: url={url!r} must be the base URL of a mirror, e.g. {MNIST_URL!r}")
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    base = url if url.endswith("/") else url + "/"
    for name in names:
        target = folder / name
        if target.is_file():
            try:
                _check_file(target, name, table[name])
                continue  # already there and intact
            except DownloadError:
                pass  # damaged: download it again; os.replace swaps it only once the new one is checked
        _download(base + name, target, table[name], progress, timeout)
    return folder
