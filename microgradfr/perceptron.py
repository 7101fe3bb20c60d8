"""Rosenblatt's perceptron, written as the course writes it (« Algorithme du perceptron »).

One neuron, a Heaviside step with a threshold, and a rule that learns only from its mistakes::

    ŷ = 1 if w·x + b > threshold else 0
    if ŷ != y:   w ← w + lr·(y − ŷ)·x     b ← b + lr·(y − ŷ)

It finds a separating line whenever the two classes are linearly separable (AND, OR), and never
stops making mistakes when they are not (XOR): that limit is what motivates multi-layer networks.
"""

from __future__ import annotations

import warnings
from typing import NamedTuple

import numpy as np

from . import i18n

__all__ = ["Perceptron", "ConvergenceWarning", "EpochRecord"]


class ConvergenceWarning(UserWarning):
    """Training stopped before the model fitted the data (for a perceptron: mistakes in every epoch)."""


class EpochRecord(NamedTuple):
    """What one epoch of :meth:`Perceptron.fit` did: its number (from 1), its mistakes, w and b after it."""

    epoch: int
    errors: int
    coef: np.ndarray
    bias: float


class Perceptron:
    """A single-neuron binary classifier trained with Rosenblatt's rule (labels 0 and 1).

    Parameters (names as in the course): ``lr`` the learning rate, ``threshold`` the step's threshold,
    ``epochs`` the most passes over the data, ``init`` "zeros" or "random" (small Gaussian values,
    σ = 0.01) for the starting weights and bias, ``seed`` for the visiting order and the random init,
    ``shuffle`` to visit the samples in a new random order every epoch (else in the given order),
    ``verbose`` to print one line per epoch, in ``lang`` (``"fr"`` or ``"en"``; default: the language
    switch, :func:`microgradfr.set_language`, French unless set).

    After :meth:`fit`: ``coef_`` (w), ``bias_`` (b), ``history_`` (one :class:`EpochRecord` per epoch),
    ``converged_`` (an epoch went by without a mistake, and training stopped there), ``n_epochs_``.

    >>> from microgradfr.data import logic_gate
    >>> X, y = logic_gate("and")
    >>> model = Perceptron(lr=0.2, threshold=0.5, shuffle=False).fit(X, y)
    >>> model.coef_.tolist(), round(model.bias_, 2), model.converged_, model.n_epochs_
    ([0.2, 0.2], 0.2, True, 2)
    >>> model.predict(X).tolist()
    [0, 0, 0, 1]
    """

    def __init__(self, lr=0.2, threshold=0.5, epochs=20, init="zeros", seed=None, shuffle=True, verbose=False,
                 lang=None):
        if isinstance(lr, bool) or not isinstance(lr, (int, float, np.integer, np.floating)) or not lr > 0:
            raise ValueError(i18n.message("perceptron.lr", value=lr))
        if isinstance(threshold, bool) or not isinstance(threshold, (int, float, np.integer, np.floating)):
            raise ValueError(i18n.message("perceptron.threshold", value=threshold))
        if isinstance(epochs, bool) or not isinstance(epochs, (int, np.integer)) or epochs < 1:
            raise ValueError(i18n.message("perceptron.epochs", value=epochs))
        if init not in ("zeros", "random"):
            raise ValueError(i18n.message("perceptron.init", value=init))
        if lang is not None:
            i18n.resolve(lang)  # a wrong language is refused now, not at the first printed line
        self.lr = float(lr)
        self.threshold = float(threshold)
        self.epochs = int(epochs)
        self.init = init
        self.seed = seed
        self.shuffle = shuffle
        self.verbose = verbose
        self.lang = lang

    def __repr__(self):
        return (f"Perceptron(lr={self.lr}, threshold={self.threshold}, epochs={self.epochs}, "
                f"init={self.init!r}, seed={self.seed!r})")

    # ------------------------------------------------------------ training

    def fit(self, X, y):
        """Learn w and b from (X, y), y in {0, 1}; returns self.

        Each epoch visits every sample once (in a random order when ``shuffle``) and corrects w, b on
        each mistake only. It stops after the first epoch without a mistake, or after ``epochs``
        epochs — then warns with :class:`ConvergenceWarning`: the data is probably not linearly
        separable.
        """
        X, y = self._check_Xy(X, y)
        rng = np.random.default_rng(self.seed)
        if self.init == "zeros":
            self.coef_ = np.zeros(X.shape[1])
            self.bias_ = 0.0
        else:
            self.coef_ = rng.normal(scale=0.01, size=X.shape[1])
            self.bias_ = float(rng.normal(scale=0.01))
        self.history_ = []
        self.converged_ = False
        for epoch in range(1, self.epochs + 1):
            order = rng.permutation(len(y)) if self.shuffle else range(len(y))
            errors = sum(self._learn_one(X[i], y[i]) for i in order)
            self.history_.append(EpochRecord(epoch, errors, self.coef_.copy(), self.bias_))
            if self.verbose:
                coef = np.round(self.coef_, 4) + 0.0  # + 0.0 turns -0. into 0.
                print(i18n.message("perceptron.epoch", self.lang, epoch=epoch, epochs=self.epochs,
                                   errors=errors, coef=coef, bias=self.bias_))
            if errors == 0:
                self.converged_ = True
                break
        self.n_epochs_ = len(self.history_)
        if not self.converged_:
            warnings.warn(i18n.message("perceptron.not_converged", self.lang, errors=errors,
                                       epochs=self.epochs), ConvergenceWarning, stacklevel=2)
        return self

    def _learn_one(self, x, target) -> int:
        """Rosenblatt's rule on one sample; 1 if it was a mistake (and w, b moved), else 0."""
        error = int(target) - int(self._step(x @ self.coef_ + self.bias_))
        if error == 0:
            return 0
        self.coef_ += self.lr * error * x
        self.bias_ += self.lr * error
        return 1

    def _step(self, value):
        """Heaviside step with threshold: 1 where value > threshold, else 0."""
        return (np.asarray(value) > self.threshold).astype(np.int64)

    # ------------------------------------------------------------ using the model

    def decision_function(self, X):
        """w·x + b for each row of X (the value the threshold is compared with)."""
        X = self._check_X(X)
        return X @ self.coef_ + self.bias_

    def predict(self, X):
        """ŷ = 1 where w·x + b > threshold, else 0, for each row of X."""
        return self._step(self.decision_function(X))

    def score(self, X, y):
        """Accuracy: the fraction of rows of X whose prediction equals y."""
        X, y = self._check_Xy(X, y, fitting=False)
        return float(np.mean(self.predict(X) == y))

    # ------------------------------------------------------------ argument checks

    def _check_X(self, X):
        if not hasattr(self, "coef_"):
            raise ValueError(i18n.message("perceptron.not_fitted"))
        X = np.asarray(X, dtype=np.float64)
        if X.ndim != 2 or X.shape[1] != len(self.coef_):
            raise ValueError(i18n.message("perceptron.features", shape=X.shape, features=len(self.coef_)))
        return X

    def _check_Xy(self, X, y, fitting=True):
        X = np.asarray(X, dtype=np.float64) if fitting else self._check_X(X)
        y = np.asarray(y)
        if X.ndim != 2:
            raise ValueError(i18n.message("perceptron.not_2d", shape=X.shape))
        if y.shape != (len(X),):
            raise ValueError(i18n.message("perceptron.labels_per_row", rows=len(X), shape=y.shape))
        if len(y) == 0:
            raise ValueError(i18n.message("perceptron.empty"))
        if not np.isin(y, (0, 1)).all():
            raise ValueError(i18n.message("perceptron.labels", labels=sorted(set(np.unique(y).tolist()))))
        return X, y.astype(np.int64)
