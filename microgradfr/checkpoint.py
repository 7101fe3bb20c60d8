"""Save and load a model's parameters or an optimizer's state in a ``.npz`` file (numpy, no pickle).

A model's file holds its ``state_dict()``: one array per parameter and buffer, named as PyTorch names
them for the same network (``0.weight`` of shape (out, in), ``1.running_mean``). An optimizer's file
holds its ``state_dict()`` flattened into keys such as ``state.3.exp_avg`` and ``param_groups.0.lr``.

Writing is atomic: the arrays go to a temporary file in the same folder, which then replaces the
target in one step, so a crash never leaves a half-written checkpoint; the file gets the permissions
``np.save`` would give it. Loading is all-or-nothing, and reads as little as it can before deciding:

1. the archive's index (a ``.npz`` is a zip of ``.npy`` files): every name is checked first;
2. each expected array's ``.npy`` header: shape and kind of number, so a huge array under a wrong
   name or shape is refused without reading it;
3. the arrays, then their values (no NaN, casts that change no value, optimizer settings in range);
4. only then is anything written.

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

import math
import os
import stat
import tempfile
import zipfile

import numpy as np

from . import i18n
from .engine import Value
from .nn import state as _state
from .nn.module import Module
from .optim import Optimizer

__all__ = ["save", "load"]

KIND = "__microgradfr__"  # the key that says what the file holds: "module" or "optimizer:<class>"
_RESERVED = {"file", "allow_pickle"}  # np.savez's own argument names cannot be array names

# The buffers each optimizer keeps per parameter: those always there once it has stepped, and those
# a setting adds. A parameter's state in a file is either absent or exactly this set.
_OPTIMIZER_STATE = {
    "SGD": (set(), {"momentum_buffer": "momentum"}),
    "RMSprop": ({"step", "square_avg"}, {"momentum_buffer": "momentum", "grad_avg": "centered"}),
    "Adam": ({"step", "exp_avg", "exp_avg_sq"}, {"max_exp_avg_sq": "amsgrad"}),
}
_NONNEGATIVE = {"square_avg", "exp_avg_sq", "max_exp_avg_sq"}  # averages of g², square-rooted by step()
_MAX_UNKNOWN_BUFFERS = 8  # per parameter, for an optimizer class this table does not know


class _Refused(ValueError):
    """A file that does not fit, or a damaged one already explained: its message is final."""


# ---------------------------------------------------------------- save


def _module_arrays(module) -> dict:
    arrays = module.state_dict()
    for name, arr in arrays.items():
        if arr.dtype.kind == "f" and not np.isfinite(arr).all():
            raise ValueError(i18n.message("checkpoint.nonfinite", name=name))
    return arrays


def _optimizer_arrays(optimizer: Optimizer) -> dict:
    """``state_dict()`` as flat arrays: ``state.<i>.<buffer>`` and ``param_groups.<g>.<hyperparameter>``."""
    sd = optimizer.state_dict()
    arrays = {}
    for i, buffers in sd["state"].items():
        for name, value in buffers.items():
            arrays[f"state.{i}.{name}"] = np.asarray(value)
    for g, group in enumerate(sd["param_groups"]):
        for key, value in group.items():
            arrays[f"param_groups.{g}.{key}"] = np.asarray(value, dtype=np.int64 if key == "params" else None)
    return arrays


def _arrays_to_save(obj) -> dict:
    if isinstance(obj, Optimizer):
        return {KIND: np.array(f"optimizer:{type(obj).__name__}"), **_optimizer_arrays(obj)}
    if isinstance(obj, Module):
        return {KIND: np.array("module"), **_module_arrays(obj)}
    raise TypeError(i18n.message("checkpoint.save_type", type=type(obj).__name__))


def _new_file_mode(path: str) -> int:
    """The mode ``open(path, "w")`` (np.save) gives: an existing file's own, else 0o666 minus the umask."""
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except FileNotFoundError:
        umask = os.umask(0)  # the only portable way to read the umask is to set it; put it back at once
        os.umask(umask)
        return 0o666 & ~umask


