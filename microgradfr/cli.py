"""The ``microgradfr`` command line."""
from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="microgradfr", description="microgradfr: autograd pédagogique")
    sub = parser.add_subparsers(dest="command", required=True)
    demo = sub.add_parser("demo", help="exemple du cours calculé et expliqué, puis un MLP entraîné")
    demo.add_argument("--lang", choices=("fr", "en"), default="fr")
    args = parser.parse_args(argv)
    if args.command == "demo":
        from .demo import run
        run(lang=args.lang)
    return 0


if __name__ == "__main__":
    sys.exit(main())
