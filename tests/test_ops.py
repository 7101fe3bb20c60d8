"""Every op of the table, enumerated from the table, against central differences."""
import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgradfr import Value
from microgradfr.engine import apply, linear
from microgradfr.ops import OPS
from microgradfr.testing import gradcheck, numerical_grad
from microgradfr.testing.strategies import inputs_for, real

SCALAR_OPS = [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None]


def test_the_table_has_the_ops_the_engine_promises():
    expected = {"add", "sub", "mul", "div", "neg", "pow", "pow_xy", "exp", "log", "sqrt", "abs",
                "sin", "cos", "tanh", "sigmoid", "relu", "leaky_relu", "elu", "softplus", "linear"}
    assert expected <= set(OPS)


@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_backward_matches_central_differences(op):
    @given(inputs_for(op))
    def check(xs):
        inputs = [Value(x, label=f"x{i}") for i, x in enumerate(xs)]
        gradcheck(lambda *vs: apply(op, *vs, k=op.k_default), inputs, atol=1e-5, rtol=1e-4)
    check()


@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_every_entry_writes_its_formulas(op):
    for i in range(op.arity):
        formula = op.formula(i)
        assert formula.startswith("∂(") and " = " in formula, formula
    assert op.symbol


@given(st.integers(0, 6).flatmap(lambda n: st.tuples(*[real()] * (2 * n + 1))))
def test_fused_linear_matches_central_differences(xs):
    n = (len(xs) - 1) // 2
    inputs = [Value(x) for x in xs]
    gradcheck(lambda *vs: linear(vs[:n], vs[n:2 * n], vs[2 * n]), inputs)


def test_fused_linear_equals_its_unfused_form():
    w = [Value(0.5), Value(-2.0)]
    x = [Value(3.0), Value(0.25)]
    b = Value(1.0)
    z = linear(w, x, b)
    z.backward()
    # z = 0.5·3 − 2·0.25 + 1 = 2; ∂z/∂w = x, ∂z/∂x = w, ∂z/∂b = 1
    assert z.data == 2.0
    assert [v.grad for v in w + x + [b]] == [3.0, 0.25, 0.5, -2.0, 1.0]


def test_formula_uses_the_names_it_is_given():
    assert OPS["pow"].formula(0, {"x": "c", "k": 2}) == "∂(c²)/∂c = 2c"
    assert OPS["pow"].formula(0, {"x": "c", "k": 3}) == "∂(c³)/∂c = 3c²"
    assert OPS["pow"].formula(0, {"x": "c", "k": -1}) == "∂(c⁻¹)/∂c = −c⁻²"
    assert OPS["pow"].formula(0) == "∂(x^k)/∂x = k·x^(k − 1)"
    assert OPS["mul"].formula(1, {"x": "w1", "y": "x"}) == "∂(w1·x)/∂x = w1"
    assert OPS["linear"].deriv(0, {"inputs": ["w1", "w2", "x1", "x2", "b"]}) == "x1"
    assert OPS["linear"].deriv(3, {"inputs": ["w1", "w2", "x1", "x2", "b"]}) == "w2"
    assert OPS["linear"].deriv(4, {"inputs": ["w1", "w2", "x1", "x2", "b"]}) == "1"


def test_numerical_grad_of_a_known_function():
    # d/dx sin(x) at 0 is cos(0) = 1
    (g,) = numerical_grad(lambda x: x.sin(), [Value(0.0)])
    assert g == pytest.approx(1.0, abs=1e-8)


@pytest.mark.parametrize("name", ["tanh", "sigmoid", "softplus", "exp"])
@pytest.mark.parametrize("x", [-1000.0, 1000.0])
def test_stable_at_plus_minus_1000(name, x):
    v = Value(x)
    out = getattr(v, name)()
    out.backward()
    assert not math.isnan(out.data) and not math.isnan(v.grad)


def test_stable_values_at_the_extremes():
    # σ(±1000) = 1 and 0; softplus(1000) = 1000, softplus(−1000) ≈ e^−1000 = 0; tanh = ±1
    assert Value(1000.0).sigmoid().data == 1.0 and Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).softplus().data == 1000.0 and Value(-1000.0).softplus().data == 0.0
    assert Value(1000.0).exp().data == math.inf and Value(-1000.0).exp().data == 0.0


@pytest.mark.parametrize("name, torch_name, kwargs", [
    ("tanh", "tanh", {}), ("sigmoid", "sigmoid", {}), ("relu", "relu", {}), ("exp", "exp", {}),
    ("softplus", "nn.functional.softplus", {}), ("sin", "sin", {}), ("cos", "cos", {}),
    ("abs", "abs", {}), ("leaky_relu", "nn.functional.leaky_relu", {"alpha": 0.1}),
    ("elu", "nn.functional.elu", {"alpha": 0.7}),
])
def test_unary_ops_match_pytorch(name, torch_name, kwargs):
    torch = pytest.importorskip("torch")
    fn = torch
    for part in torch_name.split("."):
        fn = getattr(fn, part)
    torch_kwargs = {"negative_slope" if name == "leaky_relu" else "alpha": v for v in kwargs.values()}
    for x in (-2.5, -0.3, 0.4, 3.0):
        v = Value(x)
        out = getattr(v, name)(**kwargs)
        out.backward()
        t = torch.tensor(x, dtype=torch.float64, requires_grad=True)
        ref = fn(t, **torch_kwargs)
        ref.backward()
        assert out.data == pytest.approx(ref.item(), rel=1e-12, abs=1e-12)
        assert v.grad == pytest.approx(t.grad.item(), rel=1e-12, abs=1e-12)


def test_binary_ops_and_pow_match_pytorch():
    torch = pytest.importorskip("torch")
    a, b = Value(1.7), Value(-0.6)
    out = (a * b + a / b - b ** 3 + a ** b).tanh()
    out.backward()
    ta = torch.tensor(1.7, dtype=torch.float64, requires_grad=True)
    tb = torch.tensor(-0.6, dtype=torch.float64, requires_grad=True)
    ref = torch.tanh(ta * tb + ta / tb - tb ** 3 + ta ** tb)
    ref.backward()
    assert out.data == pytest.approx(ref.item(), rel=1e-12)
    assert (a.grad, b.grad) == (pytest.approx(ta.grad.item(), rel=1e-10),
                                pytest.approx(tb.grad.item(), rel=1e-10))
