"""One seedable source of randomness for every initialisation, like ``torch.manual_seed``."""
from __future__ import annotations

import numpy as np

__all__ = ["manual_seed", "generator", "Generator", "source"]

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


class Generator:
    """A source of randomness of one's own, as ``torch.Generator``: ``g = Generator().manual_seed(42)``,
    then ``randn(3, generator=g)`` draws from it alone (the numbers are not PyTorch's: another algorithm).

    >>> a = Generator().manual_seed(7); b = Generator().manual_seed(7)
    >>> a.numpy().uniform() == b.numpy().uniform()
    True
    """

    def __init__(self) -> None:
        self._rng = np.random.default_rng()
        self._seed = None

    def manual_seed(self, seed: int) -> Generator:
        """Restart from ``seed``; returns the generator itself (``Generator().manual_seed(42)``)."""
        self._rng, self._seed = np.random.default_rng(seed), seed
        return self

    def initial_seed(self):
        """The last seed given (None before any)."""
        return self._seed

    def numpy(self) -> np.random.Generator:
        """The numpy generator it draws from."""
        return self._rng


def source(generator_=None) -> np.random.Generator:
    """What to draw from: a :class:`Generator` (or a numpy one) when given, else the seeded default."""
    if generator_ is None:
        return _generator
    return generator_.numpy() if isinstance(generator_, Generator) else generator_
