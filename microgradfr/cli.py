"""The ``microgradfr`` command line: ``grad``, ``draw`` and ``demo``.

    microgradfr grad "(w1*x + w2*y)**2" --set w1=2 x=-1.5 w2=0.5 y=3 --explain w1
    microgradfr draw "(w1*x + w2*y)**2" --set w1=2 x=-1.5 w2=0.5 y=3 -o graphe.svg --edge-grads
    microgradfr demo --out microgradfr-demo

A user's mistake (a refused expression, a missing value, an unwritable file) exits with code 2
and one line on stderr that says what is wrong; nothing is written. A value or gradient that is
not a finite number (inf, NaN: an overflow, inf − inf…) is such a mistake too: the line names the
first step where it appears. No input gives a traceback: an unexpected error (a bug of ours) is one
line as well, and ``MICROGRADFR_DEBUG=1`` shows its traceback.
"""
from __future__ import annotations

import argparse
import errno
import math
import os
import sys
import warnings
from pathlib import Path

from .engine import NonFiniteDerivativeWarning, scalar_local

from .i18n import message

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEBUG_VARIABLE = "MICROGRADFR_DEBUG"
OPTIONS = {"-h", "--help", "--set", "-o", "--output", "--explain", "--lang", "--edge-grads", "--blank",
           "--rankdir", "--no-color", "--no-legend", "--dpi", "--renderer", "--beamer", "--steps", "--pass",
           "--steps-format"}

# Everything the command line says, by language (the --lang option). Errors raised before the
# options are read (argparse's, --set's, the expression parser's) are still English only.
_TEXT = {
    "fr": {
        "value": "{root} = {data}", "grad": "∂{root}/∂{name} = {grad}", "wrote": "écrit : {path}",
        "error": "microgradfr: error: {message}", "warning": "microgradfr: warning: {message}",
        "value_not_finite": "{root} = {value} n'est pas un nombre fini : {step} = {bad} ({why}) ; "
                            "essayez d'autres valeurs avec --set",
        "grad_not_finite": "∂{root}/∂{name} = {grad} n'est pas un nombre fini : {why} ; "
                           "essayez d'autres valeurs avec --set",
        "overflow": "le résultat dépasse le plus grand nombre flottant, environ 1.8e308",
        "undefined": "une forme sans valeur, comme inf − inf ou 0 · inf",
        "local_not_finite": "la dérivée de {step} y vaut {local}",
        "product_overflow": "à l'étape {step}, le produit {g} · {local} dépasse le plus grand nombre "
                            "flottant, environ 1.8e308",
        "sum_overflow": "la somme des contributions qui arrivent à {name} dépasse le plus grand nombre "
                        "flottant, environ 1.8e308",
        "out_is_file": "{option} {path} : c'est un fichier, pas un dossier ; choisissez un autre nom",
        "os_permission": "{option} {path} : écriture refusée (permissions) ; choisissez un dossier où vous "
                         "pouvez écrire",
        "os_no_space": "{option} {path} : plus de place sur le disque ; libérez de la place ou écrivez "
                       "ailleurs",
        "os_read_only": "{option} {path} : le disque est en lecture seule ; écrivez ailleurs",
        "os_not_a_folder": "{option} {path} : une partie du chemin est un fichier, pas un dossier",
        "os_is_a_folder": "{option} {path} : c'est un dossier ; donnez un nom de fichier",
        "os_other": "{option} {path} : écriture impossible ({reason})",
        "unexpected": "erreur inattendue ({error}) ; c'est un bogue de microgradfr : relancez avec "
                      "MICROGRADFR_DEBUG=1 pour voir la trace, et signalez-le",
        "interrupted": "interrompu",
        "os_stdout": "impossible d'écrire la sortie ({reason})",
    },
    "en": {
        "value": "{root} = {data}", "grad": "∂{root}/∂{name} = {grad}", "wrote": "wrote: {path}",
        "error": "microgradfr: error: {message}", "warning": "microgradfr: warning: {message}",
        "value_not_finite": "{root} = {value} is not a finite number: {step} = {bad} ({why}); "
                            "try other values with --set",
        "grad_not_finite": "∂{root}/∂{name} = {grad} is not a finite number: {why}; "
                           "try other values with --set",
        "overflow": "the result is larger than the largest float, about 1.8e308",
        "undefined": "a form with no value, such as inf − inf or 0 · inf",
        "local_not_finite": "the derivative of {step} is {local} there",
        "product_overflow": "at the step {step}, the product {g} · {local} is larger than the largest "
                            "float, about 1.8e308",
        "sum_overflow": "the contributions reaching {name} add up to more than the largest float, "
                        "about 1.8e308",
        "out_is_file": "{option} {path}: this is a file, not a folder; choose another name",
        "os_permission": "{option} {path}: permission denied; choose a folder you can write to",
        "os_no_space": "{option} {path}: no space left on the disk; free some space or write elsewhere",
        "os_read_only": "{option} {path}: the disk is read-only; write elsewhere",
        "os_not_a_folder": "{option} {path}: part of the path is a file, not a folder",
        "os_is_a_folder": "{option} {path}: this is a folder; give a file name",
        "os_other": "{option} {path}: cannot write ({reason})",
        "unexpected": "unexpected error ({error}); this is a bug in microgradfr: run again with "
                      "MICROGRADFR_DEBUG=1 to see the traceback, and report it",
        "interrupted": "interrupted",
        "os_stdout": "cannot write the output ({reason})",
    },
}


