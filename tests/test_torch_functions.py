"""PyTorch's top-level functions (microgradfr.functions) against torch itself: values and gradients.

Every function is called the same way on both sides, ``getattr(module, name)(*inputs, **kwargs)``,
over the table CASES; a function exported without a case fails test_every_function_has_a_case.
Expected numbers come from torch, never from our own output.
"""
from typing import NamedTuple

import numpy as np
import pytest

import microgradfr
from microgradfr import Tensor, Value, functions

torch = pytest.importorskip("torch")


class Case(NamedTuple):
    name: str
    shapes: tuple           # one shape per input; ("bool", shape) for a condition
    kwargs: dict = {}
    positive: bool = False  # log, sqrt: entries in [0.5, 2]


def _case_id(case):
    return f"{case.name}-{'-'.join(map(str, case.shapes))}-{case.kwargs}"


ELEMENTWISE = ["exp", "log", "sqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu"]
CASES = [
    *(Case(name, ((3, 4),), positive=name in ("log", "sqrt")) for name in ELEMENTWISE),
    Case("sum", ((3, 4),)), Case("sum", ((3, 4),), {"dim": 1}), Case("sum", ((2, 3, 4),), {"dim": (0, 2)}),
    Case("sum", ((3, 4),), {"dim": 0, "keepdim": True}),
    Case("mean", ((3, 4),)), Case("mean", ((3, 4),), {"dim": -1, "keepdim": True}),
    Case("max", ((3, 4),)), Case("max", ((3, 4),), {"dim": 1}),
    Case("max", ((3, 4),), {"dim": 0, "keepdim": True}),
    Case("min", ((3, 4),)), Case("min", ((2, 3, 4),), {"dim": -1}),
    Case("argmax", ((3, 4),)), Case("argmax", ((3, 4),), {"dim": 1}),
    Case("argmin", ((3, 4),), {"dim": 0, "keepdim": True}),
    Case("softmax", ((3, 4),), {"dim": 1}), Case("log_softmax", ((3, 4),), {"dim": 0}),
    Case("matmul", ((3, 4), (4, 2))), Case("matmul", ((2, 3, 4), (4,))), Case("matmul", ((4,), (4,))),
    Case("flatten", ((2, 3, 4),)), Case("flatten", ((2, 3, 4),), {"start_dim": 1}),
    Case("flatten", ((2, 3, 4),), {"start_dim": 0, "end_dim": 1}),
    Case("reshape", ((3, 4),), {"shape": (4, 3)}), Case("reshape", ((3, 4),), {"shape": (-1,)}),
    Case("transpose", ((3, 4),), {"dim0": 0, "dim1": 1}),
    Case("transpose", ((2, 3, 4),), {"dim0": -1, "dim1": 0}),
    Case("clamp", ((3, 4),), {"min": -0.5, "max": 0.5}), Case("clamp", ((3, 4),), {"min": 0.0}),
    Case("clip", ((3, 4),), {"max": 0.2}),
    Case("where", (("bool", (3, 4)), (3, 4), (3, 4))), Case("where", (("bool", (4,)), (3, 4), ())),
    Case("where", (("bool", (3, 1)), (4,), (3, 4))),
]
# exported but not differentiable functions of arrays: tested on their own below
OTHERS = {"from_numpy", "ValuesIndices", "float32", "float64", "int64", "int32", "long", "double"}


def test_every_function_has_a_case():
    assert set(functions.__all__) - OTHERS == {case.name for case in CASES}
    exported = set(functions.__all__) - {"ValuesIndices"}  # the type of max(dim)'s result, not a function
    assert all(getattr(microgradfr, name) is getattr(functions, name) for name in exported)
    assert exported <= set(microgradfr.__all__)


def _inputs(case, seed):
    rng = np.random.default_rng(seed)
    arrays = []
    for shape in case.shapes:
        if shape and shape[0] == "bool":
            arrays.append(rng.random(shape[1]) > 0.5)
        elif case.positive:
            arrays.append(rng.uniform(0.5, 2.0, shape))
        else:
            arrays.append(rng.standard_normal(shape))  # distinct entries: no ties for max and min
    return arrays


def _ours(arrays):
    return [Tensor(a, dtype=bool) if a.dtype == bool else Tensor(a, requires_grad=True) for a in arrays]


def _torchs(arrays):
    return [torch.tensor(a) if a.dtype == bool else torch.tensor(a, requires_grad=True) for a in arrays]


