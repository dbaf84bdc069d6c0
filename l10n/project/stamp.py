"""A build's stamp: the stat data of every file a build reads or writes, so that a build
with nothing to do knows it from one scan of the folders, without looking at any article.

A build that did all its work without an error stamps the project as it ends: a hash of
the path and stat data (size, mtime, ctime, inode) of every file below the articles,
locales and output folders, of the configuration file and of the files outside the
articles folder its pages copied, kept in the run store with the run's settings (version,
threshold, locales) and what it said that a run with nothing to do says again (its
warnings and notes). The next build with the same settings scans the same files first;
when nothing has changed it says what the stamping run said, from the store, and stops
there. Any other build forgets the stamp as it starts.

Only stat data is compared, as the store's file hashes do (see :data:`~.store.SETTLED_NS`):
an input changed less than two seconds before the run ended could be written again within
one clock tick with the same stat data, so its content hash is kept and compared instead.
A page edited by hand in ``site/`` with its size and times kept would not be seen; a build
does not read pages back either (it only checks they exist). A folder reached through a
symbolic link is not scanned, so a project with one is never stamped.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Iterable, Mapping
from dataclasses import astuple, dataclass, field, replace
from typing import Any

from ..errors import L10nWarning
from .files import LOCK_FILE
from .paths import CACHE_DIR, Project
from .store import SETTLED_NS, Store
from .summary import Pages

COMMAND = "stamp"  # the store's entry: slug "" (the project), key "build"
_KEY = "build"

Stat = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode
_GONE: Stat = (-1, -1, -1, -1)  # listed by the folder, but no stat (a dangling link, a file gone meanwhile)


@dataclass(frozen=True, slots=True)
class Scan:
    """The stat data of a project's files as one scan found them (None: not stampable)."""

    inputs: dict[str, Stat] | None  # below the articles and locales folders, and the configuration
    outside: dict[str, Stat]  # the files copied from outside the articles folder that it was asked about
    outputs: dict[str, Stat] | None  # the output folder
    ended_ns: int  # when the scan ended (wall clock, as file times are)

    @property
    def usable(self) -> bool:
        return self.inputs is not None and self.outputs is not None


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a stamping run left in the store: enough to know that nothing changed since,
    and to say again what it said."""

    settings: str
    hashed: str  # hash of the paths and stat data of every file (racy ones: path only)
    racy: Mapping[str, str] = field(default_factory=dict)  # input path -> content hash
    outside: tuple[str, ...] = ()  # copied files outside the articles folder (project-relative)
    notes: tuple[str, ...] = ()
    warnings: tuple[tuple[str, str, int | None], ...] = ()  # (message, path, line)
    pages: Pages = field(default_factory=Pages)  # what its summary said of them: a run with nothing to do says it too

    def dumps(self) -> str:
        return json.dumps(
            {
                "settings": self.settings,
                "hashed": self.hashed,
                "racy": dict(self.racy),
                "outside": list(self.outside),
                "notes": list(self.notes),
                "warnings": [list(warning) for warning in self.warnings],
                "pages": [*astuple(self.pages)[:-1], list(self.pages.skipped)],
            },
            ensure_ascii=False,
        )

    @classmethod
    def loads(cls, text: str | None) -> Stamp | None:
        try:
            data = json.loads(text or "")
            return cls(
                str(data["settings"]),
                str(data["hashed"]),
                {str(path): str(hashed) for path, hashed in data["racy"].items()},
                tuple(str(path) for path in data["outside"]),
                tuple(str(note) for note in data["notes"]),
                tuple((str(m), str(p), None if n is None else int(n)) for m, p, n in data["warnings"]),
                _pages(data["pages"]),
            )
        except (ValueError, TypeError, KeyError, AttributeError):
            return None  # not ours (another version, a damaged row): as if never stamped

    def replayed(self) -> list[L10nWarning]:
        return [L10nWarning(message, path, line) for message, path, line in self.warnings]


def _pages(data: list[Any]) -> Pages:
    *numbers, skipped = data
    built, kept, failed, fallbacks, kept_translations = (int(number) for number in numbers)
    return Pages(built, kept, failed, fallbacks, kept_translations, tuple(str(line) for line in skipped))


def settings(setting: str, locales: Iterable[str], others: Iterable[str]) -> str:
    """What else a build's output depends on: the run's settings, its locales, and the
    libraries that parse, serialise and name things."""
    import babel
    import lxml.etree

    versions = f"lxml {lxml.etree.__version__}, libxml2 {lxml.etree.LIBXML_VERSION}, babel {babel.__version__}"
    return f"{setting}|{','.join(locales)}|{','.join(others)}|{versions}|{sys.version_info[:3]}"


def scan(project: Project, outside: Iterable[str] = ()) -> Scan:
    """Stat every file a build of *project* reads or writes (*outside*: files it copies
    from outside the articles folder, project-relative)."""
    config = project.config
    skip = {os.path.join(project.root, CACHE_DIR), os.path.join(project.root, config.locales_dir, LOCK_FILE)}
    inputs: dict[str, Stat] | None = {}
    for folder in (config.articles, config.locales_dir):
        inputs = _walk(os.path.join(project.root, folder), skip, inputs)
    if inputs is not None:
        config_file = os.path.join(project.root, project.config_file)
        inputs[config_file] = _stat(config_file)
    copied = {path: _stat(path) for path in (os.path.join(project.root, name) for name in outside)}
    outputs = _walk(os.path.join(project.root, config.output), skip, {})
    return Scan(inputs, copied, outputs, time.time_ns())


def unchanged(store: Store, wanted: str, project: Project) -> tuple[Stamp | None, Scan]:
    """The stamp a run with settings *wanted* may stand on (None: it must run), and the
    scan made to know it, which the run then stamps from."""
    stamp = Stamp.loads(store.entries("").get(COMMAND, {}).get(_KEY))
    found = scan(project, stamp.outside if stamp is not None else ())
    if stamp is None or stamp.settings != wanted or not found.usable:
        return None, found
    if _hashed(found, stamp.racy) != stamp.hashed:
        return None, found
    for path, hashed in stamp.racy.items():
        if _content(path) != hashed:
            return None, found
    return stamp, found


def forget(store: Store) -> None:
    store.forget(COMMAND, "", _KEY)


def record(
    store: Store,
    project: Project,
    started: Scan,
    stamp: Stamp,
) -> bool:
    """Stamp *project* as a run that scanned *started* as it began leaves it; *stamp*
    says the settings and what the run said (its hash is made here). Not when an input
    changed during the run (a translator saved: the next run must read it) or when the
    project cannot be stamped. True when stamped."""
    ended = scan(project, stamp.outside)
    if not (started.usable and ended.usable) or started.inputs != ended.inputs:
        return False
    assert ended.inputs is not None
    if any(started.outside.get(path, stat) != stat for path, stat in ended.outside.items()):
        return False
    recent = ended.ended_ns - SETTLED_NS
    # A copied file the run did not stat as it began may have changed during the run.
    racy = {
        path: _content(path)
        for files in (ended.inputs, ended.outside)
        for path, stat in files.items()
        if max(stat[1], stat[2]) >= recent or (files is ended.outside and path not in started.outside)
    }
    store.put(COMMAND, "", _KEY, _with_hash(stamp, _hashed(ended, racy), racy).dumps())
    return True


def _with_hash(stamp: Stamp, hashed: str, racy: Mapping[str, str]) -> Stamp:
    return replace(stamp, hashed=hashed, racy=racy)


def _hashed(found: Scan, racy: Mapping[str, str]) -> str:
    """A hash of every path and its stat data (a racy file's by its path only: its content
    hash is compared apart), in the order the folders listed them: the same folders list
    the same order, and another order only makes a run that was not needed."""
    assert found.inputs is not None and found.outputs is not None
    inputs = found.inputs
    if racy:
        inputs = {path: (-2, -2, -2, -2) if path in racy else stat for path, stat in inputs.items()}
    outside = {path: (-2, -2, -2, -2) if path in racy else stat for path, stat in found.outside.items()}
    text = repr((inputs, outside, found.outputs))
    return hashlib.sha256(text.encode("utf-8", "surrogateescape")).hexdigest()


def _content(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest()
    except OSError:
        return "unreadable"


def _stat(path: str) -> Stat:
    try:
        found = os.stat(path)
    except OSError:
        return _GONE
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def _walk(root: str, skip: set[str], into: dict[str, Stat] | None) -> dict[str, Stat] | None:
    """Add the stat data of every file below *root* to *into*; None when a folder is a
    symbolic link (its files are not scanned, so changes there would not be seen)."""
    if into is None:
        return None
    folders = [root]
    while folders:
        folder = folders.pop()
        try:
            with os.scandir(folder) as entries:
                for entry in entries:
                    path = entry.path
                    if path in skip:
                        continue
                    if entry.is_dir(follow_symlinks=False):
                        folders.append(path)
                    elif entry.is_symlink() and entry.is_dir():
                        return None
                    else:
                        try:
                            found = entry.stat()
                        except OSError:
                            into[path] = _GONE
                            continue
                        into[path] = (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)
        except FileNotFoundError:
            into[folder] = _GONE  # no output folder yet, or a folder gone meanwhile
        except OSError:
            return None  # unreadable: what it holds cannot be known
    return into
