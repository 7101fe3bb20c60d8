"""The ``microgradfr`` command line: ``grad``, ``draw`` and ``demo``.

    microgradfr grad "(w1*x + w2*y)**2" --set w1=2 x=-1.5 w2=0.5 y=3 --explain w1
    microgradfr draw "(w1*x + w2*y)**2" --set w1=2 x=-1.5 w2=0.5 y=3 -o graphe.svg --edge-grads
    microgradfr demo --out microgradfr-demo

A user's mistake (a refused expression, a missing value, an unwritable file) exits with code 2
and one line on stderr that says what is wrong; nothing is written. Everything it says (the help,
argparse's own words, the results, the errors) is in ``--lang`` (``fr`` or ``en``), else in the
language of ``MICROGRADFR_LANG``, else French: the texts are the catalogue's ``cli.*`` entries.
A value or gradient that is not a finite number (inf, NaN: an overflow, inf − inf…) is such a
mistake too: the line names the first step where it appears. No input gives a traceback: an
unexpected error (a bug of ours) is one line as well, and ``MICROGRADFR_DEBUG=1`` shows its traceback.
"""
from __future__ import annotations

import argparse
import errno
import math
import os
import sys
import warnings
from pathlib import Path

from . import i18n
from .engine import NonFiniteDerivativeWarning, scalar_local
from .i18n import message

EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
DEBUG_VARIABLE = "MICROGRADFR_DEBUG"
OPTIONS = {"-h", "--help", "--set", "-o", "--output", "--explain", "--lang", "--edge-grads", "--blank",
           "--rankdir", "--no-color", "--no-legend", "--dpi", "--renderer", "--beamer", "--steps", "--pass",
           "--steps-format"}

class UsageError(Exception):
    """A mistake in the command line: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block) raised as :class:`UsageError`."""

    def error(self, message):
        raise UsageError(i18n.message("cli.see_help", message=message, prog=self.prog))


def build_parser(lang: str | None = None) -> argparse.ArgumentParser:
    """The parser, its help in ``lang``; build it (and parse) inside ``i18n.argparse_language(lang)``
    for argparse's own words (usage, options, its errors) to be in ``lang`` too."""
    def say(key):
        return message(f"cli.{key}", lang)

    parser = _Parser(prog="microgradfr", description=say("description"), epilog=say("epilog"))
    _lang_argument(parser, lang, default=None)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser,
                                metavar="{" + ",".join(COMMANDS) + "}")  # not "command" in errors

    grad = sub.add_parser("grad", help=say("help_grad"), description=say("description_grad"))
    _expression_arguments(grad, lang)
    grad.add_argument("--explain", metavar=say("metavar_var"), help=say("help_explain"))

    draw = sub.add_parser("draw", help=say("help_draw"), description=say("help_draw"))
    _expression_arguments(draw, lang)
    draw.add_argument("-o", "--output", metavar=say("metavar_file"), help=say("help_output"))
    draw.add_argument("--edge-grads", action="store_true", help=say("help_edge_grads"))
    draw.add_argument("--blank", action="store_true", help=say("help_blank"))
    draw.add_argument("--rankdir", choices=("LR", "TB", "RL", "BT"), default="LR", help=say("help_rankdir"))
    draw.add_argument("--no-color", action="store_true", help=say("help_no_color"))
    draw.add_argument("--no-legend", action="store_true", help=say("help_no_legend"))
    draw.add_argument("--dpi", type=int, metavar="N", help=say("help_dpi"))
    draw.add_argument("--renderer", choices=("dot", "graphviz-pure"), help=say("help_renderer"))
    _slides_arguments(draw, lang)

    demo = sub.add_parser("demo", help=say("help_demo"), description=say("help_demo"))
    demo.add_argument("--out", metavar=say("metavar_dir"), default="microgradfr-demo", help=say("help_out"))
    _lang_argument(demo, lang)
    return parser


def _lang_argument(parser, lang, default=argparse.SUPPRESS):
    """``--lang fr|en``, on the program and on each command (a command's leaves the program's value
    alone when not given: SUPPRESS). main() reads it from the command line before argparse anyway."""
    parser.add_argument("--lang", choices=i18n.LANGUAGES, default=default,
                        help=message("cli.help_lang", lang))


