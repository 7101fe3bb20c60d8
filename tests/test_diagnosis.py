"""check_grads names the student's mistake: one course-style graph per diagnosis code, both languages.

Each mistake is *made* here the way a student makes it (a path forgotten, ``=`` for ``+=``, the
derivative of σ written with its input…), the student's numbers computed from that wrong rule by
hand, and the checker must name that rule. Expected numbers come from the course's derivations.
"""
import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgradfr import Value
from microgradfr.autograd import topological_order
from microgradfr.demo import course_graph
from microgradfr.testing import CODES, GradReport, check_grads
from microgradfr.testing.diagnosis import OUTPUT_FORMS
from microgradfr.testing.strategies import graphs

LANGS = ("fr", "en")
ENGLISH = {"the", "is", "and", "of", "path", "paths", "missing", "only", "sign", "value", "twice", "half",
           "instead", "right", "your", "step", "first", "then", "you", "have", "this", "from", "above",
           "alone", "flipped", "through", "counted", "wrong", "out", "kept", "chain", "rule",
           "recompute", "fix", "it", "contributes", "derivative", "times", "ran", "check"}
FRENCH = {"le", "la", "les", "de", "est", "et", "chemin", "chemins", "manque", "seule", "signe", "valeur",
          "double", "moitié", "au", "lieu", "votre", "calcul", "vous", "avez", "bonne", "venu", "haut",
          "inversé", "comptée", "faux", "sur", "règle", "chaîne", "recalculer", "corrigez", "apporte",
          "dérivée", "locale", "fois", "appelé", "revoyez", "sortie", "entrée", "il", "ils", "une", "un"}


def words(text):
    return set(re.findall(r"[^\W\d_]{2,}", text.lower()))


def snapshot(root):
    return [(id(n), n.data, n.grad, n.label) for n in topological_order(root)]


def reused_graph():
    """The course's graph with one variable used twice: L = (w1·x + w2·x)², x = −1.5, w1 = 2, w2 = 0.5."""
    w1, x, w2 = Value(2.0, label="w1"), Value(-1.5, label="x"), Value(0.5, label="w2")
    a = w1 * x; a.label = "a"
    b = w2 * x; b.label = "b"
    c = a + b; c.label = "c"
    L = c ** 2; L.label = "L"
    return L


def network_231():
    """The course's 2-3-1 sigmoid network with MSE (exercise 2), every node labelled as in the course."""
    x1, x2, target = Value(0.5, label="x1"), Value(-1.0, label="x2"), 1.0
    W1 = [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]]
    b1, Wp, bp = [0.05, -0.1, 0.2], [0.3, -0.6, 0.9], Value(-0.05, label="b'")
    hidden = []
    for j in range(3):
        w = [Value(W1[j][i], label=f"w{j + 1}{i + 1}") for i in range(2)]
        z = w[0] * x1 + w[1] * x2 + Value(b1[j], label=f"b{j + 1}")
        z.label = f"z{j + 1}"
        a = z.sigmoid(); a.label = f"a{j + 1}"
        hidden.append(a)
    z2 = sum((Value(Wp[j], label=f"w'{j + 1}") * hidden[j] for j in range(3)), bp)
    z2.label = "z"
    yhat = z2.sigmoid(); yhat.label = "ŷ"
    L = 0.5 * (yhat - target) ** 2; L.label = "L"
    return L, z2, yhat


def sigma(v):
    return 1 / (1 + math.exp(-v))


# ---------------------------------------------------------------- one mistake per code
# Course numbers: w1 = 2, x = −1.5, w2 = 0.5, y = 3; a = −3, b = 1.5, c = −1.5, L = 2.25;
# ∂L/∂c = 2c = −3, ∂L/∂a = ∂L/∂b = −3, ∂L/∂w1 = −3·x = 4.5, ∂L/∂x = −3·w1 = −6.
def case_sign():
    L, _ = course_graph()
    return L, {"w1": 4.5, "x": 6.0}, "x"              # ∂(w1·x)/∂x taken as −w1


def case_factor():
    L, _ = course_graph()
    return L, {"c": -1.5}, "c"                        # ∂(c²)/∂c written c instead of 2c


