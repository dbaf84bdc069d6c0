"""What a run may do to the disk: :class:`Disk` does it, :class:`DryDisk` only says it would.

``extract`` and ``build`` make every change to the project's files through one
:class:`Disk` (writes, copies, removals, the lock, the run store), so ``extract --check``
and ``--dry-run`` are the same run as a real one, decision for decision, with a disk that
writes nothing. What a run did (or would do) is in its :class:`~.summary.Summary`
(``written``, ``copied``, ``deleted``, ``removed``), which :func:`planned` turns into the
lines a dry run prints: pages are written in build workers (forked processes), whose
paths come back to the main process in their results, so a disk needs no record of its
own to say what it did.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

from ..po import reader
from ..po.model import Catalog
from .files import LOCK_FILE, UNCHECKED, StreamedFile, copy_atomic, flush_files, project_lock, write_atomic
from .files import _Unchecked as Unchecked
from .paths import CACHE_DIR, Project, read_catalog
from .store import _SCHEMA, Store
from .summary import Summary

_FLUSH_BATCH = 1024  # new files written before they are flushed: the list stays small


class Disk:
    """The real disk: each method does what it says (see :mod:`.files` for how).

    A durable write that replaces a file flushes it to disk before the rename, so that a
    crash can never leave an empty file where a translator's was. One that makes a new
    file (a first extract makes thousands) is flushed later, a batch at a time and at the
    latest before the lock is released: the first flush writes out the others too, so a
    batch costs about one flush instead of one a file. A crash before then can leave a new
    file empty, which the next extract fills again: it held nobody's work yet.
    """

    dry = False

    def __init__(self) -> None:
        self._unflushed: list[Path] = []  # new files written durable, not flushed yet

    def lock(self, project: Project) -> AbstractContextManager[None]:
        """The project's lock, held for the run (:func:`~.files.project_lock`); new files
        are flushed to disk before it is released."""
        return self._locked(project)

    @contextmanager
    def _locked(self, project: Project) -> Iterator[None]:
        with project_lock(project):
            try:
                yield
            finally:
                self._flush()

    def _flush(self) -> None:
        paths, self._unflushed = self._unflushed, []
        flush_files(paths)

    def store(self, project: Project) -> Store:
        return Store.open(project)

    def write(
        self,
        path: Path,
        text: str | bytes,
        durable: bool = True,
        name: str | None = None,
        based_on: bytes | Unchecked | None = UNCHECKED,
    ) -> bool:
        """:func:`~.files.write_atomic`: False when *based_on* no longer holds."""
        if not durable or os.path.lexists(path):
            return write_atomic(path, text, durable=durable, name=name, based_on=based_on)
        written = write_atomic(path, text, durable=False, name=name, based_on=based_on)
        if written:
            self._unflushed.append(path)
            if len(self._unflushed) >= _FLUSH_BATCH:
                self._flush()
        return written

    def stream(self, folder: Path, name: str) -> StreamedFile:
        """A file written a part at a time in *folder* (:class:`~.files.StreamedFile`)."""
        return StreamedFile(folder, name)

    def copy(self, source: Path, target: Path, mode: int, name: str) -> None:
        """:func:`~.files.copy_atomic`."""
        copy_atomic(source, target, mode, name)

    def restamp(self, path: Path, mode: int, times_ns: tuple[int, int]) -> None:
        """Give a file a mode and (access, modification) times; OSError when it cannot."""
        os.chmod(path, mode)
        os.utime(path, ns=times_ns)

    def remove(self, path: Path) -> bool:
        """Remove a file: True when removed, False when there was none; OSError when it cannot be."""
        try:
            path.unlink()
        except FileNotFoundError:
            return False
        return True

    def remove_folder(self, folder: Path) -> None:
        """Remove an empty folder; OSError when it is not empty or cannot be removed."""
        os.rmdir(folder)

    def read_catalog(self, project: Project, path: Path) -> tuple[bytes | None, Catalog | None]:
        """A catalogue as this run left it (:func:`~.paths.read_catalog`)."""
        return read_catalog(project, path)


class DryDisk(Disk):
    """A disk that writes nothing: every change succeeds and leaves the files as they are.

    The lock is shared (a real run in progress is waited for, other dry runs are not) and
    never created; the run store is read, never written (:class:`DryStore`). The texts of
    the catalogues a run would write (*durable* writes: the files a run reads back, for
    translation memory) are kept, so that what the run reads later is what a real run would
    read; pages are not kept (build workers write them, and nothing reads them back).
    """

    dry = True

    def __init__(self) -> None:
        self._texts: dict[Path, bytes] = {}

    def lock(self, project: Project) -> AbstractContextManager[None]:
        return _shared_lock(project)

    def store(self, project: Project) -> Store:
        return DryStore.open(project)

    def write(
        self,
        path: Path,
        text: str | bytes,
        durable: bool = True,
        name: str | None = None,
        based_on: bytes | Unchecked | None = UNCHECKED,
    ) -> bool:
        if durable:
            self._texts[path] = text if isinstance(text, bytes) else text.encode("utf-8", "surrogatepass")
        return True

    def stream(self, folder: Path, name: str) -> StreamedFile:
        return StreamedFile(folder, name, dry=True)

    def copy(self, source: Path, target: Path, mode: int, name: str) -> None:
        with open(source, "rb"):  # as the real copy: OSError when the source cannot be read
            pass

    def restamp(self, path: Path, mode: int, times_ns: tuple[int, int]) -> None:
        pass

    def remove(self, path: Path) -> bool:
        return os.path.lexists(path)

    def remove_folder(self, folder: Path) -> None:
        pass  # its files are still there: a real run would find it empty, and remove it unsaid

    def read_catalog(self, project: Project, path: Path) -> tuple[bytes | None, Catalog | None]:
        data = self._texts.get(path)
        if data is None:
            return read_catalog(project, path)
        return data, reader.read(data, project.rel(path))


@contextmanager
def _shared_lock(project: Project) -> Iterator[None]:
    """Wait for a real run holding the project's lock; never create the lock file (without
    one, no run has held the lock here yet), and leave a crashed run's temporary files."""
    path = project.root / project.config.locales_dir / LOCK_FILE
    try:
        lock = open(path, "rb")  # noqa: SIM115 - held across the yield
    except OSError:
        yield
        return
    with lock:
        fcntl.lockf(lock, fcntl.LOCK_SH)  # a read lock: needs a file open for reading only
        try:
            yield
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


