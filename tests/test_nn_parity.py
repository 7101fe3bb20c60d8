"""PyTorch's next modules in microgradfr.nn: the losses, Identity, LogSoftmax, ModuleList and Parameter,
each held to torch (values, gradients, reprs, state_dict keys and order), and their errors in both
languages. Every expected value comes from torch."""
import re
import warnings

import numpy as np
import pytest

from microgradfr import Tensor, i18n, manual_seed, nn
from microgradfr.nn.losses import REDUCTIONS
from microgradfr.optim import SGD

torch = pytest.importorskip("torch")
tnn = torch.nn


@pytest.fixture(autouse=True)
def _french_by_default(monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


# ------------------------------------------------------------------ the losses, against torch
def _regression(rng):
    return rng.normal(size=(4, 3)), rng.normal(size=(4, 3))


def _probabilities(rng):
    return 1 / (1 + np.exp(-rng.normal(size=(4, 3)))), rng.uniform(size=(4, 3))


def _logits(rng):
    x = rng.normal(scale=3.0, size=(4, 3))
    x[0, 0] = 0.0  # softplus' kink-free gradient at 0: σ(0) − t
    x[1, 1] = 40.0  # far out on both sides: no overflow
    x[2, 2] = -40.0
    return x, rng.uniform(size=(4, 3))


def _classes(rng):
    return rng.normal(size=(6, 4)), np.array([0, 2, 1, 3, 2, 0])


def _log_probabilities(rng):
    x, t = _classes(rng)
    return x - np.log(np.exp(x).sum(axis=1, keepdims=True)), t


def _ignored(make):
    """``make``'s classes with two examples marked -100 (PyTorch's default ignore_index)."""
    def inputs(rng):
        x, t = make(rng)
        return x, np.where(np.arange(len(t)) % 3 == 1, -100, t)
    return inputs


# name: (inputs, [options: keyword arguments both constructors take, arrays as lists])
LOSSES = {
    "MSELoss": [(_regression, {})],
    "L1Loss": [(_regression, {})],
    "BCELoss": [(_probabilities, {}), (_probabilities, {"weight": [0.5, 1.0, 2.0]}),
                (_probabilities, {"weight": [[1.0], [2.0], [0.0], [3.0]]})],
    "BCEWithLogitsLoss": [(_logits, {}), (_logits, {"weight": [0.5, 1.0, 2.0]}),
                          (_logits, {"pos_weight": [3.0, 1.0, 0.5]}),
                          (_logits, {"weight": [[1.0], [2.0], [0.0], [3.0]], "pos_weight": [2.0, 2.0, 0.1]})],
    "CrossEntropyLoss": [(_classes, {}), (_classes, {"weight": [1.0, 2.0, 0.5, 3.0]}),
                         (_classes, {"ignore_index": 2}), (_ignored(_classes), {}),
                         (_ignored(_classes), {"weight": [1.0, 2.0, 0.5, 3.0]})],
    "NLLLoss": [(_log_probabilities, {}), (_log_probabilities, {"weight": [1.0, 2.0, 0.5, 3.0]}),
                (_log_probabilities, {"ignore_index": 0}), (_ignored(_log_probabilities), {}),
                (_ignored(_log_probabilities), {"weight": [1.0, 2.0, 0.5, 3.0]})],
}
CASES = [(name, i, reduction) for name, options in LOSSES.items() for i in range(len(options))
         for reduction in REDUCTIONS]


def test_every_loss_is_tested():
    assert {name for name in nn.__all__ if name.endswith("Loss")} == set(LOSSES)


def _torch_options(options):
    return {k: torch.tensor(v, dtype=torch.float64) if isinstance(v, list) else v for k, v in options.items()}


@pytest.mark.parametrize("name, case, reduction", CASES, ids=lambda v: str(v))
def test_a_loss_gives_torchs_values_and_gradients(name, case, reduction):
    make, options = LOSSES[name][case]
    x, t = make(np.random.default_rng(case))
    ours = getattr(nn, name)(**options, reduction=reduction)
    theirs = getattr(tnn, name)(**_torch_options(options), reduction=reduction)
    xt = torch.tensor(x, requires_grad=True)
    tt = torch.tensor(t) if t.dtype.kind == "i" else torch.tensor(t, dtype=torch.float64)
    expected = theirs(xt, tt)
    g = np.random.default_rng(99).normal(size=expected.shape)
    expected.backward(torch.tensor(g))

    xo = Tensor(x, requires_grad=True)
    got = ours(xo, t)
    got.backward(g)
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), rtol=1e-10, atol=1e-12)
    assert repr(ours) == repr(theirs)


