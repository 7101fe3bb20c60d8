"""Your own ops: ``define_op`` turns a forward function and its derivative into an op like the table's.

The op it makes is an :class:`~microgradfr.ops.Op` record, the same kind the op table holds, so a
node made by it is drawn, stepped through and explained by ``viz`` as a table op, and
:func:`microgradfr.testing.check_local_derivatives` can hold its derivative against a central
difference, node by node. It is *not* added to the op table itself (``OPS``): the table is the
library's, and the tests that enumerate it must not change with what a notebook defines.

>>> import math
>>> from microgradfr import Value
>>> cube = define_op("cube", lambda x: x ** 3, lambda x, out: 3 * x ** 2, symbol="³")
>>> y = cube(Value(2.0, label="x")); y.backward()
>>> y.data, y.parents[0].grad
(8.0, 12.0)
"""
from __future__ import annotations

import ast
import inspect
import numbers
import re

import numpy as np

from . import i18n
from .engine import apply
from .formula import Bin, Call, Num, Raw, Sym, call, lift
from .ops import OPS, Op
from .tensor import Tensor
from .tensor import apply as tensor_apply

__all__ = ["define_op", "CUSTOM_OPS"]

CUSTOM_OPS: dict[str, Op] = {}
"""Every op made by :func:`define_op`, by name (defining a name again replaces it)."""

_PLACEHOLDERS = ("x", "y", "z")


def define_op(name: str, forward, derivative, symbol: str | None = None, formula=None):
    """A new op from ``forward(x)`` (or ``forward(x, y)``) and ``derivative(x, out)``: returns the function.

    - ``forward`` takes plain numbers (floats; numpy arrays when used on a Tensor) and returns one;
    - ``derivative(x, out)`` returns ∂out/∂x (for two inputs ``derivative(x, y, out)`` returns
      ``(∂out/∂x, ∂out/∂y)``), where ``out = forward(x)``;
    - ``symbol`` is drawn in diagrams (default: ``name``);
    - ``formula`` is the derivative as written in explanations: a text in the names ``x``, ``y``
      and ``out`` (``"out·(1 − out)"``, read as a formula tree when it is one, else kept as prose),
      or a :mod:`microgradfr.formula` tree. A tree also prints in LaTeX and Python
      (``viz.backward_code``). Without it, explanations write ``name'(x)``.

    The function accepts Values and numbers, or Tensors (when ``forward`` and ``derivative`` work on
    numpy arrays: ``np.exp``, not ``math.exp``).

    >>> from microgradfr import Value
    >>> double = define_op("double", lambda x: 2 * x, lambda x, out: 2.0, formula="2")
    >>> double(Value(1.5)).data
    3.0
    """
    _check_name(name)
    arity = _arity(name, forward)
    op = Op(name=name, symbol=symbol or name, arity=arity,
            forward=lambda xp, *xs_k: _call_forward(name, forward, xs_k[:-1]),
            local=lambda xp, *xs_out_k: _call_derivative(name, derivative, arity, xs_out_k[:-1]),
            expr=Call(name, tuple(map(Sym, _PLACEHOLDERS[:arity]))),
            derivs=_derivative_trees(name, arity, formula))
    CUSTOM_OPS[name] = op

    def function(*inputs):
        if len(inputs) != arity:
            raise TypeError(i18n.message("custom.arity", name=name, arity=arity, given=len(inputs)))
        if any(isinstance(v, Tensor) for v in inputs):
            tensors = [v if isinstance(v, Tensor) else Tensor(v) for v in inputs]
            return tensor_apply(op, *tensors)
        out = apply(op, *inputs)
        if out.fn is op:  # the engine reads local derivatives at backward; a student's mistake shows now
            _call_derivative(name, derivative, arity, [*(p.data for p in out.parents), out.data])
        return out

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"The custom op {name!r} (made by microgradfr.define_op)."
    function.op = op
    return function


def _check_name(name) -> None:
    if not isinstance(name, str) or not name.isidentifier():
        raise ValueError(i18n.message("custom.bad_name", name=name))
    if name in OPS:
        raise ValueError(i18n.message("custom.taken", name=name, other=name + "_maison"))


def _arity(name, forward) -> int:
    """How many inputs ``forward`` takes (its positional parameters without a default)."""
    if not callable(forward):
        raise TypeError(i18n.message("custom.forward_not_callable", name=name, type=type(forward).__name__))
    try:
        params = inspect.signature(forward).parameters.values()
    except (TypeError, ValueError):  # a builtin without a signature (math.exp): one input
        return 1
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    count = sum(p.kind in positional and p.default is p.empty for p in params)
    if not 1 <= count <= 3:
        raise ValueError(i18n.message("custom.forward_inputs", name=name, count=count))
    return count


