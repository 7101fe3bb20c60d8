"""The Tensor: every op of the table against central differences, and the engine's semantics.

Ops are enumerated from the op table: elementwise entries (shared with Value) on broadcasting
shape pairs drawn from their scalar domain, whole-array entries (``vjp``) from their own domain.
Expected numbers in the hand-written tests are derived in the comments next to them.
"""
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microgradfr.functional as F
from microgradfr import Tensor, Value, i18n, no_grad
from microgradfr.autograd import topological_order
from microgradfr.engine import apply as apply_value
from microgradfr.ops import OPS, Op
from microgradfr.tensor import apply, unbroadcast
from microgradfr.testing import gradcheck
from microgradfr.testing.array_strategies import elementwise_inputs, tensor_op_inputs

ELEMENTWISE_OPS = [op for op in OPS.values() if op.local is not None and op.arity in (1, 2)]
TENSOR_OPS = [op for op in OPS.values() if op.vjp is not None]
FAST = settings(deadline=None, max_examples=20)

@pytest.fixture
def english():
    """These tests read the English sentences (French is the default; both are tested in test_parity.py)."""
    with i18n.language("en"):
        yield



def _weights(shape, seed):
    """Fixed random weights w: checking Σ w·out checks every entry of out's gradient at once."""
    return np.random.default_rng(seed).standard_normal(shape)


def _leaves(arrays, dtype=None):
    """Float arrays become tensors that require a gradient; integer arrays (class indices) do not."""
    return [Tensor(a, requires_grad=True, label=f"x{i}", dtype=dtype) if a.dtype.kind == "f"
            else Tensor(a, dtype=a.dtype) for i, a in enumerate(arrays)]


def _call(op, tensors, k):
    return apply(op, *tensors, k=k(*[t.data for t in tensors]) if callable(k) else k)


# -------------------------------------------------------------------- every op against central differences
@pytest.mark.parametrize("op", ELEMENTWISE_OPS, ids=lambda op: op.name)
def test_every_elementwise_op_matches_central_differences(op):
    @FAST
    @given(elementwise_inputs(op), st.integers(0, 2**16))
    def check(arrays, seed):
        inputs = _leaves(arrays)
        w = _weights(np.broadcast_shapes(*(a.shape for a in arrays)), seed)
        gradcheck(lambda *ts: (apply(op, *ts, k=op.k_default) * w).sum(), inputs, atol=1e-5, rtol=1e-4)
    check()


@pytest.mark.parametrize("op", TENSOR_OPS, ids=lambda op: op.name)
def test_every_tensor_op_matches_central_differences(op):
    @FAST
    @given(tensor_op_inputs(op), st.integers(0, 2**16))
    def check(arrays_k, seed):
        arrays, k = arrays_k
        tensors = _leaves(arrays)
        w = _weights(_call(op, tensors, k).shape, seed)
        wrt = [t for t in tensors if t.requires_grad]

        def f(*diff):
            it = iter(diff)
            return (_call(op, [next(it) if t.requires_grad else t for t in tensors], k) * w).sum()
        gradcheck(f, wrt, atol=1e-5, rtol=1e-4)
    check()


@pytest.mark.parametrize("op", ELEMENTWISE_OPS, ids=lambda op: op.name)
def test_elementwise_ops_compute_what_value_computes(op):
    """The same table entry: a Tensor's entries equal Value's results entry by entry."""
    @settings(deadline=None, max_examples=10)
    @given(elementwise_inputs(op))
    def check(arrays):
        out = apply(op, *map(Tensor, arrays), k=op.k_default).data
        for index in np.ndindex(out.shape):
            scalars = [float(np.broadcast_to(a, out.shape)[index]) for a in arrays]
            assert out[index] == pytest.approx(apply_value(op, *scalars, k=op.k_default).data,
                                               rel=1e-12, abs=1e-12)
    check()


@pytest.mark.parametrize("op", ELEMENTWISE_OPS + TENSOR_OPS, ids=lambda op: op.name)
def test_every_op_keeps_float32_end_to_end(op):
    strategy = elementwise_inputs(op) if op.local is not None else tensor_op_inputs(op)

    @settings(deadline=None, max_examples=5)
    @given(strategy)
    def check(drawn):
        arrays, k = (drawn, op.k_default) if op.local is not None else drawn
        tensors = _leaves([a.astype(np.float32) if a.dtype.kind == "f" else a for a in arrays])
        if callable(k):
            k = k(*[t.data for t in tensors])
        out = apply(op, *tensors, k=k)
        assert out.dtype == np.float32, f"{op.name} forward gave {out.dtype}"
        out.backward(np.ones(out.shape, np.float32))
        for t in tensors:
            if t.requires_grad:
                assert t.grad.dtype == np.float32, f"{op.name} gradient gave {t.grad.dtype}"
                assert t.grad.shape == t.shape
    check()


