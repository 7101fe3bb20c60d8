"""The op table: every primitive operation in one place, one entry each, read top to bottom.

Each entry (an :class:`~microgradfr.op.Op`) holds, side by side,

- ``forward(xp, x, [y,] k)``: the value ``out`` of the op;
- ``local(xp, x, [y,] out, k)``: the local derivatives ``∂out/∂x`` (and ``∂out/∂y``),
  one per input, in input order;
- ``symbol``: the display name drawn in a diagram (``"*"``, ``"tanh"``);
- ``expr`` and ``derivs``: the op and each local derivative as formula trees
  (:mod:`microgradfr.formula`) in the placeholders ``x, y, (z), out, k`` (and ``g`` for the
  Tensor ops' vector-Jacobian products), from which ``formula(i)`` prints ``∂(x·y)/∂x = y``;
- ``domain``: the inputs it accepts and where the tests sample them (:mod:`microgradfr.domains`),
  read by Value's checks, the Tensor's masks and the Hypothesis strategies; ``REAL`` when omitted.

``xp`` is the namespace the rules compute with (:mod:`microgradfr.kernels.elementwise`):
:data:`SCALAR` (``math`` on Python floats) for :class:`~microgradfr.engine.Value`, :data:`ARRAY`
(``numpy``) for the Tensor. The same rule serves both. The longer numerics live in
:mod:`microgradfr.kernels`, each module stating its math first.

Fixed names (see STYLE.md): ``x, y`` inputs, ``out`` the result, ``k`` the op's setting (an
exponent, a slope). The engine multiplies each local derivative by the upstream gradient ``g``.
"""
from __future__ import annotations

from functools import partial

import numpy as np

from . import domains as dom
from .domains.arrays import CAT, COPY, STACK, WHERE
from .formula import Num, Raw, Sym, call, exp, g, gt, k, ln, out, sigmoid, sqrt, tanh, where, x, y
from .formula import weighted_sum as wsum
from .kernels import arrays as ka
from .kernels import conv, losses, norm
from .kernels.elementwise import (
    ARRAY,
    SCALAR,
    dpow_dx,
    dpow_dy,
    leaky_slope,
    weighted_sum,
    weighted_sum_local,
)
from .op import Op, register

__all__ = ["Op", "OPS", "SCALAR", "ARRAY"]

OPS: dict[str, Op] = {}
_op = partial(register, OPS)


# =========================================================================== scalar ops
# Elementwise: the same entry serves Value (xp = SCALAR) and Tensor (xp = ARRAY, entry by entry).

# ---------------------------------------------------------------- arithmetic
# Subtraction and division are primitives of their own, not x + (−1)·y and
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
    expr=x / y, derivs=(1 / y, -x / y ** 2), domain=dom.NONZERO_DENOMINATOR)
_op(name="neg", symbol="−", arity=1,
    forward=lambda xp, x, k: -x,
    local=lambda xp, x, out, k: (-1.0,),
    expr=-x, derivs=(Num(-1),))
# x ** 0 is the constant 1, so its derivative is 0 everywhere, at x = 0 too (as PyTorch).
_op(name="pow", symbol="**", arity=1,
    forward=lambda xp, x, k: x ** k,
    local=lambda xp, x, out, k: (0.0 if k == 0 else k * x ** (k - 1),),
    expr=x ** k, derivs=(k * x ** (k - 1),), domain=dom.POWER, k_default=3)
# x ** y with a node as exponent: ∂/∂y = x^y·ln x (see kernels.elementwise.dpow_dy for x ≤ 0).
_op(name="pow_xy", symbol="**", arity=2,
    forward=lambda xp, x, y, k: x ** y,
    local=lambda xp, x, y, out, k: (dpow_dx(xp, x, y), dpow_dy(xp, x, out)),
    expr=x ** y, derivs=(y * x ** (y - 1), x ** y * ln(x)), domain=dom.POWER_XY)

