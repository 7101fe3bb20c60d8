"""``draw_dot``: a computation graph as a Graphviz diagram, one record box per value.

Each value is a box ``name | data | grad``; each op a small oval named by the op table
(``+ × − / tanh σ Σwx+b``, ``c²`` for a power); an edge per input, in input order, so ``x * x``
draws two. With ``edge_grads=True`` an edge carries what it adds to its input's gradient
(upstream gradient × local derivative; for a Tensor, the norm of that array) and a box reached by
several edges shows the sum.

The drawing is built as a list of :class:`Element` and :class:`Edge` records (plain data) before
any DOT is written, so that the step-by-step player can lay the graph out once and change only
the elements a step touches (:mod:`viz.player`).
"""
from __future__ import annotations

import html
import math
import re
from dataclasses import dataclass, field

import numpy as np

from microgradfr import i18n
from microgradfr.formula import Sym, to_text
from microgradfr.ops import ARRAY
from microgradfr.tensor import unbroadcast
from microgradfr.testing import check_local_derivatives

from .clusters import cluster_paths
from .diagram import Diagram
from .format import NodeView, escape_plain, escape_record, format_node
from .protocol import (
    backward_done,
    is_constant,
    is_scalar,
    local_derivatives,
    local_names,
    node_names,
    step_done,
    topological_order,
)
from .text import check_lang, number, text

__all__ = ["draw_dot", "Frame", "PALETTE", "MAX_NODES", "Element", "Edge", "Drawing", "DrawOptions",
           "cell_size", "long_edges", "MAX_LONG_EDGES"]

PALETTE = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
"""Light to dark blue for |grad| on a log scale; red stays free for NaN/inf."""
ZERO_FILL = "#dddddd"
BAD_COLOR = "#d62728"
BAD_FILL = "#fde0e0"
HIGHLIGHT = "#ff7f0e"
CHECK_COLOR = "#c51b7d"
"""The outline of a node whose local derivative is wrong (``draw_dot(check=True)``)."""
CHECK_LEGEND = {lang: texts["text"] for lang, texts in i18n.table("viz.check_legend").items()}  # catalogue
MAX_DECADES = 8
MAX_NODES = 2000
RANKDIRS = ("LR", "TB", "RL", "BT")
INPUT_PORTS = {"LR": ("nw", "sw"), "RL": ("ne", "se"), "TB": ("nw", "ne"), "BT": ("sw", "se")}
"""Where an op's first and last inputs enter it: the corners on the side its inputs come from."""
CELL_WIDTH = 10.0
"""Inches: about the width of a notebook output cell (960 px); ``size="cell"`` shrinks to it."""


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


@dataclass(frozen=True)
class DrawOptions:
    """What ``draw_dot`` was asked for, checked (see :func:`draw_dot` for each option)."""

    rankdir: str = "LR"
    blank: bool = False
    precision: int = 4
    edge_grads: bool = False
    color: str | None = "grad"
    lang: str | None = None
    legend: bool = True
    size: str | None = "cell"
    expand: bool = False
    formatter: object = format_node


@dataclass
class Element:
    """One node of the picture: a value box (``fields``: name, data, grad), an op oval or a
    constant (``text``), with its Graphviz style ``attrs`` (fill, colour, pen width, style)."""

    id: str
    kind: str               # "value", "product", "op" or "constant"
    path: tuple             # the clusters it is drawn inside, outermost first
    fields: tuple = ()      # value boxes: the text of each field (may hold line breaks)
    text: str = ""          # ops and constants
    attrs: dict = field(default_factory=dict)


@dataclass
class Edge:
    """One arrow, ``tail -> head``, with its label (a gradient contribution, or ``None``)."""

    id: str
    tail: str
    head: str
    label: str | None = None
    attrs: dict = field(default_factory=dict)


