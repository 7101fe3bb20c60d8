"""Optimizers, clipping and schedulers: first steps derived by hand, long runs against torch.optim.

Every hand derivation uses f(w) = w² from w = 1 unless said otherwise: g = f'(w) = 2w.
"""
import math

import numpy as np
import pytest

from microgradfr import Value, i18n
from microgradfr.nn import MLP
from microgradfr.optim import (
    SGD,
    Adam,
    AdamW,
    ExponentialLR,
    RMSprop,
    StepLR,
    clip_grad_norm_,
    clip_grad_value_,
)


def two_steps(make_opt, w0=1.0):
    """Run two steps on f(w) = w² (gradient from backward) and return w after each."""
    w = Value(w0)
    opt = make_opt([w])
    out = []
    for _ in range(2):
        opt.zero_grad()
        (w * w).backward()
        opt.step()
        out.append(w.data)
    return out


# ---------------------------------------------------------------- two steps by hand


def test_sgd_plain_by_hand():
    # g = 2 → w = 1 − 0.1·2 = 0.8 ; g = 1.6 → w = 0.8 − 0.16 = 0.64
    assert two_steps(lambda p: SGD(p, lr=0.1)) == pytest.approx([0.8, 0.64], abs=1e-12)


def test_sgd_momentum_by_hand():
    # g = 2, b = g = 2 (first step: the buffer is the gradient), w = 1 − 0.2 = 0.8
    # g = 1.6, b = 0.9·2 + 1.6 = 3.4, w = 0.8 − 0.34 = 0.46
    assert two_steps(lambda p: SGD(p, lr=0.1, momentum=0.9)) == pytest.approx([0.8, 0.46], abs=1e-12)


def test_sgd_dampening_is_not_applied_on_the_first_step():
    # g = 2, b = 2 (no dampening yet), w = 0.8
    # g = 1.6, b = 0.9·2 + (1 − 0.5)·1.6 = 2.6, w = 0.8 − 0.26 = 0.54
    got = two_steps(lambda p: SGD(p, lr=0.1, momentum=0.9, dampening=0.5))
    assert got == pytest.approx([0.8, 0.54], abs=1e-12)


def test_sgd_nesterov_by_hand():
    # g = 2, b = 2, step along g + 0.9·b = 3.8 → w = 1 − 0.38 = 0.62
    # g = 1.24, b = 0.9·2 + 1.24 = 3.04, g + 0.9·b = 1.24 + 2.736 = 3.976 → w = 0.62 − 0.3976 = 0.2224
    got = two_steps(lambda p: SGD(p, lr=0.1, momentum=0.9, nesterov=True))
    assert got == pytest.approx([0.62, 0.2224], abs=1e-12)


def test_sgd_weight_decay_by_hand():
    # g = 2 + 0.1·1 = 2.1 → w = 0.79 ; g = 1.58 + 0.079 = 1.659 → w = 0.79 − 0.1659 = 0.6241
    assert two_steps(lambda p: SGD(p, lr=0.1, weight_decay=0.1)) == pytest.approx([0.79, 0.6241], abs=1e-12)


def test_rmsprop_by_hand():
    # v = 0.01·2² = 0.04, w = 1 − 0.01·2/√0.04 = 0.9
    # g = 1.8, v = 0.99·0.04 + 0.01·1.8² = 0.0396 + 0.0324 = 0.072, w = 0.9 − 0.01·1.8/√0.072
    got = two_steps(lambda p: RMSprop(p, lr=0.01))
    assert got == pytest.approx([0.9, 0.9 - 0.018 / math.sqrt(0.072)], abs=1e-7)
    assert got[1] == pytest.approx(0.832918, abs=1e-6)


def test_rmsprop_momentum_by_hand():
    # b = 0.5·0 + 2/√0.04 = 10, w = 1 − 0.01·10 = 0.9
    # b = 0.5·10 + 1.8/√0.072 ≈ 5 + 6.7082 = 11.7082, w = 0.9 − 0.117082 = 0.782918
    got = two_steps(lambda p: RMSprop(p, lr=0.01, momentum=0.5))
    assert got == pytest.approx([0.9, 0.9 - 0.01 * (5 + 1.8 / math.sqrt(0.072))], abs=1e-7)
    assert got[1] == pytest.approx(0.782918, abs=1e-6)


