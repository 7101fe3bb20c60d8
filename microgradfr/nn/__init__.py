"""Neural-network building blocks (``from microgradfr.nn import Module, Neuron, Layer, MLP``)."""
from .layers import (
                     AvgPool2d,
                     BatchNorm1d,
                     BatchNorm2d,
                     Conv2d,
                     Dropout,
                     Flatten,
                     LeakyReLU,
                     Linear,
                     MaxPool2d,
                     ReLU,
                     Sequential,
                     Sigmoid,
                     Softmax,
                     Tanh,
)
from .module import Module
from .scalar import MLP, Layer, Neuron

__all__ = ["Module", "Neuron", "Layer", "MLP",
           "Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "ReLU", "LeakyReLU", "Sigmoid", "Tanh",
           "Softmax", "Dropout", "BatchNorm1d", "BatchNorm2d", "Sequential"]