def draw_dot(root, rankdir: str = "LR", show_grad=True, precision: int = 4, edge_grads: bool = False,
             color="grad", max_nodes: int = MAX_NODES, lang: str | None = None, *, legend: bool = True,
             size="cell", expand: bool = False, formatter=format_node, highlight=None,
             frame: Frame | None = None, check: bool = False, outline=None) -> Diagram:
    """The graph that computed ``root`` as a :class:`graphviz.Digraph` (displays inline in Jupyter).

    - ``show_grad=False`` (or ``"blank"``): every gradient is an empty box, for exercises;
    - ``edge_grads=True``: each edge shows upstream gradient × local derivative (a Tensor edge:
      the norm ‖·‖ of what it adds to its input's gradient);
    - ``color="grad"``: boxes shaded by |grad| on a log scale; ``None`` for print;
    - ``legend=False``: no legend, whatever the colours;
    - ``size="cell"``: a wide drawing is shrunk to the width of a notebook cell; ``None`` keeps
      Graphviz's natural size; any Graphviz size (``"12,8"``, inches) is passed on;
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
    options = make_options(rankdir=rankdir, show_grad=show_grad, precision=precision, edge_grads=edge_grads,
                           color=color, lang=lang, legend=legend, size=size, expand=expand,
                           formatter=formatter)
    order = checked_order(root, max_nodes, options.lang)
    drawing = Drawing(root, order, options, frame or Frame(), highlight=highlight)
    return _outline(drawing.diagram(), drawing.ids, root, check, outline, options.lang)


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


def make_options(*, rankdir="LR", show_grad=True, precision=4, edge_grads=False, color="grad", lang=None,
                 legend=True, size="cell", expand=False, formatter=format_node) -> DrawOptions:
    """:class:`DrawOptions` from ``draw_dot``'s keywords, each checked with a clear error (in ``lang``)."""
    lang = check_lang(lang)
    if rankdir not in RANKDIRS:
        raise ValueError(text(lang, "draw_rankdir", value=rankdir, choices=", ".join(RANKDIRS)))
    if show_grad not in (True, False, "blank"):
        raise ValueError(text(lang, "draw_show_grad", value=show_grad))
    if color not in ("grad", None):
        raise ValueError(text(lang, "draw_color", value=color))
    if legend not in (True, False):
        raise ValueError(text(lang, "draw_legend", value=legend))
    if size is not None and size != "cell" and not re.fullmatch(r"\d+(\.\d+)?(,\d+(\.\d+)?)?!?", str(size)):
        raise ValueError(text(lang, "draw_size", value=size))
    return DrawOptions(rankdir=rankdir, blank=show_grad in (False, "blank"), precision=precision,
                       edge_grads=edge_grads, color=color, lang=lang, legend=legend, size=size,
                       expand=expand, formatter=formatter)


def checked_order(root, max_nodes: int, lang: str | None = None) -> list:
    """The graph's nodes in topological order; a ValueError saying how to draw less if too many."""
    if not isinstance(max_nodes, int) or isinstance(max_nodes, bool) or max_nodes < 1:
        raise ValueError(text(lang, "max_nodes", where="draw_dot", value=max_nodes))
    order = topological_order(root)
    if len(order) > max_nodes:
        raise ValueError(_too_big(len(order), max_nodes, lang))
    return order


def _too_big(n, max_nodes, lang=None):
    return text(lang, "too_big", count=n, most=max_nodes)


MAX_LONG_EDGES = 400
"""Above this many rank crossings (:func:`long_edges`), Graphviz takes seconds to minutes."""


def long_edges(order) -> int:
    """The number of ranks all edges cross beyond their own: Σ over edges (span − 1).

    Each value sits as late as it can, one rank before its first use (the root one rank after
    its latest input), as Graphviz's ranking tends to put it. A long edge becomes a chain of
    virtual nodes that Graphviz must order and place: a variable used by operations far apart
    (``x`` in ``x*y + x*y + …``) makes it slow (benchmarks/bench_viz.py: 740 crossings take 2 s
    with graphviz-pure and over 8 s with system dot), while ``a*b + c*d + …`` has none.

    >>> from microgradfr import Value
    >>> x = Value(1.0, label="x"); y = x * x * x * x
    >>> long_edges(topological_order(y))      # x feeds ranks 1, 2, 3: spans 0, 0, 1, 2
    3
    """
    depth = {}
    for node in order:
        depth[id(node)] = 1 + max(depth[id(p)] for p in node.parents) if node.parents else 0
    rank = {}
    consumers = {}
    for node in order:
        for p in node.parents:
            consumers.setdefault(id(p), []).append(node)
    for node in reversed(order):
        users = consumers.get(id(node))
        rank[id(node)] = min(rank[id(u)] for u in users) - 1 if users else depth[id(node)]
    return sum(max(rank[id(n)] - rank[id(p)] - 1, 0) for n in order for p in n.parents)


