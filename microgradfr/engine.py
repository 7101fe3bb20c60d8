"""The scalar engine: a :class:`Value` records each operation into a graph and back-propagates.

Every operation reads the op table (``ops.py``): its forward value when the node is made, its
local derivatives ∂out/∂input when the backward pass reaches the node. ``backward()`` needs no
closures: in reverse topological order, each node adds ``local · g`` to each parent's gradient
(the chain rule), where ``g`` is its own gradient.

>>> w1, x, w2, y = Value(2.0), Value(-1.5), Value(0.5), Value(3.0)
>>> L = (w1 * x + w2 * y) ** 2
>>> L.backward()
>>> L.data, w1.grad                  # L = (−3 + 1.5)² ; ∂L/∂w1 = 2(w1·x + w2·y)·x
(2.25, 4.5)

Code written for micrograd runs as is: ``Value(data, _children, _op)``, ``_prev``, ``_op`` and
``node._backward()``, one node's step of the chain rule, to back-propagate by hand:

>>> a, b = Value(2.0), Value(-3.0)
>>> c = a * b
>>> c.grad = 1.0
>>> c._backward()                    # ∂c/∂a = b, ∂c/∂b = a
>>> a.grad, b.grad
(-3.0, 2.0)
"""
from __future__ import annotations

import numbers
import os
import sys
import warnings

import numpy as np

from . import i18n
from .autograd import _MANY, _ONE, PackedParents, _everyone_records, _grad_mode, _packed_order
from .node_methods import NodeMethods, install_operators, record
from .ops import ARRAY, OPS, SCALAR, Op

__all__ = ["Value", "Constant", "apply", "scalar_local", "NonFiniteDerivativeWarning"]

_POW, _WEIGHTED_SUM = OPS["pow"], OPS["weighted_sum"]
_MICROGRAD_SPELLING = str.maketrans({"×": "*", "−": "-"})  # micrograd writes its ops in ASCII


def _binary_method(op: Op, reflected: bool = False):
    """The method ``x.__mul__(y)`` (``__rmul__`` when ``reflected``) for a two-input table op.

    It does what ``apply(op, x, y)`` does, with the entry's functions read once, here, rather
    than at each call: building an expression graph is mostly making nodes. For the same reason
    it writes :func:`~microgradfr.node_methods.record` out (the call would cost 10 % of ``x * y``),
    and an op with a domain to check (÷) or a reflected one (``2 * x``) wraps the plain method
    rather than testing for it in every ``x * y``.
    """
    forward = op.forward

    def method(x, y):  # x ∘ y
        if y.__class__ is not Value:
            y = _as_value(y)
        out = _new(Value)
        try:
            out.data = forward(SCALAR, x.data, y.data, None)
        except OverflowError:
            raise _overflow(op, (x.data, y.data), None) from None
        except (ValueError, ZeroDivisionError) as error:
            raise _no_value(op, (x.data, y.data), None, error) from None
        out.grad = 0.0
        out.label = ""
        out.k = None
        if _everyone_records.on or _grad_mode.enabled:  # record(), inlined (see above)
            out._x = x  # parents (x, y), packed: see autograd.PackedParents
            out._y = y
            out.fn = op
        else:
            out._x = None
            out.fn = None
            out._by_hand = _NOT_RECORDED
        return out

    if op.check is not None:
        method = _checked(op.check, method)
    if reflected:
        straight = method
        method = lambda x, y: straight(_as_value(y), x)  # noqa: E731 - y ∘ x, y a number
    return method


def _checked(check, method):
    """``method`` after the domain's check of its two inputs (x / 0 is refused before computing)."""
    def checked(x, y):
        if y.__class__ is not Value:
            y = _as_value(y)
        check(x.data, y.data, None)
        return method(x, y)
    return checked


