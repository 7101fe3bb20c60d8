"""Optimizers, gradient clipping and learning-rate schedules, with PyTorch's exact update rules.

Every optimizer works on Value parameters (``data`` a float) and Tensor parameters (``data`` an
ndarray) alike: each rule is written once with ``+ − × ÷`` and ``np.sqrt``, which act on both.
A parameter's state (momentum buffer, moving averages) is a float for a Value, an array for a Tensor.

As in PyTorch, a parameter whose ``grad`` is ``None`` (a Tensor the loss did not reach) is skipped
by ``step()``: neither it nor its state changes.

>>> from microgradfr import Value
>>> w = Value(1.0)
>>> opt = SGD([w], lr=0.1)
>>> loss = w * w                # f(w) = w², f'(w) = 2w
>>> loss.backward(); opt.step()
>>> round(w.data, 12)           # w ← w − lr·f'(w) = 1 − 0.1·2
0.8
"""
from __future__ import annotations

import math
import numbers

import numpy as np

from . import i18n
from .autograd import is_node, is_scalar
from .engine import Value  # noqa: F401  (the doctests below use it)

__all__ = [
    "Optimizer", "SGD", "RMSprop", "Adam", "AdamW",
    "clip_grad_norm_", "clip_grad_value_",
    "LRScheduler", "StepLR", "ExponentialLR",
]


# ---------------------------------------------------------------- the node protocol

# ``is_node`` and ``is_scalar`` come from microgradfr.autograd, where the Node protocol is defined.


def _zeros_like(p):
    """The starting state of a buffer: 0.0 for a Value, a zero array shaped like a Tensor and of its
    dtype (a float32 parameter keeps float32 state, as in PyTorch)."""
    return np.zeros_like(p.data) if isinstance(p.data, np.ndarray) else 0.0


def _as_state(p, x):
    """A buffer value in the parameter's kind: a plain float for a Value, an array for a Tensor."""
    return np.asarray(x) if isinstance(p.data, np.ndarray) else float(x)


def _set_data(p, new) -> None:
    """Write a parameter's new value in place (a Tensor keeps its array and its dtype)."""
    if isinstance(p.data, np.ndarray):
        p.data[...] = new
    else:
        p.data = float(new)


def _subtract(p, delta) -> None:
    """p ← p − delta: in place for a Tensor (no copy of the new value, its array and dtype kept),
    a new float for a Value."""
    if isinstance(p.data, np.ndarray):
        p.data -= delta
    else:
        p.data = float(p.data - delta)


def _average(state: dict, key: str, beta: float, x):
    """state[key] ← β·state[key] + (1 − β)·x, a moving average of x: updated in place when it is an
    array (a Tensor's buffer), replaced when it is a float (a Value's)."""
    buffer = state[key]
    if isinstance(buffer, np.ndarray):
        buffer *= beta
        buffer += (1 - beta) * x
    else:
        state[key] = beta * buffer + (1 - beta) * x
    return state[key]


def _set_grad(p, new) -> None:
    """Replace a gradient (a new object: a grad array may be shared with another node)."""
    p.grad = float(new) if is_scalar(p) else np.asarray(new, dtype=np.result_type(p.grad))


def _check_params(params, owner: str) -> list:
    """A list of distinct nodes from ``params`` (an iterable), else a TypeError/ValueError saying why."""
    if is_node(params):
        raise TypeError(i18n.message("optim.params_single", owner=owner, type=type(params).__name__))
    if hasattr(params, "parameters") and callable(params.parameters):
        raise TypeError(i18n.message("optim.params_model", owner=owner, type=type(params).__name__))
    try:
        params = list(params)
    except TypeError:
        raise TypeError(i18n.message("optim.params_not_iterable", owner=owner, type=type(params).__name__,
                                     value=f"{params!r:.60}")) from None
    if not params:
        raise ValueError(i18n.message("optim.params_empty", owner=owner))
    seen = {}
    for i, p in enumerate(params):
        if not is_node(p):
            raise TypeError(i18n.message("optim.param_not_node", owner=owner, index=i, type=type(p).__name__,
                                         value=f"{p!r:.60}"))
        if id(p) in seen:
            raise ValueError(i18n.message("optim.param_twice", owner=owner, index=i, first=seen[id(p)]))
        seen[id(p)] = i
    return params


