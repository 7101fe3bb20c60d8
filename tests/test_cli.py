"""The command line on good input (numbers worked by hand) and on hostile input (exit 2, one line,
no traceback, nothing written, fast)."""
import re
import shutil
import subprocess
import sys
import time

import pytest

import viz.backend
from microgradfr.cli import main

COURSE = ["(w1*x + w2*y)**2", "--set", "w1=2", "x=-1.5", "w2=0.5", "y=3"]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------- good input
def test_grad_prints_value_and_every_gradient(capsys):
    code, out, err = run(capsys, "grad", *COURSE)
    # c = 2·(−1.5) + 0.5·3 = −1.5, L = 2.25; ∂L/∂w1 = 2c·x = 4.5, ∂L/∂x = 2c·w1 = −6,
    # ∂L/∂w2 = 2c·y = −9, ∂L/∂y = 2c·w2 = −1.5
    assert code == 0 and err == ""
    assert out.splitlines() == ["L = 2.25", "∂L/∂w1 = 4.5", "∂L/∂x = -6", "∂L/∂w2 = -9", "∂L/∂y = -1.5"]


def test_grad_explain_names_the_steps_as_the_course_does(capsys):
    code, out, _ = run(capsys, "grad", *COURSE, "--explain", "w1")
    assert code == 0
    assert "∂L/∂w1 = ∂L/∂c · ∂c/∂a · ∂a/∂w1 = 2c · 1 · x = (−3) · 1 · (−1.5) = 4.5" in out
    assert "w1.grad ✓" in out
    code, out, _ = run(capsys, "grad", *COURSE, "--explain", "w2", "--lang", "en")
    assert "= (−3) · 1 · 3 = −9" in out and "the value backward() computed" in out


def test_grad_with_functions_and_a_leading_minus(capsys):
    code, out, _ = run(capsys, "grad", "-x*y + tanh(z)", "--set", "x=2", "y=3", "z=0")
    # −x·y + tanh z = −6 + 0; ∂/∂x = −y = −3, ∂/∂y = −x = −2, ∂/∂z = 1 − tanh²0 = 1
    assert code == 0
    assert out.splitlines() == ["L = -6", "∂L/∂x = -3", "∂L/∂y = -2", "∂L/∂z = 1"]


def test_leaky_relu_takes_its_slope(capsys):
    code, out, _ = run(capsys, "grad", "leaky_relu(x, 0.2)", "--set", "x=-2")
    assert code == 0 and out.splitlines() == ["L = -0.4", "∂L/∂x = 0.2"]   # 0.2·(−2), slope 0.2


@pytest.mark.parametrize("ext", ["svg", "png", "dot", "html"])
def test_draw_writes_each_format(tmp_path, capsys, ext):
    if ext != "dot" and viz.backend.find_renderer("svg") is None:
        pytest.skip("no renderer")
    target = tmp_path / f"graph.{ext}"
    code, out, err = run(capsys, "draw", *COURSE, "-o", str(target), "--edge-grads")
    assert code == 0, err
    assert target.exists() and target.stat().st_size > 0 and str(target) in out
    assert sorted(p.name for p in tmp_path.iterdir()) == [target.name]


def test_draw_options_reach_the_diagram(tmp_path, capsys):
    edge = tmp_path / "edge.dot"
    assert run(capsys, "draw", *COURSE, "-o", str(edge), "--edge-grads", "--rankdir", "TB")[0] == 0
    src = edge.read_text(encoding="utf-8")
    assert "rankdir=TB" in src and "w1 | data 2 | grad 4.5" in src and "label=4.5" in src
    blank = tmp_path / "blank.dot"
    assert run(capsys, "draw", *COURSE, "-o", str(blank), "--blank")[0] == 0
    src = blank.read_text(encoding="utf-8")
    assert "grad 4.5" not in src and '"w1 | data 2 | grad' in src


