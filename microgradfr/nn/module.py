"""The Module base shared by scalar and Tensor models: parameters found by walking attributes."""
from __future__ import annotations

from ..engine import Value

__all__ = ["Module", "is_parameter"]


def is_parameter(obj) -> bool:
    """A trainable leaf: a Value, or a Tensor created with ``requires_grad=True``."""
    return isinstance(obj, Value) or getattr(obj, "requires_grad", False) is True


class Module:
    """Base class of every model: holds parameters and sub-modules as attributes.

    Parameters and sub-modules are found in attribute order, inside lists and tuples too,
    which gives PyTorch-style dotted names (``layers.0.neurons.1.w.0``).
    """

    training = True

    def named_parameters(self, prefix: str = ""):
        """``(dotted name, parameter)`` pairs in definition order, each parameter once."""
        seen = set()
        for name, param in self._walk(self, prefix):
            if id(param) not in seen:
                seen.add(id(param))
                yield name, param

    def parameters(self) -> list:
        """Every parameter, in definition order, without duplicates."""
        return [p for _, p in self.named_parameters()]

    def zero_grad(self) -> None:
        """Reset gradients before the next backward pass (0.0 for Values, None for Tensors)."""
        for p in self.parameters():
            p.grad = 0.0 if isinstance(p, Value) else None

    def num_parameters(self) -> int:
        """How many scalar parameters the model learns."""
        return sum(getattr(p, "size", 1) for p in self.parameters())

    def children(self):
        """The direct sub-modules, in definition order."""
        for value in vars(self).values():
            items = value if isinstance(value, (list, tuple)) else (value,)
            yield from (m for m in items if isinstance(m, Module))

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

    @staticmethod
    def _walk(obj, prefix):
        """Depth-first over attributes: yields (name, parameter); iterative, in definition order."""
        stack = [(prefix, obj)]
        while stack:
            name, item = stack.pop()
            if is_parameter(item):
                yield name, item
                continue
            if isinstance(item, Module):
                children = list(vars(item).items())
            elif isinstance(item, (list, tuple)):
                children = [(str(i), v) for i, v in enumerate(item)]
            else:
                continue
            dot = f"{name}." if name else ""
            stack.extend((f"{dot}{key}", value) for key, value in reversed(children))
