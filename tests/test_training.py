"""The training loop: it learns, records, stops early, stays quiet when asked, and repeats itself."""
import re
import sys

import numpy as np
import pytest

from microgradfr import Value, i18n, manual_seed
from microgradfr.data import logic_gate, make_blobs
from microgradfr.nn import MLP, Module
from microgradfr.optim import SGD, Adam, StepLR
from microgradfr.training import (
    Callback,
    EarlyStopping,
    History,
    accuracy,
    evaluate,
    fit,
    l1_penalty,
    l2_penalty,
)


def mse(out, target):
    return (out - target) ** 2


def bce(out, target):
    """Binary cross-entropy on a sigmoid output (out in (0, 1))."""
    return -(target * out.log() + (1 - target) * (1 - out).log())


def xor_model(seed=0):
    manual_seed(seed)
    return MLP(2, [4, 1], activation="tanh", output_activation="sigmoid")


# ---------------------------------------------------------------- scalar models


def test_fit_learns_xor_with_a_scalar_mlp():
    X, y = logic_gate("xor")
    model = xor_model()
    history = fit(model, bce, Adam(model.parameters(), lr=0.1), (X, y), epochs=150, verbose=False, seed=0)
    assert history["loss"][-1] < 0.1 < history["loss"][0]
    assert history["accuracy"][-1] == 1.0
    assert [round(model(x.tolist()).data) for x in X] == [0, 1, 1, 0]


def test_history_contents():
    X, y = logic_gate("and")
    model = xor_model()
    history = fit(model, bce, SGD(model.parameters(), lr=0.5), (X, y), epochs=5, val_data=(X, y),
                  verbose=False, seed=0)
    assert isinstance(history, History) and len(history) == 5
    assert history.epochs == [1, 2, 3, 4, 5]
    assert set(history.keys()) == {"loss", "accuracy", "val_loss", "val_accuracy", "lr"}
    assert history["lr"] == [0.5] * 5
    assert all(len(v) == 5 for v in history.history.values())
    assert history.stopped_epoch is None
    with pytest.raises(KeyError, match="enregistré"):   # French by default
        history["val_acc"]
    with i18n.language("en"), pytest.raises(KeyError, match="recorded"):
        history["val_acc"]


def test_train_loss_is_the_mean_of_the_epoch_batches():
    # with lr = 0 nothing changes, so the recorded loss is the mean loss of the model on the data
    X, y = logic_gate("or")
    model = xor_model()
    expected = sum(bce(model(x.tolist()), t).data for x, t in zip(X, y.tolist())) / 4
    history = fit(model, bce, SGD(model.parameters(), lr=0.0), (X, y), epochs=2, batch_size=3, verbose=False)
    assert history["loss"] == [pytest.approx(expected)] * 2
    assert history["loss"][0] == pytest.approx(evaluate(model, bce, (X, y))["loss"])


class Line(Module):
    """y = w·x with w starting at 0: a model whose every step can be worked out by hand."""

    def __init__(self):
        self.w = Value(0.0)

    def __call__(self, x):
        return self.w * x[0]


def test_one_step_of_fit_is_the_hand_written_step():
    # a 1-parameter model y = w·x trained by fit, full batch, vs the step written by hand:
    # loss = ½[(w·1 − 2)² + (w·2 − 4)²] at w = 0: gradient = ½[2·(−2)·1 + 2·(−4)·2] = −10 → w = 0 + 0.1·10 = 1
    model = Line()
    fit(model, mse, SGD(model.parameters(), lr=0.1), ([[1.0], [2.0]], [2.0, 4.0]), epochs=1, metrics=(),
        verbose=False)
    assert model.w.data == pytest.approx(1.0)


def test_batch_size_sets_the_number_of_steps():
    steps = []

    class Counting(SGD):
        def step(self):
            steps.append(1)
            super().step()

    X, y = make_blobs(10, seed=0)
    model = MLP(2, [1], output_activation="sigmoid")
    fit(model, bce, Counting(model.parameters(), lr=0.01), (X, y), epochs=2, batch_size=4, verbose=False)
    assert len(steps) == 2 * 3  # 10 samples in batches of 4: 4 + 4 + 2


def test_penalty_pulls_weights_to_zero():
    X, y = logic_gate("and")
    norms = {}
    for lam in (0.0, 0.1):
        model = xor_model()
        fit(model, bce, SGD(model.parameters(), lr=0.5), (X, y), epochs=60, verbose=False, seed=0,
            penalty=lambda m, lam=lam: lam * l2_penalty(m))
        norms[lam] = sum(p.data ** 2 for p in model.parameters())
    assert norms[0.1] < norms[0.0]