def cell_size(width: float = CELL_WIDTH) -> str:
    """The Graphviz ``size`` that shrinks a drawing wider than ``width`` inches (never enlarges).

    >>> cell_size()
    '10,1000'
    """
    return f"{width:g},1000"


class Drawing:
    """One graph's picture: its elements and edges for a given :class:`Frame`, then its DOT text.

    The element ids are stable (``n3`` a value, ``n3_op`` its op, ``n3_e0`` its op's first input
    edge), so that :mod:`viz.player` can ask for the elements of one node at each step.
    """

    def __init__(self, root, order, options: DrawOptions, frame: Frame, *, highlight=None, scale=None):
        self.root, self.order, self.options, self.frame = root, order, options, frame
        self.highlight_node = highlight
        self.ids = {id(n): f"n{i}" for i, n in enumerate(order)}
        self.position = {id(n): i for i, n in enumerate(order)}
        self.names = node_names(order)
        self.paths = cluster_paths(order, is_constant)
        self.scalar = all(is_scalar(n) for n in order)
        self.first_use = {}  # id(leaf) -> (position of the first op using it, input index there)
        for i, node in enumerate(order):
            for j, parent in enumerate(node.parents):
                self.first_use.setdefault(id(parent), (i, j))
        self.incoming = {}   # id(parent) -> [(child position, input index, contribution)]
        self._contributions = {}
        self._views = None   # id -> NodeView, while the whole picture is being built
        self._taken = None
        self.scale = scale

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
        return step_done(node, self.root)

    def data_known(self, node) -> bool:
        return self.frame.known is None or id(node) in self.frame.known

    def highlighted(self, node) -> bool:
        target = self.highlight_node if self.highlight_node is not None else self.frame.highlight
        return target is node

    # ------------------------------------------------------------ gradient contributions
    def contribution(self, node):
        """``(what node's backward step adds to each parent's gradient)``, or ``None``.

        Scalars: g · ∂node/∂parent. Tensors: the norm of the array the op's rule hands the parent
        (after undoing broadcasting), since an array is not one number.
        """
        o = self.options
        if o.blank or not o.edge_grads or not node.parents or not self.is_done(node):
            return None
        key = id(node)
        if key not in self._contributions:
            g = self.grad_of(node)
            self._contributions[key] = None if g is None else (
                _scalar_contributions(node, g) if self.scalar else _tensor_contributions(node, g))
        return self._contributions[key]

    def note_done(self, node):
        """Record ``node``'s contributions on its parents (for their ``grad = a + b`` sums)."""
        parts = self.contribution(node)
        if parts is None or not self.scalar:
            return
        for i, (parent, c) in enumerate(zip(node.parents, parts)):
            if c is not None:
                self.incoming.setdefault(id(parent), []).append((self.position[id(node)], i, c))

    def parts_of(self, node) -> list:
        return [c for _, _, c in sorted(self.incoming.get(id(node), ()))]

    # ------------------------------------------------------------ elements
    def view(self, node) -> NodeView:
        o = self.options
        return o.formatter(node, self.display_name(node), self.grad_of(node), precision=o.precision,
                           lang=o.lang, blank=o.blank, hide_data=not self.data_known(node))

    def fixed_scale(self):
        """The colour scale: given (the player's, fixed for all frames), else this frame's."""
        if self.scale is None:
            views = self._views.values() if self._views else [self.view(n) for n in self.order
                                                                 if not is_constant(n)]
            self.scale = _Scale.of(v.magnitude for v in views if v.state == "value")
        return self.scale

    def value_element(self, node) -> Element:
        nid, path = self.ids[id(node)], self.paths[id(node)]
        if is_constant(node):  # its value (an array's shape and values), no gradient
            shown = self.names[id(node)]
            if not is_scalar(node) and getattr(node.data, "size", 1) != 1:
                o = self.options
                shown = o.formatter(node, shown, None, precision=o.precision, lang=o.lang).data
            return Element(nid, "constant", path, text=shown,
                           attrs={"shape": "box", "style": "rounded", "fontsize": "11"})
        view = self._views[id(node)] if self._views else self.view(node)
        grad_text = view.grad
        parts = self.parts_of(node)
        if len(parts) > 1 and view.state not in ("blank", "none"):
            shown = [number(c, self.options.precision) for c in parts]
            # a negative term after the first in parentheses: 0.0057 + (-0.0416), never 0.0057 + -0.0416
            later = [f"({t})" if t.startswith("-") else t for t in shown[1:]]
            grad_text += " = " + " + ".join(shown[:1] + later)
        attrs = self.style(view, self.highlighted(node))
        return Element(nid, "value", path, fields=(view.name, view.data, grad_text), attrs=attrs)

    def style(self, view, highlighted) -> dict:
        """Fill by |grad|, dashed when not computed, red for NaN/inf, thick orange if current."""
        styles, attrs = [], {}
        if view.state == "none":
            styles.append("dashed")
        if self.options.color == "grad" and view.state in ("value", "zero"):
            scale = self.fixed_scale()
            fill = ZERO_FILL if view.state == "zero" else scale.color(view.magnitude)
            styles.append("filled")
            attrs["fillcolor"] = fill
            if view.state == "value" and scale.position(view.magnitude) > 0.65:
                attrs["fontcolor"] = "white"
        if view.state == "bad" or view.data_bad:
            attrs.update(color=BAD_COLOR, fontcolor=BAD_COLOR, penwidth="2")
            if self.options.color == "grad":
                styles.append("filled")
                attrs["fillcolor"] = BAD_FILL
        if highlighted:
            attrs.update(color=HIGHLIGHT, penwidth="3")
        if styles:
            attrs["style"] = ",".join(dict.fromkeys(styles))
        return attrs

    def op_elements(self, node) -> tuple:
        """The op oval of ``node``, its edges (inputs in argument order, then op → box) and, for
        an expanded ``Σwx+b``, its product boxes and × ovals."""
        if not node.parents:
            return (), ()
        nid, path = self.ids[id(node)], self.paths[id(node)]
        op_id = f"{nid}_op"
        fused = node.fn is not None and node.fn.fused and self.options.expand
        op = Element(op_id, "op", path, text=self.op_label(node, fused),
                     attrs={"shape": "ellipse", "fontsize": "12", "margin": "0.02"})
        contributions = self.contribution(node)
        if fused:
            elements, edges = self.expand_linear(node, op_id, path, contributions)
            return (op, *elements), (*edges, Edge(f"{nid}_out", op_id, nid))
        edges = [self.edge(f"{nid}_e{i}", self.ids[id(parent)], op_id,
                           contributions[i] if contributions else None, node)
                 for i, parent in enumerate(node.parents)]
        return (op,), (*edges, Edge(f"{nid}_out", op_id, nid))

    def op_label(self, node, expanded: bool) -> str:
        """The op table's symbol; an op with a number setting is written as its expression
        (``c²``, ``LeakyReLU(z)``); an expanded Σwx+b is a +."""
        if expanded:
            return "+"
        k = node.k
        if (node.fn is None or not isinstance(k, (int, float)) or isinstance(k, bool) or node.fn.fused
                or not is_scalar(node)):
            return node.op
        try:
            return node.fn.expression(local_names(node, self.names))
        except (IndexError, KeyError, ValueError):
            return f"{node.op} ({number(k)})"

    def expand_linear(self, node, op_id, path, contributions):
        """z = Σ wᵢ·xᵢ + b drawn as n products wᵢ·xᵢ (× nodes) feeding one + node."""
        n = node.k
        ws, xs, b = node.parents[:n], node.parents[n:2 * n], node.parents[2 * n]
        g = self.grad_of(node)
        done = contributions is not None
        o = self.options
        nid = self.ids[id(node)]
        elements, edges = [], []
        for i, (w, x) in enumerate(zip(ws, xs)):
            pid, mid = f"{nid}_p{i}", f"{nid}_m{i}"
            product = _Product(w, x, self.display_name(w), self.display_name(x))
            view = o.formatter(product, product.label, g, precision=o.precision, lang=o.lang, blank=o.blank,
                               hide_data=not self.data_known(node))
            elements.append(Element(pid, "product", path, fields=(view.name, view.data, view.grad)))
            elements.append(Element(mid, "op", path, text="×",
                                    attrs={"shape": "ellipse", "fontsize": "12", "margin": "0.02"}))
            edges.append(self.edge(f"{nid}_w{i}", self.ids[id(w)], mid,
                                   contributions[i] if done else None, node))
            edges.append(self.edge(f"{nid}_x{i}", self.ids[id(x)], mid,
                                   contributions[n + i] if done else None, node))
            edges.append(Edge(f"{nid}_q{i}", mid, pid))
            edges.append(self.edge(f"{nid}_e{i}", pid, op_id, g if done else None, node))
        cb = contributions[2 * n] if done else None
        edges.append(self.edge(f"{nid}_b", self.ids[id(b)], op_id, cb, node))
        return elements, edges

    def edge(self, eid, tail, head, contribution, child) -> Edge:
        attrs, label = {}, None
        if contribution is not None:
            label = self.contribution_text(contribution)
            attrs["fontsize"] = "11"
            if not math.isfinite(contribution):
                attrs.update(color=BAD_COLOR, fontcolor=BAD_COLOR)
        if self.highlighted(child):
            attrs.update(color=HIGHLIGHT, penwidth="2.5")
        return Edge(eid, tail, head, label, attrs)

    def contribution_text(self, c) -> str:
        text_ = number(c, self.options.precision)
        return text_ if self.scalar else f"‖·‖ {text_}"

    def node_elements(self, node) -> tuple:
        """(elements, edges) that belong to ``node``: its box, its op and the op's edges."""
        ops, edges = self.op_elements(node)
        return (self.value_element(node), *ops), edges

    def elements(self) -> tuple:
        """(elements, edges) of the whole picture for this frame."""
        for node in self.order:
            self.note_done(node)
        self._views = {id(n): self.view(n) for n in self.order if not is_constant(n)}
        elements, edges = [], []
        try:
            for node in self.order:
                e, d = self.node_elements(node)
                elements.extend(e)
                edges.extend(d)
        finally:
            self._views = None
        return elements, edges

    def display_name(self, node) -> str:
        """The node's name, without the cluster prefix it is drawn inside (``w1`` in a neuron).

        A parameter numbered from 0 in its list (``w.0``) is shown numbered from 1 (``w1``),
        as the course numbers weights and as the cluster titles number layers and neurons. A short
        name that another node of the graph already has (an unlabelled value named ``b``) is not
        used: the full label stays, so that no two boxes read alike.
        """
        name = self.names[id(node)]
        path = self.paths[id(node)]
        if path and not node.parents and name.startswith(path[-1] + "."):
            short = name[len(path[-1]) + 1:]
            m = re.fullmatch(r"([A-Za-z_]\w*)\.(\d+)", short)
            short = f"{m.group(1)}{int(m.group(2)) + 1}" if m else short
            return name if short in self.taken_names() else short
        return name

    def taken_names(self) -> set:
        """The names of the nodes that are not parameters drawn inside a module."""
        if self._taken is None:
            self._taken = {self.names[id(n)] for n in self.order if n.parents or not self.paths[id(n)]}
        return self._taken

    # ------------------------------------------------------------ write
    def diagram(self, widest: dict | None = None, ids: bool = False) -> Diagram:
        """The DOT text of this frame. ``widest``: ``element id -> fields`` to lay out instead
        (the player's widest texts); ``ids``: give every element and edge an SVG ``id``."""
        elements, edges = self.elements()
        o = self.options
        graph = Diagram(name=text(o.lang, "title"), format="svg")
        # newrank: one global ranking, which keeps clusters and is 2-4× faster in system dot on
        # long chains (its per-cluster ranking was most of the time; benchmarks/bench_viz.py)
        graph.attr(rankdir=o.rankdir, ordering="in", newrank="true", fontname="Helvetica",
                   nodesep="0.18", ranksep="0.3")
        if o.size is not None:
            graph.attr(size=cell_size() if o.size == "cell" else o.size)
        if any(len(e.path) > 1 for e in elements):
            # neurons inside layers: keep the order the clusters and parameters are written in
            # (neuron 1 above neuron 2, w1 … wn then b) rather than let crossing minimisation
            # shuffle them; ordering=in alone does not hold inside clusters. Measured with system
            # dot on the course's 2-3-1 network (graphviz-pure mirrors it); one level of modules
            # (a Tensor Sequential) keeps its inputs in order better without
            graph.attr(mclimit="0.01")
        graph.attr("node", fontname="Helvetica", fontsize="12")
        graph.attr("edge", fontname="Helvetica", arrowsize="0.7")
        statements = [(e.path, e.id, self.dot_attrs(e, widest, ids), self.sort_key(e)) for e in elements]
        _write_clusters(graph, statements, o.lang, reverse=o.rankdir in ("TB", "BT"))
        dot_edges = [(e.tail, e.head, _edge_dot_attrs(e, widest, ids)) for e in edges]
        # ordering=in does not hold labelled edges (see _pin_input_order); plain drawings keep
        # their straight edges
        if o.edge_grads:
            dot_edges = _pin_input_order(dot_edges, o.rankdir)
        graph.body.extend(f"\t{tail} -> {head}{_attr_list(attrs)}\n" for tail, head, attrs in dot_edges)
        if o.legend and o.color == "grad" and not o.blank:
            _legend(graph, self.fixed_scale(), o.lang)
        return graph

    def sort_key(self, element: Element) -> tuple:
        """Inside a cluster, parameters come first in their list's order (w1, w2, …, then b),
        then the rest in the order computed: Graphviz keeps the order it reads."""
        base = element.id.split("_")[0]
        node = self.order[int(base[1:])]
        if element.kind == "value" and not node.parents and node.label:
            return (0, self.first_use.get(id(node), ()), _natural(node.label))
        return (1, (), _natural(element.id))

    def dot_attrs(self, element: Element, widest, ids) -> dict:
        """The node's DOT attributes, its label first (as the graphviz package writes them)."""
        if element.kind in ("value", "product"):
            fields = widest.get(element.id, element.fields) if widest else element.fields
            attrs = {"label": self.record_label(fields), **element.attrs, "shape": "record"}
        else:
            attrs = {"label": escape_plain(element.text), **element.attrs}
        if ids:
            attrs["id"] = element.id
        return attrs

    def record_label(self, fields) -> str:
        """``name | data | grad``: one under the other in LR (narrow boxes, so that a deep graph
        fits a notebook cell), side by side in TB (Graphviz turns records with the rank direction)."""
        return " | ".join(escape_record(f) for f in fields)