def _call_forward(name, forward, xs):
    try:
        return forward(*xs)
    except TypeError as error:
        kind = i18n.message("custom.kind_arrays" if isinstance(xs[0], np.ndarray) else "custom.kind_numbers")
        raise TypeError(i18n.message("custom.forward_failed", name=name, inputs=tuple(_short(x) for x in xs),
                                     error=error, kind=kind)) from None


def _call_derivative(name, derivative, arity, xs_out):
    try:
        result = derivative(*xs_out)
    except TypeError as error:
        raise TypeError(i18n.message("custom.derivative_failed", name=name,
                                     inputs=tuple(_short(v) for v in xs_out), error=error)) from None
    parts = tuple(result) if arity > 1 and isinstance(result, (tuple, list)) else (result,)
    if len(parts) != arity or not all(isinstance(p, (numbers.Real, np.ndarray)) for p in parts):
        wanted = (i18n.message("custom.one_number") if arity == 1
                  else i18n.message("custom.numbers", count=arity))
        raise ValueError(i18n.message("custom.derivative_result", name=name, wanted=wanted,
                                      result=f"{result!r:.60}"))
    return parts


def _short(v):
    return v if isinstance(v, numbers.Real) else f"array{np.shape(v)}"


def _derivative_trees(name, arity, formula) -> tuple:
    """One tree per input: the given formula (a tree, or a text in x, y, out), else ``name'(x)``."""
    if formula is None:
        inputs = tuple(map(Sym, _PLACEHOLDERS[:arity]))
        return tuple(Call(f"{name}'" if arity == 1 else f"∂{i + 1}{name}", inputs) for i in range(arity))
    given = tuple(formula) if isinstance(formula, (tuple, list)) else (formula,)
    if len(given) != arity:
        raise ValueError(i18n.message("custom.formulas", name=name, arity=arity, given=len(given)))
    return tuple(_text_tree(f) if isinstance(f, str) else lift(f) for f in given)


def _text_tree(text: str):
    """A written formula as a tree when it reads as one (``out·(1 − out)``, ``1 - tanh(x)**2``), so that
    it prints in LaTeX and Python and evaluates; otherwise prose whose ``x``, ``y``, ``out`` become
    the nodes' names in explanations.

    >>> from microgradfr.formula import to_latex
    >>> print(to_latex(_text_tree("out·(1 − out)"), {"out": "s"}))
    s \\cdot \\left(1 - s\\right)
    >>> _text_tree("la pente de la courbe").fr
    'la pente de la courbe'
    """
    try:
        return _parse(ast.parse(_as_python(text), mode="eval").body)
    except (SyntaxError, ValueError):
        marked = re.sub(r"(?<![\w{])(x|y|z|out)(?![\w}])", r"{\1}", text)
        return Raw(marked, marked)


_UNICODE = {"·": "*", "×": "*", "−": "-", "²": "**2", "³": "**3", "σ": "sigmoid"}
_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "^"}
_NAMES = {"x", "y", "z", "out"}
_CALLS = {"exp", "ln", "log", "sqrt", "tanh", "sigmoid", "sin", "cos", "abs"}


def _as_python(text: str) -> str:
    """The text with the signs a student types (· − ² σ) as Python's, ``2x`` as ``2*x``."""
    for sign, python in _UNICODE.items():
        text = text.replace(sign, python)
    text = re.sub(r"√\s*(\w+)", r"sqrt(\1)", text).replace("√", "sqrt")
    return re.sub(r"(\d)\s*(?![eE][-+\d])([a-z(])", r"\1*\2", text)


def _parse(node):
    """A Python expression of names x, y, out, numbers, + − × / ** and the usual functions, as a tree."""
    if isinstance(node, ast.Constant) and type(node.value) in (int, float):
        return Num(node.value)
    if isinstance(node, ast.Name) and node.id in _NAMES:
        return Sym(node.id)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, (ast.USub, ast.UAdd)):
        arg = _parse(node.operand)
        return -arg if isinstance(node.op, ast.USub) else arg
    if isinstance(node, ast.BinOp) and type(node.op) in _BINARY:
        return Bin(_BINARY[type(node.op)], _parse(node.left), _parse(node.right))
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in _CALLS \
            and len(node.args) == 1 and not node.keywords:
        return call({"log": "ln"}.get(node.func.id, node.func.id), _parse(node.args[0]))
    raise ValueError("not a formula")  # internal: _text_tree catches it and keeps the text as prose
