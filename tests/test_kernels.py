"""The fast conv/pool kernels the op table uses, against their plain reference versions.

The references (kernels/conv.py) write the formulas on a view of every window; the gradients
here are written straight from the same formulas, window by window. Shapes, strides and padding
are drawn independently down and across, so rectangular images, kernels, strides and padding
all occur, as do strides larger than the kernel and outputs of a single row.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from microgradfr.kernels import conv
from microgradfr.ops import ARRAY, OPS

CONV2D, MAX_POOL, AVG_POOL = OPS["conv2d"], OPS["max_pool2d"], OPS["avg_pool2d"]


@st.composite
def conv_cases(draw):
    """(x, w, b, stride, padding) with every size drawn on its own per axis."""
    n, c, f = draw(st.integers(1, 3)), draw(st.integers(1, 3)), draw(st.integers(1, 4))
    padding = (draw(st.integers(0, 2)), draw(st.integers(0, 2)))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    kernel = (draw(st.integers(1, min(4, h + 2 * padding[0]))),
              draw(st.integers(1, min(4, w + 2 * padding[1]))))
    stride = (draw(st.integers(1, 3)), draw(st.integers(1, 3)))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    x, wt, b = (rng.standard_normal(s).astype(dtype) for s in ((n, c, h, w), (f, c, *kernel), (f,)))
    return x, wt, b, stride, padding


@st.composite
def pool_cases(draw):
    """(x, k) for a pool: window, stride and padding drawn per axis, padding ≤ half the window;
    windows that overlap, that touch, and that skip entries."""
    n, c = draw(st.integers(1, 3)), draw(st.integers(1, 3))
    h, w = draw(st.integers(1, 9)), draw(st.integers(1, 9))
    kernel = (draw(st.integers(1, min(4, h))), draw(st.integers(1, min(4, w))))
    stride = draw(st.one_of(st.just(kernel), st.tuples(st.integers(1, 4), st.integers(1, 4))))
    padding = (draw(st.integers(0, kernel[0] // 2)), draw(st.integers(0, kernel[1] // 2)))
    dtype = draw(st.sampled_from([np.float64, np.float32]))
    rng = np.random.default_rng(draw(st.integers(0, 2**32 - 1)))
    # small integers: windows often hold ties, which must go to the first maximum
    x = rng.integers(-3, 4, (n, c, h, w)).astype(dtype) if draw(st.booleans()) else \
        rng.standard_normal((n, c, h, w)).astype(dtype)
    if draw(st.booleans()):  # a NaN: its windows give NaN, and their gradient goes to it
        x[tuple(draw(st.integers(0, size - 1)) for size in x.shape)] = np.nan
    return x, (kernel, stride, padding)


def _tol(dtype):
    return {"rtol": 1e-4, "atol": 1e-4} if dtype == np.float32 else {"rtol": 1e-10, "atol": 1e-10}


def _reference_dx(g, x, w, stride, padding):
    """∂L/∂x_pad[n, c, h·sh + i, v·sw + j] += Σ_f g[n, f, h, v] · w[f, c, i, j], one offset (i, j)
    at a time."""
    (sh, sw), (ph, pw) = stride, padding
    _, _, ho, wo = g.shape
    dx = np.zeros((x.shape[0], x.shape[1], x.shape[2] + 2 * ph, x.shape[3] + 2 * pw))
    for i in range(w.shape[2]):
        for j in range(w.shape[3]):
            dx[:, :, i:i + sh * (ho - 1) + 1:sh, j:j + sw * (wo - 1) + 1:sw] += \
                np.einsum("nfhv,fc->nchv", g, w[:, :, i, j])
    return dx[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]]


def _reference_dw(g, x, w, stride, padding):
    """∂L/∂w[f, c, i, j] = Σ_{n,h,v} g[n, f, h, v] · x_pad[n, c, h·sh + i, v·sw + j]."""
    windows = conv._windows(conv._pad(x, padding, 0.0), w.shape[2:], stride)
    return np.einsum("nchvij,nfhv->fcij", windows, g)


@given(conv_cases())
def test_conv2d_kernels_match_the_reference(case):
    x, w, b, stride, padding = case
    k = (stride, padding)
    ref = conv.conv2d_reference(x, w, b, stride, padding)
    out = CONV2D.forward(ARRAY, x, w, b, k)
    assert out.dtype == x.dtype and out.shape == ref.shape
    np.testing.assert_allclose(out, ref, **_tol(x.dtype))
    np.testing.assert_allclose(CONV2D.forward(ARRAY, x, w, k), ref - b.reshape(1, -1, 1, 1), **_tol(x.dtype))
    g = np.random.default_rng(1).standard_normal(out.shape).astype(x.dtype)
    dx, dw, db = (rule(g, x, w, b, out, k) for rule in CONV2D.vjp)
    assert dx.dtype == dw.dtype == db.dtype == x.dtype
    np.testing.assert_allclose(dx, _reference_dx(g, x, w, stride, padding), **_tol(x.dtype))
    np.testing.assert_allclose(dw, _reference_dw(g, x, w, stride, padding), **_tol(x.dtype))
    np.testing.assert_allclose(db, g.sum(axis=(0, 2, 3)), **_tol(x.dtype))


def test_conv2d_reference_is_the_formula_pixel_by_pixel():
    """The reference itself against the sum written out for one output pixel."""
    rng = np.random.default_rng(0)
    x, w, b = rng.standard_normal((2, 3, 7, 6)), rng.standard_normal((4, 3, 3, 2)), rng.standard_normal(4)
    (sh, sw), (ph, pw) = (2, 1), (1, 2)
    out = conv.conv2d_reference(x, w, b, (sh, sw), (ph, pw))
    assert out.shape == (2, 4, conv.conv_output_size(7, 3, sh, ph), conv.conv_output_size(6, 2, sw, pw))
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)))
    n, f, h, v = 1, 2, 3, 4
    by_hand = b[f] + sum(w[f, c, i, j] * x_pad[n, c, h * sh + i, v * sw + j]
                         for c in range(3) for i in range(3) for j in range(2))
    assert out[n, f, h, v] == pytest.approx(by_hand, rel=1e-12)


def _pool_reference_dx(g, x, k, share):
    """Window by window: ``share(window)`` says what each entry of the (padded) window receives."""
    (kh, kw), (sh, sw), (ph, pw) = k
    fill = -np.inf if share is _to_first_max else 0.0
    x_pad = np.pad(x, ((0, 0), (0, 0), (ph, ph), (pw, pw)), constant_values=fill)
    dx = np.zeros(x_pad.shape)
    for n, c, h, v in np.ndindex(g.shape):
        rows, cols = slice(h * sh, h * sh + kh), slice(v * sw, v * sw + kw)
        dx[n, c, rows, cols] += g[n, c, h, v] * share(x_pad[n, c, rows, cols])
    return dx[:, :, ph:ph + x.shape[2], pw:pw + x.shape[3]]


def _to_first_max(window):
    mask = np.zeros(window.shape)
    mask[np.unravel_index(np.argmax(window), window.shape)] = 1.0
    return mask


def _to_all(window):
    return np.full(window.shape, 1.0 / window.size)


@given(pool_cases())
def test_max_pool_kernels_match_the_reference(case):
    x, k = case
    ref = conv.max_pool2d_reference(x, *k)
    out = MAX_POOL.forward(ARRAY, x, k)
    assert out.dtype == x.dtype
    np.testing.assert_array_equal(out, ref)
    g = np.random.default_rng(2).standard_normal(out.shape).astype(x.dtype)
    (dx,) = (rule(g, x, out, k) for rule in MAX_POOL.vjp)
    assert dx.dtype == x.dtype and dx.shape == x.shape
    np.testing.assert_allclose(dx, _pool_reference_dx(g, x, k, _to_first_max), **_tol(x.dtype))


@given(pool_cases())
def test_avg_pool_kernels_match_the_reference(case):
    x, k = case
    ref = conv.avg_pool2d_reference(x, *k)
    out = AVG_POOL.forward(ARRAY, x, k)
    assert out.dtype == x.dtype
    np.testing.assert_allclose(out, ref, **_tol(x.dtype))
    g = np.random.default_rng(3).standard_normal(out.shape).astype(x.dtype)
    (dx,) = (rule(g, x, out, k) for rule in AVG_POOL.vjp)
    assert dx.dtype == x.dtype and dx.shape == x.shape
    np.testing.assert_allclose(dx, _pool_reference_dx(g, x, k, _to_all), **_tol(x.dtype))