def test_penalties_by_hand():
    a, b = Value(3.0), Value(-4.0)
    assert l2_penalty([a, b]).data == 25.0
    assert l1_penalty([a, b]).data == 7.0
    model = MLP(2, [1])
    assert l2_penalty(model).data == pytest.approx(sum(p.data ** 2 for p in model.parameters()))
    with pytest.raises(ValueError, match="aucun paramètre"):
        l2_penalty([])
    with i18n.language("en"), pytest.raises(ValueError, match="no parameters"):
        l2_penalty([])


def test_accuracy_rules():
    assert accuracy([0.9, 0.2, 0.7, 0.4], [1, 0, 0, 0]) == 0.75          # threshold 0.5 for 0/1 labels
    assert accuracy([0.3, -0.2, 2.0], [1, -1, -1]) == pytest.approx(2 / 3)  # sign for ±1 labels
    assert accuracy([[0.1, 0.9, 0.0], [5.0, 1.0, 2.0]], [1, 2]) == 0.5       # argmax over classes


def test_a_scheduler_as_callback_and_a_function_callback():
    X, y = logic_gate("or")
    model = xor_model()
    opt = SGD(model.parameters(), lr=1.0)
    seen = []
    history = fit(model, bce, opt, (X, y), epochs=10, verbose=False,
                  callbacks=[StepLR(opt, step_size=2, gamma=0.5),
                             lambda epoch, logs: seen.append(epoch) or epoch == 5])
    assert history["lr"] == [1.0, 1.0, 0.5, 0.5, 0.25]
    assert seen == [1, 2, 3, 4, 5] and history.stopped_epoch == 5 and len(history) == 5


def test_verbose_false_prints_nothing(capsys):
    X, y = logic_gate("xor")
    model = xor_model()
    fit(model, bce, SGD(model.parameters(), lr=0.1), (X, y), epochs=3, val_data=(X, y), verbose=False)
    out, err = capsys.readouterr()
    assert out == "" and err == ""


# What the bar and the plot say in each language, and words that must not appear there (hand-written).
SAYS = {
    "fr": {"bar": ["entraînement 1/3", "entraînement 3/3", "lot/s", "perte=", "exactitude=",
                   "perte (validation)="],
           "legend": [["perte", "perte (validation)"], ["exactitude"]], "x": "époque",
           "y": ["perte", "métrique"],
           "never": {"loss", "epoch", "accuracy", "training", "batch", "fit"}},
    "en": {"bar": ["training 1/3", "training 3/3", "batch/s", "loss=", "accuracy=", "loss (validation)="],
           "legend": [["loss", "loss (validation)"], ["accuracy"]], "x": "epoch", "y": ["loss", "metric"],
           "never": {"perte", "époque", "exactitude", "entraînement", "métrique", "lot"}},
}


def _how(lang, monkeypatch, way):
    """Choose ``lang`` one of three ways: the fit/plot argument, the environment variable, set_language."""
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    if way == "env":
        monkeypatch.setenv(i18n.ENV_VAR, lang)
    elif way == "set_language":
        monkeypatch.setattr(i18n, "_chosen", None)  # undone after the test
        i18n.set_language(lang)
    return {"lang": lang} if way == "argument" else {}


def _words(text):
    return set(re.findall(r"[^\W\d_]+", text.lower()))


@pytest.mark.parametrize("way", ["argument", "env", "set_language"])
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_verbose_shows_a_progress_bar_in_the_language(capsys, monkeypatch, lang, way):
    X, y = logic_gate("xor")
    model = xor_model()
    fit(model, bce, SGD(model.parameters(), lr=0.1), (X, y), epochs=3, val_data=(X, y), verbose=True,
        **_how(lang, monkeypatch, way))
    err = capsys.readouterr().err
    assert "3/3" in err
    for word in SAYS[lang]["bar"]:
        assert word in err, f"{word!r} missing from the bar: {err!r}"
    assert not _words(err) & SAYS[lang]["never"], err


def test_the_bar_is_french_with_no_setting(capsys, monkeypatch):
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    model = xor_model()
    fit(model, bce, SGD(model.parameters(), lr=0.1), logic_gate("xor"), epochs=2, verbose=True)
    err = capsys.readouterr().err
    assert "entraînement 2/2" in err and "perte=" in err and "loss" not in err


