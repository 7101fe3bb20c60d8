"""Formulas as data: every op's derivative, printed in French, English, LaTeX and Python, is read back
to a number and compared with the op's own numeric local derivative.

The text is read back by a small reader written here, independent of the printer, so a formula whose
parentheses are wrong (``2.5 · 1 − tanh²(a)`` for ``2.5 · (1 − tanh²(a))``) evaluates to another number.
"""
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from readback import read_text

from microgradfr.formula import (
    Chain,
    D,
    Eq,
    Num,
    Sym,
    call,
    evaluate,
    gt,
    tanh,
    to_latex,
    to_python,
    to_text,
    where,
    x,
    y,
)
from microgradfr.ops import OPS, SCALAR
from microgradfr.testing.strategies import inputs_for, real

SCALAR_OPS = [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None]
LANGS = ("fr", "en")
NAMES = {"x": "a", "y": "w1", "out": "c"}   # the inputs and the result, named as nodes are
UPSTREAM = st.floats(1.5, 4.0) | st.floats(-4.0, -1.5)  # an upstream gradient far from 1 and 0

# Words only one of the languages uses (an independent list, not read from the code's own texts).
ENGLISH = {"if", "else", "otherwise", "where", "the", "of", "to", "at", "by", "is", "and", "every", "each",
           "none", "back", "elsewhere", "entry", "entries", "copied", "shared", "window", "windows",
           "selected", "summed", "repeated", "transposed", "reshaped", "class", "root", "leaf",
           "path", "paths", "sum", "over", "complete", "given", "its", "value", "seed"}
FRENCH = {"si", "sinon", "le", "la", "les", "de", "des", "du", "au", "aux", "où", "là", "est", "et", "chaque",
          "aucune", "aucun", "ailleurs", "sur", "vers", "dans", "une", "un", "entrée", "entrées", "recopié",
          "partagé", "fenêtre", "fenêtres", "choisies", "additionné", "transposé", "remis", "forme",
          "racine", "feuille", "chemin", "chemins", "somme", "sa", "son", "valeur", "graine", "donnée"}


def local_derivatives(op, xs):
    out = op.forward(SCALAR, *xs, op.k_default)
    return out, op.local(SCALAR, *xs, out, op.k_default)


def env_for(op, xs, out):
    return {NAMES["x"]: xs[0], NAMES["y"]: xs[-1], NAMES["out"]: out}


def names_for(op):
    names = {key: NAMES[key] for key in ("x", "out")}
    if op.arity == 2:
        names["y"] = NAMES["y"]
    if op.k_default is not None:
        names["k"] = op.k_default
    return names


def close(a, b):
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)


# ---------------------------------------------------------------- every op, both languages
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_the_printed_derivative_reads_back_to_the_local_derivative(op, lang):
    @given(inputs_for(op), UPSTREAM)
    def check(xs, upstream):
        out, local = local_derivatives(op, xs)
        env = env_for(op, xs, out)
        for i in range(op.arity):
            tree = op.deriv_tree(i, names_for(op))
            assert close(evaluate(tree, env), local[i]), (op.name, i, to_text(tree, lang))
            shown = op.deriv(i, names_for(op), lang)
            assert close(read_text(shown, lang, env), local[i]), (op.name, shown)
            product = to_text(Chain((Num(upstream), tree)), lang)   # as a backward step writes it
            assert close(read_text(product, lang, env), upstream * local[i]), product
    check()


@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_the_python_form_computes_the_local_derivative(op):
    @given(inputs_for(op))
    def check(xs):
        out, local = local_derivatives(op, xs)
        env = env_for(op, xs, out)
        for i in range(op.arity):
            code = to_python(op.deriv_tree(i, names_for(op)))
            assert close(eval(code, {"math": math}, env), local[i]), (op.name, code)  # noqa: S307
        assert close(eval(to_python(op.expression_tree(names_for(op))), {"math": math}, env), out)  # noqa: S307
    check()


@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_the_notation_evaluates_to_the_forward_value(op):
    @given(inputs_for(op))
    def check(xs):
        out, _ = local_derivatives(op, xs)
        assert close(evaluate(op.expression_tree(names_for(op)), env_for(op, xs, out)), out)
    check()


@pytest.mark.parametrize("op", list(OPS.values()), ids=lambda op: op.name)
def test_latex_is_well_formed(op):
    for i in range(len(op.derivs) if op.arity < 0 else op.arity):
        latex = to_latex(op.formula_tree(i, {**names_for(op), "inputs": ()} if op.arity > 0 else None))
        assert latex.count("{") == latex.count("}") and latex.startswith(r"\frac{\partial"), latex
        assert not set(latex) & set("·−∂√²³⁻"), latex   # no text-only characters left in math mode
        if op.arity > 0:
            assert "si" not in latex.split() and "if" not in latex.split()


