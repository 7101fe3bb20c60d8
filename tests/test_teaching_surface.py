"""What a student reads from viz and the CLI: one naming scheme, constants as constants, the backward
steps and explain agreeing factor by factor, and every printed product reading back to its number."""
import math
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from readback import read_text

import viz
from microgradfr import Value, cli
from microgradfr.engine import apply
from microgradfr.ops import OPS
from microgradfr.testing.strategies import inputs_for
from viz.chain_rule import paths
from viz.protocol import node_names, topological_order

SCALAR_OPS = [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None]
LANGS = ("fr", "en")


def names_of(root):
    names = node_names(topological_order(root))
    return [names[id(n)] for n in topological_order(root)]


# ---------------------------------------------------------------- one naming scheme
def test_unlabelled_nodes_are_named_a_b_c_and_the_root_L():
    w1, x, w2, y = (Value(v, label=name) for v, name in ((2.0, "w1"), (-1.5, "x"), (0.5, "w2"), (3.0, "y")))
    L = (w1 * x + w2 * y) ** 2
    assert names_of(L) == ["w1", "x", "a", "w2", "y", "b", "c", "L"]
    assert viz.explain(L, w1).splitlines()[0] == \
        "∂L/∂w1 = ∂L/∂c · ∂c/∂a · ∂a/∂w1 = 2c · 1 · x = (−3) · 1 · (−1.5) = 4.5"


def test_generated_names_skip_the_labels_and_L():
    a, L = Value(1.0, label="a"), Value(2.0, label="L")
    f = (a * L).tanh() + Value(3.0)          # an unlabelled leaf is a variable: it gets a letter too
    assert names_of(f) == ["a", "L", "b", "c", "d", "f"]


def test_the_cli_and_the_api_name_and_explain_alike(capsys):
    assert cli.main(["grad", "tanh(3*t) * (t + 1)", "--set", "t=0.5", "--explain", "t"]) == 0
    printed = capsys.readouterr().out
    t = Value(0.5, label="t")
    L = (3 * t).tanh() * (t + 1)
    L.backward()
    assert printed.endswith(viz.explain(L, t) + "\n")
    assert "∂L/∂t" in printed and printed.startswith("L = ")


# ---------------------------------------------------------------- constants
def test_a_number_in_an_expression_is_a_constant():
    t = Value(0.5, label="t")
    o = (3 * t).tanh()
    o.backward()
    steps = list(viz.backward_steps(o))
    assert [s.name for s in steps] == ["L", "a", "t"]              # no step for 3
    text = "\n".join(s.text(lang) for s in steps for lang in LANGS)
    assert "∂L/∂3" not in text and "3 est" not in text and "3 is" not in text
    assert steps[0].text().splitlines()[1] == \
        "∂L/∂a += ∂L/∂L · ∂(tanh a)/∂a = 1 · (1 − tanh²(a)) = 1 · 0.1807 = 0.1807"
    assert [s.text("en") for s in viz.forward_steps(o)] == [
        "t = 0.5: a leaf, its value is given", "a = 3t = 1.5", "L = tanh a = 0.9051"]
    source = viz.draw_dot(o, edge_grads=True).source
    box = re.search(r"n0 \[label=(\S+) .*\]", source)
    assert box.group(1) == "3" and "grad" not in box.group(0)      # its value, no gradient box
    assert not re.search(r"n0 -> \S+ \[label", source)              # nothing flows back into it
    with pytest.raises(ValueError, match="constant"):
        viz.explain(o, o.parents[0].parents[0])


def test_two_different_constants_never_share_a_name():
    t = Value(1.0, label="t")
    f = 0.1 * t + 0.1000001 * t + 0.30000000000000004 * t
    constants = [n for n in topological_order(f) if getattr(n, "constant", False)]
    names = node_names(topological_order(f))
    assert len({names[id(c)] for c in constants}) == 3


def test_tensor_numbers_and_arrays_are_constants_too():
    import numpy as np

    from microgradfr import Tensor
    x = Tensor([1.0, 2.0], requires_grad=True, label="x")
    y = (x * 2 * np.array([3.0, 4.0])).sum()
    y.backward()
    assert names_of(y) == ["x", "2", "a", "[3, 4]", "b", "L"]
    source = viz.draw_dot(y).source
    assert "grad" not in re.search(r"n1 \[label=.*\]", source).group(0)
    assert re.search(r'n3 \[label="shape \(2,\)\\n\[3, 4\]" ', source)   # an array constant shows its values
    steps = [s.text("en") for s in viz.backward_steps(y)]
    assert "∂L/∂a += g · [3, 4], where g = ∂L/∂b" in steps and "∂L/∂x += g · 2, where g = ∂L/∂a" in steps