def save(obj, path) -> None:
    """Write a model's ``state_dict()`` or an optimizer's state to ``path``, atomically.

    The file is a ``.npz`` archive that ``np.load(path)`` reads without pickle. Writing goes to a
    temporary file next to ``path``, then ``os.replace`` swaps it in: either the old file or the
    complete new one exists, never a partial one, and an interrupted save removes its temporary file.
    """
    arrays = _arrays_to_save(obj)
    clash = _RESERVED & set(arrays)
    if clash:
        raise ValueError(i18n.message("checkpoint.reserved", names=sorted(clash)))
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    mode = _new_file_mode(path)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            np.savez(f, **arrays)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)  # mkstemp made it private (0o600)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


# ---------------------------------------------------------------- reading an archive, index first


def _damaged(path, error) -> ValueError:
    # numpy's advice for unknown bytes (load with allow_pickle=True) would be unsafe: say it plainly
    detail = (i18n.message("checkpoint.pickled") if "pickle" in str(error)
              else f"{type(error).__name__}: {error}")
    return _Refused(i18n.message("checkpoint.damaged", path=path, detail=detail))  # not wrapped twice


class _Archive:
    """An ``.npz`` opened for checking: names from the zip index, shapes from the ``.npy`` headers,
    arrays only when asked for."""

    def __init__(self, path):
        self.path = path
        self._file = open(path, "rb")  # FileNotFoundError passes through as itself
        try:
            if not zipfile.is_zipfile(self._file):
                self._file.seek(0)
                if self._file.read(6) == b"\x93NUMPY":
                    raise _Refused(i18n.message("checkpoint.single_npy", path=path))
                raise _damaged(path, ValueError(i18n.message("checkpoint.no_zip")))
            self._zip = zipfile.ZipFile(self._file)
            self.members = {}
            for info in self._zip.infolist():
                if not info.filename.endswith(".npy") or info.filename[:-4] in self.members:
                    raise _damaged(path, ValueError(i18n.message("checkpoint.member", name=info.filename)))
                self.members[info.filename[:-4]] = info
        except BaseException:
            self._file.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._zip.close()
        self._file.close()

    def header(self, key):
        """(shape, dtype) of one array, from its ``.npy`` header, checked against the member's size."""
        info = self.members[key]
        with self._zip.open(info) as member:
            version = np.lib.format.read_magic(member)
            if version not in ((1, 0), (2, 0)):
                raise ValueError(i18n.message("checkpoint.npy_version", version=version))
            read = {(1, 0): np.lib.format.read_array_header_1_0, (2, 0): np.lib.format.read_array_header_2_0}
            shape, _, dtype = read[version](member)
            start = member.tell()
        if dtype.hasobject:
            raise ValueError(f"{key} holds pickled objects")  # internal: _damaged reads "pickle", says it
        if info.file_size != start + math.prod(shape) * dtype.itemsize:
            raise ValueError(i18n.message("checkpoint.header_size", entry=key, shape=shape, dtype=dtype,
                                          size=info.file_size))
        return tuple(shape), dtype

    def read(self, key) -> np.ndarray:
        """One array, read to the end of its member so the zip's CRC check runs."""
        with self._zip.open(self.members[key]) as member:
            arr = np.lib.format.read_array(member, allow_pickle=False)
            if member.read(1):
                raise ValueError(f"{key}: bytes after the array")  # internal: header() checked the size
        return arr

    def kind(self) -> str:
        if KIND not in self.members:
            return "module"  # files written before the kind was recorded hold a module
        shape, dtype = self.header(KIND)
        if shape != () or dtype.kind != "U" or dtype.itemsize > 4 * 200:
            raise ValueError(i18n.message("checkpoint.kind_not_text", entry=KIND, shape=shape, dtype=dtype))
        return str(self.read(KIND))


def _checked_read(path, steps):
    """Run ``steps(archive)``; any failure that is not a deliberate refusal means a damaged file."""
    try:
        with _Archive(path) as archive:
            return steps(archive)
    except (FileNotFoundError, _Refused):
        raise
    except Exception as error:  # a damaged archive fails in many ways (zip, zlib, CRC, npy header)
        raise _damaged(path, error) from error


