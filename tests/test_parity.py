"""PyTorch's Tensor names on our Tensor: each function and method against torch (values, shapes,
dtypes, gradients), and the errors in both languages.

Expected values come from torch itself; the creation functions' random draws from numpy's seeded
generator, the documented source.
"""
import numpy as np
import pytest

import microgradfr
import microgradfr.functional as F
from microgradfr import Tensor, i18n, manual_seed, no_grad
from microgradfr.i18n import CATALOGUE
from microgradfr.random import generator
from microgradfr.testing import gradcheck

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(7)
X = RNG.standard_normal((2, 3, 4))


def _pair(data=X):
    """The same float64 data as our leaf and as torch's."""
    return Tensor(data.copy(), requires_grad=True), torch.tensor(data.copy(), requires_grad=True)


def _same(ours, theirs, x=None, tx=None, weights=None):
    """Forward values and shapes equal; with leaves, the gradients of Σ w·out equal too."""
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.data, theirs.detach().numpy(), rtol=1e-12, atol=1e-12)
    if x is not None:
        w = np.random.default_rng(3).standard_normal(ours.shape) if weights is None else weights
        (ours * Tensor(w)).sum().backward()
        (theirs * torch.tensor(w)).sum().backward()
        np.testing.assert_allclose(x.grad, tx.grad.numpy(), rtol=1e-12, atol=1e-12)


# -------------------------------------------------------------------- size, numel, dim
@pytest.mark.parametrize("shape", [(), (3,), (2, 3), (2, 1, 4)])
def test_size_numel_dim_as_torch(shape):
    ours, theirs = Tensor(np.zeros(shape)), torch.zeros(shape)
    assert ours.size() == tuple(theirs.size())
    assert ours.numel() == theirs.numel() and ours.dim() == theirs.dim()
    for d in range(-len(shape), len(shape)):
        assert ours.size(d) == theirs.size(d)


@pytest.mark.parametrize("shape, dim", [((2, 3), 2), ((2, 3), -3), ((), 1), ((), 0), ((), -1)])
def test_size_out_of_range_is_an_index_error_as_torch(shape, dim):
    with pytest.raises(IndexError):
        torch.zeros(shape).size(dim)
    with pytest.raises(IndexError):
        Tensor(np.zeros(shape)).size(dim)


# -------------------------------------------------------------------- shape methods
@pytest.mark.parametrize("dim", [0, 1, 2, 3, -1, -4])
def test_unsqueeze_as_torch(dim):
    (x, tx) = _pair()
    _same(x.unsqueeze(dim), tx.unsqueeze(dim), x, tx)
    assert x.unsqueeze(dim).fn.name == "reshape"   # through the table, drawn and checked like reshape


@pytest.mark.parametrize("shape, dim", [((1, 3, 1), None), ((1, 3, 1), 0), ((1, 3, 1), -1), ((1, 3, 1), 1),
                                        ((1, 3, 1), (0, 2)), ((1,), None), ((2, 3), 0)])
def test_squeeze_as_torch(shape, dim):
    data = RNG.standard_normal(shape)
    x, tx = _pair(data)
    theirs = tx.squeeze() if dim is None else tx.squeeze(dim)
    _same(x.squeeze(dim), theirs, x, tx)


@pytest.mark.parametrize("name, dim", [("unsqueeze", 4), ("unsqueeze", -5), ("squeeze", 3)])
def test_a_wrong_dim_is_an_index_error_as_torch(name, dim):
    x, tx = _pair()
    with pytest.raises(IndexError):
        getattr(tx, name)(dim)
    with pytest.raises(IndexError):
        getattr(x, name)(dim)


# -------------------------------------------------------------------- other methods
@pytest.mark.parametrize("low, high", [(-0.5, 0.5), (None, 0.2), (-0.1, None), (0.3, 0.3)])
def test_clamp_as_torch_with_its_gradient_inside_the_bounds_included(low, high):
    data = np.array([-1.0, -0.5, -0.1, 0.0, 0.2, 0.3, 0.5, 2.0, np.inf, -np.inf])
    x, tx = Tensor(data.copy(), requires_grad=True), torch.tensor(data.copy(), requires_grad=True)
    ours, theirs = x.clamp(min=low, max=high), tx.clamp(min=low, max=high)
    np.testing.assert_array_equal(ours.data, theirs.detach().numpy())
    ours.sum().backward()
    theirs.sum().backward()
    np.testing.assert_array_equal(x.grad, tx.grad.numpy())   # 1 on [min, max], bounds included