def say(lang: str, key: str, **fields) -> str:
    """One message of the catalogue above, in ``lang`` (French unless "en")."""
    return _TEXT[lang if lang in _TEXT else "fr"][key].format(**fields)


class UsageError(Exception):
    """A mistake in the command line: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block) raised as :class:`UsageError`."""

    def error(self, message):
        raise UsageError(f"{message} (see: {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="microgradfr", description="microgradfr : autograd pédagogique",
                     epilog="Code de sortie 0 si tout va bien, 2 pour une erreur, dite en une ligne sur "
                            "stderr, sans rien écrire. Une valeur ou un gradient qui n'est pas un nombre "
                            "fini (inf, NaN : dépassement, inf − inf…) est une erreur : la ligne nomme la "
                            "première étape où il apparaît. MICROGRADFR_DEBUG=1 montre la trace d'une "
                            "erreur inattendue.")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    grad = sub.add_parser("grad", help="valeur et gradients d'une expression",
                          description="Valeur et gradients d'une expression. Si la valeur ou un gradient "
                                      "n'est pas un nombre fini (inf, NaN), rien n'est affiché : une ligne "
                                      "sur stderr nomme l'étape en cause, code de sortie 2.")
    _expression_arguments(grad)
    grad.add_argument("--explain", metavar="VAR", help="écrire ∂f/∂VAR par la règle de la chaîne")

    draw = sub.add_parser("draw", help="dessiner le graphe d'une expression (svg png pdf dot html)")
    _expression_arguments(draw)
    draw.add_argument("-o", "--output", metavar="FILE",
                      help="fichier à écrire ; son extension choisit le format "
                           "(.svg .png .pdf .dot .html .tex)")
    draw.add_argument("--edge-grads", action="store_true",
                      help="chaque arête porte sa contribution au gradient")
    draw.add_argument("--blank", action="store_true", help="exercice : gradients laissés en cases vides")
    draw.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR")
    draw.add_argument("--no-color", action="store_true", help="sans couleurs (pour l'impression)")
    draw.add_argument("--no-legend", action="store_true", help="sans légende (les couleurs restent)")
    draw.add_argument("--dpi", type=int, metavar="N",
                      help="résolution d'un .png (96 par défaut, 300 pour imprimer)")
    draw.add_argument("--renderer", choices=("dot", "graphviz-pure"),
                      help="programme de dessin (par défaut dot s'il est installé, sinon graphviz-pure)")
    _slides_arguments(draw)

    demo = sub.add_parser("demo", help="exemple du cours calculé, dessiné, expliqué, puis un MLP entraîné")
    demo.add_argument("--out", metavar="DIR", default="microgradfr-demo",
                      help="dossier où écrire le SVG et le lecteur HTML (défaut : ./microgradfr-demo)")
    demo.add_argument("--lang", choices=("fr", "en"), default="fr")
    return parser