def test_draw_pdf_without_system_graphviz(tmp_path, capsys, monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(viz.backend.shutil, "which", lambda n: None if n == "dot" else real_which(n))
    code, out, err = run(capsys, "draw", *COURSE, "-o", str(tmp_path / "ex.pdf"))
    assert code == 2 and len(err.strip().splitlines()) == 1
    assert "apt-get install graphviz" in err and ".svg" in err
    assert list(tmp_path.iterdir()) == []


def test_demo_computes_draws_explains_and_trains(tmp_path, capsys):
    folder = tmp_path / "demo"
    code, out, err = run(capsys, "demo", "--out", str(folder))
    assert code == 0, err
    assert sorted(p.name for p in folder.iterdir()) == ["graphe_L.svg", "pas_a_pas_L.html"]
    assert str(folder.resolve()) in out                       # it names the folder
    assert "∂L/∂w1 = ∂L/∂c · ∂c/∂a · ∂a/∂w1" in out and "−9" in out
    assert "MLP" in out


def test_python_dash_m_runs_the_cli():
    done = subprocess.run([sys.executable, "-m", "microgradfr", "grad", "x*x", "--set", "x=3"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0 and done.stdout.splitlines() == ["L = 9", "∂L/∂x = 6"]  # d(x²)/dx = 2x


# ---------------------------------------------------------------- hostile input
HOSTILE = {
    "import": "__import__('os').system('x')",
    "dunder class": "().__class__.__bases__[0].__subclasses__()",
    "dunder attribute": "x.__class__",
    "dunder name": "__builtins__",
    "open": "open('f')",
    "eval": "eval('1')",
    "getattr": "getattr(x, 'real')",
    "subscript": "x[0]",
    "lambda": "lambda: x",
    "comprehension": "[x for x in ()]",
    "string": "'a' * 3",
    "complex": "1j * x",
    "statement": "x = 3",
    "two statements": "x; x",
    "keyword": "tanh(x=x)",
    "200,000-term sum": "+".join(["x"] * 200_000),
    "5,000 nested parentheses": "(" * 5000 + "x" + ")" * 5000,
    "5,000 signs": "-" * 5000 + "x",
    "tower of exponents": "x ** 10 ** 10 ** 10",
    "chain of squares": "x" + "**2" * 300,
    "huge literal": "9" * 1500 + " * x",
    "empty": "",
    "blank": "   ",
    "truncated sum": "(w1*x + ",
    "truncated call": "tanh(",
    "unbalanced": "x)",
    "constant division by zero": "x / (1 - 1)",
}


@pytest.mark.parametrize("expression", HOSTILE.values(), ids=HOSTILE.keys())
def test_hostile_expressions_exit_2_with_one_line(tmp_path, capsys, expression):
    target = tmp_path / "out.svg"
    start = time.perf_counter()
    code, out, err = run(capsys, "draw", expression, "--set", "x=2", "w1=1", "-o", str(target))
    elapsed = time.perf_counter() - start
    assert code == 2
    assert len(err.strip().splitlines()) == 1 and err.startswith("microgradfr : erreur :")
    assert "Traceback" not in err and out == ""
    assert list(tmp_path.iterdir()) == []
    assert elapsed < 1.0


# Linux caps one argument at 128 KiB, so the real process gets a 60,000-term sum (120,000 chars).
@pytest.mark.parametrize("expression", [HOSTILE["import"], HOSTILE["5,000 nested parentheses"],
                                        HOSTILE["tower of exponents"], "+".join(["x"] * 60_000)],
                         ids=["import", "nested", "exponents", "long sum"])
def test_hostile_expressions_in_a_real_process(tmp_path, expression):
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "microgradfr.cli", "grad", expression, "--set", "x=2"],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)
    elapsed = time.perf_counter() - start
    assert done.returncode == 2 and done.stdout == ""
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert list(tmp_path.iterdir()) == []
    assert elapsed < 5.0   # interpreter start-up included; the check itself is well under a second


@pytest.mark.parametrize("lang, words", [
    ("en", [["column 5", "attribute"], ["exponent", "too large"], ["nested", "column 61"],
            ["10001 characters"]]),
    ("fr", [["colonne 5", "attribut"], ["exposant", "trop grand"], ["imbriquées", "colonne 61"],
            ["10001 caractères"]]),
])
def test_errors_say_what_and_where(capsys, lang, words):
    expressions = ["x + y.real", "x ** 10 ** 10 ** 10",
                   "(" * 500 + "x" + ")" * 500,     # the 61st '(' is one too deep
                   "(" * 5000 + "x" + ")" * 5000]
    for expression, expected in zip(expressions, words):
        _, _, err = run(capsys, "grad", expression, "--set", "x=1", "y=2", "--lang", lang)
        for word in expected:
            assert word in err, err


def test_nesting_is_refused_before_python_parses_even_without_the_length_limit(monkeypatch):
    from microgradfr import expr

    monkeypatch.setattr(expr, "MAX_LENGTH", 10**6)
    for source in ["(" * 5000 + "x" + ")" * 5000, "-" * 5000 + "x", "tanh(" * 5000 + "x" + ")" * 5000]:
        with pytest.raises(expr.ExpressionError) as refused:
            expr.parse_expression(source, {"x": 1.0})
        assert refused.value.key in ("nested_parentheses", "too_many_signs")
        assert re.search("nested|signs", refused.value.message("en"))
        assert re.search("imbriquées|signes", refused.value.message("fr"))
    deep_sum = "+".join(["x"] * 5000)   # long but flat: refused by the node count, not by recursion
    with pytest.raises(expr.ExpressionError, match="4999 opérations"):   # French by default
        expr.parse_expression(deep_sum, {"x": 1.0})


# Each usage error, and what its line says in each language (hand-written, not copied from the catalogue)
USAGE_ERRORS = {
    "unknown variable": (["grad", "x*y", "--set", "x=1"],
                         {"en": "unknown variable 'y'", "fr": "variable inconnue 'y'"}),
    "no --set": (["grad", "x*y"], {"en": "--set x=", "fr": "--set x="}),
    "not a number": (["grad", "x", "--set", "x=abc"],
                     {"en": "must be a number", "fr": "doit être un nombre"}),
    "no =": (["grad", "x", "--set", "x"], {"en": "NAME=VALUE", "fr": "NOM=VALEUR"}),
    "nan": (["grad", "x", "--set", "x=nan"],
            {"en": "must be a finite number", "fr": "doit être un nombre fini"}),
    "twice": (["grad", "x", "--set", "x=1", "x=2"], {"en": "is given twice", "fr": "est donné deux fois"}),
    "unused": (["grad", "x", "--set", "x=1", "z=2"], {"en": "not used", "fr": "absent de l'expression"}),
    "explain": (["grad", "x", "--set", "x=1", "--explain", "q"],
                {"en": "not a variable", "fr": "ce n'est pas une variable"}),
    "format": (["draw", "x", "--set", "x=1", "-o", "graph.jpeg"],
               {"en": "unknown format", "fr": "format inconnu"}),
    "folder": (["draw", "x", "--set", "x=1", "-o", "nowhere/g.svg"],
               {"en": "does not exist", "fr": "n'existe pas"}),
    "no -o": (["draw", "x", "--set", "x=1"],
              {"en": "draw: give -o/--output FILE", "fr": "draw : donnez -o/--output FICHIER"}),
    "unknown command": (["frobnicate"],
                        {"en": "invalid choice: 'frobnicate'", "fr": "choix invalide : 'frobnicate'"}),
    "no command": ([], {"en": "the following arguments are required",
                        "fr": "arguments obligatoires manquants"}),
    "bad --lang": (["grad", "x", "--set", "x=1", "--lang", "de"],
                   {"en": "argument --lang: invalid choice: 'de'",
                    "fr": "argument --lang : choix invalide : 'de'"}),
    "bad option": (["grad", "x", "--set", "x=1", "--frob"],
                   {"en": "unrecognized arguments: --frob", "fr": "arguments non reconnus : --frob"}),
}
# Words of each language that the other's error lines must not contain.
FOREIGN = {"fr": {"error", "the", "must", "not", "see", "unknown", "following", "required", "invalid",
                  "choice", "arguments are", "is given", "does"},
           "en": {"erreur", "le", "la", "doit", "voir", "inconnue", "inconnu", "obligatoires", "choix",
                  "manquants", "donné", "n'existe"}}


def _how(lang, way, monkeypatch):
    """The language chosen by the environment variable, or by --lang (the other one in the environment)."""
    if way == "env":
        monkeypatch.setenv("MICROGRADFR_LANG", lang)
        return []
    monkeypatch.setenv("MICROGRADFR_LANG", "en" if lang == "fr" else "fr")
    return ["--lang", lang]


@pytest.mark.parametrize("way", ["env", "--lang"])
@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("argv, needles", USAGE_ERRORS.values(), ids=USAGE_ERRORS.keys())
def test_usage_errors_exit_2_with_one_line_in_the_language(capsys, monkeypatch, argv, needles, lang, way):
    if way == "--lang" and "--lang" in argv:
        return  # that case sets --lang itself
    code, out, err = run(capsys, *argv, *_how(lang, way, monkeypatch))
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and needles[lang] in err, err
    assert err.startswith("microgradfr : erreur :" if lang == "fr" else "microgradfr: error:"), err
    words = set(re.findall(r"[\w']+", err.lower().replace("--set", "").replace("--lang", "")))
    assert not words & FOREIGN[lang], (words & FOREIGN[lang], err)


def test_usage_errors_are_french_with_no_setting(capsys, monkeypatch):
    monkeypatch.delenv("MICROGRADFR_LANG", raising=False)
    for argv, needles in USAGE_ERRORS.values():
        code, _, err = run(capsys, *argv)
        assert code == 2 and needles["fr"] in err and err.startswith("microgradfr : erreur :"), err


HELP = {  # what --help says in each language, and what it must never say
    "fr": (["utilisation : microgradfr", "options", "afficher ce message d'aide et quitter",
            "valeur et gradients d'une expression", "Code de sortie 0"],
           {"usage", "show", "help message", "value and gradients", "exit code"}),
    "en": (["usage: microgradfr", "options", "show this help message and exit",
            "value and gradients of an expression", "Exit code 0"],
           {"utilisation", "afficher", "aide", "valeur", "code de sortie", "dessiner"}),
}


@pytest.mark.parametrize("command", [[], ["grad"], ["draw"], ["demo"]],
                         ids=["program", "grad", "draw", "demo"])
@pytest.mark.parametrize("way", ["env", "--lang"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_help_is_in_the_language(capsys, monkeypatch, command, lang, way):
    with pytest.raises(SystemExit) as done:
        main([*_how(lang, way, monkeypatch), *command, "--help"] if way == "--lang" and not command
             else [*command, "--help", *_how(lang, way, monkeypatch)])
    assert done.value.code == 0
    text = " ".join(capsys.readouterr().out.split())
    expected, never = HELP[lang]
    for words in expected[:3]:
        assert words in text, text
    if not command:
        for words in expected[3:]:
            assert words in text, text
    assert not [w for w in never if re.search(rf"\b{w}\b", text, re.I)], text


def test_help_is_french_with_no_setting(capsys, monkeypatch):
    monkeypatch.delenv("MICROGRADFR_LANG", raising=False)
    with pytest.raises(SystemExit):
        main(["--help"])
    text = " ".join(capsys.readouterr().out.split())
    assert text.startswith("utilisation : microgradfr") and "afficher ce message d'aide" in text


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_real_process_speaks_the_environments_language(lang):
    """`microgradfr --help` and an error, in a child process whose only setting is MICROGRADFR_LANG."""
    env = {**__import__("os").environ, "MICROGRADFR_LANG": lang}
    shown = subprocess.run([sys.executable, "-m", "microgradfr.cli", "--help"], capture_output=True,
                           text=True, timeout=30, env=env)
    assert shown.returncode == 0 and shown.stdout.startswith(HELP[lang][0][0]), shown.stdout
    failed = subprocess.run([sys.executable, "-m", "microgradfr.cli", "grad", "x*y", "--set", "x=1"],
                            capture_output=True, text=True, timeout=30, env=env)
    assert failed.returncode == 2 and USAGE_ERRORS["unknown variable"][1][lang] in failed.stderr