def test_adam_first_step_moves_by_lr_times_sign():
    # m = 0.1·g, v = 0.001·g²; corrected m̂ = g, v̂ = g²: the step is lr·g/|g| = lr·sign(g)
    for w0, expected in [(1.0, 0.9), (-2.0, -1.9), (5.0, 4.9)]:
        assert two_steps(lambda p: Adam(p, lr=0.1), w0)[0] == pytest.approx(expected, abs=1e-7)


def test_adam_by_hand():
    # step 1: w = 0.9 (see above); m = 0.2, v = 0.004
    # step 2: g = 1.8, m = 0.9·0.2 + 0.1·1.8 = 0.36, v = 0.999·0.004 + 0.001·3.24 = 0.007236
    #         m̂ = 0.36/(1 − 0.9²) = 0.36/0.19, v̂ = 0.007236/(1 − 0.999²) = 0.007236/0.001999
    m_hat, v_hat = 0.36 / 0.19, 0.007236 / 0.001999
    got = two_steps(lambda p: Adam(p, lr=0.1))
    assert got == pytest.approx([0.9, 0.9 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)], abs=1e-9)
    assert got[1] == pytest.approx(0.800412, abs=1e-6)


def test_adam_weight_decay_is_added_to_the_gradient():
    # step 1: g = 2 + 0.5·1 = 2.5, still a step of lr·sign(g): w = 0.9; m = 0.25, v = 0.00625
    # step 2: g = 1.8 + 0.45 = 2.25, m = 0.225 + 0.225 = 0.45, v = 0.999·0.00625 + 0.001·2.25²
    m_hat, v_hat = 0.45 / 0.19, (0.999 * 0.00625 + 0.001 * 2.25 ** 2) / 0.001999
    got = two_steps(lambda p: Adam(p, lr=0.1, weight_decay=0.5))
    assert got == pytest.approx([0.9, 0.9 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)], abs=1e-9)


def test_adamw_decays_apart_from_the_gradient():
    # step 1: w = 1·(1 − 0.1·0.5) = 0.95, then the Adam step of lr (g = 2 was taken at w = 1): 0.85
    # step 2: g = 1.7; w = 0.85·0.95 = 0.8075; m = 0.18 + 0.17 = 0.35, v = 0.003996 + 0.001·2.89
    m_hat, v_hat = 0.35 / 0.19, (0.003996 + 0.00289) / 0.001999
    got = two_steps(lambda p: AdamW(p, lr=0.1, weight_decay=0.5))
    assert got == pytest.approx([0.85, 0.8075 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)], abs=1e-9)


def test_adamw_default_weight_decay_is_pytorchs():
    assert AdamW([Value(1.0)]).param_groups[0]["weight_decay"] == 0.01
    assert Adam([Value(1.0)]).param_groups[0]["weight_decay"] == 0.0


# ---------------------------------------------------------------- the course's descent (TD 001, ex. 1)


def f(w):
    return 0.25 * w ** 4 - 1.5 * w ** 3 - 1.25 * w ** 2 + 6 * w


def descend(w0, lr, steps):
    """Gradient descent where the engine computes f'(w) by backward and SGD takes the step."""
    w = Value(w0)
    opt = SGD([w], lr=lr)
    path = []
    for _ in range(steps):
        opt.zero_grad()
        f(w).backward()
        opt.step()
        path.append(w.data)
    return path


def test_course_descent_lr_005():
    # f'(w) = w³ − 4.5w² − 2.5w + 6
    # f'(2) = 8 − 18 − 5 + 6 = −9                                     → w1 = 2 + 0.05·9 = 2.45
    # f'(2.45) = 14.706125 − 27.01125 − 6.125 + 6 = −12.430125        → w2 = 2.45 + 0.62150625 = 3.07150625
    # f'(3.07150625) ≈ 28.977 − 42.454 − 7.679 + 6 = −15.155          → w3 ≈ 3.071506 + 0.757770 = 3.829276
    w1, w2, w3 = descend(2.0, 0.05, 3)
    assert w1 == pytest.approx(2.45, abs=1e-12)
    assert w2 == pytest.approx(3.07150625, abs=1e-12)
    assert w3 == pytest.approx(3.829276, abs=1e-6)
    # f decreases along the way: f(2) = 4 − 12 − 5 + 12 = −1
    values = [f(w) for w in (2.0, w1, w2, w3)]
    assert values[0] == pytest.approx(-1.0)
    assert values == sorted(values, reverse=True)