def case_missing_path():
    L = reused_graph()                                # ∂L/∂x = 2c·w1 + 2c·w2 = (−7.5)·2 + (−7.5)·0.5
    return L, {"x": -7.5 * 0.5}, "x"                  # the path through a forgotten


def case_last_contribution_only():
    L = reused_graph()                                # backward() adds the path through b, then a
    return L, {"x": -7.5 * 2}, "x"                    # x.grad = … instead of x.grad += …


def case_local_only():
    L, _ = course_graph()
    return L, {"w1": -1.5}, "w1"                      # ∂a/∂w1 = x alone, ∂L/∂a forgotten


def case_upstream_only():
    L, _ = course_graph()
    return L, {"w1": -3.0}, "w1"                      # ∂L/∂a alone, the factor x forgotten


def case_input_for_output():
    L, z2, yhat = network_231()                       # σ'(z) written z(1 − z) instead of ŷ(1 − ŷ)
    dL_dyhat = yhat.data - 1.0
    return L, {"ŷ": dL_dyhat, "z": dL_dyhat * z2.data * (1 - z2.data)}, "z"


def case_stale_accumulation():
    L, _ = course_graph()
    L.backward()
    L.backward()                                      # leaves now hold twice their gradient
    return L, None, "w1"


def case_unknown():
    L, _ = course_graph()
    return L, {"w1": 17.25}, "w1"


CASES = {code: globals()[f"case_{code}"] for code in CODES}


def test_every_code_has_a_case():
    assert set(CASES) == set(CODES)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", CODES)
def test_each_mistake_is_named(code, lang):
    root, answers, node = CASES[code]()
    before = snapshot(root)
    report = check_grads(root, answers, lang=lang)
    assert snapshot(root) == before                   # never changes any node
    assert not report.ok and node in report.wrong
    assert report.diagnoses[node] == code, str(report)
    text = str(report)
    assert node in text and text == report.text(lang)
    other = ENGLISH if lang == "fr" else FRENCH
    assert not words(text) & other, (words(text) & other, text)


@pytest.mark.parametrize("lang", LANGS)
def test_the_missing_path_is_named_with_its_contribution(lang):
    root, answers, _ = case_missing_path()
    text = check_grads(root, answers, lang=lang).paragraph("x")
    assert "L → c → a → x" in text and "−15" in text
    assert "∂L/∂x = ∂L/∂a · ∂a/∂x + ∂L/∂b · ∂b/∂x" in text     # the right chain rule
    assert "−18.75" in text                                     # −15 + (−3.75)


@pytest.mark.parametrize("lang", LANGS)
def test_a_tie_says_so(lang):
    x = Value(3.0, label="x")
    y = x * x; y.label = "y"                          # ∂y/∂x = x + x = 6; x alone is 3
    report = check_grads(y, {"x": 3.0}, lang=lang)
    assert report.diagnoses["x"] == "last_contribution_only"
    tie = {"fr": "ces erreurs donnent le même nombre", "en": "these mistakes give the same number"}[lang]
    assert tie in str(report)
    assert {"fr": "un chemin oublié", "en": "a forgotten path"}[lang] in str(report)


def test_a_mistake_is_inherited_below_where_it_is_made():
    L, v = course_graph()
    # ∂L/∂c with the wrong sign, then every step below done right from it
    report = check_grads(L, {"c": 3.0, "a": 3.0, "b": 3.0, "w1": 3.0 * -1.5, "x": 3.0 * 2.0, "y": 1.5})
    assert report.first == "c" and report.wrong == ["c", "b", "y", "a", "x", "w1"]
    assert set(report.diagnoses.values()) == {"sign"}
    assert report.details["w1"].origin == "c" and report.details["c"].origin is None
    assert "corrigez d'abord c" in report.paragraph("w1")
    assert "∂L/∂b = 3" in report.paragraph("y")          # y = 1.5 follows from ∂L/∂b = 3, not −3


def test_manual_backprop_read_from_grad():
    """The lecture's manual backprop: .grad set by hand on every node, checked without answers."""
    L, v = course_graph()
    before = snapshot(L)
    L.grad = 1.0
    v["c"].grad = 2 * v["c"].data
    v["a"].grad = v["b"].grad = v["c"].grad
    v["w1"].grad = v["a"].grad * v["x"].data
    v["x"].grad = v["a"].grad * v["w1"].data
    v["w2"].grad = v["b"].grad                        # forgot ∂b/∂w2 = y
    v["y"].grad = v["b"].grad * v["w2"].data
    hand = snapshot(L)
    report = check_grads(L)
    assert snapshot(L) == hand and hand != before
    assert report.wrong == ["w2"] and report.diagnoses == {"w2": "upstream_only"}


