"""One language switch and one message catalogue for everything a learner reads.

The language is chosen, most specific first, by

1. the ``lang=`` argument of the function that prints (``explain(L, w1, lang="en")``);
2. a ``with language("en"):`` block (this thread only), then :func:`set_language`
   (``microgradfr.set_language("en")``) for the whole program;
3. the environment variable ``MICROGRADFR_LANG`` (``fr`` or ``en``; ``en_US.UTF-8`` reads as ``en``);
4. French.

:func:`resolve` applies that order; :func:`message` fetches one sentence of :data:`CATALOGUE`.

Why one table of Python dicts and not the standard library's gettext: gettext needs compiled ``.mo``
files (a build step and binary files in the package), keys its messages by their English text (so a
changed English sentence silently drops its French), and answers one process-wide language rather
than a ``lang=`` per call. A table keyed by names is read by a test that checks that both languages
have every key and the same ``{fields}``; it ships as source; it is where the French vocabulary
below is written down once.

>>> message("demo.epoch", "fr", epoch=3, loss=0.25, acc=0.9)
'  époque   3  perte 0.2500  exactitude 90%'
>>> with language("en"):
...     message("plot.epoch")
'epoch'
"""
from __future__ import annotations

import argparse
import os
import threading
import warnings
from contextlib import contextmanager
from typing import NamedTuple

__all__ = ["LANGUAGES", "DEFAULT", "ENV_VAR", "VOCABULARY", "CATALOGUE", "ARGPARSE",
           "set_language", "get_language", "resolve", "language", "message", "metric_label",
           "integer", "argparse_language"]

LANGUAGES = ("fr", "en")
DEFAULT = "fr"
ENV_VAR = "MICROGRADFR_LANG"


# ------------------------------------------------------------------ the French vocabulary
class Term(NamedTuple):
    """One word of the course's vocabulary: the English term, the French one we always use, why."""

    en: str
    fr: str
    note: str = ""


VOCABULARY = (
    Term("accuracy", "exactitude", "share of right answers; « précision » is precision, another metric"),
    Term("loss", "perte", "the number training lowers; not « coût » in our texts"),
    Term("epoch", "époque", "one pass over the training set"),
    Term("batch", "lot", "« mini-lot » for a mini-batch; not « batch »"),
    Term("learning rate", "taux d'apprentissage", "lr"),
    Term("layer", "couche"),
    Term("parameter", "paramètre"),
    Term("weight", "poids"),
    Term("bias", "biais"),
    Term("training", "entraînement", "not « apprentissage » for the loop itself"),
    Term("forward pass", "passe avant"),
    Term("backward pass", "passe arrière", "« rétropropagation » for backpropagation as a method"),
    Term("chain rule", "règle de la chaîne"),
    Term("leaf", "feuille"),
    Term("root", "racine"),
    Term("gradient", "gradient"),
    Term("early stopping", "arrêt précoce"),
    Term("clipping", "écrêtage"),
)
"""The words every French text uses (the test checks each catalogue entry against them)."""

WRONG_FRENCH = {
    "précision": "exactitude (accuracy)",
    "batch": "lot",
    "epoch": "époque",
    "loss": "perte",
}
"""French texts never say these; the value is what to write instead."""


