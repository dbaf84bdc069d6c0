"""The desk commands: ``status``, ``check`` and ``pseudo``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from .. import qa, stats
from ..catalog import as_written
from ..errors import CatalogError, ConfigError, L10nError
from ..locale import PSEUDO, parse_locale
from ..po.model import Catalog, Message
from ..po.writer import write
from ..pseudo import pseudo_translate
from . import counting
from .extraction import extract
from .files import digest_of, holds, project_lock, write_atomic
from .paths import Project, distinct_slugs, orphan_catalogs, read_catalog, targets
from .store import Store
from .summary import Report, Summary


def status(project: Project, codes: list[str]) -> list[stats.Row]:
    """Progress per locale and article: units of the article's template, by state in the PO;
    counted again only for the files changed since counted (:mod:`.counting`)."""
    with Store.open(project) as store:
        return counting.status_rows(project, codes, store)


def orphans(project: Project, codes: list[str]) -> list[stats.Orphan]:
    """The catalogues of the locales whose article is gone, by locale then path."""
    slugs = distinct_slugs(project)
    found = []
    for locale in targets(project, codes, new=True):
        for name in orphan_catalogs(project, locale, slugs):
            path = Path(project.root, project.config.locales_dir, locale.gettext, "LC_MESSAGES", name + ".po")
            article = Path(project.articles_dir, name + ".html")  # .htm or .html: it is gone, either would do
            found.append(stats.Orphan(locale.tag, project.rel(path), project.rel(article)))
    return found


def check(project: Project, codes: list[str]) -> qa.Checked:
    """QA findings of every existing catalogue of the locales, by locale then article."""
    groups: list[list[qa.Finding]] = []
    places: dict[str, tuple[str, str]] = {}  # for the summary by locale and article
    for locale in targets(project, codes):
        nplurals = qa.nplurals(locale.plural_forms)
        for slug in distinct_slugs(project):
            path = project.catalog_path(locale, slug)
            places[project.rel(path)] = (locale.tag, slug)
            try:
                _, po = read_catalog(project, path)
            except L10nError as exc:
                groups.append([qa.parse_error(exc)])
                continue
            if po is not None:
                # A pseudo-locale lengthens every text on purpose: no length budget for it.
                budgeted = locale.gettext not in PSEUDO
                groups.append(qa.check_catalogue(po, project.rel(path), nplurals, budgeted))
    return qa.collect(groups, len(groups), places)


def _fill_pseudo(po: Catalog, nplurals: int) -> Catalog:
    """The catalogue with every live message pseudo-translated, none fuzzy, none with a previous msgid."""
    written = as_written(po)
    return replace(written, messages=tuple(m if m.obsolete else _pseudo(m, nplurals) for m in written))


def _pseudo(message: Message, nplurals: int) -> Message:
    flags = tuple(flag for flag in message.flags if flag != "fuzzy")
    cleared = replace(message, flags=flags, previous_msgctxt=None, previous_msgid=None, previous_msgid_plural=None)
    if message.msgid_plural:
        sources = (message.msgid, *[message.msgid_plural] * (nplurals - 1))[:nplurals]
        return replace(cleared, plural_forms=tuple(map(pseudo_translate, sources)) or ("", ""))
    return replace(cleared, msgstr=pseudo_translate(message.msgid))


def pseudo(project: Project, code: str, report: Report) -> Summary:
    """Extract for the pseudo-locale *code*, then fill all its catalogues with pseudo-translations."""
    locale = parse_locale(code)
    if locale.gettext not in PSEUDO:
        names = ", ".join(name.replace("_", "-") for name in PSEUDO)
        raise ConfigError(f"{code!r} is not a pseudo-locale ({names}); pseudo never overwrites real translations")
    summary = extract(project, [locale.gettext], report)
    with project_lock(project):
        for slug in distinct_slugs(project):
            path = project.catalog_path(locale, slug)
            try:
                old_data, po = read_catalog(project, path)
            except L10nError:
                continue  # extract has reported it
            if po is None:
                continue  # the article could not be read: extract has reported it
            try:
                text = write(_fill_pseudo(po, qa.nplurals(locale.plural_forms)))
                if holds(old_data, text):
                    continue
                if not write_atomic(path, text, name=project.rel(path), based_on=digest_of(old_data)):
                    raise CatalogError("changed by another program while pseudo ran; left as it was saved")
            except L10nError as exc:
                summary.errors += 1
                report(exc if exc.path else exc.at(project.rel(path)))
                continue
            if project.rel(path) not in summary.written:
                summary.written.append(project.rel(path))
    return summary
