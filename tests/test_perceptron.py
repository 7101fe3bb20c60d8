"""Tests of microgradfr.perceptron: Rosenblatt's rule as the course writes it (lr 0.2, threshold 0.5).

The epoch-by-epoch values below are worked out by hand in the comments.
"""

import warnings

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microgradfr import i18n
from microgradfr.data import logic_gate, make_blobs
from microgradfr.perceptron import ConvergenceWarning, EpochRecord, Perceptron

quick = settings(deadline=None, max_examples=60)
seeds = st.integers(min_value=0, max_value=2**32 - 1)


@pytest.mark.parametrize("gate", ["and", "or"])
@pytest.mark.parametrize("init", ["zeros", "random"])
@quick
@given(seed=seeds)
def test_learns_and_and_or_in_any_order(gate, init, seed):
    X, y = logic_gate(gate)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no ConvergenceWarning
        model = Perceptron(lr=0.2, threshold=0.5, init=init, seed=seed).fit(X, y)
    assert model.converged_
    assert model.score(X, y) == 1.0
    assert model.predict(X).tolist() == y.tolist()
    # one record per epoch; mistakes in every epoch but the last, which stopped training
    assert model.n_epochs_ == len(model.history_) <= 20
    assert [record.epoch for record in model.history_] == list(range(1, model.n_epochs_ + 1))
    assert model.history_[-1].errors == 0
    assert all(record.errors > 0 for record in model.history_[:-1])


NOT_SEPARABLE = {"fr": "pas linéairement séparables", "en": "not linearly separable"}


@pytest.mark.parametrize("lang", sorted(NOT_SEPARABLE))
@quick
@given(seed=seeds)
def test_xor_warns_and_does_not_converge(lang, seed):
    X, y = logic_gate("xor")
    with pytest.warns(ConvergenceWarning, match=NOT_SEPARABLE[lang]) as caught:
        model = Perceptron(seed=seed, lang=lang).fit(X, y)
    assert "XOR" in str(caught[0].message)
    assert not model.converged_
    assert model.n_epochs_ == 20 and all(record.errors > 0 for record in model.history_)
    # no line gets more than 3 of the 4 XOR points right
    assert model.score(X, y) <= 0.75


def test_convergence_warning_is_a_user_warning():
    assert issubclass(ConvergenceWarning, UserWarning)


def test_and_by_hand():
    # w = (0, 0), b = 0, samples in order (0,0) (0,1) (1,0) (1,1), labels 0 0 0 1.
    # Epoch 1: w·x + b = 0 ≤ 0.5 gives ŷ = 0 for all four; only (1,1) is a mistake (y − ŷ = 1):
    #   w = (0, 0) + 0.2·(1, 1) = (0.2, 0.2), b = 0 + 0.2 = 0.2.
    # Epoch 2: values 0.2, 0.4, 0.4, 0.6 -> ŷ = 0, 0, 0, 1: no mistake, training stops.
    X, y = logic_gate("and")
    model = Perceptron(lr=0.2, threshold=0.5, shuffle=False).fit(X, y)
    first, second = model.history_
    assert (first.epoch, first.errors) == (1, 1)
    np.testing.assert_allclose(first.coef, [0.2, 0.2])
    assert first.bias == pytest.approx(0.2)
    assert (second.epoch, second.errors) == (2, 0)
    np.testing.assert_allclose(second.coef, [0.2, 0.2])
    assert model.converged_ and model.n_epochs_ == 2
    np.testing.assert_allclose(model.decision_function(X), [0.2, 0.4, 0.4, 0.6])


def test_or_by_hand():
    # labels 0 1 1 1. Epoch 1, from w = (0, 0), b = 0:
    #   (0,0): 0 -> ŷ 0, right.   (0,1): 0 -> ŷ 0, wrong: w = (0, 0.2), b = 0.2.
    #   (1,0): 0 + 0.2 = 0.2 -> ŷ 0, wrong: w = (0.2, 0.2), b = 0.4.   (1,1): 0.8 -> ŷ 1, right.
    # Epoch 2: values 0.4, 0.6, 0.6, 0.8 -> ŷ 0, 1, 1, 1: no mistake.
    X, y = logic_gate("or")
    model = Perceptron(shuffle=False).fit(X, y)
    assert [record.errors for record in model.history_] == [2, 0]
    np.testing.assert_allclose(model.coef_, [0.2, 0.2])
    assert model.bias_ == pytest.approx(0.4)


def test_nand_by_hand_includes_a_downward_correction():
    # labels 1 1 1 0. Epoch 1, from w = (0, 0), b = 0:
    #   (0,0): 0 -> ŷ 0, wrong: x = 0 so only b moves, b = 0.2.
    #   (0,1): 0.2 -> ŷ 0, wrong: w = (0, 0.2), b = 0.4.
    #   (1,0): 0.4 -> ŷ 0, wrong: w = (0.2, 0.2), b = 0.6.
    #   (1,1): 0.2 + 0.2 + 0.6 = 1.0 -> ŷ 1, wrong (y − ŷ = −1): w = (0, 0), b = 0.4.
    X, y = logic_gate("nand")
    model = Perceptron(shuffle=False, epochs=1)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    (record,) = model.history_
    assert record.errors == 4
    np.testing.assert_allclose(record.coef, [0.0, 0.0], atol=1e-12)
    assert record.bias == pytest.approx(0.4)


