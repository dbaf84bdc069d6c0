"""What a run reports as it goes (errors, progress) and what it did (the summary line)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from ..errors import L10nError

Report = Callable[[L10nError], None]


Progress = Callable[[int, int], None]  # (done, total), for a progress bar


@dataclass(slots=True)
class Summary:
    """What a run did, for the one-line summary and the exit status."""

    articles: int = 0
    written: list[str] = field(default_factory=list)
    unchanged: int = 0  # articles skipped because nothing they depend on changed
    rendered: int = 0  # pages rendered by build (written only when their text changed)
    pages: int = 0  # pages the build has on disk, up to date
    seconds: float = 0.0
    decoded: list[str] = field(default_factory=list)  # "path: decoded as X", for -v
    skipped: list[str] = field(default_factory=list)
    errors: int = 0

    def line(self, verb: str) -> str:
        parts = [f"{self.articles} articles", f"{len(self.written)} files {verb}"]
        if self.pages:
            parts.append(f"{self.pages} pages built")
        if self.unchanged:
            parts.append(f"{self.unchanged} articles unchanged")
        if self.skipped:
            parts.append(f"{len(self.skipped)} pages skipped below threshold")
        parts.append(f"{self.errors} errors")
        # Milliseconds below a second: a run with nothing to do takes a few.
        return ", ".join(parts) + f" in {self.seconds:.{3 if self.seconds < 1 else 2}f} s"
