"""Every sentence ``viz`` shows, in French (the default) and English, and the number format.

The sentences live in the message catalogue (:mod:`microgradfr.i18n`, keys ``viz.*``); the language
is the ``lang=`` argument, else the switch (``microgradfr.set_language``, ``MICROGRADFR_LANG``).

Numbers are written as a student writes them: ``4.5`` not ``4.500000``, ``−1.5`` with a real minus
sign only in prose (diagrams keep ASCII ``-`` so that every renderer measures them right), tiny
values in scientific notation so that 1e−7 never reads as 0.
"""
from __future__ import annotations

import math

import numpy as np

from microgradfr import i18n

__all__ = ["TEXTS", "text", "number", "show", "check_lang"]

TEXTS = {lang: {key[len("viz."):]: sentence for key, sentence in table.items() if key.startswith("viz.")}
         for lang, table in i18n.CATALOGUE.items()}
"""``viz``'s sentences by language then short key: a read-only view of the catalogue's ``viz.*``
entries (:data:`microgradfr.i18n.CATALOGUE`), where they are written and tested."""


def check_lang(lang: str | None = None) -> str:
    """The language to write in: ``lang`` if we speak it (else a ValueError listing the languages
    we do), or with ``None`` the language switch (:func:`microgradfr.set_language`,
    ``MICROGRADFR_LANG``, else French)."""
    return i18n.resolve(lang)


def text(lang: str | None, key: str, **fields) -> str:
    """One sentence of the catalogue's ``viz.<key>`` in ``lang`` (None: the switch), filled in.

    >>> text("en", "path", i=1, chain="∂L/∂c")
    'path 1: ∂L/∂c'
    """
    return i18n.message(f"viz.{key}", lang, **fields)


def number(v, precision: int = 4, minus: str = "-") -> str:
    """A float as a student reads it: at most ``precision`` decimals, trailing zeros dropped.

    Values too small or too large for that many decimals switch to scientific notation, so a
    tiny gradient never reads as 0; NaN and infinities are spelled out.

    >>> number(4.5), number(-1.5, minus="−"), number(2.0), number(1e-7), number(1/3)
    ('4.5', '−1.5', '2', '1e-07', '0.3333')
    >>> number(float("nan")), number(float("-inf"))
    ('NaN', '-inf')
    """
    if hasattr(v, "item") and hasattr(v, "shape") and math.prod(v.shape) == 1:  # an array, a Tensor
        v = v.item()
    if not isinstance(v, (int, float)):
        raise TypeError(f"number(): {type(v).__name__} is not a single number")
    v = float(v)
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return ("-" if v < 0 else "") + "inf"
    if v != 0 and (abs(v) < 10 ** -precision or abs(v) >= 1e7):
        out = f"{v:.{max(precision - 1, 1)}e}"
        mantissa, exp = out.split("e")
        mantissa = mantissa.rstrip("0").rstrip(".")
        out = f"{mantissa}e{exp}"
    else:
        out = f"{v:.{precision}f}".rstrip("0").rstrip(".")
        if out in ("-0", ""):
            out = "0"
    return out.replace("-", minus)


def show(v, precision: int = 4, minus: str = "−") -> str:
    """A number as :func:`number` writes it; an array as its values (≤ 6) or its norm ‖·‖.

    >>> show(-1.5), show([3.0, 4.0]), show([[1.0] * 4] * 4)
    ('−1.5', '[3, 4]', '‖·‖ 4')
    """
    try:
        return number(v, precision, minus)
    except TypeError:
        a = np.asarray(v, dtype=float)
        if a.size <= 6:
            return "[" + ", ".join(number(x, precision, minus) for x in a.ravel()) + "]"
        return f"‖·‖ {number(float(np.linalg.norm(a)), precision, minus)}"
