"""Checkpoints: round trips, every kind of broken file, and atomic writes."""
import os
import zipfile

import numpy as np
import pytest

from microgradfr import Value, manual_seed
from microgradfr.checkpoint import load, save
from microgradfr.nn import MLP, Module
from microgradfr.optim import SGD, Adam, AdamW, RMSprop


def mlp(seed):
    manual_seed(seed)
    return MLP(2, [3, 1])


def values(model):
    return [p.data for p in model.parameters()]


def train(model, opt, steps=3):
    for _ in range(steps):
        opt.zero_grad()
        loss = sum((model(x) - t) ** 2 for x, t in [([1.0, 2.0], 1.0), ([-1.0, 0.5], -1.0)])
        loss.backward()
        opt.step()


# ---------------------------------------------------------------- round trips


def test_module_round_trip(tmp_path):
    a, b = mlp(0), mlp(1)
    assert values(a) != values(b)
    save(a, tmp_path / "m.npz")
    assert load(b, tmp_path / "m.npz") is b
    assert values(b) == values(a)
    assert all(type(v) is float for v in values(b))


def test_the_file_is_a_plain_npz_holding_the_state_dict(tmp_path):
    model = mlp(0)
    save(model, tmp_path / "m.npz")
    with np.load(tmp_path / "m.npz", allow_pickle=False) as npz:
        assert list(npz.files) == ["__microgradfr__", *model.state_dict()]
        # row j of layer 0's weight holds neuron j's weights, as in torch.nn.Linear
        assert npz["0.weight"][1, 0] == model.layers[0].neurons[1].w[0].data
        assert npz["2.bias"][0] == model.layers[1].neurons[0].b.data


@pytest.mark.parametrize("cls, kwargs", [(SGD, dict(lr=0.1, momentum=0.9, nesterov=True)),
                                         (RMSprop, dict(lr=0.01, momentum=0.5, centered=True)),
                                         (Adam, dict(lr=0.05, betas=(0.8, 0.99), amsgrad=True)),
                                         (AdamW, dict(lr=0.05))])
def test_optimizer_round_trip_continues_the_same_training(tmp_path, cls, kwargs):
    model, copy = mlp(0), mlp(0)
    opt = cls(model.parameters(), **kwargs)
    train(model, opt)
    save(model, tmp_path / "m.npz")
    save(opt, tmp_path / "opt.npz")
    other = cls(copy.parameters(), lr=0.5)  # different settings, overwritten by the file
    load(copy, tmp_path / "m.npz")
    load(other, tmp_path / "opt.npz")
    assert other.param_groups[0]["lr"] == kwargs["lr"]
    train(model, opt)
    train(copy, other)
    assert values(copy) == values(model)


def test_tensor_round_trip(tmp_path):
    tensor = pytest.importorskip("microgradfr.tensor")

    class Affine(Module):
        def __init__(self, seed):
            rng = np.random.default_rng(seed)
            self.weight = tensor.Tensor(rng.normal(size=(3, 2)), requires_grad=True)
            self.bias = tensor.Tensor(rng.normal(size=3), requires_grad=True)

    a, b = Affine(0), Affine(1)
    opt = Adam(a.parameters(), lr=0.1)
    for p in a.parameters():
        p.grad = np.ones_like(p.data)
    opt.step()
    save(a, tmp_path / "a.npz")
    save(opt, tmp_path / "opt.npz")
    weight_array = b.weight.data
    load(b, tmp_path / "a.npz")
    np.testing.assert_array_equal(b.weight.data, a.weight.data)
    np.testing.assert_array_equal(b.bias.data, a.bias.data)
    assert b.weight.data is weight_array  # filled in place
    opt_b = Adam(b.parameters())
    load(opt_b, tmp_path / "opt.npz")
    np.testing.assert_array_equal(opt_b.state_dict()["state"][0]["exp_avg"],
                                  opt.state_dict()["state"][0]["exp_avg"])


def test_buffers_are_saved_when_the_module_has_them(tmp_path):
    class WithStats(Module):
        buffer_names = ("running_mean",)

        def __init__(self, mean):
            self.w = Value(1.0)
            self.running_mean = np.full(2, mean)

    save(WithStats(3.0), tmp_path / "s.npz")
    other = load(WithStats(0.0), tmp_path / "s.npz")
    np.testing.assert_array_equal(other.running_mean, [3.0, 3.0])


# ---------------------------------------------------------------- files that do not fit


def write_npz(path, **arrays):
    np.savez(path, **arrays)
    return path


def test_missing_extra_and_misshaped_are_each_named(tmp_path):
    model = mlp(0)
    arrays = model.state_dict()
    del arrays["0.weight"], arrays["2.bias"]
    arrays["4.weight"] = np.array(1.0)
    arrays["2.weight"] = np.zeros(3)
    path = write_npz(tmp_path / "bad.npz", **arrays)
    before = values(model)
    with pytest.raises(ValueError) as info:
        load(model, path)
    message = str(info.value)
    assert "missing from the file: 0.weight, 2.bias" in message
    assert "in the file but not in the model: 4.weight" in message
    assert "2.weight has shape (3,) in the file, (1, 3) in the model" in message
    assert values(model) == before


