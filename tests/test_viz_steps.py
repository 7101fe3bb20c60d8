"""backward_steps / forward_steps / explain: hand-worked on the course graph, and on random graphs
the chain rule written path by path must add up to what backward() computes."""
import math
import re

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import viz
from microgradfr import Value
from microgradfr.demo import course_graph
from microgradfr.engine import apply, scalar_local
from microgradfr.ops import OPS
from microgradfr.testing import numerical_grad
from microgradfr.testing.strategies import nonzero, real
from viz.backend import find_renderer
from viz.chain_rule import count_paths, paths


def course():
    """The course's L = (w1·x + w2·y)² with w1 = 2, x = −1.5, w2 = 0.5, y = 3 (demo.course_graph)."""
    return course_graph()


# ---------------------------------------------------------------- the course, by hand
def test_backward_steps_follow_reverse_topological_order_with_hand_gradients():
    L, v = course()
    steps = list(viz.backward_steps(L))
    # ∂L/∂L = 1, ∂L/∂c = 2c = −3, ∂L/∂b = ∂L/∂a = −3·1, ∂L/∂y = −3·w2 = −1.5,
    # ∂L/∂w2 = −3·y = −9, ∂L/∂x = −3·w1 = −6, ∂L/∂w1 = −3·x = 4.5
    assert [(s.name, s.upstream) for s in steps] == [
        ("L", 1.0), ("c", -3.0), ("b", -3.0), ("y", -1.5), ("w2", -9.0), ("a", -3.0), ("x", -6.0),
        ("w1", 4.5)]
    assert [s.node for s in steps][:3] == [L, v["c"], v["b"]]
    assert v["w1"].grad == 0.0   # the steps replay backward without running it


def test_each_backward_step_gives_local_derivative_formula_and_contribution():
    L, v = course()
    first, second = list(viz.backward_steps(L))[:2]
    (to_c,) = first.parents
    assert to_c.parent is v["c"] and to_c.local == -3.0 and to_c.contribution == -3.0   # 2c = −3
    assert to_c.formula == "∂(c²)/∂c = 2c" and to_c.deriv == "2c"
    assert [(p.name, p.local, p.contribution) for p in second.parents] == [("a", 1.0, -3.0), ("b", 1.0, -3.0)]
    assert second.parents[0].formula == "∂(a + b)/∂a = 1"


def test_step_text_writes_the_chain_rule():
    L, _ = course()
    steps = list(viz.backward_steps(L))
    a_step = next(s for s in steps if s.name == "a")
    assert "∂L/∂w1 += ∂L/∂a · ∂a/∂w1 = (−3) · x = (−3) · (−1.5) = 4.5" in a_step.text()
    assert "racine" in steps[0].text() and "root" in steps[0].text("en")


def test_accumulation_is_shown_when_a_node_is_used_twice():
    x = Value(3.0, "x")
    y = x * x                        # ∂y/∂x = x + x: 0 → 3 → 6
    y.label = "y"
    (step, _) = list(viz.backward_steps(y))
    assert [(p.before, p.after) for p in step.parents] == [(0.0, 3.0), (3.0, 6.0)]
    assert "x.grad : 3 → 6" in step.text()


def test_forward_steps_in_topological_order():
    L, _ = course()
    steps = list(viz.forward_steps(L))
    assert [s.name for s in steps] == ["w1", "x", "a", "w2", "y", "b", "c", "L"]
    assert steps[2].text() == "a = w1·x = −3"          # 2 · (−1.5)
    assert steps[-1].text("en") == "L = c² = 2.25"      # (−1.5)²
    assert steps[0].text("en") == "w1 = 2: a leaf, its value is given"


