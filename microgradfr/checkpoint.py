"""Save and load a model's parameters or an optimizer's state in a ``.npz`` file (numpy, no pickle).

A model's file holds one array per parameter, named as ``named_parameters()`` names them
(``layers.0.neurons.1.w.0``), plus its buffers (BatchNorm's running statistics) when the model has
``named_buffers()``. An optimizer's file holds its ``state_dict()`` flattened into keys such as
``state.3.exp_avg`` and ``param_groups.0.lr``.

Writing is atomic: the arrays go to a temporary file in the same folder, which then replaces the
target in one step, so a crash never leaves a half-written checkpoint. Loading checks the whole
file against the object before changing anything: a wrong file leaves the model as it was.

>>> import os, tempfile
>>> from microgradfr.nn import MLP
>>> model = MLP(2, [3, 1])
>>> path = os.path.join(tempfile.mkdtemp(), "model.npz")
>>> save(model, path)
>>> copy = load(MLP(2, [3, 1]), path)
>>> [p.data for p in copy.parameters()] == [p.data for p in model.parameters()]
True
"""
from __future__ import annotations

import os
import tempfile

import numpy as np

from .engine import Value
from .optim import Optimizer

__all__ = ["save", "load"]

KIND = "__microgradfr__"  # the key that says what the file holds: "module" or "optimizer:<class>"
_RESERVED = {"file", "allow_pickle"}  # np.savez's own argument names cannot be array names


# ---------------------------------------------------------------- what gets saved


def _module_nodes(module) -> dict:
    """name -> parameter or buffer, in definition order."""
    nodes = dict(module.named_parameters())
    named_buffers = getattr(module, "named_buffers", None)
    if callable(named_buffers):
        for name, buf in named_buffers():
            assert name not in nodes, f"buffer {name!r} has the name of a parameter"
            nodes[name] = buf
    return nodes


def _array_of(node) -> np.ndarray:
    return np.array(node if isinstance(node, np.ndarray) else node.data)


def _flatten_optimizer(optimizer: Optimizer) -> dict:
    """``state_dict()`` as flat arrays: ``state.<i>.<buffer>`` and ``param_groups.<g>.<hyperparameter>``."""
    sd = optimizer.state_dict()
    arrays = {}
    for i, buffers in sd["state"].items():
        for name, value in buffers.items():
            arrays[f"state.{i}.{name}"] = np.asarray(value)
    for g, group in enumerate(sd["param_groups"]):
        for key, value in group.items():
            arrays[f"param_groups.{g}.{key}"] = np.asarray(value)
    return arrays


def _unflatten_optimizer(arrays: dict, path) -> dict:
    """The inverse of :func:`_flatten_optimizer`; a key of another shape is a ValueError."""
    state, groups = {}, {}
    for key, arr in arrays.items():
        parts = key.split(".")
        if len(parts) != 3 or parts[0] not in ("state", "param_groups") or not parts[1].isdigit():
            raise ValueError(f"load: {path}: unexpected key {key!r} in an optimizer checkpoint")
        where, index, name = parts[0], int(parts[1]), parts[2]
        if where == "state":
            state.setdefault(index, {})[name] = int(arr) if name == "step" else arr
        elif name == "params":
            groups.setdefault(index, {})[name] = [int(i) for i in np.atleast_1d(arr)] if arr.size else []
        else:
            groups.setdefault(index, {})[name] = arr.item() if arr.ndim == 0 else tuple(arr.tolist())
    if sorted(groups) != list(range(len(groups))):
        raise ValueError(f"load: {path}: the parameter groups are numbered {sorted(groups)}, not 0, 1, …")
    return {"state": state, "param_groups": [groups[g] for g in range(len(groups))]}


def _arrays_to_save(obj) -> dict:
    if isinstance(obj, Optimizer):
        return {KIND: np.array(f"optimizer:{type(obj).__name__}"), **_flatten_optimizer(obj)}
    if callable(getattr(obj, "named_parameters", None)):
        arrays = {name: _array_of(node) for name, node in _module_nodes(obj).items()}
        return {KIND: np.array("module"), **arrays}
    raise TypeError(f"save: expected a model (a Module) or an optimizer, got {type(obj).__name__}")


# ---------------------------------------------------------------- save


