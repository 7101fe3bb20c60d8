"""Scalar engine speed, side by side with micrograd 0.1.0, on code written the micrograd way.

Workloads, each written once against micrograd's API and run on both engines in this process:

- chain: ``y = y * w + b``, 2 000 times (4 003 nodes);
- tree: a balanced tree over 4 096 leaves, sums and products on alternate levels (8 191 nodes);
- L: the course's L = (w1·x + w2·y)², built and back-propagated 500 times (8 nodes each);
- lecture MLP: a hand-written MLP 3-4-4-1 as in micrograd's lecture, ``sum((wi*xi ...), b).tanh()``
  (no fused neuron; micrograd gets its tanh written by hand, a node with a ``_backward``
  closure, as in the lecture), 4 samples, squared error, ``p.grad = 0.0``, backward, SGD step;
- moons: micrograd's demo step, MLP 2-16-16-1 on 100 samples (microgradfr's own MLP, fused Σwx+b);

then a 10⁶-node chain forward + backward (microgradfr alone: micrograd's recursive sort cannot
go that deep) and the memory per node.

Timing: CPU time of this process (``time.process_time``), which a loaded machine disturbs far
less than wall-clock time. Each round times ``--repeat`` consecutive runs of each engine, from a
collected heap (see ``run_times``); the table gives, as ranges over ``--rounds`` rounds, the
mean time per node, the speed-up of the means (the steady state of a training loop, each
engine paying for its own garbage collections) and the speed-up of the best runs. The 10⁶
chain is given in both CPU and wall time. micrograd sorts its graph recursively: the recursion
limit is raised for its chain.

Run:  OPENBLAS_NUM_THREADS=1 python benchmarks/bench_scalar.py   (needs the ``benchmark`` extra;
``--where`` adds microgradfr's time phase by phase, with the garbage collector's share)
"""
from __future__ import annotations

import argparse
import gc
import math
import random
import sys
import time
import tracemalloc


# ------------------------------------------------------------------ workloads (micrograd's API only)
def build_chain(Value, n=2000):
    x, w, b = Value(0.5), Value(0.999), Value(0.001)
    y = x
    for _ in range(n):
        y = y * w + b
    return y


def build_tree(Value, leaves=4096):
    level = [Value(1.0 + i * 1e-4) for i in range(leaves)]
    while len(level) > 1:  # pairs summed on one level, multiplied on the next
        pairs = zip(level[::2], level[1::2])
        level = [a + b for a, b in pairs] if len(level).bit_length() % 2 else [a * b for a, b in pairs]
    return level[0]


def chain(Value):
    build_chain(Value).backward()


def tree(Value):
    build_tree(Value).backward()


def course_L(Value, times=500):
    for _ in range(times):
        w1, x, w2, y = Value(2.0), Value(-1.5), Value(0.5), Value(3.0)
        L = (w1 * x + w2 * y) ** 2
        L.backward()


class Neuron:
    """A neuron as the lecture writes one: tanh(Σ wᵢ·xᵢ + b), the sum started at b."""

    def __init__(self, Value, nin):
        self.w = [Value(random.uniform(-1, 1)) for _ in range(nin)]
        self.b = Value(random.uniform(-1, 1))

    def __call__(self, x):
        return sum((wi * xi for wi, xi in zip(self.w, x)), self.b).tanh()

    def parameters(self):
        return self.w + [self.b]


class MLP:
    def __init__(self, Value, nin, nouts):
        sizes = [nin] + nouts
        self.layers = [[Neuron(Value, sizes[i]) for _ in range(sizes[i + 1])] for i in range(len(nouts))]

    def __call__(self, x):
        for layer in self.layers:
            x = [n(x) for n in layer]
        return x[0] if len(x) == 1 else x

    def parameters(self):
        return [p for layer in self.layers for n in layer for p in n.parameters()]


XS = [[2.0, 3.0, -1.0], [3.0, -1.0, 0.5], [0.5, 1.0, 1.0], [1.0, 1.0, -1.0]]
YS = [1.0, -1.0, -1.0, 1.0]


def lecture_mlp(Value, steps=10):
    random.seed(0)
    model = MLP(Value, 3, [4, 4, 1])
    for _ in range(steps):
        loss = sum((out - y) ** 2 for y, out in zip(YS, [model(x) for x in XS]))
        for p in model.parameters():
            p.grad = 0.0
        loss.backward()
        for p in model.parameters():
            p.data += -0.05 * p.grad


