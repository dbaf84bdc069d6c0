"""The one small interface every machine-translation engine has, and where engines are found.

An engine translates a batch of texts from one locale to another (:class:`Engine`); the
texts are markup (:mod:`.protect`), and the engine tells its service so. Engines are
plug-ins: a package declares a factory under the entry-point group ``l10n.engines``
(``[project.entry-points."l10n.engines"]`` in its ``pyproject.toml``), a callable that
takes the run's :class:`Settings` and returns an :class:`Engine`. The built-in engines are
declared there too, and also known without the package's metadata (:data:`BUILTIN`), so
they work from a source tree that was never installed.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import metadata
from typing import Protocol

from ..errors import ConfigError
from ..locale import Locale
from .transport import EngineError, Http

__all__ = ["BUILTIN", "GROUP", "Engine", "EngineError", "Factory", "Settings", "available", "load"]

GROUP = "l10n.engines"

#: The engines this package brings (also declared as entry points in pyproject.toml).
BUILTIN: dict[str, str] = {
    "deepl": "l10n.machine.deepl:DeepL",
    "libretranslate": "l10n.machine.libretranslate:LibreTranslate",
}


@dataclass(frozen=True, slots=True)
class Settings:
    """What a run gives an engine: its endpoint (``--url``; None for the engine's own
    default), the environment it reads its key from, and the HTTP client to use."""

    url: str | None = None
    environ: Mapping[str, str] = field(default_factory=dict)
    http: Http = field(default_factory=Http)


class Engine(Protocol):
    """A machine-translation engine."""

    @property
    def name(self) -> str:
        """The name the translator comment gives (``# Machine translation: <name>``)."""
        ...

    def translate(self, texts: Sequence[str], source: Locale, target: Locale) -> list[str]:
        """The translations of *texts* (markup, see :mod:`.protect`), in order, one per text.

        Raises EngineError when the service fails for good (its retries spent) or answers
        with something else than one text per text. Sends as few requests as the service's
        documented limits allow.
        """
        ...


Factory = Callable[[Settings], Engine]


def installed() -> list[metadata.EntryPoint]:
    """The engines declared by installed packages (entry-point group :data:`GROUP`)."""
    return list(metadata.entry_points(group=GROUP))


def available() -> dict[str, str]:
    """Every engine's name and its factory (``module:attribute``): the built-in ones, and
    those of installed packages (which win: a newsroom may replace one)."""
    found = dict(BUILTIN)
    found.update({point.name: point.value for point in installed()})
    return dict(sorted(found.items()))


def load(name: str, settings: Settings) -> Engine:
    """The engine called *name*, made with *settings*; ConfigError for an unknown name or a
    plug-in that cannot be imported."""
    points = {point.name: point for point in installed()}
    try:
        if name in points:
            factory: Factory = points[name].load()
        elif name in BUILTIN:
            module, _, attribute = BUILTIN[name].partition(":")
            factory = getattr(importlib.import_module(module), attribute)
        else:
            known = ", ".join(available())
            raise ConfigError(f"unknown engine {name!r} (available: {known})")
    except (ImportError, AttributeError) as exc:
        raise ConfigError(f"engine {name!r} cannot be loaded: {exc}") from None
    return factory(settings)