class Value(PackedParents, NodeMethods):
    """A scalar node of a computation graph: its value ``data`` and, after ``backward()``, ``grad``.

    Public node protocol (read by ``viz`` and the tests):

    - ``data``: the forward value (float);
    - ``grad``: ∂root/∂self after a backward pass, 0.0 before one reaches it;
    - ``label``: a name for diagrams (``"w1"``);
    - ``parents``: the inputs of the op that made this node, in order (``x * x`` → ``(x, x)``);
    - ``op``: the op's display name (``"×"``), ``""`` for a leaf;
    - ``fn`` and ``k``: the op table entry (``None`` for a leaf) and its setting (an exponent).

    micrograd's names work too: ``Value(data, _children, _op, label)``, ``_prev`` (the parents
    as a set), ``_op`` (``'*'``, ``'**2'``) and ``_backward()``.
    """

    # _by_hand: what micrograd lets a user set (see _ByHand), None if nothing; _stepped: True once
    # this node's backward step has run. Both stay unset on the nodes ops make (one store fewer
    # each, on the hot path): read them with getattr(node, name, default).
    __slots__ = ("data", "grad", "label", "fn", "k", "_by_hand", "_stepped")  # parents: _x, _y
    # +, −, ×, /, **, -x: set by install_operators (below, after _unary), from node_methods.OPERATORS;
    # op, exp, tanh, relu, …: from NodeMethods, through ``_apply`` (set to _unary below)

    def __init__(self, data, _children=(), _op: str = "", label: str = ""):
        """``Value(2.0, label="a")``; micrograd's ``Value(5.0, (a, b), '+')`` records a node made
        by hand, whose gradient flows only through a ``_backward`` you give it (as in micrograd).

        ``Value(2.0, "a")``, a string second, is read as the label: children are never strings.
        """
        self.data = data if data.__class__ is float else _number(data)
        self.grad = 0.0
        self.fn = None
        self.k = None
        if _children or _op:
            self._made_by_hand(_children, _op, label)
        else:
            self.label = label
            self._x = None  # no parents (see autograd.PackedParents)
            self._by_hand = None

    def _made_by_hand(self, children, op, label):
        if isinstance(children, str):  # Value(2.0, "a"): the label, given second
            children, label = (), children
        self.label = label
        self.parents = _hand_parents(children)
        self._by_hand = _ByHand(op) if (children or op) else None

    # ---------------------------------------------------------------- protocol
    def _op_without_entry(self) -> str:
        """``op`` without a table entry: micrograd's name for a node made by hand, else ``""``."""
        by_hand = getattr(self, "_by_hand", None)
        return by_hand.op if by_hand is not None else ""

    @property
    def _prev(self) -> set:
        """micrograd's name: the set of parents (use ``parents`` for the ordered tuple)."""
        return set(self.parents)

    @property
    def _op(self) -> str:
        """micrograd's name for the op, spelled as micrograd does: ``'*'``, ``'+'``, ``'**2'``."""
        if self.fn is _POW:
            return f"**{self.k}"
        return self.op.translate(_MICROGRAD_SPELLING)

    @property
    def _backward(self):
        """micrograd's step by hand: ``node._backward()`` adds ∂node/∂parent · node.grad to each
        parent's ``grad``, once. Called from the root down, node by node, it back-propagates by
        hand. A function assigned to it (micrograd's way of writing an op) becomes the node's rule.
        """
        return self._step_by_hand

    @_backward.setter
    def _backward(self, function):
        if not callable(function):
            raise TypeError(i18n.message("engine.backward_setter", cls=type(self).__name__, value=function))
        by_hand = getattr(self, "_by_hand", None)
        if by_hand is None or by_hand is _NOT_RECORDED:
            by_hand = _ByHand(self.op)
        by_hand.backward = function
        self._by_hand = by_hand
        self.fn = None  # the node's rule is now the user's function

    def _step_by_hand(self) -> None:
        _step(self)
        self._stepped = True

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"  # every digit, as micrograd prints it

    # ---------------------------------------------------------------- backward
    def backward(self) -> None:
        """Back-propagate from this node: afterwards each node's ``grad`` is ∂self/∂node.

        Semantics are PyTorch's: the root is seeded with 1; leaves *accumulate* across calls
        (call ``zero_grad()`` between steps); intermediate nodes hold this pass's gradient only.
        A node used twice receives the sum of both contributions. A result computed inside
        ``with no_grad():`` remembers no operation, so its backward() is an error (as in PyTorch).
        """
        if self.fn is None and self._by_hand is _NOT_RECORDED:  # (a node with an op may lack _by_hand)
            raise RuntimeError(i18n.message("engine.no_grad", cls=type(self).__name__))
        order = _packed_order(self)  # topological_order(self), without its dispatch on the node class
        for node in order:
            if node._x is not None:  # intermediate nodes start afresh; leaves keep accumulating
                node.grad = 0.0
                node._stepped = True  # (a diagram drawn after this pass shows every step done)
        self.grad += 1.0
        for node in reversed(order):  # _step(node), written out here: a call per node is 10 % of the pass
            fn = node.fn
            if fn is None:  # a leaf, or a node made by hand (every such node has _by_hand set)
                if node._by_hand is not None:
                    node._by_hand.backward()
                continue
            g = node.grad
            try:
                if fn.arity == 2:  # (parents read from their packed slots: see PackedParents)
                    x, y = node._x, node._y
                    dx, dy = fn.local(SCALAR, x.data, y.data, node.data, node.k)
                    x.grad += dx * g
                    y.grad += dy * g
                elif fn.arity == 1:
                    x = node._x
                    (dx,) = fn.local(SCALAR, x.data, node.data, node.k)
                    x.grad += dx * g
                else:  # a fused Σwx+b: 2n + 1 parents, packed as one tuple (or fewer: n = 0)
                    parents = node._x if node._y is _MANY else node.parents
                    local = fn.local(SCALAR, *[p.data for p in parents], node.data, node.k)
                    for parent, d in zip(parents, local):
                        parent.grad += d * g
            except (ZeroDivisionError, OverflowError, ValueError):  # √x at 0: see _step
                _step(node)