def test_course_descent_lr_05_diverges():
    # w1 = 2 − 0.5·(−9) = 6.5 ; f'(6.5) = 274.625 − 190.125 − 16.25 + 6 = 74.25 → w2 = 6.5 − 37.125 = −30.625
    # f'(−30.625) = −28722.900390625 − 4220.5078125 + 76.5625 + 6 = −32860.845703125 → w3 ≈ 16399.8
    w1, w2, w3 = descend(2.0, 0.5, 3)
    assert (w1, w2) == (pytest.approx(6.5), pytest.approx(-30.625))
    assert w3 == pytest.approx(-30.625 + 0.5 * 32860.845703125)
    assert abs(w3) > 1e3


def test_course_descent_lr_001_is_slower():
    # w1 = 2 + 0.01·9 = 2.09: five times smaller a step than with lr = 0.05
    assert descend(2.0, 0.01, 1)[0] == pytest.approx(2.09)


# f'(1) = 1 − 4.5 − 2.5 + 6 = 0, so f'(w) = (w − 1)(w² − 3.5w − 6) (expand: w³ − 4.5w² − 2.5w + 6).
# w² − 3.5w − 6 = 0 → w = (3.5 ± √(3.5² + 24))/2 = (3.5 ± √36.25)/2 ≈ 4.7604 and −1.2604.
# f''(w) = 3w² − 9w − 2.5: f''(1) = −8.5 < 0 (a maximum), f'' > 0 at both other roots (minima).
RIGHT_MIN = (3.5 + math.sqrt(36.25)) / 2
LEFT_MIN = (3.5 - math.sqrt(36.25)) / 2


def test_course_minima_are_roots_of_the_derivative():
    for w in (1.0, RIGHT_MIN, LEFT_MIN):
        w = Value(w)
        f(w).backward()
        assert w.grad == pytest.approx(0.0, abs=1e-9)
    assert RIGHT_MIN == pytest.approx(4.7604, abs=1e-4)
    assert LEFT_MIN == pytest.approx(-1.2604, abs=1e-4)


@pytest.mark.parametrize("w0, minimum", [(6.0, RIGHT_MIN), (-2.0, LEFT_MIN),
                                        (2.0, RIGHT_MIN), (0.5, LEFT_MIN)])
def test_course_descent_reaches_the_minimum_of_its_basin(w0, minimum):
    assert descend(w0, 0.01, 1000)[-1] == pytest.approx(minimum, abs=1e-6)


# ---------------------------------------------------------------- against torch.optim


def grad_fn(w):
    """The gradient of Σ (w⁴/4 − w² + 0.5w): w³ − 2w + 0.5, elementwise (float or array)."""
    return w ** 3 - 2 * w + 0.5


START = [1.3, -0.7, 0.2, 2.0, -1.5, 0.9]

CONFIGS = [
    (SGD, "SGD", dict(lr=0.05)),
    (SGD, "SGD", dict(lr=0.05, momentum=0.9)),
    (SGD, "SGD", dict(lr=0.05, momentum=0.9, dampening=0.3)),
    (SGD, "SGD", dict(lr=0.05, momentum=0.8, nesterov=True)),
    (SGD, "SGD", dict(lr=0.05, momentum=0.5, weight_decay=0.1, nesterov=True)),
    (SGD, "SGD", dict(lr=0.02, weight_decay=0.3)),
    (RMSprop, "RMSprop", dict(lr=0.01)),
    (RMSprop, "RMSprop", dict(lr=0.01, alpha=0.9, momentum=0.9)),
    (RMSprop, "RMSprop", dict(lr=0.005, alpha=0.95, eps=1e-6, momentum=0.5, weight_decay=0.2)),
    (RMSprop, "RMSprop", dict(lr=0.01, centered=True, momentum=0.3)),
    (Adam, "Adam", dict(lr=0.05)),
    (Adam, "Adam", dict(lr=0.1, betas=(0.8, 0.99), eps=1e-6)),
    (Adam, "Adam", dict(lr=0.05, weight_decay=0.3)),
    (Adam, "Adam", dict(lr=0.05, amsgrad=True)),
    (AdamW, "AdamW", dict(lr=0.05)),
    (AdamW, "AdamW", dict(lr=0.05, weight_decay=0.5, betas=(0.5, 0.9))),
    (AdamW, "AdamW", dict(lr=0.05, weight_decay=0.1, amsgrad=True)),
]
IDS = [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for _, name, kw in CONFIGS]


