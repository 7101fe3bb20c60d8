"""PyTorch's ``torch.utils``: here only :mod:`microgradfr.utils.data` (datasets and their batches)."""
from . import data

__all__ = ["data"]