def test_latex_pieces():
    assert to_latex(1 - tanh(x) ** 2, {"x": "a"}) == r"1 - \tanh^{2}(a)"
    assert to_latex(D(Sym("L"), Sym("w1"))) == r"\frac{\partial L}{\partial w_{1}}"
    assert to_latex(call("sigmoid", x) / y) == r"\frac{\sigma(x)}{y}"
    square = OPS["pow"].formula_tree(0, {"x": "c", "k": 2})
    assert to_latex(square) == r"\frac{\partial (c^{2})}{\partial c} = 2c"


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("op", list(OPS.values()), ids=lambda op: op.name)
def test_each_language_uses_only_its_own_words(op, lang):
    other = ENGLISH if lang == "fr" else FRENCH
    n = len(op.derivs) if op.arity < 0 else op.arity
    for i in range(n):
        for names in (None, names_for(op)):
            text = op.formula(i, names if op.arity > 0 else None, lang)
            words = set(re.findall(r"[^\W\d_]{2,}", text.lower()))
            assert not words & other, (text, words & other)


# ---------------------------------------------------------------- precedence decides parentheses
@pytest.mark.parametrize("lang", LANGS)
def test_parentheses_come_from_precedence(lang):
    tree = 1 - tanh(x) ** 2
    assert to_text(Chain((Num(1), tree)), lang, {"x": "v1"}) == "1 · (1 − tanh²(v1))"
    assert to_text(Chain((Num(1), -x / y ** 2)), lang, {"x": "p", "y": "a"}) == "1 · (−p/a²)"
    assert to_text(Chain((Num(-3), Num(1), Num(-1.5)))) == "(−3) · 1 · (−1.5)"
    assert to_text((x + y) * (x - y)) == "(x + y)·(x − y)"
    assert to_text(x - (y - x)) == "x − (y − x)" and to_text(x - y - x) == "x − y − x"
    assert to_text(-(x + y)) == "−(x + y)" and to_text(-x * y) == "−x·y" and to_text((-x) ** 2) == "(−x)²"
    assert to_text(x ** (y - 1)) == "x^(y − 1)" and to_text(2 * x ** 3) == "2x³"
    assert to_text(tanh(x) * y) == "tanh(x)·y" and to_text(y * tanh(x)) == "y·tanh x"   # never tanh x·y
    assert to_text(tanh(x) ** -1) == "tanh(x)⁻¹" and to_text(2 * tanh(x)) == "2·tanh x"
    assert to_text(2 * Sym("e")) == "2e" and to_text(2 * Sym("e1")) == "2·e1"   # 2e1 would read as 20
    assert to_text(x * Num(-3)) == "x·(−3)" and to_text(x + Num(-3)) == "x + (−3)"
    one_factor = Eq((D(Sym("L"), y), Chain((-x / y ** 2,))))
    assert to_text(one_factor) == "∂L/∂y = −x/y²"   # a chain of one factor adds no parentheses
    words = {"fr": "si", "en": "if"}[lang]
    assert to_text(Chain((Num(2), where(gt(x, 0), 1, 0))), lang).startswith(f"2 · (1 {words} x > 0 ")


def test_the_python_printer_keeps_python_precedence():
    for tree, env in [((-x) ** 2, {"x": 3.0}), (-x ** 2, {"x": 3.0}), (x - (y - x), {"x": 1.0, "y": 5.0}),
                      (2 ** (x ** y), {"x": 2.0, "y": 3.0}), ((2 ** x) ** y, {"x": 2.0, "y": 3.0}),
                      (x / (y * x), {"x": 2.0, "y": 3.0})]:
        assert eval(to_python(tree), {"math": math}, env) == evaluate(tree, env)  # noqa: S307


@given(real(), real(), real())
def test_random_trees_read_back_in_both_languages(a, b, c):
    env = {"x": a, "y": b, "z": c}
    z = Sym("z")
    for tree in [x - y * z, (x - y) * z, -(x * y) - z, x * (-y + z), (x + y) ** 2 - z, 1 - tanh(x - y) ** 2,
                 tanh(x) * y, tanh(x) ** 3 * z, 2 * tanh(z) / (1 + y ** 2)]:
        for lang in LANGS:
            shown = to_text(Chain((Num(2.5), tree)), lang)
            assert close(read_text(shown, lang, env), 2.5 * evaluate(tree, env)), shown


def test_equations_and_partial_derivatives():
    line = Eq((D(Sym("L"), Sym("w1")), Chain((D(Sym("L"), Sym("c")), D(Sym("c"), Sym("a")))), Num(4.5)))
    assert to_text(line) == "∂L/∂w1 = ∂L/∂c · ∂c/∂a = 4.5"
    assert to_text(D(x ** 2, x), names={"x": "c"}) == "∂(c²)/∂c"
