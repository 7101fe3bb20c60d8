"""``draw_dot``: a computation graph as a Graphviz diagram, one record box per value.

Each value is a box ``name | data | grad``; each op a small oval named by the op table's symbol
(``+ × − / ** tanh σ Σwx+b``); an edge per input, in input order, so ``x * x`` draws two.
With ``edge_grads=True`` an edge carries what it adds to its input's gradient (upstream gradient
× local derivative) and a box reached by several edges shows the sum.
"""
from __future__ import annotations

import math
from dataclasses import dataclass

from microgradfr.formula import Sym, to_text
from microgradfr.testing import check_local_derivatives

from .clusters import cluster_paths
from .diagram import Diagram
from .format import NodeView, escape_plain, escape_record, format_node
from .protocol import backward_done, is_constant, local_derivatives, node_names, topological_order
from .text import check_lang, number, text

__all__ = ["draw_dot", "Frame", "PALETTE"]

PALETTE = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
"""Light to dark blue for |grad| on a log scale; red stays free for NaN/inf."""
ZERO_FILL = "#dddddd"
BAD_COLOR = "#d62728"
HIGHLIGHT = "#ff7f0e"
CHECK_COLOR = "#c51b7d"
"""The outline of a node whose local derivative is wrong (``draw_dot(check=True)``)."""
CHECK_LEGEND = {"fr": "contour violet : dérivée locale fausse (différences centrées, "
                      "check_local_derivatives)",
                "en": "purple outline: wrong local derivative (central differences, "
                      "check_local_derivatives)"}
MAX_DECADES = 8
RANKDIRS = ("LR", "TB", "RL", "BT")
INPUT_PORTS = {"LR": ("nw", "sw"), "RL": ("ne", "se"), "TB": ("nw", "ne"), "BT": ("sw", "se")}
"""Where an op's first and last inputs enter it: the corners on the side its inputs come from."""


@dataclass
class Frame:
    """A pass half done, for the step-by-step player (``None`` fields: the finished graph).

    ``known``: ids of the nodes whose data is computed; ``grads``: ``id -> gradient so far`` (a
    missing id is "not computed"); ``done``: ids whose backward step has run (their edges carry
    contributions); ``highlight``: the node of this step.
    """

    known: set | None = None
    grads: dict | None = None
    done: set | None = None
    highlight: object = None


def draw_dot(root, rankdir: str = "LR", show_grad=True, precision: int = 4, edge_grads: bool = False,
             color="grad", max_nodes: int = 1000, lang: str = "fr", *, expand: bool = False,
             formatter=format_node, highlight=None, frame: Frame | None = None, check: bool = False,
             outline=None) -> Diagram:
    """The graph that computed ``root`` as a :class:`graphviz.Digraph` (displays inline in Jupyter).

    - ``show_grad=False`` (or ``"blank"``): every gradient is an empty box, for exercises;
    - ``edge_grads=True``: each edge shows upstream gradient × local derivative;
    - ``color="grad"``: boxes shaded by |grad| on a log scale, with a legend; ``None`` for print;
    - ``expand=True``: a fused ``Σwx+b`` node is drawn as its × and + nodes;
    - ``formatter``: the function that writes a box (see :func:`viz.format.format_node`);
    - ``check=True``: the nodes whose local derivative disagrees with a central difference
      (:func:`microgradfr.testing.check_local_derivatives`, e.g. a custom op with a wrong
      derivative) are outlined, their op too;
    - ``outline``: nodes to outline (a list, or a dict node → colour).

    >>> from microgradfr import Value
    >>> x = Value(3.0, label="x"); y = x * x; y.label = "y"; y.backward()
    >>> src = draw_dot(y, edge_grads=True).source
    >>> "data 9" in src and "grad 6 = 3 + 3" in src and src.count("-> n1_op") == 2
    True
    """
    _check_options(rankdir, show_grad, color, max_nodes, lang)
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(_too_big(len(order), max_nodes))
    builder = _Builder(root, order, rankdir=rankdir, blank=show_grad in (False, "blank"),
                       precision=precision, edge_grads=edge_grads, color=color, lang=lang,
                       expand=expand, formatter=formatter, frame=frame or Frame(),
                       highlight=highlight)
    return _outline(builder.build(), builder.ids, root, check, outline, lang)


