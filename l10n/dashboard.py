"""The desk's dashboard (``l10n serve``, ``/``): one row per article, one column per locale.

Each cell draws the ``status`` figures of one article in one locale (:mod:`l10n.stats`:
the same rows as ``status --json``) as a bar, translated then fuzzy then invalid, with
the figures in text, and says whether the page is published. The table works without
JavaScript; a few lines of it sort the columns and follow the server's change events.
Pure: rows in, HTML text out; every name from the project (articles, locales) is escaped.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from html import escape
from urllib.parse import quote

from . import stats


@dataclass(frozen=True, slots=True)
class LastBuild:
    """What the last build did with one page (a ``build --json`` record, in short)."""

    state: str  # built, kept, skipped or failed
    reason: str | None = None  # why kept, skipped or failed
    fallbacks: int = 0  # units shown in the source language
    kept_translations: int = 0  # units shown with their last valid translation


@dataclass(frozen=True, slots=True)
class Publication:
    """What the output folder says of one page: whether it is there, and whether its
    article was saved after it (the page does not show the article as it is now); and
    what the last build did with it (None: no build made or considered it)."""

    published: bool = False
    source_changed: bool = False
    last: LastBuild | None = None


STYLE = """
body{font:14px/1.4 system-ui,sans-serif;margin:1em;color:#111}
table{border-collapse:collapse}
th,td{border-bottom:1px solid #ddd;padding:.3em .6em;text-align:left;vertical-align:top}
th{cursor:pointer;white-space:nowrap}
.bar{display:flex;width:10em;height:.8em;background:#eee;border-radius:2px;overflow:hidden}
.bar span{display:block;height:100%}
.t{background:#2e7d32}.f{background:#f9a825}.i{background:#7b1fa2}
.n{font-size:12px;color:#444;white-space:nowrap}
.state{font-size:11px;padding:0 .3em;border-radius:2px;background:#e0e0e0}
.state.published{background:#c8e6c9}.state.changed,.state.failed{background:#ffcdd2}
.state.kept,.state.fallback{background:#ffe0b2}
tfoot td{font-weight:600}
"""

SORT = """
document.querySelectorAll("#progress thead th").forEach((th, column) => th.addEventListener("click", () => {
  const body = document.querySelector("#progress tbody");
  const up = th.dataset.order !== "up"; th.dataset.order = up ? "up" : "down";
  const key = row => { const cell = row.children[column]; return cell.dataset.value ?? cell.textContent; };
  const rows = [...body.rows].sort((a, b) => {
    const x = key(a), y = key(b), nx = parseFloat(x), ny = parseFloat(y);
    const order = isNaN(nx) || isNaN(ny) ? x.localeCompare(y) : nx - ny;
    return up ? order : -order;
  });
  body.append(...rows);
}));
"""


def page(
    rows: Sequence[stats.Row],
    published: Mapping[tuple[str, str], Publication],
    source: str,
    threshold: float,
    live: str = "",
) -> str:
    """The dashboard's HTML: *rows* from ``project.status``; *published* by (locale tag,
    article); *live*, the address of a script that follows changes (none when empty)."""
    groups = stats.by_locale(rows)
    articles = list(dict.fromkeys(row.article for row in rows))
    cells = {(row.locale, row.article): row for row in rows}
    parts = [
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>l10n: translation progress</title>',
        f"<style>{STYLE}</style></head><body>",
        f"<h1>Translation progress</h1><p>Source: {escape(source)}; a page is first published at"
        f" {threshold:g}% translated. Figures as <code>l10n status --json</code>.</p>",
        '<table id="progress"><thead><tr><th>article</th>',
    ]
    parts += [f'<th data-locale="{escape(tag)}">{escape(tag)}</th>' for tag in groups]
    parts.append("</tr></thead><tbody>")
    # Quoted and escaped once a locale and once an article: a dashboard has thousands of cells.
    tags = {tag: (escape(quote(tag)), escape(tag)) for tag in groups}
    for article in articles:
        path, name = escape(quote(article)), escape(article)
        parts.append(f'<tr data-article="{name}"><td><a href="/{escape(quote(source))}/{path}">{name}</a></td>')
        for tag, (quoted, shown) in tags.items():
            row = cells.get((tag, article))
            if row is None:
                parts.append("<td></td>")
                continue
            state = _state(row.counts, published.get((tag, article), _UNKNOWN), threshold)
            parts.append(_cell(row, f"/{quoted}/{path}?outline=1", shown, state))
        parts.append("</tr>")
    parts.append("</tbody><tfoot><tr><td>total</td>")
    for group in groups.values():
        counts = stats.total(group)
        parts.append(f'<td data-value="{counts.percent:.1f}">{_bar(counts)}{_figures(counts)}</td>')
    parts.append(f"</tr></tfoot></table><script>{SORT}</script>")
    if live:
        parts.append(f'<script src="{escape(live)}" data-scope="dashboard"></script>')
    parts.append("</body></html>\n")
    return "".join(parts)


_UNKNOWN = Publication()


def _cell(row: stats.Row, link: str, locale: str, state: str) -> str:
    """One cell: *link* to the outlined preview and *locale*, escaped; *state* in HTML."""
    counts = row.counts
    error = f'<div class="n" role="alert">{escape(row.error)}</div>' if row.error else ""
    return (
        f'<td data-value="{counts.percent:.1f}" data-locale="{locale}">'
        f'<a href="{link}">{_bar(counts)}</a>{_figures(counts)} {state}{error}</td>'
    )


def _state(counts: stats.Counts, publication: Publication, threshold: float) -> str:
    """The page's state: published or not, and what the last build did and why."""
    last = publication.last
    if publication.published:
        if last is not None and last.state == "kept":
            state = _badge("kept", "kept: the last good page stays", last.reason)
        else:
            state = _badge("published", "published")
        if last is not None and last.fallbacks:
            state += " " + _badge("fallback", f"{last.fallbacks} in the source language")
        if last is not None and last.kept_translations:
            state += " " + _badge("fallback", f"{last.kept_translations} with an earlier translation")
        if publication.source_changed:
            state += " " + _badge("changed", "source changed", "the article was saved after this page was built")
        return state
    if last is not None and last.state == "failed":
        return _badge("failed", "not published: its catalogue cannot be read", last.reason)
    if counts.percent + 1e-9 >= threshold:
        return _badge("", "not published: the next build publishes it", last.reason if last else None)
    if last is not None and last.state == "skipped":
        return _badge("skipped", "skipped by the last build", last.reason)
    return _badge("", "not published")


def _badge(kind: str, text: str, why: str | None = None) -> str:
    """A state's badge; *why* on hover, and also shown for the states that need someone."""
    css = f"state {kind}" if kind else "state"
    if not why:
        return f'<span class="{css}">{escape(text)}</span>'
    badge = f'<span class="{css}" title="{escape(why)}">{escape(text)}</span>'
    return badge + (f'<div class="n why">{escape(why)}</div>' if kind in ("kept", "failed") else "")


def _bar(counts: stats.Counts) -> str:
    """Translated, fuzzy and invalid as shares of a bar (the rest, untranslated, is its background)."""
    units = counts.units or 1
    spans = "".join(
        f'<span class="{css}" style="width:{100.0 * share / units:.2f}%"></span>'
        for css, share in (("t", counts.translated), ("f", counts.fuzzy), ("i", counts.invalid))
        if share
    )
    title = f"{counts.translated} translated, {counts.fuzzy} fuzzy, {counts.invalid} invalid of {counts.units} units"
    return f'<div class="bar" title="{title}">{spans}</div>'


def _figures(counts: stats.Counts) -> str:
    return (
        f'<div class="n"><span class="percent">{counts.percent:.1f}%</span>'
        f' · <span class="fuzzy">{counts.fuzzy}</span> fuzzy · <span class="invalid">{counts.invalid}</span> invalid'
        f" · {counts.units} units</div>"
    )
