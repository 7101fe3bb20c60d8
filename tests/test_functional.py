"""microgradfr.functional against PyTorch's functions of the same name: values and gradients.

Each test draws inputs with Hypothesis (or numpy for larger shapes), runs the same computation in
both engines in float64, and compares the loss and every input's gradient.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microgradfr.functional as F
from microgradfr import Tensor, i18n, manual_seed
from microgradfr.testing import gradcheck

torch = pytest.importorskip("torch")
TF = torch.nn.functional
FAST = settings(deadline=None, max_examples=15)

@pytest.fixture
def english():
    """These tests read the English sentences (French is the default; both are tested in test_parity.py)."""
    with i18n.language("en"):
        yield



def pair(*arrays, requires_grad=True):
    """The same float64 arrays as microgradfr Tensors and as torch tensors."""
    ours = [Tensor(np.array(a, dtype=np.float64), requires_grad=requires_grad) for a in arrays]
    theirs = [torch.tensor(np.array(a, dtype=np.float64), requires_grad=requires_grad) for a in arrays]
    return ours, theirs


def weighted_sum(out, w):
    """Σ w·out: one scalar whose gradient checks every output entry's gradient."""
    return (out * (Tensor(w) if isinstance(out, Tensor) else torch.tensor(w))).sum()


def assert_same(ours_out, theirs_out, ours_in, theirs_in, rtol=1e-9, atol=1e-10, seed=0):
    np.testing.assert_allclose(ours_out.data, theirs_out.detach().numpy(), rtol=rtol, atol=atol)
    w = np.random.default_rng(seed).standard_normal(ours_out.shape)
    weighted_sum(ours_out, w).backward()
    weighted_sum(theirs_out, w).backward()
    for i, (a, b) in enumerate(zip(ours_in, theirs_in)):
        if b.grad is None:
            assert a.grad is None or not a.requires_grad
            continue
        np.testing.assert_allclose(a.grad, b.grad.numpy(), rtol=rtol, atol=atol, err_msg=f"input {i}")


# -------------------------------------------------------------------- convolution and pooling
def settings_pair(draw, low, high):
    """An int (both axes) or a (height, width) pair, as PyTorch takes its conv and pool settings."""
    return draw(st.one_of(st.integers(low, high), st.tuples(st.integers(low, high), st.integers(low, high))))


def both(setting):
    return setting if isinstance(setting, tuple) else (setting, setting)


@st.composite
def conv_case(draw):
    n, c, f = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    padding = settings_pair(draw, 0, 2)
    ph, pw = both(padding)
    kernel = (draw(st.integers(1, min(5, h + 2 * ph))), draw(st.integers(1, min(5, w + 2 * pw))))
    stride = settings_pair(draw, 1, 3)
    return n, c, f, h, w, kernel, stride, padding, draw(st.booleans()), draw(st.integers(0, 99))


@FAST
@given(conv_case())
def test_conv2d_matches_pytorch(case):
    n, c, f, h, w, kernel, stride, padding, bias, seed = case
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal((n, c, h, w)), rng.standard_normal((f, c, *kernel))] + \
        ([rng.standard_normal(f)] if bias else [])
    ours, theirs = pair(*arrays)
    out = F.conv2d(*ours, stride=stride, padding=padding)
    ref = TF.conv2d(*theirs, stride=stride, padding=padding)
    assert out.shape == tuple(ref.shape)
    assert_same(out, ref, ours, theirs, seed=seed)


@pytest.mark.parametrize("kernel", [(3, 3), (1, 5), (5, 3)])
@pytest.mark.parametrize("padding", ["same", "valid"])
def test_conv2d_takes_same_and_valid_padding_like_pytorch(kernel, padding):
    rng = np.random.default_rng(3)
    ours, theirs = pair(rng.standard_normal((2, 3, 6, 7)), rng.standard_normal((4, 3, *kernel)))
    out = F.conv2d(*ours, padding=padding)
    ref = TF.conv2d(*theirs, padding=padding)
    assert out.shape == tuple(ref.shape) and (padding == "valid" or out.shape[2:] == (6, 7))
    assert_same(out, ref, ours, theirs)


