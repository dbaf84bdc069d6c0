"""The command line's help texts: what each command does, with examples, and where the
configuration is.

Typer renders them with Rich markup: a ``[`` that is text is written ``\\[`` (else
``[tool.l10n]`` would be read as a style and vanish), and a paragraph that starts with
``\\b`` keeps its line breaks (the examples).
"""

from __future__ import annotations

# Said by every command that works on a project, under its examples.
_WHERE = (
    "The project is the nearest folder, from the current one upwards (or -C DIR), holding l10n.toml, a"
    " pyproject.toml with a \\[tool.l10n] table, or articles/; its configuration is that file."
    " Paths in messages are relative to the project root."
)


def _examples(*pairs: tuple[str, str]) -> str:
    """A ``\\b`` paragraph of examples: each command line, then what it does."""
    width = max(len(command) for command, _ in pairs) + 2
    lines = [f"  {command.ljust(width)}{what}" for command, what in pairs]
    return "\b\nExamples:\n" + "\n".join(lines)


def _help(summary: str, *pairs: tuple[str, str], more: str = "") -> str:
    paragraphs = [summary, more, _examples(*pairs), _WHERE]
    return "\n\n".join(paragraph for paragraph in paragraphs if paragraph)


MAIN = _help(
    "Localise news articles through gettext PO files: extract HTML to catalogues, build localised pages.",
    ("l10n init -l fr -l de", "make a project in this folder"),
    ("l10n extract", "catalogues for every article"),
    ("l10n -C ~/newsroom build", "build that project from anywhere"),
    ("l10n --install-completion", "complete commands and locales in your shell"),
)

EXTRACT = _help(
    "Segment every article, write its POT and create or update its PO files.",
    ("l10n extract", "every configured locale"),
    ("l10n extract -l de", "also start German catalogues"),
    ("l10n extract --prune", "remove the catalogues of articles that are gone"),
)

BUILD = _help(
    "Write site/<lang>/<slug>.html for the source locale and every target locale.",
    ("l10n build", "every configured locale"),
    ("l10n build -l fr --min-percent 90", "French only; publish at 90 %"),
    ("l10n build --json > build.json", "a record per article and locale"),
    more="A page once published stays published: --min-percent decides only a first publication. Exit 1"
    " when anything could not be built as asked (an unreadable file, an invalid translation, a page kept"
    " as it was).",
)

STATUS = _help(
    "Per locale and article: units, words, translated, fuzzy, untranslated, invalid.",
    ("l10n status", "every configured locale"),
    ("l10n status -l fa", "Persian only"),
    ("l10n status --json", "the same for dashboards"),
)

CHECK = _help(
    "QA of translations: errors (placeholders, markup, plural/format) exit 1; warnings do not.",
    ("l10n check", "errors and warnings, every locale"),
    ("l10n check -l fr --errors-only", "French errors only (CI, pre-commit)"),
    ("l10n check --json", "the findings for tools"),
)

PSEUDO = _help(
    "Extract, then fill a pseudo-locale's catalogues with accented, 35 % longer, bracketed text.",
    ("l10n pseudo", "en-XA: shows text left untranslated"),
    ("l10n pseudo ar-XB", "right to left; then l10n build -l ar-XB"),
)

INIT = (
    "Create a project in the current folder (or -C DIR): l10n.toml, articles/, locales/, .gitignore.\n\n"
    "Exit 1, changing nothing, when the folder already holds a project or lies inside one.\n\n"
    + _examples(
        ("l10n init -l fr -l fa", "English articles, French and Persian targets"),
        ("l10n init --source de", "German articles; targets set later"),
    )
)

# -l says what it does for each command: extract adds locales, the others choose among them.
LOCALE_EXTRACT = "Also make catalogues for this locale (BCP 47 or gettext form), configured or not; repeat for more."
LOCALE_BUILD = "Build only this locale (and the source); repeat for more. Default: every configured locale."
LOCALE_STATUS = (
    "Only this locale (a new one too: what it would have to translate); repeat for more."
    " Default: every configured locale."
)
LOCALE_CHECK = "Check only this locale; repeat for more. Default: every configured locale."
LOCALE_INIT = "A target locale to configure (BCP 47 or gettext form); repeat for more."

DIRECTORY = "Run as if l10n was started in DIR (like git -C): the project is looked for from there upwards."
QUIET = "Print errors only: no summary, notes, warnings or progress. Exit statuses are unchanged."
VERBOSE = "List files written and encodings found (as each command's own -v)."

PRETRANSLATE = _help(
    "Fill a locale's untranslated units from a machine-translation engine, as fuzzy for review.",
    ("l10n pretranslate -l fr --engine libretranslate", "LibreTranslate on localhost:5000"),
    ("l10n pretranslate -l es --engine deepl", "DeepL: key in DEEPL_AUTH_KEY"),
    more="Translated and fuzzy units are never touched; each article is one request. Placeholders are sent as"
    " markup the engine keeps; an answer that breaks them or adds markup is dropped (a warning at its line)."
    " Exit 1 when the engine fails (after its retries): that article's catalogue is left as it was.",
)