def torch_trajectory(name, kwargs, steps, dtype="float64"):
    torch = pytest.importorskip("torch")
    w = torch.tensor(START, dtype=getattr(torch, dtype), requires_grad=True)
    opt = getattr(torch.optim, name)([w], **kwargs)
    path = []
    for _ in range(steps):
        with torch.no_grad():
            w.grad = grad_fn(w.detach().clone())
        opt.step()
        path.append(w.detach().numpy().copy())
    return np.array(path)


@pytest.mark.parametrize("cls, name, kwargs", CONFIGS, ids=IDS)
def test_value_parameters_follow_torch(cls, name, kwargs):
    expected = torch_trajectory(name, kwargs, steps=60)
    ws = [Value(v) for v in START]
    opt = cls(ws, **kwargs)
    for step in range(60):
        for w in ws:
            w.grad = grad_fn(w.data)
        opt.step()
        np.testing.assert_allclose([w.data for w in ws], expected[step], rtol=1e-10, atol=1e-12,
                                   err_msg=f"step {step + 1}")
    assert all(type(w.data) is float for w in ws)


@pytest.mark.parametrize("cls, name, kwargs", CONFIGS, ids=IDS)
def test_tensor_parameters_follow_torch(cls, name, kwargs):
    tensor = pytest.importorskip("microgradfr.tensor")
    expected = torch_trajectory(name, kwargs, steps=60)
    w = tensor.Tensor(np.array(START).reshape(2, 3), requires_grad=True)
    data_array = w.data
    opt = cls([w], **kwargs)
    for step in range(60):
        w.grad = grad_fn(w.data.copy())
        opt.step()
        np.testing.assert_allclose(w.data.ravel(), expected[step], rtol=1e-10, atol=1e-12,
                                   err_msg=f"step {step + 1}")
    assert w.data is data_array, "the update is in place, as PyTorch's"


@pytest.mark.parametrize("cls, name, kwargs", CONFIGS, ids=IDS)
def test_float32_parameters_keep_float32_state_and_follow_torch(cls, name, kwargs):
    """As PyTorch: a float32 parameter's buffers are float32 too, and so is each update. Over 15 steps
    only (float32 rounding in a different order grows along some of these oscillating paths)."""
    tensor = pytest.importorskip("microgradfr.tensor")
    expected = torch_trajectory(name, kwargs, steps=15, dtype="float32")
    w = tensor.Tensor(np.array(START, dtype=np.float32).reshape(2, 3), requires_grad=True)
    opt = cls([w], **kwargs)
    for step in range(15):
        w.grad = grad_fn(w.data.copy())
        opt.step()
        np.testing.assert_allclose(w.data.ravel(), expected[step], rtol=1e-5, atol=1e-6,
                                   err_msg=f"step {step + 1}")
    buffers = {k: v for k, v in opt.state[id(w)].items() if k != "step"}
    assert w.data.dtype == np.float32 and all(v.dtype == np.float32 for v in buffers.values()), buffers
    assert buffers or name == "SGD" and not kwargs.get("momentum")


@pytest.mark.parametrize("cls, name, kwargs", CONFIGS[1::3], ids=IDS[1::3])
def test_a_scalar_mlp_trains_like_torch(cls, name, kwargs):
    """A 2-3-1 tanh MLP on four points: gradients from backward, compared with the same net in torch."""
    torch = pytest.importorskip("torch")
    from microgradfr import manual_seed
    manual_seed(0)
    model = MLP(2, [3, 1], activation="tanh")
    X = [[0.0, 1.0], [1.0, 0.5], [-1.0, 2.0], [0.3, -0.4]]
    Y = [1.0, -1.0, 0.5, 0.0]
    tw = [torch.tensor([p.data], dtype=torch.float64, requires_grad=True) for p in model.parameters()]

    def torch_model(x):
        it = iter(tw)
        hidden = []
        for _ in range(3):
            w0, w1, b = next(it), next(it), next(it)
            hidden.append(torch.tanh(w0 * x[0] + w1 * x[1] + b))
        ws = [next(it) for _ in range(3)]
        b = next(it)
        return sum(w * h for w, h in zip(ws, hidden)) + b

    opt, topt = cls(model.parameters(), **kwargs), getattr(torch.optim, name)(tw, **kwargs)
    for _ in range(30):
        opt.zero_grad()
        loss = sum((model(x) - y) ** 2 for x, y in zip(X, Y)) * 0.25
        loss.backward()
        opt.step()
        topt.zero_grad()
        tloss = sum((torch_model(x) - y) ** 2 for x, y in zip(X, Y)) * 0.25
        tloss.backward()
        topt.step()
        assert loss.data == pytest.approx(tloss.item(), rel=1e-9)
    np.testing.assert_allclose([p.data for p in model.parameters()], [t.item() for t in tw], rtol=1e-8)


