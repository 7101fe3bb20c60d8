"""draw_dot read as DOT text: deterministic, no renderer needed.

Expected numbers are worked out by hand in comments (course values w1 = 2, x = −1.5, w2 = 0.5,
y = 3: a = −3, b = 1.5, c = −1.5, L = 2.25; ∂L/∂c = 2c = −3, ∂L/∂w1 = 2c·x = 4.5,
∂L/∂x = 2c·w1 = −6, ∂L/∂w2 = 2c·y = −9, ∂L/∂y = 2c·w2 = −1.5).
"""
import re
import subprocess
import sys
from types import SimpleNamespace

import numpy as np
import pytest

import viz
from microgradfr import Value
from microgradfr.demo import course_graph
from microgradfr.engine import apply
from microgradfr.nn import MLP, Neuron
from microgradfr.ops import OPS
from viz.dot import BAD_COLOR, HIGHLIGHT, ZERO_FILL

# ---------------------------------------------------------------- reading DOT text
_STATEMENT = re.compile(r'^\s*(\w+) \[(.*)\]\s*$')
_ATTR = re.compile(r'(\w+)=("(?:[^"\\]|\\.)*"|[^ \]]+)')


def nodes(src: str) -> dict:
    """``name -> {attr: value}`` for every node statement (quotes removed, escapes kept)."""
    out = {}
    for line in src.splitlines():
        m = _STATEMENT.match(line)
        if m and "->" not in line:
            out[m.group(1)] = {k: v[1:-1] if v.startswith('"') else v for k, v in _ATTR.findall(m.group(2))}
    return out


def edges(src: str) -> list:
    """``(tail, head, {attr: value})`` in the order written."""
    out = []
    for line in src.splitlines():
        m = re.match(r'^\s*(\w+) -> (\w+)(?: \[(.*)\])?\s*$', line)
        if m:
            attrs = {k: v[1:-1] if v.startswith('"') else v for k, v in _ATTR.findall(m.group(3) or "")}
            out.append((m.group(1), m.group(2), attrs))
    return out


def clusters(src: str) -> dict:
    """``node name -> innermost cluster name`` (by following subgraph braces)."""
    where, stack = {}, []
    for line in src.splitlines():
        m = re.match(r'^\s*subgraph (\w+) \{', line)
        if m:
            stack.append(m.group(1))
            continue
        if line.strip() == "}":
            if stack:
                stack.pop()
            continue
        n = _STATEMENT.match(line)
        if n and "->" not in line and stack:
            where[n.group(1)] = stack[-1]
    return where


def fields(label: str) -> list:
    """The fields of a record label ``{ a | b | c }`` (unescaped bars only)."""
    body = label.strip()
    if body.startswith("{") and body.endswith("}"):
        body = body[1:-1]
    return [f.strip() for f in re.split(r'(?<!\\)\|', body)]


def box(src: str, name: str) -> tuple:
    """(node id, fields) of the record whose first field is ``name``."""
    for nid, attrs in nodes(src).items():
        if attrs.get("shape") == "record" and fields(attrs["label"])[0] == name:
            return nid, fields(attrs["label"])
    raise AssertionError(f"no box named {name!r} in\n{src}")


def course(backward=True):
    """The course's L = (w1·x + w2·y)² with w1 = 2, x = −1.5, w2 = 0.5, y = 3 (demo.course_graph)."""
    L, nodes = course_graph()
    if backward:
        L.backward()
    return L, nodes


# ---------------------------------------------------------------- values, gradients, ops
def test_each_value_is_a_box_with_its_label_data_and_grad():
    L, _ = course()
    src = viz.draw_dot(L).source
    expected = {"w1": ("2", "4.5"), "x": ("-1.5", "-6"), "w2": ("0.5", "-9"), "y": ("3", "-1.5"),
                "a": ("-3", "-3"), "b": ("1.5", "-3"), "c": ("-1.5", "-3"), "L": ("2.25", "1")}
    for name, (data, grad) in expected.items():
        _, f = box(src, name)
        assert f == [name, f"data {data}", f"grad {grad}"], name
    assert sum(a.get("shape") == "record" for a in nodes(src).values()) == 8


