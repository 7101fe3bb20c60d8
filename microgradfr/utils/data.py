"""PyTorch's ``torch.utils.data``: a dataset holds samples, a DataLoader cuts it into mini-batches.

- :class:`TensorDataset` ``(*tensors)``: sample i is ``(t[i] for t in tensors)``, every tensor having
  the same length along axis 0 (the images and their labels);
- :class:`DataLoader` ``(dataset, batch_size=1, shuffle=False, drop_last=False, generator=None)``:
  each pass (an epoch) goes through every sample once, in order or shuffled, ``batch_size`` at a
  time; ``len(loader)`` is the number of batches, ⌈n / batch_size⌉ (⌊n / batch_size⌋ with
  ``drop_last``). A batch of a TensorDataset is a list of tensors, one per tensor of the dataset;
- :func:`random_split` ``(dataset, lengths, generator=None)``: disjoint :class:`Subset`\\ s, drawn at
  random, of the given lengths (or fractions of the whole).

The shuffles draw from ``generator`` (a ``microgradfr.Generator``, as torch's, or a
``numpy.random.Generator``), else from the project's seeded source, so that ``manual_seed`` fixes the
order, as ``torch.manual_seed``.

>>> import numpy as np
>>> from microgradfr import Tensor
>>> X, y = Tensor(np.arange(10.0).reshape(5, 2)), Tensor(np.arange(5), dtype=np.int64)
>>> loader = DataLoader(TensorDataset(X, y), batch_size=2)
>>> len(loader), [yb.tolist() for Xb, yb in loader]
(3, [[0, 1], [2, 3], [4]])
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from .. import i18n
from ..random import Generator, source
from ..tensor import Tensor, stack

__all__ = ["Dataset", "TensorDataset", "Subset", "DataLoader", "random_split", "default_collate"]


class Dataset:
    """What a dataset is, as torch's: ``dataset[i]`` is sample i and ``len(dataset)`` their number."""

    def __getitem__(self, index):
        raise NotImplementedError(i18n.message("utils.data.no_getitem", type=type(self).__name__))

    def __len__(self) -> int:
        raise NotImplementedError(i18n.message("utils.data.no_len", type=type(self).__name__))


class TensorDataset(Dataset):
    """Tensors of one length along axis 0, read together: sample i is ``(t[i] for t in tensors)``.

    >>> data = TensorDataset(Tensor([[1.0, 2.0], [3.0, 4.0]]), Tensor([0, 1], dtype=np.int64))
    >>> len(data), data[1]
    (2, (Tensor([3., 4.]), Tensor(1, dtype=int64)))
    """

    def __init__(self, *tensors):
        if not tensors:
            raise ValueError(i18n.message("utils.data.no_tensors"))
        for i, t in enumerate(tensors):
            if not isinstance(t, Tensor):
                raise TypeError(i18n.message("utils.data.not_a_tensor", index=i, type=type(t).__name__))
            if t.ndim == 0:
                raise ValueError(i18n.message("utils.data.zero_dim", index=i))
        lengths = [t.shape[0] for t in tensors]
        if len(set(lengths)) > 1:
            raise ValueError(i18n.message("utils.data.size_mismatch", lengths=lengths,
                                          shapes=", ".join(str(t.shape) for t in tensors)))
        self.tensors = tensors

    def __getitem__(self, index):
        return tuple(t[index] for t in self.tensors)

    def __len__(self) -> int:
        return self.tensors[0].shape[0]


class Subset(Dataset):
    """The samples of ``dataset`` at ``indices``, in that order: ``subset[i]`` is ``dataset[indices[i]]``."""

    def __init__(self, dataset, indices):
        self.dataset = dataset
        self.indices = list(indices)

    def __getitem__(self, index):
        if isinstance(index, (list, np.ndarray)):
            return self.dataset[[self.indices[i] for i in index]]
        return self.dataset[self.indices[index]]

    def __len__(self) -> int:
        return len(self.indices)


def default_collate(samples):
    """Samples put together into one batch, field by field, as torch's ``default_collate``: tensors
    and arrays are stacked along a new axis 0, ints become an int64 tensor, floats a float64 one,
    tuples and lists a list of batched fields, dicts a dict of them; strings stay a list.

    >>> default_collate([(Tensor([1.0, 2.0]), 0), (Tensor([3.0, 4.0]), 1)])
    [Tensor([[1., 2.],
           [3., 4.]]), Tensor([0, 1], dtype=int64)]
    """
    first = samples[0]
    if isinstance(first, Tensor):
        return stack(list(samples))
    if isinstance(first, np.ndarray):
        batch = np.stack(samples)
        return Tensor(batch, dtype=batch.dtype)
    if isinstance(first, (bool, np.bool_)):
        return Tensor(np.array(samples, dtype=bool), dtype=bool)
    if isinstance(first, numbers.Integral):
        return Tensor(np.array(samples, dtype=np.int64), dtype=np.int64)
    if isinstance(first, numbers.Real):
        return Tensor(np.array(samples, dtype=np.float64))
    if isinstance(first, str):
        return list(samples)
    if isinstance(first, dict):
        return {key: default_collate([s[key] for s in samples]) for key in first}
    if isinstance(first, (tuple, list)):
        return [default_collate(list(field)) for field in zip(*samples)]
    raise TypeError(i18n.message("utils.data.collate_type", type=type(first).__name__))


