"""Diagrams and the step player at scale: the targets of issue 13, printed as measured.

    OPENBLAS_NUM_THREADS=1 python benchmarks/bench_viz.py [--repeat 3]

Each line gives the range (min–max) over ``--repeat`` runs in this process; the machine may be
loaded, so read ranges, not single numbers. Targets:

- a 300-value player in < 3 s and < 2 MB (the previous per-frame player is timed beside it on a
  graph it still accepts: it drew one full picture per step);
- the player's cap at ≥ 2,000 values, with a clear refusal above;
- a 2,000-value diagram in < 1 s with either renderer (before: the DOT without ``newrank``, which
  is what made system ``dot`` slow on long chains);
- every ``microgradfr draw`` finishes in < 2 s or is refused at once (sums of 80 and 100 ``x*y``).
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from microgradfr import Value  # noqa: E402
from microgradfr.autograd import topological_order  # noqa: E402
from microgradfr.nn import MLP  # noqa: E402
from microgradfr.random import manual_seed  # noqa: E402
from viz.dot import Frame, draw_dot  # noqa: E402
from viz.player import MAX_PLAYER_NODES, animation, player_html  # noqa: E402
from viz.rendering import find_renderer, pipe, to_svg  # noqa: E402
from viz.steps import backward_steps, forward_steps  # noqa: E402


# ---------------------------------------------------------------- graphs
def mlp_graph(hidden: int):
    """The squared error of a 2-hidden-1 tanh MLP on one sample."""
    manual_seed(0)
    model = MLP(2, [hidden, 1])
    x = [Value(0.5, label="x1"), Value(-1.0, label="x2")]
    loss = (model(x) - 1.0) ** 2
    loss.label = "L"
    loss.backward()
    return loss


def chain(values: int):
    """x, then x·x and tanh in turn: a chain of exactly ``values`` values."""
    v = Value(0.5, label="x")
    for i in range(values - 1):
        v = v.tanh() if i % 2 else v * v
    v.backward()
    return v


def sized(root) -> int:
    return len(topological_order(root))


# ---------------------------------------------------------------- timing
def timed(fn, repeat):
    """(min, max) seconds over ``repeat`` calls, and the last result."""
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return (min(times), max(times)), out


def span(t) -> str:
    lo, hi = t
    return f"{lo:.2f}–{hi:.2f} s"


def per_frame_player(root) -> int:
    """The previous player: one complete draw_dot + renderer call per frame; the page's bytes."""
    order_steps = list(forward_steps(root)), list(backward_steps(root))
    pictures, known, grads, done = [], set(), {}, set()
    for step in order_steps[0]:
        known.add(id(step.node))
        frame = Frame(known=set(known), grads={}, done=set(), highlight=step.node)
        pictures.append(to_svg(draw_dot(root, frame=frame, edge_grads=True, size=None)))
    for step in order_steps[1]:
        grads[id(step.node)] = step.upstream
        for p in step.parents:
            if p.after is not None:
                grads[id(p.parent)] = p.after
        done.add(id(step.node))
        frame = Frame(known=None, grads=dict(grads), done=set(done), highlight=step.node)
        pictures.append(to_svg(draw_dot(root, frame=frame, edge_grads=True, size=None)))
    return sum(len(p) for p in pictures)


def one_layout_player(root) -> int:
    anim = animation(root)
    return len(player_html(anim, anim.layout().svg).encode("utf-8"))


# ---------------------------------------------------------------- sections
def players(repeat):
    print("== step player (one layout, many frames) vs the previous one picture per frame")
    for name, root in [("MLP 2-3-1, one sample", mlp_graph(3)), ("MLP 2-8-1, one sample", mlp_graph(8))]:
        t_new, size_new = timed(lambda r=root: one_layout_player(r), repeat)
        t_old, size_old = timed(lambda r=root: per_frame_player(r), 1)
        print(f"  {name:24s} {sized(root):4d} values: now {span(t_new)}, {size_new / 1e6:.2f} MB;"
              f" per frame {span(t_old)}, {size_old / 1e6:.1f} MB")
    for name, root in [("MLP 2-50-1, one sample", mlp_graph(50)), ("chain", chain(300))]:
        t_new, size_new = timed(lambda r=root: one_layout_player(r), repeat)
        ok = "met" if t_new[1] < 3 and size_new < 2e6 else "NOT MET"
        print(f"  {name:24s} {sized(root):4d} values: now {span(t_new)}, {size_new / 1e6:.2f} MB"
              f"   [target < 3 s, < 2 MB: {ok}] (per frame: refused, cap was 200)")
    root = chain(MAX_PLAYER_NODES)
    t_cap, size_cap = timed(lambda: one_layout_player(root), 1)
    print(f"  cap: {sized(root)} values play in {span(t_cap)}, {size_cap / 1e6:.1f} MB", end="; ")
    try:
        animation(chain(MAX_PLAYER_NODES + 1))
        print("above the cap: NOT refused")
    except ValueError as error:
        print(f"{MAX_PLAYER_NODES + 1} refused: {str(error)[:90]}…")


