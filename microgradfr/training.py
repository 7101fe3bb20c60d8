"""A training loop with a progress bar, its history, early stopping, and L1/L2 penalties.

One function, :func:`fit`, trains a scalar model (an :class:`~microgradfr.nn.MLP` of Values, called
on one sample at a time) or a Tensor model (called on a mini-batch array at once). Each step is the
four lines every PyTorch loop has::

    optimizer.zero_grad()
    loss = mean of loss_fn(model(x), y) over the batch (+ penalty(model))
    loss.backward()
    optimizer.step()

>>> from microgradfr import manual_seed
>>> from microgradfr.nn import MLP
>>> from microgradfr.optim import SGD
>>> manual_seed(0)
>>> model = MLP(2, [4, 1], activation="tanh")
>>> X, y = [[0, 0], [0, 1], [1, 0], [1, 1]], [-1, 1, 1, -1]          # XOR with labels ±1
>>> history = fit(model, lambda out, t: (out - t) ** 2, SGD(model.parameters(), lr=0.1, momentum=0.9),
...               (X, y), epochs=200, verbose=False)
>>> history["loss"][-1] < 0.05, history["accuracy"][-1]
(True, 1.0)
"""
from __future__ import annotations

import math
import numbers
import warnings

import numpy as np

from . import i18n
from .autograd import is_node, is_scalar, no_grad
from .engine import Value  # noqa: F401  (the doctests below use it)
from .optim import LRScheduler
from .random import generator
from .tensor import Tensor

__all__ = ["fit", "evaluate", "History", "Callback", "EarlyStopping", "accuracy", "l1_penalty", "l2_penalty"]

# Every text fit's progress bar and History.plot show is in the message catalogue (microgradfr.i18n):
# fit.desc (the epoch under way), fit.unit (what the bar counts), plot.* and metric.* (axes, legends).


# ---------------------------------------------------------------- penalties


def _param_list(params) -> list:
    """Parameters from a Module (its ``parameters()``), a single node, or an iterable of nodes."""
    if hasattr(params, "parameters") and callable(params.parameters):
        return list(params.parameters())
    if is_node(params):
        return [params]
    return list(params)


def _total(terms, fn: str):
    """Σ of nodes (a Tensor term is summed over its entries first)."""
    total = None
    for term in terms:
        if not is_scalar(term):
            term = term.sum()
        total = term if total is None else total + term
    if total is None:
        raise ValueError(i18n.message("penalty.no_parameters", fn=fn))
    return total


def l2_penalty(params):
    """The squared L2 norm of the parameters, a node to add to the loss: Σ w².

    Its gradient is 2w, so adding ``lam * l2_penalty(params)`` to the loss and stepping with SGD is
    SGD's ``weight_decay = 2·lam``. Usually given only the weights, not the biases.

    >>> a, b = Value(3.0), Value(-4.0)
    >>> p = l2_penalty([a, b]); p.backward()
    >>> p.data, a.grad, b.grad
    (25.0, 6.0, -8.0)
    """
    return _total((p * p for p in _param_list(params)), "l2_penalty")


def l1_penalty(params):
    """The L1 norm of the parameters, a node to add to the loss: Σ |w| (it pushes weights to exactly 0).

    >>> a, b = Value(3.0), Value(-4.0)
    >>> p = l1_penalty([a, b]); p.backward()
    >>> p.data, a.grad, b.grad
    (7.0, 1.0, -1.0)
    """
    return _total((p.abs() for p in _param_list(params)), "l1_penalty")


# ---------------------------------------------------------------- metrics


