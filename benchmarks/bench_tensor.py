"""microgradfr's Tensor against PyTorch on CPU, one thread each, float32 on both sides.

1. One epoch of an MNIST-sized MLP 784-128-64-10 (ReLU), batch 128, 60,000 random samples,
   cross-entropy, plain SGD (lr 0.01) and Adam (lr 0.001).
2. ``fit`` against the same epoch written as a hand loop (same model, Adam, batch 128, 20,000
   samples shuffled), with the progress bar on (drawn into a buffer) and off.
3. conv2d forward + backward (input, weight and bias gradients; summed output as the loss):
   64×1×28×28 with 8 filters 3×3, padding 1; and 64×8×14×14 → 16 filters.
   Peak memory of one forward + backward is measured with tracemalloc (numpy reports its
   allocations to tracemalloc; PyTorch's allocator does not, so only ours is shown).
4. A small CNN training step on 64×1×28×28: conv 1→8 3×3 pad 1, ReLU, max-pool 2, conv 8→16 3×3
   pad 1, ReLU, max-pool 2, flatten, linear 784→10, cross-entropy, SGD; then each of its ops
   alone, forward and backward, on the shapes it sees in the step.

Aims: MLP epoch ≤ 1.0× PyTorch's time, fit ≤ 1.1× the hand loop, CNN step ≤ 1.5× PyTorch,
conv2d ≤ 1.5×. The engines run interleaved (one step each in turn) so that load from other
processes affects both alike; times are medians, and each ratio is the median of the ratios of
calls made one after the other. Everything runs twice: with glibc's default malloc, then with
freed memory kept for reuse (see ``keep_freed_memory``). On a shared machine, run it several
times (``--runs``) and quote the ranges it prints at the end.

Run:  python benchmarks/bench_tensor.py [--epochs 3] [--repeat 30]   (needs torch for the ratios)
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported: one BLAS thread
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import contextlib  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import io  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

import microgradfr.functional as F  # noqa: E402
from microgradfr import Tensor, manual_seed, nn  # noqa: E402
from microgradfr.kernels.conv import clear_work_arrays  # noqa: E402
from microgradfr.optim import SGD, Adam  # noqa: E402
from microgradfr.training import fit  # noqa: E402

BATCH, LR, ADAM_LR = 128, 0.01, 0.001
CONV_CASES = [(64, 1, 28, 8), (64, 8, 14, 16)]  # (N, C, H = W, filters), 3×3, padding 1
CNN_BATCH = 64


def mnist_like(n=60_000, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)


# -------------------------------------------------------------------- microgradfr
def ours_mlp():
    manual_seed(0)
    return nn.Sequential(nn.Linear(784, 128, dtype="float32"), nn.ReLU(),
                         nn.Linear(128, 64, dtype="float32"), nn.ReLU(),
                         nn.Linear(64, 10, dtype="float32"))


def ours_mlp_epoch(X, y, optimizer="SGD"):
    model = ours_mlp()
    params = model.parameters()
    opt = SGD(params, lr=LR) if optimizer == "SGD" else Adam(params, lr=ADAM_LR)

    def epoch():
        for i in range(0, len(X), BATCH):
            loss = F.cross_entropy(model(Tensor(X[i:i + BATCH])), y[i:i + BATCH])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return float(loss.data)
    return epoch


def hand_loop_epoch(X, y):
    """The epoch a student writes by hand: shuffle, then the four lines of each step."""
    model = ours_mlp()
    opt = Adam(model.parameters(), lr=ADAM_LR)
    rng = np.random.default_rng(0)

    def epoch():
        order = rng.permutation(len(y))
        total = 0.0
        for i in range(0, len(y), BATCH):
            rows = order[i:i + BATCH]
            loss = F.cross_entropy(model(Tensor(X[rows])), y[rows])
            opt.zero_grad()
            loss.backward()
            opt.step()
            total += loss.item() * len(rows)
        return total / len(y)
    return epoch


def fit_epoch(X, y, verbose):
    """The same epoch through fit (its accuracy and progress bar included); the bar is drawn into a
    buffer, which costs what drawing it on a terminal costs, without filling the terminal."""
    model = ours_mlp()
    opt = Adam(model.parameters(), lr=ADAM_LR)
    rng = np.random.default_rng(0)

    def epoch():
        with contextlib.redirect_stderr(io.StringIO()):
            fit(model, F.cross_entropy, opt, (X, y), epochs=1, batch_size=BATCH, verbose=verbose,
                seed=int(rng.integers(1 << 31)))
    return epoch


def ours_cnn():
    manual_seed(0)
    return nn.Sequential(nn.Conv2d(1, 8, 3, padding=1, dtype="float32"), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Conv2d(8, 16, 3, padding=1, dtype="float32"), nn.ReLU(), nn.MaxPool2d(2),
                         nn.Flatten(), nn.Linear(784, 10, dtype="float32"))


def ours_cnn_step(images, labels):
    model = ours_cnn()
    opt = SGD(model.parameters(), lr=LR)

    def step():
        loss = F.cross_entropy(model(Tensor(images)), labels)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def ours_conv(n, c, h, f):
    rng = np.random.default_rng(0)
    x = Tensor(rng.standard_normal((n, c, h, h), dtype=np.float32), requires_grad=True)
    w = Tensor(rng.standard_normal((f, c, 3, 3), dtype=np.float32), requires_grad=True)
    b = Tensor(rng.standard_normal(f, dtype=np.float32), requires_grad=True)
    g = np.ones((n, f, h, h), dtype=np.float32)

    def step():
        x.grad = w.grad = b.grad = None
        F.conv2d(x, w, b, padding=1).backward(g)
        assert x.grad.dtype == w.grad.dtype == np.float32
    return step


# -------------------------------------------------------------------- PyTorch
def torch_mlp_epoch(torch, X, y, optimizer="SGD"):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64),
                                torch.nn.ReLU(), torch.nn.Linear(64, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR) if optimizer == "SGD" else \
        torch.optim.Adam(model.parameters(), lr=ADAM_LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def epoch():
        for i in range(0, len(Xt), BATCH):
            loss = torch.nn.functional.cross_entropy(model(Xt[i:i + BATCH]), yt[i:i + BATCH])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()
    return epoch


def torch_cnn_step(torch, images, labels):
    torch.manual_seed(0)
    nn_ = torch.nn
    model = nn_.Sequential(nn_.Conv2d(1, 8, 3, padding=1), nn_.ReLU(), nn_.MaxPool2d(2),
                           nn_.Conv2d(8, 16, 3, padding=1), nn_.ReLU(), nn_.MaxPool2d(2),
                           nn_.Flatten(), nn_.Linear(784, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    x, t = torch.from_numpy(images), torch.from_numpy(labels)

    def step():
        loss = nn_.functional.cross_entropy(model(x), t)
        opt.zero_grad()
        loss.backward()
        opt.step()
    return step


def torch_conv(torch, n, c, h, f):
    gen = torch.Generator().manual_seed(0)
    x = torch.randn(n, c, h, h, generator=gen, requires_grad=True)
    w = torch.randn(f, c, 3, 3, generator=gen, requires_grad=True)
    b = torch.randn(f, generator=gen, requires_grad=True)
    g = torch.ones(n, f, h, h)

    def step():
        x.grad = w.grad = b.grad = None
        torch.nn.functional.conv2d(x, w, b, padding=1).backward(g)
    return step


# -------------------------------------------------------------------- measuring
def interleaved_times(fns, repeat, warmup=1):
    """The times of ``repeat`` rounds, each calling every function once in turn (a, b, a, b, ...),
    so that a change in the machine's load affects both sides alike.

    Python's garbage collector is collected once before the timed runs and then left to run as it
    does in a training loop. Forcing a full collection before every call (as an earlier version
    did) walks every Python object just before the timed call: the caches come back cold, which
    added about 1 ms to *both* engines' conv steps and made the ratios look closer to 1 than they are.
    """
    for fn in fns:
        for _ in range(warmup):
            fn()
    gc.collect()
    times = [[] for _ in fns]
    for _ in range(repeat):
        for fn, bucket in zip(fns, times):
            t0 = time.perf_counter()
            fn()
            bucket.append(time.perf_counter() - t0)
    return times


def paired_ratio(ours, theirs) -> float:
    """The median over rounds of ours/theirs, each ratio from two calls made one after the other:
    on a loaded machine this moves less than the ratio of two medians."""
    return statistics.median(a / b for a, b in zip(ours, theirs))


def compare(fns, repeat, warmup=1):
    """(median times, ratio of each function to the last one, round by round)."""
    times = interleaved_times(fns, repeat, warmup)
    return [statistics.median(t) for t in times], [paired_ratio(t, times[-1]) for t in times[:-1]]


def peak_memory(fn) -> int:
    """Peak of one call from cold: conv2d's cached work arrays are dropped first, so that making
    them again is counted (they stay allocated between calls)."""
    clear_work_arrays()
    gc.collect()
    tracemalloc.start()
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def keep_freed_memory() -> bool:
    """Ask glibc to keep freed blocks for reuse instead of returning them to the OS.

    By default glibc hands big freed blocks back to the kernel; the next allocation of that size
    then costs one page fault per 4 KiB touched, which on a virtual machine can cost more than the
    arithmetic (a conv2d step allocates ~12 MB of temporaries). PyTorch allocates with the same
    malloc, so both sides run under the same setting.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
    except OSError:
        return False
    m_trim_threshold, m_mmap_threshold = -1, -3
    return bool(libc.mallopt(m_mmap_threshold, 1 << 30) and libc.mallopt(m_trim_threshold, (1 << 31) - 1))


