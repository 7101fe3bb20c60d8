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
           "integer", "argparse_language", "table"]

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
    "fit.desc": "entraînement {epoch}/{epochs}",  # the epoch under way; the bar counts the batches
    "fit.unit": "lot",
    "fit.nonfinite": ("fit : la perte vaut {value} à l'époque {epoch} : baissez le taux d'apprentissage "
                      "(lr={lr}) ou écrêtez les gradients (clip_grad_norm_)"),
    "fit.bad_int": "fit : {name}={value!r} doit être un entier >= {minimum}",
    "fit.unknown_metric": ("fit : la métrique {metric!r} est inconnue ; utilisez l'une de {choices} ou une "
                           "fonction f(predictions, targets) -> float"),
    "fit.not_a_pair": "fit : {name} doit être une paire (X, y) d'entrées et de cibles, pas {type}",
    "fit.lengths": ("fit : {name} a {inputs} entrées mais {targets} cibles ; il en faut autant des deux, "
                    "une cible par entrée"),
    "fit.empty": "fit : {name} est vide",
    "fit.bad_callback": ("fit : callbacks[{index}] est un {type}, ni un Callback, ni un planificateur du "
                         "taux d'apprentissage, ni une fonction f(époque, logs)"),
    "fit.no_parameters": "fit : le modèle {model} n'a aucun paramètre à entraîner",
    "fit.loss_not_node": ("fit : loss_fn doit renvoyer un nœud du graphe (microgradfr.Value ou "
                          "microgradfr.Tensor) sur lequel appeler backward, pas {type} : {value}"),
    "fit.loss_not_scalar": ("fit : loss_fn doit renvoyer un seul nombre, la perte (réduisez le lot par une "
                            "moyenne), pas un tableau de forme {shape}"),
    "history.missing": "History n'a pas de {name!r} ; il a enregistré {keys}",
    "early.patience": ("EarlyStopping : patience={value!r} doit être un entier >= 0 (les époques à attendre "
                       "sans amélioration)"),
    "early.min_delta": "EarlyStopping : min_delta={value!r} doit être un nombre >= 0",
    "early.mode": "EarlyStopping : mode={value!r} doit valoir 'min', 'max' ou 'auto'",
    "early.monitor": ("EarlyStopping : monitor={monitor!r} ne fait pas partie des valeurs enregistrées "
                      "{keys}{hint}"),
    "early.val_hint": " (donnez val_data à fit)",
    "penalty.no_parameters": "{fn} : aucun paramètre n'a été donné (une liste vide)",
    "metric.loss": "perte",
    "metric.accuracy": "exactitude",
    "metric.lr": "taux d'apprentissage",
    "metric.validation": "{name} (validation)",
    "plot.epoch": "époque",
    "plot.losses": "perte",
    "plot.metrics": "métrique",
    "plot.needs_matplotlib": ("History.plot a besoin de matplotlib, une dépendance facultative : "
                              "pip install microgradfr[plot]  (ou : pip install matplotlib)"),
    # the layers' refusals (microgradfr.nn.layers)
    "nn.positive_int": "{layer} : {what}={value!r} doit être un entier positif",
    "nn.linear_features": ("{layer} : l'entrée a {got} caractéristiques (forme {shape}), il en faut "
                           "{expected} ; aplatissez d'abord les images (nn.Flatten) ou corrigez in_features"),
    "nn.conv_rank": "{layer} : l'entrée doit être de forme (N, C, H, W), pas {shape}{hint}",
    "nn.batch_hint": " ; ajoutez un axe de lot avec x.reshape(1, *x.shape)",
    "nn.conv_channels": "{layer} : l'entrée a {got} canaux (forme {shape}), il en faut {expected}",
    "nn.conv_kernel": ("{layer} : le noyau {kernel} est plus grand que l'entrée complétée {padded} (forme "
                       "d'entrée {shape}, padding {padding}) ; prenez un noyau plus petit, plus de padding "
                       "ou une image plus grande"),
    "nn.norm_shape": "{layer} : l'entrée doit être de forme {shapes} avec C = {features}, pas {shape}",
    "nn.dropout_p": "Dropout(p={value!r}) : p est une probabilité, elle doit être dans [0, 1]",
    "nn.sequential_item": "Sequential : l'argument {index} est un {type}, pas une couche (Module)",
    # Module.summary() (microgradfr.nn.module)
    "summary.layer": "Couche",
    "summary.output": "Sortie",
    "summary.parameters": "Paramètres",
    "summary.input": "Entrée",
    "summary.total": "Total des paramètres :",
    "summary.scalar": "scalaire",
    "summary.reading_example": "un exemple de forme {shape} (un lot de 1 ajouté)",
    "summary.reading_batch": "l'input_size de torchinfo : un lot de {batch} exemples de forme {shape}",
    "summary.neither": "summary : input_shape {shape} ne convient à aucune des deux lectures :",
    "summary.ambiguous": ("summary : input_shape {shape} se lit de deux façons, qui donnent deux tables "
                          "différentes :"),
    "summary.say_which": ("précisez laquelle avec batch_dim=0 (un exemple) ou batch_dim=None (l'axe du lot "
                          "est compris)"),
    "summary.batch_dim": ("summary : batch_dim={value!r} n'est pas compris ; écrivez batch_dim=0 "
                          "(input_shape est un exemple), batch_dim=None (l'axe du lot est compris, comme "
                          "dans torchinfo) ou batch_dim='auto'"),
    "summary.wrong_rank": ("summary : input_shape {shape} a {axes} axes, mais la première couche {layer} "
                           "prend des entrées à {ranks} axes, axe du lot compris : donnez la forme d'un "
                           "exemple ({example_ranks} axes) ou l'input_size de torchinfo ({ranks} axes)"),
    "summary.or": " ou ",
    "summary.reading_line": "{reading} : {detail}",
    # the command line (microgradfr.cli)
    "cli.description": "microgradfr : autodifférentiation pédagogique",
    "cli.help_grad": "valeur et gradients d'une expression",
    "cli.help_explain": "écrire ∂f/∂VAR par la règle de la chaîne",
    "cli.help_draw": "dessiner le graphe d'une expression (svg png pdf dot html)",
    "cli.help_output": "fichier à écrire ; son extension choisit le format (.svg .png .pdf .dot .html .tex)",
    "cli.help_beamer": "avec -o FICHIER.tex : des transparents Beamer, une page par étape",
    "cli.help_steps": "une image numérotée par étape dans ce dossier (et une animation GIF)",
    "cli.help_pass": "passes montrées : backward (défaut de --beamer), forward ou both (défaut de --steps)",
    "cli.help_steps_format": "format des images de --steps (défaut : png)",
    "cli.help_edge_grads": "chaque arête porte sa contribution au gradient",
    "cli.help_blank": "exercice : gradients laissés en cases vides",
    "cli.help_rankdir": "sens du dessin : LR de gauche à droite, TB de haut en bas",
    "cli.help_no_color": "sans couleurs (pour l'impression)",
    "cli.help_demo": "exemple du cours calculé, dessiné, expliqué, puis un MLP entraîné",
    "cli.help_out": "dossier où écrire le SVG et le lecteur HTML (défaut : ./microgradfr-demo)",
    "cli.help_expression": 'par exemple "(w1*x + w2*y)**2"',
    "cli.help_set": "valeurs des variables, par exemple w1=2 x=-1.5",
    "cli.help_lang": "langue des textes : fr (défaut, ou MICROGRADFR_LANG) ou en",
    "cli.metavar_set": "NOM=VALEUR",
    "cli.metavar_file": "FICHIER",
    "cli.metavar_dir": "DOSSIER",
    "cli.metavar_var": "VAR",
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
    "cli.value_not_finite": ("{root} = {value} n'est pas un nombre fini : {step} = {bad} ({why}) ; essayez "
                             "d'autres valeurs avec --set"),
    "cli.grad_not_finite": ("∂{root}/∂{name} = {grad} n'est pas un nombre fini : {why} ; essayez d'autres "
                            "valeurs avec --set"),
    "cli.overflow": "le résultat dépasse le plus grand nombre flottant, environ 1.8e308",
    "cli.undefined": "une forme sans valeur, comme inf − inf ou 0 · inf",
    "cli.local_not_finite": "la dérivée de {step} y vaut {local}",
    "cli.product_overflow": ("à l'étape {step}, le produit {g} · {local} dépasse le plus grand nombre "
                             "flottant, environ 1.8e308"),
    "cli.sum_overflow": ("la somme des contributions qui arrivent à {name} dépasse le plus grand nombre "
                         "flottant, environ 1.8e308"),
    "cli.out_is_file": "{option} {path} : c'est un fichier, pas un dossier ; choisissez un autre nom",
    "cli.os_permission": ("{option} {path} : écriture refusée (permissions) ; choisissez un dossier où vous "
                          "pouvez écrire"),
    "cli.os_no_space": ("{option} {path} : plus de place sur le disque ; libérez de la place ou écrivez "
                        "ailleurs"),
    "cli.os_read_only": "{option} {path} : le disque est en lecture seule ; écrivez ailleurs",
    "cli.os_not_a_folder": "{option} {path} : une partie du chemin est un fichier, pas un dossier",
    "cli.os_is_a_folder": "{option} {path} : c'est un dossier ; donnez un nom de fichier",
    "cli.os_other": "{option} {path} : écriture impossible ({reason})",
    "cli.unexpected": ("erreur inattendue ({error}) ; c'est un bogue de microgradfr : relancez avec "
                       "MICROGRADFR_DEBUG=1 pour voir la trace, et signalez-le"),
    "cli.interrupted": "interrompu",
    "cli.os_stdout": "impossible d'écrire la sortie ({reason})",
    "cli.warning": "microgradfr : avertissement : {message}",
    "cli.epilog": ("Code de sortie 0 si tout va bien, 2 pour une erreur, dite en une ligne sur stderr, sans "
                   "rien écrire. Une valeur ou un gradient qui n'est pas un nombre fini (inf, NaN : "
                   "dépassement, inf − inf…) est une erreur : la ligne nomme la première étape où il "
                   "apparaît. MICROGRADFR_DEBUG=1 montre la trace d'une erreur inattendue."),
    "cli.description_grad": ("Valeur et gradients d'une expression. Si la valeur ou un gradient n'est pas "
                             "un nombre fini (inf, NaN), rien n'est affiché : une ligne sur stderr nomme "
                             "l'étape en cause, code de sortie 2."),
    "cli.help_no_legend": "sans légende (les couleurs restent)",
    "cli.help_dpi": "résolution d'un .png (96 par défaut, 300 pour imprimer)",
    "cli.help_renderer": "programme de dessin (par défaut dot s'il est installé, sinon graphviz-pure)",
    "cli.too_tangled": ("draw : ce graphe est trop emmêlé pour être dessiné vite ({crossings} croisements "
                        "de rangs, au plus {most} : une variable utilisée par des opérations éloignées, "
                        "comme x dans x*y + x*y + …) ; dessinez moins : moins de termes (coupez la somme), "
                        "ou obtenez les nombres avec `microgradfr grad`, ou écrivez -o graphe.dot"),
    # the command line's expressions (microgradfr.expr): ExpressionError's key and fields
    "expr.at_column": "colonne {column} : {message}",
    "expr.not_text": "l'expression doit être du texte, pas {type}",
    "expr.empty": "l'expression est vide ; écrivez-en une, par exemple \"(w1*x + w2*y)**2\"",
    "expr.too_long": ("l'expression a {length} caractères, plus que la limite de {limit} ; découpez-la ou "
                      "simplifiez-la"),
    "expr.too_many_operations": ("l'expression a {count} opérations, plus que la limite de {limit} ; son "
                                 "diagramme serait illisible de toute façon"),
    "expr.invalid": "expression invalide (Python dit : {detail})",
    "expr.ends_early": ("expression invalide (Python dit : {detail}) : elle s'arrête trop tôt, il manque un "
                        "opérande"),
    "expr.too_complex": "l'expression est trop compliquée à lire",
    "expr.unreadable_character": ("ce caractère ne peut pas être lu (un octet nul, ou des octets qui ne sont "
                                  "pas du texte UTF-8) ; retapez l'expression"),
    "expr.nested_parentheses": "parenthèses imbriquées sur plus de {limit} niveaux",
    "expr.unmatched_closing": "une parenthèse fermante ')' n'a pas de '(' correspondante",
    "expr.too_many_signs": "plus de {limit} signes à la suite",
    "expr.not_closed": "{count} parenthèse(s) '(' non fermée(s) (l'expression est-elle coupée ?)",
    "expr.too_many_parts": "l'expression a plus de {limit} éléments ; simplifiez-la",
    "expr.nested_too_deeply": "l'expression est imbriquée trop profondément",
    "expr.constant_not_number": "seuls des nombres sont permis comme constantes, pas {value}",
    "expr.underscore_name": "les noms qui commencent par '_' ne sont pas permis ({name})",
    "expr.binary_operator": "l'opérateur {op} n'est pas permis ; utilisez + - * / **",
    "expr.unary_operator": "l'opérateur {op} n'est pas permis ; seuls les signes - et + le sont",
    "expr.syntax_not_allowed": ("{what} : non permis ; seuls les nombres, les noms, + - * / **, les "
                                "parenthèses et les fonctions {functions} le sont"),
    "expr.syntax_attribute": "l'accès à un attribut (a.b)",
    "expr.syntax_subscript": "les indices (a[i])",
    "expr.syntax_compare": "les comparaisons",
    "expr.syntax_boolean": "les opérateurs booléens",
    "expr.syntax_lambda": "lambda",
    "expr.syntax_if": "les expressions conditionnelles (… if … else …)",
    "expr.syntax_dict": "les dictionnaires",
    "expr.syntax_set": "les ensembles",
    "expr.syntax_list": "les listes",
    "expr.syntax_tuple": "les n-uplets (a, b)",
    "expr.syntax_comprehension": "les compréhensions",
    "expr.syntax_generator": "les générateurs",
    "expr.syntax_await": "await",
    "expr.syntax_yield": "yield",
    "expr.syntax_string": "les chaînes de caractères",
    "expr.syntax_starred": "*args",
    "expr.syntax_assignment": "les affectations (:=)",
    "expr.syntax_slice": "les tranches (a[i:j])",
    "expr.call_by_name": ("seules les fonctions de la table des opérations s'appellent, par leur nom : "
                          "{functions}"),
    "expr.unknown_function": "{name}() n'est pas une fonction disponible ; utilisez l'une de {functions}",
    "expr.keyword_arguments": "{name}() : les arguments nommés ne sont pas permis",
    "expr.arguments": "{name}() prend une entrée, elle en reçoit {count}",
    "expr.arguments_with_setting": ("{name}() prend une entrée, et en option son réglage (un nombre), elle "
                                    "en reçoit {count}"),
    "expr.engine": "{text}",  # the engine's own sentence (an op refusing its input)
    "expr.function_as_variable": "{name} est une fonction : appelez-la, par exemple {name}(x)",
    "expr.unknown_variable": "variable inconnue '{name}' : donnez sa valeur avec --set {name}=…",
    "expr.division_by_zero": "division par zéro : {x} / 0",
    "expr.exponent_too_large": "l'exposant {exponent} est trop grand (la limite est ±{limit})",
    "expr.power_overflow": ("{what} dépasse le plus grand nombre flottant (environ 1.8e308) ; prenez de "
                            "plus petits nombres"),
    "expr.zero_negative_power": "{what} : zéro à une puissance négative divise par zéro",
    "expr.setting_variable": "{name}() : le réglage doit être un nombre, pas une variable",
    "expr.number_too_large": "ce nombre dépasse le plus grand nombre flottant (environ 1.8e308)",
    "expr.constant_part": "une partie constante de l'expression",
    "expr.not_real": "{what} n'est pas un nombre réel (un nombre négatif à une puissance fractionnaire)",
    "expr.not_finite": ("{what} n'est pas un nombre fini (il dépasse le plus grand nombre flottant, environ "
                        "1.8e308) ; prenez de plus petits nombres"),
    # the op table's refusals and the engine's (microgradfr.ops, microgradfr.engine, microgradfr.tensor)
    "domain.positive": "{op} : {op}(x) n'est défini que pour x > 0, or x = {x!r}",
    "domain.nonnegative": "{op} : {op}(x) n'est défini que pour x ≥ 0, or x = {x!r}",
    "domain.nonzero_y": "{op} : division par zéro dans {x!r} / {y!r} ; le dénominateur ne doit pas valoir 0",
    "domain.pow_zero_negative": "{op} : {x!r} ** {k!r} divise par zéro (0 à une puissance négative)",
    "domain.pow_infinite_derivative": ("{op} : la dérivée {k!r}·x^({k!r} − 1) de x ** {k!r} est infinie en "
                                       "x = 0"),
    "domain.pow_not_real": ("{op} : {x!r} ** {k!r} n'est pas un nombre réel (base négative, exposant non "
                            "entier) ; prenez abs(x) ** k ou un exposant entier"),
    "domain.pow_xy_zero_negative": "pow : {x!r} ** {y!r} divise par zéro (0 à une puissance négative)",
    "domain.pow_xy_infinite_derivative": ("pow : la dérivée {y!r}·x^({y!r} − 1) de x ** {y!r} est infinie "
                                          "en x = 0"),
    "domain.pow_xy_not_real": ("pow : {x!r} ** {y!r} n'est pas un nombre réel (base négative, exposant non "
                               "entier) ; prenez abs(x) ** k ou un exposant entier"),
    "op.with_k": " avec k = {k}",
    "op.overflow": ("{call} : le résultat dépasse le plus grand nombre flottant (environ 1.8e308) ; changez "
                    "l'échelle des entrées ou prenez un exposant plus petit"),
    "op.no_value": ("{call} : il n'y a pas de valeur réelle ici ; une entrée infinie vient souvent d'un "
                    "dépassement plus tôt, comme l'exponentielle d'un grand nombre"),
    "op.nonfinite_derivative": ("{call} : la dérivée n'est pas finie ici ({local}) ; un gradient qui passe "
                                "par ce nœud vaudra inf ou nan, comme dans PyTorch ; pour un gradient fini, "
                                "éloignez l'entrée de ce point"),
    "op.bad_entries": ("{count} entrées sur {size} sont hors du domaine, la première à l'indice {index}"),
    "op.where": "{error} ({where})",
    # the formula printers' words (microgradfr.formula): a piecewise derivative, « 1 si x > 0 sinon 0 »
    "formula.if": "si",
    "formula.else": "sinon",
    # viz: viz.text.text(lang, key) reads "viz.<key>"
    "cli.draw_nothing": ("draw : donnez -o/--output FICHIER (un dessin, des transparents) ou --steps DOSSIER "
                         "(une image par étape)"),
    "cli.pass_alone": "--pass choisit les passes de --beamer ou de --steps ; ajoutez l'une de ces options",
    "cli.beamer_tex": ("--beamer : les transparents sont un fichier LaTeX, terminez -o {output} "
                       "par .tex"),
    "cli.steps_folder": ("--steps {folder} : impossible d'y écrire (un fichier porte ce nom, ou le "
                         "dossier qui le contient n'existe pas)"),
    "cli.wrote_steps": "écrit : {count} images dans {folder} (et l'animation, le texte de chaque étape)",
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
    "viz.node_backward": "∂{root}/∂{parent} += {chain}",
    "viz.vjp_backward": "∂{root}/∂{parent} += {deriv}, où g = ∂{root}/∂{name}",
    "viz.accumulate": "   ({parent}.grad : {before} → {after}, la somme de ses contributions)",
    "viz.paths_title": "Chemins de {root} jusqu'à {wrt} : {count}",
    "viz.path": "chemin {i} : {chain}",
    "viz.no_path": "{wrt} n'influence pas {root} : aucun chemin, donc ∂{root}/∂{wrt} = 0",
    "viz.sum": "Somme des chemins : ∂{root}/∂{wrt} = {terms} = {total}",
    "viz.matches": "= {wrt}.grad ✓ (la valeur calculée par backward())",
    "viz.more_paths": "… et {more} autres chemins (somme totale calculée sur les {count})",
    "viz.accumulated": ("{wrt}.grad vaut {grad} et non {total} : une feuille accumule son gradient d'un "
                        "backward() à l'autre (remettez {wrt}.grad = 0 avant chaque backward())."),
    "viz.stale": ("{wrt}.grad vaut {grad} et non {total} : il vient d'un autre backward() que celui de "
                  "{root}."),
    "viz.not_run": "({wrt}.grad n'est pas encore calculé : backward() n'a pas été appelé.)",
    "viz.constant_target": ("explain : {wrt} est une constante (un nombre écrit dans l'expression), elle "
                            "n'a pas de gradient ; expliquez plutôt une variable, par exemple "
                            "explain({root}, x)"),
    "viz.title": "Graphe de calcul",
    "viz.legend_colour": "couleur d'une boîte : la taille de son gradient |grad| (plus foncé = plus grand)",
    "viz.legend_zero": "grad = 0",
    "viz.legend_none": "pas encore calculé",
    "viz.legend_bad": "NaN ou inf",
    "viz.cluster_layer": "couche {i}",
    "viz.cluster_neuron": "neurone {i}",
    "viz.hand_made": ("explain : {node} a été fait à la main (microgradfr.Value(données, enfants, op)) ; sa "
                      "dérivée est dans son propre _backward, qu'explain ne sait pas lire ; écrivez-le avec "
                      "les opérations du moteur (+, *, tanh(), …) pour en voir la règle de la chaîne"),
    "viz.grad_not_computed": "grad : non calculé",  # a box whose backward has not run (viz/format.py)
    # viz's refusals (viz/dot.py, viz/player.py, viz/chain_rule.py)
    "viz.draw_rankdir": ("draw_dot : rankdir={value!r} doit être l'un de {choices} (LR : de gauche à droite, "
                         "TB : de haut en bas)"),
    "viz.draw_show_grad": "draw_dot : show_grad={value!r} doit valoir True, False ou 'blank'",
    "viz.draw_color": ("draw_dot : color={value!r} doit valoir 'grad' (teinte selon |grad|) ou "
                       "color=None (pour l'impression)"),
    "viz.draw_legend": "draw_dot : legend={value!r} doit valoir True ou False",
    "viz.draw_size": ("draw_dot : size={value!r} doit valoir 'cell' (tenir dans une cellule de notebook), "
                      "size=None (taille naturelle) ou une taille Graphviz en pouces comme '12,8'"),
    "viz.max_nodes": "{where} : max_nodes={value!r} doit être un entier positif",
    "viz.too_big": ("draw_dot : le graphe a {count} valeurs, plus que max_nodes={most} ; un diagramme aussi "
                    "grand est illisible. Dessinez moins : un exemple au lieu d'un lot entier (la perte de "
                    "model(X[0])), un neurone (draw_dot(neuron(x))), ou le sous-graphe jusqu'à un nœud "
                    "(draw_dot(node)) ; ou passez max_nodes={count} si vous voulez vraiment tout"),
    "viz.too_big_player": ("to_html : le graphe a {count} valeurs, plus que les {most} du lecteur ; un "
                           "lecteur pas à pas de {count} étapes n'est pas lisible. Parcourez moins : un "
                           "exemple (la perte de model(X[0])), un neurone, ou le sous-graphe jusqu'à un "
                           "nœud (to_html(node, ...)) ; ou passez max_nodes={count} pour essayer quand même"),
    "viz.explain_nodes": ("explain(root, wrt) : la racine root et la variable wrt doivent être des nœuds "
                          "du graphe (microgradfr.Value), par exemple explain(L, w1)"),
    "viz.explain_scalar": ("explain : écrit pour les graphes de scalaires (microgradfr.Value) ; pour un "
                           "Tensor, expliquez une entrée"),
    # slides and step images (viz/beamer.py, viz/steps_images.py, viz/output.py)
    "viz.slides_steps": "{where} : steps={value!r} doit être l'un de {choices}",
    "viz.slides_tex": "to_beamer : {name!r} doit se terminer par .tex (un fichier LaTeX)",
    "viz.slides_no_folder": "{where} : le dossier {folder!r} n'existe pas ; créez-le d'abord",
    "viz.slides_format": "render_steps : fmt={value!r} doit être l'un de {choices}",
    "viz.slides_is_file": "render_steps : {folder!r} est un fichier, pas un dossier",
    "viz.slides_could_not": "render_steps : {name} n'a pas pu dessiner une étape : {detail}",
    "viz.slides_no_pillow": ("render_steps : l'animation GIF a besoin de Pillow (pip install "
                             "microgradfr[slides]) ; les images sont écrites, le GIF ne l'est pas"),
    "viz.tikz_dpi": ("render : dpi={dpi} règle la résolution d'un .png ; {name} est une image TikZ, nette à "
                     "toute taille"),
    "viz.tikz_from_node": ("render : une image .tex se dessine à partir d'un nœud (render(L, 'graphe.tex')), "
                           "pas d'un diagramme déjà fait par draw_dot"),
    # drawing to a file (viz/rendering.py)
    "viz.renderer_choice": "renderer={value!r} : choisissez parmi {choices}",
    "viz.render_failed": "render : {name} ({path}) a échoué : {error}",
    "viz.render_could_not": "render : {name} n'a pas pu dessiner ce graphe en {fmt} : {detail}",
    "viz.no_output": "aucune sortie",
    "viz.no_pdf": ("render : un .pdf demande le programme Graphviz du système, `dot` (apt-get install "
                   "graphviz, brew install graphviz, ou https://graphviz.org/download/) ; graphviz-pure, "
                   "fourni, n'écrit que .svg et .png : écrivez graphe.svg (ou .png) à la place, ou "
                   "convertissez le SVG"),
    "viz.no_renderer": ("render : aucun programme Graphviz pour .{fmt} : ni `dot` (Graphviz du système) ni "
                        "`graphviz-pure` (pip install graphviz-pure) n'est installé"),
    "viz.dot_instead": ("{reason} ; le texte DOT est écrit dans {path} à la place (collez-le dans "
                        "n'importe quel lecteur Graphviz)"),
    "viz.render_format": ("render : impossible de deviner le format de {name!r} ; terminez le nom du "
                          "fichier par l'une de {formats}"),
    "viz.render_no_folder": "render : le dossier {folder!r} n'existe pas ; créez-le d'abord",
    "viz.render_dpi_not_png": ("render : dpi={dpi} règle la résolution d'un .png ; {name} n'en est pas un "
                               "(un SVG ou un PDF est net à toute taille)"),
    "viz.render_dpi_range": ("render : dpi={dpi!r} doit être un entier entre 10 et 1200 (96 pour l'écran, "
                             "300 pour imprimer)"),
    "viz.render_options": ("render : les options {options} servent à dessiner un nœud ; ceci est déjà un "
                           "diagramme (donnez-les plutôt à draw_dot)"),
    # slides and pictures for LaTeX (viz/beamer.py): the fields are LaTeX, the words are escaped
    "slides.file_step": "etape",  # render_steps' images: etape_01.png …
    "slides.file_texts": "etapes.txt",
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
    "perceptron.not_converged": ("Le perceptron n'a pas convergé : il fait encore {errors} erreur(s) à "
                                 "l'époque {epochs}. Les classes ne sont sans doute pas linéairement "
                                 "séparables (comme XOR) : aucune droite w·x + b = seuil ne les met de part "
                                 "et d'autre. Un perceptron ne peut pas l'apprendre ; donnez plus d'époques "
                                 "si les données sont séparables, sinon prenez un réseau à plusieurs "
                                 "couches."),
    "testing.grad": ("∂{root}/∂{name} : le moteur trouve {got}, la dérivation à la main donne {expected} "
                     "(écart {diff:.3g})"),
    "testing.hint": ("Pour voir d'où vient la valeur du moteur, étape par étape : viz.explain({root}, "
                     "{name}) ({root} : l'expression testée)"),
    "testing.differ": ("gradcheck : {count} gradient(s) diffèrent des différences centrées (atol={atol}, "
                       "rtol={rtol}) :"),
    "testing.row": ("  {name}{index} : backward {got:>24}  différences centrées {numeric:>24}  écart "
                    "{diff:.3g}"),
    "testing.count": ("assert_grad : {nodes} variable(s) mais {wanted} valeur(s) attendue(s) ; donnez une "
                      "valeur par variable"),
    "testing.input": "entrée {i}",
    # testing/diagnosis.py's sentences
    "testing.diag.ok": "Tous les gradients sont justes ({count} vérifiés).",
    "testing.diag.summary": ("{wrong} gradient(s) faux sur {count} : {names}. Le premier écart, dans "
                             "l'ordre de backward(), est à {first}."),
    "testing.diag.head": "{d} : vous avez {answer}, la bonne valeur est {correct}.",
    "testing.diag.seed": "{d} vaut toujours 1 : c'est la graine de la passe arrière ({name}.grad = 1).",
    "testing.diag.missing_path.0": "Il manque {via} : il apporte {contribution}.",
    "testing.diag.missing_path.1": "Il manque {via} : ils apportent {contribution}.",
    "testing.diag.last_contribution_only": ("Seule la dernière contribution est restée ({contribution}, par "
                                            "{via}) : {name}.grad a été remplacé (=) au lieu d'être "
                                            "augmenté (+=) ; il manque {rest}."),
    "testing.diag.local_only": ("C'est la dérivée locale seule ({local}) : il faut la multiplier par le "
                                "gradient venu d'en haut, {up}."),
    "testing.diag.upstream_only": ("C'est le gradient venu d'en haut seul ({up}) : il manque le facteur "
                                   "local {local}."),
    "testing.diag.sign": "Le signe est inversé : revoyez les signes moins ({local}).",
    "testing.diag.sign_one": "Le signe de la contribution par {via} est inversé : {local}.",
    "testing.diag.factor": "C'est {ratio} la bonne valeur : revoyez les facteurs 2 ({local}).",
    "testing.diag.factor_one": "La contribution par {via} est comptée {ratio_one} : {local}.",
    "testing.diag.ratio/2": "le double de",
    "testing.diag.ratio/0.5": "la moitié de",
    "testing.diag.ratio_one/2": "deux fois",
    "testing.diag.ratio_one/0.5": "à moitié",
    "testing.diag.input_for_output": ("La dérivée de {op} a été écrite avec l'entrée {input} au lieu de la "
                                      "sortie {output} : {wrong} au lieu de {right}."),
    "testing.diag.output_for_input": ("La dérivée de {op} a été prise en la sortie {output} au lieu de "
                                      "l'entrée {input} : {wrong} au lieu de {right}."),
    "testing.diag.stale_accumulation": ("C'est {n} fois la bonne valeur : backward() a été appelé {n} fois, "
                                        "et le gradient d'une feuille s'ajoute d'un appel à l'autre. "
                                        "Remettez {name}.grad = 0 (zero_grad()) avant chaque backward()."),
    "testing.diag.inherited": ("Votre calcul à {name} est juste, mais il part de {up} = {up_answer} au lieu "
                               "de {up_correct} : corrigez d'abord {origin}."),
    "testing.diag.unknown": ("Aucune erreur classique (chemin oublié, = au lieu de +=, dérivée locale "
                             "seule, signe, facteur 2…) ne donne cette valeur : refaites ce calcul pas à "
                             "pas."),
    "testing.diag.unfilled": "Ce gradient vaut 0 : a-t-il été calculé ?",
    "testing.diag.tie": ("Cette valeur est aussi celle que donne {others} : ici, ces erreurs donnent le "
                         "même nombre."),
    "testing.diag.or": " ou ",
    "testing.diag.more": ("… et {more} autre(s) : report.paragraph(nom) pour chacun, report.wrong pour la "
                          "liste."),
    "testing.diag.short/missing_path": "un chemin oublié",
    "testing.diag.short/last_contribution_only": "= au lieu de +=",
    "testing.diag.short/local_only": "la dérivée locale seule",
    "testing.diag.short/upstream_only": "le gradient d'en haut seul",
    "testing.diag.short/sign": "un signe inversé",
    "testing.diag.short/factor": "un facteur 2 ou ½",
    "testing.diag.short/input_for_output": "l'entrée au lieu de la sortie",
    "testing.diag.short/stale_accumulation": "un gradient resté d'un backward() précédent",
    "testing.diag.chain": "Règle de la chaîne : {line}",
    "testing.diag.redo": "À recalculer : {first}.",
    "testing.diag.redo_more": "À recalculer : {first}, puis ce qui en dépend ({more}).",
    "testing.diag.path_one": "le chemin {path}",
    "testing.diag.path_many": "les chemins {paths}",
    "testing.diag.through": "les {count} chemins qui passent par {edge}",
    "testing.diag.and": " et ",
    "testing.diag.colon": " : ",
    "testing.diag.unknown_name": ("check_grads : aucun nœud ne s'appelle {name!r} ; les noms du graphe sont "
                                  ": {names}"),
    "testing.diag.not_a_number": "check_grads : la réponse pour {name} doit être un nombre, pas {value!r}",
    "testing.diag.constant": ("check_grads : {name} est une constante de l'expression, sans gradient ; "
                              "donnez les réponses des variables et des nœuds calculés"),
    "testing.diag.scalar_only": ("check_grads : écrit pour les graphes de scalaires (microgradfr.Value) ; "
                                 "pour un Tensor, vérifiez une entrée à la fois"),
    "testing.diag.not_a_node": ("check_grads(root, answers) : la racine root doit être un nœud du graphe "
                                "(microgradfr.Value), pas {kind}"),
    "testing.diag.no_viz": "report.draw() dessine avec viz : faites d'abord « import viz »",
    # testing/local_check.py's sentences
    "testing.local.text": ("{name} = {op}(…) : la dérivée locale enregistrée ∂{name}/∂{input} vaut "
                           "{recorded:.6g}, les différences centrées donnent {numerical:.6g} (entrée n° "
                           "{index})"),
    # viz/code.py's sentences
    "viz.code.title": "Rétropropagation de {root}, étape par étape (écrite par viz.backward_code)",
    "viz.code.leaves": "Les feuilles",
    "viz.code.forward": "Passe avant",
    "viz.code.backward": "Passe arrière, dans l'ordre de backward()",
    "viz.code.seed": "la graine : ∂{root}/∂{root} = 1",
    "viz.code.again": "{name} sert plusieurs fois : on ajoute (+=)",
    "viz.code.blank": "à compléter : {rule}",
    "viz.code.number": "la formule ne vaut pas en ce point : valeur du moteur",
    "viz.code.no_python": "formule sans forme Python : valeur du moteur",
    # viz/report.py's sentences
    "viz.report.yours": "vous : {value}",
    "viz.report.first": "premier écart",
    "viz.report.legend": ("contour rouge : gradient faux · orange : le premier écart (dans l'ordre de "
                          "backward())"),
    # viz/dot.py's sentences
    "viz.check_legend.text": ("contour violet : dérivée locale fausse (différences centrées, "
                              "check_local_derivatives)"),
    # this module's own error
    "i18n.unknown": "lang={value!r} : langue inconnue ; choisissez parmi {choices}",
    "i18n.bad_env": "{var}={value!r} : langue inconnue, le français est utilisé ; choisissez parmi {choices}",
    # nn-parity: PyTorch's losses, ModuleList, Parameter, and the scalar modules' refusals (microgradfr.nn)
    "nn.no_forward": ("{module} ne définit pas forward() ; écrivez forward(self, x), qui renvoie la sortie "
                      "du module (un conteneur comme ModuleList n'en a pas : appelez ses modules dans le "
                      "forward() du modèle)"),
    "nn.state_dict_type": ("{owner} : il faut un dict nom -> tableau (celui de model.state_dict()), pas un "
                           "{type}"),
    "nn.reduction": ("{loss} : reduction={value!r} n'est pas une réduction possible ; choisissez parmi "
                     "{choices}"),
    "nn.weight_shape": ("{loss} : des poids (weight) de forme {weight} ne se diffusent pas à la forme "
                        "{input} de l'entrée ; donnez-les de forme {input}, ou d'une forme qui s'y diffuse"),
    "nn.target_shape": ("{loss} : la cible a la forme {target} mais l'entrée la forme {input} ; elles "
                        "doivent être identiques (remettez l'une en forme avec reshape)"),
    "nn.class_input": ("{loss} : l'entrée doit être de forme (N, C), un lot de N exemples à C classes, "
                       "pas {shape}"),
    "nn.class_target": ("{loss} : la cible doit être {n} indices de classe (des entiers, forme ({n},)), "
                        "pas la forme {shape} de type {dtype}"),
    "nn.class_range": ("{loss} : la classe {value} est hors de 0..{last} ; une cible est une classe de 0 à "
                       "{last}, ou ignore_index = {ignore_index} pour un exemple à laisser de côté"),
    "nn.class_weight": ("{loss} : weight donne un poids par classe, il en faut {classes} (forme "
                        "({classes},)), pas la forme {shape}"),
    "nn.implicit_dim": ("{layer} sans dim : l'axe {dim} est choisi comme le fait PyTorch, qui le "
                        "déconseille ; écrivez {layer}(dim={dim})"),
    "nn.modulelist_item": ("ModuleList {method} : un {type} n'est pas un module ; une ModuleList ne contient "
                           "que des modules (Linear, ReLU, … : des Module)"),
    "nn.modulelist_index_type": ("ModuleList {method} : l'indice doit être un entier (ou une tranche), pas "
                                 "un {type}"),
    "nn.modulelist_index": ("ModuleList {method} : l'indice {index} est hors limites pour {length} modules "
                            "(de 0 à {length} − 1, ou négatif depuis la fin)"),
    "nn.modulelist_iterable": ("ModuleList : il faut une liste de modules, pas un {type} ; mettez un module "
                               "seul dans une liste : ModuleList([module])"),
    "nn.activation": "activation={value!r} ne fait pas partie de {choices}",
    "nn.neuron_nin": "Neuron(nin={value!r}) : nin est le nombre d'entrées, un entier positif",
    "nn.neuron_inputs": "Neuron : {got} entrées reçues, il en faut {expected} (nin)",
    "nn.layer_nout": ("{layer}(nout={value!r}) : nout est le nombre de neurones de la couche, un entier "
                      "positif"),
    "nn.mlp_activations": ("MLP : la couche {index} mélange les activations {names} ; son équivalent PyTorch "
                           "(Linear puis une couche d'activation) n'en veut qu'une par couche"),
    "nn.state_source": "l'état",
    "nn.state_does_not_fit": "{owner} : l'état ne convient pas à ce {model} :",
    "nn.state_missing": "absent de {source} : {names}",
    "nn.state_unexpected": "dans {source} mais pas dans le modèle : {names}",
    "nn.state_more": " … et {count} de plus",
    "nn.state_complex": ("{name} contient des nombres complexes ({dtype}) ; les valeurs du modèle sont "
                         "réelles"),
    "nn.state_bool": "{name} contient des valeurs True/False (bool), pas des nombres",
    "nn.state_kind": "{name} contient des données {dtype}, pas des nombres",
    "nn.state_shape": "{name} a la forme {shape} dans {source}, {expected} dans le modèle{hint}",
    "nn.state_transposed": " ; il semble transposé",
    "nn.state_hint_linear": "(out_features, in_features), comme dans PyTorch",
    "nn.state_hint_conv": "(out_channels, in_channels, kh, kw), comme dans PyTorch",
    "nn.state_hint_rows": "(out_features, in_features) : une ligne par neurone",
    "nn.state_nan": "NaN",
    "nn.state_inf": "une valeur infinie",
    "nn.state_nonfinite": ("{name} contient {what} ({count} valeurs sur {size}) : le modèle enregistré avait "
                           "divergé ; prenez un état antérieur"),
    "nn.state_lossy": ("{name} contient des valeurs {dtype} que le {target} du modèle ne peut pas "
                       "représenter exactement ; convertissez-les vous-même (.astype('{target}')) si "
                       "l'arrondi convient"),
    "nn.state_low": "{name} contient {value}, sous sa plus petite valeur possible {low}",
    # tensor-parity: the Tensor's and functional's own errors (tensor.py, functional.py, cat/stack domains)
    "tensor.not_numbers": ("Tensor(data) prend des nombres, des listes de nombres ou des tableaux, pas un "
                           "objet {type}"),
    "tensor.already_tensor": "Tensor(data) : data est déjà un Tensor ; utilisez-le tel quel, ou t.detach()",
    "tensor.needs_floats": ("requires_grad=True demande des nombres à virgule (float), or le type est "
                            "{dtype} ; donnez dtype=np.float64 ou des nombres comme 1.0"),
    "tensor.item_not_one": "item() : le tenseur a {count} entrées (forme {shape}), pas une seule",
    "tensor.bool_ambiguous": ("la valeur de vérité d'un tenseur de {count} entrées (forme {shape}) est "
                              "ambiguë ; écrivez t.any() ou t.all()"),
    "tensor.backward_no_grad": ("backward() : ce tenseur ne dépend d'aucun tenseur créé avec "
                                "requires_grad=True, il n'y a donc rien à dériver ; créez les paramètres "
                                "avec Tensor(..., requires_grad=True), et calculez le résultat hors de tout "
                                "bloc no_grad()"),
    "tensor.backward_not_scalar": ("backward() : la racine a la forme {shape}, ce n'est pas un seul nombre "
                                   "; réduisez-la d'abord (L = out.sum() ou .mean()) ou passez grad=, un "
                                   "tableau de cette forme"),
    "tensor.backward_grad_shape": ("backward(grad) : grad a la forme {grad_shape}, la racine a la forme "
                                   "{shape}"),
    "tensor.no_gradient": "{op} : l'entrée {input} n'a pas de gradient",
    "tensor.axis_range": ("l'axe {axis} n'existe pas pour un tenseur de forme {shape} ; les axes vont de 0 "
                          "à ndim − 1 (ou de −ndim à −1)"),
    "tensor.dim_range": ("{function} : dim={dim} est hors des bornes pour un tenseur de forme {shape} ; "
                         "choisissez dim entre {low} et {high}"),
    "tensor.no_axes": ("{function} : dim={dim} n'existe pas, le tenseur n'a aucun axe (un seul nombre) ; "
                       "appelez {function}() sans dim"),
    "tensor.reshape": ("reshape : impossible de passer de la forme {shape} ({count} entrées) à {target} : "
                       "{reason}"),
    "tensor.reshape_two_unknown": "un seul axe peut valoir −1",
    "tensor.reshape_not_multiple": "{size} n'est pas un multiple de {known}",
    "tensor.reshape_count": "cette forme contient {known} entrées",
    "tensor.permute_axes": ("permute : les axes {axes} ne sont pas une permutation des {ndim} axes de "
                            "la forme {shape} ; pour échanger deux axes, utilisez transpose(a, b)"),
    "tensor.mm_not_2d": ("mm : il faut deux matrices (2 axes chacune), or les formes sont {x} et {y} ; "
                         "utilisez matmul (ou @) pour les vecteurs et les lots de matrices"),
    "tensor.clamp_none": "clamp : donnez au moins une borne, min= ou max= (les deux manquent)",
    "tensor.requires_grad_non_leaf": ("requires_grad_(False) : seul requires_grad d'une feuille peut "
                                      "changer ; pour couper le graphe ici, utilisez t.detach()"),
    "tensor.zero_in_graph": ("zero_() : ce tenseur demande un gradient (requires_grad=True), le modifier "
                             "sur place fausserait la passe arrière ; faites-le dans un bloc no_grad()"),
    "tensor.bad_shape": ("{function} : la forme {shape} doit être faite d'entiers ≥ 0, donnés un par un "
                         "({function}(2, 3)) ou en tuple ({function}((2, 3)))"),
    "tensor.arange_step": "arange : step=0 est impossible (la suite n'avancerait jamais)",
    "tensor.randint_args": ("randint{args} : écrivez randint(high, size) ou randint(low, high, size), "
                            "avec des entiers low < high et une forme size en tuple, par exemple "
                            "randint(0, 27, (32,))"),
    "tensor.multinomial_weights": ("multinomial : il faut des poids ≥ 0 finis, de somme > 0 sur chaque "
                                   "ligne, en une ligne ou une matrice ; la forme reçue est {shape}"),
    "tensor.multinomial_too_many": ("multinomial : {n} tirages sans remise, or seuls {available} poids sont "
                                    "non nuls ; passez replacement=True ou tirez-en moins"),
    "tensor.linspace_steps": "linspace : steps={steps!r} doit être un entier ≥ 0 (le nombre de points)",
    "tensor.not_a_sequence": ("{function} : il faut une liste ou un tuple de tenseurs, pas un objet {type} "
                              "; écrivez {function}([a, b])"),
    "tensor.cat_empty": "{op} : il faut au moins un tenseur, la liste est vide",
    "tensor.cat_zero_dim": ("{op} : un tenseur à 0 axe (un seul nombre) ne se met pas bout à bout (formes "
                            "{shapes}) ; utilisez stack, ou t.reshape(1)"),
    "tensor.cat_shapes": ("{op} : les formes {shapes} doivent être égales sauf le long de l'axe {k} ; "
                          "vérifiez dim ou remettez les tenseurs en forme"),
    "tensor.stack_shapes": ("{op} : les {count} tenseurs doivent avoir la même forme, or leurs formes sont "
                            "{shapes}"),
    "functional.pair": ("{name}={value!r} doit être un entier ≥ {least} ou une paire de tels entiers "
                        "(hauteur, largeur)"),
    "functional.same_stride": ("conv2d : padding='same' demande stride 1 (stride vaut {stride}), comme "
                               "PyTorch ; donnez le padding en nombres"),
    "functional.same_even": ("conv2d : padding='same' avec le noyau pair {kh}×{kw} demanderait plus de "
                             "padding d'un côté que de l'autre, ce que microgradfr ne fait pas ; prenez un "
                             "noyau impair ou donnez le padding en nombres"),
    "functional.dropout_p": "dropout : p={p!r} est une probabilité, elle doit être dans [0, 1]",
    "functional.batch_norm_shape": ("batch_norm : l'entrée doit être (N, C) ou (N, C, ...), or sa forme est "
                                    "{shape}"),
    "functional.batch_norm_one": ("batch_norm : l'entraînement demande plus d'une valeur par canal, or "
                                  "l'entrée a la forme {shape} ; prenez un lot plus grand ou passez en "
                                  "eval()"),
    "functional.batch_norm_running": "batch_norm : l'évaluation demande running_mean et running_var",
    "functional.batch_norm_affine": ("batch_norm : donnez à la fois weight et bias (les poids et les "
                                     "biais), ou aucun des deux"),
    "functional.reduction": "{name} : reduction={reduction!r} doit être l'une de {choices}",
    "functional.same_shape": ("{name} : l'entrée a la forme {input} mais la cible a la forme {target} ; "
                              "elles doivent être égales (remettez l'une des deux en forme)"),
    "functional.bce_outside": ("binary_cross_entropy : l'entrée doit contenir des probabilités dans [0, 1], "
                               "or {count} entrées sont en dehors (par exemple {example!r}) ; appliquez "
                               "d'abord .sigmoid(), ou prenez binary_cross_entropy_with_logits"),
    "functional.logits_shape": "{name} : l'entrée doit être de forme (N, C), {what}, or sa forme est {shape}",
    "functional.class_targets": ("{name} : la cible doit être {n} indices de classes (des entiers, de forme "
                                 "({n},)), or sa forme est {shape} et son type {dtype}"),
    "functional.class_range": ("{name} : les indices de classes doivent être entre 0 et {last}, or ils vont "
                               "de {low} à {high}"),
    "functional.logits": "des logits",
    "functional.log_probabilities": "des log-probabilités (log_softmax)",
    "functional.hinge_labels": ("hinge_loss : la cible doit contenir des étiquettes −1 ou +1 (passez de 0/1 "
                                "par 2·y − 1)"),
    "functional.one_hot_ints": ("one_hot : il faut des indices de classes entiers, or le type est {dtype} ; "
                                "convertissez-les d'abord"),
    "functional.one_hot_range": ("one_hot : les indices vont de {low} à {high}, ils doivent être entre 0 et "
                                 "num_classes − 1 = {last}"),
    # the library's refusals, once English only (task i18n-errors): optim, checkpoint, custom, perceptron,
    # data, bridge, engine
    "optim.params_single": ("{owner} : params doit être un itérable de paramètres, pas un seul {type} : "
                            "mettez-le dans une liste, [p]"),
    "optim.params_model": "{owner} : params a reçu le modèle {type} lui-même ; passez model.parameters()",
    "optim.params_not_iterable": ("{owner} : params doit être un itérable de paramètres (par exemple "
                                  "model.parameters()), pas {type} : {value}"),
    "optim.params_empty": ("{owner} : params est une liste vide : il n'y a rien à optimiser (le modèle "
                           "a-t-il été construit ? un générateur a-t-il déjà été parcouru ?)"),
    "optim.param_not_node": ("{owner} : params[{index}] est un {type} ({value}), ni une microgradfr.Value "
                             "ni un Tensor ; un optimiseur ne met à jour que des paramètres "
                             "(model.parameters())"),
    "optim.param_twice": ("{owner} : params[{index}] est le même paramètre que params[{first}] ; chaque "
                          "paramètre doit figurer une seule fois, sinon il serait mis à jour deux fois"),
    "optim.not_a_number": "{owner} : {name}={value!r} doit être un nombre",
    "optim.out_of_range": "{owner} : {name}={value!r} doit être dans l'intervalle {interval}",
    "optim.group_no_params": "{owner} : le groupe de paramètres {group} n'a pas de clé 'params'",
    "optim.group_unknown_keys": ("{owner} : le groupe de paramètres {group} a des clés inconnues "
                                 "{unknown} ; clés connues : {known}"),
    "optim.group_overlap": "{owner} : un paramètre figure dans plus d'un groupe de paramètres",
    "optim.no_update": "{cls} doit définir la méthode _update(p, g, state, group)",
    "optim.load_not_state": ("{owner} : il faut un dict de clés 'state' et 'param_groups' (celui que "
                             "renvoie optimizer.state_dict()), pas {value}"),
    "optim.load_groups": ("{owner} : l'optimiseur sauvegardé a {saved} groupe(s) de paramètres, celui-ci "
                          "en a {here}"),
    "optim.load_group_size": ("{owner} : le groupe {group} contient {saved} paramètre(s) dans l'état "
                              "sauvegardé, mais {here} ici"),
    "optim.load_hyperparameters": ("{owner} : le groupe {group} a les hyperparamètres {keys}, {cls} attend "
                                   "{expected}"),
    "optim.load_unknown_param": ("{owner} : l'état sauvegardé nomme le paramètre {index}, qu'aucun groupe "
                                 "ne contient"),
    "optim.load_buffer_shape": ("{owner} : le tampon {name!r} du paramètre {index} est de forme {shape}, "
                                "le paramètre est de forme {expected}"),
    "optim.nesterov": ("SGD : nesterov=True demande momentum > 0 et dampening = 0, or "
                       "momentum={momentum!r}, dampening={dampening!r}"),
    "optim.betas": "{owner} : betas={betas!r} doit être une paire (beta1, beta2), par exemple (0.9, 0.999)",
    "optim.clip_not_node": "{fn} : params[{index}] est un {type}, ni une microgradfr.Value ni un Tensor",
    "optim.norm_type": "clip_grad_norm_ : norm_type={value!r} doit être > 0 (2.0, 1.0, float('inf'))",
    "optim.scheduler_optimizer": ("{cls} : optimizer doit être un optimiseur de microgradfr.optim, pas un "
                                  "{type}"),
    "optim.step_size": ("StepLR : step_size={value!r} doit être un entier >= 1 (le nombre d'époques entre "
                        "deux baisses du taux d'apprentissage)"),
    "perceptron.lr": "Perceptron : lr={value!r} doit être un nombre > 0 (le cours prend 0.2)",
    "perceptron.threshold": "Perceptron : threshold={value!r} doit être un nombre (le cours prend 0.5)",
    "perceptron.epochs": "Perceptron : epochs={value!r} doit être un entier >= 1 (un nombre d'époques)",
    "perceptron.init": "Perceptron : init={value!r} doit valoir 'zeros' ou 'random'",
    "perceptron.not_fitted": "Perceptron : ce modèle n'est pas encore entraîné : appelez d'abord fit(X, y)",
    "perceptron.features": ("Perceptron : X est de forme {shape}, mais le modèle a été entraîné sur "
                            "{features} caractéristiques : donnez un tableau de forme (n_samples, "
                            "{features})"),
    "perceptron.not_2d": ("Perceptron : X doit être à 2 dimensions (n_samples, n_features), or il est de "
                          "forme {shape}"),
    "perceptron.labels_per_row": ("Perceptron : y doit donner une étiquette par ligne de X : X a {rows} "
                                  "lignes, y est de forme {shape}"),
    "perceptron.empty": "Perceptron : X et y sont vides : il n'y a rien à apprendre",
    "perceptron.labels": ("Perceptron : les étiquettes doivent valoir 0 ou 1, or elles valent {labels} : "
                          "convertissez-les d'abord, par exemple y = (y > 0).astype(int)"),
    "custom.arity": "{name} : attend {arity} entrée(s), en reçoit {given}",
    "custom.bad_name": "define_op : le nom doit être un identifiant comme 'my_sigmoid', or il vaut {name!r}",
    "custom.taken": ("define_op : {name!r} est déjà une opération de la table (microgradfr.ops.OPS) ; "
                     "choisissez un autre nom, par exemple {other!r}"),
    "custom.forward_not_callable": "define_op {name!r} : forward doit être une fonction, pas un {type}",
    "custom.forward_inputs": ("define_op {name!r} : forward doit prendre de 1 à 3 entrées, or elle en "
                              "prend {count}"),
    "custom.forward_failed": ("{name} : forward{inputs} a échoué ({error}) ; forward reçoit des {kind}, "
                              "pas des microgradfr.Value (sur un Tensor, prenez numpy : np.exp, pas "
                              "math.exp)"),
    "custom.kind_arrays": "tableaux numpy",
    "custom.kind_numbers": "nombres ordinaires",
    "custom.derivative_failed": ("{name} : derivative{inputs} a échoué ({error}) ; elle reçoit la ou les "
                                 "entrées puis out, sous forme de nombres (de tableaux sur un Tensor)"),
    "custom.derivative_result": ("{name} : derivative doit renvoyer {wanted} (∂out/∂ chaque entrée), or "
                                 "elle renvoie {result}"),
    "custom.one_number": "un nombre",
    "custom.numbers": "{count} nombres",
    "custom.formulas": "define_op {name!r} : donnez une formule par entrée ({arity}), or il y en a {given}",
    "data.seed": ("{fn} : seed={value!r} n'est pas une graine : donnez seed=None, un entier positif ou "
                  "nul, ou un numpy Generator"),
    "data.int": "{fn} : {name}={value!r} doit être un entier >= {minimum}",
    "data.too_small": "{fn} : {name}={value} est trop petit : il doit valoir au moins {minimum}",
    "data.not_number": "{fn} : {name}={value!r} doit être un nombre >= 0",
    "data.negative_std": "{fn} : {name}={value} doit être >= 0 (c'est un écart type)",
    "data.not_arrays": ("{fn} : X et y doivent être des tableaux avec une ligne par exemple, or leurs "
                        "formes sont {x_shape} et {y_shape}"),
    "data.rows": "{fn} : X a {x_rows} lignes mais y en a {y_rows} : donnez une étiquette par exemple",
    "data.test_size_fraction": ("train_test_split : test_size={value} doit être une fraction strictement "
                                "comprise entre 0 et 1, ou un nombre d'exemples"),
    "data.test_size_type": ("train_test_split : test_size={value!r} doit être une fraction dans (0, 1) ou "
                            "un entier"),
    "data.test_size_parts": ("train_test_split : test_size={value} laisse {n_test} exemples sur {n} pour "
                             "la partie de test et {n_train} pour l'entraînement : chaque partie doit en "
                             "avoir au moins un"),
    "data.kfold": "kfold : k={k} plis demandent au moins {k} exemples, or n_samples={n}",
    "data.circles_factor": ("make_circles : factor={value!r} doit être un nombre dans [0, 1) : le rayon du "
                            "cercle intérieur"),
    "data.blobs_centers": ("make_blobs : centers doit être un nombre de classes ou un tableau de forme "
                           "(n_classes, n_features), or il est de forme {shape}"),
    "data.gate": "logic_gate : name={value!r} n'est pas une porte connue : choisissez parmi {choices}",
    "data.of_images": "d'images",
    "data.of_labels": "d'étiquettes",
    "data.describe_images": "{count} images de {height}×{width}",
    "data.describe_labels": "{count} étiquettes",
    "data.describe_array": "un tableau de forme {shape}",
    "data.idx_short": "{name} : trop court pour un fichier IDX : il ne contient que {size} octets",
    "data.idx_magic_wrong": ("{name} : nombre magique {found} erroné ({magic} attendu pour un fichier IDX "
                             "{kind}) : ce fichier n'est pas celui qu'annonce son nom"),
    "data.idx_magic": ("{name} : le nombre magique {found} n'est pas celui d'un fichier IDX d'octets non "
                       "signés"),
    "data.idx_header": ("{name} : tronqué : l'en-tête IDX à {ndim} dimensions demande {header} octets, le "
                        "fichier n'en contient que {size}"),
    "data.idx_truncated": ("{name} : tronqué : l'en-tête annonce {what} ({expected} octets), le fichier "
                           "n'en contient que {size}"),
    "data.idx_too_long": ("{name} : {extra} octets de trop : l'en-tête annonce {what} ({expected} octets), "
                          "le fichier en contient {size}"),
    "data.gzip": "{name} : fichier gzip incomplet ({error}) : supprimez-le et téléchargez-le à nouveau",
    "data.folder_missing": "le dossier '{folder}' n'existe pas",
    "data.folder_empty": "ni l'un ni l'autre ne se trouve dans '{folder}'",
    "data.not_found": ("load_mnist : aucun fichier {kind} MNIST ({first} ou {second}) : {where}. "
                       "Téléchargez les fichiers avec microgradfr.data.download_mnist('{folder}')."),
    "data.kind": "load_mnist : kind={value!r} doit valoir 'train' ou 'test'",
    "data.image_size": "{name} : les images font {height}×{width}, or les images MNIST font 28×28",
    "data.mismatch": ("{images} contient {n_images} images mais {labels} contient {n_labels} étiquettes : "
                      "les deux fichiers ne vont pas ensemble"),
    "data.checksum_format": ("download_mnist : checksums[{name!r}]={value!r} doit être une empreinte md5 "
                             "(32 chiffres hexadécimaux) ou sha256 (64 chiffres), ou "
                             "checksums={{{name!r}:None}} pour ne pas vérifier"),
    "data.checksum": ("{name} : empreinte incorrecte : {algorithm} {expected} attendue, le fichier donne "
                      "{actual}. Le téléchargement est corrompu ou le serveur a envoyé un autre fichier ; "
                      "rien n'a été gardé. Réessayez, ou prenez un autre miroir avec url=."),
    "data.broken": "{name} : le fichier téléchargé est abîmé, rien n'a été gardé. {error}",
    "data.http": "{name} : le serveur a répondu {code} {reason} pour {url}",
    "data.network": "{name} : impossible de télécharger {url} : {reason}",
    "data.truncated_download": ("{name} : téléchargement tronqué : le serveur a annoncé {total} octets "
                                "mais en a envoyé {received} ; rien n'a été gardé, réessayez"),
    "data.files": "download_mnist : files={value!r} doit être une liste de noms de fichiers comme {names}",
    "data.no_checksum": ("download_mnist : aucune empreinte connue pour {name!r} : passez "
                         "checksums={{{name!r}: '<sha256>'}} (ou checksums={{{name!r}:None}} pour ne pas "
                         "vérifier)"),
    "data.url": ("download_mnist : url={value!r} doit être l'adresse de base d'un miroir, par exemple "
                 "{default!r}"),
    "bridge.needs_torch": ("{function} a besoin de PyTorch, qui n'est pas installé ici. Installez-le avec "
                           "pip install torch==2.13.0 (microgradfr lui-même n'en a jamais besoin)"),
    "bridge.unsupported": ("{function} : {what}{where} n'a pas d'équivalent de l'autre côté{extra} ; pris "
                           "en charge : {supported}. Pour un modèle à vous, construisez-le des deux côtés "
                           "et copiez les poids avec load_state_dict(), dont les noms sont ceux de PyTorch"),
    "bridge.supported": "{layers} et le MLP scalaire",
    "bridge.at": " (à {path!r})",
    "bridge.activation": "l'activation {name!r}",
    "bridge.with_pool": " avec ceil_mode ou return_indices",
    "bridge.with_dilation": " avec dilation={value}",
    "bridge.with_conv": " avec groups, dilation ou un padding_mode autre que zeros",
    "bridge.with_batchnorm": " avec momentum=None ou track_running_stats=False",
    "bridge.with_avgpool": " avec count_include_pad=False ou divisor_override",
    "bridge.to_torch_type": "to_torch : il faut un modèle microgradfr (un Module), pas un {type}",
    "bridge.from_torch_type": "from_torch : il faut un torch.nn.Module, pas un {type}",
    "engine.backward_setter": "{cls}._backward doit être une fonction sans argument, pas {value!r}",
    "engine.no_grad": ("backward() : ce nœud {cls} a été calculé dans un bloc no_grad(), il ne garde donc "
                       "aucune opération et n'a rien à dériver ; calculez-le hors du bloc pour obtenir des "
                       "gradients"),
    "engine.op_name": ("{cls}(data, _children, _op) : _op est le nom de l'opération, une chaîne, pas "
                       "{value!r}"),
    "engine.already_node": ("{cls}(data) : data est déjà un nœud {cls} ; utilisez-le directement (ou "
                            "{cls}(v.data))"),
    "engine.not_number": ("{cls}(data) attend un nombre (int ou float), pas un {type} : {value} ; pour des "
                          "tableaux, prenez microgradfr.Tensor"),
    "engine.children_not_tuple": ("{cls}(data, _children) : _children doit être un tuple de nœuds {cls}, "
                                  "pas {value!r}"),
    "engine.child_not_node": "{cls}(data, _children) : chaque enfant doit être un nœud {cls}, pas {value!r}",
    "engine.linear": ("linear : {weights} poids mais {inputs} entrées ; un neurone a besoin d'un poids par "
                      "entrée"),
    "checkpoint.nonfinite": ("save : {name} contient NaN ou une valeur infinie : l'entraînement a "
                             "divergé ; rien n'a été écrit (baissez le taux d'apprentissage, ou "
                             "sauvegardez un état antérieur)"),
    "checkpoint.save_type": "save : il faut un modèle (un Module) ou un optimiseur, pas un {type}",
    "checkpoint.reserved": ("save : un paramètre s'appelle {names}, un nom que np.savez ne peut pas "
                            "enregistrer ; renommez-le"),
    "checkpoint.damaged": ("load : {path} n'est pas une sauvegarde lisible : le fichier est abîmé, "
                           "tronqué, ou ce n'est pas une archive .npz écrite par save() ({detail})"),
    "checkpoint.pickled": "il contient des objets Python sérialisés par pickle, qui ne sont jamais chargés",
    "checkpoint.no_zip": "aucune archive zip trouvée",
    "checkpoint.member": "élément inattendu {name!r}",
    "checkpoint.npy_version": "format npy de version {version}",
    "checkpoint.header_size": ("{entry} : son en-tête .npy annonce {shape} {dtype}, ce qui ne correspond "
                               "pas aux {size} octets enregistrés"),
    "checkpoint.kind_not_text": "{entry} est {shape} {dtype}, pas un texte court",
    "checkpoint.single_npy": ("load : {path} contient un seul tableau .npy, pas une sauvegarde (une "
                              "archive .npz)"),
    "checkpoint.mismatch_model": "load : {path} ne correspond pas au modèle {model} :\n  {problems}",
    "checkpoint.mismatch_optimizer": ("load : {path} ne correspond pas à cet optimiseur {owner} :\n  "
                                      "{problems}"),
    "checkpoint.of_model": "d'un modèle",
    "checkpoint.of_optimizer": "de l'optimiseur {name}",
    "checkpoint.of_other": "d'un type inconnu, {kind!r}",
    "checkpoint.wrong_kind_model": ("load : {path} est la sauvegarde {kind}, pas celle des paramètres d'un "
                                    "modèle"),
    "checkpoint.wrong_kind_optimizer": ("load : {path} est la sauvegarde {kind}, pas l'état d'un "
                                        "optimiseur {owner}"),
    "checkpoint.bad_key": "load : {path} : clé inattendue {entry!r} dans la sauvegarde d'un optimiseur",
    "checkpoint.group_count": ("load : {path} contient les groupes de paramètres {groups}, cet optimiseur "
                               "{owner} en a {count} (numérotés à partir de 0)"),
    "checkpoint.too_large": ("load : {path} : {entry} contient {shape} {dtype}, plus grand que tout ce que "
                             "garde {owner}"),
    "checkpoint.p_hyperparameters": ("param_groups.{group} : hyperparamètres {names} dans le fichier, "
                                     "{owner} a {expected}"),
    "checkpoint.p_no_parameter": ("state.{index} : le paramètre {index} n'existe pas, {owner} a {count} "
                                  "paramètre(s)"),
    "checkpoint.p_buffers": ("state.{index} : les tampons {names} ne sont pas ceux de {owner} (il garde "
                             "{known})"),
    "checkpoint.p_many_buffers": "state.{index} : {count} tampons, plus que n'en garde aucun optimiseur",
    "checkpoint.p_bool": "{entry} doit valoir True ou False, le fichier contient {value!r} ({dtype})",
    "checkpoint.p_setting": "{entry} doit être {want}, le fichier contient {value!r} ({dtype})",
    "checkpoint.want_pair": "une paire de nombres comme {current!r}",
    "checkpoint.want_number": "un nombre",
    "checkpoint.p_finite": "{entry} = {value!r} doit être fini",
    "checkpoint.p_params_list": ("param_groups.{group}.params doit donner {count} numéros de paramètres, "
                                 "le fichier contient {dtype} de forme {shape}"),
    "checkpoint.p_params_order": ("param_groups.*.params numérote les paramètres {seen}, pas 0…{last} une "
                                  "fois chacun"),
    "checkpoint.p_step_kind": ("{entry} doit être un nombre entier ≥ 0 (les pas effectués), le fichier "
                               "contient {dtype} de forme {shape}"),
    "checkpoint.p_step_value": "{entry} = {value!r} doit être un nombre entier ≥ 0 (les pas effectués)",
    "checkpoint.p_buffer_shape": "{entry} est de forme {shape}, son paramètre est de forme {expected}",
    "checkpoint.p_complete": "state.{index} contient {names} ; avec ces réglages, {owner} garde {wanted}",
    "checkpoint.path_first": ("load(model, path) : donnez d'abord le modèle (ou l'optimiseur) à remplir, "
                              "puis le fichier, par exemple load(model, {path!r})"),
    "checkpoint.path_missing": "load(model, path) : il manque le chemin du fichier à lire",
    "checkpoint.in_file": "load : {path} : {error}",
    "checkpoint.load_type": "load : il faut un modèle (un Module) ou un optimiseur, pas un {type}",
    # shape-i18n: the whole-array domains' shape rules (domains/arrays.py), grad mode, gradcheck, and the
    # words checkpoint.py gives nn/state.py's problem lines
    "domain.matmul_no_axis": ("{op} : les deux opérandes doivent avoir au moins un axe, or les formes sont "
                              "{x.shape} @ {y.shape} ; utilisez * pour multiplier par un nombre"),
    "domain.matmul_shapes": ("{op} : les formes {x.shape} @ {y.shape} ne s'accordent pas : {last} != {inner} "
                             "(le dernier axe de l'opérande de gauche doit égaler l'avant-dernier de celui "
                             "de droite ; faut-il transposer l'un des deux ?)"),
    "domain.linear_in_features": ("{op} : l'entrée de forme {x.shape} ne convient pas aux poids de forme "
                                  "{w.shape} (out_features, in_features) : son dernier axe doit valoir "
                                  "{in_features}"),
    "domain.conv2d_rank": ("{op} : l'entrée doit être de forme (N, C, H, W) et les poids de forme (F, C, kh, "
                           "kw), or les formes sont {x.shape} et {w.shape} ; ajoutez un axe de lot avec "
                           "x.reshape(1, *x.shape)"),
    "domain.conv2d_channels": ("{op} : l'entrée a {x.shape[1]} canaux (forme {x.shape}) mais les poids en "
                               "attendent {w.shape[1]} (forme {w.shape})"),
    "domain.conv2d_kernel": ("{op} : le noyau {w.shape[2]}×{w.shape[3]} est plus grand que l'entrée "
                             "complétée {hp}×{wp} (forme d'entrée {x.shape}, padding {padding}) ; prenez un "
                             "noyau plus petit, plus de padding ou une image plus grande"),
    "domain.conv2d_bias": ("{op} : le biais a la forme {b.shape}, il doit être de forme ({w.shape[0]},) : "
                           "un par filtre"),
    "domain.pool_rank": "{op} : l'entrée doit être de forme (N, C, H, W), pas {x.shape}",
    "domain.pool_padding": ("{op} : le padding {padding} dépasse la moitié de la fenêtre {window} ; comme "
                            "dans PyTorch, prenez padding ≤ {half} pour que chaque fenêtre contienne une "
                            "vraie entrée"),
    "domain.pool_window": ("{op} : la fenêtre {window} est plus grande que l'entrée complétée {hp}×{wp} "
                           "(forme {x.shape}, padding {padding}) ; prenez un kernel_size plus petit"),
    "autograd.set_grad_enabled_mode": "set_grad_enabled(mode) : mode doit valoir True ou False, pas {mode!r}",
    "testing.not_scalar": ("gradcheck : f doit renvoyer un seul nombre, or sa sortie a la forme {shape} ; "
                           "réduisez-la d'abord, par exemple avec .sum()"),
    "checkpoint.source_file": "ce fichier",
    # torch-functions (microgradfr.functions: torch.exp, torch.where…; microgradfr.utils.data)
    "torchfn.not_a_tensor": ("{function} : il faut un Tensor, pas un {type} ; faites-en un d'abord avec "
                             "torch.tensor(...)"),
    "torchfn.max_other": ("{function}(input, other) entrée par entrée n'existe pas ici ; écrivez "
                          "torch.where(input {sign} other, input, other), ou donnez un axe : "
                          "{function}(input, dim=1)"),
    "torchfn.where_side": ("where : input et other doivent être des Tensor ou des nombres, pas un {type} ; "
                           "faites-en un avec torch.tensor(...)"),
    "torchfn.where_condition": ("where : la condition doit être un Tensor de booléens, pas de {dtype} ; "
                                "écrivez une comparaison, par exemple x > 0"),
    "torchfn.where_args": ("where : donnez à la fois input et other, where(condition, input, other), ou "
                           "aucun des deux, where(condition), pour les indices des entrées vraies"),
    "torchfn.where_shapes": ("where : les formes {condition} (condition), {input} (input) et {other} "
                             "(other) ne se diffusent pas ensemble ; sur chaque axe, les tailles doivent "
                             "être égales ou valoir 1"),
    "torchfn.from_numpy_type": ("from_numpy : il faut un tableau numpy (np.ndarray), pas un {type} ; pour "
                                "une liste, écrivez torch.tensor(...)"),
    "utils.data.no_getitem": ("{type} : un Dataset doit définir __getitem__(self, index), qui rend "
                              "l'exemple numéro index"),
    "utils.data.no_len": "{type} : un Dataset doit définir __len__(self), qui rend le nombre d'exemples",
    "utils.data.no_tensors": ("TensorDataset : donnez au moins un Tensor, par exemple "
                              "TensorDataset(X, y)"),
    "utils.data.not_a_tensor": ("TensorDataset : l'argument {index} est un {type}, pas un Tensor ; "
                                "faites-en un avec torch.tensor(...) ou torch.from_numpy(...)"),
    "utils.data.zero_dim": ("TensorDataset : le Tensor {index} est un seul nombre, sans axe 0 à "
                            "parcourir ; il faut un exemple par ligne"),
    "utils.data.size_mismatch": ("TensorDataset : les Tensor n'ont pas le même nombre d'exemples sur "
                                 "l'axe 0, {lengths} (formes {shapes}) ; il faut une étiquette par exemple"),
    "utils.data.collate_type": ("DataLoader : impossible de mettre en lot des exemples de type {type} ; "
                                "un exemple doit être fait de Tensor, de tableaux numpy, de nombres, "
                                "de tuples ou de dict"),
    "utils.data.generator": ("{function} : generator doit être un microgradfr.Generator (ou un "
                             "np.random.Generator), pas un {type} ; sans generator, l'ordre tiré suit "
                             "manual_seed"),
    "utils.data.not_a_dataset": ("DataLoader : il faut un jeu de données (un objet avec __getitem__ et "
                                 "__len__, comme TensorDataset(X, y)), pas un {type}"),
    "utils.data.batch_size": ("DataLoader : batch_size doit être un entier ≥ 1 (la taille d'un lot), pas "
                              "{batch_size!r}"),
    "utils.data.split_fraction": ("random_split : la fraction numéro {index}, {fraction}, n'est pas entre "
                                  "0 et 1"),
    "utils.data.split_lengths": ("random_split : les longueurs {lengths} ne font pas en tout {total}, "
                                 "le nombre d'exemples du jeu de données ; donnez des entiers de somme "
                                 "{total} ou des fractions de somme 1"),
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
    "fit.desc": "training {epoch}/{epochs}",
    "fit.unit": "batch",
    "fit.nonfinite": ("fit: the loss became {value} at epoch {epoch}: lower the learning rate (lr={lr}) "
                      "or clip gradients (clip_grad_norm_)"),
    "fit.bad_int": "fit: {name}={value!r} must be an integer >= {minimum}",
    "fit.unknown_metric": ("fit: metric {metric!r} is unknown; use one of {choices} or a function "
                           "f(predictions, targets) -> float"),
    "fit.not_a_pair": "fit: {name} must be a pair (X, y) of inputs and targets, got {type}",
    "fit.lengths": "fit: {name} has {inputs} inputs but {targets} targets; they must match one to one",
    "fit.empty": "fit: {name} is empty",
    "fit.bad_callback": ("fit: callbacks[{index}] is a {type}, not a Callback, a learning-rate scheduler or "
                         "a function f(epoch, logs)"),
    "fit.no_parameters": "fit: the model {model} has no parameters to train",
    "fit.loss_not_node": ("fit: loss_fn must return a Value or a Tensor (a graph node to call backward on), "
                          "got {type}: {value}"),
    "fit.loss_not_scalar": ("fit: loss_fn must return a single number, the loss (reduce the batch with a "
                            "mean), got an array of shape {shape}"),
    "history.missing": "History has no {name!r}; it recorded {keys}",
    "early.patience": ("EarlyStopping: patience={value!r} must be an integer >= 0 (epochs to wait without "
                       "improvement)"),
    "early.min_delta": "EarlyStopping: min_delta={value!r} must be a number >= 0",
    "early.mode": "EarlyStopping: mode={value!r} must be 'min', 'max' or 'auto'",
    "early.monitor": "EarlyStopping: monitor={monitor!r} is not among the recorded values {keys}{hint}",
    "early.val_hint": " (pass val_data to fit)",
    "penalty.no_parameters": "{fn}: no parameters were given (an empty list)",
    "metric.loss": "loss",
    "metric.accuracy": "accuracy",
    "metric.lr": "learning rate",
    "metric.validation": "{name} (validation)",
    "plot.epoch": "epoch",
    "plot.losses": "loss",
    "plot.metrics": "metric",
    "plot.needs_matplotlib": ("History.plot needs matplotlib, an optional extra: "
                              "pip install microgradfr[plot]  (or: pip install matplotlib)"),
    "nn.positive_int": "{layer}: {what}={value!r} must be a positive integer",
    "nn.linear_features": ("{layer}: input has {got} features (shape {shape}), expected {expected}; flatten "
                           "images first (nn.Flatten) or fix in_features"),
    "nn.conv_rank": "{layer}: input must be (N, C, H, W), got shape {shape}{hint}",
    "nn.batch_hint": "; add a batch axis with x.reshape(1, *x.shape)",
    "nn.conv_channels": "{layer}: input has {got} channels (shape {shape}), expected {expected}",
    "nn.conv_kernel": ("{layer}: kernel {kernel} is larger than the padded input {padded} (input shape "
                       "{shape}, padding {padding}); use a smaller kernel, more padding or a bigger image"),
    "nn.norm_shape": "{layer}: input must be {shapes} with C = {features}, got shape {shape}",
    "nn.dropout_p": "Dropout(p={value!r}): p is a probability, it must lie in [0, 1]",
    "nn.sequential_item": "Sequential: argument {index} is a {type}, not a layer (Module)",
    "summary.layer": "Layer",
    "summary.output": "Output shape",
    "summary.parameters": "Parameters",
    "summary.input": "Input",
    "summary.total": "Total parameters:",
    "summary.scalar": "scalar",
    "summary.reading_example": "one example of shape {shape} (a batch of 1 added)",
    "summary.reading_batch": "torchinfo's input_size: a batch of {batch} of shape {shape}",
    "summary.neither": "summary: input_shape {shape} fits neither reading:",
    "summary.ambiguous": "summary: input_shape {shape} can be read two ways, which give different tables:",
    "summary.say_which": ("say which with batch_dim=0 (one example) or batch_dim=None (the batch axis is "
                          "included)"),
    "summary.batch_dim": ("summary: batch_dim={value!r} must be 0 (input_shape is one example), None "
                          "(it includes the batch axis, as torchinfo) or 'auto'"),
    "summary.wrong_rank": ("summary: input_shape {shape} has {axes} axes, but the first layer {layer} takes "
                           "inputs of {ranks} axes with the batch axis: give one example's shape "
                           "({example_ranks} axes) or torchinfo's input_size ({ranks} axes)"),
    "summary.or": " or ",
    "summary.reading_line": "{reading}: {detail}",
    "cli.description": "microgradfr: autograd for learning",
    "cli.help_grad": "value and gradients of an expression",
    "cli.help_explain": "write ∂f/∂VAR out by the chain rule",
    "cli.help_draw": "draw the graph of an expression (svg png pdf dot html)",
    "cli.help_output": "file to write; its extension picks the format (.svg .png .pdf .dot .html .tex)",
    "cli.help_beamer": "with -o FILE.tex: Beamer slides, one page per step",
    "cli.help_steps": "one numbered image per step in this folder (and a GIF animation)",
    "cli.help_pass": "passes shown: backward (--beamer's default), forward or both (--steps' default)",
    "cli.help_steps_format": "format of --steps' images (default: png)",
    "cli.help_edge_grads": "each edge carries its contribution to the gradient",
    "cli.help_blank": "exercise: gradients left as empty boxes",
    "cli.help_rankdir": "drawing direction: LR left to right, TB top to bottom",
    "cli.help_no_color": "no colours (for printing)",
    "cli.help_demo": "the course example computed, drawn, explained, then an MLP trained",
    "cli.help_out": "folder to write the SVG and the HTML player into (default: ./microgradfr-demo)",
    "cli.help_expression": 'for example "(w1*x + w2*y)**2"',
    "cli.help_set": "values of the variables, for example w1=2 x=-1.5",
    "cli.help_lang": "language of the texts: fr (default, or MICROGRADFR_LANG) or en",
    "cli.metavar_set": "NAME=VALUE",
    "cli.metavar_file": "FILE",
    "cli.metavar_dir": "DIR",
    "cli.metavar_var": "VAR",
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
    "cli.value_not_finite": ("{root} = {value} is not a finite number: {step} = {bad} ({why}); try other "
                             "values with --set"),
    "cli.grad_not_finite": ("∂{root}/∂{name} = {grad} is not a finite number: {why}; try other values with "
                            "--set"),
    "cli.overflow": "the result is larger than the largest float, about 1.8e308",
    "cli.undefined": "a form with no value, such as inf − inf or 0 · inf",
    "cli.local_not_finite": "the derivative of {step} is {local} there",
    "cli.product_overflow": ("at the step {step}, the product {g} · {local} is larger than the largest "
                             "float, about 1.8e308"),
    "cli.sum_overflow": ("the contributions reaching {name} add up to more than the largest float, about "
                         "1.8e308"),
    "cli.out_is_file": "{option} {path}: this is a file, not a folder; choose another name",
    "cli.os_permission": "{option} {path}: permission denied; choose a folder you can write to",
    "cli.os_no_space": "{option} {path}: no space left on the disk; free some space or write elsewhere",
    "cli.os_read_only": "{option} {path}: the disk is read-only; write elsewhere",
    "cli.os_not_a_folder": "{option} {path}: part of the path is a file, not a folder",
    "cli.os_is_a_folder": "{option} {path}: this is a folder; give a file name",
    "cli.os_other": "{option} {path}: cannot write ({reason})",
    "cli.unexpected": ("unexpected error ({error}); this is a bug in microgradfr: run again with "
                       "MICROGRADFR_DEBUG=1 to see the traceback, and report it"),
    "cli.interrupted": "interrupted",
    "cli.os_stdout": "cannot write the output ({reason})",
    "cli.warning": "microgradfr: warning: {message}",
    "cli.epilog": ("Exit code 0 when all went well, 2 for a mistake, said in one line on stderr, with "
                   "nothing written. A value or a gradient that is not a finite number (inf, NaN: an "
                   "overflow, inf − inf…) is a mistake: the line names the first step where it appears. "
                   "MICROGRADFR_DEBUG=1 shows the traceback of an unexpected error."),
    "cli.description_grad": ("Value and gradients of an expression. If the value or a gradient is not a "
                             "finite number (inf, NaN), nothing is printed: one line on stderr names the "
                             "step at fault, exit code 2."),
    "cli.help_no_legend": "no legend (the colours stay)",
    "cli.help_dpi": "resolution of a .png (96 by default, 300 for print)",
    "cli.help_renderer": "drawing program (by default dot if it is installed, else graphviz-pure)",
    "cli.too_tangled": ("draw: this graph is too tangled to draw quickly ({crossings} rank crossings, at "
                        "most {most}: a variable used by operations far apart, as x in x*y + x*y + …); draw "
                        "less: fewer terms (split the sum), or get the numbers with `microgradfr grad`, or "
                        "write -o graph.dot"),
    "expr.at_column": "column {column}: {message}",
    "expr.not_text": "the expression must be text, got {type}",
    "expr.empty": "the expression is empty; write one such as \"(w1*x + w2*y)**2\"",
    "expr.too_long": ("the expression has {length} characters, more than the limit of {limit}; split it or "
                      "simplify it"),
    "expr.too_many_operations": ("the expression has {count} operations, more than the limit of {limit}; a "
                                 "diagram of it would be unreadable anyway"),
    "expr.invalid": "not a valid expression ({detail})",
    "expr.ends_early": "not a valid expression ({detail}): it ends too early, an operand is missing",
    "expr.too_complex": "the expression is too complex to read",
    "expr.unreadable_character": ("this character cannot be read (a null byte, or bytes that are not UTF-8 "
                                  "text); type the expression again"),
    "expr.nested_parentheses": "parentheses nested more than {limit} deep",
    "expr.unmatched_closing": "a closing parenthesis ')' has no matching '('",
    "expr.too_many_signs": "more than {limit} signs in a row",
    "expr.not_closed": "{count} parenthesis '(' not closed (the expression is cut short?)",
    "expr.too_many_parts": "the expression has more than {limit} parts; simplify it",
    "expr.nested_too_deeply": "the expression is nested too deeply",
    "expr.constant_not_number": "only numbers are allowed as constants, not {value}",
    "expr.underscore_name": "names starting with '_' are not allowed ({name})",
    "expr.binary_operator": "operator {op} is not allowed; use + - * / **",
    "expr.unary_operator": "operator {op} is not allowed; only - and + signs",
    "expr.syntax_not_allowed": ("{what} not allowed: only numbers, names, + - * / **, parentheses and the "
                                "functions {functions}"),
    "expr.syntax_attribute": "attribute access (a.b)",
    "expr.syntax_subscript": "subscripts (a[i])",
    "expr.syntax_compare": "comparisons",
    "expr.syntax_boolean": "boolean operators",
    "expr.syntax_lambda": "lambda",
    "expr.syntax_if": "conditional expressions (… if … else …)",
    "expr.syntax_dict": "dicts",
    "expr.syntax_set": "sets",
    "expr.syntax_list": "lists",
    "expr.syntax_tuple": "tuples (a, b)",
    "expr.syntax_comprehension": "comprehensions",
    "expr.syntax_generator": "generators",
    "expr.syntax_await": "await",
    "expr.syntax_yield": "yield",
    "expr.syntax_string": "strings",
    "expr.syntax_starred": "*args",
    "expr.syntax_assignment": "assignments (:=)",
    "expr.syntax_slice": "slices (a[i:j])",
    "expr.call_by_name": "only the op table's functions can be called, by name: {functions}",
    "expr.unknown_function": "{name}() is not an available function; use one of {functions}",
    "expr.keyword_arguments": "{name}(): keyword arguments are not allowed",
    "expr.arguments": "{name}() takes one input, got {count}",
    "expr.arguments_with_setting": ("{name}() takes one input and optionally its setting, a number, got "
                                    "{count}"),
    "expr.engine": "{text}",
    "expr.function_as_variable": "{name} is a function: call it, e.g. {name}(x)",
    "expr.unknown_variable": "unknown variable '{name}': give its value with --set {name}=…",
    "expr.division_by_zero": "division by zero: {x} / 0",
    "expr.exponent_too_large": "exponent {exponent} is too large (the limit is ±{limit})",
    "expr.power_overflow": "{what} is larger than the largest float (about 1.8e308); use smaller numbers",
    "expr.zero_negative_power": "{what}: zero to a negative power divides by zero",
    "expr.setting_variable": "{name}(): the setting must be a number, not a variable",
    "expr.number_too_large": "this number is larger than the largest float (about 1.8e308)",
    "expr.constant_part": "a constant part of the expression",
    "expr.not_real": "{what} is not a real number (a negative number to a fractional power)",
    "expr.not_finite": ("{what} is not a finite number (larger than the largest float, about 1.8e308); use "
                        "smaller numbers"),
    "domain.positive": "{op}: {op}(x) is defined only for x > 0, got x = {x!r}",
    "domain.nonnegative": "{op}: {op}(x) is defined only for x ≥ 0, got x = {x!r}",
    "domain.nonzero_y": "{op}: division by zero in {x!r} / {y!r}; the denominator must not be 0",
    "domain.pow_zero_negative": "{op}: {x!r} ** {k!r} divides by zero (0 to a negative power)",
    "domain.pow_infinite_derivative": ("{op}: the derivative {k!r}·x^({k!r} − 1) of x ** {k!r} is infinite "
                                       "at x = 0"),
    "domain.pow_not_real": ("{op}: {x!r} ** {k!r} is not a real number (negative base, non-integer "
                            "exponent); use abs(x) ** k or an integer exponent"),
    "domain.pow_xy_zero_negative": "pow: {x!r} ** {y!r} divides by zero (0 to a negative power)",
    "domain.pow_xy_infinite_derivative": ("pow: the derivative {y!r}·x^({y!r} − 1) of x ** {y!r} is "
                                          "infinite at x = 0"),
    "domain.pow_xy_not_real": ("pow: {x!r} ** {y!r} is not a real number (negative base, non-integer "
                               "exponent); use abs(x) ** k or an integer exponent"),
    "op.with_k": " with k = {k}",
    "op.overflow": ("{call}: the result is too large for a float (above about 1.8e308); rescale the inputs "
                    "or use a smaller exponent"),
    "op.no_value": ("{call}: there is no real value here; an infinite input usually comes from an overflow "
                    "earlier, such as exp of a large number"),
    "op.nonfinite_derivative": ("{call}: the derivative is not finite here ({local}); a gradient that flows "
                                "through this node will be inf or nan, as in PyTorch; for a finite one, move "
                                "the input away from this point"),
    "op.bad_entries": "{count} of {size} entries are outside the domain, the first at index {index}",
    "op.where": "{error} ({where})",
    "formula.if": "if",
    "formula.else": "else",
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
    "viz.node_backward": "∂{root}/∂{parent} += {chain}",
    "viz.vjp_backward": "∂{root}/∂{parent} += {deriv}, where g = ∂{root}/∂{name}",
    "viz.accumulate": "   ({parent}.grad: {before} → {after}, the sum of its contributions)",
    "viz.paths_title": "Paths from {root} down to {wrt}: {count}",
    "viz.path": "path {i}: {chain}",
    "viz.no_path": "{wrt} does not influence {root}: no path, so ∂{root}/∂{wrt} = 0",
    "viz.sum": "Sum over paths: ∂{root}/∂{wrt} = {terms} = {total}",
    "viz.matches": "= {wrt}.grad ✓ (the value backward() computed)",
    "viz.more_paths": "… and {more} more paths (the total sums all {count})",
    "viz.accumulated": ("{wrt}.grad is {grad}, not {total}: a leaf accumulates its gradient over backward() "
                        "calls (set {wrt}.grad = 0 before each backward())."),
    "viz.stale": "{wrt}.grad is {grad}, not {total}: it comes from another backward() than {root}'s.",
    "viz.not_run": "({wrt}.grad is not computed yet: backward() has not been called.)",
    "viz.constant_target": ("explain: {wrt} is a constant (a number written in the expression) and has no "
                            "gradient; explain a variable instead, e.g. explain({root}, x)"),
    "viz.title": "Computation graph",
    "viz.legend_colour": "colour of a box: the size of its gradient |grad| (darker = larger)",
    "viz.legend_zero": "grad = 0",
    "viz.legend_none": "not computed yet",
    "viz.legend_bad": "NaN or inf",
    "viz.cluster_layer": "layer {i}",
    "viz.cluster_neuron": "neuron {i}",
    "viz.hand_made": ("explain: {node} was made by hand (Value(data, children, op)); its derivative lives "
                      "in its own _backward, which explain cannot read; build it from the engine's ops (+, "
                      "*, tanh(), …) to see its chain rule"),
    "viz.grad_not_computed": "grad: not computed",
    "viz.draw_rankdir": ("draw_dot: rankdir={value!r} must be one of {choices} (LR: left to right, TB: top "
                         "to bottom)"),
    "viz.draw_show_grad": "draw_dot: show_grad={value!r} must be True, False or 'blank'",
    "viz.draw_color": "draw_dot: color={value!r} must be 'grad' (shade by |grad|) or None (print)",
    "viz.draw_legend": "draw_dot: legend={value!r} must be True or False",
    "viz.draw_size": ("draw_dot: size={value!r} must be 'cell' (fit a notebook cell), None (natural size) or "
                      "a Graphviz size in inches such as '12,8'"),
    "viz.max_nodes": "{where}: max_nodes={value!r} must be a positive integer",
    "viz.too_big": ("draw_dot: the graph has {count} values, more than max_nodes={most}; a diagram that big "
                    "is unreadable. Draw less: one sample instead of a whole batch (loss of model(X[0])), "
                    "one neuron (draw_dot(neuron(x))), or the subgraph up to a node (draw_dot(node)); or "
                    "pass max_nodes={count} if you really want it all"),
    "viz.too_big_player": ("to_html: the graph has {count} values, more than the player's {most}; a "
                           "step-by-step player of {count} steps is not readable. Step through less: one "
                           "sample (loss of model(X[0])), one neuron, or the subgraph up to a node "
                           "(to_html(node, ...)); or pass max_nodes={count} to try anyway"),
    "viz.explain_nodes": "explain(root, wrt): both must be graph nodes (Value), e.g. explain(L, w1)",
    "viz.explain_scalar": "explain: written for scalar graphs (Value); for a Tensor, explain one entry",
    "viz.slides_steps": "{where}: steps={value!r} must be one of {choices}",
    "viz.slides_tex": "to_beamer: {name!r} should end with .tex (a LaTeX file)",
    "viz.slides_no_folder": "{where}: the folder {folder!r} does not exist; create it first",
    "viz.slides_format": "render_steps: fmt={value!r} must be one of {choices}",
    "viz.slides_is_file": "render_steps: {folder!r} is a file, not a folder",
    "viz.slides_could_not": "render_steps: {name} could not draw a step: {detail}",
    "viz.slides_no_pillow": ("render_steps: the animated GIF needs Pillow (pip install microgradfr[slides]); "
                             "the images are written, the GIF is not"),
    "viz.tikz_dpi": ("render: dpi={dpi} sets the resolution of a .png; {name} is a TikZ picture, sharp at "
                     "any size"),
    "viz.tikz_from_node": ("render: a .tex picture is drawn from a node (render(L, 'graphe.tex')), not from "
                           "a diagram that draw_dot already made"),
    "viz.renderer_choice": "renderer={value!r} must be one of {choices}",
    "viz.render_failed": "render: {name} ({path}) failed: {error}",
    "viz.render_could_not": "render: {name} could not draw this graph as {fmt}: {detail}",
    "viz.no_output": "no output",
    "viz.no_pdf": ("render: .pdf needs the system Graphviz program `dot` (apt-get install graphviz, brew "
                   "install graphviz, or https://graphviz.org/download/); the bundled graphviz-pure writes "
                   ".svg and .png only: write graph.svg (or .png) instead, or convert the SVG"),
    "viz.no_renderer": ("render: no Graphviz renderer found for .{fmt}: neither `dot` (system Graphviz) nor "
                        "`graphviz-pure` (pip install graphviz-pure) is installed"),
    "viz.dot_instead": "{reason}; wrote the DOT text to {path} instead (paste it into any Graphviz viewer)",
    "viz.render_format": ("render: cannot tell the format from {name!r}; end the file name with one of "
                          "{formats}"),
    "viz.render_no_folder": "render: the folder {folder!r} does not exist; create it first",
    "viz.render_dpi_not_png": ("render: dpi={dpi} sets the resolution of a .png; {name} is not one (an SVG "
                               "or PDF is sharp at any size)"),
    "viz.render_dpi_range": ("render: dpi={dpi!r} must be a whole number between 10 and 1200 (96 is the "
                             "screen default, 300 for print)"),
    "viz.render_options": ("render: options {options} apply when drawing a node; this is already a diagram "
                           "(pass them to draw_dot instead)"),
    "slides.file_step": "step",
    "slides.file_texts": "steps.txt",
    "slides.forward": "Forward pass",
    "slides.backward": "Backward pass",
    "slides.title": "{phase} — step {step} / {total}",
    "slides.leaf_forward": "{name} is a leaf: its value {value} is given",
    "slides.seed": "{name} is the root: {seed}, the seed of the backward pass",
    "slides.leaf_backward": "{name} is a leaf: its gradient {grad} is complete",
    "slides.accumulate": "{parent} receives one more contribution: {before} → {after}",
    "slides.vjp_backward": "{lhs} += {deriv}, where {g}",
    "perceptron.epoch": "epoch {epoch}/{epochs}: {errors} mistake(s), w = {coef}, b = {bias:.4g}",
    "perceptron.not_converged": ("The perceptron did not converge: it still made {errors} mistake(s) in "
                                 "epoch {epochs}. The classes are probably not linearly separable (like "
                                 "XOR): no line w·x + b = threshold puts them on two sides. A perceptron "
                                 "cannot learn this; use more epochs if the data is separable, or a "
                                 "multi-layer network if it is not."),
    "testing.grad": ("∂{root}/∂{name}: the engine finds {got}, the hand derivation gives {expected} "
                     "(difference {diff:.3g})"),
    "testing.hint": ("To see where the engine's value comes from, step by step: viz.explain({root}, {name}) "
                     "({root}: the expression under test)"),
    "testing.differ": ("gradcheck: {count} gradient(s) differ from central differences (atol={atol}, "
                       "rtol={rtol}):"),
    "testing.row": "  {name}{index}: backward {got:>24}  numerical {numeric:>24}  diff {diff:.3g}",
    "testing.count": ("assert_grad: {nodes} variables but {wanted} expected values; give one value per "
                      "variable"),
    "testing.input": "input {i}",
    "testing.diag.ok": "Every gradient is right ({count} checked).",
    "testing.diag.summary": ("{wrong} wrong gradient(s) out of {count}: {names}. The first one to go wrong, "
                             "in backward() order, is {first}."),
    "testing.diag.head": "{d}: you have {answer}, the right value is {correct}.",
    "testing.diag.seed": "{d} is always 1: it is the seed of the backward pass ({name}.grad = 1).",
    "testing.diag.missing_path.0": "{via} is missing: it contributes {contribution}.",
    "testing.diag.missing_path.1": "{via} are missing: they contribute {contribution}.",
    "testing.diag.last_contribution_only": ("Only the last contribution was kept ({contribution}, through "
                                            "{via}): {name}.grad was overwritten (=) instead of increased "
                                            "(+=); missing: {rest}."),
    "testing.diag.local_only": ("This is the local derivative alone ({local}): multiply it by the gradient "
                                "from above, {up}."),
    "testing.diag.upstream_only": ("This is the gradient from above alone ({up}): the local factor {local} "
                                   "is missing."),
    "testing.diag.sign": "The sign is flipped: check the minus signs ({local}).",
    "testing.diag.sign_one": "The contribution through {via} has its sign flipped: {local}.",
    "testing.diag.factor": "This is {ratio} the right value: check the factors of 2 ({local}).",
    "testing.diag.factor_one": "The contribution through {via} is counted {ratio_one}: {local}.",
    "testing.diag.ratio/2": "twice",
    "testing.diag.ratio/0.5": "half",
    "testing.diag.ratio_one/2": "twice",
    "testing.diag.ratio_one/0.5": "half",
    "testing.diag.input_for_output": ("The derivative of {op} was written with the input {input} instead of "
                                      "the output {output}: {wrong} instead of {right}."),
    "testing.diag.output_for_input": ("The derivative of {op} was taken at the output {output} instead of "
                                      "the input {input}: {wrong} instead of {right}."),
    "testing.diag.stale_accumulation": ("This is {n} times the right value: backward() ran {n} times, and a "
                                        "leaf's gradient adds up from one call to the next. Reset "
                                        "{name}.grad = 0 (zero_grad()) before each backward()."),
    "testing.diag.inherited": ("Your step at {name} is right, but it starts from {up} = {up_answer} instead "
                               "of {up_correct}: fix {origin} first."),
    "testing.diag.unknown": ("No classic mistake (a forgotten path, = instead of +=, the local derivative "
                             "alone, a sign, a factor 2…) gives this value: redo this step slowly."),
    "testing.diag.unfilled": "This gradient is 0: was it computed?",
    "testing.diag.tie": "This value is also what {others} gives: here these mistakes give the same number.",
    "testing.diag.or": " or ",
    "testing.diag.more": "… and {more} more: report.paragraph(name) for each, report.wrong for the list.",
    "testing.diag.short/missing_path": "a forgotten path",
    "testing.diag.short/last_contribution_only": "= instead of +=",
    "testing.diag.short/local_only": "the local derivative alone",
    "testing.diag.short/upstream_only": "the upstream gradient alone",
    "testing.diag.short/sign": "a flipped sign",
    "testing.diag.short/factor": "a factor 2 or ½",
    "testing.diag.short/input_for_output": "the input instead of the output",
    "testing.diag.short/stale_accumulation": "a gradient left over from an earlier backward()",
    "testing.diag.chain": "Chain rule: {line}",
    "testing.diag.redo": "Recompute: {first}.",
    "testing.diag.redo_more": "Recompute: {first}, then what depends on it ({more}).",
    "testing.diag.path_one": "the path {path}",
    "testing.diag.path_many": "the paths {paths}",
    "testing.diag.through": "the {count} paths through {edge}",
    "testing.diag.and": " and ",
    "testing.diag.colon": ": ",
    "testing.diag.unknown_name": "check_grads: no node is called {name!r}; the graph's names are: {names}",
    "testing.diag.not_a_number": "check_grads: the answer for {name} must be a number, not {value!r}",
    "testing.diag.constant": ("check_grads: {name} is a constant of the expression, with no gradient; give "
                              "answers for the variables and computed nodes"),
    "testing.diag.scalar_only": ("check_grads: written for graphs of Values (scalars); for a Tensor, check "
                                 "one entry at a time"),
    "testing.diag.not_a_node": "check_grads(root, answers): root must be a graph node (a Value), not {kind}",
    "testing.diag.no_viz": "report.draw() draws with viz: run `import viz` first",
    "testing.local.text": ("{name} = {op}(…): the recorded local derivative ∂{name}/∂{input} is "
                           "{recorded:.6g}, central differences give {numerical:.6g} (input {index})"),
    "viz.code.title": "Backpropagation of {root}, step by step (written by viz.backward_code)",
    "viz.code.leaves": "The leaves",
    "viz.code.forward": "Forward pass",
    "viz.code.backward": "Backward pass, in backward() order",
    "viz.code.seed": "the seed: ∂{root}/∂{root} = 1",
    "viz.code.again": "{name} is used more than once: add (+=)",
    "viz.code.blank": "fill in: {rule}",
    "viz.code.number": "the formula does not hold at this point: the engine's value",
    "viz.code.no_python": "a formula with no Python form: the engine's value",
    "viz.report.yours": "you: {value}",
    "viz.report.first": "first mistake",
    "viz.report.legend": "red outline: wrong gradient · orange: the first mistake (in backward() order)",
    "viz.check_legend.text": ("purple outline: wrong local derivative (central differences, "
                              "check_local_derivatives)"),
    "i18n.unknown": "lang={value!r}: unknown language; choose one of {choices}",
    "i18n.bad_env": "{var}={value!r}: unknown language, using French; choose one of {choices}",
    # nn-parity: PyTorch's losses, ModuleList, Parameter, and the scalar modules' refusals (microgradfr.nn)
    "nn.no_forward": ("{module} defines no forward(); write forward(self, x) returning the module's output "
                      "(a container such as ModuleList has none: call its modules in the model's forward())"),
    "nn.state_dict_type": "{owner}: expected a dict name -> array (from model.state_dict()), got {type}",
    "nn.reduction": "{loss}: reduction={value!r} is not a possible reduction; choose one of {choices}",
    "nn.weight_shape": ("{loss}: weights (weight) of shape {weight} do not broadcast to the input's shape "
                        "{input}; give them shape {input}, or a shape that broadcasts to it"),
    "nn.target_shape": ("{loss}: target has shape {target} but input has shape {input}; they must match "
                        "(reshape one of them)"),
    "nn.class_input": "{loss}: input must have shape (N, C), a batch of N examples of C classes, got {shape}",
    "nn.class_target": ("{loss}: target must be {n} class indices (integers, shape ({n},)), got shape "
                        "{shape} of dtype {dtype}"),
    "nn.class_range": ("{loss}: class {value} is out of 0..{last}; a target is a class from 0 to {last}, "
                       "or ignore_index = {ignore_index} for an example to leave out"),
    "nn.class_weight": ("{loss}: weight holds one weight per class, {classes} of them (shape ({classes},)), "
                        "got shape {shape}"),
    "nn.implicit_dim": ("{layer} without dim: axis {dim} is chosen as PyTorch does, which advises "
                        "against it; write {layer}(dim={dim})"),
    "nn.modulelist_item": ("ModuleList {method}: a {type} is not a module; a ModuleList holds modules only "
                           "(Linear, ReLU, …: any Module)"),
    "nn.modulelist_index_type": ("ModuleList {method}: the index must be an integer (or a slice), got a "
                                 "{type}"),
    "nn.modulelist_index": ("ModuleList {method}: index {index} is out of range for {length} modules "
                            "(0 to {length} − 1, or negative from the end)"),
    "nn.modulelist_iterable": ("ModuleList: expected a list of modules, got a {type}; put a single module "
                               "in a list: ModuleList([module])"),
    "nn.activation": "activation={value!r} is not one of {choices}",
    "nn.neuron_nin": "Neuron(nin={value!r}): nin is the number of inputs, a positive integer",
    "nn.neuron_inputs": "Neuron: got {got} inputs, expected {expected} (nin)",
    "nn.layer_nout": "{layer}(nout={value!r}): nout is the number of neurons, a positive integer",
    "nn.mlp_activations": ("MLP: layer {index} mixes the activations {names}; PyTorch's equivalent (Linear "
                           "then one activation layer) needs one per layer"),
    "nn.state_source": "the state",
    "nn.state_does_not_fit": "{owner}: the state does not fit this {model}:",
    "nn.state_missing": "missing from {source}: {names}",
    "nn.state_unexpected": "in {source} but not in the model: {names}",
    "nn.state_more": " … and {count} more",
    "nn.state_complex": "{name} holds complex numbers ({dtype}); the model's values are real",
    "nn.state_bool": "{name} holds True/False values (bool), not numbers",
    "nn.state_kind": "{name} holds {dtype} data, not numbers",
    "nn.state_shape": "{name} has shape {shape} in {source}, {expected} in the model{hint}",
    "nn.state_transposed": "; it looks transposed",
    "nn.state_hint_linear": "(out_features, in_features), as in PyTorch",
    "nn.state_hint_conv": "(out_channels, in_channels, kh, kw), as in PyTorch",
    "nn.state_hint_rows": "(out_features, in_features): one row per neuron",
    "nn.state_nan": "NaN",
    "nn.state_inf": "an infinite value",
    "nn.state_nonfinite": ("{name} holds {what} ({count} of {size} values): the model that was saved had "
                           "diverged; use an earlier state"),
    "nn.state_lossy": ("{name} holds {dtype} values that the model's {target} cannot hold exactly; convert "
                       "them yourself (.astype('{target}')) if rounding is acceptable"),
    "nn.state_low": "{name} holds {value}, below its smallest possible value {low}",
    # tensor-parity: the Tensor's and functional's own errors (tensor.py, functional.py, cat/stack domains)
    "tensor.not_numbers": "Tensor(data) takes numbers, lists of numbers or arrays, not a {type} object",
    "tensor.already_tensor": "Tensor(data): data is already a Tensor; use it directly, or t.detach()",
    "tensor.needs_floats": ("requires_grad=True needs floating-point numbers, but the dtype is {dtype}; "
                            "give dtype=np.float64 or numbers such as 1.0"),
    "tensor.item_not_one": "item(): the tensor has {count} entries (shape {shape}), not 1",
    "tensor.bool_ambiguous": ("the truth value of a tensor of {count} entries (shape {shape}) is ambiguous; "
                              "write t.any() or t.all()"),
    "tensor.backward_no_grad": ("backward(): this tensor does not depend on any tensor with "
                                "requires_grad=True, so there is nothing to differentiate; create the "
                                "parameters with Tensor(..., requires_grad=True), and compute the result "
                                "outside any `with no_grad():` block"),
    "tensor.backward_not_scalar": ("backward(): the root has shape {shape}, not a single number; reduce it "
                                   "first (L = out.sum() or .mean()) or pass grad=, an array of that shape"),
    "tensor.backward_grad_shape": "backward(grad): grad has shape {grad_shape}, the root has shape {shape}",
    "tensor.no_gradient": "{op}: input {input} has no gradient",
    "tensor.axis_range": ("axis {axis} is out of range for a tensor of shape {shape}; axes run from 0 to "
                          "ndim − 1 (or from −ndim to −1)"),
    "tensor.dim_range": ("{function}: dim={dim} is out of range for a tensor of shape {shape}; choose dim "
                         "between {low} and {high}"),
    "tensor.no_axes": ("{function}: dim={dim} does not exist, the tensor has no axes (a single number); "
                       "call {function}() without dim"),
    "tensor.reshape": "reshape: cannot reshape shape {shape} ({count} entries) into {target}: {reason}",
    "tensor.reshape_two_unknown": "only one axis may be −1",
    "tensor.reshape_not_multiple": "{size} is not a multiple of {known}",
    "tensor.reshape_count": "that shape holds {known} entries",
    "tensor.permute_axes": ("permute: axes {axes} are not a permutation of the {ndim} axes of shape "
                            "{shape}; to exchange two axes, use transpose(a, b)"),
    "tensor.mm_not_2d": ("mm: needs two matrices (2 axes each), got shapes {x} and {y}; use matmul (or @) "
                         "for vectors and batches of matrices"),
    "tensor.clamp_none": "clamp: give at least one bound, min= or max= (both are missing)",
    "tensor.requires_grad_non_leaf": ("requires_grad_(False): only a leaf's requires_grad can change; to "
                                      "cut the graph here, use t.detach()"),
    "tensor.zero_in_graph": ("zero_(): this tensor requires a gradient (requires_grad=True), changing it in "
                             "place would make the backward pass wrong; do it inside a `with no_grad():` "
                             "block"),
    "tensor.bad_shape": ("{function}: the shape {shape} must be made of ints ≥ 0, given one by one "
                         "({function}(2, 3)) or as a tuple ({function}((2, 3)))"),
    "tensor.arange_step": "arange: step=0 is impossible (the sequence would never move)",
    "tensor.randint_args": ("randint{args}: write randint(high, size) or randint(low, high, size), with ints "
                            "low < high and a shape size as a tuple, for example randint(0, 27, (32,))"),
    "tensor.multinomial_weights": ("multinomial: needs finite weights ≥ 0 summing to > 0 on each row, as one "
                                   "row or a matrix; the shape given is {shape}"),
    "tensor.multinomial_too_many": ("multinomial: {n} draws without replacement, but only {available} "
                                    "weights are nonzero; pass replacement=True or draw fewer"),
    "tensor.linspace_steps": "linspace: steps={steps!r} must be an int ≥ 0 (the number of points)",
    "tensor.not_a_sequence": ("{function}: needs a list or a tuple of tensors, not a {type} object; write "
                              "{function}([a, b])"),
    "tensor.cat_empty": "{op}: needs at least one tensor, the list is empty",
    "tensor.cat_zero_dim": ("{op}: a tensor with 0 axes (a single number) cannot be joined end to end "
                            "(shapes {shapes}); use stack, or t.reshape(1)"),
    "tensor.cat_shapes": ("{op}: shapes {shapes} must be equal except along axis {k}; check dim or reshape "
                          "the tensors"),
    "tensor.stack_shapes": "{op}: the {count} tensors must have the same shape, got shapes {shapes}",
    "functional.pair": "{name}={value!r} must be an int ≥ {least} or a pair of them (height, width)",
    "functional.same_stride": ("conv2d: padding='same' needs stride 1 (got stride {stride}), as in PyTorch; "
                               "give the padding as numbers"),
    "functional.same_even": ("conv2d: padding='same' with the even kernel {kh}×{kw} would need more padding "
                             "on one side than the other, which microgradfr does not do; use an odd kernel "
                             "or give the padding as numbers"),
    "functional.dropout_p": "dropout: p={p!r} is a probability, it must lie in [0, 1]",
    "functional.batch_norm_shape": "batch_norm: input must be (N, C) or (N, C, ...), got shape {shape}",
    "functional.batch_norm_one": ("batch_norm: training needs more than one value per channel, got input "
                                  "shape {shape}; use a bigger batch or eval()"),
    "functional.batch_norm_running": "batch_norm: evaluation needs running_mean and running_var",
    "functional.batch_norm_affine": "batch_norm: give both weight and bias, or neither",
    "functional.reduction": "{name}: reduction={reduction!r} must be one of {choices}",
    "functional.same_shape": ("{name}: input has shape {input} but target has shape {target}; they must "
                              "match (reshape one of them)"),
    "functional.bce_outside": ("binary_cross_entropy: input must hold probabilities in [0, 1], but {count} "
                               "entries lie outside (e.g. {example!r}); apply .sigmoid() first, or use "
                               "binary_cross_entropy_with_logits"),
    "functional.logits_shape": "{name}: input must be {what} of shape (N, C), got {shape}",
    "functional.class_targets": ("{name}: target must be {n} class indices (integers, shape ({n},)), got "
                                 "shape {shape} of dtype {dtype}"),
    "functional.class_range": "{name}: class indices must lie in 0..{last}, got values from {low} to {high}",
    "functional.logits": "logits",
    "functional.log_probabilities": "log-probabilities (log_softmax)",
    "functional.hinge_labels": "hinge_loss: target must hold labels −1 or +1 (map 0/1 labels with 2·y − 1)",
    "functional.one_hot_ints": "one_hot: needs integer class indices, got dtype {dtype}; convert them first",
    "functional.one_hot_range": ("one_hot: the indices run from {low} to {high}, they must lie in 0 .. "
                                 "num_classes − 1 = {last}"),
    # the library's refusals, once English only (task i18n-errors): optim, checkpoint, custom, perceptron,
    # data, bridge, engine
    "optim.params_single": ("{owner}: params must be an iterable of parameters, got a single {type}: wrap "
                            "it in a list, [p]"),
    "optim.params_model": "{owner}: params got the model {type} itself; pass model.parameters()",
    "optim.params_not_iterable": ("{owner}: params must be an iterable of parameters (e.g. "
                                  "model.parameters()), got {type}: {value}"),
    "optim.params_empty": ("{owner}: params is an empty list: there is nothing to optimize (did the model "
                           "get built, or was a generator already used up?)"),
    "optim.param_not_node": ("{owner}: params[{index}] is a {type} ({value}), not a Value or a Tensor; an "
                             "optimizer can only update parameters (model.parameters())"),
    "optim.param_twice": ("{owner}: params[{index}] is the same parameter as params[{first}]; each "
                          "parameter must appear once or it would be updated twice"),
    "optim.not_a_number": "{owner}: {name}={value!r} must be a number",
    "optim.out_of_range": "{owner}: {name}={value!r} must lie in {interval}",
    "optim.group_no_params": "{owner}: parameter group {group} has no 'params' key",
    "optim.group_unknown_keys": "{owner}: parameter group {group} has unknown keys {unknown}; known: {known}",
    "optim.group_overlap": "{owner}: a parameter appears in more than one parameter group",
    "optim.no_update": "{cls} must define the method _update(p, g, state, group)",
    "optim.load_not_state": ("{owner}: expected a dict with keys 'state' and 'param_groups' (from "
                             "optimizer.state_dict()), got {value}"),
    "optim.load_groups": "{owner}: the saved optimizer has {saved} parameter group(s), this one has {here}",
    "optim.load_group_size": ("{owner}: group {group} holds {saved} parameter(s) in the saved state but "
                              "{here} here"),
    "optim.load_hyperparameters": ("{owner}: group {group} has hyperparameters {keys}, {cls} expects "
                                   "{expected}"),
    "optim.load_unknown_param": "{owner}: the saved state names parameter {index}, which no group holds",
    "optim.load_buffer_shape": ("{owner}: buffer {name!r} of parameter {index} has shape {shape}, the "
                                "parameter has shape {expected}"),
    "optim.nesterov": ("SGD: nesterov=True needs momentum > 0 and dampening = 0, got "
                       "momentum={momentum!r}, dampening={dampening!r}"),
    "optim.betas": "{owner}: betas={betas!r} must be a pair (beta1, beta2), e.g. (0.9, 0.999)",
    "optim.clip_not_node": "{fn}: params[{index}] is a {type}, not a Value or a Tensor",
    "optim.norm_type": "clip_grad_norm_: norm_type={value!r} must be > 0 (2.0, 1.0, float('inf'))",
    "optim.scheduler_optimizer": "{cls}: optimizer must be a microgradfr.optim optimizer, got {type}",
    "optim.step_size": ("StepLR: step_size={value!r} must be an integer >= 1 (the number of epochs between "
                        "decays of the learning rate)"),
    "perceptron.lr": "Perceptron: lr={value!r} must be a number > 0 (the course uses 0.2)",
    "perceptron.threshold": "Perceptron: threshold={value!r} must be a number (the course uses 0.5)",
    "perceptron.epochs": "Perceptron: epochs={value!r} must be an integer >= 1 (a number of epochs)",
    "perceptron.init": "Perceptron: init={value!r} must be 'zeros' or 'random'",
    "perceptron.not_fitted": "Perceptron: this model is not fitted yet: call fit(X, y) first",
    "perceptron.features": ("Perceptron: X has shape {shape} but the model was fitted on {features} "
                            "features: pass an array of shape (n_samples, {features})"),
    "perceptron.not_2d": "Perceptron: X must be 2-D (n_samples, n_features), got shape {shape}",
    "perceptron.labels_per_row": ("Perceptron: y must hold one label per row of X: X has {rows} rows, y "
                                  "has shape {shape}"),
    "perceptron.empty": "Perceptron: X and y are empty: there is nothing to learn from",
    "perceptron.labels": ("Perceptron: labels must be 0 or 1, got {labels}: map them first, e.g. y = (y > "
                          "0).astype(int)"),
    "custom.arity": "{name}: takes {arity} input(s), got {given}",
    "custom.bad_name": "define_op: the name must be an identifier such as 'my_sigmoid', got {name!r}",
    "custom.taken": ("define_op: {name!r} is already an op of the table (microgradfr.ops.OPS); choose "
                     "another name, e.g. {other!r}"),
    "custom.forward_not_callable": "define_op {name!r}: forward must be a function, got {type}",
    "custom.forward_inputs": "define_op {name!r}: forward must take 1 to 3 inputs, it takes {count}",
    "custom.forward_failed": ("{name}: forward{inputs} failed ({error}); forward receives {kind}, not "
                              "Values (on a Tensor use numpy: np.exp, not math.exp)"),
    "custom.kind_arrays": "numpy arrays",
    "custom.kind_numbers": "plain numbers",
    "custom.derivative_failed": ("{name}: derivative{inputs} failed ({error}); it receives the input(s) "
                                 "then out, as numbers (arrays on a Tensor)"),
    "custom.derivative_result": "{name}: derivative must return {wanted} (∂out/∂ each input), got {result}",
    "custom.one_number": "one number",
    "custom.numbers": "{count} numbers",
    "custom.formulas": "define_op {name!r}: give one formula per input ({arity}), got {given}",
    "data.seed": "{fn}: seed={value!r} is not a seed: pass None, a non-negative integer or a numpy Generator",
    "data.int": "{fn}: {name}={value!r} must be an integer >= {minimum}",
    "data.too_small": "{fn}: {name}={value} is too small: it must be at least {minimum}",
    "data.not_number": "{fn}: {name}={value!r} must be a number >= 0",
    "data.negative_std": "{fn}: {name}={value} must be >= 0 (it is a standard deviation)",
    "data.not_arrays": ("{fn}: X and y must be arrays with one row per sample, got shapes {x_shape} and "
                        "{y_shape}"),
    "data.rows": "{fn}: X has {x_rows} rows but y has {y_rows}: give one label per sample",
    "data.test_size_fraction": ("train_test_split: test_size={value} must be a fraction strictly between 0 "
                                "and 1, or a number of samples"),
    "data.test_size_type": "train_test_split: test_size={value!r} must be a fraction in (0, 1) or an integer",
    "data.test_size_parts": ("train_test_split: test_size={value} leaves {n_test} of {n} samples for the "
                             "test part and {n_train} for training: both parts need at least one sample"),
    "data.kfold": "kfold: k={k} folds need at least {k} samples, but n_samples={n}",
    "data.circles_factor": "make_circles: factor={value!r} must be a number in [0, 1): the inner radius",
    "data.blobs_centers": ("make_blobs: centers must be a number of classes or an array of shape "
                           "(n_classes, n_features), got shape {shape}"),
    "data.gate": "logic_gate: name={value!r} is not a gate I know: choose one of {choices}",
    "data.of_images": "image",
    "data.of_labels": "label",
    "data.describe_images": "{count} images of {height}×{width}",
    "data.describe_labels": "{count} labels",
    "data.describe_array": "an array of shape {shape}",
    "data.idx_short": "{name}: too short to be an IDX file: it holds {size} bytes",
    "data.idx_magic_wrong": ("{name}: wrong magic number {found} (expected {magic} for an IDX {kind} "
                             "file): this is not the file its name says"),
    "data.idx_magic": "{name}: magic number {found} is not that of an unsigned-byte IDX file",
    "data.idx_header": ("{name}: truncated: the {ndim}-D IDX header needs {header} bytes but the file "
                        "holds {size}"),
    "data.idx_truncated": ("{name}: truncated: header says {what} ({expected} bytes) but the file holds "
                           "{size} bytes"),
    "data.idx_too_long": ("{name}: {extra} bytes too many: header says {what} ({expected} bytes) but the "
                          "file holds {size} bytes"),
    "data.gzip": "{name}: not a complete gzip file ({error}): delete it and download it again",
    "data.folder_missing": "folder '{folder}' does not exist",
    "data.folder_empty": "nothing found in '{folder}'",
    "data.not_found": ("load_mnist: no MNIST {kind} file: looked for {first} and {second}, {where}. Fetch "
                       "the files with microgradfr.data.download_mnist('{folder}')."),
    "data.kind": "load_mnist: kind={value!r} must be 'train' or 'test'",
    "data.image_size": "{name}: images are {height}×{width} but MNIST images are 28×28",
    "data.mismatch": ("{images} holds {n_images} images but {labels} holds {n_labels} labels: the two "
                      "files do not belong together"),
    "data.checksum_format": ("download_mnist: checksums[{name!r}]={value!r} must be a hex md5 (32 digits) "
                             "or sha256 (64 digits), or None to skip the check"),
    "data.checksum": ("{name}: checksum mismatch: expected {algorithm} {expected} but the file gives "
                      "{actual}. The download is corrupted or the server sent another file; nothing was "
                      "kept. Try again, or another mirror with url=."),
    "data.broken": "{name}: the downloaded file is broken, nothing was kept. {error}",
    "data.http": "{name}: the server answered {code} {reason} for {url}",
    "data.network": "{name}: could not download {url}: {reason}",
    "data.truncated_download": ("{name}: truncated download: the server announced {total} bytes but sent "
                                "{received}; nothing was kept, try again"),
    "data.files": "download_mnist: files={value!r} must be a list of file names such as {names}",
    "data.no_checksum": ("download_mnist: no checksum known for {name!r}: pass checksums={{{name!r}: "
                         "'<sha256>'}} (or None to skip the check)"),
    "data.url": "download_mnist: url={value!r} must be the base URL of a mirror, e.g. {default!r}",
    "bridge.needs_torch": ("{function} needs PyTorch, which is not installed here. Install it with pip "
                           "install torch==2.13.0 (microgradfr itself never needs it)"),
    "bridge.unsupported": ("{function}: {what}{where} has no equivalent on the other side{extra}; "
                           "supported: {supported}. For a model of your own, build it on both sides and "
                           "copy the weights with load_state_dict(), whose names are PyTorch's"),
    "bridge.supported": "{layers}, and the scalar MLP",
    "bridge.at": " (at {path!r})",
    "bridge.activation": "the activation {name!r}",
    "bridge.with_pool": " with ceil_mode or return_indices",
    "bridge.with_dilation": " with dilation={value}",
    "bridge.with_conv": " with groups, dilation or a padding_mode other than zeros",
    "bridge.with_batchnorm": " with momentum=None or track_running_stats=False",
    "bridge.with_avgpool": " with count_include_pad=False or divisor_override",
    "bridge.to_torch_type": "to_torch: expected a microgradfr model (a Module), got {type}",
    "bridge.from_torch_type": "from_torch: expected a torch.nn.Module, got {type}",
    "engine.backward_setter": "{cls}._backward must be a function of no arguments, got {value!r}",
    "engine.no_grad": ("backward(): this {cls} was computed inside a `with no_grad():` block, so it "
                       "remembers no operation and has nothing to differentiate; compute it outside the "
                       "block to get gradients"),
    "engine.op_name": "{cls}(data, _children, _op): _op is the op's name, a string, got {value!r}",
    "engine.already_node": "{cls}(data): data is already a {cls}; use it directly (or {cls}(v.data))",
    "engine.not_number": ("{cls}(data) takes a number (int or float), got {type}: {value}; for arrays use "
                          "microgradfr.Tensor"),
    "engine.children_not_tuple": "{cls}(data, _children): _children is a tuple of {cls}s, got {value!r}",
    "engine.child_not_node": "{cls}(data, _children): each child must be a {cls}, got {value!r}",
    "engine.linear": "linear: {weights} weights but {inputs} inputs; a neuron needs one weight per input",
    "checkpoint.nonfinite": ("save: {name} holds NaN or an infinite value: the training diverged; nothing "
                             "was written (lower the learning rate, or save an earlier state)"),
    "checkpoint.save_type": "save: expected a model (a Module) or an optimizer, got {type}",
    "checkpoint.reserved": "save: a parameter is named {names}, which np.savez cannot store; rename it",
    "checkpoint.damaged": ("load: {path} is not a readable checkpoint: the file is damaged, truncated or "
                           "not an .npz archive written by save() ({detail})"),
    "checkpoint.pickled": "it holds pickled Python objects, which are never loaded",
    "checkpoint.no_zip": "no zip archive found",
    "checkpoint.member": "unexpected member {name!r}",
    "checkpoint.npy_version": "npy format version {version}",
    "checkpoint.header_size": ("{entry}: its .npy header says {shape} {dtype}, which does not match the "
                               "{size} bytes stored"),
    "checkpoint.kind_not_text": "{entry} is {shape} {dtype}, not a short text",
    "checkpoint.single_npy": "load: {path} holds a single .npy array, not a checkpoint (.npz archive)",
    "checkpoint.mismatch_model": "load: {path} does not match {model}:\n  {problems}",
    "checkpoint.mismatch_optimizer": "load: {path} does not match this {owner}:\n  {problems}",
    "checkpoint.of_model": "module",
    "checkpoint.of_optimizer": "optimizer {name}",
    "checkpoint.of_other": "{kind!r}",
    "checkpoint.wrong_kind_model": "load: {path} holds a {kind} checkpoint, not a model's parameters",
    "checkpoint.wrong_kind_optimizer": ("load: {path} holds a {kind} checkpoint, not a {owner} optimizer's "
                                        "state"),
    "checkpoint.bad_key": "load: {path}: unexpected key {entry!r} in an optimizer checkpoint",
    "checkpoint.group_count": ("load: {path} holds parameter groups {groups}, this {owner} has {count} "
                               "(numbered from 0)"),
    "checkpoint.too_large": "load: {path}: {entry} holds {shape} {dtype}, larger than anything {owner} keeps",
    "checkpoint.p_hyperparameters": ("param_groups.{group}: hyperparameters {names} in the file, {owner} "
                                     "has {expected}"),
    "checkpoint.p_no_parameter": ("state.{index}: parameter {index} does not exist, {owner} has {count} "
                                  "parameter(s)"),
    "checkpoint.p_buffers": "state.{index}: buffers {names} are not {owner}'s (it keeps {known})",
    "checkpoint.p_many_buffers": "state.{index}: {count} buffers, more than any optimizer keeps",
    "checkpoint.p_bool": "{entry} must be True or False, the file holds {value!r} ({dtype})",
    "checkpoint.p_setting": "{entry} must be {want}, the file holds {value!r} ({dtype})",
    "checkpoint.want_pair": "a pair of numbers like {current!r}",
    "checkpoint.want_number": "a number",
    "checkpoint.p_finite": "{entry} = {value!r} must be finite",
    "checkpoint.p_params_list": ("param_groups.{group}.params must list {count} parameter numbers, the "
                                 "file holds {dtype} of shape {shape}"),
    "checkpoint.p_params_order": "param_groups.*.params number the parameters {seen}, not 0…{last} once each",
    "checkpoint.p_step_kind": ("{entry} must be a whole number ≥ 0 (steps taken), the file holds {dtype} "
                               "of shape {shape}"),
    "checkpoint.p_step_value": "{entry} = {value!r} must be a whole number ≥ 0 (steps taken)",
    "checkpoint.p_buffer_shape": "{entry} has shape {shape}, its parameter has shape {expected}",
    "checkpoint.p_complete": "state.{index} holds {names}; with these settings {owner} keeps {wanted}",
    "checkpoint.path_first": ("load(model, path): give the model (or optimizer) to fill first, then the "
                              "file, e.g. load(model, {path!r})"),
    "checkpoint.path_missing": "load(model, path): the path of the file to read is missing",
    "checkpoint.in_file": "load: {path}: {error}",
    "checkpoint.load_type": "load: expected a model (a Module) or an optimizer, got {type}",
    # shape-i18n: the whole-array domains' shape rules (domains/arrays.py), grad mode, gradcheck, and the
    # words checkpoint.py gives nn/state.py's problem lines
    "domain.matmul_no_axis": ("{op}: both operands need at least one axis, got shapes {x.shape} @ {y.shape}; "
                              "use * to multiply by a number"),
    "domain.matmul_shapes": ("{op}: shapes {x.shape} @ {y.shape} do not line up: {last} != {inner} (the last "
                             "axis of the left operand must match the second-to-last of the right; "
                             "transpose one of them?)"),
    "domain.linear_in_features": ("{op}: input of shape {x.shape} does not fit a weight of shape {w.shape} "
                                  "(out_features, in_features): its last axis must be {in_features}"),
    "domain.conv2d_rank": ("{op}: input must be (N, C, H, W) and weight (F, C, kh, kw), got shapes {x.shape} "
                           "and {w.shape}; add a batch axis with x.reshape(1, *x.shape)"),
    "domain.conv2d_channels": ("{op}: input has {x.shape[1]} channels (shape {x.shape}) but the weight "
                               "expects {w.shape[1]} (shape {w.shape})"),
    "domain.conv2d_kernel": ("{op}: kernel {w.shape[2]}×{w.shape[3]} is larger than the padded input "
                             "{hp}×{wp} (input shape {x.shape}, padding {padding}); use a smaller kernel, "
                             "more padding or a bigger image"),
    "domain.conv2d_bias": "{op}: bias has shape {b.shape}, expected ({w.shape[0]},): one per filter",
    "domain.pool_rank": "{op}: input must be (N, C, H, W), got shape {x.shape}",
    "domain.pool_padding": ("{op}: padding {padding} is more than half the {window} window; as in PyTorch, "
                            "use padding ≤ {half} so that every window holds a real entry"),
    "domain.pool_window": ("{op}: window {window} is larger than the padded input {hp}×{wp} (shape "
                           "{x.shape}, padding {padding}); use a smaller kernel_size"),
    "autograd.set_grad_enabled_mode": "set_grad_enabled(mode): mode must be True or False, got {mode!r}",
    "testing.not_scalar": ("gradcheck: f must return a scalar, got shape {shape}; reduce it first, e.g. with "
                           ".sum()"),
    "checkpoint.source_file": "the file",
    # torch-functions (microgradfr.functions: torch.exp, torch.where…; microgradfr.utils.data)
    "torchfn.not_a_tensor": ("{function}: expected a Tensor, got {type}; make one first with "
                             "torch.tensor(...)"),
    "torchfn.max_other": ("{function}(input, other) entry by entry is not available here; write "
                          "torch.where(input {sign} other, input, other), or give an axis: "
                          "{function}(input, dim=1)"),
    "torchfn.where_side": ("where: input and other must be Tensors or numbers, got {type}; make one with "
                           "torch.tensor(...)"),
    "torchfn.where_condition": ("where: the condition must be a Tensor of booleans, got {dtype}; write a "
                                "comparison, for example x > 0"),
    "torchfn.where_args": ("where: give both input and other, where(condition, input, other), or neither, "
                           "where(condition), for the indices of the true entries"),
    "torchfn.where_shapes": ("where: shapes {condition} (condition), {input} (input) and {other} (other) "
                             "do not broadcast together; along each axis the sizes must be equal or 1"),
    "torchfn.from_numpy_type": ("from_numpy: expected a numpy array (np.ndarray), got {type}; for a list, "
                                "write torch.tensor(...)"),
    "utils.data.no_getitem": ("{type}: a Dataset must define __getitem__(self, index), returning sample "
                              "number index"),
    "utils.data.no_len": "{type}: a Dataset must define __len__(self), returning the number of samples",
    "utils.data.no_tensors": "TensorDataset: give at least one Tensor, for example TensorDataset(X, y)",
    "utils.data.not_a_tensor": ("TensorDataset: argument {index} is a {type}, not a Tensor; make one with "
                                "torch.tensor(...) or torch.from_numpy(...)"),
    "utils.data.zero_dim": ("TensorDataset: Tensor {index} is a single number, with no axis 0 to go "
                            "through; one sample per row is needed"),
    "utils.data.size_mismatch": ("TensorDataset: the Tensors do not hold the same number of samples along "
                                 "axis 0, {lengths} (shapes {shapes}); one label per sample is needed"),
    "utils.data.collate_type": ("DataLoader: cannot put samples of type {type} into a batch; a sample must "
                                "be made of Tensors, numpy arrays, numbers, tuples or dicts"),
    "utils.data.generator": ("{function}: generator must be a microgradfr.Generator (or a "
                             "np.random.Generator), got {type}; without a generator, the order drawn "
                             "follows manual_seed"),
    "utils.data.not_a_dataset": ("DataLoader: expected a dataset (an object with __getitem__ and __len__, "
                                 "like TensorDataset(X, y)), got {type}"),
    "utils.data.batch_size": ("DataLoader: batch_size must be an integer ≥ 1 (the size of a batch), got "
                              "{batch_size!r}"),
    "utils.data.split_fraction": "random_split: fraction number {index}, {fraction}, is not between 0 and 1",
    "utils.data.split_lengths": ("random_split: the lengths {lengths} do not add up to {total}, the number "
                                 "of samples in the dataset; give integers summing to {total} or fractions "
                                 "summing to 1"),
}

