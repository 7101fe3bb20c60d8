"""The op table: every primitive operation in one place.

Each entry holds, side by side,

- ``forward(xp, x, [y,] k)``: the value ``out`` of the op;
- ``local(xp, x, [y,] out, k)``: the local derivatives ``∂out/∂x`` (and ``∂out/∂y``),
  one per input, in input order;
- ``symbol``: the display name drawn in a diagram (``"*"``, ``"tanh"``);
- ``expr`` and ``derivs``: the op and each local derivative as formula trees
  (:mod:`microgradfr.formula`) in the placeholders ``x, y, (z), out, k`` (and ``g`` for the
  Tensor ops' vector-Jacobian products), from which ``formula(i)`` prints ``∂(x·y)/∂x = y``
  (``lang="fr"|"en"``), and ``expression_tree``/``deriv_tree``/``formula_tree`` give the trees
  with the nodes' names put in, for LaTeX and Python;
- ``domain``: which inputs the op accepts (``"real"``, ``"positive"``, ...), read by the tests'
  Hypothesis strategies and by the domain checks.

``xp`` is the namespace the rules compute with: :data:`SCALAR` (``math`` on Python floats) for
:class:`~microgradfr.engine.Value`, ``numpy`` for the Tensor. The same rule serves both, which is
why rules are written with ``xp.where``/``xp.exp`` rather than ``if``.

Fixed names (see STYLE.md): ``x, y`` inputs, ``out`` the result, ``k`` the op's setting (an
exponent, a slope). The engine multiplies each local derivative by the upstream gradient ``g``.
"""
from __future__ import annotations

import math
import operator
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import numpy as np

from .formula import (  # noqa: F401  (the placeholders the trees below are written in)
    D,
    Eq,
    Expr,
    Num,
    Raw,
    Sym,
    call,
    exp,
    g,
    gt,
    k,
    lift,
    ln,
    out,
    sigmoid,
    sqrt,
    substitute,
    tanh,
    to_text,
    where,
    x,
    y,
)

__all__ = ["Op", "OPS", "SCALAR"]


# --------------------------------------------------------------------------- scalar namespace
def _exp(x):
    """e^x that returns inf instead of raising OverflowError (as numpy and PyTorch do)."""
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _sigmoid(x):
    """σ(x) = 1/(1 + e^(−x)), computed from e^(−|x|) so that it never overflows."""
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    z = math.exp(x)
    return z / (1.0 + z)


def _heaviside(x, at_zero):
    """The step H(x): 1 for x > 0, ``at_zero`` at 0, else 0 (NaN included, as torch.relu's gradient)."""
    return 1.0 if x > 0 else (at_zero if x == 0 else 0.0)


def _softplus(x):
    """log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)), stable for any x."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


SCALAR = SimpleNamespace(
    exp=_exp, log=math.log, sqrt=math.sqrt, tanh=math.tanh, sin=math.sin, cos=math.cos,
    abs=abs, expm1=math.expm1, sigmoid=_sigmoid, softplus=_softplus,
    where=lambda cond, a, b: a if cond else b,
    maximum=max,  # max(x, 0.0) keeps a NaN x, as np.maximum does
    heaviside=_heaviside,
    sign=lambda x: (x > 0) - (x < 0),  # 0 at 0 and at NaN, as PyTorch's abs'(x)
    minimum=min,
)
"""The ``xp`` namespace for Python floats: ``math`` plus the few functions numpy has and math lacks."""


def _np_sigmoid(x):
    """σ(x) for arrays, stable at ±1000: 1/(1+e^(−x)) for x ≥ 0, e^x/(1+e^x) for x < 0."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _np_heaviside(x, at_zero):
    """H(x) entry by entry, in x's dtype (np.heaviside is ten times slower and keeps NaN).

    >>> _np_heaviside(np.array([-1.0, 0.0, 2.0, np.nan]), 0.5)
    array([0. , 0.5, 1. , 0. ])
    """
    step = (x > 0).astype(x.dtype)
    if at_zero:
        step[x == 0] = at_zero
    return step


def _np_sign(x):
    """sign(x) entry by entry in x's dtype; 0 at 0 and at NaN (np.sign keeps NaN), as PyTorch's abs'.

    >>> _np_sign(np.array([-2.0, 0.0, 3.0, np.nan]))
    array([-1.,  0.,  1.,  0.])
    """
    return (x > 0).astype(x.dtype) - (x < 0).astype(x.dtype)


def _np_softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


ARRAY = SimpleNamespace(
    exp=np.exp, log=np.log, sqrt=np.sqrt, tanh=np.tanh, sin=np.sin, cos=np.cos,
    abs=np.abs, expm1=np.expm1, sigmoid=_np_sigmoid, softplus=_np_softplus,
    where=np.where, sign=_np_sign, minimum=np.minimum, maximum=np.maximum, heaviside=_np_heaviside,
)
"""The ``xp`` namespace for numpy arrays (the Tensor)."""