@pytest.mark.parametrize("name", LOSSES)
def test_a_loss_takes_tensors_and_float32(name):
    """Targets as Tensors (class indices held as floats too, as Tensor([0, 2]) does) and float32 inputs."""
    make, options = LOSSES[name][0]
    x, t = make(np.random.default_rng(0))
    theirs = getattr(tnn, name)()(torch.tensor(x), torch.tensor(t))
    target = Tensor(t) if t.dtype.kind == "i" else Tensor(t.astype(np.float32))  # Tensor([0, 2]): floats
    got = getattr(nn, name)()(Tensor(x.astype(np.float32)), target)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got.data, theirs.numpy(), rtol=1e-5)


def test_the_logits_loss_stays_finite_where_the_sigmoid_saturates():
    x = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    t = np.array([1.0, 0.0, 1.0, 1.0, 0.0])
    xt = torch.tensor(x, requires_grad=True)
    expected = tnn.BCEWithLogitsLoss(reduction="sum")(xt, torch.tensor(t))
    expected.backward()
    xo = Tensor(x, requires_grad=True)
    got = nn.BCEWithLogitsLoss(reduction="sum")(xo, t)
    got.backward()
    assert np.isfinite(got.data) and np.isfinite(xo.grad).all()
    # by hand: the two confident mistakes cost |x| = 1000 each, x = 0 costs ln 2, the others softplus(−30)
    np.testing.assert_allclose(got.data, 2000 + np.log(2) + 2 * np.log1p(np.exp(-30.0)), rtol=1e-15)
    np.testing.assert_allclose(got.data, expected.item(), rtol=1e-15)
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), atol=1e-15)


def test_log_softmax_then_nll_is_cross_entropy():
    x, t = _classes(np.random.default_rng(3))
    a, b = Tensor(x, requires_grad=True), Tensor(x, requires_grad=True)
    nn.NLLLoss()(nn.LogSoftmax(dim=1)(a), t).backward()
    nn.CrossEntropyLoss()(b, t).backward()
    np.testing.assert_allclose(a.grad, b.grad, atol=1e-15)


def test_a_loss_weight_is_a_buffer_in_state_dict_as_torchs():
    ours = nn.BCEWithLogitsLoss(pos_weight=[1.0, 2.0])
    theirs = tnn.BCEWithLogitsLoss(pos_weight=torch.tensor([1.0, 2.0], dtype=torch.float64))
    assert list(ours.state_dict()) == list(theirs.state_dict()) == ["pos_weight"]
    assert ours.parameters() == []


# ------------------------------------------------------------------ Identity and LogSoftmax
def test_identity_returns_its_input_and_ignores_its_arguments():
    x = Tensor([1.0, 2.0])
    assert nn.Identity(3, bias=False)(x) is x
    assert repr(nn.Identity(3)) == repr(tnn.Identity(3)) == "Identity()"


@pytest.mark.parametrize("shape, dim", [((5,), 0), ((3, 4), 1), ((3, 4), 0), ((2, 3, 4), -1),
                                        ((2, 3, 4, 5), 1)])
def test_log_softmax_gives_torchs_values_and_gradients(shape, dim):
    x = np.random.default_rng(len(shape)).normal(scale=5.0, size=shape)
    g = np.random.default_rng(1).normal(size=shape)
    xt = torch.tensor(x, requires_grad=True)
    expected = tnn.LogSoftmax(dim=dim)(xt)
    expected.backward(torch.tensor(g))
    xo = Tensor(x, requires_grad=True)
    got = nn.LogSoftmax(dim=dim)(xo)
    got.backward(g)
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-12)
    np.testing.assert_allclose(xo.grad, xt.grad.numpy(), rtol=1e-10, atol=1e-14)
    assert repr(nn.LogSoftmax(dim=dim)) == repr(tnn.LogSoftmax(dim=dim))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("ndim", [1, 2, 3, 4])