def _edge_dot_attrs(edge: Edge, widest, ids) -> dict:
    label = widest.get(edge.id, edge.label) if widest else edge.label
    attrs = {} if label is None else {"label": escape_plain(label), "fontsize": "11"}
    attrs.update(edge.attrs)
    if ids:
        attrs["id"] = edge.id
    return attrs


_PLAIN = re.compile(r"[a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?)")


def _attr_list(attrs: dict) -> str:
    """`` [k=v ...]`` as the graphviz package writes it: values already escaped for DOT are quoted
    unless they are plain names or numbers; ``<...>`` stays an HTML label. (Writing the lines
    ourselves is 3× faster than graphviz's own quoting on 2,000-value graphs.)"""
    if not attrs:
        return ""
    parts = []
    for key, value in attrs.items():
        value = str(value)
        if not (_PLAIN.fullmatch(value) or (value.startswith("<") and value.endswith(">"))):
            value = f'"{value}"'
        parts.append(f"{key}={value}")
    return " [" + " ".join(parts) + "]"


def _natural(s: str) -> tuple:
    """Sort key reading the numbers inside a string as numbers: n2 < n10, w.2 < w.10."""
    return tuple(int(p) if p.isdigit() else p for p in re.split(r"(\d+)", s))


def _scalar_contributions(node, g) -> tuple | None:
    """g · ∂node/∂parent for each parent; ``None`` for a constant, which has no gradient."""
    local = local_derivatives(node)
    if local is None:
        return None
    return tuple(None if is_constant(p) else g * d for p, d in zip(node.parents, local))