def test_clamp_matches_central_differences_away_from_the_bounds():
    x = Tensor(RNG.uniform(-2, 2, (3, 4)), requires_grad=True)
    x.data[np.abs(np.abs(x.data) - 1) < 0.05] = 0.0
    gradcheck(lambda t: (t.clamp(-1.0, 1.0) * t).sum(), [x])


@pytest.mark.parametrize("dim, keepdim", [(None, False), (None, True), (0, False), (1, True), (-1, False)])
@pytest.mark.parametrize("name", ["max", "min"])
def test_min_max_as_torch_amin_amax(name, dim, keepdim):
    x, tx = _pair()
    ours = getattr(x, name)(dim=dim, keepdim=keepdim)
    if dim is not None:  # torch's pair (values, indices)
        pair = getattr(tx, name)(dim=dim, keepdim=keepdim)
        np.testing.assert_array_equal(ours.indices.data, pair.indices.numpy())
        assert ours.indices.dtype == np.int64 and not ours.indices.requires_grad
        ours = ours.values
    torch_fn = getattr(torch, "a" + name)
    theirs = torch_fn(tx, dim=tuple(range(3)) if dim is None else dim, keepdim=keepdim)
    _same(ours, theirs, x, tx, weights=np.ones(ours.shape))


@pytest.mark.parametrize("data", [X, np.array(2.5)], ids=["3-d", "0-d"])
@pytest.mark.parametrize("dim, keepdim", [(None, False), (None, True), (0, False), (-1, True)])
@pytest.mark.parametrize("name", ["argmax", "argmin"])
def test_argmax_argmin_as_torch(name, dim, keepdim, data):
    x, tx = _pair(data)
    ours, theirs = getattr(x, name)(dim=dim, keepdim=keepdim), getattr(tx, name)(dim=dim, keepdim=keepdim)
    assert ours.shape == tuple(theirs.shape) and ours.dtype == np.int64 and theirs.dtype == torch.int64
    np.testing.assert_array_equal(ours.data, theirs.numpy())
    assert not ours.requires_grad


def test_pow_matmul_mm_are_the_operators():
    a, ta = _pair(RNG.uniform(0.5, 2.0, (2, 3)))
    b, tb = _pair(RNG.standard_normal((3, 4)))
    _same(a.pow(3), ta.pow(3), a, ta)
    e, te = _pair(RNG.standard_normal((2, 3)))
    _same(a.pow(e), ta.pow(te), e, te)
    _same(a.matmul(b), ta.matmul(tb), a, ta)
    _same(a.mm(b), ta.mm(tb))


def test_mm_takes_only_matrices_as_torch():
    with pytest.raises(RuntimeError):
        torch.ones(2, 3, 3).mm(torch.ones(3, 3))
    with pytest.raises(RuntimeError, match="mm"):
        Tensor(np.ones((2, 3, 3))).mm(Tensor(np.ones((3, 3))))


def test_clone_float_double_detach_as_torch():
    x, tx = _pair()
    _same(x.clone(), tx.clone(), x, tx)
    assert x.clone().data is not x.data
    x.grad = None
    tx.grad = None
    ours, theirs = x.float(), tx.float()
    assert ours.dtype == np.float32 and theirs.dtype == torch.float32
    ours.sum().backward()
    theirs.sum().backward()
    assert x.grad.dtype == np.float64 and np.array_equal(x.grad, tx.grad.numpy())
    assert ours.double().dtype == np.float64 and ours.float() is ours and x.double() is x
    assert not x.detach().requires_grad and x.detach().data is x.data


def test_requires_grad_and_zero_in_place_as_torch():
    x = Tensor(np.ones(3))
    assert x.requires_grad_() is x and x.requires_grad
    with pytest.raises(RuntimeError):
        (x * 2).requires_grad_(False)
    with pytest.raises(RuntimeError):
        torch.ones(3, requires_grad=True).zero_()
    with pytest.raises(RuntimeError):
        x.zero_()
    with no_grad():
        assert x.zero_() is x
    np.testing.assert_array_equal(x.data, torch.ones(3).zero_().numpy())