def _outline(graph, ids, root, check, outline, lang) -> Diagram:
    """Outline the boxes of ``outline`` (a list, or node → colour) and, with ``check``, each node whose
    local derivative is wrong with its op, a line under the drawing saying what the outline means.

    Written as node statements after the drawing: Graphviz merges a node's attributes, so a box
    keeps its place and cluster and only its border changes.
    """
    given = outline.items() if isinstance(outline, dict) else ((n, CHECK_COLOR) for n in outline or ())
    for node, colour in given:
        graph.node(ids[id(node)], color=colour, penwidth="3")
    wrong = check_local_derivatives(root) if check else []
    for mismatch in wrong:
        box = ids[id(mismatch.node)]
        graph.node(box, color=CHECK_COLOR, penwidth="3")
        graph.node(f"{box}_op", color=CHECK_COLOR, fontcolor=CHECK_COLOR, penwidth="3")
    if wrong:
        graph.attr(label=escape_plain(CHECK_LEGEND[lang]), labelloc="b", fontsize="11", fontcolor=CHECK_COLOR)
    return graph


def _check_options(rankdir, show_grad, color, max_nodes, lang):
    if rankdir not in RANKDIRS:
        raise ValueError(f"draw_dot: rankdir={rankdir!r} must be one of {', '.join(RANKDIRS)} "
                         "(LR: left to right, TB: top to bottom)")
    if show_grad not in (True, False, "blank"):
        raise ValueError(f"draw_dot: show_grad={show_grad!r} must be True, False or 'blank'")
    if color not in ("grad", None):
        raise ValueError(f"draw_dot: color={color!r} must be 'grad' (shade by |grad|) or None (print)")
    if not isinstance(max_nodes, int) or max_nodes < 1:
        raise ValueError(f"draw_dot: max_nodes={max_nodes!r} must be a positive integer")
    check_lang(lang)


def _too_big(n, max_nodes):
    return (f"draw_dot: the graph has {n} values, more than max_nodes={max_nodes}; a diagram that "
            "big is unreadable. Draw less: one sample instead of a whole batch (loss of model(X[0])), "
            "one neuron (draw_dot(neuron(x))), or the subgraph up to a node (draw_dot(node)); or "
            f"pass max_nodes={n} if you really want it all")