def _tensor_contributions(node, g) -> tuple:
    """‖∂L/∂parent from this edge‖ for each parent of a Tensor op (its vjp rule, or g · local);
    ``None`` for a constant, or an input the op gives no gradient."""
    fn, k = node.fn, node.k
    xs = [np.asarray(p.data) for p in node.parents]
    out, g = np.asarray(node.data), np.asarray(g)
    if fn.vjp is not None:
        grads = [None if rule is None else rule(g, *xs, out, k) for rule in fn.vjp]
    else:
        grads = [g * np.asarray(local) for local in fn.local(ARRAY, *xs, out, k)]
    return tuple(None if gr is None or is_constant(p)
                 else float(np.linalg.norm(unbroadcast(np.asarray(gr), x.shape)))
                 for gr, x, p in zip(grads, xs, node.parents))


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


# ---------------------------------------------------------------- clusters
CLUSTER_WORDS = {"layers": "cluster_layer", "neurons": "cluster_neuron"}
"""List attributes of the nn modules whose items get a title in the reader's language."""


def cluster_title(prefix: str, parent_prefix: str, lang: str) -> str:
    """The title of a module's frame: ``layers.0`` → ``couche 1``, ``neurons.1`` → ``neurone 2``.

    Numbered from 1, as the nodes inside (``a1_1``) and the course number them; other modules keep
    their parameter path (``fc1``).

    >>> cluster_title("layers.0.neurons.1", "layers.0", "fr"), cluster_title("layers.1", "", "en")
    ('neurone 2', 'layer 2')
    """
    inside = parent_prefix and prefix.startswith(parent_prefix + ".")
    shown = prefix[len(parent_prefix) + 1:] if inside else prefix
    m = re.fullmatch(r"(\w+)\.(\d+)", shown)
    if m and m.group(1) in CLUSTER_WORDS:
        return text(lang, CLUSTER_WORDS[m.group(1)], i=int(m.group(2)) + 1)
    return shown