def save(obj, path) -> None:
    """Write a model's parameters (and buffers) or an optimizer's state to ``path``, atomically.

    The file is a ``.npz`` archive that ``np.load(path)`` reads without pickle. Writing goes to a
    temporary file next to ``path``, then ``os.replace`` swaps it in: either the old file or the
    complete new one exists, never a partial one.
    """
    arrays = _arrays_to_save(obj)
    clash = _RESERVED & set(arrays)
    if clash:
        raise ValueError(f"save: a parameter is named {sorted(clash)}, which np.savez cannot store; "
                         f"rename it")
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# ---------------------------------------------------------------- load


class _NotAnArchive(Exception):
    """np.load read a lone .npy array."""


def _read(path) -> dict:
    """Every array of the file, read in full now; anything unreadable is a ValueError saying so."""
    try:
        with open(path, "rb") as f:  # our own handle: np.load(path) leaks it when the archive is broken
            npz = np.load(f, allow_pickle=False)
            if isinstance(npz, np.ndarray):
                raise _NotAnArchive
            with npz:
                return {key: npz[key] for key in npz.files}
    except FileNotFoundError:
        raise
    except _NotAnArchive:
        raise ValueError(f"load: {path} holds a single .npy array, not a checkpoint (.npz archive)") from None
    except Exception as error:  # a damaged archive fails in many ways (zip, zlib, npy header, pickle refusal)
        # numpy's advice for unknown bytes (load with allow_pickle=True) would be unsafe: say it plainly
        detail = ("neither an .npz archive nor an .npy array" if "pickled" in str(error)
                  else f"{type(error).__name__}: {error}")
        raise ValueError(f"load: {path} is not a readable checkpoint: the file is damaged, truncated or not "
                         f"an .npz archive written by save() ({detail})") from error


def _check_module_file(module, arrays: dict, path) -> dict:
    """name -> array to assign, once every name, shape and dtype has been checked."""
    nodes = _module_nodes(module)
    problems = []
    missing = [name for name in nodes if name not in arrays]
    extra = [name for name in arrays if name not in nodes]
    if missing:
        problems.append(f"missing from the file: {', '.join(missing)}")
    if extra:
        problems.append(f"in the file but not in the model: {', '.join(extra)}")
    for name, node in nodes.items():
        if name not in arrays:
            continue
        arr, expected = arrays[name], np.shape(_array_of(node))
        if arr.shape != expected:
            problems.append(f"{name} has shape {arr.shape} in the file, {expected} in the model")
        elif not (np.issubdtype(arr.dtype, np.number) or arr.dtype == bool):
            problems.append(f"{name} holds {arr.dtype} data, not numbers")
    if problems:
        raise ValueError(f"load: {path} does not match {type(module).__name__}:\n  " + "\n  ".join(problems))
    return {name: arrays[name] for name in nodes}


def _assign(node, arr) -> None:
    if isinstance(node, np.ndarray):
        node[...] = arr
    elif isinstance(node, Value) or not isinstance(node.data, np.ndarray):
        node.data = float(arr)
    else:
        node.data[...] = arr


def load(obj, path):
    """Fill a model or an optimizer from a file written by :func:`save`; returns ``obj``.

    The whole file is read and checked first; if it does not fit (missing, extra or mis-shaped
    parameters, a damaged file, another kind of checkpoint) a ValueError says what is wrong and
    ``obj`` is left exactly as it was.
    """
    arrays = _read(path)
    kind = str(arrays.pop(KIND)) if KIND in arrays else "module"
    if isinstance(obj, Optimizer):
        wanted = f"optimizer:{type(obj).__name__}"
        if kind != wanted:
            raise ValueError(f"load: {path} holds a {kind.replace(':', ' ')} checkpoint, not a "
                             f"{type(obj).__name__} optimizer's state")
        obj.load_state_dict(_unflatten_optimizer(arrays, path))  # checks everything before assigning
        return obj
    if not callable(getattr(obj, "named_parameters", None)):
        raise TypeError(f"load: expected a model (a Module) or an optimizer, got {type(obj).__name__}")
    if kind != "module":
        raise ValueError(f"load: {path} holds a {kind.replace(':', ' ')} checkpoint, "
                         f"not a model's parameters")
    checked = _check_module_file(obj, arrays, path)
    nodes = _module_nodes(obj)
    for name, arr in checked.items():
        _assign(nodes[name], arr)
    return obj
