"""An independent reader of the formulas viz prints: the text is turned into Python by plain rewriting
(a student's reading: standard precedence, nothing else) and evaluated, so wrong parentheses give
another number. Used by the formula and teaching-surface tests."""
import math
import re

_SUPER = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_FUNCTIONS = {"tanh": math.tanh, "exp": math.exp, "ln": math.log, "sin": math.sin, "cos": math.cos,
              "sqrt": math.sqrt, "sigma": lambda v: 1 / (1 + math.exp(-v)),
              "sign": lambda v: (v > 0) - (v < 0),
              "ReLU": lambda v: max(v, 0.0), "abs": abs}


def read_text(text: str, lang: str, env: dict) -> float:
    """Evaluate a formula as a student would read it (standard precedence, nothing else)."""
    s = text.replace("−", "-").replace("·", "*").replace("σ", "sigma").replace("^", "**")
    s = re.sub(r"\|([^|]*)\|", r"abs(\1)", s)
    s = re.sub(r"√(\w+)", r"sqrt(\1)", s).replace("√(", "sqrt(")
    s = re.sub(r"\b(ln|sin|cos|tanh) (\w+)", r"\1(\2)", s)
    s = _function_powers(s)
    s = re.sub(r"([\w)])([⁰¹²³⁴⁵⁶⁷⁸⁹⁻]+)", lambda m: f"{m.group(1)}**({m.group(2).translate(_SUPER)})", s)
    s = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)(?=[A-Za-z(])", r"\1*", s)   # 2c → 2*c, 2sqrt(a) → 2*sqrt(a)
    words = {"fr": (" si ", " sinon "), "en": (" if ", " else ")}[lang]
    s = s.replace(words[0], " if ").replace(words[1], " else ")
    return eval(s, {"__builtins__": {}}, {**_FUNCTIONS, **env})  # noqa: S307 - our own test strings


def _function_powers(s: str) -> str:
    """tanh²(a) → (tanh(a))**2, finding the matching parenthesis."""
    while (m := re.search(r"([A-Za-z]+)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)\(", s)):
        depth, i = 1, m.end()
        while depth:
            depth += {"(": 1, ")": -1}.get(s[i], 0)
            i += 1
        power = m.group(2).translate(_SUPER)
        s = f"{s[:m.start()]}({m.group(1)}({s[m.end():i - 1]}))**{power}{s[i:]}"
    return s


