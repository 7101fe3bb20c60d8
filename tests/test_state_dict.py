"""state_dict() and load_state_dict(): PyTorch's names, shapes and order; loads are all-or-nothing."""
import numpy as np
import pytest

from microgradfr import Tensor, i18n, manual_seed, nn

# One small instance of every layer, and the MLP, keyed by class name: the tests below read this table,
# and test_every_layer_is_in_the_table fails when a layer is added to microgradfr.nn without an entry.
LAYERS = {
    "Linear": lambda: nn.Linear(3, 2),
    "Conv2d": lambda: nn.Conv2d(2, 3, (3, 1), stride=2, padding=1),
    "MaxPool2d": lambda: nn.MaxPool2d(2),
    "AvgPool2d": lambda: nn.AvgPool2d(3, stride=1, padding=1),
    "Flatten": lambda: nn.Flatten(),
    "ReLU": lambda: nn.ReLU(),
    "LeakyReLU": lambda: nn.LeakyReLU(0.2),
    "Sigmoid": lambda: nn.Sigmoid(),
    "Tanh": lambda: nn.Tanh(),
    "Softmax": lambda: nn.Softmax(dim=1),
    "Dropout": lambda: nn.Dropout(0.3),
    "BatchNorm1d": lambda: nn.BatchNorm1d(3),
    "BatchNorm2d": lambda: nn.BatchNorm2d(3),
    "Sequential": lambda: nn.Sequential(nn.BatchNorm1d(3), nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2)),
    "MLP": lambda: nn.MLP(3, [4, 4, 2], activation="tanh"),
    "Identity": lambda: nn.Identity(),
    "LogSoftmax": lambda: nn.LogSoftmax(dim=1),
    "ModuleList": lambda: nn.ModuleList([nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2)]),
    "MSELoss": lambda: nn.MSELoss(),
    "L1Loss": lambda: nn.L1Loss(reduction="sum"),
    "BCELoss": lambda: nn.BCELoss(weight=[1.0, 2.0, 3.0]),
    "BCEWithLogitsLoss": lambda: nn.BCEWithLogitsLoss(weight=[1.0, 2.0], pos_weight=[3.0, 4.0]),
    "CrossEntropyLoss": lambda: nn.CrossEntropyLoss(weight=[1.0, 2.0, 3.0]),
    "NLLLoss": lambda: nn.NLLLoss(),
}
NOT_LAYERS = {"Module", "Neuron", "Layer", "Parameter"}  # the base class, the MLP's parts, a Tensor


def torch_twin(name, torch):
    """The same architecture written directly with torch.nn (not through to_torch)."""
    t = torch.nn
    return {
        "Linear": lambda: t.Linear(3, 2),
        "Conv2d": lambda: t.Conv2d(2, 3, (3, 1), stride=2, padding=1),
        "MaxPool2d": lambda: t.MaxPool2d(2),
        "AvgPool2d": lambda: t.AvgPool2d(3, stride=1, padding=1),
        "Flatten": lambda: t.Flatten(),
        "ReLU": lambda: t.ReLU(),
        "LeakyReLU": lambda: t.LeakyReLU(0.2),
        "Sigmoid": lambda: t.Sigmoid(),
        "Tanh": lambda: t.Tanh(),
        "Softmax": lambda: t.Softmax(dim=1),
        "Dropout": lambda: t.Dropout(0.3),
        "BatchNorm1d": lambda: t.BatchNorm1d(3),
        "BatchNorm2d": lambda: t.BatchNorm2d(3),
        "Sequential": lambda: t.Sequential(t.BatchNorm1d(3), t.Linear(3, 4), t.ReLU(), t.Linear(4, 2)),
        "MLP": lambda: t.Sequential(t.Linear(3, 4), t.Tanh(), t.Linear(4, 4), t.Tanh(), t.Linear(4, 2)),
        "Identity": lambda: t.Identity(),
        "LogSoftmax": lambda: t.LogSoftmax(dim=1),
        "ModuleList": lambda: t.ModuleList([t.Linear(3, 4), t.BatchNorm1d(4), t.ReLU(), t.Linear(4, 2)]),
        "MSELoss": lambda: t.MSELoss(),
        "L1Loss": lambda: t.L1Loss(reduction="sum"),
        "BCELoss": lambda: t.BCELoss(weight=torch.tensor([1.0, 2.0, 3.0])),
        "BCEWithLogitsLoss": lambda: t.BCEWithLogitsLoss(weight=torch.tensor([1.0, 2.0]),
                                                         pos_weight=torch.tensor([3.0, 4.0])),
        "CrossEntropyLoss": lambda: t.CrossEntropyLoss(weight=torch.tensor([1.0, 2.0, 3.0])),
        "NLLLoss": lambda: t.NLLLoss(),
    }[name]()


