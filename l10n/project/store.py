"""The run store: what earlier runs found, in ``.l10n-cache/state.sqlite3`` (safe to delete)."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import sqlite3
import time
import zlib
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .paths import CACHE_DIR, Project


def digest(context: str, files: Iterable[bytes]) -> str:
    """A hash of a context string and of files' content hashes."""
    hashed = hashlib.sha256(context.encode())
    for known in files:
        hashed.update(known)
    return hashed.hexdigest()[:32]  # 128 bits tell versions apart; the store holds many


def file_digest(data: bytes | None) -> bytes:
    """What :meth:`Store.digests` says of a file whose bytes are *data* (None: no file)."""
    # SHA-256 has CPU instructions here: 2.0 GB/s against BLAKE2b's 1.35 GB/s.
    return b"missing" if data is None else hashlib.sha256(data).digest() + b"present"


@dataclass(frozen=True, slots=True)
class Hashed:
    """A file's content hash (:func:`file_digest`) with the stat data it had just before
    it was read: what :meth:`Store.remember` is given by a process that read the file."""

    stamp: str  # size, mtime, ctime, inode
    digest: bytes
    changed_ns: int  # the later of mtime and ctime

    @classmethod
    def of(cls, stat: os.stat_result, data: bytes) -> Hashed:
        """*data*, the bytes read from a file whose stat was *stat* just before."""
        return cls(_stamp(stat), file_digest(data), _changed_ns(stat))


def hash_file(path: str) -> tuple[bytes, Hashed | None]:
    """What :meth:`Store.digests` says of the file at *path*, read now (``b"missing"`` or
    ``b"unreadable"`` when it cannot be), and the :class:`Hashed` to remember when it was read."""
    return _read_hashed(path, None)


def _read_hashed(path: str, stat: os.stat_result | None) -> tuple[bytes, Hashed | None]:
    """:func:`hash_file`, with the file's *stat* taken just before by the caller (None: here)."""
    try:
        if stat is None:
            stat = os.stat(path)
        with open(path, "rb") as stream:
            hashed = Hashed.of(stat, stream.read())
    except FileNotFoundError:
        return b"missing", None
    except OSError:
        return b"unreadable", None
    return hashed.digest, hashed


class Deferred(Mapping[str, bytes]):
    """Content hashes of files (key -> path) taken when first asked for, by the process that
    asks, as :func:`hash_file` takes them; :attr:`taken` holds each file read and its
    :class:`Hashed`, for the main process to :meth:`~Store.remember`."""

    __slots__ = ("_digests", "_paths", "taken")

    def __init__(self, paths: Mapping[str, str]) -> None:
        self._paths = dict(paths)
        self._digests: dict[str, bytes] = {}
        self.taken: list[tuple[str, Hashed]] = []

    def __getitem__(self, key: str) -> bytes:
        found = self._digests.get(key)
        if found is None:
            path = self._paths[key]
            found, hashed = hash_file(path)
            self._digests[key] = found
            if hashed is not None:
                self.taken.append((path, hashed))
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._paths  # without hashing the file

    def __iter__(self) -> Iterator[str]:
        return iter(self._paths)

    def __len__(self) -> int:
        return len(self._paths)


def _stamp(stat: os.stat_result) -> str:
    return f"{stat.st_size}:{stat.st_mtime_ns}:{stat.st_ctime_ns}:{stat.st_ino}"


def _changed_ns(stat: os.stat_result) -> int:
    return max(stat.st_mtime_ns, stat.st_ctime_ns)


def _settled(changed_ns: int) -> bool:
    """Whether a file last changed at *changed_ns* is older than :data:`SETTLED_NS`: its
    hash may then be kept with its stat data."""
    return changed_ns < time.time_ns() - SETTLED_NS


# A file changed less than this before it was hashed is hashed again next run: file
# timestamps come from a coarse clock (a tick of a few ms; 2 s on FAT), so a same-size
# rewrite within one tick could leave size, mtime and ctime as they were. Git's index
# calls such entries "racy" and does the same.
SETTLED_NS = 2_000_000_000


_SCHEMA = 3  # PRAGMA user_version of the store; another version is dropped and made anew


_BATCH = 2048  # rows kept in memory before they are written


