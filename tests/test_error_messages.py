"""The library's errors speak the learner's language: every message raised in the modules below comes
from the catalogue (an AST walk refuses a bare string or f-string), and each catalogue key of those
modules is raised through the public API, in both languages, with the catalogue's own text."""

import ast
import re
import string
import sys
import urllib.error
import urllib.request
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pytest

import microgradfr
from microgradfr import Tensor, Value, i18n, nn, no_grad
from microgradfr.checkpoint import load, save
from microgradfr.data import (
    DownloadError,
    download_mnist,
    kfold,
    load_mnist,
    logic_gate,
    make_blobs,
    make_circles,
    make_moons,
    train_test_split,
)
from microgradfr.engine import linear
from microgradfr.i18n import CATALOGUE
from microgradfr.optim import SGD, Adam, ExponentialLR, Optimizer, StepLR, clip_grad_norm_
from microgradfr.perceptron import ConvergenceWarning, Perceptron
from microgradfr.testing import assert_grad, numerical_grad
from microgradfr.training import EarlyStopping, History, fit, l2_penalty
from microgradfr.utils.data import DataLoader, Dataset, TensorDataset, random_split

ROOT = Path(__file__).resolve().parents[1]
OWNED = sorted(
    path
    for name in (
        "optim.py",
        "checkpoint.py",
        "custom.py",
        "perceptron.py",
        "bridge.py",
        "engine.py",
        "training.py",
        "data/*.py",
        "autograd.py",
        "testing/__init__.py",
        "nn/module.py",
        "nn/state.py",
        "domains/arrays.py",
        "domains/scalar.py",
        "functions.py",
        "utils/*.py",
    )
    for path in (ROOT / "microgradfr").glob(name)
)
PREFIXES = ("optim.", "checkpoint.", "custom.", "perceptron.", "data.", "bridge.", "engine.", "autograd.",
            "torchfn.", "utils.data.")
NOT_RAISED = {"perceptron.epoch"}  # the verbose log line of Perceptron.fit, not an error


# ------------------------------------------------------------------ (1) no message written in the code
def _exception_classes(trees) -> set:
    """Names that build an exception: ...Error/Exception/Warning, and classes of ours derived from them."""
    known = set()
    changed = True
    while changed:
        changed = False
        for tree in trees:
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.ClassDef)
                    and node.name not in known
                    and any(
                        _is_exception_name(getattr(b, "id", getattr(b, "attr", "")), known)
                        for b in node.bases
                    )
                ):
                    known.add(node.name)
                    changed = True
    return known


def _is_exception_name(name: str, known: set) -> bool:
    return name.endswith(("Error", "Exception", "Warning")) or name in known


def _written_here(arg) -> bool:
    """A message written in the code: a string, an f-string, a concatenation or a "...".format()."""
    if isinstance(arg, ast.Constant) and isinstance(arg.value, str) or isinstance(arg, ast.JoinedStr):
        return True
    if isinstance(arg, ast.BinOp):
        return _written_here(arg.left) or _written_here(arg.right)
    if isinstance(arg, ast.IfExp):
        return _written_here(arg.body) or _written_here(arg.orelse)
    return (
        isinstance(arg, ast.Call)
        and isinstance(arg.func, ast.Attribute)
        and arg.func.attr == "format"
        and _written_here(arg.func.value)
    )


