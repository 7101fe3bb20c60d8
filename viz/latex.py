"""Text for LaTeX: escaping, node names and numbers in math mode, colours, and the catalogue's sentences.

Everything the TikZ pictures and the Beamer slides typeset goes through here, so that a label holding
one of LaTeX's specials (``_ ^ % # & { } \\ $ ~``) or a character pdflatex has no glyph for never
breaks the compilation: a special is escaped, a Greek letter or a math sign becomes its LaTeX command,
and any other character outside Latin-1 is written as its code point (``[U+2603]``).
"""
from __future__ import annotations

import dataclasses
import re
import string
import unicodedata

from microgradfr.formula import Expr, Raw, Sym, to_latex
from microgradfr.i18n import CATALOGUE, resolve

__all__ = ["escape", "math_name", "latex_of", "math_number", "number_latex", "colour", "message",
           "SIMPLE_NAME"]

_SPECIALS = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "$": r"\$", "&": r"\&", "#": r"\#",
             "%": r"\%", "_": r"\_", "^": r"\textasciicircum{}", "~": r"\textasciitilde{}",
             "<": r"\textless{}", ">": r"\textgreater{}", "|": r"\textbar{}", "\u00a0": "~",
             "\u202f": r"\,", "\n": " ", "\t": " ", "\r": " "}
_SIGNS = {"·": r"\ensuremath{\cdot}", "−": r"\ensuremath{-}", "×": r"\ensuremath{\times}",
          "∂": r"\ensuremath{\partial}", "→": r"\ensuremath{\to}", "←": r"\ensuremath{\leftarrow}",
          "‖": r"\ensuremath{\|}", "√": r"\ensuremath{\surd}", "≤": r"\ensuremath{\leq}",
          "≥": r"\ensuremath{\geq}", "≠": r"\ensuremath{\neq}", "∑": r"\ensuremath{\Sigma}",
          "…": r"\dots{}", "✓": r"\ensuremath{\surd}", "ᵀ": r"\ensuremath{^{\top}}",
          "ᵢ": r"\ensuremath{_i}", "◀": r"\ensuremath{\triangleleft}", "▶": r"\ensuremath{\triangleright}",
          "⋆": r"\ensuremath{\star}", "∞": r"\ensuremath{\infty}", "≈": r"\ensuremath{\approx}",
          "“": "``", "”": "''", "’": "'",
          "–": "--", "—": "---", "«": r"\guillemotleft{}", "»": r"\guillemotright{}"}
_SUPER = dict(zip("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+"))
_SUB = dict(zip("₀₁₂₃₄₅₆₇₈₉", "0123456789"))
_GREEK_VARIANTS = {"epsilon": "varepsilon", "omicron": "o"}

SIMPLE_NAME = re.compile(r"[A-Za-z]+_?\d*|[α-ωΑ-Ω]")
"""Names :func:`microgradfr.formula.to_latex` typesets itself (``w1`` → ``w_{1}``, ``σ``)."""

_NUMBER = re.compile(r"-?(?:\d+(?:\.\d+)?(?:e[+-]?\d+)?|inf)|NaN")


def _char(c: str) -> str:
    """One character for text mode."""
    if c in _SPECIALS:
        return _SPECIALS[c]
    if c in _SIGNS:
        return _SIGNS[c]
    if c in _SUPER:
        return r"\textsuperscript{" + _SUPER[c] + "}"
    if c in _SUB:
        return r"\textsubscript{" + _SUB[c] + "}"
    if ord(c) < 256:
        return c
    name = unicodedata.name(c, "")
    found = re.fullmatch(r"GREEK (SMALL|CAPITAL) LETTER ([A-Z]+)", name)
    if found:
        letter = _GREEK_VARIANTS.get(found.group(2).lower(), found.group(2).lower())
        if found.group(1) == "CAPITAL":
            letter = letter.capitalize()
        return rf"\ensuremath{{\{letter}}}" if len(letter) > 1 else letter
    return f"[U+{ord(c):04X}]"


def escape(text: str) -> str:
    r"""``text`` for LaTeX's text mode: specials escaped, signs and Greek as commands.

    French punctuation keeps its space: a space before ``: ; ! ?`` becomes unbreakable.

    >>> print(escape("a_b ^ 50% #1 & {x} \\ $ ~"))
    a\_b \textasciicircum{} 50\% \#1 \& \{x\} \textbackslash{} \$ \textasciitilde{}
    >>> print(escape("σ·x²"))
    \ensuremath{\sigma}\ensuremath{\cdot}x\textsuperscript{2}
    >>> escape("racine : 1")
    'racine~: 1'
    """
    out = "".join(_char(c) for c in str(text))
    return re.sub(r" ([:;!?])", r"~\1", out)