# ------------------------------------------------------------------ the catalogue
_FR = {
    # demo (microgradfr demo, microgradfr.demo)
    "demo.title": "L = (w1·x + w2·y)² — passe avant puis rétropropagation",
    "demo.node": "  {name:>4} = {data:>9.4f}   ∂L/∂{name} = {grad:>9.4f}",
    "demo.train": "Entraînement d'un MLP 2-16-16-1 sur deux lunes (perte max-margin)",
    "demo.epoch": "  époque {epoch:>3}  perte {loss:.4f}  exactitude {acc:.0%}",
    "demo.drawn": "Graphe dessiné dans le dossier {folder} :",
    "demo.svg": "  {path}  (diagramme : valeurs, gradients, contributions sur les arêtes)",
    "demo.html": "  {path}  (lecteur pas à pas : ouvrez-le dans un navigateur)",
    "demo.explain": "La règle de la chaîne, chemin par chemin :",
    "demo.no_renderer": "  (pas de SVG : {reason})",
    "demo.file_graph": "graphe_L.svg",
    "demo.file_player": "pas_a_pas_L.html",
    # fit's progress bar and History.plot (microgradfr.training)
    "fit.desc": "entraînement",
    "fit.unit": "époque",
    "fit.nonfinite": ("fit : la perte vaut {value} à l'époque {epoch} : baissez le taux d'apprentissage "
                      "(lr={lr}) ou écrêtez les gradients (clip_grad_norm_)"),
    "fit.bad_int": "fit : {name}={value!r} doit être un entier >= {minimum}",
    "metric.loss": "perte",
    "metric.accuracy": "exactitude",
    "metric.lr": "taux d'apprentissage",
    "metric.validation": "{name} (validation)",
    "plot.epoch": "époque",
    "plot.losses": "perte",
    "plot.metrics": "métrique",
    "plot.needs_matplotlib": ("History.plot a besoin de matplotlib, une dépendance facultative : "
                              "pip install microgradfr[plot]  (ou : pip install matplotlib)"),
    # Module.summary() (microgradfr.nn.module)
    "summary.layer": "Couche",
    "summary.output": "Sortie",
    "summary.parameters": "Paramètres",
    "summary.input": "Entrée",
    "summary.total": "Total des paramètres :",
    "summary.scalar": "scalaire",
    # the command line (microgradfr.cli)
    "cli.description": "microgradfr : autodifférentiation pédagogique",
    "cli.help_grad": "valeur et gradients d'une expression",
    "cli.help_explain": "écrire ∂f/∂VAR par la règle de la chaîne",
    "cli.help_draw": "dessiner le graphe d'une expression (svg png pdf dot html)",
    "cli.help_output": "fichier à écrire ; son extension choisit le format (.svg .png .pdf .dot .html)",
    "cli.help_edge_grads": "chaque arête porte sa contribution au gradient",
    "cli.help_blank": "exercice : gradients laissés en cases vides",
    "cli.help_rankdir": "sens du dessin : LR de gauche à droite, TB de haut en bas",
    "cli.help_no_color": "sans couleurs (pour l'impression)",
    "cli.help_demo": "exemple du cours calculé, dessiné, expliqué, puis un MLP entraîné",
    "cli.help_out": "dossier où écrire le SVG et le lecteur HTML (défaut : ./microgradfr-demo)",
    "cli.help_expression": 'par exemple "(w1*x + w2*y)**2"',
    "cli.help_set": "valeurs des variables, par exemple w1=2 x=-1.5",
    "cli.help_lang": "langue des textes : fr (défaut, ou MICROGRADFR_LANG) ou en",
    "cli.value": "{root} = {data}",
    "cli.grad": "∂{root}/∂{name} = {grad}",
    "cli.wrote": "écrit : {path}",
    "cli.error": "microgradfr : erreur : {message}",
    "cli.see_help": "{message} (voir : {prog} --help)",
    "cli.set_syntax": "--set {item!r} : écrivez NOM=VALEUR, par exemple --set x=-1.5",
    "cli.set_twice": "--set : {name} est donné deux fois",
    "cli.set_number": "--set {name}={text!r} : la valeur doit être un nombre, par exemple {name}=-1.5",
    "cli.set_finite": "--set {name}={text} : la valeur doit être un nombre fini",
    "cli.set_unused": "--set {names} : absent de l'expression {expression!r}",
    "cli.expression": "expression : {error}",
    "cli.explain_unknown": ("--explain {name} : ce n'est pas une variable de l'expression "
                            "(variables : {variables})"),
    "cli.no_variables": "aucune",
    "cli.unknown_format": "-o {output} : format inconnu ; terminez le nom du fichier par l'une de {formats}",
    "cli.no_folder": "-o {output} : le dossier {folder!r} n'existe pas",
    "cli.draw_nothing": ("draw : donnez -o/--output FICHIER (un dessin, des transparents) ou --steps DOSSIER "
                         "(une image par étape)"),
    "cli.pass_alone": "--pass choisit les passes de --beamer ou de --steps ; ajoutez l'une de ces options",
    "cli.beamer_tex": ("--beamer : les transparents sont un fichier LaTeX, terminez -o {output} "
                       "par .tex"),
    "cli.steps_folder": ("--steps {folder} : impossible d'y écrire (un fichier porte ce nom, ou le "
                         "dossier qui le contient n'existe pas)"),
    "cli.wrote_steps": "écrit : {count} images dans {folder} (et l'animation, le texte de chaque étape)",
    # viz (to replace viz/text.py's TEXTS, key for key)
    "viz.not_computed": "non calculé",
    "viz.not_computed_long": "gradient non calculé (pas encore de backward)",
    "viz.zero": "gradient nul",
    "viz.nan": "NaN / inf",
    "viz.legend": "|grad| (échelle log)",
    "viz.legend_title": "légende",
    "viz.forward": "passe avant",
    "viz.backward": "passe arrière",
    "viz.step": "étape",
    "viz.prev": "◀ précédent",
    "viz.next": "suivant ▶",
    "viz.leaf_forward": "{name} = {data} : une feuille, sa valeur est donnée",
    "viz.node_forward": "{name} = {expr} = {data}",
    "viz.seed": "{name} est la racine : ∂{root}/∂{root} = 1 (la graine de la passe arrière)",
    "viz.leaf_backward": "{name} est une feuille : son gradient ∂{root}/∂{name} = {grad} est complet",
    "viz.node_backward": "∂{root}/∂{parent} += ∂{root}/∂{name} · ∂{name}/∂{parent} = {product} = {contrib}",
    "viz.accumulate": "   ({parent}.grad : {before} → {after}, la somme de ses contributions)",
    "viz.paths_title": "Chemins de {root} jusqu'à {wrt} : {count}",
    "viz.path": "chemin {i} : {chain}",
    "viz.no_path": "{wrt} n'influence pas {root} : aucun chemin, donc ∂{root}/∂{wrt} = 0",
    "viz.sum": "Somme des chemins : ∂{root}/∂{wrt} = {terms} = {total}",
    "viz.matches": "= {wrt}.grad ✓ (la valeur calculée par backward())",
    "viz.more_paths": "… et {more} autres chemins (somme totale calculée sur les {count})",
    "viz.mismatch": ("explain : la somme des chemins vaut {total!r} mais {wrt}.grad vaut {grad!r} ; "
                     "les gradients s'accumulent d'un backward() à l'autre : appelez zero_grad() "
                     "(ou remettez .grad à 0) avant backward()"),
    "viz.title": "Graphe de calcul",
    "viz.grad_not_computed": "grad : non calculé",  # a box whose backward has not run (viz/format.py)
    # slides and pictures for LaTeX (viz/beamer.py): the fields are LaTeX, the words are escaped
    "slides.forward": "Passe avant",
    "slides.backward": "Passe arrière",
    "slides.title": "{phase} — étape {step} / {total}",
    "slides.leaf_forward": "{name} est une feuille : sa valeur {value} est donnée",
    "slides.seed": "{name} est la racine : {seed}, la graine de la passe arrière",
    "slides.leaf_backward": "{name} est une feuille : son gradient {grad} est complet",
    "slides.accumulate": "{parent} reçoit une contribution de plus : {before} → {after}",
    "slides.vjp_backward": "{lhs} += {deriv}, où {g}",
    # the perceptron's log and assert_grad (microgradfr.perceptron, microgradfr.testing)
    "perceptron.epoch": "époque {epoch}/{epochs} : {errors} erreur(s), w = {coef}, b = {bias:.4g}",
    "testing.mismatch": ("∂/∂{name} : le moteur trouve {got!r}, la dérivation à la main donne {expected!r} "
                         "(écart {diff:.3g})"),
    # this module's own error
    "i18n.unknown": "lang={value!r} : langue inconnue ; choisissez parmi {choices}",
    "i18n.bad_env": "{var}={value!r} : langue inconnue, le français est utilisé ; choisissez parmi {choices}",
}