def test_parameters_without_a_gradient_are_skipped():
    tensor = pytest.importorskip("microgradfr.tensor")
    w = tensor.Tensor(np.ones(3), requires_grad=True)
    w.grad = None
    opt = AdamW([w], lr=0.1, weight_decay=0.5)
    opt.step()
    np.testing.assert_array_equal(w.data, np.ones(3))
    assert opt.state_dict()["state"] == {}


# ---------------------------------------------------------------- zero_grad, lr, state_dict


def test_zero_grad_resets_value_gradients():
    ws = [Value(1.0), Value(2.0)]
    (ws[0] * ws[1]).backward()
    opt = SGD(ws, lr=0.1)
    opt.zero_grad()
    assert [w.grad for w in ws] == [0.0, 0.0]


def test_lr_is_settable_and_checked():
    opt = SGD([Value(1.0)], lr=0.1)
    opt.lr = 0.5
    assert opt.param_groups[0]["lr"] == 0.5 and opt.lr == 0.5
    with pytest.raises(ValueError, match=r"lr=-1"):
        opt.lr = -1


def test_param_groups_with_their_own_rates():
    a, b = Value(1.0), Value(1.0)
    opt = SGD([{"params": [a]}, {"params": [b], "lr": 0.01}], lr=0.1)
    (a * a + b * b).backward()
    opt.step()
    assert (a.data, b.data) == (pytest.approx(0.8), pytest.approx(0.98))


@pytest.mark.parametrize("cls, kwargs", [(SGD, dict(lr=0.1, momentum=0.9)), (RMSprop, dict(momentum=0.5)),
                                         (Adam, dict(lr=0.1)), (AdamW, dict(lr=0.1))])
def test_state_dict_round_trip_continues_the_same_trajectory(cls, kwargs):
    def run(opt, ws, steps):
        for _ in range(steps):
            opt.zero_grad()
            sum(f(w) for w in ws).backward()
            opt.step()

    ws = [Value(2.0), Value(-2.0)]
    opt = cls(ws, **kwargs)
    run(opt, ws, 3)
    saved = opt.state_dict()
    copies = [Value(w.data) for w in ws]
    other = cls(copies, **kwargs)
    other.load_state_dict(saved)
    run(opt, ws, 4)
    run(other, copies, 4)
    assert [w.data for w in copies] == [w.data for w in ws]


def test_state_dict_is_a_copy():
    tensor = pytest.importorskip("microgradfr.tensor")
    w = tensor.Tensor(np.ones(2), requires_grad=True)
    opt = SGD([w], lr=0.1, momentum=0.9)
    w.grad = np.ones(2)
    opt.step()
    saved = opt.state_dict()
    opt.step()
    np.testing.assert_array_equal(saved["state"][0]["momentum_buffer"], np.ones(2))


def test_load_state_dict_rejects_a_mismatch_and_changes_nothing():
    with i18n.language("en"):  # the English text; test_error_messages checks both
        ws = [Value(1.0), Value(2.0)]
        opt = Adam(ws, lr=0.1)
        (ws[0] * ws[1]).backward()
        opt.step()
        other = Adam([Value(1.0)], lr=0.3)
        with pytest.raises(ValueError, match="2 parameter"):
            other.load_state_dict(opt.state_dict())
        assert other.lr == 0.3 and other.state == {}
        with pytest.raises(ValueError, match="hyperparameters"):
            SGD(ws, lr=0.1).load_state_dict(opt.state_dict())


# ---------------------------------------------------------------- bad arguments