def test_fit_switches_train_and_eval_around_validation():
    modes = []

    class Spy(Module):
        def __init__(self):
            self.w = Value(0.5)

        def __call__(self, x):
            modes.append(self.training)
            return (self.w * x[0]).sigmoid()

    model = Spy()
    fit(model, bce, SGD(model.parameters(), lr=0.1), ([[1.0], [-1.0]], [1, 0]), epochs=2,
        val_data=([[2.0]], [1]), verbose=False)
    # per epoch: two training samples, then one validation sample in eval mode
    assert modes == [True, True, False] * 2
    assert model.training


def test_validation_builds_no_graph():
    parents = []

    class Spy(Module):
        def __init__(self):
            self.w = Value(0.5)

        def __call__(self, x):
            out = (self.w * x[0]).sigmoid()
            parents.append(len(out.parents))
            return out

    model = Spy()
    evaluate(model, bce, ([[2.0]], [1]))
    assert parents == [0]


def test_seeded_shuffling_is_reproducible():
    X, y = make_blobs(24, seed=1)

    def run(seed):
        model = xor_model()
        h = fit(model, bce, SGD(model.parameters(), lr=0.3), (X, y), epochs=3, batch_size=5, seed=seed,
                verbose=False)
        return h["loss"], [p.data for p in model.parameters()]

    assert run(7) == run(7)
    assert run(7) != run(8)
    # without a seed, manual_seed (called in xor_model) makes it reproducible too
    assert run(None) == run(None)


def test_early_stopping_restores_the_best_weights():
    # y = w·x fitted to training points on y = 2x, validated on points of y = x:
    # from w = 0, w rises towards 2; the validation loss (w − 1)² falls until w passes 1, then rises.
    model = Line()
    weights = []
    stopper = EarlyStopping(patience=2)
    history = fit(model, mse, SGD(model.parameters(), lr=0.05), ([[1.0], [2.0]], [2.0, 4.0]), epochs=50,
                  val_data=([[1.0]], [1.0]), metrics=(), verbose=False,
                  callbacks=[lambda epoch, logs: weights.append(model.w.data), stopper])
    best = int(np.argmin(history["val_loss"]))
    assert history.stopped_epoch == best + 1 + 2  # two more epochs without improvement
    assert len(history) == best + 3 and stopper.best_epoch == best + 1
    assert history["val_loss"][best + 1] > history["val_loss"][best]  # the validation loss did go up
    assert model.w.data == weights[best]  # and the best epoch's weight is back
    assert abs(model.w.data - 1.0) < abs(weights[-1] - 1.0)


def test_early_stopping_min_delta_and_max_mode():
    stopper = EarlyStopping(monitor="val_accuracy", patience=1, min_delta=0.1, restore_best=False)
    assert stopper.mode == "max"
    stopper.on_train_begin(None, None, None)
    assert stopper.on_epoch_end(1, {"val_accuracy": 0.5}, None) is False
    assert stopper.on_epoch_end(2, {"val_accuracy": 0.55}, None) is True  # + 0.05 < min_delta
    assert stopper.best == 0.5 and stopper.stopped_epoch == 2


@pytest.mark.parametrize("lang, pattern", [("en", r"monitor='val_loss'.*pass val_data"),
                                           ("fr", r"monitor='val_loss'.*donnez val_data")])
def test_early_stopping_needs_what_it_monitors(lang, pattern):
    X, y = logic_gate("and")
    model = xor_model()
    with pytest.raises(ValueError, match=pattern):   # fit's lang reaches its callbacks' errors
        fit(model, bce, SGD(model.parameters(), lr=0.1), (X, y), epochs=2, verbose=False,
            callbacks=[EarlyStopping()], lang=lang)


def test_a_callback_class_sees_every_epoch():
    class Recorder(Callback):
        def on_train_begin(self, model, optimizer, history):
            self.events = ["begin"]

        def on_epoch_end(self, epoch, logs, model):
            self.events.append(epoch)

        def on_train_end(self, model):
            self.events.append("end")

    X, y = logic_gate("and")
    model = xor_model()
    rec = Recorder()
    fit(model, bce, SGD(model.parameters(), lr=0.1), (X, y), epochs=3, verbose=False, callbacks=[rec])
    assert rec.events == ["begin", 1, 2, 3, "end"]


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("kwargs, error, pattern", [
    (dict(epochs=-1), ValueError, {"en": r"epochs=-1 must be", "fr": r"epochs=-1 doit être"}),
    (dict(epochs=2, batch_size=0), ValueError,
     {"en": r"batch_size=0 must be", "fr": r"batch_size=0 doit être"}),
    (dict(epochs=2, train_data=([[0.0, 1.0]], [1, 0])), ValueError,
     {"en": r"1 inputs but 2 targets", "fr": r"1 entrées mais 2 cibles"}),
    (dict(epochs=2, train_data=[[0.0, 1.0]]), TypeError,
     {"en": r"must be a pair \(X, y\)", "fr": r"doit être une paire \(X, y\)"}),
    (dict(epochs=2, metrics=("precision",)), ValueError,
     {"en": r"metric 'precision' is unknown", "fr": r"la métrique 'precision' est inconnue"}),
    (dict(epochs=2, loss_fn=lambda out, t: 0.5), TypeError,
     {"en": r"loss_fn must return a Value", "fr": r"loss_fn doit renvoyer un nœud du graphe"}),
])
def test_bad_arguments(kwargs, error, pattern, lang):
    model = xor_model()
    args = dict(model=model, loss_fn=bce, optimizer=SGD(model.parameters(), lr=0.1),
                train_data=logic_gate("and"), verbose=False, lang=lang)
    with pytest.raises(error, match=pattern[lang]):
        fit(**{**args, **kwargs})