def accuracy(predictions, targets) -> float:
    """The fraction of correct predictions, from raw model outputs.

    - several outputs per sample (n, C): the class is the argmax;
    - one output per sample and labels 0/1: the class is 1 when the output is > 0.5 (a sigmoid output,
      or a regression on the labels); labels −1/+1: the sign of the output.

    For logits trained with a "with logits" loss, compare with 0 yourself (pass a function as a metric).

    >>> accuracy(np.array([0.9, 0.2, 0.7]), np.array([1, 0, 0]))
    0.6666666666666666
    >>> accuracy(np.array([[2.0, 1.0], [0.0, 3.0]]), np.array([0, 1]))
    1.0
    """
    predictions, targets = np.asarray(predictions, dtype=float), np.asarray(targets)
    if predictions.ndim == 2 and predictions.shape[1] > 1:
        guessed = predictions.argmax(axis=1)
    else:
        predictions = predictions.reshape(len(targets))
        if np.any(targets < 0):
            guessed = np.where(predictions > 0, 1, -1)
        else:
            guessed = (predictions > 0.5).astype(int)
    return float(np.mean(guessed == targets.reshape(len(guessed))))


METRICS = {"accuracy": accuracy}


def _metric_functions(metrics) -> dict:
    if isinstance(metrics, dict):
        return dict(metrics)
    if isinstance(metrics, str) or callable(metrics):
        metrics = (metrics,)
    out = {}
    for m in metrics:
        if callable(m):
            out[getattr(m, "__name__", "metric")] = m
        elif m in METRICS:
            out[m] = METRICS[m]
        else:
            raise ValueError(i18n.message("fit.unknown_metric", metric=m, choices=sorted(METRICS)))
    return out


# ---------------------------------------------------------------- history and callbacks


class History:
    """What :func:`fit` recorded: ``history["loss"]`` is the list of per-epoch training losses.

    Keys: ``loss`` and each metric (on the training batches, as the epoch went), ``val_loss`` and
    ``val_<metric>`` with validation data, ``lr``. ``epochs`` numbers the epochs from 1;
    ``stopped_epoch`` is the epoch a callback stopped training at (None if it ran to the end).
    """

    def __init__(self):
        self.history = {}
        self.epochs = []
        self.stopped_epoch = None

    def append(self, epoch: int, logs: dict) -> None:
        self.epochs.append(epoch)
        for key, value in logs.items():
            self.history.setdefault(key, []).append(value)

    def __getitem__(self, key):
        if key not in self.history:
            raise KeyError(i18n.message("history.missing", name=key, keys=sorted(self.history)))
        return self.history[key]

    def __contains__(self, key):
        return key in self.history

    def keys(self):
        return self.history.keys()

    def __len__(self):
        return len(self.epochs)

    def __repr__(self):
        last = ", ".join(f"{k}={v[-1]:.4g}" for k, v in self.history.items()) if self.epochs else "empty"
        return f"History({len(self.epochs)} epochs: {last})"

    def plot(self, keys=None, ax=None, lang=None):
        """Draw the curves per epoch with matplotlib: losses on the left, metrics on the right.

        ``keys`` chooses the curves (all but ``lr`` by default); ``ax`` draws everything on one given
        axes. Axes and legends are in ``lang`` (default: the language switch, French unless set):
        ``val_loss`` reads « perte (validation) ». Returns the list of axes drawn on (not the figure,
        which a notebook would show twice).
        """
        lang = i18n.resolve(lang)
        try:
            import matplotlib.pyplot as plt
            from matplotlib.ticker import MaxNLocator
        except ImportError as error:
            raise ImportError(i18n.message("plot.needs_matplotlib", lang)) from error
        keys = [k for k in self.history if k != "lr"] if keys is None else list(keys)
        for k in keys:
            self[k]  # a KeyError naming what exists
        losses = [k for k in keys if k.endswith("loss")]
        others = [k for k in keys if not k.endswith("loss")]
        if ax is not None:
            groups = [(ax, keys)]
        else:
            n = (1 if losses else 0) + (1 if others else 0)
            _, axes = plt.subplots(1, max(n, 1), figsize=(5 * max(n, 1), 3.5), squeeze=False)
            groups = list(zip(axes[0], [g for g in (losses, others) if g]))
        for axis, group in groups:
            for k in group:
                axis.plot(self.epochs, self.history[k], label=i18n.metric_label(k, lang),
                          linestyle="--" if k.startswith("val_") else "-")
            axis.set_xlabel(i18n.message("plot.epoch", lang))
            axis.xaxis.set_major_locator(MaxNLocator(integer=True))  # epochs are whole: no tick at 2.5
            if ax is None:
                axis.set_ylabel(i18n.message("plot.losses" if group is losses else "plot.metrics", lang))
            axis.legend()
            axis.grid(alpha=0.3)
        return [axis for axis, _ in groups]