class Store:
    """What earlier runs found, in ``.l10n-cache/state.sqlite3`` (safe to delete).

    ``files`` remembers each input file's content hash with the stat data it had when it
    was hashed (size, mtime, ctime, inode), as git's index does: while those are the
    same, the hash stands and the file is not read again. Any write changes the ctime,
    which no program can set back, so an edit is always seen, even one that keeps the
    size and puts the mtime back; a touched file is read, hashed, and found unchanged.
    Every decision is made on content hashes. ``entries`` holds each command's keys per
    article. ``records`` holds, for each published page, the translations it was last made
    with: a unit whose translation turns invalid keeps its last valid one from there.
    Rows are read one article at a time and written in batches, so a run's memory does
    not grow with the archive. A store that cannot be used (damaged, locked
    for half a minute, read-only folder) is dropped: the run then redoes all its work.
    """

    def __init__(self, db: sqlite3.Connection | None, path: Path | None) -> None:
        self._db, self._path = db, path
        self._files: dict[str, tuple[str, str, bytes]] = {}  # path -> (slug, stamp, hash), unwritten
        self._entries: list[tuple[str, str, str, str]] = []  # (slug, command, key, value), unwritten
        self._records: list[tuple[str, str, bytes]] = []  # (slug, tag, packed translations), unwritten
        self._fresh: dict[str, str] = {}  # path -> slug: hashed too soon after a change to keep

    @classmethod
    def open(cls, project: Project) -> Store:
        path = project.root / CACHE_DIR / "state.sqlite3"
        for _ in range(2):
            try:
                path.parent.mkdir(exist_ok=True)
                return cls(_connect(path), path)
            except (OSError, sqlite3.Error):
                with contextlib.suppress(OSError):
                    path.unlink()  # damaged: the second attempt starts a new one
        return cls(None, None)

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.settle()
        self.flush()
        if self._db is not None:
            self._db.close()

    def digests(
        self, slug: str, paths: Iterable[str], known: Mapping[str, tuple[str, bytes]] | None = None
    ) -> list[bytes]:
        """The content hashes of the files at *paths*, inputs of article *slug*; *known*:
        what :meth:`kept_files` said of the article, when it was read for every article."""
        paths = list(paths)
        if known is None:
            # nothing asked (extract knows all it wrote): no query
            known = self._files_of(slug) if paths else {}
        return [self._digest(path, slug, known) for path in paths]

    def digests_or_deferred(self, slug: str, paths: Mapping[str, str]) -> Mapping[str, bytes]:
        """The content hashes of article *slug*'s files (key -> path), as :meth:`digests`
        gives them; or, when the store knows none of them (the article's first run), a
        :class:`Deferred` that hashes each file when asked: in a build's worker, which
        reads the files next, instead of in the main process before the workers start."""
        known = self._files_of(slug)
        if not known and not any(path in self._files for path in paths.values()):
            return Deferred(paths)
        return dict(zip(paths, self.digests(slug, paths.values(), known), strict=True))

    def _files_of(self, slug: str) -> dict[str, tuple[str, bytes]]:
        if self._db is None:
            return {}
        rows = self._query("SELECT path, stamp, digest FROM files WHERE slug = ?", (slug,))
        return {str(path): (str(stamp), bytes(digest)) for path, stamp, digest in rows}

    def kept_files(self) -> dict[str, dict[str, tuple[str, bytes]]]:
        """Every file hash kept, by article: slug -> path -> (stamp, hash) (written rows
        only: see flush). One query, for a command about to look at every article."""
        self.flush()
        found: dict[str, dict[str, tuple[str, bytes]]] = {}
        if self._db is not None:
            for slug, path, stamp, digest in self._query("SELECT slug, path, stamp, digest FROM files", ()):
                found.setdefault(str(slug), {})[str(path)] = (str(stamp), bytes(digest))
        return found

    def _digest(self, path: str, slug: str, stored: Mapping[str, tuple[str, bytes]]) -> bytes:
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            return b"missing"
        except OSError:
            return b"unreadable"
        stamp = _stamp(stat)
        unwritten = self._files.get(path)
        known = (unwritten[1], unwritten[2]) if unwritten else stored.get(path)
        if known is not None and known[0] == stamp:
            return known[1]
        digest, hashed = _read_hashed(path, stat)
        if hashed is not None:
            self.remember(path, slug, hashed)
        return digest

    def remember(self, path: str, slug: str, hashed: Hashed) -> None:
        """Keep the hash of the file at *path*, an input of article *slug*, taken by this
        process or another (a worker that read the file): kept only when the file had
        settled by then (see :data:`SETTLED_NS`), else left for :meth:`settle`."""
        if _settled(hashed.changed_ns):
            self._files[path] = (slug, hashed.stamp, hashed.digest)
            self._fresh.pop(path, None)
            if len(self._files) >= _BATCH:
                self.flush()
        else:
            self._fresh[path] = slug

    def wrote(self, path: str, slug: str) -> None:
        """This run wrote the file at *path*, an input of *slug*: :meth:`settle` hashes it
        once it has settled."""
        self._fresh[path] = slug

    def settle(self) -> None:
        """Hash again, and keep, the files this run hashed or wrote too soon after a change
        that have settled since: the next run, or a dashboard opened now, need not read
        them. Those still too new are left to the next run, unread: a run shorter than
        :data:`SETTLED_NS` read every file it wrote once more for nothing."""
        fresh, self._fresh = self._fresh, {}
        for path, slug in fresh.items():
            try:
                stat = os.stat(path)
            except OSError:
                continue
            if _settled(_changed_ns(stat)):
                self._digest(path, slug, {})

    def entries(self, slug: str) -> dict[str, dict[str, str]]:
        """What each command stored for article *slug*, by command (written rows only: see flush)."""
        found: dict[str, dict[str, str]] = {}
        if self._db is not None:
            for command, key, value in self._query("SELECT command, key, value FROM entries WHERE slug = ?", (slug,)):
                found.setdefault(str(command), {})[str(key)] = str(value)
        return found

    def rows(self, command: str) -> Iterator[tuple[str, str, str]]:
        """Every (slug, key, value) *command* stored, by article then key, read a batch at a
        time (written rows only: see flush). Write nothing until the iteration is over."""
        self.flush()
        if self._db is None:
            return
        try:
            cursor = self._db.execute(
                "SELECT slug, key, value FROM entries WHERE command = ? ORDER BY slug, key", (command,)
            )
            while batch := cursor.fetchmany(_BATCH):
                yield from ((str(slug), str(key), str(value)) for slug, key, value in batch)
        except sqlite3.Error as exc:
            self._drop(exc)

    def put(self, command: str, slug: str, key: str, value: str) -> None:
        self._entries.append((slug, command, key, value))
        if len(self._entries) >= _BATCH:
            self.flush()

    def put_record(self, slug: str, tag: str, packed: bytes) -> None:
        """Remember the translations a page was last made with, as :func:`pack` made them
        (see :func:`read_record`)."""
        self._records.append((slug, tag, packed))
        if len(self._records) >= _BATCH // 8:  # a record holds a page's text: fewer at a time
            self.flush()

    def flush(self) -> None:
        """Write the rows kept in memory, in one transaction."""
        files, entries, records = self._files, self._entries, self._records
        self._files, self._entries, self._records = {}, [], []
        if self._db is None or not (files or entries or records):
            return
        try:
            with self._db:
                self._db.executemany(
                    "INSERT OR REPLACE INTO files VALUES (?, ?, ?, ?)",
                    ((path, *row) for path, row in files.items()),
                )
                self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?)", entries)
                self._db.executemany("INSERT OR REPLACE INTO records VALUES (?, ?, ?)", records)
        except sqlite3.Error as exc:
            self._drop(exc)

    def forget(self, command: str, slug: str, key: str) -> None:
        """Forget one entry (written at once: it is rare)."""
        self.flush()
        if self._db is None:
            return
        try:
            with self._db:
                self._db.execute("DELETE FROM entries WHERE slug = ? AND command = ? AND key = ?", (slug, command, key))
                if command == "pages":
                    self._db.execute("DELETE FROM records WHERE slug = ? AND tag = ?", (slug, key))
        except sqlite3.Error as exc:
            self._drop(exc)

    def prune(self, command: str, slugs: list[str]) -> dict[str, dict[str, str]]:
        """Forget what *command* stored for articles that are gone, and their files;
        return what it had stored for them (slug -> key -> value)."""
        self.flush()
        if self._db is None:
            return {}
        gone: dict[str, dict[str, str]] = {}
        try:
            with self._db:
                self._db.execute("CREATE TEMP TABLE IF NOT EXISTS live (slug TEXT PRIMARY KEY) WITHOUT ROWID")
                self._db.execute("DELETE FROM live")
                self._db.executemany("INSERT OR IGNORE INTO live VALUES (?)", ((slug,) for slug in slugs))
                rows = self._db.execute(
                    "SELECT slug, key, value FROM entries WHERE command = ? AND slug NOT IN live", (command,)
                )
                for slug, key, value in rows.fetchall():
                    gone.setdefault(str(slug), {})[str(key)] = str(value)
                self._db.execute("DELETE FROM entries WHERE command = ? AND slug NOT IN live", (command,))
                self._db.execute("DELETE FROM files WHERE slug NOT IN live")
                if command == "pages":
                    self._db.execute("DELETE FROM records WHERE slug NOT IN live")
        except sqlite3.Error as exc:
            self._drop(exc)
        return gone

    def _query(self, sql: str, parameters: tuple[str, ...]) -> list[Any]:
        assert self._db is not None
        try:
            return self._db.execute(sql, parameters).fetchall()
        except sqlite3.Error as exc:
            self._drop(exc)
            return []

    def _drop(self, exc: sqlite3.Error) -> None:
        """Go on without the store; delete it if it is damaged (not merely busy)."""
        assert self._db is not None
        with contextlib.suppress(sqlite3.Error):
            self._db.close()
        self._db = None
        if self._path is not None and not isinstance(exc, sqlite3.OperationalError):
            with contextlib.suppress(OSError):
                self._path.unlink()


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(path, timeout=30)
    try:
        # Losing the store costs one full run; syncing it to disk would cost every run.
        db.execute("PRAGMA synchronous = OFF")
        if db.execute("PRAGMA user_version").fetchone()[0] != _SCHEMA:
            with db:
                db.execute("DROP TABLE IF EXISTS files")
                db.execute("DROP TABLE IF EXISTS entries")
                db.execute(
                    "CREATE TABLE files (path TEXT PRIMARY KEY, slug TEXT NOT NULL,"
                    " stamp TEXT NOT NULL, digest BLOB NOT NULL) WITHOUT ROWID"
                )
                db.execute("CREATE INDEX files_by_slug ON files (slug)")
                db.execute(
                    "CREATE TABLE entries (slug TEXT, command TEXT, key TEXT, value TEXT NOT NULL,"
                    " PRIMARY KEY (slug, command, key)) WITHOUT ROWID"
                )
                db.execute("DROP TABLE IF EXISTS records")
                db.execute(
                    "CREATE TABLE records (slug TEXT, tag TEXT, translations BLOB NOT NULL,"
                    " PRIMARY KEY (slug, tag)) WITHOUT ROWID"
                )
                db.execute(f"PRAGMA user_version = {_SCHEMA}")
    except sqlite3.Error:
        db.close()
        raise
    return db