def _refuse(path, key, problems, **fields):
    """Refuse the file when there are problems: ``key`` is "checkpoint.mismatch_model" or "_optimizer"."""
    if problems:
        raise _Refused(i18n.message(key, path=path, problems="\n  ".join(problems), **fields))


def _kind_text(kind: str) -> str:
    """What a file's kind says, in words: a model's, an optimizer's (its class), or the raw text."""
    if kind == "module":
        return i18n.message("checkpoint.of_model")
    if kind.startswith("optimizer:"):
        return i18n.message("checkpoint.of_optimizer", name=kind.partition(":")[2])
    return i18n.message("checkpoint.of_other", kind=kind)


# ---------------------------------------------------------------- a model's file


def _legacy_slots(module, slots) -> dict:
    """The layout of files written before they held ``state_dict()``: ``named_parameters()`` names (the
    scalar MLP's ``layers.0.neurons.1.w.0``) and the buffers but BatchNorm's num_batches_tracked."""
    old = {name: _state.value_slot(p) if isinstance(p, Value) else _state.array_slot(p.data)
           for name, p in module.named_parameters()}
    old.update({name: slots.get(name) or _state.array_slot(b) for name, b in module.named_buffers()
                if not name.endswith("num_batches_tracked")})
    return old


def _read_module(module, path):
    slots = module._state_slots()
    lang = i18n.resolve(None)  # the problem lines speak the language of the refusal they go into
    source = i18n.message("checkpoint.source_file", lang)

    def steps(archive):
        nonlocal slots
        kind = archive.kind()
        if kind != "module":
            raise _Refused(i18n.message("checkpoint.wrong_kind_model", path=path, kind=_kind_text(kind)))
        names = [k for k in archive.members if k != KIND]
        legacy = _legacy_slots(module, slots)
        if set(names) != set(slots) and set(names) == set(legacy):
            slots = legacy  # an older file: still loads, under the names it was written with
        problems = _state.key_problems(slots, names, source, lang=lang)
        for name in (n for n in slots if n in archive.members):  # headers only: unexpected keys stay unread
            problem = _state.header_problem(name, slots[name], *archive.header(name), source, lang)
            problems += [problem] if problem else []
        _refuse(path, "checkpoint.mismatch_model", problems, model=type(module).__name__)
        return {name: archive.read(name) for name in slots}

    arrays = _checked_read(path, steps)
    ready, problems = {}, []
    for name, arr in arrays.items():
        ready[name], problem = _state.checked_value(name, slots[name], arr, lang)
        problems += [problem] if problem else []
    _refuse(path, "checkpoint.mismatch_model", problems, model=type(module).__name__)
    return slots, ready


# ---------------------------------------------------------------- an optimizer's file


def _split_key(path, key):
    parts = key.split(".")
    if len(parts) != 3 or parts[0] not in ("state", "param_groups") or not parts[1].isdigit():
        raise _Refused(i18n.message("checkpoint.bad_key", path=path, entry=key))
    return parts[0], int(parts[1]), parts[2]


def _state_table(optimizer):
    """(always, {buffer: setting}) for this optimizer's class or the nearest known base class."""
    for cls in type(optimizer).__mro__:
        if cls.__name__ in _OPTIMIZER_STATE:
            return _OPTIMIZER_STATE[cls.__name__]
    return None


