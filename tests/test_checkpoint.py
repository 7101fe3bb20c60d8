"""Checkpoints: round trips, every kind of broken file, and atomic writes."""
import os
import zipfile

import numpy as np
import pytest

from microgradfr import Value, i18n, manual_seed
from microgradfr.checkpoint import load, save
from microgradfr.nn import MLP, Module
from microgradfr.optim import SGD, Adam, AdamW, RMSprop


@pytest.fixture(autouse=True, scope="module")
def _english():
    """These tests read the English messages (test_error_messages.py checks both languages)."""
    with i18n.language("en"):
        yield


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


# ---------------------------------------------------------------- hostile files: refused whole, fast, small


def cnn(seed):
    from microgradfr.nn import BatchNorm2d, Conv2d, Flatten, Linear, Sequential
    manual_seed(seed)
    return Sequential(Conv2d(1, 2, 3), BatchNorm2d(2), Flatten(), Linear(8, 2))


def snapshot(obj):
    """Every array a model or an optimizer holds, copied (for an optimizer: its whole state_dict)."""
    import copy
    if isinstance(obj, Module):
        return {**{k: v.copy() for k, v in obj.state_dict().items()},
                **{f"param {i}": np.copy(p.data) for i, p in enumerate(obj.parameters())}}
    return copy.deepcopy(obj.state_dict())


def assert_unchanged(obj, before):
    after = snapshot(obj)
    if isinstance(obj, Module):
        assert list(after) == list(before)
        for k in before:
            np.testing.assert_array_equal(after[k], before[k], err_msg=k)
    else:
        assert canonical(after) == canonical(before)


def canonical(obj):
    """A comparable form of a state_dict: dicts by sorted keys, arrays as (shape, values)."""
    if isinstance(obj, dict):
        return tuple(sorted((k, canonical(v)) for k, v in obj.items()))
    if isinstance(obj, (list, tuple)):
        return tuple(canonical(v) for v in obj)
    if isinstance(obj, np.ndarray):
        return obj.shape, obj.tolist()
    return obj


def module_arrays(model):
    return {"__microgradfr__": np.array("module"), **model.state_dict()}


def edited(model, key, change):
    arrays = module_arrays(model)
    arrays[key] = change(arrays.get(key))
    return arrays


HOSTILE_MODELS = [  # (name, model maker, arrays of the file, words of the error)
    ("complex in the scalar MLP's last parameter", mlp, lambda m: edited(m, "2.bias", lambda b: b + 1j),
     "2.bias holds complex numbers"),
    ("complex in a Tensor weight", cnn, lambda m: edited(m, "3.weight", lambda w: w * 1j),
     "3.weight holds complex numbers"),
    ("NaN", cnn, lambda m: edited(m, "0.weight", lambda w: w * np.nan), "0.weight holds NaN"),
    ("inf", mlp, lambda m: edited(m, "0.bias", lambda b: b - np.inf), "0.bias holds an infinite value"),
    ("bool", cnn, lambda m: edited(m, "3.bias", lambda b: b > 0), "3.bias holds True/False values"),
    ("a huge int64", mlp, lambda m: edited(m, "0.bias", lambda b: np.full(b.shape, 2**60 + 1)),
     "0.bias holds int64 values that the model's float64 cannot hold exactly"),
    ("a negative variance", cnn, lambda m: edited(m, "1.running_var", lambda v: v - 2), "below"),
    ("a count as a float", cnn, lambda m: edited(m, "1.num_batches_tracked", lambda _: np.array(2.5)),
     "cannot hold exactly"),
    ("text", mlp, lambda m: edited(m, "0.weight", lambda w: np.full(w.shape, "x")), "not numbers"),
    ("a transposed weight", cnn, lambda m: edited(m, "3.weight", lambda w: w.T), "looks transposed"),
    ("an object array", mlp, lambda m: edited(m, "0.bias", lambda b: np.array([None] * 3)),
     "it holds pickled Python objects, which are never loaded"),
]


def refusal(obj, path, seconds=1.0, mebibytes=4):
    """The ValueError ``load(obj, path)`` raises, checked to come within a time and a memory bound
    (generous: these files are a few kB; the point is that nothing is read in bulk)."""
    import time
    import tracemalloc
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ValueError) as info:
            load(obj, path)
        elapsed, peak = time.perf_counter() - start, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert elapsed < seconds, f"took {elapsed:.2f} s"
    assert peak < mebibytes << 20, f"peak {peak / 2**20:.1f} MiB"
    return str(info.value)


