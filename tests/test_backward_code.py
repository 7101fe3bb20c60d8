"""viz.backward_code: the program, run as is, defines every dL_d… equal to the engine's .grad.

Enumerated over the op table (inputs from each op's Hypothesis domain) and over random graphs
mixing every scalar op; the blanks and the LaTeX come from the same steps.
"""
import math
import re

import pytest
from hypothesis import assume, given

import viz
from microgradfr import Value
from microgradfr.autograd import topological_order
from microgradfr.demo import course_graph
from microgradfr.engine import apply
from microgradfr.naming import is_constant, node_names
from microgradfr.ops import OPS
from microgradfr.testing.strategies import graphs, inputs_for
from viz.code import BLANK, _python_names

SCALAR_OPS = [op for op in OPS.values() if op.arity in (1, 2) and op.local is not None]
LANGS = ("fr", "en")


def run(code) -> dict:
    namespace = {}
    exec(compile(code, "<backward_code>", "exec"), namespace)  # noqa: S102 - the program under test
    return namespace


def assert_same_grads(root, code):
    """Every non-constant node's dL_d<name> in the program equals its .grad after backward()."""
    namespace = run(code)
    for node in topological_order(root):
        node.grad = 0.0
    root.backward()
    order = topological_order(root)
    names = _python_names(order, node_names(order))
    root_name = names[id(root)]
    grads = {k: v for k, v in namespace.items() if k.startswith(f"d{root_name}_d")}
    checked = [n for n in topological_order(root) if not is_constant(n)]
    assert len(grads) == len(checked), sorted(grads)
    for node in checked:
        name = f"d{root_name}_d{names[id(node)]}"
        assert grads[name] == pytest.approx(node.grad, rel=1e-9, abs=1e-12), (name, code)


@pytest.mark.parametrize("op", SCALAR_OPS, ids=lambda op: op.name)
def test_the_program_gives_the_engines_gradients_for_every_op(op):
    @given(inputs_for(op))
    def check(xs):
        leaves = [Value(v, label=f"x{i}") for i, v in enumerate(xs)]
        out = apply(op, *leaves, k=op.k_default)
        root = out * out + leaves[0] * out          # reuses out and x0: += lines too
        code = viz.backward_code(root, lang="en")
        assert "does not hold" not in code           # inside its domain, every line is the op's formula
        assert_same_grads(root, code)
    check()


def test_where_the_formula_does_not_hold_the_engines_value_is_written():
    x, y = Value(0.0, label="x"), Value(0.0, label="y")
    z = x ** y                                   # ∂/∂y = x^y·ln x has no value at 0; the engine takes 0
    code = viz.backward_code(z, lang="en")
    assert "dL_dy = dL_dL * 0.0  # ∂(x^y)/∂y = x^y·ln x (the formula does not hold" in code
    assert_same_grads(z, code)


def test_the_fused_linear_node():
    from microgradfr.engine import linear
    w = [Value(2.0, label="w1"), Value(-1.0, label="w2")]
    x, b = [Value(0.5, label="x1"), Value(3.0, label="x2")], Value(0.25, label="b")
    z = linear(w, x, b).tanh()
    assert_same_grads(z, viz.backward_code(z))


@given(graphs())
def test_random_graphs_over_every_op(root):
    assume(root.parents)
    assume(all(math.isfinite(g) for g in _grads(root)))
    assert_same_grads(root, viz.backward_code(root))


def _grads(root):
    for node in topological_order(root):
        node.grad = 0.0
    root.backward()
    return [n.grad for n in topological_order(root)]