# --------------------------------------------------------------------------- the Op record
@dataclass(frozen=True, eq=False)
class Op:
    """One primitive operation: forward, local derivatives, display name and formulas together."""

    name: str                 # identifier: "mul", "tanh"
    symbol: str               # drawn in a diagram: "*", "tanh"
    arity: int                # number of Value inputs (-1: any number, for fused ops)
    forward: Callable         # forward(xp, *inputs, k) -> out
    local: Callable           # local(xp, *inputs, out, k) -> (∂out/∂input for each input)
    expr: Expr                # the op as written, a formula tree in x, y, (z), k: x·y, c², tanh a
    derivs: tuple             # each local derivative ∂out/∂input as a tree in x, y, out, k, g
    domain: str = "real"      # input domain for checks and Hypothesis strategies
    check: Callable | None = field(default=None, repr=False)  # check(x, [y,] k) raises on bad input
    k_default: object = None  # the setting used when the tests enumerate the table
    fused: bool = False       # an n-ary shortcut (a neuron's w·x + b) that the renderer may expand
    # n-ary ops: (i, input names) -> the tree of ∂out/∂input_i; (input names) -> the op's tree
    deriv_of: Callable | None = field(default=None, repr=False)
    expr_of: Callable | None = field(default=None, repr=False)
    placeholders: tuple = ("x", "y", "z")  # how the inputs read when no names are given
    # Tensor ops only (see the "Tensor ops" section at the end): one rule per input,
    # rule(g, *inputs, out, k) -> ∂L/∂input given g = ∂L/∂out. None for elementwise ops, whose
    # gradient the Tensor forms as g · local.
    vjp: tuple | None = field(default=None, repr=False)

    def __post_init__(self):
        # A text instead of a tree (an op defined outside this table) prints as written.
        if isinstance(self.expr, str):
            object.__setattr__(self, "expr", Raw(self.expr, self.expr))
        object.__setattr__(self, "derivs", tuple(Raw(d, d) if isinstance(d, str) else d for d in self.derivs))

    def expression_tree(self, names: dict | None = None) -> Expr:
        """The op's tree with its inputs' names (``names``: x, y, out, k, or ``inputs``)."""
        names = self._names(names)
        if self.expr_of is not None and names.get("inputs"):
            return self.expr_of(names["inputs"])
        return substitute(self.expr, names, fold=False)

    def deriv_tree(self, i: int = 0, names: dict | None = None) -> Expr:
        """The tree of ∂out/∂input_i with the inputs' names."""
        names = self._names(names)
        if self.deriv_of is not None:
            return self.deriv_of(i, names.get("inputs", ()))
        return substitute(self.derivs[i], names)

    def formula_tree(self, i: int = 0, names: dict | None = None) -> Expr:
        """∂(op)/∂input_i = derivative, as one :class:`~microgradfr.formula.Eq` tree."""
        names = self._names(names)
        if names.get("inputs"):
            wrt = names["inputs"][i]
        else:
            wrt = names.get("xyz"[i], self.placeholders[i]) if i < 3 else self.placeholders[-1]
        return Eq((D(self.expression_tree(names), lift(wrt)), self.deriv_tree(i, names)))

    def expression(self, names: dict | None = None, lang: str = "fr") -> str:
        """The op as written with its inputs' names.

        >>> OPS["pow"].expression({"x": "c", "k": 2})
        'c²'
        >>> OPS["linear"].expression({"inputs": ("w1", "w2", "x1", "x2", "b")})
        'w1·x1 + w2·x2 + b'
        """
        return to_text(self.expression_tree(names), lang)

    def formula(self, i: int = 0, names: dict | None = None, lang: str = "fr") -> str:
        """The chain-rule factor for input ``i`` as a student writes it.

        >>> OPS["mul"].formula(0)
        '∂(x·y)/∂x = y'
        >>> OPS["mul"].formula(1, {"x": "w1", "y": "x"})
        '∂(w1·x)/∂x = w1'
        >>> OPS["linear"].formula(1, {"inputs": ("w1", "w2", "x1", "x2", "b")})
        '∂(w1·x1 + w2·x2 + b)/∂w2 = x2'
        >>> OPS["leaky_relu"].formula(0, {"x": "a", "k": 0.1}, lang="en")
        '∂(LeakyReLU(a, 0.1))/∂a = 1 if a > 0 else 0.1'
        """
        return to_text(self.formula_tree(i, names), lang)

    def deriv(self, i: int = 0, names: dict | None = None, lang: str = "fr") -> str:
        """The local derivative ∂out/∂input_i alone, e.g. ``'2c'`` for ``c**2``."""
        return to_text(self.deriv_tree(i, names), lang)


    def _names(self, names):
        """The placeholders' values: x, y, out, k as given, x, y, z from ``inputs`` (the nodes'
        names), else the op's own ``placeholders``."""
        full = dict(names or {})
        inputs = full.get("inputs") or self.placeholders
        for placeholder, name in zip("xyz", inputs):
            full.setdefault(placeholder, name)
        k = full.get("k")
        if k is not None and not (isinstance(k, (int, float, Expr)) and not isinstance(k, bool)):
            full.pop("k")  # a setting that is not a number (a shape, an axis) stays the letter k
        return full


# --------------------------------------------------------------------------- domain checks
# A check raises the error a student should see, naming the op and the value, before the forward
# pass computes a NaN or Python raises an error that names neither.
def _check_log(x, k):
    if x <= 0:
        raise ValueError(f"log: log(x) is defined only for x > 0, got x = {x!r}")


def _check_sqrt(x, k):
    if x < 0:
        raise ValueError(f"sqrt: sqrt(x) is defined only for x ≥ 0, got x = {x!r}")


def _check_div(x, y, k):
    if y == 0:
        raise ZeroDivisionError(f"div: division by zero in {x!r} / {y!r}; the denominator must not be 0")


def _check_pow(x, k):
    if x == 0 and k < 0:
        raise ZeroDivisionError(f"pow: {x!r} ** {k!r} divides by zero (0 to a negative power)")
    if x == 0 and 0 < k < 1:
        raise ValueError(f"pow: the derivative {k!r}·x^({k!r} − 1) of x ** {k!r} is infinite at x = 0")
    if x < 0 and not float(k).is_integer():
        raise ValueError(f"pow: {x!r} ** {k!r} is not a real number (negative base, non-integer "
                         "exponent); use abs(x) ** k or an integer exponent")


def _check_pow_xy(x, y, k):
    _check_pow(x, y)


# --------------------------------------------------------------------------- the table
OPS: dict[str, Op] = {}


def _op(**kw) -> Op:
    op = Op(**kw)
    assert op.name not in OPS, f"op {op.name!r} defined twice in the op table"
    OPS[op.name] = op
    return op


# Arithmetic. Subtraction and division are primitives of their own, not x + (−1)·y and
# x · y^(−1): one node each is faster, and the graph then reads as the student wrote it.
_op(name="add", symbol="+", arity=2,
    forward=lambda xp, x, y, k: x + y,
    local=lambda xp, x, y, out, k: (1.0, 1.0),
    expr=x + y, derivs=(Num(1), Num(1)))
_op(name="sub", symbol="−", arity=2,
    forward=lambda xp, x, y, k: x - y,
    local=lambda xp, x, y, out, k: (1.0, -1.0),
    expr=x - y, derivs=(Num(1), Num(-1)))
_op(name="mul", symbol="×", arity=2,
    forward=lambda xp, x, y, k: x * y,
    local=lambda xp, x, y, out, k: (y, x),
    expr=x * y, derivs=(y, x))
_op(name="div", symbol="/", arity=2,
    forward=lambda xp, x, y, k: x / y,
    local=lambda xp, x, y, out, k: (1.0 / y, -out / y),
    expr=x / y, derivs=(1 / y, -x / y ** 2), domain="nonzero_y", check=_check_div)
_op(name="neg", symbol="−", arity=1,
    forward=lambda xp, x, k: -x,
    local=lambda xp, x, out, k: (-1.0,),
    expr=-x, derivs=(Num(-1),))
# x ** 0 is the constant 1, so its derivative is 0 everywhere, at x = 0 too (as PyTorch).
_op(name="pow", symbol="**", arity=1,
    forward=lambda xp, x, k: x ** k,
    local=lambda xp, x, out, k: (0.0 if k == 0 else k * x ** (k - 1),),
    expr=x ** k, derivs=(k * x ** (k - 1),), domain="pow", check=_check_pow, k_default=3)