def add_hand_written_tanh(Value):
    """Give micrograd 0.1.0 the tanh of the lecture: a node made by hand with its _backward."""
    def tanh(self):
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out
    Value.tanh = tanh


def nodes_of(workload, Value) -> int:
    """How many nodes one run of a workload makes (microgradfr's count, both engines alike)."""
    from microgradfr.autograd import topological_order
    made = []
    original = Value.backward

    def counting(self):
        made.append(len(topological_order(self)))
        original(self)
    Value.backward = counting
    try:
        workload(Value)
    finally:
        Value.backward = original
    return sum(made)


# ------------------------------------------------------------------ moons (micrograd's demo)
def moons(n=100, seed=1):
    """Two interleaving half circles with labels ±1, as in micrograd's demo."""
    from microgradfr.data import make_moons
    X, y = make_moons(n, noise=0.1, seed=seed)
    return X.tolist(), (2.0 * y - 1.0).tolist()


def make_step(Value, model, X, y, lr=0.05):
    """One training step written once, for any engine with micrograd's API."""
    def step():
        inputs = [list(map(Value, row)) for row in X]
        scores = list(map(model, inputs))
        losses = [(1 + -yi * si).relu() for yi, si in zip(y, scores)]
        data_loss = sum(losses) * (1.0 / len(losses))
        reg_loss = 1e-4 * sum(p * p for p in model.parameters())
        total = data_loss + reg_loss
        model.zero_grad()
        total.backward()
        for p in model.parameters():
            p.data -= lr * p.grad
        return total.data
    return step


# ------------------------------------------------------------------ timing
def run_times(run, repeat) -> tuple[float, float]:
    """CPU times of ``repeat`` consecutive runs (after one warm-up): their mean and the best one.

    The mean is the steady state of a training loop, where each engine pays for the garbage
    collections its own runs cause; the best run is the one no full collection fell in (a
    micro-benchmark's usual figure, kinder to an engine that makes garbage).

    ``gc.collect()`` first, outside the clock: micrograd's graphs are reference cycles (each
    node's ``_backward`` closure holds the node), freed only by the garbage collector, so that
    without it one engine's runs would pay for collecting the other's garbage. (The garbage of
    micrograd's last run is then collected off its clock: if anything, in micrograd's favour.)
    """
    gc.collect()
    run()
    times = []
    for _ in range(repeat):
        t0 = time.process_time()
        run()
        times.append(time.process_time() - t0)
    return sum(times) / repeat, min(times)


def compare(name, nodes, ours, theirs, rounds, repeat, per_node=True):
    """Time both engines ``rounds`` times, interleaved; print the ranges over rounds of the mean
    times (µs per node, or ms per run when ``per_node`` is False), of the ratio of the means
    (steady state) and of the ratio of the best runs. Returns the ratios of the means."""
    mine, others, ratios, best_ratios = [], [], [], []
    scale = 1e6 / nodes if per_node else 1e3
    for _ in range(rounds):
        theirs_mean, theirs_best = run_times(theirs, repeat) if theirs else (None, None)
        ours_mean, ours_best = run_times(ours, repeat)
        mine.append(ours_mean * scale)
        if theirs_mean is not None:
            others.append(theirs_mean * scale)
            ratios.append(theirs_mean / ours_mean)
            best_ratios.append(theirs_best / ours_best)
    span = lambda xs, f: f"{f(min(xs))}–{f(max(xs))}"
    num = (lambda x: f"{x:.2f}") if per_node else (lambda x: f"{x:.0f} ms")
    times = lambda rs: span(rs, lambda r: f"{r:.1f}") + "×" if rs else "—"
    cells = [f"{name:<34}", f"{nodes:>6}", f"{span(others, num) if others else '—':>12}",
             f"{span(mine, num):>12}", f"{times(ratios):>11}", f"{times(best_ratios):>11}"]
    print("  ".join(cells))
    return ratios


def million_chain():
    """Forward + backward of y = y + x a million times: (CPU seconds, wall seconds)."""
    from microgradfr import Value
    c0, w0 = time.process_time(), time.perf_counter()
    x = Value(1.0)
    y = x
    for _ in range(1_000_000):
        y = y + x
    y.backward()
    c1, w1 = time.process_time(), time.perf_counter()
    assert x.grad == 1_000_001.0
    del x, y
    return c1 - c0, w1 - w0


