"""What every graph node shares: the node protocol, the one traversal, and the switch that stops recording.

A node is anything that follows :class:`Node` (``data``, ``grad``, ``parents``, ``op``, ...): Value
and Tensor do; backward, the optimizers, ``fit`` and the renderer in ``viz`` read nothing else, and
they all walk the graph through :func:`topological_order`.

Grad mode (recording on or off) is kept per thread, as in PyTorch: ``no_grad()`` in one thread
never stops another thread's graph from recording, and every new thread starts with recording on.
"""
from __future__ import annotations

import functools
import threading
from typing import Any, Protocol, runtime_checkable

from . import i18n

__all__ = ["Node", "PackedParents", "is_node", "is_scalar", "topological_order", "reaching", "no_grad",
           "enable_grad", "set_grad_enabled", "is_grad_enabled"]


@runtime_checkable
class Node(Protocol):
    """The public node protocol: what every graph node has, whatever its engine.

    - ``data``: the forward value, a float (Value) or an ndarray (Tensor);
    - ``grad``: ∂root/∂node after ``root.backward()``: a float (0.0 before), or an array (None before);
    - ``parents``: the inputs of the op that made this node, ordered, may repeat (``x * x`` has
      ``(x, x)``); ``()`` for a leaf;
    - ``op``: the op's display name (``"×"``, ``"tanh"``), ``""`` for a leaf;
    - ``label``: the name a user gave the node (``Value(2.0, label="x")``), ``""`` if none;
    - ``fn``: its op table entry (``microgradfr.ops.Op``: forward, local derivatives, formulas),
      None for a leaf; ``k``: the op's setting (an exponent, an axis, a slope), None if it has none.

    ``isinstance(obj, Node)`` checks that ``obj`` has all of these (not their types).

    >>> from microgradfr import Tensor, Value
    >>> isinstance(Value(2.0) * 3, Node), isinstance(Tensor([1.0]), Node), isinstance(2.0, Node)
    (True, True, False)
    """

    data: Any
    grad: Any
    parents: tuple
    label: str
    fn: Any
    k: Any

    @property
    def op(self) -> str: ...


class PackedParents:
    """A node that keeps its ``parents`` in two slots, ``_x`` and ``_y``, rather than in a tuple.

    A scalar graph is mostly two-input nodes, and a tuple per node doubled the objects the
    garbage collector tracks (the Value and its parents' tuple): packed, making a chain or a tree
    of Values is about 15 % faster, and a node takes 152 bytes instead of 197. Packed: no
    parents, ``_x`` is None; one, ``_y`` is :data:`_ONE`; two, ``_x`` and ``_y``; more, ``_x``
    holds the tuple and ``_y`` is :data:`_MANY`.
    :func:`topological_order` reads the slots; everyone else reads ``parents``, a tuple as the
    protocol says (built on each read).

    >>> from microgradfr import Value
    >>> x = Value(2.0); y = x * x
    >>> y.parents == (x, x), (y._x is x, y._y is x), x.parents
    (True, (True, True), ())
    """

    __slots__ = ("_x", "_y")

    @property
    def parents(self) -> tuple:
        """The inputs of the op that made this node, in order; ``()`` for a leaf."""
        x = self._x
        if x is None:
            return ()
        y = self._y
        if y is _ONE:
            return (x,)
        if y is _MANY:
            return x
        return (x, y)

    @parents.setter
    def parents(self, parents) -> None:
        parents = tuple(parents)
        n = len(parents)
        if n == 0:
            self._x, self._y = None, None
        elif n == 1:
            self._x, self._y = parents[0], _ONE
        elif n == 2:
            self._x, self._y = parents
        else:
            self._x, self._y = parents, _MANY