# -------------------------------------------------------------------- creation functions
SHAPES = [(3,), (2, 3), (0, 2)]


@pytest.mark.parametrize("name", ["zeros", "ones", "rand", "randn"])
@pytest.mark.parametrize("shape", SHAPES)
def test_shaped_creation_takes_ints_or_a_tuple_as_torch(name, shape):
    ours = [getattr(microgradfr, name)(*shape), getattr(microgradfr, name)(shape)]
    theirs = getattr(torch, name)(*shape)
    for t in ours:
        assert t.shape == tuple(theirs.shape) and t.dtype == np.float64 and not t.requires_grad
    assert getattr(microgradfr, name)(shape, requires_grad=True).requires_grad
    assert getattr(microgradfr, name)(shape, dtype=np.float32).dtype == np.float32
    if name in ("zeros", "ones"):
        np.testing.assert_array_equal(ours[0].data, theirs.numpy())


@pytest.mark.parametrize("name, draw", [("rand", lambda g, s: g.random(s)),
                                        ("randn", lambda g, s: g.standard_normal(s))])
def test_random_creation_uses_the_seeded_generator(name, draw):
    manual_seed(5)
    ours = getattr(microgradfr, name)(2, 3)
    manual_seed(5)
    np.testing.assert_array_equal(ours.data, draw(generator(), (2, 3)))
    if name == "rand":
        assert (ours.data >= 0).all() and (ours.data < 1).all()


@pytest.mark.parametrize("call", [
    lambda m: m.full((2, 3), 1.5), lambda m: m.eye(3), lambda m: m.eye(2, 4),
    lambda m: m.arange(5), lambda m: m.arange(2, 9, 3), lambda m: m.arange(0.0, 1.0, 0.25),
    lambda m: m.arange(5, 0, -2), lambda m: m.arange(0, 1, 0.1), lambda m: m.linspace(0.0, 1.0, 7),
    lambda m: m.linspace(-2, 3, 1), lambda m: m.zeros_like(m.ones(2, 2)), lambda m: m.ones_like(m.zeros(3)),
    lambda m: m.full_like(m.zeros(2), 7.0),
], ids=["full", "eye", "eye_nm", "arange", "arange_step", "arange_float", "arange_down", "arange_tenths",
        "linspace", "linspace_one", "zeros_like", "ones_like", "full_like"])
def test_creation_values_as_torch(call):
    ours, theirs = call(microgradfr), call(torch)
    assert ours.shape == tuple(theirs.shape)
    np.testing.assert_allclose(ours.data, theirs.numpy(), rtol=1e-6, atol=1e-7)  # torch's floats: float32
    assert (ours.dtype.kind == "i") == (not theirs.dtype.is_floating_point)


def test_like_functions_keep_the_dtype_and_take_requires_grad():
    x = Tensor(np.ones((2, 3), dtype=np.float32))
    for made in (microgradfr.zeros_like(x), microgradfr.ones_like(x, requires_grad=True)):
        assert made.dtype == np.float32 and made.shape == (2, 3)
    assert microgradfr.ones_like(x, requires_grad=True).requires_grad


# -------------------------------------------------------------------- cat and stack
CAT_CASES = [([(2, 3), (4, 3)], 0), ([(2, 1), (2, 3), (2, 2)], 1), ([(2, 3, 1), (2, 3, 2)], -1), ([(3,)], 0)]


@pytest.mark.parametrize("shapes, dim", CAT_CASES)
def test_cat_as_torch_with_its_gradients(shapes, dim):
    pairs = [_pair(RNG.standard_normal(s)) for s in shapes]
    ours = microgradfr.cat([p[0] for p in pairs], dim=dim)
    theirs = torch.cat([p[1] for p in pairs], dim=dim)
    _same(ours, theirs)
    w = RNG.standard_normal(ours.shape)
    (ours * Tensor(w)).sum().backward()
    (theirs * torch.tensor(w)).sum().backward()
    for x, tx in pairs:
        np.testing.assert_array_equal(x.grad, tx.grad.numpy())


