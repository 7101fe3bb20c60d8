"""``python -m microgradfr``: the command line (see :mod:`microgradfr.cli`)."""
import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
