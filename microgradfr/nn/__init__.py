"""Neural-network building blocks (``from microgradfr.nn import Module, Neuron, Layer, MLP``)."""
from .module import Module
from .scalar import MLP, Layer, Neuron

__all__ = ["Module", "Neuron", "Layer", "MLP"]