def test_the_table_has_every_tensor_op_the_issue_lists():
    expected = {"matmul", "sum", "mean", "max", "reshape", "transpose", "getitem", "softmax",
                "log_softmax", "conv2d", "max_pool2d", "avg_pool2d", "batch_norm", "cross_entropy",
                "binary_cross_entropy"}
    assert expected <= {op.name for op in TENSOR_OPS}
    for op in TENSOR_OPS:
        assert op.local is None and op.symbol and op.expr and op.derivs


# -------------------------------------------------------------------- creation and dtypes
def test_lists_and_numbers_become_float64_and_float32_arrays_are_shared():
    assert Tensor([1, 2, 3]).dtype == np.float64
    assert Tensor(2).shape == ()
    a = np.arange(6, dtype=np.float32).reshape(2, 3)
    t = Tensor(a)
    assert t.dtype == np.float32 and t.data is a  # no copy
    assert Tensor(a, dtype=np.float64).dtype == np.float64
    assert (t.shape, t.ndim, t.size(), t.numel(), t.dim(), t.T.shape) == ((2, 3), 2, (2, 3), 6, 2, (3, 2))


def test_numbers_take_the_tensor_dtype():
    x = Tensor(np.ones(3, np.float32), requires_grad=True)
    y = 2 * x + 1.5 - x / 3 + x ** 2
    assert y.dtype == np.float32
    y.sum().backward()
    assert x.grad.dtype == np.float32
    # ∂/∂x (2x + 1.5 − x/3 + x²) = 2 − 1/3 + 2x = 11/3 at x = 1
    np.testing.assert_allclose(x.grad, np.full(3, 11 / 3), rtol=1e-6)


def test_data_is_settable_and_comparisons_give_boolean_tensors():
    x = Tensor([1.0, 2.0, 3.0])
    x.data = [3.0, 2.0, 1.0]
    assert isinstance(x.data, np.ndarray)
    result = x > 1.5
    assert type(result) is Tensor and result.dtype == bool and result.tolist() == [True, True, False]
    assert not result.requires_grad and result.parents == ()
    assert (x == Tensor([3.0, 0.0, 1.0])).tolist() == [True, False, True]


COMPARISONS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, ">": lambda a, b: a > b,
               ">=": lambda a, b: a >= b, "==": lambda a, b: a == b, "!=": lambda a, b: a != b}
CASTS = ["long", "int", "bool", "float", "double"]


@pytest.mark.parametrize("name", COMPARISONS)
def test_comparisons_are_torchs(name):
    torch = pytest.importorskip("torch")
    a, b = np.array([[1.0, -2.0, 3.0], [0.5, 2.0, -1.0]]), np.array([1.0, 2.0, -1.0])
    for ours_other, theirs_other in ((Tensor(b), torch.tensor(b)), (1.0, 1.0)):
        ours = COMPARISONS[name](Tensor(a), ours_other)
        theirs = COMPARISONS[name](torch.tensor(a), theirs_other)
        assert ours.dtype == bool and ours.tolist() == theirs.tolist()


@pytest.mark.parametrize("cast", CASTS)
def test_casts_are_torchs(cast):
    torch = pytest.importorskip("torch")
    a = np.array([[1.5, -2.0, 0.0], [3.0, 0.25, -0.75]])
    ours, theirs = getattr(Tensor(a), cast)(), getattr(torch.tensor(a), cast)()
    assert str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert ours.tolist() == theirs.tolist()


