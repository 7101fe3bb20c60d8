"""Every sentence ``viz`` shows, in French (the default) and English, and the number format.

Numbers are written as a student writes them: ``4.5`` not ``4.500000``, ``−1.5`` with a real minus
sign only in prose (diagrams keep ASCII ``-`` so that every renderer measures them right), tiny
values in scientific notation so that 1e−7 never reads as 0.
"""
from __future__ import annotations

import math

__all__ = ["TEXTS", "text", "number", "show", "check_lang"]

TEXTS = {
    "fr": {
        "not_computed": "non calculé",
        "not_computed_long": "gradient non calculé (pas encore de backward)",
        "zero": "gradient nul",
        "nan": "NaN / inf",
        "legend": "|grad| (échelle log)",
        "legend_title": "légende",
        "forward": "passe avant",
        "backward": "passe arrière",
        "step": "étape",
        "prev": "◀ précédent",
        "next": "suivant ▶",
        "leaf_forward": "{name} = {data} : une feuille, sa valeur est donnée",
        "node_forward": "{name} = {expr} = {data}",
        "seed": "{name} est la racine : ∂{root}/∂{root} = 1 (la graine de la passe arrière)",
        "leaf_backward": "{name} est une feuille : son gradient ∂{root}/∂{name} = {grad} est complet",
        "node_backward": "∂{root}/∂{parent} += {chain}",
        "vjp_backward": "∂{root}/∂{parent} += {deriv}, où g = ∂{root}/∂{name}",
        "accumulate": "   ({parent}.grad : {before} → {after}, la somme de ses contributions)",
        "paths_title": "Chemins de {root} jusqu'à {wrt} : {count}",
        "path": "chemin {i} : {chain}",
        "no_path": "{wrt} n'influence pas {root} : aucun chemin, donc ∂{root}/∂{wrt} = 0",
        "sum": "Somme des chemins : ∂{root}/∂{wrt} = {terms} = {total}",
        "matches": "= {wrt}.grad ✓ (la valeur calculée par backward())",
        "more_paths": "… et {more} autres chemins (somme totale calculée sur les {count})",
        "accumulated": ("{wrt}.grad vaut {grad} et non {total} : une feuille accumule son gradient d'un "
                        "backward() à l'autre (remettez {wrt}.grad = 0 avant chaque backward())."),
        "stale": ("{wrt}.grad vaut {grad} et non {total} : il vient d'un autre backward() que "
                  "celui de {root}."),
        "not_run": "({wrt}.grad n'est pas encore calculé : backward() n'a pas été appelé.)",
        "constant_target": ("explain : {wrt} est une constante (un nombre écrit dans l'expression), "
                            "elle n'a pas de gradient ; expliquez plutôt une variable, "
                            "par exemple explain({root}, x)"),
        "title": "Graphe de calcul",
    },
    "en": {
        "not_computed": "not computed",
        "not_computed_long": "gradient not computed (no backward yet)",
        "zero": "zero gradient",
        "nan": "NaN / inf",
        "legend": "|grad| (log scale)",
        "legend_title": "legend",
        "forward": "forward pass",
        "backward": "backward pass",
        "step": "step",
        "prev": "◀ previous",
        "next": "next ▶",
        "leaf_forward": "{name} = {data}: a leaf, its value is given",
        "node_forward": "{name} = {expr} = {data}",
        "seed": "{name} is the root: ∂{root}/∂{root} = 1 (the seed of the backward pass)",
        "leaf_backward": "{name} is a leaf: its gradient ∂{root}/∂{name} = {grad} is complete",
        "node_backward": "∂{root}/∂{parent} += {chain}",
        "vjp_backward": "∂{root}/∂{parent} += {deriv}, where g = ∂{root}/∂{name}",
        "accumulate": "   ({parent}.grad: {before} → {after}, the sum of its contributions)",
        "paths_title": "Paths from {root} down to {wrt}: {count}",
        "path": "path {i}: {chain}",
        "no_path": "{wrt} does not influence {root}: no path, so ∂{root}/∂{wrt} = 0",
        "sum": "Sum over paths: ∂{root}/∂{wrt} = {terms} = {total}",
        "matches": "= {wrt}.grad ✓ (the value backward() computed)",
        "more_paths": "… and {more} more paths (the total sums all {count})",
        "accumulated": ("{wrt}.grad is {grad}, not {total}: a leaf accumulates its gradient over "
                        "backward() calls (set {wrt}.grad = 0 before each backward())."),
        "stale": "{wrt}.grad is {grad}, not {total}: it comes from another backward() than {root}'s.",
        "not_run": "({wrt}.grad is not computed yet: backward() has not been called.)",
        "constant_target": ("explain: {wrt} is a constant (a number written in the expression) and has "
                            "no gradient; explain a variable instead, e.g. explain({root}, x)"),
        "title": "Computation graph",
    },
}


def check_lang(lang: str) -> str:
    """``lang`` itself if we speak it, else a ValueError listing the languages we do."""
    if lang not in TEXTS:
        raise ValueError(f"lang={lang!r} is not available; choose one of {', '.join(map(repr, TEXTS))}")
    return lang


def text(lang: str, key: str, **fields) -> str:
    """One sentence of ``TEXTS`` in ``lang``, filled in.

    >>> text("en", "path", i=1, chain="∂L/∂c")
    'path 1: ∂L/∂c'
    """
    return TEXTS[check_lang(lang)][key].format(**fields)


def number(v, precision: int = 4, minus: str = "-") -> str:
    """A float as a student reads it: at most ``precision`` decimals, trailing zeros dropped.

    Values too small or too large for that many decimals switch to scientific notation, so a
    tiny gradient never reads as 0; NaN and infinities are spelled out.

    >>> number(4.5), number(-1.5, minus="−"), number(2.0), number(1e-7), number(1/3)
    ('4.5', '−1.5', '2', '1e-07', '0.3333')
    >>> number(float("nan")), number(float("-inf"))
    ('NaN', '-inf')
    """
    if hasattr(v, "size") and getattr(v, "size", 1) == 1 and hasattr(v, "item"):
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
        import numpy as np
        a = np.asarray(v, dtype=float)
        if a.size <= 6:
            return "[" + ", ".join(number(x, precision, minus) for x in a.ravel()) + "]"
        return f"‖·‖ {number(float(np.linalg.norm(a)), precision, minus)}"