@pytest.mark.parametrize("make, error, pattern", [
    (lambda w: SGD([w], lr=-0.1), ValueError, r"lr=-0\.1"),
    (lambda w: Adam([w], lr=-1), ValueError, r"lr=-1"),
    (lambda w: SGD([w], lr="fast"), ValueError, r"lr='fast'"),
    (lambda w: SGD([], lr=0.1), ValueError, r"params is an empty list"),
    (lambda w: Adam(iter([])), ValueError, r"params is an empty list"),
    (lambda w: SGD([w, 1.5], lr=0.1), TypeError, r"params\[1\] is a float"),
    (lambda w: SGD(w, lr=0.1), TypeError, r"single Value"),
    (lambda w: SGD(MLP(2, [1]), lr=0.1), TypeError, r"model.parameters\(\)"),
    (lambda w: SGD([w, w], lr=0.1), ValueError, r"params\[1\] is the same parameter as params\[0\]"),
    (lambda w: SGD([w], lr=0.1, momentum=-0.9), ValueError, r"momentum=-0\.9"),
    (lambda w: SGD([w], lr=0.1, nesterov=True), ValueError, r"nesterov=True needs momentum > 0"),
    (lambda w: SGD([w], lr=0.1, momentum=0.9, dampening=0.1, nesterov=True), ValueError, r"dampening=0\.1"),
    (lambda w: SGD([w], lr=0.1, weight_decay=-1e-4), ValueError, r"weight_decay=-0\.0001"),
    (lambda w: RMSprop([w], alpha=-0.5), ValueError, r"alpha=-0\.5"),
    (lambda w: RMSprop([w], eps=-1e-8), ValueError, r"eps=-1e-08"),
    (lambda w: Adam([w], betas=(1.0, 0.999)), ValueError, r"betas\[0\]=1\.0 must lie in \[0\.0, 1\.0\)"),
    (lambda w: Adam([w], betas=(0.9, -0.1)), ValueError, r"betas\[1\]=-0\.1"),
    (lambda w: AdamW([w], betas=0.9), ValueError, r"betas=0\.9 must be a pair"),
    (lambda w: clip_grad_norm_([w], max_norm=-1.0), ValueError, r"max_norm=-1\.0"),
    (lambda w: clip_grad_value_([w], -2), ValueError, r"clip_value=-2"),
    (lambda w: clip_grad_norm_([w, "x"], 1.0), TypeError, r"params\[1\] is a str"),
    (lambda w: StepLR(SGD([w], lr=0.1), step_size=0), ValueError, r"step_size=0"),
    (lambda w: ExponentialLR("sgd", gamma=0.5), TypeError, r"optimizer must be"),
])
def test_bad_arguments_are_named(make, error, pattern):
    with i18n.language("en"):  # the English text; test_error_messages checks both
        with pytest.raises(error, match=pattern):
            make(Value(1.0))


# ---------------------------------------------------------------- clipping


def test_clip_grad_norm_by_hand():
    # ‖(3, 4)‖ = 5 > 1: both are multiplied by 1/(5 + 10⁻⁶)
    a, b = Value(0.0), Value(0.0)
    a.grad, b.grad = 3.0, 4.0
    assert clip_grad_norm_([a, b], 1.0) == pytest.approx(5.0)
    assert (a.grad, b.grad) == (pytest.approx(3 / (5 + 1e-6)), pytest.approx(4 / (5 + 1e-6)))


def test_clip_grad_norm_leaves_small_gradients_alone():
    a, b = Value(0.0), Value(0.0)
    a.grad, b.grad = 0.3, -0.4
    assert clip_grad_norm_([a, b], 1.0) == pytest.approx(0.5)
    assert (a.grad, b.grad) == (0.3, -0.4)


def test_clip_grad_norm_infinity_norm():
    # the largest |entry| is 4 > 2: every gradient is multiplied by 2/(4 + 10⁻⁶)
    a, b = Value(0.0), Value(0.0)
    a.grad, b.grad = -4.0, 1.0
    assert clip_grad_norm_([a, b], 2.0, norm_type=float("inf")) == 4.0
    assert a.grad == pytest.approx(-2.0, abs=1e-6) and b.grad == pytest.approx(0.5, abs=1e-6)


def test_clip_grad_value_by_hand():
    ws = [Value(0.0) for _ in range(3)]
    for w, g in zip(ws, (-7.0, 0.5, 3.0)):
        w.grad = g
    clip_grad_value_(ws, 1.0)
    assert [w.grad for w in ws] == [-1.0, 0.5, 1.0]


