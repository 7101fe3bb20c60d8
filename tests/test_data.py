"""Tests of microgradfr.data: toy data sets, splits, batches, digits, MNIST files and their download.

Expected values are worked out by hand in the comments; the MNIST download is served by a local
http.server on 127.0.0.1 (no other network).
"""

import gzip
import hashlib
import http.server
import re
import socket
import struct
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microgradfr.data as data
from microgradfr import i18n
from microgradfr.data import (
    DownloadError,
    batches,
    download_mnist,
    kfold,
    load_digits,
    load_mnist,
    logic_gate,
    make_blobs,
    make_circles,
    make_moons,
    make_spirals,
    train_test_split,
)


@pytest.fixture(autouse=True, scope="module")
def _english():
    """These tests read the English messages (test_error_messages.py checks both languages)."""
    with i18n.language("en"):
        yield


quick = settings(deadline=None, max_examples=40)
sizes = st.integers(min_value=2, max_value=300)
seeds = st.integers(min_value=0, max_value=2**32 - 1)

GENERATORS = {
    "moons": lambda n, seed: make_moons(n, noise=0.1, seed=seed),
    "circles": lambda n, seed: make_circles(n, noise=0.1, seed=seed),
    "blobs": lambda n, seed: make_blobs(n, seed=seed),
    "spirals": lambda n, seed: make_spirals(n, noise=0.1, seed=seed),
}


# ---------------------------------------------------------------- toy data sets


