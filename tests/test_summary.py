"""summary(): one example's shape or torchinfo's input_size, told apart by the first layer."""
import pytest

from microgradfr import i18n, manual_seed, nn


def discriminator():
    """The exam's discriminator (README)."""
    manual_seed(0)
    return nn.Sequential(
        nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.LeakyReLU(0.2),
        nn.Flatten(), nn.Linear(4096, 32), nn.LeakyReLU(0.2), nn.Linear(32, 1), nn.Sigmoid())


# (model, one example's shape, first layer's input rank with the batch axis)
MODELS = {
    "discriminator": (discriminator, (1, 32, 32)),
    "mlp": (lambda: nn.Sequential(nn.Linear(6, 4), nn.ReLU(), nn.Linear(4, 2)), (6,)),
    "activation first": (lambda: nn.Sequential(nn.Tanh(), nn.Dropout(), nn.Conv2d(2, 3, 3)), (2, 5, 5)),
    "batchnorm2d first": (lambda: nn.Sequential(nn.BatchNorm2d(3), nn.MaxPool2d(2)), (3, 4, 4)),
    "pool first": (lambda: nn.Sequential(nn.AvgPool2d(2), nn.Flatten()), (2, 4, 4)),
}


@pytest.mark.parametrize("name", MODELS)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_both_conventions_give_the_same_table(name, lang):
    build, example = MODELS[name]
    model = build()
    one = model.summary(example, lang=lang)
    for batch in (1, 3):
        with_batch = model.summary((batch, *example), lang=lang)
        assert str(with_batch) == str(one)
        assert with_batch.rows == one.rows and with_batch.input_shape == example
    assert model.summary(example, batch_dim=0).rows == one.rows
    assert model.summary((2, *example), batch_dim=None).rows == one.rows


def test_the_exams_discriminator_in_torchinfos_convention():
    table = discriminator().summary((1, 1, 32, 32), lang="fr")
    assert table.total == 320 + 18496 + 131104 + 33
    assert [r.output_shape for r in table.rows][::2] == [(32, 16, 16), (64, 8, 8), (4096,), (32,), (1,)]


# The errors in each language: what a student must read there (hand-written, not the catalogue's text).
WRONG_RANK = {
    "en": r"summary: input_shape .* has \d axes, but the first layer .* give one example's shape"
          r" \(\d axes\) or torchinfo's input_size",
    "fr": r"summary : input_shape .* a \d axes, mais la première couche .* donnez la forme d'un exemple"
          r" \(\d axes\) ou l'input_size de torchinfo",
}
AMBIGUOUS = {
    "en": ["can be read two ways",
           "one example of shape (4, 4) (a batch of 1 added): … 0 → (4, 4), 1 → (4, 2)",
           "torchinfo's input_size: a batch of 4 of shape (4,): … 0 → (4,), 1 → (2,)",
           "say which with batch_dim=0"],
    "fr": ["se lit de deux façons",
           "un exemple de forme (4, 4) (un lot de 1 ajouté) : … 0 → (4, 4), 1 → (4, 2)",
           "l'input_size de torchinfo : un lot de 4 exemples de forme (4,) : … 0 → (4,), 1 → (2,)",
           "précisez laquelle avec batch_dim=0"],
}
NEITHER = {"en": "fits neither reading", "fr": "ne convient à aucune des deux lectures"}
BATCH_DIM = {"en": "batch_dim=1 must be 0", "fr": "batch_dim=1 n'est pas compris ; écrivez batch_dim=0"}


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("name", MODELS)
def test_a_shape_of_the_wrong_rank_says_both_conventions(name, lang):
    build, example = MODELS[name]
    for shape in (example[1:], (1, 1, *example)):
        if not shape:
            continue
        with pytest.raises(ValueError, match=WRONG_RANK[lang]):
            build().summary(shape, lang=lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_an_ambiguous_shape_shows_both_readings(lang):
    model = nn.Sequential(nn.BatchNorm1d(4), nn.Linear(4, 2))  # BatchNorm1d takes (N, C) and (N, C, L)
    with pytest.raises(ValueError) as info:
        model.summary((4, 4), lang=lang)
    message = str(info.value)
    for expected in AMBIGUOUS[lang]:
        assert expected in message
    assert "batch_dim=0" in message and "batch_dim=None" in message
    assert model.summary((4, 4), batch_dim=None).rows[-1].output_shape == (2,)
    assert model.summary((4, 4), batch_dim=0).rows[-1].output_shape == (4, 2)


def test_where_only_one_reading_runs_it_is_taken():
    model = nn.Sequential(nn.BatchNorm1d(4), nn.Linear(4, 2))
    assert model.summary((3, 4)).rows[-1].output_shape == (2,)  # (C=3, L=4) would not fit BatchNorm1d(4)
    norm = nn.Sequential(nn.BatchNorm1d(4), nn.ReLU())
    assert norm.summary((4, 5)).rows[0].output_shape == (4, 5)  # (N=4, C=5) would not


def test_a_first_layer_that_does_not_say_tries_both():
    flat = nn.Sequential(nn.Flatten(), nn.Linear(12, 2))
    assert flat.summary((3, 4)).rows[-1].output_shape == (2,)  # one example 3×4, flattened to 12
    assert flat.summary((1, 12)).rows[-1].output_shape == (2,)  # torchinfo's (N, 12)
    for lang in i18n.LANGUAGES:
        with pytest.raises(ValueError, match=NEITHER[lang]):
            flat.summary((5, 5), lang=lang)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_batch_dim_other_values_are_refused(lang):
    with pytest.raises(ValueError, match=BATCH_DIM[lang]):
        discriminator().summary((1, 32, 32), batch_dim=1, lang=lang)


def test_summary_follows_the_language_switch(monkeypatch):
    """No setting: French; MICROGRADFR_LANG=en: English; lang= wins over both."""
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    model = discriminator()
    french = str(model.summary((1, 32, 32)))
    assert french.splitlines()[2].split()[:2] == ["Couche", "Sortie"]
    assert french.endswith("Total des paramètres : 149\u202f953")
    monkeypatch.setenv(i18n.ENV_VAR, "en")
    english = str(model.summary((1, 32, 32)))
    assert english.splitlines()[2].split()[:3] == ["Layer", "Output", "shape"]
    assert english.endswith("Total parameters: 149,953")
    assert str(model.summary((1, 32, 32), lang="fr")) == french
