"""Tensor layers: the course's shapes and parameter counts (derived by hand in the comments),
PyTorch's initialisation and results, summaries, train/eval modes and the errors students see."""
import math

import numpy as np
import pytest

import microgradfr.functional as F
from microgradfr import Tensor, manual_seed, nn
from microgradfr.nn.module import Summary

# -------------------------------------------------------------------- the course's numbers


def discriminator():
    """The exam's GAN discriminator for 32×32 grey images."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Flatten(),
        nn.Linear(4096, 32), nn.LeakyReLU(0.2),
        nn.Linear(32, 1), nn.Sigmoid(),
    )


def test_first_conv_of_the_exam_has_320_parameters_and_halves_the_image():
    conv = nn.Conv2d(1, 32, 3, stride=2, padding=1)
    # 32 filters of 3×3×1 weights plus one bias each: 32·(9 + 1) = 320
    assert conv.num_parameters() == 320
    # (W − k + 2p)/s + 1 = (32 − 3 + 2)/2 + 1 = 15.5 → 15 + 1 = 16
    assert conv(Tensor(np.zeros((1, 1, 32, 32)))).shape == (1, 32, 16, 16)


def test_the_exam_discriminator_table():
    model = discriminator()
    # conv 1: 320; conv 2: (3·3·32 + 1)·64 = 289·64 = 18,496; dense 32: 4096·32 + 32 = 131,104;
    # dense 1: 32 + 1 = 33. Total 149,953.
    assert model.num_parameters() == 320 + 18_496 + 131_104 + 33 == 149_953
    table = model.summary((1, 32, 32), lang="en")
    assert isinstance(table, Summary) and table.total == 149_953
    layers = [(r.output_shape, r.parameters) for r in table.rows]
    assert layers == [((32, 16, 16), 320), ((32, 16, 16), 0),
                      ((64, 8, 8), 18_496), ((64, 8, 8), 0),
                      ((4096,), 0),            # 8·8·64 = 4096
                      ((32,), 131_104), ((32,), 0),
                      ((1,), 33), ((1,), 0)]
    text = str(table)
    for expected in ("Conv2d(1 → 32, 3×3, stride 2, padding 1)", "32×16×16", "64×8×8", "4096", "18,496",
                     "131,104", "149,953"):
        assert expected in text
    french = str(model.summary((1, 32, 32)))  # French by default
    assert "Total des paramètres : 149\u202f953" in french and "18\u202f496" in french


def test_the_td_mlp_on_64x64_images_has_4107010_parameters():
    # input 64·64 = 4096; hidden: 4096·1000 + 1000 = 4,097,000; output: 1000·10 + 10 = 10,010
    model = nn.Sequential(nn.Flatten(), nn.Linear(64 * 64, 1000), nn.ReLU(), nn.Linear(1000, 10))
    assert model.num_parameters() == 4_097_000 + 10_010 == 4_107_010
    assert [r.parameters for r in model.summary((64, 64)).rows] == [0, 4_097_000, 0, 10_010]


@pytest.mark.parametrize("W", [5, 8, 28, 32])
@pytest.mark.parametrize("k", [1, 3, 5])
@pytest.mark.parametrize("p", [0, 1, 2])
@pytest.mark.parametrize("s", [1, 2, 3])
def test_output_size_formula_on_a_grid(W, k, p, s):
    if k > W + 2 * p:
        pytest.skip("kernel larger than the padded image")
    conv = nn.Conv2d(2, 3, k, stride=s, padding=p)
    expected = (W - k + 2 * p) // s + 1              # the course's (W − k + 2p)/s + 1, rounded down
    assert conv(Tensor(np.zeros((1, 2, W, W)))).shape == (1, 3, expected, expected)
    assert conv.output_shape((2, W, W)) == (3, expected, expected)
    assert F.conv_output_size(W, k, s, p) == expected
    # P = (kx·ky·I + 1)·F, whatever the stride and padding
    assert conv.num_parameters() == (k * k * 2 + 1) * 3


def test_pooling_halves_and_has_no_parameters():
    model = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.AvgPool2d(2))
    rows = model.summary((1, 8, 8)).rows
    assert [r.output_shape for r in rows] == [(4, 8, 8), (4, 8, 8), (4, 4, 4), (4, 2, 2)]
    assert [r.parameters for r in rows] == [40, 0, 0, 0]    # (3·3·1 + 1)·4 = 40


def test_padded_pooling_follows_the_output_size_formula():
    pool = nn.MaxPool2d(3, stride=2, padding=1)              # ⌊(9 − 3 + 2)/2⌋ + 1 = 5
    assert pool(Tensor(np.zeros((1, 2, 9, 9)))).shape == (1, 2, 5, 5)
    assert repr(pool) == "MaxPool2d(kernel_size=3, stride=2, padding=1)"
    assert nn.Sequential(pool).summary((2, 9, 9)).rows[0].output_shape == (2, 5, 5)


@pytest.mark.parametrize("settings", [dict(kernel_size=(3, 5), stride=(1, 2), padding=(1, 2)),
                                      dict(kernel_size=(1, 3), padding="same"),
                                      dict(kernel_size=2, stride=(2, 1), padding="valid")])
def test_rectangular_conv_layers_keep_pytorchs_attributes_and_results(settings):
    torch = pytest.importorskip("torch")
    ours, theirs = nn.Conv2d(3, 4, **settings), torch.nn.Conv2d(3, 4, **settings).double()
    for name in ("kernel_size", "stride", "padding"):
        assert getattr(ours, name) == getattr(theirs, name), name
    assert ours.weight.shape == tuple(theirs.weight.shape)
    kh, kw = ours.kernel_size
    assert ours.num_parameters() == (kh * kw * 3 + 1) * 4      # P = (kx·ky·I + 1)·F
    _copy_into_torch(ours, theirs)
    x = np.random.default_rng(0).standard_normal((2, 3, 7, 9))
    out = ours(Tensor(x))
    np.testing.assert_allclose(out.data, theirs(torch.tensor(x)).detach().numpy(), rtol=1e-12, atol=1e-12)
    assert ours.output_shape((3, 7, 9)) == out.shape[1:]


def test_rectangular_pooling_keeps_its_settings_as_given_like_pytorch():
    pool = nn.MaxPool2d((2, 3), stride=(2, 1), padding=(1, 0))
    # height ⌊(6 − 2 + 2·1)/2⌋ + 1 = 4, width ⌊(7 − 3 + 0)/1⌋ + 1 = 5
    assert (pool.kernel_size, pool.stride, pool.padding) == ((2, 3), (2, 1), (1, 0))
    assert pool(Tensor(np.zeros((1, 2, 6, 7)))).shape == (1, 2, 4, 5)
    assert repr(pool) == "MaxPool2d(kernel_size=(2, 3), stride=(2, 1), padding=(1, 0))"
    pool.kernel_size = 2    # settings are read at each call, as PyTorch's: width ⌊(7 − 2 + 0)/1⌋ + 1 = 6
    assert pool(Tensor(np.zeros((1, 2, 6, 7)))).shape == (1, 2, 4, 6)
    assert nn.AvgPool2d(2).stride == 2 and "AvgPool2d(2×2, stride 2)" in str(nn.Sequential(nn.AvgPool2d(2))
                                                                              .summary((1, 4, 4)))


# -------------------------------------------------------------------- errors
# What each refusal says, in each language (hand-written): the layer, both shapes, what to do.
BAD_SHAPES = {
    "en": [r"^Linear\(3 → 2\): input has 4 features \(shape \(5, 4\)\), expected 3",
           r"Conv2d\(1 → 32, 3×3, stride 2, padding 1\): input has 3 channels \(shape \(8, 3, 32, 32\)\), "
           r"expected 1",
           r"Conv2d\(1 → 2, 5×5.*kernel 5×5 is larger than the padded input 4×4 "
           r"\(input shape \(1, 1, 2, 2\), padding 1\)",
           r"input must be \(N, C, H, W\), got shape \(1, 32, 32\).*batch axis",
           r"BatchNorm2d\(4\): input must be \(N, C, H, W\) with C = 4",
           r"in_features=0 must be a positive integer", "not a layer"],
    "fr": [r"^Linear\(3 → 2\) : l'entrée a 4 caractéristiques \(forme \(5, 4\)\), il en faut 3",
           r"Conv2d\(1 → 32, 3×3, stride 2, padding 1\) : l'entrée a 3 canaux \(forme \(8, 3, 32, 32\)\), "
           r"il en faut 1",
           r"Conv2d\(1 → 2, 5×5.*le noyau 5×5 est plus grand que l'entrée complétée 4×4 \(forme d'entrée "
           r"\(1, 1, 2, 2\), padding 1\)",
           r"l'entrée doit être de forme \(N, C, H, W\), pas \(1, 32, 32\).*axe de lot",
           r"BatchNorm2d\(4\) : l'entrée doit être de forme \(N, C, H, W\) avec C = 4",
           r"in_features=0 doit être un entier positif", "pas une couche"],
}


@pytest.mark.parametrize("lang", sorted(BAD_SHAPES))
def test_bad_shapes_name_the_layer_and_both_shapes(lang):
    from microgradfr import i18n
    linear, channels, kernel, rank, norm, zero, sequential = BAD_SHAPES[lang]
    conv = nn.Conv2d(1, 32, 3, stride=2, padding=1)
    with i18n.language(lang):
        with pytest.raises(ValueError, match=linear):
            nn.Linear(3, 2)(Tensor(np.zeros((5, 4))))
        with pytest.raises(ValueError, match=channels):
            conv(Tensor(np.zeros((8, 3, 32, 32))))
        with pytest.raises(ValueError, match=kernel):
            nn.Conv2d(1, 2, 5, padding=1)(Tensor(np.zeros((1, 1, 2, 2))))
        with pytest.raises(ValueError, match=rank):
            conv(Tensor(np.zeros((1, 32, 32))))
        with pytest.raises(ValueError, match=norm):
            nn.BatchNorm2d(4)(Tensor(np.zeros((2, 3, 5, 5))))
        with pytest.raises(ValueError, match=zero):
            nn.Linear(0, 2)
        with pytest.raises(TypeError, match=sequential):
            nn.Sequential(nn.ReLU(), 3)


# -------------------------------------------------------------------- initialisation
def test_initialisation_is_pytorchs_uniform_and_seedable():
    torch = pytest.importorskip("torch")
    manual_seed(0)
    ours = nn.Linear(400, 300)
    manual_seed(0)
    again = nn.Linear(400, 300)
    np.testing.assert_array_equal(ours.weight.data, again.weight.data)
    bound = 1 / math.sqrt(400)                    # kaiming-uniform(a=√5): √(1/3)·√(3/fan_in) = 1/√fan_in
    theirs = torch.nn.Linear(400, 300)
    for p, q in ((ours.weight, theirs.weight), (ours.bias, theirs.bias)):
        assert np.abs(p.data).max() <= bound and np.abs(q.detach().numpy()).max() <= bound
        assert np.abs(p.data).max() > 0.95 * bound
    # U(−b, b) has σ = b/√3; 120,000 weights estimate it within a fraction of a percent
    assert ours.weight.data.std() == pytest.approx(bound / math.sqrt(3), rel=0.01)
    assert theirs.weight.detach().numpy().std() == pytest.approx(bound / math.sqrt(3), rel=0.01)
    conv = nn.Conv2d(3, 8, 5)
    assert np.abs(conv.weight.data).max() <= 1 / math.sqrt(3 * 5 * 5)
    assert conv.weight.requires_grad and conv.bias.requires_grad and conv.weight.dtype == np.float64


def test_parameters_are_named_like_pytorch():
    model = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.BatchNorm1d(3), nn.Linear(3, 1, bias=False))
    assert [name for name, _ in model.named_parameters()] == ["0.weight", "0.bias", "2.weight", "2.bias",
                                                             "3.weight"]
    assert model[0].weight.label == "0.weight" and len(model) == 4 and isinstance(model[1:], nn.Sequential)
    assert all(isinstance(p, Tensor) and p.requires_grad for p in model.parameters())


# -------------------------------------------------------------------- against PyTorch
def _copy_into_torch(ours, theirs):
    import torch
    with torch.no_grad():
        for (name, p), (tname, q) in zip(ours.named_parameters(), theirs.named_parameters()):
            assert name == tname
            q.copy_(torch.tensor(p.data))


def test_a_cnn_matches_pytorch_in_train_and_eval_modes():
    torch = pytest.importorskip("torch")
    tnn = torch.nn
    manual_seed(1)
    ours = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.BatchNorm2d(4), nn.LeakyReLU(0.2), nn.MaxPool2d(2),
                         nn.Conv2d(4, 6, 3, stride=2, padding=1), nn.Tanh(), nn.AvgPool2d(2), nn.Flatten(),
                         nn.Linear(6, 5), nn.BatchNorm1d(5), nn.Sigmoid(), nn.Dropout(0.5), nn.Linear(5, 3),
                         nn.Softmax(dim=1))
    theirs = tnn.Sequential(tnn.Conv2d(2, 4, 3, padding=1), tnn.BatchNorm2d(4), tnn.LeakyReLU(0.2),
                            tnn.MaxPool2d(2), tnn.Conv2d(4, 6, 3, stride=2, padding=1), tnn.Tanh(),
                            tnn.AvgPool2d(2), tnn.Flatten(), tnn.Linear(6, 5), tnn.BatchNorm1d(5),
                            tnn.Sigmoid(), tnn.Dropout(0.5), tnn.Linear(5, 3), tnn.Softmax(dim=1)).double()
    _copy_into_torch(ours, theirs)
    x = np.random.default_rng(2).standard_normal((6, 2, 8, 8))
    w = np.random.default_rng(3).standard_normal((6, 3))
    for mode in ("train", "eval"):
        ours.train(mode == "train")
        theirs.train(mode == "train")
        ours[11].p = theirs[11].p = 0.0 if mode == "train" else 0.5   # dropout is random: switch it off
        out = ours(Tensor(x))
        ref = theirs(torch.tensor(x))
        np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-9, atol=1e-12)
        for p in ours.parameters():
            p.grad = None
        theirs.zero_grad()
        (out * Tensor(w)).sum().backward()
        (ref * torch.tensor(w)).sum().backward()
        for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
            np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-7, atol=1e-12,
                                       err_msg=f"{mode} {name}")
        for i in (1, 9):  # running statistics moved the same way
            np.testing.assert_allclose(ours[i].running_mean, theirs[i].running_mean.numpy(), rtol=1e-12)
            np.testing.assert_allclose(ours[i].running_var, theirs[i].running_var.numpy(), rtol=1e-12)


def test_train_and_eval_switch_dropout_and_batch_norm():
    model = nn.Sequential(nn.Dropout(0.9), nn.BatchNorm1d(3))
    x = Tensor(np.arange(12.0).reshape(4, 3))
    model.eval()
    assert not model[0].training and not model[1].training
    # eval: dropout is the identity, batch norm uses running statistics 0 and 1: x/√(1 + ε)
    np.testing.assert_allclose(model(x).data, x.data / math.sqrt(1 + 1e-5))
    model.train()
    assert model[1].training
    model.summary((3,))
    assert model[1].training, "summary() restores the modes it found"


def test_float32_layers_give_float32_outputs_and_gradients():
    model = nn.Sequential(nn.Conv2d(1, 2, 3, dtype="float32"), nn.BatchNorm2d(2, dtype="float32"), nn.ReLU(),
                          nn.Flatten(), nn.Linear(8, 3, dtype=np.float32))
    out = model(Tensor(np.ones((2, 1, 4, 4), np.float32)))
    F.cross_entropy(out, [0, 2]).backward()
    assert out.dtype == np.float32
    assert all(p.grad.dtype == np.float32 for p in model.parameters())


def test_a_small_model_learns_with_the_optimizer():
    from microgradfr.optim import SGD
    manual_seed(0)
    rng = np.random.default_rng(0)
    X = rng.standard_normal((64, 2))
    y = (X[:, 0] + X[:, 1] > 0).astype(np.int64)
    model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 2))
    opt = SGD(model.parameters(), lr=0.5)
    losses = []
    for _ in range(60):
        loss = F.cross_entropy(model(Tensor(X)), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        losses.append(loss.item())
    assert losses[-1] < 0.3 * losses[0]