@pytest.mark.parametrize("name, make, arrays, words", HOSTILE_MODELS, ids=[h[0] for h in HOSTILE_MODELS])
def test_a_hostile_model_file_changes_nothing(tmp_path, name, make, arrays, words):
    path = tmp_path / "hostile.npz"
    np.savez(path, **arrays(make(0)))
    model = make(1)
    before = snapshot(model)
    message = refusal(model, path)
    assert words in message and str(path) in message
    assert_unchanged(model, before)


def test_whole_numbers_of_another_dtype_load_exactly(tmp_path):
    model = cnn(0)
    arrays = module_arrays(model)
    arrays["3.bias"] = np.array([3, -2], dtype=np.int16)
    arrays["1.num_batches_tracked"] = np.array(4.0)
    arrays["0.weight"] = arrays["0.weight"].astype(np.float32).astype(np.float64)
    np.savez(tmp_path / "m.npz", **arrays)
    arrays["0.weight"] = arrays["0.weight"].astype(np.float32)  # float32 → float64 is exact
    np.savez(tmp_path / "m32.npz", **arrays)
    for name in ("m.npz", "m32.npz"):
        load(model, tmp_path / name)
        assert model[3].bias.data.tolist() == [3.0, -2.0] and model[1].num_batches_tracked == 4
        np.testing.assert_array_equal(model[0].weight.data, arrays["0.weight"])