# x ** y with a Value exponent: ∂/∂y = x^y·ln x (see _dpow_dy for x ≤ 0).
_op(name="pow_xy", symbol="**", arity=2,
    forward=lambda xp, x, y, k: x ** y,
    local=lambda xp, x, y, out, k: (_dpow_dx(xp, x, y), _dpow_dy(xp, x, out)),
    expr=x ** y, derivs=(y * x ** (y - 1), x ** y * ln(x)), domain="positive", check=_check_pow_xy)

# Elementary functions.
_op(name="exp", symbol="exp", arity=1,
    forward=lambda xp, x, k: xp.exp(x),
    local=lambda xp, x, out, k: (out,),
    expr=exp(x), derivs=(exp(x),), domain="moderate")
_op(name="log", symbol="log", arity=1,
    forward=lambda xp, x, k: xp.log(x),
    local=lambda xp, x, out, k: (1.0 / x,),
    expr=ln(x), derivs=(1 / x,), domain="positive", check=_check_log)
_op(name="sqrt", symbol="√", arity=1,
    forward=lambda xp, x, k: xp.sqrt(x),
    local=lambda xp, x, out, k: (0.5 / out,),
    expr=sqrt(x), derivs=(1 / (2 * sqrt(x)),), domain="positive", check=_check_sqrt)
# |x| has no derivative at 0; like PyTorch we take sign(0) = 0.
_op(name="abs", symbol="abs", arity=1,
    forward=lambda xp, x, k: xp.abs(x),
    local=lambda xp, x, out, k: (xp.sign(x) * 1.0,),
    expr=call("abs", x), derivs=(call("sign", x),), domain="nonzero")
_op(name="sin", symbol="sin", arity=1,
    forward=lambda xp, x, k: xp.sin(x),
    local=lambda xp, x, out, k: (xp.cos(x),),
    expr=call("sin", x), derivs=(call("cos", x),))
_op(name="cos", symbol="cos", arity=1,
    forward=lambda xp, x, k: xp.cos(x),
    local=lambda xp, x, out, k: (-xp.sin(x),),
    expr=call("cos", x), derivs=(-call("sin", x),))

# Activations.
_op(name="tanh", symbol="tanh", arity=1,
    forward=lambda xp, x, k: xp.tanh(x),
    local=lambda xp, x, out, k: (1.0 - out * out,),
    expr=tanh(x), derivs=(1 - tanh(x) ** 2,))
_op(name="sigmoid", symbol="σ", arity=1,
    forward=lambda xp, x, k: xp.sigmoid(x),
    local=lambda xp, x, out, k: (out * (1.0 - out),),
    expr=sigmoid(x), derivs=(sigmoid(x) * (1 - sigmoid(x)),))
# ReLU'(0) = 0, as in PyTorch: the Heaviside step H with H(0) = 0. A NaN input stays NaN (as
# torch.relu), so that it is not hidden. Both keep float32 arrays in float32.
_op(name="relu", symbol="ReLU", arity=1,
    forward=lambda xp, x, k: xp.maximum(x, 0.0),
    local=lambda xp, x, out, k: (xp.heaviside(x, 0.0),),
    expr=call("relu", x), derivs=(where(gt(x, 0), 1, 0),), domain="nonzero")


def _leaky_slope(xp, x, k):
    """LeakyReLU'(x): 1 where x > 0, else k (also at 0, as PyTorch), in x's dtype.

    Written H + k·(1 − H) with H the step, which is exactly 1 or exactly k.
    """
    step = xp.heaviside(x, 0.0)
    return step + k * (1.0 - step)


_op(name="leaky_relu", symbol="LeakyReLU", arity=1,
    forward=lambda xp, x, k: xp.where(x > 0, x, k * x),
    local=lambda xp, x, out, k: (_leaky_slope(xp, x, k),),
    expr=call("leaky_relu", x, k), derivs=(where(gt(x, 0), 1, k),), domain="nonzero", k_default=0.01)
_op(name="elu", symbol="ELU", arity=1,
    forward=lambda xp, x, k: xp.where(x > 0, x, k * xp.expm1(xp.minimum(x, 0.0))),
    local=lambda xp, x, out, k: (xp.where(x > 0, 1.0, out + k),),
    expr=call("elu", x, k), derivs=(where(gt(x, 0), 1, k * exp(x)),), domain="nonzero", k_default=1.0)
_op(name="softplus", symbol="softplus", arity=1,
    forward=lambda xp, x, k: xp.softplus(x),
    local=lambda xp, x, out, k: (xp.sigmoid(x),),
    expr=ln(1 + exp(x)), derivs=(sigmoid(x),))

# Fused: one neuron's pre-activation z = Σ wᵢ·xᵢ + b as a single node, inputs (w₁..wₙ, x₁..xₙ, b)
# with k = n. It saves 2n nodes per neuron (the speed of the scalar MLP depends on it); the
# renderer can expand it back into its × and + nodes.
_op(name="linear", symbol="Σwx+b", arity=-1,
    forward=lambda xp, *xs_k: _linear_forward(*xs_k),
    local=lambda xp, *xs_out_k: _linear_local(*xs_out_k),
    expr=Raw("Σ wᵢ·xᵢ + b", "Σ wᵢ·xᵢ + b", r"\sum_i w_i x_i + b"), derivs=(Sym("xᵢ"), Sym("wᵢ"), Num(1)),
    fused=True,
    deriv_of=lambda i, inputs: _linear_deriv_tree(i, inputs), expr_of=lambda inputs: _linear_tree(inputs),
    placeholders=("wᵢ", "xᵢ", "b"))


def _dpow_dx(xp, x, y):
    """∂(x^y)/∂x = y·x^(y−1); 0 where y = 0, also at x = 0 (x^0 = 1 is constant, as PyTorch).

    The power is taken as x^1 where y = 0 so that 0^(−1) is never computed.
    """
    return xp.where(y == 0, 0.0, y * x ** xp.where(y == 0, 1.0, y - 1.0))


def _dpow_dy(xp, x, out):
    """∂(x^y)/∂y = x^y·ln x; 0 at x = 0 (as PyTorch), NaN for x < 0 where it does not exist."""
    safe_log = xp.log(xp.abs(x) + (x == 0))
    return xp.where(x > 0, out * safe_log, xp.where(x == 0, 0.0, math.nan))


def _linear_forward(*inputs_and_k):
    *inputs, n = inputs_and_k
    return sum(map(operator.mul, inputs[:n], inputs[n:2 * n]), inputs[2 * n])


