"""The scalar engine: a :class:`Value` records each operation into a graph and back-propagates.

Every operation goes through :func:`apply`, which reads the op table (``ops.py``): the forward
value and the local derivatives ∂out/∂input are computed once, when the node is made.
``backward()`` then needs no closures: in reverse topological order, each node adds
``local · g`` to each parent's gradient (the chain rule), where ``g`` is its own gradient.

>>> w1, x, w2, y = Value(2.0), Value(-1.5), Value(0.5), Value(3.0)
>>> L = (w1 * x + w2 * y) ** 2
>>> L.backward()
>>> L.data, w1.grad                  # L = (−3 + 1.5)² ; ∂L/∂w1 = 2(w1·x + w2·y)·x
(2.25, 4.5)
"""
from __future__ import annotations

import numbers
import os
import sys
import warnings

import numpy as np

from . import autograd
from .autograd import topological_order
from .elementwise import ElementwiseMethods
from .ops import ARRAY, OPS, SCALAR, Op

__all__ = ["Value", "Constant", "apply"]

_ADD, _SUB, _MUL, _DIV, _NEG = OPS["add"], OPS["sub"], OPS["mul"], OPS["div"], OPS["neg"]
_POW, _POW_XY, _LINEAR = OPS["pow"], OPS["pow_xy"], OPS["linear"]


class Value(ElementwiseMethods):
    """A scalar node of a computation graph: its value ``data`` and, after ``backward()``, ``grad``.

    Public node protocol (read by ``viz`` and the tests):

    - ``data``: the forward value (float);
    - ``grad``: ∂root/∂self after a backward pass, 0.0 before one reaches it;
    - ``label``: a name for diagrams (``"w1"``);
    - ``parents``: the inputs of the op that made this node, in order (``x * x`` → ``(x, x)``);
    - ``op``: the op's display name (``"×"``), ``""`` for a leaf;
    - ``fn`` and ``k``: the op table entry (``None`` for a leaf) and its setting (an exponent).
    """

    __slots__ = ("data", "grad", "label", "parents", "fn", "k", "_local")
    # exp, log, tanh, relu, … come from ElementwiseMethods, through this:
    _apply = staticmethod(lambda op, *inputs, k=None: apply(op, *inputs, k=k))

    def __init__(self, data, label: str = ""):
        if isinstance(data, Value):
            raise TypeError("Value(data): data is already a Value; use it directly (or Value(v.data))")
        if not isinstance(data, numbers.Real):
            raise TypeError(f"Value(data) takes a number (int or float), got {type(data).__name__}: "
                            f"{data!r:.60}; for arrays use microgradfr.Tensor")
        self.data = float(data)
        self.grad = 0.0
        self.label = label
        self.parents = ()
        self.fn = None
        self.k = None
        self._local = ()

    # ---------------------------------------------------------------- protocol
    @property
    def op(self) -> str:
        """The op's display name, ``""`` for a leaf."""
        return self.fn.symbol if self.fn is not None else ""

    @property
    def _prev(self) -> set:
        """micrograd's name: the set of parents (use ``parents`` for the ordered tuple)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's name for the op label (``"**2"`` for a square, as micrograd writes it)."""
        if self.fn is _POW:
            return f"**{self.k}"
        return self.op

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data:.6g}, grad={self.grad:.6g}{label})"

    # ---------------------------------------------------------------- backward
    def backward(self) -> None:
        """Back-propagate from this node: afterwards each node's ``grad`` is ∂self/∂node.

        Semantics are PyTorch's: the root is seeded with 1; leaves *accumulate* across calls
        (call ``zero_grad()`` between steps); intermediate nodes hold this pass's gradient only.
        A node used twice receives the sum of both contributions. A result computed inside
        ``with no_grad():`` remembers no operation, so its backward() is an error (as in PyTorch).
        """
        if self._local is _NOT_RECORDED:
            raise RuntimeError("backward(): this Value was computed inside a `with no_grad():` block, so it "
                               "remembers no operation and has nothing to differentiate; compute it "
                               "outside the block to get gradients")
        order = topological_order(self)
        for node in order:
            if node.parents:  # intermediate nodes start afresh; leaves keep accumulating
                node.grad = 0.0
        self.grad += 1.0
        for node in reversed(order):
            g = node.grad
            for parent, local in zip(node.parents, node._local):
                parent.grad += local * g  # the chain rule: ∂root/∂parent += ∂node/∂parent · ∂root/∂node

    # ---------------------------------------------------------------- arithmetic
    def __add__(self, other):
        return apply(_ADD, self, other)

    def __radd__(self, other):
        return apply(_ADD, other, self)

    def __sub__(self, other):
        return apply(_SUB, self, other)

    def __rsub__(self, other):
        return apply(_SUB, other, self)

    def __mul__(self, other):
        return apply(_MUL, self, other)

    def __rmul__(self, other):
        return apply(_MUL, other, self)

    def __truediv__(self, other):
        return apply(_DIV, self, other)

    def __rtruediv__(self, other):
        return apply(_DIV, other, self)

    def __neg__(self):
        return apply(_NEG, self)

    def __pow__(self, other):
        """``x ** k``: a number exponent is the op's setting ``k``; a Value exponent is a parent."""
        if isinstance(other, Value):
            return apply(_POW_XY, self, other)
        if isinstance(other, numbers.Real):
            return apply(_POW, self, k=other)
        return NotImplemented

    def __rpow__(self, other):
        return apply(_POW_XY, other, self)