def _check_number(name: str, value, owner: str, low=0.0, low_open=False, high=None, high_open=True) -> float:
    """``value`` as a float in the interval, else a ValueError naming the argument and its value."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real) or math.isnan(value):
        raise ValueError(i18n.message("optim.not_a_number", owner=owner, name=name, value=value))
    too_low = value <= low if low_open else value < low
    too_high = high is not None and (value >= high if high_open else value > high)
    if too_low or too_high:
        left, right = "(" if low_open else "[", ")" if high_open else "]"
        interval = f"{left}{low}, {high if high is not None else '∞'}{right}"
        raise ValueError(i18n.message("optim.out_of_range", owner=owner, name=name, value=value,
                                      interval=interval))
    return float(value)


# ---------------------------------------------------------------- the base class


class Optimizer:
    """What every optimizer shares: parameter groups, ``zero_grad``, ``state_dict`` and its loading.

    ``param_groups`` is a list of dicts, each with ``"params"`` and the hyperparameters (``"lr"``…),
    as in PyTorch; ``params`` may be a list of parameters (one group) or a list of such dicts.
    ``state[id(p)]`` holds a parameter's buffers. ``lr`` reads the first group's rate and sets every group's.
    """

    def __init__(self, params, defaults: dict):
        owner = type(self).__name__
        self.defaults = dict(defaults)
        self.state = {}  # parameter id -> dict of buffers
        if isinstance(params, dict):
            params = [params]
        params = list(params) if isinstance(params, (list, tuple)) else params
        if isinstance(params, list) and params and all(isinstance(g, dict) for g in params):
            groups = params
        else:
            groups = [{"params": params}]
        self.param_groups = []
        seen = set()
        for g, group in enumerate(groups):
            if "params" not in group:
                raise ValueError(i18n.message("optim.group_no_params", owner=owner, group=g))
            unknown = set(group) - set(self.defaults) - {"params"}
            if unknown:
                raise ValueError(i18n.message("optim.group_unknown_keys", owner=owner, group=g,
                                              unknown=sorted(unknown), known=sorted(self.defaults)))
            full = {**self.defaults, **group, "params": _check_params(group["params"], owner)}
            self._check_group(full)
            for p in full["params"]:
                if id(p) in seen:
                    raise ValueError(i18n.message("optim.group_overlap", owner=owner))
                seen.add(id(p))
            self.param_groups.append(full)

    def _check_group(self, group: dict) -> None:
        """Validate a group's hyperparameters (each optimizer checks its own)."""

    # ------------------------------------------------------------ the learning rate
    @property
    def lr(self) -> float:
        """The learning rate of the first group; setting it sets every group's (schedulers do this)."""
        return self.param_groups[0]["lr"]

    @lr.setter
    def lr(self, value) -> None:
        value = _check_number("lr", value, type(self).__name__)
        for group in self.param_groups:
            group["lr"] = value

    def parameters(self) -> list:
        """Every parameter the optimizer updates, group after group."""
        return [p for group in self.param_groups for p in group["params"]]

    # ------------------------------------------------------------ steps
    def zero_grad(self, set_to_none: bool = True) -> None:
        """Reset gradients before the next backward pass: 0.0 for a Value; None for a Tensor
        (or a zero array with ``set_to_none=False``), as PyTorch."""
        for p in self.parameters():
            if is_scalar(p):
                p.grad = 0.0
            elif set_to_none or p.grad is None:
                p.grad = None
            else:
                p.grad = np.zeros_like(p.grad)

    def step(self) -> None:
        """Update every parameter that has a gradient, group by group."""
        for group in self.param_groups:
            for p in group["params"]:
                if p.grad is None:
                    continue
                state = self.state.setdefault(id(p), {})
                self._update(p, p.grad, state, group)

    def _update(self, p, g, state: dict, group: dict) -> None:
        raise NotImplementedError(i18n.message("optim.no_update", cls=type(self).__name__))

    def __repr__(self):
        lines = [f"{type(self).__name__} ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines.extend(f"    {k}: {v}" for k, v in group.items() if k != "params")
        return "\n".join(lines + [")"])

    # ------------------------------------------------------------ saving
    def state_dict(self) -> dict:
        """``{"state": {index: {name: value}}, "param_groups": [{hyperparameters, "params": [index…]}]}``.

        Parameters are named by their position over all groups, as PyTorch does; buffers are copies.
        """
        index = {id(p): i for i, p in enumerate(self.parameters())}
        state = {index[pid]: {k: np.copy(v) if isinstance(v, np.ndarray) else v for k, v in s.items()}
                 for pid, s in self.state.items() if pid in index}
        groups = [{**{k: v for k, v in g.items() if k != "params"},
                   "params": [index[id(p)] for p in g["params"]]}
                  for g in self.param_groups]
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what :meth:`state_dict` returned; checks everything before changing anything.

        Raises ValueError when the number of groups or parameters, a hyperparameter name or a
        buffer's shape does not match this optimizer.
        """
        owner = f"{type(self).__name__}.load_state_dict"
        if not isinstance(state_dict, dict) or set(state_dict) != {"state", "param_groups"}:
            raise ValueError(i18n.message("optim.load_not_state", owner=owner, value=f"{state_dict!r:.80}"))
        groups = state_dict["param_groups"]
        if len(groups) != len(self.param_groups):
            raise ValueError(i18n.message("optim.load_groups", owner=owner, saved=len(groups),
                                          here=len(self.param_groups)))
        new_groups = []
        for g, (saved, group) in enumerate(zip(groups, self.param_groups)):
            n_saved = len(saved.get("params", ()))
            if n_saved != len(group["params"]):
                raise ValueError(i18n.message("optim.load_group_size", owner=owner, group=g, saved=n_saved,
                                              here=len(group["params"])))
            keys = set(saved) - {"params"}
            if keys - {"initial_lr"} != set(self.defaults):
                raise ValueError(i18n.message("optim.load_hyperparameters", owner=owner, group=g,
                                              keys=sorted(keys), cls=type(self).__name__,
                                              expected=sorted(self.defaults)))
            new = {**{k: saved[k] for k in keys}, "params": group["params"]}
            self._check_group(new)
            new_groups.append(new)
        params = self.parameters()
        saved_index = [i for saved in groups for i in saved["params"]]
        position = {i: k for k, i in enumerate(saved_index)}
        new_state = {}
        for i, buffers in state_dict["state"].items():
            if i not in position:
                raise ValueError(i18n.message("optim.load_unknown_param", owner=owner, index=i))
            p = params[position[i]]
            new_state[id(p)] = {name: self._check_buffer(owner, p, i, name, value)
                                for name, value in buffers.items()}
        self.param_groups = new_groups
        self.state = new_state

    @staticmethod
    def _check_buffer(owner, p, i, name, value):
        if name == "step":
            return int(value)
        shape = np.shape(value)
        expected = np.shape(p.data)
        if shape != expected:
            raise ValueError(i18n.message("optim.load_buffer_shape", owner=owner, name=name, index=i,
                                          shape=shape, expected=expected))
        return _as_state(p, np.array(value, dtype=p.data.dtype) if isinstance(p.data, np.ndarray) else value)


def _check_common(group: dict, owner: str) -> None:
    _check_number("lr", group["lr"], owner)
    _check_number("weight_decay", group["weight_decay"], owner)


# ---------------------------------------------------------------- SGD


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum, Nesterov and L2 weight decay (PyTorch's rule).

    With g the gradient, λ ``weight_decay``, μ ``momentum``, τ ``dampening``::

        g ← g + λ·p                          (if λ ≠ 0)
        b ← g on the first step,  else  b ← μ·b + (1 − τ)·g     (if μ ≠ 0)
        g ← g + μ·b  (nesterov)   or   g ← b                     (if μ ≠ 0)
        p ← p − lr·g

    >>> w = Value(1.0); opt = SGD([w], lr=0.1, momentum=0.9)
    >>> for _ in range(2):                       # f(w) = w², g = 2w
    ...     opt.zero_grad(); (w * w).backward(); opt.step()
    >>> round(w.data, 12)                        # 1 − 0.1·2 = 0.8 ; b = 0.9·2 + 1.6 = 3.4 ; 0.8 − 0.34
    0.46
    """

    def __init__(self, params, lr, momentum=0.0, dampening=0.0, nesterov=False, weight_decay=0.0):
        super().__init__(params, dict(lr=lr, momentum=momentum, dampening=dampening, nesterov=nesterov,
                                      weight_decay=weight_decay))

    def _check_group(self, group):
        _check_common(group, "SGD")
        _check_number("momentum", group["momentum"], "SGD")
        _check_number("dampening", group["dampening"], "SGD")
        if group["nesterov"] and (group["momentum"] <= 0 or group["dampening"] != 0):
            raise ValueError(i18n.message("optim.nesterov", momentum=group["momentum"],
                                          dampening=group["dampening"]))

    def _update(self, p, g, state, group):
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.data
        momentum = group["momentum"]
        if momentum != 0:
            if "momentum_buffer" not in state:
                buf = g  # the first step: no dampening, the buffer is the gradient itself
            else:
                buf = momentum * state["momentum_buffer"] + (1 - group["dampening"]) * g
            state["momentum_buffer"] = _as_state(p, np.copy(buf))
            g = g + momentum * buf if group["nesterov"] else buf
        _subtract(p, group["lr"] * g)


# ---------------------------------------------------------------- RMSprop


class RMSprop(Optimizer):
    """RMSprop: divide the gradient by a moving root mean square of recent gradients (PyTorch's rule).

    With α ``alpha``, ε ``eps``, μ ``momentum``, v and b starting at 0::

        g ← g + λ·p                          (if λ ≠ 0)
        v ← α·v + (1 − α)·g²
        v̄ ← v − m²,  m ← α·m + (1 − α)·g  (if centered, with m updated first)
        d ← √v̄ + ε    (v̄ = v unless centered)
        b ← μ·b + g/d,  p ← p − lr·b        (if μ ≠ 0)
        p ← p − lr·g/d                      (otherwise)

    >>> w = Value(1.0); opt = RMSprop([w], lr=0.01)
    >>> (w * w).backward(); opt.step()           # v = 0.01·4, step = 0.01·2/√0.04 = 0.1
    >>> round(w.data, 6)
    0.9
    """

    def __init__(self, params, lr=0.01, alpha=0.99, eps=1e-8, momentum=0.0, weight_decay=0.0, centered=False):
        super().__init__(params, dict(lr=lr, alpha=alpha, eps=eps, momentum=momentum,
                                      weight_decay=weight_decay, centered=centered))

    def _check_group(self, group):
        _check_common(group, "RMSprop")
        _check_number("alpha", group["alpha"], "RMSprop")
        _check_number("eps", group["eps"], "RMSprop")
        _check_number("momentum", group["momentum"], "RMSprop")

    def _update(self, p, g, state, group):
        if group["weight_decay"] != 0:
            g = g + group["weight_decay"] * p.data
        alpha = group["alpha"]
        if "square_avg" not in state:
            state["step"] = 0
            state["square_avg"] = _zeros_like(p)
            if group["momentum"] > 0:
                state["momentum_buffer"] = _zeros_like(p)
            if group["centered"]:
                state["grad_avg"] = _zeros_like(p)
        state["step"] += 1
        square_avg = _average(state, "square_avg", alpha, g * g)
        if group["centered"]:
            grad_avg = _average(state, "grad_avg", alpha, g)
            square_avg = square_avg - grad_avg * grad_avg
        denom = np.sqrt(square_avg) + group["eps"]
        if group["momentum"] > 0:
            buf = _as_state(p, group["momentum"] * state["momentum_buffer"] + g / denom)
            state["momentum_buffer"] = buf
            _subtract(p, group["lr"] * buf)
        else:
            _subtract(p, group["lr"] * g / denom)


# ---------------------------------------------------------------- Adam and AdamW


class Adam(Optimizer):
    """Adam: momentum on the gradient (m) and on its square (v), both bias-corrected (PyTorch's rule).

    With β₁, β₂ ``betas``, t the step number (from 1), m and v starting at 0::

        g ← g + λ·p                          (if λ ≠ 0: L2 added to the gradient)
        m ← β₁·m + (1 − β₁)·g
        v ← β₂·v + (1 − β₂)·g²
        p ← p − lr/(1 − β₁ᵗ) · m / (√v / √(1 − β₂ᵗ) + ε)

    On the first step m/(1 − β₁) = g and √(v/(1 − β₂)) = |g|: p moves by about lr·sign(g).
    ``amsgrad=True`` uses the largest v seen so far instead of v.

    >>> w = Value(1.0); opt = Adam([w], lr=0.1)
    >>> (w * w).backward(); opt.step()
    >>> round(w.data, 6)
    0.9
    """

    decoupled = False  # AdamW decays the weights apart from the gradient

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.0, amsgrad=False):
        super().__init__(params, dict(lr=lr, betas=betas, eps=eps, weight_decay=weight_decay,
                                      amsgrad=amsgrad))

    def _check_group(self, group):
        owner = type(self).__name__
        _check_common(group, owner)
        _check_number("eps", group["eps"], owner)
        betas = group["betas"]
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(i18n.message("optim.betas", owner=owner, betas=betas))
        group["betas"] = (_check_number("betas[0]", betas[0], owner, high=1.0),
                          _check_number("betas[1]", betas[1], owner, high=1.0))

    def _update(self, p, g, state, group):
        lr, wd, eps = group["lr"], group["weight_decay"], group["eps"]
        beta1, beta2 = group["betas"]
        if self.decoupled:
            _set_data(p, p.data * (1 - lr * wd))  # AdamW: shrink the weights, apart from the gradient
        elif wd != 0:
            g = g + wd * p.data
        if "exp_avg" not in state:
            state["step"] = 0
            state["exp_avg"] = _zeros_like(p)
            state["exp_avg_sq"] = _zeros_like(p)
            if group["amsgrad"]:
                state["max_exp_avg_sq"] = _zeros_like(p)
        state["step"] += 1
        t = state["step"]
        m = _average(state, "exp_avg", beta1, g)
        v = _average(state, "exp_avg_sq", beta2, g * g)
        if group["amsgrad"]:
            v = state["max_exp_avg_sq"] = _as_state(p, np.maximum(state["max_exp_avg_sq"], v))
        step_size = lr / (1 - beta1 ** t)
        denom = np.sqrt(v) / math.sqrt(1 - beta2 ** t) + eps
        _subtract(p, step_size * m / denom)