def pack(translations: Mapping[str, str]) -> bytes:
    """The translations a page was made with, as the store keeps them. Made where the page
    is made (a build's worker), which sends these bytes instead of the dict."""
    return zlib.compress(json.dumps(translations, ensure_ascii=False).encode("utf-8", "surrogatepass"), 1)


# A worker's own read-only connection to the store, by process and path: a connection
# must not cross a fork, and workers never write the store.
_READERS: dict[tuple[int, str], sqlite3.Connection] = {}


def read_record(project: Project, slug: str, tag: str) -> dict[str, str] | None:
    """The translations the page of *slug* in *tag* was last made with, or None when the
    store has none (no such page was built, or the store was deleted or is busy)."""
    path = str(project.root / CACHE_DIR / "state.sqlite3")
    key = (os.getpid(), path)
    try:
        reader = _READERS.get(key)
        if reader is None:
            if not os.path.exists(path):
                return None
            reader = _READERS[key] = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=30)
        row = reader.execute("SELECT translations FROM records WHERE slug = ? AND tag = ?", (slug, tag)).fetchone()
    except sqlite3.Error:
        return None
    if row is None:
        return None
    try:
        data = json.loads(zlib.decompress(row[0]).decode("utf-8", "surrogatepass"))
    except (ValueError, zlib.error):
        return None
    return {str(msgid): str(msgstr) for msgid, msgstr in data.items()} if isinstance(data, dict) else None


def close_readers() -> None:
    """Close this process's read-only connections: a process that outlives a run (a Dask
    worker) must not read a store made anew since through one kept to the old file."""
    for key in [key for key in _READERS if key[0] == os.getpid()]:
        _READERS.pop(key).close()
