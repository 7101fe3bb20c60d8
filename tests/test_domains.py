"""Each op's domain is defined once, as a Domain on its table entry, and everyone reads that one.

Enumerated over the table: every entry has a Domain; the strategies draw inside it (its intervals,
its rules); Value's check and the Tensor's mask refuse the same inputs with the same words; and a
new op with a new domain gets its strategies without any edit of microgradfr.testing.
"""
import ast
import itertools
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import microgradfr.ops
from microgradfr import Tensor, Value, i18n
from microgradfr.domains import DOMAINS, Domain, Interval, Rule
from microgradfr.engine import apply
from microgradfr.ops import OPS, Op
from microgradfr.tensor import apply as tensor_apply
from microgradfr.testing.array_strategies import elementwise_inputs, tensor_op_inputs
from microgradfr.testing.strategies import inputs_for

ELEMENTWISE = [op for op in OPS.values() if op.local is not None and op.arity in (1, 2)]
WHOLE_ARRAY = [op for op in OPS.values() if op.vjp is not None]
CHECKED = [op for op in ELEMENTWISE if op.domain.rules]
SPECIAL = [math.inf, -math.inf, math.nan, 0.0, -0.0, 5e-324, -2.0, -0.5, 0.5, 1.0, 1e308]
FAST = settings(deadline=None, max_examples=25)


@pytest.mark.parametrize("op", OPS.values(), ids=lambda op: op.name)
def test_every_entry_has_one_registered_domain(op):
    assert isinstance(op.domain, Domain), f"{op.name}: domain {op.domain!r} is not a Domain"
    assert DOMAINS[op.domain.name] is op.domain
    assert (op.check is not None) == bool(op.domain.rules), f"{op.name}: check and domain disagree"
    assert op.domain.elementwise == (op.local is not None), f"{op.name}: sampled as the wrong kind"


@pytest.mark.parametrize("op", ELEMENTWISE, ids=lambda op: op.name)
def test_scalar_strategy_draws_inside_the_domain(op):
    @FAST
    @given(inputs_for(op))
    def check(xs):
        assert len(xs) == op.arity
        for i, v in enumerate(xs):
            assert v in op.domain.interval(i), (op.name, i, v, op.domain.interval(i))
        op.domain.check(op.name, *xs, op.k_default)  # breaks no rule
    check()


@pytest.mark.parametrize("op", ELEMENTWISE, ids=lambda op: op.name)
def test_array_strategy_draws_inside_the_domain(op):
    @FAST
    @given(elementwise_inputs(op))
    def check(arrays):
        for i, a in enumerate(arrays):
            assert all(v in op.domain.interval(i) for v in a.flat), (op.name, i, a)
        mask = op.domain.mask(*arrays, op.k_default)
        assert mask is None or not mask.any()
    check()


@pytest.mark.parametrize("op", WHOLE_ARRAY, ids=lambda op: op.name)
def test_whole_array_strategy_draws_inputs_the_op_accepts(op):
    @FAST
    @given(tensor_op_inputs(op))
    def check(arrays_k):
        arrays, k = arrays_k
        k = k(*arrays) if callable(k) else k
        if op.check is not None:
            op.check(*arrays, k)  # no shape rule broken
        tensor_apply(op, *[Tensor(a, dtype=a.dtype) for a in arrays], k=k)
    check()


def _error(run):
    try:
        run()
    except (ValueError, ZeroDivisionError) as error:
        return error
    return None


QUICK = [op for op in ELEMENTWISE if op.domain.accepts is not None]
SETTINGS = [*range(-4, 5), -0.5, 0.5, 1.5, 2.0, math.inf, -math.inf, math.nan]


def _quick_accept_is_sound(op, xs, k):
    if op.domain.accepts(*xs, k):
        assert not any(rule.bad(*xs, k) for rule in op.domain.rules), (op.name, xs, k)


