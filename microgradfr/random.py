"""One seedable source of randomness for every initialisation, like ``torch.manual_seed``."""
from __future__ import annotations

import numpy as np

__all__ = ["manual_seed", "generator"]

_generator = np.random.default_rng()


def manual_seed(seed: int) -> None:
    """Make every later random initialisation reproducible.

    >>> manual_seed(0); a = generator().uniform()
    >>> manual_seed(0); a == generator().uniform()
    True
    """
    global _generator
    _generator = np.random.default_rng(seed)


def generator() -> np.random.Generator:
    """The generator that layers draw their initial weights from."""
    return _generator