# ---------------------------------------------------------------- elementary functions
_op(name="exp", symbol="exp", arity=1,
    forward=lambda xp, x, k: xp.exp(x),
    local=lambda xp, x, out, k: (out,),
    expr=exp(x), derivs=(exp(x),), domain=dom.MODERATE)
_op(name="log", symbol="log", arity=1,
    forward=lambda xp, x, k: xp.log(x),
    local=lambda xp, x, out, k: (1.0 / x,),
    expr=ln(x), derivs=(1 / x,), domain=dom.POSITIVE)
_op(name="sqrt", symbol="√", arity=1,
    forward=lambda xp, x, k: xp.sqrt(x),
    local=lambda xp, x, out, k: (0.5 / out,),
    expr=sqrt(x), derivs=(1 / (2 * sqrt(x)),), domain=dom.NONNEGATIVE)
# |x| has no derivative at 0; like PyTorch we take sign(0) = 0.
_op(name="abs", symbol="abs", arity=1,
    forward=lambda xp, x, k: xp.abs(x),
    local=lambda xp, x, out, k: (xp.sign(x) * 1.0,),
    expr=call("abs", x), derivs=(call("sign", x),), domain=dom.KINK_AT_ZERO)
_op(name="sin", symbol="sin", arity=1,
    forward=lambda xp, x, k: xp.sin(x),
    local=lambda xp, x, out, k: (xp.cos(x),),
    expr=call("sin", x), derivs=(call("cos", x),))
_op(name="cos", symbol="cos", arity=1,
    forward=lambda xp, x, k: xp.cos(x),
    local=lambda xp, x, out, k: (-xp.sin(x),),
    expr=call("cos", x), derivs=(-call("sin", x),))

# ---------------------------------------------------------------- activations
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
    expr=call("relu", x), derivs=(where(gt(x, 0), 1, 0),), domain=dom.KINK_AT_ZERO)

_op(name="leaky_relu", symbol="LeakyReLU", arity=1,
    forward=lambda xp, x, k: xp.where(x > 0, x, k * x),
    local=lambda xp, x, out, k: (leaky_slope(xp, x, k),),
    expr=call("leaky_relu", x, k), derivs=(where(gt(x, 0), 1, k),), domain=dom.KINK_AT_ZERO, k_default=0.01)
_op(name="elu", symbol="ELU", arity=1,
    forward=lambda xp, x, k: xp.where(x > 0, x, k * xp.expm1(xp.minimum(x, 0.0))),
    local=lambda xp, x, out, k: (xp.where(x > 0, 1.0, out + k),),
    expr=call("elu", x, k), derivs=(where(gt(x, 0), 1, k * exp(x)),), domain=dom.KINK_AT_ZERO, k_default=1.0)
_op(name="softplus", symbol="softplus", arity=1,
    forward=lambda xp, x, k: xp.softplus(x),
    local=lambda xp, x, out, k: (xp.sigmoid(x),),
    expr=ln(1 + exp(x)), derivs=(sigmoid(x),))

# ---------------------------------------------------------------- the fused neuron
# One neuron's pre-activation z = Σ wᵢ·xᵢ + b as a single node, inputs (w₁..wₙ, x₁..xₙ, b) with
# k = n: the "somme pondérée" of the course. It saves 2n nodes per neuron (the speed of the scalar
# MLP depends on it); the renderer can expand it back into its × and + nodes. (Not named "linear":
# that is the Tensor's F.linear below, x @ Wᵀ + b for a whole layer.)
_op(name="weighted_sum", symbol="Σwx+b", arity=-1,
    forward=weighted_sum, local=weighted_sum_local,  # (xp, w₁..wₙ, x₁..xₙ, b, [out,] k)
    expr=Raw("Σ wᵢ·xᵢ + b", "Σ wᵢ·xᵢ + b", r"\sum_i w_i x_i + b"), derivs=wsum.DERIVS,
    fused=True, deriv_of=wsum.deriv_tree, expr_of=wsum.expression_tree, placeholders=("wᵢ", "xᵢ", "b"))


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
# The longer rules are in microgradfr/kernels/arrays.py (ka.*).

