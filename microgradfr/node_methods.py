"""What Value and Tensor share, written once: Python's operators, ``op``, and the record-or-leaf step.

- :data:`OPERATORS`: which op table entry each operator applies, and whether the node is its right
  operand (``2 * x`` calls ``x.__rmul__(2)``: "mul" on (2, x)). Each class builds these methods with
  its own factory, :func:`install_operators`: Value's is tuned for speed, building a scalar graph
  being mostly making nodes.
  ``-x`` and ``x ** k`` (a number exponent is the setting of "pow", a node exponent a parent of
  "pow_xy") are built there too, from the class's way of applying a one-input entry.
- :class:`NodeMethods`: the ``op`` property and, inherited from
  :class:`~microgradfr.elementwise.ElementwiseMethods`, ``x.exp()``, ``x.tanh()``, ….
- :func:`record`: an op's result records its op and parents, or is a leaf inside ``no_grad()``.
"""
from __future__ import annotations

import numbers

from .autograd import _everyone_records, _grad_mode
from .elementwise import ElementwiseMethods
from .ops import OPS

__all__ = ["OPERATORS", "MATRIX_OPERATORS", "NodeMethods", "install_operators", "record"]

# (method, op table entry, reflected: the node is the right operand)
OPERATORS = (
    ("__add__", "add", False), ("__radd__", "add", True),              # x + y
    ("__sub__", "sub", False), ("__rsub__", "sub", True),              # x − y
    ("__mul__", "mul", False), ("__rmul__", "mul", True),              # x · y
    ("__truediv__", "div", False), ("__rtruediv__", "div", True),      # x / y
    ("_pow_xy", "pow_xy", False), ("__rpow__", "pow_xy", True),        # x ** y, the exponent a parent
)
MATRIX_OPERATORS = (("__matmul__", "matmul", False), ("__rmatmul__", "matmul", True))  # x @ y (Tensor)


def install_operators(cls, binary_method, apply_one, operators=OPERATORS) -> None:
    """Give ``cls`` its operators: each of ``operators``, ``-x`` and ``x ** k``, from its own functions.

    ``binary_method(op, reflected)`` returns the method ``(self, other) -> node`` that applies
    ``op`` to ``(self, other)``, or to ``(other, self)`` when ``reflected``: ``cls.__mul__`` is
    ``binary_method(OPS["mul"], False)``. ``apply_one(op, x, k=None)`` applies a one-input entry
    (``k`` given by position).
    """
    for name, op_name, reflected in operators:
        op = OPS[op_name]
        inputs = "other, self" if reflected else "self, other"
        doc = f"The op table's {op.name!r} ({op.symbol}) on ({inputs})."
        _install(cls, name, binary_method(op, reflected), doc)
    _install(cls, "__neg__", _neg_method(apply_one), "−x: the op table's 'neg'.")
    _install(cls, "__pow__", _pow_method(apply_one, cls._pow_xy),
             "``x ** k``: a number exponent is the setting ``k`` of 'pow'; a node exponent is a parent "
             "of 'pow_xy'.")


_NEG, _POW = OPS["neg"], OPS["pow"]


# -x and x ** k call the class's apply_one from a closure: ``self._apply`` (an attribute looked up
# at each call) would cost 4 % of ``-x`` and 3 % of ``x ** 2`` on a Value.
def _neg_method(apply_one):
    return lambda self: apply_one(_NEG, self)


def _pow_method(apply_one, pow_xy):
    def power(self, other):
        if other.__class__ is int or other.__class__ is float or isinstance(other, numbers.Real):
            return apply_one(_POW, self, other)  # (the usual x ** 2 passes the first test)
        return pow_xy(self, other)
    return power


def _install(cls, name: str, method, doc: str) -> None:
    method.__name__ = name
    method.__qualname__ = f"{cls.__name__}.{name}"
    method.__doc__ = doc
    setattr(cls, name, method)


class NodeMethods(ElementwiseMethods):
    """What a node class shares beyond its operators: ``op`` and, inherited, ``x.exp()``, ``x.tanh()``, ….

    A class using it sets ``_apply(op, x, k=None)``, its way of applying a one-input entry, and
    installs its operators with :func:`install_operators`.
    """

    __slots__ = ()

    @property
    def op(self) -> str:
        """The op's display name, ``""`` for a leaf."""
        fn = self.fn
        return fn.symbol if fn is not None else self._op_without_entry()

    def _op_without_entry(self) -> str:
        """The display name of a node with no op table entry: a leaf's ``""``."""
        return ""


def record(out, fn, parents: tuple, k, needed: bool = True) -> bool:
    """Make ``out`` the node of ``fn`` on ``parents`` with setting ``k``, or a leaf; True if it records.

    It records unless this thread is inside ``no_grad()`` or the caller has no ``needed`` for it
    (a Tensor: no input requires a gradient). A leaf has no parents, no ``fn`` and no ``k``.
    """
    if needed and (_everyone_records.on or _grad_mode.enabled):
        out.parents = parents
        out.fn = fn
        out.k = k
        return True
    out.parents = ()
    out.fn = None
    out.k = None
    return False
