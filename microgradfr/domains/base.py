"""What a domain is: the inputs an op accepts, the error outside them, and where tests sample.

A :class:`Domain` is written once and read by everyone:

- the Value checks one number: :meth:`Domain.check` raises the first broken :class:`Rule`'s error,
  worded from its message template (``"{op}: {op}(x) is defined only for x > 0, got x = {x!r}"``);
- the Tensor finds the bad entries of a whole array with :meth:`Domain.mask` (the same predicates,
  which work on floats and arrays alike), then words the error on the first one;
- the Hypothesis strategies (:mod:`microgradfr.testing`) draw from :attr:`Domain.sample`: one
  :class:`Interval` per input for an elementwise op, or for a whole-array op a function
  ``sample(draw) -> (arrays, k)`` written against the small :class:`Draw` interface (no Hypothesis
  needed here), so that a new op, scalar or Tensor, is tested without editing the strategies.

A sampling interval may be narrower than the domain: abs accepts 0, but central differences are
only accurate away from its kink, so its inputs are drawn with 0.05 ≤ |x| ≤ 3.
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from .. import i18n

__all__ = ["Rule", "Interval", "Domain", "Draw", "DOMAINS"]

DOMAINS: dict[str, Domain] = {}
"""Every domain by name, so that an op defined elsewhere may name its domain (``domain="positive"``)."""


@dataclass(frozen=True)
class Rule:
    """One way to fall outside a domain: ``bad(x, [y, ...,] k)`` is true (or a mask, on arrays) there.

    ``message`` is a :meth:`str.format` template over the op's name ``op``, the inputs by the
    domain's names (``x``, ``y``, ``w``, ``b``), the setting ``k`` and whatever ``facts`` adds
    (values a template cannot compute, such as a padded size); facts are computed only to raise.
    """

    bad: Callable
    message: str
    error: type = ValueError
    facts: Callable | None = field(default=None, repr=False)


@dataclass(frozen=True)
class Interval:
    """Where a test draws one float: low ≤ x ≤ high, or low ≤ |x| ≤ high with ``both_signs``."""

    low: float
    high: float
    both_signs: bool = False

    def __contains__(self, value) -> bool:
        v = abs(value) if self.both_signs else value
        return bool(self.low <= v <= self.high)


class Draw(Protocol):
    """What a whole-array domain's ``sample(draw)`` may ask for (the tests give a Hypothesis one)."""

    def integer(self, low: int, high: int) -> int: ...
    def boolean(self) -> bool: ...
    def choice(self, options): ...
    def shape(self, min_dims: int = 0, max_dims: int = 3, min_side: int = 1, max_side: int = 3) -> tuple: ...
    def array(self, shape, interval: Interval | None = None, unique: bool = False) -> np.ndarray: ...
    def subset(self, n: int) -> tuple: ...
    def permutation(self, n: int) -> tuple: ...
    def index_array(self, low: int, high: int, size: int) -> np.ndarray: ...  # int64, repeats allowed


@dataclass(frozen=True, eq=False)
class Domain:
    """The inputs an op accepts (``rules``) and where the tests sample them (``sample``).

    >>> from microgradfr.domains import POSITIVE
    >>> POSITIVE.check("log", 0.0, None)
    Traceback (most recent call last):
    ...
    ValueError: log : log(x) n'est défini que pour x > 0, or x = 0.0
    >>> POSITIVE.mask(np.array([1.0, -2.0, 0.0]), None)
    array([False,  True,  True])
    """

    name: str
    sample: tuple | Callable            # elementwise: an Interval per input; else sample(draw) -> (arrays, k)
    rules: tuple = ()
    inputs: tuple = ("x", "y")          # the inputs' names in the rules' messages
    # accepts(x, [y,] k): a quick test, true only where no rule can apply (x ** 2: every x); the
    # Value's checker runs the rules only where it is false. A test holds it to the rules.
    accepts: Callable | None = field(default=None, repr=False)

    def __post_init__(self):
        if self.name in DOMAINS:
            raise ValueError(f"Domain({self.name!r}): a domain of that name exists already; "
                             "use it (microgradfr.domains.DOMAINS) or choose another name")
        DOMAINS[self.name] = self

    @property
    def elementwise(self) -> bool:
        """True when each input's entries are drawn from an :class:`Interval`."""
        return isinstance(self.sample, tuple)

    def interval(self, i: int) -> Interval | None:
        """The sampling interval of input ``i`` (the last one repeats; None: not sampled)."""
        return self.sample[min(i, len(self.sample) - 1)]

    def check(self, op: str, *inputs_and_k) -> None:
        """Raise the error of the first rule the inputs break, naming ``op``; nothing if none."""
        for rule in self.rules:
            if rule.bad(*inputs_and_k):
                raise rule.error(self.message(rule, op, inputs_and_k))

    def checker(self, op: str, arity: int = -1) -> Callable:
        """:meth:`check` for ``op`` as a function of the inputs alone (the Value calls it per node).

        >>> from microgradfr.domains import NONZERO_DENOMINATOR
        >>> NONZERO_DENOMINATOR.checker("div")(1.0, 0.0, None)
        Traceback (most recent call last):
        ...
        ZeroDivisionError: div : division par zéro dans 1.0 / 0.0 ; le dénominateur ne doit pas valoir 0
        """
        tests, fail, accepts = tuple(rule.bad for rule in self.rules), self.check, self.accepts
        # One or two inputs (every scalar op) get their own signature: packing *args costs a
        # quarter of x ** 2 on the Value's path; the rules are still only the domain's.
        if arity == 1 and accepts is not None:
            def check(x, k):
                if accepts(x, k):  # x ** 2: one call instead of one per rule
                    return
                for bad in tests:
                    if bad(x, k):
                        fail(op, x, k)
        elif arity == 1:
            def check(x, k):
                for bad in tests:  # the common case, nothing wrong, costs one call per rule
                    if bad(x, k):
                        fail(op, x, k)
        elif arity == 2:
            def check(x, y, k):
                for bad in tests:
                    if bad(x, y, k):
                        fail(op, x, y, k)
        else:
            def check(*inputs_and_k):
                for bad in tests:
                    if bad(*inputs_and_k):
                        fail(op, *inputs_and_k)
        return check

    def message(self, rule: Rule, op: str, inputs_and_k) -> str:
        """The rule's template filled in with the op's name, the inputs and the setting; a template
        that is a key of the catalogue (``"domain.positive"``) is its sentence in the switch's language."""
        *inputs, k = inputs_and_k
        names = dict.fromkeys(self.inputs)
        names.update(zip(self.inputs, inputs), op=op, k=k)
        if rule.facts is not None:
            names.update(rule.facts(*inputs_and_k))
        if rule.message in i18n.CATALOGUE[i18n.DEFAULT]:
            return i18n.message(rule.message, **names)
        return rule.message.format(**names)

    def mask(self, *arrays_and_k):
        """The entries outside the domain, a boolean array of the broadcast shape; None if none can be."""
        bad = None
        for rule in self.rules:
            found = rule.bad(*arrays_and_k)
            if found is not False:
                bad = found if bad is None else bad | found
        if bad is None or len(arrays_and_k) == 2:  # one input: the rules' masks have its shape
            return bad
        shapes = {np.shape(a) for a in arrays_and_k[:-1]}
        if len(shapes) == 1 and np.shape(bad) in shapes:  # nothing broadcast: the common case
            return bad
        return np.broadcast_to(bad, np.broadcast_shapes(*shapes))