def _write_clusters(graph, statements, lang, reverse=False):
    """Emit node statements, nesting each inside the subgraph ``cluster_<prefix>`` of its path.

    Clusters are written in index order (neuron 1 before neuron 2) and the nodes inside a cluster
    leaves first by name: Graphviz keeps the order it reads when nothing forces another.

    ``reverse``: write them in reverse order, which TB/BT layouts need for neuron 1 to come out on
    the left (measured with both renderers on the 2-3-1 network: with few crossing-minimisation
    passes they lay sibling clusters out right to left in TB, top to bottom in LR).
    """
    tree = {"nodes": [], "children": {}}
    for path, name, attrs, key in statements:
        where = tree
        for prefix in path:
            where = where["children"].setdefault(prefix, {"nodes": [], "children": {}})
        where["nodes"].append((name, attrs, key))
    _emit(graph, tree, "", lang, reverse)


def _emit(graph, tree, parent_prefix, lang, reverse=False):
    nodes = tree["nodes"]
    if parent_prefix:  # inside a module: its parameters in list order (w1, w2, …, b), then the rest
        nodes = sorted(nodes, key=lambda item: item[2], reverse=reverse)
    graph.body.extend(f"\t{name}{_attr_list(attrs)}\n" for name, attrs, _ in nodes)
    for prefix in sorted(tree["children"], key=_natural, reverse=reverse):
        child = tree["children"][prefix]
        cluster_id = "cluster_" + "".join(ch if ch.isalnum() else "_" for ch in prefix)
        with graph.subgraph(name=cluster_id) as sub:
            sub.attr(label=escape_plain(cluster_title(prefix, parent_prefix, lang)), style="rounded,dashed",
                     color="#888888", fontname="Helvetica", fontsize="11")
            _emit(sub, child, prefix, lang, reverse)