def _linear_local(*inputs_out_k):
    *inputs, _out, n = inputs_out_k
    return (*inputs[n:2 * n], *inputs[:n], 1.0)


def _linear_deriv_tree(i, inputs):
    """∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1, with the parents' own names (or numbers)."""
    if not inputs:
        return OPS["linear"].derivs[min(i, 2)]
    n = (len(inputs) - 1) // 2
    if i == 2 * n:
        return Num(1)
    return lift(inputs[i + n] if i < n else inputs[i - n])


def _linear_tree(inputs):
    """w1·x1 + … + wn·xn + b with the parents' names."""
    n = (len(inputs) - 1) // 2
    terms = [lift(inputs[i]) * lift(inputs[n + i]) for i in range(n)]
    total = terms[0] if terms else lift(inputs[2 * n])
    for term in terms[1:] + ([lift(inputs[2 * n])] if terms else []):
        total = total + term
    return total


# =========================================================================== Tensor ops
# Ops on whole arrays, used only by microgradfr.tensor.Tensor (the elementwise entries above serve
# the Tensor too, with xp = ARRAY). An entry here has no `local`: the Jacobian of a sum or a
# convolution is too big to write down, so each input gets a vector-Jacobian product instead,
# one rule per input as in PyTorch's derivatives.yaml:
#
#     rule(g, *inputs, out, k) -> ∂L/∂input,   given g = ∂L/∂out
#
# One rule per input means an input that needs no gradient (a batch of data) costs nothing.
# A rule may return a gradient of the *broadcast* shape (matmul's batch axes): the Tensor sums it
# back to the input's shape in one place, `unbroadcast`. Rules never modify g or the inputs.

def _mT(a):
    """The matrix transpose of the last two axes (a stack of matrices stays a stack)."""
    return np.swapaxes(a, -1, -2)


def _expand(g, shape, axis, keepdims):
    """Broadcast the gradient of a reduction back over the reduced axes (the adjoint of a sum)."""
    if axis is not None and not keepdims:
        g = np.expand_dims(g, axis)
    return np.broadcast_to(g, shape)


def _count(shape, axis):
    """How many entries a reduction over ``axis`` sums together."""
    if axis is None:
        return math.prod(shape)
    return math.prod(shape[a] for a in axis)


def _check_matmul(x, y, k):
    if x.ndim == 0 or y.ndim == 0:
        raise ValueError(f"matmul: both operands need at least one axis, got shapes {x.shape} @ {y.shape}; "
                         "use * to multiply by a number")
    inner_y = y.shape[0] if y.ndim == 1 else y.shape[-2]
    if x.shape[-1] != inner_y:
        raise ValueError(f"matmul: shapes {x.shape} @ {y.shape} do not line up: {x.shape[-1]} != {inner_y} "
                         "(the last axis of the left operand must match the second-to-last of the right; "
                         "transpose one of them?)")


def _matmul_dx(g, x, y, out, k):
    if y.ndim == 1:                  # (..., n) @ (n,) -> (...): dx = g ⊗ y
        return np.multiply.outer(g, y)
    if x.ndim == 1:                  # (n,) @ (..., n, m) -> (..., m): dx = y @ g
        return (y @ g[..., None])[..., 0]
    return g @ _mT(y)                # dx = g @ yᵀ


def _matmul_dy(g, x, y, out, k):
    if x.ndim == 1 and y.ndim == 1:  # a dot product
        return g * x
    if x.ndim == 1:                  # dy = x ⊗ g
        return x[:, None] * g[..., None, :]
    if y.ndim == 1:                  # dy = xᵀ @ g
        return (_mT(x) @ g[..., None])[..., 0]
    return _mT(x) @ g                # dy = xᵀ @ g


_op(name="matmul", symbol="@", arity=2,
    forward=lambda xp, x, y, k: x @ y,
    local=None, vjp=(_matmul_dx, _matmul_dy), check=_check_matmul,
    expr=x @ y, derivs=(g @ call("T", y), call("T", x) @ g), domain="matmul")

# A dense layer's x @ Wᵀ + b as one node (PyTorch's F.linear, "addmm" in its graphs), inputs
# (x, W[, b]) with W of shape (out, in). Fused for speed: one node instead of three, and
# ∂L/∂W = gᵀ @ x comes out directly in W's layout. x may have leading batch axes.
def _affine_forward(x, w, *b_k):
    out = x @ _mT(w)
    if len(b_k) == 2:
        out += b_k[0]
    return out


def _affine_dw(g, x, w, *rest):
    """∂L/∂W = gᵀ @ x, summed over every leading axis of x."""
    return g.reshape(-1, g.shape[-1]).T @ x.reshape(-1, x.shape[-1])


def _check_affine(x, w, *b_k):
    if x.ndim == 0 or x.shape[-1] != w.shape[-1]:
        raise ValueError(f"linear: input of shape {x.shape} does not fit a weight of shape {w.shape} "
                         f"(out_features, in_features): its last axis must be {w.shape[-1]}")


_op(name="affine", symbol="xWᵀ+b", arity=-1,
    forward=lambda xp, *xs_k: _affine_forward(*xs_k),
    local=None, check=_check_affine,
    vjp=(lambda g, x, w, *rest: g @ w, _affine_dw,
         lambda g, x, w, b, out, k: g.reshape(-1, g.shape[-1]).sum(axis=0)),
    expr=x @ call("T", y) + Sym("z"), derivs=(g @ y, call("T", g) @ x, call("sum", g)), domain="affine",
    placeholders=("x", "W", "b"))

# Reductions: k = (axis, keepdims), axis a tuple of non-negative axes or None (all of them).
_op(name="sum", symbol="Σ", arity=1,
    forward=lambda xp, x, k: np.sum(x, axis=k[0], keepdims=k[1]),
    local=None, vjp=(lambda g, x, out, k: _expand(g, x.shape, *k),),
    expr=call("sum", x),
    derivs=(Raw("1 (g recopié sur chaque entrée sommée)", "1 (g copied to every summed entry)"),),
    domain="reduce")
_op(name="mean", symbol="mean", arity=1,
    forward=lambda xp, x, k: np.mean(x, axis=k[0], keepdims=k[1]),
    local=None, vjp=(lambda g, x, out, k: _expand(g / _count(x.shape, k[0]), x.shape, *k),),
    expr=call("mean", x),
    derivs=(Raw("1/n (g partagé entre les n entrées moyennées)",
                "1/n (g shared by the n averaged entries)"),),
    domain="reduce")