def test_all_right():
    L, _ = course_graph()
    report = check_grads(L, {"w1": 4.5, "x": -6.0, "w2": -9.0, "y": -1.5})
    assert report.ok and report.wrong == [] and bool(report)
    assert "4 " in str(report)


def test_answers_by_node_and_clear_errors():
    L, v = course_graph()
    assert check_grads(L, {v["w1"]: 4.5}).ok
    with pytest.raises(KeyError, match="w3") as info:
        check_grads(L, {"w3": 1.0})
    assert str(info.value).startswith("check_grads : aucun nœud ne s'appelle 'w3'")
    with pytest.raises(TypeError, match="w1"):
        check_grads(L, {"w1": "4.5"})
    with pytest.raises(ValueError, match="lang"):
        check_grads(L, {}, lang="de")
    with pytest.raises(TypeError):
        check_grads(3.0, {})
    t = Value(0.5, label="t")
    with pytest.raises(ValueError, match="constante"):
        check_grads(3 * t, {"3": 1.0})


@pytest.mark.parametrize("lang", LANGS)
def test_a_wrong_seed(lang):
    L, _ = course_graph()
    report = check_grads(L, {"L": 0.0}, lang=lang)
    assert report.wrong == ["L"] and "1" in report.paragraph("L")


def test_the_2_3_1_network_every_partial_by_hand_is_right():
    L, z2, yhat = network_231()
    report = check_grads(L)                           # nothing computed yet: every .grad is 0
    assert not report.ok and report.first == "L"
    L.backward()
    assert check_grads(L).ok
    assert isinstance(report, GradReport)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("code", [c for c in CODES if c != "stale_accumulation"])
def test_assert_grad_failures_name_the_same_mistake(code, lang):
    from microgradfr.testing import assert_grad
    root, answers, name = CASES[code]()
    report = check_grads(root, answers, lang=lang)
    node = report.details[name].node
    before = snapshot(root)
    with pytest.raises(AssertionError) as info:
        assert_grad(root, node, answers[name], lang=lang)
    assert snapshot(root) == before
    mistake = report.paragraph(name).splitlines()[1]
    assert mistake in str(info.value) and f"viz.explain(L, {name})" in str(info.value)


@pytest.mark.parametrize("lang", LANGS)
def test_the_report_draws_wrong_nodes_outlined_and_the_first_one_marked(lang):
    import viz
    from viz.dot import BAD_COLOR, HIGHLIGHT
    L, v = course_graph()
    report = check_grads(L, {"c": 3.0, "a": 3.0, "w1": 3.0 * -1.5, "x": -6.0}, lang=lang)
    before = snapshot(L)
    source = report.draw().source
    assert snapshot(L) == before                                       # drawing changes nothing either
    nodes = {}
    for line in source.splitlines():                                   # every statement about a node
        match = re.match(r"\s*(\w+) \[(.*)\]$", line)
        if match:
            nodes[match.group(1)] = nodes.get(match.group(1), "") + " " + match.group(2)
    boxes = {key: attrs for key, attrs in nodes.items() if "record" in attrs}
    outlined = [attrs for attrs in boxes.values() if BAD_COLOR in attrs]
    assert len(outlined) == len(report.wrong) - 1 == 2                 # a and w1; c is the first
    first = [line for line in boxes.values() if HIGHLIGHT in line]
    assert len(first) == 1 and re.search(r"label=\"\{? ?c \|", first[0])
    yours = {"fr": "vous : 3", "en": "you: 3"}[lang]
    assert yours in first[0] and "grad -3" in first[0]                 # the right value, and the student's
    bundle = report._repr_mimebundle_()
    assert bundle["text/plain"] == str(report)
    page = bundle["text/html"]
    assert "<svg" in page and page.index("<pre>") < page.index("<svg")
    assert viz.draw_report(report) is not None


