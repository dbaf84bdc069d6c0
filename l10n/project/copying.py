"""The local files pages refer to, copied into ``site/assets/`` at build.

The build's main process gives :class:`Copier` each article's needs (found by its
pages' URL walk, or stored by an earlier run when no page was made); each file is
checked and copied once a run, however many articles and locales refer to it, and only
when its copy differs (size and modification time, else content). A stylesheet brings
the files its ``url()`` and ``@import`` name, recursively. A file is never copied from
outside the project (symbolic links resolved), nor from the output or locales folder,
the run store, or a hidden file or folder. A missing file, a folder or a refused one is
a warning, not an error: the page points where the copy would be. Copies are never
deleted here: a file no page refers to any more stays in ``site/assets/``.
"""

from __future__ import annotations

import os
import posixpath
import stat
from collections.abc import Iterable
from pathlib import Path

from .. import assets
from ..assets import Need
from ..errors import L10nWarning, OutputError
from .disk import Disk
from .paths import CACHE_DIR, Project, within
from .summary import Report, Summary

MODE = 0o644  # what a web server needs to read a copy, whatever the source's mode
MAX_DEPTH = 16  # stylesheets importing stylesheets: deeper is surely a loop of generated names
MAX_FILES = 100_000  # files a run copies: a guard against a generator of stylesheets


class Copier:
    """Copies the files of every article of one build run; reports what it cannot copy."""

    def __init__(self, project: Project, report: Report, summary: Summary, disk: Disk) -> None:
        self.project, self.report, self.summary, self.disk = project, report, summary, disk
        config = project.config
        root = os.path.realpath(project.root)
        # A symbolic link may lead into the articles folder when that folder is itself one.
        self._homes = (root, os.path.realpath(Path(project.root, config.articles)))
        self._refused = {
            os.path.realpath(Path(project.root, config.output)): "the output folder",
            os.path.realpath(Path(project.root, config.locales_dir)): "the locales folder",
            os.path.realpath(Path(project.root, CACHE_DIR)): "the run store",
        }
        self._done: dict[str, str | None] = {}  # path -> why it is not copied, None when it is there

    def article(self, shown: str, needs: Iterable[Need]) -> None:
        """Copy the files the article at *shown* refers to; warn at each line whose file is not copied."""
        for need in needs:
            why = self._copy(need.path, 0)
            if why is not None:
                self._warn(why, shown, need.line)

    def outside(self) -> list[str]:
        """The files in the project but outside the articles folder that pages of this run
        referred to (copied or not), from the project root: a build's inputs too."""
        articles = posixpath.normpath(self.project.config.articles)
        if articles == ".":
            return []
        return sorted(
            path
            for path in self._done
            if not assets.outside(path) and path != articles and not path.startswith(articles + "/")
        )

    def _warn(self, why: str, shown: str, line: int | None) -> None:
        self.report(L10nWarning(why, shown, line))
        self.summary.warnings += 1

    def _copy(self, path: str, depth: int) -> str | None:
        """Put the copy of *path* in place (and a stylesheet's files): why not, or None."""
        if path in self._done:
            return self._done[path]
        target = assets.copy_path(path, self.project.config.articles, self.project.config.output)
        if target is None:
            why: str | None = f"{path} is outside the project: not copied"
        elif len(self._done) >= MAX_FILES:
            why = f"{path} is not copied: a run copies at most {MAX_FILES} files"
        else:
            self._done[path] = None  # before a stylesheet's own files: an @import loop ends here
            why = self._place(path, target, depth)
        self._done[path] = why
        return why

    def _place(self, path: str, target: str, depth: int) -> str | None:
        source = os.path.join(self.project.root, path)
        why = self._refusal(path, source)
        if why is not None:
            return why
        missing = (
            f"the reference points to its copy's place, {target}, all the same: the first build"
            " after the file is added copies it there, with no change to the page"
        )
        try:
            found = os.stat(source)
        except FileNotFoundError:
            return f"{path} does not exist: {missing}"
        except OSError as exc:
            return f"{path} cannot be read ({exc.strerror}): {missing}"
        if stat.S_ISDIR(found.st_mode):
            return f"{path} is a folder, not a file: nothing is copied"
        if not stat.S_ISREG(found.st_mode):
            return f"{path} is not a regular file: not copied"
        copy = Path(self.project.root, target)
        try:
            if not _same(self.disk, found, source, copy):
                self.disk.copy(Path(source), copy, MODE, target)
                self.summary.copied.append(target)
        except OutputError as exc:
            self.report(exc)
            self.summary.errors += 1
        except OSError as exc:
            return f"{path} cannot be read ({exc.strerror}): {missing}"
        if posixpath.splitext(path)[1].lower() == ".css":
            self._stylesheet(path, target, source, depth)
        return None

    def _refusal(self, path: str, source: str) -> str | None:
        """Why the file at *source* (*path* from the project root) must not be copied, or None."""
        real = os.path.realpath(source)
        if not any(_at_or_below(real, home) for home in self._homes):
            return f"{path} leads outside the project (a symbolic link): not copied"
        for folder, name in self._refused.items():
            if _at_or_below(real, folder):
                return f"{path} is in {name}: not copied"
        shown = [part for part in path.split("/") if part.startswith(".")]
        home = next(home for home in self._homes if _at_or_below(real, home))
        hidden = [part for part in os.path.relpath(real, home).split(os.sep) if part.startswith(".") and part != "."]
        if shown or hidden:
            return f"{path} is a hidden file or in a hidden folder: not copied"
        return None

    def _stylesheet(self, path: str, target: str, source: str, depth: int) -> None:
        """Copy the files a stylesheet refers to; its text is copied as it is, so each must
        keep the place relative to it that it has in the project."""
        try:
            with open(source, "rb") as stream:
                text = stream.read().decode("utf-8", "replace")
        except OSError:
            return
        folder, copy_folder = posixpath.dirname(path), posixpath.dirname(target)
        for start, end in assets.css_urls(text):
            parts = assets.split(text[start:end])
            if parts is None:
                continue
            line = text.count("\n", 0, start) + 1
            found = assets.resolve(parts[0], folder)
            place = assets.copy_path(found, self.project.config.articles, self.project.config.output)
            if place is not None and place != assets.resolve(parts[0], copy_folder):
                self._warn(
                    f"{found} is not copied: the stylesheet is copied as it is, and its URL would not"
                    " reach the copy from site/ (keep the files a stylesheet refers to in the articles"
                    " folder with it, or outside it with it)",
                    path,
                    line,
                )
                continue
            if depth >= MAX_DEPTH:
                self._warn(f"{found} is not copied: stylesheets import deeper than {MAX_DEPTH}", path, line)
                continue
            why = self._copy(found, depth + 1)
            if why is not None:
                self._warn(why, path, line)


def _at_or_below(path: str, folder: str) -> bool:
    return path == folder or within(path, folder)


def _same(disk: Disk, found: os.stat_result, source: str, copy: Path) -> bool:
    """True when *copy* already holds the file at *source* (stat *found*)."""
    try:
        there = os.stat(copy)
    except OSError:
        return False
    if not stat.S_ISREG(there.st_mode) or there.st_size != found.st_size:
        return False
    if there.st_mtime_ns == found.st_mtime_ns and stat.S_IMODE(there.st_mode) == MODE:
        return True
    with open(source, "rb") as left, open(copy, "rb") as right:
        if left.read() != right.read():
            return False
    disk.restamp(copy, MODE, (found.st_atime_ns, found.st_mtime_ns))  # next run: known by its stat
    return True
