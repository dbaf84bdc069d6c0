"""``l10n xliff export`` and ``l10n xliff import``: the files of XLIFF 2.1 hand-offs.

Export writes ``<DIR>/<lang>/<stem>.xlf`` (DIR: ``xliff`` in the project by default, or
``-o DIR``) for every article with a catalogue in the locale; a file that already says
the same is left alone (an export with nothing new writes nothing).

Import merges each file's units into the catalogue of the article its ``<file
original>`` names, in the locale its ``trgLang`` names (both must be the project's: an
agency's file never chooses a path). It holds the project's lock (no extract or build
interleaves) and writes a catalogue atomically, and only if it still holds the bytes the
merge was made from: one a translator saved meanwhile is merged again from what they
saved (:func:`~.files.write_atomic`'s *based_on*, as ``extract`` does).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

from ..errors import CatalogError, ConfigError, L10nError
from ..locale import Locale, parse_locale
from ..po.writer import write as write_po
from ..xliff import merge, read, write
from ..xliff.model import XliffError
from .files import digest_of, holds, project_lock, write_atomic
from .paths import XLIFF_DIR, Project, article_slugs, naming, read_catalog, stem, targets
from .summary import Report, Summary, counted

#: Where export writes when no -o is given (l10n init git-ignores it).
DEFAULT_FOLDER = XLIFF_DIR
# How many times a catalogue saved by someone else during the import is merged again.
_ATTEMPTS = 3


def export(project: Project, codes: list[str], output: Path | None, report: Report) -> Summary:
    """Write one XLIFF file per article for each locale of *codes* into *output*/<lang>/
    (``xliff/`` of the project by default); report catalogues that cannot be read."""
    started = time.perf_counter()
    summary = Summary()
    folder = output if output is not None else project.root / DEFAULT_FOLDER
    slugs = article_slugs(project)
    summary.articles = len(slugs)
    plurals = refused = 0
    for locale in targets(project, codes):
        for slug in slugs:
            path = project.catalog_path(locale, slug)
            try:
                po = read_catalog(project, path)[1]
                if po is None:
                    summary.notes.append(f"{project.rel(path)}: no catalogue yet (run l10n extract); not exported")
                    continue
                written = write.write(po, slug, project.config.source.tag, locale.tag)
                target = Path(folder, locale.tag, stem(slug) + ".xlf")
                text = written.data.decode("utf-8")
                if not holds(_bytes(target), text):
                    write_atomic(target, text, durable=False, name=project.rel(target))
                    summary.written.append(project.rel(target))
            except L10nError as exc:
                summary.errors += 1
                report(exc)
                continue
            plurals += written.plurals
            refused += written.refused
    if plurals:
        summary.notes.append(
            f"{counted(plurals, 'plural entry', 'plural entries')} not exported (XLIFF 2 core has no plurals)"
        )
    if refused:
        summary.notes.append(
            f"{counted(refused, 'entry', 'entries')} whose msgid's placeholders do not nest not exported"
        )
    summary.seconds = time.perf_counter() - started
    return summary


def _bytes(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


@dataclass(slots=True)
class Imported:
    """What an import did, for its summary line and exit status."""

    files: int = 0
    written: list[str] = field(default_factory=list)
    imported: int = 0
    unchanged: int = 0
    refused: int = 0
    conflicts: int = 0
    errors: int = 0  # files or catalogues that could not be read or written
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return bool(self.refused or self.conflicts or self.errors)

    def line(self) -> str:
        parts = [
            counted(self.files, "XLIFF file"),
            counted(self.imported, "translation imported", "translations imported"),
            f"{self.unchanged} unchanged",
            counted(len(self.written), "catalogue written", "catalogues written"),
            counted(self.refused, "unit refused", "units refused"),
            counted(self.conflicts, "conflict"),
            counted(self.errors, "error"),
        ]
        return ", ".join(parts) + f" in {self.seconds:.{3 if self.seconds < 1 else 2}f} s"


def import_files(project: Project, paths: list[Path], overwrite: bool, report: Report) -> Imported:
    """Merge each XLIFF file's translations into the project's catalogues (see the module)."""
    started = time.perf_counter()
    done = Imported(files=len(paths))
    slugs = set(article_slugs(project))
    with project_lock(project):
        for path in paths:
            name = _shown(project, path)
            try:
                with naming(name):
                    document = _document(path)
                    locale = _locale(project, document)
            except L10nError as exc:
                done.errors += 1
                report(exc)
                continue
            for file in document.files:
                try:
                    if file.original not in slugs:
                        raise XliffError(f"no article {file.original!r} in this project", name, file.line)
                    _import_file(project, locale, file, name, overwrite, done, report)
                except L10nError as exc:
                    done.errors += 1
                    report(exc)
    done.seconds = time.perf_counter() - started
    return done


def _shown(project: Project, path: Path) -> str:
    absolute = path if path.is_absolute() else Path.cwd() / path
    return project.rel(absolute) if project.root in absolute.parents else str(path)


def _document(path: Path) -> read.Document:
    try:
        size = path.stat().st_size
        if size > read.LIMIT:
            raise XliffError(f"file is {size:,} bytes; the limit is {read.LIMIT // 2**20} MiB")
        data = path.read_bytes()
    except OSError as exc:
        raise XliffError(f"cannot read: {exc.strerror}") from None
    return read.read(data)


def _locale(project: Project, document: read.Document) -> Locale:
    """The file's target locale, one of the project's; its source must be the project's."""
    source = project.config.source
    try:
        same = parse_locale(document.source_lang).gettext == source.gettext
    except ConfigError:
        same = False
    if not same:
        raise XliffError(f"srcLang {document.source_lang!r} is not the project's source language {source.tag}", line=2)
    try:
        chosen = targets(project, [document.target_lang])
    except ConfigError as exc:
        raise XliffError(f"trgLang: {exc.message}", line=2) from None
    if not chosen:
        raise XliffError(f"trgLang {document.target_lang!r} is the source language", line=2)
    return chosen[0]


def _import_file(
    project: Project, locale: Locale, file: read.File, name: str, overwrite: bool, done: Imported, report: Report
) -> None:
    """Merge one <file>'s units into its catalogue, again if a translator saves it meanwhile."""
    path = project.catalog_path(locale, file.original)
    shown = project.rel(path)
    for _ in range(_ATTEMPTS):
        data, po = read_catalog(project, path)
        if po is None:
            raise CatalogError("no catalogue: run l10n extract first; nothing imported", shown)
        if po.cut:
            raise CatalogError("a NUL character cuts this catalogue short; remove it, then import", shown, po.cut[0])
        merged = merge.merge(po, file.units, overwrite)
        if merged.catalogue is po:
            break
        with naming(shown):
            text = write_po(merged.catalogue)
        if write_atomic(path, text, name=shown, based_on=digest_of(data)):
            done.written.append(shown)
            break
    else:
        raise CatalogError(f"changed by another program while import ran ({_ATTEMPTS} times); run it again", shown)
    done.imported += merged.imported
    done.unchanged += merged.unchanged
    for problem in merged.problems:
        if problem.conflict:
            done.conflicts += 1
        else:
            done.refused += 1
        report(XliffError(f"unit {problem.unit}: {problem.message}", name, problem.line))