def _check_optimizer_names(optimizer, path, keys):
    """{g: {hyperparameter keys}}, {i: {buffer names}}; names that cannot belong to ``optimizer`` refused."""
    groups, state = {}, {}
    for key in keys:
        where, index, name = _split_key(path, key)
        (groups if where == "param_groups" else state).setdefault(index, set()).add(name)
    owner = type(optimizer).__name__
    if sorted(groups) != list(range(len(optimizer.param_groups))):
        raise _Refused(i18n.message("checkpoint.group_count", path=path, groups=sorted(groups), owner=owner,
                                    count=len(optimizer.param_groups)))
    problems = []
    for g, names in groups.items():
        expected = set(optimizer.param_groups[g]) - {"initial_lr"}  # a scheduler's, with or without one
        if names - {"initial_lr"} != expected:
            problems.append(i18n.message("checkpoint.p_hyperparameters", group=g, names=sorted(names),
                                         owner=owner, expected=sorted(expected)))
    n_params = len(optimizer.parameters())
    table = _state_table(optimizer)
    known = None if table is None else table[0] | set(table[1])
    for i, names in state.items():
        if i >= n_params:
            problems.append(i18n.message("checkpoint.p_no_parameter", index=i, owner=owner, count=n_params))
        elif known is not None and names - known:
            problems.append(i18n.message("checkpoint.p_buffers", index=i, names=sorted(names - known),
                                         owner=owner, known=sorted(known)))
        elif len(names) > _MAX_UNKNOWN_BUFFERS:
            problems.append(i18n.message("checkpoint.p_many_buffers", index=i, count=len(names)))
    _refuse(path, "checkpoint.mismatch_optimizer", problems, owner=owner)
    return groups, state


def _setting_problem(key, value, current):
    """What is wrong with a hyperparameter read from the file, given the optimizer's current one."""
    if isinstance(current, bool):
        if value.dtype.kind != "b" or value.shape != ():
            return i18n.message("checkpoint.p_bool", entry=key, value=value.tolist(), dtype=value.dtype)
        return None
    if value.dtype.kind not in "iuf" or value.shape != np.shape(current):
        want = (i18n.message("checkpoint.want_pair", current=current) if np.shape(current)
                else i18n.message("checkpoint.want_number"))
        return i18n.message("checkpoint.p_setting", entry=key, want=want, value=value.tolist(),
                            dtype=value.dtype)
    if not np.isfinite(value).all():
        return i18n.message("checkpoint.p_finite", entry=key, value=value.tolist())
    return None


def _setting(value):
    return value.item() if value.ndim == 0 else tuple(value.tolist())


def _check_params_lists(path, optimizer, params):
    """The saved ``params`` lists must number every parameter once, group by group sizes matching."""
    problems, seen = [], []
    for g, group in enumerate(optimizer.param_groups):
        arr = params[g]
        if arr.dtype.kind not in "iu" or arr.shape != (len(group["params"]),):
            problems.append(i18n.message("checkpoint.p_params_list", group=g, count=len(group["params"]),
                                         dtype=arr.dtype, shape=arr.shape))
        else:
            seen += arr.tolist()
    if not problems and sorted(seen) != list(range(len(seen))):
        problems.append(i18n.message("checkpoint.p_params_order", seen=seen, last=len(seen) - 1))
    return problems, seen


def _buffer_problem(key, name, arr, param, nonnegative):
    """What is wrong with a saved buffer (None when it fits): ``step`` a whole number ≥ 0, the others
    finite arrays of the parameter's shape, in its dtype without rounding (≥ 0 for averages of g²)."""
    param_shape, dtype = np.shape(param.data), np.asarray(param.data).dtype
    if name == "step":
        if arr.shape != () or arr.dtype.kind not in "iuf":
            return i18n.message("checkpoint.p_step_kind", entry=key, dtype=arr.dtype, shape=arr.shape)
        value = arr.item()
        if not math.isfinite(value) or value != int(value) or value < 0:
            return i18n.message("checkpoint.p_step_value", entry=key, value=value)
        return None
    if arr.shape != tuple(param_shape):
        return i18n.message("checkpoint.p_buffer_shape", entry=key, shape=arr.shape,
                            expected=tuple(param_shape))
    slot = _state.Slot(arr.shape, dtype, None, None, 0.0 if nonnegative else None)
    kind = _state.header_problem(key, slot, arr.shape, arr.dtype, i18n.message("checkpoint.source_file"))
    if kind:
        return kind
    _, problem = _state.checked_value(key, slot, arr)
    return problem