@pytest.mark.parametrize("name", GENERATORS)
@quick
@given(n=sizes, seed=seeds)
def test_shapes_dtypes_and_two_balanced_classes(name, n, seed):
    X, y = GENERATORS[name](n, seed)
    assert X.shape == (n, 2) and X.dtype == np.float64
    assert y.shape == (n,) and y.dtype.kind == "i"
    # two classes: n // 2 in class 0 for moons and circles; for blobs and spirals class 0 takes the odd one
    counts = np.bincount(y, minlength=2).tolist()
    assert sorted(counts) == [n // 2, n - n // 2]


@pytest.mark.parametrize("name", GENERATORS)
def test_same_seed_same_data_other_seed_other_data(name):
    X1, y1 = GENERATORS[name](50, 7)
    X2, y2 = GENERATORS[name](50, 7)
    X3, _ = GENERATORS[name](50, 8)
    np.testing.assert_array_equal(X1, X2)
    np.testing.assert_array_equal(y1, y2)
    assert not np.array_equal(X1, X3)


@quick
@given(n=sizes, seed=seeds)
def test_moons_without_noise_lie_on_the_two_half_circles(n, seed):
    X, y = make_moons(n, seed=seed)
    upper, lower = X[y == 0], X[y == 1]
    # upper moon: (cos t, sin t), t in [0, π] -> unit circle, y >= 0
    np.testing.assert_allclose(upper[:, 0] ** 2 + upper[:, 1] ** 2, 1.0)
    assert (upper[:, 1] >= -1e-12).all()
    # lower moon: (1 − cos t, 0.5 − sin t) -> circle of radius 1 around (1, 0.5), below y = 0.5
    np.testing.assert_allclose((lower[:, 0] - 1) ** 2 + (lower[:, 1] - 0.5) ** 2, 1.0)
    assert (lower[:, 1] <= 0.5 + 1e-12).all()


def test_moons_end_points():
    # 3 points per moon: t = 0, π/2, π -> (1, 0), (0, 1), (-1, 0) and (0, 0.5), (1, -0.5), (2, 0.5)
    X, y = make_moons(6, shuffle=False)
    expected = [[1, 0], [0, 1], [-1, 0], [0, 0.5], [1, -0.5], [2, 0.5]]
    np.testing.assert_allclose(X, expected, atol=1e-12)
    assert y.tolist() == [0, 0, 0, 1, 1, 1]


@quick
@given(n=sizes, seed=seeds, factor=st.floats(0.0, 0.99))
def test_circles_radii_are_one_and_factor(n, seed, factor):
    X, y = make_circles(n, factor=factor, seed=seed)
    radius = np.hypot(X[:, 0], X[:, 1])
    np.testing.assert_allclose(radius[y == 0], 1.0)
    np.testing.assert_allclose(radius[y == 1], factor, atol=1e-12)


def test_noise_is_gaussian_with_the_given_standard_deviation():
    # same seed -> same shuffle, so the noisy points minus the clean ones are the noise alone
    clean, _ = make_circles(4000, seed=3)
    noisy, _ = make_circles(4000, noise=0.1, seed=3)
    deviation = noisy - clean
    assert abs(deviation.mean()) < 0.01
    assert 0.095 < deviation.std() < 0.105


def test_blobs_with_zero_spread_sit_on_their_centers():
    centers = np.array([[0.0, 0.0], [5.0, -5.0], [10.0, 3.0]])
    X, y = make_blobs(10, centers=centers, cluster_std=0.0, seed=1)
    np.testing.assert_array_equal(X, centers[y])
    # 10 samples over 3 classes: 4, 3, 3
    assert np.bincount(y).tolist() == [4, 3, 3]


def test_blobs_random_centers_in_the_box_and_spread():
    X, y = make_blobs(3000, centers=3, n_features=5, cluster_std=2.0, seed=0, center_box=(-10, 10))
    assert X.shape == (3000, 5)
    for k in range(3):
        points = X[y == k]
        assert (np.abs(points.mean(axis=0)) < 10.5).all()
        assert 1.85 < points.std(axis=0).mean() < 2.15


@pytest.mark.parametrize("n_classes", [2, 3, 5])
def test_spirals_follow_their_formula(n_classes):
    X, y = make_spirals(60, n_classes=n_classes, seed=0)
    r = np.hypot(X[:, 0], X[:, 1])
    assert r.min() == pytest.approx(0.1) and r.max() == pytest.approx(1.0)
    # θ − 3π·r − 2πk/K must be a multiple of 2π: compare as points on the unit circle
    angle = np.arctan2(X[:, 1], X[:, 0]) - 3 * np.pi * r - 2 * np.pi * y / n_classes
    np.testing.assert_allclose(np.cos(angle), 1.0, atol=1e-9)
    assert np.bincount(y).tolist() == [60 // n_classes] * n_classes


@pytest.mark.parametrize(
    "gate, outputs",
    [("and", [0, 0, 0, 1]), ("or", [0, 1, 1, 1]), ("xor", [0, 1, 1, 0]), ("XOR", [0, 1, 1, 0])],
)
def test_logic_gates_truth_tables(gate, outputs):
    X, y = logic_gate(gate)
    assert X.dtype == np.float64 and y.dtype.kind == "i"
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert y.tolist() == outputs


BAD_ARGUMENTS = [
    (make_moons, {"n_samples": 1}, "n_samples=1"),
    (make_moons, {"n_samples": 2.5}, "n_samples=2.5"),
    (make_moons, {"noise": -0.1}, "noise=-0.1"),
    (make_moons, {"seed": -3}, "seed=-3"),
    (make_circles, {"factor": 1.0}, "factor=1.0"),
    (make_circles, {"factor": -0.2}, "factor=-0.2"),
    (make_blobs, {"centers": 0}, "centers=0"),
    (make_blobs, {"centers": [1, 2, 3]}, "centers"),
    (make_blobs, {"cluster_std": -1}, "cluster_std=-1"),
    (make_spirals, {"n_classes": 1}, "n_classes=1"),
    (logic_gate, {"name": "xand"}, "'xand'"),
    (lambda **kw: list(kfold(**kw)), {"n_samples": 3, "k": 4}, "k=4"),
    (lambda **kw: list(kfold(**kw)), {"n_samples": 10, "k": 1}, "k=1"),
    (train_test_split, {"X": np.zeros((4, 2)), "y": np.zeros(4), "test_size": 1.5}, "test_size=1.5"),
    (train_test_split, {"X": np.zeros((4, 2)), "y": np.zeros(4), "test_size": 4}, "test_size=4"),
    (train_test_split, {"X": np.zeros((4, 2)), "y": np.zeros(3)}, "4 rows but y has 3"),
    (lambda **kw: list(batches(**kw)), {"X": np.zeros((4, 2)), "y": np.zeros(4), "batch_size": 0},
     "batch_size=0"),
]


@pytest.mark.parametrize("function, kwargs, fragment", BAD_ARGUMENTS)
def test_bad_arguments_name_the_argument(function, kwargs, fragment):
    with pytest.raises(ValueError, match=re.escape(fragment)):
        function(**kwargs)


# ---------------------------------------------------------------- splits and batches


def _numbered(n):
    """X whose row i is (i, -i), y = i: every sample can be recognised after a shuffle."""
    i = np.arange(n)
    return np.column_stack([i, -i]), i


def test_train_test_split_sizes_by_hand():
    X, y = _numbered(10)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.25, seed=0)
    # ceil(0.25 * 10) = 3 test samples, 7 for training
    assert (len(X_train), len(X_test), len(y_train), len(y_test)) == (7, 3, 7, 3)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=4, shuffle=False)
    assert y_train.tolist() == [0, 1, 2, 3, 4, 5] and y_test.tolist() == [6, 7, 8, 9]


