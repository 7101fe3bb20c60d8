"""The demo of the README's first command: the course's L = (w1·x + w2·y)² computed, drawn,
explained, then a small MLP trained."""
from __future__ import annotations

from . import Value, manual_seed
from .autograd import topological_order
from .data import make_moons
from .nn import MLP

COURSE_VALUES = {"w1": 2.0, "x": -1.5, "w2": 0.5, "y": 3.0}

_TEXT = {
    "fr": {
        "title": "L = (w1·x + w2·y)² — passe avant puis rétropropagation",
        "node": "  {name:>4} = {data:>9.4f}   ∂L/∂{name} = {grad:>9.4f}",
        "train": "Entraînement d'un MLP 2-16-16-1 sur deux lunes (perte max-margin)",
        "epoch": "  époque {epoch:>3}  perte {loss:.4f}  précision {acc:.0%}",
        "drawn": "Graphe dessiné dans le dossier {folder} :",
        "svg": "  {path}  (diagramme : valeurs, gradients, contributions sur les arêtes)",
        "html": "  {path}  (lecteur pas à pas : ouvrez-le dans un navigateur)",
        "explain": "La règle de la chaîne, chemin par chemin :",
        "no_renderer": "  (pas de SVG : {reason})",
    },
    "en": {
        "title": "L = (w1·x + w2·y)² — forward pass then backpropagation",
        "node": "  {name:>4} = {data:>9.4f}   ∂L/∂{name} = {grad:>9.4f}",
        "train": "Training a 2-16-16-1 MLP on two moons (max-margin loss)",
        "epoch": "  epoch {epoch:>3}  loss {loss:.4f}  accuracy {acc:.0%}",
        "drawn": "Graph drawn in the folder {folder}:",
        "svg": "  {path}  (diagram: values, gradients, contributions on the edges)",
        "html": "  {path}  (step-by-step player: open it in a browser)",
        "explain": "The chain rule, path by path:",
        "no_renderer": "  (no SVG: {reason})",
    },
}


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


def print_course_example(lang="fr", out=print):
    text = _TEXT[lang]
    L, _ = course_graph()
    L.backward()
    out(text["title"])
    for node in topological_order(L):
        out(text["node"].format(name=node.label, data=node.data, grad=node.grad))
    return L


def draw_course_example(folder, lang="fr", out=print):
    """Write the course graph as ``graphe_L.svg`` and the player ``pas_a_pas_L.html`` into ``folder``.

    Returns the paths written. Needs the ``viz`` package (installed with microgradfr).
    """
    from pathlib import Path

    import viz

    text = _TEXT[lang]
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    L, _ = course_graph()
    L.backward()
    out(text["drawn"].format(folder=folder.resolve()))
    written = []
    try:
        written.append(viz.render(L, folder / "graphe_L.svg", edge_grads=True, lang=lang))
        out(text["svg"].format(path=written[-1]))
        written.append(viz.to_html(L, folder / "pas_a_pas_L.html", lang=lang))
        out(text["html"].format(path=written[-1]))
    except RuntimeError as error:  # no renderer at all: say so, keep going
        out(text["no_renderer"].format(reason=error))
    return written


def explain_course_example(lang="fr", out=print):
    """Print ∂L/∂w1 and ∂L/∂w2 of the course example, path by path."""
    import viz

    L, nodes = course_graph()
    L.backward()
    out(_TEXT[lang]["explain"])
    for name in ("w1", "w2"):
        out(viz.explain(L, nodes[name], lang=lang))


def _moons(n, seed):
    """Two moons as lists, labels ±1 (the max-margin loss wants them so)."""
    X, y = make_moons(n, noise=0.1, seed=seed)
    return X.tolist(), (2.0 * y - 1.0).tolist()


def train_moons(epochs=40, lang="fr", out=print, seed=0):
    """Train MLP(2, [16, 16, 1]) with max-margin loss + 1e-4·L2 and plain SGD; returns the losses."""
    text = _TEXT[lang]
    manual_seed(seed)
    X, y = _moons(100, seed)
    model = MLP(2, [16, 16, 1])
    out(text["train"])
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
            out(text["epoch"].format(epoch=epoch, loss=loss.data, acc=acc))
    return losses


def run(lang="fr", out=print, out_dir=None):
    """The whole demo: the course example computed, drawn into ``out_dir`` (if given), explained,
    then a small MLP trained."""
    print_course_example(lang, out)
    out("")
    if out_dir is not None:
        draw_course_example(out_dir, lang, out)
        out("")
    explain_course_example(lang, out)
    out("")
    train_moons(lang=lang, out=out)