class _Builder:
    """One drawing: collects boxes, ops and edges, then writes them into clusters."""

    def __init__(self, root, order, *, rankdir, blank, precision, edge_grads, color, lang,
                 expand, formatter, frame, highlight):
        self.root, self.order = root, order
        self.rankdir, self.blank, self.precision = rankdir, blank, precision
        self.edge_grads, self.color, self.lang = edge_grads, color, lang
        self.expand, self.formatter, self.frame = expand, formatter, frame
        self.highlight = id(highlight if highlight is not None else frame.highlight)
        self.ids = {id(n): f"n{i}" for i, n in enumerate(order)}
        self.names = node_names(order)
        self.paths = cluster_paths(order, is_constant)
        self.statements = []  # (cluster path, kind, name, attrs)
        self.edges = []       # (tail, head, attrs)
        self.incoming = {}    # id(parent) -> contributions along its outgoing edges

    # ------------------------------------------------------------ state of the pass
    def grad_of(self, node):
        """The gradient to show: the frame's partial one, else ``None`` before any backward."""
        if self.frame.grads is not None:
            return self.frame.grads.get(id(node))
        return node.grad if backward_done(self.root) else None

    def is_done(self, node) -> bool:
        """Has this node's backward step run (so its edges carry contributions)?"""
        if self.frame.done is not None:
            return id(node) in self.frame.done
        return backward_done(self.root)

    def data_known(self, node) -> bool:
        return self.frame.known is None or id(node) in self.frame.known

    # ------------------------------------------------------------ build
    def build(self) -> Diagram:
        contributions = self.contributions()
        views = {}
        for node in self.order:
            if is_constant(node):
                continue
            views[id(node)] = self.formatter(
                node, self.display_name(node), self.grad_of(node), precision=self.precision,
                lang=self.lang, blank=self.blank, hide_data=not self.data_known(node))
        scale = _Scale.of(v.magnitude for v in views.values() if v.state == "value")
        for node in self.order:
            self.add_value(node, views.get(id(node)), scale)
            if node.parents:
                self.add_op(node, contributions.get(id(node)))
        return self.write(scale, views)

    def contributions(self) -> dict:
        """``id(node) -> (g · local_i for each parent)`` for nodes whose backward step ran."""
        out = {}
        if self.blank or not self.edge_grads:
            return out
        for node in self.order:
            g = self.grad_of(node)
            local = local_derivatives(node) if node.parents else None
            if local is None or g is None or not self.is_done(node):
                continue
            # a constant receives nothing: it has no gradient box and no backward step
            out[id(node)] = tuple(None if is_constant(p) else g * d for p, d in zip(node.parents, local))
            for parent, c in zip(node.parents, out[id(node)]):
                if c is not None:
                    self.incoming.setdefault(id(parent), []).append(c)
        return out

    def display_name(self, node) -> str:
        """The node's name, without the cluster prefix it is drawn inside (``w.0`` in a neuron)."""
        name = self.names[id(node)]
        path = self.paths[id(node)]
        if path and not node.parents and name.startswith(path[-1] + "."):
            return name[len(path[-1]) + 1:]
        return name

    def add_value(self, node, view: NodeView | None, scale):
        nid, path = self.ids[id(node)], self.paths[id(node)]
        if view is None:  # a constant: just its value (an array's shape and values), no gradient
            shown = self.names[id(node)]
            if hasattr(node, "shape") and getattr(node.data, "size", 1) != 1:
                shown = self.formatter(node, shown, None, precision=self.precision, lang=self.lang).data
            attrs = {"label": escape_plain(shown), "shape": "box", "style": "rounded", "fontsize": "11"}
            self.statements.append((path, nid, attrs))
            return
        grad_text = view.grad
        parts = self.incoming.get(id(node), [])
        if len(parts) > 1 and view.state not in ("blank", "none"):
            grad_text += " = " + " + ".join(number(c, self.precision) for c in parts)
        fields = [escape_record(view.name), escape_record(view.data), escape_record(grad_text)]
        label = " | ".join(fields)
        if self.rankdir in ("LR", "RL"):
            label = "{ " + label + " }"
        attrs = {"label": label, "shape": "record"}
        attrs.update(self.style(view, scale, id(node) == self.highlight))
        self.statements.append((path, nid, attrs))

    def style(self, view, scale, highlighted) -> dict:
        """Fill by |grad|, dashed when not computed, red for NaN/inf, thick orange if current."""
        styles, attrs = [], {}
        if view.state == "none":
            styles.append("dashed")
        if self.color == "grad" and view.state in ("value", "zero"):
            fill = ZERO_FILL if view.state == "zero" else scale.color(view.magnitude)
            styles.append("filled")
            attrs["fillcolor"] = fill
            if view.state == "value" and scale.position(view.magnitude) > 0.65:
                attrs["fontcolor"] = "white"
        if view.state == "bad" or view.data_bad:
            attrs.update(color=BAD_COLOR, fontcolor=BAD_COLOR, penwidth="2")
            if self.color == "grad":
                styles.append("filled")
                attrs["fillcolor"] = "#fde0e0"
        if highlighted:
            attrs.update(color=HIGHLIGHT, penwidth="3")
        if styles:
            attrs["style"] = ",".join(dict.fromkeys(styles))
        return attrs

    def add_op(self, node, contributions):
        nid, path = self.ids[id(node)], self.paths[id(node)]
        op_id = f"{nid}_op"
        fused = node.fn is not None and node.fn.fused and self.expand
        self.statements.append((path, op_id, {"label": escape_plain(_op_label(node, fused)),
                                              "shape": "ellipse", "fontsize": "12", "margin": "0.02"}))
        self.edges.append((op_id, nid, {}))
        if fused:
            self.expand_linear(node, op_id, path, contributions)
            return
        for i, parent in enumerate(node.parents):
            c = contributions[i] if contributions else None
            self.edges.append((self.ids[id(parent)], op_id, self.edge_attrs(c, node)))

    def expand_linear(self, node, op_id, path, contributions):
        """z = Σ wᵢ·xᵢ + b drawn as n products wᵢ·xᵢ (× nodes) feeding one + node."""
        n = node.k
        ws, xs, b = node.parents[:n], node.parents[n:2 * n], node.parents[2 * n]
        g = self.grad_of(node)
        done = contributions is not None
        for i, (w, x) in enumerate(zip(ws, xs)):
            pid, mid = f"{self.ids[id(node)]}_p{i}", f"{self.ids[id(node)]}_m{i}"
            product = _Product(w, x, self.names[id(w)], self.names[id(x)])
            view = self.formatter(product, product.label, g,
                                  precision=self.precision, lang=self.lang, blank=self.blank,
                                  hide_data=not self.data_known(node))
            fields = " | ".join(escape_record(f) for f in (view.name, view.data, view.grad))
            label = "{ " + fields + " }" if self.rankdir in ("LR", "RL") else fields
            self.statements.append((path, pid, {"label": label, "shape": "record"}))
            self.statements.append((path, mid, {"label": "×", "shape": "ellipse", "fontsize": "12",
                                                "margin": "0.02"}))
            cw = contributions[i] if done else None
            cx = contributions[n + i] if done else None
            self.edges.append((self.ids[id(w)], mid, self.edge_attrs(cw, node)))
            self.edges.append((self.ids[id(x)], mid, self.edge_attrs(cx, node)))
            self.edges.append((mid, pid, {}))
            self.edges.append((pid, op_id, self.edge_attrs(g if done else None, node)))
        cb = contributions[2 * n] if done else None
        self.edges.append((self.ids[id(b)], op_id, self.edge_attrs(cb, node)))

    def edge_attrs(self, contribution, child) -> dict:
        attrs = {}
        if contribution is not None:
            attrs["label"] = escape_plain(number(contribution, self.precision))
            attrs["fontsize"] = "11"
            if not math.isfinite(contribution):
                attrs.update(color=BAD_COLOR, fontcolor=BAD_COLOR)
        if id(child) == self.highlight:
            attrs.update(color=HIGHLIGHT, penwidth="2.5")
        return attrs

    # ------------------------------------------------------------ write
    def write(self, scale, views) -> Diagram:
        graph = Diagram(name=text(self.lang, "title"), format="svg")
        graph.attr(rankdir=self.rankdir, ordering="in", fontname="Helvetica")
        graph.attr("node", fontname="Helvetica", fontsize="12")
        graph.attr("edge", fontname="Helvetica", arrowsize="0.7")
        _write_clusters(graph, self.statements)
        # ordering=in does not hold labelled edges (see _pin_input_order); plain drawings keep
        # their straight edges
        edges = _pin_input_order(self.edges, self.rankdir) if self.edge_grads else self.edges
        for tail, head, attrs in edges:
            graph.edge(tail, head, **attrs)
        if self.color == "grad" and not self.blank:
            _legend(graph, scale, {v.state for v in views.values()}, self.lang)
        return graph