def test_tensor_shape_mismatch_is_named(tmp_path):
    tensor = pytest.importorskip("microgradfr.tensor")

    class Affine(Module):
        def __init__(self, n):
            self.weight = tensor.Tensor(np.ones((n, 2)), requires_grad=True)

    save(Affine(3), tmp_path / "a.npz")
    target = Affine(4)
    with pytest.raises(ValueError, match=r"weight has shape \(3, 2\) in the file, \(4, 2\) in the model"):
        load(target, tmp_path / "a.npz")
    np.testing.assert_array_equal(target.weight.data, np.ones((4, 2)))


def test_a_model_file_is_not_an_optimizer_file(tmp_path):
    model = mlp(0)
    save(model, tmp_path / "m.npz")
    save(SGD(model.parameters(), lr=0.1), tmp_path / "opt.npz")
    with pytest.raises(ValueError, match="holds a module checkpoint, not a Adam"):
        load(Adam(model.parameters()), tmp_path / "m.npz")
    with pytest.raises(ValueError, match="holds a optimizer SGD checkpoint, not a model"):
        load(model, tmp_path / "opt.npz")
    with pytest.raises(ValueError, match="optimizer SGD checkpoint, not a Adam"):
        load(Adam(model.parameters()), tmp_path / "opt.npz")


def test_an_optimizer_file_for_other_parameters_is_refused(tmp_path):
    model = mlp(0)
    opt = Adam(model.parameters(), lr=0.1)
    train(model, opt)
    save(opt, tmp_path / "opt.npz")
    small = Adam(MLP(2, [1]).parameters(), lr=0.3)
    with pytest.raises(ValueError, match="parameter"):
        load(small, tmp_path / "opt.npz")
    assert small.lr == 0.3 and small.state == {}


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "flip", "npy"])
def test_a_damaged_file_is_a_clear_error_and_the_model_is_untouched(tmp_path, damage):
    path = tmp_path / "m.npz"
    save(mlp(0), path)
    raw = path.read_bytes()
    if damage == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif damage == "garbage":
        path.write_bytes(b"this is not a checkpoint at all\n" * 10)
    elif damage == "empty":
        path.write_bytes(b"")
    elif damage == "flip":  # corrupt the bytes of the first array: the zip CRC check fails
        with zipfile.ZipFile(path) as zf:
            info = zf.infolist()[0]
        start = info.header_offset + 30 + len(info.filename) + len(info.extra) + 40
        path.write_bytes(raw[:start] + bytes(b ^ 0xFF for b in raw[start:start + 8]) + raw[start + 8:])
    elif damage == "npy":
        np.save(path.with_suffix(".npy"), np.zeros(3))
        os.replace(path.with_suffix(".npy"), path)
    model = mlp(1)
    before = values(model)
    expected = "single .npy array, not a checkpoint" if damage == "npy" else "not a readable checkpoint"
    with pytest.raises(ValueError, match=expected):
        load(model, path)
    assert values(model) == before


def test_a_missing_file_is_file_not_found(tmp_path):
    with pytest.raises(FileNotFoundError):
        load(mlp(0), tmp_path / "nowhere.npz")


def test_save_refuses_other_objects(tmp_path):
    with pytest.raises(TypeError, match="a model .* or an optimizer"):
        save([Value(1.0)], tmp_path / "x.npz")


# ---------------------------------------------------------------- atomic writes


def test_no_temporary_file_is_left(tmp_path):
    save(mlp(0), tmp_path / "m.npz")
    save(mlp(1), tmp_path / "m.npz")  # overwrite
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]
    assert values(load(mlp(2), tmp_path / "m.npz")) == values(mlp(1))


def test_a_failure_while_writing_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "m.npz"
    save(mlp(0), path)
    old = path.read_bytes()

    def broken_savez(file, **arrays):
        file.write(b"PK\x03\x04 half an archive")
        raise OSError("disk full")

    monkeypatch.setattr(np, "savez", broken_savez)
    with pytest.raises(OSError, match="disk full"):
        save(mlp(1), path)
    assert path.read_bytes() == old
    assert [p.name for p in tmp_path.iterdir()] == ["m.npz"]


def test_an_interrupted_first_write_leaves_nothing(tmp_path, monkeypatch):
    def interrupted(file, **arrays):
        raise KeyboardInterrupt

    monkeypatch.setattr(np, "savez", interrupted)
    with pytest.raises(KeyboardInterrupt):
        save(mlp(0), tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []


def test_batchnorm_running_statistics_are_saved_and_restored(tmp_path):
    from microgradfr import Tensor
    from microgradfr.nn import BatchNorm1d, Linear, Sequential
    model = Sequential(Linear(3, 4), BatchNorm1d(4))
    model.train()
    model(Tensor(np.arange(12.0).reshape(4, 3)))  # one training pass moves the running statistics
    assert [name for name, _ in model.named_buffers()] == ["1.running_mean", "1.running_var",
                                                             "1.num_batches_tracked"]
    # running_mean ← 0.9·0 + 0.1·(batch mean), and the batch mean of a random Linear is not 0
    assert not np.array_equal(dict(model.named_buffers())["1.running_mean"], np.zeros(4))
    save(model, tmp_path / "bn.npz")
    fresh = Sequential(Linear(3, 4), BatchNorm1d(4))
    load(fresh, tmp_path / "bn.npz")
    for (_, a), (_, b) in zip(model.named_buffers(), fresh.named_buffers(), strict=True):
        assert np.array_equal(a, b)