@pytest.mark.parametrize("shape, dim", [((3,), 0), ((3,), 1), ((3,), -1), ((2, 3), 1), ((), 0)])
@pytest.mark.parametrize("n", [1, 3])
def test_stack_as_torch_with_its_gradients(shape, dim, n):
    pairs = [_pair(RNG.standard_normal(shape)) for _ in range(n)]
    ours = microgradfr.stack([p[0] for p in pairs], dim=dim)
    theirs = torch.stack([p[1] for p in pairs], dim=dim)
    _same(ours, theirs)
    w = RNG.standard_normal(ours.shape)
    (ours * Tensor(w)).sum().backward()
    (theirs * torch.tensor(w)).sum().backward()
    for x, tx in pairs:
        np.testing.assert_array_equal(x.grad, tx.grad.numpy())


@pytest.mark.parametrize("name", ["cat", "stack"])
def test_more_inputs_than_one_node_joins_are_grouped(name):
    pairs = [_pair(RNG.standard_normal((2,))) for _ in range(150)]
    ours = getattr(microgradfr, name)([p[0] for p in pairs])
    theirs = getattr(torch, name)([p[1] for p in pairs])
    _same(ours, theirs)
    ours.sum().backward()
    assert all(np.array_equal(x.grad, np.ones(2)) for x, _ in pairs)


@pytest.mark.parametrize("name, tensors, error", [
    ("cat", [np.ones((2, 3)), np.ones((3, 2))], RuntimeError),
    ("cat", [np.ones((2, 3)), np.ones(3)], RuntimeError),
    ("stack", [np.ones((2, 3)), np.ones((3, 2))], RuntimeError),
    ("cat", [np.ones(()), np.ones(())], (RuntimeError, ValueError)),
])
def test_joining_mismatched_shapes_is_refused_as_torch(name, tensors, error):
    with pytest.raises(error):
        getattr(torch, name)([torch.tensor(t) for t in tensors])
    with pytest.raises(error):
        getattr(microgradfr, name)([Tensor(t) for t in tensors])


# -------------------------------------------------------------------- functional
LOGITS = RNG.standard_normal((4, 3))
TARGETS = np.array([0, 2, 1, 2])


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_loss_as_torch(reduction):
    x, tx = _pair(LOGITS)
    ours = F.nll_loss(x.log_softmax(dim=1), TARGETS, reduction=reduction)
    theirs = torch.nn.functional.nll_loss(tx.log_softmax(dim=1), torch.tensor(TARGETS), reduction=reduction)
    _same(ours, theirs, x, tx, weights=np.ones(ours.shape))


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("scale", [1.0, 1000.0])
def test_binary_cross_entropy_with_logits_as_torch_and_stable(reduction, scale):
    z, tz = _pair(LOGITS * scale)
    t = RNG.uniform(0, 1, LOGITS.shape)
    ours = F.binary_cross_entropy_with_logits(z, Tensor(t), reduction=reduction)
    theirs = torch.nn.functional.binary_cross_entropy_with_logits(tz, torch.tensor(t), reduction=reduction)
    assert np.isfinite(ours.data).all()
    _same(ours, theirs, z, tz, weights=np.ones(ours.shape))


@pytest.mark.parametrize("classes", [-1, 3, 5])
@pytest.mark.parametrize("shape", [(4,), (2, 2)])
def test_one_hot_as_torch(classes, shape):
    t = TARGETS.reshape(shape)
    ours = F.one_hot(Tensor(t, dtype=np.int64), num_classes=classes)
    theirs = torch.nn.functional.one_hot(torch.tensor(t), num_classes=classes)
    assert ours.dtype == np.int64 and theirs.dtype == torch.int64
    np.testing.assert_array_equal(ours.data, theirs.numpy())


