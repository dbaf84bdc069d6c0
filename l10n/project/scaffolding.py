"""``l10n init``: a new project in a folder, made without overwriting anything.

A folder that already holds a project (an ``l10n.toml``, a ``pyproject.toml`` with a
``[tool.l10n]`` table, or an articles folder with articles in it, which works with no
configuration), or lies inside one (commands run there would find that project above),
is refused before anything is written. Otherwise it writes ``l10n.toml``,
makes the articles and catalogue folders (each with an empty ``.gitkeep``, since git
keeps no empty folder) and adds to ``.gitignore`` the lines it lacks. The text is
:mod:`l10n.scaffold`'s.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .. import scaffold
from ..config import Config, config_from
from ..errors import ConfigError, OutputError
from ..locale import Locale, parse_locale
from .files import LOCK_FILE, TEMPORARY_PATTERN, write_atomic
from .paths import ARTICLE_SUFFIXES, CACHE_DIR, XLIFF_DIR, find_project

KEEP_FILE = ".gitkeep"


@dataclass(frozen=True, slots=True)
class Created:
    """What ``init`` made: for the lines it prints."""

    config: Config
    config_file: str
    made: tuple[str, ...]  # the files and folders created, as the user sees them
    ignored: tuple[str, ...]  # the lines added to .gitignore
    gitignore_existed: bool

    def lines(self) -> list[str]:
        """The report: what was made, then the next steps."""
        source = self.config.source.tag
        targets = ", ".join(locale.tag for locale in self.config.locales) or "none yet"
        out = [f"Created an l10n project (source {source}; target locales {targets}):"]
        out += [f"  {name}" for name in self.made]
        if self.gitignore_existed and self.ignored:
            out.append(f"  .gitignore: added {', '.join(self.ignored)}")
        out += ["", "Next steps:", *scaffold.next_steps(self.config, self.config_file)]
        return out


def init(root: Path, source_code: str, codes: list[str]) -> Created:
    """Make a project in *root*; ConfigError (one line naming the file) when one is there
    or a locale code is unknown, OutputError when a file cannot be written. Nothing is
    written before every check has passed; the configuration is written last, so an init
    that failed half way can be run again."""
    _refuse_existing(root)
    _refuse_inside(root)
    source = parse_locale(source_code)
    targets = _targets(source, codes)
    text = scaffold.config_text(source, targets)
    config = config_from(tomllib.loads(text), scaffold.CONFIG_FILE)  # what open_project will read
    made: list[str] = []
    for folder in (config.articles, config.locales_dir):
        _folder_kept(root, folder, made)
    ignore = root / ".gitignore"
    existing = _read_ignore(ignore)
    wanted = scaffold.ignore_lines(config, CACHE_DIR, LOCK_FILE, TEMPORARY_PATTERN, XLIFF_DIR)
    lines = scaffold.missing_lines(existing or "", wanted)
    addition = scaffold.appended(existing, lines)
    if addition:
        try:
            with open(ignore, "a", encoding="utf-8", newline="") as stream:  # its bytes kept, ours after them
                stream.write(addition)
        except OSError as exc:
            raise OutputError(f"cannot write: {exc.strerror}", ".gitignore") from None
        if existing is None:
            made.append(".gitignore")
    if not write_atomic(root / scaffold.CONFIG_FILE, text, name=scaffold.CONFIG_FILE, based_on=None):
        raise ConfigError("created by another program while init ran; init wrote nothing there", scaffold.CONFIG_FILE)
    made.insert(0, scaffold.CONFIG_FILE)
    return Created(config, scaffold.CONFIG_FILE, tuple(made), tuple(lines), existing is not None)


def _targets(source: Locale, codes: list[str]) -> tuple[Locale, ...]:
    """The target locales, each once, the source left out (it is always built)."""
    seen: dict[str, Locale] = {}
    for code in codes:
        locale = parse_locale(code)
        if locale.gettext != source.gettext:
            seen.setdefault(locale.gettext, locale)
    return tuple(seen.values())


def _refuse_existing(root: Path) -> None:
    """ConfigError naming the file that shows *root* already holds a project."""
    refused = "this folder is already an l10n project; init changed nothing"
    if (root / scaffold.CONFIG_FILE).exists():
        raise ConfigError(refused, scaffold.CONFIG_FILE)
    pyproject = root / "pyproject.toml"
    if pyproject.exists():
        try:
            data = tomllib.loads(pyproject.read_bytes().decode("utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            # Its [tool.l10n] table cannot be looked for, and l10n.toml would hide it
            raise ConfigError(f"cannot be read as TOML ({exc}); init changed nothing", "pyproject.toml") from None
        tool = data.get("tool")
        if isinstance(tool, dict) and "l10n" in tool:
            raise ConfigError(f"{refused} ([tool.l10n])", "pyproject.toml")
    if _holds_articles(root):
        # A folder holding articles/ works with no configuration (DESIGN.md): a project
        raise ConfigError(f"{refused} (its articles work without a configuration file)", "articles/")


def _holds_articles(folder: Path) -> bool:
    articles = folder / "articles"
    return articles.is_dir() and any(
        path.suffix.lower() in ARTICLE_SUFFIXES and path.is_file() for path in articles.rglob("*")
    )


def _refuse_inside(root: Path) -> None:
    """ConfigError naming what marks the project above *root*, if any: commands run in
    *root* would work on that project, and one nested in it is most likely a mistake (init
    run in a subfolder). An empty articles/ folder above is no project here, as in *root*."""
    start = root.absolute()
    while start.parent != start:
        found = find_project(start.parent)
        if found is None:
            return
        if found.marker != "articles/" or _holds_articles(found.root):
            shown = os.path.relpath(found.root / found.marker, root)
            above = os.path.relpath(found.root, root)
            raise ConfigError(
                f"this folder is inside the l10n project at {above}, which l10n commands run here use;"
                " init changed nothing (run it outside that project)",
                shown + ("/" if found.marker.endswith("/") else ""),
            )
        start = found.root


def _folder_kept(root: Path, name: str, made: list[str]) -> None:
    """Make the folder (if missing) with an empty .gitkeep (if missing), so that git keeps it."""
    folder = root / name
    keep = folder / KEEP_FILE
    try:
        if not folder.is_dir():
            folder.mkdir(parents=True)
            made.append(f"{name}/")
        if not keep.exists():
            keep.touch()
    except OSError as exc:
        raise OutputError(f"cannot write: {exc.strerror}", f"{name}/") from None


def _read_ignore(path: Path) -> str | None:
    """The .gitignore's text, None when there is none."""
    try:
        return path.read_bytes().decode("utf-8", "surrogateescape")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise OutputError(f"cannot read: {exc.strerror}", ".gitignore") from None