class AdamW(Adam):
    """Adam with decoupled weight decay (Loshchilov & Hutter), PyTorch's rule::

        p ← p·(1 − lr·λ)     then the Adam step without any L2 term in g

    The default ``weight_decay`` is 0.01, as in PyTorch.

    >>> w = Value(1.0); opt = AdamW([w], lr=0.1, weight_decay=0.5)
    >>> (w * w).backward(); opt.step()           # 1·(1 − 0.05) = 0.95, then − 0.1
    >>> round(w.data, 6)
    0.85
    """

    decoupled = True

    def __init__(self, params, lr=0.001, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01, amsgrad=False):
        super().__init__(params, lr=lr, betas=betas, eps=eps, weight_decay=weight_decay, amsgrad=amsgrad)


# ---------------------------------------------------------------- gradient clipping


def _grad_params(params, fn: str) -> list:
    """The parameters of ``params`` (one node or an iterable) that have a gradient."""
    if is_node(params):
        params = [params]
    params = list(params)
    for i, p in enumerate(params):
        if not is_node(p):
            raise TypeError(i18n.message("optim.clip_not_node", fn=fn, index=i, type=type(p).__name__))
    return [p for p in params if p.grad is not None]


def clip_grad_norm_(params, max_norm, norm_type=2.0) -> float:
    """Rescale all gradients together so that their joint norm is at most ``max_norm``; returns
    the norm *before* clipping (PyTorch's rule).

    total = ‖(‖g₁‖, ‖g₂‖, …)‖ (the norm of every gradient entry at once, ``norm_type`` 2 by default,
    ``float('inf')`` for the largest |entry|); every g is multiplied by min(1, max_norm/(total + 10⁻⁶)).
    The direction of the update is kept, only its length shrinks.

    >>> a, b = Value(0.0), Value(0.0); a.grad, b.grad = 3.0, 4.0
    >>> clip_grad_norm_([a, b], max_norm=1.0)          # √(3² + 4²)
    5.0
    >>> round(a.grad, 6), round(b.grad, 6)
    (0.6, 0.8)
    """
    max_norm = _check_number("max_norm", max_norm, "clip_grad_norm_")
    norm_type = float(norm_type)
    if not norm_type > 0:
        raise ValueError(i18n.message("optim.norm_type", value=norm_type))
    params = _grad_params(params, "clip_grad_norm_")
    if not params:
        return 0.0
    grads = [np.abs(np.asarray(p.grad, dtype=np.float64)) for p in params]
    if math.isinf(norm_type):
        total = max(float(np.max(g)) if g.size else 0.0 for g in grads)
    else:
        total = float(sum(float(np.sum(g ** norm_type)) for g in grads) ** (1.0 / norm_type))
    coef = max_norm / (total + 1e-6)
    if coef < 1.0:
        for p in params:
            _set_grad(p, p.grad * coef)
    return total


