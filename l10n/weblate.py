"""What a Weblate component needs to know about our catalogues (README: "Translating in Weblate").

This module owns the settings that describe our layout to Weblate: the file format, the
file mask and template of one article's component (:func:`component`), the regular
expressions of Weblate's component discovery add-on for a whole project
(:func:`discovery`), and the check flags (:data:`CHECK_FLAGS`), whose ``placeholders``
regular expression (:data:`PLACEHOLDER_PATTERN`) matches exactly the placeholder tags our
segmenter writes, so that Weblate highlights them and flags a translation that drops or
adds one. The documentation quotes these values and the tests hold them to the
placeholder grammar of :mod:`l10n.placeholders`. Pure: no file is read here.
"""

from __future__ import annotations

from dataclasses import dataclass

# A placeholder tag as the segmenter writes one (placeholders.py): a name (an element's
# tag, lower case, hyphens inside) and a 1-based index, as <a1>, </a1> or <br3/>. Literal
# text that looks like one is written &lt;b1> (escape_literal), which has no "<" to match.
# Written without "\" and '"', which Weblate's flag syntax would read as escapes inside
# r"..." (weblate/checks/parser.py), and with [0-9] rather than \d, which in Weblate's
# `regex` module also matches other scripts' digits.
_NAME_INDEX = "[a-z]+(?:-[a-z]+)*[1-9][0-9]*"
PLACEHOLDER_PATTERN = f"<{_NAME_INDEX}/?>|</{_NAME_INDEX}>"
# Weblate's "Translation flags" of the component: our placeholders, checked (Weblate's
# check compares the sets of tags; nesting and order are l10n check's).
CHECK_FLAGS = f'placeholders:r"{PLACEHOLDER_PATTERN}"'
FILE_FORMAT = "po"  # Weblate's "gettext PO file"


@dataclass(frozen=True, slots=True)
class Component:
    """One article's Weblate component: the settings of its "Files" page."""

    slug: str  # the article's path in articles/, without .html (2015/11/calais-migrant-camp)
    filemask: str  # the catalogues of every locale: locales/*/LC_MESSAGES/<slug>.po
    new_base: str  # "Template for new translations": the article's POT
    template: str = ""  # "Monolingual base language file": none, our PO files are bilingual
    file_format: str = FILE_FORMAT
    check_flags: str = CHECK_FLAGS


def component(slug: str, locales_dir: str = "locales") -> Component:
    """The component of the article whose catalogues are ``<locales_dir>/*/LC_MESSAGES/<slug>.po``."""
    return Component(
        slug=slug,
        filemask=f"{locales_dir}/*/LC_MESSAGES/{slug}.po",
        new_base=f"{locales_dir}/templates/{slug}.pot",
    )


@dataclass(frozen=True, slots=True)
class Discovery:
    """The settings of Weblate's "Component discovery" add-on for every article at once."""

    match: str  # "Regular expression to match translation files against"
    name_template: str  # "Customize the component name"
    base_file_template: str  # "Define the monolingual base filename": empty (bilingual)
    new_base_template: str  # "Define the base file for new translations"
    file_format: str = FILE_FORMAT


def discovery(locales_dir: str = "locales") -> Discovery:
    """The discovery add-on's settings for catalogues under *locales_dir*: one component per
    article, at any depth of folders; ``templates/`` (no ``LC_MESSAGES``) and a locale's
    ``memory.po`` (beside ``LC_MESSAGES``) are not matched."""
    return Discovery(
        match=f"{locales_dir}/(?P<language>[^/.]+)/LC_MESSAGES/(?P<component>[^.].*)\\.po",
        name_template="{{ component }}",
        base_file_template="",
        new_base_template=f"{locales_dir}/templates/{{{{ component }}}}.pot",
    )
