"""The Module base shared by scalar and Tensor models: parameters found by walking attributes."""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from .. import i18n
from ..engine import Value
from . import state as _state
from .parameter import Parameter

__all__ = ["Module", "is_parameter", "module_repr", "Summary", "SummaryRow"]

_RECORDERS = []  # callbacks record(module, output) active during Module.summary()


def is_parameter(obj) -> bool:
    """A parameter: a Value, an :class:`~microgradfr.nn.Parameter` (even one with
    ``requires_grad=False``, as in PyTorch), or a Tensor created with ``requires_grad=True``."""
    return isinstance(obj, (Value, Parameter)) or getattr(obj, "requires_grad", False) is True


class Module:
    """Base class of every model: holds parameters and sub-modules as attributes.

    Parameters and sub-modules are found in attribute order, inside lists and tuples too
    (an :class:`~microgradfr.nn.ModuleList`, a list of Values), which gives PyTorch-style dotted
    names (``layers.0.weight``, ``layers.0.neurons.1.w.0``). Assigning a Parameter, a Module or a
    ModuleList to an attribute is all it takes to register it.
    """

    training = True

    def named_parameters(self, prefix: str = ""):
        """``(dotted name, parameter)`` pairs in PyTorch's order, each parameter once: module by
        module (this one, then its sub-modules depth first), each module's own parameters in
        attribute order."""
        seen = set()
        for name, module in self.named_modules(prefix):
            dot = f"{name}." if name else ""
            for key, param in _own_parameters(module):
                if id(param) not in seen:
                    seen.add(id(param))
                    yield dot + key, param

    def parameters(self) -> list:
        """Every parameter, in definition order, without duplicates."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset gradients before the next backward pass (0.0 for Values, None for Tensors)."""
        for p in self.parameters():
            p.grad = 0.0 if isinstance(p, Value) else None

    def num_parameters(self) -> int:
        """How many scalar parameters the model learns."""
        return sum(p.numel() if hasattr(p, "numel") else 1 for p in self.parameters())

    def __call__(self, *args, **kwargs):
        """``model(x)`` runs ``forward(x)`` (Tensor layers); scalar modules define ``__call__`` themselves."""
        out = self.forward(*args, **kwargs)
        for record in _RECORDERS:
            record(self, out)
        return out

    def forward(self, *args, **kwargs):
        raise NotImplementedError(i18n.message("nn.no_forward", module=type(self).__name__))

    def fit(self, loss_fn, optimizer, train_data, epochs, **options):
        """Train this model: ``model.fit(loss_fn, optimizer, (X, y), epochs=20)``.

        The same as :func:`microgradfr.training.fit` (progress bar, validation, callbacks),
        called the way Keras users write it; returns the :class:`~microgradfr.training.History`.
        """
        from ..training import fit
        return fit(self, loss_fn, optimizer, train_data, epochs, **options)

    buffer_names: tuple = ()
    """Attributes holding state that is saved but not learned (BatchNorm's running statistics)."""

    buffer_low: dict = {}
    """The smallest value a buffer may hold, by attribute name (a variance is ≥ 0); checked on load."""

    # ------------------------------------------------------------ state_dict, as in PyTorch
    def state_dict(self) -> dict:
        """An ordered dict ``name -> ndarray`` of every parameter and buffer, keyed and shaped as
        PyTorch's equivalent module: ``0.weight`` of shape (out_features, in_features) for a
        ``Sequential(Linear…)``, ``running_mean``/``running_var``/``num_batches_tracked`` for BatchNorm;
        module by module, each one's parameters then its buffers. The arrays are copies (PyTorch
        shares memory with the model; a copy cannot change behind your back).

        >>> from microgradfr.nn import Linear, Sequential
        >>> {k: v.shape for k, v in Sequential(Linear(3, 2)).state_dict().items()}
        {'0.weight': (2, 3), '0.bias': (2,)}
        """
        return {name: slot.read() for name, slot in self._state_slots().items()}

    def load_state_dict(self, state_dict, strict: bool = True):
        """Copy the arrays of ``state_dict`` (ours, or a torch ``state_dict()``, tensors or ``.numpy()``
        arrays) into this model, all or nothing: every name, shape and value is checked first.

        With ``strict=True`` missing and unexpected keys are errors; with ``strict=False`` the keys
        that match are loaded and the others returned, as PyTorch's ``(missing_keys, unexpected_keys)``.
        Values are cast only where none changes (float32 → float64, 3 → 3.0); complex, bool, NaN and
        ±inf are refused. A ValueError lists every problem at once, and the model is left as it was.
        """
        owner = f"{type(self).__name__}.load_state_dict"
        if not hasattr(state_dict, "keys") or not callable(getattr(state_dict, "items", None)):
            raise TypeError(i18n.message("nn.state_dict_type", owner=owner, type=type(state_dict).__name__))
        lang = i18n.resolve(None)
        source = i18n.message("nn.state_source", lang)
        slots = self._state_slots()
        problems = _state.key_problems(slots, state_dict.keys(), source, strict, lang)
        ready = {}
        for name, value in state_dict.items():
            if name not in slots:
                continue
            arr = _as_array(value)
            problem = _state.header_problem(name, slots[name], arr.shape, arr.dtype, source, lang)
            if problem is None:
                ready[name], problem = _state.checked_value(name, slots[name], arr, lang)
            if problem:
                problems.append(problem)
        if problems:
            head = i18n.message("nn.state_does_not_fit", lang, owner=owner, model=type(self).__name__)
            raise ValueError("\n  ".join([head, *problems]))
        for name, arr in ready.items():
            slots[name].write(arr)
        return _state.IncompatibleKeys([k for k in slots if k not in state_dict],
                                       [k for k in state_dict.keys() if k not in slots])

    def _state_slots(self) -> dict:
        """name -> :class:`~microgradfr.nn.state.Slot`, in PyTorch's order (see :meth:`state_dict`).
        A module laid out unlike its PyTorch equivalent (the scalar MLP) overrides this."""
        slots = {}
        stack = [("", self)]
        while stack:
            name, module = stack.pop()
            dot = f"{name}." if name else ""
            if module is not self and type(module)._state_slots is not Module._state_slots:
                slots.update({dot + key: slot for key, slot in module._state_slots().items()})
                continue  # a sub-module with its own layout (an MLP inside a model) names its arrays
            stack.extend(reversed(_named_children(module, name)))
            for key, p in _own_parameters(module):
                slots[dot + key] = (_state.value_slot(p) if isinstance(p, Value)
                                    else _state.array_slot(p.data, hint=_weight_hint(module, key)))
            for attr in module.buffer_names:
                slots[dot + attr] = _state.array_slot(getattr(module, attr), module.buffer_low.get(attr))
        return slots

    def named_buffers(self, prefix: str = ""):
        """``(dotted name, array)`` for every buffer of this module and its sub-modules."""
        for name, module in self.named_modules(prefix):
            dot = f"{name}." if name else ""
            for attr in module.buffer_names:
                yield f"{dot}{attr}", getattr(module, attr)

    def named_modules(self, prefix: str = ""):
        """``(dotted name, module)`` for this module and every sub-module, depth first, in order; a
        module held twice is listed once, under its first name (as PyTorch)."""
        seen = set()
        stack = [(prefix, self)]
        while stack:
            name, module = stack.pop()
            if id(module) in seen:
                continue
            seen.add(id(module))
            yield name, module
            stack.extend(reversed(_named_children(module, name)))

    def modules(self):
        """This module and every sub-module, depth first, in order (``named_modules`` without names)."""
        for _, module in self.named_modules():
            yield module

    def named_children(self):
        """``(name, sub-module)`` for the direct sub-modules, in definition order."""
        yield from _named_children(self, "")

    def summary(self, input_shape, dtype=None, lang: str | None = None, batch_dim="auto") -> Summary:
        """Run zeros of shape ``input_shape`` through the model and tabulate each layer: output shape
        and parameters. Shapes are printed without the batch axis, channels first (C, H, W) as in PyTorch.

        ``input_shape`` may be one example's shape, ``(1, 32, 32)`` for a grey 32×32 image, or
        torchinfo's ``input_size`` with the batch axis, ``(1, 1, 32, 32)``. The first layer's expected
        rank tells them apart (Conv2d takes (N, C, H, W): 3 axes are one example, 4 include the batch);
        when both readings fit and give different tables, a ValueError shows both.
        ``batch_dim=0`` says "one example" (the batch axis is added at 0), ``batch_dim=None`` says
        "the batch axis is included", as torchinfo's ``batch_dim``.
        The pass runs in evaluation mode without recording a graph; modes are restored after.
        The table and the errors are in ``lang`` (default: :func:`microgradfr.get_language`, French).
        """
        lang = i18n.resolve(lang)
        input_shape = tuple(input_shape)
        readings = _readings(self, input_shape, batch_dim, lang)
        tables = {}
        for reading in readings:
            try:
                tables[reading] = self._summary_rows(_model_input(input_shape, reading), dtype)
            except (ValueError, TypeError) as error:
                if len(readings) == 1:
                    raise
                tables[reading] = error
        good = {r: rows for r, rows in tables.items() if not isinstance(rows, Exception)}
        if not good:
            raise ValueError("\n  ".join([i18n.message("summary.neither", lang, shape=input_shape),
                                          *(_line(input_shape, r, e, lang) for r, e in tables.items())]))
        if len(good) == 2 and good["batch"] != good["example"]:
            raise ValueError(_ambiguous(input_shape, good, lang))
        reading = "example" if "example" in good else "batch"
        return Summary(type(self).__name__, _split(input_shape, reading)[1], good[reading],
                       self.num_parameters(), lang)

    def _summary_rows(self, shape, dtype) -> list:
        """The rows of a summary, from one pass of zeros of ``shape`` (batch axis included)."""
        from ..autograd import no_grad
        from ..tensor import Tensor

        names = {id(m): name for name, m in self.named_modules()}
        rows = []

        def record(module, out):
            if id(module) in names and not any(True for _ in module.children()):
                out_shape = tuple(getattr(out, "shape", ()))[1:]
                rows.append(SummaryRow(names[id(module)] or type(module).__name__, _describe(module),
                                       out_shape, module.num_parameters()))

        modes = [(m, m.training) for _, m in self.named_modules()]
        x = Tensor(np.zeros(shape, dtype=dtype or np.float64))
        self.eval()
        _RECORDERS.append(record)
        try:
            with no_grad():
                self(x)
        finally:
            _RECORDERS.remove(record)
            for m, mode in modes:
                m.training = mode
        return rows

    def children(self):
        """The direct sub-modules, in definition order."""
        for _, module in _named_children(self, ""):
            yield module

    def train(self, mode: bool = True):
        """Switch training behaviour on (dropout active, batch statistics); returns self."""
        self.training = mode
        for child in self.children():
            child.train(mode)
        return self

    def eval(self):
        """Switch to evaluation behaviour (dropout off, running statistics); returns self."""
        return self.train(False)

    def label_parameters(self) -> None:
        """Name each parameter node by its dotted path, so diagrams can show and group it."""
        for name, p in self.named_parameters():
            p.label = name

    def extra_repr(self) -> str:
        """The settings ``repr`` prints inside the parentheses, as PyTorch's ``extra_repr``."""
        return ""

    def __repr__(self) -> str:
        """As PyTorch prints a module: its name, then one line per sub-module, ``(layers): ModuleList(``
        and so on, nested ones indented by two more spaces."""
        return module_repr(type(self).__name__, self.extra_repr(),
                           [(key, repr(child)) for key, child in _named_children(self, "")])