@pytest.mark.parametrize("op", QUICK, ids=lambda op: op.name)
def test_a_domains_quick_accept_holds_only_where_no_rule_applies(op):
    for xs in itertools.product(SPECIAL, repeat=op.arity):
        for k in [*SETTINGS, op.k_default]:
            _quick_accept_is_sound(op, xs, k)


@pytest.mark.parametrize("op", QUICK, ids=lambda op: op.name)
@FAST
@given(data=st.data())
def test_a_domains_quick_accept_holds_on_any_float(op, data):
    xs = [data.draw(st.floats()) for _ in range(op.arity)]
    _quick_accept_is_sound(op, xs, data.draw(st.integers(-1000, 1000) | st.floats()))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("op", CHECKED, ids=lambda op: op.name)
def test_value_and_tensor_refuse_the_same_inputs_in_the_same_words(op, lang):
    with i18n.language(lang):
        _same_refusals(op)


def _same_refusals(op):
    settings_k = [op.k_default] if op.name != "pow" else [3, 0, -1, 0.5, 1.5, math.inf, math.nan]
    for xs in itertools.product(SPECIAL, repeat=op.arity):
        for k in settings_k:
            value = _error(lambda xs=xs, k=k: op.check(*xs, k))
            if value is not None:  # Value raises exactly the domain's error
                applied = _error(lambda xs=xs, k=k: apply(op, *[Value(v) for v in xs], k=k))
                assert type(applied) is type(value) and str(applied) == str(value), (value, applied)
            arrays = [np.array([1.0, v]) for v in xs]  # the bad entry second: index [1]
            mask = op.domain.mask(*arrays, k)
            assert (mask is not None and bool(mask[1])) == (value is not None), (op.name, xs, k)
            assert mask is None or not mask[0], (op.name, xs, k)
            if value is None:
                continue
            tensor = _error(lambda arrays=arrays, k=k: tensor_apply(op, *[Tensor(a) for a in arrays], k=k))
            assert type(tensor) is type(value) and str(tensor).startswith(str(value)), (value, tensor)
            assert re.match(re.escape(op.name.split("_")[0]) + " ?: ", str(value)), value  # names the op


def test_a_new_op_with_a_new_domain_needs_no_edit_of_the_strategies():
    # ln(x − 1): defined for x > 1, sampled in [1.5, 4]
    above_one = Domain("test_above_one", sample=(Interval(1.5, 4.0),), rules=(
        Rule(lambda x, k: x <= 1, "{op}: {op}(x) needs x > 1, got x = {x!r}; shift the input"),))
    op = Op(name="log_shifted", symbol="ln(x−1)", arity=1,
            forward=lambda xp, x, k: xp.log(x - 1.0), local=lambda xp, x, out, k: (1.0 / (x - 1.0),),
            expr="ln(x − 1)", derivs=("1/(x − 1)",), domain=above_one)
    with pytest.raises(ValueError, match=r"^log_shifted: log_shifted\(x\) needs x > 1, got x = 0.5; shift"):
        apply(op, Value(0.5))
    with i18n.language("en"), pytest.raises(ValueError, match=r"log_shifted: .* \(1 of 2 entries are outside "
                                                              r"the domain, the first at index \[1\]\)"):
        tensor_apply(op, Tensor([2.0, 1.0]))
    with i18n.language("fr"), pytest.raises(ValueError, match=r"log_shifted: .* \(1 entrées sur 2 sont hors "
                                                              r"du domaine, la première à l'indice \[1\]\)"):
        tensor_apply(op, Tensor([2.0, 1.0]))

    @FAST
    @given(inputs_for(op), elementwise_inputs(op))
    def drawn_inside(xs, arrays):
        assert 1.5 <= xs[0] <= 4.0 and ((1.5 <= arrays[0]) & (arrays[0] <= 4.0)).all()
    drawn_inside()


def test_a_domain_name_is_defined_once():
    with pytest.raises(ValueError, match=r"Domain\('positive'\): a domain of that name exists already"):
        Domain("positive", sample=(Interval(0.1, 4.0),))
    assert DOMAINS["positive"] is OPS["log"].domain