def test_log_softmax_without_dim_picks_torchs_axis_and_warns(ndim, lang):
    x = np.random.default_rng(ndim).normal(size=(2, 3, 4, 5)[:ndim])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = tnn.LogSoftmax()(torch.tensor(x)).numpy()
    dim = 0 if ndim in (1, 3) else 1
    with i18n.language(lang), pytest.warns(UserWarning) as caught:
        got = nn.LogSoftmax()(Tensor(x))
    assert str(caught[0].message) == i18n.message("nn.implicit_dim", lang, layer="LogSoftmax", dim=dim)
    np.testing.assert_allclose(got.data, expected, rtol=1e-12)
    assert repr(nn.LogSoftmax()) == repr(tnn.LogSoftmax())


# ------------------------------------------------------------------ ModuleList and Parameter
class Ours(nn.Module):
    """A model that needs ModuleList and Parameter: a learnt scale per output and a frozen temperature."""

    def __init__(self):
        self.scale = nn.Parameter(np.linspace(0.5, 1.5, 3))
        self.layers = nn.ModuleList([nn.Linear(2, 8), nn.Tanh(), nn.Linear(8, 8), nn.Tanh()])
        self.layers.append(nn.Linear(8, 3))
        self.temperature = nn.Parameter(np.array(2.0), requires_grad=False)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x * self.scale / self.temperature


class Theirs(tnn.Module):
    def __init__(self):
        super().__init__()
        self.scale = tnn.Parameter(torch.linspace(0.5, 1.5, 3, dtype=torch.float64))
        self.layers = tnn.ModuleList([tnn.Linear(2, 8), tnn.Tanh(), tnn.Linear(8, 8), tnn.Tanh()])
        self.layers.append(tnn.Linear(8, 3))
        self.temperature = tnn.Parameter(torch.tensor(2.0, dtype=torch.float64), requires_grad=False)

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x * self.scale / self.temperature


def test_parameters_and_module_lists_are_named_and_ordered_as_torchs():
    ours, theirs = Ours(), Theirs().double()
    names = [name for name, _ in theirs.named_parameters()]
    assert [name for name, _ in ours.named_parameters()] == names
    assert "layers.0.weight" in names and names[:2] == ["scale", "temperature"]
    assert [(k, v.shape) for k, v in ours.state_dict().items()] == \
           [(k, tuple(v.shape)) for k, v in theirs.state_dict().items()]
    assert len(ours.parameters()) == len(list(theirs.parameters()))
    assert ours.num_parameters() == sum(p.numel() for p in theirs.parameters())
    assert repr(ours).replace("Ours", "Theirs") == repr(theirs)


def test_modules_and_children_are_listed_as_torchs():
    ours, theirs = Ours(), Theirs()
    assert [(name, type(m).__name__) for name, m in ours.named_modules()][1:] == \
           [(name, type(m).__name__) for name, m in theirs.named_modules()][1:]
    assert [type(m).__name__ for m in ours.modules()][1:] == [type(m).__name__ for m in theirs.modules()][1:]
    assert next(ours.modules()) is ours and next(ours.named_modules()) == ("", ours)
    assert [name for name, _ in ours.named_children()] == [name for name, _ in theirs.named_children()]
    assert [type(m).__name__ for m in ours.children()] == [type(m).__name__ for m in theirs.children()]


