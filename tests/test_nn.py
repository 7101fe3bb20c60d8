"""The scalar nn: micrograd's structure, activations, names and labels."""
import math

import pytest

from microgradfr import Value, i18n, manual_seed
from microgradfr.nn import MLP, Layer, Module, Neuron


def test_micrograd_structure():
    model = MLP(2, [16, 16, 1])
    assert len(model.layers) == 3
    assert len(model.layers[0].neurons) == 16
    neuron = model.layers[1].neurons[0]
    assert isinstance(neuron.w, list) and len(neuron.w) == 16 and isinstance(neuron.b, Value)
    # (2·16 + 16) + (16·16 + 16) + (16·1 + 1) = 48 + 272 + 17
    assert len(model.parameters()) == 337


def test_parameters_are_ordered_and_unique():
    layer = Layer(3, 2)
    layer.neurons.append(layer.neurons[0])  # a shared module is counted once
    params = layer.parameters()
    assert len(params) == len({id(p) for p in params}) == 2 * 4
    assert params[:4] == layer.neurons[0].w + [layer.neurons[0].b]


def test_named_parameters_and_labels():
    model = MLP(2, [3, 1])
    names = [name for name, _ in model.named_parameters()]
    assert names[:3] == ["layers.0.neurons.0.w.0", "layers.0.neurons.0.w.1", "layers.0.neurons.0.b"]
    assert names[-1] == "layers.1.neurons.0.b"
    assert all(p.label == name for name, p in model.named_parameters())


def test_activations():
    x = [Value(0.5), Value(-2.0)]
    for activation, fn in [("relu", lambda z: max(z, 0.0)), ("tanh", math.tanh),
                           ("sigmoid", lambda z: 1 / (1 + math.exp(-z))),
                           ("leaky_relu", lambda z: z if z > 0 else 0.01 * z), ("linear", lambda z: z)]:
        n = Neuron(2, activation=activation)
        z = sum(w.data * xi.data for w, xi in zip(n.w, x)) + n.b.data
        assert n(x).data == pytest.approx(fn(z))


def test_micrograd_nonlin_keyword():
    assert Neuron(2, nonlin=False).activation == "linear"
    assert Neuron(2, nonlin=True).activation == "relu"
    assert Layer(2, 3, nonlin=False).neurons[0].nonlin is False


def test_output_activation_and_layer_return_types():
    model = MLP(2, [4, 1], activation="tanh", output_activation="sigmoid")
    assert [n.activation for n in model.layers[0].neurons] == ["tanh"] * 4
    assert model.layers[1].neurons[0].activation == "sigmoid"
    assert isinstance(model([1.0, 2.0]), Value)
    assert isinstance(Layer(2, 3)([1.0, 2.0]), list)


def test_initialisation_is_seedable():
    manual_seed(3)
    a = [p.data for p in MLP(2, [4, 1]).parameters()]
    manual_seed(3)
    b = [p.data for p in MLP(2, [4, 1]).parameters()]
    assert a == b
    bound = 1 / math.sqrt(2)
    assert all(abs(w.data) <= bound for w in MLP(2, [4]).layers[0].neurons[0].w)


def test_zero_grad():
    model = MLP(2, [3, 1])
    model([1.0, -1.0]).backward()
    model.zero_grad()
    assert all(p.grad == 0.0 for p in model.parameters())


def test_train_eval_propagate():
    model = MLP(2, [3, 1])
    model.eval()
    assert not model.training and not model.layers[0].neurons[0].training
    model.train()
    assert model.layers[1].training


def test_bad_arguments():
    with i18n.language("en"), pytest.raises(ValueError, match="activation"):
        Neuron(2, activation="swish")
    with pytest.raises(ValueError, match="nin"):
        Neuron(0)
    with i18n.language("en"), pytest.raises(ValueError, match="expected 2"):
        Neuron(2)([1.0, 2.0, 3.0])


def test_custom_module_finds_nested_parameters():
    class Tiny(Module):
        def __init__(self):
            self.scale = Value(2.0)
            self.blocks = [Neuron(1), Neuron(1)]

    names = [n for n, _ in Tiny().named_parameters()]
    assert names == ["scale", "blocks.0.w.0", "blocks.0.b", "blocks.1.w.0", "blocks.1.b"]


def test_a_small_mlp_learns_a_separable_problem():
    manual_seed(0)
    model = MLP(2, [8, 1])
    X = [[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]]
    y = [-1.0, 1.0, 1.0, 1.0]  # OR with ±1 labels
    first = None
    for _ in range(100):
        loss = sum((model(x) - t) ** 2 for x, t in zip(X, y)) / 4
        first = first if first is not None else loss.data
        model.zero_grad()
        loss.backward()
        for p in model.parameters():
            p.data -= 0.05 * p.grad
    assert loss.data < 0.1 * first


def test_nn_functional_is_torchs_path_to_the_functional_ops():
    import microgradfr.functional
    import microgradfr.nn.functional as F
    assert F.__all__ == microgradfr.functional.__all__
    assert all(getattr(F, name) is getattr(microgradfr.functional, name) for name in F.__all__)
    assert microgradfr.nn.functional is F