def test_a_domain_can_be_named_by_a_string():
    op = Op(name="log_again", symbol="log", arity=1, forward=OPS["log"].forward, local=OPS["log"].local,
            expr="ln x", derivs=("1/x",), domain="positive")
    assert op.domain is OPS["log"].domain
    with pytest.raises(ValueError, match="unknown domain 'positve'.*'positive'"):
        Op(name="typo", symbol="log", arity=1, forward=OPS["log"].forward, local=OPS["log"].local,
           expr="ln x", derivs=("1/x",), domain="positve")


# ---------------------------------------------------------------- ops.py is the table and only the table
OPS_SOURCE = Path(microgradfr.ops.__file__)


def test_ops_py_holds_only_the_table():
    tree = ast.parse(OPS_SOURCE.read_text(encoding="utf-8"))
    entries = []
    for i, node in enumerate(tree.body):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            continue
        if i == 0 and isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            continue  # the module docstring
        if isinstance(node, (ast.Assign, ast.AnnAssign)):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            assert [t.id for t in targets] in (["__all__"], ["OPS"], ["_op"]), ast.unparse(node)[:80]
            continue
        assert (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
                and getattr(node.value.func, "id", None) == "_op"), \
            f"ops.py line {node.lineno}: only table entries here, found {ast.unparse(node)[:80]!r}"
        entries.append({kw.arg: kw.value for kw in node.value.keywords})
    names = [entry["name"].value for entry in entries]
    assert set(names) <= set(OPS) and len(names) == len(set(names))
    for entry in entries:  # rules inline are one expression; longer numerics live in kernels
        for rule in ("forward", "local"):
            if isinstance(entry.get(rule), ast.Lambda):
                assert len(ast.unparse(entry[rule].body)) <= 100, (entry["name"].value, rule)


def test_ops_py_reads_in_one_sitting():
    lines = OPS_SOURCE.read_text(encoding="utf-8").splitlines()
    assert len(lines) <= 500, f"ops.py has {len(lines)} lines; move numerics to microgradfr/kernels"


@pytest.mark.parametrize("name", ["max_pool2d", "avg_pool2d"])
@pytest.mark.parametrize("shape, k, words", [
    ((1, 4, 4), ((2, 2), (2, 2), (0, 0)), "input must be (N, C, H, W), got shape (1, 4, 4)"),
    ((1, 1, 4, 4), ((2, 2), (2, 2), (2, 0)), "padding (2, 0) is more than half the 2×2 window; as in "
                                             "PyTorch, use padding ≤ 1"),
    ((1, 1, 2, 2), ((5, 5), (1, 1), (1, 1)), "window 5×5 is larger than the padded input 4×4 (shape "
                                             "(1, 1, 2, 2), padding 1); use a smaller kernel_size"),
])
def test_pool_errors_name_the_pool_they_come_from(name, shape, k, words):
    # 2 + 2·1 = 4: the padded side; 2 > 2 // 2: too much padding for a 2-wide window
    with i18n.language("en"), pytest.raises(ValueError) as info:
        tensor_apply(OPS[name], Tensor(np.ones(shape)), k=k)
    assert str(info.value).startswith(f"{name}: {words}"), str(info.value)