def shapes(state):
    return [(k, tuple(v.shape)) for k, v in state.items()]


def snapshot(model):
    return {k: v.copy() for k, v in model.state_dict().items()}


def assert_same_state(model, before):
    after = model.state_dict()
    assert list(after) == list(before)
    for k in before:
        np.testing.assert_array_equal(after[k], before[k], err_msg=k)


def test_every_layer_is_in_the_table():
    assert set(nn.__all__) - NOT_LAYERS == set(LAYERS)


@pytest.mark.parametrize("name", LAYERS)
def test_keys_shapes_and_order_are_pytorchs(name):
    torch = pytest.importorskip("torch")
    assert shapes(LAYERS[name]().state_dict()) == shapes(torch_twin(name, torch).state_dict())


@pytest.mark.parametrize("name", LAYERS)
def test_a_torch_state_dict_loads_as_tensors_or_numpy_arrays(name):
    torch = pytest.importorskip("torch")
    twin = torch_twin(name, torch).double()
    for source in ({k: v for k, v in twin.state_dict().items()},
                   {k: v.numpy() for k, v in twin.state_dict().items()}):
        model = LAYERS[name]()
        assert model.load_state_dict(source) == ([], [])
        for k, v in model.state_dict().items():
            np.testing.assert_array_equal(v, source[k], err_msg=k)


@pytest.mark.parametrize("name", LAYERS)
def test_the_state_dict_round_trips_and_is_a_copy(name):
    manual_seed(0)
    model = LAYERS[name]()
    state = model.state_dict()
    for v in state.values():
        v[...] = 7  # editing the returned arrays leaves the model alone
    assert all((v != 7).any() for v in model.state_dict().values() if v.dtype.kind == "f" and v.size > 1)
    manual_seed(0)
    twin_state = LAYERS[name]().state_dict()
    manual_seed(1)
    other = LAYERS[name]()
    other.load_state_dict(twin_state)
    assert_same_state(other, twin_state)


def test_the_scalar_mlp_rows_are_its_neurons():
    manual_seed(0)
    mlp = nn.MLP(2, [3, 1], activation="relu", output_activation="sigmoid")
    state = mlp.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    for j, neuron in enumerate(mlp.layers[0].neurons):
        assert state["0.weight"][j].tolist() == [w.data for w in neuron.w]
        assert state["0.bias"][j] == neuron.b.data
    x = [0.5, -1.5]
    by_hand = state["0.weight"] @ x + state["0.bias"]
    by_hand = 1 / (1 + np.exp(-(state["2.weight"] @ np.maximum(by_hand, 0) + state["2.bias"])))
    assert mlp(x).data == pytest.approx(by_hand[0], rel=1e-12)


def test_a_linear_output_layer_has_no_activation_module():
    assert list(nn.MLP(2, [3, 3, 1]).state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias",
                                                        "4.weight", "4.bias"]
    assert list(nn.MLP(2, [3, 1], activation="linear").state_dict()) == ["0.weight", "0.bias", "1.weight",
                                                                          "1.bias"]


def test_batchnorm_counts_its_training_batches_as_pytorch():
    torch = pytest.importorskip("torch")
    ours, theirs = nn.BatchNorm1d(2), torch.nn.BatchNorm1d(2).double()
    x = np.arange(8.0).reshape(4, 2)
    for _ in range(3):
        ours(Tensor(x))
        theirs(torch.from_numpy(x))
    ours.eval()
    ours(Tensor(x))  # evaluation does not count
    assert ours.state_dict()["num_batches_tracked"] == theirs.num_batches_tracked.item() == 3
    np.testing.assert_allclose(ours.running_var, theirs.running_var.numpy(), rtol=1e-12)


# ---------------------------------------------------------------- states that do not fit


def changed(key, change):
    """An edit of a state: ``change(old array)`` under ``key``, or the key removed when change is None."""
    def edit(state):
        state = dict(state)
        if change is None:
            del state[key]
        else:
            state[key] = change(state.get(key))
        return state
    return edit