# ---------------------------------------------------------------- matrix products
_op(name="matmul", symbol="@", arity=2,
    forward=lambda xp, x, y, k: x @ y,
    local=None, vjp=(ka.matmul_dx, ka.matmul_dy),
    expr=x @ y, derivs=(g @ call("T", y), call("T", x) @ g), domain=dom.MATMUL)
# A dense layer's x @ Wᵀ + b as one node (PyTorch's F.linear, "addmm" in its graphs), inputs
# (x, W[, b]) with W of shape (out_features, in_features). Fused for speed: one node instead of
# three, and ∂L/∂W = gᵀ @ x comes out directly in W's layout. x may have leading batch axes.
_op(name="linear", symbol="xWᵀ+b", arity=-1,
    forward=lambda xp, *xs_k: ka.linear_forward(*xs_k),
    local=None, vjp=(ka.linear_dx, ka.linear_dw, ka.linear_db),
    expr=x @ call("T", y) + Sym("z"), derivs=(g @ y, call("T", g) @ x, call("sum", g)), domain=dom.LINEAR,
    placeholders=("x", "W", "b"))

# ---------------------------------------------------------------- reductions
# k = (axis, keepdims), axis a tuple of non-negative axes or None (all of them).
_op(name="sum", symbol="Σ", arity=1,
    forward=lambda xp, x, k: np.sum(x, axis=k[0], keepdims=k[1]),
    local=None, vjp=(lambda g, x, out, k: ka.expand(g, x.shape, *k),),
    expr=call("sum", x),
    derivs=(Raw("1 (g recopié sur chaque entrée sommée)", "1 (g copied to every summed entry)"),),
    domain=dom.REDUCE)
_op(name="mean", symbol="mean", arity=1,
    forward=lambda xp, x, k: np.mean(x, axis=k[0], keepdims=k[1]),
    local=None, vjp=(lambda g, x, out, k: ka.expand(g / ka.count(x.shape, k[0]), x.shape, *k),),
    expr=call("mean", x),
    derivs=(Raw("1/n (g partagé entre les n entrées moyennées)",
                "1/n (g shared by the n averaged entries)"),),
    domain=dom.REDUCE)
# Ties share the gradient equally (as torch.amax); the maximum itself has no derivative there.
_op(name="max", symbol="max", arity=1,
    forward=lambda xp, x, k: np.max(x, axis=k[0], keepdims=k[1]),
    local=None, vjp=(lambda g, x, out, k: ka.max_dx(g, x, out, *k),),
    expr=call("max", x),
    derivs=(Raw("1 là où {x} est le maximum, 0 ailleurs", "1 where {x} is the maximum, else 0"),),
    domain=dom.REDUCE_DISTINCT)

# ---------------------------------------------------------------- shapes
# Shape ops move entries around; their rules move the gradient back.
_op(name="reshape", symbol="reshape", arity=1,
    forward=lambda xp, x, k: x.reshape(k),
    local=None, vjp=(lambda g, x, out, k: g.reshape(x.shape),),
    expr=call("reshape", x), derivs=(Raw("g remis à la forme de {x}", "g reshaped back"),),
    domain=dom.RESHAPE)
_op(name="transpose", symbol="ᵀ", arity=1,
    forward=lambda xp, x, k: np.transpose(x, k),
    local=None, vjp=(lambda g, x, out, k: np.transpose(g, np.argsort(k)),),
    expr=call("T", x), derivs=(Raw("g transposé en retour", "g transposed back"),), domain=dom.TRANSPOSE)
# clone: k = the copy's dtype, None to keep x's (x.float() is a clone to float32, as torch's _to_copy).
_op(name="clone", symbol="clone", arity=1,
    forward=lambda xp, x, k: np.array(x, dtype=k, copy=True),
    local=None, vjp=(lambda g, x, out, k: g.astype(x.dtype, copy=False),),
    expr=call("clone", x), derivs=(Num(1),), domain=COPY)