def module_repr(name: str, extra: str, children: list) -> str:
    """``name(extra)``, or one line per ``(key, child's repr)`` (nested reprs indented by two spaces)
    after the extra lines, as PyTorch lays out a module's repr."""
    lines = extra.split("\n") if extra else []
    lines += [f"({key}): " + child.replace("\n", "\n  ") for key, child in children]
    if not children and len(lines) <= 1:
        return f"{name}({extra})"
    return f"{name}(\n  " + "\n  ".join(lines) + "\n)"


def _as_array(value) -> np.ndarray:
    """A state's value as an ndarray: ours (a Value, a Tensor), torch's (even one needing grad), numpy's."""
    if isinstance(value, Value) or isinstance(getattr(value, "data", None), np.ndarray):
        return np.asarray(value.data)
    if callable(getattr(value, "detach", None)):  # a torch tensor: detached and on the CPU first
        return value.detach().cpu().numpy()
    return np.asarray(value)


def _named_children(module, name: str) -> list:
    """(dotted name, sub-module) for the direct sub-modules, attributes or inside lists/tuples (nested
    ones too: ``blocks.0.1``), in order."""
    dot = f"{name}." if name else ""
    children = []
    stack = list(reversed(vars(module).items()))
    while stack:
        key, value = stack.pop()
        if isinstance(value, Module):
            children.append((dot + key, value))
        elif isinstance(value, (list, tuple)):
            stack.extend((f"{key}.{i}", v) for i, v in reversed(list(enumerate(value))))
    return children