def _batch(dataset, rows: np.ndarray):
    """The samples ``rows`` of ``dataset`` as one batch: a TensorDataset (or a Subset of one) is
    indexed once per tensor with every row at a time; any other dataset is read sample by sample."""
    if isinstance(dataset, TensorDataset):
        return [t[rows] for t in dataset.tensors]
    if isinstance(dataset, Subset):
        return _batch(dataset.dataset, np.asarray(dataset.indices, dtype=np.int64)[rows])
    return default_collate([dataset[int(i)] for i in rows])


def _generator(function: str, generator):
    if generator is None or isinstance(generator, (Generator, np.random.Generator)):
        return generator
    raise TypeError(i18n.message("utils.data.generator", function=function, type=type(generator).__name__))


def _permutation(n: int, generator) -> np.ndarray:
    """A random order of 0..n−1 from ``generator``, else from the project's seeded one (read now, so
    that a ``manual_seed`` made after building the loader still counts)."""
    return source(generator).permutation(n)


class DataLoader:
    """The samples of ``dataset`` in mini-batches of ``batch_size``, one pass per ``for`` loop.

    ``shuffle=True`` takes a new random order at every pass (``manual_seed`` or ``generator`` make
    it reproducible); ``drop_last=True`` leaves out a last, smaller batch.

    >>> import microgradfr
    >>> data = TensorDataset(Tensor(np.arange(6), dtype=np.int64))
    >>> microgradfr.manual_seed(0); first = [b.tolist() for (b,) in DataLoader(data, 4, shuffle=True)]
    >>> microgradfr.manual_seed(0); first == [b.tolist() for (b,) in DataLoader(data, 4, shuffle=True)]
    True
    >>> len(DataLoader(data, batch_size=4)), len(DataLoader(data, batch_size=4, drop_last=True))
    (2, 1)
    """

    def __init__(self, dataset, batch_size=1, shuffle: bool = False, drop_last: bool = False, generator=None):
        if not (hasattr(dataset, "__getitem__") and hasattr(dataset, "__len__")):
            raise TypeError(i18n.message("utils.data.not_a_dataset", type=type(dataset).__name__))
        if isinstance(batch_size, bool) or not isinstance(batch_size, numbers.Integral) or batch_size < 1:
            raise ValueError(i18n.message("utils.data.batch_size", batch_size=batch_size))
        self.dataset = dataset
        self.batch_size = int(batch_size)
        self.shuffle = bool(shuffle)
        self.drop_last = bool(drop_last)
        self.generator = _generator("DataLoader", generator)

    def __len__(self) -> int:
        n = len(self.dataset)
        return n // self.batch_size if self.drop_last else math.ceil(n / self.batch_size)

    def __iter__(self):
        n = len(self.dataset)
        order = _permutation(n, self.generator) if self.shuffle else np.arange(n)
        for start in range(0, len(self) * self.batch_size, self.batch_size):
            yield _batch(self.dataset, order[start:start + self.batch_size])


def _lengths(lengths, n: int) -> list:
    """The subsets' sizes: ints as given, or fractions of n (floored, the rest handed out one by
    one from the first subset on, as torch), each checked; their sum must be n."""
    lengths = list(lengths)
    fractions = bool(lengths) and not all(isinstance(v, numbers.Integral) for v in lengths)
    if fractions and math.isclose(math.fsum(lengths), 1.0) and n > 0:
        for i, fraction in enumerate(lengths):
            if not 0 <= fraction <= 1:
                raise ValueError(i18n.message("utils.data.split_fraction", index=i, fraction=fraction))
        sizes = [math.floor(n * fraction) for fraction in lengths]
        for i in range(n - sum(sizes)):
            sizes[i % len(sizes)] += 1
        return sizes
    if fractions or any(v < 0 for v in lengths) or sum(lengths) != n:
        raise ValueError(i18n.message("utils.data.split_lengths", lengths=lengths, total=n))
    return [int(v) for v in lengths]


def random_split(dataset, lengths, generator=None) -> list:
    """``dataset`` cut at random into disjoint :class:`Subset`\\ s of the given ``lengths`` (which
    sum to ``len(dataset)``), or fractions of it (which sum to 1).

    >>> data = TensorDataset(Tensor(np.arange(10.0)))
    >>> [len(part) for part in random_split(data, [0.8, 0.2])]
    [8, 2]
    """
    generator = _generator("random_split", generator)
    sizes = _lengths(lengths, len(dataset))
    order = _permutation(len(dataset), generator).tolist()
    ends = np.cumsum(sizes).tolist()
    return [Subset(dataset, order[end - size:end]) for size, end in zip(sizes, ends)]
