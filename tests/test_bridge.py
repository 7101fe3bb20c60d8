"""to_torch / from_torch: the same network on both sides, the same outputs, torch optional."""
import subprocess
import sys

import numpy as np
import pytest

import microgradfr
from microgradfr import Tensor, from_torch, i18n, manual_seed, nn, to_torch


def mlp(dtype=None):
    return nn.Sequential(nn.Linear(6, 16, dtype=dtype), nn.ReLU(), nn.Dropout(0.2),
                         nn.Linear(16, 8, dtype=dtype), nn.Tanh(), nn.Linear(8, 3, dtype=dtype),
                         nn.Softmax(dim=1))


def cnn(dtype=None):
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding="same", dtype=dtype), nn.BatchNorm2d(4, dtype=dtype), nn.LeakyReLU(0.2),
        nn.MaxPool2d(2), nn.Conv2d(4, 6, (3, 1), stride=(1, 2), padding="valid", dtype=dtype), nn.Sigmoid(),
        nn.AvgPool2d(2, stride=1, padding=1), nn.Flatten(), nn.Linear(6 * 3 * 3, 5, dtype=dtype),
        nn.BatchNorm1d(5, dtype=dtype), nn.Linear(5, 2, bias=False, dtype=dtype))


MODELS = {"mlp": (mlp, (6,)), "cnn": (cnn, (1, 8, 8))}


def trained_statistics(model, shape, dtype):
    """Move BatchNorm's running statistics away from 0 and 1 with two training passes."""
    model.train()
    rng = np.random.default_rng(0)
    for _ in range(2):
        model(Tensor(rng.normal(size=(8, *shape)).astype(dtype)))
    return model.eval()


def inputs(shape, dtype, n=5):
    return np.random.default_rng(1).normal(size=(n, *shape)).astype(dtype)


@pytest.fixture
def torch():
    torch = pytest.importorskip("torch")
    torch.set_num_threads(1)
    return torch


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_torch_gives_our_outputs(torch, name, dtype):
    build, shape = MODELS[name]
    manual_seed(0)
    ours = trained_statistics(build(dtype), shape, dtype)
    theirs = to_torch(ours)
    x = inputs(shape, dtype)
    with torch.no_grad():
        out = theirs(torch.from_numpy(x)).numpy()
    assert out.dtype == np.dtype(dtype)
    atol = 1e-6 if dtype == "float32" else 1e-12
    np.testing.assert_allclose(out, ours(Tensor(x)).data, rtol=1e-5, atol=atol)


@pytest.mark.parametrize("name", MODELS)
def test_ours_to_torch_to_ours_gives_identical_outputs(torch, name):
    build, shape = MODELS[name]
    manual_seed(0)
    ours = trained_statistics(build("float32"), shape, "float32")
    back = from_torch(to_torch(ours))
    assert repr(back) == repr(ours)
    x = Tensor(inputs(shape, "float32"))
    np.testing.assert_array_equal(back(x).data, ours(x).data)
    for (k, a), (k2, b) in zip(ours.state_dict().items(), back.state_dict().items(), strict=True):
        assert k == k2 and a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)


@pytest.mark.parametrize("activation, output",
                         [("relu", "linear"), ("tanh", "sigmoid"), ("leaky_relu", "tanh")])
def test_the_scalar_mlp_goes_to_torch_and_back(torch, activation, output):
    manual_seed(0)
    ours = nn.MLP(3, [5, 4, 2], activation=activation, output_activation=output)
    theirs = to_torch(ours)
    x = inputs((3,), "float64", n=4)
    with torch.no_grad():
        out = theirs(torch.from_numpy(x)).numpy()
    expected = np.array([[v.data for v in ours(row.tolist())] for row in x])
    np.testing.assert_allclose(out, expected, rtol=1e-12, atol=1e-14)
    # back into a scalar MLP through the state_dict, and into Tensor layers through from_torch
    manual_seed(1)
    copy = nn.MLP(3, [5, 4, 2], activation=activation, output_activation=output)
    copy.load_state_dict({k: v.numpy() for k, v in theirs.state_dict().items()})
    assert [p.data for p in copy.parameters()] == [p.data for p in ours.parameters()]
    np.testing.assert_allclose(from_torch(theirs)(Tensor(x)).data, expected, rtol=1e-12, atol=1e-14)


