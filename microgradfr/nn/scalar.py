"""micrograd's scalar network: Neuron, Layer, MLP, with choosable activations.

Each neuron computes act(Σ wᵢ·xᵢ + b), the sum being one fused node (see ``ops.linear``).
micrograd's signatures and reprs hold: ``Neuron(nin, nonlin=True)`` (``nonlin`` may come second),
``Layer(nin, nout, **kwargs)``, ``MLP(nin, nouts)`` with ReLU layers and a linear last one.

>>> MLP(2, [3, 1])
MLP of [Layer of [ReLUNeuron(2), ReLUNeuron(2), ReLUNeuron(2)], Layer of [LinearNeuron(3)]]
>>> Neuron(3, False)                 # micrograd's Neuron(nin, nonlin)
LinearNeuron(3)
"""
from __future__ import annotations

import math

from .. import i18n
from ..engine import Value, linear
from ..random import generator
from .module import Module
from .state import mlp_slots

__all__ = ["Neuron", "Layer", "MLP", "ACTIVATIONS"]

# How a neuron's repr names its activation, as micrograd does (ReLUNeuron, LinearNeuron)
_REPR_NAMES = {"relu": "ReLU", "tanh": "Tanh", "sigmoid": "Sigmoid", "leaky_relu": "LeakyReLU",
               "linear": "Linear"}

ACTIVATIONS = {
    "relu": Value.relu,
    "tanh": Value.tanh,
    "sigmoid": Value.sigmoid,
    "leaky_relu": Value.leaky_relu,
    "linear": None,
}


def _activation(activation, nonlin):
    """Resolve ``activation=`` (ours) and ``nonlin=`` (micrograd's bool, maybe given second) to a name."""
    if isinstance(activation, bool):  # Neuron(nin, False): micrograd's positional nonlin
        activation, nonlin = "relu", activation if nonlin is None else nonlin
    if nonlin is not None:
        activation = "relu" if nonlin else "linear"
    if activation not in ACTIVATIONS:
        raise ValueError(i18n.message("nn.activation", value=activation,
                                      choices=", ".join(map(repr, ACTIVATIONS))))
    return activation


def _as_values(x) -> list:
    return [v if isinstance(v, Value) else Value(v) for v in x]


class Neuron(Module):
    """act(w·x + b) with ``nin`` weights drawn from U(−1/√nin, 1/√nin) (PyTorch's default) and b = 0."""

    def __init__(self, nin: int, activation: str = "relu", nonlin: bool | None = None):
        if not isinstance(nin, int) or nin < 1:
            raise ValueError(i18n.message("nn.neuron_nin", value=nin))
        bound = 1.0 / math.sqrt(nin)
        self.w = [Value(float(v)) for v in generator().uniform(-bound, bound, nin)]
        self.b = Value(0.0)
        self.activation = _activation(activation, nonlin)
        self.label_parameters()

    @property
    def nonlin(self) -> bool:
        """micrograd's flag: True unless the neuron is linear (setting it picks ReLU or linear)."""
        return self.activation != "linear"

    @nonlin.setter
    def nonlin(self, value: bool):
        self.activation = _activation(self.activation, bool(value))

    def __call__(self, x):
        if len(x) != len(self.w):
            raise ValueError(i18n.message("nn.neuron_inputs", got=len(x), expected=len(self.w)))
        z = linear(self.w, x, self.b)  # plain numbers in x become constant leaves there
        act = ACTIVATIONS[self.activation]
        return act(z) if act is not None else z

    def __repr__(self):
        return f"{_REPR_NAMES[self.activation]}Neuron({len(self.w)})"


class Layer(Module):
    """``nout`` neurons reading the same inputs; one neuron returns a Value, more a list."""

    def __init__(self, nin: int, nout: int, activation: str = "relu", nonlin: bool | None = None):
        if not isinstance(nout, int) or nout < 1:
            raise ValueError(i18n.message("nn.layer_nout", layer="Layer", value=nout))
        self.neurons = [Neuron(nin, activation, nonlin) for _ in range(nout)]
        self.label_parameters()

    def __call__(self, x):
        x = _as_values(x)  # wrap plain numbers once for all neurons
        out = [n(x) for n in self.neurons]
        return out[0] if len(out) == 1 else out

    def __repr__(self):
        return f"Layer of [{', '.join(str(n) for n in self.neurons)}]"


class MLP(Module):
    """A multi-layer perceptron: ``MLP(2, [16, 16, 1])`` is 2 → 16 → 16 → 1."""

    def __init__(self, nin: int, nouts, activation: str = "relu", output_activation: str = "linear"):
        sizes = [nin, *nouts]
        last = len(nouts) - 1
        self.layers = [Layer(sizes[i], sizes[i + 1], output_activation if i == last else activation)
                       for i in range(len(nouts))]
        self.label_parameters()

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x

    def _state_slots(self):
        """state_dict() as PyTorch's equivalent network (``microgradfr.to_torch``): 0.weight (out, in), …"""
        return mlp_slots(self.layers)

    def __repr__(self):
        return f"MLP of [{', '.join(str(layer) for layer in self.layers)}]"