def test_ops_are_small_nodes_named_by_the_op_table():
    L, _ = course()
    src = viz.draw_dot(L).source
    ops = sorted(a["label"] for n, a in nodes(src).items() if n.endswith("_op"))
    # a power is written as the course writes it, from the op table: c², not **2
    squared = OPS["pow"].expression({"x": "c", "k": 2})
    assert ops == sorted([squared, OPS["add"].symbol, OPS["mul"].symbol, OPS["mul"].symbol])
    assert squared == "c²"


UNARY = [name for name, op in OPS.items()
         if op.arity == 1 and callable(getattr(Value, name, None)) and op.k_default is None]


@pytest.mark.parametrize("name", UNARY)
def test_every_unary_op_draws_its_table_symbol(name):
    x = Value(0.7, "x")
    y = apply(OPS[name], x)
    src = viz.draw_dot(y).source
    assert nodes(src)["n1_op"]["label"] == OPS[name].symbol


@pytest.mark.parametrize("name", ["add", "sub", "mul", "div"])
def test_binary_ops_draw_as_written_not_as_composites(name):
    x, y = Value(3.0, "x"), Value(2.0, "y")
    out = apply(OPS[name], x, y)
    src = viz.draw_dot(out).source
    op_labels = [a["label"] for n, a in nodes(src).items() if n.endswith("_op")]
    assert op_labels == [OPS[name].symbol]  # one op node: x − y is not x + (−1)·y
    assert [(t, h) for t, h, _ in edges(src) if h.endswith("_op")] == [("n0", "n2_op"), ("n1", "n2_op")]


def test_x_times_x_draws_two_edges():
    x = Value(3.0, "x")
    y = x * x
    src = viz.draw_dot(y).source
    assert [(t, h) for t, h, _ in edges(src)].count(("n0", "n1_op")) == 2


def test_constant_leaves_show_their_value():
    x = Value(3.0, "x")
    y = x * 2.5
    src = viz.draw_dot(y).source
    consts = [a for a in nodes(src).values() if a.get("shape") == "box" and a["label"] == "2.5"]
    assert len(consts) == 1 and "grad" not in consts[0]["label"]


def test_same_graph_same_source():
    assert viz.draw_dot(course()[0]).source == viz.draw_dot(course()[0]).source


# ---------------------------------------------------------------- edge contributions
def test_edge_grads_are_upstream_times_local_derivative():
    L, v = course()
    src = viz.draw_dot(L, edge_grads=True).source
    ids = {name: box(src, name)[0] for name in ("w1", "x", "w2", "y", "a", "b", "c")}
    labels = {(t, h): a.get("label") for t, h, a in edges(src)}
    a_op, b_op, c_op = ids["a"] + "_op", ids["b"] + "_op", ids["c"] + "_op"
    # ∂L/∂a · ∂a/∂w1 = (−3)·x = (−3)(−1.5) = 4.5 ; ∂L/∂a · ∂a/∂x = (−3)·w1 = −6
    assert labels[(ids["w1"], a_op)] == "4.5"
    assert labels[(ids["x"], a_op)] == "-6"
    # ∂L/∂b · y = (−3)·3 = −9 ; ∂L/∂b · w2 = (−3)·0.5 = −1.5
    assert labels[(ids["w2"], b_op)] == "-9"
    assert labels[(ids["y"], b_op)] == "-1.5"
    # through +: (−3)·1 each; through **2: 1 · 2c = −3
    assert labels[(ids["a"], c_op)] == "-3" and labels[(ids["b"], c_op)] == "-3"


def test_a_node_reached_by_several_edges_shows_the_sum():
    x = Value(3.0, "x")
    y = x * x + x          # ∂y/∂x = x + x + 1 = 3 + 3 + 1 = 7
    y.label = "y"
    y.backward()
    src = viz.draw_dot(y, edge_grads=True).source
    assert box(src, "x")[1][2] == "grad 7 = 3 + 3 + 1"
    without = viz.draw_dot(y).source
    assert box(without, "x")[1][2] == "grad 7"


def test_no_edge_labels_before_backward():
    L, _ = course(backward=False)
    src = viz.draw_dot(L, edge_grads=True).source
    assert all("label" not in a for _, _, a in edges(src))