CATALOGUE = {"fr": _FR, "en": _EN}
"""Every sentence a learner reads, by language then by key (``"area.name"``)."""

ARGPARSE = {
    "fr": {
        "usage: ": "utilisation : ",
        # argparse writes a group's title then ":" itself; the trailing space gives French's « titre : »
        "positional arguments": "arguments positionnels ",
        "options": "options ",
        "optional arguments": "options ",  # Python ≤ 3.9's title for the same group
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


def table(prefix: str) -> dict:
    """The catalogue's ``<prefix>.*`` entries as a module's own table: ``{lang: {key: text}}``.

    For a module that reads ``TEXTS[lang][key]``: its sentences live here, in the catalogue, and
    the table is a view of them. A few entries are not one sentence but a choice among words: a
    pair (``"<prefix>.it.0"``, ``"<prefix>.it.1"``: singular, plural) comes back as a tuple, and
    ``"<prefix>.ratio/2"``, ``"<prefix>.ratio/0.5"`` as the dict ``{2: …, 0.5: …}``.

    >>> table("demo")["en"]["file_graph"]
    'graph_L.svg'
    """
    out = {}
    for lang, sentences in CATALOGUE.items():
        entries = {}
        for key, text in sentences.items():
            if not key.startswith(prefix + "."):
                continue
            name = key[len(prefix) + 1:]
            if "/" in name:                                   # a dict: name/sub
                name, sub = name.split("/", 1)
                entries.setdefault(name, {})[_sub_key(sub)] = text
            elif name.rpartition(".")[2].isdigit():           # a tuple: name.0, name.1
                name, _, i = name.rpartition(".")
                entries.setdefault(name, {})[int(i)] = text
                entries[name] = dict(sorted(entries[name].items()))
            else:
                entries[name] = text
        for name, value in entries.items():
            if isinstance(value, dict) and value and all(isinstance(k, int) for k in value) \
                    and list(value) == list(range(len(value))) and f"{prefix}.{name}.0" in sentences:
                entries[name] = tuple(value.values())
        out[lang] = entries
    return out


def _sub_key(text: str):
    """``"2"`` → 2, ``"0.5"`` → 0.5, ``"sign"`` → ``"sign"``: the keys of a dict entry."""
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


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
