"""The course's hand derivations (TD 001, exam 002), written out by hand and checked."""
import math

import pytest

from microgradfr import Value
from microgradfr.testing import assert_grad


def sigma(z):
    return 1 / (1 + math.exp(-z))


# ---------------------------------------------------------------- exercise 4: L = (w1·x + w2·y)²
@pytest.mark.parametrize("w1, x, w2, y", [(2.0, -1.5, 0.5, 3.0), (0.3, 1.2, -0.7, 2.5), (1.0, 0.0, 0.0, 1.0)])
def test_autograd_graph_of_the_course(w1, x, w2, y):
    W1, X, W2, Y = Value(w1, "w1"), Value(x, "x"), Value(w2, "w2"), Value(y, "y")
    a = W1 * X
    b = W2 * Y
    c = a + b
    L = c ** 2
    L.backward()
    cc = w1 * x + w2 * y
    assert L.data == pytest.approx(cc ** 2)
    # by the chain rule: ∂L/∂c = 2c, ∂c/∂a = ∂c/∂b = 1, ∂a/∂w1 = x, ∂b/∂w2 = y
    assert W1.grad == pytest.approx(2 * cc * x)
    assert W2.grad == pytest.approx(2 * cc * y)
    assert X.grad == pytest.approx(2 * cc * w1)
    assert Y.grad == pytest.approx(2 * cc * w2)
    assert (a.grad, b.grad, c.grad) == (pytest.approx(2 * cc),) * 3


def test_course_values_worked_by_hand():
    # w1 = 2, x = −1.5, w2 = 0.5, y = 3: a = −3, b = 1.5, c = −1.5, L = 2.25
    # ∂L/∂w1 = 2c·x = 2·(−1.5)·(−1.5) = 4.5 ; ∂L/∂w2 = 2c·y = 2·(−1.5)·3 = −9
    w1, x, w2, y = Value(2.0), Value(-1.5), Value(0.5), Value(3.0)
    assert_grad(lambda: (w1 * x + w2 * y) ** 2, [w1, w2, x, y], [4.5, -9.0, -6.0, -1.5])


def test_assert_grad_tells_a_wrong_hand_derivation():
    w1, x = Value(2.0, "w1"), Value(-1.5, "x")
    with pytest.raises(AssertionError, match="w1"):
        assert_grad(lambda: (w1 * x) ** 2, w1, 2 * (2.0 * -1.5))  # forgot the factor x


# ---------------------------------------------------------------- exercise 2: 2-3-1 sigmoid network
def test_two_three_one_sigmoid_network_every_partial_derivative():
    x1, x2, target = 0.5, -1.0, 1.0
    W1 = [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]]   # W1[j][i]: input i → hidden j
    b1 = [0.05, -0.1, 0.2]
    Wp = [0.3, -0.6, 0.9]                          # W'_j: hidden j → output
    bp = -0.05

    # Engine
    X = [Value(x1), Value(x2)]
    VW1 = [[Value(w) for w in row] for row in W1]
    Vb1 = [Value(b) for b in b1]
    VWp = [Value(w) for w in Wp]
    Vbp = Value(bp)
    Va = [(VW1[j][0] * X[0] + VW1[j][1] * X[1] + Vb1[j]).sigmoid() for j in range(3)]
    Vyhat = (VWp[0] * Va[0] + VWp[1] * Va[1] + VWp[2] * Va[2] + Vbp).sigmoid()
    VL = 0.5 * (Vyhat - target) ** 2
    VL.backward()

    # By hand, neuron by neuron (question 4), then backward (questions 6 and 7)
    z1 = [W1[j][0] * x1 + W1[j][1] * x2 + b1[j] for j in range(3)]
    a1 = [sigma(z) for z in z1]
    z2 = sum(Wp[j] * a1[j] for j in range(3)) + bp
    yhat = sigma(z2)
    L = 0.5 * (yhat - target) ** 2
    dL_dyhat = yhat - target
    dL_dz2 = dL_dyhat * yhat * (1 - yhat)
    dL_dbp = dL_dz2
    dL_dWp = [dL_dz2 * a1[j] for j in range(3)]
    dL_da1 = [dL_dz2 * Wp[j] for j in range(3)]
    dL_dz1 = [dL_da1[j] * a1[j] * (1 - a1[j]) for j in range(3)]
    dL_db1 = dL_dz1
    dL_dW1 = [[dL_dz1[j] * x for x in (x1, x2)] for j in range(3)]

    assert VL.data == pytest.approx(L, rel=1e-12)
    assert Vbp.grad == pytest.approx(dL_dbp, rel=1e-12)
    for j in range(3):
        assert VWp[j].grad == pytest.approx(dL_dWp[j], rel=1e-12)
        assert Va[j].grad == pytest.approx(dL_da1[j], rel=1e-12)
        assert Vb1[j].grad == pytest.approx(dL_db1[j], rel=1e-12)
        for i in range(2):
            assert VW1[j][i].grad == pytest.approx(dL_dW1[j][i], rel=1e-12)
    # question 5: 3·2 + 3 hidden parameters, 3 + 1 output parameters
    assert 3 * 2 + 3 + 3 * 1 + 1 == 13