def _own_parameters(module):
    """(name, parameter) for a module's own parameters (attributes, or in lists), not its children's."""
    stack = list(reversed(vars(module).items()))
    while stack:
        name, item = stack.pop()
        if is_parameter(item):
            yield name, item
        elif isinstance(item, (list, tuple)) and not isinstance(item, Module):
            stack.extend((f"{name}.{i}", v) for i, v in reversed(list(enumerate(item))))


def _weight_hint(module, key) -> str:
    """The catalogue key of what a Linear's or Conv2d's weight shape means, said when a loaded shape is
    wrong ("" for none)."""
    if key != "weight":
        return ""
    if hasattr(module, "in_features"):
        return "nn.state_hint_linear"
    if hasattr(module, "in_channels"):
        return "nn.state_hint_conv"
    return ""


# ------------------------------------------------------------------ model summary
def _reading(input_shape, reading, lang) -> str:
    """One reading of ``input_shape`` in words: "one example of shape (1, 32, 32) (a batch of 1 added)"."""
    batch, example = _split(input_shape, reading)
    return i18n.message(f"summary.reading_{reading}", lang, batch=batch, shape=example)


def _split(input_shape, reading):
    """(batch size, one example's shape) under a reading."""
    return (1, input_shape) if reading == "example" else (input_shape[0], input_shape[1:])