def _slides_arguments(draw):
    """``--beamer``, ``--steps DIR`` and their options (issue 19: slides for teachers)."""
    draw.add_argument("--beamer", action="store_true",
                      help="avec -o FICHIER.tex : des transparents Beamer, une page par étape")
    draw.add_argument("--steps", metavar="DIR",
                      help="une image numérotée par étape dans DIR (et une animation GIF)")
    draw.add_argument("--pass", dest="passes", choices=("backward", "forward", "both"),
                      help="passes montrées : backward (défaut de --beamer), forward "
                           "ou both (défaut de --steps)")
    draw.add_argument("--steps-format", choices=("png", "svg", "pdf"), default="png",
                      help="format des images de --steps (défaut : png)")


def _expression_arguments(parser):
    parser.add_argument("expression", help='par exemple "(w1*x + w2*y)**2"')
    parser.add_argument("--set", nargs="+", default=[], metavar="NAME=VALUE", dest="assignments",
                        help="valeurs des variables, par exemple w1=2 x=-1.5")
    parser.add_argument("--lang", choices=("fr", "en"), default="fr")


def parse_assignments(items) -> dict:
    """``["w1=2", "x=-1.5"]`` → ``{"w1": 2.0, "x": -1.5}``, refusing anything else."""
    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or name.startswith("_"):
            raise UsageError(f"--set {item!r}: write NAME=VALUE, e.g. --set x=-1.5")
        if name in values:
            raise UsageError(f"--set: {name} is given twice")
        try:
            value = float(text)
        except ValueError:
            raise UsageError(f"--set {name}={text!r}: the value must be a number, e.g. {name}=-1.5") from None
        if not math.isfinite(value):
            raise UsageError(f"--set {name}={text}: the value must be a finite number")
        values[name] = value
    return values


def build_graph(expression: str, assignments) -> tuple:
    """The expression's graph and its variables; UsageError on bad input (viz names the nodes)."""
    from .expr import ExpressionError, parse_expression

    values = parse_assignments(assignments)
    try:
        root, leaves = parse_expression(expression, values)
    except ExpressionError as error:
        raise UsageError(f"expression: {error}") from None
    unused = sorted(set(values) - set(leaves))
    if unused:
        raise UsageError(f"--set {', '.join(unused)}: not used in the expression {expression!r}")
    return root, leaves


def root_name(root) -> str:
    """The root's name in the one naming scheme of ``viz`` (``L`` unless a variable is called L)."""
    from viz.protocol import node_names, topological_order
    return node_names(topological_order(root))[id(root)]


def command_grad(args, out) -> int:
    from viz.text import number
    root, leaves = build_graph(args.expression, args.assignments)
    if args.explain is not None and args.explain not in leaves:
        raise UsageError(f"--explain {args.explain}: not a variable of the expression "
                         f"(variables: {', '.join(leaves) or 'none'})")
    root.backward()
    name_of_root = root_name(root)
    check_finite(root, name_of_root, leaves, args.lang)
    out(say(args.lang, "value", root=name_of_root, data=number(root.data, 6)))
    for name, leaf in leaves.items():
        out(say(args.lang, "grad", root=name_of_root, name=name, grad=number(leaf.grad, 6)))
    if args.explain is not None:
        import viz
        out("")
        out(viz.explain(root, leaves[args.explain], lang=args.lang))
    return 0


def _draw_slides(args, out) -> bool:
    """``--steps DIR`` and ``-o FILE.tex --beamer`` (issue 19); True when nothing is left for draw."""
    if args.output is None and args.steps is None:
        raise UsageError(message("cli.draw_nothing", args.lang))
    if args.passes is not None and not (args.beamer or args.steps is not None):
        raise UsageError(message("cli.pass_alone", args.lang))
    if args.steps is not None:
        _draw_steps(args, out)
    if args.output is not None and args.beamer:
        _draw_beamer(args, out)
    return args.output is None or args.beamer


def _slides_options(args) -> dict:
    opts = {"rankdir": args.rankdir, "color": None if args.no_color else "grad",
            "show_grad": "blank" if args.blank else True, "renderer": args.renderer}
    if args.no_legend:
        opts["legend"] = False
    return opts