# -------------------------------------------------------------------- errors, in both languages
# A call, the error type, and the words each language's message must hold (written by hand here).
ERRORS = [
    (lambda: Tensor(np.ones((2, 3))).size(2), IndexError,
     {"fr": "hors des bornes", "en": "out of range"}),
    (lambda: Tensor(np.ones(3)).clamp(), RuntimeError,
     {"fr": "au moins une borne", "en": "at least one bound"}),
    (lambda: microgradfr.cat(Tensor(np.ones(3))), TypeError, {"fr": "une liste", "en": "a list"}),
    (lambda: microgradfr.cat([]), ValueError, {"fr": "au moins un tenseur", "en": "at least one tensor"}),
    (lambda: microgradfr.stack([microgradfr.zeros(2), microgradfr.zeros(3)]), RuntimeError,
     {"fr": "même forme", "en": "same shape"}),
    (lambda: microgradfr.zeros(2, -1), TypeError, {"fr": "entiers ≥ 0", "en": "ints ≥ 0"}),
    (lambda: microgradfr.arange(0, 3, 0), ValueError, {"fr": "impossible", "en": "impossible"}),
    (lambda: Tensor(np.ones(2)).reshape(3), ValueError,
     {"fr": "impossible de passer", "en": "cannot reshape"}),
    (lambda: Tensor([1.0, 2.0]).item(), ValueError, {"fr": "pas une seule", "en": "not 1"}),
    (lambda: F.one_hot(Tensor([0, 3], dtype=np.int64), 2), ValueError, {"fr": "entre 0 et", "en": "lie in"}),
    (lambda: F.nll_loss(Tensor(np.ones(3)), [0]), ValueError, {"fr": "log-probabilités", "en": "log-prob"}),
    (lambda: F.mse_loss(Tensor(np.ones(3)), Tensor(np.ones(2))), ValueError,
     {"fr": "la cible a la forme", "en": "target has shape"}),
    (lambda: F.dropout(Tensor(np.ones(3)), p=2.0), ValueError, {"fr": "probabilité", "en": "probability"}),
    (lambda: microgradfr.randint(5, 2, (3,)), TypeError, {"fr": "randint(low, high, size)",
                                                          "en": "randint(low, high, size)"}),
    (lambda: microgradfr.multinomial(Tensor([0.5, -1.0]), 1), RuntimeError, {"fr": "poids", "en": "weights"}),
    (lambda: microgradfr.multinomial(Tensor([0.0, 1.0]), 2), RuntimeError,
     {"fr": "replacement=True", "en": "replacement=True"}),
    (lambda: Tensor(np.ones((2, 3))).permute(0, 0), ValueError,
     {"fr": "utilisez transpose(a, b)", "en": "use transpose(a, b)"}),
]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("call, error, words", ERRORS)
def test_errors_speak_the_chosen_language(call, error, words, lang):
    with i18n.language(lang), pytest.raises(error) as raised:
        call()
    assert words[lang] in str(raised.value)


