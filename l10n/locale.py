"""Locale codes: validation and the CLDR facts the pipeline needs, all from Babel.

One :class:`Locale` knows its two spellings (BCP 47 for pages and ``lang``/``hreflang``,
gettext's for catalogue folders), its script direction, its plural forms and its
Open Graph form. An unknown code is an error, never a silent default.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass

import babel
from babel import localedata
from babel.core import get_global
from babel.core import parse_locale as parse_identifier
from babel.messages.plurals import get_plural

from .errors import ConfigError

# Pseudo-locales (RFC: private-use regions XA, XB) are not in CLDR but are what
# translators' tools and browsers use for pseudo-localisation.
PSEUDO = {"en_XA": ("en", "ltr"), "ar_XB": ("ar", "rtl")}


@dataclass(frozen=True, slots=True)
class Locale:
    """A validated locale."""

    gettext: str  # pt_BR, zh_Hans: catalogue folders and the PO Language header
    tag: str  # pt-BR, zh-Hans: site folders, lang and hreflang
    plural_forms: str
    og: str  # pt_BR, zh_CN: Open Graph og:locale (language_TERRITORY)
    cldr: str  # the CLDR locale Babel formats dates with (en for the pseudo-locale en_XA)

    def __str__(self) -> str:
        return self.tag

    @property
    def direction(self) -> str:
        """``"ltr"`` or ``"rtl"``: CLDR's character order.

        Worked out when asked, not by :func:`parse_locale`: Babel reads the locale's
        whole data file for it (4 ms a locale), and only a build asks.
        """
        if self.gettext in PSEUDO:
            return PSEUDO[self.gettext][1]
        return _direction(self.cldr)

    def own_name(self) -> str:
        """The language's name in itself, as CLDR writes it in running text (``français``,
        ``فارسی``, ``中文 (简体)``); the tag when CLDR has none."""
        cldr = babel.Locale.parse(self.cldr)
        return str(cldr.get_display_name(cldr) or self.tag)


# Asked for each page a build makes (about 2 % of a build's time when Babel was asked
# each time: a parse and a lookup in the locale's data); a run has a handful of locales.
@functools.cache
def _direction(cldr: str) -> str:
    return "rtl" if babel.Locale.parse(cldr).character_order == "right-to-left" else "ltr"


def read_cldr(locales: Iterable[Locale]) -> None:
    """Read each locale's CLDR data now, as Babel does when first asked for a fact of it.

    Babel keeps what it read for the life of the process, and so do processes forked
    after this call: a build's workers otherwise each read the data of every locale
    (about 35 ms for en, fr and es), which the build itself reads after them for its feeds.
    """
    for locale in locales:
        localedata.load(locale.cldr)
        _direction(locale.cldr)  # cached: forked workers inherit it as well


def parse_locale(code: str) -> Locale:
    """Validate *code* (``fr``, ``pt-BR``, ``pt_BR``, ``zh_Hans``) against CLDR."""
    normal = code.strip().replace("-", "_")
    if normal in PSEUDO:
        base = PSEUDO[normal][0]
        parent = parse_locale(base)
        return Locale(normal, normal.replace("_", "-"), parent.plural_forms, normal, base)
    try:
        loc = babel.Locale.parse(normal)
    except (ValueError, TypeError, babel.UnknownLocaleError):
        raise ConfigError(f"unknown locale code {code!r} (not in CLDR)") from None
    parts = [loc.language]
    if loc.script:
        parts.append(loc.script)
    if loc.territory:
        parts.append(loc.territory)
    if loc.variant:
        parts.append(loc.variant)
    gettext = "_".join(parts)
    plural = get_plural(loc)
    return Locale(gettext, "-".join(parts), plural.plural_forms, _og_locale(loc), gettext)


def _og_locale(loc: babel.Locale) -> str:
    if loc.territory:
        return f"{loc.language}_{loc.territory}"
    likely = dict(get_global("likely_subtags"))
    key = f"{loc.language}_{loc.script}" if loc.script else loc.language
    # Only the territory is wanted: parse the identifier, not a locale Babel may have no
    # data for (CLDR's likely subtags make "no" no_Latn_NO).
    territory = parse_identifier(likely.get(key, likely.get(loc.language, loc.language)))[1]
    return f"{loc.language}_{territory}" if territory else loc.language