# Ties share the gradient equally (as torch.amax); the maximum itself has no derivative there.
_op(name="max", symbol="max", arity=1,
    forward=lambda xp, x, k: np.max(x, axis=k[0], keepdims=k[1]),
    local=None, vjp=(lambda g, x, out, k: _max_dx(g, x, out, *k),),
    expr=call("max", x),
    derivs=(Raw("1 là où {x} est le maximum, 0 ailleurs", "1 where {x} is the maximum, else 0"),),
    domain="reduce_distinct")


def _max_dx(g, x, out, axis, keepdims):
    winners = x == _expand(out, x.shape, axis, keepdims)
    ties = winners.sum(axis=axis, keepdims=True).astype(x.dtype)
    return winners * (_expand(g, x.shape, axis, keepdims) / ties)


# Shape ops move entries around; their rules move the gradient back.
_op(name="reshape", symbol="reshape", arity=1,
    forward=lambda xp, x, k: x.reshape(k),
    local=None, vjp=(lambda g, x, out, k: g.reshape(x.shape),),
    expr=call("reshape", x), derivs=(Raw("g remis à la forme de {x}", "g reshaped back"),), domain="reshape")
_op(name="transpose", symbol="ᵀ", arity=1,
    forward=lambda xp, x, k: np.transpose(x, k),
    local=None, vjp=(lambda g, x, out, k: np.transpose(g, np.argsort(k)),),
    expr=call("T", x), derivs=(Raw("g transposé en retour", "g transposed back"),), domain="transpose")
_op(name="getitem", symbol="[ ]", arity=1,
    forward=lambda xp, x, k: x[k],
    local=None, vjp=(lambda g, x, out, k: _getitem_dx(g, x, k),),
    expr=Raw("{x}[k]", "{x}[k]", "{x}[k]"),
    derivs=(Raw("g remis aux entrées choisies (additionné où elles se répètent)",
                "g put back at the selected entries (summed where repeated)"),), domain="index")


def _is_basic_index(index) -> bool:
    """Ints, slices, None and ... select a view with no repeats; arrays may repeat entries."""
    parts = index if isinstance(index, tuple) else (index,)
    return all(isinstance(p, (int, np.integer, slice)) or p is None or p is Ellipsis for p in parts)


def _getitem_dx(g, x, index):
    dx = np.zeros(x.shape, dtype=np.result_type(x, g))
    if _is_basic_index(index):
        dx[index] = g
    else:
        np.add.at(dx, index, g)  # an entry picked twice gets both gradients
    return dx


# Softmax along k = axis. Both are fused for stability: subtracting the max keeps e^x finite at
# ±1000, and log_softmax never takes the log of an underflowed 0.
def _softmax(x, axis):
    e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x, axis):
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


_op(name="softmax", symbol="softmax", arity=1,
    forward=lambda xp, x, k: _softmax(x, k),
    local=None, vjp=(lambda g, x, out, k: out * (g - np.sum(g * out, axis=k, keepdims=True)),),
    expr=call("softmax", x), derivs=(out * (g - call("sum", g * out)),), domain="softmax")
_op(name="log_softmax", symbol="log_softmax", arity=1,
    forward=lambda xp, x, k: _log_softmax(x, k),
    local=None, vjp=(lambda g, x, out, k: g - np.exp(out) * np.sum(g, axis=k, keepdims=True),),
    expr=call("log_softmax", x), derivs=(g - call("softmax", x) * call("sum", g),), domain="softmax")


# ---------------------------------------------------------------- convolution and pooling (NCHW)
# im2col: every kh×kw window of the (padded) input becomes one column, so that a convolution is a
# matrix product (samples side by side along the columns):
#     out (F × N·positions) = W (F × C·kh·kw) @ cols (C·kh·kw × N·positions).
#
# For speed the columns are cut from each channel laid out *flat*: in a padded image of width Wp,
# pixel (r, c) sits at r·Wp + c, so the pixel that kernel offset (i, j) reads for output (h, w) is
#     i·Wp + j + h·sh·Wp + w·sw        (strides sh down, sw across).
# Letting w run past the last output column, over a "wide row" of Wq = ⌈sh·Wp/sw⌉ positions (the
# columns w ≥ Wo are junk, cut off afterwards), makes the positions read for one offset a plain
# strided view of the flat image: Ho wide rows of sh·Wp entries each, read every sw. With equal
# strides (the usual case) consecutive wide rows join up and the view is one 1-D strided slice:
# kh·kw long, contiguous copies instead of millions of tiny ones. Only the kh·kw kernel offsets are
# looped over in Python, never the pixels. The backward pass adds gradients back through the same views.
#
# The batch is processed a few images at a time (_Geometry.batch_parts): the columns are kh·kw times the
# size of the image, and a part's columns, made and multiplied at once, stay in the CPU's cache
# instead of making a round trip through memory. The backward pass cuts the columns again rather
# than keeping the forward pass's: from cache that costs less than storing them.
#
# The work arrays (padded images, columns, products) are borrowed from a small cache and reused
# from one call to the next: glibc gives big freed blocks back to the OS, and touching a fresh
# block again costs a page fault per 4 KiB, which costs more than the arithmetic here. Arrays
# handed back to the user are always fresh; a work array never leaves the functions below.

def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Output length of a convolution or pooling along one axis: ⌊(W − k + 2p)/s⌋ + 1.

    >>> conv_output_size(32, 3, stride=2, padding=1)
    16
    """
    return (size - kernel + 2 * padding) // stride + 1


def pair_text(pair) -> str:
    """A (height, width) setting as a student writes it: "2" when both are 2, else "(1, 2)"."""
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


_WORK_KEPT = 32   # enough for the work arrays of several conv layers of different shapes
PART_BYTES = 2 << 20  # the im2col columns of one part of the batch: about what stays in cache
_THREAD = threading.local()  # each thread its own work arrays: threads never share one


def _work_arrays() -> dict:
    """This thread's (purpose, geometry, shape, dtype) → array, oldest use first."""
    arrays = getattr(_THREAD, "arrays", None)
    if arrays is None:
        arrays = _THREAD.arrays = {}
    return arrays


def _work(purpose: str, geo: _Geometry, shape, dtype) -> np.ndarray:
    """The work array for (purpose, geometry, shape, dtype), zero-filled when first made, reused after.

    Callers rely on the zeros where they never write (padding borders, junk columns), which is
    why the key holds the whole geometry: another one with the same array shape could have its
    borders or junk columns elsewhere.
    """
    arrays, key = _work_arrays(), (purpose, geo.key, tuple(shape), np.dtype(dtype))
    work = arrays.pop(key, None)
    if work is None:
        work = np.zeros(shape, dtype=dtype)
        if len(arrays) >= _WORK_KEPT:
            del arrays[next(iter(arrays))]  # forget the least recently used
    arrays[key] = work  # (re)inserted last: the most recently used
    return work


