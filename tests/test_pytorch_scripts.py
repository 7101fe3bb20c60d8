"""Scripts written for PyTorch, run with ``import microgradfr as torch``: the makemore lectures'
character MLP (embedding by indexing, view, tanh, cross_entropy, a hand SGD on ``p.data``) and a
CIFAR-tutorial-style evaluation (``_, predicted = out.max(1)``, ``(predicted == y).sum().item()``).

Both engines start from the same numbers and see the same batches; every loss is compared.
"""
import numpy as np
import pytest

import microgradfr
import microgradfr.nn.functional as F


def makemore_step(torch, F, parameters, X, Y, ix, lr=0.1):
    """One step of the lecture's MLP: 3 characters of context, embedded in 10-d, 64 tanh units."""
    C, W1, b1, W2, b2 = parameters
    emb = C[X[ix]]                                   # (32, 3, 10)
    h = torch.tanh(emb.view(-1, 30) @ W1 + b1)       # (32, 64)
    logits = h @ W2 + b2                             # (32, 27)
    loss = F.cross_entropy(logits, Y[ix])
    for p in parameters:
        p.grad = None
    loss.backward()
    for p in parameters:
        p.data += -lr * p.grad
    return loss.item()


def test_the_makemore_mlp_trains_as_in_pytorch():
    torch = pytest.importorskip("torch")
    g = microgradfr.Generator().manual_seed(2147483647)
    X = microgradfr.randint(0, 27, (200, 3), generator=g)
    Y = microgradfr.randint(0, 27, (200,), generator=g)
    shapes = [(27, 10), (30, 64), (64,), (64, 27), (27,)]
    start = [microgradfr.randn(s, generator=g) * 0.1 for s in shapes]
    ours = [microgradfr.tensor(p.data, requires_grad=True) for p in start]
    theirs = [torch.tensor(p.data, requires_grad=True) for p in start]
    tX, tY = torch.tensor(X.data), torch.tensor(Y.data)
    assert sum(p.nelement() for p in ours) == sum(p.nelement() for p in theirs) == 4009
    losses = []
    for _ in range(30):
        ix = microgradfr.randint(0, X.shape[0], (32,), generator=g)
        losses.append((makemore_step(microgradfr, F, ours, X, Y, ix),
                       makemore_step(torch, torch.nn.functional, theirs, tX, tY, torch.tensor(ix.data))))
    np.testing.assert_allclose(*zip(*losses), rtol=1e-10)
    assert losses[-1][0] < losses[0][0]
    for p, q in zip(ours, theirs):
        np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-9, atol=1e-12)


def evaluate(torch, logits, labels):
    """The tutorials' accuracy: the predicted class is the index of the largest score."""
    with torch.no_grad():
        _, predicted = torch.max(logits, 1)
        _, again = logits.max(1)
        assert (predicted == again).all()
        right = predicted == labels
        return right.sum().item() / labels.shape[0], right.float().mean().item()


def test_accuracy_as_the_tutorials_write_it():
    torch = pytest.importorskip("torch")
    scores = np.random.default_rng(3).normal(size=(50, 10))
    labels = np.random.default_rng(4).integers(0, 10, 50)
    ours = evaluate(microgradfr, microgradfr.tensor(scores),
                    microgradfr.tensor(labels, dtype=microgradfr.int64))
    theirs = evaluate(torch, torch.tensor(scores), torch.tensor(labels))
    assert ours[0] == theirs[0] and ours[1] == pytest.approx(theirs[1])