@pytest.mark.usefixtures("english")
def test_conv2d_same_padding_says_what_it_cannot_do():
    x = Tensor(np.ones((1, 1, 6, 6)))
    with pytest.raises(ValueError, match=r"padding='same' needs stride 1 \(got stride \(2, 2\)\)"):
        F.conv2d(x, Tensor(np.ones((1, 1, 3, 3))), stride=2, padding="same")
    with pytest.raises(ValueError, match=r"even kernel 2×3"):
        F.conv2d(x, Tensor(np.ones((1, 1, 2, 3))), padding="same")
    with pytest.raises(ValueError, match=r"^conv2d: padding='full' must be an int ≥ 0 or a pair"):
        F.conv2d(x, Tensor(np.ones((1, 1, 3, 3))), padding="full")
    with pytest.raises(ValueError, match=r"^conv2d: stride=\(1, 0\) must be an int ≥ 1 or a pair"):
        F.conv2d(x, Tensor(np.ones((1, 1, 3, 3))), stride=(1, 0))
    with pytest.raises(ValueError, match=r"^max_pool2d: kernel_size=\(2, 0\) must be an int ≥ 1"):
        F.max_pool2d(x, (2, 0))


@pytest.mark.usefixtures("english")
def test_conv2d_is_one_node_and_checks_its_shapes():
    x, w, b = (Tensor(np.ones((1, 2, 5, 5)), requires_grad=True), Tensor(np.ones((3, 2, 3, 3))),
               Tensor(np.ones(3)))
    out = F.conv2d(x, w, b)
    assert out.op == "conv2d" and out.parents == (x, w, b) and tuple(out.k) == ((1, 1), (0, 0))
    with pytest.raises(ValueError, match=r"conv2d: input has 2 channels \(shape \(1, 2, 5, 5\)\) "
                                         r"but the weight expects 4"):
        F.conv2d(x, Tensor(np.ones((3, 4, 3, 3))))
    with pytest.raises(ValueError, match=r"kernel 7×7 is larger than the padded input 5×5"):
        F.conv2d(x, Tensor(np.ones((3, 2, 7, 7))))