_EN = {
    "demo.title": "L = (w1·x + w2·y)² — forward pass then backpropagation",
    "demo.node": "  {name:>4} = {data:>9.4f}   ∂L/∂{name} = {grad:>9.4f}",
    "demo.train": "Training a 2-16-16-1 MLP on two moons (max-margin loss)",
    "demo.epoch": "  epoch {epoch:>3}  loss {loss:.4f}  accuracy {acc:.0%}",
    "demo.drawn": "Graph drawn in the folder {folder}:",
    "demo.svg": "  {path}  (diagram: values, gradients, contributions on the edges)",
    "demo.html": "  {path}  (step-by-step player: open it in a browser)",
    "demo.explain": "The chain rule, path by path:",
    "demo.no_renderer": "  (no SVG: {reason})",
    "demo.file_graph": "graph_L.svg",
    "demo.file_player": "step_by_step_L.html",
    "fit.desc": "training",
    "fit.unit": "epoch",
    "fit.nonfinite": ("fit: the loss became {value} at epoch {epoch}: lower the learning rate (lr={lr}) "
                      "or clip gradients (clip_grad_norm_)"),
    "fit.bad_int": "fit: {name}={value!r} must be an integer >= {minimum}",
    "metric.loss": "loss",
    "metric.accuracy": "accuracy",
    "metric.lr": "learning rate",
    "metric.validation": "{name} (validation)",
    "plot.epoch": "epoch",
    "plot.losses": "loss",
    "plot.metrics": "metric",
    "plot.needs_matplotlib": ("History.plot needs matplotlib, an optional extra: "
                              "pip install microgradfr[plot]  (or: pip install matplotlib)"),
    "summary.layer": "Layer",
    "summary.output": "Output shape",
    "summary.parameters": "Parameters",
    "summary.input": "Input",
    "summary.total": "Total parameters:",
    "summary.scalar": "scalar",
    "cli.description": "microgradfr: autograd for learning",
    "cli.help_grad": "value and gradients of an expression",
    "cli.help_explain": "write ∂f/∂VAR out by the chain rule",
    "cli.help_draw": "draw the graph of an expression (svg png pdf dot html)",
    "cli.help_output": "file to write; its extension picks the format (.svg .png .pdf .dot .html)",
    "cli.help_edge_grads": "each edge carries its contribution to the gradient",
    "cli.help_blank": "exercise: gradients left as empty boxes",
    "cli.help_rankdir": "drawing direction: LR left to right, TB top to bottom",
    "cli.help_no_color": "no colours (for printing)",
    "cli.help_demo": "the course example computed, drawn, explained, then an MLP trained",
    "cli.help_out": "folder to write the SVG and the HTML player into (default: ./microgradfr-demo)",
    "cli.help_expression": 'for example "(w1*x + w2*y)**2"',
    "cli.help_set": "values of the variables, for example w1=2 x=-1.5",
    "cli.help_lang": "language of the texts: fr (default, or MICROGRADFR_LANG) or en",
    "cli.value": "{root} = {data}",
    "cli.grad": "∂{root}/∂{name} = {grad}",
    "cli.wrote": "wrote: {path}",
    "cli.draw_nothing": ("draw: give -o/--output FILE (a drawing, slides) or --steps FOLDER "
                         "(one image per step)"),
    "cli.pass_alone": "--pass chooses the passes of --beamer or --steps; add one of these options",
    "cli.beamer_tex": "--beamer: slides are a LaTeX file, end -o {output} with .tex",
    "cli.steps_folder": ("--steps {folder}: cannot write there (a file has that name, or the folder holding "
                         "it does not exist)"),
    "cli.wrote_steps": "wrote: {count} images in {folder} (and the animation, the text of each step)",
    "cli.error": "microgradfr: error: {message}",
    "cli.see_help": "{message} (see: {prog} --help)",
    "cli.set_syntax": "--set {item!r}: write NAME=VALUE, e.g. --set x=-1.5",
    "cli.set_twice": "--set: {name} is given twice",
    "cli.set_number": "--set {name}={text!r}: the value must be a number, e.g. {name}=-1.5",
    "cli.set_finite": "--set {name}={text}: the value must be a finite number",
    "cli.set_unused": "--set {names}: not used in the expression {expression!r}",
    "cli.expression": "expression: {error}",
    "cli.explain_unknown": "--explain {name}: not a variable of the expression (variables: {variables})",
    "cli.no_variables": "none",
    "cli.unknown_format": "-o {output}: unknown format; end the file name with one of {formats}",
    "cli.no_folder": "-o {output}: the folder {folder!r} does not exist",
    "viz.not_computed": "not computed",
    "viz.not_computed_long": "gradient not computed (no backward yet)",
    "viz.zero": "zero gradient",
    "viz.nan": "NaN / inf",
    "viz.legend": "|grad| (log scale)",
    "viz.legend_title": "legend",
    "viz.forward": "forward pass",
    "viz.backward": "backward pass",
    "viz.step": "step",
    "viz.prev": "◀ previous",
    "viz.next": "next ▶",
    "viz.leaf_forward": "{name} = {data}: a leaf, its value is given",
    "viz.node_forward": "{name} = {expr} = {data}",
    "viz.seed": "{name} is the root: ∂{root}/∂{root} = 1 (the seed of the backward pass)",
    "viz.leaf_backward": "{name} is a leaf: its gradient ∂{root}/∂{name} = {grad} is complete",
    "viz.node_backward": "∂{root}/∂{parent} += ∂{root}/∂{name} · ∂{name}/∂{parent} = {product} = {contrib}",
    "viz.accumulate": "   ({parent}.grad: {before} → {after}, the sum of its contributions)",
    "viz.paths_title": "Paths from {root} down to {wrt}: {count}",
    "viz.path": "path {i}: {chain}",
    "viz.no_path": "{wrt} does not influence {root}: no path, so ∂{root}/∂{wrt} = 0",
    "viz.sum": "Sum over paths: ∂{root}/∂{wrt} = {terms} = {total}",
    "viz.matches": "= {wrt}.grad ✓ (the value backward() computed)",
    "viz.more_paths": "… and {more} more paths (the total sums all {count})",
    "viz.mismatch": ("explain: the paths sum to {total!r} but {wrt}.grad is {grad!r}; gradients "
                     "accumulate across backward() calls: call zero_grad() (or reset .grad to 0) "
                     "before backward()"),
    "viz.title": "Computation graph",
    "viz.grad_not_computed": "grad: not computed",
    "slides.forward": "Forward pass",
    "slides.backward": "Backward pass",
    "slides.title": "{phase} — step {step} / {total}",
    "slides.leaf_forward": "{name} is a leaf: its value {value} is given",
    "slides.seed": "{name} is the root: {seed}, the seed of the backward pass",
    "slides.leaf_backward": "{name} is a leaf: its gradient {grad} is complete",
    "slides.accumulate": "{parent} receives one more contribution: {before} → {after}",
    "slides.vjp_backward": "{lhs} += {deriv}, where {g}",
    "perceptron.epoch": "epoch {epoch}/{epochs}: {errors} mistake(s), w = {coef}, b = {bias:.4g}",
    "testing.mismatch": ("∂/∂{name}: the engine finds {got!r}, the hand derivation gives {expected!r} "
                         "(difference {diff:.3g})"),
    "i18n.unknown": "lang={value!r}: unknown language; choose one of {choices}",
    "i18n.bad_env": "{var}={value!r}: unknown language, using French; choose one of {choices}",
}

