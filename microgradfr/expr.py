"""A safe parser for the command line's expressions: ``"(w1*x + w2*y)**2"`` → a graph of Values.

Python's ``ast`` reads the text; only a whitelist is accepted: numbers, variable names,
``+ - * / **``, unary minus (and plus), parentheses, and calls to the op table's one-input
functions (``tanh(x)``, ``exp``, ``relu``…; ``leaky_relu(x, 0.1)`` takes its setting as a second
number). Nothing is ever evaluated by Python: no ``eval``, no attribute access, no subscripts.

Limits keep any input fast: source length, number of syntax nodes, nesting depth (checked
*before* Python's parser sees the text, which would otherwise overflow its stack), and the
size of constant exponents (``x ** 10 ** 10 ** 10`` is refused before anything is computed).
Every refusal is an :class:`ExpressionError` saying what is wrong and at which column, in the
language of the switch (:func:`microgradfr.set_language`, French unless set): it carries a key of the
message catalogue and its fields, so the command line renders it in its own ``--lang``.

>>> f, leaves = parse_expression("(w1*x + w2*y)**2", {"w1": 2, "x": -1.5, "w2": 0.5, "y": 3})
>>> f.data, sorted(leaves)
(2.25, ['w1', 'w2', 'x', 'y'])
"""
from __future__ import annotations

import ast
import math
import re
from typing import NamedTuple

from . import i18n
from .engine import Value, apply
from .ops import OPS

__all__ = ["ExpressionError", "parse_expression", "FUNCTIONS", "MAX_LENGTH", "MAX_NODES",
           "MAX_OPERATIONS", "MAX_DEPTH", "MAX_EXPONENT"]

MAX_LENGTH = 2000
"""Characters in an expression (a slide's formula is far shorter)."""
MAX_NODES = 2000
"""Syntax-tree nodes (names, numbers, operators)."""
MAX_OPERATIONS = 500
"""Operators (+ - * / **) in the text, counted before parsing: Python's parser recurses on long chains."""
MAX_DEPTH = 60
"""Nesting: parentheses, unary signs, nested calls."""
MAX_EXPONENT = 1000
"""Largest |k| allowed in a constant exponent ``x ** k``."""

_SKIP = {"neg", "pow"}  # written as operators (-x, x ** k), not called by name
FUNCTIONS = {name: op for name, op in OPS.items()
             if op.arity == 1 and name not in _SKIP and callable(getattr(Value, name, None))}
"""The op table's one-input scalar functions (those a Value has as methods), by name."""

_BINARY = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.Pow: "**"}
_NOT_ALLOWED = {  # the syntax a student may try, named by the catalogue's "expr.syntax_<name>"
    ast.Attribute: "attribute", ast.Subscript: "subscript", ast.Compare: "compare", ast.BoolOp: "boolean",
    ast.Lambda: "lambda", ast.IfExp: "if", ast.Dict: "dict", ast.Set: "set", ast.List: "list",
    ast.Tuple: "tuple", ast.ListComp: "comprehension", ast.SetComp: "comprehension",
    ast.DictComp: "comprehension", ast.GeneratorExp: "generator", ast.Await: "await",
    ast.Yield: "yield", ast.YieldFrom: "yield", ast.JoinedStr: "string", ast.Starred: "starred",
    ast.NamedExpr: "assignment", ast.Slice: "slice",
}


class Words(NamedTuple):
    """A field of an :class:`ExpressionError` that is itself words of the catalogue, written out in
    the language the error is read in (``Words("expr.syntax_attribute")``)."""

    key: str


class ExpressionError(ValueError):
    """A refused expression: ``str(error)`` says what is wrong and where (one line).

    It holds the catalogue's key (``expr.<key>``) and the fields, not a sentence:
    :meth:`message` writes it in any language, ``str()`` in the current one.

    >>> error = ExpressionError("unknown_variable", 4, name="y")
    >>> error.message("en")
    "column 5: unknown variable 'y': give its value with --set y=…"
    >>> error.message("fr")
    "colonne 5 : variable inconnue 'y' : donnez sa valeur avec --set y=…"
    """

    def __init__(self, key: str, column: int | None = None, **fields):
        super().__init__(key, column, fields)
        self.key, self.column, self.fields = key, column, fields

    def message(self, lang: str | None = None) -> str:
        """The sentence in ``lang`` (default: the language switch), its column first."""
        fields = {name: i18n.message(v.key, lang) if isinstance(v, Words) else v
                  for name, v in self.fields.items()}
        text = i18n.message(f"expr.{self.key}", lang, **fields)
        if self.column is None:
            return text
        return i18n.message("expr.at_column", lang, column=self.column + 1, message=text)

    def __str__(self) -> str:
        return self.message()