def test_accuracy_and_masks_are_written_as_in_torch():
    torch = pytest.importorskip("torch")
    logits = np.array([[2.0, 1.0, 0.1], [0.2, 0.1, 3.0], [1.0, 2.0, 0.0], [0.0, 0.0, 1.0]])
    y = np.array([0, 2, 0, 2])
    ours = (Tensor(logits).argmax(dim=1) == Tensor(y, dtype=np.int64)).float().mean().item()
    theirs = (torch.tensor(logits).argmax(dim=1) == torch.tensor(y)).float().mean().item()
    assert ours == theirs == 0.75
    x = Tensor([1.0, -2.0, 3.0], requires_grad=True)
    (x * (x > 0)).sum().backward()  # a mask weighs like any tensor: ∂/∂x = mask
    assert x.grad.tolist() == [1.0, 0.0, 1.0] and x[x > 0].tolist() == [1.0, 3.0]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_truth_of_a_tensor_is_torchs(lang):
    assert bool(Tensor([2.0]) > 1) and not bool(Tensor(0.0))
    assert bool((Tensor([1.0, 2.0]) > 0).all()) and not bool((Tensor([1.0, 2.0]) > 1.5).all())
    with i18n.language(lang), pytest.raises(RuntimeError) as error:
        bool(Tensor([1.0, 2.0]) > 0)
    assert str(error.value) == i18n.message("tensor.bool_ambiguous", lang=lang, count=2, shape=(2,))


# -------------------------------------------------------------------- backward semantics
def test_broadcasting_is_undone_by_summing():
    # z = x + y with x (3, 1) and y (4,): z is (3, 4); each x entry is used 4 times, each y entry 3 times.
    x = Tensor(np.zeros((3, 1)), requires_grad=True)
    y = Tensor(np.zeros(4), requires_grad=True)
    (x + y).sum().backward()
    np.testing.assert_array_equal(x.grad, np.full((3, 1), 4.0))
    np.testing.assert_array_equal(y.grad, np.full(4, 3.0))
    np.testing.assert_array_equal(unbroadcast(np.ones((2, 3, 4)), (3, 1)), np.full((3, 1), 8.0))


def test_leaves_accumulate_intermediates_hold_one_pass_and_reused_nodes_sum():
    x = Tensor([1.0, 2.0], requires_grad=True)
    h = x * x                       # reused: parents (x, x)
    assert h.parents == (x, x)
    y = (h * 3).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad, [6.0, 12.0])   # ∂(3x²)/∂x = 6x
    np.testing.assert_array_equal(h.grad, [3.0, 3.0])
    y.backward()
    np.testing.assert_array_equal(x.grad, [12.0, 24.0])  # the leaf accumulated
    np.testing.assert_array_equal(h.grad, [3.0, 3.0])    # the intermediate did not


def test_leaf_gradients_are_independent_arrays():
    a = Tensor([1.0, 2.0], requires_grad=True)
    b = Tensor([3.0, 4.0], requires_grad=True)
    (a + b).sum().backward()
    assert a.grad is not b.grad and a.grad.flags.writeable
    a.grad *= 0
    np.testing.assert_array_equal(b.grad, [1.0, 1.0])


@pytest.mark.usefixtures("english")
def test_a_non_scalar_root_needs_grad():
    x = Tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    with pytest.raises(ValueError, match=r"root has shape \(2,\).*sum\(\)"):
        y.backward()
    y.backward(np.array([1.0, 10.0]))          # the vector-Jacobian product: 2·[1, 10]
    np.testing.assert_array_equal(x.grad, [2.0, 20.0])
    with pytest.raises(ValueError, match="grad has shape"):
        y.backward(np.ones(3))
    with pytest.raises(RuntimeError, match="requires_grad=True"):
        Tensor([1.0]).sum().backward()


def test_inputs_without_requires_grad_cost_nothing():
    calls = []

    def rule(name):
        def vjp(g, x, y, out, k):
            calls.append(name)
            return g
        return vjp
    op = Op(name="probe", symbol="probe", arity=2, forward=lambda xp, x, y, k: x + y, local=None,
            expr="{x} ∘ {y}", derivs=("1", "1"), vjp=(rule("x"), rule("y")))
    data = Tensor(np.ones(3))
    w = Tensor(np.ones(3), requires_grad=True)
    apply(op, data, w).sum().backward()
    assert calls == ["y"] and data.grad is None


def test_no_grad_records_nothing():
    w = Tensor([1.0], requires_grad=True)
    with no_grad():
        y = w * 2
    assert y.parents == () and y.fn is None and not y.requires_grad
    z = Tensor([1.0]) * 2                     # no input requires a gradient: no graph either
    assert z.parents == ()