class _ByHand:
    """What micrograd lets a user set on a node: its op's name and its ``_backward`` function."""

    __slots__ = ("op", "backward")

    def __init__(self, op: str):
        if not isinstance(op, str):
            raise TypeError(i18n.message("engine.op_name", cls="Value", value=op))
        self.op = op
        self.backward = _nothing  # as in micrograd, a node made by hand passes no gradient on


def _nothing():
    pass


_NOT_RECORDED = _ByHand("")
"""The ``_by_hand`` of a result computed under ``no_grad``: told apart by identity, it passes nothing on."""


class Constant(Value):
    """A plain number inside an expression (the 3 in ``3 * t``): a leaf that viz draws with its value,
    with no gradient box and no backward step. No extra slot: ``constant`` is a class attribute."""

    __slots__ = ()
    constant = True


def _number(data) -> float:
    """A Value's data as a float, or the error a student should see."""
    if data.__class__ is int:  # before the slower isinstance(data, numbers.Real)
        return float(data)
    if isinstance(data, Value):
        raise TypeError(i18n.message("engine.already_node", cls="Value"))
    if not isinstance(data, numbers.Real):
        raise TypeError(i18n.message("engine.not_number", cls="Value", type=type(data).__name__,
                                     value=f"{data!r:.60}"))
    return float(data)


def _hand_parents(children) -> tuple:
    """micrograd's ``_children`` as this engine's ordered ``parents``, checked."""
    try:
        parents = tuple(children)
    except TypeError:
        raise TypeError(i18n.message("engine.children_not_tuple", cls="Value", value=children)) from None
    for p in parents:
        if not isinstance(p, Value):
            raise TypeError(i18n.message("engine.child_not_node", cls="Value", value=p))
    return parents


# ------------------------------------------------------------------ making nodes
def _as_value(x) -> Value:
    """A Value as is; a plain number as a :class:`Constant` leaf (drawn with its value)."""
    kind = x.__class__  # Constant(x), __init__ written out below: 2 * x, sum()'s 0 + x are common
    if kind is float:
        c = _new(Constant)
        c.data = x
    elif kind is int:
        c = _new(Constant)
        c.data = float(x)
    else:
        return x if isinstance(x, Value) else Constant(x)
    c.grad = 0.0
    c.label = ""
    c._x = None  # no parents
    c.fn = None
    c.k = None
    c._by_hand = None
    return c


def _call_text(op: Op, xs, k) -> str:
    """How a student would write the call: ``pow(10) with k = 400``."""
    shown = ", ".join(f"{x:g}" for x in xs[:4]) + (", …" if len(xs) > 4 else "")
    setting = i18n.message("op.with_k", k=f"{k:g}") if isinstance(k, (int, float)) else ""
    return f"{op.name}({shown}){setting}"


def _overflow(op, xs, k) -> OverflowError:
    return OverflowError(i18n.message("op.overflow", call=_call_text(op, xs, k)))


def _no_value(op, xs, k, error) -> Exception:
    """Where the table has no check but Python refuses (sin(inf)): the same error type, naming the op."""
    return type(error)(i18n.message("op.no_value", call=_call_text(op, xs, k)))


_new = object.__new__  # a node made by an op skips __init__ (its checks are for user input)


def _node(data: float, op: Op, parents: tuple, k) -> Value:
    """The node ``out`` of an op; it records its op and parents unless inside ``no_grad()``.

    Its local derivatives are not stored: the backward step computes them from the parents' data.
    """
    out = _new(Value)
    out.data = data
    out.grad = 0.0
    out.label = ""
    if not record(out, op, parents, k):
        out._by_hand = _NOT_RECORDED
    return out


def _unary(op: Op, x, k=None) -> Value:
    """:func:`apply` for one input, without its generic packing (``x.tanh()``, ``-x``, ``x ** 2``)."""
    if x.__class__ is not Value:
        x = _as_value(x)
    if op.check is not None:
        op.check(x.data, k)
    out = _new(Value)
    try:
        out.data = op.forward(SCALAR, x.data, k)
    except OverflowError:
        raise _overflow(op, (x.data,), k) from None
    except (ValueError, ZeroDivisionError) as error:
        raise _no_value(op, (x.data,), k, error) from None
    out.grad = 0.0
    out.label = ""
    if _everyone_records.on or _grad_mode.enabled:  # record(), inlined: x.tanh(), x ** 2 are hot
        out._x = x  # parents (x,), packed
        out._y = _ONE
        out.fn = op
        out.k = k
    else:
        out._x = None
        out.fn = None
        out.k = None
        out._by_hand = _NOT_RECORDED
    return out