def parse_expression(source: str, values: dict) -> tuple:
    """Build the graph of ``source`` with leaves from ``values``; returns ``(root, leaves)``.

    ``leaves`` maps each variable name used to its Value (labelled with its name).

    >>> f, v = parse_expression("tanh(2*x)", {"x": 0.0})
    >>> f.data, v["x"].label
    (0.0, 'x')
    """
    tree = _parse(source)
    _check_tree(tree)
    return _Builder(values).build(tree.body)


# ---------------------------------------------------------------------------- reading the text
def _parse(source: str) -> ast.Expression:
    """``ast.parse`` after the cheap checks that keep it fast and its stack safe."""
    if not isinstance(source, str):
        raise ExpressionError("not_text", type=type(source).__name__)
    source = source.strip()
    if not source:
        raise ExpressionError("empty")
    if len(source) > MAX_LENGTH:
        raise ExpressionError("too_long", MAX_LENGTH, length=len(source), limit=MAX_LENGTH)
    _check_characters(source)
    _check_nesting(source)
    operations = len(re.findall(r"\*\*|[-+*/]", source))
    if operations > MAX_OPERATIONS:
        raise ExpressionError("too_many_operations", count=operations, limit=MAX_OPERATIONS)
    try:
        return ast.parse(source, mode="eval")
    except SyntaxError as error:
        if error.offset and error.offset <= len(source):
            raise ExpressionError("invalid", error.offset - 1, detail=error.msg) from None
        raise ExpressionError("ends_early", len(source), detail=error.msg) from None
    except (RecursionError, MemoryError, ValueError, OverflowError):
        raise ExpressionError("too_complex") from None


def _check_characters(source: str) -> None:
    """Refuse what is not text: bytes that were not UTF-8 (read as surrogates) and null bytes."""
    for column, ch in enumerate(source):
        if ch == "\0" or "\ud800" <= ch <= "\udfff":
            raise ExpressionError("unreadable_character", column)


def _check_nesting(source: str) -> None:
    """Refuse deep nesting from the raw text: brackets, and runs of signs (- - - x)."""
    depth = signs = 0
    for column, ch in enumerate(source):
        if ch in "([{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ExpressionError("nested_parentheses", column, limit=MAX_DEPTH)
        elif ch in ")]}":
            depth -= 1
            if depth < 0:
                raise ExpressionError("unmatched_closing", column)
        if ch in "+-~":
            signs += 1
            if signs > MAX_DEPTH:
                raise ExpressionError("too_many_signs", column, limit=MAX_DEPTH)
        elif not ch.isspace():
            signs = 0
    if depth > 0:
        raise ExpressionError("not_closed", len(source), count=depth)


def _check_tree(tree: ast.Expression) -> None:
    """Count nodes and measure depth without recursion; refuse anything off the whitelist."""
    count = 0
    stack = [(tree.body, 1)]
    while stack:
        node, depth = stack.pop()
        count += 1
        if count > MAX_NODES:
            raise ExpressionError("too_many_parts", limit=MAX_NODES)
        if depth > MAX_DEPTH * 40:
            raise ExpressionError("nested_too_deeply", getattr(node, "col_offset", None))
        _check_node(node)
        stack.extend((child, depth + 1) for child in ast.iter_child_nodes(node)
                     if not isinstance(child, (ast.operator, ast.unaryop, ast.expr_context)))


def _check_node(node) -> None:
    col = getattr(node, "col_offset", None)
    if isinstance(node, ast.Constant):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            raise ExpressionError("constant_not_number", col, value=f"{node.value!r:.30}")
    elif isinstance(node, ast.Name):
        if node.id.startswith("_"):
            raise ExpressionError("underscore_name", col, name=node.id)
    elif isinstance(node, ast.BinOp):
        if type(node.op) not in _BINARY:
            raise ExpressionError("binary_operator", col, op=_op_text(node.op))
    elif isinstance(node, ast.UnaryOp):
        if not isinstance(node.op, (ast.USub, ast.UAdd)):
            raise ExpressionError("unary_operator", col, op=_op_text(node.op))
    elif isinstance(node, ast.Call):
        _check_call(node)
    else:
        name = _NOT_ALLOWED.get(type(node))
        what = type(node).__name__ if name is None else Words(f"expr.syntax_{name}")
        raise ExpressionError("syntax_not_allowed", col, what=what, functions=", ".join(FUNCTIONS))


def _check_call(node: ast.Call) -> None:
    col = node.col_offset
    if not isinstance(node.func, ast.Name):
        raise ExpressionError("call_by_name", col, functions=", ".join(FUNCTIONS))
    name = node.func.id
    if name not in FUNCTIONS:
        raise ExpressionError("unknown_function", col, name=name, functions=", ".join(FUNCTIONS))
    if node.keywords:
        raise ExpressionError("keyword_arguments", col, name=name)
    takes_k = FUNCTIONS[name].k_default is not None
    most = 2 if takes_k else 1
    if not 1 <= len(node.args) <= most:
        raise ExpressionError("arguments_with_setting" if takes_k else "arguments", col, name=name,
                              count=len(node.args))


