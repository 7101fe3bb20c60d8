"""Value at the edges of each op's domain: the Tensor's (and PyTorch's) numbers, or an error that
names the op — never Python's bare "math domain error" or "float division by zero"."""
import itertools
import math
import warnings

import numpy as np
import pytest

from microgradfr import Tensor, Value, i18n, no_grad
from microgradfr.engine import apply
from microgradfr.ops import OPS
from microgradfr.tensor import apply as tensor_apply

ELEMENTWISE = [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None]
UNARY = [op for op in ELEMENTWISE if op.arity == 1]
BINARY = [op for op in ELEMENTWISE if op.arity == 2]
SPECIAL = [math.inf, -math.inf, math.nan, 0.0, -0.0, 5e-324, 1e308, -1e308, 1.0]
ERRORS = (ValueError, ZeroDivisionError, OverflowError)


def value_run(op, xs):
    """(out, grads, warning messages) of op on Values, or the error raised."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            inputs = [Value(x) for x in xs]
            out = apply(op, *inputs, k=op.k_default)
            out.backward()
        except ERRORS as error:
            return error
    return out.data, [v.grad for v in inputs], [str(w.message) for w in caught]


def tensor_run(op, xs):
    """(out, grads) of op on one-entry Tensors, or the error raised."""
    with warnings.catch_warnings(), np.errstate(all="ignore"):
        warnings.simplefilter("ignore")
        try:
            inputs = [Tensor([x], requires_grad=True) for x in xs]
            out = tensor_apply(op, *inputs, k=op.k_default)
            out.sum().backward()
        except ERRORS as error:
            return error
    return float(out.data[0]), [float(t.grad[0]) for t in inputs]


def same(a, b) -> bool:
    return a == b or (math.isnan(a) and math.isnan(b))


def cases(ops, arity):
    return [pytest.param(op, xs, id=f"{op.name}{xs}") for op in ops
            for xs in itertools.product(SPECIAL, repeat=arity)]


@pytest.mark.parametrize("op, xs", cases(UNARY, 1) + cases(BINARY, 2))
def test_value_at_special_inputs_agrees_with_the_tensor_or_names_the_op(op, xs):
    got = value_run(op, xs)
    if isinstance(got, Exception):
        message = str(got)
        assert message.startswith(op.name.split("_")[0]), message   # "pow: …", "sin(inf): …", "div: …"
        assert "math domain error" != message and "float division by zero" != message
        return
    out, grads, warned = got
    assert all(op.name in w for w in warned), warned                 # our warnings name the op
    expected = tensor_run(op, xs)
    if isinstance(expected, Exception):   # the Tensor refuses where Value computes: not allowed
        pytest.fail(f"the Tensor raised {expected!r} where Value gave {out!r}")
    assert same(out, expected[0]), (out, expected[0])
    assert all(same(g, e) for g, e in zip(grads, expected[1])), (grads, expected[1])


def test_tensor_refuses_only_where_value_refuses_too():
    for op in ELEMENTWISE:
        for xs in itertools.product(SPECIAL, repeat=op.arity):
            if isinstance(tensor_run(op, xs), Exception):
                assert isinstance(value_run(op, xs), Exception), (op.name, xs)


# ---------------------------------------------------------------- the issue's examples, by name
def test_sqrt_at_zero_gives_an_infinite_gradient_with_a_warning():
    x = Value(0.0, "x")
    y = x.sqrt()                                          # the derivative is read when backward reaches y
    not_finite = r"sqrt\(0\) ?: (the derivative is not finite|la dérivée n'est pas finie)"  # either language
    with pytest.warns(RuntimeWarning, match=not_finite) as caught:
        y.backward()
    assert caught[0].filename == __file__                # the warning points at the student's line
    assert y.data == 0.0 and x.grad == math.inf          # 1/(2√0)
    t = Tensor([0.0], requires_grad=True)
    with pytest.warns(RuntimeWarning):
        t.sqrt().sum().backward()
    assert t.grad[0] == x.grad


def test_x_to_the_zero_at_zero_is_one_with_derivative_zero():
    x = Value(0.0)
    y = x ** 0
    y.backward()
    assert (y.data, x.grad) == (1.0, 0.0)                # x⁰ = 1 is a constant
    a, b = Value(0.0), Value(0.0)
    z = a ** b
    z.backward()
    assert (z.data, a.grad, b.grad) == (1.0, 0.0, 0.0)


NAMED = {  # what each refusal says, in each language (hand-written)
    "en": [r"pow\(10\) with k = 400: the result is too large",
           r"sin\(inf\): there is no real value here; an infinite input",
           r"cos\(-inf\): there is no real value here"],
    "fr": [r"pow\(10\) avec k = 400 : le résultat dépasse",
           r"sin\(inf\) : il n'y a pas de valeur réelle ici ; une entrée infinie",
           r"cos\(-inf\) : il n'y a pas de valeur réelle ici"],
}


@pytest.mark.parametrize("lang", sorted(NAMED))
def test_messages_name_the_op_and_the_value(lang):
    from microgradfr import i18n
    with i18n.language(lang):
        with pytest.raises(OverflowError, match=NAMED[lang][0]):
            Value(10.0) ** 400
        with pytest.raises(ValueError, match=NAMED[lang][1]):
            Value(math.inf).sin()
        with pytest.raises(ValueError, match=NAMED[lang][2]):
            Value(-math.inf).cos()


def test_backward_of_a_value_computed_under_no_grad_is_a_clear_error():
    with i18n.language("en"):  # the English text; test_error_messages checks both
        x = Value(2.0)
        with no_grad():
            y = x * 3
        with pytest.raises(RuntimeError, match=r"inside a `with no_grad\(\):` block"):
            y.backward()
        z = y * x       # used as a constant afterwards, it is fine
        z.backward()
        assert x.grad == 6.0
        Value(1.0).backward()   # a leaf made by the user can still start a backward pass (micrograd does)
        t = Tensor([2.0], requires_grad=True)
        with no_grad():
            u = (t * 3).sum()
        with pytest.raises(RuntimeError, match="no_grad"):
            u.backward()


# ---------------------------------------------------------------- against PyTorch
torch = pytest.importorskip("torch")

TORCH = {
    "add": lambda x, y: x + y, "sub": lambda x, y: x - y, "mul": lambda x, y: x * y,
    "div": lambda x, y: x / y, "neg": lambda x: -x, "pow": lambda x: x ** OPS["pow"].k_default,
    "pow_xy": lambda x, y: x ** y, "exp": torch.exp, "log": torch.log, "sqrt": torch.sqrt,
    "abs": torch.abs, "sin": torch.sin, "cos": torch.cos, "tanh": torch.tanh, "sigmoid": torch.sigmoid,
    "relu": torch.relu, "softplus": torch.nn.functional.softplus,
    "leaky_relu": lambda x: torch.nn.functional.leaky_relu(x, OPS["leaky_relu"].k_default),
    "elu": lambda x: torch.nn.functional.elu(x, OPS["elu"].k_default),
}


def torch_run(op, xs):
    inputs = [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in xs]
    out = TORCH[op.name](*inputs)
    out.backward()
    return out.item(), [t.grad.item() for t in inputs]


def test_every_elementwise_op_has_its_torch_counterpart_here():
    assert {op.name for op in ELEMENTWISE} <= set(TORCH)


# At a NaN input PyTorch's gradient conventions vary by kernel: relu'(nan) = elu'(nan) = 1 (its
# "x <= 0 ? 0 : g" test is false for NaN) and ∂(0^nan)/∂y = nan. The table keeps 0 and nan there
# (a step function and its formula); these few are the only differences allowed.
NAN_CONVENTIONS = {("relu", (math.nan,)), ("elu", (math.nan,)), ("pow_xy", (0.0, math.nan)),
                   ("pow_xy", (-0.0, math.nan))}


@pytest.mark.parametrize("op, xs", cases(UNARY, 1) + cases(BINARY, 2))
def test_value_at_special_inputs_agrees_with_torch(op, xs):
    got = value_run(op, xs)
    if isinstance(got, Exception):
        return          # named errors are checked above; PyTorch returns inf/nan there
    out, grads, _ = got
    t_out, t_grads = torch_run(op, xs)
    if op.name == "softplus" or op.name == "sigmoid":   # PyTorch's float64 rounding at ±1e308
        assert same(out, t_out) or math.isclose(out, t_out, rel_tol=1e-12)
    else:
        assert same(out, t_out), (out, t_out)
    if (op.name, xs) not in NAN_CONVENTIONS:
        assert all(same(g, t) for g, t in zip(grads, t_grads)), (grads, t_grads)


def test_the_issues_edge_cases_against_torch():
    for op, xs in [(OPS["sqrt"], (0.0,)), (OPS["pow_xy"], (0.0, 0.0))]:
        out, grads, _ = value_run(op, xs)
        t_out, t_grads = torch_run(op, xs)
        assert out == t_out and grads == t_grads
    x = torch.tensor(0.0, requires_grad=True)
    (x ** 0).backward()
    v = Value(0.0)
    (v ** 0).backward()
    assert v.grad == x.grad.item() == 0.0
    with torch.no_grad():
        y = torch.tensor(2.0, requires_grad=True) * 3
    with pytest.raises(RuntimeError):
        y.backward()


def test_viz_draws_and_explains_a_graph_with_an_infinite_derivative(tmp_path):
    import viz
    x = Value(0.0, "x")
    y = x.sqrt()
    with pytest.warns(RuntimeWarning):
        y.backward()
    assert "inf" in viz.render(y, tmp_path / "g.dot", edge_grads=True).read_text(encoding="utf-8")
    assert "= inf" in viz.explain(y, x)
