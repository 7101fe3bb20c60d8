"""microgradfr.utils.data against torch.utils.data: datasets, batches, shuffles, splits, and a
PyTorch-style training script run with ``import microgradfr as torch``."""
import time

import numpy as np
import pytest

import microgradfr
from microgradfr import Tensor
from microgradfr.data import load_digits, train_test_split
from microgradfr.utils.data import DataLoader, Dataset, Subset, TensorDataset, default_collate, random_split

torch = pytest.importorskip("torch")
tdata = torch.utils.data


def _pair(n):
    """The same (X, y) as our tensors and as torch's."""
    X, y = np.arange(2.0 * n).reshape(n, 2), np.arange(n) % 3
    return (Tensor(X), Tensor(y, dtype=np.int64)), (torch.tensor(X), torch.tensor(y))


def _same(ours, theirs):
    """Two batches (lists of tensors) hold the same numbers, shapes and dtypes."""
    assert isinstance(ours, list) and len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == tuple(b.shape) and str(a.dtype) == str(b.dtype).removeprefix("torch.")
        np.testing.assert_array_equal(a.data, b.numpy())


@pytest.mark.parametrize("index", [0, -1, 3, slice(1, 4)])
def test_a_tensor_dataset_reads_as_torchs(index):
    ours, theirs = _pair(5)
    mine, expected = TensorDataset(*ours), tdata.TensorDataset(*theirs)
    assert len(mine) == len(expected)
    _same(list(mine[index]), list(expected[index]))


LOADERS = [(10, 3, False), (10, 3, True), (9, 3, False), (9, 3, True),
           (2, 5, False), (2, 5, True), (4, 1, False)]


@pytest.mark.parametrize("n, batch_size, drop_last", LOADERS)
def test_batches_in_order_are_torchs(n, batch_size, drop_last):
    ours, theirs = _pair(n)
    mine = DataLoader(TensorDataset(*ours), batch_size=batch_size, drop_last=drop_last)
    expected = tdata.DataLoader(tdata.TensorDataset(*theirs), batch_size=batch_size, drop_last=drop_last)
    assert len(mine) == len(expected)
    batches = list(mine)
    assert len(batches) == len(list(expected))
    for a, b in zip(batches, expected):
        _same(a, b)


def _order(loader):
    return [int(i) for (_, yb) in loader for i in yb.data]


def test_a_shuffle_covers_every_sample_once_and_a_seed_repeats_it():
    n = 11
    data = TensorDataset(Tensor(np.zeros((n, 1))), Tensor(np.arange(n), dtype=np.int64))
    loader = DataLoader(data, batch_size=4, shuffle=True)
    microgradfr.manual_seed(3)
    first, second = _order(loader), _order(loader)
    assert sorted(first) == sorted(second) == list(range(n))
    assert first != second  # a new order at each epoch
    microgradfr.manual_seed(3)
    assert _order(loader) == first and _order(loader) == second
    for make in (lambda: np.random.default_rng(7), lambda: microgradfr.Generator().manual_seed(7)):
        seeded = [_order(DataLoader(data, 4, shuffle=True, generator=make())) for _ in range(2)]
        assert seeded[0] == seeded[1] and sorted(seeded[0]) == list(range(n))
    parts = [random_split(data, [6, 5], generator=microgradfr.Generator().manual_seed(1)) for _ in range(2)]
    assert [p.indices for p in parts[0]] == [p.indices for p in parts[1]]


def _floats(lib, values):
    return lib.tensor(values, dtype=lib.float64)  # float64 on both sides (torch's default is float32)


SAMPLES = {
    "tensor and int": lambda lib: [(_floats(lib, [1.0, 2.0]), 0), (_floats(lib, [3.0, 4.0]), 2)],
    "float": lambda lib: [0.5, 1.5, 2.5],
    "bool": lambda lib: [True, False],
    "dict": lambda lib: [{"x": _floats(lib, [1.0]), "y": 1}, {"x": _floats(lib, [2.0]), "y": 0}],
    "array and str": lambda lib: [(np.array([1, 2]), "a"), (np.array([3, 4]), "b")],
}


def _flat(batch):
    """A batch as plain Python values, tensors of either library as nested lists with their dtype."""
    if isinstance(batch, dict):
        return {k: _flat(v) for k, v in batch.items()}
    if isinstance(batch, (list, tuple)):
        return [_flat(b) for b in batch]
    if isinstance(batch, str):
        return batch
    return (batch.tolist(), str(batch.dtype).removeprefix("torch."))


@pytest.mark.parametrize("kind", SAMPLES)
def test_default_collate_is_torchs(kind):
    mine = default_collate(SAMPLES[kind](microgradfr))
    expected = tdata.default_collate(SAMPLES[kind](torch))
    assert _flat(mine) == _flat(expected)


class Squares(Dataset):
    """A dataset of our own, read sample by sample: (i, i²)."""

    def __getitem__(self, i):
        return Tensor([float(i)]), i * i

    def __len__(self):
        return 5


def test_a_dataset_of_ones_own_is_collated_sample_by_sample():
    batches = list(DataLoader(Squares(), batch_size=2))
    assert [b[1].tolist() for b in batches] == [[0, 1], [4, 9], [16]]
    assert batches[0][0].shape == (2, 1)


@pytest.mark.parametrize("lengths", [[0.8, 0.2], [0.5, 0.3, 0.2], [1 / 3] * 3, [7, 3], [10, 0], [0.25] * 4])
def test_random_split_cuts_as_torch(lengths):
    ours, theirs = _pair(10)
    parts = random_split(TensorDataset(*ours), lengths)
    expected = tdata.random_split(tdata.TensorDataset(*theirs), lengths)
    assert [len(p) for p in parts] == [len(p) for p in expected]
    rows = [i for p in parts for i in p.indices]
    assert sorted(rows) == list(range(10))  # disjoint, every sample once
    microgradfr.manual_seed(0)
    first = [p.indices for p in random_split(TensorDataset(*ours), lengths)]
    microgradfr.manual_seed(0)
    assert first == [p.indices for p in random_split(TensorDataset(*ours), lengths)]


def test_a_subset_is_batched_from_its_own_rows():
    ours, _ = _pair(6)
    subset = Subset(TensorDataset(*ours), [4, 0, 5])
    (xb, yb), = list(DataLoader(subset, batch_size=3))
    np.testing.assert_array_equal(xb.data, ours[0].data[[4, 0, 5]])
    assert yb.tolist() == ours[1].data[[4, 0, 5]].tolist() and subset[1][1].item() == 0


def test_a_pytorch_training_script_learns_the_digits():
    """A script as a student writes it for PyTorch, run with microgradfr in torch's place."""
    import microgradfr as torch
    from microgradfr import nn, optim
    from microgradfr.utils.data import DataLoader, TensorDataset

    start = time.perf_counter()
    X, y = load_digits()
    X_train, X_test, y_train, y_test = train_test_split(X / 16.0, y, test_size=0.25, seed=0)
    torch.manual_seed(0)
    train = TensorDataset(torch.from_numpy(X_train).float(), torch.from_numpy(y_train))
    loader = DataLoader(train, batch_size=32, shuffle=True)
    model = nn.Linear(64, 10)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.5)
    for _epoch in range(5):
        for xb, yb in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()
    with torch.no_grad():
        _, pred = torch.max(model(torch.from_numpy(X_test).float()), 1)
        accuracy = (pred == torch.from_numpy(y_test)).float().mean().item()
    assert accuracy > 0.8, accuracy
    assert time.perf_counter() - start < 10
