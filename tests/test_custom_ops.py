"""define_op: a student's own op is computed, drawn, stepped and explained like a table op, and
check_local_derivatives finds a wrong derivative at the node that uses it."""
import math
import re

import numpy as np
import pytest
from hypothesis import given

import microgradfr
import viz
from microgradfr import Tensor, Value, i18n
from microgradfr.autograd import topological_order
from microgradfr.ops import OPS
from microgradfr.testing import LocalMismatch, check_local_derivatives, gradcheck
from microgradfr.testing.strategies import inputs_for, real

LANGS = ("fr", "en")


def sigmoid_forward(x):
    return 1 / (1 + np.exp(-x))


def good_sigmoid():
    return microgradfr.define_op("sigmoide", sigmoid_forward, lambda x, out: out * (1 - out),
                                 symbol="σ maison", formula="out·(1 − out)")


def wrong_sigmoid():
    # the classic slip: σ'(x) written with the input, x(1 − x)... here out·(1 − x)
    return microgradfr.define_op("sigmoide_fausse", sigmoid_forward, lambda x, out: out * (1 - x),
                                 symbol="σ fausse", formula="out·(1 − x)")


def neuron(sig):
    w1, x, b = Value(0.8, label="w1"), Value(1.5, label="x"), Value(-0.3, label="b")
    z = w1 * x + b; z.label = "z"
    a = sig(z); a.label = "a"
    L = (a - 1.0) ** 2; L.label = "L"
    return L, a


def test_a_custom_op_computes_and_backpropagates_like_the_table():
    sig = good_sigmoid()
    L, a = neuron(sig)
    L.backward()
    z = a.parents[0]
    assert a.data == pytest.approx(1 / (1 + math.exp(-0.9)))
    assert z.grad == pytest.approx(2 * (a.data - 1) * a.data * (1 - a.data))
    assert a.fn.name == "sigmoide" and a.op == "σ maison" and "sigmoide" not in OPS
    gradcheck(lambda v: sig(v), [Value(0.3)])


def test_on_tensors_when_numpy_friendly():
    sig = good_sigmoid()
    t = Tensor([0.5, -1.0, 2.0], requires_grad=True)
    sig(t).sum().backward()
    s = 1 / (1 + np.exp(-np.array([0.5, -1.0, 2.0])))
    assert np.allclose(t.grad, s * (1 - s))


def test_two_inputs():
    hyp = microgradfr.define_op("hypot2", lambda x, y: math.hypot(x, y), lambda x, y, out: (x / out, y / out))
    a, b = Value(3.0, label="a"), Value(4.0, label="b")
    h = hyp(a, b); h.backward()
    assert (h.data, a.grad, b.grad) == (5.0, 0.6, 0.8)
    assert check_local_derivatives(h) == []


@pytest.mark.parametrize("lang", LANGS)
def test_drawn_stepped_and_explained_like_a_table_op(lang, tmp_path):
    L, a = neuron(good_sigmoid())
    L.backward()
    assert "σ maison" in viz.draw_dot(L).source
    lines = "\n".join(s.text(lang) for s in viz.backward_steps(L))
    step = next(line for line in lines.splitlines() if "∂a/∂z" in line)
    assert "a·(1 − a)" in step and "(−0.5781) · 0.2055" in step     # its formula with the names, then numbers
    assert "a = sigmoide(z) = 0.7109" in "\n".join(s.text(lang) for s in viz.forward_steps(L))
    assert "a·(1 − a)" in viz.explain(L, a.parents[0].parents[0].parents[0], lang=lang)
    path = viz.to_html(L, tmp_path / "player.html")
    assert "maison" in path.read_text(encoding="utf-8")      # its symbol, drawn in every frame


def test_without_a_formula_explanations_name_the_derivative():
    cube = microgradfr.define_op("cube", lambda x: x ** 3, lambda x, out: 3 * x ** 2)
    x = Value(2.0, label="x")
    y = cube(x); y.label = "y"; y.backward()
    assert "cube'(x)" in viz.explain(y, x)


def test_a_wrong_derivative_is_found_at_its_node():
    L, a = neuron(wrong_sigmoid())
    found = check_local_derivatives(L)
    assert len(found) == 1 and isinstance(found[0], LocalMismatch)
    m = found[0]
    z = a.parents[0]
    assert m.node is a and m.input_index == 0 and m.name == "a"
    assert m.recorded == pytest.approx(a.data * (1 - z.data))
    assert m.numerical == pytest.approx(a.data * (1 - a.data), rel=1e-6)
    assert "∂a/∂z" in m.text("fr") and "différences centrées" in m.text("fr") and "central" in m.text("en")


@pytest.mark.parametrize("op", [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None],
                         ids=lambda op: op.name)
def test_no_table_op_is_ever_flagged(op):
    from microgradfr.engine import apply

    @given(inputs_for(op))
    def check(xs):
        out = apply(op, *[Value(v) for v in xs], k=op.k_default)
        assert check_local_derivatives(out * 1.5) == []
    check()


@given(real(2.0))
def test_a_kink_is_not_a_mismatch(v):
    x = Value(0.0, label="x")
    assert check_local_derivatives(x.relu() + abs(x) + Value(v) * x) == []


