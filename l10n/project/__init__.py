"""A newsroom project on disk: the only package that reads and writes files.

It finds the configuration and the articles, runs extraction and build over every
article, and reports each bad file as one :class:`~l10n.errors.L10nError` while going on
with the others. Writes are atomic (temporary file, then rename) and runs hold the
project's lock, so a crash or a second run never leaves half a file.

One room a job: :mod:`.paths` (configuration, folders, reading articles and
catalogues), :mod:`.files` (atomic writes, modes, the lock), :mod:`.store` (the run
store), :mod:`.pool` (worker processes), :mod:`.cluster` (the same on Dask), :mod:`.extraction` (``extract``),
:mod:`.building` (``build``), :mod:`.desk` (``status``, ``check``, ``pseudo``),
:mod:`.scaffolding` (``init``), :mod:`.pruning` (``extract --prune``), :mod:`.xliffing`
(``xliff export``, ``xliff import``).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from .disk import planned
from .files import project_lock, write_atomic
from .paths import (
    CACHE_DIR,
    Project,
    article_slugs,
    find_root,
    new_locales,
    open_project,
    read_article,
    read_catalog,
)
from .summary import PageOutcome, Progress, Records, Report, Summary

if TYPE_CHECKING:
    from .building import build
    from .cluster import Runner
    from .desk import check, orphans, pseudo, status
    from .extraction import extract
    from .pool import in_parallel
    from .scaffolding import Created, init
    from .xliffing import export as xliff_export
    from .xliffing import import_files as xliff_import

# The commands' modules, imported when first used: a command loads its own (an extract
# never imports the build's page writing, feeds and dashboard), which shortens every
# run's start by tens of milliseconds. Name -> (module, name in it).
_LAZY = {
    "build": ("building", "build"),
    "check": ("desk", "check"),
    "orphans": ("desk", "orphans"),
    "pseudo": ("desk", "pseudo"),
    "status": ("desk", "status"),
    "extract": ("extraction", "extract"),
    "Created": ("scaffolding", "Created"),
    "init": ("scaffolding", "init"),
    "xliff_export": ("xliffing", "export"),
    "xliff_import": ("xliffing", "import_files"),
    "Runner": ("cluster", "Runner"),
    "in_parallel": ("pool", "in_parallel"),
}


def __getattr__(name: str) -> Any:
    """A command's function, from its module imported now (see :data:`_LAZY`)."""
    if name not in _LAZY:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(importlib.import_module(f"{__name__}.{module}"), attribute)
    globals()[name] = value
    return value


__all__ = [
    "CACHE_DIR",
    "Created",
    "PageOutcome",
    "Progress",
    "Project",
    "Records",
    "Report",
    "Runner",
    "Summary",
    "article_slugs",
    "build",
    "check",
    "extract",
    "find_root",
    "in_parallel",
    "init",
    "new_locales",
    "open_project",
    "orphans",
    "planned",
    "project_lock",
    "pseudo",
    "read_article",
    "read_catalog",
    "status",
    "write_atomic",
    "xliff_export",
    "xliff_import",
]
