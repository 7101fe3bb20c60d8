"""The language switch and the catalogue: both languages have every message, with the same fields, in
their own words and the course's vocabulary; the switch is read in the documented order."""
import argparse
import ast
import inspect
import re
import string
from pathlib import Path

import pytest

import microgradfr
import microgradfr.nn
import microgradfr.ops
import viz
import viz.backend
import viz.beamer
from microgradfr import i18n
from microgradfr.cli import main
from microgradfr.i18n import ARGPARSE, CATALOGUE, VOCABULARY, WRONG_FRENCH, message
from microgradfr.testing import check_grads

ROOT = Path(__file__).resolve().parents[1]
KEYS = sorted(set().union(*CATALOGUE.values()))

# Words that give away the other language. Short on purpose: frequent words that do not exist in
# the other language (no "a", "on", "options", "total", "gradient" ...).
ENGLISH_WORDS = {"the", "and", "of", "is", "not", "with", "must", "see", "write", "file", "loss", "epoch",
                 "accuracy", "layer", "error", "value", "training", "folder", "none", "mistake", "step"}
FRENCH_WORDS = {"le", "la", "les", "des", "du", "est", "et", "une", "avec", "dans", "perte", "époque",
                "exactitude", "couche", "valeur", "erreur", "fichier", "écrit", "dossier", "aucune", "étape"}


@pytest.fixture(autouse=True)
def _no_language_set(monkeypatch):
    """Each test starts with no set_language() and no MICROGRADFR_LANG, and leaves none behind."""
    monkeypatch.delenv(i18n.ENV_VAR, raising=False)
    i18n.set_language(None)
    yield
    i18n.set_language(None)


def _fields(text: str) -> set:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name is not None}


def _words(text: str) -> set:
    """The prose words of a message: placeholders, options (--set), code (zero_grad(), loss_fn) removed."""
    text = re.sub(r"\{[^}]*\}|%\([^)]*\)\w|--?[\w-]+|\w+\(\)|\w+\.\w+|\w+=\S*|\w+_\w+", " ", text)
    return {w.lower() for w in re.findall(r"[^\W\d_]+", text)}


# ------------------------------------------------------------------ the catalogue
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_key_exists_in_every_language(lang):
    missing = sorted(set(KEYS) - set(CATALOGUE[lang]))
    assert not missing, f"{lang}: no text for {missing}"


@pytest.mark.parametrize("key", KEYS)
def test_both_languages_fill_in_the_same_fields(key):
    fr, en = CATALOGUE["fr"][key], CATALOGUE["en"][key]
    assert _fields(fr) == _fields(en), f"{key}: fields {_fields(fr)} in French, {_fields(en)} in English"


@pytest.mark.parametrize("key", KEYS)
def test_french_text_has_no_english_words(key):
    stray = _words(CATALOGUE["fr"][key]) & ENGLISH_WORDS
    assert not stray, f"{key}: English words {stray} in {CATALOGUE['fr'][key]!r}"


@pytest.mark.parametrize("key", KEYS)
def test_english_text_has_no_french_words(key):
    stray = _words(CATALOGUE["en"][key]) & FRENCH_WORDS
    assert not stray, f"{key}: French words {stray} in {CATALOGUE['en'][key]!r}"


@pytest.mark.parametrize("term", VOCABULARY, ids=lambda t: t.en)
def test_the_vocabulary_is_used_everywhere(term):
    """Wherever the English says the term, the French says the vocabulary's word for it."""
    en_word = re.compile(rf"\b{re.escape(term.en)}", re.I)
    fr_word = re.compile(rf"\b{re.escape(term.fr)}", re.I)
    for key in KEYS:
        if en_word.search(_prose(CATALOGUE["en"][key])):
            fr = CATALOGUE["fr"][key]
            assert fr_word.search(fr), \
                f"{key}: the English says {term.en!r}, the French not {term.fr!r}: {fr!r}"