class Callback:
    """Hooks :func:`fit` calls; override the ones you need. ``on_epoch_end`` returns True to stop.

    Plain functions ``f(epoch, logs)`` work as callbacks too (a true result stops training), and so do
    learning-rate schedulers (their ``step()`` runs at the end of each epoch).
    """

    def on_train_begin(self, model, optimizer, history) -> None:
        pass

    def on_epoch_end(self, epoch: int, logs: dict, model):
        return None

    def on_train_end(self, model) -> None:
        pass


def _tensors_of(model) -> list:
    """The model's parameters and buffers (BatchNorm statistics), whose data a snapshot copies."""
    nodes = list(model.parameters())
    named_buffers = getattr(model, "named_buffers", None)
    if callable(named_buffers):
        nodes += [b for _, b in named_buffers()]
    return nodes


def _snapshot(model) -> list:
    return [np.array(getattr(n, "data", n), copy=True) for n in _tensors_of(model)]


def _restore(model, snapshot) -> None:
    for node, saved in zip(_tensors_of(model), snapshot):
        if isinstance(node, np.ndarray):
            node[...] = saved
        elif isinstance(node.data, np.ndarray):
            node.data[...] = saved
        else:
            node.data = float(saved)


class EarlyStopping(Callback):
    """Stop when ``monitor`` has not improved for ``patience`` epochs; then put back the best weights.

    Improving means going below the best value by more than ``min_delta`` (above, for an accuracy:
    ``mode="auto"`` picks "max" when the name contains "acc", else "min"). With ``restore_best``, the
    parameters (and buffers) of the best epoch are copied aside and restored at the end of training.
    After training: ``best``, ``best_epoch``, ``stopped_epoch`` (None if it never stopped training).
    """

    def __init__(self, monitor="val_loss", patience=5, min_delta=0.0, restore_best=True, mode="auto"):
        if isinstance(patience, bool) or not isinstance(patience, numbers.Integral) or patience < 0:
            raise ValueError(i18n.message("early.patience", value=patience))
        if isinstance(min_delta, bool) or not isinstance(min_delta, numbers.Real) or min_delta < 0:
            raise ValueError(i18n.message("early.min_delta", value=min_delta))
        if mode == "auto":
            mode = "max" if "acc" in monitor else "min"
        if mode not in ("min", "max"):
            raise ValueError(i18n.message("early.mode", value=mode))
        self.monitor, self.patience, self.min_delta = monitor, int(patience), float(min_delta)
        self.restore_best, self.mode = restore_best, mode

    def on_train_begin(self, model, optimizer, history):
        self.best, self.best_epoch, self.stopped_epoch = None, None, None
        self.wait, self._weights = 0, None

    def _improved(self, value) -> bool:
        if self.best is None:
            return True
        if self.mode == "min":
            return value < self.best - self.min_delta
        return value > self.best + self.min_delta

    def on_epoch_end(self, epoch, logs, model):
        if self.monitor not in logs:
            hint = i18n.message("early.val_hint") if self.monitor.startswith("val_") else ""
            raise ValueError(i18n.message("early.monitor", monitor=self.monitor, keys=sorted(logs),
                                          hint=hint))
        value = logs[self.monitor]
        if self._improved(value):
            self.best, self.best_epoch, self.wait = value, epoch, 0
            if self.restore_best:
                self._weights = _snapshot(model)
            return False
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = epoch
            return True
        return False

    def on_train_end(self, model):
        if self.restore_best and self._weights is not None:
            _restore(model, self._weights)

    def __repr__(self):
        return (f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, "
                f"min_delta={self.min_delta}, restore_best={self.restore_best})")


# ---------------------------------------------------------------- callbacks behind one interface