def _draw_beamer(args, out) -> None:
    """``-o cours.tex --beamer``: Beamer frames of the pass (viz.to_beamer)."""
    import viz

    if not args.output.lower().endswith(".tex"):
        raise UsageError(message("cli.beamer_tex", args.lang, output=args.output))
    root, leaves = build_graph(args.expression, args.assignments)
    _check_layout(root)
    root.backward()
    check_finite(root, root_name(root), leaves, args.lang)  # slides of inf or NaN teach nothing
    try:
        written = viz.to_beamer(root, args.output, lang=args.lang, steps=args.passes or "backward",
                                **_slides_options(args))
    except OSError as error:
        raise UsageError(os_error_message(error, "-o", args.output, args.lang)) from None
    except (ValueError, RuntimeError) as error:
        raise UsageError(str(error)) from None
    out(message("cli.wrote", args.lang, path=written))


def _draw_steps(args, out) -> None:
    """``--steps DIR``: one image per step and animation.gif (viz.render_steps)."""
    import viz

    folder = Path(args.steps)
    if not folder.parent.is_dir() or (folder.exists() and not folder.is_dir()):
        raise UsageError(message("cli.steps_folder", args.lang, folder=args.steps))
    root, leaves = build_graph(args.expression, args.assignments)
    _check_layout(root)
    root.backward()
    check_finite(root, root_name(root), leaves, args.lang)
    try:
        written = viz.render_steps(root, folder, fmt=args.steps_format, lang=args.lang,
                                   steps=args.passes or "both", **_slides_options(args))
    except OSError as error:
        raise UsageError(os_error_message(error, "--steps", args.steps, args.lang)) from None
    except (ValueError, RuntimeError) as error:
        raise UsageError(str(error)) from None
    images = [p for p in written if p.suffix == f".{args.steps_format}"]
    out(message("cli.wrote_steps", args.lang, count=len(images), folder=folder))


def command_draw(args, out) -> int:
    if _draw_slides(args, out):
        return 0
    import viz
    from viz.backend import find_renderer, no_renderer_message
    from viz.output import FORMATS
    from viz.rendering import RenderWarning

    path = Path(args.output)
    if path.suffix.lower() not in FORMATS:
        raise UsageError(f"-o {args.output}: unknown format; "
                         f"end the file name with one of {' '.join(FORMATS)}")
    if path.is_dir():
        raise UsageError(say(args.lang, "os_is_a_folder", option="-o", path=args.output))
    if not path.parent.is_dir():
        if path.parent.exists() or any(p.is_file() for p in path.parents):
            raise UsageError(say(args.lang, "os_not_a_folder", option="-o", path=args.output))
        raise UsageError(f"-o {args.output}: the folder {str(path.parent)!r} does not exist")
    if path.suffix.lower() == ".pdf" and find_renderer("pdf") is None:
        raise UsageError(no_renderer_message("pdf"))
    root, leaves = build_graph(args.expression, args.assignments)
    if path.suffix.lower() != ".dot":
        _check_layout(root)
    root.backward()
    check_finite(root, root_name(root), leaves, args.lang)
    opts = {"rankdir": args.rankdir, "lang": args.lang, "color": None if args.no_color else "grad",
            "legend": not args.no_legend, "renderer": args.renderer}
    if args.dpi is not None:
        opts["dpi"] = args.dpi
    if path.suffix.lower() != ".html":
        opts.update(edge_grads=args.edge_grads, show_grad="blank" if args.blank else True)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", RenderWarning)
            written = viz.render(root, path, **opts)
    except OSError as error:
        raise UsageError(os_error_message(error, "-o", args.output, args.lang)) from None
    except (ValueError, RuntimeError) as error:
        raise UsageError(str(error)) from None
    for warning in caught:
        print(f"microgradfr: {_one_line(str(warning.message))}", file=sys.stderr)
    out(say(args.lang, "wrote", path=written))
    return 0


def _check_layout(root) -> None:
    """Refuse at once a graph Graphviz would take seconds to lay out (see viz.dot.long_edges)."""
    from viz.dot import MAX_LONG_EDGES, long_edges

    from .autograd import topological_order

    crossings = long_edges(topological_order(root))
    if crossings > MAX_LONG_EDGES:
        raise UsageError(f"draw: this graph is too tangled to draw quickly ({crossings} rank crossings, "
                         f"at most {MAX_LONG_EDGES}: a variable used by operations far apart, as x in "
                         "x*y + x*y + …); draw less: fewer terms (split the sum), or get the numbers "
                         "with `microgradfr grad`, or write -o graph.dot")