CATALOGUE = {"fr": _FR, "en": _EN}
"""Every sentence a learner reads, by language then by key (``"area.name"``)."""

ARGPARSE = {
    "fr": {
        "usage: ": "utilisation : ",
        "positional arguments": "arguments positionnels",
        "options": "options",
        "optional arguments": "options",  # Python ≤ 3.9's title for the same group
        "show this help message and exit": "afficher ce message d'aide et quitter",
        "show program's version number and exit": "afficher la version du programme et quitter",
        "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
        "%(prog)s: warning: %(message)s\n": "%(prog)s : avertissement : %(message)s\n",  # Python ≥ 3.13
        "the following arguments are required: %s": "arguments obligatoires manquants : %s",
        "unrecognized arguments: %s": "arguments non reconnus : %s",
        "invalid choice: %(value)r (choose from %(choices)s)":
            "choix invalide : %(value)r (choisissez parmi %(choices)s)",
        "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":  # Python ≥ 3.14
            "choix invalide : %(value)r, vouliez-vous dire %(closest)r ? (choisissez parmi %(choices)s)",
        "argument %(argument_name)s: %(message)s": "argument %(argument_name)s : %(message)s",
        "expected one argument": "une valeur attendue",
        "expected at most one argument": "au plus une valeur attendue",
        "expected at least one argument": "au moins une valeur attendue",
        "expected %s argument": "%s valeur attendue",
        "expected %s arguments": "%s valeurs attendues",
        "ambiguous option: %(option)s could match %(matches)s":
            "option ambiguë : %(option)s peut désigner %(matches)s",
        "invalid %(type)s value: %(value)r": "valeur invalide pour %(type)s : %(value)r",
        "not allowed with argument %s": "incompatible avec l'argument %s",
        "ignored explicit argument %r": "valeur ignorée : %r",
        "one of the arguments %s is required": "l'un des arguments %s est obligatoire",
        "can't open '%(filename)s': %(error)s": "impossible d'ouvrir '%(filename)s' : %(error)s",
        'argument "-" with mode %r': "argument « - » impossible en mode %r",
        "unknown parser %(parser_name)r (choices: %(choices)s)":
            "sous-commande inconnue %(parser_name)r (choix : %(choices)s)",
    },
    "en": {},  # argparse's own English
}
"""argparse's own user-facing strings (its gettext message ids), translated.

The ids it raises only at a programmer (``dest= is required…``, conflicting option strings) stay
English: a student never sees them. :func:`argparse_language` puts this table in force.
"""


