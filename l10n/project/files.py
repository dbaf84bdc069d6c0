"""Writing files: atomic replacement, file modes, the project lock and its clean-up.

A file is replaced through a temporary file and a rename, so readers see the old or the
new file whole; the temporary files follow one naming pattern, and only files of that
pattern are ever removed by clean-up.
"""

from __future__ import annotations

import codecs
import contextlib
import fcntl
import functools
import hashlib
import os
import re
import shutil
import stat
import tempfile
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from ..errors import OutputError
from .paths import Project


class _Unchecked:
    """write_atomic replaces the file whatever it holds now."""


UNCHECKED = _Unchecked()


def write_atomic(
    path: Path,
    text: str | bytes,
    durable: bool = True,
    name: str | None = None,
    based_on: bytes | _Unchecked | None = UNCHECKED,
) -> bool:
    """Replace *path* with *text* (a str is written in UTF-8, bytes as they are) so that
    readers see the old or the new file, whole.

    *durable* also flushes the data to disk before the rename (translators' catalogues);
    generated pages, which a build can always write again, skip that cost. A failure
    (read-only folder, disk full) is an OutputError naming the file as *name*. The file
    gets the mode an ordinary write would give it: a replaced file keeps its own, a new
    one gets 0666 less the umask (mkstemp's 0600 would hide pages from a web server).

    With *based_on* (the :func:`digest_of` the bytes *text* was made from, None for no
    file), the file is replaced only if it still holds those bytes, checked after the
    new text is on disk and just before the rename; returns False, writing nothing,
    when someone else changed it meanwhile. (The check and the rename are two steps:
    a save in the microseconds between them is not seen.) A file read empty may be an
    editor's save half done: it must stay empty through two short pauses.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(prefix=f".{path.name}{_TEMPORARY_MARK}", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", name or str(path)) from None
    try:
        os.fchmod(handle, _mode_for(path))
        with os.fdopen(handle, "wb") as stream:
            stream.write(text if isinstance(text, bytes) else text.encode("utf-8"))
            if durable:
                stream.flush()
                os.fsync(stream.fileno())
        if not isinstance(based_on, _Unchecked) and not _still_holds(path, based_on):
            os.unlink(temporary)
            return False
        os.replace(temporary, path)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError):
            raise OutputError(f"cannot write: {exc.strerror}", name or str(path)) from None
        raise
    return True


class StreamedFile:
    """A file written a part at a time, for a text too large to hold whole (a sitemap of
    50 MB): its parts go to a temporary file in *folder*, and :meth:`commit` gives it its
    name once it is known, replacing what is there only when the bytes differ.

    Use it as a context manager: a file not committed is removed on the way out. *dry*
    writes nothing and says what a real one would have done.
    """

    def __init__(self, folder: Path, name: str, dry: bool = False) -> None:
        # *name*: what errors call it (the project-relative path it will most likely have)
        self._name = name
        self._hash = hashlib.sha256()
        self._size = 0
        self._stream = None
        self._temporary: str | None = None
        if not dry:
            try:
                folder.mkdir(parents=True, exist_ok=True)
                handle, self._temporary = tempfile.mkstemp(
                    prefix=f".{Path(name).name}{_TEMPORARY_MARK}", suffix=".tmp", dir=folder
                )
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror}", name) from None
            self._stream = os.fdopen(handle, "wb")

    def __enter__(self) -> StreamedFile:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._stream is not None:
            self._stream.close()
        if self._temporary is not None:
            Path(self._temporary).unlink(missing_ok=True)

    def write(self, data: bytes) -> None:
        self._hash.update(data)
        self._size += len(data)
        if self._stream is not None:
            try:
                self._stream.write(data)
            except OSError as exc:
                raise OutputError(f"cannot write: {exc.strerror}", self._name) from None

    def commit(self, path: Path, name: str | None = None) -> bool:
        """Make the written bytes the file at *path* (in the folder given), unless it holds
        them already: True when it was replaced (or, dry, would have been). An error names
        the file *name* (default: the name given when it was made)."""
        if _same_bytes(path, self._size, self._hash.digest()):
            return False
        if self._stream is None or self._temporary is None:
            return True
        try:
            self._stream.close()
            os.chmod(self._temporary, _mode_for(path))
            os.replace(self._temporary, path)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", name or self._name) from None
        self._temporary = None
        return True


def _same_bytes(path: Path, size: int, digest: bytes) -> bool:
    """True when the file at *path* has *size* bytes of :func:`digest_of` *digest*."""
    try:
        return os.stat(path).st_size == size and _file_digest(path) == digest
    except OSError:
        return False


def flush_files(paths: Iterable[Path]) -> None:
    """Flush files written without :func:`write_atomic`'s *durable* to disk (one gone
    meanwhile, or that cannot be opened, is left: there is nothing of it to keep); return
    once all are.

    Many are flushed several at a time, on threads that end with the call: a flush waits
    for the disk, and the file system takes the flushes that wait together in one commit
    of its journal. The 153 new files of the benchmark's first extract took 33-74 ms one
    after the other, 21-24 ms eight at a time, at the end of the run.
    """
    paths = list(paths)
    if len(paths) <= _FLUSHING_THREADS:
        for path in paths:
            _flush(path)
        return
    with ThreadPoolExecutor(_FLUSHING_THREADS, thread_name_prefix="l10n-flush") as flushing:
        for _ in flushing.map(_flush, paths):
            pass


_FLUSHING_THREADS = 8


def _flush(path: Path) -> None:
    try:
        handle = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        with contextlib.suppress(OSError):  # not flushed is what a crash risks anyway
            os.fsync(handle)
    finally:
        os.close(handle)


# An editor that saves in place empties the file, then writes it. Renaming a new text over
# the file between the two would send the editor's text to the replaced file: lost. So a
# file that was read empty, and still is, is looked at again after these pauses (seconds).
_SAVING = (0.05, 0.1)
_pause = time.sleep


def _still_holds(path: Path, based_on: bytes | None) -> bool:
    """True when the file at *path* still holds the bytes *based_on* digests (None: no
    file); an empty file must stay empty through :data:`_SAVING`'s pauses."""
    if _file_digest(path) != based_on:
        return False
    if based_on != _EMPTY:
        return True
    for seconds in _SAVING:
        _pause(seconds)
        if _file_digest(path) != based_on:
            return False
    return True