def write_zip_of_zeros(path, key, shape, others=None):
    """An .npz whose member ``key`` holds float64 zeros of ``shape`` (2 GiB takes 2 MB deflated),
    written without holding the array: the same deflated block of zeros, repeated."""
    import struct
    import zlib
    header = io_bytes(lambda f: np.lib.format.write_array_header_1_0(
        f, {"descr": "<f8", "fortran_order": False, "shape": shape}))
    size = int(np.prod(shape)) * 8
    chunk = 1 << 24
    assert size % chunk == 0, "whole chunks only"
    co = zlib.compressobj(9, zlib.DEFLATED, -15)
    head = co.compress(header) + co.flush(zlib.Z_FULL_FLUSH)
    block = co.compress(bytes(chunk)) + co.flush(zlib.Z_FULL_FLUSH)  # the same after every full flush
    tail = co.flush()
    crc = zlib.crc32(header)
    zeros = bytes(chunk)
    for _ in range(size // chunk):
        crc = zlib.crc32(zeros, crc)
    name = f"{key}.npy".encode()
    data_size = len(head) + len(block) * (size // chunk) + len(tail)
    total = len(header) + size
    with open(path, "wb") as f:
        f.write(struct.pack("<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0x21, crc, data_size, total,
                            len(name), 0))
        f.write(name + head)
        for _ in range(size // chunk):
            f.write(block)
        f.write(tail)
        directory = f.tell()
        f.write(struct.pack("<4s6H3L5H2L", b"PK\x01\x02", 20, 20, 0, 8, 0, 0x21, crc, data_size, total,
                            len(name), 0, 0, 0, 0, 0, 0) + name)
        end = f.tell()
        f.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, end - directory, directory, 0))
    with zipfile.ZipFile(path, "a") as zf:  # the model's own arrays, appended
        for k, v in (others or {}).items():
            zf.writestr(f"{k}.npy", io_bytes(lambda f, v=v: np.lib.format.write_array(f, v)))
    return path


def io_bytes(write):
    import io
    buffer = io.BytesIO()
    write(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def two_gib_files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big")
    arrays = module_arrays(cnn(0))
    extra = write_zip_of_zeros(folder / "extra.npz", "extra", (1 << 28,), arrays)
    wrong = dict(arrays)
    del wrong["3.weight"]
    misshaped = write_zip_of_zeros(folder / "misshaped.npz", "3.weight", (1 << 14, 1 << 14), wrong)
    return {"an extra key": extra, "a model key": misshaped}


@pytest.mark.parametrize("where, words", [
    ("an extra key", "in the file but not in the model: extra"),
    ("a model key", "3.weight has shape (16384, 16384) in the file, (2, 8)"),
])
def test_two_gib_of_zeros_are_refused_fast_and_small(two_gib_files, where, words):
    import time
    import tracemalloc
    path = two_gib_files[where]
    assert os.path.getsize(path) < 4 << 20  # a small file...
    with zipfile.ZipFile(path) as zf:
        assert sum(i.file_size for i in zf.infolist()) > 2 << 30  # ...holding 2 GiB
    model = cnn(1)
    before = snapshot(model)
    tracemalloc.start()
    start = time.perf_counter()
    try:
        with pytest.raises(ValueError, match="does not match Sequential") as info:
            load(model, path)
        elapsed = time.perf_counter() - start
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert words in str(info.value)
    assert elapsed < 1.0, f"took {elapsed:.2f} s"  # generous: reading the index and two headers takes ms
    assert peak < 8 << 20, f"peak {peak / 2**20:.1f} MiB"
    assert_unchanged(model, before)


def test_a_header_that_lies_about_the_size_is_damage(tmp_path):
    path = tmp_path / "lie.npz"
    arrays = module_arrays(mlp(0))
    with zipfile.ZipFile(path, "w") as zf:
        for k, v in arrays.items():
            raw = io_bytes(lambda f, v=v: np.lib.format.write_array(f, v))
            if k == "0.weight":  # declares 3×2 floats, holds 2
                raw = raw[:-32]
            zf.writestr(f"{k}.npy", raw)
    model = mlp(1)
    before = snapshot(model)
    with pytest.raises(ValueError, match="0.weight: its .npy header says"):
        load(model, path)
    assert_unchanged(model, before)


@pytest.mark.parametrize("members, words", [
    ({"0.weight.npy": 1, "0.weight.npy ": 2}, "unexpected member '0.weight.npy '"),
    ({"readme.txt": 1}, "unexpected member 'readme.txt'"),
    ({"__microgradfr__.npy": np.zeros(10**4)}, "__microgradfr__ is (10000,) float64, not a short text"),
])
def test_archives_of_the_wrong_make_are_damage(tmp_path, members, words):
    path = tmp_path / "odd.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for name, value in members.items():
            zf.writestr(name, io_bytes(lambda f, v=value: np.lib.format.write_array(f, np.asarray(v))))
    model = mlp(1)
    before = snapshot(model)
    with pytest.raises(ValueError, match="not a readable checkpoint") as info:
        load(model, path)
    assert words in str(info.value)
    assert_unchanged(model, before)


def test_save_refuses_a_diverged_model_and_writes_nothing(tmp_path):
    model = cnn(0)
    model[3].bias.data[0] = np.nan
    with pytest.raises(ValueError, match="save: 3.bias holds NaN or an infinite value: the training diverg"):
        save(model, tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- hostile optimizer files


def trained_adam(seed=0, **settings):
    model = mlp(seed)
    opt = Adam(model.parameters(), lr=0.1, **settings)
    train(model, opt)
    return model, opt


def optimizer_file(path, opt, **changes):
    from microgradfr.checkpoint import _arrays_to_save
    arrays = _arrays_to_save(opt)
    for key, value in changes.items():
        key = key.replace("__", ".")
        if value is None:
            del arrays[key]
        else:
            arrays[key] = value(arrays.get(key)) if callable(value) else value
    np.savez(path, **arrays)
    return path


HOSTILE_OPTIMIZERS = [  # (name, {key__with__dots: new value, callable or None}, words)
    ("step = -1", dict(state__0__step=np.array(-1)), "state.0.step = -1 must be a whole number ≥ 0"),
    ("step as an array", dict(state__0__step=np.arange(3)),
     "state.0.step must be a whole number ≥ 0 (steps taken), the file holds int64 of shape (3,)"),
    ("step = 2.5", dict(state__0__step=np.array(2.5)), "state.0.step = 2.5 must be a whole number"),
    ('amsgrad = "yes"', dict(param_groups__0__amsgrad=np.array("yes")),
     "param_groups.0.amsgrad must be True or False, the file holds 'yes'"),
    ("amsgrad = 1", dict(param_groups__0__amsgrad=np.array(1)), "must be True or False"),
    ("lr = NaN", dict(param_groups__0__lr=np.array(np.nan)), "param_groups.0.lr = nan must be finite"),
    ("lr as text", dict(param_groups__0__lr=np.array("0.1")), "param_groups.0.lr must be a number"),
    ("lr < 0", dict(param_groups__0__lr=np.array(-1.0)), "Adam: lr=-1.0 must lie in"),
    ("one beta", dict(param_groups__0__betas=np.array([0.9])), "param_groups.0.betas must be a pair"),
    ("beta = 1.5", dict(param_groups__0__betas=np.array([0.9, 1.5])), "betas[1]=1.5 must lie in"),
    ("complex moment", dict(state__0__exp_avg=lambda a: a + 1j), "state.0.exp_avg holds complex numbers"),
    ("NaN moment", dict(state__1__exp_avg=np.array(np.nan)), "state.1.exp_avg holds NaN"),
    ("negative square", dict(state__2__exp_avg_sq=np.array(-1.0)), "state.2.exp_avg_sq holds -1.0, below"),
    ("moment shaped wrong", dict(state__0__exp_avg=np.zeros(3)),
     "state.0.exp_avg has shape (3,), its parameter has shape ()"),
    ("a moment missing", dict(state__0__exp_avg_sq=None),
     "state.0 holds ['exp_avg', 'step']; with these settings Adam keeps ['exp_avg', 'exp_avg_sq', 'step']"),
    ("amsgrad on without its buffer", dict(param_groups__0__amsgrad=np.array(True)),
     "Adam keeps ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq', 'step']"),
    ("a buffer of another optimizer", dict(state__0__momentum_buffer=np.array(1.0)),
     "state.0: buffers ['momentum_buffer'] are not Adam's"),
    ("a parameter that does not exist", dict(state__99__step=np.array(1)), "parameter 99 does not exist"),
    ("a second group", dict(param_groups__1__lr=np.array(0.1)), "holds parameter groups [0, 1], this Adam"),
    ("a hyperparameter missing", dict(param_groups__0__eps=None), "hyperparameters"),
    ("a stranger key", dict(foo=np.array(1)), "unexpected key 'foo' in an optimizer checkpoint"),
    ("params repeated", dict(param_groups__0__params=lambda p: np.zeros_like(p)), "not 0…12 once each"),
    ("params as floats", dict(param_groups__0__params=lambda p: p.astype(float)),
     "param_groups.0.params must list 13 parameter numbers"),
    ("a huge buffer", dict(state__0__exp_avg=np.zeros(10**6)), "larger than anything Adam keeps"),
]


@pytest.mark.parametrize("name, changes, words", HOSTILE_OPTIMIZERS, ids=[h[0] for h in HOSTILE_OPTIMIZERS])
def test_a_hostile_optimizer_file_changes_nothing(tmp_path, name, changes, words):
    _, source = trained_adam(0)
    path = optimizer_file(tmp_path / "opt.npz", source, **changes)
    model, opt = trained_adam(1)
    before, params_before = snapshot(opt), snapshot(model)
    message = refusal(opt, path)
    assert words in message and str(path) in message, message
    assert_unchanged(opt, before)
    assert_unchanged(model, params_before)
    opt.step()  # still usable


def test_a_fresh_optimizer_loads_a_fresh_state(tmp_path):
    path = tmp_path / "opt.npz"
    save(SGD(mlp(0).parameters(), lr=0.1, momentum=0.9), path)  # no step taken: no state
    opt = SGD(mlp(1).parameters(), lr=0.5, momentum=0.5)
    load(opt, path)
    assert opt.state == {} and opt.param_groups[0]["momentum"] == 0.9


# ---------------------------------------------------------------- byte-flip fuzz


@pytest.mark.parametrize("kind", ["model", "optimizer"])
def test_byte_flips_give_clear_errors_and_never_a_partial_load(tmp_path, kind):
    model, opt = cnn(0), None
    if kind == "optimizer":
        model, opt = trained_adam(0)
    source = tmp_path / "good.npz"
    save(model if opt is None else opt, source)
    raw = source.read_bytes()
    saved = snapshot(model if opt is None else opt)
    rng = np.random.default_rng(17)
    outcomes = {"refused": 0, "loaded": 0}
    for position in rng.choice(len(raw), size=min(150, len(raw)), replace=False):
        damaged = bytearray(raw)
        damaged[position] ^= int(rng.integers(1, 256))
        path = tmp_path / "flipped.npz"
        path.write_bytes(bytes(damaged))
        target = cnn(1) if opt is None else trained_adam(1)[1]
        before = snapshot(target)
        try:
            load(target, path)
        except ValueError as error:
            assert str(path) in str(error), (position, str(error))
            assert_unchanged(target, before)
            outcomes["refused"] += 1
        else:  # the flip hit bytes no reader checks (a timestamp): what loaded is the saved state
            assert_unchanged(target, saved)
            outcomes["loaded"] += 1
    assert outcomes["refused"] > 100, outcomes


# ---------------------------------------------------------------- permissions


@pytest.mark.parametrize("umask", [0o022, 0o077, 0o002])
def test_a_new_file_gets_the_mode_np_save_gives(tmp_path, umask):
    old = os.umask(umask)
    try:
        save(mlp(0), tmp_path / "ours.npz")
        np.savez(tmp_path / "numpys.npz", x=np.zeros(1))
    finally:
        os.umask(old)
    assert os.stat(tmp_path / "ours.npz").st_mode == os.stat(tmp_path / "numpys.npz").st_mode


def test_an_overwritten_file_keeps_its_mode(tmp_path):
    for name in ("ours.npz", "numpys.npz"):
        (tmp_path / name).write_bytes(b"old")
        os.chmod(tmp_path / name, 0o640)
    save(mlp(0), tmp_path / "ours.npz")
    np.savez(tmp_path / "numpys.npz", x=np.zeros(1))
    assert oct(os.stat(tmp_path / "ours.npz").st_mode) == oct(os.stat(tmp_path / "numpys.npz").st_mode)


def test_a_failure_while_swapping_in_leaves_no_temporary_file(tmp_path, monkeypatch):
    def broken_replace(src, dst):
        raise OSError("no space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="no space left"):
        save(mlp(0), tmp_path / "m.npz")
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- older files, schedulers, nested layouts


def test_a_file_in_the_older_layout_still_loads(tmp_path):
    """Files from before checkpoints held state_dict(): named_parameters() names, no num_batches_tracked."""
    source, target = mlp(0), mlp(1)
    np.savez(tmp_path / "old.npz", __microgradfr__=np.array("module"),
             **{name: np.array(p.data) for name, p in source.named_parameters()})
    load(target, tmp_path / "old.npz")
    assert values(target) == values(source)
    model = cnn(0)
    old = {k: v for k, v in model.state_dict().items() if not k.endswith("num_batches_tracked")}
    np.savez(tmp_path / "old_bn.npz", **old)
    fresh = cnn(1)
    fresh[1].num_batches_tracked[...] = 5
    load(fresh, tmp_path / "old_bn.npz")
    np.testing.assert_array_equal(fresh[3].weight.data, model[3].weight.data)
    assert fresh[1].num_batches_tracked == 5  # not in the file: kept


def test_an_optimizer_with_a_scheduler_loads_into_one_without_and_back(tmp_path):
    from microgradfr.optim import StepLR
    model = mlp(0)
    opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
    StepLR(opt, step_size=1, gamma=0.5)  # records initial_lr in each group
    train(model, opt)
    save(opt, tmp_path / "with.npz")
    plain = SGD(mlp(0).parameters(), lr=0.3, momentum=0.9)
    load(plain, tmp_path / "with.npz")
    assert plain.param_groups[0]["initial_lr"] == 0.1
    save(SGD(mlp(0).parameters(), lr=0.2, momentum=0.9), tmp_path / "without.npz")
    scheduled = SGD(mlp(0).parameters(), lr=0.1, momentum=0.9)
    StepLR(scheduled, step_size=1)
    load(scheduled, tmp_path / "without.npz")
    assert scheduled.lr == 0.2


def test_an_mlp_inside_a_model_keeps_its_pytorch_layout(tmp_path):
    class Holder(Module):
        def __init__(self, seed):
            self.scale = Value(2.0)
            self.net = mlp(seed)

    a, b = Holder(0), Holder(1)
    assert list(a.state_dict()) == ["scale", "net.0.weight", "net.0.bias", "net.2.weight", "net.2.bias"]
    save(a, tmp_path / "h.npz")
    load(b, tmp_path / "h.npz")
    assert values(b) == values(a)


def test_an_optimizer_state_is_not_rounded_into_float32_parameters(tmp_path):
    from microgradfr.nn import Linear
    source = Linear(2, 1)  # float64
    opt = Adam(source.parameters(), lr=0.1)
    for p in source.parameters():
        p.grad = np.full_like(p.data, 0.1)
    opt.step()
    save(opt, tmp_path / "opt.npz")
    target = Adam(Linear(2, 1, dtype="float32").parameters(), lr=0.5)
    with pytest.raises(ValueError, match="state.0.exp_avg holds float64 values that the model.s float32"):
        load(target, tmp_path / "opt.npz")
    assert target.state == {} and target.lr == 0.5


def test_thousands_of_stranger_keys_are_counted_not_listed(tmp_path):
    path = tmp_path / "many.npz"
    np.savez(path, **module_arrays(mlp(0)), **{f"k{i}": np.zeros(1) for i in range(5000)})
    with pytest.raises(ValueError) as info:
        load(mlp(1), path)
    assert "in the file but not in the model: k0, k1," in str(info.value)
    assert "k19 … and 4980 more" in str(info.value) and len(str(info.value)) < 1000


def test_load_with_only_a_path_says_what_is_missing():
    """torch.load(path) takes the file alone; here the model comes first, and the error says so."""
    with pytest.raises(TypeError, match=r"load\(model, 'modele.npz'\)"):
        load("modele.npz")
    with pytest.raises(TypeError, match="path of the file"):
        load(object())