# ------------------------------------------------------------------ choosing the language
_state = threading.local()
_chosen = None  # set_language's choice for the whole program (threads see it unless they override)
_warned = set()  # MICROGRADFR_LANG values already warned about


def _check(lang) -> str:
    if lang not in LANGUAGES:
        raise ValueError(message("i18n.unknown", _current(), value=lang, choices=", ".join(LANGUAGES)))
    return lang


def _from_env():
    raw = os.environ.get(ENV_VAR, "").strip()
    if not raw:
        return None
    lang = raw.split(".")[0].split("_")[0].split("-")[0].lower()  # en_US.UTF-8 → en
    if lang in LANGUAGES:
        return lang
    if raw not in _warned:  # once per value, not at every sentence
        _warned.add(raw)
        warnings.warn(message("i18n.bad_env", DEFAULT, var=ENV_VAR, value=raw, choices=", ".join(LANGUAGES)),
                      stacklevel=3)
    return None


def _current() -> str:
    return getattr(_state, "lang", None) or _chosen or _from_env() or DEFAULT


def set_language(lang: str | None) -> None:
    """Choose the language of every text for the whole program: ``"fr"`` or ``"en"``.

    ``None`` goes back to ``MICROGRADFR_LANG``, else French. A ``lang=`` argument still wins.

    >>> set_language("en"); get_language()
    'en'
    >>> set_language(None)
    """
    global _chosen
    _chosen = None if lang is None else _check(lang)