class _SchedulerCallback(Callback):
    """A learning-rate scheduler: its ``step()`` runs at the end of each epoch."""

    def __init__(self, scheduler):
        self.scheduler = scheduler

    def on_epoch_end(self, epoch, logs, model):
        self.scheduler.step()


class _FunctionCallback(Callback):
    """A function ``f(epoch, logs)``: a true result stops training."""

    def __init__(self, fn):
        self.fn = fn

    def on_epoch_end(self, epoch, logs, model):
        return self.fn(epoch, logs)


def _as_callback(cb, i: int) -> Callback:
    """Every callback behind the :class:`Callback` hooks, so that the loop calls them all alike."""
    if isinstance(cb, Callback):
        return cb
    if isinstance(cb, LRScheduler):
        return _SchedulerCallback(cb)
    if callable(cb):
        return _FunctionCallback(cb)
    raise TypeError(i18n.message("fit.bad_callback", index=i, type=type(cb).__name__))


def _epoch_end(callbacks, epoch, logs, model) -> bool:
    """Call every callback's ``on_epoch_end`` (all of them, even after one asks to stop); True to stop."""
    stop = False
    for cb in callbacks:
        stop = bool(cb.on_epoch_end(epoch, logs, model)) or stop
    return stop


# ---------------------------------------------------------------- data and batches


def _model_dtype(model):
    """The dtype the model computes in: float64 for Values, its parameters' dtype for Tensors."""
    params = list(model.parameters())
    if not params:
        raise ValueError(i18n.message("fit.no_parameters", model=type(model).__name__))
    if all(is_scalar(p) for p in params):
        return None
    return np.result_type(*[p.data for p in params])


def _as_arrays(data, name: str, dtype=None):
    """(X, y) as arrays: X in the model's dtype (float64 for a scalar model), float targets too;
    class indices stay integers. A float32 model trains on float32 data, as in PyTorch."""
    if not isinstance(data, (tuple, list)) or len(data) != 2:
        raise TypeError(i18n.message("fit.not_a_pair", name=name, type=type(data).__name__))
    X, y = np.asarray(data[0], dtype=dtype or np.float64), np.asarray(data[1])
    if dtype is not None and np.issubdtype(y.dtype, np.floating):
        y = y.astype(dtype, copy=False)
    if X.ndim < 1 or len(X) != len(y):
        raise ValueError(i18n.message("fit.lengths", name=name, inputs=len(X) if X.ndim else 0,
                                      targets=len(y)))
    if len(X) == 0:
        raise ValueError(i18n.message("fit.empty", name=name))
    return X, y


def _item(t):
    """A target as the loss expects it: a plain number (or a list) for scalar models."""
    return t.item() if np.ndim(t) == 0 else t.tolist()


def _scalar_batch(model, loss_fn, Xb, yb):
    """Mean loss of a batch, one sample at a time; also returns the raw outputs as an array."""
    losses, outputs = [], []
    for x, t in zip(Xb, yb):
        out = model(x.tolist())
        losses.append(loss_fn(out, _item(t)))
        outputs.append([v.data for v in out] if isinstance(out, (list, tuple)) else out.data)
    loss = losses[0] if len(losses) == 1 else sum(losses[1:], losses[0]) * (1.0 / len(losses))
    return loss, np.asarray(outputs)


def _tensor_batch(model, loss_fn, Xb, yb):
    """The batch's mean loss from one call of the model on the whole batch, and its outputs."""
    out = model(Tensor(Xb))
    return loss_fn(out, yb), np.asarray(out.data)


def _loss_value(loss) -> float:
    if not hasattr(loss, "backward"):
        raise TypeError(i18n.message("fit.loss_not_node", type=type(loss).__name__, value=f"{loss!r:.60}"))
    data = np.asarray(loss.data)
    if data.size != 1:
        raise ValueError(i18n.message("fit.loss_not_scalar", shape=data.shape))
    return float(data)


def _batches(n: int, size: int, order=None):
    """The rows of each batch: slices in order, or runs of ``order`` (a permutation)."""
    for start in range(0, n, size):
        yield slice(start, start + size) if order is None else order[start:start + size]


