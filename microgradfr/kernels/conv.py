"""2-D convolution and pooling on NCHW arrays: the math, a plain reference, the fast kernels.

The math
--------
A convolution (a cross-correlation, as in PyTorch) of images x (N, C, H, W) with filters
w (F, C, kh, kw), strides (sh, sw) and zero padding (ph, pw)::

    out[n, f, h, v] = b[f] + Σ_{c,i,j} w[f, c, i, j] · x_pad[n, c, h·sh + i, v·sw + j]

with Ho = ⌊(H − kh + 2·ph)/sh⌋ + 1 rows (and likewise Wo columns). Its gradients, given
g = ∂L/∂out::

    ∂L/∂w[f, c, i, j] = Σ_{n,h,v} g[n, f, h, v] · x_pad[n, c, h·sh + i, v·sw + j]
    ∂L/∂x_pad[n, c, r, s] = Σ g[n, f, h, v]·w[f, c, i, j]   over (f, h, v, i, j) with h·sh + i = r,
                                                           v·sw + j = s
    ∂L/∂b[f] = Σ_{n,h,v} g[n, f, h, v]

A pool reduces each kh×kw window (stride (sh, sw)) to one number: its maximum (padding −inf, the
gradient going to the window's first maximum, as PyTorch) or its mean (padding 0, counted in the
mean, the gradient shared equally by the kh·kw entries).

:func:`conv2d_reference`, :func:`max_pool2d_reference` and :func:`avg_pool2d_reference` write
these formulas directly on a view of every window (an einsum, a max, a mean); the tests hold the
fast kernels below equal to them.

The optimisation: im2col on a flat, wide grid
---------------------------------------------
im2col: every kh×kw window of the (padded) input becomes one column, so that a convolution is a
matrix product (samples side by side along the columns)::

    out (F × N·positions) = W (F × C·kh·kw) @ cols (C·kh·kw × N·positions).

For speed the columns are cut from each channel laid out *flat*: in a padded image of width Wp,
pixel (r, c) sits at r·Wp + c, so the pixel that kernel offset (i, j) reads for output (h, v) is
``i·Wp + j + h·sh·Wp + v·sw`` (strides sh down, sw across). Letting v run past the last output
column, over a "wide row" of Wq = ⌈sh·Wp/sw⌉ positions (the columns v ≥ Wo are junk, cut off
afterwards), makes the positions read for one offset a plain strided view of the flat image: Ho
wide rows of sh·Wp entries each, read every sw. With equal strides (the usual case) consecutive
wide rows join up and the view is one 1-D strided slice: kh·kw long, contiguous copies instead of
millions of tiny ones. Only the kh·kw kernel offsets are looped over in Python, never the pixels.
The backward pass adds gradients back through the same views.

The batch is processed a few images at a time (:meth:`Geometry.batch_parts`): the columns are
kh·kw times the size of the image, and a part's columns, made and multiplied at once, stay in the
CPU's cache instead of making a round trip through memory. The backward pass cuts the columns
again rather than keeping the forward pass's: from cache that costs less than storing them.

The work arrays (padded images, columns, products) are borrowed from a small cache and reused
from one call to the next: glibc gives big freed blocks back to the OS, and touching a fresh
block again costs a page fault per 4 KiB, which costs more than the arithmetic here. Arrays
handed back to the caller are always fresh; a work array never leaves this module.

The pools loop over the kh·kw offsets of a window: the entries all windows hold at offset (i, j)
are one strided slice of the image, of the output's shape, so the maximum of every window is
the entrywise maximum of kh·kw slices (for 2×2 windows, four slices: about 30 times faster than
reducing a view of the windows, which numpy walks entry by entry). The gradient goes back
through the same slices, to the first slice that holds each window's maximum.
"""
from __future__ import annotations

import threading

import numpy as np