def test_mlp_parameter_count_formula_on_the_scalar_network():
    from microgradfr.nn import MLP
    sizes = [2, 3, 1]
    assert len(MLP(2, [3, 1]).parameters()) == sum(h * g + g for h, g in zip(sizes, sizes[1:])) == 13


# ---------------------------------------------------------------- exam 002: ∂J/∂w11 in a 2-2-1 network
def test_exam_dJ_dw11_is_the_product_of_five_factors():
    x1, x2, target = 0.8, -0.4, 1.0
    w11, w21, b1 = 0.5, -0.3, 0.1
    w12, w22, b2 = -0.2, 0.6, 0.0
    w1, w2, b3 = 0.7, -0.9, 0.05
    # hidden activation f = sigmoid here; J = ½(ŷ − y)²
    z1 = w11 * x1 + w21 * x2 + b1
    z2 = w12 * x1 + w22 * x2 + b2
    h1, h2 = sigma(z1), sigma(z2)
    z = w1 * h1 + w2 * h2 + b3
    yhat = sigma(z)
    factors = [yhat - target,            # ∂J/∂ŷ
               yhat * (1 - yhat),        # ∂ŷ/∂z = σ'(z)
               w1,                       # ∂z/∂h1
               h1 * (1 - h1),            # ∂h1/∂z1 = f'(z1)
               x1]                       # ∂z1/∂w11
    by_hand = math.prod(factors)

    V = {n: Value(v, n) for n, v in dict(w11=w11, w21=w21, b1=b1, w12=w12, w22=w22, b2=b2,
                                         w1=w1, w2=w2, b3=b3).items()}
    H1 = (V["w11"] * x1 + V["w21"] * x2 + V["b1"]).sigmoid()
    H2 = (V["w12"] * x1 + V["w22"] * x2 + V["b2"]).sigmoid()
    J = 0.5 * ((V["w1"] * H1 + V["w2"] * H2 + V["b3"]).sigmoid() - target) ** 2
    J.backward()
    assert V["w11"].grad == pytest.approx(by_hand, rel=1e-12)


def test_dead_relu_blocks_the_gradient_and_leaky_relu_does_not():
    # exam: with h1 = ReLU(z1) and z1 < 0, ∂h1/∂z1 = 0 so w11 receives no gradient
    w11 = Value(-1.0)
    (w11 * 2.0).relu().backward()
    assert w11.grad == 0.0
    w11 = Value(-1.0)
    (w11 * 2.0).leaky_relu(0.01).backward()
    assert w11.grad == pytest.approx(0.01 * 2.0)


# ---------------------------------------------------------------- exercise 1: gradient descent
def f(w):
    return 0.25 * w ** 4 - 1.5 * w ** 3 - 1.25 * w ** 2 + 6 * w


@pytest.mark.parametrize("w", [-2.0, 0.0, 1.0, 2.0, 6.0])
def test_derivative_of_f_by_the_engine(w):
    # f'(w) = w³ − 4.5w² − 2.5w + 6
    v = Value(w)
    f(v).backward()
    assert v.grad == pytest.approx(w ** 3 - 4.5 * w ** 2 - 2.5 * w + 6)


def test_gradient_descent_iterates_of_the_course():
    # f'(2) = −9 → 2.45; f'(2.45) = −12.430125 → 3.07150625; then 3.829276
    w, lr = 2.0, 0.05
    iterates = []
    for _ in range(3):
        v = Value(w)
        f(v).backward()
        w = w - lr * v.grad
        iterates.append(w)
    assert iterates == pytest.approx([2.45, 3.071506, 3.829276], abs=1e-6)