# -------------------------------------------------------------------- the CNN step, op by op
def cnn_ops(torch):
    """Each op of the CNN step on the shapes it sees there: (name, input shapes with their
    requires_grad, our function, PyTorch's). The images themselves need no gradient."""
    tf = torch.nn.functional if torch else None
    n = CNN_BATCH
    return [
        ("conv2d 1→8", [((n, 1, 28, 28), False), ((8, 1, 3, 3), True), ((8,), True)],
         lambda x, w, b: F.conv2d(x, w, b, padding=1), lambda x, w, b: tf.conv2d(x, w, b, padding=1)),
        ("relu", [((n, 8, 28, 28), True)], lambda x: x.relu(), lambda x: tf.relu(x)),
        ("max_pool2d 2", [((n, 8, 28, 28), True)],
         lambda x: F.max_pool2d(x, 2), lambda x: tf.max_pool2d(x, 2)),
        ("conv2d 8→16", [((n, 8, 14, 14), True), ((16, 8, 3, 3), True), ((16,), True)],
         lambda x, w, b: F.conv2d(x, w, b, padding=1), lambda x, w, b: tf.conv2d(x, w, b, padding=1)),
        ("relu", [((n, 16, 14, 14), True)], lambda x: x.relu(), lambda x: tf.relu(x)),
        ("max_pool2d 2", [((n, 16, 14, 14), True)],
         lambda x: F.max_pool2d(x, 2), lambda x: tf.max_pool2d(x, 2)),
        ("flatten", [((n, 16, 7, 7), True)], lambda x: x.flatten(1), lambda x: x.flatten(1)),
        ("linear 784→10", [((n, 784), True), ((10, 784), True), ((10,), True)],
         lambda x, w, b: F.linear(x, w, b), lambda x, w, b: tf.linear(x, w, b)),
        ("cross_entropy", [((n, 10), True)],
         lambda x: F.cross_entropy(x, CNN_LABELS),
         lambda x: tf.cross_entropy(x, torch.from_numpy(CNN_LABELS))),
    ]