@quick
@given(n=st.integers(2, 200), fraction=st.floats(0.01, 0.99), seed=seeds)
def test_train_test_split_is_a_partition_that_keeps_rows_with_labels(n, fraction, seed):
    X, y = _numbered(n)
    n_test = int(np.ceil(fraction * n))
    if not 1 <= n_test <= n - 1:
        with pytest.raises(ValueError, match="test_size"):
            train_test_split(X, y, test_size=fraction, seed=seed)
        return
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=fraction, seed=seed)
    assert len(y_test) == n_test
    assert sorted(y_train.tolist() + y_test.tolist()) == list(range(n))
    np.testing.assert_array_equal(X_train[:, 0], y_train)
    np.testing.assert_array_equal(X_test[:, 0], y_test)


def test_train_test_split_is_seeded():
    X, y = _numbered(30)
    first = train_test_split(X, y, seed=4)
    again = train_test_split(X, y, seed=4)
    other = train_test_split(X, y, seed=5)
    for a, b in zip(first, again):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[3], other[3])


def test_kfold_fold_sizes_by_hand():
    # 10 samples in 3 folds: 4, 3, 3; without shuffling the folds are consecutive
    folds = list(kfold(10, k=3, shuffle=False))
    assert [val.tolist() for _, val in folds] == [[0, 1, 2, 3], [4, 5, 6], [7, 8, 9]]
    assert folds[1][0].tolist() == [0, 1, 2, 3, 7, 8, 9]


