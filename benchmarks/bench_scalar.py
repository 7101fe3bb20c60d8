"""micrograd's moons training step, measured side by side with micrograd itself.

The step is the one of micrograd's ``demo.ipynb``: an MLP 2-16-16-1 on 100 samples, max-margin
loss + 1e-4·L2, zero_grad, backward, SGD. Both engines run the same data in one process.

Run:  OPENBLAS_NUM_THREADS=1 python benchmarks/bench_scalar.py   (needs the ``benchmark`` extra)
"""
from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc


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


def time_steps(step, repeat):
    step()  # warm-up
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        step()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


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


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timed steps per engine (median)")
    args = parser.parse_args()

    import microgradfr
    from microgradfr import Value
    from microgradfr.nn import MLP
    X, y = moons()
    microgradfr.manual_seed(1)
    ours = time_steps(make_step(Value, MLP(2, [16, 16, 1]), X, y), args.repeat)
    print(f"microgradfr : {ours * 1e3:8.1f} ms/step")
    try:
        from micrograd.engine import Value as MValue
        from micrograd.nn import MLP as MMLP
    except ImportError:
        print("micrograd   : not installed (pip install -e '.[benchmark]'), no ratio")
    else:
        theirs = time_steps(make_step(MValue, MMLP(2, [16, 16, 1]), X, y), max(1, args.repeat // 2))
        print(f"micrograd   : {theirs * 1e3:8.1f} ms/step")
        print(f"speed-up    : {theirs / ours:8.1f}x  (target ≥ 20x)")
    print(f"memory      : {bytes_per_node():8.0f} bytes/node  (target ≤ 250)")


if __name__ == "__main__":
    main()