def clip_grad_value_(params, clip_value) -> None:
    """Clamp every gradient entry into [−clip_value, clip_value] (PyTorch's rule).

    Unlike :func:`clip_grad_norm_`, this may change the direction of the update.

    >>> a = Value(0.0); a.grad = -7.0
    >>> clip_grad_value_([a], 2.0); a.grad
    -2.0
    """
    clip_value = _check_number("clip_value", clip_value, "clip_grad_value_")
    for p in _grad_params(params, "clip_grad_value_"):
        _set_grad(p, np.clip(p.grad, -clip_value, clip_value))


# ---------------------------------------------------------------- learning-rate schedules


class LRScheduler:
    """Changes an optimizer's learning rates as epochs go by; call ``step()`` once per epoch.

    Creating a scheduler records each group's ``initial_lr``; ``get_last_lr()`` lists the current rates.
    ``fit(..., callbacks=[scheduler])`` calls ``step()`` at the end of each epoch.
    """

    def __init__(self, optimizer):
        if not isinstance(optimizer, Optimizer):
            raise TypeError(i18n.message("optim.scheduler_optimizer", cls=type(self).__name__,
                                         type=type(optimizer).__name__))
        self.optimizer = optimizer
        for group in optimizer.param_groups:
            group.setdefault("initial_lr", group["lr"])
        self.base_lrs = [group["initial_lr"] for group in optimizer.param_groups]
        self.last_epoch = 0
        self._last_lr = [group["lr"] for group in optimizer.param_groups]

    def _next_lr(self, lr: float) -> float:
        raise NotImplementedError

    def step(self) -> None:
        """Move to the next epoch and set each group's learning rate for it."""
        self.last_epoch += 1
        for group in self.optimizer.param_groups:
            group["lr"] = self._next_lr(group["lr"])
        self._last_lr = [group["lr"] for group in self.optimizer.param_groups]

    def get_last_lr(self) -> list:
        """The learning rate of each group, as last set."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        return {k: v for k, v in vars(self).items() if k != "optimizer"}

    def load_state_dict(self, state_dict: dict) -> None:
        vars(self).update(state_dict)


class StepLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every ``step_size`` epochs: lr = lr₀·γ^⌊epoch/step_size⌋.

    >>> opt = SGD([Value(0.0)], lr=1.0); sched = StepLR(opt, step_size=2, gamma=0.5)
    >>> rates = []
    >>> for _ in range(5):
    ...     rates.append(opt.lr); sched.step()
    >>> rates
    [1.0, 1.0, 0.5, 0.5, 0.25]
    """

    def __init__(self, optimizer, step_size, gamma=0.1):
        if isinstance(step_size, bool) or not isinstance(step_size, numbers.Integral) or step_size < 1:
            raise ValueError(i18n.message("optim.step_size", value=step_size))
        self.step_size = int(step_size)
        self.gamma = _check_number("gamma", gamma, "StepLR")
        super().__init__(optimizer)

    def _next_lr(self, lr):
        return lr * self.gamma if self.last_epoch % self.step_size == 0 else lr


class ExponentialLR(LRScheduler):
    """Multiply the learning rate by ``gamma`` every epoch: lr = lr₀·γ^epoch.

    >>> opt = SGD([Value(0.0)], lr=1.0); sched = ExponentialLR(opt, gamma=0.5)
    >>> sched.step(); sched.step(); opt.lr
    0.25
    """

    def __init__(self, optimizer, gamma):
        self.gamma = _check_number("gamma", gamma, "ExponentialLR")
        super().__init__(optimizer)

    def _next_lr(self, lr):
        return lr * self.gamma