def _read_optimizer(optimizer, path) -> dict:
    owner = type(optimizer).__name__

    def steps(archive):
        kind = archive.kind()
        if kind != f"optimizer:{owner}":
            raise _Refused(i18n.message("checkpoint.wrong_kind_optimizer", path=path, kind=_kind_text(kind),
                                        owner=owner))
        keys = [k for k in archive.members if k != KIND]
        _check_optimizer_names(optimizer, path, keys)
        bound = max(len(optimizer.parameters()), max((p.data.size if hasattr(p.data, "size") else 1)
                                                      for p in optimizer.parameters()), 2)
        for key in keys:  # nothing in an optimizer file is larger than the largest parameter
            shape, dtype = archive.header(key)
            if math.prod(shape) > bound or dtype.itemsize > 16:
                raise _Refused(i18n.message("checkpoint.too_large", path=path, entry=key, shape=shape,
                                            dtype=dtype, owner=owner))
        return {key: archive.read(key) for key in keys}

    arrays = _checked_read(path, steps)
    groups, state = [dict() for _ in optimizer.param_groups], {}
    problems, params = [], {}
    for key, arr in arrays.items():
        where, index, name = _split_key(path, key)
        if where == "param_groups" and name == "params":
            params[index] = arr
        elif where == "param_groups":
            current = optimizer.param_groups[index].get(name, 0.0)  # initial_lr (a scheduler's) is a number
            problem = _setting_problem(key, arr, current)
            problems += [problem] if problem else []
            groups[index][name] = _setting(arr) if not problem else None
    params_problems, order = _check_params_lists(path, optimizer, params)
    problems += params_problems
    _refuse(path, "checkpoint.mismatch_optimizer", problems, owner=owner)
    for g, arr in params.items():
        groups[g]["params"] = arr.tolist()
    position = {i: k for k, i in enumerate(order)}
    all_params = optimizer.parameters()
    table = _state_table(optimizer)
    for key, arr in arrays.items():
        where, i, name = _split_key(path, key)
        if where != "state":
            continue
        param = all_params[position[i]]
        problem = _buffer_problem(key, name, arr, param, name in _NONNEGATIVE)
        if problem:
            problems.append(problem)
        else:
            state.setdefault(i, {})[name] = (int(arr.item()) if name == "step"
                                             else arr.astype(np.asarray(param.data).dtype))
    if table is not None:
        problems += _completeness_problems(table, state, groups, order, optimizer)
    _refuse(path, "checkpoint.mismatch_optimizer", problems, owner=owner)
    return {"state": state, "param_groups": groups}


def _completeness_problems(table, state, groups, order, optimizer):
    """Each parameter's state holds exactly the buffers its group's settings call for, or nothing."""
    always, added = table
    group_of = {}
    for g, group in enumerate(groups):
        group_of.update({i: g for i in group["params"]})
    problems = []
    for i, buffers in state.items():
        group = groups[group_of[i]]
        wanted = always | {name for name, setting in added.items() if group.get(setting)}
        if set(buffers) != wanted:
            problems.append(i18n.message("checkpoint.p_complete", index=i, names=sorted(buffers),
                                         owner=type(optimizer).__name__, wanted=sorted(wanted)))
    return problems


# ---------------------------------------------------------------- load


def load(obj, path=None):
    """Fill a model or an optimizer from a file written by :func:`save`; returns ``obj``.

    Names and shapes are checked from the archive's index and headers before any array is read,
    then every value (no complex, bool, NaN; casts only where no value changes; optimizer settings
    of the right type and range). If anything does not fit, a ValueError names the file and each
    key at fault, and ``obj`` is left exactly as it was.
    """
    if path is None:  # load("model.npz"), as torch.load(path) is written: say what is missing
        raise TypeError(i18n.message("checkpoint.path_first", path=os.fspath(obj))
                        if isinstance(obj, (str, os.PathLike)) else i18n.message("checkpoint.path_missing"))
    if isinstance(obj, Optimizer):
        state_dict = _read_optimizer(obj, path)
        try:
            obj.load_state_dict(state_dict)  # checks ranges (betas < 1, lr ≥ 0) before assigning
        except ValueError as error:
            raise ValueError(i18n.message("checkpoint.in_file", path=path, error=error)) from error
        return obj
    if not isinstance(obj, Module):
        raise TypeError(i18n.message("checkpoint.load_type", type=type(obj).__name__))
    slots, ready = _read_module(obj, path)
    for name, arr in ready.items():
        slots[name].write(arr)
    return obj