def test_a_shared_module_is_listed_once_and_its_parameters_once_as_torchs():
    """A layer used twice (weight tying) and a layer that points back to its model."""
    shared, tshared = nn.Linear(2, 2), tnn.Linear(2, 2)
    ours, theirs = nn.ModuleList([shared, nn.ReLU(), shared]), tnn.ModuleList([tshared, tnn.ReLU(), tshared])
    assert [name for name, _ in ours.named_modules()] == [name for name, _ in theirs.named_modules()]
    assert [name for name, _ in ours.named_parameters()] == [name for name, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    ours[1].owner = ours  # a cycle: named_modules still ends
    assert len(list(ours.modules())) == 3


def test_lists_of_lists_of_layers_are_found():
    """Plain (nested) lists are microgradfr's own convenience, named as torch would name a ModuleList."""
    class Blocks(nn.Module):
        def __init__(self):
            self.blocks = [[nn.Linear(1, 2), nn.Linear(2, 1)], (nn.ReLU(),)]

    blocks = Blocks()
    assert list(blocks.state_dict()) == [name for name, _ in blocks.named_parameters()] == \
           ["blocks.0.0.weight", "blocks.0.0.bias", "blocks.0.1.weight", "blocks.0.1.bias"]
    assert len(list(blocks.children())) == 3
    assert not blocks.eval().blocks[1][0].training


def test_a_model_loaded_from_torch_computes_torchs_output_and_gradients():
    ours, theirs = Ours(), Theirs().double()
    ours.load_state_dict(theirs.state_dict())
    x = np.random.default_rng(0).normal(size=(5, 2))
    expected = theirs(torch.tensor(x))
    expected.sum().backward()
    got = ours(Tensor(x))
    got.sum().backward()
    np.testing.assert_allclose(got.data, expected.detach().numpy(), rtol=1e-12)
    for (name, p), (_, q) in zip(ours.named_parameters(), theirs.named_parameters()):
        if q.requires_grad:
            np.testing.assert_allclose(p.grad, q.grad.numpy(), rtol=1e-10, atol=1e-14, err_msg=name)
        else:
            assert p.grad is None and q.grad is None, name
    ours.zero_grad()
    assert all(p.grad is None for p in ours.parameters())


def test_the_summary_names_the_layers_of_a_module_list():
    manual_seed(0)
    names = [row.name for row in Ours().summary((2,)).rows]
    assert names == [name for name, m in Theirs().named_modules() if not list(m.children()) and name]


def test_a_parameter_is_a_tensor_as_torchs():
    data = Tensor([1.0, 2.0])
    p = nn.Parameter(data)
    assert isinstance(p, Tensor) and p.requires_grad and p.is_leaf
    assert p.data is data.data  # shared, as torch shares the storage
    frozen = nn.Parameter(np.ones(2), requires_grad=False)
    assert not frozen.requires_grad
    assert nn.Parameter().shape == tuple(tnn.Parameter().shape) == (0,)
    assert repr(p).splitlines()[0] == repr(tnn.Parameter(torch.ones(2))).splitlines()[0]
    assert type(nn.Linear(2, 3).weight).__name__ == type(tnn.Linear(2, 3).weight).__name__ == "Parameter"


# The same edits on both lists, of modules whose reprs agree; after each, the lists print alike.
EDITS = {
    "append": lambda m, ns: m.append(ns.Sigmoid()),
    "extend": lambda m, ns: m.extend([ns.Tanh(), ns.Tanh()]),
    "extend a Sequential": lambda m, ns: m.extend(ns.Sequential(ns.ReLU(), ns.Identity())),
    "insert": lambda m, ns: m.insert(1, ns.Identity()),
    "insert past the end": lambda m, ns: m.insert(10, ns.Identity()),
    "pop(-1)": lambda m, ns: m.pop(-1),
    "pop(0)": lambda m, ns: m.pop(0),
    "pop a slice": lambda m, ns: m.pop(slice(1, 3)),
    "del [1]": lambda m, ns: m.__delitem__(1),
    "del [-1]": lambda m, ns: m.__delitem__(-1),
    "del [::2]": lambda m, ns: m.__delitem__(slice(None, None, 2)),
    "set [0]": lambda m, ns: m.__setitem__(0, ns.Sigmoid()),
    "set [-2]": lambda m, ns: m.__setitem__(-2, ns.Sigmoid()),
    "+=": lambda m, ns: m.__iadd__([ns.ReLU()]),
}


@pytest.mark.parametrize("edit", EDITS)
def test_a_module_list_edits_as_torchs(edit):
    ours = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.ReLU(), nn.Linear(2, 3)])
    theirs = tnn.ModuleList([tnn.ReLU(), tnn.Tanh(), tnn.ReLU(), tnn.Linear(2, 3)])
    got, expected = EDITS[edit](ours, nn), EDITS[edit](theirs, tnn)
    assert repr(got) == repr(expected)
    assert repr(ours) == repr(theirs)
    assert list(ours.state_dict()) == list(theirs.state_dict())


@pytest.mark.parametrize("index", [0, 2, -1, -4, slice(1, 3), slice(None, None, -1), slice(5, 9)])
def test_a_module_list_reads_as_torchs(index):
    ours = nn.ModuleList([nn.ReLU(), nn.Tanh(), nn.Sigmoid(), nn.Identity()])
    theirs = tnn.ModuleList([tnn.ReLU(), tnn.Tanh(), tnn.Sigmoid(), tnn.Identity()])
    assert repr(ours[index]) == repr(theirs[index])
    assert len(ours) == len(theirs) and [repr(m) for m in ours] == [repr(m) for m in theirs]
    assert repr(ours + ours[:2]) == repr(theirs + theirs[:2])