def test_explain_the_course_in_french_and_english():
    L, v = course()
    L.backward()
    fr = viz.explain(L, v["w1"])
    assert fr.splitlines()[0] == "∂L/∂w1 = ∂L/∂c · ∂c/∂a · ∂a/∂w1 = 2c · 1 · x = (−3) · 1 · (−1.5) = 4.5"
    assert "w1.grad ✓" in fr
    en = viz.explain(L, v["w2"], lang="en")
    assert en.splitlines()[0] == "∂L/∂w2 = ∂L/∂c · ∂c/∂b · ∂b/∂w2 = 2c · 1 · y = (−3) · 1 · 3 = −9"
    assert "the value backward() computed" in en


def snapshot(root):
    return [(n.data, n.grad) for n in viz.protocol.topological_order(root)]


def test_explain_before_backward_computes_on_its_own_and_touches_nothing():
    L, v = course()
    before = snapshot(L)
    for lang, words in (("fr", "pas encore calculé"), ("en", "not computed yet")):
        text = viz.explain(L, v["w1"], lang=lang)
        assert "= 4.5" in text and words in text
    assert snapshot(L) == before and v["w1"].grad == 0.0


def test_explain_sums_several_paths():
    x = Value(3.0, "x")
    y = x * x + x                    # paths: x·(first x) = 3, x·(second x) = 3, and 1: total 7
    y.label = "y"
    text = viz.explain(y, x)
    assert count_paths(y, x) == 3
    assert "Somme des chemins : ∂y/∂x = 3 + 3 + 1 = 7" in text


def test_explain_without_a_path_and_of_the_root_itself():
    L, v = course()
    other = Value(1.0, "z")
    assert "aucun chemin" in viz.explain(L, other)
    assert viz.explain(L, L, lang="en").startswith("∂L/∂L = 1")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_explain_after_two_backward_calls_says_why_the_grad_differs(lang):
    L, v = course()
    L.backward()
    L.backward()                     # leaves accumulate: w1.grad = 9, the paths still sum to 4.5
    before = snapshot(L)
    lines = viz.explain(L, v["w1"], lang=lang).splitlines()
    assert snapshot(L) == before
    assert lines[0].endswith("= 4.5") and len(lines) == 2
    assert lines[1].startswith("w1.grad ") and "9" in lines[1] and "4.5" in lines[1]
    assert "zero_grad" not in lines[1] and lines[1].count(". ") == 0   # one sentence, no zero_grad()
    assert ("accumule" in lines[1]) == (lang == "fr") and ("accumulates" in lines[1]) == (lang == "en")


def test_explain_many_paths_lists_some_and_sums_all():
    x = Value(1.0, "x")
    y = x
    for _ in range(12):
        y = y * y                    # x^(2^12): 2^12 = 4096 paths, each a product of 1s
    y.backward()
    assert count_paths(y, x) == 4096 and x.grad == 4096.0   # d/dx x^4096 at 1 = 4096
    text = viz.explain(y, x, max_paths=5)
    assert "4091" in text and text.count("chemin ") == 5


def test_explain_refuses_non_nodes():
    L, _ = course()
    with pytest.raises(TypeError, match="explain"):
        viz.explain(L, 3.0)


# ---------------------------------------------------------------- random graphs
OP_NAMES = sorted(name for name, op in OPS.items()
                  if (op.arity == 2 and name in ("add", "sub", "mul", "div", "pow_xy"))
                  or (op.arity == 1 and (name in ("neg", "pow") or callable(getattr(Value, name, None)))))
SMOOTH = sorted(set(OP_NAMES) - {"abs", "relu", "leaky_relu", "elu"})


@st.composite
def graph_plans(draw, names=tuple(OP_NAMES)):
    """Leaf values and a list of (op, input, input) picks: a small random graph, shared inputs."""
    leaves = draw(st.lists(st.one_of(real(2.0), nonzero(0.2, 2.0)), min_size=1, max_size=3))
    plan = draw(st.lists(st.tuples(st.sampled_from(names), st.integers(0, 50), st.integers(0, 50)),
                         min_size=1, max_size=7))
    return leaves, plan


