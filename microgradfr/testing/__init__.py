"""Gradient checks for your own code: compare ``backward()`` with central differences.

>>> from microgradfr import Value
>>> gradcheck(lambda a, b: (a * b).tanh(), [Value(0.3), Value(-1.2)])
True
"""
from __future__ import annotations

import numbers

import numpy as np

__all__ = ["numerical_grad", "gradcheck", "assert_grad"]


def _data_array(node):
    """The node's data as a float64 array view we can perturb (Tensor) or None (Value)."""
    return node.data if isinstance(node.data, np.ndarray) else None


def _scalar(out) -> float:
    value = out.data if hasattr(out, "data") else out
    if isinstance(value, np.ndarray):
        if value.size != 1:
            raise ValueError(f"gradcheck: f must return a scalar, got shape {value.shape}; "
                             "reduce it first, e.g. with .sum()")
        return float(value.reshape(()))
    return float(value)


def numerical_grad(f, inputs, eps: float = 1e-6) -> list:
    """∂f/∂input for each input by central differences: (f(x + ε) − f(x − ε)) / 2ε.

    ``f(*inputs)`` must return a scalar Value (or Tensor, or number). Each input's ``data`` is
    nudged in place and restored. Returns one float per Value, one array per Tensor.

    >>> from microgradfr import Value
    >>> [round(g, 6) for g in numerical_grad(lambda x: x ** 3, [Value(2.0)])]
    [12.0]
    """
    grads = []
    for node in inputs:
        array = _data_array(node)
        if array is None:
            grads.append(_central(f, inputs, node, "data", eps))
            continue
        grad = np.zeros(array.shape, dtype=np.float64)
        for index in np.ndindex(array.shape):
            grad[index] = _central_item(f, inputs, array, index, eps)
        grads.append(grad)
    return grads


def _central(f, inputs, node, attr, eps):
    x = getattr(node, attr)
    setattr(node, attr, x + eps)
    up = _scalar(f(*inputs))
    setattr(node, attr, x - eps)
    down = _scalar(f(*inputs))
    setattr(node, attr, x)
    return (up - down) / (2 * eps)


def _central_item(f, inputs, array, index, eps):
    x = array[index]
    array[index] = x + eps
    up = _scalar(f(*inputs))
    array[index] = x - eps
    down = _scalar(f(*inputs))
    array[index] = x
    return (up - down) / (2 * eps)


def _analytic_grad(f, inputs) -> list:
    for node in inputs:
        node.grad = None if isinstance(node.data, np.ndarray) else 0.0
    f(*inputs).backward()
    return [np.zeros(np.shape(n.data)) if n.grad is None else n.grad for n in inputs]


def gradcheck(f, inputs, eps: float = 1e-6, atol: float = 1e-6, rtol: float = 1e-5) -> bool:
    """Check ``backward()`` against central differences for every input.

    Passes when |analytic − numeric| ≤ atol + rtol·|numeric| everywhere; otherwise raises an
    ``AssertionError`` whose message is a table of every mismatch.
    """
    analytic = _analytic_grad(f, inputs)
    numeric = numerical_grad(f, inputs, eps)
    rows = []
    for i, (a, n) in enumerate(zip(analytic, numeric)):
        a, n = np.asarray(a, dtype=np.float64), np.asarray(n, dtype=np.float64)
        bad = ~np.isclose(a, n, atol=atol, rtol=rtol, equal_nan=False)
        for index in zip(*np.nonzero(bad)) if a.ndim else ([()] if bad else []):
            label = getattr(inputs[i], "label", "") or f"input {i}"
            rows.append(f"  {label}{list(index) if index else ''}: backward {a[index]!r:>24}  "
                        f"numerical {n[index]!r:>24}  diff {abs(a[index] - n[index]):.3g}")
    if rows:
        raise AssertionError(f"gradcheck: {len(rows)} gradient(s) differ from central differences "
                             f"(atol={atol}, rtol={rtol}):\n" + "\n".join(rows))
    return True


_MESSAGES = {
    "fr": "∂/∂{name} : le moteur trouve {got!r}, la dérivation à la main donne {expected!r} "
          "(écart {diff:.3g})",
    "en": "∂/∂{name}: the engine finds {got!r}, the hand derivation gives {expected!r} "
          "(difference {diff:.3g})",
}


def assert_grad(expr_fn, wrt, expected, atol: float = 1e-6, rtol: float = 1e-6, lang: str = "fr") -> None:
    """Check a gradient derived by hand against the engine's.

    ``expr_fn`` builds the expression (a function of no argument, or the root itself); ``wrt``
    is the Value (or a list of Values) and ``expected`` the hand-derived number(s).

    >>> from microgradfr import Value
    >>> x = Value(3.0, label="x")
    >>> assert_grad(lambda: x ** 2, x, 2 * 3.0)   # d(x²)/dx = 2x
    """
    single = not isinstance(wrt, (list, tuple))
    nodes = [wrt] if single else list(wrt)
    wanted = [expected] if single else list(expected)
    if len(nodes) != len(wanted):
        raise ValueError(f"assert_grad: {len(nodes)} variables but {len(wanted)} expected values")
    for node in nodes:
        node.grad = None if isinstance(node.data, np.ndarray) else 0.0
    root = expr_fn() if callable(expr_fn) else expr_fn
    root.backward()
    errors = []
    for node, exp in zip(nodes, wanted):
        got = node.grad
        if isinstance(exp, numbers.Real) and not isinstance(got, np.ndarray):
            ok = abs(got - exp) <= atol + rtol * abs(exp)
            diff = abs(got - exp)
        else:
            ok = np.allclose(got, exp, atol=atol, rtol=rtol)
            diff = float(np.max(np.abs(np.asarray(got) - np.asarray(exp))))
        if not ok:
            errors.append(_MESSAGES[lang].format(name=node.label or "?", got=got, expected=exp, diff=diff))
    if errors:
        raise AssertionError("\n".join(errors))
