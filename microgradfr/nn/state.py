"""What ``state_dict()`` is made of: one slot per saved array, and the checks a loaded array must pass.

A slot knows an array's shape and dtype, how to read it (a copy) and how to write a new value back
in place. Loading is checked in two steps, so a file can be refused from its index alone:

1. names and shapes (and the kind of number) against the slots: :func:`key_problems`, :func:`header_problem`;
2. the values, once read: :func:`checked_value` casts only where no value changes, and refuses
   NaN, ±inf and values below a slot's bound (a variance is ≥ 0).

Nothing is written until every array has passed both, which makes each load all-or-nothing.

The lines these checks return come from the catalogue (keys ``nn.state_*``) in ``lang``, by default the
user's (:func:`microgradfr.get_language`), the language of the refusals they go into:
``Module.load_state_dict`` and ``checkpoint.load`` resolve it once and pass it, with their word for where
the arrays come from (``source``: "l'état", "ce fichier").
"""
from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

import numpy as np

from .. import i18n

__all__ = ["Slot", "value_slot", "array_slot", "dense_slots", "mlp_slots", "layer_activation", "key_problems",
           "header_problem", "checked_value", "IncompatibleKeys"]


class Slot(NamedTuple):
    """One array of a state_dict: its shape, dtype, a reader (returns a copy) and a writer (in place)."""

    shape: tuple
    dtype: np.dtype
    read: Callable[[], np.ndarray]
    write: Callable[[np.ndarray], None]
    low: float | None = None  # the smallest allowed value, if any (running_var ≥ 0)
    hint: str = ""  # a catalogue key said when the shape is wrong, e.g. Linear's (out_features, in_features)


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(strict=False)`` returns, as in PyTorch."""

    missing_keys: list
    unexpected_keys: list


def value_slot(v) -> Slot:
    """A scalar Value as a 0-d float64 array."""
    def write(arr):
        v.data = float(arr)
    return Slot((), np.dtype(np.float64), lambda: np.array(v.data, dtype=np.float64), write)


def array_slot(arr: np.ndarray, low=None, hint: str = "") -> Slot:
    """An ndarray (a Tensor's ``data`` or a buffer), filled in place: every reference to it sees the load."""
    def write(new):
        arr[...] = new
    return Slot(arr.shape, arr.dtype, lambda: np.array(arr, copy=True), write, low, hint)


def dense_slots(neurons: list, weight: str, bias: str) -> dict:
    """A layer of scalar neurons (each with weights ``w`` and a bias ``b``) as one Linear layer:
    ``weight`` of shape (out_features, in_features), row j holding neuron j's weights, and ``bias``."""
    nin = len(neurons[0].w)

    def read_weight():
        return np.array([[w.data for w in n.w] for n in neurons], dtype=np.float64)

    def write_weight(arr):
        for n, row in zip(neurons, arr):
            for w, x in zip(n.w, row):
                w.data = float(x)

    def write_bias(arr):
        for n, x in zip(neurons, arr):
            n.b.data = float(x)

    float64 = np.dtype(np.float64)
    rows = "nn.state_hint_rows"
    return {weight: Slot((len(neurons), nin), float64, read_weight, write_weight, hint=rows),
            bias: Slot((len(neurons),), float64, lambda: np.array([n.b.data for n in neurons]), write_bias)}


# ---------------------------------------------------------------- checks, before anything is written


def key_problems(expected, given, source: str, strict: bool = True, lang: str | None = None) -> list:
    """Lines naming what is missing from ``source`` and what it holds in excess (empty when they agree)."""
    lang = i18n.resolve(lang)
    given = list(given)
    missing = [k for k in expected if k not in given]
    extra = [k for k in given if k not in expected]
    problems = []
    if missing and strict:
        problems.append(i18n.message("nn.state_missing", lang, source=source, names=_names(missing, lang)))
    if extra and strict:
        problems.append(i18n.message("nn.state_unexpected", lang, source=source, names=_names(extra, lang)))
    return problems


def _names(keys: list, lang: str, most: int = 20) -> str:
    """The keys, comma-separated; past ``most`` of them, how many more (a hostile file may hold thousands)."""
    more = i18n.message("nn.state_more", lang, count=len(keys) - most) if len(keys) > most else ""
    return ", ".join(keys[:most]) + more


def _kind_problem(name: str, dtype: np.dtype, lang: str):
    """Integers and floats may fit (their values are checked once read); nothing else does."""
    if dtype.kind == "c":
        return i18n.message("nn.state_complex", lang, name=name, dtype=dtype)
    if dtype.kind == "b":
        return i18n.message("nn.state_bool", lang, name=name)
    if dtype.kind not in "iuf":
        return i18n.message("nn.state_kind", lang, name=name, dtype=dtype)
    return None


def header_problem(name: str, slot: Slot, shape: tuple, dtype: np.dtype, source: str,
                   lang: str | None = None):
    """What is wrong with an array of this shape and dtype for ``slot`` (None when it may fit)."""
    lang = i18n.resolve(lang)
    shape = tuple(shape)
    if shape != tuple(slot.shape):
        hint = f" ({i18n.message(slot.hint, lang)})" if slot.hint else ""
        if len(shape) == 2 and shape[::-1] == tuple(slot.shape):
            hint += i18n.message("nn.state_transposed", lang)
        return i18n.message("nn.state_shape", lang, name=name, shape=shape, source=source,
                            expected=tuple(slot.shape), hint=hint)
    return _kind_problem(name, np.dtype(dtype), lang)


def checked_value(name: str, slot: Slot, arr: np.ndarray, lang: str | None = None):
    """``(array cast to the slot's dtype, None)`` or ``(None, problem)``: NaN, ±inf, a value under the
    slot's bound, or a cast that would change a value (float64 → float32 rounding, a huge integer)."""
    lang = i18n.resolve(lang)
    arr = np.asarray(arr)
    if arr.dtype.kind == "f":
        bad = ~np.isfinite(arr)
        if bad.any():
            what = i18n.message("nn.state_nan" if np.isnan(arr).any() else "nn.state_inf", lang)
            return None, i18n.message("nn.state_nonfinite", lang, name=name, what=what, count=int(bad.sum()),
                                      size=arr.size)
    try:
        cast = arr.astype(slot.dtype)
        # back to the original gives the same values, and no integer wrapped around to the other sign
        lossless = np.array_equal(cast.astype(arr.dtype), arr) and np.array_equal(cast < 0, arr < 0)
    except (OverflowError, ValueError):
        lossless = False
    if not lossless:
        return None, i18n.message("nn.state_lossy", lang, name=name, dtype=arr.dtype, target=slot.dtype)
    if slot.low is not None and arr.size and cast.min() < slot.low:
        return None, i18n.message("nn.state_low", lang, name=name, value=repr(cast.min().item()),
                                  low=slot.low)
    return cast, None


def layer_activation(layer, i: int) -> str:
    """The activation name shared by a scalar layer's neurons ("linear" for none)."""
    names = {getattr(n, "activation", None) or ("relu" if getattr(n, "nonlin", True) else "linear")
             for n in layer.neurons}
    if len(names) != 1:
        raise ValueError(i18n.message("nn.mlp_activations", index=i, names=sorted(names)))
    return names.pop()


def mlp_slots(layers) -> dict:
    """A scalar MLP as the ``torch.nn.Sequential`` that ``to_torch`` builds: each layer is a Linear
    (``<i>.weight`` of shape (out, in), ``<i>.bias``), followed by its activation module unless linear,
    so MLP(2, [16, 1]) gives 0.weight, 0.bias, 2.weight, 2.bias."""
    slots, index = {}, 0
    for i, layer in enumerate(layers):
        slots.update(dense_slots(layer.neurons, f"{index}.weight", f"{index}.bias"))
        index += 1 if layer_activation(layer, i) == "linear" else 2
    return slots