def _one_pass(model, loss_fn, X, y, batches, metric_fns, step=None) -> dict:
    """Run the model over ``batches`` of (X, y): the mean loss and the metrics of the outputs.

    ``step(loss, value)`` is called after each batch (fit's training step); evaluate passes none.
    The metrics are computed once, on the outputs of the whole pass, against the targets in the
    order the batches took them.
    """
    run = _tensor_batch if _model_dtype(model) is not None else _scalar_batch
    total, outputs, targets = 0.0, [], []
    for rows in batches:
        yb = y[rows]
        loss, out = run(model, loss_fn, X[rows], yb)
        value = _loss_value(loss)
        if step is not None:
            step(loss, value)
        total += value * len(yb)
        outputs.append(out)
        targets.append(yb)
    logs = {"loss": total / len(y)}
    if metric_fns:
        outputs, targets = np.concatenate(outputs), np.concatenate(targets)
        for name, fn in metric_fns.items():
            logs[name] = float(fn(outputs, targets))
    return logs


def evaluate(model, loss_fn, data, metrics=("accuracy",), batch_size=None) -> dict:
    """The mean loss and the metrics of ``model`` on ``data = (X, y)``, in eval mode and without a graph.

    Returns ``{"loss": ..., "<metric>": ...}``; :func:`fit` uses it for validation.
    """
    X, y = _as_arrays(data, "data", _model_dtype(model))
    was_training = getattr(model, "training", True)
    model.eval()
    try:
        with no_grad():
            return _one_pass(model, loss_fn, X, y, _batches(len(y), batch_size or len(y)),
                             _metric_functions(metrics))
    finally:
        model.train(was_training)


# ---------------------------------------------------------------- the loop


def _progress(epochs: int, batches_per_epoch: int, verbose: bool):
    """A tqdm bar over every batch of every epoch: a widget in notebooks that have ipywidgets, text
    otherwise. It redraws at most ten times a second (tqdm's mininterval), so that a bar moving at
    each batch costs microseconds per batch."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # tqdm warns when a notebook lacks ipywidgets, then uses text
        from tqdm.auto import tqdm
    return tqdm(total=epochs * batches_per_epoch, desc=_epoch_text(min(1, epochs), epochs),
                unit=i18n.message("fit.unit"), disable=not verbose, leave=True, mininterval=0.1)


def _epoch_text(epoch: int, epochs: int) -> str:
    """The bar's description, the epoch under way: « entraînement 2/5 »."""
    return i18n.message("fit.desc", epoch=epoch, epochs=epochs)


def _postfix(logs: dict) -> dict:
    """The bar's last values, named in the current language: ``{"perte": "0.25", "exactitude": "0.9"}``."""
    return {i18n.metric_label(k): f"{v:.4g}" for k, v in logs.items() if k != "lr"}


def _check_int(name, value, minimum, allow_none=False):
    if value is None and allow_none:
        return None
    if isinstance(value, bool) or not isinstance(value, numbers.Integral) or value < minimum:
        raise ValueError(i18n.message("fit.bad_int", name=name, value=value, minimum=minimum))
    return int(value)


class _TrainingStep:
    """What fit does after each batch's forward pass: check the loss, add the penalty, then
    ``zero_grad(); backward(); step()``, and move the progress bar."""

    def __init__(self, model, optimizer, penalty, bar):
        self.model, self.optimizer, self.penalty, self.bar = model, optimizer, penalty, bar
        self.epoch = 0

    def __call__(self, loss, value) -> None:
        if not math.isfinite(value):
            lr = getattr(self.optimizer, "lr", "?")
            raise FloatingPointError(i18n.message("fit.nonfinite", value=value, epoch=self.epoch, lr=lr))
        if self.penalty is not None:
            loss = loss + self.penalty(self.model)
        self.optimizer.zero_grad()
        loss.backward()
        self.optimizer.step()
        self.bar.update()