REPRS = {
    "empty": lambda ns: ns.ModuleList(),
    "runs": lambda ns: ns.ModuleList([ns.Linear(2, 3), ns.Linear(2, 3), ns.ReLU(), ns.Linear(2, 3)]),
    "nested": lambda ns: ns.ModuleList([ns.Sequential(ns.Linear(1, 1), ns.ReLU()),
                                        ns.ModuleList([ns.Tanh()])]),
    "Sequential inside Sequential": lambda ns: ns.Sequential(ns.Linear(1, 1), ns.Sequential(ns.ReLU())),
    "empty Sequential": lambda ns: ns.Sequential(),
    "losses": lambda ns: ns.ModuleList([ns.MSELoss(), ns.L1Loss(), ns.BCELoss(), ns.NLLLoss(),
                                        ns.CrossEntropyLoss(), ns.BCEWithLogitsLoss(), ns.LogSoftmax(dim=1)]),
}


@pytest.mark.parametrize("name", REPRS)
def test_reprs_are_torchs(name):
    assert repr(REPRS[name](nn)) == repr(REPRS[name](tnn))


def test_a_module_list_and_cross_entropy_train_with_sgd():
    manual_seed(0)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(60, 2))
    y = (x[:, 0] * x[:, 1] > 0).astype(np.int64)  # XOR of the signs: needs the hidden layer

    class Net(nn.Module):
        def __init__(self):
            self.layers = nn.ModuleList([nn.Linear(2, 16), nn.Tanh(), nn.Linear(16, 2)])

        def forward(self, x):
            for layer in self.layers:
                x = layer(x)
            return x

    model, loss_fn = Net(), nn.CrossEntropyLoss()
    optimizer = SGD(model.parameters(), lr=0.5)
    losses = []
    for _ in range(150):
        optimizer.zero_grad()
        loss = loss_fn(model(Tensor(x)), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    assert len(model.parameters()) == 4
    assert losses[-1] < 0.5 * losses[0]
    assert (np.diff(losses) <= 1e-12).mean() > 0.9


# ------------------------------------------------------------------ errors, in both languages
def _mixed_mlp():
    mlp = nn.MLP(2, [2, 1])
    mlp.layers[0].neurons[1].activation = "tanh"
    return mlp.state_dict()


def _call(module, *args):
    return lambda: module(*args)


ERRORS = {
    "a reduction": (lambda: nn.MSELoss(reduction="avg"), ValueError, "nn.reduction",
                    dict(loss="MSELoss", value="avg", choices="'mean', 'sum', 'none'")),
    "a class out of range": (_call(nn.CrossEntropyLoss(), Tensor(np.zeros((2, 3))), [0, 3]), IndexError,
                             "nn.class_range",
                             dict(loss="CrossEntropyLoss", value=3, last=2, ignore_index=-100)),
    "a negative class": (_call(nn.NLLLoss(ignore_index=5), Tensor(np.zeros((2, 3))), [0, -1]), IndexError,
                         "nn.class_range", dict(loss="NLLLoss", value=-1, last=2, ignore_index=5)),
    "an input of one axis": (_call(nn.NLLLoss(), Tensor(np.zeros(3)), [0]), ValueError, "nn.class_input",
                             dict(loss="NLLLoss", shape=(3,))),
    "too few targets": (_call(nn.NLLLoss(), Tensor(np.zeros((2, 3))), [0]), ValueError, "nn.class_target",
                        dict(loss="NLLLoss", n=2, shape=(1,), dtype=np.dtype(np.int64))),
    "fractional targets": (_call(nn.CrossEntropyLoss(), Tensor(np.zeros((2, 3))), [0.5, 1.0]), ValueError,
                           "nn.class_target", dict(loss="CrossEntropyLoss", n=2, shape=(2,),
                                                   dtype=np.dtype(np.float64))),
    "a class weight": (_call(nn.CrossEntropyLoss(weight=[1.0, 2.0]), Tensor(np.zeros((2, 3))), [0, 1]),
                       ValueError, "nn.class_weight", dict(loss="CrossEntropyLoss", classes=3, shape=(2,))),
    "a target's shape": (_call(nn.BCEWithLogitsLoss(), Tensor(np.zeros((2, 3))), np.zeros(3)), ValueError,
                         "nn.target_shape", dict(loss="BCEWithLogitsLoss", target=(3,), input=(2, 3))),
    "a weight's shape": (_call(nn.BCELoss(weight=[1.0, 2.0]), Tensor(np.full((2, 3), 0.5)), np.zeros((2, 3))),
                         ValueError, "nn.weight_shape", dict(loss="BCELoss", weight=(2,), input=(2, 3))),
    "a number in a ModuleList": (lambda: nn.ModuleList([1]), TypeError, "nn.modulelist_item",
                                 dict(method="extend", type="int")),
    "a number appended": (lambda: nn.ModuleList().append(3.0), TypeError, "nn.modulelist_item",
                          dict(method="append", type="float")),
    "a layer, not a list": (lambda: nn.ModuleList(nn.ReLU()), TypeError, "nn.modulelist_iterable",
                            dict(type="ReLU")),
    "an index out of range": (lambda: nn.ModuleList([nn.ReLU()])[1], IndexError, "nn.modulelist_index",
                              dict(method="[]", index=1, length=1)),
    "popping an empty list": (lambda: nn.ModuleList().pop(-1), IndexError, "nn.modulelist_index",
                              dict(method="pop", index=-1, length=0)),
    "a name as index": (lambda: nn.ModuleList([nn.ReLU()])["0"], TypeError, "nn.modulelist_index_type",
                        dict(method="[]", type="str")),
    "no forward": (_call(nn.ModuleList(), Tensor([1.0])), NotImplementedError, "nn.no_forward",
                   dict(module="ModuleList")),
    "a list as a state": (lambda: nn.Linear(2, 2).load_state_dict([1]), TypeError, "nn.state_dict_type",
                          dict(owner="Linear.load_state_dict", type="list")),
    "an activation": (lambda: nn.Neuron(2, activation="swish"), ValueError, "nn.activation",
                      dict(value="swish", choices="'relu', 'tanh', 'sigmoid', 'leaky_relu', 'linear'")),
    "no inputs": (lambda: nn.Neuron(0), ValueError, "nn.neuron_nin", dict(value=0)),
    "too many inputs": (lambda: nn.Neuron(2)([1.0, 2.0, 3.0]), ValueError, "nn.neuron_inputs",
                        dict(got=3, expected=2)),
    "no neurons": (lambda: nn.Layer(2, 0), ValueError, "nn.layer_nout", dict(layer="Layer", value=0)),
    "mixed activations": (_mixed_mlp, ValueError, "nn.mlp_activations",
                          dict(index=0, names=["relu", "tanh"])),
}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("case", ERRORS)
def test_errors_speak_the_chosen_language(case, lang):
    run, kind, key, fields = ERRORS[case]
    with i18n.language(lang), pytest.raises(kind) as info:
        run()
    assert str(info.value) == i18n.message(key, lang, **fields)


@pytest.mark.parametrize("case", ERRORS)
def test_errors_are_french_by_default(case):
    run, kind, key, fields = ERRORS[case]
    with pytest.raises(kind, match=re.escape(i18n.message(key, "fr", **fields))):
        run()


# The same mistakes made with torch raise the same type of exception (a wrong-sized weight is the
# exception: torch raises RuntimeError, microgradfr a ValueError, as for every shape it refuses).
TORCH_MISTAKES = {
    "a class out of range": lambda: tnn.CrossEntropyLoss()(torch.zeros(2, 3), torch.tensor([0, 3])),
    "a negative class": lambda: tnn.NLLLoss(ignore_index=5)(torch.zeros(2, 3), torch.tensor([0, -1])),
    "too few targets": lambda: tnn.NLLLoss()(torch.zeros(2, 3), torch.tensor([0])),
    "a target's shape": lambda: tnn.BCEWithLogitsLoss()(torch.zeros(2, 3), torch.zeros(3)),
    "a number in a ModuleList": lambda: tnn.ModuleList([1]),
    "a number appended": lambda: tnn.ModuleList().append(3.0),
    "a layer, not a list": lambda: tnn.ModuleList(tnn.ReLU()),
    "an index out of range": lambda: tnn.ModuleList([tnn.ReLU()])[1],
    "no forward": lambda: tnn.ModuleList()(torch.ones(1)),
    "a list as a state": lambda: tnn.Linear(2, 2).load_state_dict([1]),
}


@pytest.mark.parametrize("case", TORCH_MISTAKES)
def test_a_mistake_raises_what_torch_raises(case):
    with pytest.raises(Exception) as theirs:
        TORCH_MISTAKES[case]()
    with pytest.raises(ERRORS[case][1]):
        ERRORS[case][0]()
    assert issubclass(theirs.type, ERRORS[case][1]), f"torch raises {theirs.type.__name__}"