def bytes_per_node(n=200_000):
    """Memory of a chain of n microgradfr nodes after backward, per node (tracemalloc)."""
    from microgradfr import Value
    gc.collect()
    tracemalloc.start()
    x = Value(0.5)
    y = x
    for _ in range(n):
        y = (y * x + x).tanh()  # three nodes per turn, all Values (no constant leaves)
    y.backward()
    current, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return current / (3 * n)


def where_the_time_goes(repeat=20):
    """microgradfr's time per node on the chain and the tree, by phase (making the graph, the
    topological order, backward's steps), and the garbage collector's share of each phase."""
    from microgradfr import Value
    from microgradfr.autograd import topological_order
    collecting = [0.0, 0.0]  # [start of the current collection, total]

    def on_collection(phase, info):
        now = time.process_time()
        if phase == "start":
            collecting[0] = now
        else:
            collecting[1] += now - collecting[0]

    def timed(run):
        """(mean CPU seconds of a run, the collector's share of them)"""
        gc.collect()
        collecting[1] = 0.0
        gc.callbacks.append(on_collection)
        t0 = time.process_time()
        for _ in range(repeat):
            run()
        total = time.process_time() - t0
        gc.callbacks.remove(on_collection)
        return total / repeat, collecting[1] / total

    print(f"\n{'where the time goes (µs per node)':<34}  {'make graph':>14}  {'topo. order':>14}  "
          f"{'backward steps':>14}")
    for name, build in [("chain", build_chain), ("tree", build_tree)]:
        root = build(Value)
        nodes = len(topological_order(root))
        make = timed(lambda build=build: build(Value))
        order = timed(lambda root=root: topological_order(root))
        whole = timed(root.backward)  # the order, then the steps
        steps = (whole[0] - order[0], whole[1])
        cells = [f"{t * 1e6 / nodes:.3f} (gc {share:.0%})" for t, share in (make, order, steps)]
        print(f"{name:<34}  " + "  ".join(f"{c:>14}" for c in cells))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5,
                        help="interleaved rounds (the ranges are over these)")
    parser.add_argument("--repeat", type=int, default=5,
                        help="consecutive runs per engine and round (their mean counts)")
    parser.add_argument("--where", action="store_true",
                        help="also print where microgradfr's time goes, phase by phase, with the GC's share")
    args = parser.parse_args()

    import microgradfr
    from microgradfr import Value
    from microgradfr.nn import MLP as OurMLP
    try:
        from micrograd.engine import Value as MValue
        from micrograd.nn import MLP as MMLP
    except ImportError:
        MValue = MMLP = None
        print("micrograd is not installed (pip install -e '.[benchmark]'): microgradfr alone, no ratios\n")
    else:
        add_hand_written_tanh(MValue)
        sys.setrecursionlimit(max(sys.getrecursionlimit(), 50_000))

    print(f"{'CPU µs per node, mean of the runs':<34}  {'nodes':>6}  {'micrograd':>12}  "
          f"{'microgradfr':>12}  {'speed-up':>11}  {'best runs':>11}")
    for name, workload in [("chain y = y·w + b", chain), ("tree of + and ×", tree),
                           ("course's L = (w1·x + w2·y)², ×500", course_L),
                           ("lecture MLP 3-4-4-1, 10 steps", lecture_mlp)]:
        theirs = (lambda w=workload: w(MValue)) if MValue else None
        ours = lambda w=workload: w(Value)
        compare(name, nodes_of(workload, Value), ours, theirs, args.rounds, args.repeat)

    X, y = moons()
    microgradfr.manual_seed(1)
    ours_step = make_step(Value, OurMLP(2, [16, 16, 1]), X, y)
    theirs_step = make_step(MValue, MMLP(2, [16, 16, 1]), X, y) if MValue else None
    ratios = compare("moons step, ms (ours: fused Σwx+b)", nodes_of(lambda V: ours_step(), Value), ours_step,
                     theirs_step, max(2, args.rounds // 2), 3, per_node=False)
    if ratios:
        print(f"{'':<34}  (target ≥ 20× on this step; ≥ 2× per node on the four above)")

    cpu, wall = million_chain()
    print(f"\n10⁶-node chain, forward + backward: {cpu:.2f} s CPU, {wall:.2f} s wall  (target < 2 s)")
    print(f"memory: {bytes_per_node():.0f} bytes/node  (target ≤ 250)")
    if args.where:
        where_the_time_goes()


if __name__ == "__main__":
    main()
