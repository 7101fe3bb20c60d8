"""Grad mode is kept per thread, as in PyTorch: no_grad in one thread never stops another's graph.

The two-thread tests force their interleaving with barriers and events (nothing is left to the
scheduler), so that a process-wide flag fails them every time.
"""
import threading

import numpy as np
import pytest

import microgradfr
from microgradfr import Tensor, Value, is_grad_enabled, no_grad, set_grad_enabled

TIMEOUT = 10  # seconds a thread waits for the other before the test gives up
STEPS = 30

# The ways to turn recording off for a block, as PyTorch spells them.
OFF = {"no_grad": no_grad, "set_grad_enabled(False)": lambda: set_grad_enabled(False)}


# ---------------------------------------------------------------- one training step per engine


def scalar_step():
    """L = (3w - 1)² at w = 0.5: ∂L/∂w = 6·(3w - 1) = 3."""
    w = Value(0.5)
    loss = (w * 3 - 1) ** 2
    loss.backward()
    return w.grad, 3.0


def tensor_step():
    """L = Σ (w·x)² at w = [1, 2], x = [3, -1]: ∂L/∂w = 2·w·x² = [18, 4]."""
    w = Tensor([1.0, 2.0], requires_grad=True)
    loss = ((w * Tensor([3.0, -1.0])) ** 2).sum()
    loss.backward()
    return w.grad, np.array([18.0, 4.0])


def scalar_eval():
    out = Value(0.5) * 3 - 1
    return out.parents


def tensor_eval():
    out = (Tensor([1.0, 2.0], requires_grad=True) * 3).sum()
    return out.parents


ENGINES = {"Value": (scalar_step, scalar_eval), "Tensor": (tensor_step, tensor_eval)}


def run(*targets):
    """Run each target in its own thread and re-raise the first error any of them met."""
    errors = []

    def guarded(target):
        try:
            target()
        except BaseException as error:  # noqa: BLE001 - handed to the main thread below
            errors.append(error)

    threads = [threading.Thread(target=guarded, args=(t,)) for t in targets]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT)
        assert not thread.is_alive(), "a thread is still running: the test deadlocked"
    if errors:
        raise errors[0]


# ---------------------------------------------------------------- the two scenarios


@pytest.mark.parametrize("off", OFF.values(), ids=OFF.keys())
@pytest.mark.parametrize("engine", ENGINES, ids=ENGINES.keys())
def test_a_trainer_records_while_another_thread_evaluates_without_grad(engine, off):
    train_step, eval_step = ENGINES[engine]
    barrier = threading.Barrier(2, timeout=TIMEOUT)
    failures, wrong, evaluated = [], [], []

    def trainer():
        for _ in range(STEPS):
            barrier.wait()  # the evaluator is inside its no-grad block from here...
            try:
                grad, expected = train_step()
                if grad is None or not np.allclose(grad, expected):
                    wrong.append(grad)
            except RuntimeError as error:
                failures.append(error)
            barrier.wait()  # ...to here

    def evaluator():
        with off():
            for _ in range(STEPS):
                barrier.wait()
                evaluated.append(eval_step())
                barrier.wait()

    run(trainer, evaluator)
    assert not failures, f"{len(failures)} of {STEPS} backward() calls failed: {failures[0]}"
    assert not wrong, f"{len(wrong)} of {STEPS} steps gave a wrong gradient, e.g. {wrong[0]!r}"
    assert evaluated == [()] * STEPS, "the evaluator's graph recorded parents inside its no-grad block"


@pytest.mark.parametrize("off", OFF.values(), ids=OFF.keys())
def test_two_overlapping_no_grad_blocks_leave_recording_on_in_every_thread(off):
    # Forced order: A enters, B enters, A leaves, B leaves. A process-wide flag ends up off:
    # B saved A's "off" on entry and restores it last.
    a_in, b_in, a_out = threading.Event(), threading.Event(), threading.Event()
    after = {}

    def wait(event):
        assert event.wait(TIMEOUT), "the other thread never got there"

    def record_after(name):
        after[name] = (is_grad_enabled(), len((Value(1.0) * 2).parents))

    def thread_a():
        with off():
            a_in.set()
            wait(b_in)
        a_out.set()
        record_after("A")

    def thread_b():
        wait(a_in)
        with off():
            b_in.set()
            wait(a_out)
        record_after("B")

    run(thread_a, thread_b)
    run(lambda: record_after("a new thread"))
    record_after("the main thread")
    assert after == {name: (True, 2) for name in ("A", "B", "a new thread", "the main thread")}
    # and the ops' fast test, "no thread has recording off", holds again
    assert microgradfr.autograd._everyone_records.on


# ---------------------------------------------------------------- one thread


def test_a_thread_started_inside_no_grad_records():
    seen = []
    with no_grad():
        run(lambda: seen.append((is_grad_enabled(), len((Value(1.0) * 2).parents))))
        assert not is_grad_enabled()
    assert seen == [(True, 2)] and is_grad_enabled()


@pytest.mark.parametrize("off", OFF.values(), ids=OFF.keys())
def test_the_mode_comes_back_after_an_error(off):
    with pytest.raises(ZeroDivisionError):
        with off():
            Value(1.0) / 0
    assert is_grad_enabled() and (Value(1.0) * 2).parents != ()


def test_set_grad_enabled_called_as_a_function_acts_at_once():
    try:
        set_grad_enabled(False)
        assert not is_grad_enabled() and (Value(1.0) * 2).parents == ()
    finally:
        set_grad_enabled(True)
    assert is_grad_enabled()


@pytest.mark.parametrize("mode", [1, 0, None, "False"])
def test_set_grad_enabled_wants_a_bool(mode):
    with microgradfr.i18n.language("en"), pytest.raises(TypeError, match=r"set_grad_enabled\(mode\): mode "
                                                                       r"must be True or False"):
        set_grad_enabled(mode)
    assert is_grad_enabled()


def test_the_names_are_exported_like_torch():
    for name in ("no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"):
        assert getattr(microgradfr, name) is getattr(microgradfr.autograd, name)


# ---------------------------------------------------------------- the same modes as PyTorch


def mode_trace(lib) -> list:
    """is_grad_enabled() at each point of a script using every form of the grad-mode API."""
    trace = []

    def seen():
        trace.append(lib.is_grad_enabled())

    @lib.no_grad()
    def off_with_parentheses():
        seen()

    @lib.no_grad
    def off_bare():
        seen()

    @lib.enable_grad()
    def on():
        seen()

    @lib.set_grad_enabled(False)
    def off_by_mode():
        seen()

    seen()  # decorating changed nothing
    off_with_parentheses()
    off_bare()
    off_by_mode()
    seen()
    with lib.no_grad():
        seen()
        on()
        seen()
        with lib.enable_grad():
            seen()
            with lib.set_grad_enabled(False):
                seen()
            seen()
        seen()
    with lib.set_grad_enabled(False):
        seen()
        on()
        seen()
    seen()
    lib.set_grad_enabled(False)
    seen()
    with lib.set_grad_enabled(True):
        seen()
    seen()
    lib.set_grad_enabled(True)
    seen()
    return trace


def test_every_form_gives_the_modes_pytorch_gives():
    torch = pytest.importorskip("torch")
    assert mode_trace(microgradfr) == mode_trace(torch)