def test_learning_rate_and_threshold_are_used():
    # AND with lr = 1, threshold = 1.5. Epoch 1: only (1,1) is wrong: w = (1, 1), b = 1.
    # Epoch 2:  (0,0): 1 -> ŷ 0, right.   (0,1): 1 + 1 = 2 > 1.5 -> ŷ 1, wrong: w = (1, 0), b = 0.
    #           (1,0): 1 -> ŷ 0, right.   (1,1): 1 + 0 + 0 = 1 -> ŷ 0, wrong: w = (2, 1), b = 1.
    X, y = logic_gate("and")
    model = Perceptron(lr=1.0, threshold=1.5, shuffle=False, epochs=2)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    assert [record.errors for record in model.history_] == [1, 2]
    np.testing.assert_allclose(model.history_[0].coef, [1.0, 1.0])
    assert model.history_[0].bias == 1.0
    np.testing.assert_allclose(model.coef_, [2.0, 1.0])
    assert model.bias_ == 1.0


def test_each_epoch_visits_a_new_permutation_of_the_samples():
    X, y = logic_gate("xor")
    model = Perceptron(seed=0)
    visits = []
    learn_one = model._learn_one
    model._learn_one = lambda x, target: visits.append(tuple(x)) or learn_one(x, target)
    with pytest.warns(ConvergenceWarning):
        model.fit(X, y)
    epochs = [visits[i:i + 4] for i in range(0, len(visits), 4)]
    assert len(epochs) == 20
    assert all(sorted(epoch) == [(0, 0), (0, 1), (1, 0), (1, 1)] for epoch in epochs)
    assert len(set(map(tuple, epochs))) > 1


def test_seeded_runs_are_reproducible():
    X, y = logic_gate("xor")
    runs = []
    for seed in (5, 5, 6):
        with pytest.warns(ConvergenceWarning):
            runs.append(Perceptron(seed=seed, init="random").fit(X, y).history_)
    same, other = runs[1], runs[2]
    for a, b in zip(runs[0], same):
        assert (a.epoch, a.errors, a.bias) == (b.epoch, b.errors, b.bias)
        np.testing.assert_array_equal(a.coef, b.coef)
    assert [r.errors for r in runs[0]] != [r.errors for r in other] or any(
        not np.array_equal(a.coef, b.coef) for a, b in zip(runs[0], other)
    )


def test_random_init_is_small_and_seeded():
    # all-zero inputs labelled 0: w·x + b = b, tiny, never above 0.5 -> no mistake, w stays as drawn
    X, y = np.zeros((3, 4)), np.zeros(3, dtype=int)
    model = Perceptron(init="random", seed=1).fit(X, y)
    assert model.converged_ and model.n_epochs_ == 1
    assert np.all(model.coef_ != 0) and np.all(np.abs(model.coef_) < 0.1) and abs(model.bias_) < 0.1
    np.testing.assert_array_equal(model.coef_, Perceptron(init="random", seed=1).fit(X, y).coef_)
    assert np.all(Perceptron().fit(X, y).coef_ == 0)


def test_history_records_are_copies():
    X, y = logic_gate("or")
    model = Perceptron(seed=0).fit(X, y)
    assert isinstance(model.history_[0], EpochRecord)
    model.coef_ += 100
    assert np.all(model.history_[-1].coef < 100)


@settings(deadline=None, max_examples=30)
@given(seed=seeds, n=st.integers(2, 60))
def test_separable_blobs_are_learned(seed, n):
    X, y = make_blobs(n, centers=[[-3.0, -3.0], [3.0, 3.0]], cluster_std=0.5, seed=seed)
    model = Perceptron(epochs=200, seed=seed).fit(X, y)
    assert model.converged_ and model.score(X, y) == 1.0


@pytest.mark.parametrize("lang, words", [("fr", "époque 1/20 : 1 erreur(s)"),
                                         ("en", "epoch 1/20: 1 mistake(s)")])
def test_verbose_log(capsys, lang, words):
    X, y = logic_gate("and")
    Perceptron(shuffle=False, verbose=True, lang=lang).fit(X, y)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and lines[0].startswith(words)


def test_the_log_follows_the_language_switch(capsys, monkeypatch):
    X, y = logic_gate("and")
    monkeypatch.delenv("MICROGRADFR_LANG", raising=False)
    Perceptron(shuffle=False, verbose=True).fit(X, y)
    assert capsys.readouterr().out.startswith("époque 1/20 : 1 erreur(s)")
    monkeypatch.setenv("MICROGRADFR_LANG", "en")
    Perceptron(shuffle=False, verbose=True).fit(X, y)
    assert capsys.readouterr().out.startswith("epoch 1/20: 1 mistake(s)")


def test_quiet_by_default(capsys):
    Perceptron(seed=0).fit(*logic_gate("and"))
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize(
    "kwargs, fragment",
    [
        ({"lr": 0}, "lr=0"),
        ({"lr": -0.1}, "lr=-0.1"),
        ({"threshold": "high"}, "threshold='high'"),
        ({"epochs": 0}, "epochs=0"),
        ({"epochs": 2.5}, "epochs=2.5"),
        ({"init": "ones"}, "init='ones'"),
        ({"lang": "de"}, "lang='de'"),
    ],
)
def test_bad_settings(kwargs, fragment):
    with pytest.raises(ValueError, match=fragment):
        Perceptron(**kwargs)


def test_bad_data():
    with i18n.language("en"):  # the English text; test_error_messages checks both
        X, y = logic_gate("and")
        with pytest.raises(ValueError, match="not fitted yet"):
            Perceptron().predict(X)
        with pytest.raises(ValueError, match=r"labels must be 0 or 1, got \[-1, 1\]"):
            Perceptron().fit(X, 2 * y - 1)
        with pytest.raises(ValueError, match="X has 4 rows"):
            Perceptron().fit(X, y[:3])
        with pytest.raises(ValueError, match="2-D"):
            Perceptron().fit(X[:, 0], y)
        model = Perceptron(seed=0).fit(X, y)
        with pytest.raises(ValueError, match=r"fitted on 2 features"):
            model.predict(np.zeros((4, 3)))