def _prose(text):
    """The text without {fields} and code (History.plot, zero_grad()), which are not words."""
    return re.sub(r"\{[^}]*\}|\w+\(\)|\w+\.\w+|\w+_\w+", " ", text)


@pytest.mark.parametrize("word", sorted(WRONG_FRENCH))
def test_french_never_uses_the_wrong_word(word):
    found = [k for k in KEYS if re.search(rf"\b{word}\b", _prose(CATALOGUE["fr"][k]), re.I)]
    assert not found, f"{found} say {word!r}: write {WRONG_FRENCH[word]!r}"


def _keys_used_in_sources():
    for path in sorted([*ROOT.glob("microgradfr/**/*.py"), *ROOT.glob("viz/*.py")]):
        source = path.read_text(encoding="utf-8")
        for key in re.findall(r"""(?:(?<![\w.])|(?<=\bi18n\.))message\(\s*f?["']([\w.{}]+)["']""", source):
            yield path.relative_to(ROOT), key


@pytest.mark.parametrize("where, key", list(_keys_used_in_sources()), ids=str)
def test_every_key_the_code_asks_for_exists(where, key):
    if "{" in key:  # message(f"metric.{name}") is checked where it is built
        return
    assert key in CATALOGUE["fr"], f"{where} asks for {key!r}, which the catalogue lacks"


# ------------------------------------------------------------------ choosing the language
def test_french_by_default():
    assert microgradfr.get_language() == "fr" and i18n.resolve() == "fr"
    assert message("plot.epoch") == "époque"


@pytest.mark.parametrize("value, lang", [("en", "en"), ("fr", "fr"), ("en_US.UTF-8", "en"), ("FR", "fr"),
                                         ("fr-CA", "fr")])
def test_the_environment_variable_chooses(monkeypatch, value, lang):
    monkeypatch.setenv("MICROGRADFR_LANG", value)
    assert i18n.get_language() == lang


def test_an_unknown_environment_value_warns_once_and_keeps_french(monkeypatch):
    monkeypatch.setenv("MICROGRADFR_LANG", "de")
    monkeypatch.setattr(i18n, "_warned", set())
    with pytest.warns(UserWarning, match="MICROGRADFR_LANG='de'.*fr, en") as caught:
        assert i18n.get_language() == "fr" and message("metric.loss") == "perte"
    assert len(caught) == 1


def test_set_language_beats_the_environment_and_lang_beats_both(monkeypatch):
    monkeypatch.setenv("MICROGRADFR_LANG", "fr")
    microgradfr.set_language("en")
    assert i18n.get_language() == "en" and message("metric.loss") == "loss"
    assert i18n.resolve("fr") == "fr" and message("metric.loss", "fr") == "perte"
    microgradfr.set_language(None)
    assert i18n.get_language() == "fr"


def test_a_with_block_speaks_its_language_then_goes_back():
    microgradfr.set_language("en")
    with i18n.language("fr"):
        assert message("metric.accuracy") == "exactitude"
    assert message("metric.accuracy") == "accuracy"


@pytest.mark.parametrize("bad", ["de", "FR", "", None, 1])
def test_a_wrong_language_is_refused_in_the_users_language(bad):
    if bad is not None:
        with pytest.raises(ValueError, match="langue inconnue.*fr, en"):
            i18n.resolve(bad)
    with pytest.raises(ValueError, match="unknown language.*fr, en"):
        microgradfr.set_language("en")
        microgradfr.set_language("de")


@pytest.mark.parametrize("key, fr, en", [
    ("val_loss", "perte (validation)", "loss (validation)"), ("accuracy", "exactitude", "accuracy"),
    ("lr", "taux d'apprentissage", "learning rate"), ("f1", "f1", "f1"),
    ("val_f1", "f1 (validation)", "f1 (validation)")])
def test_metric_labels(key, fr, en):
    assert i18n.metric_label(key, "fr") == fr and i18n.metric_label(key, "en") == en