def test_modes_follow_each_layer(torch):
    ours = mlp()
    ours.eval()
    ours[2].train()
    theirs = to_torch(ours)
    assert not theirs.training and theirs[2].training and not theirs[0].training
    back = from_torch(theirs)
    assert not back.training and back[2].training and not back[0].training


def test_training_continues_in_torch_with_the_same_first_step(torch):
    """One SGD step on each side from the same weights lands on the same weights."""
    from microgradfr.functional import cross_entropy
    from microgradfr.optim import SGD
    manual_seed(0)
    ours = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    theirs = to_torch(ours)
    x, y = inputs((4,), "float64", n=6), np.array([0, 1, 1, 0, 1, 0])
    loss = cross_entropy(ours(Tensor(x)), y)
    loss.backward()
    SGD(ours.parameters(), lr=0.5).step()
    torch_loss = torch.nn.functional.cross_entropy(theirs(torch.from_numpy(x)), torch.from_numpy(y))
    torch_loss.backward()
    torch.optim.SGD(theirs.parameters(), lr=0.5).step()
    assert torch_loss.item() == pytest.approx(loss.item(), rel=1e-12)
    for k, v in theirs.state_dict().items():
        np.testing.assert_allclose(v.numpy(), ours.state_dict()[k], rtol=1e-12, err_msg=k)


def test_a_layer_with_no_counterpart_is_named(torch):
    with i18n.language("en"):  # the English text; test_error_messages checks both
        class Mine(nn.Module):
            def forward(self, x):
                return x

        with pytest.raises(TypeError,
                           match=r"to_torch: Mine \(at '1'\) has no equivalent .* load_state_dict"):
            to_torch(nn.Sequential(nn.ReLU(), Mine()))
        with pytest.raises(TypeError, match=r"from_torch: torch.nn.GELU \(at '0'\) has no equivalent"):
            from_torch(torch.nn.Sequential(torch.nn.GELU()))
        with pytest.raises(TypeError, match="with groups, dilation"):
            from_torch(torch.nn.Conv2d(2, 2, 3, groups=2))
        with pytest.raises(TypeError, match="with ceil_mode"):
            from_torch(torch.nn.MaxPool2d(2, ceil_mode=True))
        with pytest.raises(TypeError, match="count_include_pad=False"):
            from_torch(torch.nn.AvgPool2d(2, count_include_pad=False))
        with pytest.raises(TypeError, match="expected a torch.nn.Module"):
            from_torch(nn.ReLU())
        with pytest.raises(TypeError, match="expected a microgradfr model"):
            to_torch(torch.nn.ReLU())


def test_microgradfr_does_not_import_torch():
    code = "import sys, microgradfr; print('torch' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout == "False\n"


@pytest.mark.parametrize("function, argument", [(to_torch, nn.ReLU()), (from_torch, None)])
def test_without_torch_the_message_says_how_to_install_it(monkeypatch, function, argument):
    with i18n.language("en"):  # the English text; test_error_messages checks both
        monkeypatch.setitem(sys.modules, "torch", None)  # makes `import torch` raise ImportError
        with pytest.raises(ImportError,
                           match=rf"{function.__name__} needs PyTorch.*pip install torch==2\.13\.0"):
            function(argument)


def test_both_are_exported_at_the_top():
    assert microgradfr.to_torch is to_torch and microgradfr.from_torch is from_torch
    assert {"to_torch", "from_torch"} <= set(microgradfr.__all__)