@st.composite
def pool_case(draw):
    n, c = draw(st.integers(1, 2)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 8)), draw(st.integers(1, 8))
    kernel = draw(st.one_of(st.integers(1, min(4, h, w)),
                            st.tuples(st.integers(1, min(4, h)), st.integers(1, min(4, w)))))
    kh, kw = both(kernel)
    stride = draw(st.one_of(st.none(), st.integers(1, 3), st.tuples(st.integers(1, 3), st.integers(1, 3))))
    padding = draw(st.one_of(st.integers(0, min(kh, kw) // 2),
                             st.tuples(st.integers(0, kh // 2), st.integers(0, kw // 2))))
    return n, c, h, w, kernel, stride, padding, draw(st.integers(0, 99))


@FAST
@given(pool_case(), st.sampled_from(["max_pool2d", "avg_pool2d"]))
def test_pooling_matches_pytorch(case, name):
    n, c, h, w, kernel, stride, padding, seed = case
    x = np.random.default_rng(seed).permutation(n * c * h * w).reshape(n, c, h, w) / 7.0 - 3.0  # no ties
    ours, theirs = pair(x)
    out = getattr(F, name)(ours[0], kernel, stride, padding)
    ref = getattr(TF, name)(theirs[0], kernel, stride, padding)
    assert_same(out, ref, ours, theirs, seed=seed)


@pytest.mark.usefixtures("english")
def test_pooling_padding_is_at_most_half_the_window_as_in_pytorch():
    x = Tensor(np.ones((1, 1, 4, 4)))
    with pytest.raises(ValueError, match=r"padding 2 is more than half the 3×3 window.*padding ≤ 1"):
        F.max_pool2d(x, 3, padding=2)
    with pytest.raises(RuntimeError):
        TF.max_pool2d(torch.ones(1, 1, 4, 4), 3, padding=2)


def test_max_pool_sends_a_tied_window_gradient_to_one_entry_like_pytorch():
    x = np.zeros((1, 1, 4, 4))           # every window is a tie
    ours, theirs = pair(x)
    assert_same(F.max_pool2d(ours[0], 2), TF.max_pool2d(theirs[0], 2), ours, theirs)
    assert ours[0].grad.sum() == pytest.approx(np.random.default_rng(0).standard_normal((1, 1, 2, 2)).sum())


# -------------------------------------------------------------------- batch norm and dropout
@pytest.mark.parametrize("shape", [(8, 3), (4, 3, 5), (4, 3, 2, 2)])
@pytest.mark.parametrize("affine", [True, False])
def test_batch_norm_training_and_eval_match_pytorch(shape, affine):
    rng = np.random.default_rng(1)
    x = rng.standard_normal(shape) * 3 + 1
    c = shape[1]
    wb = [rng.standard_normal(c), rng.standard_normal(c)] if affine else []
    ours, theirs = pair(x, *wb)
    rm, rv = np.zeros(c), np.ones(c)
    trm, trv = torch.zeros(c, dtype=torch.float64), torch.ones(c, dtype=torch.float64)
    args_ours = ours[1:] if affine else [None, None]
    args_theirs = theirs[1:] if affine else [None, None]
    out = F.batch_norm(ours[0], rm, rv, *args_ours, training=True, momentum=0.3)
    ref = TF.batch_norm(theirs[0], trm, trv, *args_theirs, training=True, momentum=0.3)
    assert_same(out, ref, ours, theirs)
    np.testing.assert_allclose(rm, trm.numpy(), rtol=1e-12)
    np.testing.assert_allclose(rv, trv.numpy(), rtol=1e-12)   # unbiased variance, as PyTorch

    ours, theirs = pair(x, *wb)
    out = F.batch_norm(ours[0], rm, rv, *(ours[1:] if affine else [None, None]), training=False)
    ref = TF.batch_norm(theirs[0], trm, trv, *(theirs[1:] if affine else [None, None]), training=False)
    assert_same(out, ref, ours, theirs)


def test_batch_norm_gradient_matches_central_differences():
    rng = np.random.default_rng(2)
    x, w, b = (Tensor(rng.standard_normal(s), requires_grad=True) for s in ((5, 2, 3), (2,), (2,)))
    gradcheck(lambda x, w, b: (F.batch_norm(x, None, None, w, b, training=True) ** 3).sum(), [x, w, b],
              atol=1e-5, rtol=1e-4)


def test_dropout_zeroes_and_rescales_and_its_gradient_is_the_mask():
    manual_seed(0)
    x = Tensor(np.ones((200, 50)), requires_grad=True)
    out = F.dropout(x, p=0.3, training=True)
    kept = out.data != 0
    np.testing.assert_allclose(out.data[kept], 1 / 0.7)            # survivors scaled by 1/(1 − p)
    assert abs(kept.mean() - 0.7) < 0.02                           # 10,000 draws: σ ≈ 0.005
    out.sum().backward()
    np.testing.assert_array_equal(x.grad, out.data)                # ∂/∂x = mask/(1 − p) = out for x = 1
    assert F.dropout(x, 0.3, training=False) is x
    assert (F.dropout(x, 1.0).data == 0).all()
    ours, theirs = pair(np.ones(4))
    assert_same(F.dropout(ours[0], 0.5, training=False), TF.dropout(theirs[0], 0.5, training=False),
                ours, theirs)
    with pytest.raises(ValueError, match=r"p=1.5"):
        F.dropout(x, 1.5)


def test_dropout_is_reproducible_with_manual_seed():
    x = Tensor(np.ones(100))
    manual_seed(3)
    a = F.dropout(x, 0.5).data
    manual_seed(3)
    np.testing.assert_array_equal(a, F.dropout(x, 0.5).data)


# -------------------------------------------------------------------- losses
shapes = st.sampled_from([(1,), (5,), (3, 4), (2, 3, 2)])


@FAST
@given(shapes, st.integers(0, 99), st.sampled_from(["mean", "sum", "none"]))
def test_mse_and_l1_match_pytorch(shape, seed, reduction):
    rng = np.random.default_rng(seed)
    for name in ("mse_loss", "l1_loss"):
        ours, theirs = pair(rng.standard_normal(shape), rng.standard_normal(shape))
        out = getattr(F, name)(*ours, reduction=reduction)
        ref = getattr(TF, name)(*theirs, reduction=reduction)
        assert_same(out, ref, ours, theirs, seed=seed)


@FAST
@given(shapes, st.integers(0, 99), st.sampled_from(["mean", "sum", "none"]))
def test_binary_cross_entropy_matches_pytorch(shape, seed, reduction):
    rng = np.random.default_rng(seed)
    p = rng.uniform(0.01, 0.99, shape)
    t = rng.uniform(0, 1, shape)
    ours, theirs = pair(p, t)
    assert_same(F.binary_cross_entropy(*ours, reduction=reduction),
                TF.binary_cross_entropy(*theirs, reduction=reduction), ours, theirs, seed=seed)


@pytest.mark.usefixtures("english")
def test_binary_cross_entropy_is_clamped_at_100_like_pytorch():
    p, t = np.array([0.0, 1.0, 0.0, 1.0, 1e-50]), np.array([1.0, 0.0, 0.0, 1.0, 1.0])
    ours, theirs = pair(p, t, requires_grad=False)
    ours[0].requires_grad = theirs[0].requires_grad = True
    out = F.binary_cross_entropy(*ours, reduction="sum")
    ref = TF.binary_cross_entropy(*theirs, reduction="sum")
    assert out.item() == pytest.approx(300.0)                     # three logs of 0, each clamped to −100
    assert_same(out, ref, ours, theirs, rtol=1e-8)   # gradients of order 1e11 there (1/1e-12 clamps)
    with pytest.raises(ValueError, match=r"probabilities in \[0, 1\].*sigmoid"):
        F.binary_cross_entropy(Tensor([1.5]), Tensor([1.0]))


@FAST
@given(st.integers(1, 6), st.integers(1, 6), st.integers(0, 99), st.sampled_from(["mean", "sum", "none"]),
       st.sampled_from([1.0, 1000.0]))
def test_cross_entropy_matches_pytorch_even_at_1000(n, c, seed, reduction, scale):
    rng = np.random.default_rng(seed)
    logits = rng.standard_normal((n, c)) * scale
    target = rng.integers(0, c, n)
    ours, theirs = pair(logits)
    out = F.cross_entropy(ours[0], target, reduction=reduction)
    ref = TF.cross_entropy(theirs[0], torch.tensor(target), reduction=reduction)
    assert np.isfinite(out.data).all()
    assert_same(out, ref, ours, theirs, seed=seed)


@pytest.mark.usefixtures("english")
def test_cross_entropy_by_hand_and_its_errors():
    # two equal logits: −log ½ = log 2
    assert F.cross_entropy(Tensor([[0.0, 0.0]]), [1]).item() == pytest.approx(np.log(2))
    with pytest.raises(ValueError, match=r"class indices must lie in 0..1"):
        F.cross_entropy(Tensor([[0.0, 0.0]]), [2])
    with pytest.raises(ValueError, match=r"target must be 1 class indices"):
        F.cross_entropy(Tensor([[0.0, 0.0]]), [0.5])


@FAST
@given(shapes, st.integers(0, 99))
def test_hinge_loss_matches_its_pytorch_expression(shape, seed):
    rng = np.random.default_rng(seed)
    scores, labels = rng.standard_normal(shape) * 2, rng.choice([-1.0, 1.0], shape)
    ours, theirs = pair(scores, labels)
    assert_same(F.hinge_loss(*ours), torch.clamp(1 - theirs[1] * theirs[0], min=0).mean(), ours, theirs)


@pytest.mark.usefixtures("english")
def test_shape_mismatch_in_losses_is_reported():
    with pytest.raises(ValueError, match=r"mse_loss: input has shape \(3,\) but target has shape \(3, 1\)"):
        F.mse_loss(Tensor(np.ones(3)), Tensor(np.ones((3, 1))))


# -------------------------------------------------------------------- activations and linear
@pytest.mark.parametrize("name", ["relu", "sigmoid", "tanh", "leaky_relu", "softmax", "log_softmax"])
def test_activations_match_pytorch(name):
    x = np.random.default_rng(4).standard_normal((3, 4)) * 3
    ours, theirs = pair(x)
    kwargs = {"dim": -1} if "softmax" in name else {}
    assert_same(getattr(F, name)(ours[0]), getattr(TF, name)(theirs[0], **kwargs), ours, theirs)


def test_linear_matches_pytorch():
    rng = np.random.default_rng(5)
    ours, theirs = pair(rng.standard_normal((2, 3, 4)), rng.standard_normal((5, 4)), rng.standard_normal(5))
    assert_same(F.linear(*ours), TF.linear(*theirs), ours, theirs)


def test_float32_stays_float32_through_a_cnn_step():
    rng = np.random.default_rng(6)
    x = Tensor(rng.standard_normal((2, 1, 6, 6), dtype=np.float32))
    w = Tensor(rng.standard_normal((3, 1, 3, 3), dtype=np.float32), requires_grad=True)
    out = F.max_pool2d(F.conv2d(x, w, padding=1).relu(), 2).flatten(1)
    loss = F.cross_entropy(out, [0, 5])
    loss.backward()
    assert loss.dtype == np.float32 and w.grad.dtype == np.float32