def _written_messages():
    """(file, line, source) of each exception or warning built from a message written in the code."""
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in OWNED}
    exceptions = _exception_classes(trees.values())
    for path, tree in trees.items():
        lines = path.read_text(encoding="utf-8").split("\n")
        for node in ast.walk(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = getattr(func, "id", None) or getattr(func, "attr", "")
            builds = _is_exception_name(name, exceptions) or (
                isinstance(func, ast.Attribute)
                and func.attr == "warn"
                and getattr(func.value, "id", "") == "warnings"
            )
            if not builds or not any(_written_here(a) for a in node.args):
                continue
            around = " ".join(lines[node.lineno - 1 : node.end_lineno])
            if "# internal:" in around:  # our own plumbing, caught inside the library or unreachable
                continue
            yield (
                path.relative_to(ROOT),
                node.lineno,
                ast.get_source_segment(lines and "\n".join(lines), node),
            )


def test_the_walk_sees_every_owned_file():
    assert len(OWNED) >= 12 and all(path.is_file() for path in OWNED)
    assert any(path.name == "mnist.py" for path in OWNED)


def test_every_error_message_comes_from_the_catalogue():
    written = list(_written_messages())
    assert not written, "messages written in the code (use i18n.message):\n" + "\n".join(
        f"{where}:{line}: {source}" for where, line, source in written
    )


def _rule_templates(tree):
    """(line, message) of each ``Rule(bad, message, ...)`` of a domain: its message, a catalogue key."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Rule":
            given = [*node.args[1:2], *(kw.value for kw in node.keywords if kw.arg == "message")]
            for arg in given:
                yield node.lineno, arg.value if isinstance(arg, ast.Constant) else ast.unparse(arg)


def test_every_domain_rule_names_a_catalogue_key():
    """A Rule's message is looked up in the catalogue (Domain.message); a sentence written there would be
    one language only."""
    written = [
        f"{path.relative_to(ROOT)}:{line}: {message!r}"
        for path in OWNED
        for line, message in _rule_templates(ast.parse(path.read_text(encoding="utf-8")))
        if message not in CATALOGUE["fr"]
    ]
    assert any(path.match("domains/arrays.py") for path in OWNED)
    assert not written, "domain rules with a message that is not a catalogue key:\n" + "\n".join(written)


def test_the_walk_would_see_a_rules_written_sentence():
    code = "R = (Rule(bad, 'domain.positive'), Rule(bad, '{op}: wrong {x}'), Rule(bad, message=f'{op}'))\n"
    found = [message for _, message in _rule_templates(ast.parse(code)) if message not in CATALOGUE["fr"]]
    assert found == ["{op}: wrong {x}", "f'{op}'"]


def test_the_walk_would_see_a_written_message(tmp_path):
    """The check itself: an f-string, a string and a concatenation are caught; i18n.message is not."""
    code = (
        "class Oops(ValueError): pass\n"
        "def f(x):\n"
        "    raise ValueError(f'bad {x}')\n"
        "def g():\n"
        "    return Oops('no')\n"
        "def h():\n"
        "    raise TypeError('a' + 'b')\n"
        "def ok():\n"
        "    raise ValueError(i18n.message('optim.betas', owner='SGD', betas=1))\n"
    )
    tree = ast.parse(code)
    exceptions = _exception_classes([tree])
    assert exceptions == {"Oops"}
    found = [
        n.lineno
        for n in ast.walk(tree)
        if isinstance(n, ast.Call)
        and _is_exception_name(getattr(n.func, "id", ""), exceptions)
        and any(map(_written_here, n.args))
    ]
    assert sorted(found) == [3, 5, 7]


# ------------------------------------------------------------------ (2) each key, raised, in each language
class Trigger(NamedTuple):
    error: type
    make: Callable  # make(tmp_path, monkeypatch) raises (or warns) with the key's text
    whole: bool = True  # False: the key is a part of the message (a detail, a word, a problem line)


def part(error, make):
    return Trigger(error, make, whole=False)


def _value_model():
    microgradfr.manual_seed(0)
    return nn.MLP(2, [3, 1])


def _stepped_adam(n=2, **settings):
    ws = [Value(1.0), Value(2.0)][:n]
    opt = Adam(ws, lr=0.1, **settings)
    (ws[0] * ws[-1]).backward()
    opt.step()
    return opt


def _optimizer_file(tmp_path, change=None, **settings):
    """A saved Adam's file, its arrays edited by ``change(arrays)``; returns the path."""
    path = tmp_path / "opt.npz"
    save(_stepped_adam(**settings), path)
    if change is not None:
        with np.load(path) as f:
            arrays = dict(f)
        change(arrays)
        np.savez(path, **arrays)
    return path


def _load_adam(tmp_path, change=None, **settings):
    path = _optimizer_file(tmp_path, change, **settings)
    load(_stepped_adam(**settings), path)


def _edit(**new):
    return lambda arrays: arrays.update({k: np.asarray(v) for k, v in new.items()})


def _drop(key):
    return lambda arrays: arrays.pop(key)


def _model_file(tmp_path):
    path = tmp_path / "m.npz"
    save(_value_model(), path)
    return path


def _zip(tmp_path, members: dict):
    """A zip archive whose members are given as bytes, loaded into a model."""
    path = tmp_path / "z.npz"
    with zipfile.ZipFile(path, "w") as zf:
        for name, raw in members.items():
            zf.writestr(name, raw)
    load(_value_model(), path)


def _npy(arr, version=None) -> bytes:
    import io

    buffer = io.BytesIO()
    np.lib.format.write_array(buffer, np.asarray(arr), version=version, allow_pickle=False)
    return buffer.getvalue()


def _header_lies(tmp_path):
    raw = {f"{k}.npy": _npy(v) for k, v in _value_model().state_dict().items()}
    raw["__microgradfr__.npy"] = _npy(np.array("module"))
    raw["0.weight.npy"] = raw["0.weight.npy"][:-8]
    _zip(tmp_path, raw)


def _with_kind(tmp_path, kind):
    path = tmp_path / "k.npz"
    np.savez(path, __microgradfr__=np.array(kind), **_value_model().state_dict())
    load(_value_model(), path)


def _object_array(tmp_path):
    path = tmp_path / "o.npz"
    arrays = _value_model().state_dict()
    arrays["0.bias"] = np.array([None] * 3)
    np.savez(path, __microgradfr__=np.array("module"), **arrays)
    load(_value_model(), path)


def _single_npy(tmp_path):
    path = tmp_path / "one.npz"
    with open(path, "wb") as f:
        np.save(f, np.zeros(3))
    load(_value_model(), path)


def _nan_model(tmp_path):
    model = _value_model()
    model.parameters()[0].data = float("nan")
    save(model, tmp_path / "m.npz")


class _Reserved(nn.Module):
    def __init__(self):
        super().__init__()
        self.file = Tensor(np.zeros(2), requires_grad=True)

    def forward(self, x):
        return x


class _Keeper(Optimizer):
    """An optimizer the checkpoint table does not know: any buffer names, a bounded number of them."""

    def __init__(self, params, lr=0.1):
        super().__init__(params, dict(lr=lr))

    def _update(self, p, g, state, group):
        state.update({f"b{i}": 0.0 for i in range(10)})


def _many_buffers(tmp_path):
    w = Value(1.0)
    opt = _Keeper([w])
    (w * w).backward()
    opt.step()
    save(opt, tmp_path / "k.npz")
    load(_Keeper([Value(1.0)]), tmp_path / "k.npz")


class _NoUpdate(Optimizer):
    def __init__(self, params):
        super().__init__(params, dict(lr=0.1))


def _no_update():
    w = Value(1.0)
    (w * w).backward()
    _NoUpdate([w]).step()


# the data's MNIST files, written by hand: IDX = 4 magic bytes, big-endian sizes, then the bytes
def _idx(magic: int, shape, payload: bytes | None = None) -> bytes:
    head = magic.to_bytes(4, "big") + b"".join(n.to_bytes(4, "big") for n in shape)
    return head + (bytes(int(np.prod(shape))) if payload is None else payload)


IMAGES, LABELS = 2051, 2049


def _mnist(tmp_path, images: bytes, labels: bytes, gzipped=False):
    import gzip

    for name, raw in (("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", labels)):
        if gzipped:
            (tmp_path / (name + ".gz")).write_bytes(raw)
        else:
            (tmp_path / name).write_bytes(raw if not name.endswith(".gz") else gzip.compress(raw))
    load_mnist(tmp_path)


GOOD_LABELS = _idx(LABELS, (2,))


def _mirror(tmp_path, name, raw: bytes) -> str:
    """A folder served as a mirror through file:// URLs."""
    folder = tmp_path / "mirror"
    folder.mkdir(exist_ok=True)
    (folder / name).write_bytes(raw)
    return folder.as_uri() + "/"


def _download(tmp_path, raw: bytes, **options):
    url = _mirror(tmp_path, "t10k-labels-idx1-ubyte.gz", raw)
    download_mnist(tmp_path / "dest", url=url, files=["t10k-labels-idx1-ubyte.gz"], progress=False, **options)


def _download_other(tmp_path, raw: bytes):
    """A file that is neither images nor labels by its name: its header alone is checked."""
    url = _mirror(tmp_path, "other.gz", _gz(raw))
    download_mnist(
        tmp_path / "dest", url=url, files=["other.gz"], checksums={"other.gz": None}, progress=False
    )


def _gz(raw: bytes) -> bytes:
    import gzip

    return gzip.compress(raw)


def _http_error(tmp_path, monkeypatch):
    def refuse(url, timeout):
        raise urllib.error.HTTPError(url, 404, "Not Found", {}, None)

    monkeypatch.setattr(urllib.request, "urlopen", refuse)
    download_mnist(tmp_path, files=["t10k-labels-idx1-ubyte.gz"], progress=False)


class _ShortResponse:
    headers = {"Content-Length": "100"}

    def __init__(self):
        self.sent = False

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def read(self, n):
        if self.sent:
            return b""
        self.sent = True
        return b"x" * 10


def _truncated_download(tmp_path, monkeypatch):
    monkeypatch.setattr(urllib.request, "urlopen", lambda url, timeout: _ShortResponse())
    download_mnist(tmp_path, files=["t10k-labels-idx1-ubyte.gz"], progress=False)


def _no_torch(function, monkeypatch):
    monkeypatch.setitem(sys.modules, "torch", None)  # `import torch` raises ImportError
    function(nn.ReLU())


def _torch():
    return pytest.importorskip("torch")


def _from_torch(make):
    torch = _torch()
    microgradfr.from_torch(make(torch.nn))


class _Mine(nn.Module):
    def forward(self, x):
        return x


def _mlp_with_odd_activation():
    model = nn.MLP(2, [1])
    model.layers[0].neurons[0].nonlin = "swish"
    for neuron in model.layers[0].neurons:
        neuron.activation = "swish"
    microgradfr.to_torch(model)


def _define(name, forward, derivative=lambda x, out: 1.0, **options):
    return microgradfr.define_op(name, forward, derivative, **options)


def _fit(model=None, loss_fn=None, data=None, optimizer=None, **options):
    model = model or _value_model()
    loss_fn = loss_fn or (lambda out, t: (out - t) ** 2)
    optimizer = optimizer or SGD(model.parameters(), lr=0.1)
    data = logic_gate("and") if data is None else data
    fit(model, loss_fn, optimizer, data, **{"epochs": 1, "verbose": False, **options})


class _Empty(nn.Module):
    def forward(self, x):
        return x


def _callback_fails(cb):
    _fit(callbacks=[cb])


def _history_plot(monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    History().plot()


def _unfitted():
    Perceptron().predict(np.zeros((1, 2)))


X_AND, Y_AND = logic_gate("and")

_MASK = Tensor(np.array([True, False]), dtype=bool)
_DATA = TensorDataset(Tensor(np.zeros((3, 2))))

TRIGGERS = {
    # optim
    "optim.params_single": Trigger(TypeError, lambda t, m: SGD(Value(1.0), lr=0.1)),
    "optim.params_model": Trigger(TypeError, lambda t, m: SGD(_value_model(), lr=0.1)),
    "optim.params_not_iterable": Trigger(TypeError, lambda t, m: SGD(3, lr=0.1)),
    "optim.params_empty": Trigger(ValueError, lambda t, m: SGD([], lr=0.1)),
    "optim.param_not_node": Trigger(TypeError, lambda t, m: SGD([Value(1.0), 1.5], lr=0.1)),
    "optim.param_twice": Trigger(ValueError, lambda t, m: SGD([v := Value(1.0), v], lr=0.1)),
    "optim.not_a_number": Trigger(ValueError, lambda t, m: SGD([Value(1.0)], lr="fast")),
    "optim.out_of_range": Trigger(ValueError, lambda t, m: SGD([Value(1.0)], lr=-0.1)),
    "optim.group_no_params": Trigger(ValueError, lambda t, m: SGD([{"lr": 0.1}], lr=0.1)),
    "optim.group_unknown_keys": Trigger(
        ValueError, lambda t, m: SGD([{"params": [Value(1.0)], "speed": 1}], lr=0.1)
    ),
    "optim.group_overlap": Trigger(
        ValueError, lambda t, m: SGD([{"params": [v := Value(1.0)]}, {"params": [v]}], lr=0.1)
    ),
    "optim.no_update": Trigger(NotImplementedError, lambda t, m: _no_update()),
    "optim.load_not_state": Trigger(ValueError, lambda t, m: _stepped_adam().load_state_dict({"state": {}})),
    "optim.load_groups": Trigger(
        ValueError,
        lambda t, m: Adam([{"params": [Value(1.0)]}, {"params": [Value(2.0)]}]).load_state_dict(
            _stepped_adam(1).state_dict()
        ),
    ),
    "optim.load_group_size": Trigger(
        ValueError, lambda t, m: _stepped_adam(1).load_state_dict(_stepped_adam(2).state_dict())
    ),
    "optim.load_hyperparameters": Trigger(
        ValueError,
        lambda t, m: SGD([Value(1.0), Value(2.0)], lr=0.1).load_state_dict(_stepped_adam(2).state_dict()),
    ),
    "optim.load_unknown_param": Trigger(
        ValueError,
        lambda t, m: _stepped_adam(1).load_state_dict(
            {"state": {5: {}}, "param_groups": _stepped_adam(1).state_dict()["param_groups"]}
        ),
    ),
    "optim.load_buffer_shape": Trigger(
        ValueError,
        lambda t, m: _stepped_adam(1).load_state_dict(
            {
                "state": {0: {"exp_avg": np.zeros(3)}},
                "param_groups": _stepped_adam(1).state_dict()["param_groups"],
            }
        ),
    ),
    "optim.nesterov": Trigger(ValueError, lambda t, m: SGD([Value(1.0)], lr=0.1, nesterov=True)),
    "optim.betas": Trigger(ValueError, lambda t, m: Adam([Value(1.0)], betas=0.9)),
    "optim.clip_not_node": Trigger(TypeError, lambda t, m: clip_grad_norm_([Value(1.0), "x"], 1.0)),
    "optim.norm_type": Trigger(ValueError, lambda t, m: clip_grad_norm_([Value(1.0)], 1.0, norm_type=0)),
    "optim.scheduler_optimizer": Trigger(TypeError, lambda t, m: ExponentialLR("sgd", gamma=0.5)),
    "optim.step_size": Trigger(ValueError, lambda t, m: StepLR(SGD([Value(1.0)], lr=0.1), step_size=0)),
    # checkpoint: saving
    "checkpoint.nonfinite": Trigger(ValueError, lambda t, m: _nan_model(t)),
    "checkpoint.save_type": Trigger(TypeError, lambda t, m: save([Value(1.0)], t / "x.npz")),
    "checkpoint.reserved": Trigger(ValueError, lambda t, m: save(_Reserved(), t / "x.npz")),
    # checkpoint: damaged files (the detail in parentheses is a part)
    "checkpoint.damaged": Trigger(ValueError, lambda t, m: _zip(t, {"readme.txt": b"hello"})),
    "checkpoint.pickled": part(ValueError, lambda t, m: _object_array(t)),
    "checkpoint.no_zip": part(
        ValueError, lambda t, m: (t / "g.npz").write_bytes(b"garbage") and load(_value_model(), t / "g.npz")
    ),
    "checkpoint.member": part(ValueError, lambda t, m: _zip(t, {"readme.txt": b"hello"})),
    "checkpoint.npy_version": part(
        ValueError, lambda t, m: _zip(t, {"__microgradfr__.npy": _npy(np.array("module"), version=(3, 0))})
    ),
    "checkpoint.header_size": part(ValueError, lambda t, m: _header_lies(t)),
    "checkpoint.kind_not_text": part(ValueError, lambda t, m: _with_kind(t, np.zeros(3))),
    "checkpoint.single_npy": Trigger(ValueError, lambda t, m: _single_npy(t)),
    # checkpoint: files that do not fit
    "checkpoint.mismatch_model": Trigger(ValueError, lambda t, m: load(nn.MLP(2, [4, 1]), _model_file(t))),
    "checkpoint.mismatch_optimizer": Trigger(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"state.7.step": 1}))
    ),
    "checkpoint.of_model": part(ValueError, lambda t, m: load(_stepped_adam(), _model_file(t))),
    "checkpoint.of_optimizer": part(ValueError, lambda t, m: load(_value_model(), _optimizer_file(t))),
    "checkpoint.of_other": part(ValueError, lambda t, m: _with_kind(t, "a teapot")),
    "checkpoint.wrong_kind_model": Trigger(ValueError, lambda t, m: load(_value_model(), _optimizer_file(t))),
    "checkpoint.wrong_kind_optimizer": Trigger(
        ValueError, lambda t, m: load(_stepped_adam(), _model_file(t))
    ),
    "checkpoint.bad_key": Trigger(ValueError, lambda t, m: _load_adam(t, _edit(stranger=1.0))),
    "checkpoint.group_count": Trigger(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.1.lr": 0.1}))
    ),
    "checkpoint.too_large": Trigger(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"state.0.exp_avg": np.zeros(1000)}))
    ),
    "checkpoint.p_hyperparameters": part(ValueError, lambda t, m: _load_adam(t, _drop("param_groups.0.eps"))),
    "checkpoint.p_no_parameter": part(ValueError, lambda t, m: _load_adam(t, _edit(**{"state.7.step": 1}))),
    "checkpoint.p_buffers": part(ValueError, lambda t, m: _load_adam(t, _edit(**{"state.0.bogus": 1.0}))),
    "checkpoint.p_many_buffers": part(ValueError, lambda t, m: _many_buffers(t)),
    "checkpoint.p_bool": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.amsgrad": "yes"}))
    ),
    "checkpoint.p_setting": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.lr": "fast"}))
    ),
    "checkpoint.want_number": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.lr": "x"}))
    ),
    "checkpoint.want_pair": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.betas": 0.9}))
    ),
    "checkpoint.p_finite": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.lr": np.nan}))
    ),
    "checkpoint.p_params_list": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.params": [0.0, 1.0]}))
    ),
    "checkpoint.p_params_order": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.params": [0, 0]}))
    ),
    "checkpoint.p_step_kind": part(ValueError, lambda t, m: _load_adam(t, _edit(**{"state.0.step": [1, 2]}))),
    "checkpoint.p_step_value": part(ValueError, lambda t, m: _load_adam(t, _edit(**{"state.0.step": -1}))),
    "checkpoint.p_buffer_shape": part(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"state.0.exp_avg": np.zeros(2)}))
    ),
    "checkpoint.p_complete": part(ValueError, lambda t, m: _load_adam(t, _drop("state.0.exp_avg_sq"))),
    "checkpoint.path_first": Trigger(TypeError, lambda t, m: load("model.npz")),
    "checkpoint.path_missing": Trigger(TypeError, lambda t, m: load(_value_model())),
    "checkpoint.in_file": Trigger(
        ValueError, lambda t, m: _load_adam(t, _edit(**{"param_groups.0.betas": [1.5, 0.999]}))
    ),
    "checkpoint.load_type": Trigger(TypeError, lambda t, m: load([1.0], t / "x.npz")),
    # custom ops
    "custom.arity": Trigger(TypeError, lambda t, m: _define("c_arity", lambda x: x)(Value(1.0), Value(2.0))),
    "custom.bad_name": Trigger(ValueError, lambda t, m: _define("my op", lambda x: x)),
    "custom.taken": Trigger(ValueError, lambda t, m: _define("tanh", lambda x: x)),
    "custom.forward_not_callable": Trigger(TypeError, lambda t, m: _define("c_forward", 3)),
    "custom.forward_inputs": Trigger(ValueError, lambda t, m: _define("c_four", lambda a, b, c, d: a)),
    "custom.forward_failed": Trigger(
        TypeError, lambda t, m: _define("c_fails", lambda x: x + "s")(Value(1.0))
    ),
    "custom.kind_numbers": part(TypeError, lambda t, m: _define("c_fails2", lambda x: x + "s")(Value(1.0))),
    "custom.kind_arrays": part(
        TypeError, lambda t, m: _define("c_fails3", lambda x: x + "s")(Tensor([1.0, 2.0], requires_grad=True))
    ),
    "custom.derivative_failed": Trigger(
        TypeError, lambda t, m: _define("c_deriv", lambda x: x, lambda x: 1.0)(Value(1.0))
    ),
    "custom.derivative_result": Trigger(
        ValueError, lambda t, m: _define("c_result", lambda x: x, lambda x, out: "one")(Value(1.0))
    ),
    "custom.one_number": part(
        ValueError, lambda t, m: _define("c_one", lambda x: x, lambda x, out: (1.0, 2.0))(Value(1.0))
    ),
    "custom.numbers": part(
        ValueError,
        lambda t, m: _define("c_two", lambda x, y: x * y, lambda x, y, out: 1.0)(Value(1.0), Value(2.0)),
    ),
    "custom.formulas": Trigger(
        ValueError, lambda t, m: _define("c_formulas", lambda x: x, formula=("1", "2"))
    ),
    # the perceptron
    "perceptron.lr": Trigger(ValueError, lambda t, m: Perceptron(lr=0)),
    "perceptron.threshold": Trigger(ValueError, lambda t, m: Perceptron(threshold="half")),
    "perceptron.epochs": Trigger(ValueError, lambda t, m: Perceptron(epochs=0)),
    "perceptron.init": Trigger(ValueError, lambda t, m: Perceptron(init="ones")),
    "perceptron.not_fitted": Trigger(ValueError, lambda t, m: _unfitted()),
    "perceptron.features": Trigger(
        ValueError, lambda t, m: Perceptron(seed=0).fit(X_AND, Y_AND).predict(np.zeros((4, 3)))
    ),
    "perceptron.not_2d": Trigger(ValueError, lambda t, m: Perceptron().fit(X_AND[:, 0], Y_AND)),
    "perceptron.labels_per_row": Trigger(ValueError, lambda t, m: Perceptron().fit(X_AND, Y_AND[:3])),
    "perceptron.empty": Trigger(ValueError, lambda t, m: Perceptron().fit(np.zeros((0, 2)), np.zeros(0))),
    "perceptron.labels": Trigger(ValueError, lambda t, m: Perceptron().fit(X_AND, 2 * Y_AND - 1)),
    "perceptron.not_converged": Trigger(
        ConvergenceWarning, lambda t, m: Perceptron(epochs=2).fit(*logic_gate("xor"))
    ),
    # data
    "data.seed": Trigger(ValueError, lambda t, m: make_moons(10, seed=-1)),
    "data.int": Trigger(ValueError, lambda t, m: make_moons(10.5)),
    "data.too_small": Trigger(ValueError, lambda t, m: make_moons(1)),
    "data.not_number": Trigger(ValueError, lambda t, m: make_moons(10, noise="a lot")),
    "data.negative_std": Trigger(ValueError, lambda t, m: make_moons(10, noise=-0.1)),
    "data.not_arrays": Trigger(ValueError, lambda t, m: train_test_split(3, 4)),
    "data.rows": Trigger(ValueError, lambda t, m: train_test_split(np.zeros((4, 2)), np.zeros(3))),
    "data.test_size_fraction": Trigger(
        ValueError, lambda t, m: train_test_split(np.zeros((4, 2)), np.zeros(4), test_size=1.5)
    ),
    "data.test_size_type": Trigger(
        ValueError, lambda t, m: train_test_split(np.zeros((4, 2)), np.zeros(4), test_size="half")
    ),
    "data.test_size_parts": Trigger(
        ValueError, lambda t, m: train_test_split(np.zeros((4, 2)), np.zeros(4), test_size=4)
    ),
    "data.kfold": Trigger(ValueError, lambda t, m: list(kfold(3, k=5))),
    "data.circles_factor": Trigger(ValueError, lambda t, m: make_circles(10, factor=1.5)),
    "data.blobs_centers": Trigger(ValueError, lambda t, m: make_blobs(10, centers=[1.0, 2.0])),
    "data.gate": Trigger(ValueError, lambda t, m: logic_gate("maybe")),
    "data.kind": Trigger(ValueError, lambda t, m: load_mnist(t, kind="valid")),
    "data.folder_missing": part(FileNotFoundError, lambda t, m: load_mnist(t / "nowhere")),
    "data.folder_empty": part(FileNotFoundError, lambda t, m: load_mnist(t)),
    "data.not_found": Trigger(FileNotFoundError, lambda t, m: load_mnist(t)),
    "data.of_images": part(FileNotFoundError, lambda t, m: load_mnist(t)),
    "data.of_labels": part(
        ValueError, lambda t, m: _mnist(t, _idx(IMAGES, (2, 28, 28)), _idx(IMAGES, (2, 28, 28)))
    ),
    "data.idx_short": Trigger(ValueError, lambda t, m: _mnist(t, b"\x00\x00", GOOD_LABELS)),
    "data.idx_magic_wrong": Trigger(ValueError, lambda t, m: _mnist(t, _idx(LABELS, (2,)), GOOD_LABELS)),
    "data.idx_magic": part(DownloadError, lambda t, m: _download_other(t, _idx(0x0D01, (2,)))),
    "data.idx_header": Trigger(
        ValueError, lambda t, m: _mnist(t, IMAGES.to_bytes(4, "big") + b"\x00", GOOD_LABELS)
    ),
    "data.idx_truncated": Trigger(
        ValueError, lambda t, m: _mnist(t, _idx(IMAGES, (2, 28, 28))[:-5], GOOD_LABELS)
    ),
    "data.idx_too_long": Trigger(
        ValueError, lambda t, m: _mnist(t, _idx(IMAGES, (2, 28, 28)) + b"xx", GOOD_LABELS)
    ),
    "data.describe_images": part(
        ValueError, lambda t, m: _mnist(t, _idx(IMAGES, (2, 28, 28))[:-5], GOOD_LABELS)
    ),
    "data.describe_labels": part(
        ValueError, lambda t, m: _mnist(t, _idx(IMAGES, (2, 28, 28)), GOOD_LABELS + b"x")
    ),
    "data.describe_array": part(DownloadError, lambda t, m: _download_other(t, _idx(0x0802, (2, 3)) + b"x")),
    "data.gzip": Trigger(ValueError, lambda t, m: _mnist(t, b"not gzip", b"not gzip", gzipped=True)),
    "data.image_size": Trigger(ValueError, lambda t, m: _mnist(t, _idx(IMAGES, (2, 8, 8)), GOOD_LABELS)),
    "data.mismatch": Trigger(ValueError, lambda t, m: _mnist(t, _idx(IMAGES, (3, 28, 28)), GOOD_LABELS)),
    "data.checksum_format": Trigger(
        ValueError, lambda t, m: download_mnist(t, files=["x.gz"], checksums={"x.gz": "abc"})
    ),
    "data.checksum": Trigger(
        DownloadError,
        lambda t, m: _download(t, _gz(GOOD_LABELS), checksums={"t10k-labels-idx1-ubyte.gz": "0" * 64}),
    ),
    "data.broken": Trigger(
        DownloadError,
        lambda t, m: _download(t, _gz(b"\x00\x00"), checksums={"t10k-labels-idx1-ubyte.gz": None}),
    ),
    "data.http": Trigger(DownloadError, _http_error),
    "data.network": Trigger(
        DownloadError,
        lambda t, m: download_mnist(
            t / "dest", url=(t / "absent").as_uri() + "/", files=["t10k-labels-idx1-ubyte.gz"], progress=False
        ),
    ),
    "data.truncated_download": Trigger(DownloadError, _truncated_download),
    "data.files": Trigger(ValueError, lambda t, m: download_mnist(t, files=[])),
    "data.no_checksum": Trigger(ValueError, lambda t, m: download_mnist(t, files=["mine.gz"])),
    "data.url": Trigger(ValueError, lambda t, m: download_mnist(t, url="")),
    # bridge (the ones that reach torch skip without it)
    "bridge.needs_torch": Trigger(ImportError, lambda t, m: _no_torch(microgradfr.to_torch, m)),
    "bridge.unsupported": Trigger(
        TypeError, lambda t, m: _torch() and microgradfr.to_torch(nn.Sequential(nn.ReLU(), _Mine()))
    ),
    "bridge.supported": part(
        TypeError, lambda t, m: _torch() and microgradfr.to_torch(nn.Sequential(_Mine()))
    ),
    "bridge.at": part(TypeError, lambda t, m: _torch() and microgradfr.to_torch(nn.Sequential(_Mine()))),
    "bridge.activation": part(TypeError, lambda t, m: _torch() and _mlp_with_odd_activation()),
    "bridge.with_pool": part(
        TypeError, lambda t, m: _from_torch(lambda tnn: tnn.MaxPool2d(2, ceil_mode=True))
    ),
    "bridge.with_dilation": part(
        TypeError, lambda t, m: _from_torch(lambda tnn: tnn.MaxPool2d(2, dilation=2))
    ),
    "bridge.with_conv": part(TypeError, lambda t, m: _from_torch(lambda tnn: tnn.Conv2d(2, 2, 3, groups=2))),
    "bridge.with_batchnorm": part(
        TypeError, lambda t, m: _from_torch(lambda tnn: tnn.BatchNorm1d(3, momentum=None))
    ),
    "bridge.with_avgpool": part(
        TypeError, lambda t, m: _from_torch(lambda tnn: tnn.AvgPool2d(2, count_include_pad=False))
    ),
    "bridge.to_torch_type": Trigger(
        TypeError, lambda t, m: _torch() and microgradfr.to_torch(_torch().nn.ReLU())
    ),
    "bridge.from_torch_type": Trigger(TypeError, lambda t, m: _torch() and microgradfr.from_torch(nn.ReLU())),
    # engine
    "engine.backward_setter": Trigger(TypeError, lambda t, m: setattr(Value(1.0), "_backward", 3)),
    "engine.no_grad": Trigger(RuntimeError, lambda t, m: _under_no_grad().backward()),
    "engine.op_name": Trigger(TypeError, lambda t, m: Value(1.0, (), 5)),
    "engine.already_node": Trigger(TypeError, lambda t, m: Value(Value(1.0))),
    "engine.not_number": Trigger(TypeError, lambda t, m: Value("one")),
    "engine.children_not_tuple": Trigger(TypeError, lambda t, m: Value(1.0, 5)),
    "engine.child_not_node": Trigger(TypeError, lambda t, m: Value(1.0, (2.0,))),
    "engine.linear": Trigger(
        ValueError, lambda t, m: linear([Value(1.0)], [Value(1.0), Value(2.0)], Value(0.0))
    ),
    # grad mode, gradcheck, Module, state_dict (task shape-i18n)
    "autograd.set_grad_enabled_mode": Trigger(TypeError, lambda t, m: microgradfr.set_grad_enabled(1)),
    "testing.not_scalar": Trigger(
        ValueError, lambda t, m: numerical_grad(lambda x: x * 2.0, [Tensor([1.0, 2.0], requires_grad=True)])
    ),
    "testing.count": Trigger(ValueError, lambda t, m: assert_grad(lambda: Value(2.0) * 3, [Value(1.0)], [])),
    "nn.no_forward": Trigger(NotImplementedError, lambda t, m: nn.Module()(1.0)),
    "nn.state_dict_type": Trigger(TypeError, lambda t, m: nn.Linear(2, 1).load_state_dict([1.0])),
    "nn.mlp_activations": Trigger(ValueError, lambda t, m: _mixed_activations().state_dict()),
    "summary.batch_dim": Trigger(
        ValueError, lambda t, m: nn.Sequential(nn.Linear(2, 3)).summary((2,), batch_dim=1)
    ),
    "summary.wrong_rank": Trigger(ValueError, lambda t, m: nn.Sequential(nn.Conv2d(1, 2, 3)).summary((5,))),
    "summary.neither": part(
        ValueError, lambda t, m: nn.Sequential(nn.Flatten(), nn.Linear(2, 3)).summary((5,))
    ),
    # the problem lines of a refused checkpoint speak its language: "ce fichier", "the file"
    "checkpoint.source_file": part(ValueError, lambda t, m: load(nn.MLP(2, [4, 1]), _model_file(t))),
    "nn.state_shape": part(ValueError, lambda t, m: load(nn.MLP(2, [4, 1]), _model_file(t))),
    "nn.state_missing": part(ValueError, lambda t, m: load(nn.MLP(2, [3, 1, 1]), _model_file(t))),
    "nn.state_unexpected": part(ValueError, lambda t, m: load(nn.MLP(2, [1]), _model_file(t))),
    # training (its keys were in the catalogue already: each is raised here in both languages too)
    "penalty.no_parameters": Trigger(ValueError, lambda t, m: l2_penalty([])),
    "fit.unknown_metric": Trigger(ValueError, lambda t, m: _fit(metrics=["precision"])),
    "history.missing": Trigger(KeyError, lambda t, m: History()["val_loss"]),
    "plot.needs_matplotlib": Trigger(ImportError, lambda t, m: _history_plot(m)),
    "early.patience": Trigger(ValueError, lambda t, m: EarlyStopping(patience=-1)),
    "early.min_delta": Trigger(ValueError, lambda t, m: EarlyStopping(min_delta=-1)),
    "early.mode": Trigger(ValueError, lambda t, m: EarlyStopping(mode="up")),
    "early.monitor": Trigger(ValueError, lambda t, m: _callback_fails(EarlyStopping(monitor="val_loss"))),
    "early.val_hint": part(ValueError, lambda t, m: _callback_fails(EarlyStopping(monitor="val_loss"))),
    "fit.bad_callback": Trigger(TypeError, lambda t, m: _callback_fails(3)),
    "fit.no_parameters": Trigger(
        ValueError, lambda t, m: _fit(model=_Empty(), optimizer=SGD([Value(1.0)], lr=0.1))
    ),
    "fit.not_a_pair": Trigger(TypeError, lambda t, m: _fit(data=X_AND)),
    "fit.lengths": Trigger(ValueError, lambda t, m: _fit(data=(X_AND, Y_AND[:3]))),
    "fit.empty": Trigger(ValueError, lambda t, m: _fit(data=(np.zeros((0, 2)), np.zeros(0)))),
    "fit.loss_not_node": Trigger(TypeError, lambda t, m: _fit(loss_fn=lambda out, t: 0.5)),
    "fit.loss_not_scalar": Trigger(
        ValueError, lambda t, m: _fit(model=nn.Sequential(nn.Linear(2, 3)), loss_fn=lambda out, t: out)
    ),
    "fit.bad_int": Trigger(ValueError, lambda t, m: _fit(epochs=-1)),
    "fit.nonfinite": Trigger(
        FloatingPointError, lambda t, m: _fit(loss_fn=lambda out, t: out * float("inf"))
    ),
    # torch-functions: microgradfr.functions (torch.exp, torch.where, ...) and microgradfr.utils.data
    "torchfn.not_a_tensor": Trigger(TypeError, lambda t, m: microgradfr.sum([1.0, 2.0])),
    "torchfn.max_other": Trigger(TypeError, lambda t, m: microgradfr.max(Tensor([1.0]), Tensor([2.0]))),
    "torchfn.where_side": Trigger(TypeError, lambda t, m: microgradfr.where(_MASK, [1.0, 2.0], 0.0)),
    "torchfn.where_condition": Trigger(RuntimeError, lambda t, m: microgradfr.where(Tensor([1.0]), 1.0, 2.0)),
    "torchfn.where_args": Trigger(TypeError, lambda t, m: microgradfr.where(_MASK, Tensor([1.0, 2.0]))),
    "torchfn.where_shapes": Trigger(
        RuntimeError, lambda t, m: microgradfr.where(_MASK, Tensor(np.zeros(3)), 0.0)
    ),
    "torchfn.from_numpy_type": Trigger(TypeError, lambda t, m: microgradfr.from_numpy([1, 2])),
    "utils.data.no_getitem": Trigger(NotImplementedError, lambda t, m: Dataset()[0]),
    "utils.data.no_len": Trigger(NotImplementedError, lambda t, m: len(Dataset())),
    "utils.data.no_tensors": Trigger(ValueError, lambda t, m: TensorDataset()),
    "utils.data.not_a_tensor": Trigger(TypeError, lambda t, m: TensorDataset(np.zeros(3))),
    "utils.data.zero_dim": Trigger(ValueError, lambda t, m: TensorDataset(Tensor(1.0))),
    "utils.data.size_mismatch": Trigger(
        ValueError, lambda t, m: TensorDataset(Tensor(np.zeros((3, 2))), Tensor(np.zeros(2)))
    ),
    "utils.data.collate_type": Trigger(TypeError, lambda t, m: next(iter(DataLoader([object()])))),
    "utils.data.generator": Trigger(TypeError, lambda t, m: DataLoader(_DATA, generator=0)),
    "utils.data.not_a_dataset": Trigger(TypeError, lambda t, m: DataLoader(3)),
    "utils.data.batch_size": Trigger(ValueError, lambda t, m: DataLoader(_DATA, batch_size=0)),
    "utils.data.split_fraction": Trigger(ValueError, lambda t, m: random_split(_DATA, [1.5, -0.5])),
    "utils.data.split_lengths": Trigger(ValueError, lambda t, m: random_split(_DATA, [2, 2])),
}