@quick
@given(n=st.integers(2, 100), k=st.integers(2, 10), seed=seeds, shuffle=st.booleans())
def test_kfold_uses_every_index_once_for_validation(n, k, seed, shuffle):
    if k > n:
        return
    folds = list(kfold(n, k=k, shuffle=shuffle, seed=seed))
    assert len(folds) == k
    validated = np.concatenate([val for _, val in folds])
    assert sorted(validated.tolist()) == list(range(n))
    for train, val in folds:
        assert set(train.tolist()).isdisjoint(val.tolist())
        assert len(train) + len(val) == n
        assert len(val) in (n // k, n // k + 1)


@quick
@given(n=st.integers(1, 200), batch_size=st.integers(1, 64), seed=seeds, shuffle=st.booleans())
def test_batches_cover_every_sample_once(n, batch_size, seed, shuffle):
    X, y = _numbered(n)
    parts = list(batches(X, y, batch_size, shuffle=shuffle, seed=seed))
    assert len(parts) == -(-n // batch_size)  # ceil(n / batch_size)
    assert all(len(yb) == batch_size for _, yb in parts[:-1])
    seen = np.concatenate([yb for _, yb in parts])
    assert sorted(seen.tolist()) == list(range(n))
    for Xb, yb in parts:
        np.testing.assert_array_equal(Xb[:, 0], yb)


def test_batches_by_hand_and_seeding():
    X, y = _numbered(5)
    assert [yb.tolist() for _, yb in batches(X, y, 2, shuffle=False)] == [[0, 1], [2, 3], [4]]
    order = lambda seed: np.concatenate([yb for _, yb in batches(X, y, 2, seed=seed)]).tolist()  # noqa: E731
    assert order(3) == order(3)
    # a Generator advances between calls: two epochs in (almost surely) different orders, reproducibly
    X, y = _numbered(50)
    rng = np.random.default_rng(0)
    epoch1 = np.concatenate([yb for _, yb in batches(X, y, 8, seed=rng)])
    epoch2 = np.concatenate([yb for _, yb in batches(X, y, 8, seed=rng)])
    assert not np.array_equal(epoch1, epoch2)
    rng = np.random.default_rng(0)
    np.testing.assert_array_equal(epoch1, np.concatenate([yb for _, yb in batches(X, y, 8, seed=rng)]))


# ---------------------------------------------------------------- digits


def test_load_digits():
    X, y = load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64
    assert y.shape == (1797,) and y.dtype.kind == "i"
    assert X.min() == 0 and X.max() == 16
    np.testing.assert_array_equal(X, np.round(X))  # pixel counts are whole numbers
    # per-class counts of this test set, as published with scikit-learn's copy of it
    counts = np.bincount(y, minlength=10)
    assert counts.tolist() == [178, 182, 177, 183, 181, 182, 181, 179, 174, 180]
    assert counts.sum() == 1797
    # first row of digits.csv.gz: a 0 whose top pixel row is 0,0,5,13,9,1,0,0
    assert y[0] == 0 and X[0, :8].tolist() == [0, 0, 5, 13, 9, 1, 0, 0]


def test_load_digits_images():
    images, y = load_digits(return_images=True)
    X, _ = load_digits()
    assert images.shape == (1797, 8, 8)
    np.testing.assert_array_equal(images[0, 0], [0, 0, 5, 13, 9, 1, 0, 0])
    np.testing.assert_array_equal(images.reshape(1797, 64), X)


# ---------------------------------------------------------------- MNIST files

IMAGES, LABELS = "images", "labels"


def idx_bytes(what, array, magic=None, count=None):
    """An IDX file by hand: big-endian uint32 magic, sizes, then the bytes (`count` overrides n)."""
    array = np.asarray(array, dtype=np.uint8)
    magic = magic if magic is not None else (2051 if what == IMAGES else 2049)
    shape = list(array.shape)
    if count is not None:
        shape[0] = count
    return struct.pack(f">{1 + len(shape)}I", magic, *shape) + array.tobytes()


def sample_digits(n=5, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, size=(n, 28, 28), dtype=np.uint8), rng.integers(0, 10, size=n, dtype=np.uint8)


def write_mnist(folder, images, labels, kind="train", gz=True, image_bytes=None, label_bytes=None):
    prefix = "train" if kind == "train" else "t10k"
    folder.mkdir(parents=True, exist_ok=True)
    if image_bytes is None:
        image_bytes = idx_bytes(IMAGES, images)
    if label_bytes is None:
        label_bytes = idx_bytes(LABELS, labels)
    stems = [f"{prefix}-images-idx3-ubyte", f"{prefix}-labels-idx1-ubyte"]
    for stem, content in zip(stems, [image_bytes, label_bytes]):
        if gz:
            (folder / (stem + ".gz")).write_bytes(gzip.compress(content))
        else:
            (folder / stem).write_bytes(content)


def test_idx_header_by_hand():
    # 2051 = 0x00000803: two zero bytes, 0x08 (unsigned byte), 3 dimensions
    header = bytes.fromhex("00000803 00000005 0000001c 0000001c")
    assert idx_bytes(IMAGES, np.zeros((5, 28, 28)))[:16] == header


@pytest.mark.parametrize("gz", [True, False])
@pytest.mark.parametrize("kind", ["train", "test"])
def test_load_mnist_reads_what_was_written(tmp_path, gz, kind):
    images, labels = sample_digits()
    write_mnist(tmp_path, images, labels, kind=kind, gz=gz)
    X, y = load_mnist(tmp_path, kind=kind)
    assert X.shape == (5, 28, 28) and X.dtype == np.uint8
    assert y.shape == (5,) and y.dtype == np.uint8
    np.testing.assert_array_equal(X, images)
    np.testing.assert_array_equal(y, labels)
    X[0, 0, 0] = 1  # the arrays belong to the caller


@pytest.mark.parametrize("gz", [True, False])
def test_truncated_images_file(tmp_path, gz):
    images, labels = sample_digits()
    # header says 5 images, only 3 follow: 16 + 5·784 = 3936 bytes announced, 16 + 3·784 = 2368 present
    write_mnist(tmp_path, images, labels, gz=gz, image_bytes=idx_bytes(IMAGES, images[:3], count=5))
    name = "train-images-idx3-ubyte" + (".gz" if gz else "")
    message = f"{name}: truncated: header says 5 images of 28×28 (3936 bytes) but the file holds 2368 bytes"
    with pytest.raises(ValueError, match=re.escape(message)):
        load_mnist(tmp_path)


def test_trailing_bytes_are_refused(tmp_path):
    images, labels = sample_digits()
    write_mnist(tmp_path, images, labels, label_bytes=idx_bytes(LABELS, labels) + b"\0\0")
    with pytest.raises(ValueError, match="train-labels-idx1-ubyte.gz: 2 bytes too many"):
        load_mnist(tmp_path)


def test_wrong_magic_number(tmp_path):
    images, labels = sample_digits()
    # a label file's magic (2049) at the head of the image file
    write_mnist(tmp_path, images, labels, image_bytes=idx_bytes(IMAGES, images, magic=2049)[:8])
    message = "train-images-idx3-ubyte.gz: wrong magic number 2049 (expected 2051"
    with pytest.raises(ValueError, match=re.escape(message)):
        load_mnist(tmp_path)


def test_labels_with_an_image_magic(tmp_path):
    images, labels = sample_digits()
    wrong = idx_bytes(LABELS, labels, magic=2051)
    write_mnist(tmp_path, images, labels, kind="test", gz=False, label_bytes=wrong)
    with pytest.raises(ValueError, match="t10k-labels-idx1-ubyte: wrong magic number 2051"):
        load_mnist(tmp_path, kind="test")


def test_image_label_count_mismatch(tmp_path):
    images, labels = sample_digits()
    write_mnist(tmp_path, images, labels[:4])
    with pytest.raises(ValueError, match="holds 5 images but train-labels-idx1-ubyte.gz holds 4 labels"):
        load_mnist(tmp_path)


def test_images_must_be_28_by_28(tmp_path):
    _, labels = sample_digits()
    write_mnist(tmp_path, np.zeros((5, 14, 14)), labels)
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz: images are 14×14"):
        load_mnist(tmp_path)


def test_broken_gzip(tmp_path):
    images, labels = sample_digits()
    write_mnist(tmp_path, images, labels)
    path = tmp_path / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:100])
    with pytest.raises(ValueError, match="train-images-idx3-ubyte.gz: not a complete gzip file"):
        load_mnist(tmp_path)