# (name, edit of a good state, words the error must hold in each language), one per way a state can be wrong
BAD_STATES = [
    ("missing", changed("1.bias", None),
     {"en": "missing from the state: 1.bias", "fr": "absent de l'état : 1.bias"}),
    ("unexpected", changed("9.weight", lambda _: np.ones(2)),
     {"en": "in the state but not in the model: 9.weight",
      "fr": "dans l'état mais pas dans le modèle : 9.weight"}),
    ("shape", changed("1.bias", lambda _: np.ones(5)),
     {"en": "1.bias has shape (5,) in the state, (4,) in the",
      "fr": "1.bias a la forme (5,) dans l'état, (4,) dans"}),
    ("transposed", changed("1.weight", lambda w: w.T),
     {"en": "(out_features, in_features), as in PyTorch); it looks transposed",
      "fr": "(out_features, in_features), comme dans PyTorch) ; il semble transposé"}),
    ("complex", changed("3.bias", lambda b: b + 1j),
     {"en": "3.bias holds complex numbers", "fr": "3.bias contient des nombres complexes"}),
    ("bool", changed("3.bias", lambda b: b > 0),
     {"en": "3.bias holds True/False values", "fr": "3.bias contient des valeurs True/False"}),
    ("nan", changed("1.weight", lambda w: np.where(w > 0, np.nan, w)),
     {"en": "1.weight holds NaN", "fr": "1.weight contient NaN"}),
    ("inf", changed("3.weight", lambda w: w + np.inf),
     {"en": "3.weight holds an infinite value", "fr": "3.weight contient une valeur infinie"}),
    ("text", changed("3.bias", lambda _: np.array(["a", "b"])),
     {"en": "3.bias holds <U1 data, not numbers", "fr": "3.bias contient des données <U1, pas des nombres"}),
    ("huge integer", changed("0.num_batches_tracked", lambda _: np.array(2**64 - 2, dtype=np.uint64)),
     {"en": "cannot hold exactly", "fr": "ne peut pas représenter exactement"}),
    ("negative variance", changed("0.running_var", lambda v: -v),
     {"en": "0.running_var holds -1.0, below", "fr": "0.running_var contient -1.0, sous"}),
    ("negative count", changed("0.num_batches_tracked", lambda _: np.array(-1)),
     {"en": "below its smallest possible value 0", "fr": "sous sa plus petite valeur possible 0"}),
]
DOES_NOT_FIT = {"en": "Sequential.load_state_dict: the state does not fit this Sequential:",
                "fr": "Sequential.load_state_dict : l'état ne convient pas à ce Sequential :"}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("name, change, words", BAD_STATES, ids=[b[0] for b in BAD_STATES])
def test_a_bad_state_is_refused_whole_and_changes_nothing(name, change, words, lang):
    manual_seed(0)
    model = LAYERS["Sequential"]()
    manual_seed(1)
    bad = change(LAYERS["Sequential"]().state_dict())
    before = snapshot(model)
    with i18n.language(lang), pytest.raises(ValueError) as info:
        model.load_state_dict(bad)
    assert words[lang] in str(info.value)
    assert str(info.value).startswith(DOES_NOT_FIT[lang] + "\n  ")
    assert_same_state(model, before)


@pytest.mark.parametrize("lang, first_word", [("en", "missing"), ("fr", "absent")])
def test_every_problem_is_listed_at_once(lang, first_word):
    model = LAYERS["Sequential"]()
    state = model.state_dict()
    del state["1.bias"]
    state["0.weight"] = state["0.weight"] + 1j
    state["3.bias"] = np.ones(9)
    with i18n.language(lang), pytest.raises(ValueError) as info:
        model.load_state_dict(state)
    first_words = [line.split()[0] for line in str(info.value).splitlines()[1:]]
    assert first_words == [first_word, "0.weight", "3.bias"]


def test_the_state_checks_follow_the_switch(monkeypatch):
    """Module.load_state_dict speaks the user's language (French by default), and so do the checks
    themselves when no language is given (checkpoint.load calls them so, inside its own refusal)."""
    from microgradfr.nn import state

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n.set_language(None)
    model = nn.Linear(2, 1)
    with pytest.raises(ValueError, match="absent de l'état : bias"):
        model.load_state_dict({"weight": np.ones((1, 2))})
    assert state.key_problems(["bias"], [], "ce fichier") == ["absent de ce fichier : bias"]
    with i18n.language("en"):
        assert state.key_problems(["bias"], [], "the file") == ["missing from the file: bias"]
    assert state.key_problems(["bias"], [], "the file", lang="en") == ["missing from the file: bias"]