def build(values, plan):
    """Apply the plan; None if an op refuses its inputs, a value leaves the finite range or a local
    derivative is infinite (√0: backward would warn, and these tests need finite gradients)."""
    leaves = [Value(v, f"x{i}") for i, v in enumerate(values)]
    nodes = list(leaves)
    for name, i, j in plan:
        op = OPS[name]
        a, b = nodes[i % len(nodes)], nodes[j % len(nodes)]
        try:
            out = apply(op, a, b) if op.arity == 2 else apply(op, a, k=op.k_default)
        except (ValueError, ZeroDivisionError, OverflowError):
            return None
        if not math.isfinite(out.data) or abs(out.data) > 1e6:
            return None
        if not all(map(math.isfinite, scalar_local(op, [p.data for p in out.parents], out.data, out.k))):
            return None
        nodes.append(out)
    return nodes[-1], leaves


@given(graph_plans())
def test_explain_paths_sum_to_grad_on_random_graphs(drawn):
    built = build(*drawn)
    assume(built is not None)
    root, leaves = built
    root.backward()
    assume(all(math.isfinite(x.grad) and abs(x.grad) < 1e8 for x in leaves))
    for x in leaves:
        text = viz.explain(root, x, max_paths=50)           # asserts the sum itself
        assert "✓" in text or "aucun chemin" in text
        found = paths(root, x)
        products = [math.prod(f.local for f in p) for p in found]
        total = math.fsum(products)
        assert len(found) == count_paths(root, x)
        # backward() adds the paths in floating point: its rounding scales with the largest term
        # (x + x/x at x = 1e-63: 1 + 1e63 − 1e63 gives 0 there, 1 exactly by fsum)
        scale = max([1.0, *map(abs, products)])
        assert total == pytest.approx(x.grad, rel=1e-9, abs=1e-9 * scale)


@given(graph_plans())
def test_backward_steps_upstream_is_what_backward_leaves(drawn):
    built = build(*drawn)
    assume(built is not None)
    root, _ = built
    steps = list(viz.backward_steps(root))
    root.backward()
    for step in steps:
        assert step.upstream == pytest.approx(step.node.grad, rel=1e-12, abs=1e-12, nan_ok=True), step.name
        for p in step.parents:
            assert p.contribution == pytest.approx(step.upstream * p.local, rel=1e-12, abs=1e-300,
                                                   nan_ok=True)


@given(graph_plans(names=tuple(SMOOTH)))
def test_explain_agrees_with_central_differences(drawn):
    values, plan = drawn
    built = build(values, plan)
    assume(built is not None)
    root, leaves = built
    root.backward()
    assume(all(abs(x.grad) < 1e4 for x in leaves))

    def f(*xs):
        rebuilt = build([x.data for x in xs], plan)
        return rebuilt[0] if rebuilt else Value(math.nan)

    numeric = numerical_grad(f, leaves, eps=1e-6)
    assume(all(math.isfinite(n) for n in numeric))
    for x, n in zip(leaves, numeric):
        total = math.fsum(math.prod(fa.local for fa in p) for p in paths(root, x))
        assert total == pytest.approx(n, rel=1e-3, abs=1e-4)


# ---------------------------------------------------------------- player frames
@pytest.mark.skipif(find_renderer("svg") is None, reason="no renderer")
def test_player_frames_forward_then_backward():
    from viz.player import frames

    L, _ = course()
    fr = frames(L)
    assert len(fr) == 16                                   # 8 values, twice
    assert [f["phase"] for f in fr] == ["forward"] * 8 + ["backward"] * 8
    assert fr[2]["text"] == "a = w1·x = −3"
    assert "4.5" in fr[-1]["text"] and fr[-1]["title"].endswith("16 / 16")
    assert all(f["changes"] for f in fr)                   # every step changes the picture
    first = [line for look in fr[0]["changes"].values() for line in look.get("t", [])]
    assert "grad : non calculé" in first and not any(re.match(r"grad -?\d", line) for line in first)