# ---------------------------------------------------------------- every shape rule, in both languages
# One failing case per rule of the whole-array domains, by the rule's catalogue key: (arrays, k), chosen
# by hand to break that rule and none before it. A new rule without a case here fails the first test.
_CONV_K = ((1, 1), (0, 0))  # stride, padding
_POOL_K = ((2, 2), (2, 2), (0, 0))  # window, stride, padding
BREAKS = {
    "domain.matmul_no_axis": ((np.array(2.0), np.ones(3)), None),
    "domain.matmul_shapes": ((np.ones((2, 3)), np.ones((4, 5))), None),  # 3 != 4
    "domain.linear_in_features": ((np.ones((2, 3)), np.ones((4, 5))), None),  # 3 != in_features 5
    "domain.conv2d_rank": ((np.ones((1, 4, 4)), np.ones((1, 1, 2, 2))), _CONV_K),  # no batch axis
    "domain.conv2d_channels": ((np.ones((1, 2, 4, 4)), np.ones((1, 3, 2, 2))), _CONV_K),  # 2 != 3
    "domain.conv2d_kernel": ((np.ones((1, 1, 2, 2)), np.ones((1, 1, 5, 5))), _CONV_K),  # 5 > 2 + 0
    "domain.conv2d_bias": ((np.ones((1, 1, 4, 4)), np.ones((2, 1, 2, 2)), np.ones(3)), _CONV_K),  # 3 != 2
    "domain.pool_rank": ((np.ones((1, 4, 4)),), _POOL_K),
    "domain.pool_padding": ((np.ones((1, 1, 4, 4)),), ((2, 2), (2, 2), (2, 0))),  # 2 > 2 // 2
    "domain.pool_window": ((np.ones((1, 1, 2, 2)),), ((5, 5), (1, 1), (1, 1))),  # 5 > 2 + 2·1
    "tensor.cat_empty": ((), 0),
    "tensor.cat_zero_dim": ((np.array(1.0), np.array(2.0)), 0),
    "tensor.cat_shapes": ((np.ones((2, 3)), np.ones((3, 4))), 0),  # 3 != 4 off the joining axis
    "tensor.stack_shapes": ((np.ones(2), np.ones(3)), 0),
}
SHAPE_RULES = [(op, rule) for op in WHOLE_ARRAY for rule in op.domain.rules]


def test_every_shape_rule_has_a_case_and_a_catalogue_sentence():
    library = [d for d in DOMAINS.values() if d.__class__.__module__.startswith("microgradfr.")
               and not d.elementwise]
    rules = {rule.message for d in library for rule in d.rules if not d.name.startswith("test_")}
    assert rules == {rule.message for _, rule in SHAPE_RULES}, "a whole-array domain no op uses"
    assert not rules - set(BREAKS), f"rules with no case in BREAKS: {sorted(rules - set(BREAKS))}"
    assert not set(BREAKS) - rules, "cases for rules that no longer exist"
    for lang in i18n.LANGUAGES:
        assert rules <= set(i18n.CATALOGUE[lang]), f"{lang}: rule messages that are not catalogue keys"


def _catalogue_pattern(text):
    """The catalogue's sentence as a regex: its words literally, each {field} any text."""
    import string
    return re.compile("".join(re.escape(literal) + ("(.*?)" if field is not None else "")
                              for literal, field, _, _ in string.Formatter().parse(text)), re.S)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("op, rule", SHAPE_RULES, ids=lambda x: getattr(x, "name", getattr(x, "message", x)))
def test_the_tensor_refuses_each_shape_rule_in_the_language(op, rule, lang):
    arrays, k = BREAKS[rule.message]
    # later rules may assume the earlier ones hold (a 4-d input): the first broken rule is read lazily
    assert next(r for r in op.domain.rules if r.bad(*arrays, k)) is rule, "the case breaks an earlier rule"
    with i18n.language(lang), pytest.raises(rule.error) as info:
        tensor_apply(op, *[Tensor(a) for a in arrays], k=k)
    text = str(info.value)
    assert _catalogue_pattern(i18n.CATALOGUE[lang][rule.message]).fullmatch(text), (lang, text)
    other = "en" if lang == "fr" else "fr"
    assert not _catalogue_pattern(i18n.CATALOGUE[other][rule.message]).fullmatch(text), (lang, text)
    assert re.match(re.escape(op.name) + " ?: ", text), text  # names the op
    with i18n.language(lang), pytest.raises(rule.error) as direct:
        op.check(*arrays, k)
    assert str(direct.value) == text  # the domain's own words, nothing added by the Tensor