# ------------------------------------------------------------------ argparse's own strings
_PROGRAMMER_ONLY = {  # raised at whoever writes the parser, never at a student: they stay English
    "%r is not callable", "'required' is an invalid argument for positionals", ".__call__() not defined",
    "cannot have multiple subparser arguments", "cannot merge actions - two groups are named %r",
    "conflicting option string: %s", "conflicting option strings: %s", "conflicting subparser alias: %s",
    "conflicting subparser: %s", "dest= is required for options like %r",
    "invalid conflict_resolution value: %r",
    "invalid option string %(option)r: must start with a character %(prefix_chars)r",
    "mutually exclusive arguments must be optional", "unexpected option string: %s",
    "length of metavar tuple does not match nargs", "argument '%(argument_name)s' is deprecated",
    "option '%(option)s' is deprecated", "command '%(parser_name)s' is deprecated",
    "nargs for store actions must be != 0; if you have nothing to store, actions such as store true or "
    "store const may be more appropriate", "nargs for append actions must be != 0; if arg strings are not "
    "supplying the value to append, the append const action may be more appropriate",
}


def _argparse_ids():
    """Every string this Python's argparse passes through gettext (``_`` or ``ngettext``)."""
    tree = ast.parse(inspect.getsource(argparse))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("_", "ngettext"):
            yield from (a.value for a in node.args
                        if isinstance(a, ast.Constant) and isinstance(a.value, str))


@pytest.mark.parametrize("msgid", sorted(set(_argparse_ids()) - _PROGRAMMER_ONLY))
def test_argparse_strings_a_student_sees_are_translated(msgid):
    assert msgid in ARGPARSE["fr"], f"argparse's {msgid!r} has no French in i18n.ARGPARSE"
    assert re.findall(r"%\(\w+\)\w|%\w", msgid) == re.findall(r"%\(\w+\)\w|%\w", ARGPARSE["fr"][msgid])


def _toy_parser():
    parser = argparse.ArgumentParser(prog="outil")
    parser.add_argument("expression")
    parser.add_argument("--lang", choices=("fr", "en"))
    return parser


def test_argparse_speaks_french_inside_the_block_only(capsys):
    with i18n.argparse_language("fr"):
        parser = _toy_parser()
        help_text = parser.format_help()
        with pytest.raises(SystemExit):
            parser.parse_args(["x", "--lang", "de"])
    err = capsys.readouterr().err
    assert "utilisation : outil" in help_text and "arguments positionnels" in help_text
    assert "afficher ce message d'aide et quitter" in help_text
    assert "outil : erreur : argument --lang : choix invalide : 'de'" in err
    assert not _words(help_text) & ENGLISH_WORDS - {"expression"}
    assert "usage: outil" in _toy_parser().format_help()   # put back afterwards


# ------------------------------------------------------------------ the demo
def _needs_renderer():
    if viz.backend.find_renderer("svg") is None:
        pytest.skip("no Graphviz renderer")


@pytest.mark.parametrize("lang, names", [("fr", ["graphe_L.svg", "pas_a_pas_L.html"]),
                                         ("en", ["graph_L.svg", "step_by_step_L.html"])])
def test_demo_files_are_named_in_its_language(tmp_path, capsys, lang, names):
    _needs_renderer()
    assert main(["demo", "--out", str(tmp_path), "--lang", lang]) == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names)
    out = capsys.readouterr().out
    assert not _words(out) & (ENGLISH_WORDS if lang == "fr" else FRENCH_WORDS) - {"mlp"}


def test_the_demo_follows_the_switch(monkeypatch):
    from microgradfr.demo import train_moons
    lines = []
    train_moons(epochs=1, out=lines.append)
    assert "exactitude" in lines[-1] and "précision" not in lines[-1]
    monkeypatch.setenv("MICROGRADFR_LANG", "en")
    lines.clear()
    train_moons(epochs=1, out=lines.append)
    assert "accuracy" in lines[-1] and lines[0].startswith("Training")