def _expression_arguments(parser, lang):
    parser.add_argument("expression", help=message("cli.help_expression", lang))
    parser.add_argument("--set", nargs="+", default=[], metavar=message("cli.metavar_set", lang),
                        dest="assignments",
                        help=message("cli.help_set", lang))
    _lang_argument(parser, lang)


def _slides_arguments(draw, lang):
    """``--beamer``, ``--steps DIR`` and their options (issue 19: slides for teachers)."""
    def say(key):
        return message(f"cli.{key}", lang)

    draw.add_argument("--beamer", action="store_true", help=say("help_beamer"))
    draw.add_argument("--steps", metavar=say("metavar_dir"), help=say("help_steps"))
    draw.add_argument("--pass", dest="passes", choices=("backward", "forward", "both"), help=say("help_pass"))
    draw.add_argument("--steps-format", choices=("png", "svg", "pdf"), default="png",
                      help=say("help_steps_format"))


def parse_assignments(items) -> dict:
    """``["w1=2", "x=-1.5"]`` → ``{"w1": 2.0, "x": -1.5}``, refusing anything else."""
    values = {}
    for item in items:
        name, sep, text = item.partition("=")
        name = name.strip()
        if not sep or not name.isidentifier() or name.startswith("_"):
            raise UsageError(message("cli.set_syntax", item=item))
        if name in values:
            raise UsageError(message("cli.set_twice", name=name))
        try:
            value = float(text)
        except ValueError:
            raise UsageError(message("cli.set_number", name=name, text=text)) from None
        if not math.isfinite(value):
            raise UsageError(message("cli.set_finite", name=name, text=text))
        values[name] = value
    return values


def build_graph(expression: str, assignments) -> tuple:
    """The expression's graph and its variables; UsageError on bad input (viz names the nodes)."""
    from .expr import ExpressionError, parse_expression

    values = parse_assignments(assignments)
    try:
        root, leaves = parse_expression(expression, values)
    except ExpressionError as error:
        raise UsageError(message("cli.expression", error=error.message())) from None
    unused = sorted(set(values) - set(leaves))
    if unused:
        raise UsageError(message("cli.set_unused", names=", ".join(unused), expression=expression))
    return root, leaves


def root_name(root) -> str:
    """The root's name in the one naming scheme of ``viz`` (``L`` unless a variable is called L)."""
    from viz.protocol import node_names, topological_order
    return node_names(topological_order(root))[id(root)]


def command_grad(args, out) -> int:
    from viz.text import number
    root, leaves = build_graph(args.expression, args.assignments)
    if args.explain is not None and args.explain not in leaves:
        raise UsageError(message("cli.explain_unknown", name=args.explain,
                                 variables=", ".join(leaves) or message("cli.no_variables")))
    root.backward()
    name_of_root = root_name(root)
    check_finite(root, name_of_root, leaves, args.lang)
    out(message("cli.value", args.lang, root=name_of_root, data=number(root.data, 6)))
    for name, leaf in leaves.items():
        out(message("cli.grad", args.lang, root=name_of_root, name=name, grad=number(leaf.grad, 6)))
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
        raise UsageError(message("cli.unknown_format", output=args.output, formats=" ".join(FORMATS)))
    if path.is_dir():
        raise UsageError(message("cli.os_is_a_folder", args.lang, option="-o", path=args.output))
    if not path.parent.is_dir():
        if path.parent.exists() or any(p.is_file() for p in path.parents):
            raise UsageError(message("cli.os_not_a_folder", args.lang, option="-o", path=args.output))
        raise UsageError(message("cli.no_folder", output=args.output, folder=str(path.parent)))
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
        print(message("cli.warning", message=_one_line(str(warning.message))), file=sys.stderr)
    out(message("cli.wrote", args.lang, path=written))
    return 0


def _check_layout(root) -> None:
    """Refuse at once a graph Graphviz would take seconds to lay out (see viz.dot.long_edges)."""
    from viz.dot import MAX_LONG_EDGES, long_edges

    from .autograd import topological_order

    crossings = long_edges(topological_order(root))
    if crossings > MAX_LONG_EDGES:
        raise UsageError(message("cli.too_tangled", crossings=crossings, most=MAX_LONG_EDGES))


