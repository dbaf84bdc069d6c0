"""What a run reports as it goes (errors, progress, pages) and what it did (the summary line)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Literal

from ..errors import L10nError

Report = Callable[[L10nError], None]
Progress = Callable[[int, int], None]  # (done, total), for a progress bar

# What became of one article's page in one locale:
# built   - the page in site/ is what this run makes of the article (written or already so);
# kept    - an earlier page is left as it is, byte for byte (its catalogue cannot be read,
#           or a translation turned invalid and the last valid one is not known);
# skipped - never published, and below the threshold of a first publication;
# failed  - never published, and its catalogue cannot be read.
State = Literal["built", "kept", "skipped", "failed"]


@dataclass(frozen=True, slots=True)
class PageOutcome:
    """What a build did with one article in one locale (a record of ``build --json``)."""

    article: str  # the slug: the path below the articles folder
    locale: str  # BCP 47 tag
    page: str  # site/<lang>/<slug>, from the project root
    state: State
    written: bool = False  # the file was written by this run
    percent: float | None = None  # valid translations / units (None when not known)
    fallbacks: int = 0  # units shown in the source language
    kept_translations: int = 0  # units shown with their last valid translation
    reason: str | None = None  # why kept, skipped or failed
    problems: tuple[str, ...] = ()  # "path:line: message" of each problem found

    def as_json(self) -> dict[str, object]:
        return {
            "article": self.article,
            "locale": self.locale,
            "page": self.page,
            "state": self.state,
            "written": self.written,
            "percent": None if self.percent is None else round(self.percent, 1),
            "fallbacks": self.fallbacks,
            "kept_translations": self.kept_translations,
            "reason": self.reason,
            "problems": list(self.problems),
        }


Records = Callable[[PageOutcome], None]


def counted(number: int, thing: str, things: str | None = None) -> str:
    """``1 article``, ``2 articles``: a count with its noun in the right number."""
    return f"{number} {thing if number == 1 else things or thing + 's'}"


@dataclass(frozen=True, slots=True)
class Pages:
    """What a build's summary says of its pages (:meth:`Summary.count` adds them up)."""

    built: int = 0
    kept: int = 0
    failed: int = 0
    fallbacks: int = 0
    kept_translations: int = 0
    skipped: tuple[str, ...] = ()  # "site/fa/x.html: 60% translated (threshold 100%)"


@dataclass(slots=True)
class Summary:
    """What a run did, for the one-line summary and the exit status."""

    articles: int = 0
    written: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)  # "path: why", each file extract --prune removed
    unchanged: int = 0  # articles skipped because nothing they depend on changed
    rendered: int = 0  # pages rendered by build (written only when their text changed)
    pages: int = 0  # pages the build has in site/, up to date
    seconds: float = 0.0
    decoded: list[str] = field(default_factory=list)  # "path: decoded as X", for -v
    skipped: list[str] = field(default_factory=list)  # "site/fa/x.html: 60% translated (threshold 100%)"
    kept: int = 0  # pages left as they were (see PageOutcome)
    failed: int = 0
    fallbacks: int = 0  # units shown in the source language, over every page built
    kept_translations: int = 0  # units shown with their last valid translation
    errors: int = 0
    notes: list[str] = field(default_factory=list)  # said once a run, not errors: "note: ..."
    warnings: int = 0  # reported L10nWarnings: said, but no reason for exit status 1
    copied: list[str] = field(default_factory=list)  # local files copied into site/ (build)
    deleted: list[str] = field(default_factory=list)  # generated files removed: pages, feeds, templates

    def count(self, outcome: PageOutcome) -> None:
        """Add one page's outcome."""
        if outcome.state == "built":
            self.pages += 1
            self.fallbacks += outcome.fallbacks
            self.kept_translations += outcome.kept_translations
        elif outcome.state == "kept":
            self.kept += 1
        elif outcome.state == "skipped":
            self.skipped.append(f"{outcome.page}: {outcome.reason}")
        else:
            self.failed += 1

    @property
    def page_counts(self) -> Pages:
        return Pages(self.pages, self.kept, self.failed, self.fallbacks, self.kept_translations, tuple(self.skipped))

    def add_pages(self, pages: Pages) -> None:
        """Add what another run's summary said of its pages (a build standing on its stamp)."""
        self.pages += pages.built
        self.kept += pages.kept
        self.failed += pages.failed
        self.fallbacks += pages.fallbacks
        self.kept_translations += pages.kept_translations
        self.skipped.extend(pages.skipped)

    def as_json(self) -> dict[str, object]:
        return {
            "articles": self.articles,
            "written": len(self.written),
            "built": self.pages,
            "kept": self.kept,
            "skipped": len(self.skipped),
            "failed": self.failed,
            "fallbacks": self.fallbacks,
            "kept_translations": self.kept_translations,
            "errors": self.errors,
            "warnings": self.warnings,
            "copied": len(self.copied),
        }

    def line(self, verb: str) -> str:
        parts = [counted(self.articles, "article"), counted(len(self.written), f"file {verb}", f"files {verb}")]
        if self.removed:
            parts.append(counted(len(self.removed), "catalogue pruned", "catalogues pruned"))
        if self.pages:
            parts.append(counted(self.pages, "page built", "pages built"))
        if self.kept:
            parts.append(counted(self.kept, "page kept", "pages kept"))
        if self.skipped:
            parts.append(counted(len(self.skipped), "page skipped below threshold", "pages skipped below threshold"))
        if self.failed:
            parts.append(counted(self.failed, "page failed", "pages failed"))
        if self.fallbacks:
            parts.append(counted(self.fallbacks, "unit in the source language", "units in the source language"))
        if self.kept_translations:
            last = ("unit with its last valid translation", "units with their last valid translation")
            parts.append(counted(self.kept_translations, *last))
        if self.unchanged:
            parts.append(counted(self.unchanged, "article unchanged", "articles unchanged"))
        if self.copied:
            parts.append(counted(len(self.copied), "file copied", "files copied"))
        parts.append(counted(self.errors, "error"))
        if self.warnings:
            parts.append(counted(self.warnings, "warning"))
        # Milliseconds below a second: a run with nothing to do takes a few.
        return ", ".join(parts) + f" in {self.seconds:.{3 if self.seconds < 1 else 2}f} s"
