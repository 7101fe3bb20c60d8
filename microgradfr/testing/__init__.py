"""Gradient checks for your own code: compare ``backward()`` with central differences, and hand
derivations with the engine (:func:`check_grads` names the mistake; :func:`check_local_derivatives`
finds a wrong local derivative, a custom op's for instance, at its node).

The checks are *pure*: they leave every ``data`` and ``grad`` of your graph as they found it,
so a check can sit between ``L.backward()`` and a diagram without changing what it shows.

>>> from microgradfr import Value
>>> gradcheck(lambda a, b: (a * b).tanh(), [Value(0.3), Value(-1.2)])
True
"""
from __future__ import annotations

from contextlib import contextmanager

import numpy as np

from .. import i18n
from ..autograd import topological_order
from .diagnosis import CODES, GradReport, check_grads, mistake_lines
from .local_check import LocalMismatch, check_local_derivatives

__all__ = ["numerical_grad", "gradcheck", "assert_grad", "check_grads", "GradReport", "CODES",
           "check_local_derivatives", "LocalMismatch"]


def _data_array(node):
    """The node's data as a float64 array view we can perturb (Tensor) or None (Value)."""
    return node.data if isinstance(node.data, np.ndarray) else None


def _scalar(out) -> float:
    value = out.data if hasattr(out, "data") else out
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise ValueError(i18n.message("testing.not_scalar", shape=value.shape))
        return float(value.reshape(()))
    return float(value)


def numerical_grad(f, inputs, eps: float = 1e-6) -> list:
    """∂f/∂input for each input by central differences: (f(x + ε) − f(x − ε)) / 2ε.

    ``f(*inputs)`` must return a scalar Value (or Tensor, or number). Each input's ``data`` is
    nudged in place and put back exactly, even if ``f`` raises. Returns one float per Value,
    one array per Tensor.

    >>> from microgradfr import Value
    >>> [round(g, 6) for g in numerical_grad(lambda x: x ** 3, [Value(2.0)])]
    [12.0]
    """
    grads = []
    for node in inputs:
        array = _data_array(node)
        if array is None:
            grads.append(_central(f, inputs, node, eps))
            continue
        grad = np.zeros(array.shape, dtype=np.float64)
        for index in np.ndindex(array.shape):
            grad[index] = _central_item(f, inputs, array, index, eps)
        grads.append(grad)
    return grads


def _central(f, inputs, node, eps):
    x = node.data
    try:
        node.data = x + eps
        up = _scalar(f(*inputs))
        node.data = x - eps
        down = _scalar(f(*inputs))
    finally:
        node.data = x
    return (up - down) / (2 * eps)


def _central_item(f, inputs, array, index, eps):
    x = array[index]
    try:
        array[index] = x + eps
        up = _scalar(f(*inputs))
        array[index] = x - eps
        down = _scalar(f(*inputs))
    finally:
        array[index] = x
    return (up - down) / (2 * eps)


# ---------------------------------------------------------------- the engine's gradients, purely
@contextmanager
def _untouched(nodes):
    """Put back every node's ``data`` and ``grad`` (the objects themselves) when the block ends."""
    saved = [(node, node.data, node.grad) for node in nodes]
    try:
        yield
    finally:
        for node, data, grad in saved:
            node.data, node.grad = data, grad


def _zero(node) -> None:
    node.grad = None if isinstance(node.data, np.ndarray) else 0.0


def _own_backward(root, wrt) -> list:
    """∂root/∂w for each w in ``wrt`` from one backward pass that starts at zero and is undone.

    Every node the pass can touch (the graph of ``root``, and ``wrt``) gets its ``data`` and
    ``grad`` back afterwards; leaves are zeroed first so that earlier ``backward()`` calls,
    which leaves accumulate, do not leak into the answer.
    """
    graph = topological_order(root)
    with _untouched([*graph, *wrt]):
        for node in [*graph, *wrt]:
            if not node.parents:
                _zero(node)
        root.backward()
        return [np.zeros(np.shape(w.data)) if w.grad is None else _copy(w.grad) for w in wrt]


def _copy(grad):
    return grad.copy() if isinstance(grad, np.ndarray) else grad


def _analytic_grad(f, inputs) -> list:
    return _own_backward(f(*inputs), list(inputs))


