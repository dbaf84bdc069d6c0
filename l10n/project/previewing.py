"""Previews for ``l10n serve``: a page as ``build`` would make it now, made in memory.

A preview chooses each unit's translation as the build does (:mod:`.rendering`: valid
translations, else the one the published page was last made with, else the source
text, marked), and localises the page as the build does, with one difference: every
configured locale counts as built for every article, so the language switcher and the
hreflang alternates lead to every locale's preview. Nothing is written: no page, no
store (the store's records are read read-only), no catalogue. Also here: the dashboard's
published state, and the project file a preview's ``/assets/`` URL names.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from .. import dashboard, html_write, outline, stats
from ..errors import L10nError
from ..locale import Locale
from ..page import localise, prescan_safe
from ..segment import Segmented
from ..slot import SourceMark, copy_document
from . import counting
from .disk import DryDisk, DryStore
from .paths import (
    Project,
    naming,
    pages_on_disk,
    read_article,
    read_catalog,
    source_path,
    targets,
    within,
)
from .rendering import Article, BuildRun, Job, choose


@dataclass(frozen=True, slots=True)
class Preview:
    """A preview page: its HTML text, or the one-line error that kept it from being made."""

    text: str
    error: str | None = None


def locale_of(project: Project, tag: str) -> Locale | None:
    """The source or configured locale whose pages live in ``<tag>/``, else None."""
    config = project.config
    for locale in (config.source, *config.locales):
        if locale.tag == tag:
            return locale
    return None


class Walked:
    """Articles read and walked for previews, kept while their file is unchanged (file
    stats): a preview made again after a catalogue is saved neither reads nor walks its
    article again (two thirds of the time of a large page's preview)."""

    def __init__(self) -> None:
        self._articles: dict[str, tuple[tuple[int, ...], Segmented]] = {}

    def segmented(self, project: Project, slug: str) -> Segmented:
        """Article *slug* read and walked (L10nError when it cannot be read)."""
        stamp = _stat(str(project.article_path(slug)))
        kept = self._articles.get(slug)
        if kept is None or kept[0] != stamp:
            with naming(source_path(project, slug)):
                kept = self._articles[slug] = (stamp, Segmented(read_article(project, slug)))
        return kept[1]


def render(
    project: Project, locale: Locale, slug: str, slugs: list[str], outlined: bool = False, walked: Walked | None = None
) -> Preview:
    """The page of *slug* in *locale* as a build would make it now (see the module
    docstring), *slugs* being every article (``paths.distinct_slugs``); with *outlined*,
    the units not validly translated outlined (:mod:`l10n.outline`); the article taken
    from *walked* when given."""
    config = project.config
    every = frozenset(loc.tag for loc in (config.source, *config.locales))
    assumed = dict.fromkeys(slugs, every)
    # A dry disk: a preview writes nothing, whatever the build's code would do.
    run = BuildRun(project, [config.source, *config.locales], [], config.min_percent, "", assumed, DryDisk())
    article = Article(slug, {}, {}, {}, on_disk=pages_on_disk(project, slug, config.locales))
    try:
        job = Job(run, article, walked.segmented(project, slug) if walked is not None else None)
        document = job.read()
        if locale.tag == config.source.tag:
            page = copy_document(document)
        else:
            translations = job.translations(locale)
            chosen = choose(job, locale, translations)
            # None: the build keeps the published page as it is; the preview shows the valid translations.
            use = chosen[0] if chosen is not None else dict(translations.valid)
            source = config.source
            mark = SourceMark(source.tag, source.direction if locale.direction != source.direction else None)
            marker = outline.Marker(_states(project, locale, slug, job.segmented().msgids(), use)) if outlined else None
            page, _ = job.segmented().translated(use, mark, seen=marker)
            if marker is not None:
                marker.apply(page.root)
        localise(page, locale, slug, run.site(slug, every), [])
        return Preview(prescan_safe(html_write.serialise_utf8(page)).decode("utf-8"))
    except L10nError as exc:
        return Preview("", str(exc))


def _states(
    project: Project, locale: Locale, slug: str, msgids: list[str], use: dict[str, str]
) -> dict[str, outline.UnitState]:
    """What the outline says of each unit (*msgids*) the catalogue does not translate validly."""
    path = project.catalog_path(locale, slug)
    shown = project.rel(path)
    _, po = read_catalog(project, path)  # read again, with lines: previews only
    entries = {message.msgid: message for message in po.messages if not message.obsolete} if po else {}
    found: dict[str, outline.UnitState] = {}
    for msgid in dict.fromkeys(msgids):
        entry = entries.get(msgid)
        state = stats.state(entry)
        if state == "translated" and msgid in use:
            continue
        if state == "translated":
            state = "invalid"  # counted translated, refused by the build (a plural form, say)
        where = f"{shown}:{entry.line}" if entry is not None and entry.line is not None else f"{shown} (no entry)"
        found[msgid] = outline.UnitState(state, kept=msgid in use, where=where)
    return found


def asset(project: Project, path: str) -> Path | None:
    """The file of the articles folder a preview's ``/assets/<path>`` names, or None: a
    path that leaves the folder (``..``, a symbolic link out of it), a hidden name, an
    article's catalogue or a folder is never served."""
    parts = path.split("/")
    if not path or any(part in ("", ".", "..") or part.startswith(".") or "\\" in part for part in parts):
        return None
    if "\0" in path:
        return None
    base = os.path.realpath(project.articles_dir)
    real = os.path.realpath(os.path.join(base, *parts))
    if not within(real, base) or not os.path.isfile(real):
        return None
    return Path(real)


def publications(
    project: Project, rows: list[stats.Row], last: Mapping[tuple[str, str], dashboard.LastBuild]
) -> dict[tuple[str, str], dashboard.Publication]:
    """Whether each row's page is in the output folder, whether its article was saved
    after the page was written (modification times: two stats a row), and what the last
    build did with it (*last*, from :class:`~.outcomes.LastBuilds`)."""
    output = os.path.join(project.root, project.config.output)
    folder = str(project.articles_dir)
    articles: dict[str, int | None] = {}
    found: dict[tuple[str, str], dashboard.Publication] = {}
    for row in rows:
        where = (row.locale, row.article)
        try:
            page = os.stat(os.path.join(output, row.locale, row.article)).st_mtime_ns
        except OSError:
            if where in last:
                found[where] = dashboard.Publication(last=last[where])
            continue
        if row.article not in articles:
            try:
                articles[row.article] = os.stat(os.path.join(folder, row.article)).st_mtime_ns
            except OSError:
                articles[row.article] = None
        saved = articles[row.article]
        found[where] = dashboard.Publication(True, saved is not None and saved > page, last.get(where))
    return found


class StatusCache:
    """``status`` rows kept between dashboards: a row is looked up again only when its
    catalogue or its article's template changed (file stats), then read from the run store
    (read-only: :class:`~.disk.DryStore`) or counted as ``status`` counts it (:mod:`.counting`)."""

    def __init__(self) -> None:
        self._rows: dict[tuple[str, str], tuple[tuple[int, ...], stats.Row]] = {}

    def rows(self, project: Project, slugs: list[str]) -> list[stats.Row]:
        """The rows of ``desk.status(project, [])``, in its order; *slugs*: the project's
        articles (:func:`~.paths.distinct_slugs`, which the server keeps)."""
        locales = targets(project, [], new=True)
        changed: list[tuple[str, list[tuple[int, ...]], list[int]]] = []  # slug, file stats, rows to look up
        for slug in slugs:
            (template, _), *catalogues = counting.files(project, slug, locales)
            stamp = _stat(template)
            keys = [(*stamp, *_stat(path)) for path, _ in catalogues]
            cached = (self._rows.get((locale.tag, slug)) for locale in locales)
            missing = [at for at, row in enumerate(cached) if row is None or row[0] != keys[at]]
            if missing:
                changed.append((slug, keys, missing))
        if changed:
            with DryStore.open(project) as store:
                # Many articles (a server's first dashboard): the store read in two queries.
                kept = counting.Kept(store) if len(changed) > _ONE_BY_ONE else None
                for slug, keys, missing in changed:
                    made = counting.article_rows(project, store, slug, [locales[at] for at in missing], kept)
                    for at, row in zip(missing, made, strict=True):
                        self._rows[(row.locale, slug)] = (keys[at], row)
        found = (self._rows.get((locale.tag, slug)) for locale in locales for slug in slugs)
        return [cached[1] for cached in found if cached is not None]


# Up to this many articles to look up, each is looked up in the store on its own.
_ONE_BY_ONE = 32


def _stat(path: str) -> tuple[int, ...]:
    try:
        info = os.stat(path)
    except OSError:
        return (-1,)
    return (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)