# ------------------------------------------------------------------ the vocabulary outside the catalogue
def _french_documents():
    yield from sorted((ROOT / "notebooks").glob("*.ipynb"))
    yield ROOT / "README.md"


@pytest.mark.parametrize("path", list(_french_documents()), ids=lambda p: p.name)
def test_notebooks_and_readme_say_exactitude_for_accuracy(path):
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        text = text.split("\n---\n")[0]  # the French part
    assert not re.search(r"\bprécisions?\b", text, re.I), \
        f"{path.name} says « précision »: the course's word for accuracy is {WRONG_FRENCH['précision']!r}"


# ------------------------------------------------------------------ viz follows the switch
def _course():
    from microgradfr.demo import course_graph
    L, v = course_graph()
    L.backward()
    return L, v


def _leaky():
    from microgradfr import Value
    x = Value(-2.0, label="x")
    out = x.leaky_relu(0.1)
    out.backward()
    return out


# What each viz entry point writes, called without lang= (the switch decides) or with lang=.
VIZ_TEXTS = {
    "explain": lambda lang: _explain(lang),
    "draw_dot": lambda lang: viz.draw_dot(_course()[0], **lang).source,
    "player frames": lambda lang: " ".join(f["title"] + " " + f["text"]
                                           for f in viz.animation(_course()[0], **lang).frames),
    "backward steps": lambda lang: " ".join(s.text(**lang) for s in viz.backward_steps(_course()[0])),
    "format_node": lambda lang: viz.format_node(_course()[0], "L", None, **lang).grad,
    "op formula": lambda lang: microgradfr.ops.OPS["leaky_relu"].formula(0, {"x": "a", "k": 0.1}, **lang),
    "leaky step": lambda lang: " ".join(s.text(**lang) for s in viz.backward_steps(_leaky())),
    "summary": lambda lang: str(microgradfr.nn.Sequential(microgradfr.nn.Linear(3, 2)).summary((3,), **lang)),
    "check_grads": lambda lang: str(check_grads(_course()[0], {"w1": -4.5, "c": -3.0, "a": 1.0}, **lang)),
    "backward_code": lambda lang: viz.backward_code(_course()[0], **lang),
    "slide lines": lambda lang: " ".join(" ".join(viz.beamer.step_lines(s, **lang))
                                         for s in viz.backward_steps(_course()[0])),
}


def _explain(lang):
    L, v = _course()
    return viz.explain(L, v["w1"], **lang)


@pytest.mark.parametrize("name", VIZ_TEXTS)
@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_what_a_learner_reads_follows_the_switch(monkeypatch, name, lang):
    """No setting: French; MICROGRADFR_LANG or set_language: that language, word for word what
    lang= gives; and lang= beats both."""
    write = VIZ_TEXTS[name]
    asked = write({"lang": lang})
    if lang == "fr":
        assert write({}) == asked, "French with no setting"
    monkeypatch.setenv(i18n.ENV_VAR, lang)
    assert write({}) == asked
    other = "en" if lang == "fr" else "fr"
    monkeypatch.setenv(i18n.ENV_VAR, other)
    microgradfr.set_language(lang)
    assert write({}) == asked
    assert write({"lang": other}) != asked, "lang= wins over the switch"


@pytest.mark.parametrize("name", VIZ_TEXTS)
def test_the_languages_do_not_mix(name):
    """Each text in one language has no word of the other (the course's graph and the leaky ReLU)."""
    for lang, foreign in (("fr", ENGLISH_WORDS), ("en", FRENCH_WORDS)):
        words = _words(VIZ_TEXTS[name]({"lang": lang}))
        assert not words & foreign - {"mlp", "sequential"}, (lang, words & foreign)


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_player_page_is_in_the_switchs_language(tmp_path, monkeypatch, lang):
    monkeypatch.setenv(i18n.ENV_VAR, lang)
    page = viz.to_html(_course()[0], tmp_path / "p.html").read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in page
    assert (CATALOGUE[lang]["viz.next"] in page) and (CATALOGUE[lang]["viz.title"] in page)