def diagrams(repeat):
    print("== 2,000-value diagram to SVG, per renderer; now: draw_dot + renderer, before: the renderer"
          " alone on the same DOT without newrank")
    roots = [("chain x·x / tanh", chain(2000)), ("MLP 2-30-30-1 on one sample", _deep_mlp())]
    for name, root in roots:
        source = draw_dot(root, max_nodes=5000, size=None).source
        before = source.replace("newrank=true ", "")
        for renderer in ("graphviz-pure", "dot"):
            if find_renderer("svg", renderer) is None or find_renderer("svg", renderer).name != renderer:
                print(f"  {name}: {renderer} not installed")
                continue
            t_after, _ = timed(lambda r=renderer, g=root: pipe(draw_dot(g, size=None).source, "svg", r),
                               repeat)
            t_before, _ = timed(lambda s=before, r=renderer: pipe(s, "svg", r), repeat)
            ok = "met" if t_after[1] < 1 else "NOT MET"
            print(f"  {name:28s} {sized(root)} values, {renderer:13s}: before {span(t_before)}, now"
                  f" {span(t_after)} [target < 1 s: {ok}]")
    t_py, _ = timed(lambda: draw_dot(chain(2000)).source, repeat)
    print(f"  draw_dot itself (DOT text, no renderer): {span(t_py)}")


def causes(repeat):
    """What makes Graphviz slow here: the same DOT with one thing changed at a time."""
    print("== what costs time in the layout (system dot; each variant changes one thing)")
    if find_renderer("svg", "dot") is None or find_renderer("svg", "dot").name != "dot":
        print("  system dot not installed")
        return
    chain_src = draw_dot(chain(2000), size=None).source
    mlp_src = draw_dot(_deep_mlp(), size=None).source
    variants = [
        ("chain 2000: as drawn", chain_src),
        ("chain 2000: without newrank (per-cluster ranking)", chain_src.replace("newrank=true ", "")),
        ("chain 2000: records as plain boxes", chain_src.replace("shape=record", "shape=box")),
        ("chain 2000: without ordering=in", chain_src.replace("ordering=in ", "")),
        ("chain 2000: without the legend", chain_src.split("\tlegend [")[0] + "}\n"),
        ("MLP 1174: as drawn (mclimit=0.01)", mlp_src),
        ("MLP 1174: full crossing minimisation", mlp_src.replace("\tmclimit=0.01\n", "")),
        ("MLP 1174: without the clusters", mlp_src.replace("subgraph cluster_", "subgraph plain_")),
    ]
    for name, source in variants:
        t, _ = timed(lambda s=source: pipe(s, "svg", "dot"), repeat)
        print(f"  {name:52s} {span(t)}")


def _deep_mlp():
    manual_seed(0)
    model = MLP(2, [30, 30, 1])
    out = model([Value(0.5, label="x1"), Value(-1.0, label="x2")])
    out.label = "out"
    out.backward()
    return out


def cli(repeat):
    print("== microgradfr draw: finishes in < 2 s or is refused at once")
    with tempfile.TemporaryDirectory() as folder:
        for terms in (15, 80, 100):
            expression = " + ".join(["x*y"] * terms)
            for ext in ("svg", "html"):
                cmd = [sys.executable, "-m", "microgradfr", "draw", expression, "--set", "x=2", "y=3",
                       "-o", str(Path(folder) / f"g.{ext}")]
                if ext == "svg":
                    cmd.append("--edge-grads")
                (lo, hi), done = timed(lambda c=cmd: subprocess.run(c, capture_output=True, text=True),
                                       repeat)
                what = "drawn" if done.returncode == 0 else "refused: " + done.stderr.strip()[:70] + "…"
                ok = "met" if hi < 2 else "NOT MET"
                print(f"  {terms:3d} terms x*y -> .{ext:4s} {lo:.2f}–{hi:.2f} s, {what} [< 2 s: {ok}]")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    renderer = find_renderer("svg")
    print(f"default renderer: {renderer.name if renderer else 'none'}; {os.cpu_count()} cores, shared")
    players(args.repeat)
    diagrams(args.repeat)
    causes(args.repeat)
    cli(args.repeat)


if __name__ == "__main__":
    main()