def clear_work_arrays() -> None:
    """Forget this thread's cached conv2d work arrays (freed once nothing uses them)."""
    _work_arrays().clear()


class _Geometry:
    """Sizes of one convolution: padded image Hp×Wp, output Ho×Wo, wide rows of Wq, L = Ho·Wq per image."""

    def __init__(self, x_shape, w_shape, stride, padding):
        _, self.c, self.h, self.w = x_shape
        self.kh, self.kw = w_shape[2:]
        (self.sh, self.sw), (self.ph, self.pw) = stride, padding
        self.key = (self.c, self.h, self.w, self.kh, self.kw, *stride, *padding)
        self.hp, self.wp = self.h + 2 * self.ph, self.w + 2 * self.pw
        self.ho = conv_output_size(self.h, self.kh, self.sh, self.ph)
        self.wo = conv_output_size(self.w, self.kw, self.sw, self.pw)
        self.row = self.sh * self.wp        # flat entries from one output row to the next
        self.wq = -(-self.row // self.sw)   # positions in a wide row: ⌈sh·Wp/sw⌉ ≥ Wo
        self.length = self.ho * self.wq
        self.rows = self.c * self.kh * self.kw  # one row of columns per (channel, kernel offset)
        # the flat buffer must hold the farthest read: the last offset's Ho wide rows
        self.flat = max(self.hp * self.wp, (self.kh - 1) * self.wp + self.kw - 1 + self.ho * self.row)

    def offsets(self):
        """(i, j, i·Wp + j) for each kernel offset."""
        return [(i, j, i * self.wp + j) for i in range(self.kh) for j in range(self.kw)]

    def read(self, flat, offset):
        """The (..., Ho, Wq) view of flat images that kernel offset ``offset`` reads on the wide grid."""
        rows = flat[..., offset:offset + self.ho * self.row].reshape(*flat.shape[:-1], self.ho, self.row)
        return rows[..., ::self.sw]

    def batch_parts(self, n, itemsize):
        """Slices of a batch of n images whose columns take about PART_BYTES each."""
        step = max(1, PART_BYTES // (self.rows * self.length * itemsize))
        return [slice(start, min(start + step, n)) for start in range(0, n, step)]

    def padded_view(self, flat):
        """The (N, C, H, W) images inside a flat (N, C, flat) buffer."""
        image = flat[:, :, :self.hp * self.wp].reshape(-1, self.c, self.hp, self.wp)
        return image[:, :, self.ph:self.ph + self.h, self.pw:self.pw + self.w]

    def wide_view(self, wide):
        """The (N, F, Ho, Wo) outputs inside an (F, N·L) array on the wide grid."""
        return wide.reshape(wide.shape[0], -1, self.ho, self.wq)[..., :self.wo].transpose(1, 0, 2, 3)


def _im2col(x, g: _Geometry):
    """Columns (C·kh·kw, N·L): cols[(c, i, j), (n, h, w)] = x_padded[n, c, h·sh + i, w·sw + j]."""
    n = x.shape[0]
    flat = _work("padded", g, (n, g.c, g.flat), x.dtype)  # borders stay zero: the padding
    g.padded_view(flat)[...] = x
    cols = _work("columns", g, (g.rows, n * g.length), x.dtype)
    by_offset = cols.reshape(g.c, g.kh, g.kw, n, g.ho, g.wq)
    by_channel = flat.transpose(1, 0, 2)
    for i, j, offset in g.offsets():
        by_offset[:, i, j] = g.read(by_channel, offset)
    return cols


def _col2im(dcols, g: _Geometry):
    """The adjoint of _im2col: each column entry is added back to the pixel it was read from.

    Returns an (N, C, H, W) view of a work array.
    """
    n = dcols.shape[1] // g.length
    flat = _work("unpadded", g, (n, g.c, g.flat), dcols.dtype)
    flat.fill(0)
    by_offset = dcols.reshape(g.c, g.kh, g.kw, n, g.ho, g.wq)
    by_channel = flat.transpose(1, 0, 2)
    for i, j, offset in g.offsets():
        target = g.read(by_channel, offset)
        target += by_offset[:, i, j]  # a view of flat: the sum lands in the images
    return g.padded_view(flat)


def _wide(out, g: _Geometry):
    """(N, F, Ho, Wo) → (F, N·L) on the wide grid, junk columns zero (so they add nothing)."""
    work = _work("wide", g, (out.shape[1], out.shape[0] * g.length), out.dtype)  # junk stays zero
    g.wide_view(work)[...] = out
    return work


def _check_conv2d(x, w, *b_k):
    *b, (stride, padding) = b_k
    if x.ndim != 4 or w.ndim != 4:
        raise ValueError(f"conv2d: input must be (N, C, H, W) and weight (F, C, kh, kw), got shapes "
                         f"{x.shape} and {w.shape}; add a batch axis with x.reshape(1, *x.shape)")
    if x.shape[1] != w.shape[1]:
        raise ValueError(f"conv2d: input has {x.shape[1]} channels (shape {x.shape}) but the weight "
                         f"expects {w.shape[1]} (shape {w.shape})")
    hp, wp = x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1]
    if w.shape[2] > hp or w.shape[3] > wp:
        raise ValueError(f"conv2d: kernel {w.shape[2]}×{w.shape[3]} is larger than the padded input "
                         f"{hp}×{wp} (input shape {x.shape}, padding {pair_text(padding)}); use a smaller "
                         "kernel, more padding or a bigger image")
    if b and b[0].shape != (w.shape[0],):
        raise ValueError(f"conv2d: bias has shape {b[0].shape}, expected ({w.shape[0]},): one per filter")


def _conv2d_forward(x, w, *b_k):
    """out[n, f] = Σ_{c,i,j} w[f, c, i, j] · x_padded[n, c, h·sh + i, w·sw + j] (+ b[f])."""
    *b, k = b_k
    geo, f = _Geometry(x.shape, w.shape, *k), w.shape[0]
    weights = w.reshape(f, -1)
    dtype = np.result_type(x, w)
    out = np.empty((x.shape[0], f, geo.ho, geo.wo), dtype=np.result_type(dtype, *b))
    for part in geo.batch_parts(x.shape[0], x.itemsize):
        cols = _im2col(x[part], geo)
        product = _work("product", geo, (f, cols.shape[1]), dtype)
        np.matmul(weights, cols, out=product)
        if b:
            np.add(geo.wide_view(product), b[0].reshape(1, f, 1, 1), out=out[part])
        else:
            out[part] = geo.wide_view(product)
    return out


def _conv2d_dx(g, x, w, *rest):
    """∂L/∂x: each output gradient flows back through the weights to the pixels of its window.

    dcols (C·kh·kw × N·L) = Wᵀ @ g_wide, then col2im adds each column back to its pixels.
    """
    geo, f = _Geometry(x.shape, w.shape, *rest[-1]), w.shape[0]
    weights_t = _mT(w.reshape(f, -1))
    dx = np.empty(x.shape, dtype=np.result_type(w, g))
    for part in geo.batch_parts(x.shape[0], x.itemsize):
        g_wide = _wide(g[part], geo)
        dcols = _work("dcols", geo, (geo.rows, g_wide.shape[1]), dx.dtype)
        np.matmul(weights_t, g_wide, out=dcols)
        dx[part] = _col2im(dcols, geo)
    return dx


def _conv2d_dw(g, x, w, *rest):
    """∂L/∂w[f, c, i, j] = Σ_{n,h,w} g[n, f, h, w] · x_padded[n, c, h·sh + i, w·sw + j] = Σ g_wide @ colsᵀ."""
    geo, f = _Geometry(x.shape, w.shape, *rest[-1]), w.shape[0]
    dw = np.zeros((f, geo.rows), dtype=np.result_type(g, x))
    for part in geo.batch_parts(x.shape[0], x.itemsize):
        dw += _wide(g[part], geo) @ _mT(_im2col(x[part], geo))
    return dw.reshape(w.shape)


def _conv2d_db(g, *rest):
    """∂L/∂b[f] = Σ_{n,h,w} g[n, f, h, w], summed over the batch first (three times faster than
    g.sum(axis=(0, 2, 3)), which strides through every image for each filter)."""
    return g.sum(axis=0).reshape(g.shape[1], -1).sum(axis=1)


# k = ((sh, sw), (ph, pw)): stride and padding, each (down, across)
_op(name="conv2d", symbol="conv2d", arity=-1,
    forward=lambda xp, *xs_k: _conv2d_forward(*xs_k),
    local=None, check=_check_conv2d,
    vjp=(_conv2d_dx, _conv2d_dw, _conv2d_db),
    expr=Raw("{x} ⋆ {y} + {z}", "{x} ⋆ {y} + {z}", r"{x} \star {y} + {z}"),
    derivs=(Raw("g ⋆ {y} (convolution transposée)", "g ⋆ {y} (transposed convolution)"),
            Raw("Σ g·fenêtres({x})", "Σ g·windows({x})"), call("sum", g)),
    domain="conv2d", placeholders=("x", "w", "b"))


def _windows(x, kernel, stride):
    """View (N, C, Ho, Wo, kh, kw) of every window, window (h, w) starting at (h·sh, w·sw)."""
    (sh, sw) = stride
    return np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))[:, :, ::sh, ::sw]