NON_FINITE = {"en": r"loss became nan at epoch 1: lower the learning rate \(lr=0.5\)",
              "fr": r"la perte vaut nan à l'époque 1 : baissez le taux d'apprentissage \(lr=0.5\)"}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_a_non_finite_loss_is_reported(lang):
    # the scalar engine raises OverflowError itself when a value overflows; a NaN from the loss gets here
    model = MLP(1, [1])
    with pytest.raises(FloatingPointError, match=NON_FINITE[lang]):
        fit(model, lambda out, t: out * float("nan"), SGD(model.parameters(), lr=0.5), ([[1.0]], [1.0]),
            epochs=3, metrics=(), verbose=False, lang=lang)


@pytest.mark.parametrize("lang, words", [("fr", "epochs=-1 doit être un entier >= 0"),
                                         ("en", "epochs=-1 must be an integer >= 0")])
def test_a_bad_count_is_refused_in_the_language(lang, words):
    model = xor_model()
    with pytest.raises(ValueError, match=words):
        fit(model, bce, SGD(model.parameters(), lr=0.1), logic_gate("and"), epochs=-1, lang=lang)


# ---------------------------------------------------------------- History.plot


def _history():
    h = History()
    for epoch, (loss, acc) in enumerate([(1.0, 0.5), (0.5, 0.75)], start=1):
        h.append(epoch, {"loss": loss, "accuracy": acc, "val_loss": loss + 0.1, "lr": 0.1})
    return h


@pytest.mark.parametrize("way", ["argument", "env", "set_language"])
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_history_plot_draws_the_curves_in_the_language(monkeypatch, lang, way):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    h = _history()
    axes = h.plot(**_how(lang, monkeypatch, way))
    labels = [[line.get_label() for line in ax.get_lines()] for ax in axes]
    assert labels == SAYS[lang]["legend"]
    assert [ax.get_legend().get_texts()[0].get_text() for ax in axes] == [g[0] for g in SAYS[lang]["legend"]]
    assert [ax.get_xlabel() for ax in axes] == [SAYS[lang]["x"]] * 2
    assert [ax.get_ylabel() for ax in axes] == SAYS[lang]["y"]
    _, ax = plt.subplots()
    assert h.plot(keys=["val_loss"], ax=ax, **_how(lang, monkeypatch, way)) == [ax]
    assert ax.get_lines()[0].get_label() == SAYS[lang]["legend"][0][1]
    plt.close("all")


def test_history_plot_is_french_with_no_setting(monkeypatch):
    pytest.importorskip("matplotlib")
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    axes = _history().plot()
    assert axes[0].get_xlabel() == "époque" and axes[1].get_lines()[0].get_label() == "exactitude"
    plt.close("all")


@pytest.mark.parametrize("lang, words", [("fr", "History.plot a besoin de matplotlib"),
                                         ("en", "History.plot needs matplotlib")])
def test_history_plot_without_matplotlib_says_what_to_install(monkeypatch, lang, words):
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.pyplot", None)
    with pytest.raises(ImportError, match=words + r".*pip install microgradfr\[plot\]"):
        History().plot(lang=lang)


# ---------------------------------------------------------------- Tensor models


def tensor_classifier(seed=0):
    """A 2-16-2 ReLU network from the Tensor layers."""
    layers = pytest.importorskip("microgradfr.nn.layers")
    manual_seed(seed)
    return layers.Sequential(layers.Linear(2, 16), layers.ReLU(), layers.Linear(16, 2))


def cross_entropy(logits, target):
    F = pytest.importorskip("microgradfr.functional")
    return F.cross_entropy(logits, target)