def fit(model, loss_fn, optimizer, train_data, epochs, batch_size=None, val_data=None, callbacks=(),
        metrics=("accuracy",), verbose=True, seed=None, shuffle=True, penalty=None, lang=None) -> History:
    """Train ``model`` for ``epochs`` passes over ``train_data = (X, y)``; returns a :class:`History`.

    - ``loss_fn(output, target)`` returns a node: for a scalar model, one sample's loss (``output`` a
      Value or a list of Values, ``target`` a number); for a Tensor model, the mean loss of a batch
      (``output`` a Tensor of the batch, ``target`` the batch's targets as an ndarray).
    - ``batch_size``: samples per step (None: the whole set, i.e. full-batch gradient descent). A
      batch's loss is the mean of its samples' losses; ``penalty(model)`` (e.g.
      ``lambda m: 1e-3 * l2_penalty(m)``) is added once per step.
    - The inputs are taken in the model's dtype (a float32 model trains on float32 data).
    - The samples are shuffled every epoch (``shuffle``), from ``seed`` (None: the generator of
      :func:`microgradfr.manual_seed`): the same seed gives the same training.
    - ``val_data``: evaluated after each epoch with ``model.eval()`` and no graph (``no_grad``).
    - ``metrics``: names (``"accuracy"``) or functions ``f(outputs, targets) -> float``.
    - ``callbacks``: :class:`Callback` objects (:class:`EarlyStopping`), schedulers, or ``f(epoch, logs)``.
    - ``verbose``: a progress bar over the batches with the last epoch's losses (False: silent).
    - ``lang``: the language of the bar and of the errors (default: the language switch,
      :func:`microgradfr.set_language` or ``MICROGRADFR_LANG``, French unless set).
    """
    with i18n.language(i18n.resolve(lang)):  # the bar and every error below (evaluate's, callbacks') speak it
        return _fit(model, loss_fn, optimizer, train_data, epochs, batch_size, val_data, callbacks, metrics,
                    verbose, seed, shuffle, penalty)


def _fit(model, loss_fn, optimizer, train_data, epochs, batch_size, val_data, callbacks, metrics, verbose,
         seed, shuffle, penalty) -> History:
    epochs = _check_int("epochs", epochs, 0)
    batch_size = _check_int("batch_size", batch_size, 1, allow_none=True)
    dtype = _model_dtype(model)
    X, y = _as_arrays(train_data, "train_data", dtype)
    if val_data is not None:
        val_data = _as_arrays(val_data, "val_data", dtype)
    metric_fns = _metric_functions(metrics)
    callbacks = [_as_callback(cb, i) for i, cb in enumerate(callbacks)]
    rng = np.random.default_rng(seed) if seed is not None else generator()
    size = len(y) if batch_size is None else batch_size

    history = History()
    for cb in callbacks:
        cb.on_train_begin(model, optimizer, history)
    bar = _progress(epochs, -(-len(y) // size), verbose)
    step = _TrainingStep(model, optimizer, penalty, bar)
    model.train()
    try:
        for epoch in range(1, epochs + 1):
            step.epoch = epoch
            bar.set_description(_epoch_text(epoch, epochs), refresh=False)
            logs = _train_epoch(model, loss_fn, optimizer, (X, y), size, shuffle, rng, metric_fns, step)
            if val_data is not None:
                val = evaluate(model, loss_fn, val_data, metric_fns, batch_size)
                logs.update({f"val_{k}": v for k, v in val.items()})
            if hasattr(optimizer, "lr"):
                logs["lr"] = optimizer.lr
            history.append(epoch, logs)
            bar.set_postfix(_postfix(logs), refresh=False)
            if _epoch_end(callbacks, epoch, logs, model):
                history.stopped_epoch = epoch
                break
    finally:
        bar.close()
    for cb in callbacks:
        cb.on_train_end(model)
    return history


def _train_epoch(model, loss_fn, optimizer, data, size, shuffle, rng, metric_fns, step) -> dict:
    """One epoch: the training step on each batch, in a new random order if ``shuffle``."""
    X, y = data
    order = rng.permutation(len(y)) if shuffle else None
    return _one_pass(model, loss_fn, X, y, _batches(len(y), size, order), metric_fns, step)
