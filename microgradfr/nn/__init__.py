"""Neural-network building blocks (``from microgradfr.nn import Module, Neuron, Layer, MLP``)."""
from . import functional  # noqa: F401 - torch.nn.functional's path: microgradfr.nn.functional.relu
from .containers import ModuleList
from .layers import (
                     AvgPool2d,
                     BatchNorm1d,
                     BatchNorm2d,
                     Conv2d,
                     Dropout,
                     Flatten,
                     Identity,
                     LeakyReLU,
                     Linear,
                     LogSoftmax,
                     MaxPool2d,
                     ReLU,
                     Sequential,
                     Sigmoid,
                     Softmax,
                     Tanh,
)
from .losses import BCELoss, BCEWithLogitsLoss, CrossEntropyLoss, L1Loss, MSELoss, NLLLoss
from .module import Module
from .parameter import Parameter
from .scalar import MLP, Layer, Neuron

__all__ = ["Module", "Parameter", "Neuron", "Layer", "MLP",
           "Linear", "Conv2d", "MaxPool2d", "AvgPool2d", "Flatten", "ReLU", "LeakyReLU", "Sigmoid", "Tanh",
           "Softmax", "LogSoftmax", "Identity", "Dropout", "BatchNorm1d", "BatchNorm2d",
           "Sequential", "ModuleList",
           "MSELoss", "L1Loss", "BCELoss", "BCEWithLogitsLoss", "CrossEntropyLoss", "NLLLoss"]