def test_drawing_needs_viz_and_says_so(monkeypatch):
    from microgradfr.testing import diagnosis
    monkeypatch.setattr(diagnosis, "DRAWERS", {})
    L, _ = course_graph()
    report = check_grads(L, {"x": 6.0})
    with pytest.raises(RuntimeError, match="import viz"):
        report.draw()
    assert report._repr_mimebundle_() == {"text/plain": str(report)}


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("op", sorted(OUTPUT_FORMS))
def test_input_for_output_for_each_op_that_has_the_mistake(op, lang):
    """tanh', σ', exp' written with the input: b = op(a) with a = w·x, L = b·y (course numbers)."""
    w, x, y = Value(0.5, label="w"), Value(-1.5, label="x"), Value(3.0, label="y")
    a = w * x; a.label = "a"
    b = getattr(a, op)(); b.label = "b"
    L = b * y; L.label = "L"
    wrong_local = {"tanh": 1 - a.data ** 2, "sigmoid": a.data * (1 - a.data), "exp": a.data}[op]
    report = check_grads(L, {"b": 3.0, "a": 3.0 * wrong_local}, lang=lang)
    assert report.diagnoses == {"a": "input_for_output"}, str(report)
    assert not words(str(report)) & (ENGLISH if lang == "fr" else FRENCH)


@pytest.mark.parametrize("lang", LANGS)
def test_inherited_and_tied_texts_keep_to_one_language(lang):
    L, _ = course_graph()
    inherited = check_grads(L, {"c": 3.0, "a": 3.0, "w1": -4.5}, lang=lang)
    x = Value(3.0, label="x")
    y = x * x; y.label = "y"
    tied = check_grads(y, {"x": 3.0}, lang=lang)
    seed = check_grads(L, {"L": 0.0}, lang=lang)
    for text in (str(inherited), str(tied), str(seed)):
        assert not words(text) & (ENGLISH if lang == "fr" else FRENCH), text


def test_the_report_and_the_diagram_name_nodes_the_same_way():
    from viz.protocol import node_names as viz_names
    t = Value(0.5, label="t")
    o = (3 * t).tanh() + t * t                       # unlabelled: a, b, c and the root L; 3 is a constant
    order = topological_order(o)
    report = check_grads(o, {"t": 0.0, "b": 0.0})
    assert [report.name(n) for n in order] == [viz_names(order)[id(n)] for n in order] == \
        ["3", "t", "a", "b", "c", "L"]
    assert report.wrong == ["b", "t"]


def test_the_2_3_1_network_a_hidden_layer_mistake_and_what_follows():
    """Every partial of the course's 2-3-1 network by hand, σ' of hidden neuron 1 written z1(1 − z1)."""
    L, z2, yhat = network_231()
    nodes = {n.label: n for n in topological_order(L) if n.label}
    a = [nodes[f"a{j}"].data for j in (1, 2, 3)]
    z1 = [nodes[f"z{j}"].data for j in (1, 2, 3)]
    Wp = [nodes[f"w'{j}"].data for j in (1, 2, 3)]
    x = [nodes["x1"].data, nodes["x2"].data]
    dL_dz2 = (yhat.data - 1.0) * yhat.data * (1 - yhat.data)
    dL_da = [dL_dz2 * w for w in Wp]
    dL_dz1 = [dL_da[j] * a[j] * (1 - a[j]) for j in range(3)]
    dL_dz1[0] = dL_da[0] * z1[0] * (1 - z1[0])                  # the slip
    answers = {"z": dL_dz2, "b'": dL_dz2}
    for j in range(3):
        answers |= {f"w'{j + 1}": dL_dz2 * a[j], f"a{j + 1}": dL_da[j], f"z{j + 1}": dL_dz1[j],
                    f"b{j + 1}": dL_dz1[j]}
        answers |= {f"w{j + 1}{i + 1}": dL_dz1[j] * x[i] for i in range(2)}
    report = check_grads(L, answers)
    assert report.first == "z1" and set(report.wrong) == {"z1", "b1", "w11", "w12"}
    assert set(report.diagnoses.values()) == {"input_for_output"}
    assert report.details["w11"].origin == "z1" and report.details["z1"].origin is None
    assert "corrigez d'abord z1" in report.paragraph("w11")