# ---------------------------------------------------------------- gradient states
def test_not_computed_is_drawn_differently_from_zero():
    x = Value(-2.0, "x")
    y = x.relu()
    y.label = "y"
    before = viz.draw_dot(y).source
    nid, f = box(before, "x")
    assert f[2] == "grad : non calculé" and "dashed" in nodes(before)[nid]["style"]
    assert box(viz.draw_dot(y, lang="en").source, "x")[1][2] == "grad: not computed"
    y.backward()                     # ReLU'(−2) = 0: a real zero gradient
    after = viz.draw_dot(y).source
    nid, f = box(after, "x")
    assert f[2] == "grad 0"
    assert "dashed" not in nodes(after)[nid].get("style", "")
    assert nodes(after)[nid]["fillcolor"] == ZERO_FILL


def test_nan_and_inf_are_flagged_red():
    x = Value(1000.0, "x")
    e = x.exp()                      # e^1000 overflows to inf
    e.label = "e"
    z = e * 0.0                      # inf · 0 = NaN
    z.label = "z"
    z.backward()                     # ∂z/∂e = 0, ∂z/∂x = 0 · e^1000 = NaN
    src = viz.draw_dot(z).source
    for name in ("x", "e"):
        nid, f = box(src, name)
        assert nodes(src)[nid]["color"] == BAD_COLOR, name
    assert box(src, "x")[1][2] == "grad NaN"
    assert box(src, "e")[1][1] == "data inf"


def test_color_grad_shades_by_log_magnitude_with_a_legend():
    x = Value(1.0, "x")
    y = x * 1000.0                   # ∂y/∂x = 1000, ∂y/∂y = 1
    y.label = "y"
    y.backward()
    src = viz.draw_dot(y).source
    fill_x = nodes(src)[box(src, "x")[0]]["fillcolor"]
    fill_y = nodes(src)[box(src, "y")[0]]["fillcolor"]

    def lightness(hex_color):
        return sum(int(hex_color[i:i + 2], 16) for i in (1, 3, 5))

    assert lightness(fill_x) < lightness(fill_y)  # 1000 is darker than 1
    legend = re.search(r"^\s*legend \[(.*)\]$", src, flags=re.M).group(1)
    # one swatch per power of ten, written as a number a student reads, and each state spelled out
    for swatch in ("≈ 1<", "≈ 1000<", "grad = 0", "pas encore calculé", "NaN ou inf"):
        assert swatch in legend, swatch
    assert "plus foncé = plus grand" in legend


def test_color_none_is_for_print():
    L, _ = course()
    src = viz.draw_dot(L, color=None).source
    assert "fillcolor" not in src and "legend" not in src


# ---------------------------------------------------------------- exercise mode
@pytest.mark.parametrize("show_grad", [False, "blank"])
def test_blank_mode_leaves_every_gradient_empty(show_grad):
    L, _ = course()
    src = viz.draw_dot(L, show_grad=show_grad, edge_grads=True).source
    for name in ("w1", "x", "a", "c", "L"):
        grad_field = box(src, name)[1][2]
        assert grad_field.startswith("grad") and not re.search(r"\d", grad_field), grad_field
    assert "4.5" not in src and "-9" not in src          # no answer leaks
    assert "fillcolor" not in src                        # nor through the shading
    assert all("label" not in a for _, _, a in edges(src))
    assert box(src, "x")[1][1] == "data -1.5"             # the values stay


# ---------------------------------------------------------------- clusters
def test_nn_nodes_are_clustered_by_neuron_and_layer():
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid")
    x1, x2 = Value(0.5, "x1"), Value(-1.0, "x2")
    out = model([x1, x2])
    out.backward()
    src = viz.draw_dot(out).source
    where = clusters(src)
    w0 = [n for n, a in nodes(src).items() if a.get("shape") == "record" and fields(a["label"])[0] == "w1"]
    # layers.L.neurons.N.w.0 shows its short name, numbered from 1, inside its own neuron
    assert sorted(where[n] for n in w0) == ["cluster_layers_0_neurons_0", "cluster_layers_0_neurons_1",
                                            "cluster_layers_0_neurons_2", "cluster_layers_1_neurons_0"]
    assert "subgraph cluster_layers_0 {" in src and "subgraph cluster_layers_1 {" in src
    sums = [n for n, a in nodes(src).items() if a.get("label") == OPS["weighted_sum"].symbol]
    assert len(sums) == 4  # one fused Σwx+b per neuron, each inside its neuron
    assert sorted(where[n] for n in sums) == ["cluster_layers_0_neurons_0", "cluster_layers_0_neurons_1",
                                              "cluster_layers_0_neurons_2", "cluster_layers_1_neurons_0"]
    sig = [n for n, a in nodes(src).items() if a.get("label") == OPS["sigmoid"].symbol]
    assert all(where[n].startswith("cluster_layers_") for n in sig)
    assert box(src, "x1")[0] not in where  # inputs stay outside