__all__ = ["conv_output_size", "pair_text", "clear_work_arrays", "Geometry",
           "conv2d_forward", "conv2d_dx", "conv2d_dw", "conv2d_db",
           "max_pool_forward", "avg_pool_forward", "max_pool_dx", "avg_pool_dx",
           "conv2d_reference", "max_pool2d_reference", "avg_pool2d_reference"]


def conv_output_size(size: int, kernel: int, stride: int = 1, padding: int = 0) -> int:
    """Output length of a convolution or pooling along one axis: ⌊(W − k + 2p)/s⌋ + 1.

    >>> conv_output_size(32, 3, stride=2, padding=1)
    16
    """
    return (size - kernel + 2 * padding) // stride + 1


def pair_text(pair) -> str:
    """A (height, width) setting as a student writes it: "2" when both are 2, else "(1, 2)"."""
    return str(pair[0]) if pair[0] == pair[1] else f"({pair[0]}, {pair[1]})"


# -------------------------------------------------------------------- reference versions
def _pad(x, padding, fill):
    """x (N, C, H, W) with ph rows and pw columns of ``fill`` on each side (x itself without padding)."""
    ph, pw = padding
    return np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill) if ph or pw else x


def _windows(x, kernel, stride):
    """View (N, C, Ho, Wo, kh, kw) of every window, window (h, v) starting at (h·sh, v·sw)."""
    (sh, sw) = stride
    return np.lib.stride_tricks.sliding_window_view(x, kernel, axis=(2, 3))[:, :, ::sh, ::sw]


def conv2d_reference(x, w, b=None, stride=(1, 1), padding=(0, 0)):
    """out[n, f, h, v] = b[f] + Σ_{c,i,j} w[f, c, i, j] · x_pad[n, c, h·sh + i, v·sw + j], as written.

    >>> x = np.arange(16.0).reshape(1, 1, 4, 4)
    >>> conv2d_reference(x, np.ones((1, 1, 2, 2)), stride=(2, 2))[0, 0]   # sums of 2×2 blocks
    array([[10., 18.],
           [42., 50.]])
    """
    windows = _windows(_pad(x, padding, 0.0), w.shape[2:], stride)
    out = np.einsum("nchvij,fcij->nfhv", windows, w)
    return out if b is None else out + b.reshape(1, -1, 1, 1)


def max_pool2d_reference(x, kernel, stride, padding=(0, 0)):
    """out[n, c, h, v] = max of the window x_pad[n, c, h·sh : h·sh + kh, v·sw : v·sw + kw] (padding −inf)."""
    return _windows(_pad(x, padding, -np.inf), kernel, stride).max(axis=(-2, -1))


def avg_pool2d_reference(x, kernel, stride, padding=(0, 0)):
    """out[n, c, h, v] = mean of the window (padding 0, counted in the mean)."""
    return _windows(_pad(x, padding, 0.0), kernel, stride).mean(axis=(-2, -1))


# -------------------------------------------------------------------- work arrays
_WORK_KEPT = 32   # enough for the work arrays of several conv layers of different shapes
PART_BYTES = 2 << 20  # the im2col columns of one part of the batch: about what stays in cache
_THREAD = threading.local()  # each thread its own work arrays: threads never share one


def _work_arrays() -> dict:
    """This thread's (purpose, geometry, shape, dtype) → array, oldest use first."""
    arrays = getattr(_THREAD, "arrays", None)
    if arrays is None:
        arrays = _THREAD.arrays = {}
    return arrays


def _work(purpose: str, geo: Geometry, shape, dtype) -> np.ndarray:
    """The work array for (purpose, geometry, shape, dtype), zero-filled when first made, reused after.

    Callers rely on the zeros where they never write (padding borders, junk columns), which is
    why the key holds the whole geometry: another one with the same array shape could have its
    borders or junk columns elsewhere.
    """
    arrays, key = _work_arrays(), (purpose, geo.key, tuple(shape), np.dtype(dtype))
    work = arrays.pop(key, None)
    if work is None:
        work = np.zeros(shape, dtype=dtype)
        if len(arrays) >= _WORK_KEPT:
            del arrays[next(iter(arrays))]  # forget the least recently used
    arrays[key] = work  # (re)inserted last: the most recently used
    return work