class DryStore(Store):
    """The run store, read-only: what a run would store is kept in memory, and read back
    from there as the real store would read it from its file, so the run decides as a real
    one would. The file is opened read-only and never made, changed or removed (an unusable
    one is left as it is, and the run goes on without it)."""

    def __init__(self, db: sqlite3.Connection | None) -> None:
        super().__init__(db, None)  # no path: _drop never removes the file
        # slug -> (command, key) -> value, None when forgotten
        self._overlay: dict[str, dict[tuple[str, str], str | None]] = {}

    @classmethod
    def open(cls, project: Project) -> DryStore:
        path = project.root / CACHE_DIR / "state.sqlite3"
        if not path.is_file():
            return cls(None)
        try:
            db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, timeout=30)
        except sqlite3.Error:
            return cls(None)
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] == _SCHEMA:
                return cls(db)
        except sqlite3.Error:
            pass
        db.close()
        return cls(None)

    def settle(self) -> None:
        pass  # nothing is kept for another run: no file is read again for it

    def flush(self) -> None:
        # Rows go to the overlay; the files' hashes stay in memory (Store._digest reads them).
        for slug, command, key, value in self._entries:
            self._overlay.setdefault(slug, {})[command, key] = value
        self._entries, self._records = [], []

    def entries(self, slug: str) -> dict[str, dict[str, str]]:
        found = super().entries(slug)
        for (command, key), value in self._overlay.get(slug, {}).items():
            if value is None:
                found.get(command, {}).pop(key, None)
            else:
                found.setdefault(command, {})[key] = value
        return {command: keys for command, keys in found.items() if keys}

    def rows(self, command: str) -> Iterator[tuple[str, str, str]]:
        if not any(done == command for changes in self._overlay.values() for done, _ in changes):
            yield from super().rows(command)  # nothing of it in memory: the file's rows, in order
            return
        rows = {(slug, key): value for slug, key, value in super().rows(command)}
        for slug, changes in self._overlay.items():
            for (done, key), value in changes.items():
                if done != command:
                    continue
                if value is None:
                    rows.pop((slug, key), None)
                else:
                    rows[slug, key] = value
        # The real store's order: SQLite compares the UTF-8 bytes
        ordered = sorted(rows.items(), key=lambda row: (_bytes(row[0][0]), _bytes(row[0][1])))
        yield from ((slug, key, value) for (slug, key), value in ordered)

    def forget(self, command: str, slug: str, key: str) -> None:
        self.flush()
        self._overlay.setdefault(slug, {})[command, key] = None

    def prune(self, command: str, slugs: list[str]) -> dict[str, dict[str, str]]:
        live = set(slugs)
        gone: dict[str, dict[str, str]] = {}
        for slug, key, value in self.rows(command):
            if slug not in live:
                gone.setdefault(slug, {})[key] = value
        for slug, keys in gone.items():
            for key in keys:
                self._overlay.setdefault(slug, {})[command, key] = None
        return gone


def _bytes(text: str) -> bytes:
    return text.encode("utf-8", "surrogatepass")


def planned(project: Project, summary: Summary) -> list[str]:
    """What a dry run would have done, one line a file: ``would create PATH``, ``would
    update PATH`` (written or copied), ``would remove PATH`` (with why, for a pruned
    catalogue). Read after a dry run, whose files are as they were."""
    lines = []
    for path in dict.fromkeys([*summary.written, *summary.copied]):
        verb = "update" if os.path.lexists(project.root / path) else "create"
        lines.append(f"would {verb} {path}")
    lines.extend(f"would remove {path}" for path in dict.fromkeys(summary.deleted))
    lines.extend(f"would remove {line}" for line in summary.removed)
    return lines
