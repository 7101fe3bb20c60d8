"""MNIST: reading the IDX files (checked against their headers) and downloading them whole or not at all."""

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
from pathlib import Path

import numpy as np

from .. import i18n

__all__ = ["load_mnist", "download_mnist", "DownloadError", "MNIST_URL", "MNIST_CHECKSUMS"]

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
        return i18n.message("data.describe_images", count=shape[0], height=shape[1], width=shape[2])
    if len(shape) == 1:
        return i18n.message("data.describe_labels", count=shape[0])
    return i18n.message("data.describe_array", shape=shape)


def _parse_idx(data: bytes, name: str, magic: int | None = None) -> np.ndarray:
    """The unsigned-byte array an IDX file holds, after checking its header against its length.

    IDX layout: 4 magic bytes (0, 0, 0x08 for unsigned bytes, number of dimensions d), then d
    big-endian uint32 sizes, then the values.
    """
    if len(data) < 4:
        raise ValueError(i18n.message("data.idx_short", name=name, size=len(data)))
    found = int.from_bytes(data[:4], "big")
    if magic is not None and found != magic:
        kind = i18n.message("data.of_images" if magic == _IMAGES_MAGIC else "data.of_labels")
        raise ValueError(i18n.message("data.idx_magic_wrong", name=name, found=found, magic=magic, kind=kind))
    ndim = data[3]
    if data[0] != 0 or data[1] != 0 or data[2] != 0x08 or not 1 <= ndim <= 4:
        raise ValueError(i18n.message("data.idx_magic", name=name, found=found))
    header = 4 + 4 * ndim
    if len(data) < header:
        raise ValueError(i18n.message("data.idx_header", name=name, ndim=ndim, header=header, size=len(data)))
    shape = tuple(int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(ndim))
    expected = header + math.prod(shape)
    if len(data) < expected:
        raise ValueError(i18n.message("data.idx_truncated", name=name, what=_describe(shape),
                                      expected=expected, size=len(data)))
    if len(data) > expected:
        raise ValueError(i18n.message("data.idx_too_long", name=name, extra=len(data) - expected,
                                      what=_describe(shape), expected=expected, size=len(data)))
    return np.frombuffer(data, dtype=np.uint8, offset=header).reshape(shape)


def _read(path: Path, name: str) -> bytes:
    """The bytes of `path`, decompressed when `name` (its final name) ends in .gz."""
    data = path.read_bytes()
    if name.endswith(".gz"):
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError, zlib.error) as err:
            raise ValueError(i18n.message("data.gzip", name=name, error=err)) from err
    return data


def _find_idx(folder: Path, stem: str, kind: str) -> Path:
    candidates = [folder / (stem + ".gz"), folder / stem]
    for path in candidates:
        if path.is_file():
            return path
    where = i18n.message("data.folder_missing" if not folder.is_dir() else "data.folder_empty", folder=folder)
    raise FileNotFoundError(i18n.message("data.not_found", kind=i18n.message(kind), first=candidates[0].name,
                                         second=candidates[1].name, where=where, folder=folder))


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
        raise ValueError(i18n.message("data.kind", value=kind))
    folder = Path(path)
    prefix = _MNIST_PREFIX[kind]
    images_path = _find_idx(folder, f"{prefix}-images-idx3-ubyte", "data.of_images")
    labels_path = _find_idx(folder, f"{prefix}-labels-idx1-ubyte", "data.of_labels")
    images = _parse_idx(_read(images_path, images_path.name), images_path.name, _IMAGES_MAGIC)
    if images.shape[1:] != (28, 28):
        raise ValueError(i18n.message("data.image_size", name=images_path.name, height=images.shape[1],
                                      width=images.shape[2]))
    labels = _parse_idx(_read(labels_path, labels_path.name), labels_path.name, _LABELS_MAGIC)
    if len(images) != len(labels):
        raise ValueError(i18n.message("data.mismatch", images=images_path.name, n_images=len(images),
                                      labels=labels_path.name, n_labels=len(labels)))
    return images.copy(), labels.copy()  # frombuffer arrays are read-only


class DownloadError(OSError):
    """A file could not be downloaded whole and intact (network error, truncated or corrupted file)."""


def _algorithm(checksum: str, name: str) -> str:
    """The hash a hex checksum was made with, told by its length: 32 digits md5, 64 digits sha256."""
    algorithms = {32: "md5", 64: "sha256"}
    if not isinstance(checksum, str) or len(checksum) not in algorithms:
        raise ValueError(i18n.message("data.checksum_format", name=name, value=checksum))
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
            raise DownloadError(i18n.message("data.checksum", name=name, algorithm=algorithm,
                                             expected=checksum, actual=actual))
    magic = _IMAGES_MAGIC if "idx3" in name else _LABELS_MAGIC if "idx1" in name else None
    try:
        _parse_idx(_read(path, name), name, magic)
    except ValueError as err:
        raise DownloadError(i18n.message("data.broken", name=name, error=err)) from err


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
        raise DownloadError(i18n.message("data.http", name=name, code=err.code, reason=err.reason,
                                         url=url)) from err
    except (urllib.error.URLError, http.client.HTTPException, OSError) as err:
        reason = getattr(err, "reason", err)
        raise DownloadError(i18n.message("data.network", name=name, url=url, reason=reason)) from err
    if total is not None and received != total:
        raise DownloadError(i18n.message("data.truncated_download", name=name, total=total,
                                         received=received))


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
        raise ValueError(i18n.message("data.files", value=files, names=list(MNIST_CHECKSUMS)))
    table = {**MNIST_CHECKSUMS, **(checksums or {})}
    for name in names:
        if name not in table:
            raise ValueError(i18n.message("data.no_checksum", name=name))
        if table[name] is not None:
            _algorithm(table[name], name)
    if not isinstance(url, str) or not url:
        raise ValueError(i18n.message("data.url", value=url, default=MNIST_URL))
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