# ---------------------------------------------------------------- colours and legend
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


def legend_entries(scale, lang: str) -> list:
    """``(text, fill, font colour, border style)`` for each swatch of the legend, in order.

    One swatch per power of ten of |grad| (``≈ 0.1``, ``≈ 1``, …), then zero, not yet computed and
    NaN/inf, each spelled out.
    """
    out = []
    for d in scale.decades():
        font = "white" if scale.position(10.0 ** d) > 0.65 else "black"
        out.append((f"≈ {number(10.0 ** d)}", scale.color(10.0 ** d), font, "solid"))
    out.append((text(lang, "legend_zero"), ZERO_FILL, "black", "solid"))
    out.append((text(lang, "legend_none"), "white", "black", "dashed"))
    out.append((text(lang, "legend_bad"), BAD_FILL, BAD_COLOR, "solid"))
    return out


_DASHED = ' style="dashed"'


def _legend(graph, scale, lang):
    """One node holding a small table: the legend's sentence, then a row of swatches."""
    entries = legend_entries(scale, lang)
    cells = "".join(f'<td bgcolor="{fill}"{_DASHED if style == "dashed" else ""}>'
                    f'<font color="{font}">{html.escape(label)}</font></td>'
                    for label, fill, font, style in entries)
    sentence = html.escape(text(lang, "legend_colour"))
    title = f'<tr><td colspan="{len(entries)}" border="0">{sentence}</td></tr>'
    table = (f'<<table border="0" cellborder="1" cellspacing="2" cellpadding="2">{title}'
             f"<tr>{cells}</tr></table>>")
    graph.node("legend", label=table, shape="plaintext", fontsize="10", id="legend")