def _op_text(op) -> str:
    return {ast.FloorDiv: "//", ast.Mod: "%", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
            ast.BitOr: "|", ast.BitAnd: "&", ast.BitXor: "^", ast.Invert: "~",
            ast.Not: "not"}.get(type(op), type(op).__name__)


# ---------------------------------------------------------------------------- building the graph
class _Builder:
    """Post-order over the checked tree with an explicit stack: numbers fold, Values record."""

    def __init__(self, values: dict):
        self.values = values
        self.leaves = {}

    def build(self, body) -> tuple:
        results = {}
        stack = [(body, False)]
        while stack:
            node, ready = stack.pop()
            if not ready:
                stack.append((node, True))
                stack.extend((child, False) for child in reversed(self.children(node)))
                continue
            results[id(node)] = self.evaluate(node, [results[id(c)] for c in self.children(node)])
        root = results[id(body)]
        if not isinstance(root, Value):
            root = Value(root)
        return root, self.leaves

    @staticmethod
    def children(node) -> list:
        if isinstance(node, ast.BinOp):
            return [node.left, node.right]
        if isinstance(node, ast.UnaryOp):
            return [node.operand]
        if isinstance(node, ast.Call):
            return list(node.args)
        return []

    def evaluate(self, node, args):
        col = node.col_offset
        try:
            if isinstance(node, ast.Constant):
                return _number(node.value, col)
            if isinstance(node, ast.Name):
                return self.variable(node.id, col)
            if isinstance(node, ast.UnaryOp):
                return -args[0] if isinstance(node.op, ast.USub) else args[0]
            if isinstance(node, ast.BinOp):
                return self.binary(node, *args)
            return self.call(node, args)
        except ExpressionError:
            raise
        except (ValueError, ZeroDivisionError, OverflowError, TypeError) as error:
            raise ExpressionError("engine", col, text=str(error)) from None

    def variable(self, name, col):
        if name in FUNCTIONS:
            raise ExpressionError("function_as_variable", col, name=name)
        if name not in self.values:
            raise ExpressionError("unknown_variable", col, name=name)
        if name not in self.leaves:
            self.leaves[name] = Value(float(self.values[name]), label=name)
        return self.leaves[name]

    def binary(self, node, x, y):
        op = _BINARY[type(node.op)]
        if op == "**":
            return self.power(node, x, y)
        numbers_only = not isinstance(x, Value) and not isinstance(y, Value)
        if op == "+":
            result = x + y
        elif op == "-":
            result = x - y
        elif op == "*":
            result = x * y
        else:
            if numbers_only and y == 0:
                raise ExpressionError("division_by_zero", node.col_offset, x=repr(x))
            result = x / y
        return _finite(result, node.col_offset, f"{_show(x)} {op} {_show(y)}") if numbers_only else result

    def power(self, node, x, y):
        """x ** y: a number exponent is checked for size first; a Value exponent is an input."""
        if isinstance(y, Value):
            return x ** y if isinstance(x, Value) else apply(OPS["pow_xy"], x, y)
        if abs(y) > MAX_EXPONENT:
            raise ExpressionError("exponent_too_large", node.right.col_offset, exponent=f"{y:g}",
                                  limit=MAX_EXPONENT)
        if isinstance(x, Value):
            return x ** (int(y) if float(y).is_integer() else y)
        what = f"{_show(x)} ** {_show(y)}"
        try:
            result = float(x) ** float(y)
        except OverflowError:
            raise ExpressionError("power_overflow", node.col_offset, what=what) from None
        except ZeroDivisionError:
            raise ExpressionError("zero_negative_power", node.col_offset, what=what) from None
        return _finite(result, node.col_offset, what)

    def call(self, node, args):
        op = FUNCTIONS[node.func.id]
        if len(args) > 1 and isinstance(args[1], Value):
            raise ExpressionError("setting_variable", node.args[1].col_offset, name=op.name)
        result = apply(op, args[0], k=float(args[1]) if len(args) > 1 else op.k_default)
        # a function of a number is a number (folded, as 2*3 is), not a node of the graph
        return result if isinstance(args[0], Value) else _finite(result.data, node.col_offset)


def _number(value, col) -> float:
    try:
        number = float(value)
    except OverflowError:  # an int with hundreds of digits
        number = math.inf
    if math.isinf(number):  # Python reads 1e400 as inf
        raise ExpressionError("number_too_large", col)
    return number


def _show(v) -> str:
    """A folded constant as written: 10 not 10.0, (−8) in parentheses."""
    text = f"{v:g}"
    return f"({text})" if v < 0 else text


def _finite(v, col, what=None):
    """``v`` if it is a finite real number; else an error naming the constant step ``what``."""
    if isinstance(v, complex) or not math.isfinite(v):
        what = Words("expr.constant_part") if what is None else what
        raise ExpressionError("not_real" if isinstance(v, complex) else "not_finite", col, what=what)
    return v