def test_neuron_cluster_nests_inside_its_layer():
    model = MLP(2, [3, 1])
    out = model([1.0, 2.0])
    src = viz.draw_dot(out).source
    layer = src.index("subgraph cluster_layers_1 {")
    neuron = src.index("subgraph cluster_layers_1_neurons_0 {")
    assert layer < neuron


# ---------------------------------------------------------------- fused linear
def test_fused_linear_draws_as_one_node_or_expanded():
    n = Neuron(2, activation="linear")
    n.w[0].data, n.w[1].data, n.b.data = 2.0, -1.0, 0.5
    x1, x2 = Value(3.0, "x1"), Value(4.0, "x2")
    z = n([x1, x2])                  # z = 2·3 + (−1)·4 + 0.5 = 2.5
    z.label = "z"
    z.backward()                     # ∂z/∂w0 = x1 = 3, ∂z/∂x2 = w1 = −1
    fused = viz.draw_dot(z, edge_grads=True).source
    assert [a["label"] for n_, a in nodes(fused).items() if n_.endswith("_op")] == ["Σwx+b"]
    expanded = viz.draw_dot(z, edge_grads=True, expand=True).source
    ops = sorted(a["label"] for n_, a in nodes(expanded).items() if n_.endswith("_op") or "_m" in n_)
    assert ops == ["+", "×", "×"]
    _, f = box(expanded, "w.0·x1")
    assert f == ["w.0·x1", "data 6", "grad 1"]
    labels = {(t, h): a.get("label") for t, h, a in edges(expanded)}
    w0 = box(expanded, "w.0")[0]
    x2_id = box(expanded, "x2")[0]
    assert labels[(w0, next(h for t, h in labels if t == w0))] == "3"
    assert labels[(x2_id, next(h for t, h in labels if t == x2_id))] == "-1"
    assert box(expanded, "z")[1][1] == "data 2.5"


# ---------------------------------------------------------------- escaping
@pytest.mark.parametrize("label, escaped", [
    ("a{b}", r"a\{b\}"), ("p|q", r"p\|q"), ("<x>", r"\<x\>"), ('say "hi"', r'say \"hi\"'),
    ("back\\slash", r"back\\slash"), ("two\nlines", r"two\nlines"), ("ϑ é à", "ϑ é à"),
])
def test_labels_are_escaped(label, escaped):
    x = Value(1.0, label)
    src = viz.draw_dot(x).source
    assert nodes(src)["n0"]["label"] == escaped + " | data 1 | grad : non calculé"


# ---------------------------------------------------------------- limits and options
@pytest.mark.parametrize("lang, words", [("en", ("41 values", "one sample", "subgraph")),
                                         ("fr", ("41 valeurs", "un exemple", "sous-graphe"))])
def test_max_nodes_refuses_with_a_way_out(lang, words):
    x = Value(1.0, "x")
    y = x
    for _ in range(20):
        y = y + 1.0
    with pytest.raises(ValueError) as info:
        viz.draw_dot(y, max_nodes=10, lang=lang)
    message = str(info.value)
    assert words[0] in message and "max_nodes=10" in message     # 1 + 20·(constant + sum)
    assert words[1] in message and words[2] in message and "max_nodes=41" in message


@pytest.mark.parametrize("kwargs", [{"rankdir": "XY"}, {"color": "rainbow"}, {"show_grad": "maybe"},
                                    {"lang": "de"}, {"max_nodes": 0}])
def test_bad_options_are_named(kwargs):
    with pytest.raises(ValueError, match=list(kwargs)[0]):
        viz.draw_dot(course()[0], **kwargs)


def test_rankdir_tb_lays_fields_side_by_side():
    src = viz.draw_dot(course()[0], rankdir="TB").source
    assert "rankdir=TB" in src
    assert nodes(src)[box(src, "w1")[0]]["label"] == "w1 | data 2 | grad 4.5"


def test_highlight_marks_one_node():
    L, v = course()
    src = viz.draw_dot(L, highlight=v["c"]).source
    nid = box(src, "c")[0]
    assert nodes(src)[nid]["color"] == HIGHLIGHT and nodes(src)[nid]["penwidth"] == "3"