# ---------------------------------------------------------------- messages
# The sentences are the message catalogue's testing.* entries (microgradfr.i18n).

def _check_lang(lang) -> str:
    """``lang``, checked, or the language switch's (French unless set) when it is None."""
    return i18n.resolve(lang)


def _message(lang, key, **fields) -> str:
    return i18n.message(f"testing.{key}", lang, **fields)


def gradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-6, rtol: float = 1e-5,
              lang: str | None = None) -> bool:
    """Check ``backward()`` against central differences for every input.

    Passes when |analytic − numeric| ≤ atol + rtol·|numeric| everywhere; otherwise raises an
    ``AssertionError`` whose message is a table of every mismatch. The inputs' ``data`` and
    ``grad`` are left as they were.
    """
    lang = _check_lang(lang)
    analytic = _analytic_grad(f, inputs)
    numeric = numerical_grad(f, inputs, eps)
    rows = []
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
        bad = ~np.isclose(a, n, atol=atol, rtol=rtol, equal_nan=False)
        for index in zip(*np.nonzero(bad)) if a.ndim else ([()] if bad else []):
            label = getattr(inputs[i], "label", "") or _message(lang, "input", i=i)
            rows.append(_message(lang, "row", name=label, index=list(index) if index else "",
                                 got=repr(float(a[index])), numeric=repr(float(n[index])),
                                 diff=abs(a[index] - n[index])))
    if rows:
        raise AssertionError("\n".join([_message(lang, "differ", count=len(rows), atol=atol, rtol=rtol),
                                        *rows]))
    return True


def assert_grad(expr_fn, wrt, expected, atol: float = 1e-6, rtol: float = 1e-6,
                lang: str | None = None) -> None:
    """Check a gradient derived by hand against the engine's.

    ``expr_fn`` builds the expression (a function of no argument, or the root itself); ``wrt``
    is the Value (or a list of Values) and ``expected`` the hand-derived number(s). Passes when
    |engine − expected| ≤ atol + rtol·|expected|. Nothing of your graph changes: the engine's
    gradient comes from a backward pass of its own, started from zero and undone afterwards.

    >>> from microgradfr import Value
    >>> x = Value(3.0, label="x")
    >>> assert_grad(lambda: x ** 2, x, 2 * 3.0)   # d(x²)/dx = 2x
    >>> x.grad                                    # untouched
    0.0
    """
    lang = _check_lang(lang)
    single = not isinstance(wrt, (list, tuple))
    nodes = [wrt] if single else list(wrt)
    wanted = [expected] if single else list(expected)
    if len(nodes) != len(wanted):
        raise ValueError(_message(lang, "count", nodes=len(nodes), wanted=len(wanted)))
    root = expr_fn() if callable(expr_fn) else expr_fn
    grads = _own_backward(root, nodes)
    root_name = getattr(root, "label", "") or "L"
    errors, failing = [], []
    for i, (node, got, exp) in enumerate(zip(nodes, grads, wanted)):
        ok, diff = _close(got, exp, atol, rtol)
        if not ok:
            failing.append(node.label or _message(lang, "input", i=i))
            errors.append(_message(lang, "grad", root=root_name, name=failing[-1], got=repr(got),
                                   expected=repr(exp), diff=diff))
    if errors:
        if not isinstance(root.data, np.ndarray):  # the diagnosis and explain are written for scalar graphs
            wanted_by_node = {id(node): float(exp) for node, exp in zip(nodes, wanted)
                              if isinstance(exp, (int, float))}
            errors += mistake_lines(root, wanted_by_node, lang, rtol, atol)
            errors.append(_message(lang, "hint", root=root_name, name=failing[0]))
        raise AssertionError("\n".join(errors))


def _close(got, expected, atol, rtol) -> tuple:
    """(|got − expected| ≤ atol + rtol·|expected| everywhere, the largest |got − expected|)."""
    got, expected = np.asarray(got, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    try:
        diff = np.abs(got - expected)
    except ValueError:  # shapes that do not broadcast
        return False, float("nan")
    ok = bool(np.all(diff <= atol + rtol * np.abs(expected))) and diff.shape == got.shape
    return ok, float(np.max(diff)) if diff.size else 0.0