def as_products(tree):
    """The tree with each Chain (a · b · c, as the texts write products) as nested ×, for evaluate."""
    from microgradfr.formula import Bin, Chain
    if isinstance(tree, Chain):
        factors = [as_products(f) for f in tree.factors]
        out = factors[0]
        for f in factors[1:]:
            out = Bin("*", out, f)
        return out
    if isinstance(tree, Bin):
        return Bin(tree.op, as_products(tree.left), as_products(tree.right))
    return tree


@pytest.mark.parametrize("code", CODES)
def test_the_chain_rule_line_reads_back_to_the_right_value(code):
    """The last side of each paragraph's chain-rule line before its total (the numbers, or the
    formula when the numbers read the same), evaluated with the nodes' values, is the right gradient."""
    from microgradfr.formula import evaluate
    from microgradfr.testing.diagnosis import _Writer
    root, answers, name = CASES[code]()
    report = check_grads(root, answers)
    writer = _Writer(report._graph, report._found, "fr")
    line = writer.chain_line(report.details[name].node)
    env = {report.name(n): n.data for n in topological_order(root)}
    value = evaluate(as_products(line.sides[-2]), env)
    assert value == pytest.approx(report.correct[name], rel=1e-3, abs=1e-4)
    assert line.sides[-1].value == report.correct[name]


@given(graphs(), st.data())
def test_random_graphs_right_answers_pass_and_a_flipped_sign_is_named(root, data):
    from hypothesis import assume
    assume(root.parents)
    report = check_grads(root)                          # nothing computed: .grad is 0 everywhere
    before = snapshot(root)
    right = {n: g for n, g in zip(topological_order(root), _right_grads(root))}
    assume(all(math.isfinite(g) for g in right.values()))
    assert check_grads(root, {n: g for n, g in right.items() if n.label or n.parents}).ok
    flippable = [n for n, g in right.items() if abs(g) > 1e-6 and (n.label or n.parents)]
    assume(flippable)
    node = data.draw(st.sampled_from(flippable))
    report = check_grads(root, {node: -right[node]})
    name = report.name(node)
    assert report.wrong == [name]
    found = report.details[name]
    assert "sign" in (found.code, *found.ties), str(report)
    assert snapshot(root) == before


def _right_grads(root):
    from microgradfr.testing import _own_backward
    order = topological_order(root)
    return _own_backward(root, order)


@pytest.mark.parametrize("lang", LANGS)
def test_a_long_report_writes_the_first_mistakes_and_says_how_to_see_the_rest(lang):
    from microgradfr import manual_seed
    from microgradfr.nn import MLP
    from microgradfr.testing.diagnosis import MAX_PARAGRAPHS
    manual_seed(0)
    L = (MLP(2, [8, 1])([Value(0.5), Value(-1.0)]) - 1.0) ** 2
    L.backward()
    L.backward()
    report = check_grads(L, lang=lang)
    assert len(report.wrong) > MAX_PARAGRAPHS and set(report.diagnoses.values()) == {"stale_accumulation"}
    text = str(report)
    assert text.count("\n\n") == MAX_PARAGRAPHS + 1 and "report.paragraph(" in text
    prose = re.sub(r"\S*layers\.\S*|report\.\w+", "", text)   # labels and attributes are code, not prose
    assert not words(prose) & (ENGLISH if lang == "fr" else FRENCH)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("op", sorted(OUTPUT_FORMS))
def test_the_derivative_taken_at_the_output_is_input_for_output_too(op, lang):
    """The other way round: 1 − tanh²(c) for c = tanh b, σ(c)(1 − σ(c)), exp(c)."""
    import math as m
    w, x, y = Value(0.5, label="w"), Value(-1.5, label="x"), Value(3.0, label="y")
    a = w * x; a.label = "a"
    b = getattr(a, op)(); b.label = "b"
    L = b * y; L.label = "L"
    s = 1 / (1 + m.exp(-b.data))
    wrong_local = {"tanh": 1 - m.tanh(b.data) ** 2, "sigmoid": s * (1 - s), "exp": m.exp(b.data)}[op]
    report = check_grads(L, {"b": 3.0, "a": 3.0 * wrong_local}, lang=lang)
    assert report.diagnoses == {"a": "input_for_output"}, str(report)
    said = {"fr": "prise en la sortie b", "en": "taken at the output b"}[lang]
    assert said in str(report) and not words(str(report)) & (ENGLISH if lang == "fr" else FRENCH)