def command_demo(args, out) -> int:
    """The demo; its folder is made (or found) first, so a bad --out fails before any output."""
    from .demo import run

    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(say(args.lang, "out_is_file", option="--out", path=args.out))
    made = not folder.exists()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        run(lang=args.lang, out=out, out_dir=folder)
    except BaseException as error:  # a full disk, a closed pipe, Ctrl-C…
        if made and folder.is_dir() and not any(folder.iterdir()):
            folder.rmdir()  # leave no empty folder behind
        if isinstance(error, OSError):
            raise UsageError(os_error_message(error, "--out", args.out, args.lang)) from None
        raise
    return 0


_OS_MESSAGES = {errno.EACCES: "os_permission", errno.EPERM: "os_permission", errno.ENOSPC: "os_no_space",
                errno.EDQUOT: "os_no_space", errno.EROFS: "os_read_only", errno.ENOTDIR: "os_not_a_folder",
                errno.EISDIR: "os_is_a_folder", errno.EEXIST: "out_is_file"}


def os_error_message(error: OSError, option: str, path, lang: str) -> str:
    """What a failed write means for the student, from its errno (permission, full disk…)."""
    key = _OS_MESSAGES.get(error.errno, "os_other")
    return say(lang, key, option=option, path=path, reason=error.strerror or error)


# ---------------------------------------------------------------- non-finite results
def check_finite(root, root_name: str, leaves, lang: str) -> None:
    """UsageError naming the first step where the value or a gradient stops being a finite number.

    The leaves are finite (``--set`` and the parser refuse anything else), so following the
    non-finite inputs back from the root leads to a step whose inputs are all finite: that is
    where it starts. For a gradient, the first step of the backward pass whose contribution is
    not finite although its upstream gradient is. An intermediate inf that the root does not
    keep (exp(−inf) = 0) is fine if the gradients are.
    """
    from viz.text import number

    from .autograd import topological_order

    if not math.isfinite(root.data):
        step = _non_finite_origin(root)
        why = say(lang, "overflow" if math.isinf(step.data) else "undefined")
        raise UsageError(say(lang, "value_not_finite", root=root_name, value=number(root.data, 6),
                             step=_step(step), bad=number(step.data, 6), why=why))
    for name, leaf in leaves.items():
        if not math.isfinite(leaf.grad):
            why = _gradient_origin(topological_order(root), lang)
            raise UsageError(say(lang, "grad_not_finite", root=root_name, name=name,
                                 grad=number(leaf.grad, 6), why=why))


def _non_finite_origin(node):
    """From a non-finite node, walk back through non-finite inputs to a step whose inputs are finite."""
    while True:
        bad = [p for p in node.parents if not math.isfinite(p.data)]
        if not bad:
            return node
        node = bad[0]


def _gradient_origin(order, lang: str) -> str:
    """Replay the chain rule (as backward() does) and say where a gradient first stops being finite."""
    from viz.text import number

    grads = {id(order[-1]): 1.0}
    for node in reversed(order):
        g = grads.get(id(node), 0.0)
        if node.fn is None:
            continue
        for parent, local in zip(node.parents, scalar_local(node.fn, [p.data for p in node.parents],
                                                            node.data, node.k)):
            contribution = local * g
            if math.isfinite(g) and not math.isfinite(contribution):
                key = "local_not_finite" if not math.isfinite(local) else "product_overflow"
                return say(lang, key, step=_step(node), local=number(local, 6), g=number(g, 6))
            before = grads.get(id(parent), 0.0)
            grads[id(parent)] = before + contribution
            if math.isfinite(before) and math.isfinite(contribution) and not math.isfinite(grads[id(parent)]):
                return say(lang, "sum_overflow", name=parent.label or _step(parent))
    return say(lang, "undefined")  # not reached: backward() computed the same numbers