def test_the_node_protocol_matches_value():
    x = Tensor([1.0, -2.0], requires_grad=True, label="x")
    y = (x * x).relu()
    assert [n.label or n.op for n in topological_order(y)] == ["x", "×", "ReLU"]
    assert y.fn is OPS["relu"] and y.k is None and x.op == "" and x.fn is None
    z = x.leaky_relu(0.2)
    assert z.k == 0.2 and z.fn.formula(0) == Value(1.0).leaky_relu(0.2).fn.formula(0)


# -------------------------------------------------------------------- individual ops by hand
def test_getitem_with_repeated_indices_sums_gradients():
    x = Tensor([10.0, 20.0, 30.0], requires_grad=True)
    x[np.array([0, 0, 1])].sum().backward()    # x0 picked twice, x1 once, x2 never
    np.testing.assert_array_equal(x.grad, [2.0, 1.0, 0.0])
    m = Tensor(np.arange(6.0).reshape(2, 3), requires_grad=True)
    m[:, 1:].sum().backward()
    np.testing.assert_array_equal(m.grad, [[0, 1, 1], [0, 1, 1]])


def test_max_shares_the_gradient_between_ties():
    x = Tensor([1.0, 3.0, 3.0], requires_grad=True)
    x.max().backward()                         # as torch.amax: ½ to each maximum
    np.testing.assert_array_equal(x.grad, [0.0, 0.5, 0.5])
    y = Tensor([[1.0, 5.0], [7.0, 2.0]], requires_grad=True)
    y.max(axis=1).sum().backward()
    np.testing.assert_array_equal(y.grad, [[0, 1], [1, 0]])


def test_mean_sum_keepdims_and_pytorch_names():
    x = Tensor(np.ones((2, 3)), requires_grad=True)
    assert x.sum(axis=1, keepdims=True).shape == (2, 1)
    assert x.sum(dim=0, keepdim=True).shape == (1, 3)
    x.mean().backward()                        # ∂ mean/∂x = 1/6
    np.testing.assert_allclose(x.grad, np.full((2, 3), 1 / 6))


def test_matmul_batched_by_hand():
    # (2, 1, 2) @ (2, 1): each batch is a row times a column: [1, 2]·[3, 4] = 11, [5, 6]·[3, 4] = 39
    x = Tensor([[[1.0, 2.0]], [[5.0, 6.0]]], requires_grad=True)
    y = Tensor([[3.0], [4.0]], requires_grad=True)
    z = x @ y
    np.testing.assert_array_equal(z.data.ravel(), [11.0, 39.0])
    z.sum().backward()
    np.testing.assert_array_equal(y.grad, [[6.0], [8.0]])   # Σ over the batch of xᵀ
    np.testing.assert_array_equal(x.grad, [[[3.0, 4.0]], [[3.0, 4.0]]])


def test_softmax_and_log_softmax_are_stable_at_1000():
    x = Tensor([[1000.0, 0.0, -1000.0]], requires_grad=True)
    np.testing.assert_allclose(x.softmax().data, [[1.0, 0.0, 0.0]])
    # log_softmax = x − log Σe^x = x − 1000 (e^−1000 and e^−2000 vanish next to 1)
    np.testing.assert_allclose(x.log_softmax().data, [[0.0, -1000.0, -2000.0]])
    x.log_softmax()[0, 1].backward()           # ∂/∂x of (x1 − lse) = onehot(1) − softmax
    np.testing.assert_allclose(x.grad, [[-1.0, 1.0, 0.0]])
    assert np.isfinite(x.grad).all()


def test_reshape_transpose_flatten():
    x = Tensor(np.arange(24.0).reshape(2, 3, 4), requires_grad=True)
    assert x.reshape(6, -1).shape == (6, 4) and x.reshape((4, 6)).shape == (4, 6)
    assert x.permute(2, 0, 1).shape == (4, 2, 3) and x.T.shape == (4, 3, 2)
    assert x.transpose(0, 2).shape == (4, 3, 2) and x.transpose(-1, 1).shape == (2, 4, 3)  # swaps, as torch
    assert x.flatten().shape == (24,) and x.flatten(1).shape == (2, 12)
    assert x.swapaxes(0, 2).shape == (4, 3, 2)
    (x.permute(1, 2, 0) * Tensor(np.arange(24.0).reshape(3, 4, 2))).sum().backward()
    np.testing.assert_array_equal(x.grad, np.arange(24.0).reshape(3, 4, 2).transpose(2, 0, 1))


