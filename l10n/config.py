"""The ``[tool.l10n]`` configuration (DESIGN.md §Project layout), validated.

Pure: it takes the parsed TOML table and the project root, and returns a
:class:`Config` or raises ConfigError. ``project`` reads the files.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .budgets import DEFAULT as DEFAULT_BUDGETS
from .budgets import Budgets, budgets_from
from .dates import CALENDARS, DEFAULTS, PERSIAN, PERSIAN_LANGUAGES, Conventions
from .errors import ConfigError
from .locale import Locale, parse_locale

KEYS = (
    "source_locale", "locales", "articles", "locales_dir", "output", "min_percent", "base_url", "calendars",
    "native_digits", "length_budgets", "scheduler",
)  # fmt: skip

# A Dask scheduler's address (tcp://host:8786, tls://..., ucx://...) or "local": a LocalCluster.
_SCHEDULER = re.compile(r"local|[a-z][a-z0-9+.-]*://\S+")


@dataclass(frozen=True, slots=True)
class Config:
    """Where things are and which locales to work on; paths relative to the project root."""

    source: Locale
    locales: tuple[Locale, ...]
    articles: str = "articles"
    locales_dir: str = "locales"
    output: str = "site"
    min_percent: float = 100.0
    base_url: str | None = None
    conventions: Conventions = DEFAULTS
    budgets: Budgets = DEFAULT_BUDGETS  # how long a title or description may be (budgets.py)
    scheduler: str | None = None  # where extract and build run: None (here), "local" or a Dask address

    def with_locales(self, codes: list[str]) -> tuple[Locale, ...]:
        """The configured locales plus those named on the command line (extract)."""
        return _unique([*self.locales, *map(parse_locale, codes)])

    def targets(self, codes: list[str]) -> tuple[Locale, ...]:
        """The locales named on the command line, else the configured ones (build, desk)."""
        chosen = _unique([*map(parse_locale, codes)]) if codes else self.locales
        return tuple(locale for locale in chosen if locale.gettext != self.source.gettext)


def closest(locale: Locale, candidates: tuple[Locale, ...]) -> Locale | None:
    """The candidate of the same language as *locale* (``fr`` for ``fr-FR``, ``zh-Hans`` for
    ``zh``), if there is one: what a user who typed *locale* most likely meant."""
    language = locale.gettext.split("_")[0]
    return next((candidate for candidate in candidates if candidate.gettext.split("_")[0] == language), None)


def _unique(locales: list[Locale]) -> tuple[Locale, ...]:
    """Locales without repeats (``pt-BR`` and ``pt_BR`` are one), in order."""
    seen: dict[str, Locale] = {}
    for locale in locales:
        seen.setdefault(locale.gettext, locale)
    return tuple(seen.values())


def config_from(table: Mapping[str, Any], where: str) -> Config:
    """Validate a ``[tool.l10n]`` table (*where* names the file for errors)."""
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"unknown [tool.l10n] key {unknown[0]!r}; known keys: {', '.join(KEYS)}", where)
    try:
        source = parse_locale(str(table.get("source_locale", "en")))
        codes = table.get("locales", [])
        if not isinstance(codes, list):
            raise ConfigError("'locales' must be a list of locale codes")
        locales = tuple(parse_locale(str(code)) for code in codes)
    except ConfigError as exc:
        raise exc.at(where) from None
    try:
        min_percent = float(table.get("min_percent", 100))
    except (TypeError, ValueError):
        raise ConfigError("'min_percent' must be a number from 0 to 100", where) from None
    if not 0 <= min_percent <= 100:
        raise ConfigError("'min_percent' must be a number from 0 to 100", where)
    base_url = table.get("base_url")
    targets = tuple(loc for loc in locales if loc.gettext != source.gettext)
    try:
        conventions = conventions_from(table, targets)
        budgets = budgets_from(table)
        scheduler = scheduler_from(table.get("scheduler"), "'scheduler'")
    except ConfigError as exc:
        raise exc.at(where) from None
    return Config(
        source=source,
        locales=targets,
        articles=str(table.get("articles", "articles")),
        locales_dir=str(table.get("locales_dir", "locales")),
        output=str(table.get("output", "site")),
        min_percent=min_percent,
        base_url=str(base_url) if base_url else None,
        conventions=conventions,
        budgets=budgets,
        scheduler=scheduler,
    )


def scheduler_from(value: object, name: str) -> str | None:
    """A scheduler setting (*name*: the key or the option, for the error): None, "local" or
    an address with its scheme; ConfigError for anything else."""
    if value is None:
        return None
    if not isinstance(value, str) or not _SCHEDULER.fullmatch(value):
        example = '"local" or a Dask scheduler address such as "tcp://host:8786"'
        raise ConfigError(f"{name} must be {example}, not {value!r}")
    return value


def conventions_from(table: Mapping[str, Any], targets: tuple[Locale, ...]) -> Conventions:
    """``calendars = { fa = "persian" }`` and ``native_digits = true`` (the defaults: the
    Gregorian calendar everywhere, the locale's own digits), checked against the target
    locales (*targets*): the source page's dates and numbers stay as written."""
    digits = table.get("native_digits", True)
    if not isinstance(digits, bool):
        raise ConfigError("'native_digits' must be true or false")
    calendars = table.get("calendars", {})
    if not isinstance(calendars, Mapping):
        raise ConfigError("'calendars' must be a table of locale = calendar, e.g. calendars = { fa = \"persian\" }")
    chosen: dict[str, str] = {}
    for code, name in calendars.items():
        locale = parse_locale(str(code))
        if locale.gettext not in {target.gettext for target in targets}:
            raise ConfigError(f"'calendars' names {code!r}, which is not one of the target 'locales'")
        if name not in CALENDARS:
            raise ConfigError(f"unknown calendar {name!r} for {code!r}; known calendars: {', '.join(CALENDARS)}")
        if name == PERSIAN and locale.gettext not in PERSIAN_LANGUAGES:
            raise ConfigError(
                f"the persian calendar is available for {' and '.join(PERSIAN_LANGUAGES)} only"
                f" (its month names in {code!r} are not shipped)"
            )
        chosen[locale.gettext] = str(name)
    return Conventions(tuple(sorted(chosen.items())), digits)
