"""``l10n pretranslate``: a locale's untranslated units filled by a machine-translation engine.

One request an article (its catalogue's untranslated units, :mod:`l10n.machine.fill`),
sent before anything is written; the answers are validated one by one (an answer that
breaks a placeholder or adds markup is dropped, reported as a warning at its entry's
line, and counted) and the catalogue is written atomically with the usable ones, fuzzy.
A translator's save while the engine worked is never overwritten: the write is based on
the bytes read (:func:`~.files.write_atomic`), and a catalogue saved meanwhile is read
again and filled again from the same answers, only where it is still untranslated.

When the engine fails for good (its retries spent), the run stops: that article's
catalogue is untouched, those written before stay (each is a whole, valid catalogue),
and the articles after it are not sent (an engine that is down or out of quota would
make each of them wait through the same retries). The run holds the project's lock, as
every command that writes catalogues does.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from ..catalog import duplicates
from ..errors import CatalogError, ConfigError, L10nError, L10nWarning
from ..locale import Locale
from ..machine import fill
from ..machine.engine import Engine, EngineError, Settings, load
from ..machine.transport import Http
from ..po.model import Catalog
from ..po.writer import write
from .files import digest_of, holds, project_lock, write_atomic
from .paths import Project, distinct_slugs, read_catalog, targets
from .summary import Progress, Report, counted

# How many times a catalogue saved by someone else during the run is filled again.
_ATTEMPTS = 3


@dataclass(slots=True)
class Pretranslated:
    """What a pretranslate run did, for its summary line and exit status."""

    articles: int = 0
    written: list[str] = field(default_factory=list)
    filled: int = 0  # units given a machine translation
    dropped: int = 0  # answers not used: placeholders or markup broken
    errors: int = 0
    engine_failed: bool = False
    not_sent: int = 0  # articles left once the engine failed
    seconds: float = 0.0

    def line(self) -> str:
        parts = [
            counted(self.articles, "article"),
            counted(len(self.written), "catalogue written", "catalogues written"),
            counted(self.filled, "unit machine-translated (fuzzy)", "units machine-translated (fuzzy)"),
            counted(self.dropped, "answer dropped", "answers dropped"),
        ]
        if self.not_sent:
            parts.append(counted(self.not_sent, "article not sent", "articles not sent"))
        parts.append(counted(self.errors, "error"))
        return ", ".join(parts) + f" in {self.seconds:.2f} s"


def engine_for(
    name: str, url: str | None, report: Report, timeout: float | None = None, environ: Mapping[str, str] | None = None
) -> Engine:
    """The engine *name* at *url* (None: its default), its key read from the environment;
    each retry reported as a warning. ConfigError for an unknown engine or a missing key."""

    def notify(message: str) -> None:
        report(L10nWarning(f"{name}: {message}"))

    http = Http(notify=notify) if timeout is None else Http(timeout=timeout, notify=notify)
    return load(name, Settings(url, os.environ if environ is None else environ, http))


def pretranslate(
    project: Project, code: str, engine: Engine, report: Report, progress: Progress | None = None
) -> Pretranslated:
    """Fill the untranslated units of locale *code*'s catalogues from *engine* (see the module)."""
    started = time.perf_counter()
    (locale,) = _one(project, code)
    result = Pretranslated()
    slugs = distinct_slugs(project)
    result.articles = len(slugs)
    with project_lock(project):
        for done, slug in enumerate(slugs, 1):
            path = project.catalog_path(locale, slug)
            try:
                _one_catalogue(project, path, engine, locale, result, report)
            except EngineError as exc:
                result.errors += 1
                result.engine_failed = True
                result.not_sent = len(slugs) - done
                why = f"{engine.name}: {exc.message}; this catalogue is left as it was"
                report(EngineError(why, project.rel(path)))
                break
            except L10nError as exc:
                result.errors += 1
                report(exc if exc.path else exc.at(project.rel(path)))
            if progress is not None:
                progress(done, len(slugs))
    result.seconds = time.perf_counter() - started
    return result


def _one(project: Project, code: str) -> tuple[Locale]:
    locales = targets(project, [code])
    if len(locales) != 1:  # the source locale: nothing to translate into
        raise ConfigError(f"{code} is the source locale: pretranslate fills a target locale's catalogues")
    return (locales[0],)


def _one_catalogue(
    project: Project, path: Path, engine: Engine, locale: Locale, result: Pretranslated, report: Report
) -> None:
    """Send one catalogue's untranslated units, then write it with the usable answers."""
    name = project.rel(path)
    data, catalogue = _readable(project, path)
    if catalogue is None:
        return  # no catalogue (extract makes it): nothing to fill
    sent = fill.batch(catalogue)
    for message, why in sent.unsent:
        report(L10nWarning(f"not sent to the engine: {why}", name, message.line))
    if not sent.texts:
        return
    answers = engine.translate(sent.texts, project.config.source, locale)
    if len(answers) != len(sent.texts):
        raise EngineError(f"{len(answers)} texts answered for {len(sent.texts)} sent")
    checked = fill.check(sent, answers)
    for index, why in checked.dropped:
        result.dropped += 1
        report(L10nWarning(f"machine translation dropped: {why}", name, sent.lines[index]))
    if not checked.usable:
        return
    for _ in range(_ATTEMPTS):
        filled, count = fill.fill(catalogue, checked.usable, engine.name)
        text = write(filled)
        if count == 0 or holds(data, text):
            return  # a translator filled them all meanwhile
        if write_atomic(path, text, name=name, based_on=digest_of(data)):
            result.written.append(name)
            result.filled += count
            return
        data, catalogue = _readable(project, path)  # saved meanwhile: filled again from what was saved
        if catalogue is None:
            raise CatalogError("removed by another program while pretranslate ran")
    raise CatalogError(
        f"changed by another program while pretranslate ran ({_ATTEMPTS} times); left as it was saved:"
        " run pretranslate again"
    )


def _readable(project: Project, path: Path) -> tuple[bytes | None, Catalog | None]:
    """The catalogue read, unless writing it again would lose something (as extract refuses)."""
    data, catalogue = read_catalog(project, path)
    if catalogue is None:
        return data, None
    if catalogue.cut:
        raise CatalogError(
            "a NUL character cuts this text short (GNU gettext reads up to it): the file is left as saved; remove"
            " the NUL",
            line=catalogue.cut[0],
        )
    problems = duplicates(catalogue)
    if problems:
        raise CatalogError("duplicate entries: run l10n extract first, which merges them", line=problems[0].line)
    return data, catalogue
