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
from collections.abc import Callable, Iterable, Mapping, Set
from dataclasses import asdict, dataclass, field, replace
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
    """What one scan found, as hashes: the stat data are not kept (at 1,000,000 articles
    and 20 locales they would be 40 million entries)."""

    usable: bool  # False: a folder was a symbolic link or could not be read
    inputs: str  # the hash of every input's path and stat data: was one changed during a run?
    stamped: str  # the same with the copied files and the output folder, racy files by path only
    outside: dict[str, Stat]  # the files copied from outside the articles folder that it was asked about
    racy: tuple[str, ...]  # the inputs hashed by their path only (see scan)


@dataclass(frozen=True, slots=True)
class Stamp:
    """What a stamping run left in the store: enough to know that nothing changed since,
    and to say again what it said."""

    settings: str
    hashed: str = ""  # hash of the paths and stat data of every file (racy ones: path only); made by record
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
                "pages": asdict(self.pages),
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


def _pages(data: dict[str, Any]) -> Pages:
    skipped = tuple(str(line) for line in data.pop("skipped"))
    return Pages(**{name: int(number) for name, number in data.items()}, skipped=skipped)


def settings(setting: str, locales: Iterable[str], others: Iterable[str]) -> str:
    """What else a build's output depends on: the run's settings, its locales, and the
    libraries that parse, serialise and name things."""
    import babel
    import lxml.etree

    versions = f"lxml {lxml.etree.__version__}, libxml2 {lxml.etree.LIBXML_VERSION}, babel {babel.__version__}"
    return f"{setting}|{','.join(locales)}|{','.join(others)}|{versions}|{sys.version_info[:3]}"


def scan(project: Project, outside: Iterable[str] = (), racy: Set[str] = frozenset(), since: int | None = None) -> Scan:
    """Stat every file a build of *project* reads or writes (*outside*: files it copies
    from outside the articles folder, project-relative). An input in *racy*, or changed
    at or after *since* (ns), is hashed by its path only in the stamped hash."""
    config = project.config
    root = project.root
    skip = {os.path.join(root, CACHE_DIR), os.path.join(root, config.locales_dir, LOCK_FILE)}
    hasher = _Hasher(racy, since)
    usable = _walk(os.path.join(root, config.articles), skip, hasher.input)
    usable = usable and _walk(os.path.join(root, config.locales_dir), skip, hasher.input)
    config_file = os.path.join(root, project.config_file)
    hasher.input(config_file, _stat(config_file))
    copied = {path: _stat(path) for path in (os.path.join(root, name) for name in outside)}
    for path, stat in copied.items():
        hasher.input(path, stat, plain=False)
    usable = usable and _walk(os.path.join(root, config.output), skip, hasher.output)
    return hasher.scan(usable, copied)


class _Hasher:
    """Hashes stat data as a scan finds them, a few thousand lines at a time, in the order
    the folders list them: the same folders list the same order, and another order only
    makes a run that was not needed."""

    def __init__(self, racy: Set[str], since: int | None) -> None:
        self._racy, self._since = racy, since
        self._inputs, self._stamped = hashlib.sha256(), hashlib.sha256()
        self._input_lines: list[str] = []
        self._stamped_lines: list[str] = []
        self.found_racy: list[str] = []

    def input(self, path: str, stat: Stat, plain: bool = True) -> None:
        line = f"{path}\0{stat}\n"
        if plain:  # copied files are compared one by one (see record)
            self._input_lines.append(line)
        if path in self._racy or (self._since is not None and max(stat[1], stat[2]) >= self._since):
            self.found_racy.append(path)
            line = f"{path}\0racy\n"
        self._add(line)

    def output(self, path: str, stat: Stat) -> None:
        self._add(f"out {path}\0{stat}\n")

    def _add(self, line: str) -> None:
        self._stamped_lines.append(line)
        if len(self._stamped_lines) >= 4096:
            self._drain()

    def _drain(self) -> None:
        for hashed, lines in ((self._inputs, self._input_lines), (self._stamped, self._stamped_lines)):
            hashed.update("".join(lines).encode("utf-8", "surrogateescape"))
            lines.clear()

    def scan(self, usable: bool, outside: dict[str, Stat]) -> Scan:
        self._drain()
        return Scan(usable, self._inputs.hexdigest(), self._stamped.hexdigest(), outside, tuple(self.found_racy))


def unchanged(store: Store, wanted: str, project: Project) -> tuple[Stamp | None, Scan]:
    """The stamp a run with settings *wanted* may stand on (None: it must run), and the
    scan made to know it, which the run then stamps from."""
    stamp = Stamp.loads(store.entries("").get(COMMAND, {}).get(_KEY))
    if stamp is None:
        return None, scan(project)
    found = scan(project, stamp.outside, frozenset(stamp.racy))
    if stamp.settings != wanted or not found.usable or found.stamped != stamp.hashed:
        return None, found
    for path, hashed in stamp.racy.items():
        if _content(path) != hashed:
            return None, found
    return stamp, found


def forget(store: Store) -> None:
    store.forget(COMMAND, "", _KEY)


def record(store: Store, project: Project, started: Scan, stamp: Stamp) -> bool:
    """Stamp *project* as a run that scanned *started* as it began leaves it; *stamp*
    says the settings and what the run said (its hash is made here). Not when an input
    changed during the run (a translator saved: the next run must read it) or when the
    project cannot be stamped. True when stamped.

    An input changed less than two seconds before this scan could be written again within
    the same clock tick with the same stat data: it is hashed by its path, its content
    hash kept apart. So is a copied file the run did not stat as it began."""
    since = time.time_ns() - SETTLED_NS
    unseen = {os.path.join(project.root, name) for name in stamp.outside} - set(started.outside)
    ended = scan(project, stamp.outside, unseen, since)
    if not (started.usable and ended.usable) or started.inputs != ended.inputs:
        return False
    if any(started.outside.get(path, stat) != stat for path, stat in ended.outside.items()):
        return False
    racy = {path: _content(path) for path in ended.racy}
    store.put(COMMAND, "", _KEY, replace(stamp, hashed=ended.stamped, racy=racy).dumps())
    return True


def _content(path: str) -> str:
    try:
        with open(path, "rb") as stream:
            return hashlib.sha256(stream.read()).hexdigest()
    except OSError:
        return "unreadable"


def _stat(path: str) -> Stat:
    try:
        return _stat_of(os.stat(path))
    except OSError:
        return _GONE


def _stat_of(found: os.stat_result) -> Stat:
    return (found.st_size, found.st_mtime_ns, found.st_ctime_ns, found.st_ino)


def _walk(root: str, skip: set[str], sink: Callable[[str, Stat], None]) -> bool:
    """Give *sink* the stat data of every file below *root*; False when a folder is a
    symbolic link (its files are not scanned, so changes there would not be seen) or
    cannot be read."""
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
                        return False
                    else:
                        try:
                            found = entry.stat()
                        except OSError:
                            sink(path, _GONE)
                            continue
                        sink(path, _stat_of(found))
        except FileNotFoundError:
            sink(folder, _GONE)  # no output folder yet, or a folder gone meanwhile
        except OSError:
            return False  # unreadable: what it holds cannot be known
    return True