_op(name="getitem", symbol="[ ]", arity=1,
    forward=lambda xp, x, k: x[k],
    local=None, vjp=(lambda g, x, out, k: ka.getitem_dx(g, x, k),),
    expr=Raw("{x}[k]", "{x}[k]", "{x}[k]"),
    derivs=(Raw("g remis aux entrées choisies (additionné où elles se répètent)",
                "g put back at the selected entries (summed where repeated)"),), domain=dom.INDEX)

# ---------------------------------------------------------------- joining (n inputs, k = axis)
# cat lays its inputs end to end along an axis, stack along a new one; each input's rule cuts its
# own piece out of g (kernels/arrays.py). A node joins at most ka.MAX_INPUTS; the Tensor groups more.
_op(name="cat", symbol="cat", arity=-1,
    forward=lambda xp, *xs_k: ka.cat_forward(*xs_k),
    local=None, vjp=ka.cat_rules(),
    expr=call("cat", x, y),
    derivs=(Raw("la tranche de g que {x} occupe", "the slice of g that {x} fills"),),  # each input alike
    expr_of=lambda names: call("cat", *map(Sym, names)),
    domain=CAT)
_op(name="stack", symbol="stack", arity=-1,
    forward=lambda xp, *xs_k: ka.stack_forward(*xs_k),
    local=None, vjp=ka.stack_rules(),
    expr=call("stack", x, y),
    derivs=(Raw("la part de g à l'indice de {x}", "g's entry at {x}'s index"),),  # each input alike
    expr_of=lambda names: call("stack", *map(Sym, names)),
    domain=STACK)

# ---------------------------------------------------------------- selecting (inputs: condition, x, y)
# where(c, x, y): x's entry where the boolean c holds, y's elsewhere (the three broadcast together).
# The condition gets no gradient; x and y get g where they were chosen, an exact 0 elsewhere.
_op(name="where", symbol="where", arity=3,
    forward=lambda xp, c, x, y, k: np.where(c, x, y),
    local=None, vjp=(None, ka.where_dx, ka.where_dy),
    expr=where(x, y, Sym("z")),  # reads "x if c else y": torch's name "where" is not French
    derivs=(Raw("aucune (un masque de booléens)", "none (a mask of booleans)"),
            where(x, 1, 0), where(x, 0, 1)),
    domain=WHERE, placeholders=("c", "x", "y"))

# ---------------------------------------------------------------- softmax
# Softmax along k = axis. Both are fused for stability: subtracting the max keeps e^x finite at
# ±1000, and log_softmax never takes the log of an underflowed 0.
_op(name="softmax", symbol="softmax", arity=1,
    forward=lambda xp, x, k: losses.softmax(x, k),
    local=None, vjp=(lambda g, x, out, k: out * (g - np.sum(g * out, axis=k, keepdims=True)),),
    expr=call("softmax", x), derivs=(out * (g - call("sum", g * out)),), domain=dom.SOFTMAX)
_op(name="log_softmax", symbol="log_softmax", arity=1,
    forward=lambda xp, x, k: losses.log_softmax(x, k),
    local=None, vjp=(lambda g, x, out, k: g - np.exp(out) * np.sum(g, axis=k, keepdims=True),),
    expr=call("log_softmax", x), derivs=(g - call("softmax", x) * call("sum", g),), domain=dom.SOFTMAX)

# ---------------------------------------------------------------- convolution and pooling (NCHW)
# The kernels (im2col on a flat wide grid, work arrays, the pools) and the math they compute are in
# microgradfr/kernels/conv.py, next to a plain reference version the tests hold them equal to.
# conv2d: k = ((sh, sw), (ph, pw)): stride and padding, each (down, across)
_op(name="conv2d", symbol="conv2d", arity=-1,
    forward=lambda xp, *xs_k: conv.conv2d_forward(*xs_k),
    local=None, vjp=(conv.conv2d_dx, conv.conv2d_dw, conv.conv2d_db),
    expr=Raw("{x} ⋆ {y} + {z}", "{x} ⋆ {y} + {z}", r"{x} \star {y} + {z}"),
    derivs=(Raw("g ⋆ {y} (convolution transposée)", "g ⋆ {y} (transposed convolution)"),
            Raw("Σ g·fenêtres({x})", "Σ g·windows({x})"), call("sum", g)),
    domain=dom.CONV2D, placeholders=("x", "w", "b"))