CNN_LABELS = np.random.default_rng(1).integers(0, 10, CNN_BATCH)


def op_steps(inputs, fn, make_leaf, backward):
    """(forward, backward) closures for one op: forward() returns its output from fresh leaves'
    gradients; backward(out) back-propagates a gradient of ones (or 1 for a loss)."""
    rng = np.random.default_rng(0)
    leaves = [make_leaf(rng.standard_normal(shape, dtype=np.float32), grad) for shape, grad in inputs]

    def forward():
        for leaf in leaves:
            leaf.grad = None
        return fn(*leaves)
    return forward, backward


def per_op_times(torch, repeat):
    """Each op's median forward and backward time, ours and PyTorch's interleaved, and the paired
    ratios: (name, [(forward, backward) per engine], (forward ratio, backward ratio))."""
    rows = []
    for name, inputs, ours_fn, torch_fn in cnn_ops(torch):
        sides = [op_steps(inputs, ours_fn, lambda a, grad: Tensor(a, requires_grad=grad),
                          lambda out: out.backward(np.ones_like(out.data) if out.numel() > 1 else None))]
        if torch:
            sides.append(op_steps(inputs, torch_fn, lambda a, grad: torch.from_numpy(a).requires_grad_(grad),
                                  lambda out: out.backward(torch.ones_like(out) if out.numel() > 1
                                                           else None)))
        times = [([], []) for _ in sides]
        for i in range(repeat + 3):
            for (forward, backward), (fwd, bwd) in zip(sides, times):
                t0 = time.perf_counter()
                out = forward()
                t1 = time.perf_counter()
                backward(out)
                t2 = time.perf_counter()
                if i >= 3:  # the first calls warm up (work arrays, PyTorch's kernels)
                    fwd.append(t1 - t0)
                    bwd.append(t2 - t1)
        medians = [(statistics.median(f), statistics.median(b)) for f, b in times]
        ratios = tuple(paired_ratio(times[0][k], times[1][k]) for k in range(2)) if torch else None
        rows.append((name, medians, ratios))
    return rows