# -------------------------------------------------------------------- errors a student sees
DOMAIN_ERRORS = {  # what each refusal says, in each language (hand-written)
    "en": [r"log: .*x > 0.*2 of 4 entries.*index \[0, 1\]", r"sqrt: .*1 of 3 entries",
           r"div: .*1 of 2 entries", r"pow: .*not a real number"],
    "fr": [r"log : .*x > 0.*2 entrées sur 4.*indice \[0, 1\]", r"sqrt : .*1 entrées sur 3",
           r"div : .*1 entrées sur 2", r"pow : .*pas un nombre réel"],
}


@pytest.mark.parametrize("lang", sorted(DOMAIN_ERRORS))
def test_domain_errors_name_the_op_and_count_the_bad_entries(lang):
    from microgradfr import i18n
    log, sqrt, div, power = DOMAIN_ERRORS[lang]
    with i18n.language(lang):
        with pytest.raises(ValueError, match=log):
            Tensor([[1.0, -1.0], [0.0, 2.0]]).log()
        with pytest.raises(ValueError, match=sqrt):
            Tensor([4.0, -1.0, 1.0]).sqrt()
        with pytest.raises(ZeroDivisionError, match=div):
            Tensor([1.0, 2.0]) / Tensor([1.0, 0.0])
        with pytest.raises(ValueError, match=power):
            Tensor([-8.0, 8.0]) ** 0.5


@pytest.mark.usefixtures("english")
def test_shape_errors_name_both_shapes():
    with pytest.raises(ValueError, match=r"matmul: shapes \(2, 3\) @ \(4, 5\) do not line up: 3 != 4"):
        Tensor(np.ones((2, 3))) @ Tensor(np.ones((4, 5)))
    with pytest.raises(ValueError, match=r"reshape: cannot reshape shape \(2, 3\) \(6 entries\) "
                                         r"into \(4, 2\)"):
        Tensor(np.ones((2, 3))).reshape(4, 2)
    with pytest.raises(ValueError, match="out of range"):
        Tensor(np.ones((2, 3))).sum(axis=2)


def _conv2d_by_loops(x, w, b, stride, padding):
    """out[n, f, h, v] = b[f] + Σ_{c,i,j} w[f, c, i, j] · x_padded[n, c, h·sh + i, v·sw + j], pixel
    by pixel."""
    (sh, sw), (ph, pw) = stride, padding
    xp = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    kh, kw = w.shape[2:]
    ho, wo = (xp.shape[2] - kh) // sh + 1, (xp.shape[3] - kw) // sw + 1
    out = np.empty((x.shape[0], w.shape[0], ho, wo))
    for n, f, h, v in np.ndindex(out.shape):
        window = xp[n, :, h * sh:h * sh + kh, v * sw:v * sw + kw]
        out[n, f, h, v] = b[f] + (w[f] * window).sum()
    return out