class _Packing:
    """What ``_y`` holds when it is not a second parent (see :class:`PackedParents`)."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return self.name


_ONE, _MANY = _Packing("_ONE"), _Packing("_MANY")


_NODE_TYPES: set[type] = set()  # classes already seen to follow the protocol


def is_node(obj) -> bool:
    """Does ``obj`` follow :class:`Node`? ``isinstance(obj, Node)``, remembered per class: the optimizers
    ask it of every parameter at every step, and a Protocol check costs about 13 µs (this, 0.1 µs).

    A class itself is not a node, though ``isinstance(Value, Node)`` holds (its slots are attributes).

    >>> from microgradfr import Value
    >>> is_node(Value(1.0)), is_node([Value(1.0)]), is_node(Value)
    (True, False, False)
    """
    kind = type(obj)
    if kind in _NODE_TYPES:
        return True
    if isinstance(obj, type) or not isinstance(obj, Node):
        return False
    _NODE_TYPES.add(kind)
    return True


def is_scalar(node: Node) -> bool:
    """True for a scalar node (a Value: ``data`` a plain number), False for an array node (a Tensor,
    even one of shape ``()``).

    >>> from microgradfr import Tensor, Value
    >>> is_scalar(Value(2.0)), is_scalar(Tensor(2.0))
    (True, False)
    """
    return isinstance(node.data, (int, float))


class _GradMode(threading.local):
    """This thread's grad mode: ``enabled`` is True in every thread until ``no_grad`` turns it off.

    Change it only through :func:`_set_mode`, which keeps :data:`_everyone_records` true.
    """

    def __init__(self) -> None:  # runs once in each thread, on its first read
        self.enabled = True


class _EveryoneRecords:
    """Process-wide: ``on`` is True while no thread has recording off, so that every thread records.

    An op then needs no read of its own thread's mode: Value and Tensor test
    ``_everyone_records.on or _grad_mode.enabled``, and a thread-local read costs about 40 ns,
    a sixth of making a node; this one, about 10 ns. ``threads_off`` counts the threads whose
    mode is off (a thread that ends inside ``no_grad`` stays counted: the ops are then a little
    slower, never wrong).
    """

    __slots__ = ("on", "threads_off")

    def __init__(self) -> None:
        self.on, self.threads_off = True, 0


_grad_mode = _GradMode()
_everyone_records = _EveryoneRecords()
_mode_lock = threading.Lock()


def _set_mode(mode: bool) -> bool:
    """Set this thread's grad mode to ``mode``; return the one it had."""
    previous = _grad_mode.enabled
    if mode != previous:
        with _mode_lock:  # counted before the mode goes off, so an op never sees "on" wrongly
            _everyone_records.threads_off += -1 if mode else 1
            _everyone_records.on = _everyone_records.threads_off == 0
        _grad_mode.enabled = mode
    return previous


def topological_order(root) -> list:
    """Every node ``root`` depends on, each after all of its parents; ``root`` comes last.

    Iterative depth-first search (no recursion, so a chain of a million nodes is fine), parents
    in order: the same order as the recursive one. Nodes are told apart by identity so that equal
    values stay distinct (see ``_ById``); a node is marked when it is expanded, not when it is
    pushed, so that a node reached again later is still placed after all of its parents.

    >>> from microgradfr import Value
    >>> x = Value(2.0, label="x"); y = x * x + x
    >>> [n.label or n.op for n in topological_order(y)]
    ['x', '×', '+']
    """
    if isinstance(root, PackedParents):
        return _packed_order(root)
    # Value and Tensor hash by identity, so a set of the nodes themselves tells them apart, at
    # half the cost of a set of their ids on a million nodes; other node classes go by id.
    order = []
    visited = set() if type(root).__hash__ is _IDENTITY_HASH else _ById()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _PLACE:  # every parent of the node below is placed: place it
            order.append(stack.pop())
            continue
        if node in visited:
            continue
        visited.add(node)
        parents = node.parents
        if not parents:
            order.append(node)
            continue
        stack.append(node)
        stack.append(_PLACE)
        stack.extend(parents[::-1])  # reversed, so that the first parent comes out first
    return order


def _packed_order(root) -> list:
    """:func:`topological_order` for nodes that pack their parents (:class:`PackedParents`): the
    same steps, reading the two slots instead of a tuple, which a property would build per node."""
    order = []
    visited = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if node is _PLACE:
            order.append(stack.pop())
            continue
        if node in visited:
            continue
        visited.add(node)
        x = node._x
        if x is None:
            order.append(node)
            continue
        stack.append(node)
        stack.append(_PLACE)
        y = node._y
        if y is _ONE:
            stack.append(x)
        elif y is _MANY:  # a neuron's 2n + 1 inputs, its weights met before by the other samples:
            stack.extend([p for p in x[::-1] if p not in visited])  # skipped here, not popped one by one
        else:  # most nodes: two parents, pushed second first
            stack.append(y)
            stack.append(x)
    return order