@pytest.mark.parametrize("lang, lines", [
    ("fr", ["load : ", " ne correspond pas au modèle Linear :",
            "absent de ce fichier : bias", "dans ce fichier mais pas dans le modèle : extra",
            "weight a la forme (2, 1) dans ce fichier, (1, 2) dans le modèle", "il semble transposé"]),
    ("en", ["load: ", " does not match Linear:",
            "missing from the file: bias", "in the file but not in the model: extra",
            "weight has shape (2, 1) in the file, (1, 2) in the model", "it looks transposed"]),
])
def test_a_checkpoint_refusal_speaks_one_language(tmp_path, monkeypatch, lang, lines):
    """The refusal's head and its problem lines (nn/state.py's) are in the same language."""
    from microgradfr.checkpoint import load

    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    path = tmp_path / "bad.npz"
    np.savez(path, __microgradfr__=np.array("module"), weight=np.ones((2, 1)), extra=np.ones(1))
    with i18n.language(lang), pytest.raises(ValueError) as info:
        load(nn.Linear(2, 1), path)
    for words in lines:
        assert words in str(info.value), (words, str(info.value))


def test_lossless_casts_load_and_lossy_ones_do_not():
    model = nn.Linear(2, 1, dtype="float32")
    model.load_state_dict({"weight": np.array([[1, 2]]), "bias": np.array([0.5])})  # int64 and float64, exact
    assert model.weight.data.dtype == np.float32 and model.weight.data.tolist() == [[1.0, 2.0]]
    with i18n.language("en"), pytest.raises(ValueError, match=r"weight holds float64 values that the model's "
                                                           r"float32 cannot hold "
                                         r"exactly; convert them yourself \(.astype\('float32'\)\)"):
        model.load_state_dict({"weight": np.array([[0.1, 2.0]]), "bias": np.array([0.5])})
    assert model.weight.data.tolist() == [[1.0, 2.0]]
    with i18n.language("en"), pytest.raises(ValueError, match="int64 values that the model's float64 cannot "
                                                           "hold exactly"):
        nn.Linear(1, 1).load_state_dict({"weight": np.array([[2**53 + 1]]), "bias": np.array([0])})


def test_strict_false_loads_what_matches_and_says_what_did_not():
    model = LAYERS["Sequential"]()
    state = model.state_dict()
    state = {k: v + 1 if v.dtype.kind == "f" else v for k, v in state.items() if k != "3.bias"}
    state["extra"] = np.zeros(2)
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["3.bias"] and result.unexpected_keys == ["extra"]
    np.testing.assert_array_equal(model.state_dict()["3.weight"], state["3.weight"])


def test_shapes_are_checked_even_when_not_strict():
    model = nn.Linear(2, 1)
    with i18n.language("en"), pytest.raises(ValueError, match=r"weight has shape \(2,\)"):
        model.load_state_dict({"weight": np.ones(2)}, strict=False)


def test_not_a_dict_is_a_type_error():
    with i18n.language("en"), pytest.raises(TypeError, match="expected a dict name -> array"):
        nn.Linear(2, 1).load_state_dict([np.ones((1, 2))])


def test_a_module_of_your_own_has_a_state_dict_too():
    from microgradfr import Value

    class Affine(nn.Module):
        buffer_names = ("count",)

        def __init__(self):
            self.inner = nn.Linear(2, 2)
            self.scale = Value(2.0)
            self.count = np.zeros(1)

    model = Affine()
    assert shapes(model.state_dict()) == [("scale", ()), ("count", (1,)), ("inner.weight", (2, 2)),
                                          ("inner.bias", (2,))]
    state = model.state_dict()
    state["scale"] = np.array(3.0)
    model.load_state_dict(state)
    assert model.scale.data == 3.0 and type(model.scale.data) is float


def test_values_may_be_our_tensors_or_torch_parameters():
    source = nn.Linear(3, 2)
    target = nn.Linear(3, 2)
    target.load_state_dict({"weight": source.weight, "bias": source.bias})
    np.testing.assert_array_equal(target.weight.data, source.weight.data)
    torch = pytest.importorskip("torch")
    twin = torch.nn.Linear(3, 2).double()
    target.load_state_dict(dict(twin.named_parameters()))  # parameters that require grad
    np.testing.assert_array_equal(target.weight.data, twin.weight.detach().numpy())