def test_the_node_formatter_is_replaceable():
    def plain(node, name, grad, **_):
        return viz.format.NodeView(name.upper(), "d", "g", "value", 1.0)

    src = viz.draw_dot(course()[0], formatter=plain).source
    assert box(src, "W1")[1] == ["W1", "d", "g"]


# ---------------------------------------------------------------- shaped nodes (Tensor)
class ShapedNode(SimpleNamespace):
    """The public node protocol with an array: what a Tensor looks like to viz."""


def _shaped(data, grad=None, label="t"):
    data = np.asarray(data, dtype=float)
    return ShapedNode(data=data, grad=grad, label=label, parents=(), op="", fn=None, k=None, shape=data.shape)


def test_shaped_node_shows_shape_and_small_values():
    node = _shaped([[1.0, 2.0, 3.0]], grad=None)
    view = viz.format_node(node, "t", None)
    assert view.data == "shape (1, 3)\n[1, 2, 3]" and view.state == "none"
    view = viz.format_node(node, "t", np.array([[3.0, 0.0, 4.0]]))
    assert view.grad == "grad [3, 0, 4]" and view.magnitude == 5.0   # ‖(3, 0, 4)‖ = 5


def test_large_shaped_node_shows_a_summary_and_the_grad_norm():
    node = _shaped(np.arange(15.0).reshape(3, 5))                  # wider than a 4×4 grid
    view = viz.format_node(node, "t", np.full((3, 5), 0.5))
    # ‖0..14‖ = √(Σ k², k ≤ 14) = √1015 ≈ 31.8591; mean of 0..14 = 7
    assert view.data == "shape (3, 5)\n‖·‖ 31.8591\nmin 0 mean 7 max 14"
    assert view.grad == "grad ‖·‖ 1.9365"                          # √(15·0.25) = √3.75


def test_a_real_tensor_graph_draws_shapes():
    tensor = pytest.importorskip("microgradfr.tensor")
    x = tensor.Tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True, label="x")
    y = (x * x).sum()
    y.label = "y"
    before = viz.draw_dot(y).source
    assert box(before, "x")[1][2] == "grad : non calculé"    # Tensor.grad is None before backward
    y.backward()
    src = viz.draw_dot(y).source
    _, f = box(src, "x")
    # a 2×2 is drawn as a grid, row by row; ∂Σx²/∂x = 2x
    assert f[1] == r"shape (2, 2)\n[1, 2]\n[3, 4]" and f[2] == r"grad [2, 4]\n[6, 8]"


def test_a_2d_grid_is_rows_by_columns_and_larger_is_summarised():
    for rows, cols in [(1, 2), (2, 2), (3, 4), (4, 4)]:
        view = viz.format_node(_shaped(np.ones((rows, cols))), "t", None)
        assert view.data.split("\n")[1:] == ["[" + ", ".join(["1"] * cols) + "]"] * rows
    view = viz.format_node(_shaped(np.full((5, 5), 2.0)), "t", np.ones((5, 5)))
    assert view.data == "shape (5, 5)\n‖·‖ 10\nmin 2 mean 2 max 2"     # ‖2·1₅ₓ₅‖ = 2·5
    assert view.grad == "grad ‖·‖ 5"


def test_tensor_edge_grads_show_the_norm_of_each_contribution():
    tensor = pytest.importorskip("microgradfr.tensor")
    x = tensor.Tensor([[1.0, -2.0], [0.5, 3.0]], requires_grad=True, label="x")
    w = tensor.Tensor([[2.0], [-1.0]], requires_grad=True, label="w")
    b = tensor.Tensor([0.5], requires_grad=True, label="b")
    y = ((x @ w) + b).tanh().sum()
    y.label = "y"
    y.backward()
    src = viz.draw_dot(y, edge_grads=True).source
    labels = {t: a["label"] for t, h, a in edges(src) if "label" in a}
    # each leaf is used once: the edge carries its whole gradient, so its norm is ‖leaf.grad‖
    for leaf in (x, w, b):
        expected = viz.text.number(float(np.linalg.norm(leaf.grad)))
        assert labels[box(src, leaf.label)[0]] == f"‖·‖ {expected}", leaf.label