def _mixed_activations():
    model = nn.MLP(2, [3, 1])
    model.layers[0].neurons[0].nonlin = False  # one linear neuron among ReLUs
    return model


def _under_no_grad():
    x = Value(2.0)
    with no_grad():
        return x * 3


def _pattern(text: str) -> re.Pattern:
    """The catalogue's text as a regex: its words literally, each {field} any text."""
    parts = [
        re.escape(literal) + ("(.*?)" if field is not None else "")
        for literal, field, _, _ in string.Formatter().parse(text)
    ]
    return re.compile("".join(parts), re.S)


def _raised_text(trigger: Trigger, tmp_path, monkeypatch) -> str:
    if issubclass(trigger.error, Warning):
        with pytest.warns(trigger.error) as caught:
            trigger.make(tmp_path, monkeypatch)
        return str(next(w.message for w in caught if isinstance(w.message, trigger.error)))
    with pytest.raises(trigger.error) as info:
        trigger.make(tmp_path, monkeypatch)
    return info.value.args[0]  # a KeyError's str() adds quotes


def _catalogue_keys_raised_in_owned_files() -> set:
    """The keys the owned files pass to i18n.message (training's included), read from their source."""
    keys = set()
    for path in OWNED:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and getattr(node.func, "attr", None) == "message"
                and node.args
                and isinstance(node.args[0], ast.Constant)
            ):
                keys.add(node.args[0].value)
    return keys