def _outputs(result):
    """The tensors a call gives: one, or the pair (values, indices) of max(dim) and min(dim)."""
    return list(result) if isinstance(result, tuple) else [result]


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_values_and_gradients_are_torchs(case):
    arrays = _inputs(case, seed=len(CASES))
    ours, theirs = _ours(arrays), _torchs(arrays)
    mine = _outputs(getattr(microgradfr, case.name)(*ours, **case.kwargs))
    expected = _outputs(getattr(torch, case.name)(*theirs, **case.kwargs))
    assert len(mine) == len(expected)
    for a, b in zip(mine, expected):
        assert a.shape == tuple(b.shape), (case.name, a.shape, tuple(b.shape))
        np.testing.assert_allclose(a.data, b.detach().numpy(), rtol=1e-12, atol=1e-12)
    if not mine[0].requires_grad:  # argmax, argmin: indices, no gradient (as torch)
        assert not expected[0].requires_grad
        return
    w = np.random.default_rng(1).standard_normal(mine[0].shape)
    (mine[0] * Tensor(w)).sum().backward()
    (expected[0] * torch.tensor(w)).sum().backward()
    for t, tt in zip(ours, theirs):
        if tt.requires_grad:
            np.testing.assert_allclose(t.grad, tt.grad.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_functions_take_a_value_too(name):
    x, xt = Value(0.7), torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    y, yt = getattr(microgradfr, name)(x), getattr(torch, name)(xt)
    y.backward()
    yt.backward()
    assert y.data == pytest.approx(yt.item(), rel=1e-12)
    assert x.grad == pytest.approx(xt.grad.item(), rel=1e-12)


def test_where_stays_finite_beside_inf_and_nan():
    """The side not chosen may be inf or NaN: the output and both gradients are torch's, finite."""
    condition = np.array([False, True, True, False])
    x = np.array([np.inf, 1.0, 2.0, np.nan])
    y = np.array([3.0, -np.inf, np.nan, 4.0])
    ours, theirs = _ours([condition, x, y]), _torchs([condition, x, y])
    out, expected = microgradfr.where(*ours), torch.where(*theirs)
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    out.sum().backward()
    expected.sum().backward()
    for t, tt in zip(ours[1:], theirs[1:]):
        assert np.isfinite(t.grad).all()
        np.testing.assert_array_equal(t.grad, tt.grad.numpy())


def test_where_takes_numbers_and_alone_gives_the_indices():
    x = Tensor([-1.0, 2.0, -3.0], requires_grad=True, dtype=np.float32)
    xt = torch.tensor([-1.0, 2.0, -3.0], requires_grad=True)
    out, expected = microgradfr.where(x > 0, x, 0.0), torch.where(xt > 0, xt, 0.0)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(out.data, expected.detach().numpy())
    out.sum().backward()
    expected.sum().backward()
    np.testing.assert_array_equal(x.grad, xt.grad.numpy())
    mask = np.array([[True, False], [True, True]])
    mine, theirs = microgradfr.where(Tensor(mask, dtype=bool)), torch.where(torch.tensor(mask))
    assert len(mine) == len(theirs)
    for a, b in zip(mine, theirs):
        assert a.dtype == np.int64 and a.tolist() == b.tolist()


@pytest.mark.parametrize("dtype", [np.int64, np.float32, np.float64, np.uint8])
def test_from_numpy_shares_the_array_and_keeps_its_dtype(dtype):
    a = np.arange(6, dtype=dtype).reshape(2, 3)
    t, tt = microgradfr.from_numpy(a), torch.from_numpy(a.copy())
    assert t.data is a or np.shares_memory(t.data, a)
    assert str(t.dtype) == str(tt.dtype).removeprefix("torch.")
    a[0, 0] = 5
    assert t.data[0, 0] == 5


def test_dtypes_read_as_torchs():
    for name in ("float32", "float64", "int64", "int32", "long", "double"):
        assert np.dtype(getattr(microgradfr, name)).name == str(getattr(torch, name)).removeprefix("torch.")


def test_max_with_dim_unpacks_as_in_torch():
    x = microgradfr.tensor([[1.0, 5.0], [3.0, 2.0]])
    _, predicted = microgradfr.max(x, 1)  # the idiom of PyTorch's tutorials
    assert predicted.tolist() == torch.max(torch.tensor([[1.0, 5.0], [3.0, 2.0]]), 1)[1].tolist()
    assert microgradfr.max(x, dim=1).values.tolist() == [5.0, 3.0]