def test_missing_files_point_to_download(tmp_path):
    looked_for = "train-images-idx3-ubyte.gz and train-images-idx3-ubyte"
    with pytest.raises(FileNotFoundError, match=looked_for) as err:
        load_mnist(tmp_path / "nowhere")
    assert "download_mnist" in str(err.value) and "does not exist" in str(err.value)
    images, labels = sample_digits()
    write_mnist(tmp_path, images, labels)
    with pytest.raises(FileNotFoundError, match="t10k-images-idx3-ubyte.gz"):
        load_mnist(tmp_path, kind="test")
    with pytest.raises(ValueError, match="kind='validation'"):
        load_mnist(tmp_path, kind="validation")


# ---------------------------------------------------------------- download_mnist against a local server


class Mirror:
    """A tiny HTTP mirror on 127.0.0.1: serves `files`, counts requests, can misbehave per file."""

    def __init__(self):
        self.files = {}
        self.modes = {}  # name -> "cut" (close half-way) | "slow" (answer after 2 s)
        self.hits = {}
        mirror = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                name = self.path.lstrip("/")
                mirror.hits[name] = mirror.hits.get(name, 0) + 1
                if name not in mirror.files:
                    self.send_error(404)
                    return
                body, mode = mirror.files[name], mirror.modes.get(name)
                if mode == "slow":
                    time.sleep(2)
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                if mode == "cut":
                    self.wfile.write(body[: len(body) // 2])
                    self.wfile.flush()
                    self.close_connection = True
                    return
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


NAMES = list(data.MNIST_CHECKSUMS)


@pytest.fixture
def mirror(monkeypatch):
    for variable in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    mirror = Mirror()
    train, test = sample_digits(5, seed=1), sample_digits(3, seed=2)
    mirror.originals = {"train": train, "test": test}
    contents = [idx_bytes(IMAGES, train[0]), idx_bytes(LABELS, train[1]),
                idx_bytes(IMAGES, test[0]), idx_bytes(LABELS, test[1])]
    mirror.files = {name: gzip.compress(content) for name, content in zip(NAMES, contents)}
    mirror.sha256 = {name: hashlib.sha256(body).hexdigest() for name, body in mirror.files.items()}
    yield mirror
    mirror.close()


def leftovers(folder):
    """Files in `folder` other than the four final names (temporary .part files, say)."""
    return sorted(path.name for path in Path(folder).iterdir() if path.name not in NAMES)


def test_builtin_checksums_are_sha256_of_the_four_files():
    assert sorted(NAMES) == sorted(["train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                                    "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"])
    assert all(len(value) == 64 and int(value, 16) >= 0 for value in data.MNIST_CHECKSUMS.values())


def test_download_then_load(mirror, tmp_path):
    dest = tmp_path / "mnist"
    folder = download_mnist(dest, url=mirror.url, checksums=mirror.sha256, progress=False, timeout=5)
    assert folder == dest
    assert sorted(path.name for path in dest.iterdir()) == sorted(NAMES)
    for kind in ("train", "test"):
        X, y = load_mnist(dest, kind=kind)
        np.testing.assert_array_equal(X, mirror.originals[kind][0])
        np.testing.assert_array_equal(y, mirror.originals[kind][1])
    assert all(mirror.hits[name] == 1 for name in NAMES)


def test_md5_checksums_and_progress_bar(mirror, tmp_path, capsys):
    md5 = {name: hashlib.md5(body).hexdigest() for name, body in mirror.files.items()}
    url = mirror.url.rstrip("/")  # a base URL without its final slash works too
    download_mnist(tmp_path, url=url, files=NAMES[:2], checksums=md5, progress=True, timeout=5)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(NAMES[:2])
    assert "train-images-idx3-ubyte.gz" in capsys.readouterr().err  # tqdm writes to stderr


def test_present_files_are_not_downloaded_again(mirror, tmp_path):
    download_mnist(tmp_path, url=mirror.url, checksums=mirror.sha256, progress=False, timeout=5)
    download_mnist(tmp_path, url=mirror.url, checksums=mirror.sha256, progress=False, timeout=5)
    assert all(mirror.hits[name] == 1 for name in NAMES)
    # a damaged file is fetched again and repaired
    (tmp_path / NAMES[1]).write_bytes(b"garbage")
    download_mnist(tmp_path, url=mirror.url, checksums=mirror.sha256, progress=False, timeout=5)
    assert mirror.hits[NAMES[1]] == 2 and mirror.hits[NAMES[0]] == 1
    assert (tmp_path / NAMES[1]).read_bytes() == mirror.files[NAMES[1]]


def test_wrong_checksum_leaves_nothing(mirror, tmp_path):
    wrong = {**mirror.sha256, NAMES[0]: "0" * 64}
    with pytest.raises(DownloadError, match="train-images-idx3-ubyte.gz: checksum mismatch"):
        download_mnist(tmp_path, url=mirror.url, checksums=wrong, progress=False, timeout=5)
    assert mirror.hits[NAMES[0]] == 1
    assert list(tmp_path.iterdir()) == []  # no file, no temporary file
    with pytest.raises(FileNotFoundError):
        load_mnist(tmp_path)


def test_connection_closed_half_way_leaves_nothing(mirror, tmp_path):
    mirror.modes[NAMES[1]] = "cut"
    with pytest.raises(DownloadError, match="train-labels-idx1-ubyte.gz: truncated download"):
        download_mnist(tmp_path, url=mirror.url, checksums=mirror.sha256, progress=False, timeout=5)
    assert not (tmp_path / NAMES[1]).exists()
    assert leftovers(tmp_path) == []
    with pytest.raises(FileNotFoundError):
        load_mnist(tmp_path)


@pytest.mark.parametrize("checksum", ["right one of the whole file", "none"])
def test_truncated_file_on_the_server_leaves_nothing(mirror, tmp_path, checksum):
    whole = mirror.files[NAMES[0]]
    mirror.files[NAMES[0]] = whole[: len(whole) // 2]  # consistent Content-Length, but half a file
    sums = {**mirror.sha256, NAMES[0]: mirror.sha256[NAMES[0]] if checksum != "none" else None}
    expected = "checksum mismatch" if checksum != "none" else "the downloaded file is broken"
    with pytest.raises(DownloadError, match=f"train-images-idx3-ubyte.gz: {expected}"):
        download_mnist(tmp_path, url=mirror.url, checksums=sums, progress=False, timeout=5)
    assert list(tmp_path.iterdir()) == []


def test_http_error_and_unreachable_server(mirror, tmp_path):
    del mirror.files[NAMES[3]]
    with pytest.raises(DownloadError, match="t10k-labels-idx1-ubyte.gz: the server answered 404"):
        download_mnist(tmp_path, url=mirror.url, checksums=mirror.sha256, progress=False, timeout=5)
    assert sorted(path.name for path in tmp_path.iterdir()) == sorted(NAMES[:3])  # the good ones stay
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(DownloadError, match="could not download"):
        download_mnist(tmp_path / "other", url=f"http://127.0.0.1:{port}/", progress=False, timeout=5)
    assert list((tmp_path / "other").iterdir()) == []


def test_timeout(mirror, tmp_path):
    mirror.modes[NAMES[0]] = "slow"
    started = time.monotonic()
    with pytest.raises(DownloadError, match="train-images-idx3-ubyte.gz"):
        download_mnist(tmp_path, url=mirror.url, checksums=mirror.sha256, progress=False, timeout=0.5)
    assert time.monotonic() - started < 1.9
    assert list(tmp_path.iterdir()) == []


def test_download_arguments_are_checked_before_any_request(mirror, tmp_path):
    with pytest.raises(ValueError, match="no checksum known for 'fashion.gz'"):
        download_mnist(tmp_path, url=mirror.url, files=["fashion.gz"], progress=False)
    with pytest.raises(ValueError, match="must be a hex md5"):
        download_mnist(tmp_path, url=mirror.url, checksums={NAMES[0]: "abc"}, progress=False)
    assert mirror.hits == {}
