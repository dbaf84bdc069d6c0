"""The desk commands: ``status``, ``check`` and ``pseudo``."""

from __future__ import annotations

from pathlib import Path

import polib

from .. import qa, stats
from ..catalog import dumps
from ..errors import CatalogError, ConfigError, L10nError
from ..locale import PSEUDO, parse_locale
from ..pseudo import pseudo_translate
from .extraction import extract
from .files import digest_of, holds, project_lock, write_atomic
from .paths import Project, distinct_slugs, orphan_catalogs, read_catalog, targets
from .summary import Report, Summary


def _desk_catalog(project: Project, path: Path) -> tuple[polib.POFile | None, L10nError | None]:
    """A parsed catalogue or template (None when there is no file) and the error that kept it unread."""
    try:
        _, po = read_catalog(project, path)
    except L10nError as exc:
        return None, exc
    return (po if isinstance(po, polib.POFile) else None), None


def status(project: Project, codes: list[str]) -> list[stats.Row]:
    """Progress per locale and article: units of the article's template, by state in the PO."""
    templates = {slug: _desk_catalog(project, project.template_path(slug)) for slug in distinct_slugs(project)}
    rows: list[stats.Row] = []
    for locale in targets(project, codes, new=True):
        for slug, (template, template_error) in templates.items():
            path = project.catalog_path(locale, slug)
            po, error = _desk_catalog(project, path)
            problem = error or template_error
            rows.append(
                stats.Row(
                    locale.tag,
                    slug,
                    project.rel(path),
                    path.is_file(),
                    stats.count(stats.template_units(template, po), po),
                    str(problem) if problem else None,
                )
            )
    return rows


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
    for locale in targets(project, codes):
        nplurals = qa.nplurals(locale.plural_forms)
        for slug in distinct_slugs(project):
            path = project.catalog_path(locale, slug)
            try:
                _, po = read_catalog(project, path)
            except L10nError as exc:
                groups.append([qa.parse_error(exc)])
                continue
            if isinstance(po, polib.POFile):
                groups.append(qa.check_catalogue(po, project.rel(path), nplurals))
    return qa.collect(groups, len(groups))


def _fill_pseudo(po: polib.POFile, nplurals: int) -> None:
    for entry in po:
        if entry.obsolete:
            continue
        if entry.msgid_plural:
            entry.msgstr_plural = {
                index: pseudo_translate(entry.msgid if index == 0 else entry.msgid_plural) for index in range(nplurals)
            }
        else:
            entry.msgstr = pseudo_translate(entry.msgid)
        entry.flags = [flag for flag in entry.flags if flag != "fuzzy"]
        entry.previous_msgid = entry.previous_msgid_plural = entry.previous_msgctxt = None


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
            if not isinstance(po, polib.POFile):
                continue  # the article could not be read: extract has reported it
            _fill_pseudo(po, qa.nplurals(locale.plural_forms))
            try:
                text = dumps(po)
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