def _check_pool(x, k):
    kernel, stride, padding = k
    if x.ndim != 4:
        raise ValueError(f"pool2d: input must be (N, C, H, W), got shape {x.shape}")
    window = f"{kernel[0]}×{kernel[1]}"
    if padding[0] > kernel[0] // 2 or padding[1] > kernel[1] // 2:
        half = (kernel[0] // 2, kernel[1] // 2)
        raise ValueError(f"pool2d: padding {pair_text(padding)} is more than half the {window} window; "
                         f"as in PyTorch, use padding ≤ {pair_text(half)} so that every window holds a "
                         "real entry")
    hp, wp = x.shape[2] + 2 * padding[0], x.shape[3] + 2 * padding[1]
    if kernel[0] > hp or kernel[1] > wp:
        raise ValueError(f"pool2d: window {window} is larger than the padded input {hp}×{wp} "
                         f"(shape {x.shape}, padding {pair_text(padding)}); use a smaller kernel_size")


def _pad(x, padding, fill):
    """x (N, C, H, W) with ph rows and pw columns of ``fill`` on each side (x itself without padding)."""
    ph, pw = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill) if ph or pw else x


def _pool_forward(x, k, fill, reduce):
    """reduce(window) for every window of x padded with ``fill`` (−inf for max, 0 for mean)."""
    kernel, stride, padding = k
    return reduce(_windows(_pad(x, padding, fill), kernel, stride), axis=(-2, -1))


def _pool_dx(x, out, k, sent, dtype):
    """Add back to each pixel what every window sends it: ``sent(i, j)`` is the (N, C, Ho, Wo)
    gradient that each window gives its entry at offset (i, j). Padding entries are dropped."""
    (kh, kw), (sh, sw), (ph, pw) = k
    n, c, ho, wo = out.shape
    dx = np.zeros((n, c, x.shape[2] + 2 * ph, x.shape[3] + 2 * pw), dtype=dtype)
    for i in range(kh):
        for j in range(kw):
            dx[:, :, i:i + sh * (ho - 1) + 1:sh, j:j + sw * (wo - 1) + 1:sw] += sent(i, j)
    return dx[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]]


def _max_pool_dx(g, x, out, k):
    """The gradient of each window goes to its (first) maximum, as in PyTorch."""
    (kh, kw), stride, padding = k
    windows = _windows(_pad(x, padding, -np.inf), (kh, kw), stride)
    winner = windows.reshape(*out.shape, kh * kw).argmax(axis=-1)
    return _pool_dx(x, out, k, lambda i, j: np.where(winner == i * kw + j, g, 0), g.dtype)


def _avg_pool_dx(g, x, out, k):
    """Each entry of a window gets 1/(kh·kw) of the window's gradient (padding counts, as PyTorch's
    default)."""
    (kh, kw) = k[0]
    share = g / (kh * kw)
    return _pool_dx(x, out, k, lambda i, j: share, g.dtype)


# k = ((kh, kw), (sh, sw), (ph, pw)): window, stride and padding, each (down, across)
_op(name="max_pool2d", symbol="max_pool2d", arity=1,
    forward=lambda xp, x, k: _pool_forward(x, k, -np.inf, np.max),
    local=None, vjp=(_max_pool_dx,), check=_check_pool,
    expr=call("max_pool", x),
    derivs=(Raw("g au maximum de chaque fenêtre, 0 ailleurs",
                "g at the maximum of each window, 0 elsewhere"),),
    domain="pool_distinct")
_op(name="avg_pool2d", symbol="avg_pool2d", arity=1,
    forward=lambda xp, x, k: _pool_forward(x, k, 0.0, np.mean),
    local=None, vjp=(_avg_pool_dx,), check=_check_pool,
    expr=call("avg_pool", x),
    derivs=(Raw("g/(kh·kw) vers chaque entrée de chaque fenêtre",
                "g/(kh·kw) to every entry of each window"),),
    domain="pool")