def print_per_op(rows, torch):
    header = "  op               forward: ours   PyTorch  ratio   backward: ours   PyTorch  ratio"
    print(header if torch else "  op               forward: ours   backward: ours")
    totals = [[0.0, 0.0], [0.0, 0.0]]
    for name, sides, ratios in rows:
        line = f"  {name:15s}"
        for k in range(2):  # forward, backward
            ours = sides[0][k]
            line += f"   {ours * 1e3:8.3f} ms"
            totals[0][k] += ours
            if torch:
                theirs = sides[1][k]
                totals[1][k] += theirs
                line += f" {theirs * 1e3:7.3f} ms {ratios[k]:5.2f}×"
        print(line)
    line = f"  {'sum of medians':15s}"
    for k in range(2):
        line += f"   {totals[0][k] * 1e3:8.3f} ms"
        if torch:
            line += f" {totals[1][k] * 1e3:7.3f} ms {totals[0][k] / totals[1][k]:5.2f}×"
    print(line)


# -------------------------------------------------------------------- one run of everything
def run(torch, X, y, args, setting, figures):
    """Print every figure once and record its ratio in ``figures`` (name -> list over runs)."""
    print(f"\n[{setting}]")
    for optimizer in ("SGD", "Adam"):
        print(f"MLP 784-128-64-10, one epoch of 60,000 samples, batch 128, {optimizer}")
        fns = [ours_mlp_epoch(X, y, optimizer)] + ([torch_mlp_epoch(torch, X, y, optimizer)] if torch else [])
        times, ratios = compare(fns, args.epochs)
        line = f"  microgradfr {times[0]:7.3f} s"
        if torch:
            line += f"   PyTorch {times[1]:7.3f} s   ratio {ratios[0]:5.2f}×  (aim ≤ 1.0×)"
            figures.setdefault(f"MLP epoch {optimizer} / PyTorch", []).append(ratios[0])
        print(line)

    # a third of the samples, three times as many rounds: shorter calls, fewer load changes inside one
    print("fit against the hand loop: the MLP above, epochs of 20,000 samples, Adam, batch 128")
    Xs, ys = X[:20_000], y[:20_000]
    (bar_on, bar_off, hand), (on, off) = compare([fit_epoch(Xs, ys, True), fit_epoch(Xs, ys, False),
                                                  hand_loop_epoch(Xs, ys)], 3 * args.epochs)
    print(f"  hand loop {hand:7.3f} s   fit with its bar {bar_on:7.3f} s ({on:4.2f}×, aim ≤ 1.1×)"
          f"   without {bar_off:7.3f} s ({off:4.2f}×)")
    figures.setdefault("fit (bar on) / hand loop", []).append(on)
    figures.setdefault("fit (bar off) / hand loop", []).append(off)

    print("conv2d 3×3, padding 1, forward + backward (x, w, b)")
    for case in CONV_CASES:
        n, c, h, f = case
        fns = [ours_conv(*case)] + ([torch_conv(torch, *case)] if torch else [])
        times, ratios = compare(fns, args.repeat, warmup=3)
        line = f"  {n}×{c}×{h}×{h} → {f:2d} filters: microgradfr {times[0] * 1e3:6.2f} ms"
        if torch:
            line += f"   PyTorch {times[1] * 1e3:6.2f} ms   ratio {ratios[0]:5.2f}×  (aim ≤ 1.5×)"
            figures.setdefault(f"conv2d {n}×{c}×{h}×{h} → {f} / PyTorch", []).append(ratios[0])
        print(line + f"   peak memory {peak_memory(fns[0]) / 2**20:.1f} MiB")

    print("CNN training step (conv 1→8, ReLU, pool, conv 8→16, ReLU, pool, linear 784→10), "
          f"{CNN_BATCH}×1×28×28")
    images = np.random.default_rng(0).random((CNN_BATCH, 1, 28, 28), dtype=np.float32)
    fns = [ours_cnn_step(images, CNN_LABELS)] + ([torch_cnn_step(torch, images, CNN_LABELS)] if torch else [])
    times, ratios = compare(fns, args.repeat, warmup=3)
    line = f"  microgradfr {times[0] * 1e3:6.2f} ms"
    if torch:
        line += f"   PyTorch {times[1] * 1e3:6.2f} ms   ratio {ratios[0]:5.2f}×  (aim ≤ 1.5×)"
        figures.setdefault("CNN step / PyTorch", []).append(ratios[0])
    print(line)
    print_per_op(per_op_times(torch, args.repeat), torch)


