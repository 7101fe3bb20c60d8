"""microgradfr's Tensor against PyTorch on CPU, one thread each, float32 on both sides.

1. One epoch of an MNIST-sized MLP 784-128-64-10 (ReLU), batch 128, 60,000 random samples,
   cross-entropy, plain SGD (lr 0.01).
2. conv2d forward + backward (input, weight and bias gradients; summed output as the loss):
   64×1×28×28 with 8 filters 3×3, padding 1; and 64×8×14×14 → 16 filters.
   Peak memory of one forward + backward is measured with tracemalloc (numpy reports its
   allocations to tracemalloc; PyTorch's allocator does not, so only ours is shown).

Aims: MLP epoch ≤ 1.0× PyTorch's time, conv2d ≤ 1.5×. The two engines run interleaved (one
step each in turn) so that load from other processes affects both alike. Everything runs twice:
with glibc's default malloc, then with freed memory kept for reuse (see ``keep_freed_memory``).

Run:  python benchmarks/bench_tensor.py [--epochs 3] [--repeat 30]   (needs torch for the ratios)
"""
from __future__ import annotations

import os

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")  # before numpy is imported: one BLAS thread
os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("MKL_NUM_THREADS", "1")

import argparse  # noqa: E402
import ctypes  # noqa: E402
import gc  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import tracemalloc  # noqa: E402

import numpy as np  # noqa: E402

import microgradfr.functional as F  # noqa: E402
from microgradfr import Tensor, manual_seed, nn  # noqa: E402
from microgradfr.kernels.conv import clear_work_arrays  # noqa: E402

BATCH, LR = 128, 0.01
CONV_CASES = [(64, 1, 28, 8), (64, 8, 14, 16)]  # (N, C, H = W, filters), 3×3, padding 1


def mnist_like(n=60_000, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, 784), dtype=np.float32), rng.integers(0, 10, n)


# -------------------------------------------------------------------- microgradfr
def ours_mlp_epoch(X, y):
    manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 128, dtype="float32"), nn.ReLU(),
                          nn.Linear(128, 64, dtype="float32"), nn.ReLU(),
                          nn.Linear(64, 10, dtype="float32"))
    params = model.parameters()

    def epoch():
        for i in range(0, len(X), BATCH):
            loss = F.cross_entropy(model(Tensor(X[i:i + BATCH])), y[i:i + BATCH])
            for p in params:
                p.grad = None
            loss.backward()
            for p in params:
                p.data -= LR * p.grad
        return float(loss.data)
    return epoch


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
def torch_mlp_epoch(torch, X, y):
    torch.manual_seed(0)
    model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 64),
                                torch.nn.ReLU(), torch.nn.Linear(64, 10))
    opt = torch.optim.SGD(model.parameters(), lr=LR)
    Xt, yt = torch.from_numpy(X), torch.from_numpy(y)

    def epoch():
        for i in range(0, len(Xt), BATCH):
            loss = torch.nn.functional.cross_entropy(model(Xt[i:i + BATCH]), yt[i:i + BATCH])
            opt.zero_grad()
            loss.backward()
            opt.step()
        return loss.item()
    return epoch


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
def interleaved_medians(fns, repeat, warmup=1):
    """Median time of each function, runs interleaved (a, b, a, b, ...) so that a change in the
    machine's load affects both sides alike.

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
    return [statistics.median(bucket) for bucket in times]


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


def run(torch, X, y, args, setting):
    print(f"\n[{setting}]")
    print("MLP 784-128-64-10, one epoch of 60,000 samples, batch 128, SGD")
    fns = [ours_mlp_epoch(X, y)] + ([torch_mlp_epoch(torch, X, y)] if torch else [])
    times = interleaved_medians(fns, args.epochs)
    line = f"  microgradfr {times[0]:7.3f} s"
    if torch:
        line += f"   PyTorch {times[1]:7.3f} s   ratio {times[0] / times[1]:5.2f}×  (aim ≤ 1.0×)"
    print(line)

    print("conv2d 3×3, padding 1, forward + backward (x, w, b)")
    for case in CONV_CASES:
        n, c, h, f = case
        fns = [ours_conv(*case)] + ([torch_conv(torch, *case)] if torch else [])
        times = interleaved_medians(fns, args.repeat, warmup=3)
        line = f"  {n}×{c}×{h}×{h} → {f:2d} filters: microgradfr {times[0] * 1e3:6.2f} ms"
        if torch:
            line += f"   PyTorch {times[1] * 1e3:6.2f} ms   ratio {times[0] / times[1]:5.2f}×  (aim ≤ 1.5×)"
        print(line + f"   peak memory {peak_memory(fns[0]) / 2**20:.1f} MiB")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="MLP epochs timed (median)")
    parser.add_argument("--repeat", type=int, default=30, help="conv steps timed (median)")
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
    run(torch, X, y, args, "glibc malloc, default settings")
    if keep_freed_memory():
        run(torch, X, y, args, "glibc malloc keeping freed memory (mallopt), both engines")


if __name__ == "__main__":
    main()