@pytest.mark.parametrize("max_norm, norm_type", [(1.0, 2.0), (10.0, 2.0), (0.5, 1.0), (0.3, float("inf"))])
def test_clip_grad_norm_against_torch(max_norm, norm_type):
    torch = pytest.importorskip("torch")
    grads = [np.array([[1.5, -2.0], [0.3, 4.0]]), np.array([-0.7, 2.2, 0.1])]
    ts = [torch.zeros(g.shape, dtype=torch.float64, requires_grad=True) for g in grads]
    for t, g in zip(ts, grads):
        t.grad = torch.tensor(g)
    expected = torch.nn.utils.clip_grad_norm_(ts, max_norm, norm_type=norm_type).item()
    # the same gradients on Values, one per entry
    values = [Value(0.0) for g in grads for _ in g.ravel()]
    for v, g in zip(values, np.concatenate([g.ravel() for g in grads])):
        v.grad = float(g)
    assert clip_grad_norm_(values, max_norm, norm_type=norm_type) == pytest.approx(expected, rel=1e-12)
    np.testing.assert_allclose([v.grad for v in values], np.concatenate([t.grad.numpy().ravel() for t in ts]),
                               rtol=1e-12)


def test_clip_on_tensors_against_torch():
    torch = pytest.importorskip("torch")
    tensor = pytest.importorskip("microgradfr.tensor")
    g = np.array([[1.5, -2.0], [0.3, 4.0]])
    w = tensor.Tensor(np.zeros((2, 2)), requires_grad=True)
    t = torch.zeros((2, 2), dtype=torch.float64, requires_grad=True)
    w.grad, t.grad = g.copy(), torch.tensor(g)
    assert clip_grad_norm_([w], 2.0) == pytest.approx(torch.nn.utils.clip_grad_norm_([t], 2.0).item())
    np.testing.assert_allclose(w.grad, t.grad.numpy(), rtol=1e-12)
    w.grad, t.grad = g.copy(), torch.tensor(g)
    clip_grad_value_(w, 1.0)
    torch.nn.utils.clip_grad_value_([t], 1.0)
    np.testing.assert_array_equal(w.grad, t.grad.numpy())


def test_clipping_tames_the_diverging_course_descent():
    # lr 0.5 from 2 diverges (see above); with gradients clipped to norm 1, each step moves at most 0.5
    w = Value(2.0)
    opt = SGD([w], lr=0.5)
    for _ in range(200):
        opt.zero_grad()
        f(w).backward()
        clip_grad_norm_([w], 1.0)
        opt.step()
    assert abs(w.data) < 10


# ---------------------------------------------------------------- schedulers


def test_step_lr_by_hand():
    opt = SGD([Value(0.0)], lr=1.0)
    sched = StepLR(opt, step_size=3, gamma=0.5)
    rates = []
    for _ in range(8):
        rates.append(opt.lr)
        sched.step()
    assert rates == [1.0, 1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25]
    assert sched.get_last_lr() == [0.25]  # after 8 epochs: 8 // 3 = 2 decays


def test_exponential_lr_by_hand():
    opt = Adam([Value(0.0)], lr=0.8)
    sched = ExponentialLR(opt, gamma=0.5)
    rates = []
    for _ in range(4):
        rates.append(opt.lr)
        sched.step()
    assert rates == [0.8, 0.4, 0.2, 0.1]


@pytest.mark.parametrize("name, kwargs", [("StepLR", dict(step_size=3, gamma=0.3)),
                                          ("StepLR", dict(step_size=1)),
                                          ("ExponentialLR", dict(gamma=0.9))])
def test_schedulers_against_torch(name, kwargs):
    torch = pytest.importorskip("torch")
    import microgradfr.optim as optim
    t = torch.zeros(1, requires_grad=True)
    topt = torch.optim.SGD([t], lr=0.7)
    tsched = getattr(torch.optim.lr_scheduler, name)(topt, **kwargs)
    opt = SGD([Value(0.0)], lr=0.7)
    sched = getattr(optim, name)(opt, **kwargs)
    for _ in range(12):
        assert opt.lr == pytest.approx(topt.param_groups[0]["lr"], rel=1e-12)
        topt.step()
        tsched.step()
        sched.step()
        assert sched.get_last_lr() == pytest.approx(tsched.get_last_lr(), rel=1e-12)