# A marker on the stack: "place the node under me". The stack then holds only nodes, no
# per-node (node, iterator) pairs: on a chain of a million nodes those pairs all live at once
# and the garbage collector spent more time on them than the traversal itself.
_PLACE = object()
_IDENTITY_HASH = object.__hash__


class _ById:
    """A set of nodes told apart by ``id``, for node classes that compare (or hash) by value."""

    def __init__(self):
        self._ids = set()

    def __contains__(self, node) -> bool:
        return id(node) in self._ids

    def add(self, node) -> None:
        self._ids.add(id(node))


def reaching(order, target) -> set:
    """The ids of the nodes of ``order`` (a topological order) from which ``target`` can be reached.

    ``target`` is included; a node is in when one of its parents is, so one pass in order suffices.

    >>> from microgradfr import Value
    >>> x, y = Value(1.0), Value(2.0); z = x * 3; w = z + y
    >>> sorted(n.data for n in topological_order(w) if id(n) in reaching(topological_order(w), x))
    [1.0, 3.0, 5.0]
    """
    ids = {id(target)}
    for node in order:
        if any(id(p) in ids for p in node.parents):
            ids.add(id(node))
    return ids


def is_grad_enabled() -> bool:
    """True unless this thread is inside :func:`no_grad` (or ``set_grad_enabled(False)``).

    Each thread has its own mode, True when the thread starts (as ``torch.is_grad_enabled``).
    """
    return _grad_mode.enabled


class _GradModeContext:
    """Sets this thread's grad mode to ``self.mode`` on entry and puts the previous one back on exit.

    It also decorates a function: each call then runs inside a fresh block.
    """

    mode = True

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def run_in_mode(*args, **kwargs):
            block = _GradModeContext()
            block.mode = mode
            with block:
                return fn(*args, **kwargs)
        return run_in_mode

    def __enter__(self) -> None:
        self._previous = _set_mode(self.mode)

    def __exit__(self, *exc_info) -> None:
        _set_mode(self._previous)


class no_grad(_GradModeContext):
    """Within this block (or decorated function), operations record no parents: their results are leaves.

    Use it to evaluate a model without building a graph (validation, parameter updates).
    Only the current thread is affected; the mode before the block comes back after it, even on error.

    >>> from microgradfr import Value
    >>> with no_grad():
    ...     y = Value(3.0) * 2
    >>> y.parents
    ()
    >>> @no_grad()
    ... def predict(x):
    ...     return x * 2
    >>> predict(Value(3.0)).parents
    ()
    """

    mode = False

    def __new__(cls, fn=None):
        # ``@no_grad`` without parentheses decorates ``fn`` directly (as torch.no_grad allows).
        block = super().__new__(cls)
        return block(fn) if callable(fn) else block

    def __init__(self, fn=None) -> None:
        pass


class enable_grad(no_grad):
    """Within this block (or decorated function), operations record again, even inside :func:`no_grad`.

    >>> from microgradfr import Value
    >>> with no_grad():
    ...     with enable_grad():
    ...         y = Value(3.0) * 2
    >>> len(y.parents)
    2
    """

    mode = True


class set_grad_enabled(_GradModeContext):
    """Turn recording on or off for this thread: ``set_grad_enabled(False)`` acts at once.

    As in PyTorch, it is also a context manager (the previous mode comes back at the end of the
    block) and a decorator (``@set_grad_enabled(False)``: only the function's calls are affected).

    >>> from microgradfr import Value
    >>> with set_grad_enabled(False):
    ...     y = Value(3.0) * 2
    >>> y.parents, is_grad_enabled()
    ((), True)
    """

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, bool):
            raise TypeError(i18n.message("autograd.set_grad_enabled_mode", mode=mode))
        self.mode = mode
        self._previous = _set_mode(mode)

    def __call__(self, fn):
        _set_mode(self._previous)  # decorating must not change the mode now
        return super().__call__(fn)

    def __enter__(self) -> None:
        pass  # the mode was set when the object was made
