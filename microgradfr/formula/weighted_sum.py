"""The trees of the fused weighted sum z = w1·x1 + … + wn·xn + b, written with the nodes' names.

The op table's ``weighted_sum`` entry has any number of inputs (w₁..wₙ, x₁..xₙ, b), so its
formulas are built from the inputs' names rather than substituted into fixed placeholders.
"""
from __future__ import annotations

from .tree import Expr, Num, Sym, lift

__all__ = ["DERIVS", "deriv_tree", "expression_tree"]

DERIVS = (Sym("xᵢ"), Sym("wᵢ"), Num(1))
"""∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1 in the placeholders, when no names are given."""


def deriv_tree(i: int, inputs) -> Expr:
    """∂z/∂wᵢ = xᵢ, ∂z/∂xᵢ = wᵢ, ∂z/∂b = 1, with the parents' own names (or numbers).

    >>> from microgradfr.formula import to_text
    >>> to_text(deriv_tree(1, ("w1", "w2", "x1", "x2", "b")))
    'x2'
    """
    if not inputs:
        return DERIVS[min(i, 2)]
    n = (len(inputs) - 1) // 2
    if i == 2 * n:
        return Num(1)
    return lift(inputs[i + n] if i < n else inputs[i - n])


def expression_tree(inputs) -> Expr:
    """w1·x1 + … + wn·xn + b with the parents' names."""
    n = (len(inputs) - 1) // 2
    terms = [lift(inputs[i]) * lift(inputs[n + i]) for i in range(n)]
    total = terms[0] if terms else lift(inputs[2 * n])
    for term in terms[1:] + ([lift(inputs[2 * n])] if terms else []):
        total = total + term
    return total