@dataclass(frozen=True)
class _Product:
    """The product wᵢ·xᵢ inside an expanded Σwx+b: a box of its own, read like a node."""

    w: object
    x: object
    wname: str
    xname: str
    parents: tuple = ()

    @property
    def label(self):
        return to_text(Sym(self.wname) * Sym(self.xname))

    @property
    def data(self):
        return self.w.data * self.x.data


def _op_label(node, expanded: bool) -> str:
    """The op's symbol from the table; ``**2`` shows its exponent; an expanded Σwx+b is a +."""
    if expanded:
        return "+"
    symbol = node.op
    if (not isinstance(node.k, (int, float)) or isinstance(node.k, bool)
            or (node.fn is not None and node.fn.fused)):
        return symbol  # no setting, or one that is not a number (a Tensor's axis, a shape)
    k = number(node.k)
    return f"{symbol}{k}" if symbol == "**" else f"{symbol} ({k})"


def _pin_input_order(edges, rankdir) -> list:
    """The edges, each op's first and last inputs entering it by the corners of ``INPUT_PORTS``.

    Graphviz (and graphviz-pure, a port of it) drops ``ordering=in`` for an edge whose tail is a
    virtual node as soon as the graph has a cluster (the legend, a module), and an edge label is a
    virtual node; nor does it order the inputs of an op inside a cluster. With ports, drawing the
    inputs swapped costs a crossing, which the layout avoids. ``x * x`` (one input twice) gets none.
    """
    first, last = INPUT_PORTS[rankdir]
    incoming = {}  # head -> indices of its edges, in argument order
    for i, (_, head, _) in enumerate(edges):
        incoming.setdefault(head, []).append(i)
    ports = {}
    for indices in incoming.values():
        if len({edges[i][0] for i in indices}) > 1:
            ports[indices[0]], ports[indices[-1]] = first, last
    return [(tail, head, {**attrs, "headport": ports[i]} if i in ports else attrs)
            for i, (tail, head, attrs) in enumerate(edges)]