def print_ranges(figures):
    print("\nRatios over the runs above (min – max; the machine is shared, so quote ranges):")
    for name, ratios in figures.items():
        print(f"  {name:40s} {min(ratios):5.2f}× – {max(ratios):5.2f}×   ({len(ratios)} runs)")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="MLP epochs timed (median)")
    parser.add_argument("--repeat", type=int, default=30, help="conv and CNN steps timed (median)")
    parser.add_argument("--runs", type=int, default=1, help="repeat everything, then print the ranges")
    args = parser.parse_args(argv)
    try:
        import torch
        torch.set_num_threads(1)
    except ImportError:
        torch = None
        print("PyTorch is not installed: only microgradfr's times are shown.")

    X, y = mnist_like()
    print(f"numpy {np.__version__}" + (f", torch {torch.__version__}" if torch else "")
          + ", one thread, float32")
    figures = {}
    for i in range(args.runs):
        suffix = f", run {i + 1} of {args.runs}" if args.runs > 1 else ""
        run(torch, X, y, args, "glibc malloc, default settings" + suffix, figures)
    if keep_freed_memory():
        for i in range(args.runs):
            suffix = f", run {i + 1} of {args.runs}" if args.runs > 1 else ""
            setting = "glibc malloc keeping freed memory (mallopt), both engines" + suffix
            run(torch, X, y, args, setting, figures)
    if torch:
        print_ranges(figures)


if __name__ == "__main__":
    main()
