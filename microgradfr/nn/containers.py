"""``nn.ModuleList``: a list of modules that a Module registers, as in PyTorch.

A plain Python list of layers is found by microgradfr too, but PyTorch only sees modules held by a
container; ``ModuleList`` is the container students write next. Its modules are named by position,
so a model's parameters read ``layers.0.weight``, ``layers.1.bias``, ...

>>> from microgradfr.nn import Linear
>>> layers = ModuleList([Linear(2, 3), Linear(3, 1)])
>>> [name for name, _ in layers.named_parameters()]
['0.weight', '0.bias', '1.weight', '1.bias']
"""
from __future__ import annotations

import numbers

from .. import i18n
from .module import Module, module_repr

__all__ = ["ModuleList"]


class ModuleList(Module):
    """``ModuleList(modules=None)``: indexed like a list (``layers[0]``, ``layers[-1]``, slices give a
    ModuleList), with ``append``, ``extend``, ``insert``, ``pop(key)``, ``len``, ``for``, ``+`` and ``+=``.
    It has no ``forward``: the model that holds it calls its modules in its own ``forward``."""

    def __init__(self, modules=None):
        if modules is not None:
            self.extend(modules)

    # ------------------------------------------------------------ the modules, kept as attributes 0, 1, ...
    def _modules(self) -> list:
        return [value for key, value in vars(self).items() if key.isdigit()]

    def _store(self, modules: list) -> None:
        """Number ``modules`` 0, 1, ... again (after an insert or a deletion)."""
        for key in [key for key in vars(self) if key.isdigit()]:
            delattr(self, key)
        for i, module in enumerate(modules):
            setattr(self, str(i), module)
        self.label_parameters()

    def _checked(self, module, method: str) -> Module:
        if not isinstance(module, Module):
            raise TypeError(i18n.message("nn.modulelist_item", method=method, type=type(module).__name__))
        return module

    def _position(self, index, method: str) -> int:
        """``index`` as a position in 0..len-1 (negative ones counted from the end), or IndexError."""
        if not isinstance(index, numbers.Integral) or isinstance(index, bool):
            raise TypeError(i18n.message("nn.modulelist_index_type", method=method,
                                         type=type(index).__name__))
        n = len(self)
        if not -n <= index < n:
            raise IndexError(i18n.message("nn.modulelist_index", method=method, index=index, length=n))
        return int(index) % n

    # ------------------------------------------------------------ the list's methods, as in PyTorch
    def append(self, module: Module) -> ModuleList:
        """Add ``module`` at the end; returns the list."""
        setattr(self, str(len(self)), self._checked(module, "append"))
        self.label_parameters()
        return self

    def extend(self, modules) -> ModuleList:
        """Add every module of ``modules`` at the end; returns the list."""
        try:
            items = list(modules)
        except TypeError:
            raise TypeError(i18n.message("nn.modulelist_iterable", type=type(modules).__name__)) from None
        start = len(self)
        for i, module in enumerate(items):
            setattr(self, str(start + i), self._checked(module, "extend"))
        self.label_parameters()
        return self

    def insert(self, index: int, module: Module) -> None:
        """Put ``module`` before position ``index`` (as ``list.insert``: past the end means at the end)."""
        modules = self._modules()
        modules.insert(index, self._checked(module, "insert"))
        self._store(modules)

    def pop(self, key):
        """Remove the module at ``key`` and return it (a slice: a ModuleList of those removed).
        As in PyTorch, ``key`` has no default."""
        if isinstance(key, slice):
            removed = self[key]
        else:
            removed = self._modules()[self._position(key, "pop")]
        del self[key]
        return removed

    def __getitem__(self, index):
        if isinstance(index, slice):
            return ModuleList(self._modules()[index])
        return self._modules()[self._position(index, "[]")]

    def __setitem__(self, index, module) -> None:
        modules = self._modules()
        modules[self._position(index, "[]")] = self._checked(module, "[]")
        self._store(modules)

    def __delitem__(self, index) -> None:
        modules = self._modules()
        if isinstance(index, slice):
            del modules[index]
        else:
            del modules[self._position(index, "del")]
        self._store(modules)

    def __len__(self) -> int:
        return len(self._modules())

    def __iter__(self):
        return iter(self._modules())

    def __add__(self, other) -> ModuleList:
        return ModuleList([*self, *other])

    def __iadd__(self, modules) -> ModuleList:
        return self.extend(modules)

    def __repr__(self) -> str:
        """As PyTorch prints it: runs of modules that print alike are one line, ``(0-2): 3 x Linear(...)``."""
        lines, modules = [], [repr(m) for m in self._modules()]
        start = 0
        while start < len(modules):
            end = start
            while end + 1 < len(modules) and modules[end + 1] == modules[start]:
                end += 1
            key = str(start) if end == start else f"{start}-{end}"
            lines.append((key, modules[start] if end == start else f"{end - start + 1} x {modules[start]}"))
            start = end + 1
        return module_repr("ModuleList", "", lines)