def _file_digest(path: Path) -> bytes | None:
    """The :func:`digest_of` a file's bytes, None when there is no file; read a block at a
    time (a sitemap may be 50 MB)."""
    hashed = hashlib.sha256()
    try:
        with open(path, "rb") as stream:
            while block := stream.read(1 << 20):
                hashed.update(block)
    except FileNotFoundError:
        return None
    return hashed.digest()


def digest_of(data: bytes | None) -> bytes | None:
    """What *based_on* compares: a digest of a file's bytes as
    :func:`~l10n.project.paths.read_catalog` read them, None for no file. Bytes, not
    decoded text: a catalogue may be in any charset gettext knows, and a byte order mark
    or a line end that changed is a change."""
    return None if data is None else hashlib.sha256(data).digest()


_EMPTY = digest_of(b"")


def holds(data: bytes | None, text: str) -> bool:
    """True when a file read as *data* already says *text* (in UTF-8; a byte order mark before
    it is the translator's, left alone): nothing to write."""
    if data is None:
        return False
    return (data[3:] if data.startswith(codecs.BOM_UTF8) else data) == text.encode("utf-8", "surrogatepass")


# write_atomic's temporary files: ".<name>.l10n-<8 random characters>.tmp" (mkstemp's
# characters). Clean-up removes files of exactly this form and nothing else.
_TEMPORARY_MARK = ".l10n-"
#: The .gitignore pattern of those files (l10n init).
TEMPORARY_PATTERN = f".*{_TEMPORARY_MARK}*.tmp"


_TEMPORARY = re.compile(r"\..+\.l10n-[a-z0-9_]{8}\.tmp\Z")


@functools.cache
def _umask() -> int:
    mask = os.umask(0o022)  # the only way to read it is to set it
    os.umask(mask)
    return mask


def _mode_for(path: Path) -> int:
    try:
        return stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        return 0o666 & ~_umask()


#: The lock file, in the catalogue folder (git-ignored by l10n init).
LOCK_FILE = ".l10n.lock"


@contextmanager
def project_lock(project: Project) -> Iterator[None]:
    """Hold the project's lock: a second extract or build waits instead of interleaving.

    Holding it, no other run is writing, so the temporary files left in the catalogue
    and output folders are a crashed run's: they are removed (only files named as
    :func:`write_atomic` names them).
    """
    folder = project.root / project.config.locales_dir
    path = folder / LOCK_FILE
    try:
        folder.mkdir(parents=True, exist_ok=True)
        lock = open(path, "w")  # noqa: SIM115 - held across the yield
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", project.rel(path)) from None
    with lock:
        # A POSIX record lock belongs to this process: forked workers do not hold it, and
        # it goes when the process dies, however it dies.
        fcntl.lockf(lock, fcntl.LOCK_EX)
        try:
            for name in ("locales_dir", "output"):
                _remove_temporaries(project.root / getattr(project.config, name))
            yield
        finally:
            fcntl.lockf(lock, fcntl.LOCK_UN)


def _remove_temporaries(folder: Path) -> None:
    for parent, _, names in os.walk(folder):
        for name in names:
            if name[0] == "." and _TEMPORARY.match(name):
                with contextlib.suppress(OSError):
                    os.unlink(os.path.join(parent, name))


def copy_atomic(source: Path, target: Path, mode: int, name: str) -> None:
    """Replace *target* with a copy of the file at *source*, so that readers see the old
    or the new file whole: mode *mode*, and the source's modification time (a later run
    tells an unchanged copy by its size and time). OSError when *source* cannot be read;
    OutputError, naming *target* as *name*, when *target* cannot be written."""
    before = os.stat(source)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(
            prefix=f".{target.name}{_TEMPORARY_MARK}", suffix=".tmp", dir=target.parent
        )
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", name) from None
    try:
        os.fchmod(handle, mode)
        with os.fdopen(handle, "wb") as stream, open(source, "rb") as data:
            shutil.copyfileobj(data, stream)
        # The time seen before reading: a source changed while it was copied differs next run.
        os.utime(temporary, ns=(before.st_atime_ns, before.st_mtime_ns))
        os.replace(temporary, target)
    except BaseException as exc:
        Path(temporary).unlink(missing_ok=True)
        if isinstance(exc, OSError) and exc.filename != str(source):
            raise OutputError(f"cannot write: {exc.strerror}", name) from None
        raise