def clear_work_arrays() -> None:
    """Forget this thread's cached conv2d work arrays (freed once nothing uses them)."""
    _work_arrays().clear()


# -------------------------------------------------------------------- geometry
class Geometry:
    """Sizes of one convolution: padded image Hp×Wp, output Ho×Wo, wide rows of Wq, L = Ho·Wq per image."""

    def __init__(self, x_shape, w_shape, stride, padding):
        _, self.c, self.h, self.w = x_shape
        self.kh, self.kw = w_shape[2:]
        (self.sh, self.sw), (self.ph, self.pw) = stride, padding
        self.key = (self.c, self.h, self.w, self.kh, self.kw, *stride, *padding)
        self.hp, self.wp = self.h + 2 * self.ph, self.w + 2 * self.pw
        self.ho = conv_output_size(self.h, self.kh, self.sh, self.ph)
        self.wo = conv_output_size(self.w, self.kw, self.sw, self.pw)
        self.row = self.sh * self.wp        # flat entries from one output row to the next
        self.wq = -(-self.row // self.sw)   # positions in a wide row: ⌈sh·Wp/sw⌉ ≥ Wo
        self.length = self.ho * self.wq
        self.rows = self.c * self.kh * self.kw  # one row of columns per (channel, kernel offset)
        # the flat buffer must hold the farthest read: the last offset's Ho wide rows
        self.flat = max(self.hp * self.wp, (self.kh - 1) * self.wp + self.kw - 1 + self.ho * self.row)

    def offsets(self):
        """(i, j, i·Wp + j) for each kernel offset."""
        return [(i, j, i * self.wp + j) for i in range(self.kh) for j in range(self.kw)]

    def read(self, flat, offset):
        """The (..., Ho, Wq) view of flat images that kernel offset ``offset`` reads on the wide grid."""
        rows = flat[..., offset:offset + self.ho * self.row].reshape(*flat.shape[:-1], self.ho, self.row)
        return rows[..., ::self.sw]

    def batch_parts(self, n, itemsize):
        """Slices of a batch of n images whose columns take about PART_BYTES each."""
        step = max(1, PART_BYTES // (self.rows * self.length * itemsize))
        return [slice(start, min(start + step, n)) for start in range(0, n, step)]

    def padded_view(self, flat):
        """The (N, C, H, W) images inside a flat (N, C, flat) buffer."""
        image = flat[:, :, :self.hp * self.wp].reshape(-1, self.c, self.hp, self.wp)
        return image[:, :, self.ph:self.ph + self.h, self.pw:self.pw + self.w]

    def wide_view(self, wide):
        """The (N, F, Ho, Wo) outputs inside an (F, N·L) array on the wide grid."""
        return wide.reshape(wide.shape[0], -1, self.ho, self.wq)[..., :self.wo].transpose(1, 0, 2, 3)


def im2col(x, geo: Geometry):
    """Columns (C·kh·kw, N·L): cols[(c, i, j), (n, h, v)] = x_padded[n, c, h·sh + i, v·sw + j]."""
    n = x.shape[0]
    flat = _work("padded", geo, (n, geo.c, geo.flat), x.dtype)  # borders stay zero: the padding
    geo.padded_view(flat)[...] = x
    cols = _work("columns", geo, (geo.rows, n * geo.length), x.dtype)
    by_offset = cols.reshape(geo.c, geo.kh, geo.kw, n, geo.ho, geo.wq)
    by_channel = flat.transpose(1, 0, 2)
    for i, j, offset in geo.offsets():
        by_offset[:, i, j] = geo.read(by_channel, offset)
    return cols


def col2im(dcols, geo: Geometry):
    """The adjoint of :func:`im2col`: each column entry is added back to the pixel it was read from.

    Returns an (N, C, H, W) view of a work array.
    """
    n = dcols.shape[1] // geo.length
    flat = _work("unpadded", geo, (n, geo.c, geo.flat), dcols.dtype)
    flat.fill(0)
    by_offset = dcols.reshape(geo.c, geo.kh, geo.kw, n, geo.ho, geo.wq)
    by_channel = flat.transpose(1, 0, 2)
    for i, j, offset in geo.offsets():
        target = geo.read(by_channel, offset)
        target += by_offset[:, i, j]  # a view of flat: the sum lands in the images
    return geo.padded_view(flat)


def _wide(out, geo: Geometry):
    """(N, F, Ho, Wo) → (F, N·L) on the wide grid, junk columns zero (so they add nothing)."""
    work = _work("wide", geo, (out.shape[1], out.shape[0] * geo.length), out.dtype)  # junk stays zero
    geo.wide_view(work)[...] = out
    return work


# -------------------------------------------------------------------- conv2d
# k = ((sh, sw), (ph, pw)): stride and padding, each (down, across)
def conv2d_forward(x, w, *b_k):
    """out[n, f] = Σ_{c,i,j} w[f, c, i, j] · x_padded[n, c, h·sh + i, v·sw + j] (+ b[f])."""
    *b, k = b_k
    geo, f = Geometry(x.shape, w.shape, *k), w.shape[0]
    weights = w.reshape(f, -1)
    dtype = np.result_type(x, w)
    out = np.empty((x.shape[0], f, geo.ho, geo.wo), dtype=np.result_type(dtype, *b))
    for part in geo.batch_parts(x.shape[0], x.itemsize):
        cols = im2col(x[part], geo)
        product = _work("product", geo, (f, cols.shape[1]), dtype)
        np.matmul(weights, cols, out=product)
        if b:
            np.add(geo.wide_view(product), b[0].reshape(1, f, 1, 1), out=out[part])
        else:
            out[part] = geo.wide_view(product)
    return out


def conv2d_dx(g, x, w, *rest):
    """∂L/∂x: each output gradient flows back through the weights to the pixels of its window.

    dcols (C·kh·kw × N·L) = Wᵀ @ g_wide, then col2im adds each column back to its pixels.
    """
    geo, f = Geometry(x.shape, w.shape, *rest[-1]), w.shape[0]
    weights_t = w.reshape(f, -1).T
    dx = np.empty(x.shape, dtype=np.result_type(w, g))
    for part in geo.batch_parts(x.shape[0], x.itemsize):
        g_wide = _wide(g[part], geo)
        dcols = _work("dcols", geo, (geo.rows, g_wide.shape[1]), dx.dtype)
        np.matmul(weights_t, g_wide, out=dcols)
        dx[part] = col2im(dcols, geo)
    return dx


def conv2d_dw(g, x, w, *rest):
    """∂L/∂w[f, c, i, j] = Σ_{n,h,v} g[n, f, h, v] · x_padded[n, c, h·sh + i, v·sw + j] = Σ g_wide @ colsᵀ.

    Computed as (Σ cols @ g_wideᵀ)ᵀ, the same product transposed: with numpy's OpenBLAS it runs
    about a quarter faster on these shapes (a long inner axis, a small result).
    """
    geo, f = Geometry(x.shape, w.shape, *rest[-1]), w.shape[0]
    dw_t = np.zeros((geo.rows, f), dtype=np.result_type(g, x))
    for part in geo.batch_parts(x.shape[0], x.itemsize):
        dw_t += im2col(x[part], geo) @ _wide(g[part], geo).T
    return np.ascontiguousarray(dw_t.T).reshape(w.shape)


def conv2d_db(g, *rest):
    """∂L/∂b[f] = Σ_{n,h,v} g[n, f, h, v], summed over the batch first (three times faster than
    g.sum(axis=(0, 2, 3)), which strides through every image for each filter)."""
    return g.sum(axis=0).reshape(g.shape[1], -1).sum(axis=1)


# -------------------------------------------------------------------- pooling
# k = ((kh, kw), (sh, sw), (ph, pw)): window, stride and padding, each (down, across).
# The entries that the windows hold at one offset (i, j) form a strided slice of the padded image,
# of the output's shape: the kernels loop over the kh·kw offsets, never over windows or pixels.
def _at_offset(padded, i, j, stride, out_shape):
    """The (N, C, Ho, Wo) view of what each window holds at offset (i, j): padded[..., h·sh + i, v·sw + j]."""
    (sh, sw), (ho, wo) = stride, out_shape[2:]
    return padded[:, :, i:i + sh * (ho - 1) + 1:sh, j:j + sw * (wo - 1) + 1:sw]


def _pool_shape(x, k):
    (kh, kw), (sh, sw), (ph, pw) = k
    return (*x.shape[:2], conv_output_size(x.shape[2], kh, sh, ph), conv_output_size(x.shape[3], kw, sw, pw))


def _combine_offsets(x, k, fill, combine):
    """combine(…combine(s₀₀, s₀₁)…, s_last) over the offsets' slices s_ij of x padded with ``fill``."""
    kernel, stride, padding = k
    padded, shape = _pad(x, padding, fill), _pool_shape(x, k)
    out = None
    for i, j in np.ndindex(*kernel):
        entries = _at_offset(padded, i, j, stride, shape)
        out = entries.copy() if out is None else combine(out, entries, out=out)
    return out


def max_pool_forward(x, k):
    """The maximum of each window, as the entrywise maximum of the kh·kw offsets' slices
    (a NaN in a window gives NaN, as np.max and PyTorch)."""
    return _combine_offsets(x, k, -np.inf, np.maximum)


def avg_pool_forward(x, k):
    """The mean of each window: the sum of the kh·kw offsets' slices over kh·kw."""
    (kh, kw) = k[0]
    out = _combine_offsets(x, k, 0.0, np.add)
    out /= kh * kw
    return out


def max_pool_dx(g, x, out, k):
    """The gradient of each window goes to its first maximum (offsets in row-major order), as in
    PyTorch; to its first NaN if it holds one."""
    kernel, stride, padding = k
    padded = _pad(x, padding, -np.inf)
    dx = np.zeros(padded.shape, dtype=g.dtype)
    has_nan = np.isnan(out).any()
    taken = np.zeros(out.shape, dtype=bool)  # the windows whose maximum is already found
    disjoint = stride[0] >= kernel[0] and stride[1] >= kernel[1]
    for i, j in np.ndindex(*kernel):
        entries = _at_offset(padded, i, j, stride, out.shape)
        hit = (entries == out) | np.isnan(entries) if has_nan else entries == out
        hit &= ~taken
        taken |= hit
        target = _at_offset(dx, i, j, stride, out.shape)
        if disjoint:  # windows do not overlap: each pixel gets at most one window's gradient
            np.multiply(g, hit, out=target)
        else:
            target += g * hit
    return dx[:, :, padding[0]:padding[0] + x.shape[2], padding[1]:padding[1] + x.shape[3]]


def avg_pool_dx(g, x, out, k):
    """Each entry of a window gets 1/(kh·kw) of the window's gradient (padding counts, as PyTorch's
    default)."""
    (kh, kw), stride, (ph, pw) = k
    share = g / (kh * kw)
    dx = np.zeros((*x.shape[:2], x.shape[2] + 2 * ph, x.shape[3] + 2 * pw), dtype=g.dtype)
    for i, j in np.ndindex(kh, kw):
        target = _at_offset(dx, i, j, stride, out.shape)
        target += share
    return dx[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]]
