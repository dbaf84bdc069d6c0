"""``python -m l10n``: the command line without the console script."""

from .cli import run

run()