# ---------------------------------------------------------------- normalisation and losses
# batch_norm: inputs (x, [weight, bias]); k = BatchNormK below. Channels are axis 1; statistics
# are taken over every other axis. x̂ = (x − μ)/√(σ² + ε), out = weight·x̂ + bias.
@dataclass(frozen=True)
class BatchNormK:
    """batch_norm's setting: the mean and variance used, ε, and whether they are the batch's own."""

    mean: np.ndarray
    var: np.ndarray
    eps: float
    batch_stats: bool

    def __repr__(self):
        return f"eps={self.eps:g}, {'batch' if self.batch_stats else 'running'} statistics"


def _bn_axes(x):
    return (0, *range(2, x.ndim))


def _bn_shape(x):
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _bn_stats(x, k):
    """μ and 1/√(σ² + ε) shaped to broadcast against x, in x's dtype."""
    shape = _bn_shape(x)
    mean, var = (np.asarray(v, dtype=x.dtype).reshape(shape) for v in (k.mean, k.var))
    return mean, 1.0 / np.sqrt(var + k.eps)


def _bn_xhat(x, k):
    mean, inv_std = _bn_stats(x, k)
    return (x - mean) * inv_std


def _bn_forward(x, *wb_k):
    *wb, k = wb_k
    out = _bn_xhat(x, k)
    if wb:
        shape = _bn_shape(x)
        out = out * wb[0].reshape(shape) + wb[1].reshape(shape)
    return out


def _bn_dx(g, x, *rest):
    """With batch statistics μ and σ² depend on x too:
    ∂L/∂x = w/(m·√(σ²+ε)) · (m·g − Σg − x̂·Σ(g·x̂)), sums over the m entries of a channel."""
    *wb, out, k = rest
    shape, axes = _bn_shape(x), _bn_axes(x)
    scale = _bn_stats(x, k)[1]
    if wb:
        scale = scale * wb[0].reshape(shape)
    if not k.batch_stats:
        return g * scale
    m = x.size // x.shape[1]
    xhat = _bn_xhat(x, k)
    return scale / m * (m * g - g.sum(axis=axes, keepdims=True)
                        - xhat * (g * xhat).sum(axis=axes, keepdims=True))


_op(name="batch_norm", symbol="batch_norm", arity=-1,
    forward=lambda xp, *xs_k: _bn_forward(*xs_k),
    local=None,
    vjp=(_bn_dx,
         lambda g, x, w, b, out, k: (g * _bn_xhat(x, k)).sum(axis=_bn_axes(x)),
         lambda g, x, w, b, out, k: g.sum(axis=_bn_axes(x))),
    expr=y * (x - Sym("μ")) / sqrt(Sym("σ") ** 2 + Sym("ε")) + Sym("z"),
    derivs=(y / sqrt(Sym("σ") ** 2 + Sym("ε"))
            * (g - call("mean", g) - Sym("x̂") * call("mean", g * Sym("x̂"))),
            call("sum", g * Sym("x̂")), call("sum", g)),
    domain="batch_norm", placeholders=("x", "w", "b"))


# cross_entropy: inputs (logits (N, C), targets (N,) class indices); k = reduction.
# Fused log_softmax + negative log-likelihood: stable, and its gradient is simply softmax − onehot.
def _reduce(losses, reduction):
    return losses.mean() if reduction == "mean" else losses.sum() if reduction == "sum" else losses


def _cross_entropy_forward(x, t, reduction):
    return _reduce(-_log_softmax(x, 1)[np.arange(len(t)), t], reduction)


def _cross_entropy_dx(g, x, t, out, reduction):
    grad = _softmax(x, 1)
    grad[np.arange(len(t)), t] -= 1
    if reduction == "none":
        return grad * g[:, None]
    return grad * (g / len(t) if reduction == "mean" else g)


_op(name="cross_entropy", symbol="cross_entropy", arity=2,
    forward=lambda xp, x, t, k: _cross_entropy_forward(x, t, k),
    local=None, vjp=(_cross_entropy_dx, None),
    expr=Raw("−ln softmax({x})[{y}]", "−ln softmax({x})[{y}]", r"-\ln \operatorname{softmax}({x})[{y}]"),
    derivs=(call("softmax", x) - call("onehot", y),
            Raw("aucune (indices de classes)", "none (class indices)")),
    domain="cross_entropy")


# binary_cross_entropy: inputs (p, t) with p in [0, 1]; k = reduction. As PyTorch, each log is
# clamped at −100 (so p = 0 gives a loss of 100, not inf) and the gradient's denominator p(1 − p)
# at 1e-12.
def _bce_forward(p, t, reduction):
    with np.errstate(divide="ignore"):
        log_p, log_1p = np.maximum(np.log(p), -100.0), np.maximum(np.log1p(-p), -100.0)
    return _reduce(-(t * log_p + (1 - t) * log_1p), reduction)


def _bce_scale(g, p, reduction):
    return g / p.size if reduction == "mean" else g


def _bce_dp(g, p, t, out, reduction):
    return _bce_scale(g, p, reduction) * (p - t) / np.maximum(p * (1 - p), 1e-12)


def _bce_dt(g, p, t, out, reduction):
    with np.errstate(divide="ignore"):
        return _bce_scale(g, p, reduction) * (np.log1p(-p) - np.log(p))


_op(name="binary_cross_entropy", symbol="BCE", arity=2,
    forward=lambda xp, p, t, k: _bce_forward(p, t, k),
    local=None, vjp=(_bce_dp, _bce_dt),
    expr=-(y * ln(x) + (1 - y) * ln(1 - x)), derivs=((x - y) / (x * (1 - x)), ln(1 - x) - ln(x)),
    domain="bce")


# ---------------------------------------------------------------- domains of elementwise ops on arrays
# The scalar `check`s above read one number. On an array the Tensor first finds the bad entries
# with these masks, then lets the op's own `check` word the error on the first of them.
def _pow_bad(x, k):
    k = np.asarray(k)
    return (((x == 0) & ((k < 0) | ((0 < k) & (k < 1))))
            | ((x < 0) & (k != np.floor(k))))


ARRAY_DOMAIN = {
    "log": lambda x, k: x <= 0,
    "sqrt": lambda x, k: x < 0,
    "div": lambda x, y, k: np.broadcast_to(y == 0, np.broadcast_shapes(np.shape(x), np.shape(y))),
    "pow": lambda x, k: _pow_bad(x, k) if (k < 1 and k != 0) or k != int(k) else None,
    "pow_xy": lambda x, y, k: _pow_bad(*np.broadcast_arrays(x, y)),
}
"""op name -> mask(x, [y,] k) of the entries outside the op's domain (None: none can be)."""