@pytest.mark.parametrize("images_per_part", [1, 2, 5])
@pytest.mark.parametrize("stride, padding", [((2, 2), (1, 1)), ((2, 1), (1, 0)), ((1, 3), (0, 1))])
def test_conv2d_in_parts_of_the_batch_matches_loops_and_central_differences(monkeypatch, images_per_part,
                                                                            stride, padding):
    """conv2d cuts a batch into parts that fit in cache: 5 images in parts of 1, of 2 (2 + 2 + 1,
    an uneven last part) and whole must all give the pixel-by-pixel convolution and its gradients,
    with equal strides (one strided slice per kernel offset) and unequal ones (wide rows that do not
    join up)."""
    import microgradfr.functional as F
    from microgradfr.kernels import conv
    rng = np.random.default_rng(7)
    x, w, b = rng.standard_normal((5, 2, 6, 5)), rng.standard_normal((3, 2, 3, 2)), rng.standard_normal(3)
    geometry = conv.Geometry(x.shape, w.shape, stride, padding)
    columns_per_image = geometry.rows * geometry.length
    monkeypatch.setattr(conv, "PART_BYTES", images_per_part * columns_per_image * 8)
    assert len(geometry.batch_parts(5, 8)) == -(-5 // images_per_part)
    inputs = [Tensor(a, requires_grad=True) for a in (x, w, b)]
    out = F.conv2d(*inputs, stride=stride, padding=padding)
    np.testing.assert_allclose(out.data, _conv2d_by_loops(x, w, b, stride, padding), rtol=1e-12, atol=1e-12)
    weights = _weights(out.shape, 0)
    gradcheck(lambda *ts: (F.conv2d(*ts, stride=stride, padding=padding) * weights).sum(), inputs,
              atol=1e-6, rtol=1e-5)


def test_conv2d_in_several_threads_gives_each_its_own_result():
    """conv2d reuses work arrays between calls; each thread has its own, so threads convolving the
    same shapes at the same time (numpy releases the GIL in matrix products) never mix results."""
    import threading

    import microgradfr.functional as F
    rng = np.random.default_rng(3)
    w = rng.standard_normal((4, 3, 3, 3))
    images = [rng.standard_normal((8, 3, 10, 10)) for _ in range(4)]
    expected = [_conv2d_by_loops(x, w, np.zeros(4), (1, 1), (1, 1)) for x in images]
    failures = []

    def convolve(x, want):
        for _ in range(30):
            if not np.allclose(F.conv2d(Tensor(x), Tensor(w), padding=1).data, want, rtol=1e-12, atol=1e-12):
                failures.append(1)

    threads = [threading.Thread(target=convolve, args=pair) for pair in zip(images, expected)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not failures


def test_relu_keeps_nan_visible_and_float32():
    """As torch.relu: a NaN input gives NaN (not a silent 0), and float32 stays float32."""
    assert np.isnan(Tensor([np.nan]).relu().data[0]) and np.isnan(Value(float("nan")).relu().data)
    x = Tensor(np.array([-1.0, 0.0, 2.0], dtype=np.float32), requires_grad=True)
    x.relu().sum().backward()
    assert x.relu().dtype == x.grad.dtype == np.float32
    np.testing.assert_array_equal(x.grad, [0.0, 0.0, 1.0])  # ReLU'(0) = 0, as PyTorch


@pytest.mark.parametrize("slope", [0.01, 0.1, 0.2, 0.3])
def test_leaky_relu_slope_is_exact_and_in_the_input_dtype(slope):
    """The op table's derivative itself (not only the gradient after a cast) is float32 for a float32
    input, and exactly 1 or exactly the slope (also at 0, as PyTorch)."""
    from microgradfr.ops import ARRAY
    x = np.array([-3.0, -0.0, 0.0, 0.5, 7.0], dtype=np.float32)
    (local,) = OPS["leaky_relu"].local(ARRAY, x, None, slope)
    assert local.dtype == np.float32
    np.testing.assert_array_equal(local, np.array([slope, slope, slope, 1.0, 1.0], dtype=np.float32))
    for v, expected in ((-2.0, slope), (0.0, slope), (3.0, 1.0)):
        scalar = Value(v)
        scalar.leaky_relu(slope).backward()
        assert scalar.grad == expected


# -------------------------------------------------------------------- against PyTorch
def test_a_mixed_expression_matches_pytorch():
    torch = pytest.importorskip("torch")
    rng = np.random.default_rng(0)
    a, b, c = rng.standard_normal((2, 3, 4)), rng.standard_normal((4, 5)), rng.standard_normal(5)
    x, y, z = (Tensor(v, requires_grad=True) for v in (a, b, c))
    out = ((x @ y + z).tanh()[:, 1:, ::2].softmax(-1).max(axis=1) * (x.sum(axis=2, keepdims=True)
                                                                     .exp()[:, 0])).mean()
    out.backward()
    tx, ty, tz = (torch.tensor(v, requires_grad=True) for v in (a, b, c))
    ref = ((tx @ ty + tz).tanh()[:, 1:, ::2].softmax(-1).amax(dim=1) * (tx.sum(2, keepdim=True)
                                                                         .exp()[:, 0])).mean()
    ref.backward()
    np.testing.assert_allclose(out.data, ref.detach().numpy(), rtol=1e-12)
    for ours, theirs in ((x, tx), (y, ty), (z, tz)):
        np.testing.assert_allclose(ours.grad, theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.usefixtures("english")
def test_cross_entropy_takes_class_indices_held_by_a_tensor():
    """A student writes F.cross_entropy(logits, Tensor([0, 2, 1])) as with torch.tensor; 0.5 stays refused."""
    logits = Tensor(np.array([[2.0, 0.0, 0.0], [0.0, 0.0, 3.0], [0.0, 1.0, 0.0]]))
    as_ints = F.cross_entropy(logits, np.array([0, 2, 1]))
    assert float(F.cross_entropy(logits, Tensor([0, 2, 1])).data) == float(as_ints.data)
    with pytest.raises(ValueError, match="class indices"):
        F.cross_entropy(logits, Tensor([0, 0.5, 1]))
