"""The demo of the README's first command: the course's L = (w1·x + w2·y)² computed, drawn,
explained, then a small MLP trained."""
from __future__ import annotations

from . import Value, manual_seed
from .autograd import topological_order
from .data import make_moons
from .i18n import message, resolve
from .nn import MLP

COURSE_VALUES = {"w1": 2.0, "x": -1.5, "w2": 0.5, "y": 3.0}

def course_graph(values=None):
    """Build the course's graph a = w1·x, b = w2·y, c = a + b, L = c²; return (L, nodes by name)."""
    v = {**COURSE_VALUES, **(values or {})}
    w1, x, w2, y = (Value(v[name], label=name) for name in ("w1", "x", "w2", "y"))
    a = w1 * x
    a.label = "a"
    b = w2 * y
    b.label = "b"
    c = a + b
    c.label = "c"
    L = c ** 2
    L.label = "L"
    return L, {"w1": w1, "x": x, "w2": w2, "y": y, "a": a, "b": b, "c": c}


def print_course_example(lang=None, out=print):
    """Print every node of the course graph with its value and ∂L/∂node; returns L."""
    lang = resolve(lang)
    L, _ = course_graph()
    L.backward()
    out(message("demo.title", lang))
    for node in topological_order(L):
        out(message("demo.node", lang, name=node.label, data=node.data, grad=node.grad))
    return L


def draw_course_example(folder, lang=None, out=print):
    """Write the course graph and its step-by-step player into ``folder``, named in ``lang``:
    ``graphe_L.svg`` and ``pas_a_pas_L.html`` in French, ``graph_L.svg`` and ``step_by_step_L.html``
    in English.

    Returns the paths written. Needs the ``viz`` package (installed with microgradfr).
    """
    from pathlib import Path

    import viz

    lang = resolve(lang)
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    L, _ = course_graph()
    L.backward()
    out(message("demo.drawn", lang, folder=folder.resolve()))
    written = []
    try:
        written.append(viz.render(L, folder / message("demo.file_graph", lang), edge_grads=True, lang=lang))
        out(message("demo.svg", lang, path=written[-1]))
        written.append(viz.to_html(L, folder / message("demo.file_player", lang), lang=lang))
        out(message("demo.html", lang, path=written[-1]))
    except RuntimeError as error:  # no renderer at all: say so, keep going
        out(message("demo.no_renderer", lang, reason=error))
    return written


def explain_course_example(lang=None, out=print):
    """Print ∂L/∂w1 and ∂L/∂w2 of the course example, path by path."""
    import viz

    lang = resolve(lang)
    L, nodes = course_graph()
    L.backward()
    out(message("demo.explain", lang))
    for name in ("w1", "w2"):
        out(viz.explain(L, nodes[name], lang=lang))


def _moons(n, seed):
    """Two moons as lists, labels ±1 (the max-margin loss wants them so)."""
    X, y = make_moons(n, noise=0.1, seed=seed)
    return X.tolist(), (2.0 * y - 1.0).tolist()


def train_moons(epochs=40, lang=None, out=print, seed=0):
    """Train MLP(2, [16, 16, 1]) with max-margin loss + 1e-4·L2 and plain SGD; returns the losses."""
    lang = resolve(lang)
    manual_seed(seed)
    X, y = _moons(100, seed)
    model = MLP(2, [16, 16, 1])
    out(message("demo.train", lang))
    losses = []
    for epoch in range(epochs):
        scores = [model(row) for row in X]
        data_loss = sum((1 - yi * si).relu() for yi, si in zip(y, scores)) / len(X)
        loss = data_loss + 1e-4 * sum(p * p for p in model.parameters())
        model.zero_grad()
        loss.backward()
        lr = 1.0 - 0.9 * epoch / epochs
        for p in model.parameters():
            p.data -= lr * p.grad
        acc = sum((si.data > 0) == (yi > 0) for yi, si in zip(y, scores)) / len(X)
        losses.append(loss.data)
        if epoch % 5 == 0 or epoch == epochs - 1:
            out(message("demo.epoch", lang, epoch=epoch, loss=loss.data, acc=acc))
    return losses


def run(lang=None, out=print, out_dir=None):
    """The whole demo: the course example computed, drawn into ``out_dir`` (if given), explained,
    then a small MLP trained. ``lang=None``: :func:`microgradfr.get_language` (French by default)."""
    lang = resolve(lang)
    print_course_example(lang, out)
    out("")
    if out_dir is not None:
        draw_course_example(out_dir, lang, out)
        out("")
    explain_course_example(lang, out)
    out("")
    train_moons(lang=lang, out=out)