def _write_clusters(graph, statements):
    """Emit node statements, nesting each inside the subgraph ``cluster_<prefix>`` of its path."""
    tree = {"nodes": [], "children": {}}
    for path, name, attrs in statements:
        where = tree
        for prefix in path:
            where = where["children"].setdefault(prefix, {"nodes": [], "children": {}})
        where["nodes"].append((name, attrs))
    _emit(graph, tree, parent_prefix="")


def _emit(graph, tree, parent_prefix):
    for name, attrs in tree["nodes"]:
        graph.node(name, **attrs)
    for prefix, child in tree["children"].items():
        cluster_id = "cluster_" + "".join(ch if ch.isalnum() else "_" for ch in prefix)
        with graph.subgraph(name=cluster_id) as sub:
            shown = (prefix[len(parent_prefix) + 1:]
                     if parent_prefix and prefix.startswith(parent_prefix + ".") else prefix)
            sub.attr(label=escape_plain(shown), style="rounded,dashed", color="#888888",
                     fontname="Helvetica", fontsize="11")
            _emit(sub, child, prefix)


class _Scale:
    """log10 |grad| mapped onto ``PALETTE``, between the graph's smallest and largest decades."""

    def __init__(self, lo: int, hi: int):
        self.lo, self.hi = lo, hi

    @classmethod
    def of(cls, magnitudes):
        logs = [math.log10(m) for m in magnitudes if m and math.isfinite(m)]
        if not logs:
            return cls(-1, 0)
        hi = min(max(math.ceil(max(logs)), -322), 308)  # within floats: 10.0 ** 309 overflows,
        lo = max(math.floor(min(logs)), hi - MAX_DECADES, -323)  # and 10.0 ** -324 is 0
        return cls(min(lo, hi - 1), hi)

    def position(self, magnitude) -> float:
        """Where |grad| sits between the smallest (0) and largest (1) decades shown."""
        t = (math.log10(magnitude) - self.lo) / (self.hi - self.lo)
        return min(max(t, 0.0), 1.0)

    def color(self, magnitude) -> str:
        return _interpolate(PALETTE, self.position(magnitude))

    def decades(self):
        return range(self.lo, self.hi + 1)


def _interpolate(stops, t) -> str:
    """The colour at ``t`` in [0, 1] along hex ``stops``."""
    x = t * (len(stops) - 1)
    i = min(int(x), len(stops) - 2)
    frac = x - i
    a = [int(stops[i][j:j + 2], 16) for j in (1, 3, 5)]
    b = [int(stops[i + 1][j:j + 2], 16) for j in (1, 3, 5)]
    return "#" + "".join(f"{round(u + (v - u) * frac):02x}" for u, v in zip(a, b))


def _legend(graph, scale, states, lang):
    """A small cluster: one swatch per decade of |grad|, then zero, not computed and NaN."""
    if states <= {"none"} or not states:
        return
    with graph.subgraph(name="cluster_legend") as sub:
        sub.attr(label=text(lang, "legend"), style="rounded", color="#bbbbbb", fontname="Helvetica",
                 fontsize="10")
        previous = None
        for d in scale.decades():
            name = f"legend_{d - scale.lo}"
            fill = scale.color(10.0 ** d)
            font = "white" if scale.position(10.0 ** d) > 0.65 else "black"
            sub.node(name, label=f"1e{d}", shape="box", style="filled", fillcolor=fill, fontcolor=font,
                     fontsize="10", width="0.3", height="0.2")
            if previous:
                sub.edge(previous, name, style="invis")
            previous = name
        extra = [("legend_zero", "0", {"style": "filled", "fillcolor": ZERO_FILL}),
                 ("legend_none", text(lang, "not_computed"), {"style": "dashed"}),
                 ("legend_bad", text(lang, "nan"), {"color": BAD_COLOR, "fontcolor": BAD_COLOR})]
        for name, label, attrs in extra:
            sub.node(name, label=escape_plain(label), shape="box", fontsize="10", height="0.2", **attrs)
            sub.edge(previous, name, style="invis")
            previous = name
