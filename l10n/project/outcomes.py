"""What the last build did with each page, kept in the run store for the desk's dashboard.

``build`` stores each page's outcome (:class:`~.summary.PageOutcome`: built, kept,
skipped or failed, with its reason and how many units fell back) under ``outcomes``,
keyed by article and locale tag, whenever it changes; an article's rows go when the
article goes, a page's when its locale leaves the configuration. ``l10n serve`` reads
them read-only (:func:`last_builds`) and keeps them while the store's file is unchanged.
A build run with ``-l fr`` changes the French rows only: the others still say what the
build that last made those pages did.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Mapping
from typing import cast

from ..dashboard import LastBuild
from .disk import DryStore
from .paths import CACHE_DIR, Project
from .store import Store
from .summary import PageOutcome, State

COMMAND = "outcomes"  # the store's command name for these rows


def packed(outcome: PageOutcome) -> str:
    """The stored text of one page's outcome."""
    return json.dumps(
        [outcome.state, outcome.reason or "", outcome.fallbacks, outcome.kept_translations], ensure_ascii=False
    )


def remember(store: Store, stored: Mapping[str, str], outcomes: tuple[PageOutcome, ...]) -> None:
    """Store the outcomes of one article's pages that differ from *stored* (tag -> text)."""
    for outcome in outcomes:
        text = packed(outcome)
        if stored.get(outcome.locale) != text:
            store.put(COMMAND, outcome.article, outcome.locale, text)


@functools.lru_cache(maxsize=4096)  # most pages say the same ("built", no fallback): one object for them
def _unpacked(text: str) -> LastBuild | None:
    try:
        state, reason, fallbacks, kept = json.loads(text)
        return LastBuild(str(state), str(reason) or None, int(fallbacks), int(kept))
    except (ValueError, TypeError):
        return None  # not ours (another version): as if never built


def replayed(project: Project, store: Store, slugs: list[str], tags: list[str]) -> list[PageOutcome] | None:
    """The outcomes of a build with nothing to do, from what the last build stored: each
    page of *slugs* in the locales *tags* (the source's first) as it was, none written.
    None when a page has no stored outcome (that build was not complete)."""
    stored = {(slug, tag): text for slug, tag, text in store.rows(COMMAND)}
    # A page's translated share, as the build that found it cached it ("key|percent").
    percents = {(slug, tag): value.rpartition("|")[2] for slug, tag, value in store.rows("coverage")}
    found: list[PageOutcome] = []
    for slug in slugs:
        for tag in tags:
            last = _unpacked(stored.get((slug, tag), ""))
            if last is None:
                return None
            percent = percents.get((slug, tag))
            outcome = PageOutcome(
                slug, tag, project.page_name(tag, slug), cast(State, last.state),
                percent=None if percent is None else float(percent), fallbacks=last.fallbacks,
                kept_translations=last.kept_translations, reason=last.reason,
            )  # fmt: skip
            found.append(outcome)
    return found


class LastBuilds:
    """The stored outcomes by (locale tag, article), read again when the store's file changed."""

    def __init__(self) -> None:
        self._stamp: tuple[int, ...] | None = None
        self._found: dict[tuple[str, str], LastBuild] = {}

    def read(self, project: Project) -> dict[tuple[str, str], LastBuild]:
        try:
            info = os.stat(project.root / CACHE_DIR / "state.sqlite3")
            stamp: tuple[int, ...] = (info.st_mtime_ns, info.st_size, info.st_ino, info.st_ctime_ns)
        except OSError:
            stamp = (-1,)
        if stamp != self._stamp:
            with DryStore.open(project) as store:
                found = ((tag, slug, _unpacked(text)) for slug, tag, text in store.rows(COMMAND))
                self._found = {(tag, slug): last for tag, slug, last in found if last is not None}
            self._stamp = stamp
        return self._found
