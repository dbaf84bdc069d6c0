"""What ``l10n init`` writes: the configuration text, the ``.gitignore`` lines and the next steps.

Pure: it takes validated locales and folder names and returns text; creating the files
and refusing to overwrite is :mod:`l10n.project.scaffolding`'s.
"""

from __future__ import annotations

import json
import posixpath
from collections.abc import Iterable

from .config import Config
from .locale import Locale

#: The configuration file ``init`` writes (read by :func:`l10n.project.open_project`).
CONFIG_FILE = "l10n.toml"

#: The comment above the lines ``init`` adds to a ``.gitignore``.
IGNORE_COMMENT = "# l10n: the built site, the run cache, the lock, a crashed run's temporary files, XLIFF hand-offs"


def _string(text: str) -> str:
    """A TOML basic string: JSON's escapes are TOML's for what a locale tag can hold."""
    return json.dumps(text, ensure_ascii=False)


def config_text(source: Locale, locales: Iterable[Locale]) -> str:
    """The text of a new ``l10n.toml``: the source and target locales set, every other key
    shown commented out with its default, so a newsroom sees what it can change."""
    targets = ", ".join(_string(locale.tag) for locale in locales)
    return (
        "# l10n configuration: paths are relative to this file.\n"
        "# The language the articles are written in (BCP 47: en, fr, pt-BR, zh-Hans).\n"
        f"source_locale = {_string(source.tag)}\n"
        "# The languages to translate them into; `l10n extract -l LANG` also makes a new one's catalogues.\n"
        f"locales = [{targets}]\n"
        "\n"
        '# articles = "articles"     # source articles (.html), folders allowed\n'
        '# locales_dir = "locales"   # templates (POT) and catalogues (PO) for translators\n'
        '# output = "site"           # the built website (git-ignored)\n'
        "# min_percent = 100         # share of translated units a page needs to be published first\n"
        '# base_url = "https://news.example.org"  # absolute canonical, hreflang and sitemap URLs\n'
    )


def ignore_lines(config: Config, cache_dir: str, lock_file: str, temporary: str, xliff_dir: str) -> tuple[str, ...]:
    """The ``.gitignore`` patterns of what a run makes and no one should commit: the output
    folder, the run cache, the lock file in the catalogue folder, *temporary* files (the
    pattern of a crashed run's leftovers) and the XLIFF hand-offs, each anchored at the
    project root."""
    output = _folder(config.output)
    locales = _folder(config.locales_dir)
    return (f"/{output}/", f"/{cache_dir}/", f"/{locales}/{lock_file}", temporary, f"/{_folder(xliff_dir)}/")


def _folder(name: str) -> str:
    return posixpath.normpath(name.replace("\\", "/")).strip("/")


def missing_lines(existing: str, wanted: Iterable[str]) -> list[str]:
    """The patterns of *wanted* that *existing* (a ``.gitignore``'s text) does not already
    have, in an equivalent form: with or without the leading and trailing slash, or as the
    bare last name (``site``, ``.l10n.lock``), which git matches at any depth."""
    have = {_bare(line) for line in existing.splitlines() if line.strip() and not line.lstrip().startswith("#")}
    missing = []
    for line in wanted:
        bare = _bare(line)
        if bare not in have and bare.rsplit("/", 1)[-1] not in have:
            missing.append(line)
    return missing


def _bare(line: str) -> str:
    return line.strip().strip("/")


def appended(existing: str | None, lines: list[str]) -> str:
    """The text to add at the end of a ``.gitignore`` (*existing* None: the new file's text):
    the comment, then the lines; a line break first when the file does not end with one."""
    if not lines:
        return ""
    lead = "" if not existing else "\n" if existing.endswith("\n") else "\n\n"
    return lead + "\n".join([IGNORE_COMMENT, *lines]) + "\n"


def next_steps(config: Config, config_file: str) -> list[str]:
    """The numbered commands a newsroom runs next, as lines to print."""
    articles = _folder(config.articles)
    catalogues = f"{_folder(config.locales_dir)}/<lang>/LC_MESSAGES/*.po"
    if config.locales:
        first = config.locales[0]
        catalogues = f"{_folder(config.locales_dir)}/{first.gettext}/LC_MESSAGES/*.po"
    steps = [f"Copy your articles (HTML files, folders allowed) into {articles}/"]
    if not config.locales:
        steps.append(f'Set the target locales in {config_file}: locales = ["fr", "de"]')
    steps += [
        "l10n extract      # one template per article, one catalogue per article and locale",
        f"Translate {catalogues} (Poedit, Weblate, Lokalize or a text editor)",
        f"l10n build        # the website, in {_folder(config.output)}/",
        "l10n status       # what is left to translate",
    ]
    return [f"  {number}. {step}" for number, step in enumerate(steps, 1)]