def test_every_key_has_a_trigger():
    """A new key of these modules without a trigger below fails here."""
    mine = {k for k in CATALOGUE["fr"] if k.startswith(PREFIXES)}
    wanted = (mine | (_catalogue_keys_raised_in_owned_files() & _error_keys())) - NOT_RAISED
    assert not wanted - set(TRIGGERS), f"keys with no trigger: {sorted(wanted - set(TRIGGERS))}"
    assert not set(TRIGGERS) - set(CATALOGUE["fr"]), "triggers for keys the catalogue lacks"


def _error_keys() -> set:
    """The keys raised (not printed) by the owned files: those inside a raise or an exception built."""
    keys = set()
    for path in OWNED:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and node.exc is not None:
                for inner in ast.walk(node.exc):
                    if (
                        isinstance(inner, ast.Call)
                        and getattr(inner.func, "attr", None) == "message"
                        and inner.args
                        and isinstance(inner.args[0], ast.Constant)
                    ):
                        keys.add(inner.args[0].value)
    return keys


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("key", sorted(TRIGGERS))
def test_the_error_is_the_catalogues_text_in_the_language(key, lang, tmp_path, monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    trigger = TRIGGERS[key]
    with i18n.language(lang):
        text = _raised_text(trigger, tmp_path, monkeypatch)
    mine = _pattern(CATALOGUE[lang][key])
    found = mine.fullmatch(text) if trigger.whole else mine.search(text)
    assert found, f"{key} ({lang}): {text!r} is not {CATALOGUE[lang][key]!r}"
    other = "en" if lang == "fr" else "fr"
    if trigger.whole and CATALOGUE[other][key] != CATALOGUE[lang][key]:
        assert not _pattern(CATALOGUE[other][key]).fullmatch(text), f"{key}: {lang} reads like {other}"


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_environment_variable_chooses_the_errors_language(lang, monkeypatch):
    monkeypatch.setenv(i18n.ENV_VAR, lang)
    with pytest.raises(ValueError) as info:
        SGD([], lr=0.1)
    assert str(info.value) == CATALOGUE[lang]["optim.params_empty"].format(owner="SGD")