def _step(node) -> str:
    """A step as the student wrote it, with its inputs' values: ``exp(1000)``, ``1e+308 × 10``."""
    from viz.text import number

    values = ["-0" if p.data == 0 and math.copysign(1, p.data) < 0 else number(p.data, 6)
              for p in node.parents]
    if node.fn is None:
        return node.label or number(node.data, 6)
    signed = [f"({v})" if v.startswith("-") else v for v in values]  # (−2) ** 3, not −2 ** 3
    if node.fn.name == "pow":
        return f"{signed[0]} ** {number(node.k, 6)}"
    if node.fn.name == "neg":
        return f"−{signed[0]}"
    if node.fn.arity == 2 and not node.fn.symbol.isalpha():
        return f"{signed[0]} {node.fn.symbol} {signed[1]}"
    return f"{node.fn.name}({', '.join(values)})"


COMMANDS = {"grad": command_grad, "draw": command_draw, "demo": command_demo}


def main(argv=None, out=print) -> int:
    """Run the command line; returns the exit code (0, or 2 for a user's mistake).

    Nothing escapes as a traceback: an unexpected exception (a bug of ours) is one line too,
    unless the environment variable MICROGRADFR_DEBUG is set, which lets it through.
    """
    argv = sys.argv[1:] if argv is None else list(argv)
    lang = _lang_of(argv)
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            args = build_parser().parse_args(_protect_expression(argv))
            code = COMMANDS[args.command](args, _Output(out))
            _Output(lambda: sys.stdout.flush())()  # a full disk or a closed pipe shows here, not at exit
        shown = [w for w in caught if _for_the_student(w.category)]
        for message in dict.fromkeys(_one_line(str(w.message)) for w in shown):
            print(say(lang, "warning", message=message), file=sys.stderr)
        return code
    except UsageError as error:
        message = _one_line(str(error))
    except KeyboardInterrupt:
        print(say(lang, "error", message=say(lang, "interrupted")), file=sys.stderr)
        return EXIT_INTERRUPTED
    except _OutputError as failure:
        if isinstance(failure.error, BrokenPipeError):  # `microgradfr demo | head`: the reader has gone
            _silence_stdout()
            return EXIT_USAGE
        message = say(lang, "os_stdout", reason=failure.error.strerror or failure.error)
    except Exception as error:  # the boundary: a bug of ours, still one line for the student
        if os.environ.get(DEBUG_VARIABLE):
            raise
        message = say(lang, "unexpected", error=_one_line(f"{type(error).__name__}: {error}")[:300])
    print(say(lang, "error", message=message), file=sys.stderr)
    return EXIT_USAGE


class _OutputError(Exception):
    """Writing the command's output failed (a closed pipe, a full disk): not a file of --out/-o."""

    def __init__(self, error: OSError):
        super().__init__(str(error))
        self.error = error


class _Output:
    """``out`` (print) with its OSError told apart from the errors of the files a command writes."""

    def __init__(self, out):
        self.out = out

    def __call__(self, *args, **kwargs):
        try:
            return self.out(*args, **kwargs)
        except OSError as error:
            raise _OutputError(error) from None


def _silence_stdout() -> None:
    """Point stdout at /dev/null so that Python's final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):  # no real file behind stdout (a test's capture)
        pass


def _for_the_student(category) -> bool:
    """Warnings worth a line: not deprecations (for developers), and not the engine's non-finite
    derivative, which check_finite reports when it matters (a gradient) as an error of its own."""
    return issubclass(category, (UserWarning, RuntimeWarning, FutureWarning)) \
        and not issubclass(category, NonFiniteDerivativeWarning)


def _lang_of(argv) -> str:
    """The --lang given on the command line (read before argparse, which may be what fails)."""
    for i, word in enumerate(argv):
        if word == "--lang" and i + 1 < len(argv):
            return argv[i + 1] if argv[i + 1] in _TEXT else "fr"
        if word.startswith("--lang="):
            return word.split("=", 1)[1] if word.split("=", 1)[1] in _TEXT else "fr"
    return "fr"


def _protect_expression(argv: list) -> list:
    """Let an expression start with a minus sign: ``grad "-x*y"`` is not an option.

    argparse reads any word starting with ``-`` as an option unless it contains a space, so a
    leading space is added (the parser strips it).
    """
    if len(argv) > 1 and argv[0] in ("grad", "draw") and argv[1].startswith("-") \
            and argv[1].split("=")[0] not in OPTIONS:
        argv = [argv[0], " " + argv[1], *argv[2:]]
    return argv


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":
    sys.exit(main())
