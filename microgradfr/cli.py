"""The ``microgradfr`` command line: ``grad``, ``draw`` and ``demo``.

    microgradfr grad "(w1*x + w2*y)**2" --set w1=2 x=-1.5 w2=0.5 y=3 --explain w1
    microgradfr draw "(w1*x + w2*y)**2" --set w1=2 x=-1.5 w2=0.5 y=3 -o graphe.svg --edge-grads
    microgradfr demo --out microgradfr-demo

A user's mistake (a refused expression, a missing value, an unwritable file) exits with code 2
and one line on stderr that says what is wrong; nothing is written.
"""
from __future__ import annotations

import argparse
import math
import sys
import warnings

from .i18n import message

EXIT_USAGE = 2
OPTIONS = {"-h", "--help", "--set", "-o", "--output", "--explain", "--lang", "--edge-grads", "--blank",
           "--rankdir", "--no-color", "--no-legend", "--dpi", "--renderer", "--beamer", "--steps", "--pass",
           "--steps-format"}

_TEXT = {
    "fr": {"value": "{root} = {data}", "grad": "∂{root}/∂{name} = {grad}", "wrote": "écrit : {path}"},
    "en": {"value": "{root} = {data}", "grad": "∂{root}/∂{name} = {grad}", "wrote": "wrote: {path}"},
}


class UsageError(Exception):
    """A mistake in the command line: printed as one line, exit code 2."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage block) raised as :class:`UsageError`."""

    def error(self, message):
        raise UsageError(f"{message} (see: {self.prog} --help)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="microgradfr", description="microgradfr : autograd pédagogique")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    grad = sub.add_parser("grad", help="valeur et gradients d'une expression")
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
    text = _TEXT[args.lang]
    name_of_root = root_name(root)
    out(text["value"].format(root=name_of_root, data=number(root.data, 6)))
    for name, leaf in leaves.items():
        out(text["grad"].format(root=name_of_root, name=name, grad=number(leaf.grad, 6)))
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
    root, _ = build_graph(args.expression, args.assignments)
    _check_layout(root)
    try:
        written = viz.to_beamer(root, args.output, lang=args.lang, steps=args.passes or "backward",
                                **_slides_options(args))
    except (OSError, ValueError, RuntimeError) as error:
        raise UsageError(str(error)) from None
    out(message("cli.wrote", args.lang, path=written))


def _draw_steps(args, out) -> None:
    """``--steps DIR``: one image per step and animation.gif (viz.render_steps)."""
    from pathlib import Path

    import viz

    folder = Path(args.steps)
    if not folder.parent.is_dir() or (folder.exists() and not folder.is_dir()):
        raise UsageError(message("cli.steps_folder", args.lang, folder=args.steps))
    root, _ = build_graph(args.expression, args.assignments)
    _check_layout(root)
    try:
        written = viz.render_steps(root, folder, fmt=args.steps_format, lang=args.lang,
                                   steps=args.passes or "both", **_slides_options(args))
    except (OSError, ValueError, RuntimeError) as error:
        raise UsageError(str(error)) from None
    images = [p for p in written if p.suffix == f".{args.steps_format}"]
    out(message("cli.wrote_steps", args.lang, count=len(images), folder=folder))


def command_draw(args, out) -> int:
    if _draw_slides(args, out):
        return 0
    from pathlib import Path

    import viz
    from viz.output import FORMATS
    from viz.rendering import RenderWarning, find_renderer, no_renderer_message

    path = Path(args.output)
    if path.suffix.lower() not in FORMATS:
        raise UsageError(f"-o {args.output}: unknown format; "
                         f"end the file name with one of {' '.join(FORMATS)}")
    if not path.parent.is_dir():
        raise UsageError(f"-o {args.output}: the folder {str(path.parent)!r} does not exist")
    if path.suffix.lower() == ".pdf" and find_renderer("pdf") is None:
        raise UsageError(no_renderer_message("pdf"))
    root, _ = build_graph(args.expression, args.assignments)
    if path.suffix.lower() != ".dot":
        _check_layout(root)
    root.backward()
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
    except (OSError, ValueError, RuntimeError) as error:
        raise UsageError(str(error)) from None
    for warning in caught:
        print(f"microgradfr: {_one_line(str(warning.message))}", file=sys.stderr)
    out(_TEXT[args.lang]["wrote"].format(path=written))
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
    from .demo import run
    run(lang=args.lang, out=out, out_dir=args.out)
    return 0


COMMANDS = {"grad": command_grad, "draw": command_draw, "demo": command_demo}


def main(argv=None, out=print) -> int:
    """Run the command line; returns the exit code (0, or 2 for a user's mistake)."""
    try:
        args = build_parser().parse_args(_protect_expression(sys.argv[1:] if argv is None else list(argv)))
        return COMMANDS[args.command](args, out)
    except UsageError as error:
        print(f"microgradfr: error: {_one_line(str(error))}", file=sys.stderr)
        return EXIT_USAGE


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