@pytest.mark.parametrize("lang", LANGS)
def test_each_line_states_its_rule(lang):
    L, _ = course_graph()
    code = viz.backward_code(L, lang=lang)
    assert "dL_da = dL_dc * 1  # ∂(a + b)/∂a = 1" in code
    assert "dL_dc = dL_dL * (2 * c)  # ∂(c²)/∂c = 2c" in code
    backward = code.split("dL_dL = 1.0")[1].splitlines()[1:]
    targets = [line.split(" ")[0] for line in backward]   # backward()'s order (viz.backward_steps)
    assert targets == ["dL_dc", "dL_da", "dL_db", "dL_dw2", "dL_dy", "dL_dw1", "dL_dx"]
    comments = " ".join(line.split("#", 1)[1] for line in code.splitlines() if "#" in line)
    other = {"fr": {"the", "leaves", "forward", "pass", "seed", "order"},
             "en": {"les", "feuilles", "passe", "avant", "arrière", "graine", "ordre", "la"}}[lang]
    assert not set(re.findall(r"[^\W\d_]{2,}", comments.lower())) & other


def test_backward_order_is_the_engines():
    L, _ = course_graph()
    code = viz.backward_code(L)
    targets = [line.split(" ")[0][len("dL_d"):] for line in code.split("dL_dL = 1.0")[1].splitlines()[1:]]
    steps = [(s.name, p.name) for s in viz.backward_steps(L) for p in s.parents]
    assert targets == [parent for _, parent in steps]


def test_a_reused_variable_accumulates():
    t = Value(0.5, label="t")
    o = (3 * t).tanh() + t * t
    code = viz.backward_code(o, lang="en")
    assert code.count("dL_dt +=") == 2 and code.count("dL_dt =") == 1
    assert "(t is used more than once: add (+=))" in code
    assert_same_grads(o, code)


@pytest.mark.parametrize("lang", LANGS)
def test_blanks_hide_every_backward_right_hand_side(lang):
    L, _ = course_graph()
    sheet = viz.backward_code(L, lang=lang, blanks=True)
    full = viz.backward_code(L, lang=lang)
    backward = sheet.split("= 1.0")[1].splitlines()[1:]
    assert len(backward) == 7 and all(f"= {BLANK}  #" in line for line in backward)
    assert sheet.split("dL_dL")[0] == full.split("dL_dL")[0]     # leaves and forward pass as they were
    assert "dL_dc * " not in sheet


def test_latex_has_the_same_steps():
    L, _ = course_graph()
    latex = viz.backward_latex(L)
    lines = latex.splitlines()
    assert lines[0] == r"\begin{align*}" and lines[-1] == r"\end{align*}"
    assert len(lines) - 2 == 1 + 7 and latex.count("{") == latex.count("}")
    assert r"\frac{\partial L}{\partial w_{1}} &= \frac{\partial L}{\partial a} \cdot x \\" in latex
    assert not set(latex) & set("·−∂√²")
    t = Value(0.5, label="t")
    assert r"&\mathrel{+}=" in viz.backward_latex((3 * t).tanh() + t * t)
    assert r"\underline" in viz.backward_latex(L, blanks=True)


def test_tensor_graphs_get_a_clear_error():
    from microgradfr import Tensor
    with pytest.raises(TypeError, match="Values"):
        viz.backward_code((Tensor([1.0, 2.0], requires_grad=True) * 2).sum())


def test_names_that_are_not_python_become_identifiers():
    w = Value(0.3, label="w'1")
    z = Value(2.0, label="class") * w
    code = viz.backward_code(z)
    namespace = run(code)
    z.backward()
    assert namespace["dL_dw_1"] == w.grad and "dL_dv_class" in namespace


def test_the_latex_compiles(tmp_path):
    """The align* of two course graphs (one with a reused variable, one with tanh) through pdflatex."""
    import shutil
    import subprocess
    if shutil.which("pdflatex") is None:
        pytest.skip("pdflatex is not installed")
    L, _ = course_graph()
    t = Value(0.5, label="t")
    o = (3 * t).tanh() + t * t
    body = "\n".join([viz.backward_latex(L), viz.backward_latex(o), viz.backward_latex(L, blanks=True)])
    source = ("\\documentclass{article}\n\\usepackage{amsmath}\n\\begin{document}\n" + body
              + "\n\\end{document}\n")
    (tmp_path / "steps.tex").write_text(source, encoding="utf-8")
    done = subprocess.run(["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "steps.tex"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout[-2000:]
    assert (tmp_path / "steps.pdf").stat().st_size > 1000