# ---------------------------------------------------------------- steps and explain agree
def graph_for(op, xs, upstream):
    """L = op(inputs) · u: the op's node gets the upstream gradient u, far from 1."""
    inputs = [Value(v, label=name) for v, name in zip(xs, ("p", "q"))]
    u = Value(upstream, label="u")
    return apply(op, *inputs, k=op.k_default) * u, inputs


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_each_printed_backward_product_reads_back_to_its_number(op, lang):
    @given(inputs_for(op), st.floats(1.5, 4.0) | st.floats(-4.0, -1.5))
    def check(xs, upstream):
        L, inputs = graph_for(op, xs, upstream)
        node = L.parents[0]
        step = next(s for s in viz.backward_steps(L) if s.node is node)
        env = {"p": xs[0], "q": xs[-1], "a": node.data, "u": upstream}
        for p, line in zip(step.parents, step.lines(lang)):
            product = line.split(" = ")[1]                     # upstream · derivative, as written
            assert math.isclose(read_text(product.replace("·", "*"), lang, env), upstream * p.local,
                                rel_tol=1e-3, abs_tol=1e-3), line   # upstream is rounded to 4 decimals
    check()


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_backward_steps_and_explain_agree_on_every_local_factor(op, lang):
    @given(inputs_for(op))
    def check(xs):
        L, inputs = graph_for(op, xs, 2.5)
        steps = {id(s.node): s for s in viz.backward_steps(L)}
        for leaf in inputs:
            explained = viz.explain(L, leaf, lang=lang)
            for path in paths(L, leaf):
                for f in path:
                    (p,) = [p for p in steps[id(f.node)].parents if p.index == f.index]
                    assert (f.deriv_text(lang), f.local) == (p.deriv_text(lang), p.local)
                    assert f.deriv_text(lang) in explained
    check()


@pytest.mark.parametrize("name", ["relu", "leaky_relu", "elu"])
def test_piecewise_derivatives_speak_the_chosen_language(name):
    x = Value(0.7, label="x")
    y = getattr(x * 2, name)()
    y.backward()
    en, fr = viz.explain(y, x, lang="en"), viz.explain(y, x)
    assert " if a > 0 else " in en and " si " not in en and "sinon" not in en
    assert " si a > 0 sinon " in fr and " if " not in fr and " else " not in fr


def test_a_node_used_twice_writes_its_factor_in_the_op_notation():
    x = Value(3.0, label="x")
    y = x * x
    step = next(iter(viz.backward_steps(y)))
    assert step.lines()[1].startswith("∂L/∂x += ∂L/∂L · ∂(x·x)/∂x = 1 · x = 1 · 3 = 3")


@given(st.floats(-3, 3), st.floats(-3, 3))
def test_explain_and_the_steps_change_no_data_and_no_grad(a, b):
    x, y = Value(a, label="x"), Value(b, label="y")
    L = (x * y + 2 * x).tanh() * y
    assume(abs(L.data) < 1e6)
    L.backward()
    before = [(n.data, n.grad) for n in topological_order(L)]
    for leaf in (x, y):
        viz.explain(L, leaf)
    list(viz.backward_steps(L)), list(viz.forward_steps(L))
    assert [(n.data, n.grad) for n in topological_order(L)] == before


# ---------------------------------------------------------------- one language at a time
def every_text(lang):
    """Every sentence the steps and explain write, on graphs that use every scalar op once."""
    out = []
    for op in SCALAR_OPS:
        xs = [0.7, 1.3][:op.arity]
        L, inputs = graph_for(op, xs, 2.5)
        out += [s.text(lang) for s in viz.forward_steps(L)] + [s.text(lang) for s in viz.backward_steps(L)]
        out.append(viz.explain(L, inputs[0], lang=lang))           # before backward: not computed yet
        L.backward()
        L.backward()                                               # leaves accumulate
        out.append(viz.explain(L, inputs[0], lang=lang))
    return out


@pytest.mark.parametrize("lang", LANGS)
def test_steps_and_explain_use_only_the_chosen_language(lang):
    from test_formula import ENGLISH, FRENCH
    other = ENGLISH if lang == "fr" else FRENCH
    for sentence in every_text(lang):
        words = set(re.findall(r"[^\W\d_]{2,}", sentence.lower()))
        assert not words & other, (sentence, words & other)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_label_written_as_an_expression_reads_as_one_name(lang):
    """micrograd's lecture labels nodes 'x1*w1 + x2*w2': in a chain rule it must not read as a sum."""
    import viz
    from microgradfr import Value
    x1, w1, x2, w2 = (Value(v, label=n) for v, n in ((2.0, "x1"), (-3.0, "w1"), (0.0, "x2"), (1.0, "w2")))
    a = x1 * w1; a.label = "x1*w1"
    s = a + x2 * w2; s.label = "x1*w1 + x2*w2"
    o = s.tanh(); o.label = "o"
    o.backward()
    text = viz.explain(o, x1, lang=lang)
    assert "∂o/∂(x1*w1 + x2*w2) · ∂(x1*w1 + x2*w2)/∂(x1*w1) · ∂(x1*w1)/∂x1" in text
    assert "∂o/∂x1*w1" not in text and "/∂x1*w1 +" not in text


COND_OPS = [op for op in __import__("microgradfr.ops", fromlist=["OPS"]).OPS.values()
            if op.arity == 1 and op.local is not None and type(op.derivs[0]).__name__ == "Cond"]


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("op", COND_OPS, ids=lambda op: op.name)
def test_a_conditional_derivative_between_two_equals_signs_is_parenthesised(op, lang):
    """∂L/∂a = (1 si a > 0 sinon 0.1) = 1, never ∂L/∂a = 1 si a > 0 sinon 0.1 = 1."""
    import viz
    from microgradfr import Value
    from microgradfr.engine import apply
    assert COND_OPS, "relu, leaky_relu and elu write their derivative as a conditional"
    a = Value(0.5, label="a")
    L = apply(op, a, k=op.k_default)
    L.backward()
    first_line = viz.explain(L, a, lang=lang).splitlines()[0]
    sides = first_line.split(" = ")
    assert any(side.startswith("(") and side.endswith(")") and (" si " in side or " if " in side)
               for side in sides), first_line