def math_name(name: str) -> str:
    r"""A node's name in math mode: ``w1`` → ``w_{1}``, ``σ`` → ``\sigma``; anything else as text.

    >>> math_name("w1"), math_name("L"), math_name("a_b^c")
    ('w_{1}', 'L', '\\mbox{a\\_b\\textasciicircum{}c}')
    """
    name = str(name)
    if SIMPLE_NAME.fullmatch(name) and (len(name) == 1 or not name.isalpha() or name.isascii()):
        return to_latex(Sym(name))
    return r"\mbox{" + escape(name) + "}"


def latex_of(tree: Expr) -> str:
    r"""A formula tree in LaTeX, a node name with LaTeX's specials escaped as :func:`math_name` does.

    >>> latex_of(Sym("w1") * Sym("a%b"))
    'w_{1} \\cdot \\left(\\mbox{a\\%b}\\right)'
    """
    return to_latex(_safe_names(tree))


def _safe_names(tree):
    """The tree with each name :func:`~microgradfr.formula.to_latex` cannot typeset made text."""
    if isinstance(tree, Sym):
        if SIMPLE_NAME.fullmatch(tree.name):
            return tree
        return Raw(tree.name, tree.name, math_name(tree.name))
    if not isinstance(tree, Expr) or isinstance(tree, Raw):
        return tree
    changes = {}
    for f in dataclasses.fields(tree):
        value = getattr(tree, f.name)
        if isinstance(value, Expr):
            changes[f.name] = _safe_names(value)
        elif isinstance(value, tuple):
            changes[f.name] = tuple(_safe_names(v) for v in value)
    return dataclasses.replace(tree, **changes)


def number_latex(v: str) -> str:
    r"""A number as :func:`viz.text.number` wrote it, in math mode: ``1e-07`` → ``1\times10^{-7}``.

    >>> number_latex("-1.5"), number_latex("1e-07"), number_latex("inf"), number_latex("NaN")
    ('-1.5', '1\\times 10^{-7}', '\\infty', '\\mathrm{NaN}')
    """
    v = v.strip().replace("−", "-")
    if v == "NaN":
        return r"\mathrm{NaN}"
    if v.lstrip("-") == "inf":
        return v.replace("inf", r"\infty")
    if "e" in v:
        mantissa, exp = v.split("e")
        return f"{mantissa}\\times 10^{{{int(exp)}}}"
    return v


def math_number(v: str) -> str:
    """:func:`number_latex`, in parentheses when negative (for a product or a sum)."""
    out = number_latex(v)
    return f"({out})" if out.startswith("-") else out


def is_number(text: str) -> bool:
    return bool(_NUMBER.fullmatch(text.strip().replace("−", "-")))


_NAMED = {"black": (0, 0, 0), "white": (255, 255, 255), "red": (255, 0, 0), "blue": (0, 0, 255),
          "gray": (190, 190, 190), "grey": (190, 190, 190), "lightgrey": (211, 211, 211),
          "lightgray": (211, 211, 211), "orange": (255, 165, 0), "transparent": None, "none": None}


def colour(spec) -> str | None:
    """A Graphviz/SVG colour (``#c6dbef``, ``black``) as a TikZ colour; ``None`` for none.

    >>> colour("#c6dbef"), colour("black"), colour("none")
    ('{rgb,255:red,198;green,219;blue,239}', '{rgb,255:red,0;green,0;blue,0}', None)
    """
    spec = (spec or "none").strip().lower()
    if spec.startswith("#") and len(spec) >= 7:
        rgb = tuple(int(spec[i:i + 2], 16) for i in (1, 3, 5))
    else:
        rgb = _NAMED.get(spec, (0, 0, 0))
    if rgb is None:
        return None
    red, green, blue = rgb
    return f"{{rgb,255:red,{red};green,{green};blue,{blue}}}"


def message(key: str, lang: str | None = None, **latex_fields) -> str:
    """A sentence of the catalogue for LaTeX: its own words escaped, the fields (LaTeX) as given.

    >>> message("slides.leaf_forward", "en", name="$x$", value="$-1.5$")
    '$x$ is a leaf: its value $-1.5$ is given'
    """
    template = CATALOGUE[resolve(lang)][key]
    out = []
    for literal, field, _spec, _conversion in string.Formatter().parse(template):
        out.append(escape(literal))
        if field is not None:
            out.append(str(latex_fields[field]))
    return "".join(out)