def get_language() -> str:
    """The language texts are written in when no ``lang=`` is given.

    >>> get_language() in LANGUAGES
    True
    """
    return _current()


def resolve(lang: str | None = None) -> str:
    """``lang`` if given (checked), else :func:`get_language`: what every ``lang=None`` argument calls.

    >>> resolve("en"), resolve(None) in LANGUAGES
    ('en', True)
    """
    return _current() if lang is None else _check(lang)


@contextmanager
def language(lang: str):
    """Speak ``lang`` inside a ``with`` block (this thread only), then go back.

    >>> with language("en"):
    ...     message("metric.loss")
    'loss'
    """
    _check(lang)
    before = getattr(_state, "lang", None)
    _state.lang = lang
    try:
        yield lang
    finally:
        _state.lang = before


def message(key: str, lang: str | None = None, **fields) -> str:
    """The sentence ``key`` of the catalogue in ``lang`` (default: :func:`get_language`), filled in.

    >>> message("cli.wrote", "fr", path="graphe.svg")
    'écrit : graphe.svg'
    """
    return CATALOGUE[resolve(lang)][key].format(**fields)


def metric_label(key: str, lang: str | None = None) -> str:
    """How a History key reads on a plot or a progress bar: ``val_loss`` → ``perte (validation)``.

    Keys stay English in code (``history["val_loss"]``, as in Keras); only their display changes.
    A metric of the user's own keeps its name.

    >>> metric_label("val_accuracy", "fr"), metric_label("f1", "fr")
    ('exactitude (validation)', 'f1')
    """
    lang = resolve(lang)
    validation = key.startswith("val_")
    name = key[4:] if validation else key
    name = CATALOGUE[lang].get(f"metric.{name}", name)
    return message("metric.validation", lang, name=name) if validation else name


def integer(n: int, lang: str | None = None) -> str:
    """A count as each language writes it: ``149 953`` (narrow no-break space) in French, ``149,953``.

    >>> integer(149953, "fr"), integer(149953, "en")
    ('149\\u202f953', '149,953')
    """
    out = f"{n:,}"
    return out.replace(",", "\u202f") if resolve(lang) == "fr" else out


@contextmanager
def argparse_language(lang: str | None = None):
    """Make argparse speak ``lang`` inside the block: usage, headings, ``-h``'s help, its errors.

    argparse reads its strings through the module globals ``argparse._`` and ``argparse.ngettext``
    (gettext), when a parser is built (headings, ``-h``) and when it formats or fails; so build,
    format and parse inside the block. The globals are put back on exit.
    """
    table = ARGPARSE[resolve(lang)]
    saved = argparse._, argparse.ngettext
    argparse._ = lambda text: table.get(text, text)
    argparse.ngettext = lambda one, many, n: table.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved
