"""summary(): one example's shape or torchinfo's input_size, told apart by the first layer."""
import pytest

from microgradfr import manual_seed, nn


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


@pytest.mark.parametrize("name", MODELS)
def test_a_shape_of_the_wrong_rank_says_both_conventions(name):
    build, example = MODELS[name]
    for shape in (example[1:], (1, 1, *example)):
        if not shape:
            continue
        words = r"summary: input_shape .* has \d axes, but the first layer .* give one example's shape"
        with pytest.raises(ValueError, match=words + r" \(\d axes\) or torchinfo's input_size"):
            build().summary(shape)


def test_an_ambiguous_shape_shows_both_readings():
    model = nn.Sequential(nn.BatchNorm1d(4), nn.Linear(4, 2))  # BatchNorm1d takes (N, C) and (N, C, L)
    with pytest.raises(ValueError) as info:
        model.summary((4, 4))
    message = str(info.value)
    assert "can be read two ways" in message
    assert "one example of shape (4, 4) (a batch of 1 added): … 0 → (4, 4), 1 → (4, 2)" in message
    assert "torchinfo's input_size: a batch of 4 of shape (4,): … 0 → (4,), 1 → (2,)" in message
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
    with pytest.raises(ValueError, match="fits neither reading"):
        flat.summary((5, 5))


def test_batch_dim_other_values_are_refused():
    with pytest.raises(ValueError, match="batch_dim=1 must be 0"):
        discriminator().summary((1, 32, 32), batch_dim=1)