# pools: k = ((kh, kw), (sh, sw), (ph, pw)): window, stride and padding, each (down, across)
_op(name="max_pool2d", symbol="max_pool2d", arity=1,
    forward=lambda xp, x, k: conv.max_pool_forward(x, k),
    local=None, vjp=(conv.max_pool_dx,),
    expr=call("max_pool", x),
    derivs=(Raw("g au maximum de chaque fenêtre, 0 ailleurs",
                "g at the maximum of each window, 0 elsewhere"),),
    domain=dom.POOL_DISTINCT)
_op(name="avg_pool2d", symbol="avg_pool2d", arity=1,
    forward=lambda xp, x, k: conv.avg_pool_forward(x, k),
    local=None, vjp=(conv.avg_pool_dx,),
    expr=call("avg_pool", x),
    derivs=(Raw("g/(kh·kw) vers chaque entrée de chaque fenêtre",
                "g/(kh·kw) to every entry of each window"),),
    domain=dom.POOL)

# ---------------------------------------------------------------- normalisation and losses
# batch_norm: inputs (x, [weight, bias]); k = kernels.norm.BatchNormK. Channels are axis 1; statistics
# are taken over every other axis. x̂ = (x − μ)/√(σ² + ε), out = weight·x̂ + bias.
_op(name="batch_norm", symbol="batch_norm", arity=-1,
    forward=lambda xp, *xs_k: norm.forward(*xs_k),
    local=None,
    vjp=(norm.dx,
         lambda g, x, w, b, out, k: (g * norm.xhat(x, k)).sum(axis=norm.axes(x)),
         lambda g, x, w, b, out, k: g.sum(axis=norm.axes(x))),
    expr=y * (x - Sym("μ")) / sqrt(Sym("σ") ** 2 + Sym("ε")) + Sym("z"),
    derivs=(y / sqrt(Sym("σ") ** 2 + Sym("ε"))
            * (g - call("mean", g) - Sym("x̂") * call("mean", g * Sym("x̂"))),
            call("sum", g * Sym("x̂")), call("sum", g)),
    domain=dom.BATCH_NORM, placeholders=("x", "w", "b"))
# cross_entropy: inputs (logits (N, C), targets (N,) class indices); k = reduction.
# Fused log_softmax + negative log-likelihood: stable, and its gradient is simply softmax − onehot.
_op(name="cross_entropy", symbol="cross_entropy", arity=2,
    forward=lambda xp, x, t, k: losses.cross_entropy_forward(x, t, k),
    local=None, vjp=(losses.cross_entropy_dx, None),
    expr=Raw("−ln softmax({x})[{y}]", "−ln softmax({x})[{y}]", r"-\ln \operatorname{softmax}({x})[{y}]"),
    derivs=(call("softmax", x) - call("onehot", y),
            Raw("aucune (indices de classes)", "none (class indices)")),
    domain=dom.CROSS_ENTROPY)
# binary_cross_entropy: inputs (p, t) with p in [0, 1]; k = reduction. As PyTorch, each log is
# clamped at −100 (so p = 0 gives a loss of 100, not inf) and the gradient's denominator p(1 − p)
# at 1e-12.
_op(name="binary_cross_entropy", symbol="BCE", arity=2,
    forward=lambda xp, p, t, k: losses.bce_forward(p, t, k),
    local=None, vjp=(losses.bce_dp, losses.bce_dt),
    expr=-(y * ln(x) + (1 - y) * ln(1 - x)), derivs=((x - y) / (x * (1 - x)), ln(1 - x) - ln(x)),
    domain=dom.BCE)