class NonFiniteDerivativeWarning(RuntimeWarning):
    """A local derivative is inf or NaN (√x at 0): gradients through that node will be too."""


class _NotRecorded(tuple):
    """The empty ``_local`` of a result computed under ``no_grad``, told apart by identity."""


_NOT_RECORDED = _NotRecorded()


class Constant(Value):
    """A plain number inside an expression (the 3 in ``3 * t``): a leaf that viz draws with its value,
    with no gradient box and no backward step. No extra slot: ``constant`` is a class attribute."""

    __slots__ = ()
    constant = True


def _as_value(x) -> Value:
    """A Value as is; a plain number as a :class:`Constant` leaf (drawn with its value)."""
    return x if isinstance(x, Value) else Constant(x)


def apply(op: Op, *inputs, k=None) -> Value:
    """Apply a table op to Values (numbers become constant leaves) and record the node.

    >>> from microgradfr.ops import OPS
    >>> apply(OPS["mul"], Value(3.0), 4).data
    12.0
    """
    inputs = tuple(map(_as_value, inputs))
    xs = [v.data for v in inputs]
    if op.check is not None:
        op.check(*xs, k)
    try:
        data = float(op.forward(SCALAR, *xs, k))
    except OverflowError:
        raise OverflowError(f"{_call_text(op, xs, k)}: the result is too large for a float (above about "
                            "1.8e308); rescale the inputs or use a smaller exponent") from None
    except (ValueError, ZeroDivisionError) as error:  # where the table has no check: sin(inf)
        raise type(error)(f"{_call_text(op, xs, k)}: there is no real value here; an "
                          "infinite input usually comes from an overflow earlier, such as exp of a "
                          "large number") from None
    out = Value.__new__(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if autograd._grad_mode.enabled:
        out.parents = inputs
        out.fn = op
        out.k = k
        try:
            out._local = op.local(SCALAR, *xs, data, k)
        except (ZeroDivisionError, OverflowError, ValueError):
            out._local = _ieee_local(op, xs, data, k)
    else:
        out.parents = ()
        out.fn = None
        out.k = None
        out._local = _NOT_RECORDED
    return out


def _call_text(op: Op, xs, k) -> str:
    """How a student would write the call: ``pow(10) with k = 400``."""
    shown = ", ".join(f"{x:g}" for x in xs[:4]) + (", …" if len(xs) > 4 else "")
    setting = f" with k = {k:g}" if isinstance(k, (int, float)) else ""
    return f"{op.name}({shown}){setting}"


def scalar_local(op: Op, xs, out, k) -> tuple:
    """The local derivatives ∂out/∂input of ``op`` at these floats, as the engine records them.

    Where Python's floats refuse (1/0, an overflowing power) the IEEE value numpy gives: inf, or
    NaN where inf meets 0, so √x at 0 has the derivative 1/(2√0) = inf, as in PyTorch.

    >>> from microgradfr.ops import OPS
    >>> scalar_local(OPS["sqrt"], [0.0], 0.0, None)
    (inf,)
    """
    try:
        return tuple(op.local(SCALAR, *xs, out, k))
    except (ZeroDivisionError, OverflowError, ValueError):
        with np.errstate(all="ignore"):
            arrays = [np.asarray(x, dtype=np.float64) for x in (*xs, out)]
            return tuple(float(d) for d in op.local(ARRAY, *arrays, k))


def _ieee_local(op: Op, xs, out, k) -> tuple:
    """:func:`scalar_local` where Python refused, with a warning naming the op (not a ZeroDivisionError)."""
    local = scalar_local(op, xs, out, k)
    shown = ", ".join(map(repr, local))
    warnings.warn(f"{_call_text(op, xs, k)}: the derivative is not finite here ({shown}); "
                  "a gradient that flows through this node will be inf or nan, as in PyTorch; "
                  "for a finite one, move the input away from this point",
                  NonFiniteDerivativeWarning, stacklevel=_user_stacklevel())
    return local


def _user_stacklevel() -> int:
    """The stacklevel of the first caller outside microgradfr, so a warning shows the user's line."""
    package = os.path.dirname(__file__)
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level


def linear(w, x, b) -> Value:
    """One fused node z = Σ wᵢ·xᵢ + b (a neuron's pre-activation): 1 node instead of 2n.

    >>> linear([Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)], Value(0.5)).data
    2.5
    """
    if len(w) != len(x):
        raise ValueError(f"linear: {len(w)} weights but {len(x)} inputs; a neuron needs one weight per input")
    return apply(_LINEAR, *w, *x, b, k=len(w))
