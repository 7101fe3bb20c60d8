"""The op table: every primitive operation in one place.

Each entry holds, side by side,

- ``forward(xp, x, [y,] k)``: the value ``out`` of the op;
- ``local(xp, x, [y,] out, k)``: the local derivatives ``∂out/∂x`` (and ``∂out/∂y``),
  one per input, in input order;
- ``symbol``: the display name drawn in a diagram (``"*"``, ``"tanh"``);
- ``expr`` and ``derivs``: the op and its derivatives as a student writes them, from which
  ``formula(i)`` builds ``∂(x·y)/∂x = y``;
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
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Callable

import numpy as np

__all__ = ["Op", "OPS", "SCALAR", "op_by_name"]


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


def _softplus(x):
    """log(1 + e^x) = max(x, 0) + log1p(e^(−|x|)), stable for any x."""
    return max(x, 0.0) + math.log1p(math.exp(-abs(x)))


SCALAR = SimpleNamespace(
    exp=_exp, log=math.log, sqrt=math.sqrt, tanh=math.tanh, sin=math.sin, cos=math.cos,
    abs=abs, expm1=math.expm1, sigmoid=_sigmoid, softplus=_softplus,
    where=lambda cond, a, b: a if cond else b,
    sign=lambda x: (x > 0) - (x < 0),
    minimum=min,
)
"""The ``xp`` namespace for Python floats: ``math`` plus the few functions numpy has and math lacks."""


def _np_sigmoid(x):
    """σ(x) for arrays, stable at ±1000: 1/(1+e^(−x)) for x ≥ 0, e^x/(1+e^x) for x < 0."""
    z = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0 / (1.0 + z), z / (1.0 + z))


def _np_softplus(x):
    return np.maximum(x, 0) + np.log1p(np.exp(-np.abs(x)))


ARRAY = SimpleNamespace(
    exp=np.exp, log=np.log, sqrt=np.sqrt, tanh=np.tanh, sin=np.sin, cos=np.cos,
    abs=np.abs, expm1=np.expm1, sigmoid=_np_sigmoid, softplus=_np_softplus,
    where=np.where, sign=np.sign, minimum=np.minimum,
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
    expr: str                 # the op as written: "{x}·{y}"
    derivs: tuple             # each local derivative as written: ("{y}", "{x}")
    domain: str = "real"      # input domain for checks and Hypothesis strategies
    check: Callable | None = field(default=None, repr=False)  # check(x, [y,] k) raises on bad input
    k_default: object = None  # the setting used when the tests enumerate the table
    fused: bool = False       # an n-ary shortcut (a neuron's w·x + b) that the renderer may expand
    deriv_of: Callable | None = field(default=None, repr=False)  # n-ary ops: (i, input names) -> text

    def formula(self, i: int = 0, names: dict | None = None) -> str:
        """The chain-rule factor for input ``i`` as a student writes it.

        >>> OPS["mul"].formula(0)
        '∂(x·y)/∂x = y'
        >>> OPS["mul"].formula(1, {"x": "w1", "y": "x"})
        '∂(w1·x)/∂x = w1'
        """
        names = _names(names)
        wrt = names["y"] if (self.arity == 2 and i == 1) else names["x"]
        return f"∂({self.expr.format(**names)})/∂{wrt} = {self.deriv(i, names)}"

    def deriv(self, i: int = 0, names: dict | None = None) -> str:
        """The local derivative ∂out/∂input_i alone, e.g. ``'2·c'`` for ``c**2``."""
        names = _names(names)
        if self.deriv_of is not None:
            return self.deriv_of(i, names.get("inputs", ()))
        return self.derivs[i].format(**names)


def _names(names):
    """Fill in the placeholders of ``expr``/``derivs``: x, y, out, k, and the powers of k.

    ``ksup`` writes x^k as a student does (``c²``), ``k1sup`` the power k − 1 (empty for 1).
    """
    full = {"x": "x", "y": "y", "out": "out", "k": "k", "ksup": "^k", "k1sup": "^(k−1)"}
    full.update(names or {})
    k = full["k"]
    if isinstance(k, (int, float)) and not isinstance(k, bool):
        full["k"] = _fmt(k)
        full["ksup"] = _power(k)
        full["k1sup"] = _power(k - 1)
    return full


_SUPERSCRIPT = str.maketrans("0123456789-", "⁰¹²³⁴⁵⁶⁷⁸⁹⁻")


def _power(k) -> str:
    """The exponent of x^k as written: '' for 1, '²' for 2, '⁻¹' for −1, '^0.5' otherwise."""
    if k == 1:
        return ""
    if float(k).is_integer():
        return str(int(k)).translate(_SUPERSCRIPT)
    return f"^{_fmt(k)}"


def _fmt(v):
    """A number as a student writes it: 2 not 2.0, −1 with a real minus sign."""
    text = f"{v:g}" if isinstance(v, float) else str(v)
    return text.replace("-", "−")


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
    expr="{x} + {y}", derivs=("1", "1"))
_op(name="sub", symbol="−", arity=2,
    forward=lambda xp, x, y, k: x - y,
    local=lambda xp, x, y, out, k: (1.0, -1.0),
    expr="{x} − {y}", derivs=("1", "−1"))
_op(name="mul", symbol="×", arity=2,
    forward=lambda xp, x, y, k: x * y,
    local=lambda xp, x, y, out, k: (y, x),
    expr="{x}·{y}", derivs=("{y}", "{x}"))
_op(name="div", symbol="/", arity=2,
    forward=lambda xp, x, y, k: x / y,
    local=lambda xp, x, y, out, k: (1.0 / y, -out / y),
    expr="{x}/{y}", derivs=("1/{y}", "−{x}/{y}²"), domain="nonzero_y", check=_check_div)
_op(name="neg", symbol="−", arity=1,
    forward=lambda xp, x, k: -x,
    local=lambda xp, x, out, k: (-1.0,),
    expr="−{x}", derivs=("−1",))
_op(name="pow", symbol="**", arity=1,
    forward=lambda xp, x, k: x ** k,
    local=lambda xp, x, out, k: (k * x ** (k - 1),),
    expr="{x}{ksup}", derivs=("{k}·{x}{k1sup}",), domain="pow", check=_check_pow, k_default=3)
# x ** y with a Value exponent: ∂/∂y = x^y·ln x (see _dpow_dy for x ≤ 0).
_op(name="pow_xy", symbol="**", arity=2,
    forward=lambda xp, x, y, k: x ** y,
    local=lambda xp, x, y, out, k: (y * x ** (y - 1), _dpow_dy(xp, x, out)),
    expr="{x}^{y}", derivs=("{y}·{x}^({y}−1)", "{x}^{y}·ln {x}"), domain="positive", check=_check_pow_xy)

# Elementary functions.
_op(name="exp", symbol="exp", arity=1,
    forward=lambda xp, x, k: xp.exp(x),
    local=lambda xp, x, out, k: (out,),
    expr="exp({x})", derivs=("exp({x})",), domain="moderate")
_op(name="log", symbol="log", arity=1,
    forward=lambda xp, x, k: xp.log(x),
    local=lambda xp, x, out, k: (1.0 / x,),
    expr="ln {x}", derivs=("1/{x}",), domain="positive", check=_check_log)
_op(name="sqrt", symbol="√", arity=1,
    forward=lambda xp, x, k: xp.sqrt(x),
    local=lambda xp, x, out, k: (0.5 / out,),
    expr="√{x}", derivs=("1/(2√{x})",), domain="positive", check=_check_sqrt)
# |x| has no derivative at 0; like PyTorch we take sign(0) = 0.
_op(name="abs", symbol="abs", arity=1,
    forward=lambda xp, x, k: xp.abs(x),
    local=lambda xp, x, out, k: (xp.sign(x) * 1.0,),
    expr="|{x}|", derivs=("sign({x})",), domain="nonzero")
_op(name="sin", symbol="sin", arity=1,
    forward=lambda xp, x, k: xp.sin(x),
    local=lambda xp, x, out, k: (xp.cos(x),),
    expr="sin {x}", derivs=("cos {x}",))
_op(name="cos", symbol="cos", arity=1,
    forward=lambda xp, x, k: xp.cos(x),
    local=lambda xp, x, out, k: (-xp.sin(x),),
    expr="cos {x}", derivs=("−sin {x}",))

# Activations.
_op(name="tanh", symbol="tanh", arity=1,
    forward=lambda xp, x, k: xp.tanh(x),
    local=lambda xp, x, out, k: (1.0 - out * out,),
    expr="tanh {x}", derivs=("1 − tanh²({x})",))
_op(name="sigmoid", symbol="σ", arity=1,
    forward=lambda xp, x, k: xp.sigmoid(x),
    local=lambda xp, x, out, k: (out * (1.0 - out),),
    expr="σ({x})", derivs=("σ({x})·(1 − σ({x}))",))
# ReLU'(0) = 0, as in PyTorch.
_op(name="relu", symbol="ReLU", arity=1,
    forward=lambda xp, x, k: xp.where(x > 0, x, 0.0),
    local=lambda xp, x, out, k: (xp.where(x > 0, 1.0, 0.0),),
    expr="ReLU({x})", derivs=("1 si {x} > 0 sinon 0",), domain="nonzero")
_op(name="leaky_relu", symbol="LeakyReLU", arity=1,
    forward=lambda xp, x, k: xp.where(x > 0, x, k * x),
    local=lambda xp, x, out, k: (xp.where(x > 0, 1.0, k),),
    expr="LeakyReLU({x})", derivs=("1 si {x} > 0 sinon {k}",), domain="nonzero", k_default=0.01)
_op(name="elu", symbol="ELU", arity=1,
    forward=lambda xp, x, k: xp.where(x > 0, x, k * xp.expm1(xp.minimum(x, 0.0))),
    local=lambda xp, x, out, k: (xp.where(x > 0, 1.0, out + k),),
    expr="ELU({x})", derivs=("1 si {x} > 0 sinon ELU({x}) + {k}",), domain="nonzero", k_default=1.0)
_op(name="softplus", symbol="softplus", arity=1,
    forward=lambda xp, x, k: xp.softplus(x),
    local=lambda xp, x, out, k: (xp.sigmoid(x),),
    expr="ln(1 + e^{x})", derivs=("σ({x})",))

# Fused: one neuron's pre-activation z = Σ wᵢ·xᵢ + b as a single node, inputs (w₁..wₙ, x₁..xₙ, b)
# with k = n. It saves 2n nodes per neuron (the speed of the scalar MLP depends on it); the
# renderer can expand it back into its × and + nodes.
_op(name="linear", symbol="Σwx+b", arity=-1,
    forward=lambda xp, *xs_k: _linear_forward(*xs_k),
    local=lambda xp, *xs_out_k: _linear_local(*xs_out_k),
    expr="Σ wᵢ·xᵢ + b", derivs=("xᵢ", "wᵢ", "1"), fused=True,
    deriv_of=lambda i, inputs: _linear_deriv_text(i, inputs))


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


def _linear_deriv_text(i, inputs):
    """∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1, with the parents' own names."""
    n = (len(inputs) - 1) // 2
    if i == 2 * n or not inputs:
        return "1"
    return inputs[i + n] if i < n else inputs[i - n]


def op_by_name(name: str) -> Op:
    """The table entry called ``name``; a clear error for an unknown one."""
    try:
        return OPS[name]
    except KeyError:
        raise ValueError(f"unknown op {name!r}; the op table has: {', '.join(OPS)}") from None
