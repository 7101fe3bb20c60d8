"""The numerics of the whole-array ops, apart from the op table that calls them.

The table (:mod:`microgradfr.ops`) says *what* an op computes and what its gradient rules are;
these modules say *how*, fast enough to train on MNIST with numpy alone:

- :mod:`~microgradfr.kernels.elementwise`: the ``xp`` namespaces the elementwise rules compute
  with (``SCALAR`` on Python floats, ``ARRAY`` on numpy arrays), stable sigmoid and softplus, the
  derivatives of x^y and the fused weighted sum;
- :mod:`~microgradfr.kernels.arrays`: the adjoints of matmul, F.linear, the reductions and indexing;
- :mod:`~microgradfr.kernels.conv`: conv2d and the pools (sizes, im2col/col2im, work arrays),
  with plain reference versions that the tests hold the fast ones equal to;
- :mod:`~microgradfr.kernels.norm`: batch normalisation;
- :mod:`~microgradfr.kernels.losses`: softmax, log-softmax, cross-entropy, binary cross-entropy.

Each module's docstring states the math first, then the optimisation. Kernels take and return
plain floats or ndarrays (never Values or Tensors) and import nothing from the rest of the package.
"""