Value._apply = staticmethod(_unary)
# Each operator applies its op table entry: ``x * y`` is "mul" on (x, y), ``2 * x`` is "mul"
# on (2, x), the number becoming a constant leaf.
install_operators(Value, _binary_method, _unary)


def apply(op: Op, *inputs, k=None) -> Value:
    """Apply a table op to Values (numbers become constant leaves) and record the node.

    >>> from microgradfr.ops import OPS
    >>> apply(OPS["mul"], Value(3.0), 4).data
    12.0
    """
    if not all([x.__class__ is Value for x in inputs]):  # (a neuron's 2n + 1 inputs are Values already)
        inputs = tuple(map(_as_value, inputs))
    xs = [v.data for v in inputs]
    if op.check is not None:
        op.check(*xs, k)
    try:
        data = float(op.forward(SCALAR, *xs, k))
    except OverflowError:
        raise _overflow(op, xs, k) from None
    except (ValueError, ZeroDivisionError) as error:
        raise _no_value(op, xs, k, error) from None
    return _node(data, op, inputs, k)


# ------------------------------------------------------------------ backward steps
def _step(node: Value) -> None:
    """One node's chain-rule step: each parent's ``grad += ∂node/∂parent · node.grad``.

    The local derivatives come from the node's table entry, computed from its parents' data;
    a node without one runs the ``_backward`` given by hand, if any (a leaf: nothing).
    """
    fn = node.fn
    if fn is None:
        by_hand = getattr(node, "_by_hand", None)
        if by_hand is not None:
            by_hand.backward()
        return
    parents, g = node.parents, node.grad
    xs = [p.data for p in parents]
    try:
        local = fn.local(SCALAR, *xs, node.data, node.k)
    except (ZeroDivisionError, OverflowError, ValueError):
        local = scalar_local(fn, xs, node.data, node.k)
        warnings.warn(i18n.message("op.nonfinite_derivative", call=_call_text(fn, xs, node.k),
                                   local=", ".join(map(repr, local))),
                      NonFiniteDerivativeWarning, stacklevel=_user_stacklevel())
    for parent, d in zip(parents, local):
        parent.grad += d * g


class NonFiniteDerivativeWarning(RuntimeWarning):
    """A local derivative is inf or NaN (√x at 0): gradients through that node will be too."""


def scalar_local(op: Op, xs, out, k) -> tuple:
    """The local derivatives ∂out/∂input of ``op`` at these floats, as the backward pass uses them.

    Where Python's floats refuse (1/0, an overflowing power) the IEEE value numpy gives: inf, or
    NaN where inf meets 0, so √x at 0 has the derivative 1/(2√0) = inf, as in PyTorch.

    >>> scalar_local(OPS["sqrt"], [0.0], 0.0, None)
    (inf,)
    """
    try:
        return tuple(op.local(SCALAR, *xs, out, k))
    except (ZeroDivisionError, OverflowError, ValueError):
        with np.errstate(all="ignore"):
            arrays = [np.asarray(x, dtype=np.float64) for x in (*xs, out)]
            return tuple(float(d) for d in op.local(ARRAY, *arrays, k))


def linear(w, x, b) -> Value:
    """One fused node z = Σ wᵢ·xᵢ + b (a neuron's pre-activation): 1 node instead of 2n.

    >>> linear([Value(2.0), Value(-1.0)], [Value(3.0), Value(4.0)], Value(0.5)).data
    2.5
    """
    n = len(w)
    if n != len(x):
        raise ValueError(i18n.message("engine.linear", weights=n, inputs=len(x)))
    inputs = (*w, *x, b)
    data = [v.data for v in inputs if v.__class__ is Value]  # the Values' data, in one pass
    if _WEIGHTED_SUM.check is not None or len(data) != len(inputs):
        return apply(_WEIGHTED_SUM, *inputs, k=n)  # numbers to wrap (or a check): the general way
    # apply(), written out for the usual neuron (Values only, no check: a sum of products cannot
    # fail on floats): a neuron's node is made once per sample.
    return _node(float(_WEIGHTED_SUM.forward(SCALAR, *data, n)), _WEIGHTED_SUM, inputs, n)


def _user_stacklevel() -> int:
    """The stacklevel of the first caller outside microgradfr, so a warning shows the user's line."""
    package = os.path.dirname(__file__)
    frame, level = sys._getframe(1), 1
    while frame is not None and frame.f_code.co_filename.startswith(package):
        frame, level = frame.f_back, level + 1
    return level