def test_fit_trains_a_tensor_model_in_mini_batches():
    X, y = make_blobs(120, centers=2, cluster_std=1.0, seed=3)
    model = tensor_classifier()
    history = fit(model, cross_entropy, Adam(model.parameters(), lr=0.05), (X, y), epochs=15, batch_size=16,
                  val_data=(X[:40], y[:40]), verbose=False, seed=0)
    assert history["loss"][-1] < history["loss"][0]
    assert history["val_accuracy"][-1] >= 0.95


def test_tensor_training_with_a_seed_is_reproducible():
    X, y = make_blobs(60, centers=2, seed=4)

    def run():
        model = tensor_classifier()
        fit(model, cross_entropy, SGD(model.parameters(), lr=0.1, momentum=0.9), (X, y), epochs=3,
            batch_size=7, verbose=False, seed=5)
        return [p.data.copy() for p in model.parameters()]

    for a, b in zip(run(), run()):
        np.testing.assert_array_equal(a, b)


def test_early_stopping_restores_tensor_weights():
    X, y = make_blobs(60, centers=2, seed=4)
    model = tensor_classifier()
    stopper = EarlyStopping(monitor="loss", patience=0)
    snapshots = []
    # patience 0: training stops at the first epoch whose loss does not improve (or runs 40 epochs)
    fit(model, cross_entropy, SGD(model.parameters(), lr=2.0), (X, y), epochs=40, batch_size=8, verbose=False,
        seed=1, callbacks=[lambda e, logs: snapshots.append([p.data.copy() for p in model.parameters()]),
                           stopper])
    for p, saved in zip(model.parameters(), snapshots[stopper.best_epoch - 1]):
        np.testing.assert_array_equal(p.data, saved)


def test_model_fit_shows_a_progress_bar_and_learns(capsys):
    manual_seed(0)
    X, y = logic_gate("or")
    model = MLP(2, [4, 1], output_activation="sigmoid")
    history = model.fit(lambda out, t: (out - t) ** 2, Adam(model.parameters(), lr=0.1), (X, y),
                        epochs=30, batch_size=4)
    err = capsys.readouterr().err
    assert "30/30" in err  # tqdm's bar reached the last epoch
    assert history.history["loss"][-1] < history.history["loss"][0]


def test_a_float32_model_trains_on_float32_data():
    """fit and evaluate hand the model its own dtype (as PyTorch needs): no float64 copy of the data,
    float targets included, and class indices stay integers."""
    layers = pytest.importorskip("microgradfr.nn.layers")
    F = pytest.importorskip("microgradfr.functional")
    seen = []

    class Spy(layers.Sequential):
        def forward(self, x):
            seen.append(x.dtype)
            return super().forward(x)

    manual_seed(0)
    model = Spy(layers.Linear(2, 1, dtype="float32"))
    targets = []

    def loss_fn(out, t):
        targets.append(t.dtype)
        return F.mse_loss(out.reshape(-1), t)

    X, y = make_blobs(12, centers=2, seed=0)  # float64 inputs, integer labels 0/1
    fit(model, loss_fn, Adam(model.parameters(), lr=0.01), (X, y.astype(float)), epochs=2, batch_size=5,
        val_data=(X, y.astype(float)), metrics=(), verbose=False)
    assert set(seen) == {np.dtype(np.float32)} and set(targets) == {np.dtype(np.float32)}
    assert all(p.data.dtype == p.grad.dtype == np.float32 for p in model.parameters())
    seen.clear()
    logits = Spy(layers.Linear(2, 2, dtype="float32"))
    evaluate(logits, F.cross_entropy, (X, y))  # integer class indices reach cross_entropy as they are
    assert seen == [np.dtype(np.float32)]


def test_the_bar_moves_at_every_batch_and_names_the_epoch(capsys):
    X, y = make_blobs(10, seed=0)
    model = MLP(2, [1], output_activation="sigmoid")
    fit(model, bce, SGD(model.parameters(), lr=0.01), (X, y), epochs=2, batch_size=4)
    err = capsys.readouterr().err
    assert "6/6" in err and "2/2" in err  # 3 batches per epoch, for 2 epochs


def test_a_callback_of_the_wrong_kind_is_named():
    X, y = logic_gate("and")
    model = xor_model()
    for lang, words in (("en", r"callbacks\[1\] is a str, not a Callback"),
                        ("fr", r"callbacks\[1\] est un str, ni un Callback")):
        with pytest.raises(TypeError, match=words):
            fit(model, bce, SGD(model.parameters(), lr=0.1), (X, y), epochs=1, verbose=False,
                callbacks=[EarlyStopping(monitor="loss"), "early"], lang=lang)