def _model_input(input_shape, reading):
    return (1, *input_shape) if reading == "example" else input_shape


def _first_ranks(model):
    """(ranks with the batch axis, layer) of the first layer that says what it takes, skipping layers
    that keep the shape (activations, dropout); (None, layer) when the first one does not say."""
    for _, module in model.named_modules():
        if any(True for _ in module.children()):
            continue
        ranks = getattr(module, "_input_ranks", None)
        if ranks != "any":
            return ranks, module
    return None, None


def _line(input_shape, reading, detail, lang) -> str:
    """``reading: detail``, with the colon each language writes."""
    return i18n.message("summary.reading_line", lang, reading=_reading(input_shape, reading, lang),
                        detail=detail)


def _readings(model, input_shape, batch_dim, lang) -> tuple:
    """The readings of ``input_shape`` that the first layer's rank allows: "example", "batch" or both."""
    if batch_dim is None:
        return ("batch",)
    if batch_dim == 0:
        return ("example",)
    if batch_dim != "auto":
        raise ValueError(i18n.message("summary.batch_dim", lang, value=batch_dim))
    ranks, layer = _first_ranks(model)
    both = ("example", "batch") if input_shape else ("example",)
    if ranks is None:
        return both
    fits = tuple(r for r in both if len(_model_input(input_shape, r)) in ranks)
    if not fits:
        either = i18n.message("summary.or", lang)
        axes = either.join(str(r) for r in ranks)
        one = either.join(str(r - 1) for r in ranks)
        raise ValueError(i18n.message("summary.wrong_rank", lang, shape=input_shape, axes=len(input_shape),
                                      layer=_describe(layer), ranks=axes, example_ranks=one))
    return fits


def _ambiguous(input_shape, tables, lang) -> str:
    lines = [i18n.message("summary.ambiguous", lang, shape=input_shape)]
    for reading, rows in tables.items():
        outputs = ", ".join(f"{r.name} → {r.output_shape}" for r in rows[-2:])
        lines.append("  " + _line(input_shape, reading, f"… {outputs}", lang))
    lines.append("  " + i18n.message("summary.say_which", lang))
    return "\n".join(lines)


def _describe(module) -> str:
    """A layer's short description (``Conv2d(1 → 32, 3×3, stride 2, padding 1)``), else its repr."""
    describe = getattr(module, "describe", None)
    return describe() if callable(describe) else repr(module)


class SummaryRow(NamedTuple):
    """One layer of a summary: its dotted name, description, output shape (no batch axis), parameters."""

    name: str
    layer: str
    output_shape: tuple
    parameters: int


def _shape(shape, lang) -> str:
    return "×".join(map(str, shape)) if shape else i18n.message("summary.scalar", lang)


class Summary:
    """The table ``Module.summary()`` returns: print it, or read ``rows`` and ``total``."""

    def __init__(self, model: str, input_shape: tuple, rows: list, total: int, lang: str | None = None):
        self.model = model
        self.input_shape = input_shape
        self.rows = rows
        self.total = total
        self.lang = i18n.resolve(lang)

    def __str__(self) -> str:
        lang = self.lang
        layer, output, params, inp, total = (i18n.message(f"summary.{key}", lang)
                                             for key in ("layer", "output", "parameters", "input", "total"))
        body = [(f"{r.name}: {r.layer}", _shape(r.output_shape, lang), i18n.integer(r.parameters, lang))
                for r in self.rows]
        head = (layer, f"{output} (C×H×W)" if any(len(r.output_shape) == 3 for r in self.rows) else output,
                params)
        widths = [max(len(row[i]) for row in [head, *body]) for i in range(3)]
        line = "─" * (sum(widths) + 6)

        def fmt(row):
            return f"{row[0]:<{widths[0]}}   {row[1]:<{widths[1]}}   {row[2]:>{widths[2]}}"

        return "\n".join([f"{self.model} — {inp} {_shape(self.input_shape, lang)}", line, fmt(head), line,
                          *map(fmt, body), line, f"{total} {i18n.integer(self.total, lang)}"])

    __repr__ = __str__