def command_demo(args, out) -> int:
    """The demo; its folder is made (or found) first, so a bad --out fails before any output."""
    from .demo import run

    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        raise UsageError(message("cli.out_is_file", args.lang, option="--out", path=args.out))
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
    return message(f"cli.{key}", lang, option=option, path=path, reason=error.strerror or error)


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
        why = message("cli.overflow" if math.isinf(step.data) else "cli.undefined", lang)
        raise UsageError(message("cli.value_not_finite", lang, root=root_name, value=number(root.data, 6),
                             step=_step(step), bad=number(step.data, 6), why=why))
    for name, leaf in leaves.items():
        if not math.isfinite(leaf.grad):
            why = _gradient_origin(topological_order(root), lang)
            raise UsageError(message("cli.grad_not_finite", lang, root=root_name, name=name,
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
                return message(f"cli.{key}", lang, step=_step(node), local=number(local, 6), g=number(g, 6))
            before = grads.get(id(parent), 0.0)
            grads[id(parent)] = before + contribution
            if math.isfinite(before) and math.isfinite(contribution) and not math.isfinite(grads[id(parent)]):
                return message("cli.sum_overflow", lang, name=parent.label or _step(parent))
    return message("cli.undefined", lang)  # not reached: backward() computed the same numbers


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
    with warnings.catch_warnings(record=True) as early:  # a MICROGRADFR_LANG we do not speak
        warnings.simplefilter("always")
        lang = _lang_of(argv)
    for warning in early:
        print(message("cli.warning", lang, message=_one_line(str(warning.message))), file=sys.stderr)
    with i18n.language(lang):  # every text below, viz's and the parser's included, speaks lang
        return _run(argv, out, lang)


def _run(argv, out, lang: str) -> int:
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            with i18n.argparse_language(lang):
                args = build_parser(lang).parse_args(_protect_expression(argv))
            args.lang = lang
            code = COMMANDS[args.command](args, _Output(out))
            _Output(lambda: sys.stdout.flush())()  # a full disk or a closed pipe shows here, not at exit
        shown = [w for w in caught if _for_the_student(w.category)]
        for text in dict.fromkeys(_one_line(str(w.message)) for w in shown):
            print(message("cli.warning", lang, message=text), file=sys.stderr)
        return code
    except UsageError as error:
        text = _one_line(str(error))
    except KeyboardInterrupt:
        print(message("cli.error", lang, message=message("cli.interrupted", lang)), file=sys.stderr)
        return EXIT_INTERRUPTED
    except _OutputError as failure:
        if isinstance(failure.error, BrokenPipeError):  # `microgradfr demo | head`: the reader has gone
            _silence_stdout()
            return EXIT_USAGE
        text = message("cli.os_stdout", lang, reason=failure.error.strerror or failure.error)
    except Exception as error:  # the boundary: a bug of ours, still one line for the student
        if os.environ.get(DEBUG_VARIABLE):
            raise
        text = message("cli.unexpected", lang, error=_one_line(f"{type(error).__name__}: {error}")[:300])
    print(message("cli.error", lang, message=text), file=sys.stderr)
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
    """The language to speak: ``--lang X`` or ``--lang=X`` on the command line when we speak X, else
    the switch (MICROGRADFR_LANG, else French). Read before argparse, so that ``--help`` and
    argparse's own errors (a wrong ``--lang`` among them) are in that language too."""
    for i, word in enumerate(argv):
        if word == "--lang" and i + 1 < len(argv):
            value = argv[i + 1]
        elif word.startswith("--lang="):
            value = word.split("=", 1)[1]
        else:
            continue
        if value in i18n.LANGUAGES:
            return value
        break  # argparse refuses it, in the switch's language
    return i18n.resolve()


def _protect_expression(argv: list) -> list:
    """Let an expression start with a minus sign: ``grad "-x*y"`` is not an option.

    argparse reads any word starting with ``-`` as an option unless it contains a space, so a
    leading space is added (the parser strips it). The program's own ``--lang X`` may come first.
    """
    start = 2 if argv[:1] == ["--lang"] else 1 if argv[:1] and argv[0].startswith("--lang=") else 0
    head, argv = argv[:start], argv[start:]
    if len(argv) > 1 and argv[0] in ("grad", "draw") and argv[1].startswith("-") \
            and argv[1].split("=")[0] not in OPTIONS:
        argv = [argv[0], " " + argv[1], *argv[2:]]
    return head + argv


def _one_line(message: str) -> str:
    return " ".join(message.split())


if __name__ == "__main__":
    sys.exit(main())