# ---------------------------------------------------------------- teacher options
def test_legend_false_keeps_the_colours():
    L, _ = course()
    src = viz.draw_dot(L, legend=False).source
    assert "fillcolor" in src and "legend" not in src
    assert "legend" in viz.draw_dot(L).source


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_legend_speaks_the_readers_language(lang):
    L, _ = course()
    src = viz.draw_dot(L, lang=lang).source
    for key in ("legend_colour", "legend_zero", "legend_none", "legend_bad"):
        assert viz.text.text(lang, key).replace("'", "&#x27;") in src, key


@pytest.mark.parametrize("bad", ["wide", "12x8", -1])
def test_size_must_be_cell_none_or_inches(bad):
    with pytest.raises(ValueError, match="size="):
        viz.draw_dot(course()[0], size=bad)


def test_size_cell_caps_the_width_and_none_removes_it():
    L, _ = course()
    assert 'size="10,1000"' in viz.draw_dot(L).source
    assert "\tsize=" not in viz.draw_dot(L, size=None).source
    assert 'size="6,4"' in viz.draw_dot(L, size="6,4").source


# ---------------------------------------------------------------- network diagrams
def _network(lang="fr"):
    model = MLP(2, [3, 1], activation="sigmoid", output_activation="sigmoid")
    out = model([Value(0.5, "x1"), Value(-1.0, "x2")])
    out.backward()
    return viz.draw_dot(out, edge_grads=True, lang=lang).source


@pytest.mark.parametrize("lang, layer, neuron", [("fr", "couche", "neurone"), ("en", "layer", "neuron")])
def test_clusters_are_titled_in_the_readers_language_numbered_from_one(lang, layer, neuron):
    src = _network(lang)
    titles = re.findall(r'subgraph (cluster_\w+) \{\n\s*.*?label="([^"]+)"', src)
    assert titles == [("cluster_layers_0", f"{layer} 1"),
                      *[(f"cluster_layers_0_neurons_{j}", f"{neuron} {j + 1}") for j in range(3)],
                      ("cluster_layers_1", f"{layer} 2"), ("cluster_layers_1_neurons_0", f"{neuron} 1")]
    assert "layers." not in src and "neurons." not in src


def test_a_neurons_parameters_are_written_w1_to_wn_then_b():
    src = _network()
    where = clusters(src)
    computed = {h.removesuffix("_op") for _, h, _ in edges(src)}
    for cluster in set(where.values()):
        names = [fields(nodes(src)[n]["label"])[0] for n in nodes(src)
                 if where.get(n) == cluster and nodes(src)[n].get("shape") == "record" and n not in computed]
        # the bias reads b, or its full label where an unlabelled value is already called b
        assert names[:-1] == [f"w{i + 1}" for i in range(len(names) - 1)], cluster
        assert names[-1] == "b" or names[-1].endswith(".b"), cluster


def test_long_edges_count_what_makes_graphviz_slow():
    from viz.dot import long_edges
    from viz.protocol import topological_order

    x, y = Value(2.0, "x"), Value(3.0, "y")
    repeated = sum((x * y for _ in range(10)), Value(0.0, "z"))
    separate = sum((Value(1.0, f"a{i}") * Value(2.0, f"b{i}") for i in range(10)), Value(0.0, "z"))
    # x and y feed products placed next to the sums z + …, one rank further each time: spans
    # 0, 1, …, 9 for x and again for y → 2 · 45 = 90; the separate products cross nothing
    assert long_edges(topological_order(repeated)) == 90
    assert long_edges(topological_order(separate)) == 0


# ---------------------------------------------------------------- layering
def test_the_engine_never_imports_graphviz_or_viz():
    code = ("import sys, microgradfr, microgradfr.nn, microgradfr.engine, microgradfr.ops;"
            "from microgradfr import Value; (Value(2.0) * 3).backward();"
            "bad = [m for m in ('graphviz', 'viz') if m in sys.modules]; print(bad); sys.exit(bool(bad))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr


def test_a_negative_contribution_after_the_first_is_in_parentheses():
    """grad −0.5 = 1 + (−1.5): a sum of contributions never reads '1 + -1.5'."""
    from microgradfr import Value
    x = Value(2.0, label="x")
    L = x * 0.5 + x * -0.75
    L.backward()
    src = viz.draw_dot(L, edge_grads=True).source
    assert "grad -0.25 = 0.5 + (-0.75)" in src and "+ -" not in src
