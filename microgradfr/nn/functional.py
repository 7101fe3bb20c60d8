"""``microgradfr.nn.functional``: PyTorch's path to the functional ops, the same functions as
:mod:`microgradfr.functional` (``import microgradfr.nn.functional as F`` as one writes
``import torch.nn.functional as F``).

>>> import microgradfr.functional
>>> import microgradfr.nn.functional as F
>>> F.relu is microgradfr.functional.relu
True
"""
from ..functional import *  # noqa: F403 - this module is only the other path to the same names
from ..functional import __all__  # noqa: F401