def test_errors_are_french_by_default(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    with pytest.raises(IndexError, match="hors des bornes"):
        Tensor(np.ones(2)).size(3)


@pytest.mark.parametrize("key", sorted(k for k in CATALOGUE["fr"]
                                       if k.startswith(("tensor.", "functional."))))
def test_every_message_of_this_block_is_raised_somewhere(key):
    sources = "".join(p.read_text(encoding="utf-8") for p in (
        __import__("pathlib").Path(microgradfr.__file__).parent.rglob("*.py")))
    assert f'"{key}"' in sources, f"{key} is in the catalogue but nothing asks for it"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("name", ["cat", "stack"])
@pytest.mark.parametrize("n", [1, 2, 5])
def test_joining_formulas_name_each_of_n_inputs(name, n, lang):
    op = microgradfr.ops.OPS[name]
    inputs = tuple(f"t{i}" for i in range(n))
    assert op.expression({"inputs": inputs}) == f"{name}({', '.join(inputs)})"
    for i, input_name in enumerate(inputs):
        formula = op.formula(i, {"inputs": inputs}, lang=lang)
        left, right = formula.split(" = ", 1)
        assert left == f"∂({name}({', '.join(inputs)}))/∂{input_name}", formula
        assert f" {input_name}" in right and "{" not in right, formula   # the piece of g that input fills


@pytest.mark.parametrize("shape, dims", [((3, 4), (0, 1)), ((2, 3, 4), (0, 2)), ((2, 3, 4), (-1, 1)),
                                         ((2, 3), (1, 1))])
def test_transpose_swaps_two_axes_as_torch_and_permute_lists_them(shape, dims):
    torch = pytest.importorskip("torch")
    a = np.arange(float(np.prod(shape))).reshape(shape)
    x, t = Tensor(a, requires_grad=True), torch.tensor(a, requires_grad=True)
    weights = np.random.default_rng(0).normal(size=t.transpose(*dims).shape)
    (x.transpose(*dims) * Tensor(weights)).sum().backward()
    (t.transpose(*dims) * torch.tensor(weights)).sum().backward()
    np.testing.assert_array_equal(x.transpose(*dims).data, t.transpose(*dims).detach().numpy())
    np.testing.assert_array_equal(x.grad, t.grad.numpy())
    order = tuple(reversed(range(len(shape))))
    np.testing.assert_array_equal(x.permute(*order).data, t.permute(*order).detach().numpy())


# -------------------------------------------------------------------- drawing: randint, randperm, multinomial
@pytest.mark.parametrize("args", [(27, (32,)), (0, 27, (4, 3)), (-3, 3, (10,)), (5, 6, (2,))])
def test_randint_is_torchs_in_shape_dtype_and_range(args):
    torch = pytest.importorskip("torch")
    ours, theirs = microgradfr.randint(*args), torch.randint(*args)
    low, high = (0, *args)[-3:-1]
    assert ours.shape == tuple(theirs.shape) and str(ours.dtype) == str(theirs.dtype).removeprefix("torch.")
    assert low <= ours.data.min() and ours.data.max() < high


def test_a_generator_of_ones_own_reproduces_its_draws_and_leaves_the_default_alone():
    microgradfr.manual_seed(0)
    expected = microgradfr.randn(3).tolist()
    microgradfr.manual_seed(0)
    g1, g2 = microgradfr.Generator().manual_seed(2147483647), microgradfr.Generator().manual_seed(2147483647)
    for draw in (lambda g: microgradfr.randn(2, 2, generator=g), lambda g: microgradfr.rand(3, generator=g),
                 lambda g: microgradfr.randint(0, 9, (4,), generator=g), lambda g: microgradfr.randperm(6, g),
                 lambda g: microgradfr.multinomial(Tensor([0.2, 0.3, 0.5]), 5, True, generator=g)):
        assert draw(g1).tolist() == draw(g2).tolist()
    assert microgradfr.randn(3).tolist() == expected  # the seeded default was not drawn from
    assert g1.initial_seed() == 2147483647


def test_randperm_is_a_permutation():
    assert sorted(microgradfr.randperm(10).tolist()) == list(range(10))
    assert microgradfr.randperm(0).shape == (0,) and microgradfr.randperm(3).dtype == np.int64


@pytest.mark.parametrize("replacement", [True, False])
def test_multinomial_draws_in_proportion_to_the_weights(replacement):
    weights = np.array([[1.0, 3.0, 0.0, 4.0], [0.0, 0.0, 2.0, 2.0]])
    g = microgradfr.Generator().manual_seed(1)
    if replacement:  # 20 000 draws: each frequency within 2 % of weight / Σ weights
        drawn = microgradfr.multinomial(Tensor(weights), 20_000, replacement=True, generator=g).data
        for row, w in zip(drawn, weights):
            np.testing.assert_allclose(np.bincount(row, minlength=4) / len(row), w / w.sum(), atol=0.02)
    else:  # without replacement: distinct indices, never a zero weight
        drawn = microgradfr.multinomial(Tensor(weights), 2, generator=g).data
        assert drawn.shape == (2, 2) and all(len(set(row)) == 2 for row in drawn)
        assert all(weights[i, j] > 0 for i, row in enumerate(drawn) for j in row)
    assert drawn.dtype == np.int64


def test_nelement_is_numel():
    assert Tensor(np.ones((2, 3))).nelement() == 6 == Tensor(np.ones((2, 3))).numel()


@pytest.mark.parametrize("data", [[0, 2, 1], 3, [[1, 2], [3, 4]], [True, False], [0.5, 1], 2.5, [1, 2.0]],
                         ids=repr)
def test_tensor_infers_its_dtype_as_torch_tensor(data):
    torch = pytest.importorskip("torch")
    ours, theirs = microgradfr.tensor(data), torch.tensor(data, dtype=None)
    expected = str(theirs.dtype).removeprefix("torch.").replace("float32", "float64")  # floats: float64 here
    assert str(ours.dtype) == expected and ours.tolist() == theirs.tolist()
    assert microgradfr.Tensor(data).dtype == np.float64  # torch.Tensor(data): always floats