def test_check_never_changes_the_graph():
    L, _ = neuron(wrong_sigmoid())
    L.backward()
    before = [(n.data, n.grad) for n in topological_order(L)]
    check_local_derivatives(L)
    viz.draw_dot(L, check=True)
    assert [(n.data, n.grad) for n in topological_order(L)] == before


def statements(source) -> dict:
    """``node id -> its attributes, every statement about it joined`` from a diagram's DOT text."""
    found = {}
    for line in source.splitlines():
        match = re.match(r"\s*(\w+) \[(.*)\]$", line)
        if match:
            found[match.group(1)] = found.get(match.group(1), "") + " " + match.group(2)
    return found


def test_draw_dot_check_outlines_the_wrong_node():
    from viz.dot import CHECK_COLOR
    L, a = neuron(wrong_sigmoid())
    L.backward()
    nodes = statements(viz.draw_dot(L, check=True).source)
    outlined = [attrs for attrs in nodes.values() if CHECK_COLOR in attrs]
    assert len(outlined) == 2                                  # the box of a and its op
    assert any("σ fausse" in attrs for attrs in outlined)
    assert any(re.search(r"label=\"\{? ?a \|", attrs) for attrs in outlined)
    assert CHECK_COLOR not in viz.draw_dot(L).source
    assert CHECK_COLOR not in viz.draw_dot(neuron(good_sigmoid())[0], check=True).source


def test_an_outlined_node_stays_where_it_was_drawn():
    """The outline is a later statement about a node: the layout (clusters included) does not move."""
    from microgradfr import manual_seed
    from microgradfr.nn import MLP
    manual_seed(0)
    out = MLP(2, [2, 1])([Value(0.5, label="x1"), Value(-1.0, label="x2")])
    out.backward()
    inside = next(n for n in topological_order(out) if n.label.endswith("neurons.0.b"))
    plain, outlined = (viz.to_svg(viz.draw_dot(out, outline=marks)) for marks in (None, [inside, out]))
    where = re.compile(r'<text[^>]* x="([-\d.]+)" y="([-\d.]+)"')
    assert "cluster_layers" in viz.draw_dot(out).source and where.findall(plain) == where.findall(outlined)
    assert outlined.count('stroke-width="3"') >= 2


def test_clear_errors():
    with i18n.language("en"):  # the English text; test_error_messages checks both
        with pytest.raises(ValueError, match="tanh"):
            microgradfr.define_op("tanh", math.tanh, lambda x, out: 1 - out ** 2)
        with pytest.raises(ValueError, match="identifier"):
            microgradfr.define_op("my op", math.tanh, lambda x, out: 1 - out ** 2)
        bad = microgradfr.define_op("bad_count", lambda x: x, lambda x, out: (1.0, 2.0))
        with pytest.raises(ValueError, match="bad_count"):
            bad(Value(1.0))
        on_values = microgradfr.define_op("uses_math", lambda x: math.exp(x), lambda x, out: out)
        with pytest.raises(TypeError, match="numpy"):
            on_values(Tensor([1.0, 2.0], requires_grad=True))
        with pytest.raises(TypeError, match="1 input"):
            on_values(Value(1.0), Value(2.0))


@pytest.mark.parametrize("lang", LANGS)
def test_the_outline_is_explained_under_the_diagram(lang):
    from viz.dot import CHECK_LEGEND
    L, _ = neuron(wrong_sigmoid())
    assert CHECK_LEGEND[lang] in viz.draw_dot(L, check=True, lang=lang).source
    assert "check_local_derivatives" not in viz.draw_dot(neuron(good_sigmoid())[0], check=True).source
    other = {"fr": {"purple", "outline", "wrong"}, "en": {"contour", "violet", "fausse", "dérivée"}}[lang]
    assert not set(CHECK_LEGEND[lang].replace(":", " ").split()) & other


def test_a_formula_tree_gives_evaluable_explanations_and_python():
    from microgradfr.formula import out
    sig = microgradfr.define_op("sigmoide_arbre", sigmoid_forward, lambda x, out_: out_ * (1 - out_),
                                formula=out * (1 - out))
    L, a = neuron(sig)
    code = viz.backward_code(L, lang="en")
    assert "dL_dz = dL_da * (a * (1 - a))  # ∂(sigmoide_arbre(z))/∂z = a·(1 − a)" in code
    namespace = {}
    exec(code, namespace)  # noqa: S102
    L.backward()
    w1 = next(n for n in topological_order(L) if n.label == "w1")
    assert namespace["dL_dw1"] == pytest.approx(w1.grad, rel=1e-12)
    report = microgradfr.testing.check_grads(L, {"z": 0.0})
    assert "a·(1 − a)" in report.paragraph("z")


def test_a_written_formula_is_read_as_a_tree_when_it_is_one():
    L, a = neuron(good_sigmoid())                         # formula="out·(1 − out)"
    code = viz.backward_code(L)
    assert "dL_dz = dL_da * (a * (1 - a))" in code          # its Python, not a number
    assert r"a \cdot \left(1 - a\right)" in viz.backward_latex(L)
    prose = microgradfr.define_op("prose", lambda x: 2 * x, lambda x, out: 2.0, formula="deux fois x")
    v = Value(1.0, label="v")
    p = prose(v); p.label = "p"; p.backward()
    assert "deux fois v" in viz.explain(p, v)               # prose keeps its words, with the node's name
    assert "dp_dv = dp_dp * 2.0" in viz.backward_code(p)    # and the program its number
